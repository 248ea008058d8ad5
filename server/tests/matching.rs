//! Matched giving: a match set by an admin is computed once per gift in the gift's transaction,
//! holds every cap at its boundary (also when the last gifts arrive together), is reversed by a
//! refund, shows on the progress JSON and the pages, and is logged in the public log after its
//! gift. A bad match form changes nothing. Every test runs on SQLite and on PostgreSQL; two
//! instances matching at once, on PostgreSQL.

use crate::staff::save;
use crate::support::events::{refund_event, session, session_event};
use crate::support::giving::{gift, CHECKOUT};
use crate::support::instances::Instance;
use crate::support::sse::{Event, EventStream};
use crate::support::staff::{create, signed_in};
use crate::support::{spawn, Backend, TestApp, WEBHOOK_SECRET};
use app::ids::DonationId;
use app::live::announce::Change;
use app::matching::store::{add, NewMatch};
use app::matching::{MatchRule, ONE_TO_ONE_BP};
use app::staff::Role;
use giving_gallery::demo_stripe::SessionStatus;
use serde_json::{json, Value};

const MATCHES: &str = "/api/staff/campaigns/little-painters/matches";
const ADMIN: &str = "admin@example.org";

/// Opens a checkout for a gift of `amount` (with `email`, if any); returns the donation id.
async fn open(app: &TestApp, key: &str, amount: i64, email: Option<&str>) -> String {
    let extra = email.map_or(json!({}), |e| json!({ "email": e }));
    let response = app
        .post_json(CHECKOUT, &gift(amount, extra), &[("idempotency-key", key)])
        .await;
    assert_eq!(response.status(), 200, "checkout opens");
    let body: Value = response.json().await.expect("JSON");
    body["donation_id"].as_str().expect("an id").to_owned()
}

/// Delivers the signed payment of a donation; `event` names the delivery.
async fn pay(app: &TestApp, donation: &str, amount: i64, event: &str) {
    let paid = session(donation, amount, "cny", SessionStatus::Paid);
    let body = session_event(event, "checkout.session.completed", &paid);
    assert_eq!(app.deliver(&body, WEBHOOK_SECRET, None).await, 200);
}

async fn matched_on(app: &TestApp, donation: &str) -> i64 {
    let id = DonationId::parse(donation).expect("an id");
    app::matching::store::matched_on(&app.db, &id)
        .await
        .expect("a gift's match")
}

/// Adds Acme's match with `rule` to the demo campaign, as the staff form does; returns the
/// campaign.
async fn add_acme(app: &TestApp, rule: MatchRule) -> app::ids::CampaignId {
    let slug = "little-painters".parse().expect("a slug");
    let campaign = app
        .state
        .live
        .campaign_id(&slug)
        .await
        .expect("read")
        .expect("found");
    let acme = NewMatch {
        sponsor_en: "Acme".into(),
        sponsor_zh: "艾克米".into(),
        rule,
    };
    let mut w = app.db.begin_write().await.expect("a transaction");
    add(&mut w.tx, campaign, &acme).await.expect("added");
    w.commit().await.expect("committed");
    campaign
}

/// Checks that each gift was matched ¥10 or nothing, `total` in all.
async fn assert_shares(app: &TestApp, gifts: &[String], total: i64, why: &str) {
    let mut shares = Vec::new();
    for id in gifts {
        shares.push(matched_on(app, id).await);
    }
    assert_eq!(shares.iter().sum::<i64>(), total, "{why}: {shares:?}");
    assert!(shares.iter().all(|s| [0, 1_000].contains(s)), "{shares:?}");
}

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

async fn match_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM matches")
        .fetch_one(app.db.pool())
        .await
        .expect("a count")
}

