//! The updates page's server function.

use super::UpdatesView;
use crate::error::AppError;
use crate::i18n::Locale;
use leptos::server;

/// Campaign `slug`'s updates in `locale`: pinned ones first, then newest first.
#[server(prefix = "/api/pages", endpoint = "updates", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_updates(slug: String, locale: Locale) -> Result<UpdatesView, AppError> {
    use crate::seo::PageMeta;
    use crate::state::AppState;
    let state = AppState::current()?;
    let slug: crate::slug::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
    let (campaign_id, campaign) = crate::campaigns::store::find(&state.db, &slug, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    let updates = super::store::on_pages(&state.db, campaign_id, locale, super::LISTED).await?;
    let campaign_path = campaign.path();
    let image =
        crate::sharing::cards::campaign_image(&state, campaign_id, &campaign, locale).await?;
    let t = locale.words();
    let meta = PageMeta {
        title: crate::i18n::fill(t.updates_title(), &[("campaign", &campaign.title)]),
        description: updates
            .first()
            .map_or_else(|| campaign.tagline.clone(), |u| u.title.clone()),
        url: state.site.absolute(&super::updates_path(&campaign_path)),
        locale,
        image,
    };
    Ok(UpdatesView {
        campaign_title: campaign.title,
        campaign_path,
        utc_offset_minutes: campaign.utc_offset_minutes,
        updates,
        meta,
    })
}

/// Campaign `slug`'s updates as its page shows them (the latest [`super::ON_LANDING`], pinned
/// ones first), in `locale`, as the section's HTML: what an open page puts in place when the
/// campaign's news changes.
#[server(
    prefix = "/api/pages",
    endpoint = "latest-updates",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_latest_updates(slug: String, locale: Locale) -> Result<String, AppError> {
    use crate::state::AppState;
    let state = AppState::current()?;
    let slug: crate::slug::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
    let campaign = state
        .live
        .campaign_id(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let offset = crate::campaigns::store::utc_offset_of(&state.db, campaign).await?;
    let updates = super::store::on_pages(&state.db, campaign, locale, super::ON_LANDING).await?;
    Ok(super::page::latest_section_html(
        updates,
        &format!("/campaigns/{slug}"),
        offset,
        locale,
    ))
}
