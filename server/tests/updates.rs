//! Campaign updates over HTTP, with a real SMTP conversation: an admin publishes news; it shows
//! on the campaign's page, its updates page and its Atom feed in both languages, and is emailed
//! once to each address that asked for news with a paid gift, in the language of its latest
//! gift. A form sent twice publishes once; viewers and bad forms change nothing. Both engines.

use crate::staff::image_file;
use crate::support::giving::{gift, give_with};
use crate::support::smtp::{Mail, SmtpSink};
use crate::support::staff::{create, request, signed_in};
use crate::support::{header_text, spawn_configured, Backend, TestApp};
use app::staff::Role;
use giving_gallery::demo_stripe::Chaos;
use reqwest::multipart::{Form, Part};
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

on_both_backends!(news_reaches_the_pages_the_feed_and_each_donor_who_asked_once,);

const PUBLISH: &str = "/api/staff/campaigns/little-painters/updates";

/// Posts the publishing form as the staff page does, with no picture chosen (a browser then
/// sends an empty file); the status and where it leads.
async fn publish(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> (u16, String) {
    publish_with(app, cookie, fields, Vec::new()).await
}

/// Posts the publishing form with `picture` as its file.
async fn publish_with(
    app: &TestApp,
    cookie: &str,
    fields: &[(&str, &str)],
    picture: Vec<u8>,
) -> (u16, String) {
    let form = fields.iter().fold(Form::new(), |form, (k, v)| {
        form.text((*k).to_owned(), (*v).to_owned())
    });
    let name = if picture.is_empty() { "" } else { "studio.png" };
    let form = form.part("image", Part::bytes(picture).file_name(name));
    let response = request(app, Method::POST, PUBLISH, Some(cookie))
        .multipart(form)
        .send()
        .await
        .expect("an answer");
    let location = header_text(&response, "location");
    (response.status().as_u16(), location)
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.db.pool())
        .await
        .expect("a count")
}

