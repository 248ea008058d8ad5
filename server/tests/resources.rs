//! What the server holds of the machine, as an attacker or a busy day would push it: open files
//! under a system's usual limit, connections beyond what it can hold, and memory while the
//! largest images are decoded at once.

use crate::staff::artwork_form;
use crate::support::instances::Instance;
use crate::support::staff::{create, session_cookie, PASSWORD};
use crate::support::{spawn, Backend, PUBLIC_URL};
use app::staff::Role;
use futures_util::future::join_all;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// Lets this test process hold as many connections as the system allows.
fn raise_own_limit() -> u64 {
    rlimit::increase_nofile_limit(u64::MAX).expect("reading the open-file limit")
}

async fn idle_connections(port: u16, count: usize) -> Vec<TcpStream> {
    let mut idle = Vec::with_capacity(count);
    for _ in 0..count {
        idle.push(
            TcpStream::connect(("127.0.0.1", port))
                .await
                .expect("a connection"),
        );
    }
    idle
}

async fn healthz(base: &str) -> u16 {
    let client = reqwest::Client::new();
    let answer = client.get(format!("{base}/healthz")).send();
    tokio::time::timeout(Duration::from_secs(10), answer)
        .await
        .expect("an answer within 10 s")
        .map_or(0, |r| r.status().as_u16())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_started_with_1024_open_files_serves_past_them() {
    if raise_own_limit() < 2_500 {
        eprintln!("skipped: this system allows fewer than 2,500 open files");
        return;
    }
    let app = spawn(Backend::Sqlite).await;
    // Many systems start services with a soft limit of 1,024 open files.
    let server = Instance::start_limited(&app, &[], "-Sn 1024").await;
    let _idle = idle_connections(server.port, 1_100).await;
    assert_eq!(healthz(&server.base).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_capacity_are_closed_and_the_server_keeps_working() {
    raise_own_limit();
    let app = spawn(Backend::Sqlite).await;
    // 400 files leave room for 144 connections beside the 256 kept for the server's own use.
    let server = Instance::start_limited(&app, &[], "-n 400").await;
    let mut idle = idle_connections(server.port, 300).await;
    let mut closed = 0;
    for connection in &mut idle {
        let mut byte = [0_u8; 1];
        let read = tokio::time::timeout(Duration::from_millis(20), connection.read(&mut byte));
        if matches!(read.await, Ok(Ok(0) | Err(_))) {
            closed += 1;
        }
    }
    assert!(
        closed >= 100,
        "only {closed} of 300 connections were closed"
    );
    drop(idle);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        healthz(&server.base).await,
        200,
        "the database is still reachable"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_of_the_largest_uploads_at_once_stay_under_a_gigabyte() {
    let app = spawn(Backend::Sqlite).await;
    app.seed_demo().await;
    create(&app, "admin@example.org", Role::Admin).await;
    let server = Instance::start(&app, &[]).await;
    let client = crate::support::staff::client();
    let signed_in = client
        .post(format!("{}/api/staff/sign-in", server.base))
        .header("origin", PUBLIC_URL)
        .form(&[("email", "admin@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .expect("an answer");
    let cookie = session_cookie(&signed_in).expect("a session");
    // The most an upload may be: 8000 x 8000 pixels of 16-bit RGBA, 512 MiB once decoded.
    let side = app::artworks::upload::MAX_SIDE;
    let png = crate::support::png::zeros_rgba16(side);

    let uploads = (0..4).map(|n| {
        let form = artwork_form(png.clone(), &[("title", &format!("Night {n}"))]);
        let request = client
            .post(format!(
                "{}/api/staff/campaigns/little-painters/artworks",
                server.base
            ))
            .header("origin", PUBLIC_URL)
            .header("cookie", &cookie)
            .multipart(form);
        async move { request.send().await.expect("an answer").status().as_u16() }
    });
    let answers = join_all(uploads).await;
    assert_eq!(answers, [303; 4], "each upload is taken, in its turn");
    let peak = server.peak_memory();
    eprintln!("peak memory: {} MiB", peak / 1024 / 1024);
    assert!(
        peak < 1024 * 1024 * 1024,
        "the server peaked at {} MiB",
        peak / 1024 / 1024
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_sign_ins_raises_memory_by_tens_of_megabytes_at_most() {
    let app = spawn(Backend::Sqlite).await;
    create(&app, "admin@example.org", Role::Admin).await;
    let server = Instance::start(&app, &[]).await;
    let client = crate::support::staff::client();
    let before = server.peak_memory();

    let guesses = (0..100).map(|n| {
        let request = client
            .post(format!("{}/api/staff/sign-in", server.base))
            .header("origin", PUBLIC_URL)
            .form(&[
                ("email", format!("guess{n}@example.org")),
                ("password", "a guess".into()),
            ]);
        async move { request.send().await.expect("an answer").status().as_u16() }
    });
    let answers = join_all(guesses).await;
    assert!(
        answers.iter().all(|status| [401, 429].contains(status)),
        "{answers:?}"
    );
    let growth = server.peak_memory().saturating_sub(before);
    eprintln!("peak memory growth: {} MiB", growth / 1024 / 1024);
    assert!(
        growth < 64 * 1024 * 1024,
        "a burst of sign-ins raised the server's peak memory by {} MiB",
        growth / 1024 / 1024
    );
}

/// The SQLite log's size on disk, from the database's URL.
fn log_file_size(database_url: &str) -> u64 {
    let path = format!("{}-wal", database_url.trim_start_matches("sqlite://"));
    std::fs::metadata(path).map_or(0, |m| m.len())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writing_without_a_pause_keeps_the_sqlite_log_bounded_on_disk() {
    const MB: u64 = 1024 * 1024;
    let app = spawn(Backend::Sqlite).await;
    sqlx::query("CREATE TABLE scratch (id INTEGER PRIMARY KEY, b BLOB NOT NULL)")
        .execute(app.db.pool())
        .await
        .expect("a scratch table");
    // A reader that never rests, as viewers of a busy campaign page do.
    let reader = {
        let pool = app.db.pool().clone();
        tokio::spawn(async move {
            loop {
                let _: Result<i64, _> = sqlx::query_scalar("SELECT COUNT(*) FROM scratch")
                    .fetch_one(&pool)
                    .await;
            }
        })
    };
    // 100 MB through the log at about the pace of a busy day's gifts (30 MB a second); each
    // transaction replaces the last one's row, so the database stays small and only the log
    // could grow.
    let blob = vec![7_u8; 256 * 1024];
    let mut largest = 0;
    for n in 0..400_i64 {
        let mut w = app.db.begin_write().await.expect("a write turn");
        sqlx::query("DELETE FROM scratch WHERE id = $1")
            .bind(n - 1)
            .execute(&mut *w.tx)
            .await
            .expect("delete");
        sqlx::query("INSERT INTO scratch (id, b) VALUES ($1, $2)")
            .bind(n)
            .bind(&blob)
            .execute(&mut *w.tx)
            .await
            .expect("insert");
        w.commit().await.expect("commit");
        largest = largest.max(log_file_size(&app.database_url));
        tokio::time::sleep(Duration::from_millis(8)).await;
    }
    reader.abort();
    assert!(
        largest < 48 * MB,
        "the log grew to {} MB on disk for 100 MB written",
        largest / MB
    );
}
