//! Reading shared gifts and what their shares brought.

use super::SharerStats;
use crate::dates::Timestamp;
use crate::db::Db;
use crate::i18n::Locale;
use crate::ids::DonationId;
use crate::ids::{CampaignId, ShareCode};
use crate::money::{Currency, Money};
use anyhow::Context;
use sqlx::FromRow;

/// A paid gift as its share page and cards show it.
#[derive(Clone, Debug)]
pub struct SharedGift {
    /// The donation's id: what gifts credited to this share point to.
    pub donation: String,
    pub code: ShareCode,
    pub campaign: CampaignId,
    pub artwork_id: i64,
    pub amount: Money,
    pub display_name: String,
    pub anonymous: bool,
    pub show_amount: bool,
    pub certificate_number: i64,
    pub paid_at: Timestamp,
    /// The donor's language: their cards speak it.
    pub locale: Locale,
    /// The shares that brought this gift, first sharer first (see [`super::tree`]).
    pub lineage: Option<String>,
}

impl SharedGift {
    /// The donor's public name, `None` when they gave anonymously.
    pub fn public_name(&self) -> Option<&str> {
        (!self.anonymous && !self.display_name.trim().is_empty())
            .then_some(self.display_name.as_str())
    }
}

#[derive(FromRow)]
struct SharedRow {
    id: String,
    share_code: String,
    campaign_id: i64,
    artwork_id: i64,
    amount_minor: i64,
    currency: String,
    display_name: String,
    anonymous: i64,
    show_amount: i64,
    certificate_number: Option<i64>,
    paid_at: Option<i64>,
    locale: String,
    lineage: Option<String>,
}

/// A shared gift's columns; only paid gifts have a share (not pending, failed or refunded ones).
const SELECT_PAID: &str = "SELECT id, share_code, campaign_id, artwork_id, amount_minor, \
     currency, display_name, anonymous, show_amount, certificate_number, paid_at, locale, \
     lineage FROM donations WHERE status = 'paid' AND share_code IS NOT NULL";

/// The paid gift with this share code.
#[tracing::instrument(skip(db))]
pub async fn find_paid(db: &Db, code: &ShareCode) -> anyhow::Result<Option<SharedGift>> {
    let row: Option<SharedRow> = sqlx::query_as(&format!("{SELECT_PAID} AND share_code = $1"))
        .bind(code.as_str())
        .fetch_optional(db.pool())
        .await
        .context("reading a shared gift")?;
    row.map(SharedGift::try_from).transpose()
}

/// The paid gift of this donation, if it is paid.
pub async fn find_paid_donation(
    db: &Db,
    donation: &DonationId,
) -> anyhow::Result<Option<SharedGift>> {
    let row: Option<SharedRow> = sqlx::query_as(&format!("{SELECT_PAID} AND id = $1"))
        .bind(donation.as_str())
        .fetch_optional(db.pool())
        .await
        .context("reading a donation's share")?;
    row.map(SharedGift::try_from).transpose()
}

impl TryFrom<SharedRow> for SharedGift {
    type Error = anyhow::Error;

    fn try_from(row: SharedRow) -> anyhow::Result<SharedGift> {
        let currency: Currency = row.currency.to_ascii_uppercase().parse()?;
        Ok(SharedGift {
            donation: row.id,
            code: ShareCode::parse(&row.share_code).context("a stored share code is malformed")?,
            campaign: CampaignId::new(row.campaign_id),
            artwork_id: row.artwork_id,
            amount: Money::from_minor(row.amount_minor, currency)?,
            display_name: row.display_name,
            anonymous: row.anonymous != 0,
            show_amount: row.show_amount != 0,
            certificate_number: row
                .certificate_number
                .context("a paid gift has no number")?,
            paid_at: Timestamp::from_unix_ms(row.paid_at.context("a paid gift has no date")?),
            locale: Locale::from_tag(&row.locale).unwrap_or_default(),
            lineage: row.lineage,
        })
    }
}

/// What the share with this code has brought: paid gifts credited to it, less refunds. `None`
/// when the code is no paid gift's.
pub async fn sharer_stats(db: &Db, code: &ShareCode) -> anyhow::Result<Option<SharerStats>> {
    match find_paid(db, code).await? {
        Some(gift) => Ok(Some(brought_by(db, &gift).await?)),
        None => Ok(None),
    }
}

/// What a shared gift's share has brought, and what came of that further down the tree.
#[tracing::instrument(skip_all)]
pub async fn brought_by(db: &Db, gift: &SharedGift) -> anyhow::Result<SharerStats> {
    let (gifts, raised): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(paid_minor - refunded_minor), 0) AS BIGINT) \
         FROM donations WHERE referred_by = $1 AND status = 'paid'",
    )
    .bind(&gift.donation)
    .fetch_one(db.pool())
    .await
    .context("counting what a share brought")?;
    let children = super::tree::children_lineage(gift.lineage.as_deref(), &gift.code);
    let (further, capped) = super::tree::further(db, gift.campaign, &children).await?;
    // Gifts made through a share are in its campaign, so in its currency.
    Ok(SharerStats {
        gifts: u64::try_from(gifts)?,
        raised: Money::from_minor(raised, gift.amount.currency())?,
        further,
        capped,
    })
}
