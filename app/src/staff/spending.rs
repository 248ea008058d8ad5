//! `GET /staff/campaigns/{slug}/spending`: the campaign's spending plan as staff keep it. Everyone
//! sees the published versions; admins publish the next version from the form (which posts to
//! the server's plan endpoint). Until a first version is published the campaign takes no gift.

use super::api::{load_spending, SpendingBoard};
use super::bar::{StaffBar, Tab};
use super::Role;
use crate::i18n::{fill, use_locale};
use crate::not_found::ErrorPage;
use crate::spending::document::DocumentKind;
use crate::spending::expense::{Expense, ExpenseKind, ExpenseStatus};
use crate::spending::plan_view::document_label;
use crate::spending::{kind_label, PlanLine, SpendingPlan, MAX_LINES};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Where the plan form posts for campaign `slug`.
pub fn plan_path(slug: &str) -> String {
    format!("/api/staff/campaigns/{slug}/spending-plan")
}

/// Where the expense form posts for campaign `slug`, and an expense's steps.
pub fn expenses_path(slug: &str) -> String {
    format!("/api/staff/campaigns/{slug}/expenses")
}

/// The spending plan page.
#[component]
pub fn SpendingPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        load_spending,
    );
    view! {
        <Title text=t.plan_heading() />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p class="loading">{t.loading_plan()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(board) => Either::Left(view! { <Spending board /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Spending(board: SpendingBoard) -> impl IntoView {
    let t = use_locale().words();
    let admin = board.member.role == Role::Admin;
    let currency = board.currency;
    let paid: Vec<Expense> = board
        .expenses
        .iter()
        .rev()
        .filter(|e| e.status == ExpenseStatus::Paid)
        .cloned()
        .collect();
    let lines: Vec<(String, String)> = board
        .plans
        .last()
        .map(|p| {
            p.lines
                .iter()
                .map(|l| (l.line.clone(), l.name_en.clone()))
                .collect()
        })
        .unwrap_or_default();
    let expenses = view! {
        <Expenses
            slug=board.slug.clone()
            expenses=board.expenses.clone()
            lines
            artists=board.artists.clone()
            admin
            currency
        />
    };
    let form = admin.then(|| {
        // The lines in force, then empty rows up to the most a plan has.
        let mut lines = board
            .plans
            .last()
            .map(|p| p.lines.clone())
            .unwrap_or_default();
        let empty = MAX_LINES.saturating_sub(lines.len()).min(3);
        lines.extend(std::iter::repeat_n(PlanLine::default(), empty));
        let rows = lines
            .into_iter()
            .map(|l| {
                let planned = if l.line.is_empty() {
                    String::new()
                } else {
                    format!("{}.{:02}", l.planned_minor / 100, l.planned_minor % 100)
                };
                view! {
                    <fieldset class="plan-row">
                        <label class="field">
                            <span>{t.plan_line_key()}</span>
                            <input name="line" value=l.line pattern="[a-z0-9]+(-[a-z0-9]+)*" />
                        </label>
                        <label class="field">
                            <span>{t.plan_name_en()}</span>
                            <input name="name_en" value=l.name_en />
                        </label>
                        <label class="field">
                            <span>{t.plan_name_zh()}</span>
                            <input name="name_zh" value=l.name_zh />
                        </label>
                        <label class="field">
                            <span>{t.plan_buys_en()}</span>
                            <input name="buys_en" value=l.buys_en />
                        </label>
                        <label class="field">
                            <span>{t.plan_buys_zh()}</span>
                            <input name="buys_zh" value=l.buys_zh />
                        </label>
                        <label class="field">
                            <span>{t.plan_planned_label()}</span>
                            <input name="planned" value=planned inputmode="decimal" />
                        </label>
                    </fieldset>
                }
            })
            .collect_view();
        view! {
            <form class="staff-panel plan-form" method="post" action=plan_path(&board.slug) data-testid="plan-form">
                <h2>{t.plan_publish_heading()}</h2>
                <p class="muted">{t.plan_publish_note()}</p>
                {rows}
                <button class="button button-primary" type="submit">{t.plan_publish_button()}</button>
            </form>
        }
    });
    view! {
        <div class="staff">
            <StaffBar member=board.member slug=board.slug.clone() here=Tab::Spending />
            <h1>
                <span class="eyebrow">{board.title}</span>
                {t.plan_heading()}
            </h1>
            <SpendingPlan
                plans=board.plans
                expenses=paid
                currency
                utc_offset_minutes=board.utc_offset_minutes
                campaign_path=format!("/campaigns/{}", board.slug)
            />
            {expenses}
            {form}
        </div>
    }
}

/// Every expense with its status and the step it waits for, and (admins) the form to record one.
#[component]
fn Expenses(
    slug: String,
    expenses: Vec<Expense>,
    /// The plan in force's lines: short name and English name.
    lines: Vec<(String, String)>,
    /// The campaign's artists, slug and name, for a royalty.
    artists: Vec<(String, String)>,
    admin: bool,
    currency: crate::money::Currency,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let base = expenses_path(&slug);
    let documents = format!("/api/staff/campaigns/{slug}/expense-documents");
    let money = move |minor: i64| crate::money::format_minor(minor, currency, locale);
    let status_label = |s: ExpenseStatus| match s {
        ExpenseStatus::Draft => t.expense_status_draft(),
        ExpenseStatus::Submitted => t.expense_status_submitted(),
        ExpenseStatus::Approved => t.expense_status_approved(),
        ExpenseStatus::Paid => t.expense_status_paid(),
    };
    let rows = expenses
        .iter()
        .map(|e| {
            let (step, label) = match e.status {
                ExpenseStatus::Draft => (Some("submit"), t.expense_submit()),
                ExpenseStatus::Submitted => (Some("approve"), t.expense_approve()),
                ExpenseStatus::Approved => (Some("pay"), t.expense_pay()),
                ExpenseStatus::Paid => (None, ""),
            };
            let action = step.filter(|_| admin).map(|step| {
                view! {
                    <form method="post" action=format!("{base}/{}/{step}", e.id)>
                        <button class="button button-small" type="submit">{label}</button>
                    </form>
                }
            });
            let reversible = admin && e.status == ExpenseStatus::Paid && e.reverses.is_none() && !e.reversed;
            let reverse = reversible.then(|| {
                view! {
                    <details>
                        <summary>{t.expense_reverse()}</summary>
                        <form method="post" action=format!("{base}/{}/reverse", e.id) class="reverse-form">
                            <label class="field">
                                <span>{t.expense_reverse_why_en()}</span>
                                <input name="description_en" required=true />
                            </label>
                            <label class="field">
                                <span>{t.expense_reverse_why_zh()}</span>
                                <input name="description_zh" required=true />
                            </label>
                            <button class="button button-small button-danger" type="submit">{t.expense_reverse()}</button>
                        </form>
                    </details>
                }
            });
            let reversal = e.reverses.map(|n| {
                format!(" · {}", fill(t.expense_reversal_of(), &[("number", &n.to_string())]))
            });
            // The originals, for admins; a document is added until the expense is paid.
            let originals = e
                .documents
                .iter()
                .map(|d| {
                    let href = format!(
                        "{documents}/{}/{}.{}",
                        e.id,
                        d.original_sha256,
                        d.format.extension()
                    );
                    view! {
                        <li><a href=href rel="external" data-testid="original-document">{document_label(t, d.kind)}</a></li>
                    }
                })
                .collect_view();
            let add = (admin && e.status != ExpenseStatus::Paid).then(|| {
                let kinds = DocumentKind::ALL
                    .into_iter()
                    .map(|k| view! { <option value=k.as_str()>{document_label(t, k)}</option> })
                    .collect_view();
                view! {
                    <details>
                        <summary>{t.document_add()}</summary>
                        <form
                            method="post"
                            enctype="multipart/form-data"
                            action=format!("{documents}/{}", e.id)
                            class="document-form"
                        >
                            <select name="kind" aria-label=t.document_kind()>{kinds}</select>
                            <input
                                type="file"
                                name="file"
                                accept="application/pdf,image/jpeg,image/png"
                                aria-label=t.document_file()
                                required=true
                            />
                            <button class="button button-small" type="submit">{t.document_add_button()}</button>
                        </form>
                    </details>
                }
            });
            view! {
                <tr data-testid="expense" data-status=e.status.as_str()>
                    <td>{format!("#{}", e.id)}</td>
                    <td>{e.spent_on.clone()}</td>
                    <td>{e.line.clone()} <br /> <span class="muted">{kind_label(t, e.kind)}</span></td>
                    <td>
                        {e.description(locale).to_owned()}
                        <br />
                        <span class="muted">
                            {e.payee.clone()} " · "
                            {fill(t.expense_recorded_by(), &[("name", &e.recorded_by)])}
                            {reversal}
                        </span>
                        <ul class="expense-documents">{originals}</ul>
                        {add}
                    </td>
                    <td class="number">{money(e.amount_minor)}</td>
                    <td><span class="badge">{status_label(e.status)}</span></td>
                    <td>{action} {reverse}</td>
                </tr>
            }
        })
        .collect_view();
    let table = if expenses.is_empty() {
        Either::Left(view! { <p>{t.expenses_none()}</p> })
    } else {
        Either::Right(view! {
            <div class="table-scroll" tabindex="0">
                <table class="ledger-table expenses-table">
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })
    };
    let form = (admin && !lines.is_empty()).then(|| {
        let lines = lines
            .into_iter()
            .map(|(line, name)| view! { <option value=line>{name}</option> })
            .collect_view();
        let artists = artists
            .into_iter()
            .map(|(slug, name)| view! { <option value=slug>{name}</option> })
            .collect_view();
        let kinds = ExpenseKind::ALL
            .into_iter()
            .map(|k| view! { <option value=k.as_str()>{kind_label(t, k)}</option> })
            .collect_view();
        view! {
            <form class="upload-form expense-form" method="post" action=base.clone() data-testid="expense-form">
                <h3>{t.expense_new()}</h3>
                <label class="field">
                    <span>{t.expense_line()}</span>
                    <select name="line" required=true>{lines}</select>
                </label>
                <label class="field">
                    <span>{t.expense_kind()}</span>
                    <select name="kind" required=true>{kinds}</select>
                </label>
                <label class="field">
                    <span>{t.expense_artist()}</span>
                    <select name="artist">
                        <option value="">"—"</option>
                        {artists}
                    </select>
                </label>
                <label class="field">
                    <span>{t.expense_description_en()}</span>
                    <input name="description_en" required=true />
                </label>
                <label class="field">
                    <span>{t.expense_description_zh()}</span>
                    <input name="description_zh" required=true />
                </label>
                <label class="field">
                    <span>{t.expense_amount()}</span>
                    <input name="amount" inputmode="decimal" required=true />
                </label>
                <label class="field">
                    <span>{t.expense_date()}</span>
                    <input name="spent_on" type="date" required=true />
                </label>
                <label class="field">
                    <span>{t.expense_payee()}</span>
                    <input name="payee" required=true />
                </label>
                <label class="field">
                    <span>{t.expense_people()}</span>
                    <input name="people_served" type="number" min="0" />
                </label>
                <button class="button button-primary" type="submit">{t.expense_record()}</button>
            </form>
        }
    });
    view! {
        <section class="staff-panel" data-testid="expenses">
            <h2>{t.expenses_heading()}</h2>
            <p class="muted">{t.expenses_note()}</p>
            {table}
            {form}
        </section>
    }
}
