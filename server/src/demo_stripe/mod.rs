//! Demo payments: a stand-in for the parts of Stripe this product uses, served by the server
//! itself when no `STRIPE_SECRET_KEY` is set, so a newcomer can give without an account.
//!
//! - `api`: `POST /demo-stripe/v1/checkout/sessions`, `GET …/{id}`, `POST /demo-stripe/v1/refunds`,
//!   `POST …/v1/prices`, `POST …/v1/payment_links` and `POST …/v1/payment_links/{id}`,
//!   `GET …/v1/balance_transactions` (each paid session's charge, with a fee of 3.4%),
//!   form-encoded like Stripe's API and reached through async-stripe with `STRIPE_API_BASE`.
//!   Beyond `DEMO_STRIPE_RATE_LIMIT` operations a second it answers 429 as Stripe's live mode does.
//! - `hosted`: a Payment Link's page (`/demo-pay/{link}`, honouring `client_reference_id` and
//!   `prefilled_email`), which opens a session for it, and the checkout page a donor is sent to, with a "Demo: no money moves" banner, where
//!   they can pay, decline, pay by a delayed method (that succeeds or fails), or let it expire.
//! - `delivery`: events signed with the webhook secret and posted to our own webhook the way Stripe
//!   does, retried on failure, now and then twice and out of order.
//!
//! Sessions live in memory: a restart forgets open demo checkouts, never recorded gifts.

mod api;
mod delivery;
mod hosted;
pub mod objects;

pub use delivery::Chaos;

use axum::Router;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Where a demo session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStatus {
    Open,
    /// Completed with a delayed method that has not settled.
    CompleteUnpaid,
    Paid,
    Failed,
    Expired,
}

/// A Checkout Session the demo opened.
#[derive(Clone, Debug)]
pub struct DemoSession {
    pub id: String,
    pub url: String,
    pub amount: i64,
    pub currency: String,
    pub product_name: String,
    pub success_url: String,
    pub cancel_url: String,
    pub client_reference_id: Option<String>,
    pub metadata: HashMap<String, String>,
    pub payment_intent_metadata: HashMap<String, String>,
    pub payment_method_types: Vec<String>,
    pub customer_email: Option<String>,
    pub locale: Option<String>,
    pub status: SessionStatus,
    /// The Payment Link it was opened through.
    pub payment_link: Option<String>,
    /// Through a link whose price the donor chooses: the least they may enter.
    pub custom_minimum: Option<i64>,
    pub payment_intent: Option<String>,
    pub charge: Option<String>,
    pub refunded: i64,
    pub created: i64,
    pub expires_at: i64,
    /// When it was paid: the time of its charge's balance transaction.
    pub paid_at: Option<i64>,
}

/// A Payment Link the demo made: a fixed amount, or the donor's (at least `minimum`).
#[derive(Clone, Debug)]
pub struct DemoLink {
    pub id: String,
    pub url: String,
    pub active: bool,
    pub amount: Option<i64>,
    pub minimum: i64,
    pub currency: String,
    pub product_name: String,
    pub success_url: String,
    pub metadata: HashMap<String, String>,
}

/// A Price the demo made (for a donor-chosen amount).
#[derive(Clone, Debug)]
struct DemoPrice {
    currency: String,
    amount: Option<i64>,
    minimum: i64,
    product_name: String,
}

#[derive(Default)]
struct Books {
    links: HashMap<String, DemoLink>,
    prices: HashMap<String, DemoPrice>,
    /// Link and price idempotency keys already answered, and what each made.
    made: HashMap<String, serde_json::Value>,
    sessions: HashMap<String, DemoSession>,
    /// Idempotency keys already answered, and the session each made.
    keys: HashMap<String, String>,
    /// Refund idempotency keys already answered, and the refund each made.
    refunds: HashMap<String, serde_json::Value>,
    rate_limited: u64,
    /// Operations answered: in all, in the current second (`second`), and in the busiest.
    served: u64,
    second: i64,
    this_second: u64,
    busiest_second: u64,
}

/// The demo's state: its sessions, and where and how it delivers events.
#[derive(Clone)]
pub struct DemoStripe {
    books: Arc<Mutex<Books>>,
    /// Where the hosted pages are reached from a browser (`PUBLIC_BASE_URL`).
    public_base: String,
    delivery: delivery::Delivery,
    /// Stripe's rate limit, as the demo enforces it.
    limiter: Arc<governor::DefaultDirectRateLimiter>,
    rate_per_second: u32,
}

impl DemoStripe {
    /// A demo that sends events to `webhook_urls` (in turn), signed with `secret`.
    /// It answers at most `rate_limit` API operations a second.
    pub fn new(
        public_base: &str,
        webhook_urls: Vec<String>,
        secret: String,
        chaos: Chaos,
        rate_limit: u32,
    ) -> DemoStripe {
        let rate = std::num::NonZeroU32::new(rate_limit).unwrap_or(std::num::NonZeroU32::MIN);
        DemoStripe {
            books: Arc::default(),
            public_base: public_base.trim_end_matches('/').to_owned(),
            delivery: delivery::Delivery::new(webhook_urls, secret, chaos),
            limiter: Arc::new(governor::RateLimiter::direct(governor::Quota::per_second(
                rate,
            ))),
            rate_per_second: rate.get(),
        }
    }

    fn books(&self) -> MutexGuard<'_, Books> {
        // A panic while holding the lock cannot leave the books half-written in a way that
        // matters for a demo; carry on with what is there.
        self.books
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The routes of the stand-in API and the hosted checkout.
    pub fn routes<S: Clone + Send + Sync + 'static>(self) -> Router<S> {
        Router::new()
            .merge(api::routes(self.clone()))
            .merge(hosted::routes().with_state(self))
    }
}

/// A Stripe-style id: a prefix and 24 random letters and digits.
pub fn new_id(prefix: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut bytes = [0_u8; 24];
    if getrandom::fill(&mut bytes).is_err() {
        // The clock is a poor but unique-enough fallback for a demo id.
        let nanos = now_seconds_nanos();
        return format!("{prefix}_{nanos:x}");
    }
    let tail: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("{prefix}_{tail}")
}

fn now_seconds_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// Seconds since the Unix epoch, as Stripe's timestamps are.
pub fn now_seconds() -> i64 {
    i64::try_from(now_seconds_nanos() / 1_000_000_000).unwrap_or(i64::MAX)
}
