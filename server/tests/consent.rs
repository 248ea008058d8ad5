//! Consent as an append-only record per artwork: a revised consent is a new version beside the
//! first; a withdrawal stops new checkouts at once on every instance, keeps past gifts and their
//! certificates, and shows on the artwork's page; each record is an entry of the public log that
//! `audit` checks. Every test runs on SQLite and on PostgreSQL.

use crate::staff::{fields_of, save, with};
use crate::support::events::{refund_event, session};
use crate::support::giving::{gift, give, CHECKOUT};
use crate::support::staff::{create, post_with_file, request, signed_in};
use crate::support::{
    artist_of, royalty_of, spawn, spawn_configured, Backend, TestApp, WEBHOOK_SECRET,
};
use app::staff::Role;
use app::transparency::proof::{verify_checkpoint, Policy};
use giving_gallery::audit::audit;
use giving_gallery::demo_stripe::{Chaos, SessionStatus};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::Duration;

const ADMIN: &str = "admin@example.org";
const VIEWER: &str = "viewer@example.org";
const CAMPAIGN: &str = "/campaigns/little-painters";
const ARTWORK: &str = "sun-over-the-hills";
const SAVE: &str = "/api/staff/campaigns/little-painters/artworks/sun-over-the-hills";
const WITHDRAW: &str =
    "/api/staff/campaigns/little-painters/artworks/sun-over-the-hills/withdrawal";
const DRAFT: &str = "/api/staff/artwork-draft?slug=little-painters&artwork=sun-over-the-hills";

/// The consent records of the demo's first artwork: (kind, royalty on gifts).
async fn records(app: &TestApp) -> Vec<(String, i64)> {
    sqlx::query_as(
        "SELECT c.kind, c.royalty_gifts_bp FROM consent_records c \
         JOIN artworks a ON a.id = c.artwork_id WHERE a.slug = $1 ORDER BY c.id",
    )
    .bind(ARTWORK)
    .fetch_all(app.db.pool())
    .await
    .expect("the records")
}

