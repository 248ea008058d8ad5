//! `GET /` and `GET /campaigns/{slug}`: story, beneficiary, thermometer and gallery.

use super::api::{load_landing, LandingData};
use super::PresentedBy;
use crate::artworks::Gallery;
use crate::error::AppError;
use crate::i18n::{fill, use_locale};
use crate::live::{LiveGiftFeed, LiveGoal, LiveTeamBoards};
use crate::not_found::ErrorPage;
use crate::seo::PageMetaTags;
use crate::updates::LatestUpdates;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The featured campaign's landing page, at `/`.
#[component]
pub fn FeaturedCampaignPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(move || locale, |locale| load_landing(None, locale));
    view! { <LandingLoader data /> }
}

/// A campaign's landing page, at `/campaigns/{slug}`.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("slug"),
        move |slug| load_landing(slug, locale),
    );
    view! { <LandingLoader data /> }
}

#[component]
fn LandingLoader(data: Resource<Result<LandingData, AppError>>) -> impl IntoView {
    let t = use_locale().words();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
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
    let locale = use_locale();
    let t = locale.words();
    let LandingData {
        campaign,
        progress,
        feed,
        boards,
        artworks,
        matches,
        updates,
        meta,
    } = data;
    let slug = campaign.slug.to_string();
    let deadline = fill(
        t.deadline(),
        &[
            (
                "date",
                &campaign
                    .ends_at
                    .display_local(campaign.utc_offset_minutes, locale),
            ),
            ("amount", &campaign.min_gift.format(locale)),
        ],
    );
    let story = paragraphs(&campaign.story);
    let about = paragraphs(&campaign.beneficiary.about);
    let beneficiary = campaign.beneficiary.name.clone();
    let beneficiary_link = campaign.beneficiary.url.clone().map(|url| {
        let label = fill(t.visit_beneficiary(), &[("name", &beneficiary)]);
        view! {
            <a href=url rel="noopener" target="_blank">
                {label}
            </a>
        }
    });
    let gallery_intro = fill(t.gallery_intro(), &[("count", &artworks.len().to_string())]);
    let base = campaign.path();
    let base_for_boards = base.clone();
    let base_for_updates = base.clone();
    let glimpse = glimpse(&artworks, &base, locale);
    let ledger = format!("{base}/transparency");
    let organiser = campaign.organiser.clone();
    let verify = format!("{base}/verify");
    view! {
        <PageMetaTags meta />
        <article class="landing">
            <section class="hero">
                <p class="eyebrow">{fill(t.for_beneficiary(), &[("name", &beneficiary)])}</p>
                <h1>{campaign.title.clone()}</h1>
                {organiser.clone().map(|organiser| view! { <PresentedBy organiser /> })}
                {glimpse}
                {LiveGoal { slug: slug.clone(), progress: progress.clone(), offers: matches, milestones: true }.into_island()}
                <p class="tagline">{campaign.tagline.clone()}</p>
                <p class="deadline">
                    <time datetime=campaign.ends_at.rfc3339()>{deadline}</time>
                </p>
                <a class="button button-primary" href="#gallery">
                    {t.choose_artwork()}
                </a>
            </section>
            <section class="gallery-section" id="gallery" aria-labelledby="gallery-heading">
                <h2 id="gallery-heading">{t.gallery_heading()}</h2>
                <p class="section-intro">{gallery_intro}</p>
                <Gallery artworks base />
            </section>
            {LiveGiftFeed { slug: slug.clone(), progress: progress.clone(), gifts: feed }.into_island()}
            {LiveTeamBoards { slug: slug.clone(), progress: progress.clone(), boards, base: base_for_boards }.into_island()}
            <LatestUpdates
                updates
                slug
                campaign_path=base_for_updates
                offset=campaign.utc_offset_minutes
                progress
            />
            <section class="story" aria-labelledby="story-heading">
                <h2 id="story-heading">{t.campaign_story_heading()}</h2>
                {story}
                <p class="ledger-link">
                    <a href=ledger>{t.ledger_link()}</a>
                    " · "
                    <a href=verify>{t.verify_link()}</a>
                </p>
            </section>
            <section class="beneficiary" aria-labelledby="beneficiary-heading">
                <h2 id="beneficiary-heading">{t.beneficiary_heading()}</h2>
                <h3>{beneficiary.clone()}</h3>
                {about}
                {beneficiary_link}
            </section>
            {organiser.map(|organiser| view! { <PresentedBy organiser statement=true /> })}
        </article>
    }
}

/// The first paintings, at the top of the page: what a visitor from a QR code sees first, on a
/// phone above the thermometer, on a wide screen beside it.
fn glimpse(
    artworks: &[crate::artworks::ArtworkCard],
    base: &str,
    locale: crate::i18n::Locale,
) -> impl IntoView {
    let items = artworks
        .iter()
        .take(3)
        .enumerate()
        .map(|(i, art)| {
            // The first painting takes two thirds of the row, the others one third. The first is
            // the page's largest paint: on a slow link it comes first, the two beside it after.
            let (priority, sizes) = if i == 0 {
                ("high", "(min-width: 520px) 20rem, 62vw")
            } else {
                ("low", "(min-width: 520px) 10rem, 31vw")
            };
            view! {
                <li>
                    <a href=format!("{base}/artworks/{}", art.slug)>
                        <img
                            src=art.thumb.url.clone()
                            srcset=art.srcset()
                            sizes=sizes
                            width=art.thumb.width
                            height=art.thumb.height
                            alt=art.alt(locale)
                            fetchpriority=priority
                        />
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="glimpse" role="list">{items}</ul> }
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
    site: &crate::site::PublicUrl,
    campaign: &super::Campaign,
    image: Option<crate::seo::MetaImage>,
    locale: crate::i18n::Locale,
) -> crate::seo::PageMeta {
    use crate::seo::{summary, PageMeta};
    let t = locale.words();
    PageMeta {
        title: fill(
            t.landing_title(),
            &[("campaign", &campaign.title), ("site", t.site_name())],
        ),
        description: summary(&format!("{} {}", campaign.tagline, campaign.story), 200),
        url: site.absolute(&campaign.path()),
        locale,
        image,
    }
}
