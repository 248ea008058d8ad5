//! `GET /s/{code}`: a donor's share page. Friends who scan the certificate or open the link see
//! the donor's card, the campaign moving live and a way to give; the sharer sees what their
//! share has brought, live.

use super::api::load_share;
use super::{ShareView, SharerStats};
use crate::campaigns::Progress;
use crate::i18n::{fill, use_locale};
use crate::ids::ShareCode;
use crate::island;
use crate::live::{use_live, FeedGift, LiveGiftFeed, LiveGoal};
use crate::not_found::ErrorPage;
use crate::seo::PageMetaTags;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The share page.
#[component]
pub fn SharePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        move |code| load_share(code, locale),
    );
    let t = locale.words();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.loading_artwork()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => Either::Left(view! { <Share view /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Share(view: ShareView) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let ShareView {
        code,
        donor,
        artwork,
        artwork_path,
        campaign_title,
        campaign_slug,
        campaign_path,
        progress,
        feed,
        stats,
        card,
        meta,
    } = view;
    let name = donor.unwrap_or_else(|| t.feed_anonymous().to_owned());
    let alt = fill(
        t.share_card_alt(),
        &[("name", &name), ("artwork", &artwork.title)],
    );
    let heading = meta.title.clone();
    view! {
        <PageMetaTags meta />
        <article class="share">
            <img
                class="share-card"
                src=card.url
                width=card.width
                height=card.height
                alt=alt
            />
            <div class="share-body">
                <p class="eyebrow">{campaign_title}</p>
                <h1>{heading}</h1>
                <p class="byline">{fill(t.by_artist(), &[("artist", &artwork.artist.byline(locale))])}</p>
                <p class="share-actions">
                    <a class="button button-primary" href=artwork_path>{t.share_join()}</a>
                    <a class="button" href=campaign_path>{t.share_browse()}</a>
                </p>
                {ShareStats { code, stats, slug: campaign_slug.clone(), progress: progress.clone(), gifts: feed.clone() }.into_island()}
                {LiveGoal { slug: campaign_slug.clone(), progress: progress.clone(), offers: Vec::new(), milestones: true }.into_island()}
                {LiveGiftFeed { slug: campaign_slug, progress, gifts: feed }.into_island()}
            </div>
        </article>
    }
}

island! {
    /// What the share has brought, an island: a gift through this share shows in the feed, and
    /// the figures are asked for again.
    struct ShareStats {
        code: ShareCode,
        stats: SharerStats,
        slug: String,
        progress: Progress,
        gifts: Vec<FeedGift>,
    }
    shown by share_stats
}

fn share_stats(brought: ShareStats) -> impl IntoView {
    let ShareStats {
        code,
        stats,
        slug,
        progress,
        gifts,
    } = brought;
    let locale = use_locale();
    let t = locale.words();
    let live = use_live(&slug, progress, gifts);
    let stats = RwSignal::new(stats);
    // A gift through this share shows in the feed: ask what the share has brought now.
    #[cfg(feature = "hydrate")]
    Effect::new(move |last_seen: Option<i64>| {
        let shared_by = &code;
        let newest = live
            .gifts
            .read()
            .iter()
            .filter(|g| g.shared_by.as_ref() == Some(shared_by))
            .map(|g| g.number)
            .max()
            .unwrap_or(0);
        if last_seen.is_some_and(|seen| newest > seen) {
            let path = format!(
                "/api/pages/share-stats?code={}",
                crate::live::query_value(shared_by.as_str())
            );
            leptos::task::spawn_local(async move {
                if let Some(now) = crate::live::get_json::<SharerStats>(&path).await {
                    stats.set(now);
                }
            });
        }
        newest.max(last_seen.unwrap_or(0))
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (code, live);
    let stats_text = move || {
        let SharerStats { gifts, raised, .. } = stats.get();
        if gifts == 0 {
            t.share_stats_none().to_owned()
        } else if gifts == 1 {
            fill(t.share_stats_one(), &[("amount", &raised.format(locale))])
        } else {
            fill(
                t.share_stats(),
                &[
                    ("gifts", &gifts.to_string()),
                    ("amount", &raised.format(locale)),
                ],
            )
        }
    };
    view! {
        <section class="share-stats" aria-labelledby="share-stats-heading">
            <h2 id="share-stats-heading">{t.share_stats_heading()}</h2>
            <p aria-live="polite" data-testid="share-stats">{stats_text}</p>
            {move || stats.with(|s| tree_shape(s, locale))}
        </section>
    }
}

/// What came of the share further down the tree, without names: "and their shares brought 11
/// more", and the gifts at each step from this share.
fn tree_shape(stats: &SharerStats, locale: crate::i18n::Locale) -> Option<impl IntoView> {
    let t = locale.words();
    let further = stats.further_total();
    if further == 0 {
        return None;
    }
    // Past the limit the steps were counted only in part: the page says so and draws none.
    let (text, count) = if stats.capped {
        (t.share_tree_further_capped(), super::TREE_LIMIT)
    } else {
        (t.share_tree_further(), further)
    };
    let steps = (!stats.capped).then(|| {
        let steps = std::iter::once(stats.gifts)
            .chain(stats.further.iter().copied())
            .map(|count| view! { <li>{count}</li> })
            .collect_view();
        view! {
            <ol class="share-tree" aria-label=t.share_tree_label() data-testid="share-tree">
                {steps}
            </ol>
        }
    });
    Some(view! {
        <p data-testid="share-further">{fill(text, &[("count", &count.to_string())])}</p>
        {steps}
    })
}
