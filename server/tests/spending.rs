//! The spending plan: a campaign takes no gift before its first version is published; each
//! version is kept, shown on the ledger page and logged; only admins publish, and a bad form
//! publishes nothing. Every test runs on SQLite and on PostgreSQL.

use crate::staff::{artwork_form, image_file, local_days_from_now, save};
use crate::support::giving::pay;
use crate::support::staff::{create, request, signed_in};
use crate::support::{spawn, Backend, TestApp};
use app::staff::Role;
use app::transparency::proof::{verify_checkpoint, Policy};
use giving_gallery::audit::audit;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

const ADMIN: &str = "admin@example.org";
const VIEWER: &str = "viewer@example.org";
const CAMPAIGN: &str = "/campaigns/spring-gallery";
const PLAN: &str = "/api/staff/campaigns/spring-gallery/spending-plan";

/// A new campaign, with one artwork whose consent is in force and no spending plan yet.
async fn campaign_without_a_plan(app: &TestApp, admin: &str) {
    let (opens, closes) = (local_days_from_now(-1), local_days_from_now(30));
    let fields: Vec<(String, String)> = [
        ("slug", "spring-gallery"),
        ("content_locale", "en"),
        ("title", "Spring Gallery"),
        ("story", "Paintings from the spring workshop."),
        ("beneficiary_name", "Sunflower Centre"),
        ("currency", "CNY"),
        ("goal", "50,000"),
        ("min_gift", "5"),
        ("presets", "5, 20"),
        ("starts_at", &opens),
        ("ends_at", &closes),
        ("utc_offset", "+08:00"),
        ("payment_methods", "card"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(
        save(app, admin, "/api/staff/campaigns", &fields)
            .await
            .status(),
        303
    );
    let form = artwork_form(image_file(image::ImageFormat::Png, 80, 60), &[]);
    let uploaded = request(
        app,
        Method::POST,
        "/api/staff/campaigns/spring-gallery/artworks",
        Some(admin),
    )
    .multipart(form)
    .send()
    .await
    .expect("answer");
    assert_eq!(uploaded.status(), 303);
}

async fn checkout(app: &TestApp, key: &str) -> (u16, Value) {
    let response = app
        .post_json(
            "/api/campaigns/spring-gallery/checkout",
            &json!({ "artwork": "kites-over-the-river", "amount_minor": 500, "currency": "CNY" }),
            &[("idempotency-key", key)],
        )
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A plan form: rows of (short name, English name, Chinese name, planned yuan).
fn plan_form(rows: &[(&str, &str, &str, &str)]) -> Vec<(String, String)> {
    rows.iter()
        .flat_map(|(line, en, zh, planned)| {
            [
                ("line", *line),
                ("name_en", *en),
                ("name_zh", *zh),
                ("buys_en", "Paint and paper"),
                ("buys_zh", "颜料和纸"),
                ("planned", *planned),
            ]
        })
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

async fn versions(app: &TestApp) -> i64 {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM spending_plans p JOIN campaigns c ON c.id = p.campaign_id \
         WHERE c.slug = 'spring-gallery'",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("a count");
    count
}

async fn a_campaign_takes_gifts_only_after_its_plan_is_published(backend: Backend) {
    let app = spawn(backend).await;
    create(&app, ADMIN, Role::Admin).await;
    create(&app, VIEWER, Role::Viewer).await;
    let admin = signed_in(&app, ADMIN).await;
    let viewer = signed_in(&app, VIEWER).await;
    campaign_without_a_plan(&app, &admin).await;

    // No plan, no gift: the checkout says why, and so does the page.
    let (status, body) = checkout(&app, "before-the-plan").await;
    assert_eq!(status, 409);
    assert_eq!(body["error"], "no_spending_plan", "{body}");
    let (_, page) = app
        .get_text(&format!("{CAMPAIGN}/artworks/kites-over-the-river"))
        .await;
    assert!(page.contains("once it has published its spending plan"));
    assert!(!page.contains("adopt-form"));
    let (_, ledger) = app.get_text(&format!("{CAMPAIGN}/transparency")).await;
    assert!(ledger.contains("No spending plan has been published yet"));

    // Viewers cannot publish; bad forms publish nothing.
    let plan = plan_form(&[
        ("materials", "Materials", "绘画材料", "30,000"),
        ("studio-rent", "Studio rent", "画室租金", "20000"),
    ]);
    assert_eq!(save(&app, &viewer, PLAN, &plan).await.status(), 403);
    let duplicate = plan_form(&[
        ("materials", "Materials", "材料", "1"),
        ("materials", "Paint", "颜料", "2"),
    ]);
    for bad in [
        plan_form(&[]),
        duplicate,
        plan_form(&[("Materials!", "Materials", "材料", "1")]),
        plan_form(&[("materials", "Materials", "材料", "-1")]),
        plan_form(&[("materials", "Materials", "", "1")]),
    ] {
        assert_eq!(
            save(&app, &admin, PLAN, &bad).await.status(),
            400,
            "{bad:?}"
        );
    }
    assert_eq!(versions(&app).await, 0);

    // Published, the campaign takes gifts.
    let published = save(&app, &admin, PLAN, &plan).await;
    assert_eq!(published.status(), 303);
    assert_eq!(
        published.headers()["location"],
        "/staff/campaigns/spring-gallery/spending"
    );
    let (status, body) = checkout(&app, "after-the-plan").await;
    assert_eq!(status, 200, "{body}");
    let donation = body["donation_id"].as_str().expect("an id").to_owned();
    pay(&app, &donation, 500).await;

    // A revised plan is a new version; the first stays visible.
    let revised = plan_form(&[
        ("materials", "Materials", "绘画材料", "35,000"),
        ("studio-rent", "Studio rent", "画室租金", "15,000"),
    ]);
    assert_eq!(save(&app, &admin, PLAN, &revised).await.status(), 303);
    assert_eq!(versions(&app).await, 2);
    let (_, ledger) = app.get_text(&format!("{CAMPAIGN}/transparency")).await;
    assert!(
        ledger.contains("Version 2 of the spending plan"),
        "{ledger}"
    );
    assert!(ledger.contains("Version 1, published"));
    assert!(ledger.contains("¥35,000") && ledger.contains("¥30,000"));
    let (_, zh) = app
        .get_text_with(
            &format!("{CAMPAIGN}/transparency"),
            &[("accept-language", "zh-CN")],
        )
        .await;
    assert!(zh.contains("绘画材料") && zh.contains("支出计划第2版"));

    // The log holds both versions, the consent and the gift, in that order of need; the
    // audit checks the versions follow each other and the gift follows a plan.
    let (_, key) = app.get_text(&format!("{CAMPAIGN}/log/key")).await;
    let key = key.trim().to_owned();
    for _ in 0..100 {
        let (_, note) = app.get_text(&format!("{CAMPAIGN}/log/checkpoint")).await;
        if verify_checkpoint(&note, &key).is_ok_and(|c| c.size == 4) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let report = audit(&app.url(CAMPAIGN), &key, &Policy::default())
        .await
        .expect("the audit passes");
    assert_eq!(report.size, 4);
    assert_eq!((report.plans, report.consents, report.gifts), (2, 1, 1));
    let (_, bundle) = app
        .get_text(&format!("{CAMPAIGN}/log/tile/entries/000.p/4"))
        .await;
    assert!(bundle.contains("kind budget\ntime "));
    assert!(
        bundle.contains("\nversion 2\nline materials 3500000 CNY\nline studio-rent 1500000 CNY\n")
    );
}

on_both_backends!(a_campaign_takes_gifts_only_after_its_plan_is_published);
