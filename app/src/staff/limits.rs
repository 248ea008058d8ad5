//! Slowing down password guessing: failed sign-ins are counted per account and per client
//! address over a window, in the database, so every instance sees the same counts.
//!
//! A limited attempt is refused before its password is checked. The answer is the same whether
//! or not the account exists, so the limit does not reveal which emails have accounts.

use crate::db::{now_ms, Db};
use crate::ids::random_hex;
use anyhow::Context;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::time::Duration;

/// How far back failures count.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures allowed for one account within the window.
pub const PER_ACCOUNT: i64 = 5;
/// Failures allowed from one address within the window (an office may share one).
pub const PER_ADDRESS: i64 = 20;

/// The client a request came from, as the server was told it: the peer address, or the
/// forwarding proxy's word when the operator says one is in front.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// The two keys an attempt is counted under.
pub struct Attempt {
    account: String,
    address: String,
}

impl Attempt {
    /// An attempt to sign in as `email`, as typed (valid or not).
    pub fn new(email: &str, address: Option<ClientAddress>) -> Attempt {
        let address = address.map_or_else(|| "unknown".to_owned(), |a| a.0.to_string());
        Attempt {
            account: digest("account", &email.trim().to_lowercase()),
            address: digest("address", &address),
        }
    }

    /// Takes a turn to check a password, or `None` when a limit is reached. The turn is written
    /// down as a failure before any password is checked, then counted with every turn committed
    /// before it; so however many attempts arrive at once, from however many instances, at most
    /// the limit's number get a turn: the n-th to commit counts at least n.
    pub async fn reserve(&self, db: &Db) -> anyhow::Result<Option<Turn>> {
        let now = now_ms();
        let turn = Turn(random_hex::<16>()?);
        let mut tx = db.begin_write().await?;
        sqlx::query("DELETE FROM staff_sign_in_failures WHERE at <= $1")
            .bind(now - window_ms())
            .execute(&mut *tx.tx)
            .await
            .context("forgetting old failed sign-ins")?;
        sqlx::query(
            "INSERT INTO staff_sign_in_failures (scope, key, at, attempt) \
             VALUES ('account', $1, $3, $4), ('address', $2, $3, $4)",
        )
        .bind(&self.account)
        .bind(&self.address)
        .bind(now)
        .bind(&turn.0)
        .execute(&mut *tx.tx)
        .await
        .context("reserving a sign-in turn")?;
        tx.commit().await?;

        let (account, address): (i64, i64) = sqlx::query_as(
            "SELECT \
             COUNT(CASE WHEN scope = 'account' AND key = $1 THEN 1 END), \
             COUNT(CASE WHEN scope = 'address' AND key = $2 THEN 1 END) \
             FROM staff_sign_in_failures \
             WHERE at > $3 AND ((scope = 'account' AND key = $1) OR (scope = 'address' AND key = $2))",
        )
        .bind(&self.account)
        .bind(&self.address)
        .bind(now - window_ms())
        .fetch_one(db.pool())
        .await
        .context("counting failed sign-ins")?;
        if account <= PER_ACCOUNT && address <= PER_ADDRESS {
            return Ok(Some(turn));
        }
        // A refused attempt checked nothing, so it does not lengthen the lockout.
        turn.release(db).await?;
        Ok(None)
    }

    /// A successful sign-in takes back its turn and clears its account's failures (not its
    /// address's: one person signing in does not vouch for the others guessing from the same
    /// place). A failed attempt just leaves its turn counted as a failure.
    pub async fn succeeded(&self, db: &Db, turn: Turn) -> anyhow::Result<()> {
        let mut tx = db.begin_write().await?;
        sqlx::query(
            "DELETE FROM staff_sign_in_failures \
             WHERE (scope = 'account' AND key = $1) OR attempt = $2",
        )
        .bind(&self.account)
        .bind(&turn.0)
        .execute(&mut *tx.tx)
        .await
        .context("clearing failed sign-ins")?;
        tx.commit().await
    }
}

/// One attempt's turn, written down as a failure until its password proves right.
#[must_use]
pub struct Turn(String);

impl Turn {
    async fn release(self, db: &Db) -> anyhow::Result<()> {
        let mut tx = db.begin_write().await?;
        sqlx::query("DELETE FROM staff_sign_in_failures WHERE attempt = $1")
            .bind(&self.0)
            .execute(&mut *tx.tx)
            .await
            .context("releasing a sign-in turn")?;
        tx.commit().await
    }
}

fn window_ms() -> i64 {
    i64::try_from(WINDOW.as_millis()).unwrap_or(i64::MAX)
}

fn digest(scope: &str, value: &str) -> String {
    hex::encode(Sha256::digest(format!("{scope}:{value}")))
}
