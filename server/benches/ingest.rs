//! Gift ingest under load: signed `checkout.session.completed` webhooks (10% of them duplicate
//! deliveries) sent over HTTP to a release build of the server for a set time. Reports events
//! per second, p50/p99 latency, and checks that the totals equal the unique paid events.
//!
//! With `--crash`, the server is killed with SIGKILL halfway, restarted, and every event that did
//! not get a 2xx is sent again: every acknowledged event must be in the ledger exactly once.
//!
//! ```text
//! cargo build --release -p server --bin giving-gallery
//! cargo bench -p server --bench ingest -- --backend sqlite --seconds 60
//! BENCH_POSTGRES_URL=postgres://… cargo bench -p server --bench ingest -- --backend postgres
//! ```

use anyhow::Context;
use app::db::Db;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod support;

use support::{
    amount_of, completed_event, free_port, fresh_postgres, post, prepare, wait_until_up, Server,
    CAMPAIGN,
};

struct Options {
    postgres: Option<String>,
    seconds: u64,
    concurrency: usize,
    crash: bool,
}

fn options() -> anyhow::Result<Options> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| support::option(&args, name);
    let postgres = match value("--backend").as_deref() {
        None | Some("sqlite") => None,
        Some("postgres") => Some(
            std::env::var("BENCH_POSTGRES_URL")
                .context("--backend postgres needs BENCH_POSTGRES_URL (an admin URL)")?,
        ),
        Some(other) => anyhow::bail!("unknown backend {other}"),
    };
    Ok(Options {
        postgres,
        seconds: value("--seconds").map_or(Ok(60), |s| s.parse())?,
        concurrency: value("--concurrency").map_or(Ok(32), |s| s.parse())?,
        crash: args.iter().any(|a| a == "--crash"),
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options()?;
    let dir = tempfile::tempdir()?;
    let database_url = match &options.postgres {
        None => format!("sqlite://{}", dir.path().join("ingest.db").display()),
        Some(admin) => fresh_postgres(admin).await?,
    };
    // Enough pending donations that the run never wraps around.
    let donations = usize::try_from(options.seconds)? * 8_000 + 10_000;
    let ids = prepare(&database_url, dir.path(), donations).await?;
    let port = free_port()?;
    let server = Server::start(&database_url, dir.path(), port)?;
    let server = Arc::new(Mutex::new(server));
    let url = format!("http://127.0.0.1:{port}/webhooks/stripe");
    wait_until_up(&url).await?;

    let events = Arc::new(ids);
    let next = Arc::new(AtomicUsize::new(0));
    let acked: Arc<Vec<AtomicBool>> =
        Arc::new((0..events.len()).map(|_| AtomicBool::new(false)).collect());
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let started = Instant::now();
    if options.crash {
        let server = server.clone();
        let half = Duration::from_secs(options.seconds / 2);
        let (db, dirp) = (database_url.clone(), dir.path().to_owned());
        tokio::spawn(async move {
            tokio::time::sleep(half).await;
            let mut s = server.lock().expect("server lock");
            s.kill();
            eprintln!("killed the server with SIGKILL at {:?}", half);
            std::thread::sleep(Duration::from_millis(200));
            *s = Server::start(&db, &dirp, port).expect("restart");
        });
    }
    // Stripe's webhook deliveries do not ask for compressed answers.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency)
        .no_gzip()
        .build()?;
    let mut workers = Vec::new();
    for worker in 0..options.concurrency {
        let (client, url, events, next, acked) = (
            client.clone(),
            url.clone(),
            events.clone(),
            next.clone(),
            acked.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(100_000);
            let mut sent = 0_usize;
            let mut failed = 0_usize;
            while Instant::now() < deadline {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let index = event_for(n, worker);
                let Some(id) = events.get(index) else {
                    break;
                };
                let payload = completed_event(index, id);
                let t = Instant::now();
                let ok = post(&client, &url, &payload).await;
                latencies.push(t.elapsed());
                sent += 1;
                if ok {
                    acked[index].store(true, Ordering::Relaxed);
                } else {
                    failed += 1;
                }
            }
            (latencies, sent, failed)
        }));
    }
    let mut latencies = Vec::new();
    let (mut sent, mut failed) = (0, 0);
    for w in workers {
        let (l, s, f) = w.await?;
        latencies.extend(l);
        sent += s;
        failed += f;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "backend {}: {sent} deliveries in {:.1} s = {:.0} events/s; p50 {:.2} ms, p99 {:.2} ms; {failed} not acknowledged",
        if options.postgres.is_some() { "postgres" } else { "sqlite" },
        elapsed.as_secs_f64(),
        sent as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
    );

    // Re-send, as Stripe would, every event that was sent but not acknowledged.
    let highest = next.load(Ordering::Relaxed);
    let attempted = ((highest / 10) * 9 + (highest % 10).min(9)).min(events.len());
    let mut resent = 0;
    for index in 0..attempted {
        while !acked[index].load(Ordering::Relaxed) {
            if post(&client, &url, &completed_event(index, &events[index])).await {
                acked[index].store(true, Ordering::Relaxed);
                resent += 1;
            } else {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    let expected: i64 = (0..attempted).map(amount_of).sum();
    let progress: serde_json::Value = reqwest::get(format!(
        "http://127.0.0.1:{port}/api/campaigns/{CAMPAIGN}/progress"
    ))
    .await?
    .json()
    .await?;
    server.lock().map_err(|_| anyhow::anyhow!("lock"))?.kill();
    let db = Db::connect(&database_url).await?;
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries")
        .fetch_one(db.pool())
        .await?;
    let report = app::donations::ledger::reconcile(&db).await?;
    let raised = progress["raised_minor"].as_i64().unwrap_or(-1);
    println!(
        "unique paid events {attempted} (re-sent after failures: {resent}); ledger entries {entries}; \
         raised {raised} (expected {expected}); reconcile {}",
        if report.iter().all(|r| r.balanced()) { "balanced" } else { "DRIFT" }
    );
    let exact = raised == expected
        && entries == i64::try_from(attempted)?
        && report.iter().all(|r| r.balanced());
    anyhow::ensure!(exact, "totals do not equal the unique paid events");
    println!("exactly once: yes");
    Ok(())
}

/// The event the `n`-th delivery carries: in each run of ten deliveries, nine new events and one
/// repeat of an event from the same run (10% duplicates, some of them concurrent).
fn event_for(n: usize, worker: usize) -> usize {
    let block = (n / 10) * 9;
    match n % 10 {
        9 => block + (n / 10 + worker) % 9,
        k => block + k,
    }
}
