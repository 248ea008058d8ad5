//! Giving, end to end over HTTP: checkout (JSON and form), the demo checkout, signed webhooks
//! applied exactly once, refunds, totals and the reconcile check. Each runs on SQLite and on
//! PostgreSQL.

use crate::support::events::{refund_event, session, session_event};
use crate::support::giving::{status_of, wait_for_raised, wait_for_status};
use crate::support::{spawn, spawn_configured, Backend, TestApp, ROTATED_SECRET, WEBHOOK_SECRET};
use app::donations::ledger::{self, Applied, DonationRef, PaymentChange, PaymentEvent};
use app::ids::DonationId;
use giving_gallery::demo_stripe::objects;
use giving_gallery::demo_stripe::Chaos;
use giving_gallery::demo_stripe::SessionStatus;
use serde_json::{json, Value};
use std::time::Duration;

const CAMPAIGN: &str = "little-painters";
const ARTWORK: &str = "sun-over-the-hills";
const CHECKOUT: &str = "/api/campaigns/little-painters/checkout";

fn gift(amount_minor: i64) -> Value {
    json!({ "artwork": ARTWORK, "amount_minor": amount_minor, "currency": "CNY",
            "display_name": "Li Wei", "message": "加油!", "email": "li@example.cn" })
}

/// Starts a gift through the JSON API and returns the answer's body.
async fn checkout(app: &TestApp, amount_minor: i64, key: &str) -> Value {
    let response = app
        .post_json(CHECKOUT, &gift(amount_minor), &[("idempotency-key", key)])
        .await;
    assert_eq!(response.status(), 200, "checkout should open");
    response.json().await.expect("checkout JSON")
}

async fn raised_and_donors(app: &TestApp) -> (i64, i64) {
    let p = app.progress(CAMPAIGN).await;
    (
        p["raised_minor"].as_i64().expect("raised"),
        p["donors"].as_i64().expect("donors"),
    )
}

async fn assert_reconciles(app: &TestApp) {
    let report = app::donations::ledger::reconcile(&app.db)
        .await
        .expect("reconcile runs");
    assert!(
        report.iter().all(|r| r.balanced()),
        "totals drifted: {report:?}"
    );
}

