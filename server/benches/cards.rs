//! Share cards: cold render time per card type on one thread, JPEG sizes, cached-serve requests
//! per second from the release server, and the same link preview painted by satori + resvg-js
//! (the engine of @vercel/og) with the same fonts and artwork.
//!
//!   cargo build --release -p server
//!   cargo bench -p server --bench cards -- --runs 300 --seconds 10 --connections 32
//!
//! Every cold render paints a card never painted before (each has another donor name) around an
//! artwork already framed, as the server does once an artwork's first card exists; framing an
//! artwork (decode, crop, scale) is timed apart. satori runs from `server/benches/satori` (its
//! npm packages are installed on first use).

mod support;

use app::artworks::paint::{paint, Motif, PALETTES};
use app::cards::certificate::Certificate;
use app::cards::preview::Preview;
use app::cards::render::{frame_art, Card, CardKind, Design};
use app::cards::text::Fonts;
use app::media::MediaStore;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{completed_event, free_port, option, post, prepare, wait_until_up, Server};

fn certificate(name: &str) -> Certificate {
    Certificate {
        campaign: "The Children's Gallery".into(),
        heading: "Certificate of adoption".into(),
        artwork_title: "Boats at Dawn".into(),
        byline: "By Chen Hao, 9".into(),
        adopted_by: "adopted by".into(),
        donor: name.into(),
        stranger: "A kind stranger".into(),
        amount: Some("with a gift of ¥20".into()),
        became: None,
        presented_by: None,
        number: "No. 1024".into(),
        date: "29 August 2017".into(),
        scan: "Scan to adopt an artwork too".into(),
        host: "give.example.org".into(),
        share_url: "https://give.example.org/s/k3xa9qpm7n2z".into(),
    }
}

fn preview(name: &str) -> Preview {
    Preview {
        campaign: "The Children's Gallery".into(),
        headline: name.into(),
        stranger: "A kind stranger".into(),
        subtitle: "adopted “Boats at Dawn”".into(),
        byline: "by Chen Hao, 9".into(),
        percent_label: "37%".into(),
        percent: 37,
        goal: "of the ¥15,000,000 goal".into(),
        call: "Adopt one too at give.example.org".into(),
        presented_by: None,
    }
}

