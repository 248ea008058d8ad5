//! `GET /staff/campaigns/{slug}/artworks/{artwork}/edit`: one artwork's edit form (admins), and
//! the fields it shares with the upload form.

use super::api::load_artwork_draft;
use crate::artworks::consent::{Assent, ConsentVersion, Consenter};
use crate::artworks::consent_panel::{assent_label, role_label, scope_label};
use crate::artworks::provenance::MadeHow;
use crate::artworks::provenance_panel::made_how_label;
use crate::artworks::ArtworkDraft;
use crate::i18n::{fill, use_locale, Locale};
use crate::money::percent_label;
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

/// Where admins download a signed consent form of campaign `slug` (its file name:
/// `{sha256}.{extension}`).
pub fn consent_form_path(slug: &str, file: &str) -> String {
    format!("/api/staff/campaigns/{slug}/consent-forms/{file}")
}

/// `GET /staff/campaigns/{slug}/artworks/{artwork}/edit`: an artwork's texts, translation,
/// consent record and state (admins).
#[component]
pub fn ArtworkEditPage() -> impl IntoView {
    let t = use_locale().words();
    let params = use_params_map();
    let data = Resource::new(
        move || crate::artworks::route_slugs(params),
        |(slug, artwork)| load_artwork_draft(slug, artwork),
    );
    view! {
        <Title text=t.edit_artwork() />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p class="loading">{t.loading_artwork()}</p> }>
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
    let t = use_locale().words();
    let back = format!("/staff/campaigns/{slug}/artworks");
    let action = artwork_save_path(&slug, &draft.slug);
    let title = draft.title.clone();
    let thumb = draft.thumb_url.clone();
    let history = draft.consent_history.clone();
    let can_withdraw = !draft.withdrawn && !history.is_empty();
    let withdraw_action = format!("{}/withdrawal", artwork_save_path(&slug, &draft.slug));
    let withdraw = can_withdraw.then(|| {
        let roles = Consenter::ALL
            .into_iter()
            .map(|c| view! { <option value=c.as_str()>{role_label(t, c)}</option> })
            .collect_view();
        view! {
            <form class="staff-panel withdraw-form" method="post" action=withdraw_action data-testid="withdraw-form">
                <h2>{t.withdraw_heading()}</h2>
                <p class="muted">{t.withdraw_note()}</p>
                <label class="field">
                    <span>{t.withdraw_who()}</span>
                    <select name="consenter" required=true>{roles}</select>
                </label>
                <label class="field">
                    <span>{t.withdraw_name()}</span>
                    <input name="given_by" required=true />
                </label>
                <label class="field">
                    <span>{t.upload_relationship()}</span>
                    <input name="relationship" required=true />
                </label>
                <label class="field">
                    <span>{t.consent_witness_label()}</span>
                    <input name="witnessed_by" />
                </label>
                <button class="button button-danger" type="submit">{t.withdraw_button()}</button>
            </form>
        }
    });
    view! {
        <div class="staff">
            <a class="back-link" href=back>"← " {t.artworks_heading()}</a>
            <h1>
                <span class="eyebrow">{t.edit_artwork()}</span>
                {title}
            </h1>
            <img class="edit-thumb" src=thumb alt="" />
            <form
                class="upload-form staff-panel"
                method="post"
                action=action
                enctype="multipart/form-data"
                data-testid="artwork-form"
            >
                <ArtworkFields draft />
                <button class="button button-primary" type="submit">{t.save_artwork()}</button>
            </form>
            <ConsentHistory slug history />
            {withdraw}
        </div>
    }
}

