//! Staff accounts: who may sign in, their role, and their Argon2id password hash.

use super::Role;
use crate::db::{now_ms, Db};
use crate::ids::StaffId;
use anyhow::Context;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sqlx::FromRow;
use std::fmt;
use std::sync::OnceLock;

/// A staff member's sign-in address: trimmed and lower-cased, so one person has one account.
#[derive(Clone, PartialEq, Eq)]
pub struct StaffEmail(String);

impl StaffEmail {
    pub fn parse(text: &str) -> Option<StaffEmail> {
        let email = text.trim().to_lowercase();
        let (user, domain) = email.split_once('@')?;
        let plain =
            |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        (email.len() <= 254 && plain(user) && plain(domain) && !domain.contains('@'))
            .then_some(StaffEmail(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never printed in logs.
impl fmt::Debug for StaffEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaffEmail([redacted])")
    }
}

/// A password as typed. Hashing cost grows with its length, so sign-in refuses anything longer
/// than a person would type before it reaches the hasher.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// The longest password accepted, in bytes.
    pub const MAX: usize = 1024;
    /// The shortest password a new account may have.
    pub const MIN_NEW: usize = 12;

    pub fn parse(text: String) -> Option<Password> {
        (!text.is_empty() && text.len() <= Self::MAX).then_some(Password(text))
    }

    /// A password for a new account: at least [`Self::MIN_NEW`] characters.
    pub fn parse_new(text: String) -> Result<Password, String> {
        let text = text.trim_end_matches(['\r', '\n']).to_owned();
        if text.chars().count() < Self::MIN_NEW {
            return Err(format!(
                "the password must have at least {} characters",
                Self::MIN_NEW
            ));
        }
        Password::parse(text)
            .ok_or_else(|| format!("the password must be at most {} bytes", Self::MAX))
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// A signed-in staff member as the server knows them.
#[derive(Clone, Debug)]
pub struct StaffAccount {
    pub id: StaffId,
    pub email: StaffEmail,
    pub name: String,
    pub role: Role,
}

#[derive(FromRow)]
struct AccountRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    password_hash: String,
}

impl AccountRow {
    fn into_account(self) -> anyhow::Result<(StaffAccount, String)> {
        let role =
            Role::parse(&self.role).with_context(|| format!("unknown role {}", self.role))?;
        let email = StaffEmail::parse(&self.email).context("a stored staff email is malformed")?;
        let account = StaffAccount {
            id: StaffId::new(self.id),
            email,
            name: self.name,
            role,
        };
        Ok((account, self.password_hash))
    }
}

const SELECT_ACCOUNT: &str = "SELECT id, email, name, role, password_hash FROM staff_accounts";

/// Why an account was not created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("an account with this email already exists")]
    Exists,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Creates an account; the password is hashed off the async runtime.
pub async fn create(
    db: &Db,
    email: &StaffEmail,
    name: &str,
    role: Role,
    password: Password,
) -> Result<StaffId, CreateError> {
    let hash = hash(password).await?;
    let mut tx = db.begin_write().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(&mut *tx.tx)
        .await
        .context("looking for an existing staff account")?;
    if taken.is_some() {
        return Err(CreateError::Exists);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO staff_accounts (email, name, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(email.as_str())
    .bind(name.trim())
    .bind(role.as_str())
    .bind(hash)
    .bind(now_ms())
    .fetch_one(&mut *tx.tx)
    .await
    .context("creating a staff account")?;
    tx.commit().await?;
    Ok(StaffId::new(id))
}

/// The account these credentials open, or `None`. An unknown email costs the same hashing time
/// as a wrong password, so timing does not tell which accounts exist.
pub async fn verify(
    db: &Db,
    email: &StaffEmail,
    password: Password,
) -> anyhow::Result<Option<StaffAccount>> {
    let row: Option<AccountRow> = sqlx::query_as(&format!("{SELECT_ACCOUNT} WHERE email = $1"))
        .bind(email.as_str())
        .fetch_optional(db.pool())
        .await
        .context("reading a staff account")?;
    let found = row.map(AccountRow::into_account).transpose()?;
    let stored = found.as_ref().map(|(_, hash)| hash.clone());
    let _turn = hashing_turn().await?;
    let matches = tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| unknown_account_hash().to_owned());
        PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.0.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .context("verifying a password")?;
    Ok(found.filter(|_| matches).map(|(account, _)| account))
}

/// The id of the account signing in with `email`, if there is one.
pub async fn id_of(db: &Db, email: &StaffEmail) -> anyhow::Result<Option<StaffId>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(db.pool())
        .await
        .context("finding a staff account")?;
    Ok(id.map(StaffId::new))
}

/// The account with this id, if it still exists (a session outlives nothing it refers to).
pub async fn find(db: &Db, id: StaffId) -> anyhow::Result<Option<StaffAccount>> {
    let row: Option<AccountRow> = sqlx::query_as(&format!("{SELECT_ACCOUNT} WHERE id = $1"))
        .bind(id.get())
        .fetch_optional(db.pool())
        .await
        .context("reading a staff account")?;
    Ok(row
        .map(AccountRow::into_account)
        .transpose()?
        .map(|(account, _)| account))
}

async fn hash(password: Password) -> anyhow::Result<String> {
    let salt = salt()?;
    let _turn = hashing_turn().await?;
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .context("hashing a password")?
}

/// How many passwords are hashed at once in this process. Each Argon2id hash holds about
/// 19 MiB while it runs, so this caps what a burst of sign-ins can make the server hold;
/// attempts beyond it wait their turn, holding next to nothing.
const HASHING_AT_ONCE: usize = 2;

async fn hashing_turn() -> anyhow::Result<tokio::sync::SemaphorePermit<'static>> {
    static TURNS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHING_AT_ONCE);
    TURNS.acquire().await.context("waiting to hash a password")
}

fn salt() -> anyhow::Result<SaltString> {
    let mut bytes = [0_u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("the system random source failed: {e}"))?;
    SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("encoding a salt: {e}"))
}

/// A hash no password is known to match, verified against when the email has no account.
fn unknown_account_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let mut secret = [0_u8; 32];
        let _ = getrandom::fill(&mut secret);
        salt()
            .ok()
            .and_then(|salt| {
                Argon2::default()
                    .hash_password(&secret, &salt)
                    .ok()
                    .map(|h| h.to_string())
            })
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_emails_are_one_per_person_however_typed() {
        assert_eq!(
            StaffEmail::parse("  Ada@Example.ORG ").map(|e| e.as_str().to_owned()),
            Some("ada@example.org".to_owned())
        );
        for bad in [
            "",
            "ada",
            "@example.org",
            "ada@",
            "a da@x.org",
            "a@b@c",
            "a\u{0}@x.org",
        ] {
            assert!(StaffEmail::parse(bad).is_none(), "{bad:?}");
        }
        assert_eq!(
            format!("{:?}", StaffEmail::parse("a@b.c")),
            "Some(StaffEmail([redacted]))"
        );
    }

    #[test]
    fn passwords_have_bounds_and_never_print() {
        assert!(Password::parse(String::new()).is_none());
        assert!(Password::parse("x".repeat(Password::MAX + 1)).is_none());
        assert!(Password::parse_new("short".into()).is_err());
        assert!(Password::parse_new("a long enough passphrase\n".into()).is_ok());
        let p = Password::parse("hunter2".into()).expect("valid");
        assert!(!format!("{p:?}").contains("hunter2"));
    }
}
