//! Pages and checkouts under load from one client process on the same machine: requests per
//! second and latency for the landing page, an artwork page and `/healthz` (the floor: what any
//! answer costs, security headers and connection accounting included), and for new checkouts,
//! which each pass the checkout limits and open a session on the demo payment stand-in. Then
//! the cost of one check of the checkout limits, alone.
//!
//! ```text
//! cargo build --release -p server --bin giving-gallery
//! cargo bench -p server --bench pages -- --seconds 20 --connections 32
//! ```

use giving_gallery::payments::limits::{CheckoutLimits, CheckoutRates};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod support;

use support::{free_port, prepare, wait_until_up, Server};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seconds: u64 = support::option(&args, "--seconds").map_or(Ok(20), |s| s.parse())?;
    let connections: usize =
        support::option(&args, "--connections").map_or(Ok(32), |s| s.parse())?;
    let dir = tempfile::tempdir()?;
    let database_url = format!("sqlite://{}", dir.path().join("pages.db").display());
    prepare(&database_url, dir.path(), 0).await?;
    let port = free_port()?;
    // Limits high enough for one client to measure throughput; they are checked all the same.
    let limits = [
        ("CHECKOUT_PER_ADDRESS_PER_MINUTE", "100000000"),
        ("CHECKOUT_PER_CAMPAIGN_PER_SECOND", "1000000"),
        ("CHECKOUT_PER_SECOND", "1000000"),
        (
            "LEPTOS_SITE_ROOT",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"),
        ),
    ];
    let _server = Server::start_with(&database_url, dir.path(), port, &limits)?;
    let base = format!("http://127.0.0.1:{port}");
    wait_until_up(&format!("{base}/healthz")).await?;

    println!("{connections} connections, {seconds} s each, client and server on the same cores");
    println!("| request | requests/s | p50 | p99 | errors |");
    println!("|---|---|---|---|---|");
    for (name, path) in [
        ("GET /healthz", "/healthz"),
        ("GET / (landing page)", "/"),
        (
            "GET an artwork page",
            "/campaigns/little-painters/artworks/boats-at-dawn",
        ),
    ] {
        let url = format!("{base}{path}");
        let row = load(connections, seconds, move |client| client.get(&url)).await;
        println!("| {name} | {row}");
    }
    let checkout = format!("{base}/api/campaigns/little-painters/checkout");
    let row = load(connections, seconds, move |client| {
        client.post(&checkout).json(&serde_json::json!({
            "artwork": "sun-over-the-hills", "amount_minor": 1000, "currency": "CNY"
        }))
    })
    .await;
    println!("| POST a new checkout (limits checked, demo session opened) | {row}");

    // The checkout limits alone: one check per new checkout, each from another address.
    let limits = CheckoutLimits::new(CheckoutRates::default());
    let checks: u32 = 1_000_000;
    let started = Instant::now();
    let mut allowed = 0_u32;
    for i in 0..checks {
        let address = std::net::IpAddr::from(i.to_be_bytes());
        let client = Some(app::staff::limits::ClientAddress(address));
        if limits.check(client, app::ids::CampaignId::new(1)).is_ok() {
            allowed += 1;
        }
    }
    let each = started.elapsed() / checks;
    println!("\ncheckout limits: {each:?} a check ({checks} checks from as many addresses, {allowed} allowed)");
    Ok(())
}

/// Sends requests built by `make` from `connections` tasks for `seconds`; one table row.
async fn load(
    connections: usize,
    seconds: u64,
    make: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync + 'static,
) -> String {
    let make = Arc::new(make);
    let latencies = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let until = Instant::now() + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (make, latencies, errors) = (make.clone(), latencies.clone(), errors.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .build()
                    .expect("a client");
                let mut mine = Vec::new();
                while Instant::now() < until {
                    let started = Instant::now();
                    match make(&client).send().await {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                            mine.push(started.elapsed());
                        }
                        _ => {
                            errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                }
                latencies.lock().expect("not poisoned").extend(mine);
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
    let mut all = std::mem::take(&mut *latencies.lock().expect("not poisoned"));
    all.sort();
    let at = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    format!(
        "{:.0} | {:.1} ms | {:.1} ms | {} |",
        all.len() as f64 / seconds as f64,
        at(0.50).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        errors.load(std::sync::atomic::Ordering::Relaxed)
    )
}
