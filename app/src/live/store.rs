//! What the live feed reads: a campaign's recent public gifts.

use super::{message_is_public, FeedGift, MessageReview, Titles};
use crate::dates::Timestamp;
use crate::db::Db;
use crate::ids::CampaignId;
use crate::money::{Currency, Money};
use anyhow::Context;
use sqlx::FromRow;

#[derive(FromRow)]
struct GiftRow {
    certificate_number: i64,
    display_name: String,
    anonymous: i64,
    show_amount: i64,
    amount_minor: i64,
    currency: String,
    message: String,
    message_review: String,
    paid_at: Option<i64>,
    artwork_slug: String,
    title_en: String,
    title_zh_cn: String,
    messages_need_approval: i64,
    shared_by: Option<String>,
}

/// The campaign's paid gifts numbered above `after`, newest first, at most `limit` of them.
pub async fn gifts_after(
    db: &Db,
    campaign: CampaignId,
    after: i64,
    limit: usize,
) -> anyhow::Result<Vec<FeedGift>> {
    let rows: Vec<GiftRow> = sqlx::query_as(
        "SELECT d.certificate_number, d.display_name, d.anonymous, d.show_amount, \
         d.amount_minor, d.currency, d.message, d.message_review, d.paid_at, \
         a.slug AS artwork_slug, \
         COALESCE(NULLIF(te.title, ''), a.title) AS title_en, \
         COALESCE(NULLIF(tz.title, ''), a.title) AS title_zh_cn, \
         c.messages_need_approval, r.share_code AS shared_by \
         FROM donations d \
         JOIN artworks a ON a.id = d.artwork_id \
         JOIN campaigns c ON c.id = d.campaign_id \
         LEFT JOIN donations r ON r.id = d.referred_by \
         LEFT JOIN artwork_translations te ON te.artwork_id = a.id AND te.locale = 'en' \
         LEFT JOIN artwork_translations tz ON tz.artwork_id = a.id AND tz.locale = 'zh-CN' \
         WHERE d.campaign_id = $1 AND d.status = 'paid' AND d.certificate_number > $2 \
         ORDER BY d.certificate_number DESC LIMIT $3",
    )
    .bind(campaign.get())
    .bind(after)
    .bind(i64::try_from(limit)?)
    .fetch_all(db.pool())
    .await
    .context("reading recent gifts")?;
    rows.into_iter().map(FeedGift::try_from).collect()
}

impl TryFrom<GiftRow> for FeedGift {
    type Error = anyhow::Error;

    fn try_from(row: GiftRow) -> anyhow::Result<FeedGift> {
        let currency: Currency = row.currency.to_ascii_uppercase().parse()?;
        let review = MessageReview::parse(&row.message_review)
            .with_context(|| format!("unknown message review {}", row.message_review))?;
        let public = message_is_public(&row.message, review, row.messages_need_approval == 1);
        Ok(FeedGift {
            number: row.certificate_number,
            name: (row.anonymous == 0 && !row.display_name.is_empty()).then_some(row.display_name),
            artwork_slug: row.artwork_slug,
            artwork_title: Titles {
                en: row.title_en,
                zh_cn: row.title_zh_cn,
            },
            amount: if row.show_amount == 1 {
                Some(Money::from_minor(row.amount_minor, currency)?)
            } else {
                None
            },
            message: public.then_some(row.message),
            at: Timestamp::from_unix_ms(row.paid_at.unwrap_or_default()),
            shared_by: row
                .shared_by
                .as_deref()
                .and_then(crate::ids::ShareCode::parse),
        })
    }
}
