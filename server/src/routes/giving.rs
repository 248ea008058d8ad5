//! Giving: `POST /api/campaigns/{slug}/checkout` (JSON, for any client), the artwork page's form
//! (`POST /campaigns/{slug}/artworks/{artwork}/give`, which works without JavaScript), and
//! `GET /api/campaigns/{slug}/progress`.

use super::PaymentsState;
use crate::payments::checkout::{self, CheckoutError};
use app::campaigns::store as campaigns;
use app::donations::GiftRequest;
use app::i18n::Locale;
use app::ids::ShareCode;
use app::live::ProgressJson;
use app::money::Money;
use app::slug::Slug;
use app::staff::limits::ClientAddress;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use serde_json::json;

pub(super) fn routes() -> Router<PaymentsState> {
    Router::new()
        .route("/api/campaigns/{slug}/checkout", post(checkout_json))
        .route("/api/campaigns/{slug}/progress", get(progress))
        .route("/api/campaigns/{slug}/account", get(account))
        .route(
            "/campaigns/{slug}/artworks/{artwork}/give",
            post(checkout_form),
        )
        .route("/donations/return", get(link_return))
}

#[derive(Deserialize)]
struct Returned {
    session_id: String,
}

/// Where a Payment Link sends the donor after paying (`?session_id=`): their thank-you page once
/// the payment's event has claimed its donation (usually at once), else a page that looks again.
async fn link_return(
    State(state): State<PaymentsState>,
    headers: HeaderMap,
    query: Result<axum::extract::Query<Returned>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let locale = Locale::from_headers(&headers);
    let t = locale.words();
    let Ok(axum::extract::Query(Returned { session_id })) = query else {
        return (StatusCode::BAD_REQUEST, "session_id is required\n").into_response();
    };
    if session_id.is_empty()
        || session_id.len() > 255
        || !session_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return (StatusCode::BAD_REQUEST, "malformed session_id\n").into_response();
    }
    let db = &state.app.db;
    let mut held = false;
    for _ in 0..20 {
        let found = match app::donations::store::by_session(db, &session_id).await {
            Ok(Some(id)) => return Redirect::to(&id.path()).into_response(),
            Ok(None) => app::donations::store::is_held(db, &session_id).await,
            Err(error) => Err(error),
        };
        match found {
            Ok(true) => {
                held = true;
                break;
            }
            Ok(false) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            Err(error) => {
                tracing::error!(
                    error = format!("{error:#}"),
                    "finding a link payment's donation"
                );
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    }
    let text = if held {
        t.link_payment_held()
    } else {
        t.link_payment_recording()
    };
    // Looks again every few seconds until the payment's event has arrived.
    let refresh = if held {
        ""
    } else {
        "<meta http-equiv=\"refresh\" content=\"3\">"
    };
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!(
            "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{refresh}\
             <title>{}</title></head><body><p>{text}</p></body></html>",
            locale.tag(),
            t.site_name()
        ),
    )
        .into_response()
}

/// A JSON error body: a stable code and a sentence in the reader's language.
pub(super) fn json_error(status: StatusCode, code: &str, message: String) -> Response {
    (status, Json(json!({ "error": code, "message": message }))).into_response()
}

async fn checkout_json(
    State(state): State<PaymentsState>,
    Path(slug): Path<String>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let locale = Locale::from_headers(&headers);
    let client = client.map(|Extension(client)| client);
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json {
        return json_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            locale.words().checkout_bad_request().to_owned(),
        );
    }
    let request: GiftRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            // serde's words name the field and the problem (not a number, too large, missing).
            let message = format!("{} ({error})", locale.words().checkout_bad_request());
            return json_error(StatusCode::BAD_REQUEST, "invalid_request", message);
        }
    };
    let key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(key)) => Some(key),
        Some(Err(_)) => {
            let error = CheckoutError::BadKey;
            return json_error(error.status(), error.code(), error.message(locale));
        }
    };
    match start(&state, &slug, &request, key, &headers, client).await {
        Ok(started) => (StatusCode::OK, Json(started)).into_response(),
        Err(error) => checkout_refusal(&error, locale),
    }
}

/// The adopt form's fields. Amounts arrive as a preset's minor units or as typed text.
#[derive(Deserialize)]
struct GiftForm {
    artwork: String,
    currency: String,
    amount: Option<String>,
    custom_amount: Option<String>,
    display_name: Option<String>,
    anonymous: Option<String>,
    show_amount: Option<String>,
    message: Option<String>,
    email: Option<String>,
    updates: Option<String>,
    idempotency_key: Option<String>,
}

