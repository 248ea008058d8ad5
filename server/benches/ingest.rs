//! Gift ingest under load: signed `checkout.session.completed` webhooks (10% of them duplicate
//! deliveries) sent over HTTP to a release build of the server for a set time. Reports events
//! per second, p50/p99 latency, and checks that the totals equal the unique paid events.
//!
//! With `--crash`, the server is killed with SIGKILL halfway, restarted, and every event that did
//! not get a 2xx is sent again: every acknowledged event must be in the ledger exactly once.
//!
//! The public log is extended meanwhile, as in production. The benchmark watches its checkpoint
//! every 10 ms and reports how long after its webhook was acknowledged each gift was in a signed
//! checkpoint; then checks that the log has one entry per ledger entry and passes `audit`,
//! measures serving proofs (`--proofs N`, default 2,000, one at a time) and the log's storage
//! per entry.
//!
//! With `--matches`, two sponsors' matches run on the campaign (1:1 up to ¥100 a gift, and 50%
//! up to ¥200 a donor a day, both with budgets the run cannot spend): the matched total must
//! equal what the unique paid events earn, each gift matched once by each.
//!
//! ```text
//! cargo build --release -p server --bin giving-gallery
//! cargo bench -p server --bench ingest -- --backend sqlite --seconds 60 [--matches]
//! BENCH_POSTGRES_URL=postgres://… cargo bench -p server --bench ingest -- --backend postgres
//! ```

use anyhow::Context;
use app::db::Db;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
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
    proofs: usize,
    /// Without the public log's integrator, for comparison.
    no_log: bool,
    /// With two matches running.
    matches: bool,
}

fn options() -> anyhow::Result<Options> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| support::option(&args, name);
    let postgres = support::postgres_admin(&args)?;
    Ok(Options {
        postgres,
        seconds: value("--seconds").map_or(Ok(60), |s| s.parse())?,
        concurrency: value("--concurrency").map_or(Ok(32), |s| s.parse())?,
        crash: args.iter().any(|a| a == "--crash"),
        proofs: value("--proofs").map_or(Ok(2_000), |s| s.parse())?,
        no_log: args.iter().any(|a| a == "--no-log"),
        matches: args.iter().any(|a| a == "--matches"),
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
    if options.matches {
        add_matches(&database_url).await?;
    }
    let port = free_port()?;
    let log_env: &[(&str, &str)] = if options.no_log {
        &[("LOG_INTEGRATOR", "off")]
    } else {
        &[]
    };
    let server = Server::start_with(&database_url, dir.path(), port, log_env)?;
    let server = Arc::new(Mutex::new(server));
    let url = format!("http://127.0.0.1:{port}/webhooks/stripe");
    wait_until_up(&url).await?;

    let events = Arc::new(ids);
    let next = Arc::new(AtomicUsize::new(0));
    let acked: Arc<Vec<AtomicBool>> =
        Arc::new((0..events.len()).map(|_| AtomicBool::new(false)).collect());
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let started = Instant::now();
    // When each event was first acknowledged (µs after the start; 0 = not yet).
    let acked_at: Arc<Vec<AtomicU64>> =
        Arc::new((0..events.len()).map(|_| AtomicU64::new(0)).collect());
    let base = format!("http://127.0.0.1:{port}/campaigns/{CAMPAIGN}");
    let watching = Arc::new(AtomicBool::new(true));
    let seen: Arc<Mutex<Sightings>> = Arc::default();
    let watcher = tokio::spawn(watch_checkpoints(
        base.clone(),
        started,
        watching.clone(),
        seen.clone(),
    ));
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
            *s = Server::start_with(&db, &dirp, port, log_env).expect("restart");
        });
    }
    // Stripe's webhook deliveries do not ask for compressed answers.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency)
        .no_gzip()
        .build()?;
    let mut workers = Vec::new();
    for worker in 0..options.concurrency {
        let (client, url, events, next, acked, acked_at) = (
            client.clone(),
            url.clone(),
            events.clone(),
            next.clone(),
            acked.clone(),
            acked_at.clone(),
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
                    let at = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
                    let _ = acked_at[index].compare_exchange(
                        0,
                        at,
                        Ordering::Relaxed,
                        Ordering::Relaxed,
                    );
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
    let db = Db::connect(&database_url).await?;
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries")
        .fetch_one(db.pool())
        .await?;
    let log = if options.no_log {
        Ok(())
    } else {
        log_report(
            &db,
            &base,
            &events,
            &acked_at,
            entries,
            &seen,
            options.proofs,
        )
        .await
    };
    watching.store(false, Ordering::Relaxed);
    let _ = watcher.await;
    server.lock().map_err(|_| anyhow::anyhow!("lock"))?.kill();
    log?;
    let report = app::donations::ledger::reconcile(&db).await?;
    let raised = progress["raised_minor"].as_i64().unwrap_or(-1);
    println!(
        "unique paid events {attempted} (re-sent after failures: {resent}); ledger entries {entries}; \
         raised {raised} (expected {expected}); reconcile {}",
        if report.iter().all(|r| r.balanced()) { "balanced" } else { "DRIFT" }
    );
    let mut exact = raised == expected
        && entries == i64::try_from(attempted)?
        && report.iter().all(|r| r.balanced());
    if options.matches {
        let matched = progress["matched_minor"].as_i64().unwrap_or(-1);
        let earned: i64 = (0..attempted)
            .map(|i| {
                MATCHES
                    .iter()
                    .map(|m| m.share(amount_of(i), 0, 0, 0))
                    .sum::<i64>()
            })
            .sum();
        let twice: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT donation_id, match_id FROM match_entries \
             GROUP BY donation_id, match_id HAVING COUNT(*) > 1) AS t",
        )
        .fetch_one(db.pool())
        .await?;
        println!(
            "matched {matched} (expected {earned}); gifts matched twice by one match: {twice}"
        );
        exact &= matched == earned && twice == 0;
    }
    anyhow::ensure!(exact, "totals do not equal the unique paid events");
    println!("exactly once: yes");
    Ok(())
}

