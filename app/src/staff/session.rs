//! The staff session: a typed wrapper around the request's tower-sessions session, which holds
//! only the account id. The account (and so its role) is read again on every request, so a role
//! change or a removed account takes effect at once.

use super::accounts::{self, StaffAccount};
use super::Role;
use crate::db::Db;
use crate::error::AppError;
use crate::ids::StaffId;
use anyhow::Context;
use tower_sessions::Session;

const ACCOUNT_KEY: &str = "staff_account";

/// The name of the session cookie.
pub const COOKIE: &str = "gg_staff";

/// A session ends after this long without a staff request: a working day.
pub const IDLE: tower_sessions::cookie::time::Duration =
    tower_sessions::cookie::time::Duration::hours(8);

/// A request's staff session, signed in or not.
#[derive(Clone, Debug)]
pub struct StaffSession(Session);

impl StaffSession {
    pub fn new(session: Session) -> StaffSession {
        StaffSession(session)
    }

    /// The session of the request a server function is answering.
    pub async fn current() -> Result<StaffSession, AppError> {
        leptos_axum::extract::<Session>()
            .await
            .map(StaffSession)
            .map_err(|_| {
                tracing::error!("the session layer is missing");
                AppError::Internal
            })
    }

    /// The signed-in account, if any.
    pub async fn account(&self, db: &Db) -> anyhow::Result<Option<StaffAccount>> {
        let id: Option<i64> = self
            .0
            .get(ACCOUNT_KEY)
            .await
            .context("reading the staff session")?;
        match id {
            Some(id) => accounts::find(db, StaffId::new(id)).await,
            None => Ok(None),
        }
    }

    /// Signs `account` in under a new session id, so an id planted before sign-in is worthless.
    pub async fn sign_in(&self, account: &StaffAccount) -> anyhow::Result<()> {
        self.0.cycle_id().await.context("renewing the session id")?;
        self.0
            .insert(ACCOUNT_KEY, account.id.get())
            .await
            .context("writing the staff session")
    }

    /// Restarts the inactivity clock: called on every staff request.
    pub fn touch(&self) {
        self.0
            .set_expiry(Some(tower_sessions::Expiry::OnInactivity(IDLE)));
    }

    /// Ends the session on the server: its id opens nothing afterwards.
    pub async fn sign_out(&self) -> anyhow::Result<()> {
        self.0.flush().await.context("ending the staff session")
    }
}

/// The signed-in account if its role allows what `needs` names; for server functions. The
/// server's gate has read it already for every staff request; a request it did not see reads
/// it from the session.
pub async fn require(needs: Role) -> Result<StaffAccount, AppError> {
    let checked = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<StaffAccount>().cloned());
    let account = match checked {
        Some(account) => account,
        None => {
            let state = crate::state::AppState::current()?;
            StaffSession::current()
                .await?
                .account(&state.db)
                .await?
                .ok_or(AppError::SignInRequired)?
        }
    };
    if account.role.allows(needs) {
        Ok(account)
    } else {
        Err(AppError::Forbidden)
    }
}
