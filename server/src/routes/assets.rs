//! `GET /pkg/…`: the built JS, wasm and CSS. Files whose names carry their content hash (a
//! release build) are kept by browsers for good and never asked for again; each is sent as the
//! brotli or gzip file compressed at build time when the browser accepts one.

use super::caching::{if_none_match, immutable};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::path::Path;
use tower_http::services::ServeDir;

pub(super) fn routes<S: Clone + Send + Sync + 'static>(site_root: &Path) -> Router<S> {
    let files = ServeDir::new(site_root.join(app::site::PKG_DIR))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{}", app::site::PKG_DIR), files)
        .layer(axum::middleware::from_fn(cache_headers))
}

/// Every answer may differ by the encodings the browser accepts (`Vary`, for caches between).
/// Hashed names: a weak ETag (the same content in every encoding), a year's caching and a 304
/// without touching the disk. Other names (a debug build): browsers revalidate each time and
/// get a 304 for an unchanged file (`Last-Modified`, answered by `ServeDir`).
async fn cache_headers(request: Request, next: Next) -> Response {
    let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
    let Some(hash) = content_hash(request.uri().path()).map(str::to_owned) else {
        let mut response = next.run(request).await;
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(vary.0, vary.1);
        return response;
    };
    let etag = format!("W/\"{hash}\"");
    if if_none_match(request.headers(), &etag) {
        return (StatusCode::NOT_MODIFIED, [vary], immutable(&etag)).into_response();
    }
    let mut response = next.run(request).await;
    response.headers_mut().insert(vary.0, vary.1);
    if response.status().is_success() {
        let headers = response.headers_mut();
        for (name, value) in immutable(&etag) {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
    }
    response
}

/// The content hash in a built file's name: cargo-leptos names them `name.<hash>.ext` (split
/// wasm chunks too), the hash being 22 characters of URL-safe base64 (an MD5).
fn content_hash(path: &str) -> Option<&str> {
    let file = path.rsplit('/').next()?;
    let mut parts = file.split('.');
    parts.next_back()?;
    parts.next()?;
    parts.find(|part| looks_like_hash(part))
}

fn looks_like_hash(part: &str) -> bool {
    part.len() == 22
        && part.bytes().any(|b| b != b'_')
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::content_hash;

    #[test]
    fn only_names_with_a_content_hash_are_immutable() {
        let hash = "AbCdEfGhIjKlMnOpQrStUv";
        assert_eq!(
            content_hash(&format!("/pkg/giving-gallery.{hash}.wasm")),
            Some(hash)
        );
        assert_eq!(
            content_hash(&format!("/pkg/chunk_9.{hash}.wasm")),
            Some(hash)
        );
        assert_eq!(content_hash("/pkg/giving-gallery.wasm"), None);
        assert_eq!(content_hash("/pkg/giving-gallery.css"), None);
        assert_eq!(content_hash("/pkg/giving-galleryXXXXXXXX.css"), None);
        // The loader's name before hashing replaces its placeholder.
        assert_eq!(
            content_hash("/pkg/__wasm_split.______________________.js"),
            None
        );
    }
}
