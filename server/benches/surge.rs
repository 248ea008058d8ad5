//! A surge beyond the payment provider's rate limit: new checkouts at a set rate (default 600 a
//! second for 60 s) from many clients against the release server, whose demo stand-in answers
//! at most 100 API operations a second (429 beyond, as Stripe's live mode). Each donor presses
//! Adopt (`POST …/checkout`), follows the answer to the provider's hosted page (a Checkout
//! Session of its own, or a Payment Link that opens one), and pays there; the webhook records
//! the gift.
//!
//! Reports donors refused, p50/p99 from pressing Adopt to the hosted page, how many went through
//! links, the provider's busiest second and its 429s, and checks that every paid gift is
//! recorded exactly once with the right donation and amount.
//!
//! ```text
//! cargo build --release -p server --bin giving-gallery
//! cargo bench -p server --bench surge -- --backend sqlite --seconds 60 --rate 600
//! BENCH_POSTGRES_URL=postgres://… cargo bench -p server --bench surge -- --backend postgres --instances 2
//! ```

use app::db::Db;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod support;

use support::{fresh_postgres, prepare, Server, CAMPAIGN};

/// The demo campaign's artworks (seeded by `prepare`).
const PRESETS: [i64; 5] = [500, 1_000, 2_000, 5_000, 10_000];

struct Options {
    postgres: Option<String>,
    seconds: u64,
    rate: u64,
    instances: usize,
}

fn options() -> anyhow::Result<Options> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| support::option(&args, name);
    let postgres = support::postgres_admin(&args)?;
    let instances = value("--instances").map_or(Ok(1), |s| s.parse())?;
    anyhow::ensure!(
        instances == 1 || postgres.is_some(),
        "several instances need PostgreSQL"
    );
    Ok(Options {
        postgres,
        seconds: value("--seconds").map_or(Ok(60), |s| s.parse())?,
        rate: value("--rate").map_or(Ok(600), |s| s.parse())?,
        instances,
    })
}

