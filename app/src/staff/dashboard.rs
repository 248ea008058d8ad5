//! `GET /staff` and `GET /staff/campaigns/{slug}`: a campaign's live dashboard.
//!
//! The figures follow the public event stream, the same one every campaign page follows; each
//! change there also asks for the rest of the dashboard again (charts, rankings, recent gifts),
//! at most once every [`REFRESH_GAP`].

use super::bar::{StaffBar, Tab};
use super::chart::GiftChart;
use super::refresh::{use_refresher, Refresher};
use super::{export_path, load_dashboard, Dashboard, ReviewMessage, Role, StaffGift, REFUND_PATH};
use crate::artworks::royalty_table::RoyaltyTable;
use crate::i18n::{fill, use_locale, Locale};
use crate::live::{use_live, MessageReview, MILESTONES};
use crate::not_found::ErrorPage;
use crate::transparency::account_figures::AccountFigures;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use std::time::Duration;

/// The least time between two reads of the whole dashboard.
const REFRESH_GAP: Duration = Duration::from_secs(2);

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug"),
        move |slug| load_dashboard(slug, locale),
    );
    let t = locale.words();
    view! {
        <Title text=t.dashboard_heading() />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(board) => Either::Left(view! { <Board board /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

/// The board, an island in a chunk of its own (staff pages ship no code to donors).
#[island(lazy)]
fn Board(board: Dashboard) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let live = use_live(&board.slug, board.progress.clone(), board.feed.clone());
    let offset = board.utc_offset_minutes;
    let slug = board.slug.clone();
    let title = board.title.clone();
    let member = board.member.clone();
    let campaigns = board.campaigns.clone();
    let board = RwSignal::new(board);
    let refresher = use_refresher(
        board,
        slug.clone(),
        locale,
        |slug, locale| Box::pin(load_dashboard(Some(slug), locale)),
        REFRESH_GAP,
    );
    refresher.follow(live);
    let admin = member.role == Role::Admin;
    let raised = move || live.progress.with(|p| p.raised.format(locale));
    let goal = move || {
        live.progress
            .with(|p| fill(t.raised_of_goal(), &[("goal", &p.goal.format(locale))]))
    };
    let donors = move || live.progress.with(|p| p.donors.to_string());
    let matched = move || live.progress.with(|p| p.matched.format(locale));
    let percent = move || live.progress.with(|p| p.percent_label());
    let average = move || {
        live.progress.with(|p| {
            let donors = i64::try_from(p.donors).unwrap_or(i64::MAX);
            if donors == 0 {
                "—".to_owned()
            } else {
                crate::money::format_minor(p.raised.minor() / donors, p.raised.currency(), locale)
            }
        })
    };
    let milestones = move || {
        live.progress.with(|p| {
            MILESTONES
                .into_iter()
                .map(|m| {
                    let reached = i128::from(p.raised.minor()) * 100
                        >= i128::from(p.goal.minor()) * i128::from(m);
                    let label = format!("{m}%");
                    view! {
                        <li class:reached=reached data-reached=reached.to_string()>
                            <span class="milestone-mark" aria-hidden="true">
                                {if reached { "✓" } else { "·" }}
                            </span>
                            {fill(
                                if reached { t.dashboard_milestone_reached() } else { t.dashboard_milestone_pending() },
                                &[("percent", &label)],
                            )}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let last_hour = Signal::derive(move || board.with(|b| b.last_hour.clone()));
    let whole = Signal::derive(move || board.with(|b| b.whole.clone()));
    let whole_heading = move || {
        fill(
            t.dashboard_whole(),
            &[(
                "minutes",
                &board.with_untracked(|b| b.whole.bucket_minutes).to_string(),
            )],
        )
    };
    let top_artworks = move || {
        board.with(|b| {
            let rows = b.top_artworks.iter().map(|a| Rank {
                name: a.title.clone(),
                href: None,
                figures: gifts_and_amount(a.gifts, a.raised, locale),
            });
            ranking(rows.collect(), "top-artworks", locale)
        })
    };
    let top_sharers = move || {
        board.with(|b| {
            let rows = b.top_sharers.iter().map(|s| Rank {
                name: s
                    .name
                    .clone()
                    .unwrap_or_else(|| t.feed_anonymous().to_owned()),
                href: Some(format!("/s/{}", s.code)),
                figures: gifts_and_amount(s.gifts, s.raised, locale),
            });
            ranking(rows.collect(), "top-sharers", locale)
        })
    };
    let account = move || {
        board.with(|b| {
            b.account.clone().map(|account| {
                let currency = b.progress.raised.currency();
                view! { <AccountFigures account currency picture=None /> }
            })
        })
    };
    let royalties = move || {
        board.with(|b| {
            view! {
                <RoyaltyTable
                    royalties=b.royalties.clone()
                    currency=b.progress.raised.currency()
                    campaign_path=format!("/campaigns/{}", b.slug)
                    checkpoint_size=b.checkpoint_size
                />
            }
        })
    };
    let recent = move || {
        board.with(|b| {
            if b.recent.is_empty() {
                return Either::Left(view! { <p class="muted">{t.dashboard_nothing_yet()}</p> });
            }
            let slug = b.slug.clone();
            Either::Right(view! {
                <ol class="staff-gifts" data-testid="recent-gifts">
                    {b.recent.iter().cloned().map(|g| view! {
                        <GiftRow gift=g slug=slug.clone() admin offset refresher />
                    }).collect_view()}
                </ol>
            })
        })
    };
    let choices = campaigns
        .into_iter()
        .map(|c| {
            let current = c.slug == slug;
            view! {
                <a
                    href=format!("/staff/campaigns/{}", c.slug)
                    aria-current=current.then_some("page")
                >
                    {c.title}
                </a>
            }
        })
        .collect_view();
    view! {
        <div class="staff">
            <StaffBar member=member.clone() slug=slug.clone() here=Tab::Dashboard />
            <div class="staff-heading">
                <h1>
                    <span class="eyebrow">{t.dashboard_heading()}</span>
                    {title}
                </h1>
                <a class="button button-small" href=export_path(&slug) download>
                    {t.dashboard_export()}
                </a>
            </div>
            <nav class="staff-campaigns" aria-label=t.dashboard_campaigns()>
                {choices}
                {admin.then(|| view! { <a href=super::NEW_CAMPAIGN_PATH>"+ " {t.new_campaign()}</a> })}
            </nav>
            <section class="staff-figures" aria-live="polite">
                <div class="figure figure-main">
                    <span class="figure-value" data-testid="dashboard-raised">{raised}</span>
                    <span class="figure-label">{goal} " · " {percent}</span>
                </div>
                <div class="figure">
                    <span class="figure-value" data-testid="dashboard-donors">{donors}</span>
                    <span class="figure-label">{t.donors()}</span>
                </div>
                <div class="figure">
                    <span class="figure-value">{average}</span>
                    <span class="figure-label">{t.dashboard_average()}</span>
                </div>
                <div class="figure">
                    <span class="figure-value" data-testid="dashboard-matched">{matched}</span>
                    <span class="figure-label">{t.matched()}</span>
                </div>
            </section>
            <p class="staff-payments" data-testid="payments-mode">
                {move || {
                    board
                        .with(|b| {
                            let p = &b.payments;
                            let mode = if p.surge {
                                t.dashboard_payments_surge()
                            } else {
                                t.dashboard_payments_normal()
                            };
                            fill(
                                t.dashboard_payments(),
                                &[
                                    ("mode", mode),
                                    ("calls", &p.calls_per_second.to_string()),
                                    ("budget", &p.budget_per_second.to_string()),
                                    ("links", &p.links_ready.to_string()),
                                    ("held", &p.held_for_review.to_string()),
                                ],
                            )
                        })
                }}
            </p>
            <div class="staff-charts">
                <GiftChart
                    chart=last_hour
                    heading=t.dashboard_last_hour().to_owned()
                    utc_offset_minutes=offset
                    testid="chart-hour"
                />
                <GiftChart
                    chart=whole
                    heading=whole_heading()
                    utc_offset_minutes=offset
                    testid="chart-whole"
                />
            </div>
            <div class="staff-columns">
                <section class="staff-panel">
                    <h2>{t.dashboard_milestones()}</h2>
                    <ul class="milestones" data-testid="milestones">{milestones}</ul>
                </section>
                <section class="staff-panel">
                    <h2>{t.dashboard_top_artworks()}</h2>
                    {top_artworks}
                </section>
                <section class="staff-panel">
                    <h2>{t.dashboard_top_sharers()}</h2>
                    {top_sharers}
                </section>
            </div>
            <section class="staff-panel">
                <h2>{t.dashboard_recent()}</h2>
                {recent}
            </section>
            <div class="staff-panel" data-testid="dashboard-account">{account}</div>
            <section class="staff-panel" data-testid="royalties-owed">
                <h2>{t.royalties_owed_heading()}</h2>
                {royalties}
            </section>
        </div>
    }
}

/// A row of a ranking: a name (a link when it has a page) and its figures.
pub(super) struct Rank {
    pub name: String,
    pub href: Option<String>,
    pub figures: String,
}

/// "3 gifts · ¥60".
pub(super) fn gifts_and_amount(gifts: u64, raised: crate::money::Money, locale: Locale) -> String {
    format!("{} · {}", locale.gifts(gifts), raised.format(locale))
}

/// A ranking, or a word that there is nothing to rank yet.
pub(super) fn ranking(rows: Vec<Rank>, testid: &'static str, locale: Locale) -> impl IntoView {
    let t = locale.words();
    if rows.is_empty() {
        return Either::Left(view! { <p class="muted">{t.dashboard_nothing_yet()}</p> });
    }
    let rows = rows
        .into_iter()
        .map(|r| {
            let name = match r.href {
                Some(href) => {
                    Either::Left(view! { <a class="ranking-name" href=href>{r.name}</a> })
                }
                None => Either::Right(view! { <span class="ranking-name">{r.name}</span> }),
            };
            view! {
                <li>
                    {name}
                    <span class="ranking-figures">{r.figures}</span>
                </li>
            }
        })
        .collect_view();
    Either::Right(view! { <ol class="ranking" data-testid=testid>{rows}</ol> })
}

/// One gift in the staff list, with its message and, for admins, approve and hide.
#[component]
fn GiftRow(
    gift: StaffGift,
    slug: String,
    admin: bool,
    offset: i16,
    refresher: Refresher<Dashboard>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let review = ServerAction::<ReviewMessage>::new();
    Effect::new(move |_| {
        if review.value().with(|v| matches!(v, Some(Ok(())))) {
            refresher.request();
        }
    });
    let name = gift
        .name
        .clone()
        .unwrap_or_else(|| t.feed_anonymous().to_owned());
    let state = match gift.review {
        MessageReview::Unreviewed if !gift.public => t.review_held(),
        MessageReview::Unreviewed => t.review_unreviewed(),
        MessageReview::Approved => t.review_approved(),
        MessageReview::Hidden => t.review_hidden(),
    };
    let has_message = !gift.message.trim().is_empty();
    let controls = (admin && has_message).then(|| {
        let button = |to: MessageReview, label: &'static str| {
            let slug = slug.clone();
            view! {
                <button
                    class="button button-small"
                    type="button"
                    disabled=gift.review == to
                    on:click=move |_| {
                        review.dispatch(ReviewMessage {
                            slug: slug.clone(),
                            number: gift.number,
                            review: to.as_str().to_owned(),
                        });
                    }
                >
                    {label}
                </button>
            }
        };
        view! {
            <span class="review-buttons">
                {button(MessageReview::Approved, t.review_approve())}
                {button(MessageReview::Hidden, t.review_hide())}
            </span>
        }
    });
    let refundable = gift.amount.minor() - gift.refunded.minor();
    let refunded = (gift.refunded.minor() > 0).then(|| {
        view! {
            <span class="refunded">
                {fill(t.refunded_label(), &[("amount", &gift.refunded.format(locale))])}
            </span>
        }
    });
    let refund = (admin && refundable > 0).then(|| {
        let left = crate::money::Money::from_minor(refundable, gift.amount.currency())
            .map(crate::money::Money::to_major_string)
            .unwrap_or_default();
        view! {
            <form class="refund-form" method="post" action=REFUND_PATH>
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="number" value=gift.number />
                <input type="hidden" name="refunded" value=gift.refunded.minor() />
                <label>
                    <span class="visually-hidden">{t.refund_amount_label()}</span>
                    <input
                        name="amount"
                        inputmode="decimal"
                        value=left
                        required
                        title=t.refund_amount_label()
                        size="7"
                    />
                </label>
                <button class="button button-small" type="submit">{t.refund_button()}</button>
            </form>
        }
    });
    view! {
        <li id=format!("gift-{}", gift.number) data-number=gift.number data-public=gift.public.to_string()>
            <div class="staff-gift-line">
                <span class="staff-gift-number">"#" {gift.number}</span>
                <span>{name}</span>
                <span class="muted">{gift.artwork.clone()}</span>
                <span class="staff-gift-amount">{gift.amount.format(locale)}</span>
                <time class="muted" datetime=gift.at.rfc3339()>{gift.at.display_local(offset, locale)}</time>
                {refunded}
                {refund}
            </div>
            {has_message.then(|| view! {
                <div class="staff-gift-message">
                    <q class:hidden-message=!gift.public>{gift.message.clone()}</q>
                    <span class="review-state">{state}</span>
                    {controls}
                </div>
            })}
        </li>
    }
}
