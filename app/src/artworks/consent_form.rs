//! The signed consent form: kept exactly as it came, in a folder only admins are served from,
//! and named in the consent's log entry by its format and SHA-256, so that anyone later shown
//! the paper can check it is the one the log recorded.

use super::consent::SignedForm;
use super::upload::{StoreError, UploadError};
use crate::db::Db;
use crate::ids::CampaignId;
use crate::media::MediaStore;
use crate::spending::document::{Format, MAX_DOCUMENT_BYTES};
use crate::spending::documents::DocumentFiles;
use anyhow::Context;

/// The folder the forms are kept in.
pub fn files(media: &MediaStore) -> anyhow::Result<DocumentFiles> {
    DocumentFiles::open_folder(media, "consent-forms")
}

/// Keeps a signed form (a PDF, or a JPEG or PNG scan, told by its content) and names it.
pub fn keep(media: &MediaStore, bytes: &[u8]) -> Result<SignedForm, StoreError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(StoreError::Refused(UploadError::TooBig));
    }
    let format = Format::sniff(bytes).ok_or(StoreError::Refused(UploadError::WrongType))?;
    let sha256 = files(media)
        .and_then(|files| files.put(bytes, format))
        .map_err(StoreError::Internal)?;
    Ok(SignedForm { format, sha256 })
}

/// Whether a consent record of `campaign` names `form`: only such a file is served, to admins.
pub async fn on_record(db: &Db, campaign: CampaignId, form: &SignedForm) -> anyhow::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM consent_records \
         WHERE campaign_id = $1 AND form_sha256 = $2 AND form_format = $3 LIMIT 1",
    )
    .bind(campaign.get())
    .bind(&form.sha256)
    .bind(form.format.extension())
    .fetch_optional(db.pool())
    .await
    .context("finding a consent form")?;
    Ok(found.is_some())
}