/// Waits until the public log holds `n` gift entries.
async fn gifts_logged(app: &TestApp, n: i64) {
    for _ in 0..100 {
        let (logged,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM log_entries WHERE kind = 'gift'")
                .fetch_one(app.db.pool())
                .await
                .expect("a count");
        if logged >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{n} gifts never reached the log");
}

async fn withdraw(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> u16 {
    request(app, Method::POST, WITHDRAW, Some(cookie))
        .form(fields)
        .send()
        .await
        .expect("answer")
        .status()
        .as_u16()
}

/// A signed consent form as a scanner's PDF.
const SIGNED_FORM: &[u8] = b"%PDF-1.4\n% Consent form for Lin Yue, signed by her mother\n%%EOF\n";

/// Saves the artwork form `pairs` with `file` as its signed consent form: the status.
async fn save_with_form(
    app: &TestApp,
    cookie: &str,
    pairs: &[(String, String)],
    file: &[u8],
) -> u16 {
    post_with_file(
        app,
        Some(cookie),
        SAVE,
        pairs,
        ("consent_form", file.to_vec()),
    )
    .await
}

/// The artwork's public `page` states the form's SHA-256 and never where the file is; admins
/// download it as it was sent, viewers and the public cannot, and nothing else is served there.
async fn the_signed_form_is_for_admins_only(
    app: &TestApp,
    admin: &str,
    viewer: &str,
    page: &str,
    sha256: &str,
) {
    assert!(page.contains(sha256), "the page states the form's SHA-256");
    assert!(!page.contains("consent-forms"));
    let path = format!("/api/staff/campaigns/little-painters/consent-forms/{sha256}.pdf");
    let download = get(app, Some(admin), path.clone()).await;
    assert_eq!(download.status(), 200);
    assert_eq!(
        download.headers()["content-type"],
        "application/octet-stream"
    );
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .unwrap_or_default();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert_eq!(
        download.bytes().await.expect("the file").as_ref(),
        SIGNED_FORM
    );
    assert_eq!(get(app, Some(viewer), path.clone()).await.status(), 403);
    assert_eq!(get(app, None, path.clone()).await.status(), 401);
    // Only a file a consent record names: not another format of it, nor any other name.
    for other in [
        path.replace(".pdf", ".png"),
        path.replace(sha256, &"0".repeat(64)),
        path.replace(&format!("{sha256}.pdf"), "..%2Fdocuments"),
    ] {
        assert_eq!(
            get(app, Some(admin), other.clone()).await.status(),
            404,
            "{other}"
        );
    }
}

async fn get(app: &TestApp, cookie: Option<&str>, path: String) -> reqwest::Response {
    request(app, Method::GET, &path, cookie)
        .send()
        .await
        .expect("answer")
}

/// Opens a checkout for the demo's first artwork at `base`: (status, JSON answer).
async fn checkout(app: &TestApp, base: &str, key: &str) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{base}{CHECKOUT}"))
        .header("idempotency-key", key)
        .json(&gift(500, json!({})))
        .send()
        .await
        .expect("answer");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_withdrawal_stops_new_gifts_everywhere_and_keeps_past_ones(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    create(&app, ADMIN, Role::Admin).await;
    create(&app, VIEWER, Role::Viewer).await;
    let cookie = signed_in(&app, ADMIN).await;
    let viewer = signed_in(&app, VIEWER).await;
    // PostgreSQL serves several instances: a second one on the same database. SQLite runs one.
    let other = match backend {
        Backend::Postgres => Some(
            spawn_configured(
                backend,
                Chaos::CALM,
                &[("DATABASE_URL", app.database_url.as_str())],
            )
            .await,
        ),
        Backend::Sqlite => None,
    };
    let before = give(&app, "before-the-withdrawal", gift(1_000, json!({}))).await;
    // Royalties follow the log's order: this gift is logged under the first consent.
    gifts_logged(&app, 1).await;

    // A revised consent is a new version; the first stays. Saving it unchanged adds nothing.
    let form = fields_of(&app, &cookie, DRAFT).await;
    let revised = with(
        form,
        &[
            ("royalty_percent", "7.5"),
            ("consent_prints", "on"),
            ("royalty_prints_percent", "10"),
            ("publish", "on"),
        ],
    );
    // It comes with the signed form, which a file that is no document cannot replace.
    assert_eq!(
        save_with_form(&app, &cookie, &revised, SIGNED_FORM).await,
        303
    );
    let not_a_document = with(revised.clone(), &[("royalty_percent", "8")]);
    assert_eq!(
        save_with_form(&app, &cookie, &not_a_document, b"GIF89a\x01\x00").await,
        415
    );
    // Saved again without a file (URL-encoded, as a form without one may be), the form stays.
    let again = with(fields_of(&app, &cookie, DRAFT).await, &[("publish", "on")]);
    assert_eq!(save(&app, &cookie, SAVE, &again).await.status(), 303);
    let versions = records(&app).await;
    assert_eq!(
        versions,
        [("consent".to_owned(), 500), ("consent".to_owned(), 750)]
    );
    let (_, page) = app
        .get_text(&format!("{CAMPAIGN}/artworks/{ARTWORK}"))
        .await;
    assert!(page.contains("Version 2 of this consent record"));
    assert!(page.contains("7.5%") && page.contains("gifts, certificates, prints"));
    let form_sha256 = hex::encode(Sha256::digest(SIGNED_FORM));
    the_signed_form_is_for_admins_only(&app, &cookie, &viewer, &page, &form_sha256).await;

    // A gift under the second version, and half of the first gift refunded: the refund counts
    // against the consent its gift was made under.
    give(&app, "after-the-revision", gift(999, json!({}))).await;
    let first = session(&before, 1_000, "cny", SessionStatus::Paid);
    let refund = refund_event("evt_half_of_the_first", &first, 500);
    assert_eq!(app.deliver(&refund, WEBHOOK_SECRET, None).await, 200);

    // Bad withdrawals are refused and record nothing; a viewer cannot withdraw.
    assert_eq!(
        withdraw(
            &app,
            &cookie,
            &[
                ("consenter", "neighbour"),
                ("given_by", "Lin Hua"),
                ("relationship", "mother")
            ]
        )
        .await,
        400
    );
    assert_eq!(
        withdraw(
            &app,
            &cookie,
            &[("consenter", "parent"), ("relationship", "mother")]
        )
        .await,
        400
    );
    assert_eq!(
        withdraw(
            &app,
            &viewer,
            &[
                ("consenter", "parent"),
                ("given_by", "Lin Hua"),
                ("relationship", "mother")
            ]
        )
        .await,
        403
    );
    assert_eq!(records(&app).await.len(), 2);
    // Every instance has just read the consent in force (and keeps what it read for a second).
    let mut bases = vec![app.url("")];
    bases.extend(other.iter().map(|o| o.url("")));
    for (n, base) in bases.iter().enumerate() {
        assert_eq!(
            checkout(&app, base, &format!("still-open-{n}")).await.0,
            200
        );
    }

    let by_the_mother = [
        ("consenter", "parent"),
        ("given_by", "Lin Hua"),
        ("relationship", "mother"),
        ("witnessed_by", "Zhao Min"),
    ];
    assert_eq!(withdraw(&app, &cookie, &by_the_mother).await, 303);

    // At once, no instance opens a checkout for it, with a clear reason.
    for (n, base) in bases.iter().enumerate() {
        let (status, body) = checkout(&app, base, &format!("after-{n}")).await;
        assert_eq!(status, 409, "{base}");
        assert_eq!(body["error"], "artwork_withdrawn", "{body}");
        assert!(body["message"]
            .as_str()
            .is_some_and(|m| m.contains("consent was withdrawn")));
    }
    // The form without JavaScript is sent back with the reason; other artworks still take gifts.
    let refused = app
        .client
        .post(app.url(&format!("{CAMPAIGN}/artworks/{ARTWORK}/give")))
        .form(&[
            ("artwork", ARTWORK),
            ("currency", "CNY"),
            ("amount", "500"),
            ("idempotency_key", "no-js-after"),
        ])
        .send()
        .await
        .expect("answer");
    let location = refused
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(location.contains("error=artwork_withdrawn"), "{location}");
    let other_artwork = app
        .post_json(
            CHECKOUT,
            &json!({ "artwork": "boats-at-dawn", "amount_minor": 500, "currency": "CNY" }),
            &[("idempotency-key", "another-artwork")],
        )
        .await;
    assert_eq!(other_artwork.status(), 200);

    // The page shows it withdrawn, with no form; the gift made before and its certificate stand.
    let (status, page) = app
        .get_text(&format!("{CAMPAIGN}/artworks/{ARTWORK}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Consent was withdrawn on"));
    assert!(!page.contains("adopt-form"));
    assert!(!page.contains("Lin Hua") && !page.contains("Zhao Min"));
    let view: Value = app
        .get(&format!("/api/pages/donation?id={before}&locale=en"))
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(view["status"], "paid", "{view}");
    // Its thank-you page plays the painter's voice message, with its words.
    assert_eq!(view["voice"]["content_type"], "audio/mpeg", "{view}");
    assert!(view["voice"]["transcript"]
        .as_str()
        .is_some_and(|words| words.contains("sun")));
    let certificate = view["share"]["certificate"]
        .as_str()
        .expect("a certificate");
    let card = app.get(certificate).await;
    assert_eq!(card.status(), 200);
    assert_eq!(card.headers()["content-type"], "image/jpeg");

    // A withdrawal is final: neither a second one nor a new consent is taken.
    assert_eq!(withdraw(&app, &cookie, &by_the_mother).await, 409);
    let renewed = with(
        fields_of(&app, &cookie, DRAFT).await,
        &[("royalty_percent", "9"), ("publish", "on")],
    );
    assert_eq!(save(&app, &cookie, SAVE, &renewed).await.status(), 409);
    assert_eq!(records(&app).await.len(), 3);

    // The log holds every version and the withdrawal, and the audit checks them.
    let (_, key) = app.get_text(&format!("{CAMPAIGN}/log/key")).await;
    let key = key.trim().to_owned();
    let (total,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM consent_records) + (SELECT COUNT(*) FROM spending_plans) \
         + (SELECT COUNT(*) FROM ledger_entries)",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("a count");
    for _ in 0..100 {
        let (_, note) = app.get_text(&format!("{CAMPAIGN}/log/checkpoint")).await;
        if verify_checkpoint(&note, &key).is_ok_and(|c| c.size == total as u64) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let report = audit(&app.url(CAMPAIGN), &key, &Policy::default())
        .await
        .expect("the audit passes");
    assert_eq!(report.size, total as u64);
    assert_eq!(
        (report.consents, report.withdrawals, report.plans),
        (25, 2, 1)
    );
    assert_eq!(
        (report.gifts, report.refunds, report.total),
        (2, 1, 1_000 + 999 - 500)
    );
    // The revised consent's entry names its signed form.
    let named: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM log_entries WHERE kind = 'consent' AND body LIKE $1")
            .bind(format!("%\nform pdf {form_sha256}\n%"))
            .fetch_all(app.db.pool())
            .await
            .expect("entries");
    assert_eq!(named.len(), 1, "{named:?}");
    assert!(named[0].0.contains("\nroyalty gifts 750 prints 1000\n"));
    // floor((1000 - 500) x 5%) + floor(999 x 7.5%) = 25 + 74, on the account the audit compared
    // figure by figure, and on the artist's page.
    assert_eq!(report.royalties_accrued, 99);
    assert_eq!(report.account_checked_at, total as u64);
    let artist = artist_of(&app, ARTWORK).await;
    let account: Value = app
        .get("/api/campaigns/little-painters/account")
        .await
        .json()
        .await
        .expect("JSON");
    let royalty = royalty_of(&account, &artist);
    assert_eq!(
        (
            royalty["accrued_minor"].as_i64(),
            royalty["paid_minor"].as_i64()
        ),
        (Some(99), Some(0)),
        "{account}"
    );
    let (status, artist_page) = app.get_text(&format!("{CAMPAIGN}/artists/{artist}")).await;
    assert_eq!(status, 200);
    assert!(
        artist_page.contains("0.99") && artist_page.contains("Consent was withdrawn on"),
        "{artist_page}"
    );
    assert!(!artist_page.contains("Lin Hua"));
    assert_eq!(
        app.get_text(&format!("{CAMPAIGN}/artists/nobody")).await.0,
        404
    );
    let (_, ledger) = app.get_text(&format!("{CAMPAIGN}/transparency")).await;
    assert!(ledger.contains("Consent withdrawn (A parent)"));
    assert!(ledger.contains("Consent (A parent): gifts, certificates, prints; artist's share 7.5%"));
}

on_both_backends!(a_withdrawal_stops_new_gifts_everywhere_and_keeps_past_ones);
