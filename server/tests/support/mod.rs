//! Starts the real server on port 0 against a fresh database, for tests that talk HTTP to it.
//!
//! SQLite tests get a new file in a temporary folder. PostgreSQL tests get a new database on the
//! server named by `TEST_POSTGRES_URL`, which the README's test command starts.

#![allow(dead_code)]

pub mod events;
pub mod giving;
pub mod instances;
pub mod png;
pub mod smtp;
pub mod sse;
pub mod staff;

use app::db::Db;
use giving_gallery::config::Settings;
use giving_gallery::demo_stripe::Chaos;
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
    pub payments: giving_gallery::payments::Payments,
    pub public_url: String,
    pub database_url: String,
    pub webhook_secrets: String,
    /// The server's catch-up on missed payment events, to run on demand.
    pub catch_up: giving_gallery::payments::catch_up::CatchUp,
    pub fees: giving_gallery::payments::fees::FeeReader,
    _dir: tempfile::TempDir,
}

/// The webhook signing secret test servers are given.
pub const WEBHOOK_SECRET: &str = "whsec_test_secret_for_giving_gallery";
/// A second secret, accepted beside the first as during a rotation.
pub const ROTATED_SECRET: &str = "whsec_test_secret_being_rotated_in";

/// The public base URL test servers put into absolute links.
/// The seed of the public log's keys for every server a test starts (several instances of one
/// deployment share it, as in production).
pub const LOG_SIGNING_KEY: &str =
    "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed";
pub const PUBLIC_URL: &str = "https://give.example.org";
/// What the tests' clients say they are: a phone's browser, as the visitors they stand for.
pub const BROWSER: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

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

    /// GETs a path with request headers (a browser's language, a cookie) and returns its status
    /// and body.
    pub async fn get_text_with(&self, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the test server answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a text body"))
    }

    /// A URL the server gave out (under `PUBLIC_BASE_URL`), reached on the test server.
    pub fn local(&self, public: &str) -> String {
        self.url(public.strip_prefix(&self.public_url).unwrap_or(public))
    }

    /// POSTs JSON with optional extra headers.
    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).json(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("the test server answers")
    }

    /// POSTs a form.
    pub async fn post_form(&self, url: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(url)
            .form(fields)
            .send()
            .await
            .expect("the test server answers")
    }

    /// Delivers a webhook payload signed with `secret` at `timestamp` (now when None).
    pub async fn deliver(&self, payload: &str, secret: &str, timestamp: Option<i64>) -> u16 {
        let signature = stripe_webhook::Webhook::generate_test_header(payload, secret, timestamp);
        self.deliver_signed(payload, &signature).await
    }

    /// Delivers a webhook payload with the given `Stripe-Signature` header.
    pub async fn deliver_signed(&self, payload: &str, signature: &str) -> u16 {
        self.client
            .post(self.url("/webhooks/stripe"))
            .header("content-type", "application/json")
            .header("stripe-signature", signature)
            .body(payload.to_owned())
            .send()
            .await
            .expect("the test server answers")
            .status()
            .as_u16()
    }

    /// The campaign's progress as the JSON endpoint reports it.
    pub async fn progress(&self, slug: &str) -> serde_json::Value {
        self.get(&format!("/api/campaigns/{slug}/progress"))
            .await
            .json()
            .await
            .expect("progress JSON")
    }

    /// Seeds the demo campaign with small paintings.
    pub async fn seed_demo(&self) {
        app::demo::seed(&self.state.db, &self.state.media, TEST_PAINTING_WIDTH)
            .await
            .expect("seeding the demo campaign");
    }
}

/// The slug of the artist who made the demo artwork `artwork`.
pub async fn artist_of(app: &TestApp, artwork: &str) -> String {
    sqlx::query_scalar(
        "SELECT r.slug FROM artists r JOIN artworks a ON a.artist_id = r.id WHERE a.slug = $1",
    )
    .bind(artwork)
    .fetch_one(app.db.pool())
    .await
    .expect("the artwork's artist")
}

/// `artist`'s row of an account's royalties (null when it has none).
pub fn royalty_of(account: &serde_json::Value, artist: &str) -> serde_json::Value {
    account["royalties"]
        .as_array()
        .and_then(|all| all.iter().find(|r| r["artist"] == artist))
        .cloned()
        .unwrap_or_default()
}

/// A response header's text, or "" when it is missing.
pub fn header_text(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Starts a server on a fresh database of the given engine, with demo payments that deliver
/// each event once and in order.
pub async fn spawn(backend: Backend) -> TestApp {
    spawn_with(backend, Chaos::CALM).await
}

/// Starts a server whose demo checkout duplicates and reorders deliveries as `chaos` says.
pub async fn spawn_with(backend: Backend, chaos: Chaos) -> TestApp {
    spawn_configured(backend, chaos, &[]).await
}

/// Starts a server with `overrides` over the test environment (a setting's name and value).
/// Checkout limits are out of the way unless a test sets them: tests give from one address.
pub async fn spawn_configured(
    backend: Backend,
    chaos: Chaos,
    overrides: &[(&str, &str)],
) -> TestApp {
    // Server warnings and errors show beside a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let database_url = match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("test.db").display()),
        Backend::Postgres => fresh_postgres_database().await,
    };
    let media = dir.path().join("media").display().to_string();
    let log_keys = dir.path().join("log").display().to_string();
    let overridden = |key: &str| {
        overrides
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| (*v).to_owned())
    };
    let settings = Settings::from_lookup(|key| match key {
        key if overridden(key).is_some() => overridden(key),
        "CHECKOUT_PER_ADDRESS_PER_MINUTE"
        | "CHECKOUT_PER_CAMPAIGN_PER_SECOND"
        | "CHECKOUT_PER_SECOND" => Some("100000".to_owned()),
        // Payment Links only where a test asks for surge mode.
        "PAYMENT_LINKS" => Some("off".to_owned()),
        "DATABASE_URL" => Some(database_url.clone()),
        "MEDIA_DIR" => Some(media.clone()),
        "LOG_KEY_DIR" => Some(log_keys.clone()),
        "LOG_SIGNING_KEY" => Some(LOG_SIGNING_KEY.to_owned()),
        "PUBLIC_BASE_URL" => Some(PUBLIC_URL.to_owned()),
        "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".to_owned()),
        "STRIPE_WEBHOOK_SECRET" => Some(format!("{WEBHOOK_SECRET},{ROTATED_SECRET}")),
        _ => None,
    })
    .expect("test settings are valid");
    let app = Application::build_with(&settings, chaos)
        .await
        .expect("the server starts");
    let addr = app.local_addr().expect("a bound address");
    let state = app.state().clone();
    let payments = app.payments().clone();
    let catch_up = app.catch_up();
    let fees = app.fees();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        addr,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(BROWSER)
            .build()
            .expect("an HTTP client"),
        db: state.db.clone(),
        state,
        payments,
        public_url: PUBLIC_URL.to_owned(),
        database_url,
        webhook_secrets: format!("{WEBHOOK_SECRET},{ROTATED_SECRET}"),
        catch_up,
        fees,
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
