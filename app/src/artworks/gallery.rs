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
        .map(|art| {
            let href = format!("{base}/artworks/{}", art.slug);
            let alt = art.alt(locale);
            let srcset = art.srcset();
            // The landing page's first paintings are at its top (`glimpse`), so the gallery's
            // wait until they near the screen and leave the slow link to those and the code.
            view! {
                <li class="gallery-item">
                    <A href=href attr:class="gallery-link">
                        <img
                            src=art.thumb.url
                            srcset=srcset
                            sizes="(min-width: 960px) 17rem, (min-width: 640px) 31vw, 47vw"
                            width=art.thumb.width
                            height=art.thumb.height
                            alt=alt
                            loading="lazy"
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
