//! First touch: the referrer cookie on a share page (`/s/{code}`) or an ambassador's page
//! (`/a/{code}`) a visitor opens first. The page's render sets it too, but a header set while a
//! page renders can miss an answer whose head has already left; this layer adds it to the
//! finished answer when the render's did not make it. Only a page that was found (a success)
//! gets it, so an unknown or unpaid code sets nothing.

use app::ids::ShareCode;
use app::sharing::{first_touch_cookie, REFERRER_COOKIE};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;

pub(super) async fn first_touch(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let cookie = page_code(&request)
        .and_then(|code| first_touch_cookie(&code, &state.site, request.headers()));
    let mut response = next.run(request).await;
    if let Some(cookie) = cookie {
        if response.status().is_success() && !sets_referrer(response.headers()) {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
    }
    response
}

/// The code of a share or ambassador page asked for.
fn page_code(request: &Request) -> Option<ShareCode> {
    if request.method() != Method::GET {
        return None;
    }
    let path = request.uri().path();
    let code = path
        .strip_prefix("/s/")
        .or_else(|| path.strip_prefix("/a/"))?;
    ShareCode::parse(code)
}

fn sets_referrer(headers: &HeaderMap) -> bool {
    let prefix = format!("{REFERRER_COOKIE}=");
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|value| value.as_bytes().starts_with(prefix.as_bytes()))
}
