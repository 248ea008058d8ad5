//! The HTML document and the routes of the public site.

use crate::ambassadors::{AmbassadorDashboardPage, AmbassadorPage, JoinPage, TeamPage};
use crate::artworks::ArtworkPage;
use crate::campaigns::{CampaignPage, FeaturedCampaignPage};
use crate::donations::ThankYouPage;
use crate::i18n::{provide_locale, LanguageSwitcher};
use crate::not_found::NotFound;
use crate::sharing::SharePage;
use crate::staff::{
    ArtworkEditPage, ArtworksPage, CampaignEditPage, DashboardPage, SharingPage, SignInPage,
    SpendingPage, TeamsPage,
};
use crate::transparency::{ArtistPage, TransparencyPage, VerifyPage};
use crate::updates::UpdatesPage;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::MetaTags;
use leptos_meta::{provide_meta_context, Html, Link, Meta};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

/// The whole document, rendered on the server around [`App`]. `<html lang>` is set by the app
/// from the visitor's locale.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let stylesheet = crate::site::stylesheet_href();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=stylesheet />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The public site: header, the routed page, footer.
///
/// Every page loads its data before the first byte is sent (`SsrMode::Async`), so a missing
/// campaign answers with a real 404 status and the Open Graph tags are in the `<head>` that
/// crawlers read. It runs on the server alone: in the browser only the islands inside its pages
/// (`#[island]`) take over, and following a link loads the next page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = provide_locale();
    let t = locale.words();
    view! {
        <Html {..} lang=locale.tag() />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="theme-color" content="#f6efe4" />
        <Router>
            <a class="skip-link" href="#content">
                {t.skip_link()}
            </a>
            <header class="site-header">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    {t.site_name()}
                </A>
                <LanguageSwitcher />
            </header>
            <main id="content">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=FeaturedCampaignPage ssr=SsrMode::Async />
                    <Route path=path!("/campaigns/:slug") view=CampaignPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/campaigns/:slug/artworks/:artwork")
                        view=ArtworkPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaigns/:slug/transparency")
                        view=TransparencyPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaigns/:slug/updates")
                        view=UpdatesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaigns/:slug/artists/:artist")
                        view=ArtistPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaigns/:slug/verify")
                        view=VerifyPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/donations/:id") view=ThankYouPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:code") view=SharePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/a/:code")
                        view=AmbassadorPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/ambassadors/:key")
                        view=AmbassadorDashboardPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaigns/:slug/teams/:team")
                        view=TeamPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaigns/:slug/join")
                        view=JoinPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/join/:invite")
                        view=JoinPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/staff") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/sign-in") view=SignInPage />
                    <Route
                        path=path!("/staff/campaigns/:slug")
                        view=DashboardPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/staff/new-campaign") view=CampaignEditPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/staff/campaigns/:slug/edit")
                        view=CampaignEditPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/campaigns/:slug/artworks/:artwork/edit")
                        view=ArtworkEditPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/campaigns/:slug/artworks")
                        view=ArtworksPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/campaigns/:slug/spending")
                        view=SpendingPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/campaigns/:slug/teams")
                        view=TeamsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/campaigns/:slug/sharing")
                        view=SharingPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{t.footer_promise()}</p>
            </footer>
        </Router>
    }
}
