//! The demo's Stripe API: the calls this product makes, form-encoded as Stripe takes them.
//!
//! Its helpers return ready error responses, as handlers do.
#![allow(clippy::result_large_err)]

use super::{new_id, now_seconds, objects, DemoSession, DemoStripe, SessionStatus};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::collections::HashMap;
use std::time::Duration;

pub(super) fn routes<S: Clone + Send + Sync + 'static>(demo: DemoStripe) -> Router<S> {
    Router::new()
        .route("/demo-stripe/v1/checkout/sessions", post(create_session))
        .route(
            "/demo-stripe/v1/checkout/sessions/{id}",
            get(retrieve_session),
        )
        .route("/demo-stripe/v1/refunds", post(create_refund))
        .route("/demo-stripe/v1/events", get(list_events))
        .route(
            "/demo-stripe/v1/balance_transactions",
            get(list_balance_transactions),
        )
        .route("/demo-stripe/v1/prices", post(create_price))
        .route("/demo-stripe/v1/payment_links", post(create_link))
        .route("/demo-stripe/v1/payment_links/{id}", post(update_link))
        .route_layer(middleware::from_fn_with_state(demo.clone(), rate_limit))
        .route_layer(middleware::from_fn(require_secret_key))
        .route("/demo-stripe/stats", get(stats))
        .with_state(demo)
}

/// A Checkout Session stays open this long, as Stripe's default.
const SESSION_LIFETIME_SECONDS: i64 = 24 * 60 * 60;

fn stripe_error(status: StatusCode, message: &str, param: Option<&str>) -> Response {
    (
        status,
        Json(objects::error("invalid_request_error", message, param)),
    )
        .into_response()
}

/// `GET /demo-stripe/stats` (the demo's own, not Stripe's): operations answered, in the busiest
/// second, and refused with 429, so a load test can show the provider never saw more than its
/// limit.
async fn stats(State(demo): State<DemoStripe>) -> Response {
    let books = demo.books();
    Json(serde_json::json!({
        "operations": books.served,
        "busiest_second": books.busiest_second,
        "rate_limited": books.rate_limited,
        "limit_per_second": demo.rate_per_second,
    }))
    .into_response()
}

