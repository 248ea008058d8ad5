//! The public log over HTTP: checkpoints, tiles and entry bundles (c2sp.org/tlog-tiles) under
//! `/campaigns/{slug}/log/`, the log's public key, consistency proofs, and each donor's receipt
//! and proof file.

use app::ids::DonationId;
use app::state::AppState;
use app::transparency::entry::{decimal, MAX_ENTRY_BYTES};
use app::transparency::integrator::origin_for;
use app::transparency::tiles::parse_tile_path;
use app::transparency::{receipt, store, tree};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{slug}/log/checkpoint", get(checkpoint))
        .route("/campaigns/{slug}/log/key", get(key))
        .route("/campaigns/{slug}/log/tile/{*tile}", get(tile))
        .route("/campaigns/{slug}/log/consistency", get(consistency))
        .route(
            "/campaigns/{slug}/log/gifts/{certificate}/{commitment}",
            get(gift_proof),
        )
        .route("/donations/{id}/proof.tlog-proof", get(donation_proof))
        .route("/api/donations/{id}/receipt", get(donation_receipt))
}

const TEXT: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");
const PROOF: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");
const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
const FOREVER: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const AN_HOUR: HeaderValue = HeaderValue::from_static("public, max-age=3600");

fn internal(error: anyhow::Error) -> Response {
    tracing::error!(error = format!("{error:#}"), "serving the public log");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

fn refuse(status: StatusCode, why: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, TEXT)], format!("{why}\n")).into_response()
}

/// The campaign's log, or the answer to give when it has none.
async fn published(state: &AppState, slug: &str) -> Result<store::PublishedLog, Response> {
    match store::published(&state.db, slug).await {
        Ok(Some(log)) => Ok(log),
        Ok(None) => Err(refuse(StatusCode::NOT_FOUND, "no such log (yet)")),
        Err(error) => Err(internal(error)),
    }
}

/// The latest signed checkpoint.
async fn checkpoint(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    match published(&state, &slug).await {
        Ok(log) => (
            [
                (header::CONTENT_TYPE, TEXT),
                (header::CACHE_CONTROL, NO_CACHE),
            ],
            log.checkpoint,
        )
            .into_response(),
        Err(response) => response,
    }
}

/// The log's verifier key (signed-note form), for anyone who checks its checkpoints.
async fn key(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    let origin = match origin_for(&state.db, &state.site, &slug).await {
        Ok(Some(origin)) => origin,
        Ok(None) => return refuse(StatusCode::NOT_FOUND, "no such log (yet)"),
        Err(error) => return internal(error),
    };
    (
        [
            (header::CONTENT_TYPE, TEXT),
            (header::CACHE_CONTROL, AN_HOUR),
        ],
        format!("{}\n", state.log_keys.signer(&origin).vkey()),
    )
        .into_response()
}

