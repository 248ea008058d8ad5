//! The spending plan: a campaign takes no gift before its first version is published; each
//! version is kept, shown on the ledger page and logged; only admins publish, and a bad form
//! publishes nothing. Every test runs on SQLite and on PostgreSQL.

use crate::staff::{artwork_form, image_file, local_days_from_now, save};
use crate::support::giving::{gift, pay, pay_on_demo_checkout, status_of};
use crate::support::staff::{create, page, post_with_file, request, signed_in};
use crate::support::{
    artist_of, header_text, royalty_of, spawn, spawn_configured, Backend, TestApp,
};
use app::i18n::Locale;
use app::money::{format_minor, Currency};
use app::staff::Role;
use app::transparency::proof::{verify_checkpoint, Policy};
use giving_gallery::audit::audit;
use giving_gallery::demo_stripe::objects::demo_fee;
use giving_gallery::demo_stripe::Chaos;
use giving_gallery::payments::refunds::refund;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

const ADMIN: &str = "admin@example.org";
const VIEWER: &str = "viewer@example.org";
const CAMPAIGN: &str = "/campaigns/spring-gallery";
const PLAN: &str = "/api/staff/campaigns/spring-gallery/spending-plan";
const EDIT: &str = "/api/staff/campaigns/spring-gallery";

/// The campaign's account as other clients read it (`query`: "" or "?locale=…").
async fn account(app: &TestApp, query: &str) -> Value {
    app.get(&format!("/api/campaigns/spring-gallery/account{query}"))
        .await
        .json()
        .await
        .expect("JSON")
}

/// The form of the campaign below, with `more` fields.
fn campaign_form(more: &[(&str, &str)]) -> Vec<(String, String)> {
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
    .chain(more.iter().copied())
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    fields
}

