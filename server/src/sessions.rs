//! Staff sessions: tower-sessions with its sqlx store, on the campaign database itself.
//!
//! The store needs sqlx's engine-specific pools, so it keeps a small pool of its own beside the
//! site's `Any` pool, connected to the same database: SQLite's file (WAL lets both in) or the
//! same PostgreSQL database, where every instance sees every session.

use anyhow::Context;
use app::db::Backend;
use app::site::PublicUrl;
use app::staff::session::{COOKIE, IDLE};
use async_trait::async_trait;
use std::str::FromStr;
use std::time::Duration;
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::sqlx::postgres::PgPoolOptions;
use tower_sessions_sqlx_store::sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// How often sessions that expired are deleted.
const SWEEP: Duration = Duration::from_secs(15 * 60);

/// The session store on whichever engine the site runs on.
#[derive(Clone, Debug)]
pub enum Sessions {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Sessions {
    /// Connects to the site's database and creates the sessions table if it is missing.
    pub async fn open(database_url: &str) -> anyhow::Result<Sessions> {
        let store = match Backend::of_url(database_url)? {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(database_url)
                    .context("reading the SQLite URL for sessions")?
                    .create_if_missing(true)
                    .busy_timeout(Duration::from_secs(5));
                let pool = SqlitePoolOptions::new()
                    .max_connections(2)
                    .connect_with(options)
                    .await
                    .context("opening the session store")?;
                let store = SqliteStore::new(pool);
                store
                    .migrate()
                    .await
                    .context("creating the sessions table")?;
                Sessions::Sqlite(store)
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(4)
                    .connect(database_url)
                    .await
                    .context("opening the session store")?;
                let store = PostgresStore::new(pool);
                store
                    .migrate()
                    .await
                    .context("creating the sessions table")?;
                Sessions::Postgres(store)
            }
        };
        Ok(store)
    }

    /// The layer that gives every request its session: the cookie is HttpOnly, SameSite=Lax,
    /// Secure when the site is served over https, and expires after [`IDLE`] without use.
    pub fn layer(self, site: &PublicUrl) -> SessionManagerLayer<Sessions> {
        SessionManagerLayer::new(self)
            .with_name(COOKIE)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(site.as_str().starts_with("https://"))
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(IDLE))
    }

    /// Deletes expired sessions now and then, for as long as the process runs.
    pub fn sweep_expired(&self) {
        let store = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(SWEEP).await;
                if let Err(error) = store.delete_expired().await {
                    tracing::warn!(%error, "deleting expired sessions failed");
                }
            }
        });
    }
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.create(record).await,
            Sessions::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.save(record).await,
            Sessions::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Sessions::Sqlite(s) => s.load(id).await,
            Sessions::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete(id).await,
            Sessions::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete_expired().await,
            Sessions::Postgres(s) => s.delete_expired().await,
        }
    }
}
