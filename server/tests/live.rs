//! Live progress over HTTP: the event stream, resuming it, the embed and CORS, and two instances
//! on one PostgreSQL. Storage-backed tests run on SQLite and on PostgreSQL.

use crate::support::events::{refund_event, session, session_event};
use crate::support::giving::{gift, give, pay, CHECKOUT};
use crate::support::instances::Instance;
use crate::support::sse::{progress_at, EventStream};
use crate::support::{spawn, Backend, TestApp, WEBHOOK_SECRET};
use giving_gallery::demo_stripe::SessionStatus;
use serde_json::{json, Value};

const CAMPAIGN: &str = "little-painters";
const EVENTS: &str = "/api/campaigns/little-painters/events";

async fn set_goal(app: &TestApp, goal_minor: i64) {
    sqlx::query("UPDATE campaigns SET goal_minor = $1 WHERE slug = $2")
        .bind(goal_minor)
        .bind(CAMPAIGN)
        .execute(app.db.pool())
        .await
        .expect("goal set");
}

/// A viewer gets a snapshot, then every gift in order with only what donors made public, the
/// progress, the milestones once each, and the campaign closing at its goal.
async fn viewers_see_gifts_progress_and_milestones_in_order(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    set_goal(&app, 4_000).await;
    let mut viewer = EventStream::open(&app.client, &app.url(EVENTS), &[]).await;
    let snapshot = viewer.next().await;
    assert_eq!(snapshot.kind, "snapshot");
    assert_eq!(snapshot.data["progress"]["raised_minor"], 0);
    assert_eq!(snapshot.data["progress"]["status"], "open");
    assert_eq!(snapshot.data["gifts"], json!([]));

    give(
        &app,
        "live-1",
        gift(
            1_000,
            json!({ "display_name": "Li Wei", "message": "加油!" }),
        ),
    )
    .await;
    give(
        &app,
        "live-2",
        gift(
            2_000,
            json!({ "anonymous": true, "show_amount": false,
                                            "message": "visit spam.example.com" }),
        ),
    )
    .await;
    give(
        &app,
        "live-3",
        gift(2_500, json!({ "display_name": "Ana Núñez" })),
    )
    .await;

    let seen = viewer.until(|e| progress_at(e, 5_500)).await;
    let gifts: Vec<&Value> = seen
        .iter()
        .filter(|e| e.kind == "gift")
        .map(|e| &e.data)
        .collect();
    let numbers: Vec<i64> = gifts.iter().filter_map(|g| g["number"].as_i64()).collect();
    assert_eq!(numbers, [1, 2, 3], "each gift once, in order");
    assert_eq!(gifts[0]["name"], "Li Wei");
    assert_eq!(gifts[0]["message"], "加油!");
    assert_eq!(gifts[0]["amount"]["minor"], 1_000);
    assert_eq!(gifts[0]["artwork_title"]["zh_cn"], "山坡上的太阳");
    assert_eq!(gifts[1]["name"], Value::Null, "anonymous");
    assert_eq!(
        gifts[1]["amount"],
        Value::Null,
        "amount hidden by the donor"
    );
    assert_eq!(
        gifts[1]["message"],
        Value::Null,
        "a message with a link waits for staff"
    );
    let milestones: Vec<i64> = seen
        .iter()
        .filter(|e| e.kind == "milestone")
        .filter_map(|e| e.data["percent"].as_i64())
        .collect();
    assert_eq!(milestones, [25, 50, 75, 100]);
    let last = seen.last().expect("a progress event");
    assert_eq!(last.data["status"], "closed", "closed at the goal");
    assert_eq!(last.data["donors"], 3);
    assert_eq!(last.id, Some(3), "the id names the last gift");
    let refused = app
        .post_json(
            CHECKOUT,
            &gift(1_000, json!({})),
            &[("idempotency-key", "live-4")],
        )
        .await;
    assert_eq!(refused.status(), 409, "no new checkout once closed");

    // A viewer that reconnects after gift 1 gets gifts 2 and 3, then the progress.
    let mut resumed =
        EventStream::open(&app.client, &app.url(EVENTS), &[("last-event-id", "1")]).await;
    let again = resumed.until(|e| e.kind == "progress").await;
    let kinds: Vec<(String, Option<i64>)> = again.iter().map(|e| (e.kind.clone(), e.id)).collect();
    assert_eq!(
        kinds,
        [
            ("gift".to_owned(), Some(2)),
            ("gift".to_owned(), Some(3)),
            ("progress".to_owned(), Some(3))
        ]
    );
}