/// The two matches of `--matches`. No gift here carries an email, so each gift is its own donor
/// and the daily cap acts per gift.
const MATCHES: [app::matching::MatchRule; 2] = [
    app::matching::MatchRule {
        ratio_bp: 10_000,
        starts_at: None,
        ends_at: None,
        cap_per_gift: Some(10_000),
        cap_per_donor_day: None,
        total_cap: 1_000_000_000_000,
    },
    app::matching::MatchRule {
        ratio_bp: 5_000,
        starts_at: None,
        ends_at: None,
        cap_per_gift: None,
        cap_per_donor_day: Some(20_000),
        total_cap: 1_000_000_000_000,
    },
];

async fn add_matches(database_url: &str) -> anyhow::Result<()> {
    let db = Db::connect(database_url).await?;
    let campaign = app::campaigns::store::id_of(&db, &CAMPAIGN.parse()?)
        .await?
        .context("the demo campaign")?;
    let mut w = db.begin_write().await?;
    for (n, rule) in MATCHES.into_iter().enumerate() {
        let new = app::matching::store::NewMatch {
            sponsor_en: format!("Sponsor {n}"),
            sponsor_zh: String::new(),
            rule,
        };
        app::matching::store::add(&mut w.tx, campaign, &new).await?;
    }
    w.commit().await?;
    db.close().await;
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

/// The sizes of the signed checkpoints seen, each with when it was first seen (µs after start).
type Sightings = Vec<(u64, u64)>;

/// Reads the log's checkpoint every 10 ms until told to stop.
async fn watch_checkpoints(
    base: String,
    started: Instant,
    watching: Arc<AtomicBool>,
    seen: Arc<Mutex<Sightings>>,
) {
    let client = reqwest::Client::new();
    while watching.load(Ordering::Relaxed) {
        if let Ok(response) = client.get(format!("{base}/log/checkpoint")).send().await {
            if let Ok(note) = response.text().await {
                let size = note.lines().nth(1).and_then(|l| l.parse::<u64>().ok());
                let at = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
                if let (Some(size), Ok(mut seen)) = (size, seen.lock()) {
                    if seen.last().is_none_or(|(last, _)| size > *last) {
                        seen.push((size, at));
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Waits for the log to hold every ledger entry (besides the demo's consent and spending
/// records, logged before any gift), then reports how soon gifts were signed into
/// it, audits it, times proofs and measures its storage.
async fn log_report(
    db: &Db,
    base: &str,
    events: &[String],
    acked_at: &[AtomicU64],
    entries: i64,
    seen: &Mutex<Sightings>,
    proofs: usize,
) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    // The demo's consents and plan (logged already), and every match, which follows its gift.
    let (records,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM log_entries WHERE ledger_entry_id IS NULL \
         AND kind <> 'match') + (SELECT COUNT(*) FROM match_entries)",
    )
    .fetch_one(db.pool())
    .await?;
    let entries = entries + records;
    let mut size = 0;
    for _ in 0..600 {
        let note = client
            .get(format!("{base}/log/checkpoint"))
            .send()
            .await?
            .text()
            .await?;
        size = note
            .lines()
            .nth(1)
            .and_then(|l| l.parse::<i64>().ok())
            .unwrap_or(0);
        if size >= entries {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::ensure!(
        size == entries,
        "the log holds {size} entries, the ledger and records {entries}"
    );
    let logged: Vec<(String, i64)> = sqlx::query_as(
        "SELECT d.id, e.idx FROM log_entries e JOIN donations d \
             ON d.campaign_id = e.campaign_id AND d.certificate_number = e.certificate_number \
             WHERE e.kind = 'gift'",
    )
    .fetch_all(db.pool())
    .await?;
    let index_of: std::collections::HashMap<String, u64> =
        logged.into_iter().map(|(d, i)| (d, i as u64)).collect();
    let mut delays = Vec::new();
    let seen = seen.lock().map_err(|_| anyhow::anyhow!("lock"))?.clone();
    for (n, id) in events.iter().enumerate() {
        let at = acked_at[n].load(Ordering::Relaxed);
        let Some(index) = index_of.get(id) else {
            continue;
        };
        if at == 0 {
            continue;
        }
        if let Some((_, signed)) = seen.iter().find(|(size, _)| *size > *index) {
            delays.push(signed.saturating_sub(at));
        }
    }
    delays.sort_unstable();
    anyhow::ensure!(!delays.is_empty(), "no gift was seen entering the log");
    let pct =
        |p: f64| delays[((delays.len() as f64 * p) as usize).min(delays.len() - 1)] as f64 / 1e3;
    println!(
        "log: every ledger entry logged once ({entries}); acknowledged → in a signed checkpoint \
         (checked every 10 ms): p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms over {} gifts",
        pct(0.50),
        pct(0.99),
        pct(1.0),
        delays.len()
    );

    let key = client
        .get(format!("{base}/log/key"))
        .send()
        .await?
        .text()
        .await?;
    let t = Instant::now();
    let audit = giving_gallery::audit::audit(base, &key, &Default::default()).await?;
    println!(
        "audit: {} entries, total {} {}, {} match entries matching {} {}, passed in {:.1} s",
        audit.size,
        audit.total,
        audit.currency,
        audit.matches,
        audit.matched,
        audit.currency,
        t.elapsed().as_secs_f64()
    );
    let (matched,): (i64,) =
        sqlx::query_as("SELECT CAST(SUM(matched_minor) AS BIGINT) FROM campaign_totals")
            .fetch_one(db.pool())
            .await?;
    anyhow::ensure!(
        audit.matched == matched,
        "the log states {} matched, the campaign {matched}",
        audit.matched
    );

    // Proofs, one at a time, for gifts spread over the log.
    let mut times = Vec::with_capacity(proofs);
    for n in 0..proofs {
        let id = &events[(n * 7_919) % events.len().min(index_of.len().max(1))];
        let t = Instant::now();
        let response = client
            .get(format!(
                "http://{}/donations/{id}/proof.tlog-proof",
                host_of(base)
            ))
            .send()
            .await?;
        anyhow::ensure!(
            response.status() == 200,
            "a proof answered {}",
            response.status()
        );
        let _ = response.bytes().await?;
        times.push(t.elapsed());
    }
    times.sort();
    if !times.is_empty() {
        println!(
            "proofs: {proofs} served one at a time over loopback HTTP: p50 {:.3} ms, p99 {:.3} ms",
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[(times.len() * 99 / 100).min(times.len() - 1)].as_secs_f64() * 1e3
        );
    }
    // The same proofs made in this process on the same database, without HTTP: the server's
    // own cost of a proof (three queries and the hashing).
    let mut made = Vec::with_capacity(proofs);
    for n in 0..proofs {
        let id = &events[(n * 7_919) % events.len().min(index_of.len().max(1))];
        let id = app::ids::DonationId::parse(id).context("a donation id")?;
        let t = Instant::now();
        let proof = app::transparency::receipt::donation_proof(db, &id).await?;
        made.push(t.elapsed());
        anyhow::ensure!(proof.is_some(), "a gift without a proof");
    }
    made.sort();
    if !made.is_empty() {
        println!(
            "proofs: the same {proofs} made in process (no HTTP): p50 {:.3} ms, p99 {:.3} ms",
            made[made.len() / 2].as_secs_f64() * 1e3,
            made[(made.len() * 99 / 100).min(made.len() - 1)].as_secs_f64() * 1e3
        );
    }
    println!("{}", storage(db, entries).await?);
    Ok(())
}

fn host_of(base: &str) -> &str {
    base.trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or(base)
}

/// The bytes the log's tables and indexes take, per entry.
async fn storage(db: &Db, entries: i64) -> anyhow::Result<String> {
    let tables = [
        "log_entries",
        "log_hashes",
        "log_checkpoints",
        "log_pending",
    ];
    let bytes: i64 = match db.backend() {
        app::db::Backend::Sqlite => {
            sqlx::query_scalar(
                "SELECT CAST(SUM(pgsize) AS BIGINT) FROM dbstat WHERE name IN \
                 ('log_entries', 'log_hashes', 'log_checkpoints', 'log_pending', \
                  'sqlite_autoindex_log_entries_1', 'sqlite_autoindex_log_entries_2', \
                  'sqlite_autoindex_log_hashes_1', 'sqlite_autoindex_log_checkpoints_1', \
                  'log_entries_by_donation', 'log_entries_by_commitment')",
            )
            .fetch_one(db.pool())
            .await?
        }
        app::db::Backend::Postgres => {
            let mut sum = 0;
            for table in tables {
                let b: i64 = sqlx::query_scalar(&format!(
                    "SELECT CAST(pg_total_relation_size('{table}') AS BIGINT)"
                ))
                .fetch_one(db.pool())
                .await?;
                sum += b;
            }
            sum
        }
    };
    let per = bytes as f64 / entries.max(1) as f64;
    Ok(format!(
        "storage: the log's tables and indexes hold {:.1} MB for {entries} entries = {per:.0} bytes \
         an entry; 5.8 million gifts would take {:.2} GB",
        bytes as f64 / 1e6,
        per * 5.8e6 / 1e9
    ))
}
