//! The thank-you page's server function.

use super::DonationView;
#[cfg(feature = "ssr")]
use super::{store, DonationStatus};
use crate::error::AppError;
use crate::i18n::Locale;

/// Loads a donation for its thank-you page. The id is the secret: an unknown or malformed one
/// is "not found".
#[leptos::server(
    prefix = "/api/pages",
    endpoint = "donation",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_donation(id: String, locale: Locale) -> Result<DonationView, AppError> {
    use crate::state::AppState;
    let state = AppState::current()?;
    let id = crate::ids::DonationId::parse(&id).ok_or(AppError::NotFound)?;
    let mut view = store::view(&state.db, &id, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    if view.status == DonationStatus::Paid {
        view.share = crate::sharing::links(&state, &id).await?;
        let receipt = crate::transparency::receipt::receipt(&state.db, &id)
            .await?
            .ok_or(AppError::NotFound)?;
        view.ledger = Some(super::LedgerLine {
            index: receipt.log_index,
            verification_code: receipt.verification_code,
            proof_path: format!("{}/proof.tlog-proof", id.path()),
            verify_path: format!("{}/verify", view.campaign_path),
        });
    }
    Ok(view)
}
