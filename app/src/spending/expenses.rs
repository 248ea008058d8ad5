//! Expenses in the database: recording one, the steps of the two-person rule, reversals, and the
//! paid ones the public sees.

use super::expense::{Expense, ExpenseKind, ExpenseStatus, Step};
use crate::dates::Timestamp;
use crate::db::{now_ms, Db};
use crate::ids::{CampaignId, StaffId};
use anyhow::Context;
use sqlx::{Any, FromRow, Transaction};

/// An expense as staff record it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewExpense {
    pub line: String,
    pub kind: ExpenseKind,
    pub description_en: String,
    pub description_zh: String,
    /// Positive, in minor units of the campaign's currency.
    pub amount_minor: i64,
    pub spent_on: String,
    pub payee: String,
    pub people_served: Option<u32>,
    /// A royalty's artist, by slug.
    pub artist: Option<String>,
}

#[derive(FromRow)]
struct ExpenseRow {
    id: i64,
    line: String,
    kind: String,
    description_en: String,
    description_zh: String,
    amount_minor: i64,
    spent_on: String,
    payee: String,
    people_served: Option<i64>,
    status: String,
    reverses: Option<i64>,
    reversed: i64,
    recorded_by: String,
    created_at: i64,
    paid_at: Option<i64>,
    artist: Option<String>,
}

const COLUMNS: &str = "e.id, e.line, e.kind, e.description_en, e.description_zh, \
     e.amount_minor, e.spent_on, e.payee, e.people_served, e.status, e.reverses, \
     CASE WHEN EXISTS (SELECT 1 FROM expenses r WHERE r.reverses = e.id) THEN 1 ELSE 0 END \
       AS reversed, \
     s.name AS recorded_by, e.created_at, e.paid_at, r.slug AS artist \
     FROM expenses e JOIN staff_accounts s ON s.id = e.created_by \
     LEFT JOIN artists r ON r.id = e.artist_id";

impl ExpenseRow {
    fn into_expense(self) -> anyhow::Result<Expense> {
        Ok(Expense {
            id: self.id,
            line: self.line,
            kind: ExpenseKind::parse(&self.kind).context("an unknown kind of expense")?,
            description_en: self.description_en,
            description_zh: self.description_zh,
            amount_minor: self.amount_minor,
            spent_on: self.spent_on,
            payee: self.payee,
            people_served: self.people_served.map(u32::try_from).transpose()?,
            status: ExpenseStatus::parse(&self.status).context("an unknown expense status")?,
            reverses: self.reverses,
            reversed: self.reversed == 1,
            recorded_by: self.recorded_by,
            recorded_at: Timestamp::from_unix_ms(self.created_at),
            paid_at: self.paid_at.map(Timestamp::from_unix_ms),
            artist: self.artist,
            documents: Vec::new(),
        })
    }
}

/// Records an expense as a draft; returns its number.
pub async fn record(
    db: &Db,
    campaign: CampaignId,
    new: &NewExpense,
    reverses: Option<i64>,
    by: StaffId,
) -> anyhow::Result<i64> {
    let mut tx = db.begin_write().await?;
    let id = insert(&mut tx.tx, campaign, new, reverses, by).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    new: &NewExpense,
    reverses: Option<i64>,
    by: StaffId,
) -> anyhow::Result<i64> {
    // A royalty pays an artist of the campaign; nothing else names one.
    let artist: Option<i64> = match (&new.artist, new.kind) {
        (Some(slug), ExpenseKind::Royalty) => Some(
            sqlx::query_scalar("SELECT id FROM artists WHERE campaign_id = $1 AND slug = $2")
                .bind(campaign.get())
                .bind(slug)
                .fetch_optional(&mut **tx)
                .await
                .context("finding a royalty's artist")?
                .context("a royalty for an artist the campaign does not have")?,
        ),
        (None, ExpenseKind::Royalty) => anyhow::bail!("a royalty without its artist"),
        _ => None,
    };
    sqlx::query_scalar(
        "INSERT INTO expenses (campaign_id, line, kind, description_en, description_zh, \
         amount_minor, spent_on, payee, people_served, status, reverses, created_by, created_at, \
         artist_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $11, $12, $13) RETURNING id",
    )
    .bind(campaign.get())
    .bind(&new.line)
    .bind(new.kind.as_str())
    .bind(&new.description_en)
    .bind(&new.description_zh)
    .bind(new.amount_minor)
    .bind(&new.spent_on)
    .bind(&new.payee)
    .bind(new.people_served.map(i64::from))
    .bind(reverses)
    .bind(by.get())
    .bind(now_ms())
    .bind(artist)
    .fetch_one(&mut **tx)
    .await
    .context("recording an expense")
}