/// Posts from the artwork page: on success a 303 to the checkout; on a mistake, back to the
/// form with the reason (the page explains it in the reader's language).
async fn checkout_form(
    State(state): State<PaymentsState>,
    Path((slug, artwork)): Path<(String, String)>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let back = |code: &str| {
        let page = match (slug.parse::<Slug>(), artwork.parse::<Slug>()) {
            (Ok(s), Ok(a)) => format!("/campaigns/{s}/artworks/{a}"),
            _ => "/".to_owned(),
        };
        Redirect::to(&format!("{page}?error={code}#give")).into_response()
    };
    let Ok(form) = serde_urlencoded::from_bytes::<GiftForm>(&body) else {
        return back("amount_not_a_number");
    };
    let amount_minor = match form_amount(&form) {
        Ok(minor) => minor,
        Err(code) => return back(code),
    };
    let request = GiftRequest {
        artwork: form.artwork,
        amount_minor,
        currency: form.currency,
        display_name: form.display_name,
        anonymous: Some(form.anonymous.is_some()),
        show_amount: Some(form.show_amount.is_some()),
        message: form.message,
        email: form.email,
        updates: Some(form.updates.is_some()),
    };
    let key = form.idempotency_key.as_deref().filter(|k| !k.is_empty());
    let client = client.map(|Extension(client)| client);
    let mut started = start(&state, &slug, &request, key, &headers, client).await;
    if matches!(started, Err(CheckoutError::KeyReused)) {
        // The donor came back from the checkout and changed their gift: the page's key belongs
        // to the gift first asked for. The changed amount has a key of its own, so sending it
        // again reuses the checkout opened for it; any other change opens a new one.
        let changed = key.map(|key| format!("{key}-{amount_minor}"));
        started = start(
            &state,
            &slug,
            &request,
            changed.as_deref(),
            &headers,
            client,
        )
        .await;
        if matches!(started, Err(CheckoutError::KeyReused)) {
            started = start(&state, &slug, &request, None, &headers, client).await;
        }
    }
    match started {
        Ok(started) => Redirect::to(&started.checkout_url).into_response(),
        Err(CheckoutError::UnknownCampaign | CheckoutError::UnknownArtwork) => {
            StatusCode::NOT_FOUND.into_response()
        }
        Err(error) => back(error.code()),
    }
}

/// Starts the checkout a request asks for, in the visitor's language, crediting the share that
/// brought them if one did.
async fn start(
    state: &PaymentsState,
    slug: &str,
    request: &GiftRequest,
    key: Option<&str>,
    headers: &HeaderMap,
    client: Option<ClientAddress>,
) -> Result<checkout::CheckoutStarted, CheckoutError> {
    let locale = Locale::from_headers(headers);
    let referrer = ShareCode::from_headers(headers);
    checkout::start(
        &state.app,
        &state.payments,
        &state.limits,
        client,
        slug,
        request,
        key,
        locale,
        referrer.as_ref(),
    )
    .await
}

/// A refused checkout as JSON; one refused for its rate says when to try again.
fn checkout_refusal(error: &CheckoutError, locale: Locale) -> Response {
    let mut response = json_error(error.status(), error.code(), error.message(locale));
    if let CheckoutError::TooMany(wait) = error {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, wait.seconds().into());
    }
    response
}

/// The amount a form asked for, in minor units of the campaign's currency. An amount typed in
/// the "other" field wins over the preset still selected: without JavaScript, typing does not
/// move the radio button, and the donor means what they typed.
fn form_amount(form: &GiftForm) -> Result<i64, &'static str> {
    let typed = form
        .custom_amount
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match (form.amount.as_deref(), typed) {
        (Some(preset), None) if preset != "other" => {
            preset.parse().map_err(|_| "amount_not_a_number")
        }
        (_, typed) => {
            let currency = form.currency.parse().map_err(|_| "wrong_currency")?;
            Money::parse_major(typed.unwrap_or_default(), currency)
                .map(Money::minor)
                .map_err(|e| app::donations::GiftError::Amount(e).code())
        }
    }
}

/// `GET /api/campaigns/{slug}/account[?locale=zh-CN]`: the campaign's account as its public log
/// states it at the published checkpoint, readable from any site.
async fn account(
    State(state): State<PaymentsState>,
    Path(slug): Path<String>,
    Query(query): Query<AccountQuery>,
) -> Response {
    let not_found = || {
        json_error(
            StatusCode::NOT_FOUND,
            "unknown_campaign",
            "not found".to_owned(),
        )
    };
    let Ok(slug) = slug.parse::<Slug>() else {
        return not_found();
    };
    let locale = query
        .locale
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or_default();
    let db = &state.app.db;
    let (id, campaign) = match campaigns::find(db, &slug, locale).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(error) => return internal(error),
    };
    let size = match app::transparency::store::published(db, slug.as_str()).await {
        Ok(log) => log.map_or(0, |l| l.size),
        Err(error) => return internal(error),
    };
    match app::transparency::account::at_checkpoint(db, id, &campaign, size, locale).await {
        Ok(account) => {
            let headers = [
                (header::CACHE_CONTROL, "no-store"),
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            ];
            (headers, Json(account)).into_response()
        }
        Err(error) => internal(error),
    }
}

#[derive(Deserialize)]
struct AccountQuery {
    locale: Option<String>,
}

/// `GET /api/campaigns/{slug}/progress`, readable from any site (embeds use it).
async fn progress(State(state): State<PaymentsState>, Path(slug): Path<String>) -> Response {
    let Ok(slug) = slug.parse::<Slug>() else {
        return json_error(
            StatusCode::NOT_FOUND,
            "unknown_campaign",
            "not found".to_owned(),
        );
    };
    let db = &state.app.db;
    let found = match campaigns::find(db, &slug, Locale::En).await {
        Ok(found) => found,
        Err(error) => return internal(error),
    };
    let Some((id, campaign)) = found else {
        return json_error(
            StatusCode::NOT_FOUND,
            "unknown_campaign",
            "not found".to_owned(),
        );
    };
    match campaigns::progress(db, id, &campaign).await {
        Ok(p) => {
            let headers = [
                (header::CACHE_CONTROL, "no-store"),
                (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            ];
            (headers, Json(ProgressJson::from(&p))).into_response()
        }
        Err(error) => internal(error),
    }
}

pub(super) fn internal(error: anyhow::Error) -> Response {
    tracing::error!(error = format!("{error:#}"), "request failed");
    json_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        "internal error".to_owned(),
    )
}
