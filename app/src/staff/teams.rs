//! `GET /staff/campaigns/{slug}/teams`: the campaign's teams and ambassadors. Everyone sees the
//! leaderboards (hidden ambassadors marked) and who joined, addresses masked; admins add teams,
//! set the email domains that may join and make one-time invitation links. The forms post to
//! the server's endpoints and work without JavaScript.
//!
//! The leaderboards follow the campaign's event stream, read again at most every
//! [`REFRESH_GAP`].

use super::api::{load_teams, TeamsBoard};
use super::bar::{StaffBar, Tab};
use super::refresh::use_refresher;
use super::Role;
use crate::ambassadors::TeamBoards;
use crate::i18n::{fill, use_locale};
use crate::live::use_live;
use crate::not_found::ErrorPage;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use std::time::Duration;

/// The least time between two reads of the leaderboards.
const REFRESH_GAP: Duration = Duration::from_secs(1);

/// Where the teams page's forms post for campaign `slug`.
pub fn teams_path(slug: &str, form: &str) -> String {
    format!("/api/staff/campaigns/{slug}/team-forms/{form}")
}

/// The teams page.
#[component]
pub fn TeamsPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        move |slug| load_teams(slug, locale),
    );
    view! {
        <Title text=t.teams_heading() />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(board) => Either::Left(view! { <Teams board /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

/// The teams, an island in a chunk of its own.
#[island(lazy)]
fn Teams(board: TeamsBoard) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let admin = board.member.role == Role::Admin;
    let slug = board.slug.clone();
    let offset = board.utc_offset_minutes;
    let live = use_live(&slug, board.progress.clone(), board.feed.clone());
    let signal = RwSignal::new(board.clone());
    use_refresher(
        signal,
        slug.clone(),
        locale,
        |slug, locale| Box::pin(load_teams(slug, locale)),
        REFRESH_GAP,
    )
    .follow(live);
    let boards = Signal::derive(move || signal.with(|b| b.boards.clone()));
    let invites = board
        .invites
        .iter()
        .map(|i| {
            let state = if i.used {
                t.invite_used().to_owned()
            } else if i.expired {
                t.invite_expired().to_owned()
            } else {
                fill(
                    t.invite_open(),
                    &[("date", &i.expires_at.display_local(offset, locale))],
                )
            };
            view! {
                <li data-testid="invite">
                    <code class="invite-link">{i.url.clone()}</code>
                    <span class="muted">" · " {state}</span>
                </li>
            }
        })
        .collect_view();
    let people = board
        .ambassadors
        .iter()
        .map(|a| {
            let state = match (a.confirmed, a.hidden) {
                (false, _) => Some(t.ambassador_unconfirmed()),
                (true, true) => Some(t.ambassador_hidden_mark()),
                (true, false) => None,
            };
            view! {
                <tr>
                    <td>
                        {a.name.clone()}
                        {state.map(|s| view! { <span class="muted">" · " {s}</span> })}
                    </td>
                    <td>{a.team.clone()}</td>
                    <td>{a.email.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let forms = admin.then(|| {
        view! {
            <div class="staff-columns">
                <form class="staff-panel" method="post" action=teams_path(&slug, "teams") data-testid="team-form">
                    <h2>{t.team_add()}</h2>
                    <label class="field">
                        <span>{t.team_name_en()}</span>
                        <input name="name_en" maxlength="120" required />
                    </label>
                    <label class="field">
                        <span>{t.team_name_zh()}</span>
                        <input name="name_zh" maxlength="120" />
                    </label>
                    <button class="button button-primary" type="submit">{t.team_add()}</button>
                </form>
                <form class="staff-panel" method="post" action=teams_path(&slug, "ambassador-domains") data-testid="domains-form">
                    <h2>{t.teams_domains()}</h2>
                    <label class="field">
                        <span class="field-hint">{t.teams_domains_hint()}</span>
                        <input name="domains" value=board.domains.join(", ") />
                    </label>
                    <button class="button" type="submit">{t.teams_domains_save()}</button>
                    {(!board.domains.is_empty()).then(|| view! {
                        <p>
                            {t.teams_join_page()} ": "
                            <a href=board.join_url.clone()>{board.join_url.clone()}</a>
                        </p>
                    })}
                </form>
                <form class="staff-panel" method="post" action=teams_path(&slug, "invites") data-testid="invite-form">
                    <h2>{t.invite_create()}</h2>
                    <label class="field">
                        <span>{t.invite_days()}</span>
                        <input name="days" type="number" min="1" max="90" value="14" required />
                    </label>
                    <button class="button" type="submit">{t.invite_create()}</button>
                </form>
            </div>
        }
    });
    view! {
        <div class="staff">
            <StaffBar member=board.member.clone() slug=slug.clone() here=Tab::Teams />
            <h1>
                <span class="eyebrow">{board.title.clone()}</span>
                {t.teams_heading()}
            </h1>
            <TeamBoards boards base=format!("/campaigns/{slug}") />
            {forms}
            {admin.then(|| view! {
            <section class="staff-panel">
                <h2>{t.invites_heading()}</h2>
                {if board.invites.is_empty() {
                    Either::Left(view! { <p class="muted">{t.dashboard_nothing_yet()}</p> })
                } else {
                    Either::Right(view! { <ul class="invites">{invites}</ul> })
                }}
            </section>
            <section class="staff-panel">
                <h2>{t.ambassadors_heading()}</h2>
                <div class="ledger-table-wrap">
                    <table class="ledger-table" data-testid="ambassadors">
                        <thead>
                            <tr>
                                <th scope="col">{t.join_name()}</th>
                                <th scope="col">{t.join_team()}</th>
                                <th scope="col">{t.join_email()}</th>
                            </tr>
                        </thead>
                        <tbody>{people}</tbody>
                    </table>
                </div>
            </section>
            })}
        </div>
    }
}
