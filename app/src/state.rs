//! What every request handler and server function can reach.

use crate::db::Db;
use crate::media::MediaStore;
use crate::site::PublicUrl;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;

/// The running site's shared state: provided to the router and, as context, to server functions.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub media: MediaStore,
    pub site: PublicUrl,
    /// Live progress for every campaign someone is watching.
    pub live: crate::live::hub::LiveHub,
    /// Applies payment events to the ledger, batching those that arrive together, and announces
    /// what they changed to `live`.
    pub ledger: crate::donations::ledger::LedgerWriter,
    /// The public log's signing keys (kept outside the database).
    pub log_keys: crate::transparency::keys::LogKeys,
    /// Share cards, rendered once each.
    pub cards: crate::cards::render::CardRenderer,
    /// The payment provider's rate budget at work, for the dashboard.
    pub provider: crate::donations::provider::ProviderStats,
}

impl AppState {
    /// The state provided to the current server function or page render.
    pub fn current() -> Result<AppState, crate::error::AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            crate::error::AppError::Internal
        })
    }
}
