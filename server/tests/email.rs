//! Email through a real SMTP conversation on loopback: a donor's receipt is queued with the
//! payment, sent once whatever is delivered twice, in the donor's language; its unsubscribe
//! link works without signing in and a forged one changes nothing; a server killed mid-send
//! neither loses nor duplicates the receipt. Every test runs on SQLite and on PostgreSQL.

use crate::support::giving::{gift, give_with, pay};
use crate::support::instances::Instance;
use crate::support::smtp::{Mail, SmtpSink};
use crate::support::staff::{create, request, signed_in};
use crate::support::{spawn, spawn_configured, Backend, TestApp};
use app::staff::Role;
use giving_gallery::demo_stripe::Chaos;
use serde_json::json;
use std::time::Duration;

const OUTBOX: &str = "/staff/campaigns/little-painters/emails";

/// Gives `amount` with `email` in `language`, paid; returns the donation id.
async fn give_from(
    app: &TestApp,
    key: &str,
    amount: i64,
    email: Option<&str>,
    language: &str,
) -> String {
    let extra = email.map_or(json!({}), |e| json!({ "email": e }));
    give_with(
        app,
        key,
        gift(amount, extra),
        &[("accept-language", language)],
    )
    .await
}

/// How the outbox holds a donation's receipt: its status and attempts, if it is there.
async fn receipt_row(app: &TestApp, donation: &str) -> Option<(String, i64)> {
    sqlx::query_as("SELECT status, attempts FROM outbox WHERE about = $1")
        .bind(donation)
        .fetch_optional(app.db.pool())
        .await
        .expect("the outbox")
}

async fn receipts_go_once_in_the_donors_language_and_unsubscribing_stops_them(backend: Backend) {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_configured(backend, Chaos::CALM, &[("SMTP_URL", url.as_str())]).await;
    app.seed_demo().await;

    let gift = give_from(&app, "r-1", 2_000, Some(" Li.Hua@Example.cn "), "zh-CN").await;
    // Stripe delivers the payment again: still one receipt.
    pay(&app, &gift, 2_000).await;
    let mail = Mail::parse(&sink.wait_for(1).await[0]);
    assert!(
        mail.header("To").contains("Li.Hua@Example.cn"),
        "{}",
        mail.header("To")
    );
    assert!(
        mail.subject.starts_with("捐赠收据：¥20"),
        "{}",
        mail.subject
    );
    let certificate = format!("https://give.example.org/donations/{gift}");
    for body in [&mail.text, &mail.html] {
        assert!(body.contains(&certificate), "the certificate link: {body}");
        assert!(
            body.contains("https://give.example.org/s/"),
            "the share link: {body}"
        );
        assert!(body.contains("谢谢您"), "in the donor's language: {body}");
    }
    let unsubscribe = mail
        .header("List-Unsubscribe")
        .trim_matches(['<', '>'])
        .to_owned();
    assert!(
        unsubscribe.starts_with("https://give.example.org/unsubscribe/"),
        "{unsubscribe}"
    );
    assert!(
        mail.text.contains(&unsubscribe),
        "the link is in the text too"
    );
    assert_eq!(
        mail.header("List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );

    // Without an address, nothing is queued.
    let silent = give_from(&app, "r-2", 500, None, "en").await;
    assert_eq!(receipt_row(&app, &silent).await, None);

    // Opening the link only asks; a forged link is refused and changes nothing.
    let path = unsubscribe.trim_start_matches(&app.public_url);
    let (status, page) = app.get_text(path).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"unsubscribe\""), "{page}");
    let forged = app.url("/unsubscribe/0123456789abcdef0123456789abcdef");
    assert_eq!(app.post_form(&forged, &[]).await.status(), 404);
    assert_eq!(
        app.post_form(&app.url("/unsubscribe/nonsense"), &[])
            .await
            .status(),
        404
    );
    let again = give_from(&app, "r-3", 1_000, Some("li.hua@example.cn"), "zh-CN").await;
    sink.wait_for(2).await;

    // The mail client's one-click unsubscribe, with no session and no page.
    let done = app
        .post_form(
            &app.local(&unsubscribe),
            &[("List-Unsubscribe", "One-Click")],
        )
        .await;
    assert_eq!(done.status(), 200);
    let later = give_from(&app, "r-4", 1_000, Some("LI.HUA@example.cn"), "en").await;
    assert_eq!(
        receipt_row(&app, &later).await,
        None,
        "an unsubscribed address gets nothing"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(sink.delivered().len(), 2, "no email after unsubscribing");
    assert_eq!(
        receipt_row(&app, &again).await.map(|r| r.0).as_deref(),
        Some("sent")
    );

    // Admins read the outbox with addresses masked, and preview the receipt in both languages.
    create(&app, "admin@example.org", Role::Admin).await;
    create(&app, "viewer@example.org", Role::Viewer).await;
    let admin = signed_in(&app, "admin@example.org").await;
    let viewer = signed_in(&app, "viewer@example.org").await;
    let outbox =
        |cookie: &str, path: &str| request(&app, reqwest::Method::GET, path, Some(cookie)).send();
    let page = outbox(&admin, OUTBOX).await.expect("an answer");
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("a page");
    assert!(page.contains("L•••@Example.cn"), "{page}");
    assert!(!page.contains("Li.Hua@"), "no address in full");
    assert_eq!(
        outbox(&viewer, OUTBOX).await.expect("an answer").status(),
        403
    );
    let preview = outbox(&admin, &format!("{OUTBOX}/preview-zh-CN"))
        .await
        .expect("an answer");
    assert_eq!(preview.status(), 200);
    assert!(preview.text().await.expect("a page").contains("捐赠收据"));
    // In Chinese, the outbox speaks Chinese too.
    let chinese = request(&app, reqwest::Method::GET, OUTBOX, Some(&admin))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .expect("an answer")
        .text()
        .await
        .expect("a page");
    assert!(
        chinese.contains("<h1>发件箱</h1>") && chinese.contains("已发送"),
        "{chinese}"
    );
}

async fn a_server_killed_mid_send_neither_loses_nor_duplicates_a_receipt(backend: Backend) {
    // The test's own server has no mail server: the receipt waits in the outbox.
    let app = spawn(backend).await;
    app.seed_demo().await;
    let gift = give_from(&app, "k-1", 2_000, Some("wang@example.cn"), "en").await;
    assert_eq!(
        receipt_row(&app, &gift).await,
        Some(("queued".to_owned(), 0))
    );

    // An instance starts sending it; the mail server stops answering; the instance is killed.
    let sink = SmtpSink::start().await;
    sink.hang(true);
    let env = [
        ("SMTP_URL", sink.url()),
        ("SMTP_TIMEOUT_SECONDS", "1".to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut first = Instance::start(&app, &env).await;
    sink.wait_hung().await;
    first.kill();
    assert_eq!(
        receipt_row(&app, &gift).await.map(|r| r.0).as_deref(),
        Some("queued")
    );

    // Another instance takes it over once the dead one's claim runs out, and sends it once.
    sink.hang(false);
    let _second = Instance::start(&app, &env).await;
    let delivered = sink.wait_for(1).await;
    assert!(Mail::parse(&delivered[0]).text.contains(&gift));
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sink.delivered().len(), 1, "sent once");
    let (status, attempts) = receipt_row(&app, &gift).await.expect("the receipt");
    assert_eq!(status, "sent");
    assert!(attempts >= 2, "the first attempt counted: {attempts}");
}

on_both_backends!(
    receipts_go_once_in_the_donors_language_and_unsubscribing_stops_them,
    a_server_killed_mid_send_neither_loses_nor_duplicates_a_receipt,
);
