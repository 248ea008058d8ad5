//! Artworks: the pieces donors adopt, their artists, and the consent behind each.

mod gallery;
mod page;

#[cfg(feature = "ssr")]
pub mod paint;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod upload;

pub use gallery::Gallery;
pub use page::ArtworkPage;

use crate::campaigns::{Campaign, Progress};
use crate::error::AppError;
use crate::i18n::{fill, Locale};
use crate::seo::PageMeta;
use crate::slug::Slug;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A picture the site serves, with its size so the page reserves its space before it loads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// A site path such as `/media/3fa9….jpg`.
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// Who made an artwork, as they or their family chose to be named.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artist {
    pub name: String,
    pub age: Option<u8>,
}

impl Artist {
    /// "Lin, 9" (or "林悦，9岁"), or just the name when the age is not given.
    pub fn byline(&self, locale: Locale) -> String {
        match self.age {
            Some(age) => fill(
                locale.texts().byline_with_age,
                &[("name", &self.name), ("age", &age.to_string())],
            ),
            None => self.name.clone(),
        }
    }
}

/// An artwork in a gallery grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtworkCard {
    pub slug: Slug,
    pub title: String,
    pub artist: Artist,
    pub thumb: Image,
    pub image: Image,
}

impl ArtworkCard {
    /// "Boats at Dawn, painted by Chen Hao", in the reader's language.
    pub fn alt(&self, locale: Locale) -> String {
        fill(
            locale.texts().artwork_alt,
            &[("title", &self.title), ("artist", &self.artist.name)],
        )
    }

    /// The full-size image as a link preview shows it, with an absolute URL.
    #[cfg(feature = "ssr")]
    pub fn preview_image(
        &self,
        site: &crate::state::PublicUrl,
        locale: Locale,
    ) -> crate::seo::MetaImage {
        crate::seo::MetaImage {
            url: site.absolute(&self.image.url),
            width: self.image.width,
            height: self.image.height,
            alt: self.alt(locale),
        }
    }
}

/// The record that the artist, or a guardian, agreed to the artwork being shown and sold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub given_by: String,
    /// How the person who consented relates to the artist ("the artist", "mother", ...).
    pub relationship: String,
    /// ISO date, `YYYY-MM-DD`.
    pub given_on: String,
    pub licence: String,
    /// The artist's share of each gift, in basis points (100 = 1%).
    pub royalty_basis_points: u16,
}

impl Consent {
    /// "5%" or "2.5%".
    pub fn royalty_label(&self) -> String {
        let bp = self.royalty_basis_points;
        if bp.is_multiple_of(100) {
            format!("{}%", bp / 100)
        } else {
            let fraction = format!("{:02}", bp % 100);
            format!("{}.{}%", bp / 100, fraction.trim_end_matches('0'))
        }
    }
}

/// An artwork with everything its page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtworkDetail {
    pub card: ArtworkCard,
    pub story: String,
    pub artist_message: String,
    pub consent: Consent,
}

/// Everything an artwork page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArtworkPageData {
    pub campaign: Campaign,
    pub progress: Progress,
    /// The campaign's latest public gifts, newest first.
    pub feed: Vec<crate::live::FeedGift>,
    pub artwork: ArtworkDetail,
    pub previous: Option<ArtworkCard>,
    pub next: Option<ArtworkCard>,
    pub meta: PageMeta,
    /// The idempotency key of this page view's adopt form.
    pub form_key: String,
}

/// Loads an artwork page in the reader's locale. Unknown or malformed slugs are "not found",
/// never a query.
#[server(prefix = "/api/pages", endpoint = "artwork", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_artwork(
    campaign: String,
    artwork: String,
    locale: Locale,
) -> Result<ArtworkPageData, AppError> {
    use crate::campaigns::store as campaigns;
    use crate::state::AppState;
    let (Ok(campaign_slug), Ok(artwork_slug)) = (campaign.parse::<Slug>(), artwork.parse::<Slug>())
    else {
        return Err(AppError::NotFound);
    };
    let state = AppState::current()?;
    let (id, campaign) = campaigns::find(&state.db, &campaign_slug, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    let artworks = store::list_published(&state.db, id, locale).await?;
    let index = artworks
        .iter()
        .position(|a| a.slug == artwork_slug)
        .ok_or(AppError::NotFound)?;
    let artwork = store::find_published(&state.db, id, &artwork_slug, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    let progress = campaigns::progress(&state.db, id, &campaign).await?;
    let feed = state.live.snapshot(id).await?.gifts;
    let meta = page::page_meta(&state.site, &campaign, &artwork, locale);
    Ok(ArtworkPageData {
        previous: index.checked_sub(1).and_then(|i| artworks.get(i)).cloned(),
        next: artworks.get(index + 1).cloned(),
        campaign,
        progress,
        feed,
        artwork,
        meta,
        form_key: crate::ids::DonationId::generate()?.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn royalty_shares_read_as_percentages() {
        let consent = |bp| Consent {
            given_by: String::new(),
            relationship: String::new(),
            given_on: String::new(),
            licence: String::new(),
            royalty_basis_points: bp,
        };
        assert_eq!(consent(500).royalty_label(), "5%");
        assert_eq!(consent(250).royalty_label(), "2.5%");
        assert_eq!(consent(1).royalty_label(), "0.01%");
        assert_eq!(consent(0).royalty_label(), "0%");
    }

    #[test]
    fn bylines_include_the_age_when_known() {
        let artist = Artist {
            name: "Lin".into(),
            age: Some(9),
        };
        assert_eq!(artist.byline(Locale::En), "Lin, 9");
        let artist = Artist {
            name: "林悦".into(),
            age: Some(9),
        };
        assert_eq!(artist.byline(Locale::ZhCn), "林悦，9岁");
        let artist = Artist {
            name: "Lin".into(),
            age: None,
        };
        assert_eq!(artist.byline(Locale::En), "Lin");
    }
}
