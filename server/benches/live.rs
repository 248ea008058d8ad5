//! Live progress under load: many viewers on the event stream while gifts arrive.
//!
//! Starts the release server on a fresh SQLite database, opens `--viewers` real HTTP connections
//! to `GET /api/campaigns/{slug}/events` on loopback, measures the server's memory before and
//! after, then pays `--rate` gifts a second through signed webhooks for `--seconds`. Each viewer
//! notes, for every gift event it receives, the time since the gift was recorded (the gift's
//! `at`, the ledger's clock); the report gives p50/p99 over all deliveries and over each gift's
//! last viewer, memory per viewer and the server's CPU. Every gift is credited to one of the
//! demo's ambassadors, so the campaign's public leaderboards move with each: each viewer also
//! notes when a `boards` event first counts a gift, and the report gives, per gift, the time
//! from its recording to the last viewer's board that counts it.
//!
//! ```text
//! ulimit -n 65536
//! cargo build --release -p server --bin giving-gallery
//! cargo bench -p server --bench live -- --viewers 10000 --rate 500 --seconds 30
//! ```

use anyhow::Context;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod support;

use support::{completed_event, free_port, post, prepare, wait_until_up, Server, CAMPAIGN};

struct Options {
    viewers: usize,
    rate: u64,
    seconds: u64,
}

fn options() -> anyhow::Result<Options> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| support::option(&args, name);
    Ok(Options {
        viewers: value("--viewers").map_or(Ok(10_000), |s| s.parse())?,
        rate: value("--rate").map_or(Ok(500), |s| s.parse())?,
        seconds: value("--seconds").map_or(Ok(30), |s| s.parse())?,
    })
}

/// Latencies in whole milliseconds, counted in buckets up to a minute.
struct Histogram(Vec<AtomicU64>);

impl Histogram {
    fn new() -> Histogram {
        Histogram((0..=60_000).map(|_| AtomicU64::new(0)).collect())
    }

    fn record(&self, ms: u64) {
        let bucket = usize::try_from(ms).unwrap_or(usize::MAX).min(60_000);
        self.0[bucket].fetch_add(1, Ordering::Relaxed);
    }

    fn count(&self) -> u64 {
        self.0.iter().map(|b| b.load(Ordering::Relaxed)).sum()
    }

