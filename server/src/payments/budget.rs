//! The payment provider's rate budget: a token bucket kept below the account's limit (Stripe
//! allows about 100 API operations a second per live account, shared by every call), so the
//! provider never refuses us for going too fast.
//!
//! Every call to the provider takes a token, waiting for one if it must. A new checkout only
//! *tries*, and leaves a reserve for refunds and reads: when none is left it goes through a
//! Payment Link instead (surge mode), which costs no call at all. On PostgreSQL the bucket is a
//! row every instance updates atomically, so two instances share one budget; on SQLite the one
//! instance keeps it in memory.

use app::db::{Backend, Db};
use app::donations::provider::ProviderStats;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The share of the account's limit this product spends: the rest is headroom for calls made
/// outside it (the provider's dashboard, other integrations) and clocks that disagree.
const SHARE: f64 = 0.8;
/// The share of the bucket a checkout leaves for the calls that must not wait long.
const RESERVE: f64 = 0.1;
/// How long a call waits for a token before going ahead anyway (and being retried on a 429).
const MOST_WAIT: Duration = Duration::from_secs(10);

/// The budget, shared by every request of this process.
#[derive(Clone, Debug)]
pub struct ProviderBudget {
    rate: f64,
    shared: Option<Db>,
    local: Arc<Mutex<(f64, Instant)>>,
    /// Calls made, and checkouts sent to links: for the dashboard and `/metrics`.
    stats: ProviderStats,
}

impl ProviderBudget {
    /// A budget for an account allowing `limit` operations a second; shared through `db` when
    /// it is PostgreSQL.
    pub fn new(limit: u32, db: &Db, stats: ProviderStats) -> ProviderBudget {
        let rate = (f64::from(limit) * SHARE).max(1.0);
        stats.set_budget(rate as u64);
        ProviderBudget {
            rate,
            shared: (db.backend() == Backend::Postgres).then(|| db.clone()),
            local: Arc::new(Mutex::new((rate, Instant::now()))),
            stats,
        }
    }

    /// What the budget has done.
    pub fn stats(&self) -> &ProviderStats {
        &self.stats
    }

    /// Operations a second this product allows itself.
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// The pause after each background call (making Payment Links) that keeps such calls to
    /// half the budget, so checkouts keep the other half while links are made.
    pub fn background_pace(&self) -> Duration {
        Duration::from_secs_f64(2.0 / self.rate)
    }

    /// Takes a token for a checkout if more than the reserve is left; false means surge mode.
    pub async fn try_checkout(&self) -> bool {
        self.take_above(self.rate * RESERVE).await
    }

    /// Takes a token for any other call, waiting for one (at most [`MOST_WAIT`]).
    pub async fn take(&self) {
        let started = Instant::now();
        while !self.take_above(0.0).await {
            if started.elapsed() >= MOST_WAIT {
                self.stats.call();
                return;
            }
            tokio::time::sleep(Duration::from_secs_f64(1.0 / self.rate)).await;
        }
    }

    async fn take_above(&self, reserve: f64) -> bool {
        let taken = match &self.shared {
            Some(db) => match take_shared(db, self.rate, reserve).await {
                Ok(taken) => taken,
                Err(error) => {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        "the shared rate budget could not be read"
                    );
                    false
                }
            },
            None => {
                let mut bucket = self
                    .local
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let now = Instant::now();
                let tokens = (bucket.0 + now.duration_since(bucket.1).as_secs_f64() * self.rate)
                    .min(self.rate);
                *bucket = (tokens, now);
                if tokens >= 1.0 + reserve {
                    bucket.0 -= 1.0;
                    true
                } else {
                    false
                }
            }
        };
        if taken {
            self.stats.call();
        }
        taken
    }
}

/// One atomic statement: refill the shared bucket by the time since it was last touched (by
/// the database's clock, which every instance shares), and take a token if enough are left.
async fn take_shared(db: &Db, rate: f64, reserve: f64) -> anyhow::Result<bool> {
    const NOW: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    let refilled = format!("LEAST($1, tokens + GREATEST(0, {NOW} - updated_ms) * $1 / 1000.0)");
    let taken = sqlx::query(&format!(
        "UPDATE provider_budget SET tokens = {refilled} - 1, \
         updated_ms = GREATEST(updated_ms, {NOW}) \
         WHERE name = 'stripe' AND {refilled} >= 1 + $2"
    ))
    .bind(rate)
    .bind(reserve)
    .execute(db.pool())
    .await?
    .rows_affected();
    if taken == 1 {
        return Ok(true);
    }
    // The first call anywhere makes the row, full.
    let made = sqlx::query(&format!(
        "INSERT INTO provider_budget (name, tokens, updated_ms) VALUES ('stripe', $1 - 1, {NOW}) \
         ON CONFLICT (name) DO NOTHING"
    ))
    .bind(rate)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(made == 1)
}
