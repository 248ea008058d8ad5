//! The payment provider's fees in the database. The provider states a fee for each payment
//! (`payment_fees`, read by `server::payments::fees`); a settlement takes the fees of a
//! campaign's paid gifts into its account, once each, and waits for the log as an expense of
//! kind `fees` against the plan's fees line. So "received" is "raised" less what the provider
//! kept, gift by gift, and the log states it.

use super::expense::{Expense, ExpenseKind, ExpenseStatus};
use crate::dates::Timestamp;
use crate::db::{now_ms, Db};
use anyhow::Context;
use sqlx::{Any, FromRow, Transaction};

/// Who states the fees: the payee of every fees settlement.
pub const PROVIDER: &str = "Stripe";

/// A fee the provider stated for one payment, in the payment's own currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatedFee {
    pub payment_intent: String,
    pub fee_minor: i64,
    /// Lowercase ISO code, as the provider writes it.
    pub currency: String,
    /// When the provider made its balance transaction (Unix ms).
    pub created_ms: i64,
}

/// How far the provider's balance transactions were read (Unix seconds), if ever.
pub async fn listed_through(db: &Db) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT listed_through FROM payment_fee_reads WHERE name = $1")
        .bind(PROVIDER)
        .fetch_optional(db.pool())
        .await
        .context("reading how far fees were read")
}

/// Keeps the fees read (a payment's fee is kept once: reading it again changes nothing) and
/// moves the read mark to `listed_through`, never back. Returns how many were new.
pub async fn record(db: &Db, fees: &[StatedFee], listed_through: i64) -> anyhow::Result<u64> {
    let mut tx = db.begin_write().await?;
    let mut added = 0;
    for fee in fees {
        added += sqlx::query(
            "INSERT INTO payment_fees (payment_intent, fee_minor, currency, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (payment_intent) DO NOTHING",
        )
        .bind(&fee.payment_intent)
        .bind(fee.fee_minor)
        .bind(&fee.currency)
        .bind(fee.created_ms)
        .execute(&mut *tx.tx)
        .await
        .context("keeping a payment's fee")?
        .rows_affected();
    }
    sqlx::query(
        "INSERT INTO payment_fee_reads (name, listed_through) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET listed_through = CASE \
           WHEN excluded.listed_through > payment_fee_reads.listed_through \
           THEN excluded.listed_through ELSE payment_fee_reads.listed_through END",
    )
    .bind(PROVIDER)
    .bind(listed_through)
    .execute(&mut *tx.tx)
    .await
    .context("moving the fees' read mark")?;
    tx.commit().await?;
    Ok(added)
}

/// Which fees a settlement takes: those of the campaign's paid (or since refunded) gifts in
/// their own currency, not taken before. Refunds leave the fee: the provider keeps it.
///
/// Each fee finds its gift by the payment (`donations_by_payment_intent`). The unary `+` keeps
/// SQLite from choosing the campaign's index instead, which has two of the terms but reads
/// every paid gift of the campaign for each fee: a settlement of 4,000 fees then held the
/// write turn 3.4 s, and the 288,000 of ten minutes of a day like 2017's would have held it for
/// hours. PostgreSQL reads the `+` as the number itself.
const SETTLES: &str = "settlement_id IS NULL AND EXISTS (SELECT 1 FROM donations d \
     WHERE d.payment_intent_id = payment_fees.payment_intent AND +d.campaign_id = $2 \
     AND d.status IN ('paid', 'refunded') AND LOWER(d.currency) = payment_fees.currency)";

/// The campaigns with fees of paid gifts that no settlement has taken yet.
pub async fn campaigns_to_settle(db: &Db) -> anyhow::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT DISTINCT d.campaign_id FROM payment_fees f \
         JOIN donations d ON d.payment_intent_id = f.payment_intent \
         WHERE f.settlement_id IS NULL AND d.status IN ('paid', 'refunded') \
         AND LOWER(d.currency) = f.currency",
    )
    .fetch_all(db.pool())
    .await
    .context("finding fees to settle")
}

/// What a settlement took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settled {
    pub id: i64,
    pub gifts: i64,
    pub amount_minor: i64,
}

