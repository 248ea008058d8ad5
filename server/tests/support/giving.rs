//! Giving through the JSON checkout and paying with a signed webhook, as Stripe would.

use super::events::{session, session_event};
use super::{TestApp, WEBHOOK_SECRET};
use giving_gallery::demo_stripe::SessionStatus;
use serde_json::{json, Value};
use std::time::Duration;

/// The demo campaign's checkout.
pub const CHECKOUT: &str = "/api/campaigns/little-painters/checkout";

/// A gift to the demo campaign's first artwork, with `extra` fields merged in.
pub fn gift(amount_minor: i64, extra: Value) -> Value {
    let mut gift = json!({ "artwork": "sun-over-the-hills", "amount_minor": amount_minor,
                           "currency": "CNY" });
    if let (Some(gift), Some(extra)) = (gift.as_object_mut(), extra.as_object()) {
        gift.extend(extra.clone());
    }
    gift
}

/// Opens a checkout for `gift` and pays it; returns the donation id.
pub async fn give(app: &TestApp, key: &str, gift: Value) -> String {
    give_with(app, key, gift, &[]).await
}

/// `give` with extra request headers (a cookie, say).
pub async fn give_with(app: &TestApp, key: &str, gift: Value, headers: &[(&str, &str)]) -> String {
    let amount = gift["amount_minor"].as_i64().expect("an amount");
    let mut all = vec![("idempotency-key", key)];
    all.extend_from_slice(headers);
    let response = app.post_json(CHECKOUT, &gift, &all).await;
    assert_eq!(response.status(), 200, "checkout opens");
    let body: Value = response.json().await.expect("JSON");
    let id = body["donation_id"].as_str().expect("an id").to_owned();
    pay(app, &id, amount).await;
    id
}

/// Pays a donation's checkout with a signed `checkout.session.completed` event.
pub async fn pay(app: &TestApp, donation: &str, amount: i64) {
    let paid = session(donation, amount, "cny", SessionStatus::Paid);
    let event = session_event(
        &format!("evt_paid_{donation}"),
        "checkout.session.completed",
        &paid,
    );
    assert_eq!(app.deliver(&event, WEBHOOK_SECRET, None).await, 200);
}

/// Opens a checkout for `gift` and pays on the demo's hosted checkout page, as a donor does;
/// returns the donation id once the gift is paid. The demo stand-in then knows the payment, so
/// it can be refunded.
pub async fn give_on_demo_checkout(app: &TestApp, key: &str, gift: Value) -> String {
    let id = pay_on_demo_checkout(app, key, gift).await;
    let donation = app::ids::DonationId::parse(&id).expect("an id");
    for _ in 0..100 {
        let status = app::donations::store::status(&app.db, &donation)
            .await
            .expect("a status");
        if status.is_some_and(|s| s.to_string() == "paid") {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the gift was never paid");
}

/// Opens a checkout for `gift` and pays on the demo's hosted checkout page; returns the
/// donation id at once (the webhook may not have told the server yet).
pub async fn pay_on_demo_checkout(app: &TestApp, key: &str, gift: Value) -> String {
    let response = app
        .post_json(CHECKOUT, &gift, &[("idempotency-key", key)])
        .await;
    assert_eq!(response.status(), 200, "checkout opens");
    let body: Value = response.json().await.expect("JSON");
    let url = app.local(body["checkout_url"].as_str().expect("a checkout URL"));
    assert_eq!(
        app.post_form(&url, &[("outcome", "pay")]).await.status(),
        303
    );
    body["donation_id"].as_str().expect("an id").to_owned()
}

/// Waits (up to 10 s) for the demo campaign's total to reach `raised` (minor units).
pub async fn wait_for_raised(app: &TestApp, raised: i64) {
    for _ in 0..100 {
        if app.progress("little-painters").await["raised_minor"] == raised {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the total never reached {raised}");
}

pub async fn status_of(app: &TestApp, donation_id: &str) -> String {
    let id = app::ids::DonationId::parse(donation_id).expect("an id");
    app::donations::store::status(&app.db, &id)
        .await
        .expect("status")
        .expect("a donation")
        .to_string()
}

/// Waits (up to 10 s) for a donation to reach a status, as the thank-you page does.
pub async fn wait_for_status(app: &TestApp, donation_id: &str, wanted: &str) {
    for _ in 0..100 {
        if status_of(app, donation_id).await == wanted {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "donation stayed {} instead of {wanted}",
        status_of(app, donation_id).await
    );
}
