//! `GET /staff/campaigns/{slug}/artworks`: a campaign's artworks as staff manage them. Everyone
//! sees the list with each artwork's consent and state; admins publish and unpublish, reorder,
//! and add artworks with the upload form (which posts to the server's upload endpoint).

use super::api::{load_artworks, ArtworksBoard, MoveArtwork, PublishArtwork};
use super::artist_records::ArtistRecords;
use super::artwork_edit::ArtworkFields;
use super::bar::{StaffBar, Tab};
use super::Role;
use crate::artworks::ArtworkDraft;
use crate::error::AppError;
use crate::i18n::use_locale;
use crate::not_found::ErrorPage;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// Where the upload form posts for campaign `slug`.
pub fn upload_path(slug: &str) -> String {
    format!("/api/staff/campaigns/{slug}/artworks")
}

/// The artworks page.
#[component]
pub fn ArtworksPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        move |slug| load_artworks(slug, locale),
    );
    let said = move |what: &str| query.read_untracked().get(what).is_some();
    let (added, artist_saved) = (said("added"), said("artist_saved"));
    view! {
        <Title text=t.artworks_heading() />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(board) => Either::Left(view! { <Artworks board added artist_saved /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

/// The gallery as staff manage it, an island in a chunk of its own: moving or publishing an
/// artwork reads the gallery again. `added` and `artist_saved` say what the form just done did.
#[island(lazy)]
fn Artworks(board: ArtworksBoard, added: bool, artist_saved: bool) -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "hydrate")]
    super::provide_action_error();
    let publish = ServerAction::<PublishArtwork>::new();
    let reorder = ServerAction::<MoveArtwork>::new();
    let shown = RwSignal::new(board);
    let slug = shown.with_untracked(|b| b.slug.clone());
    Effect::new(move |_| {
        let done = publish.version().get() + reorder.version().get();
        if done > 0 {
            let slug = slug.clone();
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = load_artworks(slug, locale).await {
                    shown.set(fresh);
                }
            });
        }
    });
    move || gallery(shown.get(), publish, reorder, added, artist_saved, locale)
}

