//! Live progress over HTTP: `GET /api/campaigns/{slug}/events` (Server-Sent Events) and the
//! embeddable widget `GET /embed/campaigns/{slug}`.

use super::giving::json_error;
use super::security::CspNonce;
use app::i18n::{fill, Locale};
use app::ids::CampaignId;
use app::live::hub::{Publication, Viewing};
use app::slug::Slug;
use app::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use futures_util::stream::{self, Stream, StreamExt};
use html_escape::encode_double_quoted_attribute as escape;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// A comment line this often keeps proxies from closing a quiet stream.
const HEARTBEAT: Duration = Duration::from_secs(15);

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/campaigns/{slug}/events", get(events))
        .route("/embed/campaigns/{slug}", get(embed))
}

/// The campaign a path names, from the hub's memory after the first time.
async fn campaign(state: &AppState, slug: &str) -> Result<CampaignId, Response> {
    let not_found = || {
        json_error(
            StatusCode::NOT_FOUND,
            "unknown_campaign",
            "not found".to_owned(),
        )
    };
    let slug: Slug = slug.parse().map_err(|_| not_found())?;
    match state.live.campaign_id(&slug).await {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(not_found()),
        Err(error) => Err(super::giving::internal(error)),
    }
}

/// The campaign a path names, and its publications.
async fn follow(
    state: &AppState,
    slug: &str,
) -> Result<(CampaignId, watch::Receiver<Arc<Publication>>), Response> {
    let id = campaign(state, slug).await?;
    let published = state
        .live
        .watch(id)
        .await
        .map_err(super::giving::internal)?;
    Ok((id, published))
}

/// A snapshot first (or, with `Last-Event-ID`, the gifts since that one), then `progress`,
/// `gift` and `milestone` events as they are published, and a heartbeat when quiet.
async fn events(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let published = match follow(&state, &slug).await {
        Ok((_, published)) => published,
        Err(response) => return response,
    };
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|n| *n >= 0);
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(viewer(published, last_seen, state.live.viewing())),
    )
        .into_response()
}

/// One viewer's stream. It holds a receiver and the number of the last publication it sent:
/// nothing grows while it is slow, and a viewer that missed publications catches up from the
/// latest one's recent gifts.
fn viewer(
    mut published: watch::Receiver<Arc<Publication>>,
    last_seen: Option<i64>,
    counted: Viewing,
) -> impl Stream<Item = Result<Bytes, Infallible>> {
    let current = published.borrow_and_update().clone();
    let first = match last_seen {
        Some(after) => current.catch_up(after, None),
        None => current.snapshot.clone(),
    };
    let opening = stream::once(async move { Ok(first) });
    // What the viewer has: the publication, its last gift and its leaderboards' version. The
    // count lasts as long as the stream: until the viewer goes.
    let seen = (current.seq, current.cursor(), current.boards_seq);
    let updates = stream::unfold(
        (published, seen, counted),
        |(mut published, (seq, cursor, boards), counted)| async move {
            let changed = tokio::time::timeout(HEARTBEAT, published.changed()).await;
            match changed {
                Err(_) => Some((
                    Ok(Bytes::from_static(b": heartbeat\n\n")),
                    (published, (seq, cursor, boards), counted),
                )),
                Ok(Err(_)) => None,
                Ok(Ok(())) => {
                    let latest = published.borrow_and_update().clone();
                    let lines = if latest.seq == seq + 1 {
                        latest.delta.clone()
                    } else {
                        latest.catch_up(cursor, Some(boards))
                    };
                    let seen = (latest.seq, latest.cursor(), latest.boards_seq);
                    Some((Ok(lines), (published, seen, counted)))
                }
            }
        },
    );
    opening.chain(updates)
}

/// A small page for a company's own site to show in an iframe: the thermometer, following the
/// stream, in the reader's language.
async fn embed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Extension(nonce): Extension<CspNonce>,
    headers: HeaderMap,
) -> Response {
    let (id, published) = match follow(&state, &slug).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let locale = Locale::from_headers(&headers);
    let t = locale.words();
    let campaign = match app::campaigns::store::find_by_id(&state.db, id, locale).await {
        Ok(Some((_, campaign))) => campaign,
        Ok(None) => {
            return json_error(
                StatusCode::NOT_FOUND,
                "unknown_campaign",
                "not found".to_owned(),
            )
        }
        Err(error) => return super::giving::internal(error),
    };
    let snapshot = published.borrow().snapshot_data();
    let Some(progress) = snapshot.progress.to_progress() else {
        return super::giving::internal(anyhow::anyhow!("a campaign's progress does not parse"));
    };
    let page = EMBED_PAGE
        .replace("{lang}", locale.tag())
        .replace(
            "{title}",
            &escape(&fill(t.embed_title(), &[("campaign", &campaign.title)])),
        )
        .replace("{campaign}", &escape(&campaign.title))
        .replace("{raised}", &escape(&progress.raised.format(locale)))
        .replace(
            "{of_goal}",
            &escape(&fill(
                t.raised_of_goal(),
                &[("goal", &progress.goal.format(locale))],
            )),
        )
        .replace("{bp}", &progress.basis_points().to_string())
        .replace("{percent}", &progress.percent_label())
        .replace("{donors_label}", &escape(t.donors()))
        .replace("{donors}", &progress.donors.to_string())
        .replace("{progress_label}", &escape(t.progress_label()))
        .replace("{give}", &escape(t.embed_give()))
        .replace("{presented}", &presented_by(&campaign, locale))
        .replace(
            "{accent}",
            &campaign
                .organiser
                .as_ref()
                .and_then(|o| o.brand)
                .map_or_else(|| "b4411f".to_owned(), |b| b.hex()),
        )
        .replace("{href}", &state.site.absolute(&campaign.path()))
        .replace("{slug}", campaign.slug.as_str())
        .replace("{nonce}", &nonce.0);
    // The answer's policy (routes::security) lets any site frame this page, and runs only
    // its own nonced style and script.
    ([(header::CACHE_CONTROL, "no-cache")], Html(page)).into_response()
}

const EMBED_PAGE: &str = include_str!("embed.html");

/// The embed's "presented by" line with the organiser's logo, or nothing.
fn presented_by(campaign: &app::campaigns::Campaign, locale: Locale) -> String {
    let Some(organiser) = &campaign.organiser else {
        return String::new();
    };
    let logo = organiser.logo.as_ref().map_or_else(String::new, |logo| {
        format!(
            "<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"\">",
            escape(&logo.url),
            logo.width,
            logo.height
        )
    });
    let label = fill(
        locale.words().presented_by(),
        &[("organiser", &organiser.name)],
    );
    format!(
        "<p class=\"presented\">{logo}<span>{}</span></p>",
        escape(&label)
    )
}