/// What a step did.
#[derive(Debug, PartialEq, Eq)]
pub enum Moved {
    Done,
    NotFound,
    /// The expense is not in the status the step starts from (taken already, or too early).
    WrongStatus,
    /// Only an admin other than the one who recorded it may approve or pay an expense.
    SameStaff,
}

/// Takes `step` for expense `id` of `campaign` as staff member `by`, in one statement, so two
/// admins pressing at once move it once.
pub async fn take_step(
    db: &Db,
    campaign: CampaignId,
    id: i64,
    step: Step,
    by: StaffId,
) -> anyhow::Result<Moved> {
    let (from, to) = step.moves();
    let (who, when) = match step {
        Step::Submit => ("submitted_by", "submitted_at"),
        Step::Approve => ("approved_by", "approved_at"),
        Step::Pay => ("paid_by", "paid_at"),
    };
    let two_people = if step.by_recorder() {
        ""
    } else {
        " AND created_by <> $2"
    };
    let sql = format!(
        "UPDATE expenses SET status = $1, {who} = $2, {when} = $3 \
         WHERE id = $4 AND campaign_id = $5 AND status = $6{two_people}"
    );
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(&sql)
        .bind(to.as_str())
        .bind(by.get())
        .bind(now_ms())
        .bind(id)
        .bind(campaign.get())
        .bind(from.as_str())
        .execute(&mut *tx.tx)
        .await
        .context("moving an expense")?
        .rows_affected();
    tx.commit().await?;
    if done == 1 {
        return Ok(Moved::Done);
    }
    let found: Option<(String, i64)> = sqlx::query_as(
        "SELECT status, created_by FROM expenses WHERE id = $1 AND campaign_id = $2",
    )
    .bind(id)
    .bind(campaign.get())
    .fetch_optional(db.pool())
    .await
    .context("reading an expense")?;
    Ok(match found {
        None => Moved::NotFound,
        Some((status, _)) if status != from.as_str() => Moved::WrongStatus,
        Some(_) => Moved::SameStaff,
    })
}

/// What asking to reverse an expense did.
#[derive(Debug, PartialEq, Eq)]
pub enum Reversing {
    /// A draft reversal was recorded with this number; it goes the same way to paid.
    Recorded(i64),
    NotFound,
    /// Only a paid expense that is not itself a reversal, and not reversed already, is reversed.
    NotReversible,
}

