//! `POST /webhooks/stripe`: signed events from Stripe (or the demo checkout), applied to the
//! ledger exactly once.

use super::giving::json_error;
use super::PaymentsState;
use crate::payments::events;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

pub(super) fn routes() -> Router<PaymentsState> {
    Router::new().route("/webhooks/stripe", post(receive))
}

/// 200 once the event is applied (or was before, or is of no concern); 400 for anything
/// unsigned, mis-signed, stale or malformed; 500 when the database fails, so Stripe retries.
async fn receive(State(state): State<PaymentsState>, headers: HeaderMap, body: Bytes) -> Response {
    let Ok(payload) = std::str::from_utf8(&body) else {
        state.metrics.webhook("refused");
        return json_error(
            StatusCode::BAD_REQUEST,
            "malformed",
            "the payload is not UTF-8".to_owned(),
        );
    };
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    let event = match events::verify(payload, signature, state.payments.webhook_secrets()) {
        Ok(event) => event,
        Err(refused) => {
            tracing::warn!(reason = %refused, "webhook refused");
            state.metrics.webhook("refused");
            return json_error(StatusCode::BAD_REQUEST, "refused", refused.to_string());
        }
    };
    let mut event = event;
    let event_id = event.id.clone();
    // A payment through a Payment Link claims its donation first, or is held for staff.
    if let Err(error) =
        crate::payments::links::screen_event(&state.app.db, payload, &mut event).await
    {
        tracing::error!(event = %event_id, error = format!("{error:#}"), "screening a link payment failed");
        state.metrics.webhook("failed");
        return json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "storage_failed",
            "try again later".to_owned(),
        );
    }
    match state.app.ledger.apply(event).await {
        Ok(applied) => {
            let outcome = applied.as_str();
            state.metrics.webhook(outcome);
            (
                StatusCode::OK,
                Json(json!({ "received": true, "outcome": outcome })),
            )
                .into_response()
        }
        Err(error) => {
            tracing::error!(event = %event_id, error = format!("{error:#}"), "applying a webhook event failed");
            state.metrics.webhook("failed");
            json_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "storage_failed",
                "try again later".to_owned(),
            )
        }
    }
}
