//! The spending plan as the public reads it: the version in force, line by line, and every
//! earlier version below it.

use super::Plan;
use crate::i18n::{fill, use_locale};
use crate::money::{Currency, Money};
use leptos::prelude::*;

#[component]
pub fn SpendingPlan(
    plans: Vec<Plan>,
    currency: Currency,
    utc_offset_minutes: i16,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let money = move |minor: i64| {
        Money::from_minor(minor, currency)
            .map(|m| m.format(locale))
            .unwrap_or_default()
    };
    let date = move |plan: &Plan| plan.published_at.display_date(utc_offset_minutes, locale);
    let Some(current) = plans.last().cloned() else {
        return view! {
            <section aria-labelledby="spending-plan" data-testid="spending-plan">
                <h2 id="spending-plan">{t.plan_heading}</h2>
                <p>{t.plan_none}</p>
            </section>
        }
        .into_any();
    };
    let table = |plan: &Plan| {
        let rows = plan
            .lines
            .iter()
            .map(|l| {
                view! {
                    <tr>
                        <td>{l.name(locale).to_owned()}</td>
                        <td>{l.buys(locale).to_owned()}</td>
                        <td class="number">{money(l.planned_minor)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0">
                <table class="ledger-table plan-table">
                    <thead>
                        <tr>
                            <th scope="col">{t.plan_line}</th>
                            <th scope="col">{t.plan_buys}</th>
                            <th scope="col" class="number">{t.plan_planned}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="2">{t.plan_total}</th>
                            <td class="number">{money(plan.planned_minor())}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        }
    };
    let earlier = plans
        .iter()
        .rev()
        .skip(1)
        .map(|plan| {
            let summary = fill(
                t.plan_earlier,
                &[
                    ("version", &plan.version.to_string()),
                    ("date", &date(plan)),
                ],
            );
            view! {
                <details>
                    <summary>{summary}</summary>
                    {table(plan)}
                </details>
            }
        })
        .collect_view();
    let version = fill(
        t.plan_version,
        &[
            ("version", &current.version.to_string()),
            ("date", &date(&current)),
        ],
    );
    view! {
        <section aria-labelledby="spending-plan" data-testid="spending-plan">
            <h2 id="spending-plan">{t.plan_heading}</h2>
            <p class="ledger-hint">{version}</p>
            {table(&current)}
            {earlier}
        </section>
    }
    .into_any()
}
