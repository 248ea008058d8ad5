//! `GET /campaigns/{slug}/expenses/{id}/documents/{sha256}.{ext}`: the public copy of a paid
//! expense's document. Every copy is served sandboxed and never sniffed; a PDF with active
//! content only as a download of an opaque type.

use app::spending::document::{Document, Format};
use app::spending::documents::{self, DocumentFiles};
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/campaigns/{slug}/expenses/{id}/documents/{file}",
        get(public_copy),
    )
}

async fn public_copy(
    State(state): State<AppState>,
    Path((slug, id, file)): Path<(String, String, String)>,
) -> Response {
    let Ok(slug) = slug.parse::<app::slug::Slug>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let campaign = match state.live.campaign_id(&slug).await {
        Ok(Some(campaign)) => campaign,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(&error),
    };
    serve(&state, campaign, &id, &file, false, "public, max-age=86400").await
}

/// Serves the copy of a document of expense `id` of `campaign` that `file`
/// (`{sha256}.{extension}`) names: the public one, only for a paid expense, or the original.
pub(super) async fn serve(
    state: &AppState,
    campaign: app::ids::CampaignId,
    id: &str,
    file: &str,
    original: bool,
    cache: &'static str,
) -> Response {
    let (Ok(id), Some((sha256, extension))) = (id.parse::<i64>(), file.split_once('.')) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let hex = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let Some(format) = Format::parse(extension).filter(|_| hex) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let found = match documents::find(&state.db, campaign, id, sha256, original).await {
        Ok(Some(found)) if found.format == format => found,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(&error),
    };
    let files = match DocumentFiles::open(&state.media) {
        Ok(files) => files,
        Err(error) => return internal(&error),
    };
    match files.read(sha256, format) {
        Ok(bytes) => response(&found, id, bytes, original, cache),
        Err(error) => internal(&error),
    }
}

/// A document's bytes with headers that keep a browser from running or sniffing anything in
/// it: an original, or a PDF with active content, only as an `application/octet-stream`
/// download.
fn response(
    document: &Document,
    expense: i64,
    bytes: Vec<u8>,
    original: bool,
    cache: &'static str,
) -> Response {
    let name = format!(
        "expense-{expense}-{}.{}",
        document.kind.as_str(),
        document.format.extension()
    );
    if original || document.active_content {
        return download(&name, bytes, cache);
    }
    let content_type = HeaderValue::from_static(document.format.content_type());
    sandboxed(
        content_type,
        &format!("inline; filename=\"{name}\""),
        bytes,
        cache,
    )
}

/// A file only as a download of an opaque type, named `name`.
pub(super) fn download(name: &str, bytes: Vec<u8>, cache: &'static str) -> Response {
    let content_type = HeaderValue::from_static("application/octet-stream");
    sandboxed(
        content_type,
        &format!("attachment; filename=\"{name}\""),
        bytes,
        cache,
    )
}

/// A file with headers that keep a browser from running or sniffing anything in it.
fn sandboxed(
    content_type: HeaderValue,
    disposition: &str,
    bytes: Vec<u8>,
    cache: &'static str,
) -> Response {
    let disposition =
        HeaderValue::from_str(disposition).unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("sandbox; default-src 'none'"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        bytes,
    )
        .into_response()
}

fn internal(error: &anyhow::Error) -> Response {
    tracing::error!(error = %format!("{error:#}"), "serving an expense document");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}
