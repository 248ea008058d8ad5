//! The campaign's updates: their own page (`/campaigns/{slug}/updates`) and the latest ones on
//! the campaign's page. Plain text, paragraphs parted by blank lines; each has an anchor
//! (`#update-{id}`) that emails and the feed link to.

use super::api::load_updates;
use super::{feed_path, update_path, updates_path, Update, UpdatesView};
use crate::campaigns::Progress;
use crate::i18n::{use_locale, Locale};
use crate::island;
#[cfg(feature = "hydrate")]
use crate::live::{get_json, query_value, use_live};
use crate::not_found::ErrorPage;
use crate::seo::PageMetaTags;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Link;
use leptos_router::hooks::use_params_map;

/// The updates page.
#[component]
pub fn UpdatesPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        move |slug| load_updates(slug, locale),
    );
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => Either::Left(view! { <Updates view /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Updates(view: UpdatesView) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let UpdatesView {
        campaign_title,
        campaign_path,
        utc_offset_minutes,
        updates,
        meta,
    } = view;
    let list = if updates.is_empty() {
        Either::Left(view! { <p class="muted" data-testid="no-updates">{t.updates_none()}</p> })
    } else {
        let items = updates
            .into_iter()
            .map(|u| view! { <UpdateItem update=u offset=utc_offset_minutes locale more=None /> })
            .collect_view();
        Either::Right(view! { <ol class="updates" data-testid="updates">{items}</ol> })
    };
    view! {
        <PageMetaTags meta />
        <FeedLink campaign_path=campaign_path.clone() />
        <article class="updates-page">
            <p class="eyebrow">
                <a href=campaign_path.clone()>{campaign_title}</a>
            </p>
            <h1>{t.updates_heading()}</h1>
            {list}
            <p class="updates-follow">
                <a href=feed_path(&campaign_path) type="application/atom+xml" rel="external">
                    {t.updates_feed()}
                </a>
            </p>
        </article>
    }
}

/// The feed's `<link rel="alternate">`, which browsers and feed readers find.
#[component]
fn FeedLink(campaign_path: String) -> impl IntoView {
    let t = use_locale().words();
    view! {
        <Link rel="alternate" type_="application/atom+xml" title=t.updates_heading() href=feed_path(&campaign_path) />
    }
}

/// One update: all of it, or with `more` (where the rest is) its first paragraph.
#[component]
fn UpdateItem(update: Update, offset: i16, locale: Locale, more: Option<String>) -> impl IntoView {
    let t = locale.words();
    let paragraphs = update.paragraphs();
    let whole = more.is_none();
    let shown = if whole { paragraphs.len() } else { 1 };
    let more = more.filter(|_| paragraphs.len() > shown);
    let text = paragraphs
        .into_iter()
        .take(shown)
        .map(|p| view! { <p>{p}</p> })
        .collect_view();
    let anchor = format!("update-{}", update.id);
    // Under the updates page's h1, or the campaign page's "News" h2.
    let title = if whole {
        Either::Left(view! { <h2>{update.title.clone()}</h2> })
    } else {
        Either::Right(view! { <h3>{update.title.clone()}</h3> })
    };
    view! {
        <li
            class="update"
            id=anchor
            data-testid="update"
            lang=(update.locale != locale).then(|| update.locale.tag())
        >
            {title}
            <p class="muted">
                {update.pinned.then(|| view! {
                    <span class="update-pinned" data-testid="update-pinned">{t.update_pinned()}</span>
                    " · "
                })}
                <time datetime=update.published_at.rfc3339()>
                    {update.published_at.display_date(offset, locale)}
                </time>
            </p>
            {update.image.clone().map(|i| {
                // Its size is known before it loads, so nothing below it moves.
                let srcset = format!(
                    "{} {}w, {} {}w",
                    i.thumb_url, i.thumb_width, i.url, i.width
                );
                view! {
                    <img
                        class="update-image"
                        src=i.thumb_url
                        srcset=srcset
                        sizes="(min-width: 44rem) 40rem, 100vw"
                        width=i.thumb_width
                        height=i.thumb_height
                        alt=i.alt
                        loading="lazy"
                        decoding="async"
                        data-testid="update-image"
                    />
                }
            })}
            {text}
            {more.map(|href| view! { <p><a href=href>{t.updates_read_more()}</a></p> })}
        </li>
    }
}

/// The latest updates on the campaign's page, with links to all of them and the feed; only the
/// feed's link in the head while there are none (a reader can follow a campaign before its
/// first news).
#[component]
pub fn LatestUpdates(
    updates: Vec<Update>,
    slug: String,
    campaign_path: String,
    offset: i16,
    progress: Progress,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <FeedLink campaign_path=campaign_path.clone() />
        <div id="latest-updates" class="latest-updates-slot">
            {latest_section(updates, &campaign_path, offset, locale)}
        </div>
        {FollowUpdates { slug, progress }.into_island()}
    }
}

island! {
    /// Keeps the latest updates (`#latest-updates`) current, an island that shows nothing
    /// itself: once the page runs, they are fetched again, as HTML, whenever the campaign's news
    /// version (in its live progress) moves. An update published or pinned shows on every open
    /// page, and the page's code carries no view of updates.
    struct FollowUpdates {
        slug: String,
        progress: Progress,
    }
    shown by follow_updates
}

fn follow_updates(followed: FollowUpdates) {
    #[cfg(feature = "hydrate")]
    {
        let FollowUpdates { slug, progress } = followed;
        let locale = use_locale();
        let live = use_live(&slug, progress, Vec::new());
        Effect::new(move |seen: Option<u64>| {
            let now = live.progress.with(|p| p.news);
            if seen.is_some_and(|seen| seen != now) {
                let path = format!(
                    "/api/pages/latest-updates?slug={}&locale={}",
                    query_value(&slug),
                    query_value(locale.tag())
                );
                leptos::task::spawn_local(async move {
                    let fresh = get_json::<String>(&path).await;
                    // Two changes in quick succession: only the answer to the latest one
                    // shows, whichever comes back first.
                    let latest = live.progress.with_untracked(|p| p.news) == now;
                    let slot = document().get_element_by_id("latest-updates");
                    if let (Some(html), true, Some(slot)) = (fresh, latest, slot) {
                        slot.set_inner_html(&html);
                    }
                });
            }
            now
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = followed;
}

/// The latest updates' section as HTML, for an open page to put in place.
#[cfg(feature = "ssr")]
pub fn latest_section_html(
    updates: Vec<Update>,
    campaign_path: &str,
    offset: i16,
    locale: Locale,
) -> String {
    latest_section(updates, campaign_path, offset, locale).to_html()
}

fn latest_section(
    updates: Vec<Update>,
    campaign_path: &str,
    offset: i16,
    locale: Locale,
) -> Option<impl IntoView> {
    let t = locale.words();
    (!updates.is_empty()).then(|| {
        let items = updates
            .into_iter()
            .map(|u| {
                let more = Some(update_path(campaign_path, u.id));
                view! { <UpdateItem update=u offset locale more /> }
            })
            .collect_view();
        view! {
            <section class="latest-updates" aria-labelledby="latest-updates-heading" data-testid="latest-updates">
                <h2 id="latest-updates-heading">{t.updates_heading()}</h2>
                <ol class="updates">{items}</ol>
                <p>
                    <a href=updates_path(&campaign_path)>{t.updates_all()}</a>
                    " · "
                    <a href=feed_path(&campaign_path) type="application/atom+xml" rel="external">
                        {t.updates_feed()}
                    </a>
                </p>
            </section>
        }
    })
}
