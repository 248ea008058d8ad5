//! `GET /campaigns/{slug}/artworks/{artwork}`: the artwork, its artist, story and consent, and
//! the call to adopt it.

use super::{load_artwork, ArtworkPageData};
use crate::campaigns::{CampaignStatus, Thermometer};
use crate::not_found::ErrorPage;
use crate::seo::PageMetaTags;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The artwork page.
#[component]
pub fn ArtworkPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("slug").unwrap_or_default(),
                p.get("artwork").unwrap_or_default(),
            )
        },
        |(campaign, artwork)| load_artwork(campaign, artwork),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the artwork…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => Either::Left(view! { <Artwork data /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Artwork(data: ArtworkPageData) -> impl IntoView {
    let ArtworkPageData {
        campaign,
        progress,
        artwork,
        previous,
        next,
        meta,
    } = data;
    let card = artwork.card;
    let consent = artwork.consent;
    let campaign_path = campaign.path();
    let alt = format!("{}, painted by {}", card.title, card.artist.name);
    let story = crate::campaigns::paragraphs(&artwork.story);
    let message = (!artwork.artist_message.is_empty()).then(|| {
        view! {
            <blockquote class="artist-message">
                <p>{artwork.artist_message.clone()}</p>
                <footer>"— " {card.artist.name.clone()}</footer>
            </blockquote>
        }
    });
    let presets = campaign
        .presets
        .iter()
        .map(|amount| view! { <li class="amount-chip">{amount.to_string()}</li> })
        .collect_view();
    let adopt_note = match progress.status {
        CampaignStatus::Open => "Giving opens here shortly: payments are being connected.",
        CampaignStatus::Upcoming => "This campaign has not opened yet.",
        CampaignStatus::Closed => "This campaign has closed. Thank you to everyone who gave.",
    };
    let neighbour = |card: Option<super::ArtworkCard>, rel: &'static str, label: &'static str| {
        let base = campaign_path.clone();
        card.map(move |c| {
            view! {
                <A href=format!("{base}/artworks/{}", c.slug) attr:rel=rel attr:class="neighbour">
                    <span class="neighbour-label">{label}</span>
                    <span>{c.title}</span>
                </A>
            }
        })
    };
    let previous = neighbour(previous, "prev", "Previous");
    let next = neighbour(next, "next", "Next");
    view! {
        <PageMetaTags meta />
        <article class="artwork">
            <nav class="breadcrumb" aria-label="Breadcrumb">
                <A href=campaign_path.clone()>{campaign.title.clone()}</A>
            </nav>
            <figure class="artwork-figure">
                <img
                    src=card.image.url
                    width=card.image.width
                    height=card.image.height
                    alt=alt
                    fetchpriority="high"
                />
            </figure>
            <div class="artwork-body">
                <h1>{card.title.clone()}</h1>
                <p class="artwork-artist">"By " {card.artist.byline()}</p>
                {message}
                <section class="artwork-story" aria-labelledby="story-heading">
                    <h2 id="story-heading">"The story"</h2>
                    {story}
                </section>
                <section class="adopt" aria-labelledby="adopt-heading">
                    <h2 id="adopt-heading">"Adopt this artwork"</h2>
                    <p class="price">
                        "From " <strong>{campaign.min_gift.to_string()}</strong>
                        ", or any amount you choose. You receive the painting as a phone wallpaper and a certificate with your name."
                    </p>
                    <ul class="amount-chips" aria-label="Suggested amounts">{presets}</ul>
                    <button type="button" class="button button-primary" disabled=true>
                        "Adopt this artwork"
                    </button>
                    <p class="adopt-note" role="note">{adopt_note}</p>
                </section>
                <Thermometer progress />
                <section class="consent" aria-labelledby="consent-heading">
                    <h2 id="consent-heading">"Consent and royalties"</h2>
                    <dl>
                        <dt>"Consent given by"</dt>
                        <dd>{consent.given_by.clone()} " (" {consent.relationship.clone()} ")"</dd>
                        <dt>"Date"</dt>
                        <dd>{consent.given_on.clone()}</dd>
                        <dt>"Licence"</dt>
                        <dd>{consent.licence.clone()}</dd>
                        <dt>"Artist's share of each gift"</dt>
                        <dd>{consent.royalty_label()}</dd>
                    </dl>
                </section>
                <nav class="neighbours" aria-label="More artworks">{previous} {next}</nav>
            </div>
        </article>
    }
}

/// Title, description and preview image of an artwork page.
#[cfg(feature = "ssr")]
pub(super) fn page_meta(
    site: &crate::state::PublicUrl,
    campaign: &crate::campaigns::Campaign,
    artwork: &super::ArtworkDetail,
) -> crate::seo::PageMeta {
    use crate::seo::{summary, MetaImage, PageMeta};
    let card = &artwork.card;
    PageMeta {
        title: format!(
            "{} by {} · {}",
            card.title, card.artist.name, campaign.title
        ),
        description: summary(&artwork.story, 200),
        url: site.absolute(&format!("{}/artworks/{}", campaign.path(), card.slug)),
        image: Some(MetaImage {
            url: site.absolute(&card.image.url),
            width: card.image.width,
            height: card.image.height,
            alt: format!("{}, painted by {}", card.title, card.artist.name),
        }),
    }
}