/// Waits until the mail worker has nothing left to send.
async fn outbox_drained(app: &TestApp) {
    for _ in 0..100 {
        if count(app, "SELECT COUNT(*) FROM outbox WHERE status = 'queued'").await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox was never drained");
}

/// Gives `amount` from `email` in `language`, asking for news or not; paid.
async fn give_from(app: &TestApp, key: &str, email: Option<&str>, news: bool, language: &str) {
    let gift = gift(1_000, json!({ "email": email, "updates": news }));
    give_with(app, key, gift, &[("accept-language", language)]).await;
}

async fn news_reaches_the_pages_the_feed_and_each_donor_who_asked_once(backend: Backend) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_configured(backend, Chaos::CALM, &[("SMTP_URL", url.as_str())]).await;
    app.seed_demo().await;
    // Receipts off: the only emails are the news.
    sqlx::query("UPDATE campaigns SET send_receipts = 0")
        .execute(app.db.pool())
        .await
        .expect("receipts off");

    // One address asks, then gives again (in Chinese) without ticking the box; one gives
    // without asking; one asks without an address; one asks but never pays.
    give_from(&app, "n-1", Some("Ana@Example.org"), true, "en").await;
    give_from(&app, "n-2", Some(" ana@example.org "), false, "zh-CN").await;
    give_from(&app, "n-3", Some("bo@example.org"), false, "en").await;
    give_from(&app, "n-4", None, true, "en").await;
    let unpaid = gift(1_000, json!({ "email": "cy@example.org", "updates": true }));
    let opened = app
        .post_json(
            "/api/campaigns/little-painters/checkout",
            &unpaid,
            &[("idempotency-key", "n-5")],
        )
        .await;
    assert_eq!(opened.status(), 200);
    // The artwork page's plain form (no JavaScript) asks with its checkbox.
    let form = app
        .post_form(
            &app.url("/campaigns/little-painters/artworks/sun-over-the-hills/give"),
            &[
                ("artwork", "sun-over-the-hills"),
                ("currency", "CNY"),
                ("amount", "1000"),
                ("email", "dee@example.org"),
                ("updates", "1"),
                ("idempotency_key", "n-6"),
            ],
        )
        .await;
    assert_eq!(form.status(), 303, "on to the checkout");
    let dee: String =
        sqlx::query_scalar("SELECT id FROM donations WHERE email = 'dee@example.org'")
            .fetch_one(app.db.pool())
            .await
            .expect("the form's donation");
    crate::support::giving::pay(&app, &dee, 1_000).await;

    create(&app, "admin@example.org", Role::Admin).await;
    create(&app, "viewer@example.org", Role::Viewer).await;
    let admin = signed_in(&app, "admin@example.org").await;
    let viewer = signed_in(&app, "viewer@example.org").await;
    let news = [
        ("form_key", "k0123456789abcdef"),
        ("title_en", "48 <sets> of paints arrived"),
        (
            "body_en",
            "The paints reached the school on Monday.\r\n\r\nThank you.",
        ),
        ("title_zh", "48 套颜料已送到"),
        ("body_zh", "颜料周一送到了学校。\r\n\r\n谢谢您。"),
    ];

    // A viewer cannot publish, nor can an admin without an English title or with half a
    // Chinese version: nothing is published.
    assert_eq!(publish(&app, &viewer, &news).await.0, 403);
    let mut untitled = news.to_vec();
    untitled[1].1 = " ";
    assert_eq!(publish(&app, &admin, &untitled).await.0, 400);
    let half = &news[..4];
    assert_eq!(publish(&app, &admin, half).await.0, 400);
    let published = "SELECT COUNT(*) FROM campaign_updates";
    assert_eq!(count(&app, published).await, 0);

    // Published; the same form sent again (a double tap) publishes nothing more.
    let (status, location) = publish(&app, &admin, &news).await;
    assert_eq!(status, 303);
    let (_, again) = publish(&app, &admin, &news).await;
    assert_eq!(again, location);
    assert_eq!(count(&app, published).await, 1);
    let id = location.rsplit("#update-").next().expect("an anchor");
    // Open pages follow the campaign's news version in its live progress.
    assert_eq!(news_version(&app).await, 1, "published once");

    // One email per address that asked: as first typed, in the language of its latest gift.
    let mails = sink.wait_for(2).await;
    outbox_drained(&app).await;
    assert_eq!(
        sink.delivered().len(),
        2,
        "one email per address that asked"
    );
    let mails: Vec<Mail> = mails.iter().map(|m| Mail::parse(m)).collect();
    assert!(mails
        .iter()
        .any(|m| m.header("To").contains("dee@example.org")));
    let mail = mails
        .into_iter()
        .find(|m| !m.header("To").contains("dee@"))
        .expect("Ana's email");
    assert!(
        mail.header("To").contains("Ana@Example.org"),
        "as first typed"
    );
    assert!(mail.subject.contains("48 套颜料已送到"), "{}", mail.subject);
    let page = format!("https://give.example.org/campaigns/little-painters/updates#update-{id}");
    for body in [&mail.text, &mail.html] {
        assert!(body.contains(&page), "a link to the update: {body}");
        assert!(body.contains("谢谢您"), "{body}");
        assert!(body.contains("https://give.example.org/unsubscribe/"));
    }
    assert!(mail.header("List-Unsubscribe").contains("/unsubscribe/"));

    // Staff see it, and how many emails it queued.
    let staff_page = request(
        &app,
        Method::GET,
        "/staff/campaigns/little-painters/updates",
        Some(&viewer),
    )
    .send()
    .await
    .expect("the staff page")
    .text()
    .await
    .expect("a page");
    assert!(staff_page.contains("48 &lt;sets&gt; of paints arrived"));
    assert!(staff_page.contains("Emails queued: 2"), "{staff_page}");
    assert!(!staff_page.contains("update-form"), "viewers get no form");

    // The public pages, in each language, and the feed.
    let english = [("accept-language", "en")];
    let (status, landing) = app
        .get_text_with("/campaigns/little-painters", &english)
        .await;
    assert_eq!(status, 200);
    assert!(landing.contains("data-testid=\"latest-updates\""));
    assert!(landing.contains("48 &lt;sets&gt; of paints arrived"));
    assert!(
        landing.contains("application/atom+xml"),
        "the feed is linked"
    );
    let (status, updates) = app
        .get_text_with("/campaigns/little-painters/updates", &english)
        .await;
    assert_eq!(status, 200);
    assert!(updates.contains("<p>The paints reached the school on Monday.</p>"));
    assert!(updates.contains(&format!("id=\"update-{id}\"")));
    let (_, chinese) = app
        .get_text_with(
            "/campaigns/little-painters/updates",
            &[("accept-language", "zh-CN")],
        )
        .await;
    assert!(chinese.contains("颜料周一送到了学校。"));

    let feed = app.get("/campaigns/little-painters/updates.atom").await;
    assert_eq!(
        header_text(&feed, "content-type"),
        "application/atom+xml; charset=utf-8"
    );
    let feed = feed.text().await.expect("the feed");
    assert!(feed.starts_with("<?xml"));
    assert!(feed.contains("<title>48 &lt;sets&gt; of paints arrived</title>"));
    assert!(feed.contains(&format!("<id>{}</id>", page.replace('&', "&amp;"))));
    let (_, feed_zh) = app
        .get_text("/campaigns/little-painters/updates.atom?locale=zh-CN")
        .await;
    assert!(feed_zh.contains("<title>48 套颜料已送到</title>"));
    let (status, _) = app.get_text("/campaigns/nowhere/updates.atom").await;
    assert_eq!(status, 404);

    // A newer update in English only: first on the pages, and marked English in the Chinese
    // feed. Pinned, the older one comes first on the pages, but not in the feed.
    let later = [
        ("form_key", "k1123456789abcdef"),
        ("title_en", "Meet the teachers"),
        ("body_en", "Four teachers run the studio."),
    ];
    let (status, location) = publish(&app, &admin, &later).await;
    assert_eq!(status, 303);
    let later_id = location
        .rsplit("update-")
        .next()
        .expect("an anchor")
        .to_owned();
    let order = |html: &str| {
        let (Some(first), Some(second)) = (
            html.find("48 &lt;sets&gt; of paints arrived"),
            html.find("Meet the teachers"),
        ) else {
            let section = html.find("latest-updates").map(|at| &html[at..]);
            panic!("both updates are shown: {section:?}");
        };
        first < second
    };
    let (_, landing) = app
        .get_text_with("/campaigns/little-painters", &english)
        .await;
    assert!(!order(&landing), "newest first");
    let (_, feed_zh) = app
        .get_text("/campaigns/little-painters/updates.atom?locale=zh-CN")
        .await;
    assert!(feed_zh.contains(&format!(
        "<entry xml:lang=\"en\">\n<id>https://give.example.org/campaigns/little-painters/updates#update-{later_id}</id>"
    )));
    let pin = |id: &str| format!("{PUBLISH}/{id}/pin");
    let pin_as = |cookie: &str, id: &str, value: &'static str| {
        request(&app, Method::POST, &pin(id), Some(cookie))
            .form(&[("pinned", value)])
            .send()
    };
    let code = |response: reqwest::Result<reqwest::Response>| {
        response.expect("an answer").status().as_u16()
    };
    assert_eq!(code(pin_as(&viewer, id, "1").await), 403);
    assert_eq!(code(pin_as(&admin, "999999", "1").await), 404);
    assert_eq!(code(pin_as(&admin, id, "yes").await), 400);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM campaign_updates WHERE pinned = 1"
        )
        .await,
        0
    );
    assert_eq!(code(pin_as(&admin, id, "1").await), 303);
    assert_eq!(code(pin_as(&admin, id, "1").await), 303, "pinned again");
    let (_, landing) = app
        .get_text_with("/campaigns/little-painters", &english)
        .await;
    assert!(order(&landing), "the pinned one first");
    assert!(landing.contains("data-testid=\"update-pinned\""));
    let (_, feed) = app
        .get_text("/campaigns/little-painters/updates.atom")
        .await;
    assert!(!order(&feed), "the feed stays newest first");
    assert_eq!(code(pin_as(&admin, id, "0").await), 303);
    let (_, landing) = app
        .get_text_with("/campaigns/little-painters", &english)
        .await;
    assert!(!order(&landing) && !landing.contains("update-pinned"));
    // Two published, one pinned (pinning it again is no news), one unpinned; the refused
    // requests changed nothing.
    assert_eq!(news_version(&app).await, 4);

    // An update with a picture: a file that is not one publishes nothing; a picture shows
    // first on the campaign's page at its size, described, and travels in the feed.
    let pictured = [
        ("form_key", "k2123456789abcdef"),
        ("title_en", "The new studio"),
        ("body_en", "Light from two sides."),
        ("image_alt_en", "Easels by a tall window"),
    ];
    let before = count(&app, published).await;
    let (status, _) = publish_with(&app, &admin, &pictured, b"not a picture".to_vec()).await;
    assert_eq!(status, 415, "not a picture");
    assert_eq!(count(&app, published).await, before, "nothing published");
    let picture = image_file(image::ImageFormat::Png, 1600, 1200);
    assert_eq!(publish_with(&app, &admin, &pictured, picture).await.0, 303);
    let (_, landing) = app
        .get_text_with("/campaigns/little-painters", &english)
        .await;
    let img = landing
        .split("<img")
        .find(|tag| tag.contains("data-testid=\"update-image\""))
        .expect("the update's picture");
    assert!(img.contains("alt=\"Easels by a tall window\""), "{img}");
    assert!(img.contains("width=\"640\" height=\"480\""), "{img}");
    let src = img
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a source");
    let served = app.get(src).await;
    assert_eq!(served.status(), 200);
    assert_eq!(header_text(&served, "content-type"), "image/jpeg");
    let (_, feed) = app
        .get_text("/campaigns/little-painters/updates.atom")
        .await;
    assert!(feed
        .contains("rel=\"enclosure\" type=\"image/jpeg\" href=\"https://give.example.org/media/"));
    assert!(feed.contains("title=\"Easels by a tall window\""));
    // Its email shows the picture, described, from the site's address.
    let mails = sink.wait_for(6).await;
    let mail = mails
        .iter()
        .map(|m| Mail::parse(m))
        .find(|m| m.subject.contains("The new studio"))
        .expect("the pictured update's email");
    assert!(
        mail.html
            .contains("<img src=\"https://give.example.org/media/")
            && mail.html.contains("alt=\"Easels by a tall window\""),
        "{}",
        mail.html
    );
}

/// The campaign's news version as its live progress states it.
async fn news_version(app: &TestApp) -> u64 {
    let progress: serde_json::Value = app
        .get("/api/campaigns/little-painters/progress")
        .await
        .json()
        .await
        .expect("JSON");
    progress["news"].as_u64().expect("a news version")
}
