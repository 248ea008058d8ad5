//! The page for anything that does not exist, answered with status 404.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// "Not found", with the 404 status set on the server response.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorPage error=AppError::NotFound /> }
}

/// Shows an error as a page and sets the matching HTTP status on the server.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            axum::http::StatusCode::from_u16(error.status())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    let (heading, text) = match &error {
        AppError::NotFound => (
            "We couldn't find that page",
            "The campaign or artwork you were looking for does not exist, or is no longer shown."
                .to_owned(),
        ),
        other => ("Something went wrong", other.to_string()),
    };
    view! {
        <Title text=heading />
        <Meta name="robots" content="noindex" />
        <section class="error-page">
            <p class="error-code">{error.status()}</p>
            <h1>{heading}</h1>
            <p>{text}</p>
            <a class="button" href="/">"Go to the gallery"</a>
        </section>
    }
}