async fn giving_through_the_demo_checkout_counts_the_gift_once(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let started = checkout(&app, 1_000, "key-demo-1").await;
    let donation = started["donation_id"].as_str().expect("donation id");
    let url = app.local(started["checkout_url"].as_str().expect("a checkout URL"));
    assert!(started["checkout_session_id"]
        .as_str()
        .is_some_and(|s| s.starts_with("cs_test_")));

    // The hosted page says no money moves.
    let page = app.client.get(&url).send().await.expect("checkout page");
    let html = page.text().await.expect("html");
    assert!(html.contains("Demo: no money moves"), "{html}");
    assert!(html.contains("¥10"), "the amount is shown");

    // The thank-you page says "confirming" before the payment.
    let (status, thanks) = app.get_text(&format!("/donations/{donation}")).await;
    assert_eq!(status, 200);
    assert!(thanks.contains("Confirming your gift"), "{thanks}");

    let paid = app.post_form(&url, &[("outcome", "pay")]).await;
    assert_eq!(paid.status(), 303);
    let success = paid.headers()["location"].to_str().expect("location");
    assert_eq!(
        success,
        format!("https://give.example.org/donations/{donation}")
    );
    wait_for_status(&app, donation, "paid").await;
    assert_eq!(raised_and_donors(&app).await, (1_000, 1));
    let (_, thanks) = app.get_text(&format!("/donations/{donation}")).await;
    assert!(thanks.contains("Thank you, Li Wei!"), "{thanks}");
    assert!(thanks.contains("No. 1"), "the first certificate number");

    // Paying again on a closed session does nothing.
    let again = app.post_form(&url, &[("outcome", "pay")]).await;
    assert_eq!(again.status(), 200);
    let closed = again.text().await.expect("a page");
    assert!(
        closed.contains(r#"<a href="https://give.example.org/campaigns/little-painters">"#),
        "the way back leads to the campaign: {closed}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(raised_and_donors(&app).await, (1_000, 1));
    assert_reconciles(&app).await;
}

async fn delayed_payments_wait_then_count_or_fail(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let ok = checkout(&app, 2_000, "key-delayed-ok").await;
    let failing = checkout(&app, 5_000, "key-delayed-fails").await;
    let expiring = checkout(&app, 10_000, "key-expires").await;
    let url = |v: &Value| app.local(v["checkout_url"].as_str().expect("url"));
    let id = |v: &Value| v["donation_id"].as_str().expect("id").to_owned();
    app.post_form(&url(&ok), &[("outcome", "delayed")]).await;
    app.post_form(&url(&failing), &[("outcome", "delayed_fails")])
        .await;
    app.post_form(&url(&expiring), &[("outcome", "expire")])
        .await;
    wait_for_status(&app, &id(&ok), "awaiting_payment").await;
    assert_eq!(raised_and_donors(&app).await, (0, 0), "not paid yet");
    wait_for_status(&app, &id(&ok), "paid").await;
    wait_for_status(&app, &id(&failing), "failed").await;
    wait_for_status(&app, &id(&expiring), "expired").await;
    assert_eq!(raised_and_donors(&app).await, (2_000, 1));
    let (_, page) = app.get_text(&format!("/donations/{}", id(&failing))).await;
    assert!(page.contains("The payment did not go through"), "{page}");
    assert_reconciles(&app).await;
}

async fn the_same_idempotency_key_opens_one_checkout(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let first = checkout(&app, 1_000, "same-key").await;
    let again = checkout(&app, 1_000, "same-key").await;
    assert_eq!(first, again);
    // Ten at once with a new key: one donation, one session.
    let answers = futures_join(&app, "concurrent-key").await;
    let sessions: std::collections::BTreeSet<_> = answers
        .iter()
        .map(|a| {
            a["checkout_session_id"]
                .as_str()
                .expect("session")
                .to_owned()
        })
        .collect();
    assert_eq!(sessions.len(), 1, "{answers:?}");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM donations WHERE idempotency_key = $1")
        .bind("concurrent-key")
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(rows, 1);
    // The key with another request is refused.
    let other = app
        .post_json(CHECKOUT, &gift(2_000), &[("idempotency-key", "same-key")])
        .await;
    assert_eq!(other.status(), 422);
    let body: Value = other.json().await.expect("json");
    assert_eq!(body["error"], "idempotency_key_reused");
}

async fn futures_join(app: &TestApp, key: &str) -> Vec<Value> {
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let client = app.client.clone();
        let url = app.url(CHECKOUT);
        let key = key.to_owned();
        tasks.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .header("idempotency-key", key)
                .json(&gift(1_000))
                .send()
                .await
                .expect("answers");
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.expect("json")
        }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    answers
}

async fn bad_amounts_are_refused_and_change_nothing(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let cases = [
        (json!(0), "amount_not_positive"),
        (json!(-500), "amount_not_positive"),
        (json!(499), "amount_below_minimum"),
        (json!(100_000_000), "amount_too_large"),
        (json!("ten"), "invalid_request"),
        (json!(1e30), "invalid_request"),
        (json!(12.5), "invalid_request"),
    ];
    let mut answers = Vec::new();
    for (amount, code) in cases {
        let mut body = gift(1_000);
        body["amount_minor"] = amount.clone();
        let response = app.post_json(CHECKOUT, &body, &[]).await;
        assert_eq!(response.status(), 400, "{amount}");
        let error: Value = response.json().await.expect("json");
        assert_eq!(error["error"], code, "{amount}");
        answers.push(json!({ "amount_minor": amount, "answer": error }));
    }
    // What a donor or an API client reads, word for word.
    insta::assert_json_snapshot!("bad_amounts", answers);
    // An integer too large for any amount type.
    let overflow = app
        .client
        .post(app.url(CHECKOUT))
        .header("content-type", "application/json")
        .body(r#"{"artwork":"sun-over-the-hills","amount_minor":99999999999999999999999,"currency":"CNY"}"#)
        .send()
        .await
        .expect("answers");
    assert_eq!(overflow.status(), 400);
    let mut usd = gift(1_000);
    usd["currency"] = json!("USD");
    let response = app.post_json(CHECKOUT, &usd, &[]).await;
    assert_eq!(response.status(), 400);
    let mut unknown = gift(1_000);
    unknown["artwork"] = json!("no-such-artwork");
    assert_eq!(app.post_json(CHECKOUT, &unknown, &[]).await.status(), 404);
    let missing = app
        .post_json(
            "/api/campaigns/no-such-campaign/checkout",
            &gift(1_000),
            &[],
        )
        .await;
    assert_eq!(missing.status(), 404);
    // Chinese readers get the reason in Chinese.
    let mut low = gift(1_000);
    low["amount_minor"] = json!(100);
    let response = app
        .post_json(CHECKOUT, &low, &[("accept-language", "zh-CN")])
        .await;
    let error: Value = response.json().await.expect("json");
    assert_eq!(error["message"], "最低捐赠金额为 ¥5。");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM donations")
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(rows, 0, "no refused request left a donation behind");
}

async fn a_closed_campaign_takes_no_new_gift(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let open = checkout(&app, 1_000, "before-close").await;
    sqlx::query("UPDATE campaigns SET ends_at = starts_at + 1")
        .execute(app.db.pool())
        .await
        .expect("closing the campaign");
    // Checkouts keep what they read of a campaign for a second; a change made outside the site
    // (here, in the database) reaches them after it. Staff edits reach them at once.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let refused = app
        .post_json(
            CHECKOUT,
            &gift(1_000),
            &[("idempotency-key", "after-close")],
        )
        .await;
    assert_eq!(refused.status(), 409);
    let body: Value = refused.json().await.expect("json");
    assert_eq!(body["error"], "campaign_closed");
    // The checkout opened before the close is still the donor's, and still counts when paid.
    assert_eq!(checkout(&app, 1_000, "before-close").await, open);
    let url = app.local(open["checkout_url"].as_str().expect("url"));
    app.post_form(&url, &[("outcome", "pay")]).await;
    wait_for_status(&app, open["donation_id"].as_str().expect("id"), "paid").await;
    assert_eq!(raised_and_donors(&app).await, (1_000, 1));
}

async fn the_adopt_form_works_without_javascript(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let action = app.url("/campaigns/little-painters/artworks/sun-over-the-hills/give");
    let common = [
        ("artwork", ARTWORK),
        ("currency", "CNY"),
        ("display_name", "Ana"),
        ("show_amount", "1"),
        ("idempotency_key", "form-key-1"),
    ];
    let mut fields = common.to_vec();
    fields.extend([("amount", "other"), ("custom_amount", "12.50")]);
    let response = app.post_form(&action, &fields).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().expect("location");
    assert!(location.contains("/demo-checkout/cs_test_"), "{location}");
    let amount: i64 = sqlx::query_scalar("SELECT amount_minor FROM donations")
        .fetch_one(app.db.pool())
        .await
        .expect("a donation");
    assert_eq!(amount, 1_250);

    // Back from the checkout, the same form sent again opens the same checkout; with another
    // amount it opens a new one, never an error.
    let mut again = common.to_vec();
    again.extend([("amount", "other"), ("custom_amount", "12.50")]);
    let same = app.post_form(&action, &again).await;
    assert_eq!(same.headers()["location"], location, "the open checkout");
    let mut changed = common.to_vec();
    changed.extend([("amount", "other"), ("custom_amount", "20")]);
    let new = app.post_form(&action, &changed).await;
    let new = new.headers()["location"].to_str().expect("location");
    assert!(
        new.contains("/demo-checkout/cs_test_") && new != location,
        "{new}"
    );

    // Typed without JavaScript while a preset is still selected: what was typed is charged.
    let mut typed = common.to_vec();
    typed[4] = ("idempotency_key", "form-key-3");
    typed.extend([("amount", "500"), ("custom_amount", "50")]);
    assert_eq!(app.post_form(&action, &typed).await.status(), 303);
    let mut amounts: Vec<i64> =
        sqlx::query_scalar("SELECT amount_minor FROM donations ORDER BY amount_minor")
            .fetch_all(app.db.pool())
            .await
            .expect("donations");
    amounts.sort_unstable();
    assert_eq!(amounts, [1_250, 2_000, 5_000]);

    let mut fields = common.to_vec();
    fields[4] = ("idempotency_key", "form-key-2");
    fields.extend([("amount", "other"), ("custom_amount", "3")]);
    let response = app.post_form(&action, &fields).await;
    assert_eq!(response.status(), 303);
    let back = response.headers()["location"].to_str().expect("location");
    assert_eq!(
        back,
        "/campaigns/little-painters/artworks/sun-over-the-hills?error=amount_below_minimum#give"
    );
    let (_, page) = app
        .get_text(
            "/campaigns/little-painters/artworks/sun-over-the-hills?error=amount_below_minimum",
        )
        .await;
    assert!(
        page.contains("The least you can give is ¥5."),
        "the page explains why"
    );
}

async fn webhook_signatures_are_checked(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let started = checkout(&app, 1_000, "sig").await;
    let donation = started["donation_id"].as_str().expect("id");
    let s = session(donation, 1_000, "cny", SessionStatus::Paid);
    let payload = session_event("evt_sig_1", "checkout.session.completed", &s);
    let now = support_now();

    assert_eq!(app.deliver(&payload, "whsec_wrong", None).await, 400);
    let tampered = payload.replace("1000", "9000");
    let good_for_original =
        stripe_webhook::Webhook::generate_test_header(&payload, WEBHOOK_SECRET, None);
    assert_eq!(app.deliver_signed(&tampered, &good_for_original).await, 400);
    assert_eq!(
        app.deliver(&payload, WEBHOOK_SECRET, Some(now - 301)).await,
        400
    );
    assert_eq!(app.deliver_signed(&payload, "").await, 400);
    let unsigned = app
        .client
        .post(app.url("/webhooks/stripe"))
        .body(payload.clone())
        .send()
        .await
        .expect("answers");
    assert_eq!(unsigned.status(), 400);
    assert_eq!(app.deliver("{not json", WEBHOOK_SECRET, None).await, 400);
    assert_eq!(
        raised_and_donors(&app).await,
        (0, 0),
        "nothing refused counted"
    );

    // During a rotation Stripe signs with both secrets; either configured secret is accepted.
    let old = stripe_webhook::Webhook::generate_test_header(&payload, "whsec_retired", Some(now));
    let new = stripe_webhook::Webhook::generate_test_header(&payload, ROTATED_SECRET, Some(now));
    let v1_new = new.split(",v1=").nth(1).expect("a v1 signature");
    let both = format!("{old},v1={v1_new}");
    assert_eq!(app.deliver_signed(&payload, &both).await, 200);
    assert_eq!(raised_and_donors(&app).await, (1_000, 1));
}

fn support_now() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs(),
    )
    .expect("fits")
}

