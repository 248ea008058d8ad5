//! The gallery grid on a campaign's landing page.

use super::ArtworkCard;
use crate::i18n::use_locale;
use leptos::prelude::*;
use leptos_router::components::A;

/// Thumbnails of a campaign's artworks, each linking to its page.
///
/// Images are lazy-loaded and carry their width and height, so the grid does not shift as they
/// arrive.
#[component]
pub fn Gallery(artworks: Vec<ArtworkCard>, base: String) -> impl IntoView {
    let locale = use_locale();
    let items = artworks
        .into_iter()
        .enumerate()
        .map(|(i, art)| {
            let href = format!("{base}/artworks/{}", art.slug);
            let alt = art.alt(locale);
            // The first row is likely on screen: let the browser fetch it at once.
            let loading = if i < 4 { "eager" } else { "lazy" };
            view! {
                <li class="gallery-item">
                    <A href=href attr:class="gallery-link">
                        <img
                            src=art.thumb.url
                            width=art.thumb.width
                            height=art.thumb.height
                            alt=alt
                            loading=loading
                            decoding="async"
                        />
                        <span class="gallery-title">{art.title}</span>
                        <span class="gallery-artist">{art.artist.byline(locale)}</span>
                    </A>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="gallery" role="list">{items}</ul> }
}
