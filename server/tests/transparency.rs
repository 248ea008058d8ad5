//! The public log, over HTTP as its readers meet it: gifts and refunds reach a signed
//! checkpoint, `audit` adds the campaign up from the log alone, proofs verify offline, tampering
//! and forks are caught, and nothing in it names a donor. Each runs on SQLite and PostgreSQL.

use crate::support::events::{refund_event, session};
use crate::support::giving::{gift, give, pay};
use crate::support::{spawn, spawn_configured, Backend, TestApp, WEBHOOK_SECRET};
use app::transparency::proof::{verify_checkpoint, verify_proof, Checkpoint, Policy};
use giving_gallery::audit::audit;
use giving_gallery::demo_stripe::{Chaos, SessionStatus};
use serde_json::{json, Value};
use std::time::Duration;

const CAMPAIGN: &str = "/campaigns/little-painters";

on_both_backends!(
    gifts_and_refunds_reach_the_signed_log_and_audit_adds_them_up,
    a_changed_entry_or_hash_fails_the_audit,
    integrators_running_at_once_log_each_gift_exactly_once,
    a_key_refuses_to_sign_a_history_that_forgets_what_it_signed,
);

/// The log's verifier key, as the public fetches it.
async fn vkey(app: &TestApp) -> String {
    let (status, key) = app.get_text(&format!("{CAMPAIGN}/log/key")).await;
    assert_eq!(status, 200);
    key.trim().to_owned()
}

/// How many records the log holds besides gifts and refunds (the demo's consents, its
/// withdrawal and its spending plan, logged before any gift).
async fn consents(app: &TestApp) -> u64 {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM consent_records) + (SELECT COUNT(*) FROM spending_plans)",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("a count");
    count as u64
}

