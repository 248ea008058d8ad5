//! The artwork page's provenance section: how the work was made, in words, and the photo and the
//! film of the artist at work when there are some.

use super::provenance::{MadeHow, Provenance};
use crate::i18n::{fill, use_locale, Words};
use leptos::prelude::*;

/// How a work was made, in the reader's language: a short label and what it means.
pub fn made_how_label(t: Words, made: MadeHow) -> (&'static str, &'static str) {
    match made {
        MadeHow::Independent => (t.made_independent(), t.made_independent_about()),
        MadeHow::Prompted => (t.made_prompted(), t.made_prompted_about()),
        MadeHow::HandGuided => (t.made_hand_guided(), t.made_hand_guided_about()),
    }
}

#[component]
pub fn ProvenancePanel(provenance: Provenance, artist: String) -> impl IntoView {
    let t = use_locale().words();
    let (label, about) = made_how_label(t, provenance.made_how);
    // The photo, when there is one, is the film's poster: the film loads only when played.
    let poster = provenance
        .evidence
        .as_ref()
        .map(|(image, _)| image.url.clone());
    let film = provenance.film.map(|film| {
        let preload = if poster.is_some() { "none" } else { "metadata" };
        view! {
            <figure class="provenance-evidence">
                <video
                    controls=true
                    playsinline=true
                    preload=preload
                    poster=poster
                    width=film.width
                    height=film.height
                    data-testid="provenance-film"
                >
                    <source src=film.url.clone() type="video/mp4" />
                    <a href=film.url download>{t.provenance_film_download()}</a>
                </video>
                <figcaption class="muted">{t.provenance_film_caption()}</figcaption>
            </figure>
        }
    });
    let evidence = provenance.evidence.map(|(image, thumb)| {
        let alt = fill(t.provenance_evidence_alt(), &[("artist", &artist)]);
        view! {
            <figure class="provenance-evidence">
                <a href=image.url.clone()>
                    <img
                        src=thumb.url.clone()
                        srcset=format!("{} {}w, {} {}w", thumb.url, thumb.width, image.url, image.width)
                        sizes="(min-width: 960px) 20rem, 80vw"
                        width=thumb.width
                        height=thumb.height
                        alt=alt
                        loading="lazy"
                    />
                </a>
                <figcaption class="muted">{t.provenance_evidence_caption()}</figcaption>
            </figure>
        }
    });
    view! {
        <section class="provenance" aria-labelledby="provenance-heading" data-testid="provenance">
            <h2 id="provenance-heading">{t.provenance_heading()}</h2>
            <p class="provenance-made"><strong>{label}</strong></p>
            <p>{about}</p>
            {evidence}
            {film}
        </section>
    }
}
