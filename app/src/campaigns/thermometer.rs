//! The goal thermometer: raised against goal, donors, percent.

use super::{CampaignStatus, Progress};
use crate::i18n::{fill, use_locale};
use crate::money::group_thousands;
use leptos::prelude::*;

/// The goal as a labelled progress bar with its figures.
///
/// The bar has a fixed height and the figures fixed slots, so a changing total never moves
/// anything else on the page.
#[component]
pub fn Thermometer(#[prop(into)] progress: Signal<Progress>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let raised = move || progress.with(|p| p.raised.format(locale));
    let of_goal =
        move || progress.with(|p| fill(t.raised_of_goal(), &[("goal", &p.goal.format(locale))]));
    let donors =
        move || progress.with(|p| group_thousands(i64::try_from(p.donors).unwrap_or(i64::MAX)));
    let percent = move || progress.with(Progress::percent_label);
    let value = move || progress.with(|p| p.basis_points());
    let value_text = move || {
        progress.with(|p| {
            fill(
                t.progress_value(),
                &[
                    ("raised", &p.raised.format(locale)),
                    ("goal", &p.goal.format(locale)),
                    ("percent", &p.percent_label()),
                ],
            )
        })
    };
    // With matched money toward the goal, the bar is the whole (in the match's colour) with
    // the donors' part drawn over it in theirs: two bars, their values as attributes (the page's
    // security policy allows no inline style).
    let split = move || progress.with(|p| p.goal_counts_match && p.matched.minor() > 0);
    let donors_part = move || {
        split().then(|| {
            let donors = move || progress.with(Progress::donors_basis_points);
            view! { <progress class="thermo-donors" aria-hidden="true" max="10000" value=donors></progress> }
        })
    };
    let matched = move || {
        progress.with(|p| {
            (p.matched.minor() > 0 || p.match_remaining.is_some()).then(|| {
                let amount = p.matched.format(locale);
                view! {
                    <div class="thermo-matched">
                        <dt>{t.matched()}</dt>
                        <dd data-testid="matched">{amount}</dd>
                    </div>
                }
            })
        })
    };
    let status = move || {
        progress.with(|p| match p.status {
            CampaignStatus::Upcoming => Some(t.status_upcoming()),
            CampaignStatus::Open => None,
            CampaignStatus::Closed => Some(t.status_closed()),
        })
    };
    view! {
        <section class="thermometer" aria-labelledby="thermometer-heading">
            <h2 id="thermometer-heading" class="visually-hidden">{t.progress_heading()}</h2>
            <p class="thermo-raised">
                <span class="thermo-amount" data-testid="raised">{raised}</span>
                <span class="thermo-of">{of_goal}</span>
            </p>
            <div class="thermo-track" class:thermo-split=split>
                <progress
                    id="goal-progress"
                    class="thermo-bar"
                    max="10000"
                    value=value
                    aria-label=t.progress_label()
                    aria-valuetext=value_text
                >
                    {percent}
                </progress>
                {donors_part}
            </div>
            <dl class="thermo-stats">
                <div>
                    <dt>{t.donors()}</dt>
                    <dd data-testid="donors">{donors}</dd>
                </div>
                <div>
                    <dt>{t.of_goal()}</dt>
                    <dd data-testid="percent">{percent}</dd>
                </div>
                {matched}
                {move || {
                    status()
                        .map(|s| {
                            view! {
                                <div>
                                    <dt>{t.status()}</dt>
                                    <dd class="thermo-status">{s}</dd>
                                </div>
                            }
                        })
                }}
            </dl>
        </section>
    }
}