async fn an_event_delivered_many_times_counts_once(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let first = checkout(&app, 1_000, "dup-1").await;
    let second = checkout(&app, 2_000, "dup-2").await;
    let id = |v: &Value| v["donation_id"].as_str().expect("id").to_owned();
    let one = session_event(
        "evt_dup_seq",
        "checkout.session.completed",
        &session(&id(&first), 1_000, "cny", SessionStatus::Paid),
    );
    for _ in 0..10 {
        assert_eq!(app.deliver(&one, WEBHOOK_SECRET, None).await, 200);
    }
    let two = session_event(
        "evt_dup_concurrent",
        "checkout.session.completed",
        &session(&id(&second), 2_000, "cny", SessionStatus::Paid),
    );
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let client = app.client.clone();
        let url = app.url("/webhooks/stripe");
        let payload = two.clone();
        tasks.push(tokio::spawn(async move {
            let signature =
                stripe_webhook::Webhook::generate_test_header(&payload, WEBHOOK_SECRET, None);
            client
                .post(url)
                .header("stripe-signature", signature)
                .body(payload)
                .send()
                .await
                .expect("answers")
                .status()
                .as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.expect("task"), 200);
    }
    assert_eq!(raised_and_donors(&app).await, (3_000, 2));
    let entries: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries")
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(entries, 2);
    let certificates: Vec<i64> =
        sqlx::query_scalar("SELECT certificate_number FROM donations ORDER BY certificate_number")
            .fetch_all(app.db.pool())
            .await
            .expect("numbers");
    assert_eq!(certificates, vec![1, 2]);
    assert_reconciles(&app).await;
}

async fn events_out_of_order_come_out_the_same(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let a = checkout(&app, 1_000, "ooo-a").await;
    let b = checkout(&app, 2_000, "ooo-b").await;
    let c = checkout(&app, 5_000, "ooo-c").await;
    let id = |v: &Value| v["donation_id"].as_str().expect("id").to_owned();
    let send = |payload: String| {
        let app = &app;
        async move {
            let status = app.deliver(&payload, WEBHOOK_SECRET, None).await;
            assert_eq!(status, 200, "{payload}");
        }
    };
    // A: the refund arrives before the payment.
    let sa = session(&id(&a), 1_000, "cny", SessionStatus::Paid);
    send(refund_event("evt_a_refund", &sa, 400)).await;
    assert_eq!(raised_and_donors(&app).await, (0, 0));
    send(session_event(
        "evt_a_paid",
        "checkout.session.completed",
        &sa,
    ))
    .await;
    assert_eq!(raised_and_donors(&app).await, (600, 1));
    // B: completed twice under two event ids, then refunded in full, then completed late.
    let sb = session(&id(&b), 2_000, "cny", SessionStatus::Paid);
    send(session_event("evt_b_1", "checkout.session.completed", &sb)).await;
    send(session_event("evt_b_2", "checkout.session.completed", &sb)).await;
    assert_eq!(raised_and_donors(&app).await, (2_600, 2));
    send(refund_event("evt_b_refund_part", &sb, 500)).await;
    assert_eq!(raised_and_donors(&app).await, (2_100, 2));
    send(refund_event("evt_b_refund_full", &sb, 2_000)).await;
    send(refund_event("evt_b_refund_part_late", &sb, 500)).await;
    send(session_event("evt_b_3", "checkout.session.completed", &sb)).await;
    assert_eq!(raised_and_donors(&app).await, (600, 1));
    assert_eq!(status_of(&app, &id(&b)).await, "refunded");
    // C: the delayed payment's success arrives after an expiry notice: the money counts.
    let sc = session(&id(&c), 5_000, "cny", SessionStatus::Expired);
    send(session_event(
        "evt_c_expired",
        "checkout.session.expired",
        &sc,
    ))
    .await;
    let sc = session(&id(&c), 5_000, "cny", SessionStatus::Paid);
    send(session_event(
        "evt_c_async",
        "checkout.session.async_payment_succeeded",
        &sc,
    ))
    .await;
    assert_eq!(raised_and_donors(&app).await, (5_600, 2));
    // An unpaid completion counts nothing; an amount that differs is held, not counted.
    let d = checkout(&app, 1_000, "ooo-d").await;
    let unpaid = session(&id(&d), 1_000, "cny", SessionStatus::CompleteUnpaid);
    send(session_event(
        "evt_d_unpaid",
        "checkout.session.completed",
        &unpaid,
    ))
    .await;
    assert_eq!(status_of(&app, &id(&d)).await, "awaiting_payment");
    let wrong = session(&id(&d), 999, "cny", SessionStatus::Paid);
    send(session_event(
        "evt_d_wrong",
        "checkout.session.async_payment_succeeded",
        &wrong,
    ))
    .await;
    assert_eq!(status_of(&app, &id(&d)).await, "held");
    assert_eq!(raised_and_donors(&app).await, (5_600, 2));
    // Types the ledger does not use, and events for no known donation: 200, ignored.
    let other = objects::event(
        "evt_other",
        "customer.created",
        json!({"id": "cus_1", "object": "customer"}),
        1,
    );
    send(other.to_string()).await;
    let stranger = session(
        "0123456789abcdef0123456789abcdef",
        1_000,
        "cny",
        SessionStatus::Paid,
    );
    send(session_event(
        "evt_stranger",
        "checkout.session.completed",
        &stranger,
    ))
    .await;
    assert_eq!(raised_and_donors(&app).await, (5_600, 2));
    assert_reconciles(&app).await;
}

async fn a_database_failure_asks_stripe_to_retry(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let started = checkout(&app, 1_000, "db-down").await;
    let s = session(
        started["donation_id"].as_str().expect("id"),
        1_000,
        "cny",
        SessionStatus::Paid,
    );
    let payload = session_event("evt_db_down", "checkout.session.completed", &s);
    app.db.close().await;
    assert_eq!(app.deliver(&payload, WEBHOOK_SECRET, None).await, 500);
}

/// A paid event for a donation, as the webhook translates it.
fn paid_event(event: &str, donation: &str, amount_minor: i64) -> PaymentEvent {
    PaymentEvent {
        id: event.to_owned(),
        type_name: "checkout.session.completed".to_owned(),
        donation: DonationRef::Id(DonationId::parse(donation).expect("an id")),
        change: PaymentChange::Completed {
            paid: true,
            amount_minor,
            currency: "cny".to_owned(),
            payment_intent: Some(format!("pi_{donation}")),
        },
    }
}

/// Events that arrive together are applied in one transaction, each as it would be alone:
/// duplicates inside the batch and across batches, a refund that finds its donation by the
/// payment an earlier event of the batch recorded, and certificates numbered in order.
async fn events_applied_together_count_as_apart(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let id = |v: Value| v["donation_id"].as_str().expect("id").to_owned();
    let a = id(checkout(&app, 1_000, "batch-a").await);
    let b = id(checkout(&app, 2_000, "batch-b").await);
    let c = id(checkout(&app, 5_000, "batch-c").await);
    let first = ledger::apply_batch(&app.db, &[paid_event("evt_b", &b, 2_000)])
        .await
        .expect("applies");
    assert!(matches!(first[..], [Applied::Changed { .. }]), "{first:?}");

    let refund = PaymentEvent {
        id: "evt_a_refund".to_owned(),
        type_name: "charge.refunded".to_owned(),
        donation: DonationRef::PaymentIntent(format!("pi_{a}")),
        change: PaymentChange::Refunded {
            refunded_minor: 300,
            currency: "cny".to_owned(),
        },
    };
    let ignored = PaymentEvent {
        id: "evt_other".to_owned(),
        type_name: "customer.created".to_owned(),
        donation: DonationRef::Unknown,
        change: PaymentChange::Ignored,
    };
    let stranger = paid_event("evt_stranger", &"f".repeat(32), 1_000);
    let batch = [
        paid_event("evt_a", &a, 1_000),
        paid_event("evt_a", &a, 1_000),
        refund,
        paid_event("evt_b", &b, 2_000),
        paid_event("evt_c", &c, 5_000),
        ignored,
        stranger,
    ];
    let applied = ledger::apply_batch(&app.db, &batch).await.expect("applies");
    let kinds: Vec<&str> = applied
        .iter()
        .map(|a| match a {
            Applied::Changed { .. } => "changed",
            Applied::NoChange => "no_change",
            Applied::Duplicate => "duplicate",
            Applied::UnknownDonation => "unknown",
            Applied::Ignored => "ignored",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "changed",
            "duplicate",
            "changed",
            "duplicate",
            "changed",
            "ignored",
            "unknown"
        ]
    );
    assert_eq!(raised_and_donors(&app).await, (2_000 + 700 + 5_000, 3));
    let certificate = |donation: String| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT certificate_number FROM donations WHERE id = $1")
                .bind(donation)
                .fetch_one(db.pool())
                .await
                .expect("a certificate")
        }
    };
    assert_eq!(
        (
            certificate(b).await,
            certificate(a).await,
            certificate(c).await
        ),
        (1, 2, 3)
    );
    let entries: Vec<i64> =
        sqlx::query_scalar("SELECT amount_minor FROM ledger_entries ORDER BY id")
            .fetch_all(app.db.pool())
            .await
            .expect("entries");
    assert_eq!(entries, [2_000, 1_000, -300, 5_000]);
    assert_reconciles(&app).await;
}

