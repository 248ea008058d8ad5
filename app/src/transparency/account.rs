//! The campaign's account as its public log states it at the published checkpoint: what was
//! given and refunded, the payment provider's fees, what was received and spent per budget line,
//! and what remains. Read from the log's entries, so every figure is one anyone can recompute
//! from the tiles with `giving-gallery audit`.

use super::entry::{Entry, Stated};
use crate::db::Db;
use crate::i18n::Locale;
use crate::ids::CampaignId;
use crate::spending::expense::ExpenseKind;
use crate::spending::{Account, AccountLine};
use anyhow::Context;

/// The account of `campaign` at its published checkpoint of `size` entries, with line names in
/// `locale`.
pub async fn at_checkpoint(
    db: &Db,
    campaign: CampaignId,
    size: u64,
    currency: &str,
    locale: Locale,
) -> anyhow::Result<Account> {
    let size = i64::try_from(size).context("a log size")?;
    let (raised, refunded): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT CAST(SUM(amount_minor) AS BIGINT), \
         CAST(SUM(CASE WHEN kind = 'refund' THEN -amount_minor ELSE 0 END) AS BIGINT) \
         FROM log_entries WHERE campaign_id = $1 AND idx < $2 AND kind IN ('gift', 'refund')",
    )
    .bind(campaign.get())
    .bind(size)
    .fetch_one(db.pool())
    .await
    .context("adding up the log's gifts")?;
    // Plans and expenses are few: read their entries themselves.
    let bodies: Vec<(String,)> = sqlx::query_as(
        "SELECT body FROM log_entries WHERE campaign_id = $1 AND idx < $2 \
         AND kind IN ('budget', 'expense') ORDER BY idx",
    )
    .bind(campaign.get())
    .bind(size)
    .fetch_all(db.pool())
    .await
    .context("reading the log's plans and expenses")?;
    let mut planned: Vec<(String, i64)> = Vec::new();
    let mut spent_by_line: Vec<(String, i64)> = Vec::new();
    let mut fees = 0;
    for (body,) in bodies {
        let entry = Entry::parse(&body).map_err(|e| anyhow::anyhow!("a logged entry: {e}"))?;
        match entry.consent {
            Some(Stated::Plan { lines, .. }) => planned = lines,
            Some(Stated::Expense {
                line, kind, amount, ..
            }) => {
                if kind == ExpenseKind::Fees {
                    fees += amount;
                } else {
                    match spent_by_line.iter_mut().find(|(l, _)| *l == line) {
                        Some((_, total)) => *total += amount,
                        None => spent_by_line.push((line, amount)),
                    }
                }
            }
            _ => {}
        }
    }
    let names = crate::spending::store::versions(db, campaign).await?;
    let name_of = |line: &str| {
        names
            .iter()
            .rev()
            .flat_map(|plan| plan.lines.iter())
            .find(|l| l.line == line)
            .map(|l| l.name(locale).to_owned())
            .unwrap_or_else(|| line.to_owned())
    };
    let spent_on = |line: &str| {
        spent_by_line
            .iter()
            .find(|(l, _)| l == line)
            .map_or(0, |(_, total)| *total)
    };
    // The plan's lines, then any line spent on that the plan no longer has.
    let mut budget: Vec<AccountLine> = planned
        .iter()
        .map(|(line, planned_minor)| AccountLine {
            line: line.clone(),
            name: name_of(line),
            planned_minor: *planned_minor,
            spent_minor: spent_on(line),
        })
        .collect();
    for (line, total) in &spent_by_line {
        if !planned.iter().any(|(l, _)| l == line) {
            budget.push(AccountLine {
                line: line.clone(),
                name: name_of(line),
                planned_minor: 0,
                spent_minor: *total,
            });
        }
    }
    let raised = raised.unwrap_or(0);
    let spent: i64 = spent_by_line.iter().map(|(_, total)| total).sum();
    let received = raised - fees;
    Ok(Account {
        currency: currency.to_owned(),
        raised_minor: raised + refunded.unwrap_or(0),
        refunded_minor: refunded.unwrap_or(0),
        fees_minor: fees,
        received_minor: received,
        spent_minor: spent,
        remaining_minor: received - spent,
        budget,
        checkpoint_size: size as u64,
    })
}
