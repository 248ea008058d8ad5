//! The bar at the top of every staff page: who is signed in, the campaign's staff pages, and
//! signing out.

use super::api::SignOut;
use super::StaffMember;
use crate::i18n::use_locale;
use leptos::prelude::*;

/// The staff pages of a campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Dashboard,
    Artworks,
    Spending,
    Sharing,
    Teams,
    Settings,
}

/// The staff bar for campaign `slug`, with `here` marked as the current page.
#[component]
pub fn StaffBar(member: StaffMember, slug: String, here: Tab) -> impl IntoView {
    let t = use_locale().words();
    let sign_out = ServerAction::<SignOut>::new();
    let tab = |tab: Tab, href: String, label: &'static str| {
        view! {
            <a href=href aria-current=(tab == here).then_some("page")>
                {label}
            </a>
        }
    };
    view! {
        <header class="staff-bar">
            <p class="staff-who" data-testid="staff-who">
                {member.name.clone()}
                " · "
                <span class="staff-role">{member.role.label(t)}</span>
            </p>
            <nav class="staff-tabs" aria-label=t.staff_area()>
                {tab(Tab::Dashboard, format!("/staff/campaigns/{slug}"), t.dashboard_heading())}
                {tab(Tab::Artworks, format!("/staff/campaigns/{slug}/artworks"), t.artworks_heading())}
                {tab(Tab::Spending, format!("/staff/campaigns/{slug}/spending"), t.plan_tab())}
                {tab(Tab::Sharing, format!("/staff/campaigns/{slug}/sharing"), t.sharing_tab())}
                {tab(Tab::Teams, format!("/staff/campaigns/{slug}/teams"), t.teams_tab())}
                // A plain page the server writes: the router must not look for it.
                <a href=format!("/staff/campaigns/{slug}/updates") rel="external">
                    {t.staff_updates_tab()}
                </a>
                {(member.role == super::Role::Admin).then(|| {
                    tab(Tab::Settings, format!("/staff/campaigns/{slug}/edit"), t.edit_campaign())
                })}
            </nav>
            <ActionForm action=sign_out attr:class="staff-sign-out">
                <button class="button" type="submit">{t.staff_sign_out()}</button>
            </ActionForm>
        </header>
    }
}
