//! The polling fallback's server function.

use super::Snapshot;
use crate::error::AppError;
use leptos::prelude::*;

/// A campaign's progress and latest gifts, for browsers that cannot keep the stream open.
#[server(prefix = "/api/pages", endpoint = "live", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_live(slug: String) -> Result<Snapshot, AppError> {
    use crate::state::AppState;
    let state = AppState::current()?;
    let slug = slug.parse().map_err(|_| AppError::NotFound)?;
    let campaign = state
        .live
        .campaign_id(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(state.live.snapshot(campaign).await?)
}