/// What the donors met.
#[derive(Default)]
struct Tally {
    /// Microseconds from Adopt to the hosted page, per donor who got there.
    reached: Mutex<Vec<u64>>,
    /// Microseconds from Adopt to our answer (the rest is the provider's page).
    answered: Mutex<Vec<u64>>,
    refused: AtomicU64,
    failed: AtomicU64,
    via_links: AtomicU64,
    paid: AtomicU64,
    /// Donation id → amount paid.
    gifts: Mutex<Vec<(String, i64)>>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options()?;
    let dir = tempfile::tempdir()?;
    let database_url = match &options.postgres {
        None => format!("sqlite://{}", dir.path().join("surge.db").display()),
        Some(admin) => fresh_postgres(admin).await?,
    };
    prepare(&database_url, dir.path(), 0).await?;
    let ports: Vec<u16> = (0..options.instances)
        .map(|_| support::free_port())
        .collect::<Result<_, _>>()?;
    let first = format!("http://127.0.0.1:{}", ports[0]);
    // One provider: every instance calls the first one's demo stand-in, whose events reach
    // the instances in turn, as through the load balancer in front of them.
    let api_base = format!("{first}/demo-stripe/");
    let webhooks = ports
        .iter()
        .map(|port| format!("http://127.0.0.1:{port}/webhooks/stripe"))
        .collect::<Vec<_>>()
        .join(",");
    let mut servers = Vec::new();
    for (n, port) in ports.iter().enumerate() {
        let mut env = vec![
            ("PAYMENT_LINKS", "on"),
            ("STRIPE_RATE_LIMIT", "100"),
            ("DEMO_STRIPE_RATE_LIMIT", "100"),
            // Every donor comes from this one machine.
            ("CHECKOUT_PER_ADDRESS_PER_MINUTE", "100000000"),
            ("PUBLIC_BASE_URL", first.as_str()),
        ];
        if n > 0 {
            env.push(("STRIPE_API_BASE", api_base.as_str()));
        } else {
            env.push(("DEMO_STRIPE_WEBHOOK_URLS", webhooks.as_str()));
        }
        servers.push(Server::start_with(&database_url, dir.path(), *port, &env)?);
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(1_024)
        .timeout(Duration::from_secs(30))
        .build()?;
    for port in &ports {
        wait_for(&client, &format!("http://127.0.0.1:{port}/healthz")).await?;
    }
    let links = links_ready(&client, &first).await?;
    eprintln!("{links} payment links ready");
    // The links' calls are over: the run starts with the budget refilled.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let tally = Arc::new(Tally::default());
    let total = options.rate * options.seconds;
    let started = Instant::now();
    let mut donors = Vec::with_capacity(total as usize);
    let artworks = artworks(&database_url).await?;
    for i in 0..total {
        let due = started + Duration::from_secs_f64(i as f64 / options.rate as f64);
        tokio::time::sleep_until(due.into()).await;
        let base = format!("http://127.0.0.1:{}", ports[i as usize % ports.len()]);
        let (client, tally) = (client.clone(), tally.clone());
        let artwork = artworks[i as usize % artworks.len()].clone();
        // One donor in ten types an amount of their own.
        let amount = if i % 10 == 9 {
            1_234
        } else {
            PRESETS[i as usize % PRESETS.len()]
        };
        donors.push(tokio::spawn(async move {
            donor(&client, &base, i, &artwork, amount, &tally).await;
        }));
    }
    let offered = started.elapsed();
    for donor in donors {
        let _ = donor.await;
    }
    let elapsed = started.elapsed();

    // The webhooks land a moment after the last payment.
    let db = Db::connect(&database_url).await?;
    let expected = tally.paid.load(Ordering::Relaxed) as i64;
    let mut recorded = 0;
    for _ in 0..120 {
        recorded = count(
            &db,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM donations WHERE status = 'paid'",
        )
        .await?;
        if recorded >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let entries = count(&db, "SELECT CAST(COUNT(*) AS BIGINT) FROM ledger_entries").await?;
    let distinct = count(
        &db,
        "SELECT CAST(COUNT(DISTINCT donation_id) AS BIGINT) FROM ledger_entries",
    )
    .await?;
    let held = count(&db, "SELECT CAST(COUNT(*) AS BIGINT) FROM held_payments").await?;
    let wrong = wrong_amounts(&db, &tally).await?;
    let provider: Value = client
        .get(format!("{first}/demo-stripe/stats"))
        .send()
        .await?
        .json()
        .await?;

    let sorted = |times: &Mutex<Vec<u64>>| {
        let mut times = times.lock().expect("tally").clone();
        times.sort_unstable();
        times
    };
    let (reached, answered) = (sorted(&tally.reached), sorted(&tally.answered));
    let pct = |times: &[u64], p: f64| {
        times
            .get(((times.len() as f64 * p) as usize).min(times.len().saturating_sub(1)))
            .map_or(0.0, |us| *us as f64 / 1000.0)
    };
    let backend = if options.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "| {backend}, {} instance(s) | {total} donors offered in {:.1} s ({:.0}/s), done in {:.1} s | \
         refused {} (failed {}) | Adopt → hosted page p50 {:.1} ms, p99 {:.1} ms \
         (our answer p50 {:.1} ms, p99 {:.1} ms) | \
         through links {} | provider: {} operations, busiest second {}, 429s {} | \
         paid {expected}, recorded {recorded}, ledger entries {entries} for {distinct} donations, \
         wrong amounts {wrong}, held {held} |",
        options.instances,
        offered.as_secs_f64(),
        total as f64 / offered.as_secs_f64(),
        elapsed.as_secs_f64(),
        tally.refused.load(Ordering::Relaxed),
        tally.failed.load(Ordering::Relaxed),
        pct(&reached, 0.50),
        pct(&reached, 0.99),
        pct(&answered, 0.50),
        pct(&answered, 0.99),
        tally.via_links.load(Ordering::Relaxed),
        provider["operations"],
        provider["busiest_second"],
        provider["rate_limited"],
    );
    let ok = tally.refused.load(Ordering::Relaxed) == 0
        && tally.failed.load(Ordering::Relaxed) == 0
        && recorded == expected
        && entries == expected
        && distinct == expected
        && wrong == 0
        && held == 0
        && provider["rate_limited"] == 0
        && provider["busiest_second"].as_u64().unwrap_or(u64::MAX) <= 100;
    drop(servers);
    anyhow::ensure!(
        ok,
        "the surge lost, refused or double-counted a gift, or hit the limit"
    );
    Ok(())
}

/// One donor: Adopt, the hosted page, pay.
async fn donor(
    client: &reqwest::Client,
    base: &str,
    i: u64,
    artwork: &str,
    amount: i64,
    tally: &Tally,
) {
    let pressed = Instant::now();
    let gift = json!({ "artwork": artwork, "amount_minor": amount, "currency": "CNY",
                       "email": format!("donor{i}@example.org") });
    let answer = client
        .post(format!("{base}/api/campaigns/{CAMPAIGN}/checkout"))
        .header("idempotency-key", format!("surge-{i}"))
        .json(&gift)
        .send()
        .await;
    let answer = match answer {
        Ok(a) if a.status().is_success() => a,
        Ok(a) if a.status().as_u16() == 429 || a.status().as_u16() == 503 => {
            tally.refused.fetch_add(1, Ordering::Relaxed);
            return;
        }
        _ => {
            tally.failed.fetch_add(1, Ordering::Relaxed);
            return;
        }
    };
    let Ok(body) = answer.json::<Value>().await else {
        tally.failed.fetch_add(1, Ordering::Relaxed);
        return;
    };
    tally
        .answered
        .lock()
        .expect("tally")
        .push(pressed.elapsed().as_micros() as u64);
    let (Some(donation), Some(mut url)) = (
        body["donation_id"].as_str().map(str::to_owned),
        body["checkout_url"].as_str().map(str::to_owned),
    ) else {
        tally.failed.fetch_add(1, Ordering::Relaxed);
        return;
    };
    let through_link = url.contains("/demo-pay/");
    // Follow the link's redirect to the hosted page, as a browser does.
    let page = loop {
        match client.get(&url).send().await {
            Ok(r) if r.status().is_redirection() => {
                let location = r.headers()["location"].to_str().unwrap_or_default();
                match r.url().join(location) {
                    Ok(next) => url = next.to_string(),
                    Err(_) => {
                        tally.failed.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                }
            }
            Ok(r) if r.status().is_success() => break r.text().await.unwrap_or_default(),
            _ => {
                tally.failed.fetch_add(1, Ordering::Relaxed);
                return;
            }
        }
    };
    tally
        .reached
        .lock()
        .expect("tally")
        .push(pressed.elapsed().as_micros() as u64);
    if through_link {
        tally.via_links.fetch_add(1, Ordering::Relaxed);
    }
    // Pay; an amount of the donor's own is typed on the page when it asks.
    let typed = (amount as f64 / 100.0).to_string();
    let mut form = vec![("outcome", "pay")];
    if page.contains("name=\"amount\"") {
        form.push(("amount", typed.as_str()));
    }
    match client.post(&url).form(&form).send().await {
        Ok(r) if r.status().as_u16() == 303 => {
            tally.paid.fetch_add(1, Ordering::Relaxed);
            tally.gifts.lock().expect("tally").push((donation, amount));
        }
        _ => {
            tally.failed.fetch_add(1, Ordering::Relaxed);
        }
    }
}

async fn wait_for(client: &reqwest::Client, url: &str) -> anyhow::Result<()> {
    for _ in 0..400 {
        if client
            .get(url)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    anyhow::bail!("{url} did not come up")
}

/// Waits for the keeper to make every link, and says how many there are.
async fn links_ready(client: &reqwest::Client, base: &str) -> anyhow::Result<u64> {
    let mut last = 0;
    for _ in 0..600 {
        let metrics = client
            .get(format!("{base}/metrics"))
            .send()
            .await?
            .text()
            .await?;
        let ready = metrics
            .lines()
            .find_map(|l| l.strip_prefix("giving_gallery_payment_links_ready "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if ready > 0 && ready == last {
            return Ok(ready);
        }
        last = ready;
        tokio::time::sleep(Duration::from_millis(1_000)).await;
    }
    anyhow::bail!("the payment links were not made")
}

async fn artworks(database_url: &str) -> anyhow::Result<Vec<String>> {
    let db = Db::connect(database_url).await?;
    let rows: Vec<(String,)> =
        // Published, and not withdrawn by its artist's family (the demo shows one that was).
        sqlx::query_as(
            "SELECT slug FROM artworks a WHERE published = 1 AND NOT EXISTS \
             (SELECT 1 FROM consent_records c WHERE c.artwork_id = a.id AND c.kind = 'withdrawal') \
             ORDER BY id",
        )
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().map(|(s,)| s).collect())
}

async fn count(db: &Db, sql: &str) -> anyhow::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db.pool()).await?;
    Ok(n)
}

/// Paid gifts whose recorded amount is not what their donor paid.
async fn wrong_amounts(db: &Db, tally: &Tally) -> anyhow::Result<usize> {
    let gifts = tally.gifts.lock().expect("tally").clone();
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, paid_minor FROM donations WHERE status = 'paid'")
            .fetch_all(db.pool())
            .await?;
    let paid: std::collections::HashMap<String, i64> = rows.into_iter().collect();
    Ok(gifts
        .iter()
        .filter(|(id, amount)| paid.get(id) != Some(amount))
        .count())
}