/// Records a draft reversal of paid expense `id`: the same line, kind and payee, the opposite
/// amount, and `why` as its description in both languages.
pub async fn reverse(
    db: &Db,
    campaign: CampaignId,
    id: i64,
    why: (&str, &str),
    by: StaffId,
) -> anyhow::Result<Reversing> {
    let mut tx = db.begin_write().await?;
    let sql = format!("SELECT {COLUMNS} WHERE e.id = $1 AND e.campaign_id = $2");
    let row: Option<ExpenseRow> = sqlx::query_as(&sql)
        .bind(id)
        .bind(campaign.get())
        .fetch_optional(&mut *tx.tx)
        .await
        .context("reading the expense to reverse")?;
    let Some(original) = row.map(ExpenseRow::into_expense).transpose()? else {
        return Ok(Reversing::NotFound);
    };
    if original.status != ExpenseStatus::Paid || original.reverses.is_some() || original.reversed {
        return Ok(Reversing::NotReversible);
    }
    let reversal = NewExpense {
        line: original.line,
        kind: original.kind,
        description_en: why.0.to_owned(),
        description_zh: why.1.to_owned(),
        amount_minor: -original.amount_minor,
        spent_on: Timestamp::from_unix_ms(now_ms()).iso_date_utc(),
        payee: original.payee,
        people_served: None,
        artist: original.artist,
    };
    // The schema lets one reversal refer to an expense: a second, raced, fails here.
    let new = insert(&mut tx.tx, campaign, &reversal, Some(id), by).await?;
    tx.commit().await?;
    Ok(Reversing::Recorded(new))
}

/// Whether the campaign has recorded any expense, in whatever status.
pub async fn any(db: &Db, campaign: CampaignId) -> anyhow::Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM expenses WHERE campaign_id = $1 LIMIT 1")
            .bind(campaign.get())
            .fetch_optional(db.pool())
            .await
            .context("looking for expenses")?;
    Ok(found.is_some())
}

/// Every expense of the campaign, newest first, for staff.
pub async fn all(db: &Db, campaign: CampaignId) -> anyhow::Result<Vec<Expense>> {
    let sql = format!("SELECT {COLUMNS} WHERE e.campaign_id = $1 ORDER BY e.id DESC");
    let rows: Vec<ExpenseRow> = sqlx::query_as(&sql)
        .bind(campaign.get())
        .fetch_all(db.pool())
        .await
        .context("listing expenses")?;
    with_documents(db, campaign, rows).await
}

/// The expenses of `rows`, each with its documents.
async fn with_documents(
    db: &Db,
    campaign: CampaignId,
    rows: Vec<ExpenseRow>,
) -> anyhow::Result<Vec<Expense>> {
    let mut documents = super::documents::of_campaign(db, campaign).await?;
    rows.into_iter()
        .map(|row| {
            let mut expense = row.into_expense()?;
            expense.documents = documents.remove(&expense.id).unwrap_or_default();
            Ok(expense)
        })
        .collect()
}

/// The campaign's paid expenses, in the order paid: what the public sees.
pub async fn paid(db: &Db, campaign: CampaignId) -> anyhow::Result<Vec<Expense>> {
    let sql = format!(
        "SELECT {COLUMNS} WHERE e.campaign_id = $1 AND e.status = 'paid' ORDER BY e.paid_at, e.id"
    );
    let rows: Vec<ExpenseRow> = sqlx::query_as(&sql)
        .bind(campaign.get())
        .fetch_all(db.pool())
        .await
        .context("listing paid expenses")?;
    with_documents(db, campaign, rows).await
}

/// Up to `limit` of the campaign's paid expenses waiting for the log, with their place among
/// the records waiting.
pub async fn pending(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    limit: i64,
) -> anyhow::Result<Vec<(i64, Expense)>> {
    #[derive(FromRow)]
    struct Row {
        seq: i64,
        #[sqlx(flatten)]
        expense: ExpenseRow,
    }
    let sql = format!(
        "SELECT p.seq, {COLUMNS} JOIN log_pending_records p ON p.record_id = e.id \
         WHERE p.campaign_id = $1 AND p.record_kind = 'expense' ORDER BY p.seq LIMIT $2"
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(campaign)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await
        .context("reading the expenses to log")?;
    let mut pending = Vec::with_capacity(rows.len());
    for row in rows {
        let mut expense = row.expense.into_expense()?;
        expense.documents = super::documents::of_expense(&mut **tx, expense.id).await?;
        pending.push((row.seq, expense));
    }
    Ok(pending)
}
