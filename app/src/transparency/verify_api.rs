//! The verify page's server functions. They hand the browser the log's raw material (proof
//! files and consistency proofs); the browser checks all of it itself.

use super::{FoundGift, VerifyData};
use crate::error::AppError;
use crate::i18n::Locale;

/// The campaign's title, its log's origin and verifier key.
#[leptos::server(prefix = "/api/pages", endpoint = "verify", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_verify(slug: String, locale: Locale) -> Result<VerifyData, AppError> {
    use super::{integrator::origin_of, store};
    use crate::state::AppState;
    let state = AppState::current()?;
    let parsed: crate::slug::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
    let (id, campaign) = crate::campaigns::store::find(&state.db, &parsed, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    let origin = match store::published(&state.db, parsed.as_str()).await? {
        Some(log) => log.origin,
        None => origin_of(&state.site, parsed.as_str()),
    };
    let (witnesses, quorum) = store::policy(&state.db, id.get()).await?;
    Ok(VerifyData {
        campaign_title: campaign.title,
        campaign_path: format!("/campaigns/{}", parsed.as_str()),
        vkey: state.log_keys.signer(&origin).vkey(),
        origin,
        witnesses: witnesses.into_iter().map(|w| w.vkey).collect(),
        quorum,
    })
}

/// The proof file, against the latest checkpoint, of the gift with this certificate number if
/// its entry carries `commitment`; `NotFound` otherwise.
#[leptos::server(prefix = "/api/log", endpoint = "gift", input = leptos::server_fn::codec::GetUrl)]
pub async fn find_gift(
    slug: String,
    certificate: u64,
    commitment: String,
) -> Result<FoundGift, AppError> {
    use super::{receipt, store};
    use crate::state::AppState;
    let state = AppState::current()?;
    let log = store::published(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let certificate = i64::try_from(certificate).map_err(|_| AppError::NotFound)?;
    let (index, body) =
        store::gift_by_commitment(&state.db, log.campaign, certificate, &commitment)
            .await?
            .ok_or(AppError::NotFound)?;
    let proof = receipt::proof_of(&state.db, log.campaign, index as u64, body)
        .await?
        .ok_or(AppError::NotFound)?;
    let refunded = store::refunded_of(&state.db, log.campaign, index).await?;
    Ok(FoundGift {
        proof: proof.to_text(),
        refunded,
    })
}

/// The proof of the last entry of the checkpoint of `size` entries: it states the total.
#[leptos::server(prefix = "/api/log", endpoint = "last", input = leptos::server_fn::codec::GetUrl)]
pub async fn last_entry(slug: String, size: u64) -> Result<String, AppError> {
    use super::{store, tree};
    use crate::state::AppState;
    let state = AppState::current()?;
    let log = store::published(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let checkpoint = store::checkpoint_at(&state.db, &log, size)
        .await?
        .ok_or(AppError::NotFound)?;
    let index = size.checked_sub(1).ok_or(AppError::NotFound)?;
    let body = store::bodies(&state.db, log.campaign, index, size)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let path = tree::inclusion_proof(&state.db, log.campaign, index, size).await?;
    Ok(super::proof::ProofFile {
        extra: Some(body.into_bytes()),
        index,
        path,
        checkpoint,
    }
    .to_text())
}

/// The consistency proof from `old` to `new` entries, base64 hashes.
#[leptos::server(prefix = "/api/log", endpoint = "consistency", input = leptos::server_fn::codec::GetUrl)]
pub async fn consistency(slug: String, old: u64, new: u64) -> Result<Vec<String>, AppError> {
    use super::{store, tree};
    use crate::state::AppState;
    use base64::Engine;
    let state = AppState::current()?;
    let log = store::published(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if old == 0 || old > new || new > log.size {
        return Err(AppError::NotFound);
    }
    let proof = tree::consistency_proof(&state.db, log.campaign, old, new).await?;
    Ok(proof
        .iter()
        .map(|h| base64::engine::general_purpose::STANDARD.encode(h))
        .collect())
}

/// What refund entries have taken back of the gift at `index` (minor units).
#[leptos::server(prefix = "/api/log", endpoint = "refunded", input = leptos::server_fn::codec::GetUrl)]
pub async fn refunded(slug: String, index: u64) -> Result<i64, AppError> {
    use super::store;
    use crate::state::AppState;
    let state = AppState::current()?;
    let log = store::published(&state.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let index = i64::try_from(index).map_err(|_| AppError::NotFound)?;
    Ok(store::refunded_of(&state.db, log.campaign, index).await?)
}
