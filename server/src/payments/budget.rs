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

/// The share of the account's limit this product spends each second, and the burst it may
/// spend at once on top: together 85% of the limit in any one second, so the provider never
/// answers 429, even when calls taken in two seconds reach it bunched by a busy network.
const SHARE: f64 = 0.7;
const BURST: f64 = 0.15;
/// The share of the burst a checkout leaves for the calls that must not wait long (refunds,
/// catching up on events).
const RESERVE: f64 = 0.25;
/// How long a call waits for a token before going ahead anyway (and being retried on a 429).
const MOST_WAIT: Duration = Duration::from_secs(10);

/// The budget, shared by every request of this process.
#[derive(Clone, Debug)]
pub struct ProviderBudget {
    rate: f64,
    burst: f64,
    shared: Option<Db>,
    local: Arc<Mutex<(f64, Instant)>>,
    /// Until when the shared bucket holds too few tokens for a checkout.
    short: Arc<Mutex<Instant>>,
    /// Calls made, and checkouts sent to links: for the dashboard and `/metrics`.
    stats: ProviderStats,
}

impl ProviderBudget {
    /// A budget for an account allowing `limit` operations a second; shared through `db` when
    /// it is PostgreSQL.
    pub fn new(limit: u32, db: &Db, stats: ProviderStats) -> ProviderBudget {
        let rate = (f64::from(limit) * SHARE).max(1.0);
        let burst = (f64::from(limit) * BURST).max(1.0);
        stats.set_budget(rate as u64);
        ProviderBudget {
            rate,
            burst,
            shared: (db.backend() == Backend::Postgres).then(|| db.clone()),
            local: Arc::new(Mutex::new((burst, Instant::now()))),
            short: Arc::new(Mutex::new(Instant::now())),
            stats,
        }
    }

    /// What the budget has done.
    pub fn stats(&self) -> &ProviderStats {
        &self.stats
    }

    /// The pause after each background call (making Payment Links) that keeps such calls to
    /// half the budget, so checkouts keep the other half while links are made.
    pub fn background_pace(&self) -> Duration {
        Duration::from_secs_f64(2.0 / self.rate)
    }

    /// Takes a token for a checkout if more than the reserve is left; false means surge mode.
    pub async fn try_checkout(&self) -> bool {
        self.take_above(self.burst * RESERVE).await
    }

    /// Takes a token for a background call that can wait for a quieter moment (reading fees)
    /// under the same rule as a checkout; false means the budget is short.
    pub async fn try_background(&self) -> bool {
        self.take_above(self.burst * RESERVE).await
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

    fn short_until(&self) -> Instant {
        *self
            .short
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn take_above(&self, reserve: f64) -> bool {
        let taken = match &self.shared {
            // While the shared bucket is known to be short, checkouts do not ask the database.
            Some(_) if reserve > 0.0 && self.short_until() > Instant::now() => false,
            Some(db) => match take_shared(db, self.rate, self.burst, reserve).await {
                Ok(tokens) if tokens >= 1.0 + reserve => true,
                Ok(tokens) => {
                    if reserve > 0.0 {
                        let refill = (1.0 + reserve - tokens).max(0.0) / self.rate;
                        *self
                            .short
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner) =
                            Instant::now() + Duration::from_secs_f64(refill);
                    }
                    false
                }
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
                    .min(self.burst);
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
/// the database's clock, which every instance shares), and take a token if more than `reserve`
/// would be left. Answers the tokens there were before taking.
async fn take_shared(db: &Db, rate: f64, burst: f64, reserve: f64) -> anyhow::Result<f64> {
    const NOW: &str = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
    let found: Option<(f64,)> = sqlx::query_as(&format!(
        "WITH b AS (SELECT LEAST($3, tokens + GREATEST(0, {NOW} - updated_ms) * $1 / 1000.0) \
         AS r FROM provider_budget WHERE name = 'stripe' FOR UPDATE) \
         UPDATE provider_budget SET tokens = CASE WHEN b.r >= 1 + $2 THEN b.r - 1 ELSE b.r END, \
         updated_ms = GREATEST(updated_ms, {NOW}) FROM b WHERE name = 'stripe' \
         RETURNING CAST(b.r AS DOUBLE PRECISION)"
    ))
    .bind(rate)
    .bind(reserve)
    .bind(burst)
    .fetch_optional(db.pool())
    .await?;
    if let Some((tokens,)) = found {
        return Ok(tokens);
    }
    // The first call anywhere makes the row, full.
    sqlx::query(&format!(
        "INSERT INTO provider_budget (name, tokens, updated_ms) VALUES ('stripe', $1, {NOW}) \
         ON CONFLICT (name) DO NOTHING"
    ))
    .bind(burst)
    .execute(db.pool())
    .await?;
    Ok(0.0)
}