/// Takes the campaign's unsettled fees into one settlement, which waits for the log when it
/// comes to more than nothing. Two instances settling at once take each fee once: the second
/// finds the fees taken and makes nothing. `None` when there was nothing to take, or when the
/// plan in force has no line for fees (they wait until it has one).
pub async fn settle(db: &Db, campaign: i64) -> anyhow::Result<Option<Settled>> {
    let mut tx = db.begin_write().await?;
    let Some(line) = fees_line(&mut tx.tx, campaign).await? else {
        tracing::warn!(
            campaign,
            "the spending plan has no line for the payment provider's fees: they wait for one"
        );
        return Ok(None);
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO fee_settlements (campaign_id, line, amount_minor, gifts, created_at) \
         VALUES ($1, $2, 0, 0, $3) RETURNING id",
    )
    .bind(campaign)
    .bind(&line)
    .bind(now_ms())
    .fetch_one(&mut *tx.tx)
    .await
    .context("starting a fees settlement")?;
    sqlx::query(&format!(
        "UPDATE payment_fees SET settlement_id = $1 WHERE {SETTLES}"
    ))
    .bind(id)
    .bind(campaign)
    .execute(&mut *tx.tx)
    .await
    .context("taking fees into a settlement")?;
    let (gifts, amount_minor): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), CAST(SUM(fee_minor) AS BIGINT) FROM payment_fees \
         WHERE settlement_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx.tx)
    .await
    .context("adding up a settlement")?;
    if gifts == 0 {
        // Another instance took them first; dropping the transaction undoes the empty one.
        return Ok(None);
    }
    let amount_minor = amount_minor.unwrap_or(0);
    sqlx::query("UPDATE fee_settlements SET amount_minor = $1, gifts = $2 WHERE id = $3")
        .bind(amount_minor)
        .bind(gifts)
        .bind(id)
        .execute(&mut *tx.tx)
        .await
        .context("writing a settlement's total")?;
    // A log entry states a non-zero amount; fees of nothing are kept but not logged.
    if amount_minor > 0 {
        sqlx::query(
            "INSERT INTO log_pending_records (record_kind, record_id, campaign_id) \
             VALUES ('fees', $1, $2)",
        )
        .bind(id)
        .bind(campaign)
        .execute(&mut *tx.tx)
        .await
        .context("listing a settlement for the log")?;
    }
    tx.commit().await?;
    Ok(Some(Settled {
        id,
        gifts,
        amount_minor,
    }))
}

/// The line of the plan in force that fees are logged against: the first whose short name
/// says `fee` (`payment-fees`, `fees`).
async fn fees_line(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT l.line FROM spending_lines l JOIN spending_plans p ON p.id = l.plan_id \
         WHERE p.campaign_id = $1 AND l.line LIKE '%fee%' AND p.version = \
           (SELECT MAX(version) FROM spending_plans WHERE campaign_id = $1) \
         ORDER BY l.position LIMIT 1",
    )
    .bind(campaign)
    .fetch_optional(&mut **tx)
    .await
    .context("finding the plan's line for fees")
}

#[derive(FromRow)]
struct SettlementRow {
    seq: i64,
    id: i64,
    line: String,
    amount_minor: i64,
    gifts: i64,
    created_at: i64,
}

/// Up to `limit` of the campaign's settlements waiting for the log, with their place among the
/// records waiting, each as the expense its entry states.
pub async fn pending(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    limit: i64,
) -> anyhow::Result<Vec<(i64, Expense)>> {
    let rows: Vec<SettlementRow> = sqlx::query_as(
        "SELECT p.seq, s.id, s.line, s.amount_minor, s.gifts, s.created_at \
         FROM fee_settlements s JOIN log_pending_records p \
           ON p.record_kind = 'fees' AND p.record_id = s.id \
         WHERE p.campaign_id = $1 ORDER BY p.seq LIMIT $2",
    )
    .bind(campaign)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
    .context("reading the fees to log")?;
    Ok(rows
        .into_iter()
        .map(|row| (row.seq, settlement_expense(&row)))
        .collect())
}

/// A settlement as the expense its log entry states, paid to the provider when it was made.
fn settlement_expense(row: &SettlementRow) -> Expense {
    let at = Timestamp::from_unix_ms(row.created_at);
    let gifts = if row.gifts == 1 { "gift" } else { "gifts" };
    Expense {
        id: row.id,
        line: row.line.clone(),
        kind: ExpenseKind::Fees,
        description_en: format!("The payment provider's fees on {} {gifts}", row.gifts),
        description_zh: format!("支付服务商对{}笔捐赠收取的手续费", row.gifts),
        amount_minor: row.amount_minor,
        spent_on: at.iso_date_utc(),
        payee: PROVIDER.to_owned(),
        people_served: None,
        status: ExpenseStatus::Paid,
        reverses: None,
        reversed: false,
        recorded_by: PROVIDER.to_owned(),
        recorded_at: at,
        paid_at: Some(at),
        artist: None,
        documents: Vec::new(),
    }
}
