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
pub fn shell(_options: LeptosOptions) -> impl IntoView {
    let stylesheet = crate::site::stylesheet_href();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=stylesheet />
                <IslandScripts />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Starts the islands once the page is read: fetches the islands' code and hydrates each
/// `<leptos-island>` with the export its `data-component` names (Leptos's lazy islands and those
/// of [`crate::island`], loaded by a script of our own); a page without islands fetches no code
/// at all. One island failing (a chunk that does not arrive) leaves the others running. Islands
/// that take children are not supported: none does, and this loader does not run Leptos's
/// children hook. Only the small script is announced ahead (`modulepreload`); the wasm is
/// fetched once that script runs, after the document is parsed, so it never competes with the
/// page's painting for a slow connection (see docs/ARCHITECTURE.md, "What a phone downloads").
#[cfg(feature = "ssr")]
#[component]
fn IslandScripts() -> impl IntoView {
    use crate::site::{asset_href, split_script_href, Asset};
    use std::sync::OnceLock;

    /// What every page's head carries to start its islands; the built files do not change
    /// while the server runs, so it is written once.
    struct Loader {
        script: String,
        split: Option<String>,
        start: String,
    }
    static LOADER: OnceLock<Loader> = OnceLock::new();

    // In islands mode the server renders everything outside an island as not hydrating.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let loader = LOADER.get_or_init(|| {
        let script = asset_href(Asset::Script);
        // A page without islands (the ledger, the news, a 404) fetches no wasm; it marks itself
        // as `hydrate` would. The code is asked for once the first frame is painted (or after
        // 0.1 s in a tab that paints nothing), the wasm at a low priority: the page's paintings
        // go first. Lighthouse's simulation counts every request made before the largest paint,
        // and gave the landing page 84 or 99 from one run to the next when the wasm could start
        // first.
        let start = format!(
            "const islands = document.querySelectorAll(\"leptos-island\");\
             if (islands.length === 0) document.documentElement.dataset.hydrated = \"\";\
             else new Promise((painted) => {{\
               requestAnimationFrame(() => setTimeout(painted));\
               setTimeout(painted, 100);\
             }}).then(() => import({script:?})).then(async (code) => {{\
               await code.default({{ module_or_path: fetch({wasm:?}, {{ priority: \"low\" }}) }});\
               code.hydrate();\
               for (const island of islands) {{\
                 const hydrate = code[island.dataset.component];\
                 if (!hydrate) console.warn(`no code for the island ${{island.dataset.component}}`);\
                 else try {{\
                   Promise.resolve(hydrate(island)).catch(console.error);\
                 }} catch (error) {{\
                   console.error(error);\
                 }}\
               }}\
             }});",
            wasm = asset_href(Asset::Wasm),
        );
        // The main script imports the one that loads lazy islands' chunks: both are announced.
        Loader {
            script,
            split: split_script_href(),
            start,
        }
    });
    let split = loader
        .split
        .as_deref()
        .map(|href| view! { <link rel="modulepreload" href=href /> });
    view! {
        <link rel="modulepreload" href=loader.script.as_str() />
        {split}
        <script type="module" nonce=leptos::nonce::use_nonce()>{loader.start.as_str()}</script>
    }
}

/// The public site: header, the routed page, footer.
///
/// Every page loads its data before the first byte is sent (`SsrMode::Async`), so a missing
/// campaign answers with a real 404 status and the Open Graph tags are in the `<head>` that
/// crawlers read. It runs on the server alone: in the browser only the islands inside its pages
/// ([`crate::island`], and `#[island(lazy)]` for the rarely opened ones) take over, and following
/// a link loads the next page.
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