/// A refund is asked of Stripe through async-stripe (here the demo's API) and counts when its
/// `charge.refunded` event arrives: in part, then the rest; a repeated request refunds once; a
/// gift not paid, or an amount beyond what is left, is refused and asks nothing.
async fn refunds_go_through_stripe_and_count_when_their_event_arrives(backend: Backend) {
    use giving_gallery::payments::refunds::{refund, RefundError};
    let app = spawn(backend).await;
    app.seed_demo().await;
    let started = checkout(&app, 1_000, "refund-paid").await;
    let donation = started["donation_id"].as_str().expect("id").to_owned();
    let url = app.local(started["checkout_url"].as_str().expect("a checkout URL"));
    assert_eq!(
        app.post_form(&url, &[("outcome", "pay")]).await.status(),
        303
    );
    wait_for_status(&app, &donation, "paid").await;
    let id = DonationId::parse(&donation).expect("an id");
    let pending = checkout(&app, 2_000, "refund-pending").await;
    let pending = DonationId::parse(pending["donation_id"].as_str().expect("id")).expect("id");

    let ask = |id: DonationId, amount: i64, key: &'static str| {
        let app = &app;
        async move { refund(&app.payments, &app.db, &id, amount, key).await }
    };
    assert!(matches!(
        ask(pending, 1, "p").await,
        Err(RefundError::NotPaid)
    ));
    for too_much in [0, -5, 1_001] {
        assert!(matches!(
            ask(id.clone(), too_much, "x").await,
            Err(RefundError::BadAmount { refundable: 1_000 })
        ));
    }
    assert_eq!(
        raised_and_donors(&app).await,
        (1_000, 1),
        "nothing asked, nothing changed"
    );

    ask(id.clone(), 400, "press-1").await.expect("refund asked");
    wait_for_raised(&app, 600).await;
    ask(id.clone(), 400, "press-1")
        .await
        .expect("the same press again");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(raised_and_donors(&app).await, (600, 1), "refunded once");

    ask(id.clone(), 600, "press-2").await.expect("the rest");
    wait_for_status(&app, &donation, "refunded").await;
    assert_eq!(raised_and_donors(&app).await, (0, 0));
    assert!(matches!(
        ask(id, 1, "press-3").await,
        Err(RefundError::NotPaid)
    ));
    assert_reconciles(&app).await;
}

