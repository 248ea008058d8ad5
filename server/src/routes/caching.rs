//! HTTP caching for files whose names never change meaning (media and cards).

use axum::http::{header, HeaderMap, HeaderName};

/// Headers for a response that browsers and CDNs may keep for a year without asking again.
pub(super) fn immutable(etag: &str) -> [(HeaderName, String); 2] {
    [
        (header::ETAG, etag.to_owned()),
        (
            header::CACHE_CONTROL,
            "public, max-age=31536000, immutable".to_owned(),
        ),
    ]
}

/// Whether the request's `If-None-Match` already names `etag`.
pub(super) fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|candidate| candidate == etag || candidate == "*" || candidate == format!("W/{etag}"))
}