/// A tile of hashes or a bundle of entries. Full tiles never change; a partial one of a given
/// width neither, but a wider one will follow.
async fn tile(
    State(state): State<AppState>,
    Path((slug, path)): Path<(String, String)>,
) -> Response {
    let Some(tile) = parse_tile_path(&path) else {
        return refuse(StatusCode::NOT_FOUND, "not a tile path");
    };
    let log = match published(&state, &slug).await {
        Ok(log) => log,
        Err(response) => return response,
    };
    let cache = if tile.width == tree::TILE_WIDTH {
        FOREVER
    } else {
        AN_HOUR
    };
    let body = match tile.level {
        Some(level) => {
            match tree::tile(&state.db, log.campaign, log.size, level, tile.n, tile.width).await {
                Ok(Some(data)) => data,
                Ok(None) => return refuse(StatusCode::NOT_FOUND, "beyond the log"),
                Err(error) => return internal(error),
            }
        }
        None => {
            let start = tile.n.saturating_mul(tree::TILE_WIDTH);
            let end = start.saturating_add(tile.width);
            if end > log.size {
                return refuse(StatusCode::NOT_FOUND, "beyond the log");
            }
            match store::bodies(&state.db, log.campaign, start, end).await {
                Ok(bodies) if bodies.len() as u64 == tile.width => {
                    let mut data = Vec::with_capacity(bodies.len() * 240);
                    for body in bodies {
                        debug_assert!(body.len() <= MAX_ENTRY_BYTES);
                        data.extend_from_slice(&(body.len() as u16).to_be_bytes());
                        data.extend_from_slice(body.as_bytes());
                    }
                    data
                }
                Ok(_) => return internal(anyhow::anyhow!("the log is missing entries")),
                Err(error) => return internal(error),
            }
        }
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct Sizes {
    old: Option<String>,
    new: Option<String>,
}

/// `?old=A&new=B`: the RFC 9162 consistency proof between two sizes, a base64 hash a line.
async fn consistency(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(sizes): Query<Sizes>,
) -> Response {
    let log = match published(&state, &slug).await {
        Ok(log) => log,
        Err(response) => return response,
    };
    let (Some(old), Some(new)) = (
        sizes.old.as_deref().and_then(decimal),
        sizes.new.as_deref().and_then(decimal),
    ) else {
        return refuse(StatusCode::BAD_REQUEST, "give old and new as whole numbers");
    };
    if old == 0 || old > new || new > log.size {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "need 0 < old <= new <= the log's size",
        );
    }
    match tree::consistency_proof(&state.db, log.campaign, old, new).await {
        Ok(proof) => {
            let text: String = proof
                .iter()
                .map(|h| format!("{}\n", base64::engine::general_purpose::STANDARD.encode(h)))
                .collect();
            (
                [
                    (header::CONTENT_TYPE, TEXT),
                    (header::CACHE_CONTROL, FOREVER),
                ],
                text,
            )
                .into_response()
        }
        Err(error) => internal(error),
    }
}

/// The proof file of the gift with this certificate number, if its commitment is the one given
/// (the donor computes it from the certificate number and their verification code).
async fn gift_proof(
    State(state): State<AppState>,
    Path((slug, certificate, commitment)): Path<(String, String, String)>,
) -> Response {
    let Some(certificate) = decimal(&certificate).and_then(|n| i64::try_from(n).ok()) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "a certificate number is a whole number",
        );
    };
    if commitment.len() != 64
        || !commitment
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return refuse(
            StatusCode::BAD_REQUEST,
            "a commitment is 64 lowercase hex digits",
        );
    }
    let log = match published(&state, &slug).await {
        Ok(log) => log,
        Err(response) => return response,
    };
    let found =
        match store::gift_by_commitment(&state.db, log.campaign, certificate, &commitment).await {
            Ok(Some(found)) => found,
            Ok(None) => {
                return refuse(
                    StatusCode::NOT_FOUND,
                    "no gift with this certificate number and commitment",
                )
            }
            Err(error) => return internal(error),
        };
    proof_response(receipt::proof_of(&state.db, log.campaign, found.0 as u64, found.1).await)
}

fn proof_response(proof: anyhow::Result<Option<app::transparency::proof::ProofFile>>) -> Response {
    match proof {
        Ok(Some(proof)) => (
            [
                (header::CONTENT_TYPE, PROOF),
                (header::CACHE_CONTROL, NO_CACHE),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment; filename=\"gift.tlog-proof\""),
                ),
            ],
            proof.to_text(),
        )
            .into_response(),
        Ok(None) => refuse(StatusCode::NOT_FOUND, "not in a signed checkpoint yet"),
        Err(error) => internal(error),
    }
}

/// The donor's proof file: their gift's entry, its inclusion proof and the latest checkpoint.
async fn donation_proof(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Some(id) = DonationId::parse(&id) else {
        return refuse(StatusCode::NOT_FOUND, "no such donation");
    };
    proof_response(receipt::donation_proof(&state.db, &id).await)
}

/// Where a donation stands in the public log, as JSON.
async fn donation_receipt(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let Some(id) = DonationId::parse(&id) else {
        return refuse(StatusCode::NOT_FOUND, "no such donation");
    };
    match receipt::receipt(&state.db, &id).await {
        Ok(Some(receipt)) => ([(header::CACHE_CONTROL, NO_CACHE)], Json(receipt)).into_response(),
        Ok(None) => refuse(StatusCode::NOT_FOUND, "no such donation"),
        Err(error) => internal(error),
    }
}
