//! `GET /staff/sign-in`: the staff sign-in form. It posts to the `sign-in` server function and
//! works without JavaScript.

use super::SignIn;
use crate::error::AppError;
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let t = use_locale().words();
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_default();
    view! {
        <Title text=t.staff_sign_in_heading() />
        <Meta name="robots" content="noindex" />
        <section class="staff-sign-in">
            <p class="eyebrow">{t.staff_area()}</p>
            <h1>{t.staff_sign_in_heading()}</h1>
            <SignInForm next />
        </section>
    }
}

/// The form, an island in a chunk of its own: with script, a wrong password is said without
/// leaving the page (what was typed stays); without, the form posts and the page says it.
/// `next` is the staff page to go on to.
#[island(lazy)]
fn SignInForm(next: String) -> impl IntoView {
    let t = use_locale().words();
    #[cfg(feature = "hydrate")]
    super::provide_action_error();
    let action = ServerAction::<SignIn>::new();
    let error = move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| match error {
                AppError::SignInFailed => t.staff_sign_in_failed(),
                AppError::TooManyAttempts => t.staff_too_many(),
                _ => t.error_text(),
            })
    };
    view! {
        <ActionForm action attr:class="form" attr:data-testid="sign-in">
            <input type="hidden" name="next" value=next />
            <label class="field">
                <span>{t.staff_email()}</span>
                <input type="email" name="email" autocomplete="username" required />
            </label>
            <label class="field">
                <span>{t.staff_password()}</span>
                <input type="password" name="password" autocomplete="current-password" required />
            </label>
            <p class="form-notice" role="alert" data-testid="sign-in-error">{error}</p>
            <button class="button button-primary" type="submit" disabled=action.pending()>
                {move || if action.pending().get() { t.staff_signing_in() } else { t.staff_sign_in_button() }}
            </button>
        </ActionForm>
    }
}
