//! Spending plans in the database: publishing a version, reading the latest and every one.

use super::{Plan, PlanLine};
use crate::dates::Timestamp;
use crate::db::{now_ms, Db};
use crate::ids::{CampaignId, StaffId};
use anyhow::Context;
use sqlx::{Any, FromRow, Transaction};

#[derive(Clone, FromRow)]
struct LineRow {
    plan_id: i64,
    line: String,
    name_en: String,
    name_zh: String,
    buys_en: String,
    buys_zh: String,
    planned_minor: i64,
}

impl From<LineRow> for PlanLine {
    fn from(r: LineRow) -> PlanLine {
        PlanLine {
            line: r.line,
            name_en: r.name_en,
            name_zh: r.name_zh,
            buys_en: r.buys_en,
            buys_zh: r.buys_zh,
            planned_minor: r.planned_minor,
        }
    }
}

/// Publishes `lines` as the campaign's next plan version, in `tx`; returns the version.
pub async fn publish(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    lines: &[PlanLine],
    by: Option<StaffId>,
) -> anyhow::Result<u32> {
    let (last,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM spending_plans WHERE campaign_id = $1")
            .bind(campaign.get())
            .fetch_one(&mut **tx)
            .await
            .context("reading the plan's last version")?;
    let version = last.unwrap_or(0) + 1;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO spending_plans (campaign_id, version, published_by, published_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(campaign.get())
    .bind(version)
    .bind(by.map(StaffId::get))
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await
    .context("publishing a plan")?;
    for (position, l) in (1_i64..).zip(lines) {
        sqlx::query(
            "INSERT INTO spending_lines (plan_id, position, line, name_en, name_zh, buys_en, \
             buys_zh, planned_minor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(position)
        .bind(&l.line)
        .bind(&l.name_en)
        .bind(&l.name_zh)
        .bind(&l.buys_en)
        .bind(&l.buys_zh)
        .bind(l.planned_minor)
        .execute(&mut **tx)
        .await
        .context("publishing a plan's line")?;
    }
    Ok(u32::try_from(version)?)
}

/// Every published version of the campaign's plan, oldest first.
pub async fn versions(db: &Db, campaign: CampaignId) -> anyhow::Result<Vec<Plan>> {
    let plans: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, version, published_at FROM spending_plans WHERE campaign_id = $1 \
         ORDER BY version",
    )
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("reading the plan's versions")?;
    let lines: Vec<LineRow> = sqlx::query_as(
        "SELECT l.plan_id, l.line, l.name_en, l.name_zh, l.buys_en, l.buys_zh, l.planned_minor \
         FROM spending_lines l JOIN spending_plans p ON p.id = l.plan_id \
         WHERE p.campaign_id = $1 ORDER BY l.plan_id, l.position",
    )
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("reading the plan's lines")?;
    plans
        .into_iter()
        .map(|(id, version, published_at)| {
            Ok(Plan {
                version: u32::try_from(version)?,
                published_at: Timestamp::from_unix_ms(published_at),
                lines: lines
                    .iter()
                    .filter(|l| l.plan_id == id)
                    .cloned()
                    .map(PlanLine::from)
                    .collect(),
            })
        })
        .collect()
}

/// Whether the campaign has published a plan: without one it takes no gift.
pub async fn has_plan(db: &Db, campaign: CampaignId) -> anyhow::Result<bool> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM spending_plans WHERE campaign_id = $1 LIMIT 1")
            .bind(campaign.get())
            .fetch_optional(db.pool())
            .await
            .context("looking for a spending plan")?;
    Ok(found.is_some())
}

/// A plan version waiting for its log entry.
pub struct PendingPlan {
    pub id: i64,
    pub version: u32,
    pub published_at: i64,
    pub lines: Vec<PlanLine>,
}

/// Up to `limit` of the campaign's plan versions waiting for the log, in the order published.
pub async fn pending(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    limit: i64,
) -> anyhow::Result<Vec<(i64, PendingPlan)>> {
    let plans: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT p.seq, s.id, s.version, s.published_at FROM log_pending_records p \
         JOIN spending_plans s ON s.id = p.record_id \
         WHERE p.campaign_id = $1 AND p.record_kind = 'plan' ORDER BY p.seq LIMIT $2",
    )
    .bind(campaign)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
    .context("reading the plans to log")?;
    let mut pending = Vec::with_capacity(plans.len());
    for (seq, id, version, published_at) in plans {
        let lines: Vec<LineRow> = sqlx::query_as(
            "SELECT plan_id, line, name_en, name_zh, buys_en, buys_zh, planned_minor \
             FROM spending_lines WHERE plan_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await
        .context("reading a plan's lines to log")?;
        pending.push((
            seq,
            PendingPlan {
                id,
                version: u32::try_from(version)?,
                published_at,
                lines: lines.into_iter().map(PlanLine::from).collect(),
            },
        ));
    }
    Ok(pending)
}
