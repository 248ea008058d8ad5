//! Surge mode: beyond the provider's rate budget a checkout goes through a Payment Link made
//! ahead of time, paid on the (demo) provider's page and matched by its webhook to the right
//! donation; a second payment or a forged reference is held, never counted; links close with
//! their campaign or artwork; instances share one budget. Each runs on SQLite and PostgreSQL.

use crate::support::giving::wait_for_status;
use crate::support::staff::{create, request, signed_in};
use crate::support::{spawn_configured, Backend, TestApp};
use app::staff::Role;
use futures_util::future::join_all;
use giving_gallery::demo_stripe::Chaos;
use giving_gallery::payments::links;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

on_both_backends!(
    a_surge_goes_through_payment_links_and_every_gift_counts_once,
    instances_share_one_budget_and_links_close_with_their_artwork,
);

const CHECKOUT: &str = "/api/campaigns/little-painters/checkout";
const ARTWORK: &str = "sun-over-the-hills";

/// A server whose provider allows 10 operations a second (so 8 for us), with links on, and a
/// demo campaign of one artwork whose links are made.
async fn surging(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
    let mut overrides = vec![
        ("PAYMENT_LINKS", "on"),
        ("STRIPE_RATE_LIMIT", "10"),
        ("DEMO_STRIPE_RATE_LIMIT", "10"),
    ];
    overrides.extend_from_slice(extra);
    spawn_configured(backend, Chaos::default(), &overrides).await
}

async fn one_artwork_with_links(app: &TestApp) -> links::Kept {
    sqlx::query("UPDATE artworks SET published = 0 WHERE slug <> $1")
        .bind(ARTWORK)
        .execute(app.db.pool())
        .await
        .expect("other artworks withdrawn");
    let kept = links::keep(&app.db, &app.payments, &app.state.site)
        .await
        .expect("links made");
    // The budget refills after the links' calls.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    kept
}

/// An amount of the donor's own, opened right after a burst: once the budget is spent it goes
/// through the artwork's donor-chosen link. A slow machine can take over a second for the burst,
/// and the budget refills meanwhile: the donors who come first then get checkout sessions, as
/// they should, and a later one the link. Returns the donation and its URL.
async fn own_amount_through_link(app: &TestApp) -> (String, String) {
    for attempt in 0..20 {
        let opened = checkouts(app, &format!("own-{attempt}"), &[2_345]).await;
        let (id, url) = opened.into_iter().next().expect("a checkout");
        if url.contains("/demo-pay/") {
            return (id, url);
        }
    }
    panic!("no amount of the donor's own went through its link");
}

/// Opens `n` checkouts at once; returns each answer's checkout URL.
async fn checkouts(app: &TestApp, prefix: &str, amounts: &[i64]) -> Vec<(String, String)> {
    join_all(amounts.iter().enumerate().map(|(n, amount)| async move {
        let gift = json!({ "artwork": ARTWORK, "amount_minor": amount, "currency": "CNY",
                           "email": format!("donor{n}@example.org") });
        let response = app
            .post_json(
                CHECKOUT,
                &gift,
                &[("idempotency-key", &format!("{prefix}-{n}"))],
            )
            .await;
        assert_eq!(response.status(), 200, "no donor is refused");
        let body: Value = response.json().await.expect("JSON");
        (
            body["donation_id"].as_str().expect("an id").to_owned(),
            body["checkout_url"].as_str().expect("a URL").to_owned(),
        )
    }))
    .await
}

/// Opens a link (or session) address, pays on the hosted page (entering `amount` when asked),
/// and follows the return address; returns where the donor lands.
async fn pay_on_hosted_page(app: &TestApp, url: &str, amount: Option<&str>) -> String {
    let opened = app
        .client
        .get(app.local(url))
        .send()
        .await
        .expect("the link opens");
    let session_page = match opened.status().as_u16() {
        303 | 302 | 307 => opened.headers()["location"]
            .to_str()
            .expect("a location")
            .to_owned(),
        200 => url.to_owned(),
        other => panic!("the link answered {other}"),
    };
    let mut fields = vec![("outcome", "pay")];
    if let Some(amount) = amount {
        fields.push(("amount", amount));
    }
    let paid = app.post_form(&app.local(&session_page), &fields).await;
    assert_eq!(paid.status(), 303);
    let back = paid.headers()["location"]
        .to_str()
        .expect("a return address")
        .to_owned();
    let landed = app
        .client
        .get(app.local(&back))
        .send()
        .await
        .expect("the return page");
    match landed.headers().get("location") {
        Some(location) => location.to_str().expect("a location").to_owned(),
        None => landed.text().await.expect("a page"),
    }
}

