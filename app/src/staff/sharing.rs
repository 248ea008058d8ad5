//! `GET /staff/campaigns/{slug}/sharing`: the campaign's sharing tree, live. How many gifts
//! came through shares, the K-factor overall and hour by hour, the deepest chain, the chains
//! that grew most and the sharers who brought most, with what came further down.
//!
//! The page follows the public event stream and reads the tree again at most once every
//! [`REFRESH_GAP`]: each read walks the campaign's shared gifts.

use super::api::{load_sharing, SharingBoard};
use super::bar::{StaffBar, Tab};
use super::dashboard::{gifts_and_amount, ranking, Rank};
use super::refresh::use_refresher;
use crate::i18n::{fill, use_locale, Locale};
use crate::live::use_live;
use crate::not_found::ErrorPage;
use crate::sharing::{Cohort, TreeSummary};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use std::time::Duration;

/// The least time between two reads of the tree.
const REFRESH_GAP: Duration = Duration::from_secs(5);

/// The sharing tree page.
#[component]
pub fn SharingPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        move |slug| load_sharing(slug, locale),
    );
    view! {
        <Title text=t.sharing_heading() />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(board) => Either::Left(view! { <Tree board /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

/// The tree, an island in a chunk of its own.
#[island(lazy)]
fn Tree(board: SharingBoard) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let live = use_live(&board.slug, board.progress.clone(), board.feed.clone());
    let (member, slug, title) = (
        board.member.clone(),
        board.slug.clone(),
        board.title.clone(),
    );
    let offset = board.utc_offset_minutes;
    let board = RwSignal::new(board);
    use_refresher(
        board,
        slug.clone(),
        locale,
        |slug, locale| Box::pin(load_sharing(slug, locale)),
        REFRESH_GAP,
    )
    .follow(live);
    let tree = move || board.with(|b| b.tree.clone());
    let through = move || tree().through_shares.to_string();
    let through_label = move || fill(t.sharing_through(), &[("total", &tree().gifts.to_string())]);
    let k_factor = move || k_label(tree().k_factor());
    let deepest = move || tree().deepest.to_string();
    view! {
        <div class="staff">
            <StaffBar member slug here=Tab::Sharing />
            <div class="staff-heading">
                <h1>
                    <span class="eyebrow">{t.sharing_heading()}</span>
                    {title}
                </h1>
            </div>
            <section class="staff-figures" aria-live="polite">
                <div class="figure figure-main">
                    <span class="figure-value" data-testid="sharing-through">{through}</span>
                    <span class="figure-label">{through_label}</span>
                </div>
                <div class="figure">
                    <span class="figure-value" data-testid="sharing-k">{k_factor}</span>
                    <span class="figure-label">{t.sharing_k_factor()}</span>
                </div>
                <div class="figure">
                    <span class="figure-value" data-testid="sharing-deepest">{deepest}</span>
                    <span class="figure-label">{t.sharing_deepest()}</span>
                </div>
            </section>
            <div class="staff-columns">
                <section class="staff-panel">
                    <h2>{t.sharing_chains()}</h2>
                    {move || board.with(|b| chains(&b.tree, locale))}
                </section>
                <section class="staff-panel">
                    <h2>{t.dashboard_top_sharers()}</h2>
                    {move || board.with(|b| sharers(&b.tree, locale))}
                </section>
            </div>
            <section class="staff-panel">
                <h2>{t.sharing_hours()}</h2>
                {move || board.with(|b| hours(&b.tree.hours, offset, locale))}
            </section>
            <p class="muted">{t.sharing_note()}</p>
        </div>
    }
}

/// "0.83", or a dash before the first gift.
fn k_label(k: Option<f64>) -> String {
    k.map_or_else(|| "—".to_owned(), |k| format!("{k:.2}"))
}

fn name_or_anonymous(name: &Option<String>, locale: Locale) -> String {
    name.clone()
        .unwrap_or_else(|| locale.words().feed_anonymous().to_owned())
}

fn chains(tree: &TreeSummary, locale: Locale) -> impl IntoView {
    let t = locale.words();
    let rows = tree.chains.iter().map(|c| Rank {
        name: name_or_anonymous(&c.name, locale),
        href: Some(c.code.path()),
        figures: format!(
            "{} · {}",
            locale.gifts(c.gifts),
            if c.depth == 1 {
                t.sharing_step_one().to_owned()
            } else {
                fill(t.sharing_steps(), &[("count", &c.depth.to_string())])
            }
        ),
    });
    ranking(rows.collect(), "sharing-chains", locale)
}

fn sharers(tree: &TreeSummary, locale: Locale) -> impl IntoView {
    let t = locale.words();
    let rows = tree.sharers.iter().map(|s| {
        let mut figures = gifts_and_amount(s.stats.gifts, s.stats.raised, locale);
        let further = s.stats.further_total();
        if further > 0 {
            let count = if s.stats.capped {
                format!("{}+", crate::sharing::TREE_LIMIT)
            } else {
                further.to_string()
            };
            figures = format!(
                "{figures} · {}",
                fill(t.sharing_further(), &[("count", &count)])
            );
        }
        Rank {
            name: name_or_anonymous(&s.name, locale),
            href: Some(s.code.path()),
            figures,
        }
    });
    ranking(rows.collect(), "sharing-sharers", locale)
}

/// The hours that had donors or brought gifts, newest first.
fn hours(hours: &[Cohort], offset: i16, locale: Locale) -> impl IntoView {
    let t = locale.words();
    let rows: Vec<_> = hours
        .iter()
        .rev()
        .filter(|h| h.donors > 0 || h.brought > 0)
        .map(|h| {
            view! {
                <tr>
                    <th scope="row">{h.start.display_time(offset)}</th>
                    <td class="number">{h.donors}</td>
                    <td class="number">{h.brought}</td>
                    <td class="number">{k_label(h.k_factor())}</td>
                </tr>
            }
        })
        .collect();
    if rows.is_empty() {
        return Either::Left(view! { <p class="muted">{t.dashboard_nothing_yet()}</p> });
    }
    Either::Right(view! {
        <table class="ledger-table" data-testid="sharing-hours">
            <thead>
                <tr>
                    <th scope="col">{t.sharing_hour()}</th>
                    <th scope="col" class="number">{t.sharing_donors()}</th>
                    <th scope="col" class="number">{t.sharing_brought()}</th>
                    <th scope="col" class="number">"K"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    })
}
