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

/// Entry point of the browser bundle: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Staff pages are lazy routes (their own wasm chunks), which hydrate asynchronously.
    leptos::mount::hydrate_lazy(shell::App);
}
