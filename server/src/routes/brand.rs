//! `GET /brand/{rrggbb}.css`: the stylesheet that gives a campaign's pages its organiser's brand
//! colour. Named by the colour itself, it never changes: browsers keep it for good.

use app::campaigns::BrandColour;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub(super) fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/brand/{file}", get(stylesheet))
}

async fn stylesheet(Path(file): Path<String>) -> Response {
    // Only the colours staff may save: six hex digits that read well (WCAG AA).
    let colour = file
        .strip_suffix(".css")
        .filter(|hex| hex.len() == 6)
        .and_then(BrandColour::parse)
        .filter(|colour| colour.readable());
    let Some(colour) = colour else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let css = format!(
        ":root{{--accent:#{};--accent-dark:#{}}}\n",
        colour.hex(),
        colour.darker().hex()
    );
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        css,
    )
        .into_response()
}
