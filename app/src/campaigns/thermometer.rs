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
    let t = locale.texts();
    let raised = move || progress.with(|p| p.raised.format(locale));
    let of_goal =
        move || progress.with(|p| fill(t.raised_of_goal, &[("goal", &p.goal.format(locale))]));
    let donors =
        move || progress.with(|p| group_thousands(i64::try_from(p.donors).unwrap_or(i64::MAX)));
    let percent = move || progress.with(Progress::percent_label);
    let value = move || progress.with(|p| p.basis_points());
    let value_text = move || {
        progress.with(|p| {
            fill(
                t.progress_value,
                &[
                    ("raised", &p.raised.format(locale)),
                    ("goal", &p.goal.format(locale)),
                    ("percent", &p.percent_label()),
                ],
            )
        })
    };
    let status = move || {
        progress.with(|p| match p.status {
            CampaignStatus::Upcoming => Some(t.status_upcoming),
            CampaignStatus::Open => None,
            CampaignStatus::Closed => Some(t.status_closed),
        })
    };
    view! {
        <section class="thermometer" aria-labelledby="thermometer-heading">
            <h2 id="thermometer-heading" class="visually-hidden">{t.progress_heading}</h2>
            <p class="thermo-raised">
                <span class="thermo-amount" data-testid="raised">{raised}</span>
                <span class="thermo-of">{of_goal}</span>
            </p>
            <progress
                id="goal-progress"
                class="thermo-bar"
                max="10000"
                value=value
                aria-label=t.progress_label
                aria-valuetext=value_text
            >
                {percent}
            </progress>
            <dl class="thermo-stats">
                <div>
                    <dt>{t.donors}</dt>
                    <dd data-testid="donors">{donors}</dd>
                </div>
                <div>
                    <dt>{t.of_goal}</dt>
                    <dd data-testid="percent">{percent}</dd>
                </div>
                {move || {
                    status()
                        .map(|s| {
                            view! {
                                <div>
                                    <dt>{t.status}</dt>
                                    <dd class="thermo-status">{s}</dd>
                                </div>
                            }
                        })
                }}
            </dl>
        </section>
    }
}
