//! The landing pages (`/` and `/campaigns/{slug}`), rendered at most once a second per page and
//! language and served from memory in between: what a QR code on a billboard brings all at once.
//! The totals a cached page shows are never more than a second old (and the live stream brings
//! them up to date once the page runs). Each answer still carries its own CSP nonce: the one the
//! cached page was rendered with is replaced by the request's.
//!
//! Whatever staff change (a campaign's words, an artwork published or moved, a message approved)
//! empties this instance's cache as soon as it is saved; other instances show it within the
//! second.
//!
//! Only anonymous visitors are served from the cache: a request with any cookie but the language
//! cookie (a staff session) is rendered as usual. Only complete `200` HTML answers that set no
//! cookie are kept, one per campaign page and language that exists.

use super::security::CspNonce;
use app::i18n::{Locale, LOCALE_COOKIE};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// How long a rendered page is served before it is rendered again.
const FRESH_FOR: Duration = Duration::from_secs(1);
/// Pages kept at most (campaign pages times languages).
const MAX_PAGES: usize = 512;
/// The largest page kept; a landing page is about a tenth of this.
const MAX_BYTES: usize = 2 * 1024 * 1024;

#[derive(Clone, Debug, Default)]
pub struct PageCache {
    slots: Arc<Mutex<HashMap<(String, Locale), Arc<Slot>>>>,
}

#[derive(Debug, Default)]
struct Slot {
    page: RwLock<Option<Arc<Page>>>,
    /// Held while the page is rendered, so a burst renders it once.
    rendering: tokio::sync::Mutex<()>,
}

#[derive(Debug)]
struct Page {
    rendered: Instant,
    headers: HeaderMap,
    html: String,
    nonce: String,
}

impl Slot {
    fn fresh(&self) -> Option<Arc<Page>> {
        let page = self.page.read().unwrap_or_else(PoisonError::into_inner);
        page.clone().filter(|p| p.rendered.elapsed() < FRESH_FOR)
    }
}

impl Page {
    fn answer(&self, nonce: &str) -> Response {
        let html = self.html.replace(&self.nonce, nonce);
        let mut response = Body::from(html).into_response();
        *response.headers_mut() = self.headers.clone();
        response
    }
}

impl PageCache {
    fn forget_if_empty(&self, key: &(String, Locale), slot: &Slot) {
        let empty = slot
            .page
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .is_none();
        if empty {
            self.slots
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(key);
        }
    }

    fn clear(&self) {
        self.slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    fn slot(&self, key: (String, Locale)) -> Option<Arc<Slot>> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        if !slots.contains_key(&key) && slots.len() >= MAX_PAGES {
            return None;
        }
        Some(slots.entry(key).or_default().clone())
    }
}

/// Serves a landing page from the cache, rendering it when it is missing or a second old.
pub(super) async fn serve(
    State(cache): State<PageCache>,
    request: Request,
    next: Next,
) -> Response {
    if staff_change(&request) {
        let response = next.run(request).await;
        cache.clear();
        return response;
    }
    let Some((key, nonce)) = cacheable(&request) else {
        return next.run(request).await;
    };
    let Some(slot) = cache.slot(key.clone()) else {
        return next.run(request).await;
    };
    if let Some(page) = slot.fresh() {
        return page.answer(&nonce);
    }
    let _rendering = slot.rendering.lock().await;
    if let Some(page) = slot.fresh() {
        return page.answer(&nonce);
    }
    let response = next.run(request).await;
    let keep = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    if !keep {
        // No such campaign (a 404), say: its place goes, so made-up addresses cannot fill the
        // cache and keep real pages out.
        cache.forget_if_empty(&key, &slot);
        return response;
    }
    let (parts, body) = response.into_parts();
    let html = match axum::body::to_bytes(body, MAX_BYTES).await {
        Ok(bytes) => String::from_utf8(bytes.to_vec()),
        Err(error) => {
            tracing::error!(%error, "reading a landing page to cache");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Ok(html) = html else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    let page = Arc::new(Page {
        rendered: Instant::now(),
        headers,
        html,
        nonce: nonce.clone(),
    });
    *slot.page.write().unwrap_or_else(PoisonError::into_inner) = Some(page.clone());
    page.answer(&nonce)
}

/// A staff form or server function that may change what a landing page (or a checkout) reads.
pub(super) fn staff_change(request: &Request) -> bool {
    let path = request.uri().path();
    let write = !matches!(*request.method(), Method::GET | Method::HEAD);
    write && (path.starts_with("/api/staff/") || path.starts_with("/staff/"))
}

/// The page and language of a request the cache may answer, with the request's nonce.
fn cacheable(request: &Request) -> Option<((String, Locale), String)> {
    if request.method() != Method::GET || request.uri().query().is_some() {
        return None;
    }
    let path = request.uri().path();
    let landing = path == "/"
        || path
            .strip_prefix("/campaigns/")
            .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'));
    if !landing {
        return None;
    }
    let cookies = request
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok());
    let anonymous = cookies.is_none_or(|all| {
        all.split(';')
            .filter_map(|c| c.split_once('=').map(|(name, _)| name.trim()))
            .all(|name| name == LOCALE_COOKIE)
    });
    if !anonymous {
        return None;
    }
    let nonce = request.extensions().get::<CspNonce>()?.0.clone();
    if nonce.is_empty() {
        return None;
    }
    let locale = Locale::from_headers(request.headers());
    Some(((path.to_owned(), locale), nonce))
}

#[cfg(test)]
mod tests {
    use super::{serve, PageCache, MAX_PAGES};
    use crate::routes::security::CspNonce;
    use axum::body::Body;
    use axum::extract::{Path, Request};
    use axum::http::StatusCode;
    use axum::middleware::{from_fn, from_fn_with_state, Next};
    use axum::response::{Html, IntoResponse};
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    fn slots(cache: &PageCache) -> usize {
        cache
            .slots
            .lock()
            .map(|slots| slots.len())
            .unwrap_or_default()
    }

    /// Made-up campaign addresses leave nothing behind, so they cannot crowd real pages out.
    #[tokio::test]
    async fn only_pages_that_exist_are_kept() {
        let cache = PageCache::default();
        let site = Router::new()
            .route(
                "/campaigns/{slug}",
                get(|Path(slug): Path<String>| async move {
                    if slug == "real" {
                        Html("<p>a campaign</p>").into_response()
                    } else {
                        StatusCode::NOT_FOUND.into_response()
                    }
                }),
            )
            .layer(from_fn_with_state(cache.clone(), serve))
            .layer(from_fn(|mut request: Request, next: Next| async move {
                request.extensions_mut().insert(CspNonce("0".repeat(32)));
                next.run(request).await
            }));
        let status = |path: String| {
            let site = site.clone();
            async move {
                let request = Request::get(path).body(Body::empty()).expect("a request");
                site.oneshot(request).await.expect("an answer").status()
            }
        };
        for n in 0..MAX_PAGES + 10 {
            assert_eq!(status(format!("/campaigns/made-up-{n}")).await, 404);
        }
        assert_eq!(slots(&cache), 0);
        assert_eq!(status("/campaigns/real".to_owned()).await, 200);
        assert_eq!(slots(&cache), 1);
    }
}
