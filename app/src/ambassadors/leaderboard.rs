//! The teams' and ambassadors' leaderboards: by what they raised, with gifts and the people
//! their pages reached. The public board leaves out ambassadors who asked to be left out.

use super::Leaderboards;
use crate::i18n::{fill, use_locale, Locale};
use leptos::either::Either;
use leptos::prelude::*;

/// "3 gifts".
fn gifts(count: u64, locale: Locale) -> String {
    let t = locale.texts();
    if count == 1 {
        t.dashboard_gift_one.to_owned()
    } else {
        fill(t.dashboard_gifts, &[("count", &count.to_string())])
    }
}

/// Both leaderboards, side by side where there is room.
#[component]
pub fn TeamBoards(#[prop(into)] boards: Signal<Leaderboards>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let teams = move || {
        boards.with(|b| {
            b.teams
                .iter()
                .map(|team| {
                    view! {
                        <li>
                            <span class="ranking-name">{team.name.clone()}</span>
                            <span class="ranking-figures">
                                {fill(t.team_members, &[("count", &team.ambassadors.to_string())])}
                                " · "
                                {gifts(team.gifts, locale)}
                                " · "
                                {team.raised.format(locale)}
                                " · "
                                {fill(t.team_reached, &[("count", &team.reached.to_string())])}
                            </span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let ambassadors = move || {
        boards.with(|b| {
            if b.ambassadors.is_empty() {
                return Either::Left(view! { <p class="muted">{t.dashboard_nothing_yet}</p> });
            }
            let rows = b
                .ambassadors
                .iter()
                .map(|a| {
                    let hidden = a.hidden.then(
                        || view! { <span class="muted">" · " {t.ambassador_hidden_mark}</span> },
                    );
                    view! {
                        <li>
                            <span class="ranking-name">
                                <a href=super::page_path(&a.code)>{a.name.clone()}</a>
                                <span class="muted">" · " {a.team.clone()}</span>
                                {hidden}
                            </span>
                            <span class="ranking-figures">
                                {gifts(a.gifts, locale)}
                                " · "
                                {a.raised.format(locale)}
                            </span>
                        </li>
                    }
                })
                .collect_view();
            Either::Right(view! { <ol class="ranking" data-testid="ambassador-board">{rows}</ol> })
        })
    };
    view! {
        <div class="staff-columns team-boards">
            <section class="staff-panel">
                <h2>{t.teams_tab}</h2>
                <ol class="ranking" data-testid="team-board">{teams}</ol>
            </section>
            <section class="staff-panel">
                <h2>{t.ambassadors_heading}</h2>
                {ambassadors}
            </section>
        </div>
    }
}