/// Beyond its rate, Stripe's live mode answers 429 with a `rate_limit` error.
async fn rate_limit(State(demo): State<DemoStripe>, request: Request, next: Next) -> Response {
    if demo.limiter.check().is_ok() {
        {
            let mut books = demo.books();
            let now = now_seconds();
            if books.second != now {
                books.second = now;
                books.this_second = 0;
            }
            books.served += 1;
            books.this_second += 1;
            books.busiest_second = books.busiest_second.max(books.this_second);
        }
        return next.run(request).await;
    }
    demo.books().rate_limited += 1;
    let mut body = objects::error(
        "invalid_request_error",
        "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
        None,
    );
    body["error"]["code"] = "rate_limit".into();
    (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response()
}

/// Stripe answers 401 to a request without a secret key.
async fn require_secret_key(request: Request, next: Next) -> Response {
    let key = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match key {
        Some(key) if key.starts_with("sk_test_") => next.run(request).await,
        _ => (
            StatusCode::UNAUTHORIZED,
            Json(objects::error(
                "invalid_request_error",
                "Invalid API Key provided.",
                None,
            )),
        )
            .into_response(),
    }
}

/// The form's fields, by their bracketed names (`line_items[0][price_data][currency]`).
struct Form(Vec<(String, String)>);

impl Form {
    fn parse(body: &[u8]) -> Result<Form, Response> {
        serde_urlencoded::from_bytes(body)
            .map(Form)
            .map_err(|_| stripe_error(StatusCode::BAD_REQUEST, "Invalid form body.", None))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn required(&self, name: &str) -> Result<&str, Response> {
        self.get(name).filter(|v| !v.is_empty()).ok_or_else(|| {
            stripe_error(
                StatusCode::BAD_REQUEST,
                &format!("Missing required param: {name}."),
                Some(name),
            )
        })
    }

    fn integer(&self, name: &str) -> Result<i64, Response> {
        self.required(name)?.parse().map_err(|_| {
            stripe_error(
                StatusCode::BAD_REQUEST,
                &format!("Invalid integer: {name}."),
                Some(name),
            )
        })
    }

    /// `prefix[key]=value` pairs as a map.
    fn map(&self, prefix: &str) -> HashMap<String, String> {
        self.0
            .iter()
            .filter_map(|(k, v)| {
                let key = k
                    .strip_prefix(prefix)?
                    .strip_prefix('[')?
                    .strip_suffix(']')?;
                Some((key.to_owned(), v.clone()))
            })
            .collect()
    }

    /// `prefix[0]=a&prefix[1]=b` as a list.
    fn list(&self, prefix: &str) -> Vec<String> {
        self.map(prefix).into_values().collect()
    }
}

/// The request's `Idempotency-Key`, if it sent a readable one.
fn idempotency_key(headers: &HeaderMap) -> Option<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

async fn create_session(
    State(demo): State<DemoStripe>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let key = idempotency_key(&headers);
    if let Some(key) = &key {
        let books = demo.books();
        if let Some(session) = books.keys.get(key).and_then(|id| books.sessions.get(id)) {
            return Json(objects::session(session)).into_response();
        }
    }
    let session = match Form::parse(&body).and_then(|form| session_from(&form, &demo)) {
        Ok(session) => session,
        Err(response) => return response,
    };
    let mut books = demo.books();
    // Two requests with one key may race here: the first one in wins, as at Stripe.
    if let Some(existing) = key.as_ref().and_then(|k| books.keys.get(k)).cloned() {
        if let Some(session) = books.sessions.get(&existing) {
            return Json(objects::session(session)).into_response();
        }
    }
    if let Some(key) = key {
        books.keys.insert(key, session.id.clone());
    }
    let body = objects::session(&session);
    books.sessions.insert(session.id.clone(), session);
    Json(body).into_response()
}

fn session_from(form: &Form, demo: &DemoStripe) -> Result<DemoSession, Response> {
    if form.required("mode")? != "payment" {
        return Err(stripe_error(
            StatusCode::BAD_REQUEST,
            "The demo supports mode=payment only.",
            Some("mode"),
        ));
    }
    let item = "line_items[0]";
    let quantity = form.integer(&format!("{item}[quantity]"))?;
    let unit_amount = form.integer(&format!("{item}[price_data][unit_amount]"))?;
    if quantity < 1 || unit_amount < 1 {
        return Err(stripe_error(
            StatusCode::BAD_REQUEST,
            "Amounts and quantities must be positive.",
            Some(item),
        ));
    }
    let amount = unit_amount
        .checked_mul(quantity)
        .ok_or_else(|| stripe_error(StatusCode::BAD_REQUEST, "Amount too large.", Some(item)))?;
    let id = new_id("cs_test");
    let now = now_seconds();
    let mut methods = form.list("allowed_payment_method_types");
    if methods.is_empty() {
        methods.push("card".to_owned());
    }
    Ok(DemoSession {
        url: format!("{}/demo-checkout/{id}", demo.public_base),
        id,
        amount,
        currency: form
            .required(&format!("{item}[price_data][currency]"))?
            .to_owned(),
        product_name: form
            .required(&format!("{item}[price_data][product_data][name]"))?
            .to_owned(),
        success_url: form.required("success_url")?.to_owned(),
        cancel_url: form.get("cancel_url").unwrap_or_default().to_owned(),
        client_reference_id: form.get("client_reference_id").map(str::to_owned),
        metadata: form.map("metadata"),
        payment_intent_metadata: form.map("payment_intent_data[metadata]"),
        payment_method_types: methods,
        customer_email: form.get("customer_email").map(str::to_owned),
        locale: form.get("locale").map(str::to_owned),
        status: SessionStatus::Open,
        payment_link: None,
        custom_minimum: None,
        payment_intent: None,
        charge: None,
        refunded: 0,
        created: now,
        expires_at: now + SESSION_LIFETIME_SECONDS,
        paid_at: None,
    })
}

async fn retrieve_session(State(demo): State<DemoStripe>, Path(id): Path<String>) -> Response {
    match demo.books().sessions.get(&id) {
        Some(session) => Json(objects::session(session)).into_response(),
        None => stripe_error(
            StatusCode::NOT_FOUND,
            &format!("No such checkout.session: '{id}'"),
            Some("id"),
        ),
    }
}

/// `POST /v1/refunds` with `payment_intent` (or `charge`) and an optional `amount`: refunds the
/// charge and sends `charge.refunded` with the charge's new refunded total. A repeated
/// `Idempotency-Key` gets the first answer and refunds nothing more.
async fn create_refund(
    State(demo): State<DemoStripe>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match Form::parse(&body) {
        Ok(form) => form,
        Err(response) => return response,
    };
    let key = idempotency_key(&headers);
    let by_intent = form.get("payment_intent");
    let by_charge = form.get("charge");
    let mut books = demo.books();
    if let Some(answered) = key.as_ref().and_then(|k| books.refunds.get(k)) {
        return Json(answered.clone()).into_response();
    }
    let Some(session) = books.sessions.values_mut().find(|s| {
        s.status == SessionStatus::Paid
            && ((by_intent.is_some() && s.payment_intent.as_deref() == by_intent)
                || (by_charge.is_some() && s.charge.as_deref() == by_charge))
    }) else {
        return stripe_error(
            StatusCode::NOT_FOUND,
            "No such payment.",
            Some("payment_intent"),
        );
    };
    let remaining = session.amount - session.refunded;
    let amount = match form.get("amount") {
        None => remaining,
        Some(text) => match text.parse::<i64>() {
            Ok(amount) if amount > 0 => amount,
            _ => return stripe_error(StatusCode::BAD_REQUEST, "Invalid amount.", Some("amount")),
        },
    };
    if amount > remaining {
        return stripe_error(
            StatusCode::BAD_REQUEST,
            "Refund amount is greater than the unrefunded amount on the charge.",
            Some("amount"),
        );
    }
    session.refunded += amount;
    let charge_id = session.charge.clone().unwrap_or_default();
    let now = now_seconds();
    let refund = objects::refund(&new_id("re"), session, &charge_id, amount, now);
    let event = objects::event(
        &new_id("evt"),
        "charge.refunded",
        objects::charge(session, &charge_id, session.refunded),
        now,
    );
    if let Some(key) = key {
        books.refunds.insert(key, refund.clone());
    }
    drop(books);
    demo.delivery.send(event, Duration::ZERO);
    Json(refund).into_response()
}

/// `GET /v1/events`: the events sent, newest first, a page at a time, filtered as Stripe filters
/// them (`types[]`, `created[gte]`, `delivery_success`, `starting_after`, `limit`).
async fn list_events(State(demo): State<DemoStripe>, RawQuery(query): RawQuery) -> Response {
    let Ok(pairs) =
        serde_urlencoded::from_str::<Vec<(String, String)>>(query.as_deref().unwrap_or(""))
    else {
        return stripe_error(StatusCode::BAD_REQUEST, "Invalid query.", None);
    };
    let form = Form(pairs);
    let types: Vec<&str> = form
        .0
        .iter()
        .filter(|(name, _)| name == "type" || name.starts_with("types["))
        .map(|(_, value)| value.as_str())
        .collect();
    let number = |name: &str| form.get(name).and_then(|v| v.parse::<i64>().ok());
    let since = number("created[gte]").unwrap_or(i64::MIN);
    let limit = number("limit").unwrap_or(10).clamp(1, 100);
    let undelivered_only = form.get("delivery_success") == Some("false");
    let matching = demo.delivery.log().newest_first(|event, delivered| {
        (types.is_empty() || types.iter().any(|t| event["type"] == *t))
            && event["created"].as_i64().unwrap_or_default() >= since
            && !(undelivered_only && delivered)
    });
    let start = form.get("starting_after").map_or(0, |after| {
        matching
            .iter()
            .position(|e| e["id"] == after)
            .map_or(matching.len(), |i| i + 1)
    });
    let page: Vec<_> = matching
        .iter()
        .skip(start)
        .take(limit as usize)
        .cloned()
        .collect();
    list_page(page, matching.len() > start + limit as usize, "/v1/events")
}

/// A page of a list, as Stripe answers a list request.
fn list_page(page: Vec<serde_json::Value>, has_more: bool, url: &str) -> Response {
    Json(serde_json::json!({
        "object": "list",
        "data": page,
        "has_more": has_more,
        "url": url
    }))
    .into_response()
}

/// `GET /v1/balance_transactions`: each paid session's charge, newest first, a page at a time
/// (`created[gte]`, `starting_after`, `limit`, and `expand[]=data.source` for the charges).
async fn list_balance_transactions(
    State(demo): State<DemoStripe>,
    RawQuery(query): RawQuery,
) -> Response {
    let Ok(pairs) =
        serde_urlencoded::from_str::<Vec<(String, String)>>(query.as_deref().unwrap_or(""))
    else {
        return stripe_error(StatusCode::BAD_REQUEST, "Invalid query.", None);
    };
    let form = Form(pairs);
    let number = |name: &str| form.get(name).and_then(|v| v.parse::<i64>().ok());
    let since = number("created[gte]").unwrap_or(i64::MIN);
    let limit = number("limit").unwrap_or(10).clamp(1, 100) as usize;
    let expanded = form.list("expand").iter().any(|e| e == "data.source");
    let books = demo.books();
    let mut paid: Vec<(i64, &str, &DemoSession)> = books
        .sessions
        .values()
        .filter_map(|s| Some((s.paid_at?, s.charge.as_deref()?, s)))
        .filter(|(at, _, _)| *at >= since)
        .collect();
    paid.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)));
    let start = form.get("starting_after").map_or(0, |after| {
        paid.iter()
            .position(|(_, charge, _)| after.strip_prefix("txn_") == charge.strip_prefix("ch_"))
            .map_or(paid.len(), |i| i + 1)
    });
    let page: Vec<_> = paid
        .iter()
        .skip(start)
        .take(limit)
        .map(|(at, charge, s)| objects::balance_transaction(s, charge, *at, expanded))
        .collect();
    list_page(page, paid.len() > start + limit, "/v1/balance_transactions")
}