async fn a_match_is_computed_once_holds_its_caps_and_follows_refunds(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    create(&app, ADMIN, Role::Admin).await;
    let admin = signed_in(&app, ADMIN).await;
    let progress = app.progress("little-painters").await;
    assert_eq!(progress["matched_minor"], 0);
    assert_eq!(
        progress["match_remaining_minor"],
        Value::Null,
        "no match runs"
    );

    // 1:1, at most ¥30 a gift and ¥50 a donor a day, ¥100 in all.
    let added = save(
        &app,
        &admin,
        MATCHES,
        &form(&[
            ("sponsor_en", "Acme"),
            ("sponsor_zh", "艾克米"),
            ("ratio", "1:1"),
            ("cap_per_gift", "30"),
            ("cap_per_donor_day", "50"),
            ("total_cap", "100"),
        ]),
    )
    .await;
    assert_eq!(added.status(), 303);
    let progress = app.progress("little-painters").await;
    assert_eq!(progress["match_remaining_minor"], 10_000);

    // ¥20 from a donor with an email: doubled. The same delivery again changes nothing.
    let a = open(&app, "m-a", 2_000, Some("Ana@Example.org")).await;
    pay(&app, &a, 2_000, "evt_m_a").await;
    pay(&app, &a, 2_000, "evt_m_a").await;
    pay(&app, &a, 2_000, "evt_m_a_again").await;
    assert_eq!(matched_on(&app, &a).await, 2_000);
    // ¥50 from the same donor (the email in other letters): ¥30 a gift is the cap.
    let b = open(&app, "m-b", 5_000, Some("ana@example.org ")).await;
    pay(&app, &b, 5_000, "evt_m_b").await;
    assert_eq!(matched_on(&app, &b).await, 3_000);
    // Her day's ¥50 is spent: a third gift is not matched.
    let c = open(&app, "m-c", 1_000, Some("ana@example.org")).await;
    pay(&app, &c, 1_000, "evt_m_c").await;
    assert_eq!(matched_on(&app, &c).await, 0);
    // A gift without an email is its own donor: ¥30.
    let d = open(&app, "m-d", 4_000, None).await;
    pay(&app, &d, 4_000, "evt_m_d").await;
    assert_eq!(matched_on(&app, &d).await, 3_000);
    let progress = app.progress("little-painters").await;
    assert_eq!(progress["raised_minor"], 12_000, "what donors gave");
    assert_eq!(progress["matched_minor"], 8_000);
    assert_eq!(progress["match_remaining_minor"], 2_000);

    // Five ¥10 gifts paid at once, with ¥20 of the budget left: exactly ¥20 more is matched.
    let mut last = Vec::new();
    for i in 0..5 {
        last.push(open(&app, &format!("m-last-{i}"), 1_000, None).await);
    }
    let events: Vec<String> = (0..last.len()).map(|i| format!("evt_m_last_{i}")).collect();
    let deliveries = last
        .iter()
        .zip(&events)
        .map(|(id, event)| pay(&app, id, 1_000, event));
    futures_util::future::join_all(deliveries).await;
    assert_shares(&app, &last, 2_000, "the total cap holds").await;
    let progress = app.progress("little-painters").await;
    assert_eq!(progress["matched_minor"], 10_000);
    assert_eq!(progress["match_remaining_minor"], 0);
    let (_, landing) = app.get_text("/campaigns/little-painters").await;
    assert!(
        landing.contains("Acme&#x27;s match is complete")
            || landing.contains("Acme's match is complete"),
        "the page says the match is spent"
    );

    // ¥30 of gift b refunded: ¥20 stays, which keeps a ¥20 match; ¥10 goes back to the budget.
    let paid_b = session(&b, 5_000, "cny", SessionStatus::Paid);
    let refund = refund_event("evt_m_refund_b", &paid_b, 3_000);
    assert_eq!(app.deliver(&refund, WEBHOOK_SECRET, None).await, 200);
    assert_eq!(matched_on(&app, &b).await, 2_000);
    let progress = app.progress("little-painters").await;
    assert_eq!(progress["raised_minor"], 14_000);
    assert_eq!(progress["matched_minor"], 9_000);
    assert_eq!(progress["match_remaining_minor"], 1_000);
    // Refunded in full: its match is gone.
    let refund = refund_event("evt_m_refund_b_all", &paid_b, 5_000);
    assert_eq!(app.deliver(&refund, WEBHOOK_SECRET, None).await, 200);
    assert_eq!(matched_on(&app, &b).await, 0);
    assert_eq!(
        app.progress("little-painters").await["matched_minor"],
        7_000
    );

    // The donor's page says what the match made of her gift.
    let (_, thanks) = app.get_text(&format!("/donations/{a}")).await;
    assert!(
        thanks.contains("data-testid=\"match-became\""),
        "the thank-you page shows the match"
    );
    assert!(thanks.contains("became ¥40"), "¥20 became ¥40");

    // Totals equal the entries, per match and per campaign.
    let (entries, by_match, totals): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT CAST(SUM(amount_minor) AS BIGINT) FROM match_entries), \
         (SELECT CAST(SUM(matched_minor) AS BIGINT) FROM matches), \
         (SELECT CAST(SUM(matched_minor) AS BIGINT) FROM campaign_totals)",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("sums");
    assert_eq!((entries, by_match, totals), (7_000, 7_000, 7_000));
    let report = app::donations::ledger::reconcile(&app.db)
        .await
        .expect("reconcile runs");
    assert!(report.iter().all(|r| r.balanced()), "{report:?}");

    // The public log holds every match, reversals too, each after its gift's entry; an audit
    // from outside adds them up to the campaign's matched total.
    let audited = audit_when_logged(&app).await;
    assert_eq!(audited.matched, 7_000, "the log's matched total");
    assert_eq!(audited.matches, 7, "five matches and two reversals");
    let logged: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT e.idx, e.body, g.idx FROM log_entries e \
         JOIN match_entries m ON e.record_kind = 'match' AND e.record_id = m.id \
         JOIN donations d ON d.id = m.donation_id \
         JOIN log_entries g ON g.campaign_id = e.campaign_id \
           AND g.certificate_number = d.certificate_number AND g.kind = 'gift' \
         ORDER BY e.idx",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("the match entries");
    assert_eq!(logged.len(), 7);
    for (index, body, gift) in &logged {
        assert!(
            index > gift,
            "a match comes after its gift: {index} after {gift}"
        );
        assert!(
            body.contains("\nkind match\n") && body.contains("\nsponsor 1\n"),
            "{body}"
        );
        assert!(body.ends_with(&format!("\nrefers {gift}\n")), "{body}");
    }
    let (_, ledger) = app
        .get_text("/campaigns/little-painters/transparency")
        .await;
    assert!(
        ledger.contains("Matched by Acme: ¥20 on entry"),
        "the ledger page names it"
    );
    assert!(
        ledger.contains("Match by Acme reversed: ¥10 on entry"),
        "and its reversal"
    );
}

