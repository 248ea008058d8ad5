//! The landing page's server function and what it answers.

#[cfg(feature = "ssr")]
use super::{landing, store};
use super::{Campaign, Progress};
use crate::artworks::ArtworkCard;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::seo::PageMeta;
#[cfg(feature = "ssr")]
use crate::slug::Slug;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything a campaign landing page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LandingData {
    pub campaign: Campaign,
    pub progress: Progress,
    /// The latest public gifts, newest first.
    pub feed: Vec<crate::live::FeedGift>,
    /// The public leaderboards of teams and ambassadors; empty when there are no teams.
    pub boards: crate::ambassadors::Leaderboards,
    pub artworks: Vec<ArtworkCard>,
    /// The sponsors' matches, in their order.
    pub matches: Vec<crate::matching::MatchOffer>,
    /// The latest campaign updates, newest first.
    pub updates: Vec<crate::updates::Update>,
    pub meta: PageMeta,
}

/// Loads a campaign's landing page in the reader's locale; without a slug, the featured
/// campaign's.
#[server(prefix = "/api/pages", endpoint = "landing", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_landing(slug: Option<String>, locale: Locale) -> Result<LandingData, AppError> {
    use crate::state::AppState;
    let state = AppState::current()?;
    let found = match slug {
        Some(text) => match text.parse::<Slug>() {
            Ok(slug) => store::find(&state.db, &slug, locale).await?,
            Err(_) => None,
        },
        None => store::find_featured(&state.db, locale).await?,
    };
    let (id, campaign) = found.ok_or(AppError::NotFound)?;
    let progress = store::progress(&state.db, id, &campaign).await?;
    let crate::live::Snapshot {
        gifts: feed,
        boards,
        ..
    } = state.live.snapshot(id).await?;
    let artworks = crate::artworks::store::list_published(&state.db, id, locale).await?;
    let image =
        crate::sharing::cards::landing_image(&state.site, &campaign, &artworks, &progress, locale)?;
    let meta = landing::page_meta(&state.site, &campaign, image, locale);
    let currency = campaign.goal.currency();
    let matches =
        crate::matching::store::offers(&state.db, id, currency, locale, crate::db::now_ms())
            .await?;
    let updates =
        crate::updates::store::on_pages(&state.db, id, locale, crate::updates::ON_LANDING).await?;
    Ok(LandingData {
        campaign,
        progress,
        feed,
        boards,
        artworks,
        matches,
        updates,
        meta,
    })
}
