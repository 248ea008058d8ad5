//! The page for anything that does not exist, answered with status 404.

use crate::error::AppError;
use crate::i18n::use_locale;
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
        response.set_status(error.status());
    }
    let t = use_locale().words();
    let (heading, text) = match &error {
        AppError::NotFound => (t.not_found_heading(), t.not_found_text().to_owned()),
        AppError::Gone => (t.error_heading(), t.link_gone().to_owned()),
        AppError::BadRequest(reason) => (t.error_heading(), reason.clone()),
        AppError::SignInRequired => (
            t.staff_sign_in_heading(),
            t.staff_sign_in_required().to_owned(),
        ),
        AppError::SignInFailed => (
            t.staff_sign_in_heading(),
            t.staff_sign_in_failed().to_owned(),
        ),
        AppError::Forbidden => (t.error_heading(), t.staff_forbidden().to_owned()),
        AppError::TooManyAttempts => (t.error_heading(), t.staff_too_many().to_owned()),
        AppError::Internal | AppError::Transport(_) => {
            (t.error_heading(), t.error_text().to_owned())
        }
    };
    view! {
        <Title text=heading />
        <Meta name="robots" content="noindex" />
        <section class="error-page">
            <p class="error-code">{error.status().as_u16()}</p>
            <h1>{heading}</h1>
            <p>{text}</p>
            <a class="button" href="/">
                {t.go_to_gallery()}
            </a>
        </section>
    }
}
