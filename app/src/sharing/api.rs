//! The share page's server functions, and the referrer cookie they set.

#[cfg(feature = "ssr")]
use super::{cards::CardSource, ShareLinks};
#[cfg(feature = "ssr")]
use super::{store, REFERRER_COOKIE, REFERRER_MAX_AGE_SECONDS};
use super::{ShareView, SharerStats};
#[cfg(feature = "ssr")]
use crate::cards::render::CardKind;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::fill;
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use crate::ids::{DonationId, ShareCode};
#[cfg(feature = "ssr")]
use crate::seo::{MetaImage, PageMeta};
#[cfg(feature = "ssr")]
use crate::state::AppState;
#[cfg(feature = "ssr")]
use anyhow::Context;

/// Loads a share page in the reader's locale, and remembers the share as the one that brought
/// this visitor unless another share did first. Unknown codes, and gifts not (or no longer)
/// paid, are "not found".
#[leptos::server(
    prefix = "/api/pages",
    endpoint = "share",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_share(code: String, locale: Locale) -> Result<ShareView, AppError> {
    use crate::state::AppState;
    let state = AppState::current()?;
    let code = ShareCode::parse(&code).ok_or(AppError::NotFound)?;
    let view = share_view(&state, &code, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    remember_first_share(&code, &state.site);
    Ok(view)
}

/// What a share has brought so far, for its page to follow live.
#[leptos::server(
    prefix = "/api/pages",
    endpoint = "share-stats",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_sharer_stats(code: String) -> Result<SharerStats, AppError> {
    use crate::state::AppState;
    let state = AppState::current()?;
    let code = ShareCode::parse(&code).ok_or(AppError::NotFound)?;
    store::sharer_stats(&state.db, &code)
        .await?
        .ok_or(AppError::NotFound)
}

/// Sets the referrer cookie to `code` (a share's or an ambassador's) unless the visitor
/// already has one or is a program (see [`automated`]): the first page that brought someone
/// keeps the credit. Whether it was set: whether a person was reached. (A page's first answer
/// gets the cookie from the server's own layer as well, whenever the render ends; see
/// [`first_touch_cookie`].)
#[cfg(feature = "ssr")]
pub fn remember_first_share(code: &ShareCode, site: &crate::site::PublicUrl) -> bool {
    let Some(parts) = leptos::prelude::use_context::<axum::http::request::Parts>() else {
        return false;
    };
    match (
        first_touch_cookie(code, site, &parts.headers),
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
    ) {
        (Some(value), Some(response)) => {
            response.append_header(axum::http::header::SET_COOKIE, value);
            true
        }
        _ => false,
    }
}

/// The referrer cookie naming `code`, for a request with these headers, unless it already
/// names a share or comes from a program.
#[cfg(feature = "ssr")]
pub fn first_touch_cookie(
    code: &ShareCode,
    site: &crate::site::PublicUrl,
    headers: &axum::http::HeaderMap,
) -> Option<axum::http::HeaderValue> {
    if ShareCode::from_headers(headers).is_some() || automated(headers) {
        return None;
    }
    let secure = if site.as_str().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    axum::http::HeaderValue::from_str(&format!(
        "{REFERRER_COOKIE}={code}; Path=/; Max-Age={REFERRER_MAX_AGE_SECONDS}; SameSite=Lax; \
         HttpOnly{secure}"
    ))
    .ok()
}

/// Whether a request comes from a program rather than a person: it sends no `User-Agent`, or
/// one that names a crawler or a link-preview fetcher (a chat app reading a shared link for
/// its preview). Programs keep no cookies: counted, every one of their visits would be
/// someone new.
#[cfg(feature = "ssr")]
pub fn automated(headers: &axum::http::HeaderMap) -> bool {
    const PROGRAMS: [&str; 11] = [
        "crawl",
        "spider",
        "slurp",
        "facebookexternalhit",
        "embedly",
        "whatsapp",
        "skypeuripreview",
        "curl/",
        "wget/",
        "python-",
        "go-http-client",
    ];
    let Some(agent) = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    let agent = agent.to_ascii_lowercase();
    // Googlebot, bingbot, Twitterbot, Slackbot-LinkExpanding…: a word ending in "bot" (but
    // not the CUBOT phones).
    let robot = agent
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word.ends_with("bot") && word != "cubot");
    robot || PROGRAMS.iter().any(|program| agent.contains(program))
}

