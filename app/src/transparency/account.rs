//! The campaign's account as its public log states it at the published checkpoint: what was
//! given and refunded, the payment provider's fees, what was received and spent per budget line,
//! what remains, and the royalties each artist accrued and was paid. Read from the log's entries,
//! so every figure is one anyone can recompute from the tiles with `giving-gallery audit`.

use super::entry::{Entry, Stated};
use crate::artworks::artist::{royalty_on, Royalty};
use crate::campaigns::Campaign;
use crate::db::Db;
use crate::i18n::Locale;
use crate::ids::CampaignId;
use crate::spending::expense::ExpenseKind;
use crate::spending::{Account, AccountLine};
use anyhow::Context;

/// The account of `campaign` (`about`) at its published checkpoint of `size` entries, with line
/// names in `locale`.
pub async fn at_checkpoint(
    db: &Db,
    campaign: CampaignId,
    about: &Campaign,
    size: u64,
    locale: Locale,
) -> anyhow::Result<Account> {
    let plans = crate::spending::store::versions(db, campaign).await?;
    with_plans(db, campaign, about, size, locale, &plans).await
}

/// The same, naming the budget lines from `plans`, every version of the campaign's spending plan
/// (oldest first), already read.
pub async fn with_plans(
    db: &Db,
    campaign: CampaignId,
    about: &Campaign,
    size: u64,
    locale: Locale,
    plans: &[crate::spending::Plan],
) -> anyhow::Result<Account> {
    let currency = about.goal.currency().code().to_ascii_uppercase();
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
    let name_of = |line: &str| {
        plans
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
    let royalties = royalties(db, campaign, size, locale).await?;
    let raised = raised.unwrap_or(0);
    let spent: i64 = spent_by_line.iter().map(|(_, total)| total).sum();
    let received = raised - fees;
    Ok(Account {
        currency,
        raised_minor: raised + refunded.unwrap_or(0),
        refunded_minor: refunded.unwrap_or(0),
        fees_minor: fees,
        received_minor: received,
        spent_minor: spent,
        remaining_minor: received - spent,
        budget,
        royalties,
        checkpoint_size: size as u64,
        recipient: about.beneficiary.legal.clone(),
    })
}

/// Each artist's royalties in the first `size` entries of the log. Accrued, per artwork and per
/// consent: `floor(net × share / 10000)`, where `net` adds up the gifts logged while that consent
/// was the artwork's latest, less their refunds (a refund counts against its gift's consent,
/// whenever it comes), and `share` is the consent's share of gifts. Paid: the royalty expenses
/// logged for the artist, less reversals.
pub async fn royalties(
    db: &Db,
    campaign: CampaignId,
    size: i64,
    locale: Locale,
) -> anyhow::Result<Vec<Royalty>> {
    // Both parts are materialized, so each is read once: the log's gifts and refunds in one
    // pass (a refund finds its gift through the certificate's index), then matched in memory
    // against the few consents. Left to itself, SQLite read every gift again for each consent.
    let accrued: Vec<(Option<i64>, i64, Option<i64>)> = sqlx::query_as(
        "WITH consents AS MATERIALIZED ( \
           SELECT e.idx AS from_idx, \
                  LEAD(e.idx) OVER (PARTITION BY c.artwork_id ORDER BY e.idx) AS to_idx, \
                  c.artwork_id, \
                  CASE WHEN c.scope_gifts = 1 THEN c.royalty_gifts_bp ELSE 0 END AS bp \
           FROM log_entries e JOIN consent_records c ON c.id = e.record_id \
           WHERE e.campaign_id = $1 AND e.idx < $2 AND e.record_kind = 'consent' \
             AND c.kind = 'consent'), \
         money AS MATERIALIZED ( \
           SELECT CASE WHEN e.kind = 'refund' THEN COALESCE((SELECT g.idx FROM log_entries g \
                    WHERE g.campaign_id = e.campaign_id \
                      AND g.certificate_number = e.certificate_number AND g.kind = 'gift'), \
                    e.idx) ELSE e.idx END AS gift_idx, \
                  l.artwork_id, e.amount_minor \
           FROM log_entries e JOIN ledger_entries l ON l.id = e.ledger_entry_id \
           WHERE e.campaign_id = $1 AND e.idx < $2 AND e.kind IN ('gift', 'refund')) \
         SELECT a.artist_id, c.bp, CAST(SUM(m.amount_minor) AS BIGINT) \
         FROM consents c \
         JOIN money m ON m.artwork_id = c.artwork_id AND m.gift_idx > c.from_idx \
           AND (c.to_idx IS NULL OR m.gift_idx < c.to_idx) \
         JOIN artworks a ON a.id = c.artwork_id \
         GROUP BY c.artwork_id, c.from_idx, c.bp, a.artist_id",
    )
    .bind(campaign.get())
    .bind(size)
    .fetch_all(db.pool())
    .await
    .context("adding up the royalties accrued")?;
    let paid: Vec<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT x.artist_id, CAST(SUM(x.amount_minor) AS BIGINT) \
         FROM log_entries e JOIN expenses x ON x.id = e.record_id \
         WHERE e.campaign_id = $1 AND e.idx < $2 AND e.record_kind = 'expense' \
           AND x.kind = 'royalty' GROUP BY x.artist_id",
    )
    .bind(campaign.get())
    .bind(size)
    .fetch_all(db.pool())
    .await
    .context("adding up the royalties paid")?;
    let artists = crate::artworks::artists::list(db, campaign, locale).await?;
    Ok(artists
        .into_iter()
        .map(|(id, artist)| {
            let accrued_minor = accrued
                .iter()
                .filter(|(of, _, _)| *of == Some(id))
                .map(|(_, bp, net)| royalty_on(net.unwrap_or(0), u16::try_from(*bp).unwrap_or(0)))
                .sum();
            let paid_minor = paid
                .iter()
                .filter(|(of, _)| *of == Some(id))
                .map(|(_, total)| total.unwrap_or(0))
                .sum();
            Royalty {
                artist: artist.slug.as_str().to_owned(),
                name: artist.name,
                accrued_minor,
                paid_minor,
            }
        })
        .collect())
}