/// Donor names, Latin and Chinese, so the fonts' both faces are used.
fn donor(i: usize) -> String {
    const NAMES: [&str; 4] = ["Zoë Ångström", "王小明", "Ana Núñez", "林悦"];
    format!("{} {i}", NAMES[i % NAMES.len()])
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

struct Timing {
    p50: f64,
    p99: f64,
    bytes: usize,
}

fn time_renders(runs: usize, fonts: &Fonts, art: &image::RgbImage, kind: CardKind) -> Timing {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for i in 0..runs {
        let design = match kind {
            CardKind::Certificate => Design::Certificate(certificate(&donor(i))),
            CardKind::Preview => Design::Preview(preview(&donor(i))),
            CardKind::Poster | CardKind::Account => {
                unreachable!("this benchmark times certificates and previews")
            }
        };
        let card = Card {
            design,
            art: app::media::MediaKey::parse(&format!("{}.png", "a".repeat(32))).expect("a key"),
            logo: None,
        };
        let start = Instant::now();
        let jpeg = card.paint(fonts, art, None).expect("renders");
        times.push(start.elapsed().as_secs_f64() * 1_000.0);
        bytes = bytes.max(jpeg.len());
    }
    times.sort_by(f64::total_cmp);
    Timing {
        p50: percentile(&times, 50.0),
        p99: percentile(&times, 99.0),
        bytes,
    }
}

/// satori + resvg-js on the same card; `None` (with the reason printed) when Node is missing.
fn satori(art: &std::path::Path, out: &std::path::Path, runs: usize) -> Option<serde_json::Value> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/satori");
    if !std::path::Path::new(dir).join("node_modules").exists() {
        let installed = Command::new("npm")
            .args(["ci", "--silent", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .status();
        if !installed.is_ok_and(|s| s.success()) {
            eprintln!("satori: npm ci failed in {dir}");
            return None;
        }
    }
    let output = Command::new("node")
        .arg("render.mjs")
        .arg("--art")
        .arg(art)
        .arg("--out")
        .arg(out)
        .args(["--runs", &runs.to_string()])
        .current_dir(dir)
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!("satori: {}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    serde_json::from_slice(&output.stdout).ok()
}

/// Requests per second for a stored card, from `connections` clients for `seconds`.
async fn cached_serve(connections: usize, seconds: u64) -> anyhow::Result<(f64, usize)> {
    let dir = tempfile::tempdir()?;
    let database_url = format!("sqlite://{}", dir.path().join("cards.db").display());
    let ids = prepare(&database_url, dir.path(), 1).await?;
    let code = "bench2345678";
    {
        let db = app::db::Db::connect(&database_url).await?;
        sqlx::query("UPDATE donations SET share_code = $1 WHERE id = $2")
            .bind(code)
            .bind(&ids[0])
            .execute(db.pool())
            .await?;
        db.close().await;
    }
    let port = free_port()?;
    let _server = Server::start(&database_url, dir.path(), port)?;
    let base = format!("http://127.0.0.1:{port}");
    wait_until_up(&format!("{base}/webhooks/stripe")).await?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    anyhow::ensure!(
        post(
            &client,
            &format!("{base}/webhooks/stripe"),
            &completed_event(0, &ids[0])
        )
        .await,
        "the gift was not paid"
    );
    let redirect = client
        .get(format!("{base}/cards/{code}/preview.jpg"))
        .send()
        .await?;
    let location = redirect
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no card address: {}", redirect.status()))?;
    let url = format!("{base}{location}");
    let first = client.get(&url).send().await?;
    anyhow::ensure!(first.status() == 200, "the card did not render");
    let size = first.bytes().await?.len();

    let served = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (client, url, served) = (client.clone(), url.clone(), served.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    if let Ok(response) = client.get(&url).send().await {
                        if response.status() == 200 && response.bytes().await.is_ok() {
                            served.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await?;
    }
    Ok((served.load(Ordering::Relaxed) as f64 / seconds as f64, size))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = option(&args, "--runs").map_or(Ok(300), |v| v.parse())?;
    let seconds: u64 = option(&args, "--seconds").map_or(Ok(10), |v| v.parse())?;
    let connections: usize = option(&args, "--connections").map_or(Ok(32), |v| v.parse())?;

    let fonts = Fonts::shared();
    anyhow::ensure!(fonts.has_cjk(), "install fonts-noto-cjk first");
    let out = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/cards-bench"
    ));
    let media = MediaStore::open(out.join("media"))?;
    let painting = paint(7, &PALETTES[1], Motif::ALL[2], 960, 1200);
    let mut encoded = Vec::new();
    painting.write_to(
        &mut std::io::Cursor::new(&mut encoded),
        image::ImageFormat::Jpeg,
    )?;
    let key = media.put(&encoded, "jpg")?;

    let start = Instant::now();
    let framing_runs = 20;
    for _ in 0..framing_runs {
        frame_art(&media, &key, CardKind::Preview)?;
    }
    let framing = start.elapsed().as_secs_f64() * 1_000.0 / f64::from(framing_runs);
    let preview_art = frame_art(&media, &key, CardKind::Preview)?;
    let certificate_art = frame_art(&media, &key, CardKind::Certificate)?;
    let art_png = out.join("art-504x630.png");
    preview_art.save(&art_png)?;

    // Warm the fonts and caches before timing.
    time_renders(10, fonts, &preview_art, CardKind::Preview);
    let previews = time_renders(runs, fonts, &preview_art, CardKind::Preview);
    let certificates = time_renders(runs, fonts, &certificate_art, CardKind::Certificate);
    println!(
        "link preview 1200x630: p50 {:.2} ms, p99 {:.2} ms, largest JPEG {} kB",
        previews.p50,
        previews.p99,
        previews.bytes / 1000
    );
    println!(
        "certificate 1080x1920: p50 {:.2} ms, p99 {:.2} ms, largest JPEG {} kB",
        certificates.p50,
        certificates.p99,
        certificates.bytes / 1000
    );
    println!("framing an artwork (JPEG 960x1200 decoded, cropped, scaled): {framing:.2} ms");
    std::fs::write(
        out.join("rust-preview.jpg"),
        Card {
            design: Design::Preview(preview("Zoë Ångström")),
            art: key.clone(),
            logo: None,
        }
        .paint(fonts, &preview_art, None)?,
    )?;

    match satori(&art_png, &out, runs) {
        Some(result) => {
            let p50 = result["p50_ms"].as_f64().unwrap_or(f64::NAN);
            println!(
                "satori + resvg-js, same card: p50 {p50:.2} ms, p99 {:.2} ms, PNG {} kB \
                 -> this renderer is {:.1}x faster at p50",
                result["p99_ms"].as_f64().unwrap_or(f64::NAN),
                result["png_bytes"].as_u64().unwrap_or(0) / 1000,
                p50 / previews.p50
            );
        }
        None => println!("satori + resvg-js: not run"),
    }

    let (rate, size) = cached_serve(connections, seconds).await?;
    println!(
        "cached link preview ({} kB) from the release server, {connections} connections: \
         {rate:.0} requests/s",
        size / 1000
    );
    println!("sample cards in {}", out.display());
    Ok(())
}
