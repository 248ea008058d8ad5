//! The sharing tree: who brought whom. Each gift made through a share keeps its lineage, the
//! share codes from the chain's first sharer down to its referrer (migration 0020), so a
//! share's descendants are one range of an index of paid gifts, and a chain is the gifts whose
//! lineage starts with its first code. A lineage stops growing at 100 codes, so an index entry
//! stays small (PostgreSQL refuses one over about 2.7 kB): a gift further down a chain counts
//! at its 100th step. Only counts leave here: the tree records who brought whom, never who
//! gave what.

use super::{Chain, Cohort, SharerStats, TreeSharer, TreeSummary, TREE_LIMIT};
use crate::dates::Timestamp;
use crate::db::Db;
use crate::ids::{CampaignId, ShareCode};
use anyhow::Context;
use sqlx::FromRow;

/// One share code and the `/` after it, in a lineage.
const SEGMENT: i64 = 13;
/// Hours of donors the K-factor table shows.
pub const COHORT_HOURS: i64 = 24;
const HOUR_MS: i64 = 60 * 60 * 1000;
/// Rows in the staff's rankings.
const TOP: i64 = 10;

/// The lineage that gifts brought by this share carry: the share's own lineage and code.
pub fn children_lineage(own: Option<&str>, code: &ShareCode) -> String {
    format!("{}{code}/", own.unwrap_or_default())
}

/// Paid gifts below the share whose children carry `lineage`, generation by generation from
/// its grandchildren down, counting at most [`TREE_LIMIT`] gifts; and whether there were
/// more.
#[tracing::instrument(skip_all)]
pub async fn further(
    db: &Db,
    campaign: CampaignId,
    lineage: &str,
) -> anyhow::Result<(Vec<u64>, bool)> {
    // '0' is the byte after '/': every lineage below this one sorts before `end`.
    let end = format!("{}0", lineage.trim_end_matches('/'));
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT CAST(LENGTH(lineage) AS BIGINT) AS length, COUNT(*) FROM \
         (SELECT lineage FROM donations WHERE campaign_id = $1 AND status = 'paid' \
         AND lineage IS NOT NULL AND lineage > $2 AND lineage < $3 LIMIT $4) AS below \
         GROUP BY 1",
    )
    .bind(campaign.get())
    .bind(lineage)
    .bind(end)
    .bind(i64::try_from(TREE_LIMIT)? + 1)
    .fetch_all(db.pool())
    .await
    .context("counting a share's tree")?;
    let own = i64::try_from(lineage.len())?;
    let mut generations = Vec::new();
    let mut counted = 0;
    for (length, count) in rows {
        let generation = usize::try_from((length - own) / SEGMENT)?;
        if generation == 0 {
            continue;
        }
        if generations.len() < generation {
            generations.resize(generation, 0);
        }
        let count = u64::try_from(count)?;
        generations[generation - 1] += count;
        counted += count;
    }
    let capped = counted > TREE_LIMIT;
    Ok((generations, capped))
}

/// The campaign's tree for staff: how many of its `gifts` came through shares, its deepest
/// chain, the chains and sharers that brought most, and the last day's cohorts from `now`
/// (hours start at whole hours of the campaign's `utc_offset_minutes`).
#[tracing::instrument(skip_all)]
pub async fn summary(
    db: &Db,
    campaign: CampaignId,
    gifts: u64,
    currency: crate::money::Currency,
    now: Timestamp,
    utc_offset_minutes: i16,
) -> anyhow::Result<TreeSummary> {
    let (through, longest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), CAST(MAX(LENGTH(lineage)) AS BIGINT) FROM donations \
         WHERE campaign_id = $1 AND status = 'paid' AND lineage IS NOT NULL",
    )
    .bind(campaign.get())
    .fetch_one(db.pool())
    .await
    .context("measuring the sharing tree")?;
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT SUBSTR(lineage, 1, 12) AS root, COUNT(*) AS gifts, \
         CAST(MAX(LENGTH(lineage)) AS BIGINT) AS length FROM donations \
         WHERE campaign_id = $1 AND status = 'paid' AND lineage IS NOT NULL \
         GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1 LIMIT $2",
    )
    .bind(campaign.get())
    .bind(TOP)
    .fetch_all(db.pool())
    .await
    .context("ranking chains of shares")?;
    let mut chains = Vec::new();
    for (root, gifts, length) in rows {
        let code = ShareCode::parse(&root).context("a lineage holds a malformed code")?;
        // By the code's own index: a lineage compares bytewise, a share code may not.
        let sharer: Option<(String, i64)> =
            sqlx::query_as("SELECT display_name, anonymous FROM donations WHERE share_code = $1")
                .bind(code.as_str())
                .fetch_optional(db.pool())
                .await
                .context("naming a chain's first sharer")?;
        chains.push(Chain {
            name: sharer.and_then(|(name, anonymous)| public_name(name, anonymous)),
            code,
            gifts: u64::try_from(gifts)?,
            depth: u64::try_from(length / SEGMENT)?,
        });
    }
    let mut sharers = Vec::new();
    for sharer in top_sharers(db, campaign, currency).await? {
        let (further, capped) = further(db, campaign, &sharer.children).await?;
        sharers.push(TreeSharer {
            name: sharer.name,
            code: sharer.code,
            stats: SharerStats {
                gifts: sharer.gifts,
                raised: sharer.raised,
                further,
                capped,
            },
        });
    }
    Ok(TreeSummary {
        gifts,
        through_shares: u64::try_from(through)?,
        deepest: u64::try_from(longest.unwrap_or(0) / SEGMENT)?,
        chains,
        sharers,
        hours: cohorts(db, campaign, now, utc_offset_minutes).await?,
    })
}

