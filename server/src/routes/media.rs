//! `GET /media/{file}`: stored images, recordings and films, cached by browsers for a year. A
//! player asks for the part it needs (`Range: bytes=…`) to seek, and gets it; a large file goes
//! out a chunk at a time, never whole in memory.

use super::caching::{if_none_match, immutable};
use app::media::MediaKey;
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/media/{file}", get(serve_media))
}

/// Files, and parts of files, up to this size are read whole; larger ones go out in chunks of
/// it, so a film costs the server a chunk of memory per request, not its size.
const CHUNK: u64 = 256 * 1024;

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
    let opened = async {
        let file = tokio::fs::File::open(state.media.path(&key)).await?;
        let len = file.metadata().await?.len();
        Ok::<_, std::io::Error>((file, len))
    };
    let (mut file, len) = match opened.await {
        Ok(opened) => opened,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return StatusCode::NOT_FOUND.into_response()
        }
        Err(error) => return unreadable(&error),
    };
    let asked = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|spec| byte_range(spec, len));
    let (status, first, last) = match asked {
        None if len == 0 => return (kind(&key), cache).into_response(),
        None => (StatusCode::OK, 0, len - 1),
        Some(Some((first, last))) => (StatusCode::PARTIAL_CONTENT, first, last),
        Some(None) => {
            let range = [(header::CONTENT_RANGE, format!("bytes */{len}"))];
            return (StatusCode::RANGE_NOT_SATISFIABLE, range).into_response();
        }
    };
    let count = last - first + 1;
    if first > 0 {
        if let Err(error) = file.seek(std::io::SeekFrom::Start(first)).await {
            return unreadable(&error);
        }
    }
    let body = if count <= CHUNK {
        let mut bytes = vec![0; count as usize];
        if let Err(error) = file.read_exact(&mut bytes).await {
            return unreadable(&error);
        }
        Body::from(bytes)
    } else {
        Body::from_stream(chunks(file, count))
    };
    let length = [(header::CONTENT_LENGTH, count.to_string())];
    if status == StatusCode::PARTIAL_CONTENT {
        let range = [(header::CONTENT_RANGE, format!("bytes {first}-{last}/{len}"))];
        (status, kind(&key), range, length, cache, body).into_response()
    } else {
        (kind(&key), length, cache, body).into_response()
    }
}

/// A file's type, and that its parts may be asked for.
fn kind(key: &MediaKey) -> [(header::HeaderName, HeaderValue); 2] {
    [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(key.content_type()),
        ),
        (header::ACCEPT_RANGES, HeaderValue::from_static("bytes")),
    ]
}

/// `count` bytes of `file` from where it stands, a chunk at a time.
fn chunks(
    file: tokio::fs::File,
    count: u64,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> {
    futures_util::stream::unfold((file, count), |(mut file, left)| async move {
        if left == 0 {
            return None;
        }
        let mut chunk = vec![0; left.min(CHUNK) as usize];
        match file.read_exact(&mut chunk).await {
            Ok(_) => Some((Ok(Bytes::from(chunk)), (file, left - left.min(CHUNK)))),
            Err(error) => Some((Err(error), (file, 0))),
        }
    })
}

fn unreadable(error: &std::io::Error) -> Response {
    tracing::error!(%error, "reading a media file");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// The one byte range `spec` (a `Range` header's value) asks of a file of `len` bytes: `None` to
/// send the whole file (no single range in a form we read, as RFC 9110 allows), `Some(None)`
/// when the range starts past the end, else its first and last byte.
fn byte_range(spec: &str, len: u64) -> Option<Option<(u64, u64)>> {
    let (first, last) = spec.strip_prefix("bytes=")?.trim().split_once('-')?;
    let number = |text: &str| -> Option<u64> {
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
