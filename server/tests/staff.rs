//! The staff area over HTTP: signing in and out, who may open what, the cross-site check, the
//! dashboard's figures and moderation reaching every public feed. Every test runs on SQLite and
//! on PostgreSQL.

use crate::support::giving::{gift, give, give_on_demo_checkout, give_with, wait_for_raised};
use crate::support::sse::EventStream;
use crate::support::staff::{self, create, post_with_file, request, sign_in, signed_in, PASSWORD};
use crate::support::{artist_of, spawn, Backend, TestApp};
use app::staff::Role;
use reqwest::Method;
use serde_json::{json, Value};

const ADMIN: &str = "admin@example.org";
const VIEWER: &str = "viewer@example.org";
const DASHBOARD: &str = "/api/staff/dashboard?slug=little-painters&locale=en";
const EXPORT: &str = "/staff/campaigns/little-painters/donations.csv";

/// A server with the demo campaign and a signed-in admin's session cookie.
async fn demo_with_admin(backend: Backend) -> (TestApp, String) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    create(&app, ADMIN, Role::Admin).await;
    let cookie = signed_in(&app, ADMIN).await;
    (app, cookie)
}

async fn dashboard(app: &TestApp, cookie: &str) -> Value {
    let response = request(app, Method::GET, DASHBOARD, Some(cookie))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON")
}

async fn review(app: &TestApp, cookie: Option<&str>, number: i64, review: &str) -> u16 {
    request(app, Method::POST, "/api/staff/review-message", cookie)
        .form(&[
            ("slug", "little-painters"),
            ("number", &number.to_string()),
            ("review", review),
        ])
        .send()
        .await
        .expect("answer")
        .status()
        .as_u16()
}

async fn signing_in_rotates_the_session_and_signing_out_ends_it(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    create(&app, ADMIN, Role::Admin).await;

    let response = sign_in(&app, " Admin@Example.org ", PASSWORD, None).await;
    assert!(response.status().is_redirection() || response.status().is_success());
    let attributes = staff::set_cookie(&response).expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(
            attributes.contains(attribute),
            "{attributes} lacks {attribute}"
        );
    }
    let first = staff::session_cookie(&response).expect("a session");
    assert_eq!(dashboard(&app, &first).await["member"]["role"], "admin");

    // Signing in again with a session already held gives a new id; the old one opens nothing.
    let again = sign_in(&app, ADMIN, PASSWORD, Some(&first)).await;
    let second = staff::session_cookie(&again).expect("a new session");
    assert_ne!(first, second);
    let old = request(&app, Method::GET, DASHBOARD, Some(&first))
        .send()
        .await
        .expect("answer");
    assert_eq!(old.status(), 401);

    let out = request(&app, Method::POST, "/api/staff/sign-out", Some(&second))
        .send()
        .await
        .expect("answer");
    assert!(out.status().is_redirection() || out.status().is_success());
    // A browser that kept the cookie gets nothing with it: the session is gone on the server.
    let after = request(&app, Method::GET, DASHBOARD, Some(&second))
        .send()
        .await
        .expect("answer");
    assert_eq!(after.status(), 401);
    let page = request(&app, Method::GET, "/staff", Some(&second))
        .send()
        .await
        .expect("answer");
    assert_eq!(page.status(), 303);
}

async fn wrong_emails_and_wrong_passwords_get_one_answer_until_the_limit(backend: Backend) {
    let app = spawn(backend).await;
    create(&app, ADMIN, Role::Admin).await;
    create(&app, VIEWER, Role::Viewer).await;

    let wrong_password = sign_in(&app, ADMIN, "not the password", None).await;
    let status = wrong_password.status();
    let unknown_email = sign_in(&app, "nobody@example.org", PASSWORD, None).await;
    assert_eq!(status, 401);
    assert_eq!(unknown_email.status(), 401);
    assert!(staff::session_cookie(&unknown_email).is_none());
    assert_eq!(
        wrong_password.text().await.expect("body"),
        unknown_email.text().await.expect("body")
    );

    // Four more wrong passwords reach the account's limit: now even the right one is refused.
    for _ in 0..4 {
        assert_eq!(sign_in(&app, ADMIN, "guess", None).await.status(), 401);
    }
    let limited = sign_in(&app, ADMIN, PASSWORD, None).await;
    assert_eq!(limited.status(), 429);
    assert!(staff::session_cookie(&limited).is_none());
    // An account nobody has (five guesses) is limited the same way: the limit tells nothing.
    for _ in 0..5 {
        assert_eq!(
            sign_in(&app, "ghost@example.org", "guess", None)
                .await
                .status(),
            401
        );
    }
    assert_eq!(
        sign_in(&app, "ghost@example.org", "guess", None)
            .await
            .status(),
        429
    );
    // Other accounts still sign in from this address...
    signed_in(&app, VIEWER).await;
    // ...until the address itself has failed too often, whatever the accounts.
    for n in 0..10 {
        let _ = sign_in(&app, &format!("guess{n}@example.org"), "guess", None).await;
    }
    assert_eq!(sign_in(&app, VIEWER, PASSWORD, None).await.status(), 429);
}

