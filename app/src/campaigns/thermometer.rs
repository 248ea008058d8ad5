//! The goal thermometer: raised against goal, donors, percent.

use super::{CampaignStatus, Progress};
use crate::money::group_thousands;
use leptos::prelude::*;

/// The goal as a labelled progress bar with its figures.
///
/// The bar has a fixed height and the figures fixed slots, so a changing total never moves
/// anything else on the page.
#[component]
pub fn Thermometer(#[prop(into)] progress: Signal<Progress>) -> impl IntoView {
    let raised = move || progress.with(|p| p.raised.to_string());
    let goal = move || progress.with(|p| p.goal.to_string());
    let donors =
        move || progress.with(|p| group_thousands(i64::try_from(p.donors).unwrap_or(i64::MAX)));
    let percent = move || progress.with(Progress::percent_label);
    let value = move || progress.with(|p| p.basis_points());
    let value_text = move || {
        progress.with(|p| format!("{} raised of {} ({})", p.raised, p.goal, p.percent_label()))
    };
    let status = move || {
        progress.with(|p| match p.status {
            CampaignStatus::Upcoming => Some("Not open yet"),
            CampaignStatus::Open => None,
            CampaignStatus::Closed => Some("Closed"),
        })
    };
    view! {
        <section class="thermometer" aria-labelledby="thermometer-heading">
            <h2 id="thermometer-heading" class="visually-hidden">"Progress toward the goal"</h2>
            <p class="thermo-raised">
                <span class="thermo-amount" data-testid="raised">{raised}</span>
                <span class="thermo-of">" raised of " {goal}</span>
            </p>
            <progress
                id="goal-progress"
                class="thermo-bar"
                max="10000"
                value=value
                aria-label="Raised toward the goal"
                aria-valuetext=value_text
            >
                {percent}
            </progress>
            <dl class="thermo-stats">
                <div>
                    <dt>"Donors"</dt>
                    <dd data-testid="donors">{donors}</dd>
                </div>
                <div>
                    <dt>"Of the goal"</dt>
                    <dd data-testid="percent">{percent}</dd>
                </div>
                {move || status().map(|s| view! {
                    <div>
                        <dt>"Status"</dt>
                        <dd class="thermo-status">{s}</dd>
                    </div>
                })}
            </dl>
        </section>
    }
}
