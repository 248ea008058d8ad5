//! `GET /staff/campaigns/{slug}/spending`: the campaign's spending plan as staff keep it. Everyone
//! sees the published versions; admins publish the next version from the form (which posts to
//! the server's plan endpoint). Until a first version is published the campaign takes no gift.

use super::api::{load_spending, SpendingBoard};
use super::bar::{StaffBar, Tab};
use super::Role;
use crate::i18n::use_locale;
use crate::not_found::ErrorPage;
use crate::spending::{PlanLine, SpendingPlan, MAX_LINES};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Where the plan form posts for campaign `slug`.
pub fn plan_path(slug: &str) -> String {
    format!("/api/staff/campaigns/{slug}/spending-plan")
}

/// The spending plan page.
#[component]
pub fn SpendingPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        load_spending,
    );
    view! {
        <Title text=t.plan_heading />
        <Meta name="robots" content="noindex" />
        <Suspense fallback=move || view! { <p class="loading">{t.loading_plan}</p> }>
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
    let t = use_locale().texts();
    let admin = board.member.role == Role::Admin;
    let currency = board.currency;
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
                            <span>{t.plan_line_key}</span>
                            <input name="line" value=l.line pattern="[a-z0-9]+(-[a-z0-9]+)*" />
                        </label>
                        <label class="field">
                            <span>{t.plan_name_en}</span>
                            <input name="name_en" value=l.name_en />
                        </label>
                        <label class="field">
                            <span>{t.plan_name_zh}</span>
                            <input name="name_zh" value=l.name_zh />
                        </label>
                        <label class="field">
                            <span>{t.plan_buys_en}</span>
                            <input name="buys_en" value=l.buys_en />
                        </label>
                        <label class="field">
                            <span>{t.plan_buys_zh}</span>
                            <input name="buys_zh" value=l.buys_zh />
                        </label>
                        <label class="field">
                            <span>{t.plan_planned_label}</span>
                            <input name="planned" value=planned inputmode="decimal" />
                        </label>
                    </fieldset>
                }
            })
            .collect_view();
        view! {
            <form class="staff-panel plan-form" method="post" action=plan_path(&board.slug) data-testid="plan-form">
                <h2>{t.plan_publish_heading}</h2>
                <p class="muted">{t.plan_publish_note}</p>
                {rows}
                <button class="button button-primary" type="submit">{t.plan_publish_button}</button>
            </form>
        }
    });
    view! {
        <div class="staff">
            <StaffBar member=board.member slug=board.slug.clone() here=Tab::Spending />
            <h1>
                <span class="eyebrow">{board.title}</span>
                {t.plan_heading}
            </h1>
            <SpendingPlan plans=board.plans currency utc_offset_minutes=board.utc_offset_minutes />
            {form}
        </div>
    }
}
