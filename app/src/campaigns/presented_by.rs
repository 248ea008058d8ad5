//! "Presented by" the company behind a campaign, with its logo, and the brand colour its pages
//! take (a stylesheet named by the colour, so every page of every campaign in that colour
//! shares one cached file, and no inline style is needed).

use super::Organiser;
use crate::i18n::{fill, use_locale};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Stylesheet;

/// The organiser's line; with `statement`, its statement below under "About …".
#[component]
pub fn PresentedBy(organiser: Organiser, #[prop(optional)] statement: bool) -> impl IntoView {
    let brand = organiser
        .brand
        .map(|brand| view! { <Stylesheet id="brand" href=brand.stylesheet_path() /> });
    view! {
        {brand}
        <OrganiserLine organiser statement />
    }
}

/// The organiser's line alone, for an island: the stylesheet of the brand goes in the page's
/// head, which only the server writes (the page links it beside the island).
#[component]
pub fn OrganiserLine(organiser: Organiser, #[prop(optional)] statement: bool) -> impl IntoView {
    let t = use_locale().words();
    let logo = organiser.logo.map(|logo| {
        view! {
            <img class="organiser-logo" src=logo.url width=logo.width height=logo.height alt="" fetchpriority="low" />
        }
    });
    let label = fill(t.presented_by(), &[("organiser", &organiser.name)]);
    let named = match organiser.url {
        Some(url) => Either::Left(view! { <a href=url rel="noopener">{label}</a> }),
        None => Either::Right(label),
    };
    let statement = (statement && !organiser.statement.is_empty()).then(|| {
        let heading = fill(t.organiser_about(), &[("organiser", &organiser.name)]);
        view! {
            <section class="organiser-statement" aria-labelledby="organiser-heading">
                <h2 id="organiser-heading">{heading}</h2>
                {super::paragraphs(&organiser.statement)}
            </section>
        }
    });
    view! {
        <p class="presented-by" data-testid="presented-by">{logo}<span>{named}</span></p>
        {statement}
    }
}
