//! A donor's receipt: where their gift stands in the public log, and its proof file.

use super::proof::ProofFile;
use super::{store, tree};
use crate::db::Db;
use crate::ids::DonationId;
use serde::Serialize;

/// `GET /api/donations/{id}/receipt`, for the thank-you page and other clients.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// `pending` (not paid), `recording` (paid, not yet in a signed checkpoint), `recorded`, or
    /// `refunded` (recorded, then paid back in full).
    pub status: &'static str,
    pub certificate_number: Option<i64>,
    /// Shown only to the donor: with the certificate number it opens the entry's commitment.
    pub verification_code: Option<String>,
    pub log_index: Option<u64>,
    pub checkpoint_size: Option<u64>,
    pub proof_url: Option<String>,
}

/// The receipt of a donation; `None` for an unknown one.
pub async fn receipt(db: &Db, id: &DonationId) -> anyhow::Result<Option<Receipt>> {
    let Some(donation) = store::donation(db, id.as_str()).await? else {
        return Ok(None);
    };
    let paid = matches!(donation.status.as_str(), "paid" | "refunded");
    let mut receipt = Receipt {
        status: if paid { "recording" } else { "pending" },
        certificate_number: donation.certificate_number.filter(|_| paid),
        verification_code: None,
        log_index: None,
        checkpoint_size: None,
        proof_url: None,
    };
    if !paid {
        return Ok(Some(receipt));
    }
    let gift = store::gift_of_donation(db, id.as_str()).await?;
    let checkpoint = store::latest_checkpoint(db, donation.campaign_id).await?;
    if let (Some((_, index, _)), Some((size, _))) = (gift, checkpoint) {
        let index = index as u64;
        if index < size {
            receipt.status = if donation.status == "refunded" {
                "refunded"
            } else {
                "recorded"
            };
            receipt.verification_code = donation.verification_code;
            receipt.log_index = Some(index);
            receipt.checkpoint_size = Some(size);
            receipt.proof_url = Some(format!("{}/proof.tlog-proof", id.path()));
        }
    }
    Ok(Some(receipt))
}

/// The proof file of a donation's gift against the latest checkpoint; `None` until the gift is
/// in one.
pub async fn donation_proof(db: &Db, id: &DonationId) -> anyhow::Result<Option<ProofFile>> {
    // One query finds the campaign, the entry and its text.
    let Some((campaign, index, body)) = store::gift_of_donation(db, id.as_str()).await? else {
        return Ok(None);
    };
    proof_of(db, campaign, index as u64, body).await
}

/// The proof file of entry `index` (with text `body`) against the campaign's latest checkpoint.
pub async fn proof_of(
    db: &Db,
    campaign: i64,
    index: u64,
    body: String,
) -> anyhow::Result<Option<ProofFile>> {
    let Some((size, checkpoint)) = store::latest_checkpoint(db, campaign).await? else {
        return Ok(None);
    };
    if index >= size {
        return Ok(None);
    }
    let path = tree::inclusion_proof(db, campaign, index, size).await?;
    Ok(Some(ProofFile {
        extra: Some(body.into_bytes()),
        index,
        path,
        checkpoint,
    }))
}
