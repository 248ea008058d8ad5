//! The teams' and ambassadors' leaderboards: by what they raised, with gifts and the people
//! their pages reached. The public board leaves out ambassadors who asked to be left out.

use super::{page_path, team_path, Leaderboards};
use crate::i18n::{fill, use_locale};
use leptos::either::Either;
use leptos::prelude::*;

/// Both leaderboards, side by side where there is room. `base` is the campaign's path, under
/// which each team has its page.
#[component]
pub fn TeamBoards(#[prop(into)] boards: Signal<Leaderboards>, base: String) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let teams = move || {
        boards.with(|b| {
            b.teams
                .iter()
                .map(|team| {
                    view! {
                        <li>
                            <span class="ranking-name">
                                <a href=team_path(&base, team.id)>{team.name.get(locale).to_owned()}</a>
                            </span>
                            <span class="ranking-figures">
                                {fill(t.team_members(), &[("count", &team.ambassadors.to_string())])}
                                " · "
                                {locale.gifts(team.gifts)}
                                " · "
                                {team.raised.format(locale)}
                                " · "
                                {fill(t.team_reached(), &[("count", &team.reached.to_string())])}
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
                return Either::Left(view! { <p class="muted">{t.dashboard_nothing_yet()}</p> });
            }
            let rows = b
                .ambassadors
                .iter()
                .map(|a| {
                    let hidden = a.hidden.then(
                        || view! { <span class="muted">" · " {t.ambassador_hidden_mark()}</span> },
                    );
                    view! {
                        <li>
                            <span class="ranking-name">
                                <a href=page_path(&a.code)>{a.name.clone()}</a>
                                <span class="muted">" · " {a.team.get(locale).to_owned()}</span>
                                {hidden}
                            </span>
                            <span class="ranking-figures">
                                {locale.gifts(a.gifts)}
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
        <div class="boards">
            <section class="board">
                <h2>{t.teams_tab()}</h2>
                <ol class="ranking" data-testid="team-board">{teams}</ol>
            </section>
            <section class="board">
                <h2>{t.ambassadors_heading()}</h2>
                {ambassadors}
            </section>
        </div>
    }
}