/// The demo campaign's audit once nothing is left to log (within 10 s).
async fn audit_when_logged(app: &TestApp) -> giving_gallery::audit::Audit {
    for _ in 0..100 {
        let pending: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM log_pending) + (SELECT COUNT(*) FROM log_pending_records)",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("a count");
        if pending == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (_, key) = app.get_text("/campaigns/little-painters/log/key").await;
    giving_gallery::audit::audit(
        &app.url("/campaigns/little-painters"),
        key.trim(),
        &Default::default(),
    )
    .await
    .expect("the audit passes")
}

async fn a_bad_match_form_changes_nothing_and_an_ended_match_stops(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    create(&app, ADMIN, Role::Admin).await;
    create(&app, "viewer@example.org", Role::Viewer).await;
    let admin = signed_in(&app, ADMIN).await;
    let good = [
        ("sponsor_en", "Acme"),
        ("ratio", "50%"),
        ("total_cap", "1,000"),
    ];
    let with = |change: (&'static str, &'static str)| {
        let mut pairs: Vec<(&str, &str)> = good
            .iter()
            .filter(|(k, _)| *k != change.0)
            .copied()
            .collect();
        pairs.push(change);
        form(&pairs)
    };
    for bad in [
        ("ratio", "11:1"),
        ("ratio", "0"),
        ("ratio", "1:0"),
        ("ratio", "lots"),
        ("total_cap", "-5"),
        ("total_cap", "0"),
        ("total_cap", ""),
        ("cap_per_gift", "1.234"),
        ("sponsor_en", ""),
        ("sponsor_en", "Acme\u{7}"),
        ("starts_at", "yesterday"),
    ] {
        let answer = save(&app, &admin, MATCHES, &with(bad)).await;
        assert_eq!(answer.status(), 400, "{bad:?}");
    }
    let mut backwards = with(("starts_at", "2030-01-02T10:00"));
    backwards.push(("ends_at".into(), "2030-01-01T10:00".into()));
    assert_eq!(save(&app, &admin, MATCHES, &backwards).await.status(), 400);
    let viewer = signed_in(&app, "viewer@example.org").await;
    assert_eq!(
        save(&app, &viewer, MATCHES, &form(&good)).await.status(),
        403
    );
    assert_eq!(match_count(&app).await, 0, "nothing was added");

    // A match that starts in 2099 is not announced yet, and adds nothing now.
    let mut later = form(&good);
    later[0].1 = "Later Fund".into();
    later.push(("starts_at".into(), "2099-01-01T10:00".into()));
    assert_eq!(save(&app, &admin, MATCHES, &later).await.status(), 303);
    assert_eq!(
        save(&app, &admin, MATCHES, &form(&good)).await.status(),
        303
    );
    let (_, landing) = app.get_text("/campaigns/little-painters").await;
    assert!(landing.contains("Acme adds 50% to every gift until ¥1,000 is matched."));
    assert!(
        !landing.contains("Later Fund"),
        "a match not started is not announced"
    );
    let id: i64 = sqlx::query_scalar("SELECT id FROM matches WHERE sponsor_en = 'Acme'")
        .fetch_one(app.db.pool())
        .await
        .expect("the match");
    let first = open(&app, "e-1", 3_001, None).await;
    pay(&app, &first, 3_001, "evt_e_1").await;
    assert_eq!(matched_on(&app, &first).await, 1_500, "half, rounded down");
    let end = format!("{MATCHES}/{id}/end");
    assert_eq!(save(&app, &admin, &end, &[]).await.status(), 303);
    assert_eq!(
        save(&app, &admin, &end, &[]).await.status(),
        404,
        "it ended already"
    );
    assert_eq!(
        save(&app, &admin, &format!("{MATCHES}/999/end"), &[])
            .await
            .status(),
        404
    );
    let progress = app.progress("little-painters").await;
    assert_eq!(
        progress["match_remaining_minor"],
        Value::Null,
        "no match runs now"
    );
    assert_eq!(progress["matched_minor"], 1_500, "what it matched stays");
    let second = open(&app, "e-2", 2_000, None).await;
    pay(&app, &second, 2_000, "evt_e_2").await;
    assert_eq!(
        matched_on(&app, &second).await,
        0,
        "an ended match adds nothing"
    );
}