/// A donor's name as the public sees it: `None` when they gave anonymously.
pub fn public_name(name: String, anonymous: i64) -> Option<String> {
    (anonymous == 0 && !name.trim().is_empty()).then_some(name)
}

/// A sharer in the ranking, with the lineage of the gifts their share brought.
pub struct TopSharer {
    /// `None` when the sharer gave anonymously.
    pub name: Option<String>,
    pub code: ShareCode,
    pub gifts: u64,
    pub raised: crate::money::Money,
    children: String,
}

#[derive(FromRow)]
struct SharerRow {
    share_code: String,
    lineage: Option<String>,
    display_name: String,
    anonymous: i64,
    gifts: i64,
    raised: i64,
}

/// The donors whose shares brought the most paid gifts (counted as on their share pages).
pub async fn top_sharers(
    db: &Db,
    campaign: CampaignId,
    currency: crate::money::Currency,
) -> anyhow::Result<Vec<TopSharer>> {
    let rows: Vec<SharerRow> = sqlx::query_as(
        "SELECT s.share_code, s.lineage, s.display_name, s.anonymous, COUNT(*) AS gifts, \
         CAST(COALESCE(SUM(d.paid_minor - d.refunded_minor), 0) AS BIGINT) AS raised \
         FROM donations d JOIN donations s ON s.id = d.referred_by \
         WHERE d.campaign_id = $1 AND d.status = 'paid' AND s.share_code IS NOT NULL \
         GROUP BY s.id, s.share_code, s.lineage, s.display_name, s.anonymous \
         ORDER BY gifts DESC, raised DESC, s.share_code LIMIT $2",
    )
    .bind(campaign.get())
    .bind(TOP)
    .fetch_all(db.pool())
    .await
    .context("ranking sharers")?;
    rows.into_iter()
        .map(|r| {
            let code =
                ShareCode::parse(&r.share_code).context("a stored share code is malformed")?;
            Ok(TopSharer {
                name: public_name(r.display_name, r.anonymous),
                children: children_lineage(r.lineage.as_deref(), &code),
                code,
                gifts: u64::try_from(r.gifts)?,
                raised: crate::money::Money::from_minor(r.raised, currency)?,
            })
        })
        .collect()
}

/// The donors of each of the last [`COHORT_HOURS`] hours, and the paid gifts their shares
/// brought since. A gift through a share is paid after its sharer's, so both counts read only
/// gifts paid since the first hour began.
async fn cohorts(
    db: &Db,
    campaign: CampaignId,
    now: Timestamp,
    utc_offset_minutes: i16,
) -> anyhow::Result<Vec<Cohort>> {
    let offset = i64::from(utc_offset_minutes) * 60 * 1000;
    let now = now.unix_ms();
    let this_hour = now - (now + offset).rem_euclid(HOUR_MS);
    let start = this_hour - (COHORT_HOURS - 1) * HOUR_MS;
    let donors: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT (paid_at - $2) / $3 AS slot, COUNT(*) FROM donations \
         WHERE campaign_id = $1 AND status = 'paid' AND paid_at >= $2 GROUP BY 1",
    )
    .bind(campaign.get())
    .bind(start)
    .bind(HOUR_MS)
    .fetch_all(db.pool())
    .await
    .context("counting donors by the hour")?;
    let brought: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT (s.paid_at - $2) / $3 AS slot, COUNT(*) FROM donations d \
         JOIN donations s ON s.id = d.referred_by \
         WHERE d.campaign_id = $1 AND d.status = 'paid' AND d.paid_at >= $2 \
         AND s.paid_at >= $2 GROUP BY 1",
    )
    .bind(campaign.get())
    .bind(start)
    .bind(HOUR_MS)
    .fetch_all(db.pool())
    .await
    .context("counting what each hour's donors brought")?;
    let mut hours: Vec<Cohort> = (0..COHORT_HOURS)
        .map(|h| Cohort {
            start: Timestamp::from_unix_ms(start + h * HOUR_MS),
            donors: 0,
            brought: 0,
        })
        .collect();
    for (slot, count) in donors {
        if let Some(hour) = usize::try_from(slot).ok().and_then(|s| hours.get_mut(s)) {
            hour.donors = u64::try_from(count)?;
        }
    }
    for (slot, count) in brought {
        if let Some(hour) = usize::try_from(slot).ok().and_then(|s| hours.get_mut(s)) {
            hour.brought = u64::try_from(count)?;
        }
    }
    Ok(hours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shares_children_carry_its_lineage_and_code() {
        let root = ShareCode::parse("k3xa9qpm7n2z").expect("a code");
        let child = ShareCode::parse("p4tq8rwe2m6y").expect("a code");
        let first = children_lineage(None, &root);
        assert_eq!(first, "k3xa9qpm7n2z/");
        let second = children_lineage(Some(&first), &child);
        assert_eq!(second, "k3xa9qpm7n2z/p4tq8rwe2m6y/");
        assert_eq!(i64::try_from(second.len()).ok(), Some(2 * SEGMENT));
    }
}