/// Waits (up to 10 s) for a signed checkpoint of `money` gift and refund entries after the
/// consent records, and returns it.
async fn checkpoint_of(app: &TestApp, money: u64) -> String {
    let size = money + consents(app).await;
    let key = vkey(app).await;
    for _ in 0..100 {
        let (status, note) = app.get_text(&format!("{CAMPAIGN}/log/checkpoint")).await;
        if status == 200 && verify_checkpoint(&note, &key).expect("signed").size == size {
            return note;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no checkpoint of {size} entries was signed");
}

/// How many gifts and refunds the ledger holds.
async fn ledger_entries(app: &TestApp) -> u64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM ledger_entries")
        .fetch_one(app.db.pool())
        .await
        .expect("a count");
    count as u64
}

async fn receipt(app: &TestApp, donation: &str) -> Value {
    app.get(&format!("/api/donations/{donation}/receipt"))
        .await
        .json()
        .await
        .expect("JSON")
}

async fn refund(app: &TestApp, donation: &str, amount: i64, refunded_in_all: i64) {
    let paid = session(donation, amount, "cny", SessionStatus::Paid);
    let event = refund_event(
        &format!("evt_refund_{donation}_{refunded_in_all}"),
        &paid,
        refunded_in_all,
    );
    assert_eq!(app.deliver(&event, WEBHOOK_SECRET, None).await, 200);
}

async fn gifts_and_refunds_reach_the_signed_log_and_audit_adds_them_up(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let donors = [
        ("Qian Xiuying", "qian.xiuying@example.cn", 1_000),
        ("Ana Lima", "ana.lima@example.org", 2_500),
        ("Feng Fang", "feng.fang@example.cn", 600),
    ];
    let mut donations = Vec::new();
    for (n, (name, email, amount)) in donors.iter().enumerate() {
        let id = give(
            &app,
            &format!("log-gift-{n}"),
            gift(*amount, json!({ "display_name": name, "email": email })),
        )
        .await;
        donations.push(id);
    }
    // A duplicate delivery, a refund in two parts (the second repeated) and one in full.
    pay(&app, &donations[0], 1_000).await;
    refund(&app, &donations[1], 2_500, 1_000).await;
    refund(&app, &donations[1], 2_500, 2_500).await;
    refund(&app, &donations[1], 2_500, 2_500).await;
    refund(&app, &donations[2], 600, 600).await;

    let entries = ledger_entries(&app).await;
    assert_eq!(entries, 6, "three gifts and three refunds");
    let note = checkpoint_of(&app, entries).await;
    let key = vkey(&app).await;
    // The demo's consents, withdrawal and plan come first, then the gifts and refunds.
    let c = consents(&app).await;
    assert_eq!(c, 26, "24 consents, a withdrawal and a plan");
    let size = c + 6;
    assert!(note.starts_with(&format!(
        "give.example.org/campaigns/little-painters\n{size}\n"
    )));
    assert!(key.starts_with("give.example.org/campaigns/little-painters+"));

    // The whole log, from outside, with nothing but the key.
    let report = audit(&app.url(CAMPAIGN), &key, &Policy::default())
        .await
        .expect("the audit passes");
    let progress = app.progress("little-painters").await;
    assert_eq!(
        report.total,
        progress["raised_minor"].as_i64().expect("raised")
    );
    assert_eq!(report.total, 1_000);
    assert_eq!((report.gifts, report.refunds), (3, 3));
    assert_eq!(
        (report.consents, report.withdrawals, report.plans),
        (24, 1, 1)
    );
    let reconciled = app::donations::ledger::reconcile(&app.db)
        .await
        .expect("reconcile");
    assert!(reconciled.iter().all(|r| r.balanced()));

    // Each donor's receipt and proof.
    let first = receipt(&app, &donations[0]).await;
    assert_eq!(first["status"], "recorded");
    assert_eq!(first["checkpoint_size"], size);
    let code = first["verification_code"].as_str().expect("a code");
    assert_eq!(code.len(), 26);
    assert_eq!(receipt(&app, &donations[2]).await["status"], "refunded");
    let (status, proof) = app
        .get_text(first["proof_url"].as_str().expect("a proof address"))
        .await;
    assert_eq!(status, 200);
    let verified = verify_proof(&proof, &key).expect("the proof verifies offline");
    assert_eq!(verified.entry.amount, 1_000);
    assert_eq!(
        Some(verified.index),
        first["log_index"].as_u64(),
        "the receipt and the proof name the same entry"
    );
    // The donor's certificate number and code open the entry's commitment, and find it.
    let certificate = first["certificate_number"].as_u64().expect("a number");
    let commitment = app::transparency::entry::commitment(
        "give.example.org/campaigns/little-painters",
        certificate,
        code,
    );
    assert!(verified.entry.to_text().contains(&commitment));
    let (status, found) = app
        .get_text(&format!("{CAMPAIGN}/log/gifts/{certificate}/{commitment}"))
        .await;
    assert_eq!(
        (status, verify_proof(&found, &key).map(|v| v.index)),
        (200, Ok(verified.index))
    );
    // One changed digit anywhere in the proof is refused.
    let hash_line = proof.lines().nth(3).expect("a proof hash");
    let bent_line = flip_first_letter(hash_line);
    assert!(verify_proof(&proof.replacen(hash_line, &bent_line, 1), &key).is_err());
    let amount_line = "amount 1000 CNY";
    let extra = proof.lines().nth(1).expect("the extra line");
    let bent_entry = app::transparency::entry::Entry::parse(
        &verified
            .entry
            .to_text()
            .replace(amount_line, "amount 9000 CNY"),
    );
    assert!(bent_entry.is_ok());
    use base64::Engine;
    let bent_extra = format!(
        "extra {}",
        base64::engine::general_purpose::STANDARD.encode(
            verified
                .entry
                .to_text()
                .replace(amount_line, "amount 9000 CNY")
        )
    );
    assert!(verify_proof(&proof.replacen(extra, &bent_extra, 1), &key).is_err());
    assert!(verify_proof(&proof, "give.example.org/campaigns/other+00000000+AQ==").is_err());

    // The transparency page states the log's total and size, and its key.
    let (status, page) = app.get_text(&format!("{CAMPAIGN}/transparency")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!(r#"data-testid="ledger-size">{size}<"#)),
        "{page}"
    );
    assert!(page.contains(&key));
    assert!(page.contains(&format!("Refund of entry {}", c + 1)));
    let (status, zh) = app
        .get_text_with(
            &format!("{CAMPAIGN}/transparency"),
            &[("accept-language", "zh-CN")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(zh.contains("公开账本") && zh.contains(&format!("退还第 {} 条的捐赠", c + 1)));

    // Nothing public names a donor, their address, their donation or their share.
    let mut public = vec![note, key.clone(), proof, found, page, zh];
    for path in [
        format!("tile/entries/000.p/{size}"),
        format!("tile/0/000.p/{size}"),
    ] {
        let bytes = app
            .get(&format!("{CAMPAIGN}/log/{path}"))
            .await
            .bytes()
            .await
            .expect("a tile");
        public.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    let (_, consistency) = app
        .get_text(&format!("{CAMPAIGN}/log/consistency?old=2&new={size}"))
        .await;
    public.push(consistency);
    let shares: Vec<(String,)> =
        sqlx::query_as("SELECT share_code FROM donations WHERE share_code IS NOT NULL")
            .fetch_all(app.db.pool())
            .await
            .expect("share codes");
    let mut secrets: Vec<String> = donations.clone();
    secrets.extend(shares.into_iter().map(|(code,)| code));
    // Nor does it name who gave consent for an artwork (unless the artist, by the name their
    // works carry), or who witnessed it.
    let consenters: Vec<(String, String)> = sqlx::query_as(
        "SELECT CASE WHEN consenter = 'artist' THEN witnessed_by ELSE given_by END, \
         witnessed_by FROM consent_records",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("consenters");
    for (given_by, witness) in consenters {
        secrets.extend([given_by, witness]);
    }
    for (name, email, _) in donors {
        secrets.extend([
            name.to_owned(),
            email.to_owned(),
            name.split(' ').next().unwrap_or(name).to_owned(),
        ]);
    }
    for text in &public {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{secret:?} appears in {text:?}"
            );
        }
    }
    // Only the donor's own receipt shows the verification code.
    assert!(!public.iter().any(|text| text.contains(code)));
}

fn flip_first_letter(line: &str) -> String {
    let mut chars: Vec<char> = line.chars().collect();
    chars[0] = if chars[0] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

async fn a_changed_entry_or_hash_fails_the_audit(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    for n in 0..3 {
        give(&app, &format!("tamper-{n}"), gift(700 + n, json!({}))).await;
    }
    checkpoint_of(&app, 3).await;
    let key = vkey(&app).await;
    audit(&app.url(CAMPAIGN), &key, &Policy::default())
        .await
        .expect("the audit passes before");

    // One stored hash changed: the tile no longer matches the entries.
    sqlx::query("UPDATE log_hashes SET hash = $1 WHERE hash_index = 1")
        .bind(vec![7_u8; 32])
        .execute(app.db.pool())
        .await
        .expect("a hash changed");
    let error = audit(&app.url(CAMPAIGN), &key, &Policy::default())
        .await
        .expect_err("the audit fails");
    assert!(format!("{error:#}").contains("disagrees"), "{error:#}");

    // One entry changed (past the append-only trigger): it no longer hashes to the signed root.
    let lift = match backend {
        Backend::Sqlite => "DROP TRIGGER log_entries_no_update",
        Backend::Postgres => "ALTER TABLE log_entries DISABLE TRIGGER log_entries_no_change",
    };
    sqlx::query(lift)
        .execute(app.db.pool())
        .await
        .expect("the trigger lifted");
    sqlx::query("UPDATE log_entries SET body = REPLACE(body, 'amount 701 CNY', 'amount 710 CNY')")
        .execute(app.db.pool())
        .await
        .expect("an entry changed");
    let error = audit(&app.url(CAMPAIGN), &key, &Policy::default())
        .await
        .expect_err("the audit fails");
    assert!(format!("{error:#}").contains("running total"), "{error:#}");
}

async fn integrators_running_at_once_log_each_gift_exactly_once(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let site = app.state.site.clone();
    let keys = app.state.log_keys.clone();
    // Four more integrators beside the server's own, while gifts arrive.
    let integrators: Vec<_> = (0..4)
        .map(|_| {
            let (db, keys, site) = (app.db.clone(), keys.clone(), site.clone());
            tokio::spawn(async move {
                for _ in 0..60 {
                    app::transparency::integrator::integrate_all(&db, &keys, &site)
                        .await
                        .expect("integration succeeds or waits its turn");
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            })
        })
        .collect();
    let gifts = futures_util::future::join_all((0..30).map(|n| {
        let app = &app;
        async move { give(app, &format!("race-{n}"), gift(500 + n, json!({}))).await }
    }))
    .await;
    for integrator in integrators {
        integrator.await.expect("an integrator finished");
    }
    checkpoint_of(&app, 30).await;
    let report = audit(&app.url(CAMPAIGN), &vkey(&app).await, &Policy::default())
        .await
        .expect("the audit passes");
    assert_eq!(report.gifts, 30);
    let (logged, distinct): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT ledger_entry_id) FROM log_entries \
             WHERE ledger_entry_id IS NOT NULL",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("counts");
    assert_eq!((logged, distinct), (30, 30));
    for donation in &gifts {
        assert_eq!(receipt(&app, donation).await["status"], "recorded");
    }
}

async fn a_key_refuses_to_sign_a_history_that_forgets_what_it_signed(backend: Backend) {
    let keys = tempfile::tempdir().expect("a folder");
    let key_dir = keys.path().display().to_string();
    let overrides = [("LOG_KEY_DIR", key_dir.as_str())];
    let first = spawn_configured(backend, Chaos::default(), &overrides).await;
    first.seed_demo().await;
    give(&first, "before-the-loss", gift(500, json!({}))).await;
    give(&first, "before-the-loss-2", gift(600, json!({}))).await;
    checkpoint_of(&first, 2).await;
    let signed = 2 + consents(&first).await;
    // The key's record is written just after the checkpoint is committed: wait for it.
    let origin = "give.example.org/campaigns/little-painters";
    for _ in 0..100 {
        let recorded = first
            .state
            .log_keys
            .last_signed(origin)
            .expect("the record");
        if recorded.is_some_and(|(size, _)| size == signed) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The database is lost; the server starts afresh with the same key and gifts arrive.
    let second = spawn_configured(backend, Chaos::default(), &overrides).await;
    second.seed_demo().await;
    give(&second, "after-the-loss", gift(700, json!({}))).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (status, _) = second.get_text(&format!("{CAMPAIGN}/log/checkpoint")).await;
    assert_eq!(status, 404, "nothing was signed over the forgotten history");
    // The server's own integrator is refused every round too; while it holds the campaign's
    // lock, this one finds the log busy (nothing done), and asks again.
    let mut refused = None;
    for _ in 0..100 {
        let round = app::transparency::integrator::integrate_all(
            &second.db,
            &second.state.log_keys,
            &second.state.site,
        )
        .await;
        match round {
            Err(error) => {
                refused = Some(error);
                break;
            }
            Ok(0) => tokio::time::sleep(Duration::from_millis(20)).await,
            Ok(n) => panic!("the integrator logged {n} entries over a forgotten history"),
        }
    }
    let refused = refused.expect("the integrator refuses");
    assert!(format!("{refused:#}")
        .contains(&format!("already signed a checkpoint of {signed} entries")));
}

/// Malformed tile paths, sizes out of range or absurd, unknown donations and commitments: a
/// clear 4xx each, and the server keeps serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_log_requests_get_clear_refusals() {
    let app = spawn(Backend::Sqlite).await;
    app.seed_demo().await;
    give(&app, "bad-input", gift(500, json!({}))).await;
    checkpoint_of(&app, 1).await;
    let huge = "18446744073709551615";
    let beyond = consents(&app).await + 2;
    for (path, expected) in [
        (format!("/log/tile/0/000.p/{beyond}"), 404),
        ("/log/tile/0/001".to_owned(), 404),
        ("/log/tile/9/000".to_owned(), 404),
        ("/log/tile/entries/x000/000".to_owned(), 404),
        ("/log/tile/entries/../000".to_owned(), 404),
        (format!("/log/tile/0/x{huge}/000"), 404),
        ("/log/consistency?old=0&new=1".to_owned(), 422),
        (format!("/log/consistency?old=1&new={huge}"), 422),
        (
            "/log/consistency?old=1&new=99999999999999999999999".to_owned(),
            400,
        ),
        ("/log/consistency?old=-1&new=1".to_owned(), 400),
        ("/log/consistency".to_owned(), 400),
        ("/log/gifts/1/xyz".to_owned(), 400),
        (format!("/log/gifts/x/{}", "a".repeat(64)), 400),
        (format!("/log/gifts/1/{}", "a".repeat(64)), 404),
        (format!("/log/gifts/{huge}/{}", "a".repeat(64)), 400),
    ] {
        let (status, _) = app.get_text(&format!("{CAMPAIGN}{path}")).await;
        assert_eq!(status, expected, "{path}");
    }
    for path in [
        "/campaigns/no-such-campaign/transparency",
        "/campaigns/no-such-campaign/log/checkpoint",
        "/campaigns/no-such-campaign/log/key",
        "/donations/not-a-donation/proof.tlog-proof",
        "/api/donations/not-a-donation/receipt",
        "/api/donations/0123456789abcdef0123456789abcdef/receipt",
    ] {
        assert_eq!(app.get_text(path).await.0, 404, "{path}");
    }
    let (status, _) = app
        .get_text(&format!("{CAMPAIGN}/log/tile/entries/000.p/1"))
        .await;
    assert_eq!(status, 200, "the log still serves");
    let note = checkpoint_of(&app, 1).await;
    assert_eq!(
        Checkpoint::parse(&note).expect("a checkpoint").size,
        1 + consents(&app).await
    );
}