/// The remaining budget in an event: a snapshot's progress or a progress event's.
fn remaining(event: &Event) -> Value {
    match event.kind.as_str() {
        "snapshot" => event.data["progress"]["match_remaining_minor"].clone(),
        _ => event.data["match_remaining_minor"].clone(),
    }
}

async fn a_match_whose_window_closes_leaves_the_live_figures_by_itself(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let closes = app::db::now_ms() + 2_500;
    let campaign = add_acme(
        &app,
        MatchRule {
            ratio_bp: ONE_TO_ONE_BP,
            starts_at: None,
            ends_at: Some(closes),
            cap_per_gift: None,
            cap_per_donor_day: None,
            total_cap: 100_000,
        },
    )
    .await;
    app.state
        .live
        .announce(campaign, Change::Campaign)
        .await
        .expect("announced");

    let events = "/api/campaigns/little-painters/events";
    let mut viewer = EventStream::open(&app.client, &app.url(events), &[]).await;
    viewer.until(|e| remaining(e) == 100_000).await;
    // No gift, no staff action: the window's end alone reaches the viewer.
    let ended = viewer
        .until(|e| e.kind == "progress" && remaining(e).is_null())
        .await;
    assert!(
        app::db::now_ms() >= closes,
        "not before the window closed: {ended:?}"
    );
}

/// Several instances are a PostgreSQL deployment: there, two instances paid for the same gifts at
/// once spend a match's budget once and log each match once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_paid_at_once_spend_a_match_exactly_once_and_log_it_once() {
    let app = spawn(Backend::Postgres).await;
    app.seed_demo().await;
    // 1:1, ¥10 a gift, ¥100 in all: ten gifts' worth, for thirty gifts of ¥10.
    add_acme(
        &app,
        MatchRule {
            ratio_bp: ONE_TO_ONE_BP,
            starts_at: None,
            ends_at: None,
            cap_per_gift: Some(1_000),
            cap_per_donor_day: None,
            total_cap: 10_000,
        },
    )
    .await;
    let other = Instance::start(&app, &[]).await;

    let mut gifts = Vec::new();
    for i in 0..30 {
        gifts.push(open(&app, &format!("two-{i}"), 1_000, None).await);
    }
    // Every payment goes to both instances at once, as a retried delivery can.
    let bases = [app.url(""), other.base.clone()];
    let deliveries = gifts.iter().enumerate().flat_map(|(i, id)| {
        let paid = session(id, 1_000, "cny", SessionStatus::Paid);
        let body = session_event(&format!("evt_two_{i}"), "checkout.session.completed", &paid);
        bases
            .clone()
            .map(|base| deliver_at(&app.client, base, body.clone()))
    });
    let answers = futures_util::future::join_all(deliveries).await;
    assert!(answers.iter().all(|s| *s == 200), "{answers:?}");
    assert_shares(&app, &gifts, 10_000, "the budget, once").await;
    let progress = app.progress("little-painters").await;
    assert_eq!(progress["raised_minor"], 30_000, "each gift counted once");
    assert_eq!(progress["matched_minor"], 10_000);
    assert_eq!(progress["match_remaining_minor"], 0);
    // Both instances integrate the log; each match is in it once, after its gift.
    let audited = audit_when_logged(&app).await;
    assert_eq!(
        (audited.gifts, audited.matches, audited.matched),
        (30, 10, 10_000)
    );
}

/// Delivers a signed webhook to the instance at `base`; returns the status.
async fn deliver_at(client: &reqwest::Client, base: String, payload: String) -> u16 {
    let signature = stripe_webhook::Webhook::generate_test_header(&payload, WEBHOOK_SECRET, None);
    client
        .post(format!("{base}/webhooks/stripe"))
        .header("content-type", "application/json")
        .header("stripe-signature", signature)
        .body(payload)
        .send()
        .await
        .expect("an answer")
        .status()
        .as_u16()
}

on_both_backends!(
    a_match_is_computed_once_holds_its_caps_and_follows_refunds,
    a_bad_match_form_changes_nothing_and_an_ended_match_stops,
    a_match_whose_window_closes_leaves_the_live_figures_by_itself,
);
