//! The demo's hosted checkout page: what Stripe Checkout is in production, with a banner that
//! says no money moves, and a choice of how the "payment" goes.

use super::{new_id, now_seconds, objects, DemoSession, DemoStripe, SessionStatus};
use app::i18n::{fill, Locale};
use app::money::Money;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use html_escape::encode_double_quoted_attribute as escape;
use serde::Deserialize;
use std::time::Duration;

pub(super) fn routes() -> Router<DemoStripe> {
    Router::new()
        .route("/demo-checkout/{id}", get(page).post(act))
        .route("/demo-pay/{link}", get(open_link))
        .route(STYLESHEET, get(stylesheet))
}

/// A delayed method settles after this long.
const SETTLES_AFTER: Duration = Duration::from_secs(3);

fn locale_of(session: &DemoSession) -> Locale {
    session
        .locale
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or(Locale::En)
}

async fn page(State(demo): State<DemoStripe>, Path(id): Path<String>) -> Response {
    let Some(session) = demo.books().sessions.get(&id).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    render(&session, None)
}

/// What a Payment Link's address may carry.
#[derive(Deserialize)]
struct LinkQuery {
    client_reference_id: Option<String>,
    prefilled_email: Option<String>,
    locale: Option<String>,
}

/// A Payment Link's page: opens a Checkout Session for the link, as Stripe does, and shows it.
/// A `client_reference_id` that is not 1 to 200 letters, digits, `-` or `_` is dropped, as
/// Stripe drops it.
async fn open_link(
    State(demo): State<DemoStripe>,
    Path(link): Path<String>,
    axum::extract::Query(query): axum::extract::Query<LinkQuery>,
) -> Response {
    let Some(link) = demo.books().links.get(&link).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !link.active {
        return (
            StatusCode::GONE,
            Html("<p>This link is no longer active.</p>"),
        )
            .into_response();
    }
    let reference = query.client_reference_id.filter(|r| {
        (1..=200).contains(&r.len())
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    let id = new_id("cs_test");
    let now = now_seconds();
    let session = DemoSession {
        url: format!("{}/demo-checkout/{id}", demo.public_base),
        id: id.clone(),
        amount: link.amount.unwrap_or(0),
        currency: link.currency.clone(),
        product_name: link.product_name.clone(),
        success_url: link.success_url.clone(),
        cancel_url: demo.public_base.clone(),
        client_reference_id: reference,
        metadata: std::collections::HashMap::new(),
        payment_intent_metadata: std::collections::HashMap::new(),
        payment_method_types: vec!["card".to_owned()],
        customer_email: query
            .prefilled_email
            .filter(|e| e.contains('@') && e.len() <= 254),
        locale: query.locale,
        status: SessionStatus::Open,
        payment_link: Some(link.id.clone()),
        custom_minimum: link.amount.is_none().then_some(link.minimum),
        payment_intent: None,
        charge: None,
        refunded: 0,
        created: now,
        expires_at: now + 24 * 60 * 60,
        paid_at: None,
    };
    demo.books().sessions.insert(id.clone(), session);
    Redirect::to(&format!("/demo-checkout/{id}")).into_response()
}

#[derive(Deserialize)]
struct Action {
    outcome: String,
    /// Through a link whose amount the donor chooses.
    amount: Option<String>,
}

/// How the donor chose the payment to go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Pay,
    Delayed,
    DelayedFails,
    Decline,
    Expire,
}

async fn act(
    State(demo): State<DemoStripe>,
    Path(id): Path<String>,
    Form(action): Form<Action>,
) -> Response {
    let outcome = match action.outcome.as_str() {
        "pay" => Outcome::Pay,
        "delayed" => Outcome::Delayed,
        "delayed_fails" => Outcome::DelayedFails,
        "decline" => Outcome::Decline,
        "expire" => Outcome::Expire,
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    let mut books = demo.books();
    let Some(session) = books.sessions.get_mut(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if session.status != SessionStatus::Open {
        let closed = session.clone();
        drop(books);
        return render(&closed, None);
    }
    // Through a donor-chosen link's session, the amount entered on this page.
    if let Some(minimum) = session.custom_minimum {
        let currency = session.currency.to_ascii_uppercase().parse().ok();
        let entered = action
            .amount
            .as_deref()
            .zip(currency)
            .and_then(|(text, currency)| Money::parse_amount(text, currency).ok())
            .map(Money::minor)
            .filter(|amount| *amount >= minimum);
        match entered {
            Some(amount) => session.amount = amount,
            None => {
                let open = session.clone();
                drop(books);
                let t = locale_of(&open).words();
                return render(&open, Some(t.amount_not_a_number()));
            }
        }
    }
    if outcome == Outcome::Decline {
        let open = session.clone();
        drop(books);
        let t = locale_of(&open).words();
        return render(&open, Some(t.demo_declined()));
    }
    let now = now_seconds();
    let mut events = Vec::new();
    let completed = |s: &DemoSession| {
        objects::event(
            &new_id("evt"),
            "checkout.session.completed",
            objects::session(s),
            now,
        )
    };
    match outcome {
        Outcome::Pay => {
            pay(session);
            events.push((completed(session), Duration::ZERO));
        }
        Outcome::Delayed | Outcome::DelayedFails => {
            session.status = SessionStatus::CompleteUnpaid;
            session.payment_intent = Some(new_id("pi"));
            events.push((completed(session), Duration::ZERO));
            let (type_name, settled) = if outcome == Outcome::Delayed {
                pay(session);
                ("checkout.session.async_payment_succeeded", session.clone())
            } else {
                session.status = SessionStatus::Failed;
                ("checkout.session.async_payment_failed", session.clone())
            };
            let event = objects::event(&new_id("evt"), type_name, objects::session(&settled), now);
            events.push((event, SETTLES_AFTER));
        }
        Outcome::Expire => {
            session.status = SessionStatus::Expired;
            let event = objects::event(
                &new_id("evt"),
                "checkout.session.expired",
                objects::session(session),
                now,
            );
            events.push((event, Duration::ZERO));
        }
        Outcome::Decline => {}
    }
    let success_url = session
        .success_url
        .replace("{CHECKOUT_SESSION_ID}", &session.id);
    drop(books);
    for (event, delay) in events {
        demo.delivery.send(event, delay);
    }
    Redirect::to(&success_url).into_response()
}

/// Marks a session paid, with the payment and charge behind it.
fn pay(session: &mut DemoSession) {
    session.status = SessionStatus::Paid;
    if session.payment_intent.is_none() {
        session.payment_intent = Some(new_id("pi"));
    }
    session.charge = Some(new_id("ch"));
    session.paid_at = Some(now_seconds());
}

fn render(session: &DemoSession, notice: Option<&str>) -> Response {
    let locale = locale_of(session);
    let t = locale.words();
    let amount = session
        .currency
        .to_ascii_uppercase()
        .parse()
        .ok()
        .and_then(|c| Money::from_minor(session.amount, c).ok())
        .map_or_else(|| session.amount.to_string(), |m| m.format(locale));
    let body = if session.status == SessionStatus::Open {
        let button = |outcome: &str, label: &str, class: &str| {
            format!(
                r#"<button type="submit" name="outcome" value="{outcome}" class="{class}">{}</button>"#,
                escape(label)
            )
        };
        // A donor-chosen amount is entered here.
        let field = match session.custom_minimum {
            Some(_) => format!(
                r#"<label>{} <input name="amount" inputmode="decimal" required></label>"#,
                escape(&fill(
                    t.custom_amount_label(),
                    &[("currency", &session.currency.to_ascii_uppercase())]
                ))
            ),
            None => String::new(),
        };
        let pay_label = match session.custom_minimum {
            Some(_) => t.demo_checkout_title().to_owned(),
            None => fill(t.demo_pay(), &[("amount", &amount)]),
        };
        format!(
            r#"<form method="post">{field}{}{}{}{}{}</form><p><a href="{}">{}</a></p>"#,
            button("pay", &pay_label, "pay"),
            button("delayed", t.demo_pay_later(), "other"),
            button("delayed_fails", t.demo_pay_later_fails(), "other"),
            button("decline", t.demo_decline(), "other"),
            button("expire", t.demo_expire(), "other"),
            escape(&session.cancel_url),
            escape(t.demo_cancel()),
        )
    } else {
        format!(
            r#"<p>{}</p><p><a href="{}">{}</a></p>"#,
            escape(t.demo_session_closed()),
            escape(campaign_page(&session.cancel_url)),
            escape(t.back_to_campaign())
        )
    };
    let notice = notice
        .map(|n| format!(r#"<p class="notice" role="alert">{}</p>"#, escape(n)))
        .unwrap_or_default();
    let html = format!(
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>{title}</title><link rel="stylesheet" href="{STYLESHEET}"></head><body><p class="banner" role="status">{banner}</p><main><h1>{title}</h1><p class="item">{item}</p><p class="amount">{amount}</p>{notice}{body}</main></body></html>"#,
        lang = locale.tag(),
        title = escape(t.demo_checkout_title()),
        banner = escape(t.demo_banner()),
        item = escape(&session.product_name),
        amount = escape(&amount),
    );
    ([("cache-control", "no-store")], Html(html)).into_response()
}

/// The campaign's page, from the artwork page a checkout returns to when cancelled
/// (`…/campaigns/{slug}/artworks/{artwork}`).
fn campaign_page(cancel_url: &str) -> &str {
    cancel_url
        .split_once("/artworks/")
        .map_or(cancel_url, |(campaign, _)| campaign)
}

/// The page's styles, as a file of their own: pages run under a policy without inline styles.
const STYLESHEET: &str = "/demo-checkout/style.css";

async fn stylesheet() -> Response {
    (
        [
            ("content-type", "text/css; charset=utf-8"),
            ("cache-control", "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

const STYLE: &str = "body{margin:0;font-family:system-ui,sans-serif;background:#f6f4ef;color:#222}\
.banner{margin:0;padding:.75rem 1rem;background:#ffd24d;font-weight:700;text-align:center}\
main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;\
box-shadow:0 2px 12px rgba(0,0,0,.08)}h1{margin-top:0;font-size:1.25rem}\
.amount{font-size:2rem;font-weight:700;margin:.25rem 0 1.5rem}\
form{display:grid;gap:.6rem}button{font:inherit;padding:.8rem;border-radius:8px;border:1px solid #bbb;\
background:#fff;cursor:pointer}button.pay{background:#1a5c4b;color:#fff;border-color:#1a5c4b;font-weight:700}\
.notice{padding:.75rem;border-radius:8px;background:#fde8e8;color:#8a1c1c}";
