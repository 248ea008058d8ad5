//! Slowing down password guessing: failed sign-ins are counted per account and per client
//! address over a window, in the database, so every instance sees the same counts.
//!
//! A limited attempt is refused before its password is checked. The answer is the same whether
//! or not the account exists, so the limit does not reveal which emails have accounts.

use crate::db::{now_ms, Db};
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

    /// Whether this attempt may go on to check its password.
    pub async fn allowed(&self, db: &Db) -> anyhow::Result<bool> {
        let since = now_ms() - window_ms();
        let (account, address): (i64, i64) = sqlx::query_as(
            "SELECT \
             COUNT(CASE WHEN scope = 'account' AND key = $1 THEN 1 END), \
             COUNT(CASE WHEN scope = 'address' AND key = $2 THEN 1 END) \
             FROM staff_sign_in_failures \
             WHERE at > $3 AND ((scope = 'account' AND key = $1) OR (scope = 'address' AND key = $2))",
        )
        .bind(&self.account)
        .bind(&self.address)
        .bind(since)
        .fetch_one(db.pool())
        .await
        .context("counting failed sign-ins")?;
        Ok(account < PER_ACCOUNT && address < PER_ADDRESS)
    }

    /// Counts a failure under both keys, and forgets failures older than the window.
    pub async fn failed(&self, db: &Db) -> anyhow::Result<()> {
        let now = now_ms();
        let mut tx = db.begin_write().await?;
        sqlx::query("DELETE FROM staff_sign_in_failures WHERE at <= $1")
            .bind(now - window_ms())
            .execute(&mut *tx.tx)
            .await
            .context("forgetting old failed sign-ins")?;
        sqlx::query(
            "INSERT INTO staff_sign_in_failures (scope, key, at) \
             VALUES ('account', $1, $3), ('address', $2, $3)",
        )
        .bind(&self.account)
        .bind(&self.address)
        .bind(now)
        .execute(&mut *tx.tx)
        .await
        .context("counting a failed sign-in")?;
        tx.commit().await
    }

    /// A successful sign-in clears its account's failures (not its address's: one person
    /// signing in does not vouch for the others guessing from the same place).
    pub async fn succeeded(&self, db: &Db) -> anyhow::Result<()> {
        let mut tx = db.begin_write().await?;
        sqlx::query("DELETE FROM staff_sign_in_failures WHERE scope = 'account' AND key = $1")
            .bind(&self.account)
            .execute(&mut *tx.tx)
            .await
            .context("clearing failed sign-ins")?;
        tx.commit().await
    }
}

fn window_ms() -> i64 {
    i64::try_from(WINDOW.as_millis()).unwrap_or(i64::MAX)
}

fn digest(scope: &str, value: &str) -> String {
    hex::encode(Sha256::digest(format!("{scope}:{value}")))
}
