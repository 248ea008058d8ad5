//! What the benchmarks share: a database with the demo campaign and pending donations, the
//! release server as a child process, and signed webhook deliveries.

#![allow(dead_code)]

use anyhow::Context;
use app::db::Db;
use giving_gallery::demo_stripe::SessionStatus;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[path = "../../tests/support/events.rs"]
mod events;

pub const SECRET: &str = "whsec_benchmark";
pub const CAMPAIGN: &str = "little-painters";
/// Amounts cycle through these (minor units of CNY).
const AMOUNTS: [i64; 5] = [500, 1_000, 2_000, 5_000, 10_000];

/// The value after `--name` on the command line.
pub fn option(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// `--backend postgres`: the admin URL in `BENCH_POSTGRES_URL`; SQLite (`None`) otherwise.
pub fn postgres_admin(args: &[String]) -> anyhow::Result<Option<String>> {
    match option(args, "--backend").as_deref() {
        None | Some("sqlite") => Ok(None),
        Some("postgres") => Ok(Some(
            std::env::var("BENCH_POSTGRES_URL")
                .context("--backend postgres needs BENCH_POSTGRES_URL (an admin URL)")?,
        )),
        Some(other) => anyhow::bail!("unknown backend {other}"),
    }
}

pub fn amount_of(i: usize) -> i64 {
    AMOUNTS[i % AMOUNTS.len()]
}

/// A `checkout.session.completed` for the `i`-th donation, `id`.
pub fn completed_event(i: usize, id: &str) -> String {
    let paid = events::session(id, amount_of(i), "cny", SessionStatus::Paid);
    events::session_event(
        &format!("evt_bench_{i}"),
        "checkout.session.completed",
        &paid,
    )
}

pub async fn post(client: &reqwest::Client, url: &str, payload: &str) -> bool {
    let signature = stripe_webhook::Webhook::generate_test_header(payload, SECRET, None);
    match client
        .post(url)
        .header("content-type", "application/json")
        .header("stripe-signature", signature)
        .body(payload.to_owned())
        .timeout(Duration::from_secs(10))
        .send()
        .await
    {
        Ok(r) => r.status().is_success(),
        Err(_) => false,
    }
}

/// Migrates and seeds a database and creates `count` pending donations; returns their ids.
pub async fn prepare(
    url: &str,
    dir: &std::path::Path,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let media = app::media::MediaStore::open(dir.join("media"))?;
    app::demo::seed(&db, &media, 160).await?;
    let (campaign, artwork): (i64, i64) =
        sqlx::query_as("SELECT campaign_id, id FROM artworks ORDER BY id LIMIT 1")
            .fetch_one(db.pool())
            .await?;
    let ids: Vec<String> = (0..count)
        .map(|i| format!("{:032x}", 0xbe0c_0000_0000_0000_u128 + i as u128))
        .collect();
    for (chunk_no, chunk) in ids.chunks(500).enumerate() {
        let mut sql = String::from(
            "INSERT INTO donations (id, campaign_id, artwork_id, amount_minor, currency, locale, \
             idempotency_key, request_digest, status, created_at, updated_at, \
             verification_code) VALUES ",
        );
        for (j, id) in chunk.iter().enumerate() {
            let i = chunk_no * 500 + j;
            let amount = amount_of(i);
            if j > 0 {
                sql.push(',');
            }
            // Checkout gives each donation its verification code (26 base32 letters).
            let code: String = format!("{i:0>26}")
                .bytes()
                .map(|d| char::from(b'A' + (d - b'0')))
                .collect();
            sql.push_str(&format!(
                "('{id}', {campaign}, {artwork}, {amount}, 'CNY', 'en', 'bench-{i}', '', 'pending', \
                 0, 0, '{code}')"
            ));
        }
        sqlx::query(&sql).execute(db.pool()).await?;
    }
    db.close().await;
    Ok(ids)
}

pub async fn fresh_postgres(admin: &str) -> anyhow::Result<String> {
    use sqlx::Connection;
    let name = format!("gg_bench_{}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
    Ok(format!("{base}/{name}"))
}

/// Where the server's errors go: the file `BENCH_SERVER_ERRORS` names, else nowhere.
fn server_errors() -> Stdio {
    std::env::var("BENCH_SERVER_ERRORS")
        .ok()
        .and_then(|path| {
            std::fs::File::options()
                .create(true)
                .append(true)
                .open(path)
                .ok()
        })
        .map_or(Stdio::null(), Stdio::from)
}

/// The release server as a child process.
pub struct Server(Child);

impl Server {
    pub fn start(database_url: &str, dir: &std::path::Path, port: u16) -> anyhow::Result<Server> {
        Server::start_with(database_url, dir, port, &[])
    }

    /// As [`Server::start`], with more settings.
    pub fn start_with(
        database_url: &str,
        dir: &std::path::Path,
        port: u16,
        env: &[(&str, &str)],
    ) -> anyhow::Result<Server> {
        let exe = std::env::var("GIVING_GALLERY_BIN").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/release/giving-gallery"
            )
            .to_owned()
        });
        let child = Command::new(&exe)
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("MEDIA_DIR", dir.join("media"))
            .env("LOG_KEY_DIR", dir.join("log"))
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("STRIPE_WEBHOOK_SECRET", SECRET)
            .env("RUST_LOG", "error")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(server_errors())
            .spawn()
            .with_context(|| {
                format!("starting {exe}: build it with cargo build --release -p server")
            })?;
        Ok(Server(child))
    }

    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

pub async fn wait_until_up(url: &str) -> anyhow::Result<()> {
    for _ in 0..200 {
        if reqwest::Client::new().post(url).send().await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("the server did not come up")
}
