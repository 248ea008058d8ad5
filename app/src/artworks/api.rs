//! The artwork page's server function and what it answers.

#[cfg(feature = "ssr")]
use super::{page, store};
use super::{ArtworkCard, ArtworkDetail};
use crate::campaigns::{Campaign, Progress};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::seo::PageMeta;
#[cfg(feature = "ssr")]
use crate::slug::Slug;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
    /// Checkouts are going through Payment Links: an amount of the donor's own is typed again
    /// on the payment page, and the form says so.
    pub surge: bool,
    /// Whether the campaign has published its spending plan: before it, no gifts.
    pub plan_published: bool,
    /// The sponsors' matches, in their order.
    pub matches: Vec<crate::matching::MatchOffer>,
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
    use crate::sharing::cards::{PageCard, PageKind};
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
    let image = PageCard {
        kind: PageKind::Artwork,
        site: &state.site,
        campaign: &campaign,
        artwork: &artwork.card,
        progress: &progress,
        locale,
    }
    .meta_image()?;
    let meta = page::page_meta(&state.site, &campaign, &artwork, image, locale);
    let campaign_currency = campaign.goal.currency();
    Ok(ArtworkPageData {
        previous: index.checked_sub(1).and_then(|i| artworks.get(i)).cloned(),
        next: artworks.get(index + 1).cloned(),
        campaign,
        progress,
        feed,
        artwork,
        meta,
        form_key: crate::ids::DonationId::generate()?.to_string(),
        surge: state.provider.surging(),
        plan_published: crate::spending::store::has_plan(&state.db, id).await?,
        matches: crate::matching::store::offers(
            &state.db,
            id,
            campaign_currency,
            locale,
            crate::db::now_ms(),
        )
        .await?,
    })
}
