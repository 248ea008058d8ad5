//! Stripe events about a donation, as Stripe would send them: for the tests and the ingest
//! benchmark, built with the demo's own object shapes.

#![allow(dead_code)]

use giving_gallery::demo_stripe::{objects, DemoSession, SessionStatus};
use std::collections::HashMap;

/// A Checkout Session as Stripe would send it for a donation, in the given state.
pub fn session(
    donation_id: &str,
    amount: i64,
    currency: &str,
    status: SessionStatus,
) -> DemoSession {
    let metadata = HashMap::from([("donation_id".to_owned(), donation_id.to_owned())]);
    DemoSession {
        id: format!("cs_test_{donation_id}"),
        url: String::new(),
        amount,
        currency: currency.to_owned(),
        product_name: "Sun Over the Hills".to_owned(),
        success_url: format!("https://give.example.org/donations/{donation_id}"),
        cancel_url: String::new(),
        client_reference_id: Some(donation_id.to_owned()),
        metadata: metadata.clone(),
        payment_intent_metadata: metadata,
        payment_method_types: vec!["card".to_owned()],
        customer_email: None,
        locale: None,
        status,
        payment_link: None,
        custom_minimum: None,
        payment_intent: Some(format!("pi_{donation_id}")),
        charge: Some(format!("ch_{donation_id}")),
        refunded: 0,
        created: 1_700_000_000,
        expires_at: 1_700_086_400,
        paid_at: None,
    }
}

/// A signed-ready event payload about a session.
pub fn session_event(event_id: &str, type_name: &str, s: &DemoSession) -> String {
    objects::event(event_id, type_name, objects::session(s), 1_700_000_000).to_string()
}

/// A `charge.refunded` event with the charge's refunded total.
pub fn refund_event(event_id: &str, s: &DemoSession, refunded: i64) -> String {
    let charge = s.charge.clone().expect("a charge");
    objects::event(
        event_id,
        "charge.refunded",
        objects::charge(s, &charge, refunded),
        1_700_000_000,
    )
    .to_string()
}