/// Every version of an artwork's consent record and its withdrawal, oldest first, with the
/// details only admins see.
#[component]
fn ConsentHistory(slug: String, history: Vec<ConsentVersion>) -> impl IntoView {
    let t = use_locale().words();
    let mut version = 0;
    let rows = history
        .into_iter()
        .map(|v| {
            let c = v.consent;
            let what = if v.withdrawal {
                t.consent_history_withdrawal().to_owned()
            } else {
                version += 1;
                fill(t.consent_version_short(), &[("n", &version.to_string())])
            };
            let who = fill(
                t.consent_who(),
                &[("name", &c.given_by), ("relationship", &c.relationship)],
            );
            let terms = (!v.withdrawal).then(|| {
                let period = match &c.terms.until {
                    Some(until) => fill(
                        t.consent_from_until(),
                        &[("from", &c.terms.from), ("until", until)],
                    ),
                    None => fill(t.consent_from_open(), &[("from", &c.terms.from)]),
                };
                format!(
                    "{} · {} · {} · {}",
                    assent_label(t, c.terms.assent),
                    period,
                    scope_label(t, c.terms.scope),
                    percent_label(c.terms.royalty_gifts_bp.into())
                )
            });
            let form = c.terms.form.as_ref().map(|form| {
                let format = form.format.extension().to_uppercase();
                view! {
                    " · "
                    <a href=consent_form_path(&slug, &form.file_name()) download="">
                        {fill(t.consent_form_download(), &[("format", &format)])}
                    </a>
                }
            });
            let recorded = fill(
                t.consent_history_recorded(),
                &[("time", &v.recorded_at.iso_date_utc())],
            );
            view! {
                <li class=if v.withdrawal { "consent-version withdrawn" } else { "consent-version" }>
                    <strong>{what}</strong>
                    " · " {role_label(t, c.terms.consenter)} " · " {who}
                    <br />
                    {terms}
                    {(!c.witnessed_by.is_empty()).then(|| format!(" · {}: {}", t.consent_witness_label(), c.witnessed_by))}
                    {form}
                    " · " <span class="muted">{recorded}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="staff-panel consent-history" data-testid="consent-history">
            <h2>{t.consent_history_heading()}</h2>
            <p class="muted">{t.consent_history_note()}</p>
            <ol>{rows}</ol>
        </section>
    }
}

/// A select's options: a prompt with no value, then `(value, label)`, `current` selected.
fn choices(
    prompt: &'static str,
    options: &[(&'static str, &'static str)],
    current: &str,
) -> impl IntoView {
    let options = options
        .iter()
        .map(|(value, label)| {
            view! { <option value=*value selected=*value == current>{*label}</option> }
        })
        .collect_view();
    view! {
        <option value="">{prompt}</option>
        {options}
    }
}

/// The fields an artwork's upload and edit forms share, filled from `draft`.
#[component]
pub(super) fn ArtworkFields(draft: ArtworkDraft) -> impl IntoView {
    let t = use_locale().words();
    let field = |name: &'static str, label: &'static str, value: String, required: bool| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input name=name value=value required=required />
            </label>
        }
    };
    let roles: Vec<(&str, &str)> = Consenter::ALL
        .into_iter()
        .map(|c| (c.as_str(), role_label(t, c)))
        .collect();
    // Assent is asked now: "unrecorded" is offered only for a consent kept from before.
    let assents: Vec<(&str, &str)> = Assent::ALL
        .into_iter()
        .filter(|a| *a != Assent::Unrecorded || draft.consent_assent == a.as_str())
        .map(|a| (a.as_str(), assent_label(t, a)))
        .collect();
    let ways: Vec<(&str, &str)> = MadeHow::ALL
        .into_iter()
        .map(|m| (m.as_str(), made_how_label(t, m).0))
        .collect();
    let written = draft.content_locale.clone();
    let languages = Locale::ALL
        .into_iter()
        .map(|l| view! { <option value=l.tag() selected=l.tag() == written>{l.native_name()}</option> })
        .collect_view();
    view! {
        <label class="field wide">
            <span>{t.upload_language()}</span>
            <select name="content_locale">{languages}</select>
        </label>
        {field("title", t.upload_title(), draft.title, true)}
        {field("title_translated", t.upload_title_translated(), draft.title_translated, false)}
        <label class="field">
            <span>{t.upload_story()}</span>
            <TextArea name="story" value=draft.story required=true />
        </label>
        <label class="field">
            <span>{t.upload_story_translated()}</span>
            <TextArea name="story_translated" value=draft.story_translated />
        </label>
        {field("artist_name", t.upload_artist(), draft.artist_name, true)}
        <label class="field">
            <span>{t.upload_age()}</span>
            <input name="artist_age" type="number" min="1" max="130" value=draft.artist_age />
        </label>
        <fieldset class="consent-fields">
            <legend>{t.consent_heading()}</legend>
            <p class="muted">{t.upload_consent_note()}</p>
            {field("consent_given_by", t.consent_given_by(), draft.consent_given_by, false)}
            {field("consent_relationship", t.upload_relationship(), draft.consent_relationship, false)}
            <label class="field">
                <span>{t.consent_date()}</span>
                <input name="consent_given_on" type="date" value=draft.consent_given_on />
            </label>
            <label class="field">
                <span>{t.consent_role_label()}</span>
                <select name="consent_role">{choices(t.consent_choose(), &roles, &draft.consent_role)}</select>
            </label>
            <label class="field">
                <span>{t.consent_assent()}</span>
                <select name="consent_assent">{choices(t.consent_choose(), &assents, &draft.consent_assent)}</select>
            </label>
            <label class="field">
                <span>{t.consent_until_label()}</span>
                <input name="consent_until" type="date" value=draft.consent_until />
            </label>
            {field("consent_licence", t.consent_licence(), draft.consent_licence, false)}
            {field("consent_witness", t.consent_witness_label(), draft.consent_witness, false)}
            <label class="field">
                <span>{t.upload_royalty()}</span>
                <input name="royalty_percent" type="number" min="0" max="100" step="0.01" value=draft.royalty_percent />
            </label>
            <label class="check">
                <input type="checkbox" name="consent_prints" checked=draft.consent_prints />
                <span>{t.consent_prints_label()}</span>
            </label>
            <label class="field">
                <span>{t.royalty_prints_label()}</span>
                <input name="royalty_prints_percent" type="number" min="0" max="100" step="0.01" value=draft.royalty_prints_percent />
            </label>
            <label class="field wide">
                <span>{t.consent_form_label()}</span>
                <input
                    name="consent_form"
                    type="file"
                    accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
                />
                <small class="muted">{t.consent_form_note()}</small>
            </label>
        </fieldset>
        <fieldset class="consent-fields">
            <legend>{t.provenance_heading()}</legend>
            <label class="field">
                <span>{t.provenance_heading()}</span>
                <select name="made_how">{choices(t.provenance_not_stated(), &ways, &draft.made_how)}</select>
            </label>
            <label class="field">
                <span>{t.provenance_evidence_label()}</span>
                <input name="evidence" type="file" accept="image/jpeg,image/png,image/webp" />
                <small class="muted">{t.provenance_evidence_note()}</small>
            </label>
            {(!draft.evidence_url.is_empty()).then(|| view! { <img class="edit-thumb" src=draft.evidence_url.clone() alt="" /> })}
            <label class="field">
                <span>{t.provenance_film_label()}</span>
                <input name="film" type="file" accept="video/mp4,video/quicktime,.mp4,.m4v,.mov" />
                <small class="muted">{t.provenance_film_note()}</small>
            </label>
            {(!draft.film_url.is_empty()).then(|| view! {
                <video class="edit-thumb" controls=true preload="none" src=draft.film_url.clone()></video>
                <label class="check">
                    <input type="checkbox" name="remove_film" />
                    <span>{t.provenance_film_remove()}</span>
                </label>
            })}
        </fieldset>
        <fieldset class="consent-fields">
            <legend>{t.voice_label()}</legend>
            <p class="muted">{t.voice_note()}</p>
            <label class="field wide">
                <span>{t.voice_label()}</span>
                <input name="voice" type="file" accept="audio/ogg,audio/mpeg,audio/mp4,.ogg,.opus,.mp3,.m4a" />
            </label>
            {(!draft.voice_url.is_empty()).then(|| view! {
                <audio controls=true preload="none" src=draft.voice_url.clone()></audio>
                <label class="check">
                    <input type="checkbox" name="remove_voice" />
                    <span>{t.voice_remove()}</span>
                </label>
            })}
            <label class="field">
                <span>{t.voice_transcript_en_label()}</span>
                <TextArea name="voice_transcript_en" value=draft.voice_transcript_en />
            </label>
            <label class="field">
                <span>{t.voice_transcript_zh_label()}</span>
                <TextArea name="voice_transcript_zh" value=draft.voice_transcript_zh />
            </label>
        </fieldset>
        <label class="check">
            <input type="checkbox" name="publish" checked=draft.published />
            <span>{t.upload_publish()}</span>
        </label>
    }
}
