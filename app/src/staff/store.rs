//! What the dashboard reads, and the moderation it writes.

use super::accounts::StaffAccount;
use super::{ArtworkRank, CampaignChoice, Chart, Dashboard, SharerRank, StaffGift, StaffMember};
use crate::campaigns::store::{self as campaigns};
use crate::dates::Timestamp;
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::ids::CampaignId;
use crate::ids::DonationId;
use crate::live::hub::LiveHub;
use crate::live::{message_is_public, MessageReview};
use crate::money::{Currency, Money};
use crate::slug::Slug;
use anyhow::Context;
use sqlx::FromRow;

const MINUTE_MS: i64 = 60_000;
/// Bars in the last-hour chart: one a minute.
const LAST_HOUR_BARS: i64 = 60;
/// The most bars the whole-campaign chart has; its slices widen to fit.
const WHOLE_BARS: i64 = 96;
/// Slice widths the whole-campaign chart chooses from, in minutes.
const SLICES: [i64; 12] = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
/// Rows in each ranking.
const TOP: i64 = 5;
/// Gifts in the recent list.
const RECENT: i64 = 20;

/// The narrowest slice that draws `span_ms` in at most [`WHOLE_BARS`] bars.
fn slice_minutes(span_ms: i64) -> i64 {
    let minutes = (span_ms + MINUTE_MS - 1) / MINUTE_MS;
    SLICES
        .into_iter()
        .find(|s| minutes <= s * WHOLE_BARS)
        .unwrap_or_else(|| (minutes + WHOLE_BARS - 1) / WHOLE_BARS)
}

#[derive(FromRow)]
struct ChoiceRow {
    slug: String,
    title: String,
}

/// The dashboard of campaign `slug` (or the featured, else newest, campaign) as `account` sees
/// it; `None` when there is no such campaign.
#[tracing::instrument(skip_all)]
pub async fn dashboard(
    db: &Db,
    live: &LiveHub,
    account: &StaffAccount,
    slug: Option<&Slug>,
    locale: Locale,
) -> anyhow::Result<Option<Dashboard>> {
    let choices = campaign_choices(db, locale).await?;
    let slug = match slug {
        Some(slug) => slug.clone(),
        None => match choices.first() {
            Some(first) => first.slug.parse()?,
            None => return Ok(None),
        },
    };
    let Some((id, campaign)) = campaigns::find(db, &slug, locale).await? else {
        return Ok(None);
    };
    let progress = campaigns::progress(db, id, &campaign).await?;
    let feed = live.snapshot(id).await?.gifts;
    let now = now_ms();
    let this_minute = now - now.rem_euclid(MINUTE_MS);
    let hour_start = this_minute - (LAST_HOUR_BARS - 1) * MINUTE_MS;
    let last_hour = chart(db, id, hour_start, 1, LAST_HOUR_BARS).await?;
    let start = campaign.starts_at.unix_ms();
    let end = now.min(campaign.ends_at.unix_ms()).max(start + MINUTE_MS);
    let slice = slice_minutes(end - start);
    let bars = (end - start + slice * MINUTE_MS - 1) / (slice * MINUTE_MS);
    let whole = chart(db, id, start, slice, bars).await?;
    let currency = campaign.goal.currency();
    Ok(Some(Dashboard {
        payments: Default::default(),
        royalties: Vec::new(),
        checkpoint_size: 0,
        account: None,
        member: StaffMember {
            name: account.name.clone(),
            role: account.role,
        },
        campaigns: choices,
        slug: slug.to_string(),
        title: campaign.title.clone(),
        utc_offset_minutes: campaign.utc_offset_minutes,
        progress,
        feed,
        last_hour,
        whole,
        top_artworks: top_artworks(db, id, currency, locale).await?,
        top_sharers: top_sharers(db, id, currency).await?,
        recent: recent_gifts(db, id, locale).await?,
    }))
}