/// Many gifts at once reach a viewer as a few messages: in order, none twice, the newest
/// always, and a total that counts every one.
async fn a_burst_of_gifts_is_coalesced(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let mut viewer = EventStream::open(&app.client, &app.url(EVENTS), &[]).await;
    assert_eq!(viewer.next().await.kind, "snapshot");
    let mut ids = Vec::new();
    for n in 0..20 {
        let key = format!("burst-{n}");
        let response = app
            .post_json(
                CHECKOUT,
                &gift(500, json!({})),
                &[("idempotency-key", &key)],
            )
            .await;
        let body: Value = response.json().await.expect("JSON");
        ids.push(body["donation_id"].as_str().expect("id").to_owned());
    }
    let payments = ids.iter().map(|id| pay(&app, id, 500));
    futures_util::future::join_all(payments).await;
    let seen = viewer.until(|e| progress_at(e, 20 * 500)).await;
    let numbers: Vec<i64> = seen
        .iter()
        .filter(|e| e.kind == "gift")
        .filter_map(|e| e.data["number"].as_i64())
        .collect();
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "in order, none twice: {numbers:?}"
    );
    assert_eq!(numbers.last(), Some(&20), "the newest gift is shown");
    let last = seen.last().expect("progress");
    assert_eq!(last.data["donors"], 20, "every gift counts");
    let progress_events = seen.iter().filter(|e| e.kind == "progress").count();
    assert!(
        progress_events < 20,
        "20 gifts sent {progress_events} progress events: updates are coalesced"
    );
}

/// The progress JSON and the stream can be read from other sites; the embed is a page that may
/// be framed anywhere; unknown campaigns are 404.
async fn embeds_and_other_sites_can_follow_a_campaign(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let progress = app.get("/api/campaigns/little-painters/progress").await;
    assert_eq!(progress.headers()["access-control-allow-origin"], "*");
    let embed = app.get("/embed/campaigns/little-painters").await;
    assert_eq!(embed.status(), 200);
    let csp = embed.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    let html = embed.text().await.expect("text");
    assert!(
        html.contains("Little Painters&#39;") || html.contains("Little Painters"),
        "the campaign's title"
    );
    assert!(
        html.contains("/api/campaigns/little-painters/"),
        "it follows the stream"
    );
    for path in [
        "/embed/campaigns/no-such-campaign",
        "/api/campaigns/no-such-campaign/events",
        "/api/campaigns/NOT%20A%20SLUG/events",
    ] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
}

/// `/metrics` counts webhook outcomes and open streams, and names no donor.
async fn the_operator_sees_counts_in_metrics(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let metric = |text: &str, name: &str| -> i64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} missing in:\n{text}"))
    };
    let viewer = EventStream::open(&app.client, &app.url(EVENTS), &[]).await;
    let id = give(
        &app,
        "metrics-1",
        gift(1_000, json!({ "display_name": "Li Wei" })),
    )
    .await;
    pay(&app, &id, 1_000).await; // the same event again
    assert_eq!(app.deliver("{}", "whsec_wrong", None).await, 400);
    let (status, text) = app.get_text("/metrics").await;
    assert_eq!(status, 200);
    let applied = r#"giving_gallery_webhook_events_total{outcome="applied"}"#;
    let duplicate = r#"giving_gallery_webhook_events_total{outcome="duplicate"}"#;
    let refused = r#"giving_gallery_webhook_events_total{outcome="refused"}"#;
    assert_eq!(metric(&text, applied), 1);
    assert_eq!(metric(&text, duplicate), 1);
    assert_eq!(metric(&text, refused), 1);
    assert_eq!(metric(&text, "giving_gallery_live_viewers"), 1);
    assert!(!text.contains("Li Wei") && !text.contains("1000"), "{text}");
    drop(viewer);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let (_, text) = app.get_text("/metrics").await;
    assert_eq!(
        metric(&text, "giving_gallery_live_viewers"),
        0,
        "a viewer that left is not counted"
    );
}