async fn events_the_webhook_never_got_are_caught_up_once(backend: Backend) {
    // The provider's deliveries all go astray, as when the endpoint was down for days.
    let chaos = Chaos {
        drop_percent: 100,
        ..Chaos::CALM
    };
    let app = spawn_configured(backend, chaos, &[]).await;
    app.seed_demo().await;
    let started = checkout(&app, 1_200, "key-lost-1").await;
    let donation = started["donation_id"].as_str().expect("donation id");
    let url = app.local(started["checkout_url"].as_str().expect("a checkout URL"));
    assert_eq!(
        app.post_form(&url, &[("outcome", "pay")]).await.status(),
        303
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(status_of(&app, donation).await, "pending");
    assert_eq!(raised_and_donors(&app).await, (0, 0));

    // The events API lists what was never delivered; the catch-up applies it once.
    let caught = app.catch_up.run().await.expect("the catch-up runs");
    assert_eq!((caught.listed, caught.applied), (1, 1));
    assert_eq!(status_of(&app, donation).await, "paid");
    assert_eq!(raised_and_donors(&app).await, (1_200, 1));
    let again = app.catch_up.run().await.expect("the catch-up runs again");
    assert_eq!((again.listed, again.applied), (1, 0));
    assert_eq!(raised_and_donors(&app).await, (1_200, 1));
    assert_reconciles(&app).await;
}

async fn one_client_cannot_open_checkouts_without_limit(backend: Backend) {
    let limits = [("CHECKOUT_PER_ADDRESS_PER_MINUTE", "6")];
    let app = spawn_configured(backend, Chaos::CALM, &limits).await;
    app.seed_demo().await;
    // Twenty at once from one address: a burst of two opens, the rest are told to wait.
    let tries = (0..20).map(|n| {
        let key = format!("key-flood-{n}");
        let app = &app;
        async move {
            app.post_json(CHECKOUT, &gift(1_000), &[("idempotency-key", key.as_str())])
                .await
        }
    });
    let answers = futures_util::future::join_all(tries).await;
    let opened = answers.iter().filter(|r| r.status() == 200).count();
    assert_eq!(opened, 2);
    for refused in answers.iter().filter(|r| r.status() != 200) {
        assert_eq!(refused.status(), 429);
        let wait: u64 = refused.headers()["retry-after"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("seconds");
        assert!((1..=11).contains(&wait), "Retry-After {wait}");
    }
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM donations")
        .fetch_one(app.db.pool())
        .await
        .expect("a count");
    assert_eq!(pending, 2, "a refused checkout records nothing");
    // The form says so in the donor's words.
    let form = app
        .post_form(
            &app.url("/campaigns/little-painters/artworks/sun-over-the-hills/give"),
            &[
                ("artwork", ARTWORK),
                ("currency", "CNY"),
                ("amount", "1000"),
            ],
        )
        .await;
    let back = form.headers()["location"].to_str().expect("ascii");
    assert!(back.contains("error=too_many_checkouts"), "{back}");
}

async fn abandoned_checkouts_expire_and_a_late_payment_still_counts(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let old = checkout(&app, 1_500, "key-abandoned").await;
    let old = old["donation_id"].as_str().expect("an id").to_owned();
    let fresh = checkout(&app, 1_000, "key-fresh").await;
    let fresh = fresh["donation_id"].as_str().expect("an id").to_owned();
    let day_and_more = 26 * 60 * 60 * 1000_i64;
    sqlx::query("UPDATE donations SET created_at = created_at - $1 WHERE id = $2")
        .bind(day_and_more)
        .bind(&old)
        .execute(app.db.pool())
        .await
        .expect("backdating a checkout");

    let expired = app::donations::store::expire_abandoned(&app.db)
        .await
        .expect("the sweep runs");
    assert_eq!(expired, 1);
    assert_eq!(status_of(&app, &old).await, "expired");
    assert_eq!(status_of(&app, &fresh).await, "pending");
    assert_eq!(raised_and_donors(&app).await, (0, 0));

    // Money that moved counts, even for a checkout we had given up on.
    let paid = session(&old, 1_500, "cny", SessionStatus::Paid);
    let event = session_event("evt_late_payment", "checkout.session.completed", &paid);
    assert_eq!(app.deliver(&event, WEBHOOK_SECRET, None).await, 200);
    assert_eq!(status_of(&app, &old).await, "paid");
    assert_eq!(raised_and_donors(&app).await, (1_500, 1));
    assert_reconciles(&app).await;
}

on_both_backends!(
    abandoned_checkouts_expire_and_a_late_payment_still_counts,
    events_the_webhook_never_got_are_caught_up_once,
    one_client_cannot_open_checkouts_without_limit,
    giving_through_the_demo_checkout_counts_the_gift_once,
    delayed_payments_wait_then_count_or_fail,
    the_same_idempotency_key_opens_one_checkout,
    bad_amounts_are_refused_and_change_nothing,
    a_closed_campaign_takes_no_new_gift,
    the_adopt_form_works_without_javascript,
    webhook_signatures_are_checked,
    an_event_delivered_many_times_counts_once,
    events_out_of_order_come_out_the_same,
    a_database_failure_asks_stripe_to_retry,
    events_applied_together_count_as_apart,
    refunds_go_through_stripe_and_count_when_their_event_arrives,
);
