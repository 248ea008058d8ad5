//! The `reconcile` check: totals beside the ledger's sums.

use crate::db::Db;
use anyhow::Context;

/// One campaign's totals beside what its ledger and donations say they should be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    pub campaign_slug: String,
    pub raised_total: i64,
    pub raised_ledger: i64,
    pub donors_total: i64,
    pub donors_counted: i64,
    /// Artworks whose running total differs from their ledger sum.
    pub artworks_drifted: i64,
    pub matched_total: i64,
    pub matched_ledger: i64,
    /// Matches whose running sum differs from their entries' sum.
    pub matches_drifted: i64,
}

impl Reconciliation {
    pub fn balanced(&self) -> bool {
        self.raised_total == self.raised_ledger
            && self.donors_total == self.donors_counted
            && self.artworks_drifted == 0
            && self.matched_total == self.matched_ledger
            && self.matches_drifted == 0
    }
}

/// Compares every campaign's totals with the ledger's sums.
pub async fn reconcile(db: &Db) -> anyhow::Result<Vec<Reconciliation>> {
    #[allow(clippy::type_complexity)]
    let rows: Vec<(String, i64, i64, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT c.slug, t.raised_minor, \
         COALESCE((SELECT CAST(SUM(l.amount_minor) AS BIGINT) FROM ledger_entries l \
                   WHERE l.campaign_id = c.id), 0) AS ledger, \
         t.donors, \
         (SELECT COUNT(*) FROM donations d WHERE d.campaign_id = c.id AND d.status = 'paid') \
           AS counted, \
         (SELECT COUNT(*) FROM artwork_totals a WHERE a.campaign_id = c.id AND a.raised_minor <> \
           COALESCE((SELECT CAST(SUM(l.amount_minor) AS BIGINT) FROM ledger_entries l \
                     WHERE l.artwork_id = a.artwork_id), 0)) AS drifted, \
         t.matched_minor, \
         COALESCE((SELECT CAST(SUM(e.amount_minor) AS BIGINT) FROM match_entries e \
                   WHERE e.campaign_id = c.id), 0) AS matched_ledger, \
         (SELECT COUNT(*) FROM matches m WHERE m.campaign_id = c.id AND m.matched_minor <> \
           COALESCE((SELECT CAST(SUM(e.amount_minor) AS BIGINT) FROM match_entries e \
                     WHERE e.match_id = m.id), 0)) AS matches_drifted \
         FROM campaigns c JOIN campaign_totals t ON t.campaign_id = c.id ORDER BY c.id",
    )
    .fetch_all(db.pool())
    .await
    .context("reconciling totals with the ledger")?;
    Ok(rows
        .into_iter()
        .map(
            |(
                campaign_slug,
                raised_total,
                raised_ledger,
                donors_total,
                donors_counted,
                drifted,
                matched_total,
                matched_ledger,
                matches_drifted,
            )| {
                Reconciliation {
                    campaign_slug,
                    raised_total,
                    raised_ledger,
                    donors_total,
                    donors_counted,
                    artworks_drifted: drifted,
                    matched_total,
                    matched_ledger,
                    matches_drifted,
                }
            },
        )
        .collect())
}
