//! `GET /cards/{code}/{kind}-{key}.jpg`: a gift's certificate and link preview. The key names
//! what the card shows, so each address is cached forever; `GET /cards/{code}/{kind}.jpg` (and a
//! key that is out of date, or a `.png` address from before cards were JPEGs, still in chat
//! histories) redirects to the card as it is now. Landing and artwork pages have link pictures
//! of their own, served the same way under `/cards/campaigns/...`, and ambassadors their page's
//! link picture and their poster (a PNG) under `/cards/a/{code}/...`, and a campaign's account
//! its picture under `/cards/campaigns/{campaign}/account-...`.

use super::caching::{if_none_match, immutable};
use app::artworks::store as artworks;
use app::campaigns::store as campaigns;
use app::cards::render::{Card, CardKey, CardKind};
use app::i18n::Locale;
use app::ids::ShareCode;
use app::sharing::cards::{card_path, AmbassadorCards, CardSource, PageCard, PageKind};
use app::sharing::store::find_paid;
use app::slug::Slug;
use app::state::AppState;
use app::transparency::account_card::AccountCard;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::future::Future;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cards/{code}/{file}", get(serve_card))
        .route(
            "/cards/campaigns/{campaign}/{file}",
            get(serve_landing_card),
        )
        .route(
            "/cards/campaigns/{campaign}/artworks/{artwork}/{file}",
            get(serve_artwork_card),
        )
        .route("/cards/a/{code}/{file}", get(serve_ambassador_card))
}

