//! Starts the real server on port 0 against a fresh database, for tests that talk HTTP to it.
//!
//! SQLite tests get a new file in a temporary folder. PostgreSQL tests get a new database on the
//! server named by `TEST_POSTGRES_URL`, which the README's test command starts.

#![allow(dead_code)]

use app::db::Db;
use giving_gallery::config::Settings;
use giving_gallery::Application;
use sqlx::Connection;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};

/// The engines every storage test runs on.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and what a test needs to reach it.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: Db,
    pub state: app::state::AppState,
    pub public_url: String,
    _dir: tempfile::TempDir,
}

/// The public base URL test servers put into absolute links.
pub const PUBLIC_URL: &str = "https://give.example.org";

/// Paintings in tests are small: the painter is the same, the pixels are fewer.
pub const TEST_PAINTING_WIDTH: u32 = 160;

impl TestApp {
    /// A full URL for a path on the test server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// GETs a path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the test server answers")
    }

    /// GETs a path and returns its status and body.
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("a text body"))
    }

    /// Seeds the demo campaign with small paintings.
    pub async fn seed_demo(&self) {
        app::demo::seed(&self.state.db, &self.state.media, TEST_PAINTING_WIDTH)
            .await
            .expect("seeding the demo campaign");
    }
}

/// Starts a server on a fresh database of the given engine.
pub async fn spawn(backend: Backend) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database_url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("test.db").display()),
        Backend::Postgres => fresh_postgres_database().await,
    };
    let media = dir.path().join("media").display().to_string();
    let settings = Settings::from_lookup(|key| match key {
        "DATABASE_URL" => Some(database_url.clone()),
        "MEDIA_DIR" => Some(media.clone()),
        "PUBLIC_BASE_URL" => Some(PUBLIC_URL.to_owned()),
        "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".to_owned()),
        _ => None,
    })
    .expect("test settings are valid");
    let app = Application::build(&settings)
        .await
        .expect("the server starts");
    let addr = app.local_addr().expect("a bound address");
    let state = app.state().clone();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        addr,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client"),
        db: state.db.clone(),
        state,
        public_url: PUBLIC_URL.to_owned(),
        _dir: dir,
    }
}

/// Creates an empty database on the test PostgreSQL server and returns its URL.
async fn fresh_postgres_database() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let admin = std::env::var("TEST_POSTGRES_URL").expect(
        "TEST_POSTGRES_URL is not set: run the tests with the README's test command, which starts PostgreSQL",
    );
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let name = format!(
        "gg_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    );
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connecting to the test PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("creating a test database");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    format!("{base}/{name}")
}

/// Runs an async test body once on SQLite and once on PostgreSQL, as `<name>::on_sqlite` and
/// `<name>::on_postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_sqlite() {
                    super::$name($crate::support::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn on_postgres() {
                    super::$name($crate::support::Backend::Postgres).await;
                }
            }
        )*
    };
}
