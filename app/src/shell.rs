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
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

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
                <HydrationScripts options />
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
/// crawlers read.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = provide_locale();
    // Marks the document once the bundle has taken it over (read by tests and benchmarks).
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "");
        }
    });
    let t = locale.texts();
    view! {
        <Html {..} lang=locale.tag() />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Meta name="theme-color" content="#f6efe4" />
        <Router>
            <a class="skip-link" href="#content">
                {t.skip_link}
            </a>
            <header class="site-header">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    {t.site_name}
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
                        view={Lazy::<TransparencyRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaigns/:slug/updates")
                        view={Lazy::<UpdatesRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaigns/:slug/artists/:artist")
                        view={Lazy::<ArtistRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaigns/:slug/verify")
                        view={Lazy::<VerifyRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/donations/:id") view=ThankYouPage ssr=SsrMode::Async />
                    <Route path=path!("/s/:code") view=SharePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/a/:code")
                        view={Lazy::<AmbassadorRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/ambassadors/:key")
                        view={Lazy::<AmbassadorDashboardRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaigns/:slug/teams/:team")
                        view={Lazy::<TeamRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/campaigns/:slug/join")
                        view={Lazy::<JoinRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/join/:invite")
                        view={Lazy::<JoinRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/staff") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/staff/sign-in") view={Lazy::<SignInRoute>::new()} />
                    <Route
                        path=path!("/staff/campaigns/:slug")
                        view={Lazy::<DashboardRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/staff/new-campaign") view={Lazy::<CampaignEditRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/staff/campaigns/:slug/edit")
                        view={Lazy::<CampaignEditRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/campaigns/:slug/artworks/:artwork/edit")
                        view={Lazy::<ArtworkEditRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/campaigns/:slug/artworks")
                        view={Lazy::<ArtworksRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/campaigns/:slug/spending")
                        view={Lazy::<SpendingRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/campaigns/:slug/teams")
                        view={Lazy::<TeamsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/staff/campaigns/:slug/sharing")
                        view={Lazy::<SharingRoute>::new()}
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{t.footer_promise}</p>
            </footer>
        </Router>
    }
}

/// The staff pages' code is in wasm chunks of its own (cargo-leptos `--split`), fetched when a
/// staff page is visited and preloaded by the server for the page it renders: a donor's phone
/// never downloads it.
macro_rules! staff_pages {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        #[derive(Debug)]
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> }.into_any()
            }
        }
    )*};
}

staff_pages! {
    // Not staff pages, but read by few donors, and the verifier's code (SHA-256, Ed25519, the
    // ledger's formats) is for its page alone: chunks of their own too, so the campaign's pages
    // stay light.
    VerifyRoute => VerifyPage,
    TransparencyRoute => TransparencyPage,
    ArtistRoute => ArtistPage,
    UpdatesRoute => UpdatesPage,
    // Ambassadors' pages: for a company's people and those they bring, not every donor.
    AmbassadorRoute => AmbassadorPage,
    AmbassadorDashboardRoute => AmbassadorDashboardPage,
    JoinRoute => JoinPage,
    TeamRoute => TeamPage,
    DashboardRoute => DashboardPage,
    SignInRoute => SignInPage,
    CampaignEditRoute => CampaignEditPage,
    ArtworkEditRoute => ArtworkEditPage,
    ArtworksRoute => ArtworksPage,
    SpendingRoute => SpendingPage,
    SharingRoute => SharingPage,
    TeamsRoute => TeamsPage,
}