/// A gift refunded in full leaves the public feed of every open page, not only of pages opened
/// afterwards; a partly refunded gift stays.
async fn a_refunded_gift_leaves_the_feed_viewers_see(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let kept = give(
        &app,
        "feed-kept",
        gift(1_000, json!({ "display_name": "Kept" })),
    )
    .await;
    let withdrawn = give(
        &app,
        "feed-gone",
        gift(2_000, json!({ "display_name": "Gone" })),
    )
    .await;
    let mut viewer = EventStream::open(&app.client, &app.url(EVENTS), &[]).await;
    let names = |gifts: &Value| -> Vec<String> {
        gifts
            .as_array()
            .map(|all| {
                all.iter()
                    .filter_map(|g| g["name"].as_str())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let snapshot = viewer.next().await;
    assert_eq!(names(&snapshot.data["gifts"]), ["Gone", "Kept"]);

    let refund = |id: &str, amount: i64, refunded: i64, event: &str| {
        refund_event(
            event,
            &session(id, amount, "cny", SessionStatus::Paid),
            refunded,
        )
    };
    let part = refund(&kept, 1_000, 400, "evt_feed_part");
    assert_eq!(app.deliver(&part, WEBHOOK_SECRET, None).await, 200);
    let whole = refund(&withdrawn, 2_000, 2_000, "evt_feed_whole");
    assert_eq!(app.deliver(&whole, WEBHOOK_SECRET, None).await, 200);

    let seen = viewer
        .until(|e| e.kind == "snapshot" && progress_at_minor(&e.data["progress"], 600))
        .await;
    let revised = seen.last().expect("a revised snapshot");
    assert_eq!(names(&revised.data["gifts"]), ["Kept"]);
    let (_, page) = app.get_text("/").await;
    assert!(
        page.contains("Kept") && !page.contains("Gone"),
        "a new page agrees"
    );
}

fn progress_at_minor(progress: &Value, raised: i64) -> bool {
    progress["raised_minor"].as_i64() == Some(raised)
}

on_both_backends!(
    a_refunded_gift_leaves_the_feed_viewers_see,
    viewers_see_gifts_progress_and_milestones_in_order,
    a_burst_of_gifts_is_coalesced,
    embeds_and_other_sites_can_follow_a_campaign,
    the_operator_sees_counts_in_metrics,
);

/// A gift recorded by one instance reaches the viewers of another, both ways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gift_on_one_instance_reaches_viewers_of_another() {
    let app = spawn(Backend::Postgres).await;
    app.seed_demo().await;
    let other = Instance::start(&app, &[]).await;
    let mut on_other =
        EventStream::open(&app.client, &format!("{}{EVENTS}", other.base), &[]).await;
    let mut on_this = EventStream::open(&app.client, &app.url(EVENTS), &[]).await;
    assert_eq!(on_other.next().await.kind, "snapshot");
    assert_eq!(on_this.next().await.kind, "snapshot");

    // Recorded here, seen there.
    give(
        &app,
        "two-1",
        gift(1_000, json!({ "display_name": "Here" })),
    )
    .await;
    let seen = on_other.until(|e| progress_at(e, 1_000)).await;
    assert!(seen
        .iter()
        .any(|e| e.kind == "gift" && e.data["name"] == "Here"));

    // Recorded there (its webhook), seen here.
    let response = app
        .post_json(
            CHECKOUT,
            &gift(2_000, json!({ "display_name": "There" })),
            &[("idempotency-key", "two-2")],
        )
        .await;
    let body: Value = response.json().await.expect("JSON");
    let id = body["donation_id"].as_str().expect("id");
    let paid = session(id, 2_000, "cny", SessionStatus::Paid);
    let event = session_event("evt_other_instance", "checkout.session.completed", &paid);
    let signature = stripe_webhook::Webhook::generate_test_header(&event, WEBHOOK_SECRET, None);
    let status = app
        .client
        .post(format!("{}/webhooks/stripe", other.base))
        .header("stripe-signature", signature)
        .body(event)
        .send()
        .await
        .expect("the other instance answers")
        .status();
    assert_eq!(status, 200);
    let seen = on_this.until(|e| progress_at(e, 3_000)).await;
    assert!(seen
        .iter()
        .any(|e| e.kind == "gift" && e.data["name"] == "There"));
}
