//! `GET /locale/{tag}?next=/path`: remembers a visitor's choice of language and sends them back.

use app::i18n::{Locale, LOCALE_COOKIE};
use app::ids::ShareCode;
use app::state::AppState;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};

use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

/// A share page read by a client that asks for no language we speak (a chat app's link-preview
/// crawler sends no `Accept-Language`) is written in the sharer's language, like its card: the
/// request goes on asking for it.
pub(super) async fn sharer_language(
    State(state): State<AppState>,
    mut request: Request,
    next: axum::middleware::Next,
) -> Response {
    if let Some(code) = share_read_without_language(&request) {
        match app::sharing::store::find_paid(&state.db, &code).await {
            Ok(Some(gift)) => {
                request.headers_mut().insert(
                    header::ACCEPT_LANGUAGE,
                    HeaderValue::from_static(gift.locale.tag()),
                );
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(error = format!("{error:#}"), "reading a share's language")
            }
        }
    }
    next.run(request).await
}

/// The share code of a share page asked for in no language of ours.
fn share_read_without_language(request: &Request) -> Option<ShareCode> {
    let code = ShareCode::parse(request.uri().path().strip_prefix("/s/")?)?;
    let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok());
    let asked = Locale::asked_for(header(header::COOKIE), header(header::ACCEPT_LANGUAGE));
    asked.is_none().then_some(code)
}

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/locale/{tag}", get(choose_locale))
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

const ONE_YEAR_SECONDS: u32 = 365 * 24 * 60 * 60;

/// Sets the language cookie for a year and redirects to `next` when it is a path on this site,
/// else to the home page; an unknown language is a 404 and sets nothing.
async fn choose_locale(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    Query(query): Query<Next>,
) -> Response {
    let Some(locale) = Locale::from_exact_tag(&tag) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let secure = if state.site.as_str().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age={ONE_YEAR_SECONDS}; SameSite=Lax; HttpOnly{secure}",
        locale.tag()
    );
    let target = query
        .next
        .as_deref()
        .filter(|p| is_local_path(p))
        .unwrap_or("/");
    let (Ok(cookie), Ok(location)) = (
        HeaderValue::from_str(&cookie),
        HeaderValue::from_str(target),
    ) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    (
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, cookie), (header::LOCATION, location)],
    )
        .into_response()
}

/// A path on this site: it starts with one `/`, and nothing in it can make a browser leave
/// (`//host`, `/\host`) or split a header.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.len() <= 2048
        && !path.chars().any(|c| c.is_control() || c == '\\')
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        assert!(is_local_path("/"));
        assert!(is_local_path(
            "/campaigns/little-painters/artworks/boats-at-dawn"
        ));
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/a\\b",
            "/a\r\nSet-Cookie: x=1",
            "javascript:alert(1)",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
        assert!(!is_local_path(&format!("/{}", "a".repeat(3000))));
    }
}
