//! The staff area's gate: who may open `/staff` pages and call `/api/staff` functions, and the
//! check that every state-changing staff request comes from the site's own pages.

use app::error::AppError;
use app::staff::limits::ClientAddress;
use app::staff::session::StaffSession;
use app::staff::{page_needs, SIGN_IN_PATH};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::IpAddr;
use tower_sessions::Session;

/// The server function anyone may call: signing in.
const SIGN_IN_FUNCTION: &str = "/api/staff/sign-in";

/// What the gate needs beside the site's state.
#[derive(Clone, Debug)]
pub struct Gate {
    pub app: AppState,
    /// Whether a proxy in front says who the client is (`X-Forwarded-For`).
    pub trust_forwarded_for: bool,
}

/// Lets a staff request through only when it may go: anonymous visitors are sent to sign in
/// (pages) or answered 401 (functions); cross-site writes are refused with 403. Every other
/// request passes untouched.
pub(super) async fn gate(State(gate): State<Gate>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let page = path == "/staff" || path.starts_with("/staff/");
    let function = path.starts_with("/api/staff/");
    if !page && !function {
        return next.run(request).await;
    }
    if !is_safe(request.method()) && !same_origin(request.headers(), &gate.app) {
        tracing::warn!("a cross-site staff request was refused");
        return refusal(StatusCode::FORBIDDEN, AppError::Forbidden, function);
    }
    if gate.trust_forwarded_for {
        if let Some(address) = forwarded_for(request.headers()) {
            request.extensions_mut().insert(ClientAddress(address));
        }
    }
    let needs = if page {
        page_needs(&path)
    } else {
        (path != SIGN_IN_FUNCTION).then_some(app::staff::Role::Viewer)
    };
    let Some(needs) = needs else {
        return next.run(request).await;
    };
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        tracing::error!("the session layer is missing");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let session = StaffSession::new(session);
    let account = match session.account(&gate.app.db).await {
        Ok(account) => account,
        Err(error) => {
            tracing::error!(
                error = format!("{error:#}"),
                "reading a staff session failed"
            );
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match account {
        None if page => {
            let back = request
                .uri()
                .path_and_query()
                .map_or("/staff", |p| p.as_str());
            Redirect::to(&format!("{SIGN_IN_PATH}?next={}", encode(back))).into_response()
        }
        None => refusal(StatusCode::UNAUTHORIZED, AppError::SignInRequired, true),
        Some(account) if !account.role.allows(needs) => {
            refusal(StatusCode::FORBIDDEN, AppError::Forbidden, function)
        }
        Some(_) => {
            session.touch();
            next.run(request).await
        }
    }
}

/// A refusal: the error as a server function's JSON body for functions, text for pages.
fn refusal(status: StatusCode, error: AppError, json: bool) -> Response {
    if json {
        let body = serde_json::to_string(&error).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (status, error.to_string()).into_response()
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a request comes from the site's own pages: its `Origin` is the site's public URL or
/// the host it was sent to; without an `Origin`, the browser's `Sec-Fetch-Site` must say so.
/// A request that tells neither is refused.
fn same_origin(headers: &HeaderMap, app: &AppState) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match text(header::ORIGIN.as_str()) {
        Some(origin) => {
            let site = app.site.as_str();
            let site_origin = site.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
            let host = origin.split_once("://").map(|(_, host)| host);
            origin == site_origin || (host.is_some() && host == text(header::HOST.as_str()))
        }
        None => matches!(text("sec-fetch-site"), Some("same-origin" | "none")),
    }
}

/// The client's address as the nearest proxy saw it: the last entry of `X-Forwarded-For`.
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last()
        .and_then(|a| a.trim().parse().ok())
}

/// Percent-encodes a path for the `next` query value.
fn encode(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_forwarded_address_is_the_one_a_trusted_proxy_saw() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 10.0.0.7".parse().expect("header"),
        );
        assert_eq!(forwarded_for(&headers), "10.0.0.7".parse().ok());
        headers.insert("x-forwarded-for", "not an address".parse().expect("header"));
        assert_eq!(forwarded_for(&headers), None);
    }

    #[test]
    fn next_paths_are_encoded() {
        assert_eq!(
            encode("/staff/campaigns/x?a=b&c"),
            "/staff/campaigns/x%3Fa%3Db%26c"
        );
    }
}