async fn cross_site_staff_requests_are_refused_and_change_nothing(backend: Backend) {
    let (app, cookie) = demo_with_admin(backend).await;
    give(&app, "k-cross", gift(1_000, json!({ "message": "加油!" }))).await;

    let from = |origin: Option<&str>| {
        let mut r = staff::client()
            .post(app.url("/api/staff/review-message"))
            .header("cookie", &cookie)
            .form(&[
                ("slug", "little-painters"),
                ("number", "1"),
                ("review", "hidden"),
            ]);
        if let Some(origin) = origin {
            r = r.header("origin", origin);
        }
        r
    };
    for origin in [Some("https://evil.example"), Some("null"), None] {
        let status = from(origin).send().await.expect("answer").status();
        assert_eq!(status, 403, "{origin:?}");
    }
    let gifts = dashboard(&app, &cookie).await["recent"].clone();
    assert_eq!(gifts[0]["review"], "unreviewed", "nothing changed");

    // A sign-in form posted from another site neither signs in nor counts.
    let forged = staff::client()
        .post(app.url("/api/staff/sign-in"))
        .header("origin", "https://evil.example")
        .form(&[("email", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .expect("answer");
    assert_eq!(forged.status(), 403);
    assert!(staff::session_cookie(&forged).is_none());

    // The browser's own word is enough when it sends no Origin.
    let same = staff::client()
        .post(app.url("/api/staff/review-message"))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("slug", "little-painters"),
            ("number", "1"),
            ("review", "hidden"),
        ])
        .send()
        .await
        .expect("answer");
    assert_eq!(same.status(), 200);
}

/// A route, the form it posts, and the status expected as anonymous, viewer and admin.
type Route<'a> = (Method, &'a str, &'a [(&'a str, &'a str)], [u16; 3]);

async fn every_staff_route_answers_each_role_as_it_must(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    create(&app, ADMIN, Role::Admin).await;
    create(&app, VIEWER, Role::Viewer).await;
    give_on_demo_checkout(
        &app,
        "k-matrix",
        gift(1_000, json!({ "message": "for the matrix" })),
    )
    .await;
    let admin = signed_in(&app, ADMIN).await;
    let viewer = signed_in(&app, VIEWER).await;

    let review_form = [
        ("slug", "little-painters"),
        ("number", "1"),
        ("review", "approved"),
    ];
    let refund_form = [
        ("slug", "little-painters"),
        ("number", "1"),
        ("refunded", "0"),
        ("amount", "1"),
        ("confirmed", "yes"),
    ];
    let publish_form = [
        ("slug", "little-painters"),
        ("artwork", "boats-at-dawn"),
        ("publish", "true"),
    ];
    let artworks = "/api/staff/artworks?slug=little-painters&locale=en";
    let matrix: [Route; 14] = [
        (Method::GET, "/staff", &[], [303, 200, 200]),
        (
            Method::GET,
            "/staff/campaigns/little-painters",
            &[],
            [303, 200, 200],
        ),
        (Method::GET, "/staff/sign-in", &[], [200, 200, 200]),
        (Method::GET, "/staff/new-campaign", &[], [303, 403, 200]),
        (
            Method::GET,
            "/staff/campaigns/little-painters/artworks/boats-at-dawn/edit",
            &[],
            [303, 403, 200],
        ),
        (
            Method::GET,
            "/staff/campaigns/little-painters/edit",
            &[],
            [303, 403, 200],
        ),
        (
            Method::GET,
            "/staff/campaigns/little-painters/artworks",
            &[],
            [303, 200, 200],
        ),
        (Method::GET, artworks, &[], [401, 200, 200]),
        (
            Method::POST,
            "/api/staff/publish-artwork",
            &publish_form,
            [401, 403, 200],
        ),
        (Method::GET, EXPORT, &[], [303, 200, 200]),
        (Method::GET, DASHBOARD, &[], [401, 200, 200]),
        (
            Method::POST,
            "/api/staff/review-message",
            &review_form,
            [401, 403, 200],
        ),
        (
            Method::POST,
            "/api/staff/refund",
            &refund_form,
            [401, 403, 303],
        ),
        (
            Method::GET,
            "/staff/campaigns/no-such-campaign",
            &[],
            [303, 404, 404],
        ),
    ];
    for (method, path, form, expected) in matrix {
        for (who, cookie) in [None, Some(viewer.as_str()), Some(admin.as_str())]
            .into_iter()
            .enumerate()
        {
            let mut r = request(&app, method.clone(), path, cookie);
            if !form.is_empty() {
                r = r.form(form);
            }
            let status = r.send().await.expect("answer").status().as_u16();
            let role = ["anonymous", "viewer", "admin"][who];
            assert_eq!(status, expected[who], "{method} {path} as {role}");
        }
    }
    // A refused page says why, in the reader's language.
    let refused = request(&app, Method::GET, "/staff/new-campaign", Some(&viewer))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .expect("answer");
    assert_eq!(refused.status(), 403);
    assert!(refused
        .text()
        .await
        .expect("a page")
        .contains("您的角色无权进行此操作"));
    // The anonymous visitor is sent to sign in, and back afterwards.
    let page = app.get("/staff/campaigns/little-painters").await;
    assert_eq!(
        page.headers()["location"],
        "/staff/sign-in?next=/staff/campaigns/little-painters"
    );
}

async fn the_dashboard_counts_gifts_sharers_and_messages(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    create(&app, VIEWER, Role::Viewer).await;
    let cookie = signed_in(&app, VIEWER).await;
    let before = dashboard(&app, &cookie).await;
    let hour_before: u64 = gifts_in(&before["last_hour"]);

    let first = give(
        &app,
        "k-d1",
        gift(
            2_000,
            json!({ "display_name": "Ada", "message": "Lovely sun" }),
        ),
    )
    .await;
    let links = app
        .get(&format!("/api/pages/donation?id={first}&locale=en"))
        .await
        .json::<Value>()
        .await
        .expect("JSON");
    let code = links["share"]["page_url"]
        .as_str()
        .and_then(|u| u.rsplit('/').next())
        .expect("a share code")
        .to_owned();
    let cookie_header = format!("gg_shared_by={code}");
    give_with(
        &app,
        "k-d2",
        gift(3_000, json!({})),
        &[("cookie", &cookie_header)],
    )
    .await;

    let board = dashboard(&app, &cookie).await;
    assert_eq!(board["member"]["role"], "viewer");
    assert_eq!(
        board["progress"]["raised"]["minor"]
            .as_i64()
            .expect("raised")
            - before["progress"]["raised"]["minor"]
                .as_i64()
                .expect("raised"),
        5_000
    );
    assert_eq!(gifts_in(&board["last_hour"]) - hour_before, 2);
    assert_eq!(gifts_in(&board["whole"]), gifts_in(&before["whole"]) + 2);
    assert_eq!(
        board["last_hour"]["gifts"].as_array().map(Vec::len),
        Some(60)
    );
    let sharer = &board["top_sharers"][0];
    assert_eq!(sharer["name"], "Ada");
    assert_eq!(sharer["gifts"], 1);
    assert_eq!(sharer["raised"]["minor"], 3_000);
    let top = &board["top_artworks"][0];
    assert!(top["gifts"].as_u64().expect("gifts") >= 2);
    let recent = &board["recent"];
    assert_eq!(recent[1]["name"], "Ada");
    assert_eq!(recent[1]["message"], "Lovely sun");
    assert_eq!(
        recent[0]["name"],
        Value::Null,
        "no name given: shown as anonymous"
    );

    // The page itself renders the figures for the signed-in viewer.
    let page = request(&app, Method::GET, "/staff", Some(&cookie))
        .send()
        .await
        .expect("answer")
        .text()
        .await
        .expect("HTML");
    assert!(page.contains("data-testid=\"chart-hour\""));
    assert!(page.contains("Lovely sun"));
    assert!(page.contains("Mei Lin"));
}

fn gifts_in(chart: &Value) -> u64 {
    chart["gifts"]
        .as_array()
        .expect("bars")
        .iter()
        .map(|g| g.as_u64().expect("a count"))
        .sum()
}

async fn a_hidden_message_leaves_every_public_feed_at_once(backend: Backend) {
    let (app, cookie) = demo_with_admin(backend).await;
    give(
        &app,
        "k-h1",
        gift(1_000, json!({ "message": "Visit my shop" })),
    )
    .await;
    let mut events = EventStream::open(
        &app.client,
        &app.url("/api/campaigns/little-painters/events"),
        &[],
    )
    .await;
    let snapshot = events.next().await;
    assert_eq!(snapshot.kind, "snapshot");
    assert_eq!(snapshot.data["gifts"][0]["message"], "Visit my shop");

    assert_eq!(review(&app, Some(&cookie), 1, "hidden").await, 200);
    let seen = events.until(|e| e.kind == "snapshot").await;
    let fresh = seen.last().expect("a fresh snapshot");
    assert_eq!(fresh.data["gifts"][0]["number"], 1);
    assert_eq!(fresh.data["gifts"][0]["message"], Value::Null);
    let (_, page) = app.get_text("/campaigns/little-painters").await;
    assert!(!page.contains("Visit my shop"));
    let board = dashboard(&app, &cookie).await;
    assert_eq!(board["recent"][0]["review"], "hidden");
    assert_eq!(board["recent"][0]["public"], false);

    // Approving brings it back, live.
    assert_eq!(review(&app, Some(&cookie), 1, "approved").await, 200);
    let seen = events.until(|e| e.kind == "snapshot").await;
    let fresh = seen.last().expect("a fresh snapshot");
    assert_eq!(fresh.data["gifts"][0]["message"], "Visit my shop");

    // Bad reviews, numbers and campaigns are refused and change nothing.
    assert_eq!(review(&app, Some(&cookie), 1, "deleted").await, 400);
    assert_eq!(review(&app, Some(&cookie), 99, "hidden").await, 404);
    let board = dashboard(&app, &cookie).await;
    assert_eq!(board["recent"][0]["review"], "approved");
}

async fn export(app: &TestApp, cookie: &str) -> String {
    let response = request(app, Method::GET, EXPORT, Some(cookie))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(response.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .starts_with("attachment"));
    response.text().await.expect("CSV")
}

/// An export with what differs from run to run (times, share codes) replaced by its column's
/// name, its rows in a fixed order, one cell a line, for a snapshot a reviewer can read.
fn redact_export(csv_text: &str) -> String {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
        .collect();
    let varying = ["created_at", "paid_at", "share_code", "referred_by"];
    for row in &mut rows {
        for (cell, name) in row.iter_mut().zip(&header) {
            if varying.contains(&name.as_str()) && !cell.is_empty() {
                *cell = format!("[{name}]");
            }
        }
    }
    let name_column = header
        .iter()
        .position(|h| h == "display_name")
        .expect("names");
    rows.sort_by(|a, b| a[name_column].cmp(&b[name_column]));
    rows.iter()
        .map(|row| {
            header
                .iter()
                .zip(row)
                .map(|(name, cell)| format!("{name}: {cell:?}\n"))
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn the_export_makes_formulas_inert_and_shows_emails_to_admins_only(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    create(&app, ADMIN, Role::Admin).await;
    create(&app, VIEWER, Role::Viewer).await;
    give(
        &app,
        "k-csv-1",
        gift(
            1_500,
            json!({ "display_name": "=HYPERLINK(\"http://evil.example\",\"x\")",
                    "message": "+1, call me\nmaybe", "email": "donor@example.org" }),
        ),
    )
    .await;
    give(
        &app,
        "k-csv-2",
        gift(
            2_000,
            json!({ "display_name": "@SUM(A1)", "message": "-2" }),
        ),
    )
    .await;

    let admin = export(&app, &signed_in(&app, ADMIN).await).await;
    let mut lines = admin.split("\r\n");
    let header = lines.next().expect("a header");
    assert!(header.starts_with("\u{feff}certificate_number,status,"));
    assert!(header.ends_with(",email"));
    assert!(admin.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""));
    assert!(
        admin.contains("\"'+1, call me\nmaybe\""),
        "the line break stays in its cell"
    );
    assert!(admin.contains(",'@SUM(A1),"));
    assert!(admin.contains(",'-2,"));
    assert!(admin.contains(",donor@example.org\r\n"));
    let first = admin
        .split("\r\n")
        .find(|l| l.starts_with("1,"))
        .expect("gift 1");
    assert!(first.starts_with("1,paid,"), "{first}");
    assert!(first.contains(",15.00,15.00,0.00,CNY,"), "{first}");

    insta::assert_snapshot!("export_admin", redact_export(&admin));

    let viewer = export(&app, &signed_in(&app, VIEWER).await).await;
    assert!(!viewer.lines().next().expect("a header").contains("email"));
    assert!(!viewer.contains("donor@example.org"));
    assert_eq!(
        viewer.matches("\r\n").count(),
        admin.matches("\r\n").count()
    );
}

/// A refund form as the dashboard sends it: `confirmed` once the admin has seen the
/// confirmation page.
async fn refund_form(
    app: &TestApp,
    cookie: &str,
    fields: [(&str, &str); 3],
    confirmed: bool,
) -> reqwest::Response {
    let mut form = vec![("slug", "little-painters")];
    form.extend(fields);
    if confirmed {
        form.push(("confirmed", "yes"));
    }
    request(app, Method::POST, "/api/staff/refund", Some(cookie))
        .form(&form)
        .send()
        .await
        .expect("answer")
}

async fn refund(app: &TestApp, cookie: &str, number: &str, refunded: &str, amount: &str) -> u16 {
    let fields = [
        ("number", number),
        ("refunded", refunded),
        ("amount", amount),
    ];
    refund_form(app, cookie, fields, true)
        .await
        .status()
        .as_u16()
}

async fn an_admin_refunds_a_gift_in_part_then_in_full(backend: Backend) {
    let (app, cookie) = demo_with_admin(backend).await;
    give_on_demo_checkout(
        &app,
        "k-refund",
        gift(2_000, json!({ "display_name": "Lin" })),
    )
    .await;
    let start = app.progress("little-painters").await["raised_minor"]
        .as_i64()
        .expect("raised");

    // The dashboard's form first shows what will be refunded, and refunds nothing.
    let fields = [("number", "1"), ("refunded", "0"), ("amount", "4.5")];
    let asked = refund_form(&app, &cookie, fields, false).await;
    assert_eq!(asked.status(), 200);
    let page = asked.text().await.expect("a page");
    assert!(page.contains("Refund gift #1?"), "{page}");
    assert!(page.contains("¥4.50") && page.contains("¥20"), "{page}");
    assert!(page.contains("name=\"confirmed\" value=\"yes\""), "{page}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.progress("little-painters").await["raised_minor"], start);

    // Bad amounts (an empty one is not "everything") and unknown gifts are refused and ask
    // nothing.
    for (amount, status) in [
        ("", 400),
        ("abc", 400),
        ("0", 400),
        ("-3", 400),
        ("20.01", 400),
    ] {
        assert_eq!(
            refund(&app, &cookie, "1", "0", amount).await,
            status,
            "{amount}"
        );
    }
    assert_eq!(refund(&app, &cookie, "99", "0", "1").await, 404);
    assert_eq!(app.progress("little-painters").await["raised_minor"], start);

    assert_eq!(refund(&app, &cookie, "1", "0", "4.50").await, 303);
    wait_for_raised(&app, start - 450).await;
    // The same form sent again (a double click) refunds nothing more.
    assert_eq!(refund(&app, &cookie, "1", "0", "4.50").await, 303);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.progress("little-painters").await["raised_minor"],
        start - 450
    );
    let board = dashboard(&app, &cookie).await;
    assert_eq!(board["recent"][0]["refunded"]["minor"], 450);

    // Then all that is left.
    assert_eq!(refund(&app, &cookie, "1", "450", "15.50").await, 303);
    wait_for_raised(&app, start - 2_000).await;
    let board = dashboard(&app, &cookie).await;
    assert_eq!(board["recent"][0]["refunded"]["minor"], 2_000);
    assert_eq!(
        refund(&app, &cookie, "1", "2000", "0.01").await,
        400,
        "nothing left"
    );
}

/// A public page as a reader of `language` gets it.
async fn page_in(app: &TestApp, path: &str, language: &str) -> String {
    staff::client()
        .get(app.url(path))
        .header("accept-language", language)
        .send()
        .await
        .expect("answer")
        .text()
        .await
        .expect("HTML")
}

/// An image file of `format`, `w` x `h` pixels.
pub(crate) fn image_file(format: image::ImageFormat, w: u32, h: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut bytes, format).expect("encodes");
    bytes.into_inner()
}

/// The upload form as an admin's browser sends it, with `changes` over a complete form.
pub(crate) fn artwork_form(image: Vec<u8>, changes: &[(&str, &str)]) -> reqwest::multipart::Form {
    let mut fields: Vec<(String, String)> = [
        ("content_locale", "en"),
        ("title", "Kites Over the River"),
        ("artist_name", "Wang Lei"),
        ("artist_age", "11"),
        ("story", "Lei painted the kites his grandfather makes."),
        ("title_translated", "河上的风筝"),
        ("consent_given_by", "Wang Fang"),
        ("consent_relationship", "mother"),
        ("consent_given_on", "2026-05-01"),
        ("consent_licence", "CC BY-NC 4.0"),
        ("royalty_percent", "5"),
        ("consent_role", "parent"),
        ("consent_assent", "yes"),
        ("publish", "on"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for (name, value) in changes {
        fields.retain(|(k, _)| k != name);
        fields.push(((*name).to_owned(), (*value).to_owned()));
    }
    let part = reqwest::multipart::Part::bytes(image).file_name("kites.png");
    fields.into_iter().fold(
        reqwest::multipart::Form::new().part("image", part),
        |form, (k, v)| form.text(k, v),
    )
}

async fn upload(app: &TestApp, cookie: &str, form: reqwest::multipart::Form) -> reqwest::Response {
    request(
        app,
        Method::POST,
        "/api/staff/campaigns/little-painters/artworks",
        Some(cookie),
    )
    .multipart(form)
    .send()
    .await
    .expect("answer")
}

async fn staff_artworks(app: &TestApp, cookie: &str) -> Vec<Value> {
    let path = "/api/staff/artworks?slug=little-painters&locale=en";
    let response = request(app, Method::GET, path, Some(cookie))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 200);
    let board: Value = response.json().await.expect("JSON");
    board["artworks"].as_array().expect("artworks").clone()
}

fn media_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.state.media.dir()).map_or(0, |d| d.count())
}

async fn an_admin_uploads_an_artwork_with_consent_and_it_joins_the_gallery(backend: Backend) {
    let (app, cookie) = demo_with_admin(backend).await;
    let before = staff_artworks(&app, &cookie).await.len();

    let response = upload(
        &app,
        &cookie,
        artwork_form(image_file(image::ImageFormat::Png, 900, 1200), &[]),
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/staff/campaigns/little-painters/artworks?added=kites-over-the-river"
    );
    let artworks = staff_artworks(&app, &cookie).await;
    assert_eq!(artworks.len(), before + 1);
    let added = artworks.last().expect("the new artwork");
    assert_eq!(added["card"]["slug"], "kites-over-the-river");
    assert_eq!(added["published"], true);
    assert_eq!(added["has_consent"], true);
    assert_eq!(added["card"]["image"]["width"], 900);

    // The public sees it, in both languages, with its consent record.
    let (status, gallery) = app.get_text("/campaigns/little-painters").await;
    assert_eq!(status, 200);
    assert!(gallery.contains("Kites Over the River"));
    let page = page_in(
        &app,
        "/campaigns/little-painters/artworks/kites-over-the-river",
        "zh-CN",
    )
    .await;
    assert!(page.contains("河上的风筝"));
    assert!(page.contains("父母") && !page.contains("Wang Fang"));
    let image = app
        .get(added["card"]["image"]["url"].as_str().expect("a URL"))
        .await;
    assert_eq!(image.headers()["content-type"], "image/jpeg");
    assert!(
        !page.contains("data-testid=\"provenance\""),
        "not stated yet"
    );

    // How it was made, with a photo of the painter at work, saved on the edit form: the page
    // says so in the reader's language and shows the photo at its size. A way of making the
    // form does not offer, or a photo that is no picture, changes nothing.
    const SAVE: &str = "/api/staff/campaigns/little-painters/artworks/kites-over-the-river";
    let draft = "/api/staff/artwork-draft?slug=little-painters&artwork=kites-over-the-river";
    let fields = with(
        fields_of(&app, &cookie, draft).await,
        &[("made_how", "hand_guided"), ("publish", "on")],
    );
    let refused = [
        (
            with(fields.clone(), &[("made_how", "by-a-robot")]),
            image_file(image::ImageFormat::Png, 40, 30),
            400,
        ),
        (fields.clone(), b"%PDF-1.4\n".to_vec(), 415),
    ];
    for (pairs, photo, status) in refused {
        let sent = post_with_file(&app, Some(&cookie), SAVE, &pairs, ("evidence", photo)).await;
        assert_eq!(sent, status);
    }
    let (_, page) = app
        .get_text("/campaigns/little-painters/artworks/kites-over-the-river")
        .await;
    assert!(
        !page.contains("data-testid=\"provenance\""),
        "a refused form saves nothing"
    );
    let photo = image_file(image::ImageFormat::Jpeg, 640, 480);
    let saved = post_with_file(&app, Some(&cookie), SAVE, &fields, ("evidence", photo)).await;
    assert_eq!(saved, 303);
    let page = page_in(
        &app,
        "/campaigns/little-painters/artworks/kites-over-the-river",
        "zh-CN",
    )
    .await;
    let html = scraper::Html::parse_document(&page);
    let section = scraper::Selector::parse("[data-testid=provenance]").expect("selector");
    let section = html
        .select(&section)
        .next()
        .expect("the provenance section");
    let text = section.text().collect::<String>();
    assert!(text.contains("手把手辅助完成"), "{text}");
    let img = scraper::Selector::parse("img").expect("selector");
    let photo = section.select(&img).next().expect("the photo").value();
    assert!(photo
        .attr("alt")
        .is_some_and(|alt| alt.contains("Wang Lei")));
    assert!(photo.attr("width").is_some() && photo.attr("height").is_some());
    let served = app.get(photo.attr("src").expect("a source")).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    a_film_is_checked_played_and_removed(&app, &cookie, &fields).await;
    a_voice_message_is_checked_played_and_removed(&app, &cookie, &fields).await;
}

/// A film as a phone held upright records it: an MPEG-4 movie of `seconds` whose picture track
/// is 1920x1080 turned a quarter, then `data` bytes of media.
fn phone_film(seconds: u32, data: usize) -> Vec<u8> {
    let mp4_box = |kind: &[u8], payload: &[u8]| {
        [
            &((payload.len() + 8) as u32).to_be_bytes()[..],
            kind,
            payload,
        ]
        .concat()
    };
    let mvhd = [
        &[0; 12][..],
        &1000_u32.to_be_bytes(),
        &(seconds * 1000).to_be_bytes(),
        &[0; 80],
    ]
    .concat();
    let quarter_turn: [u32; 9] = [0, 0x1_0000, 0, 0xFFFF_0000, 0, 0, 0, 0, 0x4000_0000];
    let matrix: Vec<u8> = quarter_turn.iter().flat_map(|n| n.to_be_bytes()).collect();
    let size = [
        (1920_u32 << 16).to_be_bytes(),
        (1080_u32 << 16).to_be_bytes(),
    ]
    .concat();
    let tkhd = [&[0; 40][..], &matrix, &size].concat();
    let hdlr = [&[0; 8][..], b"vide", &[0; 13]].concat();
    let trak = [
        mp4_box(b"tkhd", &tkhd),
        mp4_box(b"mdia", &mp4_box(b"hdlr", &hdlr)),
    ]
    .concat();
    let moov = [mp4_box(b"mvhd", &mvhd), mp4_box(b"trak", &trak)].concat();
    let media: Vec<u8> = (0..data).map(|i| (i % 251) as u8).collect();
    [
        mp4_box(b"ftyp", b"isom\0\0\0\0isomavc1"),
        mp4_box(b"moov", &moov),
        mp4_box(b"mdat", &media),
    ]
    .concat()
}

/// The film of the artist at work on the artwork `fields` (its edit form) saves: films too
/// long, too large or of another kind are refused and change nothing; one that passes plays on
/// the page upright, behind the photo as its poster, sent in parts as a player asks, until it
/// is removed.
async fn a_film_is_checked_played_and_removed(
    app: &TestApp,
    cookie: &str,
    fields: &[(String, String)],
) {
    const SAVE: &str = "/api/staff/campaigns/little-painters/artworks/kites-over-the-river";
    const PAGE: &str = "/campaigns/little-painters/artworks/kites-over-the-river";
    let send = |film: Vec<u8>| async move {
        post_with_file(app, Some(cookie), SAVE, fields, ("film", film)).await
    };
    let mut too_large = phone_film(5, 0);
    too_large.resize(40 * 1024 * 1024 + 1, 0);
    for (film, status) in [
        (phone_film(91, 0), 400),
        (too_large, 413),
        (b"\x1aE\xdf\xa3\x9fB\x86\x81\x01webm".to_vec(), 415),
        (silent_mp3(2), 415),
    ] {
        assert_eq!(send(film).await, status);
    }
    let video = scraper::Selector::parse("[data-testid=provenance-film]").expect("selector");
    let source = scraper::Selector::parse("source").expect("selector");
    let film_on = |html: &str| {
        let html = scraper::Html::parse_document(html);
        html.select(&video).next().map(|v| {
            let attr = |name: &str| v.value().attr(name).unwrap_or_default().to_owned();
            let src = v.select(&source).next().map(|s| {
                let attr = |name: &str| s.value().attr(name).unwrap_or_default().to_owned();
                (attr("src"), attr("type"))
            });
            (
                attr("width"),
                attr("height"),
                attr("poster"),
                attr("preload"),
                src,
            )
        })
    };
    assert_eq!(
        film_on(&app.get_text(PAGE).await.1),
        None,
        "a refused film saves nothing"
    );

    let film = phone_film(12, 700_000);
    assert_eq!(send(film.clone()).await, 303);
    let (width, height, poster, preload, src) =
        film_on(&app.get_text(PAGE).await.1).expect("the film plays");
    assert_eq!(
        (width.as_str(), height.as_str()),
        ("1080", "1920"),
        "upright"
    );
    assert!(
        poster.starts_with("/media/") && preload == "none",
        "the photo stands in until played"
    );
    let (src, kind) = src.expect("a source");
    assert_eq!(kind, "video/mp4");
    let served = app.get(&src).await;
    assert_eq!(served.headers()["content-type"], "video/mp4");
    assert_eq!(
        served.headers()["content-length"],
        film.len().to_string().as_str()
    );
    assert_eq!(
        served.bytes().await.expect("bytes").as_ref(),
        film.as_slice()
    );
    // A part across the chunks the server reads, as a player seeking asks, never re-compressed.
    let part = app
        .client
        .get(app.url(&src))
        .header("range", "bytes=100000-699999")
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .expect("answer");
    assert_eq!(part.status(), 206);
    let range = format!("bytes 100000-699999/{}", film.len());
    assert_eq!(part.headers()["content-range"], range.as_str());
    assert!(part.headers().get("content-encoding").is_none());
    assert_eq!(
        part.bytes().await.expect("bytes").as_ref(),
        &film[100_000..700_000]
    );

    // Saved without a film it stays; ticked for removal it goes.
    assert_eq!(save(app, cookie, SAVE, fields).await.status(), 303);
    assert!(film_on(&app.get_text(PAGE).await.1).is_some());
    let removed = with(fields.to_vec(), &[("remove_film", "on")]);
    assert_eq!(save(app, cookie, SAVE, &removed).await.status(), 303);
    assert_eq!(film_on(&app.get_text(PAGE).await.1), None);
}

/// `seconds` of silent MP3 (MPEG-1 layer III, 32 kbps, 32 kHz: 144-byte frames of 36 ms).
fn silent_mp3(seconds: u32) -> Vec<u8> {
    let frame = [&[0xFF, 0xFB, 0x18, 0xC4][..], &[0; 140]].concat();
    frame.repeat((seconds * 1000 / 36 + 1) as usize)
}

/// The voice message of the artwork `fields` (its edit form) saves: recordings too long, too
/// large, of another kind or without their words are refused and change nothing; one that
/// passes plays on the page with its words in the reader's language, until it is removed.
async fn a_voice_message_is_checked_played_and_removed(
    app: &TestApp,
    cookie: &str,
    fields: &[(String, String)],
) {
    const SAVE: &str = "/api/staff/campaigns/little-painters/artworks/kites-over-the-river";
    const PAGE: &str = "/campaigns/little-painters/artworks/kites-over-the-river";
    let words = with(
        fields.to_vec(),
        &[
            ("voice_transcript_en", "Thank you for flying my kites."),
            ("voice_transcript_zh", "谢谢你放飞我的风筝。"),
        ],
    );
    let send = |pairs: Vec<(String, String)>, recording: Vec<u8>| async move {
        post_with_file(app, Some(cookie), SAVE, &pairs, ("voice", recording)).await
    };
    let mut too_large = silent_mp3(3);
    too_large.resize(2 * 1024 * 1024 + 1, 0);
    for (pairs, recording, status) in [
        (words.clone(), silent_mp3(61), 400),
        (words.clone(), too_large, 413),
        (words.clone(), b"RIFF\0\0\0\0WAVEfmt ".to_vec(), 415),
        (fields.to_vec(), silent_mp3(3), 400),
    ] {
        assert_eq!(send(pairs, recording).await, status);
    }
    let voice = scraper::Selector::parse("[data-testid=voice] source").expect("selector");
    let source_on = |html: &str| {
        let html = scraper::Html::parse_document(html);
        let source = html.select(&voice).next().map(|s| s.value().clone());
        source.map(|s| {
            (
                s.attr("src").map(str::to_owned),
                s.attr("type").map(str::to_owned),
            )
        })
    };
    let (_, page) = app.get_text(PAGE).await;
    assert_eq!(source_on(&page), None, "a refused recording saves nothing");

    let recording = silent_mp3(3);
    assert_eq!(send(words.clone(), recording.clone()).await, 303);
    let (_, page) = app.get_text(PAGE).await;
    let (src, kind) = source_on(&page).expect("the voice message plays");
    assert_eq!(kind.as_deref(), Some("audio/mpeg"));
    assert!(page.contains("Thank you for flying my kites.") && page.contains("0:03"));
    let zh = page_in(app, PAGE, "zh-CN").await;
    assert!(zh.contains("谢谢你放飞我的风筝。") && !zh.contains("flying my kites"));
    let src = src.expect("a source");
    let served = app.get(&src).await;
    assert_eq!(served.headers()["content-type"], "audio/mpeg");
    assert_eq!(
        served.bytes().await.expect("bytes").as_ref(),
        recording.as_slice()
    );
    // A player seeking asks for a part, and gets just that, never re-compressed.
    let part = app
        .client
        .get(app.url(&src))
        .header("range", "bytes=144-287")
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .expect("answer");
    assert_eq!(part.status(), 206);
    let whole = format!("bytes 144-287/{}", recording.len());
    assert_eq!(part.headers()["content-range"], whole.as_str());
    assert!(part.headers().get("content-encoding").is_none());
    assert_eq!(
        part.bytes().await.expect("bytes").as_ref(),
        &recording[144..288]
    );

    // Saved without a recording it stays, but not without its words; ticked for removal it goes.
    assert_eq!(save(app, cookie, SAVE, &words).await.status(), 303);
    assert!(source_on(&app.get_text(PAGE).await.1).is_some());
    let wordless = with(
        words.clone(),
        &[("voice_transcript_en", ""), ("voice_transcript_zh", "")],
    );
    assert_eq!(save(app, cookie, SAVE, &wordless).await.status(), 400);
    assert!(app
        .get_text(PAGE)
        .await
        .1
        .contains("Thank you for flying my kites."));
    let removed = with(words, &[("remove_voice", "on")]);
    assert_eq!(save(app, cookie, SAVE, &removed).await.status(), 303);
    assert_eq!(source_on(&app.get_text(PAGE).await.1), None);

    // A second artwork with the same title gets its own address; one in Chinese gets one too.
    let again = upload(
        &app,
        &cookie,
        artwork_form(image_file(image::ImageFormat::Jpeg, 300, 300), &[]),
    )
    .await;
    assert_eq!(
        again.headers()["location"],
        "/staff/campaigns/little-painters/artworks?added=kites-over-the-river-2"
    );
    let chinese = artwork_form(
        image_file(image::ImageFormat::WebP, 200, 100),
        &[
            ("content_locale", "zh-CN"),
            ("title", "小船"),
            ("title_translated", "Little Boat"),
        ],
    );
    let chinese = upload(&app, &cookie, chinese).await;
    assert_eq!(chinese.status(), 303);
    let location = chinese.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(location.contains("?added=artwork-"), "{location}");
}

async fn bad_uploads_are_refused_and_store_nothing(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    create(&app, ADMIN, Role::Admin).await;
    create(&app, VIEWER, Role::Viewer).await;
    let admin = signed_in(&app, ADMIN).await;
    let viewer = signed_in(&app, VIEWER).await;
    let artworks = staff_artworks(&app, &admin).await.len();
    let files = media_files(&app);
    let png = || image_file(image::ImageFormat::Png, 64, 64);
    let truncated = {
        let whole = image_file(image::ImageFormat::Jpeg, 300, 300);
        whole[..whole.len() / 2].to_vec()
    };
    let no_consent = [
        ("consent_given_by", ""),
        ("consent_relationship", ""),
        ("consent_given_on", ""),
        ("consent_licence", ""),
    ];
    let cases: Vec<(&str, reqwest::multipart::Form, u16)> = vec![
        (
            "a GIF",
            artwork_form(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(), &[]),
            415,
        ),
        (
            "an SVG",
            artwork_form(b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(), &[]),
            415,
        ),
        ("a truncated JPEG", artwork_form(truncated, &[]), 400),
        (
            "too many pixels",
            artwork_form(image_file(image::ImageFormat::Png, 8_001, 2), &[]),
            413,
        ),
        (
            "over 20 MB",
            artwork_form(vec![0_u8; 20 * 1024 * 1024 + 1], &[]),
            413,
        ),
        (
            "over the whole form's limit",
            artwork_form(vec![0_u8; 21 * 1024 * 1024], &[]),
            413,
        ),
        ("no image", artwork_form(Vec::new(), &[]), 400),
        (
            "publishing without consent",
            artwork_form(png(), &no_consent),
            400,
        ),
        (
            "half a consent record",
            artwork_form(png(), &[("consent_licence", "")]),
            400,
        ),
        ("no title", artwork_form(png(), &[("title", "  ")]), 400),
        (
            "a consent date to come",
            artwork_form(png(), &[("consent_given_on", "2999-01-01")]),
            400,
        ),
    ];
    for (what, form, status) in cases {
        let response = upload(&app, &admin, form).await;
        assert_eq!(response.status(), status, "{what}");
        let page = response.text().await.expect("a page");
        assert!(
            page.contains("data-testid=\"upload-error\""),
            "{what}: {page}"
        );
    }
    let as_viewer = upload(&app, &viewer, artwork_form(png(), &[])).await;
    assert_eq!(as_viewer.status(), 403);
    let cross_site = staff::client()
        .post(app.url("/api/staff/campaigns/little-painters/artworks"))
        .header("cookie", &admin)
        .header("origin", "https://evil.example")
        .multipart(artwork_form(png(), &[]))
        .send()
        .await
        .expect("answer");
    assert_eq!(cross_site.status(), 403);
    assert_eq!(
        staff_artworks(&app, &admin).await.len(),
        artworks,
        "nothing added"
    );
    assert_eq!(media_files(&app), files, "nothing stored");
}

async fn publishing_needs_consent_and_reordering_moves_the_gallery(backend: Backend) {
    let (app, cookie) = demo_with_admin(backend).await;
    let draft = artwork_form(
        image_file(image::ImageFormat::Png, 120, 90),
        &[
            ("title", "Draft Without Consent"),
            ("consent_given_by", ""),
            ("consent_relationship", ""),
            ("consent_given_on", ""),
            ("consent_licence", ""),
            ("publish", ""),
        ],
    );
    assert_eq!(upload(&app, &cookie, draft).await.status(), 303);
    let call = |endpoint: &'static str, fields: Vec<(&'static str, String)>| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            request(app, Method::POST, endpoint, Some(&cookie))
                .form(&fields)
                .send()
                .await
                .expect("answer")
                .status()
                .as_u16()
        }
    };
    let publish = |artwork: &'static str, publish: bool| {
        call(
            "/api/staff/publish-artwork",
            vec![
                ("slug", "little-painters".into()),
                ("artwork", artwork.into()),
                ("publish", publish.to_string()),
            ],
        )
    };
    assert_eq!(publish("draft-without-consent", true).await, 400);
    let (_, gallery) = app.get_text("/campaigns/little-painters").await;
    assert!(!gallery.contains("Draft Without Consent"));

    // Unpublishing takes an artwork out of the public gallery; its page is gone too.
    let first = staff_artworks(&app, &cookie).await[0]["card"]["slug"]
        .as_str()
        .expect("a slug")
        .to_owned();
    let first: &'static str = Box::leak(first.into_boxed_str());
    assert_eq!(publish(first, false).await, 200);
    let page = app
        .get(&format!("/campaigns/little-painters/artworks/{first}"))
        .await;
    assert_eq!(page.status(), 404);
    assert_eq!(publish(first, true).await, 200);

    // Moving the first artwork later swaps it with the second, for staff and the public.
    let order = |list: Vec<Value>| {
        list.iter()
            .map(|a| a["card"]["slug"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    let before = order(staff_artworks(&app, &cookie).await);
    let moved = call(
        "/api/staff/move-artwork",
        vec![
            ("slug", "little-painters".into()),
            ("artwork", first.into()),
            ("earlier", "false".into()),
        ],
    )
    .await;
    assert_eq!(moved, 200);
    let after = order(staff_artworks(&app, &cookie).await);
    assert_eq!(after[0], before[1]);
    assert_eq!(after[1], before[0]);
    let (_, gallery) = app.get_text("/campaigns/little-painters").await;
    let at = |slug: &str| {
        gallery
            .find(&format!("/artworks/{slug}\""))
            .expect("in the gallery")
    };
    assert!(at(&after[0]) < at(&after[1]));
    let cannot = call(
        "/api/staff/move-artwork",
        vec![
            ("slug", "little-painters".into()),
            ("artwork", after[0].clone()),
            ("earlier", "true".into()),
        ],
    )
    .await;
    assert_eq!(cannot, 400, "the first cannot move earlier");

    // One action moves an artwork to any place; the others close up around it.
    let last = after.last().expect("artworks").clone();
    let to_front = call(
        "/api/staff/move-artwork",
        vec![
            ("slug", "little-painters".into()),
            ("artwork", last.clone()),
            ("earlier", "false".into()),
            ("to", "1".into()),
        ],
    )
    .await;
    assert_eq!(to_front, 200);
    let now = order(staff_artworks(&app, &cookie).await);
    assert_eq!(now[0], last);
    assert_eq!(now[1..], after[..after.len() - 1]);
}

async fn a_draft_gets_its_consent_record_later_and_is_published(backend: Backend) {
    let (app, cookie) = demo_with_admin(backend).await;
    let no_consent = [
        ("title", "Paper Boats"),
        ("consent_given_by", ""),
        ("consent_relationship", ""),
        ("consent_given_on", ""),
        ("consent_licence", ""),
        ("publish", ""),
    ];
    let draft = artwork_form(image_file(image::ImageFormat::Png, 80, 60), &no_consent);
    assert_eq!(upload(&app, &cookie, draft).await.status(), 303);
    let path = "/api/staff/campaigns/little-painters/artworks/paper-boats";
    let form = fields_of(
        &app,
        &cookie,
        "/api/staff/artwork-draft?slug=little-painters&artwork=paper-boats",
    )
    .await;
    assert!(form.contains(&("consent_given_by".to_owned(), String::new())));

    // Publishing still needs the record; half a record is refused; nothing changes.
    let publish_bare = with(form.clone(), &[("publish", "on")]);
    assert_eq!(save(&app, &cookie, path, &publish_bare).await.status(), 400);
    let half = with(
        form.clone(),
        &[("consent_given_by", "Li Ping"), ("publish", "on")],
    );
    assert_eq!(save(&app, &cookie, path, &half).await.status(), 400);
    let (_, gallery) = app.get_text("/campaigns/little-painters").await;
    assert!(!gallery.contains("Paper Boats"));

    let consented = with(
        form,
        &[
            ("consent_given_by", "Li Ping"),
            ("consent_relationship", "father"),
            ("consent_given_on", "2026-06-01"),
            ("consent_licence", "CC BY-NC 4.0"),
            ("royalty_percent", "2.5"),
            ("consent_role", "parent"),
            ("consent_assent", "yes"),
            ("publish", "on"),
            ("title_translated", "纸船"),
        ],
    );
    let saved = save(&app, &cookie, path, &consented).await;
    assert_eq!(saved.status(), 303);
    let (_, gallery) = app.get_text("/campaigns/little-painters").await;
    assert!(gallery.contains("Paper Boats"));
    let page = page_in(
        &app,
        "/campaigns/little-painters/artworks/paper-boats",
        "zh-CN",
    )
    .await;
    // The page names the consenter's role, never their name.
    assert!(page.contains("纸船") && page.contains("父母") && page.contains("2.5%"));
    assert!(!page.contains("Li Ping"));

    // A published artwork cannot lose its consent record.
    let missing = "/api/staff/campaigns/little-painters/artworks/no-such-artwork";
    assert_eq!(save(&app, &cookie, missing, &consented).await.status(), 404);
    let bare = with(
        consented,
        &[
            ("consent_given_by", ""),
            ("consent_relationship", ""),
            ("consent_given_on", ""),
            ("consent_licence", ""),
        ],
    );
    assert_eq!(save(&app, &cookie, path, &bare).await.status(), 400);
}

/// A staff form's contents as its edit page fills it in (`draft` is the JSON function that
/// fills it), as form pairs.
pub(crate) async fn fields_of(app: &TestApp, cookie: &str, draft: &str) -> Vec<(String, String)> {
    let response = request(app, Method::GET, draft, Some(cookie))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 200);
    let draft: Value = response.json().await.expect("JSON");
    let mut pairs = Vec::new();
    for (name, value) in draft.as_object().expect("an object") {
        match value {
            Value::String(text) => pairs.push((name.clone(), text.clone())),
            Value::Bool(true) => pairs.push((name.clone(), "on".to_owned())),
            Value::Array(items) => {
                for item in items {
                    pairs.push((name.clone(), item.as_str().unwrap_or_default().to_owned()));
                }
            }
            _ => {}
        }
    }
    pairs
}

pub(crate) fn with(
    mut pairs: Vec<(String, String)>,
    changes: &[(&str, &str)],
) -> Vec<(String, String)> {
    for (name, value) in changes {
        pairs.retain(|(k, _)| k != name);
        pairs.push(((*name).to_owned(), (*value).to_owned()));
    }
    pairs
}

pub(crate) async fn save(
    app: &TestApp,
    cookie: &str,
    path: &str,
    pairs: &[(String, String)],
) -> reqwest::Response {
    request(app, Method::POST, path, Some(cookie))
        .form(pairs)
        .send()
        .await
        .expect("answer")
}

/// A `datetime-local` value `days` from now, in UTC+8.
pub(crate) fn local_days_from_now(days: i64) -> String {
    let at = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    let at = at.to_offset(time::UtcOffset::from_hms(8, 0, 0).expect("offset"));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

async fn an_admin_creates_and_edits_a_campaign_in_both_languages(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    create(&app, ADMIN, Role::Admin).await;
    create(&app, VIEWER, Role::Viewer).await;
    let admin = signed_in(&app, ADMIN).await;
    let viewer = signed_in(&app, VIEWER).await;
    let (opens, closes) = (local_days_from_now(-1), local_days_from_now(30));
    let fresh: Vec<(String, String)> = [
        ("slug", "spring-gallery"),
        ("content_locale", "zh-CN"),
        ("title", "春天画廊"),
        ("title_translated", "Spring Gallery"),
        ("story", "春天工作坊的画作。"),
        ("story_translated", "Paintings from the spring workshop."),
        ("beneficiary_name", "向日葵中心"),
        ("currency", "CNY"),
        ("goal", "50,000"),
        ("min_gift", "5"),
        ("presets", "5, 20"),
        ("starts_at", &opens),
        ("ends_at", &closes),
        ("utc_offset", "+08:00"),
        ("payment_methods", "card"),
        ("payment_methods", "alipay"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();

    // A new campaign's form holds gift messages for approval unless staff say otherwise.
    let blank = fields_of(&app, &admin, "/api/staff/campaign-draft").await;
    assert!(blank.contains(&("messages_need_approval".to_owned(), "on".to_owned())));
    assert_eq!(
        save(&app, &viewer, "/api/staff/campaigns", &fresh)
            .await
            .status(),
        403
    );
    let created = save(&app, &admin, "/api/staff/campaigns", &fresh).await;
    assert_eq!(created.status(), 303);
    assert_eq!(
        created.headers()["location"],
        "/staff/campaigns/spring-gallery"
    );
    assert_eq!(
        save(&app, &admin, "/api/staff/campaigns", &fresh)
            .await
            .status(),
        409,
        "the slug is taken"
    );

    assert!(page_in(&app, "/campaigns/spring-gallery", "zh-CN")
        .await
        .contains("春天画廊"));
    assert!(page_in(&app, "/campaigns/spring-gallery", "en")
        .await
        .contains("Spring Gallery"));
    let progress = app.progress("spring-gallery").await;
    assert_eq!(progress["goal_minor"], 5_000_000);
    assert_eq!(progress["status"], "open");

    // Edited: the goal, the English title and message approval, as the edit page posts them.
    let draft = fields_of(
        &app,
        &admin,
        "/api/staff/campaign-draft?slug=spring-gallery",
    )
    .await;
    assert!(draft.contains(&("title_translated".to_owned(), "Spring Gallery".to_owned())));
    assert!(draft.contains(&("presets".to_owned(), "5.00, 20.00".to_owned())));
    assert!(draft.contains(&("starts_at".to_owned(), opens.clone())));
    let edited = with(
        draft.clone(),
        &[
            ("goal", "80000"),
            ("title_translated", "Spring Gallery 2026"),
            ("messages_need_approval", "on"),
        ],
    );
    let saved = save(&app, &admin, "/api/staff/campaigns/spring-gallery", &edited).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(
        app.progress("spring-gallery").await["goal_minor"],
        8_000_000
    );
    assert!(page_in(&app, "/campaigns/spring-gallery", "en")
        .await
        .contains("Spring Gallery 2026"));
    assert!(fields_of(
        &app,
        &admin,
        "/api/staff/campaign-draft?slug=spring-gallery"
    )
    .await
    .contains(&("messages_need_approval".to_owned(), "on".to_owned())));

    // Refused forms change nothing.
    for (changes, status) in [
        (vec![("min_gift", "1")], 400),
        (vec![("presets", "2, 10")], 400),
        (vec![("ends_at", "2020-01-01T00:00")], 400),
        (vec![("title", "")], 400),
        (vec![("utc_offset", "Asia/Shanghai")], 400),
    ] {
        let response = save(
            &app,
            &admin,
            "/api/staff/campaigns/spring-gallery",
            &with(draft.clone(), &changes),
        )
        .await;
        assert_eq!(response.status(), status, "{changes:?}");
    }
    assert_eq!(
        app.progress("spring-gallery").await["goal_minor"],
        8_000_000
    );
    let as_viewer = save(
        &app,
        &viewer,
        "/api/staff/campaigns/spring-gallery",
        &edited,
    )
    .await;
    assert_eq!(as_viewer.status(), 403);

    // Once a campaign has gifts its currency is fixed.
    give(&app, "k-currency", gift(1_000, json!({}))).await;
    let demo = fields_of(
        &app,
        &admin,
        "/api/staff/campaign-draft?slug=little-painters",
    )
    .await;
    let dollars = with(demo.clone(), &[("currency", "USD")]);
    let locked = save(
        &app,
        &admin,
        "/api/staff/campaigns/little-painters",
        &dollars,
    )
    .await;
    assert_eq!(locked.status(), 409);
    let unchanged = save(&app, &admin, "/api/staff/campaigns/little-painters", &demo).await;
    assert_eq!(
        unchanged.status(),
        303,
        "the demo's own form saves as it is"
    );
}

async fn create_staff_makes_an_account_from_a_password_on_stdin(backend: Backend) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let app = spawn(backend).await;
    let run = |email: &str, password: &str| {
        let mut child = Command::new(crate::support::instances::server_binary())
            .args([
                "create-staff",
                "--email",
                email,
                "--name",
                "Wei",
                "--role",
                "admin",
            ])
            .env("DATABASE_URL", &app.database_url)
            .env(
                "MEDIA_DIR",
                std::env::temp_dir().join("gg-create-staff-media"),
            )
            .env(
                "LOG_KEY_DIR",
                std::env::temp_dir().join("gg-create-staff-log"),
            )
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{password}\n").as_bytes())
            .expect("writing the password");
        child.wait_with_output().expect("the command ends")
    };
    let made = run("wei@example.org", PASSWORD);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(!String::from_utf8_lossy(&made.stdout).contains(PASSWORD));
    assert!(!String::from_utf8_lossy(&made.stderr).contains(PASSWORD));
    let cookie = signed_in(&app, "wei@example.org").await;
    let who = request(&app, Method::GET, DASHBOARD, Some(&cookie))
        .send()
        .await
        .expect("answer");
    // No campaign yet: the account works, the dashboard has nothing to show.
    assert_eq!(who.status(), 404);

    let twice = run("WEI@example.org", PASSWORD);
    assert!(!twice.status.success(), "one account per email");
    let short = run("short@example.org", "too short");
    assert!(!short.status.success(), "a short password is refused");
    assert_eq!(
        sign_in(&app, "short@example.org", "too short", None)
            .await
            .status(),
        401
    );
}

async fn a_burst_of_guesses_cannot_pass_the_limits(backend: Backend) {
    let app = spawn(backend).await;
    create(&app, ADMIN, Role::Admin).await;
    let count = |answers: &[reqwest::Response], status: u16| {
        answers.iter().filter(|r| r.status() == status).count()
    };
    // Forty wrong passwords for one account at once: at most five are checked.
    let guesses = (0..40).map(|_| sign_in(&app, ADMIN, "guess", None));
    let answers = futures_util::future::join_all(guesses).await;
    let checked = count(&answers, 401);
    assert!(checked <= 5, "{checked} guesses were checked");
    assert_eq!(checked + count(&answers, 429), 40);
    // A hundred accounts at once from one address: at most twenty failures in all.
    let emails: Vec<String> = (0..100).map(|n| format!("g{n}@example.org")).collect();
    let guesses = emails
        .iter()
        .map(|email| sign_in(&app, email, "guess", None));
    let answers = futures_util::future::join_all(guesses).await;
    let also_checked = count(&answers, 401);
    assert!(
        checked + also_checked <= 20,
        "{also_checked} more were checked"
    );
    assert_eq!(also_checked + count(&answers, 429), 100);
}

/// Text that tries every way out of a textarea, and an entity that must stay as typed.
const HOSTILE: &str = "</textarea><script>alert(1)</script><img src=x onerror=alert(2)>\
    <svg><script>alert(3)</script></svg><iframe srcdoc=\"<script>alert(4)</script>\"></iframe> \
    Tom &amp; Jerry &lt;3";

/// The texts of a staff page's textareas, by name, and whether any script on it came from a
/// stored text.
async fn textareas_of(app: &TestApp, cookie: &str, path: &str) -> (Vec<(String, String)>, bool) {
    let response = request(app, Method::GET, path, Some(cookie))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 200, "{path}");
    let html = scraper::Html::parse_document(&response.text().await.expect("a page"));
    let areas = scraper::Selector::parse("textarea").expect("selector");
    let scripts =
        scraper::Selector::parse("script, img[onerror], iframe[srcdoc]").expect("selector");
    let texts = html
        .select(&areas)
        .map(|a| {
            let name = a.value().attr("name").unwrap_or_default().to_owned();
            (name, a.text().collect::<String>())
        })
        .collect();
    // Leptos also carries the texts in its page data, as escaped JSON inside its own script:
    // only an element the text itself made counts.
    let injected = html.select(&scripts).any(|s| match s.value().name() {
        "script" => s.text().collect::<String>().trim().starts_with("alert("),
        _ => true,
    });
    (texts, injected)
}

async fn stored_text_stays_text_in_every_staff_form(backend: Backend) {
    let (app, cookie) = demo_with_admin(backend).await;
    // Each form: the function that fills it, where it is saved, and its page.
    let forms = [
        (
            "/api/staff/campaign-draft?slug=little-painters",
            "/api/staff/campaigns/little-painters",
            "/staff/campaigns/little-painters/edit",
        ),
        (
            "/api/staff/artwork-draft?slug=little-painters&artwork=sun-over-the-hills",
            "/api/staff/campaigns/little-painters/artworks/sun-over-the-hills",
            "/staff/campaigns/little-painters/artworks/sun-over-the-hills/edit",
        ),
    ];
    for (draft, saved_at, page) in forms {
        let fields = fields_of(&app, &cookie, draft).await;
        let hostile = with(fields, &[("story", HOSTILE), ("story_translated", HOSTILE)]);
        assert_eq!(save(&app, &cookie, saved_at, &hostile).await.status(), 303);
        let (texts, injected) = textareas_of(&app, &cookie, page).await;
        assert!(!injected, "a stored text became markup on {page}");
        for name in ["story", "story_translated"] {
            let text = texts
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.as_str());
            assert_eq!(text, Some(HOSTILE), "{name} on {page}");
        }
        // The form as the page shows it is what was stored: saving it changes nothing.
        let again = fields_of(&app, &cookie, draft).await;
        assert!(again.contains(&("story".to_owned(), HOSTILE.to_owned())));
    }
}

/// An artist's record as an admin's browser posts it from the artworks page; the answer.
async fn save_artist(
    app: &TestApp,
    cookie: Option<&str>,
    artist: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let path = format!("/api/staff/campaigns/little-painters/artists/{artist}");
    request(app, Method::POST, &path, cookie)
        .form(form)
        .send()
        .await
        .expect("answer")
}

async fn an_admin_renames_an_artist_on_all_their_works(backend: Backend) {
    let (app, admin) = demo_with_admin(backend).await;
    create(&app, VIEWER, Role::Viewer).await;
    let viewer = signed_in(&app, VIEWER).await;
    let works: Vec<String> = sqlx::query_scalar(
        "SELECT a.slug FROM artworks a JOIN artists r ON r.id = a.artist_id \
         WHERE r.name = 'Lin Yue' ORDER BY a.id",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("her works");
    assert_eq!(works.len(), 2, "the demo gives each artist two paintings");
    let artist = artist_of(&app, &works[0]).await;
    let bylines = |page: &str| {
        (
            page.contains("By Lin Yue") || page.contains("作者：林悦"),
            page.contains("By Little Bear") || page.contains("作者：小熊"),
        )
    };

    // The artworks page shows her record, both names, to staff.
    let staff_page = staff::page(&app, &admin, "/staff/campaigns/little-painters/artworks").await;
    assert!(staff_page.contains(&format!(r#"data-artist="{artist}""#)));
    assert!(staff_page.contains(r#"value="Lin Yue""#) && staff_page.contains(r#"value="林悦""#));

    // Refusals change nothing.
    let pseudonym = [
        ("name_en", "Little Bear"),
        ("name_zh", "小熊"),
        ("age_band", "13-17"),
    ];
    let nameless = [("name_en", " "), ("name_zh", ""), ("age_band", "13-17")];
    let odd_band = [("name_en", "Little Bear"), ("age_band", "fourteen")];
    let taken = [
        ("name_en", "Chen Hao"),
        ("name_zh", "小熊"),
        ("age_band", "13-17"),
    ];
    let refusals: [(Option<&str>, &[(&str, &str)], u16); 5] = [
        (None, &pseudonym, 401),
        (Some(&viewer), &pseudonym, 403),
        (Some(&admin), &nameless, 400),
        (Some(&admin), &odd_band, 400),
        (Some(&admin), &taken, 409),
    ];
    for (cookie, form, status) in refusals {
        let answer = save_artist(&app, cookie, &artist, form).await;
        assert_eq!(answer.status(), status, "{form:?}");
    }
    assert_eq!(
        save_artist(&app, Some(&admin), "nobody", &pseudonym)
            .await
            .status(),
        404
    );
    let page = page_in(
        &app,
        &format!("/campaigns/little-painters/artworks/{}", works[0]),
        "en",
    )
    .await;
    assert_eq!(bylines(&page), (true, false), "unchanged");

    // Saved: every work of hers carries the pseudonym, in each language, and her page its band.
    let saved = save_artist(&app, Some(&admin), &artist, &pseudonym).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(
        saved.headers()["location"],
        format!("/staff/campaigns/little-painters/artworks?artist_saved={artist}#artists")
    );
    for work in &works {
        for language in ["en", "zh-CN"] {
            let path = format!("/campaigns/little-painters/artworks/{work}");
            let page = page_in(&app, &path, language).await;
            assert_eq!(bylines(&page), (false, true), "{work} in {language}");
        }
    }
    let her_page = page_in(
        &app,
        &format!("/campaigns/little-painters/artists/{artist}"),
        "en",
    )
    .await;
    assert!(her_page.contains("Little Bear, artist of") && her_page.contains("13 to 17"));
    assert!(
        !her_page.contains("Lin Yue,"),
        "her name is gone from her page's title"
    );

    // With no Chinese name, the English one stands in for Chinese readers.
    let english_only = [
        ("name_en", "Little Bear"),
        ("name_zh", ""),
        ("age_band", "13-17"),
    ];
    assert_eq!(
        save_artist(&app, Some(&admin), &artist, &english_only)
            .await
            .status(),
        303
    );
    let path = format!("/campaigns/little-painters/artworks/{}", works[1]);
    let page = page_in(&app, &path, "zh-CN").await;
    assert!(
        page.contains("作者：Little Bear") && !page.contains("小熊"),
        "{page}"
    );
}

/// An artist with works written in two languages keeps one record through renames and edits.
async fn an_artist_keeps_one_record_across_languages_and_edits(backend: Backend) {
    let (app, admin) = demo_with_admin(backend).await;
    let first: String = sqlx::query_scalar(
        "SELECT a.slug FROM artworks a JOIN artists r ON r.id = a.artist_id \
         WHERE r.name = 'Lin Yue' ORDER BY a.id LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("her first work");
    let artist = artist_of(&app, &first).await;
    // A work written in Chinese under her Chinese name joins her record.
    let chinese = artwork_form(
        image_file(image::ImageFormat::Jpeg, 120, 90),
        &[
            ("content_locale", "zh-CN"),
            ("title", "小船"),
            ("artist_name", "林悦"),
        ],
    );
    let added = upload(&app, &admin, chinese).await;
    assert_eq!(added.status(), 303);
    let location = added.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let boat = location
        .rsplit("added=")
        .next()
        .expect("its slug")
        .to_owned();
    assert_eq!(artist_of(&app, &boat).await, artist, "one artist, not two");

    // Renamed in both languages, then her Chinese work saved as its form stands: still hers,
    // and it still reads the new names.
    let pseudonym = [
        ("name_en", "Little Bear"),
        ("name_zh", "小熊"),
        ("age_band", "13-17"),
    ];
    assert_eq!(
        save_artist(&app, Some(&admin), &artist, &pseudonym)
            .await
            .status(),
        303
    );
    let draft = format!("/api/staff/artwork-draft?slug=little-painters&artwork={boat}");
    let save_path = format!("/api/staff/campaigns/little-painters/artworks/{boat}");
    let form = with(fields_of(&app, &admin, &draft).await, &[("publish", "on")]);
    assert!(form.contains(&("artist_name".to_owned(), "小熊".to_owned())));
    assert_eq!(save(&app, &admin, &save_path, &form).await.status(), 303);
    assert_eq!(
        artist_of(&app, &boat).await,
        artist,
        "an edit keeps the work hers"
    );
    let page_path = format!("/campaigns/little-painters/artworks/{boat}");
    assert!(page_in(&app, &page_path, "zh-CN")
        .await
        .contains("作者：小熊"));
    assert!(
        page_in(&app, &page_path, "en")
            .await
            .contains("By Little Bear"),
        "the new English name reaches it"
    );

    // Saving only a new band, with the names as the page shows them, renames nothing.
    let shown = [
        ("name_en", "Little Bear"),
        ("name_zh", "小熊"),
        ("age_band", "18-25"),
    ];
    assert_eq!(
        save_artist(&app, Some(&admin), &artist, &shown)
            .await
            .status(),
        303
    );
    assert!(page_in(&app, &page_path, "zh-CN")
        .await
        .contains("作者：小熊"));
    let band: String = sqlx::query_scalar("SELECT age_band FROM artists WHERE slug = $1")
        .bind(&artist)
        .fetch_one(app.db.pool())
        .await
        .expect("her band");
    assert_eq!(band, "18-25");

    // A name another artist goes by, here in the translations of his works, is taken.
    let taken = [
        ("name_en", "Little Bear"),
        ("name_zh", "陈浩"),
        ("age_band", "18-25"),
    ];
    assert_eq!(
        save_artist(&app, Some(&admin), &artist, &taken)
            .await
            .status(),
        409
    );
}

on_both_backends!(
    stored_text_stays_text_in_every_staff_form,
    a_burst_of_guesses_cannot_pass_the_limits,
    signing_in_rotates_the_session_and_signing_out_ends_it,
    wrong_emails_and_wrong_passwords_get_one_answer_until_the_limit,
    cross_site_staff_requests_are_refused_and_change_nothing,
    every_staff_route_answers_each_role_as_it_must,
    the_dashboard_counts_gifts_sharers_and_messages,
    a_hidden_message_leaves_every_public_feed_at_once,
    create_staff_makes_an_account_from_a_password_on_stdin,
    the_export_makes_formulas_inert_and_shows_emails_to_admins_only,
    an_admin_refunds_a_gift_in_part_then_in_full,
    an_admin_uploads_an_artwork_with_consent_and_it_joins_the_gallery,
    bad_uploads_are_refused_and_store_nothing,
    publishing_needs_consent_and_reordering_moves_the_gallery,
    an_admin_creates_and_edits_a_campaign_in_both_languages,
    a_draft_gets_its_consent_record_later_and_is_published,
    an_admin_renames_an_artist_on_all_their_works,
    an_artist_keeps_one_record_across_languages_and_edits,
);