fn gallery(
    board: ArtworksBoard,
    publish: ServerAction<PublishArtwork>,
    reorder: ServerAction<MoveArtwork>,
    added: bool,
    artist_saved: bool,
    locale: crate::i18n::Locale,
) -> impl IntoView {
    let t = locale.words();
    let admin = board.member.role == Role::Admin;
    let count = board.artworks.len();
    let slug = board.slug.clone();
    let rows = board
        .artworks
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let artwork = a.card.slug.to_string();
            let slug = slug.clone();
            let controls = admin.then(|| {
                let (s1, s2, s3) = (slug.clone(), slug.clone(), slug.clone());
                let (a1, a2, a3) = (artwork.clone(), artwork.clone(), artwork.clone());
                let (s4, a4) = (slug.clone(), artwork.clone());
                let published = a.published;
                view! {
                    <div class="artwork-controls">
                        <button
                            class="button button-small"
                            type="button"
                            disabled=i == 0
                            aria-label=t.move_earlier()
                            on:click=move |_| {
                                reorder.dispatch(MoveArtwork { slug: s1.clone(), artwork: a1.clone(), earlier: true, to: None });
                            }
                        >
                            "↑"
                        </button>
                        <button
                            class="button button-small"
                            type="button"
                            disabled=i + 1 == count
                            aria-label=t.move_later()
                            on:click=move |_| {
                                reorder.dispatch(MoveArtwork { slug: s2.clone(), artwork: a2.clone(), earlier: false, to: None });
                            }
                        >
                            "↓"
                        </button>
                        <ActionForm action=reorder attr:class="move-to">
                            <input type="hidden" name="slug" value=s4 />
                            <input type="hidden" name="artwork" value=a4 />
                            <input type="hidden" name="earlier" value="false" />
                            <label>
                                <span class="visually-hidden">{t.move_to_label()}</span>
                                <input
                                    name="to"
                                    type="number"
                                    min="1"
                                    max=count
                                    value=i + 1
                                    required
                                    title=t.move_to_label()
                                />
                            </label>
                            <button class="button button-small" type="submit">{t.move_to()}</button>
                        </ActionForm>
                        <a class="button button-small" href=format!("/staff/campaigns/{slug}/artworks/{artwork}/edit")>
                            {t.edit_artwork()}
                        </a>
                        <button
                            class="button button-small"
                            type="button"
                            disabled=!published && !a.has_consent
                            on:click=move |_| {
                                publish.dispatch(PublishArtwork { slug: s3.clone(), artwork: a3.clone(), publish: !published });
                            }
                        >
                            {if published { t.unpublish() } else { t.publish() }}
                        </button>
                    </div>
                }
            });
            view! {
                <li class="staff-artwork" data-slug=artwork.clone() data-published=a.published.to_string()>
                    <img src=a.card.thumb.url.clone() width=a.card.thumb.width height=a.card.thumb.height alt="" />
                    <div class="staff-artwork-text">
                        <strong>{a.card.title.clone()}</strong>
                        <span class="muted">{a.card.artist.byline(locale)}</span>
                        <span class="badges">
                            <span class=if a.published { "badge badge-on" } else { "badge" }>
                                {if a.published { t.artwork_published() } else { t.artwork_unpublished() }}
                            </span>
                            <span class=if a.has_consent && !a.withdrawn { "badge badge-on" } else { "badge badge-warn" }>
                                {if a.withdrawn {
                                    t.consent_withdrawn_badge()
                                } else if a.has_consent {
                                    t.consent_on_file()
                                } else {
                                    t.consent_missing()
                                }}
                            </span>
                            <span class="muted">{locale.gifts(a.gifts)}</span>
                        </span>
                    </div>
                    {controls}
                </li>
            }
        })
        .collect_view();
    let error = move || {
        let explain = |error: AppError, refused: &'static str| match error {
            AppError::BadRequest(_) => refused,
            AppError::Forbidden => t.staff_forbidden(),
            AppError::SignInRequired => t.staff_sign_in_required(),
            _ => t.error_text(),
        };
        let published = publish.value().get().and_then(Result::err);
        let moved = reorder.value().get().and_then(Result::err);
        published
            .map(|e| explain(e, t.publish_needs_consent()))
            .or_else(|| moved.map(|e| explain(e, t.move_not_possible())))
    };
    let upload = admin.then(|| view! { <UploadForm slug=board.slug.clone() /> });
    let artists = view! { <ArtistRecords slug=board.slug.clone() artists=board.artists admin /> };
    view! {
        <div class="staff">
            <StaffBar member=board.member slug=board.slug.clone() here=Tab::Artworks />
            <h1>
                <span class="eyebrow">{t.artworks_heading()}</span>
                {board.title}
            </h1>
            {added.then(|| view! { <p class="form-ok" role="status">{t.artwork_added()}</p> })}
            {artist_saved.then(|| view! { <p class="form-ok" role="status">{t.artist_saved()}</p> })}
            <p class="form-notice" role="alert">{error}</p>
            <section class="staff-panel">
                <ol class="staff-artworks" data-testid="staff-artworks">{rows}</ol>
            </section>
            {artists}
            {upload}
        </div>
    }
}

/// The upload form: a plain multipart form, so it works the same with or without the wasm.
#[component]
fn UploadForm(slug: String) -> impl IntoView {
    let t = use_locale().words();
    view! {
        <section class="staff-panel">
            <h2>{t.upload_heading()}</h2>
            <form
                class="upload-form"
                method="post"
                enctype="multipart/form-data"
                action=upload_path(&slug)
                data-testid="upload-form"
            >
                <label class="field">
                    <span>{t.upload_image()}</span>
                    <input type="file" name="image" accept="image/jpeg,image/png,image/webp" required />
                </label>
                <ArtworkFields draft=ArtworkDraft::default() />
                <button class="button button-primary" type="submit">{t.upload_button()}</button>
            </form>
        </section>
    }
}
