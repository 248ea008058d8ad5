//! Sharing: the public share code of each gift, its share page (`/s/{code}`), the cards it links
//! to, and attribution: a visit through a share is remembered (first touch) and a gift made after
//! it is credited to the sharer.

mod api;
mod page;
mod tools;

#[cfg(feature = "ssr")]
pub mod cards;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod tree;

#[cfg(feature = "ssr")]
pub use api::{first_touch_cookie, links, remember_first_share};
pub use api::{load_share, load_sharer_stats};
pub use page::SharePage;
pub use tools::ShareTools;

use crate::artworks::ArtworkCard;
use crate::campaigns::Progress;
use crate::ids::ShareCode;
use crate::live::FeedGift;
use crate::money::Money;
use crate::seo::PageMeta;
use serde::{Deserialize, Serialize};

/// The certificate's size in pixels, as its page reserves it (the browser bundle has no
/// renderer to ask; a test checks the renderer agrees).
pub const CERTIFICATE_SIZE: (u32, u32) = (1080, 1920);
/// The link preview's size in pixels, as Open Graph asks.
pub const PREVIEW_SIZE: (u32, u32) = (1200, 630);

/// The cookie that remembers whose share brought a visitor.
pub const REFERRER_COOKIE: &str = "gg_shared_by";
/// How long a share keeps credit for a visitor's gifts.
pub const REFERRER_MAX_AGE_SECONDS: u32 = 30 * 24 * 60 * 60;

impl ShareCode {
    /// The share whose page a visitor came through, from the request's `Cookie` header.
    pub fn from_cookies(cookie_header: Option<&str>) -> Option<ShareCode> {
        crate::cookies::value(cookie_header?, REFERRER_COOKIE).and_then(ShareCode::parse)
    }
}

#[cfg(feature = "ssr")]
impl ShareCode {
    /// The share whose page a visitor came through, from a request's headers.
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Option<ShareCode> {
        let cookies = headers.get(axum::http::header::COOKIE)?.to_str().ok();
        ShareCode::from_cookies(cookies)
    }
}

/// Where a paid gift's share page and cards are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareLinks {
    /// The share page, absolute: what the donor copies and posts.
    pub page_url: String,
    /// The certificate (1080x1920), a site path.
    pub certificate: String,
    /// The link preview (1200x630), a site path.
    pub preview: String,
}

/// The most gifts counted down one share's tree: a share page's figures cost at most this many
/// index entries, whatever a viral share grew to.
pub const TREE_LIMIT: u64 = 10_000;

/// What a share brought: paid gifts made after a visit through it, less refunds; and, without
/// names, the gifts that the shares of those gifts brought in turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharerStats {
    pub gifts: u64,
    pub raised: Money,
    /// Paid gifts further down the tree, generation by generation: those brought by the shares
    /// of this share's gifts, then by theirs, and so on.
    pub further: Vec<u64>,
    /// The tree holds more than [`TREE_LIMIT`] gifts: `further` counts only part of it.
    pub capped: bool,
}
crate::from_json_fields!(SharerStats {
    gifts,
    raised,
    further,
    capped,
});

impl SharerStats {
    /// All the gifts further down the tree.
    pub fn further_total(&self) -> u64 {
        self.further.iter().sum()
    }
}

/// A campaign's sharing tree as staff follow it: who brought whom, in numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeSummary {
    /// Paid gifts, and those of them made through a share.
    pub gifts: u64,
    pub through_shares: u64,
    /// The longest chain: how many gifts follow one another, each through the last one's share.
    pub deepest: u64,
    /// The chains that grew most, by the gifts they hold below their first sharer.
    pub chains: Vec<Chain>,
    /// The sharers whose shares brought the most gifts, with what came further down.
    pub sharers: Vec<TreeSharer>,
    /// The last day's donors, hour by hour, and the gifts their shares have brought since.
    pub hours: Vec<Cohort>,
}

impl TreeSummary {
    /// The campaign's K-factor: new donors per donor. Each gift through a share has one
    /// sharer, so it is the gifts through shares over all gifts.
    pub fn k_factor(&self) -> Option<f64> {
        ratio(self.through_shares, self.gifts)
    }
}

/// `part / whole`, `None` for an empty whole.
fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A chain of shares from its first sharer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chain {
    /// The first sharer: their public name (`None` when anonymous) and share code.
    pub name: Option<String>,
    pub code: ShareCode,
    /// Paid gifts in the chain below the first sharer, and its generations.
    pub gifts: u64,
    pub depth: u64,
}

/// A sharer in the staff's ranking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeSharer {
    pub name: Option<String>,
    pub code: ShareCode,
    pub stats: SharerStats,
}

/// The donors of one hour and what their shares brought (at any time since).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cohort {
    pub start: crate::dates::Timestamp,
    pub donors: u64,
    pub brought: u64,
}

impl Cohort {
    /// The hour's K-factor: gifts brought per donor.
    pub fn k_factor(&self) -> Option<f64> {
        ratio(self.brought, self.donors)
    }
}

/// Everything a share page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareView {
    pub code: ShareCode,
    /// The sharer's public name; `None` when they gave anonymously.
    pub donor: Option<String>,
    pub artwork: ArtworkCard,
    pub artwork_path: String,
    pub campaign_title: String,
    pub campaign_slug: String,
    pub campaign_path: String,
    pub progress: Progress,
    /// The campaign's latest public gifts, newest first.
    pub feed: Vec<FeedGift>,
    pub stats: SharerStats,
    /// The link preview as the page shows it (the same picture as `og:image`).
    pub card: crate::artworks::Image,
    pub meta: PageMeta,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_reads_back_what_a_share_brought() {
        crate::json::assert_reads_back(&SharerStats {
            gifts: 3,
            raised: Money::from_minor(6_000, crate::money::Currency::Cny).expect("an amount"),
            further: vec![4, 1],
            capped: false,
        });
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_pages_know_the_sizes_the_cards_are_drawn_at() {
        use crate::cards::{certificate, preview};
        assert_eq!(CERTIFICATE_SIZE, (certificate::WIDTH, certificate::HEIGHT));
        assert_eq!(PREVIEW_SIZE, (preview::WIDTH, preview::HEIGHT));
    }

    #[test]
    fn share_codes_from_urls_and_cookies_are_checked() {
        assert!(ShareCode::parse("k3xa9qpm7n2z").is_some());
        for bad in [
            "",
            "k3xa9qpm7n2",
            "k3xa9qpm7n2zz",
            "K3XA9QPM7N2Z",
            "k3xa9qpm7n2o",
            "../../etc/pa",
        ] {
            assert!(ShareCode::parse(bad).is_none(), "{bad}");
        }
        let header = "gg_locale=zh-CN; gg_shared_by=k3xa9qpm7n2z";
        assert_eq!(
            ShareCode::from_cookies(Some(header)).map(|c| c.to_string()),
            Some("k3xa9qpm7n2z".to_owned())
        );
        assert!(ShareCode::from_cookies(Some("gg_shared_by=<script>")).is_none());
        assert!(ShareCode::from_cookies(None).is_none());
    }
}