async fn campaign_choices(db: &Db, locale: Locale) -> anyhow::Result<Vec<CampaignChoice>> {
    let rows: Vec<ChoiceRow> = sqlx::query_as(
        "SELECT c.slug, COALESCE(NULLIF(t.title, ''), c.title) AS title FROM campaigns c \
         LEFT JOIN campaign_translations t ON t.campaign_id = c.id AND t.locale = $1 \
         ORDER BY c.featured DESC, c.starts_at DESC, c.id DESC",
    )
    .bind(locale.tag())
    .fetch_all(db.pool())
    .await
    .context("listing campaigns")?;
    Ok(rows
        .into_iter()
        .map(|r| CampaignChoice {
            slug: r.slug,
            title: r.title,
        })
        .collect())
}

/// Paid gifts in `bars` slices of `slice` minutes from `start` (Unix ms).
async fn chart(
    db: &Db,
    id: CampaignId,
    start: i64,
    slice: i64,
    bars: i64,
) -> anyhow::Result<Chart> {
    let slice_ms = slice * MINUTE_MS;
    let counts: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT (paid_at - $2) / $3 AS slot, COUNT(*) AS gifts FROM donations \
         WHERE campaign_id = $1 AND status = 'paid' AND paid_at >= $2 AND paid_at < $4 \
         GROUP BY 1",
    )
    .bind(id.get())
    .bind(start)
    .bind(slice_ms)
    .bind(start + bars * slice_ms)
    .fetch_all(db.pool())
    .await
    .context("counting gifts per minute")?;
    let mut gifts = vec![0_u32; usize::try_from(bars)?];
    for (slot, count) in counts {
        if let Some(bar) = usize::try_from(slot).ok().and_then(|s| gifts.get_mut(s)) {
            *bar = u32::try_from(count).unwrap_or(u32::MAX);
        }
    }
    Ok(Chart {
        start: Timestamp::from_unix_ms(start),
        bucket_minutes: slice,
        gifts,
    })
}

async fn top_artworks(
    db: &Db,
    id: CampaignId,
    currency: Currency,
    locale: Locale,
) -> anyhow::Result<Vec<ArtworkRank>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT COALESCE(NULLIF(tr.title, ''), a.title) AS title, t.gifts, t.raised_minor \
         FROM artwork_totals t JOIN artworks a ON a.id = t.artwork_id \
         LEFT JOIN artwork_translations tr ON tr.artwork_id = a.id AND tr.locale = $2 \
         WHERE t.campaign_id = $1 AND t.gifts > 0 \
         ORDER BY t.raised_minor DESC, t.gifts DESC, a.position LIMIT $3",
    )
    .bind(id.get())
    .bind(locale.tag())
    .bind(TOP)
    .fetch_all(db.pool())
    .await
    .context("ranking artworks")?;
    rows.into_iter()
        .map(|(title, gifts, raised)| {
            Ok(ArtworkRank {
                title,
                gifts: u64::try_from(gifts)?,
                raised: Money::from_minor(raised, currency)?,
            })
        })
        .collect()
}

/// The donors whose shares brought the most paid gifts (counted as on their share pages).
async fn top_sharers(
    db: &Db,
    id: CampaignId,
    currency: Currency,
) -> anyhow::Result<Vec<SharerRank>> {
    let sharers = crate::sharing::tree::top_sharers(db, id, currency).await?;
    Ok(sharers
        .into_iter()
        .map(|s| SharerRank {
            name: s.name,
            code: s.code.to_string(),
            gifts: s.gifts,
            raised: s.raised,
        })
        .collect())
}

#[derive(FromRow)]
struct RecentRow {
    certificate_number: i64,
    display_name: String,
    anonymous: i64,
    amount_minor: i64,
    refunded_minor: i64,
    currency: String,
    message: String,
    message_review: String,
    paid_at: Option<i64>,
    artwork: String,
    messages_need_approval: i64,
}

