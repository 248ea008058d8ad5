//! Artworks: the pieces donors adopt, their artists, and the consent behind each.

mod api;
pub mod artist;
pub mod consent;
pub mod consent_panel;
mod gallery;
mod page;
pub mod provenance;
pub mod provenance_panel;
pub mod royalty_table;
pub mod voice;
pub mod voice_player;

#[cfg(feature = "ssr")]
pub mod artists;
#[cfg(feature = "ssr")]
pub mod audio;
#[cfg(feature = "ssr")]
pub mod consent_form;
#[cfg(feature = "ssr")]
pub mod film;
#[cfg(feature = "ssr")]
pub mod mp4;
#[cfg(feature = "ssr")]
pub mod paint;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod upload;

pub use api::{load_artwork, ArtworkPageData};
pub use consent::{Consent, PublicConsent};
pub use gallery::Gallery;
pub use page::{route_slugs, ArtworkPage};

use crate::i18n::{fill, Locale};
use crate::slug::Slug;
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
    /// Their public page's slug, once they have a record.
    #[serde(default)]
    pub slug: Option<Slug>,
}

impl Artist {
    /// "Lin, 9" (or "林悦，9岁"), or just the name when the age is not given.
    pub fn byline(&self, locale: Locale) -> String {
        match self.age {
            Some(age) => fill(
                locale.words().byline_with_age(),
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
    /// Both stored pictures for `srcset`, so a phone takes the thumbnail and a wide or dense
    /// screen the full picture, each as `sizes` says the page lays it out.
    pub fn srcset(&self) -> String {
        if self.image.width > self.thumb.width {
            format!(
                "{} {}w, {} {}w",
                self.thumb.url, self.thumb.width, self.image.url, self.image.width
            )
        } else {
            format!("{} {}w", self.thumb.url, self.thumb.width)
        }
    }

    /// "Boats at Dawn, painted by Chen Hao", in the reader's language.
    pub fn alt(&self, locale: Locale) -> String {
        fill(
            locale.words().artwork_alt(),
            &[("title", &self.title), ("artist", &self.artist.name)],
        )
    }
}

/// An artwork with everything its page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtworkDetail {
    pub card: ArtworkCard,
    pub story: String,
    pub artist_message: String,
    pub consent: PublicConsent,
    /// How it was made, when staff stated it.
    pub provenance: Option<provenance::Provenance>,
    /// The artist's voice message, if they recorded one.
    pub voice: Option<voice::Voice>,
}

/// An artwork as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffArtwork {
    pub card: ArtworkCard,
    pub published: bool,
    /// Whether a consent record is on file: without one it cannot be published.
    pub has_consent: bool,
    /// Whether its consent was withdrawn: it can no longer be adopted.
    pub withdrawn: bool,
    pub gifts: u64,
}

/// An artwork as its edit form shows it: every field as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtworkDraft {
    pub slug: String,
    pub content_locale: String,
    pub title: String,
    pub artist_name: String,
    pub artist_age: String,
    pub story: String,
    pub artist_message: String,
    pub title_translated: String,
    pub story_translated: String,
    pub consent_given_by: String,
    pub consent_relationship: String,
    pub consent_given_on: String,
    pub consent_licence: String,
    pub royalty_percent: String,
    /// `artist`, `parent`, `guardian` or `heir`.
    pub consent_role: String,
    /// `yes`, `no`, `unable` or `unrecorded`.
    pub consent_assent: String,
    pub consent_until: String,
    pub consent_prints: bool,
    pub royalty_prints_percent: String,
    pub consent_witness: String,
    /// `independent`, `prompted`, `hand_guided`, or empty when not stated.
    pub made_how: String,
    /// The thumbnail of the photo of the artist at work, if any.
    pub evidence_url: String,
    /// The film of the artist at work's address, if any.
    pub film_url: String,
    /// The voice message's address, if any, and its transcripts.
    pub voice_url: String,
    pub voice_transcript_en: String,
    pub voice_transcript_zh: String,
    /// Every version of the consent record and any withdrawal, oldest first (admins only).
    pub consent_history: Vec<consent::ConsentVersion>,
    pub withdrawn: bool,
    pub published: bool,
    pub thumb_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_include_the_age_when_known() {
        let artist = Artist {
            slug: None,
            name: "Lin".into(),
            age: Some(9),
        };
        assert_eq!(artist.byline(Locale::En), "Lin, 9");
        let artist = Artist {
            slug: None,
            name: "林悦".into(),
            age: Some(9),
        };
        assert_eq!(artist.byline(Locale::ZhCn), "林悦，9岁");
        let artist = Artist {
            slug: None,
            name: "Lin".into(),
            age: None,
        };
        assert_eq!(artist.byline(Locale::En), "Lin");
    }
}