    fn percentile(&self, p: f64) -> u64 {
        let total = self.count();
        let wanted = ((total as f64) * p).ceil() as u64;
        let mut seen = 0;
        for (ms, bucket) in self.0.iter().enumerate() {
            seen += bucket.load(Ordering::Relaxed);
            if seen >= wanted.max(1) {
                return ms as u64;
            }
        }
        60_000
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Checks that this process (and so the server it starts) may open enough files.
fn check_open_files(wanted: u64) -> anyhow::Result<()> {
    let limits = std::fs::read_to_string("/proc/self/limits")?;
    let soft: u64 = limits
        .lines()
        .find_map(|l| l.strip_prefix("Max open files"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("reading the open-file limit")?;
    anyhow::ensure!(
        soft >= wanted,
        "the open-file limit is {soft}; run `ulimit -n {wanted}` in this shell first"
    );
    Ok(())
}

/// Resident memory and CPU ticks (user + system) of a process, from /proc.
fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("VmRSS")
}

fn cpu_ticks(pid: u32) -> anyhow::Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after_name = stat.rsplit_once(')').context("stat")?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: u64 = fields.get(11).context("utime")?.parse()?;
    let stime: u64 = fields.get(12).context("stime")?.parse()?;
    Ok(utime + stime)
}

/// What every viewer shares: counters and latency histograms.
struct Tally {
    connected: AtomicUsize,
    all: Histogram,
    /// For each gift number, the latest any viewer received it (ms after it was recorded).
    last_viewer: Vec<AtomicU64>,
    /// For the k-th credited gift, when (ms since the epoch) the last viewer got a board that
    /// first counted it, when it was the oldest gift that board added.
    board_seen: Vec<AtomicU64>,
}

/// One viewer: a raw HTTP/1.1 request, then the stream read in 4 KiB pieces. Only the gift
/// events' `number` and `at` are looked at.
async fn viewer(port: u16, tally: Arc<Tally>) -> anyhow::Result<()> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let request = format!(
        "GET /api/campaigns/{CAMPAIGN}/events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut buffer = vec![0_u8; 4096];
    let mut pending = Vec::<u8>::new();
    let mut counted = false;
    // The credited gifts the viewer's board counts.
    let mut on_board = 0_u64;
    loop {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            return Ok(());
        }
        let received = now_ms();
        pending.extend_from_slice(&buffer[..n]);
        while let Some(end) = find(&pending, b"\n\n") {
            let event: Vec<u8> = pending.drain(..end + 2).collect();
            if !counted && find(&event, b"event: snapshot").is_some() {
                counted = true;
                tally.connected.fetch_add(1, Ordering::Relaxed);
            }
            // The one team's figures come first: its `gifts` is every credited gift.
            if event.starts_with(b"event: boards") || event.starts_with(b"event: snapshot") {
                let board = find(&event, b"\"boards\":").map_or(&event[..], |at| &event[at..]);
                if let Some(gifts) = field(board, b"\"gifts\":") {
                    if gifts > on_board {
                        if let Some(slot) = usize::try_from(on_board + 1)
                            .ok()
                            .and_then(|k| tally.board_seen.get(k))
                        {
                            slot.fetch_max(received, Ordering::Relaxed);
                        }
                        on_board = gifts;
                    }
                }
            }
            if event.starts_with(b"event: gift") {
                if let (Some(number), Some(at)) =
                    (field(&event, b"\"number\":"), field(&event, b"\"at\":"))
                {
                    let latency = received.saturating_sub(at);
                    tally.all.record(latency);
                    if let Some(slot) = usize::try_from(number)
                        .ok()
                        .and_then(|n| tally.last_viewer.get(n))
                    {
                        slot.fetch_max(latency, Ordering::Relaxed);
                    }
                }
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The unsigned integer after `key` in `text`.
fn field(text: &[u8], key: &[u8]) -> Option<u64> {
    let start = find(text, key)? + key.len();
    let digits: Vec<u8> = text[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options()?;
    check_open_files(options.viewers as u64 + 1_024)?;
    let dir = tempfile::tempdir()?;
    let database_url = format!("sqlite://{}", dir.path().join("live.db").display());
    let gifts = usize::try_from(options.rate * options.seconds)? + 1_000;
    let ids = prepare(&database_url, dir.path(), gifts).await?;
    credit_to_one_ambassador(&database_url).await?;
    let port = free_port()?;
    let server = Server::start(&database_url, dir.path(), port)?;
    let pid = server.pid();
    let webhook = format!("http://127.0.0.1:{port}/webhooks/stripe");
    wait_until_up(&webhook).await?;

    // One viewer first, so the campaign's publisher exists before the baseline is taken.
    let tally = Arc::new(Tally {
        connected: AtomicUsize::new(0),
        all: Histogram::new(),
        last_viewer: (0..=gifts).map(|_| AtomicU64::new(0)).collect(),
        board_seen: (0..=gifts).map(|_| AtomicU64::new(0)).collect(),
    });
    tokio::spawn(viewer(port, tally.clone()));
    let waiting = Instant::now();
    while tally.connected.load(Ordering::Relaxed) == 0 {
        anyhow::ensure!(
            waiting.elapsed() < Duration::from_secs(30),
            "no snapshot from the stream"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let baseline = rss_kib(pid)?;

    let opening = Instant::now();
    let mut failed = Arc::new(AtomicUsize::new(0));
    for wave in (1..options.viewers).collect::<Vec<_>>().chunks(250) {
        for _ in wave {
            let (tally, failed) = (tally.clone(), failed.clone());
            tokio::spawn(async move {
                if viewer(port, tally).await.is_err() {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        let target = wave.last().copied().unwrap_or(0);
        let waiting = Instant::now();
        while tally.connected.load(Ordering::Relaxed) + failed.load(Ordering::Relaxed) < target {
            anyhow::ensure!(
                waiting.elapsed() < Duration::from_secs(60),
                "viewers stopped connecting"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    let connected = tally.connected.load(Ordering::Relaxed);
    println!(
        "{connected} viewers connected in {:.1} s ({} failed)",
        opening.elapsed().as_secs_f64(),
        failed.load(Ordering::Relaxed)
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let with_viewers = rss_kib(pid)?;
    let per_viewer = (with_viewers.saturating_sub(baseline)) as f64 * 1024.0 / connected as f64;
    println!(
        "server memory: {baseline} KiB before, {with_viewers} KiB with {connected} viewers = {:.1} KiB per viewer",
        per_viewer / 1024.0
    );

    // Gifts at the rate asked for, each paid by a signed webhook.
    // Stripe's webhook deliveries do not ask for compressed answers.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .no_gzip()
        .build()?;
    let ids = Arc::new(ids);
    let ticks_before = cpu_ticks(pid)?;
    let started = Instant::now();
    let mut interval = tokio::time::interval(Duration::from_micros(1_000_000 / options.rate));
    let total = usize::try_from(options.rate * options.seconds)?;
    let sent = Arc::new(AtomicUsize::new(0));
    failed = Arc::new(AtomicUsize::new(0));
    let mut posts = Vec::with_capacity(total);
    for i in 0..total {
        interval.tick().await;
        let (client, url, ids, sent, failed) = (
            client.clone(),
            webhook.clone(),
            ids.clone(),
            sent.clone(),
            failed.clone(),
        );
        posts.push(tokio::spawn(async move {
            if post(&client, &url, &completed_event(i, &ids[i])).await {
                sent.fetch_add(1, Ordering::Relaxed);
            } else {
                failed.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for p in posts {
        p.await?;
    }
    let elapsed = started.elapsed();
    let cpu_seconds = (cpu_ticks(pid)? - ticks_before) as f64 / 100.0;
    let during = rss_kib(pid)?;
    // Let the last publication reach everyone.
    tokio::time::sleep(Duration::from_secs(3)).await;

    let last: Vec<u64> = tally
        .last_viewer
        .iter()
        .map(|v| v.load(Ordering::Relaxed))
        .filter(|&v| v > 0)
        .collect();
    let mut last_sorted = last.clone();
    last_sorted.sort_unstable();
    let pct = |v: &[u64], p: f64| {
        v.get(((v.len() as f64 * p) as usize).min(v.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "{} gifts paid in {:.1} s ({:.0}/s, {} failed); server CPU {:.0}% of one core; memory {during} KiB",
        sent.load(Ordering::Relaxed),
        elapsed.as_secs_f64(),
        sent.load(Ordering::Relaxed) as f64 / elapsed.as_secs_f64(),
        failed.load(Ordering::Relaxed),
        cpu_seconds / elapsed.as_secs_f64() * 100.0,
    );
    println!(
        "gift recorded -> viewer: {} deliveries, p50 {} ms, p99 {} ms; to the last viewer of each gift ({} gifts shown): p50 {} ms, p99 {} ms",
        tally.all.count(),
        tally.all.percentile(0.50),
        tally.all.percentile(0.99),
        last_sorted.len(),
        pct(&last_sorted, 0.50),
        pct(&last_sorted, 0.99),
    );
    drop(server);

    // The k-th credited gift's recording time, from the database, against when the last
    // viewer's board first counted it.
    let recorded = credited_paid_at(&database_url).await?;
    let mut boards: Vec<u64> = tally
        .board_seen
        .iter()
        .enumerate()
        .filter_map(|(k, seen)| {
            let seen = seen.load(Ordering::Relaxed);
            let at = *recorded.get(k.checked_sub(1)?)?;
            (seen > 0).then(|| seen.saturating_sub(at))
        })
        .collect();
    boards.sort_unstable();
    println!(
        "gift recorded -> the last viewer's leaderboard counts it ({} boards): p50 {} ms, p99 {} ms, max {} ms",
        boards.len(),
        pct(&boards, 0.50),
        pct(&boards, 0.99),
        boards.last().copied().unwrap_or(0),
    );
    Ok(())
}

/// Gives the demo campaign its teams and credits every gift the benchmark will pay to the
/// first ambassador, as if each donor came through their page.
async fn credit_to_one_ambassador(url: &str) -> anyhow::Result<()> {
    let db = app::db::Db::connect(url).await?;
    app::demo::seed_teams(&db).await?;
    sqlx::query(
        "UPDATE donations SET ambassador_id = (SELECT MIN(id) FROM ambassadors) \
         WHERE status = 'pending'",
    )
    .execute(db.pool())
    .await?;
    db.close().await;
    Ok(())
}

/// When each credited gift was paid (ms since the epoch), in the order they were paid.
async fn credited_paid_at(url: &str) -> anyhow::Result<Vec<u64>> {
    let db = app::db::Db::connect(url).await?;
    let paid: Vec<(i64,)> = sqlx::query_as(
        "SELECT paid_at FROM donations WHERE ambassador_id IS NOT NULL AND status = 'paid' \
         ORDER BY certificate_number",
    )
    .fetch_all(db.pool())
    .await?;
    db.close().await;
    Ok(paid
        .into_iter()
        .map(|(at,)| u64::try_from(at).unwrap_or(0))
        .collect())
}
