//! The staff area's gate: who may open `/staff` pages and call `/api/staff` functions, and the
//! check that every state-changing staff request comes from the site's own pages.

use app::error::AppError;
use app::staff::limits::ClientAddress;
use app::staff::session::StaffSession;
use app::staff::{page_needs, SIGN_IN_PATH};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use std::net::IpAddr;
use tower_sessions::Session;

/// The server function anyone may call: signing in.
const SIGN_IN_FUNCTION: &str = "/api/staff/sign-in";

/// The staff endpoints that are not pages or server functions.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/staff/campaigns/{slug}/donations.csv", get(export))
}

/// Streams a campaign's donations as CSV, with donor emails only for admins (the gate has let
/// only staff this far).
async fn export(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Extension(session): Extension<Session>,
) -> Result<Response, Response> {
    let internal = |error: anyhow::Error| {
        tracing::error!(error = format!("{error:#}"), "starting an export failed");
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    };
    let account = StaffSession::new(session)
        .account(&state.db)
        .await
        .map_err(internal)?
        .ok_or_else(|| StatusCode::UNAUTHORIZED.into_response())?;
    let slug: app::slug::Slug = slug
        .parse()
        .map_err(|_| StatusCode::NOT_FOUND.into_response())?;
    let campaign = state
        .live
        .campaign_id(&slug)
        .await
        .map_err(internal)?
        .ok_or_else(|| StatusCode::NOT_FOUND.into_response())?;
    let with_email = account.role == app::staff::Role::Admin;
    tracing::info!(staff = account.id.0, with_email, "donations exported");
    let chunks = app::staff::export::donations_csv(state.db.clone(), campaign, with_email);
    let body = Body::from_stream(futures_util::stream::unfold(
        chunks,
        |mut chunks| async move { chunks.recv().await.map(|chunk| (chunk, chunks)) },
    ));
    let disposition = format!("attachment; filename=\"{slug}-donations.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

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