async fn donation(app: &TestApp, id: &str) -> (String, i64, Option<String>) {
    sqlx::query_as("SELECT status, amount_minor, payment_link_id FROM donations WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("the donation")
}

/// The payments line of the campaign's staff dashboard, as the page is served.
async fn payments_line(app: &TestApp, cookie: &str) -> String {
    let page = request(
        app,
        Method::GET,
        "/staff/campaigns/little-painters",
        Some(cookie),
    )
    .send()
    .await
    .expect("an answer")
    .text()
    .await
    .expect("the dashboard");
    let (_, line) = page
        .split_once(r#"data-testid="payments-mode""#)
        .and_then(|(_, rest)| rest.split_once('>'))
        .expect("the payments line");
    let line = line.split("</p>").next().unwrap_or_default();
    line.replace("<!---->", "")
        .replace("<!>", "")
        .trim()
        .to_owned()
}

async fn held(app: &TestApp) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT reason FROM held_payments ORDER BY reason")
        .fetch_all(app.db.pool())
        .await
        .expect("held payments");
    rows.into_iter().map(|(r,)| r).collect()
}

async fn a_surge_goes_through_payment_links_and_every_gift_counts_once(backend: Backend) {
    let app = surging(backend, &[]).await;
    app.seed_demo().await;
    // A donation for another artwork (of this campaign or any other), opened before the surge.
    // With no links made yet and a budget this small, the server's own calls may have spent it:
    // the donor is asked to try again in a moment, and does.
    let elsewhere = json!({ "artwork": "boats-at-dawn", "amount_minor": 1_000, "currency": "CNY",
                            "email": "elsewhere@example.org" });
    let mut answer = Value::Null;
    for _ in 0..20 {
        let response = app
            .post_json(CHECKOUT, &elsewhere, &[("idempotency-key", "elsewhere")])
            .await;
        let status = response.status();
        answer = response.json().await.expect("JSON");
        if status != 429 {
            assert_eq!(status, 200, "{answer}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let elsewhere = answer["donation_id"].as_str().expect("an id").to_owned();
    let kept = one_artwork_with_links(&app).await;
    assert_eq!(kept.created, 6, "five presets and a donor-chosen amount");

    // Twenty donors at once: the budget takes a few, links take the rest, nobody is refused.
    let opened = checkouts(&app, "surge", &[1_000; 19]).await;
    // Right after, an amount of the donor's own goes to the artwork's donor-chosen link.
    let (custom, custom_link) = own_amount_through_link(&app).await;
    let through_links: Vec<_> = opened
        .iter()
        .filter(|(_, url)| url.contains("/demo-pay/"))
        .collect();
    let sessions = opened.len() - through_links.len();
    assert!(
        (1..=8).contains(&sessions),
        "{sessions} sessions within the budget of 8"
    );
    assert!(through_links.len() >= 11);
    assert!(through_links
        .iter()
        .all(|(id, url)| url.contains(&format!("client_reference_id={id}"))));

    // Donors are told an amount of their own is typed again on the provider's page.
    let (_, page) = app
        .get_text("/campaigns/little-painters/artworks/sun-over-the-hills")
        .await;
    assert!(page.contains(r#"class="field-hint""#), "the surge note");

    // Operators see it: the mode, the links, the checkouts they took.
    let (_, metrics) = app.get_text("/metrics").await;
    assert!(metrics.contains("giving_gallery_surge_mode 1"), "{metrics}");
    assert!(metrics.contains("giving_gallery_payment_links_ready 6"));
    let via = format!(
        "giving_gallery_checkouts_via_links_total {}",
        through_links.len() + 1
    );
    assert!(metrics.contains(&via), "{metrics}");
    // And staff on the campaign's dashboard.
    create(&app, "viewer@example.org", Role::Viewer).await;
    let viewer = signed_in(&app, "viewer@example.org").await;
    let line = payments_line(&app, &viewer).await;
    assert!(
        line.starts_with("Payments: surge, through payment links · "),
        "{line}"
    );
    assert!(
        line.ends_with(" · 6 payment links ready · 0 payments held for review"),
        "{line}"
    );

    // A preset's link, paid on the provider's page, lands on the donor's thank-you page.
    let (first, link) = through_links.first().expect("a link");
    let landed = pay_on_hosted_page(&app, link, None).await;
    assert_eq!(landed, format!("/donations/{first}"));
    // The thank-you page waits for the payment's event to be recorded; so does the donor.
    wait_for_status(&app, first, "paid").await;
    let (status, amount, via) = donation(&app, first).await;
    assert_eq!((status.as_str(), amount), ("paid", 1_000));
    assert!(via.is_some(), "paid through its link");

    // The other amount goes through the artwork's donor-chosen link; what they enter counts.
    let landed = pay_on_hosted_page(&app, &custom_link, Some("25")).await;
    assert_eq!(landed, format!("/donations/{custom}"));
    wait_for_status(&app, &custom, "paid").await;
    let (status, amount, _) = donation(&app, &custom).await;
    assert_eq!((status.as_str(), amount), ("paid", 2_500));

    // Paying the same link address again is a second payment: held, not counted.
    let raised = app.progress("little-painters").await["raised_minor"]
        .as_i64()
        .expect("raised");
    let again = pay_on_hosted_page(&app, link, None).await;
    assert!(
        !again.starts_with("/donations/"),
        "the second payment finds no thank-you page"
    );
    // A reference to no donation, and one the provider drops (too long), are held too.
    let base = link.split('?').next().expect("a link");
    let unknown = format!("{base}?client_reference_id=d{}", "a".repeat(25));
    pay_on_hosted_page(&app, &unknown, None).await;
    let too_long = format!("{base}?client_reference_id={}", "b".repeat(201));
    pay_on_hosted_page(&app, &too_long, None).await;
    // So is one naming a real donation for another artwork: this link's artwork gets nothing
    // and that donation stays unpaid.
    let misdirected = format!("{base}?client_reference_id={elsewhere}");
    pay_on_hosted_page(&app, &misdirected, None).await;
    assert_eq!(
        held(&app).await,
        [
            "another_artwork",
            "another_session",
            "unknown_donation",
            "unknown_donation"
        ]
    );
    assert_eq!(donation(&app, &elsewhere).await.0, "pending");
    let line = payments_line(&app, &viewer).await;
    assert!(line.ends_with(" · 4 payments held for review"), "{line}");
    let after = app.progress("little-painters").await["raised_minor"]
        .as_i64()
        .expect("raised");
    assert_eq!(after, raised, "held payments are not counted");

    // Once the surge passes, checkouts open sessions of their own again.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    let calm = checkouts(&app, "calm", &[500]).await;
    assert!(calm[0].1.contains("/demo-checkout/"), "{}", calm[0].1);
    let reconciled = app::donations::ledger::reconcile(&app.db)
        .await
        .expect("reconcile");
    assert!(reconciled.iter().all(|r| r.balanced()));
}

async fn instances_share_one_budget_and_links_close_with_their_artwork(backend: Backend) {
    let first = surging(backend, &[]).await;
    first.seed_demo().await;
    one_artwork_with_links(&first).await;
    // On PostgreSQL a second instance shares the database, and with it the budget; SQLite
    // runs one instance, so there the second half is the first's alone.
    let second = match backend {
        Backend::Postgres => {
            Some(surging(backend, &[("DATABASE_URL", first.database_url.as_str())]).await)
        }
        Backend::Sqlite => None,
    };
    // Spend the budget through the first instance: checkouts open sessions until one goes to a
    // link. At once, the second instance finds the same budget spent.
    let mut link = None;
    for n in 0..50 {
        let (_, url) = checkouts(&first, &format!("drain-{n}"), &[500])
            .await
            .remove(0);
        if url.contains("/demo-pay/") {
            link = Some(url);
            break;
        }
    }
    let link = link.expect("the budget runs out");
    let (_, next) = checkouts(second.as_ref().unwrap_or(&first), "after", &[500])
        .await
        .remove(0);
    assert!(
        next.contains("/demo-pay/"),
        "one budget for both instances: {next}"
    );

    // When staff record that the artist's consent is withdrawn, the running keeper deactivates
    // the artwork's links at once (its round would otherwise come only every 20 s): the
    // provider's page is gone.
    create(&first, "admin@example.org", Role::Admin).await;
    let cookie = signed_in(&first, "admin@example.org").await;
    let withdrawal = format!("/api/staff/campaigns/little-painters/artworks/{ARTWORK}/withdrawal");
    let answer = request(&first, Method::POST, &withdrawal, Some(&cookie))
        .form(&[
            ("consenter", "parent"),
            ("given_by", "Lin Hua"),
            ("relationship", "mother"),
            ("witnessed_by", "Zhao Min"),
        ])
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 303);
    let mut ready = -1;
    for _ in 0..50 {
        ready = links::ready(&first.db).await.expect("counted");
        if ready == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ready, 0, "links deactivated within 5 s of the withdrawal");
    let gone = first
        .client
        .get(first.local(&link))
        .send()
        .await
        .expect("an answer");
    assert_eq!(gone.status(), 410);
}