/// A donation's share page and cards, if it is paid.
#[cfg(feature = "ssr")]
pub async fn links(state: &AppState, donation: &DonationId) -> anyhow::Result<Option<ShareLinks>> {
    let Some(gift) = store::find_paid_donation(&state.db, donation).await? else {
        return Ok(None);
    };
    let cards = CardSource::load(state, &gift).await?;
    Ok(Some(ShareLinks {
        page_url: state.site.absolute(&gift.code.path()),
        certificate: cards.card_path(CardKind::Certificate)?,
        preview: cards.card_path(CardKind::Preview)?,
    }))
}

/// Everything the share page with this code shows, in the reader's locale.
#[cfg(feature = "ssr")]
async fn share_view(
    state: &AppState,
    code: &ShareCode,
    locale: Locale,
) -> anyhow::Result<Option<ShareView>> {
    let Some(gift) = store::find_paid(&state.db, code).await? else {
        return Ok(None);
    };
    let (_, campaign) = crate::campaigns::store::find_by_id(&state.db, gift.campaign, locale)
        .await?
        .context("a shared gift's campaign is missing")?;
    let artwork = crate::artworks::store::card_by_id(&state.db, gift.artwork_id, locale).await?;
    let stats = store::brought_by(&state.db, &gift).await?;
    let feed = state.live.snapshot(gift.campaign).await?.gifts;
    let cards = CardSource::load(state, &gift).await?;
    let preview = cards.card_path(CardKind::Preview)?;
    let progress = cards.progress().clone();
    let (width, height) = CardKind::Preview.size();

    let t = locale.words();
    let name = gift.public_name().unwrap_or(t.feed_anonymous()).to_owned();
    let title = fill(
        t.share_title(),
        &[("name", &name), ("artwork", &artwork.title)],
    );
    let description = fill(
        t.share_description(),
        &[
            ("artist", &artwork.artist.name),
            ("campaign", &campaign.title),
            ("amount", &campaign.min_gift.format(locale)),
        ],
    );
    let alt = fill(
        t.share_card_alt(),
        &[("name", &name), ("artwork", &artwork.title)],
    );
    let campaign_path = campaign.path();
    let meta = PageMeta {
        title,
        description,
        url: state.site.absolute(&code.path()),
        locale,
        image: Some(MetaImage {
            url: state.site.absolute(&preview),
            width,
            height,
            alt,
        }),
    };
    Ok(Some(ShareView {
        code: code.clone(),
        donor: gift.public_name().map(str::to_owned),
        artwork_path: format!("{campaign_path}/artworks/{}", artwork.slug),
        artwork,
        campaign_title: campaign.title,
        campaign_slug: campaign.slug.to_string(),
        campaign_path,
        progress,
        feed,
        stats,
        card: crate::artworks::Image {
            url: preview,
            width,
            height,
        },
        meta,
    }))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::automated;
    use axum::http::{header::USER_AGENT, HeaderMap, HeaderValue};

    fn with_agent(agent: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, HeaderValue::from_static(agent));
        headers
    }

    #[test]
    fn crawlers_and_preview_fetchers_are_programs_and_phones_are_people() {
        for program in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "TelegramBot (like TwitterBot)",
            "facebookexternalhit/1.1",
            "WhatsApp/2.23.20.0",
            "curl/8.5.0",
        ] {
            assert!(automated(&with_agent(program)), "{program}");
        }
        assert!(automated(&HeaderMap::new()), "no User-Agent at all");
        for person in [
            "Mozilla/5.0 (Linux; Android 13; CUBOT P80) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.42",
        ] {
            assert!(!automated(&with_agent(person)), "{person}");
        }
    }
}
