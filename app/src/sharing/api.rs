//! The share page's server functions, and the referrer cookie they set.

#[cfg(feature = "ssr")]
use super::{store, REFERRER_COOKIE, REFERRER_MAX_AGE_SECONDS};
use super::{ShareView, SharerStats};
use crate::error::AppError;
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use crate::ids::ShareCode;

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
    let view = store::share_view(&state, &code, locale)
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

/// Sets the referrer cookie unless the visitor already has one: the first share that brought
/// someone keeps the credit.
#[cfg(feature = "ssr")]
fn remember_first_share(code: &ShareCode, site: &crate::site::PublicUrl) {
    use axum::http::{header, HeaderValue};
    let Some(parts) = leptos::prelude::use_context::<axum::http::request::Parts>() else {
        return;
    };
    if ShareCode::from_headers(&parts.headers).is_some() {
        return;
    }
    let secure = if site.as_str().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{REFERRER_COOKIE}={code}; Path=/; Max-Age={REFERRER_MAX_AGE_SECONDS}; SameSite=Lax; \
         HttpOnly{secure}"
    );
    if let (Ok(value), Some(response)) = (
        HeaderValue::from_str(&cookie),
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}
