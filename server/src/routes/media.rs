//! `GET /media/{file}`: stored images and recordings, cached by browsers for a year. A
//! recording's player asks for the part it needs (`Range: bytes=…`) to seek, and gets it.

use super::caching::{if_none_match, immutable};
use app::media::MediaKey;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/media/{file}", get(serve_media))
}

/// Serves a content-addressed file with a strong ETag; its name never changes meaning, so it is
/// immutable.
async fn serve_media(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(key) = MediaKey::parse(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", key.hash());
    let cache = immutable(&etag);
    if if_none_match(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, cache).into_response();
    }
    match tokio::fs::read(state.media.path(&key)).await {
        Ok(bytes) => {
            let content_type = [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(key.content_type()),
                ),
                (header::ACCEPT_RANGES, HeaderValue::from_static("bytes")),
            ];
            let asked = headers
                .get(header::RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|spec| byte_range(spec, bytes.len()));
            match asked {
                None => (content_type, cache, bytes).into_response(),
                Some(Some((first, last))) => {
                    let range = format!("bytes {first}-{last}/{}", bytes.len());
                    let part = bytes[first..=last].to_vec();
                    let range = [(header::CONTENT_RANGE, range)];
                    (
                        StatusCode::PARTIAL_CONTENT,
                        content_type,
                        range,
                        cache,
                        part,
                    )
                        .into_response()
                }
                Some(None) => {
                    let range = [(header::CONTENT_RANGE, format!("bytes */{}", bytes.len()))];
                    (StatusCode::RANGE_NOT_SATISFIABLE, range).into_response()
                }
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            StatusCode::NOT_FOUND.into_response()
        }
        Err(error) => {
            tracing::error!(%error, "reading a media file");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The one byte range `spec` (a `Range` header's value) asks of a file of `len` bytes: `None` to
/// send the whole file (no single range in a form we read, as RFC 9110 allows), `Some(None)`
/// when the range starts past the end, else its first and last byte.
fn byte_range(spec: &str, len: usize) -> Option<Option<(usize, usize)>> {
    let (first, last) = spec.strip_prefix("bytes=")?.trim().split_once('-')?;
    let number = |text: &str| -> Option<usize> {
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?
    };
    let range = match (first, last) {
        ("", suffix) => {
            let suffix = number(suffix)?;
            (suffix > 0 && len > 0).then(|| (len - suffix.min(len), len - 1))
        }
        (first, "") => {
            let first = number(first)?;
            (first < len).then(|| (first, len - 1))
        }
        (first, last) => {
            let (first, last) = (number(first)?, number(last)?);
            if last < first {
                return None;
            }
            (first < len).then(|| (first, last.min(len - 1)))
        }
    };
    Some(range)
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn a_single_byte_range_is_read_as_rfc_9110_says() {
        assert_eq!(byte_range("bytes=0-99", 1000), Some(Some((0, 99))));
        assert_eq!(byte_range("bytes=900-", 1000), Some(Some((900, 999))));
        assert_eq!(byte_range("bytes=-100", 1000), Some(Some((900, 999))));
        assert_eq!(byte_range("bytes=-5000", 1000), Some(Some((0, 999))));
        assert_eq!(byte_range("bytes=990-2000", 1000), Some(Some((990, 999))));
        // Past the end: unsatisfiable.
        assert_eq!(byte_range("bytes=1000-", 1000), Some(None));
        assert_eq!(byte_range("bytes=-0", 1000), Some(None));
        // Not a single range we read: the whole file.
        for whole in [
            "bytes=0-9,20-29",
            "items=0-9",
            "bytes=9-0",
            "bytes=a-b",
            "bytes=-",
            "bytes=+1-2",
        ] {
            assert_eq!(byte_range(whole, 1000), None, "{whole}");
        }
    }
}
