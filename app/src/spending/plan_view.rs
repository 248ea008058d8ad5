//! The spending plan as the public reads it: the version in force, line by line, and every
//! earlier version below it.

use super::chart::{ChartLine, PlanChart};
use super::document::DocumentKind;
use super::expense::{Expense, ExpenseKind};
use super::Plan;
use crate::i18n::{fill, use_locale, Words};
use crate::money::{format_minor, Currency};
use leptos::prelude::*;

/// A document's kind in the reader's language.
pub fn document_label(t: Words, kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Receipt => t.document_kind_receipt(),
        DocumentKind::Invoice => t.document_kind_invoice(),
        DocumentKind::Transfer => t.document_kind_transfer(),
        DocumentKind::Photo => t.document_kind_photo(),
        DocumentKind::Report => t.document_kind_report(),
    }
}

/// An expense's kind in the reader's language.
pub fn kind_label(t: Words, kind: ExpenseKind) -> &'static str {
    match kind {
        ExpenseKind::Expenditure => t.expense_kind_expenditure(),
        ExpenseKind::Disbursement => t.expense_kind_disbursement(),
        ExpenseKind::Royalty => t.expense_kind_royalty(),
        ExpenseKind::Fees => t.expense_kind_fees(),
    }
}

/// The plan in force with what was spent on each line, the paid expenses, and the earlier
/// versions of the plan.
#[component]
pub fn SpendingPlan(
    plans: Vec<Plan>,
    /// The paid expenses (and reversals), in the order paid.
    expenses: Vec<Expense>,
    currency: Currency,
    utc_offset_minutes: i16,
    /// Where the campaign's pages are, for the documents' public copies.
    campaign_path: String,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    // Reversals are negative.
    let money = move |minor: i64| format_minor(minor, currency, locale);
    let date = move |plan: &Plan| plan.published_at.display_date(utc_offset_minutes, locale);
    let Some(current) = plans.last().cloned() else {
        return view! {
            <section aria-labelledby="spending-plan" data-testid="spending-plan">
                <h2 id="spending-plan">{t.plan_heading()}</h2>
                <p>{t.plan_none()}</p>
            </section>
        }
        .into_any();
    };
    // What was spent on each line, read once for the chart and every version's table.
    let mut spent_by_line: std::collections::HashMap<&str, i64> = Default::default();
    for e in expenses.iter().filter(|e| e.kind != ExpenseKind::Fees) {
        *spent_by_line.entry(e.line.as_str()).or_default() += e.amount_minor;
    }
    let spent_on = |line: &str| spent_by_line.get(line).copied().unwrap_or(0);
    let spent_in_all: i64 = expenses
        .iter()
        .filter(|e| e.kind != ExpenseKind::Fees)
        .map(|e| e.amount_minor)
        .sum();
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
                        <td class="number">{money(spent_on(&l.line))}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll" tabindex="0">
                <table class="ledger-table plan-table">
                    <thead>
                        <tr>
                            <th scope="col">{t.plan_line()}</th>
                            <th scope="col">{t.plan_buys()}</th>
                            <th scope="col" class="number">{t.plan_planned()}</th>
                            <th scope="col" class="number">{t.plan_spent()}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="2">{t.plan_total()}</th>
                            <td class="number">{money(plan.planned_minor())}</td>
                            <td class="number">{money(spent_in_all)}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        }
        .into_any()
    };
    let earlier = plans
        .iter()
        .rev()
        .skip(1)
        .map(|plan| {
            let summary = fill(
                t.plan_earlier(),
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
    let line_name = |line: &str| {
        plans
            .iter()
            .rev()
            .flat_map(|p| p.lines.iter())
            .find(|l| l.line == line)
            .map(|l| l.name(locale).to_owned())
            .unwrap_or_else(|| line.to_owned())
    };
    let paid = (!expenses.is_empty()).then(|| {
        let items = expenses
            .iter()
            .map(|e| {
                let served = e.people_served.map(|p| {
                    format!(
                        " · {}",
                        fill(t.expense_served(), &[("people", &p.to_string())])
                    )
                });
                let reversal = e.reverses.map(|n| {
                    format!(
                        " · {}",
                        fill(t.expense_reversal_of(), &[("number", &n.to_string())])
                    )
                });
                let documents = (!e.documents.is_empty()).then(|| {
                    let links = e
                        .documents
                        .iter()
                        .map(|d| {
                            let note = d.active_content.then(|| format!(" ({})", t.document_download()));
                            view! {
                                <li>
                                    <a href=d.public_path(&campaign_path, e.id) data-testid="expense-document" rel="external">
                                        {document_label(t, d.kind)}
                                    </a>
                                    {note}
                                </li>
                            }
                        })
                        .collect_view();
                    view! { <ul class="expense-documents" aria-label=t.documents_label()>{links}</ul> }
                        .into_any()
                });
                view! {
                    <li data-testid="paid-expense">
                        <span class="expense-amount">{money(e.amount_minor)}</span>
                        " · " {line_name(&e.line)} " · " {kind_label(t, e.kind)}
                        <br />
                        {e.description(locale).to_owned()}
                        <br />
                        <span class="muted">
                            {format!("#{} · {} · {}", e.id, e.spent_on, e.payee)}
                            {served}
                            {reversal}
                        </span>
                        {documents}
                    </li>
                }
                .into_any()
            })
            .collect_view();
        view! {
            <h3>{t.spent_heading()}</h3>
            <ul class="paid-expenses">{items}</ul>
        }
    });
    let chart = current
        .lines
        .iter()
        .map(|l| ChartLine {
            name: l.name(locale).to_owned(),
            planned_minor: l.planned_minor,
            spent_minor: spent_on(&l.line),
        })
        .collect();
    let version = fill(
        t.plan_version(),
        &[
            ("version", &current.version.to_string()),
            ("date", &date(&current)),
        ],
    );
    view! {
        <section aria-labelledby="spending-plan" data-testid="spending-plan">
            <h2 id="spending-plan">{t.plan_heading()}</h2>
            <p class="ledger-hint">{version}</p>
            <PlanChart lines=chart currency=currency />
            {table(&current)}
            {paid}
            {earlier}
        </section>
    }
    .into_any()
}
