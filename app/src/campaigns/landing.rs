//! `GET /` and `GET /campaigns/{slug}`: story, beneficiary, thermometer and gallery.

use super::{load_landing, LandingData, Thermometer};
use crate::artworks::Gallery;
use crate::not_found::ErrorPage;
use crate::seo::PageMetaTags;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The featured campaign's landing page, at `/`.
#[component]
pub fn FeaturedCampaignPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_landing(None));
    view! { <LandingLoader data /> }
}

/// A campaign's landing page, at `/campaigns/{slug}`.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(move || params.read().get("slug"), load_landing);
    view! { <LandingLoader data /> }
}

#[component]
fn LandingLoader(data: Resource<Result<LandingData, crate::error::AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the gallery…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => Either::Left(view! { <Landing data /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Landing(data: LandingData) -> impl IntoView {
    let LandingData {
        campaign,
        progress,
        artworks,
        meta,
    } = data;
    let progress = RwSignal::new(progress);
    let deadline = campaign.ends_at.display_local(campaign.utc_offset_minutes);
    let deadline_iso = campaign.ends_at.rfc3339();
    let min_gift = campaign.min_gift.to_string();
    let story = paragraphs(&campaign.story);
    let about = paragraphs(&campaign.beneficiary.about);
    let beneficiary_link = campaign.beneficiary.url.clone().map(|url| {
        view! {
            <a href=url rel="noopener" target="_blank">
                "Visit " {campaign.beneficiary.name.clone()}
            </a>
        }
    });
    let base = campaign.path();
    view! {
        <PageMetaTags meta />
        <article class="landing">
            <section class="hero">
                <p class="eyebrow">"For " {campaign.beneficiary.name.clone()}</p>
                <h1>{campaign.title.clone()}</h1>
                <p class="tagline">{campaign.tagline.clone()}</p>
                <Thermometer progress />
                <p class="deadline">
                    "Gifts close " <time datetime=deadline_iso>{deadline}</time>
                    ". Adopt an artwork from " {min_gift} "."
                </p>
                <a class="button button-primary" href="#gallery">"Choose an artwork"</a>
            </section>
            <section class="gallery-section" id="gallery" aria-labelledby="gallery-heading">
                <h2 id="gallery-heading">"The gallery"</h2>
                <p class="section-intro">
                    {format!("{} artworks, each painted by an artist this campaign supports.", artworks.len())}
                </p>
                <Gallery artworks base />
            </section>
            <section class="story" aria-labelledby="story-heading">
                <h2 id="story-heading">"The story"</h2>
                {story}
            </section>
            <section class="beneficiary" aria-labelledby="beneficiary-heading">
                <h2 id="beneficiary-heading">"Where the money goes"</h2>
                <h3>{campaign.beneficiary.name.clone()}</h3>
                {about}
                {beneficiary_link}
            </section>
        </article>
    }
}

/// A text's blank-line-separated paragraphs as `<p>` elements.
pub fn paragraphs(text: &str) -> Vec<AnyView> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p>{p.to_owned()}</p> }.into_any())
        .collect()
}

/// Title, description and preview image of a landing page.
#[cfg(feature = "ssr")]
pub(super) fn page_meta(
    site: &crate::state::PublicUrl,
    campaign: &super::Campaign,
    cover: Option<&crate::artworks::ArtworkCard>,
) -> crate::seo::PageMeta {
    use crate::seo::{summary, MetaImage, PageMeta};
    PageMeta {
        title: format!("{} · Giving Gallery", campaign.title),
        description: summary(&format!("{} {}", campaign.tagline, campaign.story), 200),
        url: site.absolute(&campaign.path()),
        image: cover.map(|art| MetaImage {
            url: site.absolute(&art.image.url),
            width: art.image.width,
            height: art.image.height,
            alt: format!("{}, by {}", art.title, art.artist.name),
        }),
    }
}
