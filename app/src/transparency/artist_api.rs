//! The artist page's server function and what it answers.

use crate::artworks::artist::{ArtistProfile, Royalty};
use crate::artworks::{ArtworkCard, PublicConsent};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::money::Currency;
use serde::{Deserialize, Serialize};

/// Everything an artist's page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtistPageData {
    pub campaign_title: String,
    pub campaign_path: String,
    pub artist: ArtistProfile,
    /// Their published works, in gallery order.
    pub works: Vec<ArtistWork>,
    /// Their royalties at the published checkpoint.
    pub royalty: Option<Royalty>,
    pub currency: Currency,
    pub checkpoint_size: u64,
}

/// One of an artist's works and its consent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtistWork {
    pub card: ArtworkCard,
    pub consent: PublicConsent,
}

/// Loads an artist's page in the reader's locale; unknown or malformed slugs are "not found".
#[leptos::server(
    prefix = "/api/pages",
    endpoint = "artist",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_artist(
    campaign: String,
    artist: String,
    locale: Locale,
) -> Result<ArtistPageData, AppError> {
    use crate::artworks::{artists, store as artworks};
    use crate::campaigns::store as campaigns;
    use crate::slug::Slug;
    use crate::state::AppState;
    let (Ok(campaign_slug), Ok(artist_slug)) = (campaign.parse::<Slug>(), artist.parse::<Slug>())
    else {
        return Err(AppError::NotFound);
    };
    let state = AppState::current()?;
    let (id, campaign) = campaigns::find(&state.db, &campaign_slug, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    let (artist_id, profile) = artists::find(&state.db, id, &artist_slug, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut works = Vec::new();
    for slug in artists::works(&state.db, artist_id).await? {
        if let Some(detail) = artworks::find_published(&state.db, id, &slug, locale).await? {
            works.push(ArtistWork {
                card: detail.card,
                consent: detail.consent,
            });
        }
    }
    let size = super::store::published(&state.db, campaign_slug.as_str())
        .await?
        .map_or(0, |log| log.size);
    let royalty = super::account::royalties(&state.db, id, size as i64, locale)
        .await?
        .into_iter()
        .find(|r| r.artist == profile.slug.as_str());
    Ok(ArtistPageData {
        campaign_title: campaign.title.clone(),
        campaign_path: format!("/campaigns/{}", campaign_slug.as_str()),
        artist: profile,
        works,
        royalty,
        currency: campaign.goal.currency(),
        checkpoint_size: size,
    })
}