/// An answer made before for the same idempotency key, if any.
fn made_before(demo: &DemoStripe, key: Option<&String>) -> Option<Response> {
    let books = demo.books();
    key.and_then(|k| books.made.get(k))
        .map(|made| Json(made.clone()).into_response())
}

/// A create request's idempotency key and form, or the answer given before to its key.
fn create_request(
    demo: &DemoStripe,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(Option<String>, Form), Response> {
    let key = idempotency_key(headers);
    if let Some(answer) = made_before(demo, key.as_ref()) {
        return Err(answer);
    }
    Ok((key, Form::parse(body)?))
}

/// `POST /v1/prices`: a one-time price, with `unit_amount` or `custom_unit_amount[enabled]`.
async fn create_price(State(demo): State<DemoStripe>, headers: HeaderMap, body: Bytes) -> Response {
    let (key, form) = match create_request(&demo, &headers, &body) {
        Ok(request) => request,
        Err(response) => return response,
    };
    let made = (|| {
        let currency = form.required("currency")?.to_owned();
        let product_name = form.required("product_data[name]")?.to_owned();
        let (amount, minimum) = if form.get("custom_unit_amount[enabled]") == Some("true") {
            let minimum = match form.get("custom_unit_amount[minimum]") {
                Some(_) => form.integer("custom_unit_amount[minimum]")?,
                None => 1,
            };
            (None, minimum)
        } else {
            (Some(form.integer("unit_amount")?), 0)
        };
        Ok::<_, Response>(super::DemoPrice {
            currency,
            amount,
            minimum,
            product_name,
        })
    })();
    let price = match made {
        Ok(price) => price,
        Err(response) => return response,
    };
    let id = new_id("price");
    let body = objects::price(
        &id,
        &price.currency,
        price.amount,
        price.minimum,
        now_seconds(),
    );
    let mut books = demo.books();
    books.prices.insert(id, price);
    if let Some(key) = key {
        books.made.insert(key, body.clone());
    }
    Json(body).into_response()
}

/// `POST /v1/payment_links`: one line item (`price_data` or a `price` made here), a redirect
/// after completion, metadata.
async fn create_link(State(demo): State<DemoStripe>, headers: HeaderMap, body: Bytes) -> Response {
    let (key, form) = match create_request(&demo, &headers, &body) {
        Ok(request) => request,
        Err(response) => return response,
    };
    let item = "line_items[0]";
    let priced = match form.get(&format!("{item}[price]")) {
        Some(price) => demo
            .books()
            .prices
            .get(price)
            .cloned()
            .ok_or_else(|| stripe_error(StatusCode::BAD_REQUEST, "No such price.", Some(item))),
        None => (|| {
            Ok(super::DemoPrice {
                currency: form
                    .required(&format!("{item}[price_data][currency]"))?
                    .to_owned(),
                amount: Some(form.integer(&format!("{item}[price_data][unit_amount]"))?),
                minimum: 0,
                product_name: form
                    .required(&format!("{item}[price_data][product_data][name]"))?
                    .to_owned(),
            })
        })(),
    };
    let price = match priced {
        Ok(price) => price,
        Err(response) => return response,
    };
    let success_url = match form.required("after_completion[redirect][url]") {
        Ok(url) => url.to_owned(),
        Err(response) => return response,
    };
    let id = new_id("plink");
    let link = super::DemoLink {
        url: format!("{}/demo-pay/{id}", demo.public_base),
        id: id.clone(),
        active: true,
        amount: price.amount,
        minimum: price.minimum,
        currency: price.currency,
        product_name: price.product_name,
        success_url,
        metadata: form.map("metadata"),
    };
    let body = objects::payment_link(&link);
    let mut books = demo.books();
    books.links.insert(id, link);
    if let Some(key) = key {
        books.made.insert(key, body.clone());
    }
    Json(body).into_response()
}

/// `POST /v1/payment_links/{id}` with `active`: a deactivated link opens no more checkouts.
async fn update_link(
    State(demo): State<DemoStripe>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let form = match Form::parse(&body) {
        Ok(form) => form,
        Err(response) => return response,
    };
    let mut books = demo.books();
    let Some(link) = books.links.get_mut(&id) else {
        return stripe_error(
            StatusCode::NOT_FOUND,
            &format!("No such payment_link: '{id}'"),
            Some("id"),
        );
    };
    if let Some(active) = form.get("active") {
        link.active = active == "true";
    }
    Json(objects::payment_link(link)).into_response()
}
