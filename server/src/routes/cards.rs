//! `GET /cards/{code}/{kind}-{key}.jpg`: a gift's certificate and link preview. The key names
//! what the card shows, so each address is cached forever; `GET /cards/{code}/{kind}.jpg` (and a
//! key that is out of date, or a `.png` address from before cards were JPEGs, still in chat
//! histories) redirects to the card as it is now.

use super::caching::{if_none_match, immutable};
use app::cards::render::{CardKey, CardKind};
use app::ids::ShareCode;
use app::sharing::cards::{card_path, CardSource};
use app::sharing::store::find_paid;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/cards/{code}/{file}", get(serve_card))
}

/// Serves a stored card, renders it on first request, or redirects to the current one.
async fn serve_card(
    State(state): State<AppState>,
    Path((code, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (Some(code), Some((kind, key))) = (ShareCode::parse(&code), parse_file(&file)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match card(&state, &code, kind, key.as_ref(), &headers).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "serving a card");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn card(
    state: &AppState,
    code: &ShareCode,
    kind: CardKind,
    key: Option<&CardKey>,
    headers: &HeaderMap,
) -> anyhow::Result<Response> {
    // A card rendered before is served as stored: its name says what it shows.
    if let Some(key) = key {
        let etag = format!("\"{}\"", key.as_str());
        if let Some(bytes) = state.cards.stored(key).await? {
            if if_none_match(headers, &etag) {
                return Ok((StatusCode::NOT_MODIFIED, immutable(&etag)).into_response());
            }
            return Ok(jpeg(bytes, &etag));
        }
    }
    let Some(gift) = find_paid(&state.db, code).await? else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let card = CardSource::load(state, &gift).await?.card(kind);
    let current = card.key()?;
    if key != Some(&current) {
        let location = HeaderValue::from_str(&card_path(code, kind, &current))?;
        return Ok((
            StatusCode::FOUND,
            [
                (header::LOCATION, location),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
        )
            .into_response());
    }
    let bytes = state.cards.get(&card).await?;
    Ok(jpeg(bytes, &format!("\"{}\"", current.as_str())))
}

fn jpeg(bytes: Vec<u8>, etag: &str) -> Response {
    (
        [(header::CONTENT_TYPE, "image/jpeg")],
        immutable(etag),
        bytes,
    )
        .into_response()
}

/// `certificate-0123456789abcdef.jpg` or `preview.jpg`. A `.png` name is read without its key,
/// so it leads to the current JPEG.
fn parse_file(file: &str) -> Option<(CardKind, Option<CardKey>)> {
    let (stem, current) = match file.strip_suffix(".jpg") {
        Some(stem) => (stem, true),
        None => (file.strip_suffix(".png")?, false),
    };
    match stem.split_once('-') {
        Some((kind, key)) => Some((
            CardKind::parse(kind)?,
            Some(CardKey::parse(key)?).filter(|_| current),
        )),
        None => Some((CardKind::parse(stem)?, None)),
    }
}
