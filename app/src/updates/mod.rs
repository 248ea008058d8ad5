//! Campaign updates: the news staff publish while a campaign runs and after it (what the money
//! did, how the artists are), on the campaign's page, its own page (`/campaigns/{slug}/updates`)
//! and an Atom feed, and by email to the donors who asked for it when they gave.
//!
//! An update is written in English and, optionally, in Chinese (readers of Chinese get the
//! English when it has none). Publishing queues its emails in the same transaction, one per
//! address however many gifts it made, each in the language of the address's latest gift, and
//! a publishing form sent twice publishes once. See "Campaign updates" in docs/EMAIL.md.

mod api;
mod page;

#[cfg(feature = "ssr")]
pub mod feed;
#[cfg(feature = "ssr")]
pub mod store;

pub use api::{load_latest_updates, load_updates};
pub use page::{LatestUpdates, UpdatesPage};

use crate::dates::Timestamp;
use crate::seo::PageMeta;
use serde::{Deserialize, Serialize};

/// The longest title, in characters.
pub const MAX_TITLE: usize = 120;
/// The longest text, in characters.
pub const MAX_BODY: usize = 4000;
/// The longest description of a picture, in characters.
pub const MAX_ALT: usize = 300;
/// The updates a campaign's page shows (pinned ones first).
pub const ON_LANDING: i64 = 2;
/// The updates the feed (newest first) and the updates page (pinned ones first) carry.
pub const LISTED: i64 = 50;

/// A campaign's updates page, under its campaign's path.
pub fn updates_path(campaign_path: &str) -> String {
    format!("{campaign_path}/updates")
}

/// An update's place on its campaign's updates page.
pub fn update_path(campaign_path: &str, id: i64) -> String {
    format!("{campaign_path}/updates#update-{id}")
}

/// A campaign's Atom feed of updates.
pub fn feed_path(campaign_path: &str) -> String {
    format!("{campaign_path}/updates.atom")
}

/// An update in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    pub id: i64,
    pub title: String,
    /// Plain text; blank lines part its paragraphs.
    pub body: String,
    pub published_at: Timestamp,
    /// The language its title and text are in: a Chinese reader gets the English of an update
    /// written in English only.
    pub locale: crate::i18n::Locale,
    /// Staff pinned it: it comes before newer ones on the campaign's pages.
    pub pinned: bool,
    /// The picture it shows, if any.
    pub image: Option<UpdateImage>,
}

/// An update's picture: its full size and its thumbnail in the media store, and what it shows,
/// in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateImage {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub thumb_url: String,
    pub thumb_width: u32,
    pub thumb_height: u32,
    pub alt: String,
}

impl Update {
    /// The body's paragraphs.
    pub fn paragraphs(&self) -> Vec<String> {
        paragraphs(&self.body)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }
}

/// An update's text as paragraphs: parted by blank lines, trimmed, none empty.
pub fn paragraphs(body: &str) -> Vec<&str> {
    body.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// What the updates page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpdatesView {
    pub campaign_title: String,
    pub campaign_path: String,
    pub utc_offset_minutes: i16,
    pub updates: Vec<Update>,
    pub meta: PageMeta,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_parted_by_blank_lines() {
        let update = Update {
            id: 1,
            title: "t".to_owned(),
            body: "First line\nsame paragraph\n\n\n  Second  \n\n".to_owned(),
            published_at: Timestamp::from_unix_ms(0),
            locale: crate::i18n::Locale::En,
            pinned: false,
            image: None,
        };
        assert_eq!(
            update.paragraphs(),
            ["First line\nsame paragraph", "Second"]
        );
    }
}