async fn recent_gifts(db: &Db, id: CampaignId, locale: Locale) -> anyhow::Result<Vec<StaffGift>> {
    let rows: Vec<RecentRow> = sqlx::query_as(
        "SELECT d.certificate_number, d.display_name, d.anonymous, d.amount_minor, \
         d.refunded_minor, d.currency, d.message, d.message_review, d.paid_at, \
         COALESCE(NULLIF(tr.title, ''), a.title) AS artwork, c.messages_need_approval \
         FROM donations d JOIN artworks a ON a.id = d.artwork_id \
         JOIN campaigns c ON c.id = d.campaign_id \
         LEFT JOIN artwork_translations tr ON tr.artwork_id = a.id AND tr.locale = $2 \
         WHERE d.campaign_id = $1 AND d.status IN ('paid', 'refunded') \
         ORDER BY d.certificate_number DESC LIMIT $3",
    )
    .bind(id.get())
    .bind(locale.tag())
    .bind(RECENT)
    .fetch_all(db.pool())
    .await
    .context("reading recent gifts for staff")?;
    rows.into_iter()
        .map(|r| {
            let review = MessageReview::parse(&r.message_review)
                .with_context(|| format!("unknown message review {}", r.message_review))?;
            let currency: Currency = r.currency.to_ascii_uppercase().parse()?;
            Ok(StaffGift {
                number: r.certificate_number,
                name: crate::sharing::tree::public_name(r.display_name, r.anonymous),
                artwork: r.artwork,
                amount: Money::from_minor(r.amount_minor, currency)?,
                refunded: Money::from_minor(r.refunded_minor, currency)?,
                public: message_is_public(&r.message, review, r.messages_need_approval == 1),
                message: r.message,
                review,
                at: Timestamp::from_unix_ms(r.paid_at.unwrap_or_default()),
            })
        })
        .collect()
}

/// The donation behind gift `number` of a campaign, and its currency.
pub async fn gift_by_number(
    db: &Db,
    campaign: CampaignId,
    number: i64,
) -> anyhow::Result<Option<(DonationId, Currency)>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT id, currency FROM donations WHERE campaign_id = $1 AND certificate_number = $2",
    )
    .bind(campaign.get())
    .bind(number)
    .fetch_optional(db.pool())
    .await
    .context("finding a gift by its number")?;
    row.map(|(id, currency)| {
        let id = DonationId::parse(&id).context("a stored donation id is malformed")?;
        Ok((id, currency.to_ascii_uppercase().parse()?))
    })
    .transpose()
}

/// Sets the review of gift `number`'s message; `false` when the campaign has no paid gift with
/// that number and a message.
pub async fn review_message(
    db: &Db,
    campaign: CampaignId,
    number: i64,
    review: MessageReview,
) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE donations SET message_review = $1 \
         WHERE campaign_id = $2 AND certificate_number = $3 AND message <> ''",
    )
    .bind(review.as_str())
    .bind(campaign.get())
    .bind(number)
    .execute(&mut *tx.tx)
    .await
    .context("reviewing a gift message")?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_campaign_fits_in_a_readable_number_of_bars() {
        assert_eq!(slice_minutes(30 * MINUTE_MS), 1);
        assert_eq!(slice_minutes(7 * 60 * MINUTE_MS), 5);
        assert_eq!(slice_minutes(30 * 24 * 60 * MINUTE_MS), 720);
        let year = 365 * 24 * 60 * MINUTE_MS;
        assert!(year / (slice_minutes(year) * MINUTE_MS) <= WHOLE_BARS);
    }
}

/// How checkouts reach the payment provider: the budget's figures and the links ready.
pub async fn payments_status(
    db: &Db,
    provider: &crate::donations::provider::ProviderStats,
) -> anyhow::Result<super::PaymentsStatus> {
    let (links_ready, held_for_review): (i64, i64) = sqlx::query_as(
        "SELECT CAST((SELECT COUNT(*) FROM payment_links WHERE active = 1) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM held_payments) AS BIGINT)",
    )
    .fetch_one(db.pool())
    .await
    .context("counting payment links and held payments")?;
    Ok(super::PaymentsStatus {
        surge: provider.surging(),
        calls_per_second: provider.per_second(),
        budget_per_second: provider.budget(),
        links_ready,
        via_links: provider.via_links(),
        held_for_review,
    })
}