/// Serves a gift's stored card, renders it on first request, or redirects to the current one.
async fn serve_card(
    State(state): State<AppState>,
    Path((code, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (Some(code), Some((kind, key))) = (ShareCode::parse(&code), parse_file(&file)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    answer(&state, kind, key.as_ref(), &headers, async {
        let Some(gift) = find_paid(&state.db, &code).await? else {
            return Ok(None);
        };
        let card = CardSource::load(&state, &gift).await?.card(kind);
        let key = card.key()?;
        Ok(Some((card_path(&code, kind, &key), card)))
    })
    .await
}

/// A landing page's link picture: `/cards/campaigns/{campaign}/{language}-{key}.jpg`.
async fn serve_landing_card(
    State(state): State<AppState>,
    Path((campaign, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if let Some(file) = file.strip_prefix("account-") {
        return serve_account_card(&state, &campaign, file, &headers).await;
    }
    serve_page_card(&state, PageKind::Landing, &campaign, None, &file, &headers).await
}

/// A campaign's account picture: `/cards/campaigns/{campaign}/account-{language}-{key}.jpg`.
async fn serve_account_card(
    state: &AppState,
    campaign: &str,
    file: &str,
    headers: &HeaderMap,
) -> Response {
    let (Ok(slug), Some((locale, key))) = (campaign.parse::<Slug>(), parse_page_file(file)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    answer(state, CardKind::Account, key.as_ref(), headers, async {
        let Some((id, campaign)) = campaigns::find(&state.db, &slug, locale).await? else {
            return Ok(None);
        };
        let Some(artwork) = first_artwork(state, id, locale).await? else {
            return Ok(None);
        };
        let size = app::transparency::store::published(&state.db, slug.as_str())
            .await?
            .map_or(0, |log| log.size);
        let account =
            app::transparency::account::at_checkpoint(&state.db, id, &campaign, size, locale)
                .await?;
        let card = AccountCard {
            site: &state.site,
            campaign: &campaign,
            artwork: &artwork,
            account: &account,
            locale,
        };
        Ok(Some((card.path()?, card.card()?)))
    })
    .await
}

/// An artwork page's link picture:
/// `/cards/campaigns/{campaign}/artworks/{artwork}/{language}-{key}.jpg`.
async fn serve_artwork_card(
    State(state): State<AppState>,
    Path((campaign, artwork, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    serve_page_card(
        &state,
        PageKind::Artwork,
        &campaign,
        Some(&artwork),
        &file,
        &headers,
    )
    .await
}

async fn serve_page_card(
    state: &AppState,
    kind: PageKind,
    campaign: &str,
    artwork: Option<&str>,
    file: &str,
    headers: &HeaderMap,
) -> Response {
    let (Ok(campaign), Ok(artwork), Some((locale, key))) = (
        campaign.parse::<Slug>(),
        artwork.map(str::parse::<Slug>).transpose(),
        parse_page_file(file),
    ) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    answer(state, CardKind::Preview, key.as_ref(), headers, async {
        let Some((id, campaign)) = campaigns::find(&state.db, &campaign, locale).await? else {
            return Ok(None);
        };
        let artwork = match &artwork {
            Some(slug) => artworks::find_published(&state.db, id, slug, locale)
                .await?
                .map(|found| found.card),
            None => first_artwork(state, id, locale).await?,
        };
        let Some(artwork) = artwork else {
            return Ok(None);
        };
        let progress = campaigns::progress(&state.db, id, &campaign).await?;
        let page = PageCard {
            kind,
            site: &state.site,
            campaign: &campaign,
            artwork: &artwork,
            progress: &progress,
            locale,
        };
        Ok(Some((page.path()?, page.card()?)))
    })
    .await
}

/// An ambassador's link picture or poster:
/// `/cards/a/{code}/{preview|poster}-{language}-{key}.{jpg|png}`.
async fn serve_ambassador_card(
    State(state): State<AppState>,
    Path((code, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (Some(code), Some((kind, locale, key))) =
        (ShareCode::parse(&code), parse_ambassador_file(&file))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    answer(&state, kind, key.as_ref(), &headers, async {
        let Some(ambassador) = app::ambassadors::store::by_code(&state.db, &code).await? else {
            return Ok(None);
        };
        let id = app::ids::CampaignId::new(ambassador.campaign_id);
        let Some((_, campaign)) = campaigns::find_by_id(&state.db, id, locale).await? else {
            return Ok(None);
        };
        let Some(artwork) = first_artwork(&state, id, locale).await? else {
            return Ok(None);
        };
        let progress = campaigns::progress(&state.db, id, &campaign).await?;
        let team = ambassador.team(locale);
        let cards = AmbassadorCards {
            site: &state.site,
            campaign: &campaign,
            artwork: &artwork,
            progress: &progress,
            locale,
            code: &code,
            name: &ambassador.display_name,
            team: &team,
        };
        Ok(Some((cards.path(kind)?, cards.card(kind)?)))
    })
    .await
}

/// The painting a campaign opens with, which its own cards show.
async fn first_artwork(
    state: &AppState,
    campaign: app::ids::CampaignId,
    locale: Locale,
) -> anyhow::Result<Option<app::artworks::ArtworkCard>> {
    Ok(artworks::list_published(&state.db, campaign, locale)
        .await?
        .into_iter()
        .next())
}

/// Answers for a card of `kind` requested under `key`: from storage when it is there; otherwise
/// `current` says where the card is now and what it shows (`None`: there is no such card), and
/// the card is rendered when `key` is current or redirected to when it is not.
async fn answer(
    state: &AppState,
    kind: CardKind,
    key: Option<&CardKey>,
    headers: &HeaderMap,
    current: impl Future<Output = anyhow::Result<Option<(String, Card)>>>,
) -> Response {
    let result = async {
        // A card rendered before is served as stored: its name says what it shows.
        if let Some(key) = key {
            let etag = format!("\"{}\"", key.as_str());
            if let Some(bytes) = state.cards.stored(key).await? {
                if if_none_match(headers, &etag) {
                    return Ok((StatusCode::NOT_MODIFIED, immutable(&etag)).into_response());
                }
                return Ok(picture(kind, bytes, &etag));
            }
        }
        let Some((path, card)) = current.await? else {
            return Ok(StatusCode::NOT_FOUND.into_response());
        };
        let now = card.key()?;
        if key != Some(&now) {
            let location = HeaderValue::from_str(&path)?;
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
        anyhow::Ok(picture(kind, bytes, &format!("\"{}\"", now.as_str())))
    };
    match result.await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "serving a card");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn picture(kind: CardKind, bytes: Vec<u8>, etag: &str) -> Response {
    (
        [(header::CONTENT_TYPE, kind.format().1)],
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
    let gift_card = |kind| {
        CardKind::parse(kind).filter(|k| matches!(k, CardKind::Certificate | CardKind::Preview))
    };
    match stem.split_once('-') {
        Some((kind, key)) => Some((
            gift_card(kind)?,
            Some(CardKey::parse(key)?).filter(|_| current),
        )),
        None => Some((gift_card(stem)?, None)),
    }
}

/// `poster-zh-CN-0123456789abcdef.png`, `preview-en.jpg`: an ambassador's card, its language
/// and its key if the address has one.
fn parse_ambassador_file(file: &str) -> Option<(CardKind, Locale, Option<CardKey>)> {
    let (kind, rest) = file.split_once('-')?;
    let kind =
        CardKind::parse(kind).filter(|k| matches!(k, CardKind::Preview | CardKind::Poster))?;
    let (stem, extension) = rest.rsplit_once('.')?;
    if extension != kind.format().0 {
        return None;
    }
    let (locale, key) = parse_page_stem(stem)?;
    Some((kind, locale, key))
}

/// `zh-CN-0123456789abcdef.jpg` or `en.jpg`: a page's link picture in a language.
fn parse_page_file(file: &str) -> Option<(Locale, Option<CardKey>)> {
    parse_page_stem(file.strip_suffix(".jpg")?)
}

/// `zh-CN-0123456789abcdef` or `en`.
fn parse_page_stem(stem: &str) -> Option<(Locale, Option<CardKey>)> {
    if let Some(locale) = Locale::from_exact_tag(stem) {
        return Some((locale, None));
    }
    let (tag, key) = stem.rsplit_once('-')?;
    Some((Locale::from_exact_tag(tag)?, Some(CardKey::parse(key)?)))
}
