//! `GET /staff/campaigns/{slug}/artworks/{artwork}/edit`: one artwork's edit form (admins), and
//! the fields it shares with the upload form.

use super::api::load_artwork_draft;
use crate::artworks::ArtworkDraft;
use crate::i18n::{use_locale, Locale};
use crate::not_found::ErrorPage;
use crate::text_area::TextArea;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Where an artwork's edit form posts.
pub fn artwork_save_path(slug: &str, artwork: &str) -> String {
    format!("/api/staff/campaigns/{slug}/artworks/{artwork}")
}

/// `GET /staff/campaigns/{slug}/artworks/{artwork}/edit`: an artwork's texts, translation,
/// consent record and state (admins).
#[component]
pub fn ArtworkEditPage() -> impl IntoView {
    let t = use_locale().texts();
    let params = use_params_map();
    let data = Resource::new(
        move || crate::artworks::route_slugs(params),
        |(slug, artwork)| load_artwork_draft(slug, artwork),
    );
    view! {
        <Title text=t.edit_artwork />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p class="loading">{t.loading_artwork}</p> }>
            {move || Suspend::new(async move {
                let slug = params.read_untracked().get("slug").unwrap_or_default();
                match data.await {
                    Ok(draft) => Either::Left(view! { <ArtworkEditForm slug draft /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArtworkEditForm(slug: String, draft: ArtworkDraft) -> impl IntoView {
    let t = use_locale().texts();
    let back = format!("/staff/campaigns/{slug}/artworks");
    let action = artwork_save_path(&slug, &draft.slug);
    let title = draft.title.clone();
    let thumb = draft.thumb_url.clone();
    view! {
        <div class="staff">
            <a class="back-link" href=back>"← " {t.artworks_heading}</a>
            <h1>
                <span class="eyebrow">{t.edit_artwork}</span>
                {title}
            </h1>
            <img class="edit-thumb" src=thumb alt="" />
            <form class="upload-form staff-panel" method="post" action=action data-testid="artwork-form">
                <ArtworkFields draft />
                <button class="button button-primary" type="submit">{t.save_artwork}</button>
            </form>
        </div>
    }
}

/// The fields an artwork's upload and edit forms share, filled from `draft`.
#[component]
pub(super) fn ArtworkFields(draft: ArtworkDraft) -> impl IntoView {
    let t = use_locale().texts();
    let field = |name: &'static str, label: &'static str, value: String, required: bool| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input name=name value=value required=required />
            </label>
        }
    };
    let written = draft.content_locale.clone();
    let languages = Locale::ALL
        .into_iter()
        .map(|l| view! { <option value=l.tag() selected=l.tag() == written>{l.native_name()}</option> })
        .collect_view();
    view! {
        <label class="field wide">
            <span>{t.upload_language}</span>
            <select name="content_locale">{languages}</select>
        </label>
        {field("title", t.upload_title, draft.title, true)}
        {field("title_translated", t.upload_title_translated, draft.title_translated, false)}
        <label class="field">
            <span>{t.upload_story}</span>
            <TextArea name="story" value=draft.story required=true />
        </label>
        <label class="field">
            <span>{t.upload_story_translated}</span>
            <TextArea name="story_translated" value=draft.story_translated />
        </label>
        {field("artist_name", t.upload_artist, draft.artist_name, true)}
        <label class="field">
            <span>{t.upload_age}</span>
            <input name="artist_age" type="number" min="1" max="130" value=draft.artist_age />
        </label>
        <fieldset class="consent-fields">
            <legend>{t.consent_heading}</legend>
            <p class="muted">{t.upload_consent_note}</p>
            {field("consent_given_by", t.consent_given_by, draft.consent_given_by, false)}
            {field("consent_relationship", t.upload_relationship, draft.consent_relationship, false)}
            <label class="field">
                <span>{t.consent_date}</span>
                <input name="consent_given_on" type="date" value=draft.consent_given_on />
            </label>
            {field("consent_licence", t.consent_licence, draft.consent_licence, false)}
            <label class="field">
                <span>{t.upload_royalty}</span>
                <input name="royalty_percent" type="number" min="0" max="100" step="0.01" value=draft.royalty_percent />
            </label>
        </fieldset>
        <label class="check">
            <input type="checkbox" name="publish" checked=draft.published />
            <span>{t.upload_publish}</span>
        </label>
    }
}
