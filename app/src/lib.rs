//! Giving Gallery's pages and components, the types they exchange with the server, and, behind
//! the `ssr` feature, the server-side domain they call.

pub mod ambassadors;
pub mod artworks;
pub mod campaigns;
pub mod cookies;
pub mod dates;
pub mod donations;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod island;
pub mod json;
pub mod live;
pub mod matching;
pub mod money;
pub mod not_found;
pub mod seo;
pub mod sharing;
pub mod shell;
pub mod slug;
pub mod spending;
pub mod staff;
pub mod text_area;
pub mod transparency;
pub mod updates;

#[cfg(feature = "ssr")]
pub mod cards;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod email;
#[cfg(feature = "ssr")]
pub mod media;
#[cfg(feature = "ssr")]
pub mod site;
#[cfg(feature = "ssr")]
pub mod state;

#[cfg(test)]
mod layers;

/// Entry point of the browser bundle: the page is the server's, and only its islands (the
/// parts that change or answer a tap) take over, each from the props it was rendered with.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // No client-side router: a server function's redirect (signing out) loads the new page.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|to| {
        let _ = leptos::prelude::window().location().set_href(to);
    });
    leptos::mount::hydrate_islands();
    // The bundle's islands hydrate right after this returns, in one run of microtasks; a task
    // queued now runs once they all have, and marks the document (read by tests and
    // benchmarks). A lazy island hydrates later, when its chunk has arrived.
    leptos::prelude::set_timeout(
        || {
            if let Some(root) = leptos::prelude::document().document_element() {
                let _ = root.set_attribute("data-hydrated", "");
            }
        },
        std::time::Duration::ZERO,
    );
}