/// A new campaign, with one artwork whose consent is in force and no spending plan yet.
async fn campaign_without_a_plan(app: &TestApp, admin: &str) {
    let fields = campaign_form(&[]);
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

    // Who legally receives the money: not stated yet; stated whole, or refused (half of it).
    assert!(ledger.contains("has not stated yet which legal entity receives the money"));
    const NAME: &str = "Sunflower Centre for Children's Art";
    const REGISTRATION: &str = "Charity no. 1234567";
    let half = campaign_form(&[("recipient_legal_name", NAME)]);
    assert_eq!(save(&app, &admin, EDIT, &half).await.status(), 400);
    let unstated = account(&app, "").await;
    assert!(
        unstated.get("recipient").is_some_and(Value::is_null),
        "{unstated}"
    );
    let whole = campaign_form(&[
        ("recipient_legal_name", NAME),
        ("recipient_registration", REGISTRATION),
    ]);
    assert_eq!(save(&app, &viewer, EDIT, &whole).await.status(), 403);
    assert_eq!(save(&app, &admin, EDIT, &whole).await.status(), 303);
    let recipient = json!({ "name": NAME, "registration": REGISTRATION });
    assert_eq!(account(&app, "?locale=zh-CN").await["recipient"], recipient);
    let (_, zh) = app
        .get_text_with(
            &format!("{CAMPAIGN}/transparency"),
            &[("accept-language", "zh-CN")],
        )
        .await;
    let stated = scraper::Html::parse_document(&zh);
    let selector = scraper::Selector::parse("[data-testid=ledger-recipient]").expect("selector");
    let shown: String = stated.select(&selector).flat_map(|e| e.text()).collect();
    assert!(
        shown.contains(NAME) && shown.contains(REGISTRATION),
        "{shown}"
    );
    assert!(zh.contains("善款接收方"));

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

const SECOND: &str = "second.admin@example.org";
const EXPENSES: &str = "/api/staff/campaigns/little-painters/expenses";

fn expense_form(changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(&str, &str)> = vec![
        ("line", "materials"),
        ("kind", "expenditure"),
        ("description_en", "Paint for the spring term"),
        ("description_zh", "春季学期的颜料"),
        ("amount", "1,250.50"),
        ("spent_on", "2026-11-02"),
        ("payee", "Sunrise Art Supplies"),
        ("people_served", "300"),
    ];
    for (name, value) in changes {
        pairs.retain(|(n, _)| n != name);
        pairs.push((name, value));
    }
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// The demo's expenses: (number, status).
async fn expenses(app: &TestApp) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT id, status FROM expenses ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .expect("expenses")
}

/// Takes `step` for expense `id` as the staff member with `cookie`; the answer's status.
async fn step(app: &TestApp, cookie: &str, id: i64, step: &str) -> u16 {
    save(app, cookie, &format!("{EXPENSES}/{id}/{step}"), &[])
        .await
        .status()
        .as_u16()
}

/// Records an expense as `first`, submits it, and has `second` approve and pay it.
async fn paid(app: &TestApp, first: &str, second: &str, changes: &[(&str, &str)]) -> i64 {
    assert_eq!(
        save(app, first, EXPENSES, &expense_form(changes))
            .await
            .status(),
        303
    );
    let id = expenses(app).await.last().expect("an expense").0;
    for (who, what) in [(first, "submit"), (second, "approve"), (second, "pay")] {
        assert_eq!(step(app, who, id, what).await, 303, "{what}");
    }
    id
}

/// The demo campaign's audit, once its published checkpoint holds `size` entries.
async fn audited(app: &TestApp, key: &str, size: u64) -> giving_gallery::audit::Audit {
    for _ in 0..100 {
        let (_, note) = app
            .get_text("/campaigns/little-painters/log/checkpoint")
            .await;
        if verify_checkpoint(&note, key).is_ok_and(|c| c.size == size) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    audit(
        &app.url("/campaigns/little-painters"),
        key,
        &Policy::default(),
    )
    .await
    .expect("the audit passes")
}

async fn expenses_need_a_second_admin_and_only_paid_ones_are_public(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    for (email, role) in [
        (ADMIN, Role::Admin),
        (SECOND, Role::Admin),
        (VIEWER, Role::Viewer),
    ] {
        create(&app, email, role).await;
    }
    let first = signed_in(&app, ADMIN).await;
    let second = signed_in(&app, SECOND).await;
    let viewer = signed_in(&app, VIEWER).await;

    // Bad forms and viewers record nothing.
    for bad in [
        expense_form(&[("line", "catering")]),
        expense_form(&[("amount", "0")]),
        expense_form(&[("spent_on", "2999-01-01")]),
        expense_form(&[("payee", "")]),
        expense_form(&[("kind", "royalty")]),
        expense_form(&[("kind", "royalty"), ("artist", "nobody")]),
    ] {
        assert_eq!(
            save(&app, &first, EXPENSES, &bad).await.status(),
            400,
            "{bad:?}"
        );
    }
    assert_eq!(
        save(&app, &viewer, EXPENSES, &expense_form(&[]))
            .await
            .status(),
        403
    );
    assert!(expenses(&app).await.is_empty());

    // The one who recorded it submits it; only another admin approves and pays it.
    assert_eq!(
        save(&app, &first, EXPENSES, &expense_form(&[]))
            .await
            .status(),
        303
    );
    let id = expenses(&app).await[0].0;
    assert_eq!(
        step(&app, &first, id, "approve").await,
        409,
        "not submitted yet"
    );
    assert_eq!(step(&app, &first, id, "submit").await, 303);
    assert_eq!(step(&app, &first, id, "approve").await, 403, "its recorder");
    assert_eq!(step(&app, &viewer, id, "approve").await, 403, "a viewer");
    assert_eq!(step(&app, &second, id, "approve").await, 303);
    assert_eq!(step(&app, &first, id, "pay").await, 403, "its recorder");
    // Paid by a second admin pressing eight times at once: paid once.
    let presses =
        futures_util::future::join_all((0..8).map(|_| step(&app, &second, id, "pay"))).await;
    assert_eq!(
        presses.iter().filter(|s| **s == 303).count(),
        1,
        "{presses:?}"
    );
    assert!(
        presses.iter().all(|s| *s == 303 || *s == 409),
        "{presses:?}"
    );
    assert_eq!(expenses(&app).await, [(id, "paid".to_owned())]);
    // A paid expense is final, even to the database's own users.
    assert!(
        sqlx::query("UPDATE expenses SET amount_minor = 1 WHERE id = $1")
            .bind(id)
            .execute(app.db.pool())
            .await
            .is_err()
    );

    // Only paid expenses are public.
    let (_, draft_page) = app
        .get_text("/campaigns/little-painters/transparency")
        .await;
    assert!(draft_page.contains("Paint for the spring term"));
    assert_eq!(
        save(
            &app,
            &first,
            EXPENSES,
            &expense_form(&[("description_en", "A lunch not yet approved")])
        )
        .await
        .status(),
        303
    );
    let (_, ledger) = app
        .get_text("/campaigns/little-painters/transparency")
        .await;
    assert!(!ledger.contains("A lunch not yet approved"));

    // A mistake is reversed, never edited: once, and by the same two-person rule.
    let reverse = format!("{EXPENSES}/{id}/reverse");
    let why = [
        ("description_en", "Entered twice"),
        ("description_zh", "重复录入"),
    ];
    let why: Vec<(String, String)> = why
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    assert_eq!(save(&app, &first, &reverse, &why).await.status(), 303);
    assert_eq!(
        save(&app, &first, &reverse, &why).await.status(),
        409,
        "reversed already"
    );
    let reversal = expenses(&app).await.last().expect("the reversal").0;
    for (who, what) in [(&first, "submit"), (&second, "approve"), (&second, "pay")] {
        assert_eq!(step(&app, who, reversal, what).await, 303, "{what}");
    }
    // Fees and a line's spending, and a gift, for the account.
    paid(
        &app,
        &first,
        &second,
        &[("kind", "fees"), ("line", "payment-fees"), ("amount", "3")],
    )
    .await;
    paid(
        &app,
        &first,
        &second,
        &[("line", "teachers-pay"), ("amount", "5")],
    )
    .await;
    crate::support::giving::give(
        &app,
        "account-gift",
        crate::support::giving::gift(1_000, json!({})),
    )
    .await;
    // A royalty to the artist of the gift's artwork.
    let artist = artist_of(&app, "sun-over-the-hills").await;
    paid(
        &app,
        &first,
        &second,
        &[
            ("kind", "royalty"),
            ("line", "artists-royalties"),
            ("amount", "0.30"),
            ("artist", &artist),
        ],
    )
    .await;

    let (_, ledger) = app
        .get_text("/campaigns/little-painters/transparency")
        .await;
    assert!(ledger.contains(&format!("reverses expense {id}")));
    assert!(ledger.contains("-¥1,250.50"), "the reversal's amount");
    assert!(ledger.contains("Sunrise Art Supplies") && ledger.contains("300 people served"));
    // The chart draws every line of the plan in force with what was spent on it; the reversed
    // materials expense no longer counts.
    assert_eq!(
        ledger.matches(r#"data-testid="plan-chart-line""#).count(),
        5
    );
    assert!(ledger.contains("¥5 spent of ¥6,300,000"), "teachers' pay");
    assert!(ledger.contains("¥0 spent of ¥2,250,000"), "materials");

    // The log holds the paid ones (and the reversal), the audit checks their totals, and the
    // account states what the log states.
    let (records,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM consent_records) + (SELECT COUNT(*) FROM spending_plans) \
         + (SELECT COUNT(*) FROM expenses WHERE status = 'paid') + (SELECT COUNT(*) FROM ledger_entries)",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("a count");
    let (_, key) = app.get_text("/campaigns/little-painters/log/key").await;
    let key = key.trim().to_owned();
    let report = audited(&app, &key, records as u64).await;
    assert_eq!(report.size, records as u64);
    assert_eq!((report.expenses, report.spent), (5, 830));
    assert_eq!((report.royalties_accrued, report.royalties_paid), (50, 30));
    assert_eq!(report.account_checked_at, records as u64);
    let account: Value = app
        .get("/api/campaigns/little-painters/account")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(account["checkpoint_size"], records);
    assert_eq!(account["currency"], "CNY");
    assert_eq!(account["raised_minor"], 1_000);
    assert_eq!(account["refunded_minor"], 0);
    assert_eq!(account["fees_minor"], 300);
    assert_eq!(account["received_minor"], 700);
    assert_eq!(account["spent_minor"], 530);
    assert_eq!(account["remaining_minor"], 170);
    // floor(1000 x 5%) accrued by the demo's consent, 30 paid.
    let royalty = royalty_of(&account, &artist);
    assert_eq!(royalty["accrued_minor"], 50, "{account}");
    assert_eq!(royalty["paid_minor"], 30, "{account}");
    // The dashboard lists what is still owed.
    let dashboard = page(&app, &viewer, "/staff/campaigns/little-painters").await;
    assert!(
        dashboard.contains("Royalties owed to artists"),
        "{dashboard}"
    );
    assert!(
        dashboard.contains("royalty-owed\" class=\"number\">¥0.20"),
        "{dashboard}"
    );
    // And the account at the same checkpoint: the provider's fees and what remains.
    for (figure, minor) in [("account-fees", -300), ("account-remaining", 170)] {
        let shown = format!(
            r#"data-testid="{figure}" class="number">{}<"#,
            format_minor(minor, Currency::Cny, Locale::En)
        );
        assert!(dashboard.contains(&shown), "{shown}");
    }
    let line = |name: &str| {
        account["budget"]
            .as_array()
            .and_then(|b| b.iter().find(|l| l["line"] == name))
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(line("materials")["spent_minor"], 0, "reversed");
    assert_eq!(line("teachers-pay")["spent_minor"], 500);
    assert_eq!(line("teachers-pay")["planned_minor"], 630_000_000);
    assert_eq!(line("teachers-pay")["name"], "Teachers' pay");
    let zh: Value = app
        .get("/api/campaigns/little-painters/account?locale=zh-CN")
        .await
        .json()
        .await
        .expect("JSON");
    assert!(zh["budget"]
        .as_array()
        .is_some_and(|b| b.iter().any(|l| l["name"] == "教师工资")));
}

const DOCUMENTS: &str = "/api/staff/campaigns/little-painters/expense-documents";

/// Adds `bytes` as a document of kind `kind` to expense `id`, as the staff member with
/// `cookie` (none: anonymous); the answer's status.
async fn add_document(
    app: &TestApp,
    cookie: Option<&str>,
    id: i64,
    kind: &str,
    bytes: Vec<u8>,
) -> u16 {
    let pairs = [("kind".to_owned(), kind.to_owned())];
    let path = format!("{DOCUMENTS}/{id}");
    post_with_file(app, cookie, &path, &pairs, ("file", bytes)).await
}

/// A JPEG whose file carries a comment naming where it was taken.
fn photo_with_a_place() -> Vec<u8> {
    let jpeg = image_file(image::ImageFormat::Jpeg, 64, 48);
    let comment = b"Taken at 12 Home Street";
    let length = u16::try_from(comment.len() + 2).expect("short");
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(comment);
    out.extend_from_slice(&jpeg[2..]);
    out
}

async fn an_expense_shows_its_documents_and_staff_keep_the_originals(backend: Backend) {
    use sha2::Digest;
    let app = spawn(backend).await;
    app.seed_demo().await;
    for (email, role) in [
        (ADMIN, Role::Admin),
        (SECOND, Role::Admin),
        (VIEWER, Role::Viewer),
    ] {
        create(&app, email, role).await;
    }
    let first = signed_in(&app, ADMIN).await;
    let second = signed_in(&app, SECOND).await;
    let viewer = signed_in(&app, VIEWER).await;
    assert_eq!(
        save(&app, &first, EXPENSES, &expense_form(&[]))
            .await
            .status(),
        303
    );
    let id = expenses(&app).await[0].0;
    let clean_pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n".to_vec();
    let scripted_pdf =
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /J#61vaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n"
            .to_vec();

    // Wrong types, too large, a viewer, an unknown kind: refused, nothing kept.
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    let mut huge = b"%PDF-1.4\n".to_vec();
    huge.resize(21 * 1024 * 1024, b' ');
    for (cookie, kind, bytes, status) in [
        (Some(first.as_str()), "receipt", gif, 415),
        (
            Some(first.as_str()),
            "receipt",
            b"<html><script>alert(1)</script>".to_vec(),
            415,
        ),
        (Some(first.as_str()), "receipt", huge, 413),
        (Some(first.as_str()), "letter", clean_pdf.clone(), 400),
        (Some(viewer.as_str()), "receipt", clean_pdf.clone(), 403),
        (None, "receipt", clean_pdf.clone(), 401),
    ] {
        assert_eq!(
            add_document(&app, cookie, id, kind, bytes).await,
            status,
            "{kind}"
        );
    }
    let documents = || async {
        let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT kind, format, original_sha256, public_sha256, active_content \
             FROM expense_documents ORDER BY id",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("documents");
        rows
    };
    assert!(documents().await.is_empty());

    // A photo, a receipt and a report that runs JavaScript.
    let photo = photo_with_a_place();
    for (kind, bytes) in [
        ("photo", photo.clone()),
        ("receipt", clean_pdf.clone()),
        ("report", scripted_pdf.clone()),
    ] {
        assert_eq!(
            add_document(&app, Some(&first), id, kind, bytes).await,
            303,
            "{kind}"
        );
    }
    let rows = documents().await;
    let sha = |bytes: &[u8]| hex::encode(sha2::Sha256::digest(bytes));
    assert_eq!(rows.len(), 3);
    let (_, _, photo_original, photo_public, _) = rows[0].clone();
    assert_eq!(photo_original, sha(&photo));
    assert_ne!(
        photo_public, photo_original,
        "the public copy is drawn again"
    );
    assert_eq!(
        (rows[1].2.clone(), rows[1].3.clone(), rows[1].4),
        (sha(&clean_pdf), sha(&clean_pdf), 0)
    );
    assert_eq!(rows[2].4, 1, "active content");
    let public = |sha: &str, ext: &str| {
        format!("/campaigns/little-painters/expenses/{id}/documents/{sha}.{ext}")
    };
    // Not public before the expense is paid.
    assert_eq!(app.get(&public(&rows[1].3, "pdf")).await.status(), 404);
    for (who, what) in [(&first, "submit"), (&second, "approve"), (&second, "pay")] {
        assert_eq!(step(&app, who, id, what).await, 303, "{what}");
    }
    assert_eq!(
        add_document(&app, Some(&first), id, "receipt", b"%PDF-1.4 late".to_vec()).await,
        409
    );

    // The public copies: a photo without what its file said, a PDF inline, the scripted one only
    // as an opaque download; none sniffed, all sandboxed.
    let copy = app.get(&public(&photo_public, "jpg")).await;
    assert_eq!(copy.status(), 200);
    assert_eq!(copy.headers()["content-type"], "image/jpeg");
    let copy = copy.bytes().await.expect("bytes");
    assert_eq!(sha(&copy), photo_public);
    assert!(!copy.windows(11).any(|w| w == b"Home Street"));
    let receipt = app.get(&public(&rows[1].3, "pdf")).await;
    assert_eq!(receipt.headers()["content-type"], "application/pdf");
    assert!(header_text(&receipt, "content-disposition").starts_with("inline"));
    assert_eq!(header_text(&receipt, "x-content-type-options"), "nosniff");
    assert!(header_text(&receipt, "content-security-policy").contains("sandbox"));
    let report = app.get(&public(&rows[2].3, "pdf")).await;
    assert_eq!(report.headers()["content-type"], "application/octet-stream");
    assert!(header_text(&report, "content-disposition").starts_with("attachment"));
    // A copy no paid expense has is not served, nor a name that is not a copy's.
    assert_eq!(app.get(&public(&photo_original, "jpg")).await.status(), 404);
    assert_eq!(app.get(&public("../../secret", "pdf")).await.status(), 404);

    // Originals are for admins, and only as downloads.
    let original = format!("{DOCUMENTS}/{id}/{photo_original}.jpg");
    assert_eq!(app.get(&original).await.status(), 401);
    let as_viewer = request(&app, Method::GET, &original, Some(&viewer))
        .send()
        .await
        .expect("answer");
    assert_eq!(as_viewer.status(), 403);
    let as_admin = request(&app, Method::GET, &original, Some(&first))
        .send()
        .await
        .expect("answer");
    assert_eq!(
        as_admin.headers()["content-type"],
        "application/octet-stream"
    );
    assert_eq!(as_admin.bytes().await.expect("bytes").to_vec(), photo);

    // The ledger page links the public copies, the log entry names both copies of each, and the
    // audit checks it.
    let (_, ledger) = app
        .get_text("/campaigns/little-painters/transparency")
        .await;
    assert!(ledger.contains(&public(&photo_public, "jpg")));
    let (_, key) = app.get_text("/campaigns/little-painters/log/key").await;
    let key = key.trim().to_owned();
    let mut entry = String::new();
    for _ in 0..100 {
        let logged: Option<String> =
            sqlx::query_scalar("SELECT body FROM log_entries WHERE kind = 'expense'")
                .fetch_optional(app.db.pool())
                .await
                .expect("a query");
        if let Some(body) = logged {
            entry = body;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        entry.contains(&format!(
            "\ndocument photo jpg {photo_public} {photo_original}\n"
        )),
        "{entry}"
    );
    assert!(
        entry.contains(&format!(
            "\ndocument report pdf {} {}\n",
            rows[2].3, rows[2].2
        )),
        "{entry}"
    );
    let (size,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM log_entries")
        .fetch_one(app.db.pool())
        .await
        .expect("a count");
    let report = audited(&app, &key, size as u64).await;
    assert_eq!(report.expenses, 1);
}

async fn the_demo_shows_paid_expenses_with_documents_and_one_awaiting_a_second_admin(
    backend: Backend,
) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let history = || giving_gallery::demo_history::seed_history(&app.state);
    assert!(history().await.expect("the demo's expenses"));
    assert!(!history().await.expect("seeded again"), "once only");
    let statuses: Vec<String> = expenses(&app).await.into_iter().map(|(_, s)| s).collect();
    assert_eq!(statuses, ["paid", "paid", "submitted"]);

    // The public account: both paid expenses with their documents, in the log and audited.
    let (records,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM consent_records) + (SELECT COUNT(*) FROM spending_plans) \
         + (SELECT COUNT(*) FROM expenses WHERE status = 'paid')",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("a count");
    let (_, key) = app.get_text("/campaigns/little-painters/log/key").await;
    let report = audited(&app, key.trim(), records as u64).await;
    assert_eq!((report.expenses, report.spent), (2, 1_386_000));
    let (_, ledger) = app
        .get_text("/campaigns/little-painters/transparency")
        .await;
    assert_eq!(ledger.matches(r#"data-testid="paid-expense""#).count(), 2);
    assert!(ledger.contains("Paper, paint and brushes for the winter term"));
    assert!(!ledger.contains("Rent of the east studio"), "not paid yet");
    // Spent before any gift came in: an advance the next gifts make up, not a negative balance.
    assert!(
        ledger.contains(">Paid ahead of gifts<"),
        "the balance's label"
    );
    let advance = format!(
        r#"data-testid="account-remaining" class="number">{}<"#,
        format_minor(1_386_000, Currency::Cny, Locale::En)
    );
    assert!(ledger.contains(&advance), "{advance}");
    let links: Vec<&str> = ledger
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with("/campaigns/little-painters/expenses/"))
        .collect();
    assert_eq!(links.len(), 2, "a receipt and a transfer confirmation");
    for link in links {
        let copy = app.get(link).await;
        assert_eq!(copy.status(), 200, "{link}");
        assert_eq!(header_text(&copy, "content-type"), "image/png");
        let bytes = copy.bytes().await.expect("the copy");
        assert!(
            image::load_from_memory(&bytes).is_ok(),
            "{link} is a picture"
        );
    }
}

/// The demo campaign's account once its log states `fees_minor` in fees and `refunded_minor`
/// in refunds (up to 10 s).
async fn account_with(app: &TestApp, fees_minor: i64, refunded_minor: i64) -> Value {
    let mut account = Value::Null;
    for _ in 0..100 {
        account = app
            .get("/api/campaigns/little-painters/account")
            .await
            .json()
            .await
            .expect("JSON");
        if account["fees_minor"] == fees_minor && account["refunded_minor"] == refunded_minor {
            return account;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the log never stated {fees_minor} in fees and {refunded_minor} refunded: {account}");
}

/// The demo ledger page's account picture (its Open Graph image): its path, and the
/// picture, checked to be a 1200x630 JPEG of at most 150 KB. When the log moved on between
/// reading the page and its picture (the integrator logging the demo's records), the picture's
/// address sends on to the newer one: the page is read again.
async fn account_picture(app: &TestApp) -> (String, image::DynamicImage) {
    let mut tries = 0;
    let (path, response) = loop {
        let (_, ledger) = app
            .get_text("/campaigns/little-painters/transparency")
            .await;
        let url = ledger
            .split(r#"property="og:image" content=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the ledger page's picture");
        let path = url
            .strip_prefix(&app.public_url)
            .expect("on the site")
            .to_owned();
        let response = app.get(&path).await;
        tries += 1;
        if response.status() != 302 || tries == 50 {
            break (path, response);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(header_text(&response, "content-type"), "image/jpeg");
    let bytes = response.bytes().await.expect("the picture");
    assert!(bytes.len() <= 150_000, "{} bytes", bytes.len());
    let picture = image::load_from_memory(&bytes).expect("a picture");
    assert_eq!((picture.width(), picture.height()), (1200, 630));
    (path, picture)
}

async fn the_providers_fees_are_read_for_each_gift_and_logged_once(backend: Backend) {
    // Every webhook goes astray: the provider's list of fees runs ahead of our gifts.
    let chaos = Chaos {
        drop_percent: 100,
        ..Chaos::CALM
    };
    let app = spawn_configured(backend, chaos, &[]).await;
    app.seed_demo().await;
    let (before, _) = account_picture(&app).await;
    let first = pay_on_demo_checkout(&app, "fee-1", gift(1_000, json!({}))).await;
    let second = pay_on_demo_checkout(&app, "fee-2", gift(2_350, json!({}))).await;

    // Fees of payments not yet recorded as gifts are kept, and wait for their gifts.
    let read = app.fees.run().await.expect("the fees are read");
    assert_eq!((read.listed, read.recorded, read.settled_gifts), (2, 2, 0));
    assert_eq!(app.catch_up.run().await.expect("caught up").applied, 2);

    // Two instances reading at once take each gift's fee into the account once.
    let (a, b) = tokio::join!(app.fees.run(), app.fees.run());
    let (a, b) = (a.expect("a read"), b.expect("a read"));
    let fees = demo_fee(1_000) + demo_fee(2_350);
    assert_eq!(a.recorded + b.recorded, 0, "each fee was kept already");
    assert_eq!(a.settled_gifts + b.settled_gifts, 2);
    assert_eq!(a.settled_minor + b.settled_minor, fees);

    // A refund gives the donor their money back; the provider keeps its fee.
    let donation = app::ids::DonationId::parse(&second).expect("an id");
    refund(&app.payments, &app.db, &donation, 500, "fee-refund")
        .await
        .expect("refunded");
    // The refund's event reaches the provider's list of undelivered events a moment later.
    let mut applied = 0;
    for _ in 0..50 {
        applied += app.catch_up.run().await.expect("caught up").applied;
        if applied > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(applied, 1, "the refund is recorded");
    let again = app.fees.run().await.expect("read again");
    assert_eq!((again.recorded, again.settled_gifts), (0, 0));
    assert_eq!(status_of(&app, &first).await, "paid");

    // The log states them as the payment fees line's expense, and "received" is honest.
    let account = account_with(&app, fees, 500).await;
    let figure = |name: &str| account[name].as_i64().expect(name);
    assert_eq!(
        figure("received_minor"),
        figure("raised_minor") - figure("refunded_minor") - fees
    );
    let (_, key) = app.get_text("/campaigns/little-painters/log/key").await;
    let size = account["checkpoint_size"].as_u64().expect("a size");
    let report = audited(&app, key.trim(), size).await;
    assert_eq!(report.spent, figure("spent_minor") + fees);
    let (_, ledger) = app
        .get_text("/campaigns/little-painters/transparency")
        .await;
    let shown = format!(
        r#"data-testid="account-fees" class="number">{}<"#,
        format_minor(-fees, Currency::Cny, Locale::En)
    );
    assert!(ledger.contains(&shown), "{shown}");

    // The account's picture for social posts is drawn anew under a new name; its address
    // without a name leads to the current one.
    let (after, _) = account_picture(&app).await;
    assert_ne!(before, after);
    let (folder, _) = after.rsplit_once('/').expect("a path");
    let current = app.get(&format!("{folder}/account-en.jpg")).await;
    assert_eq!(current.status(), 302);
    assert_eq!(header_text(&current, "location"), after);
}

on_both_backends!(
    the_providers_fees_are_read_for_each_gift_and_logged_once,
    a_campaign_takes_gifts_only_after_its_plan_is_published,
    expenses_need_a_second_admin_and_only_paid_ones_are_public,
    an_expense_shows_its_documents_and_staff_keep_the_originals,
    the_demo_shows_paid_expenses_with_documents_and_one_awaiting_a_second_admin,
);
