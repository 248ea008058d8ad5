//! Server functions answer every failure with 500; this gives each the status its `AppError`
//! names (400 for bad arguments, 404 for what does not exist), in one place.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The header leptos puts on a server function's error response.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// Error bodies are a small JSON value; anything larger is not ours to read.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Rewrites the status of a server function's error response to the one its error names.
pub(super) async fn status_from_app_error(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}
