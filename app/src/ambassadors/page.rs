//! The ambassadors' pages: the public page (`/a/{code}`), the join form
//! (`/campaigns/{slug}/join`, `/join/{invite}`) and the private dashboard
//! (`/ambassadors/{key}`). The join form is a plain form: it works before the page hydrates
//! and without JavaScript.

use super::api::{load_ambassador, load_ambassador_dashboard, load_join, load_team};
use super::{join_path, page_path, AmbassadorDashboard, AmbassadorView, JoinView, TeamView};
use crate::error::AppError;
use crate::i18n::{fill, use_locale, Locale};
use crate::live::{LiveGiftFeed, LiveGoal};
use crate::money::Money;
use crate::not_found::ErrorPage;
use crate::seo::PageMetaTags;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// `GET /a/{code}`: an ambassador's public page.
#[component]
pub fn AmbassadorPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        move |code| load_ambassador(code, locale),
    );
    let t = locale.words();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => Either::Left(view! { <Ambassador view /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

/// "¥1,200 given through Mei" and, with a goal, a bar towards it.
#[component]
fn OwnProgress(name: String, raised: Money, goal: Option<Money>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let said = fill(
        t.ambassador_raised(),
        &[("amount", &raised.format(locale)), ("name", &name)],
    );
    let bar = goal.map(|goal| {
        let value = raised.minor().clamp(0, goal.minor());
        view! {
            <p class="muted">{fill(t.ambassador_goal(), &[("goal", &goal.format(locale))])}</p>
            <progress class="ambassador-goal" max=goal.minor() value=value>
                {said.clone()}
            </progress>
        }
    });
    view! {
        <p class="ambassador-raised" data-testid="ambassador-raised">{said.clone()}</p>
        {bar}
    }
}

#[component]
fn Ambassador(view: AmbassadorView) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let AmbassadorView {
        name,
        team,
        campaign_title,
        campaign_slug,
        campaign_path,
        progress,
        goal,
        raised,
        meta,
        ..
    } = view;
    let heading = meta.title.clone();
    view! {
        <PageMetaTags meta />
        <article class="ambassador">
            <p class="eyebrow">{campaign_title}</p>
            <h1>{heading}</h1>
            <p class="byline">{fill(t.ambassador_team(), &[("team", &team)])}</p>
            <OwnProgress name raised goal />
            <p class="share-actions">
                <a class="button button-primary" href=campaign_path.clone()>{t.ambassador_give()}</a>
            </p>
            {LiveGoal { slug: campaign_slug.clone(), progress: progress.clone(), offers: Vec::new(), milestones: false }.into_island()}
            {LiveGiftFeed { slug: campaign_slug, progress, gifts: Vec::new() }.into_island()}
        </article>
    }
}

/// `GET /campaigns/{slug}/teams/{team}`: a team's figures and its members' progress.
#[component]
pub fn TeamPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("slug").unwrap_or_default(),
                p.get("team").unwrap_or_default(),
            )
        },
        move |(slug, team)| async move {
            let team = team.parse().map_err(|_| AppError::NotFound)?;
            load_team(slug, team, locale).await
        },
    );
    let t = locale.words();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => Either::Left(view! { <Team view /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Team(view: TeamView) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let TeamView {
        campaign_title,
        campaign_path,
        team,
        members,
        meta,
    } = view;
    let members = if members.is_empty() {
        Either::Left(view! { <p class="muted">{t.dashboard_nothing_yet()}</p> })
    } else {
        let rows = members
            .into_iter()
            .map(|a| {
                let goal = a.goal.map(|goal| {
                    let value = a.raised.minor().clamp(0, goal.minor());
                    let label = fill(t.ambassador_goal(), &[("goal", &goal.format(locale))]);
                    view! {
                        <progress class="ambassador-goal" max=goal.minor() value=value aria-label=label.clone()></progress>
                        <span class="muted">{label}</span>
                    }
                });
                view! {
                    <li>
                        <span class="ranking-name">
                            <a href=page_path(&a.code)>{a.name.clone()}</a>
                        </span>
                        <span class="ranking-figures">
                            {locale.gifts(a.gifts)} " · " {a.raised.format(locale)}
                        </span>
                        {goal}
                    </li>
                }
            })
            .collect_view();
        Either::Right(
            view! { <ol class="ranking team-members" data-testid="team-members">{rows}</ol> },
        )
    };
    let heading = team.name.get(locale).to_owned();
    view! {
        <PageMetaTags meta />
        <article class="team">
            <p class="eyebrow">
                <a href=campaign_path.clone()>{campaign_title}</a>
            </p>
            <h1>{fill(t.ambassador_team(), &[("team", &heading)])}</h1>
            <div class="staff-figures">
                <div class="figure">
                    <span class="figure-value" data-testid="team-raised">{team.raised.format(locale)}</span>
                    <span class="figure-label">{locale.gifts(team.gifts)}</span>
                </div>
                <div class="figure">
                    <span class="figure-value">{team.ambassadors}</span>
                    <span class="figure-label">{t.team_ambassadors()}</span>
                </div>
                <div class="figure">
                    <span class="figure-value">{team.reached}</span>
                    <span class="figure-label">{t.team_people_reached()}</span>
                </div>
            </div>
            <h2>{t.team_members_heading()}</h2>
            {members}
            <p class="share-actions">
                <a class="button button-primary" href=campaign_path>{t.ambassador_give()}</a>
            </p>
        </article>
    }
}

/// `GET /campaigns/{slug}/join` and `GET /join/{invite}`: the join form, or, after it was
/// sent (`?sent=1`), where to look next.
#[component]
pub fn JoinPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let params = use_params_map();
    let query = use_query_map();
    if query.read_untracked().get("sent").is_some() {
        return Either::Left(view! {
            <Title text=t.join_sent_heading() />
            <Meta name="robots" content="noindex" />
            <section class="join" data-testid="join-sent">
                <h1>{t.join_sent_heading()}</h1>
                <p>{t.join_sent()}</p>
            </section>
        });
    }
    let data = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("slug").unwrap_or_default(),
                p.get("invite").unwrap_or_default(),
            )
        },
        move |(slug, invite)| load_join(slug, invite, locale),
    );
    Either::Right(view! {
        <Title text=t.join_heading() />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => Either::Left(view! { <JoinForm view /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    })
}

#[component]
fn JoinForm(view: JoinView) -> impl IntoView {
    let t = use_locale().words();
    let teams = view
        .teams
        .iter()
        .map(|team| view! { <option value=team.id.to_string()>{team.name.clone()}</option> })
        .collect_view();
    let domains = (view.invite.is_none() && !view.domains.is_empty()).then(|| {
        let list = view.domains.join(", ");
        view! { <p class="field-hint">{fill(t.join_domains(), &[("domains", &list)])}</p> }
    });
    view! {
        <section class="join">
            <p class="eyebrow">{view.campaign_title.clone()}</p>
            <h1>{t.join_heading()}</h1>
            <p>{t.join_intro()}</p>
            {domains}
            <form method="post" action=join_path(&view.slug) class="form" data-testid="join-form">
                {view.invite.clone().map(|invite| view! { <input type="hidden" name="invite" value=invite /> })}
                <label class="field">
                    <span>{t.join_email()}</span>
                    <input type="email" name="email" autocomplete="work email" required />
                </label>
                <label class="field">
                    <span>{t.join_name()}</span>
                    <input type="text" name="name" autocomplete="name" maxlength="60" required />
                </label>
                <label class="field">
                    <span>{t.join_team()}</span>
                    <select name="team" required>{teams}</select>
                </label>
                <label class="field">
                    <span>{t.join_goal()}</span>
                    <input type="text" name="goal" inputmode="decimal" />
                </label>
                <label class="check">
                    <input type="checkbox" name="hidden" />
                    <span>{t.join_hidden()}</span>
                </label>
                <button class="button button-primary" type="submit">{t.join_submit()}</button>
            </form>
        </section>
    }
}

/// `GET /ambassadors/{key}`: an ambassador's own dashboard.
#[component]
pub fn AmbassadorDashboardPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("key").unwrap_or_default(),
        move |key| load_ambassador_dashboard(key, locale),
    );
    view! {
        <Title text=t.ambassador_dashboard_heading() />
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="no-referrer" />
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(board) => Either::Left(view! { <OwnDashboard board /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OwnDashboard(board: AmbassadorDashboard) -> impl IntoView {
    let t = use_locale().words();
    let AmbassadorDashboard {
        name,
        team,
        hidden,
        page_url,
        campaign_title,
        campaign_path,
        goal,
        raised,
        stats,
        posters,
    } = board;
    let posters = posters
        .into_iter()
        .map(|(language, path)| {
            let label = match language {
                Locale::En => t.poster_english(),
                Locale::ZhCn => t.poster_chinese(),
            };
            view! {
                <li>
                    <a href=path download data-testid="poster-link">{label}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="ambassador-dashboard">
            <p class="eyebrow">
                <a href=campaign_path>{campaign_title}</a>
            </p>
            <h1>{t.ambassador_dashboard_heading()}</h1>
            <p class="byline">{name.clone()} " · " {fill(t.ambassador_team(), &[("team", &team)])}</p>
            <p class="muted">{t.ambassador_private()}</p>
            <OwnProgress name raised goal />
            <div class="staff-figures">
                <div class="figure">
                    <span class="figure-value" data-testid="ambassador-reached">{stats.reached}</span>
                    <span class="figure-label">{t.ambassador_reached()}</span>
                </div>
                <div class="figure">
                    <span class="figure-value" data-testid="ambassador-gifts">{stats.gifts}</span>
                    <span class="figure-label">{t.ambassador_gifts()}</span>
                </div>
                <div class="figure">
                    <span class="figure-value" data-testid="ambassador-recruited">{stats.through_shares}</span>
                    <span class="figure-label">{t.ambassador_recruited()}</span>
                </div>
            </div>
            <h2>{t.ambassador_your_page()}</h2>
            <p>
                <a href=page_url.clone() data-testid="ambassador-page-link">{page_url.clone()}</a>
            </p>
            <h2>{t.posters_heading()}</h2>
            <p class="muted">{t.posters_hint()}</p>
            <ul class="poster-links">{posters}</ul>
            {hidden.then(|| view! { <p class="muted">{t.ambassador_hidden_note()}</p> })}
        </section>
    }
}
