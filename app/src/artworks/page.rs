//! `GET /campaigns/{slug}/artworks/{artwork}`: the artwork, its artist, story and consent, and
//! the call to adopt it.

use super::api::{load_artwork, ArtworkPageData};
use super::consent_panel::{refusal, ConsentPanel};
use super::provenance_panel::ProvenancePanel;
use super::voice_player::VoiceMessage;
use super::ArtworkCard;
use crate::campaigns::{paragraphs, PresentedBy};
use crate::donations::{minimum_gift, AdoptForm, FormNotice};
use crate::i18n::{fill, use_locale};
use crate::live::{LiveGiftFeed, LiveGoal};
use crate::not_found::ErrorPage;
use crate::seo::PageMetaTags;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;

/// The campaign's and the artwork's slugs in a route such as
/// `/campaigns/{slug}/artworks/{artwork}` (empty when missing).
pub fn route_slugs(params: Memo<ParamsMap>) -> (String, String) {
    let p = params.read();
    (
        p.get("slug").unwrap_or_default(),
        p.get("artwork").unwrap_or_default(),
    )
}

/// The artwork page.
#[component]
pub fn ArtworkPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(
        move || route_slugs(params),
        move |(campaign, artwork)| load_artwork(campaign, artwork, locale),
    );
    let t = locale.words();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.loading_artwork()}</p> }>
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
    let locale = use_locale();
    let t = locale.words();
    let ArtworkPageData {
        campaign,
        progress,
        feed,
        artwork,
        previous,
        next,
        meta,
        form_key,
        surge,
        plan_published,
        matches,
    } = data;
    let slug = campaign.slug.to_string();
    let card = artwork.card;
    let min = minimum_gift(&campaign);
    let notice = use_query_map()
        .read_untracked()
        .get("error")
        .and_then(|code| FormNotice::from_code(&code, min))
        .map(|notice| notice.message(locale));
    let consent = artwork.consent;
    let provenance = artwork.provenance;
    let voice = artwork.voice;
    let campaign_path = campaign.path();
    let organiser = campaign.organiser.clone();
    // The byline leads to the artist's own page: their works, consent and royalties.
    let by = fill(t.by_artist(), &[("artist", &card.artist.byline(locale))]);
    let byline = match &card.artist.slug {
        Some(artist) => {
            let href = format!("{campaign_path}/artists/{artist}");
            Either::Left(view! { <A href=href attr:data-testid="artist-link">{by}</A> })
        }
        None => Either::Right(by),
    };
    let alt = card.alt(locale);
    let story = paragraphs(&artwork.story);
    let message = (!artwork.artist_message.is_empty()).then(|| {
        view! {
            <blockquote class="artist-message">
                <p>{artwork.artist_message.clone()}</p>
                <footer>"— " {card.artist.name.clone()}</footer>
            </blockquote>
        }
    });
    let neighbour = |card: Option<ArtworkCard>, rel: &'static str, label: &'static str| {
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
    let previous = neighbour(previous, "prev", t.previous());
    let next = neighbour(next, "next", t.next());
    let price = fill(t.adopt_price(), &[("amount", &min.format(locale))]);
    let adopt_from = fill(t.adopt_from(), &[("amount", &min.format(locale))]);
    // Without a consent in force there is no form: the section says why instead.
    let refused = if plan_published {
        refusal(t, &consent.standing)
    } else {
        Some(t.checkout_no_plan().to_owned())
    };
    let adopt = match refused {
        None => {
            let form = AdoptForm {
                campaign_path: campaign_path.clone(),
                artwork_slug: card.slug.to_string(),
                slug: slug.clone(),
                progress: progress.clone(),
                presets: campaign.presets.clone(),
                min,
                form_key,
                notice,
                surge,
            };
            Either::Left(view! {
                <a class="adopt-bar" href="#adopt">
                    <span class="adopt-bar-price">{adopt_from}</span>
                    <span class="adopt-bar-go">{t.adopt_button()}</span>
                </a>
                <section class="adopt" id="adopt" aria-labelledby="adopt-heading">
                    <h2 id="adopt-heading">{t.adopt_heading()}</h2>
                    <p class="price">{price}</p>
                    {form.into_island()}
                </section>
            })
        }
        Some(why) => Either::Right(view! {
            <section class="adopt adopt-withdrawn" id="adopt" data-testid="adopt-withdrawn">
                <h2>{t.adopt_heading()}</h2>
                <p class="notice">{why}</p>
            </section>
        }),
    };
    view! {
        <PageMetaTags meta />
        <article class="artwork">
            <nav class="breadcrumb" aria-label=t.breadcrumb()>
                <A href=campaign_path.clone()>{campaign.title.clone()}</A>
            </nav>
            <figure class="artwork-figure">
                <img
                    srcset=card.srcset()
                    sizes="(min-width: 960px) 35rem, 100vw"
                    src=card.image.url
                    width=card.image.width
                    height=card.image.height
                    alt=alt
                    fetchpriority="high"
                />
            </figure>
            <div class="artwork-body">
                <h1>{card.title.clone()}</h1>
                <p class="artwork-artist">{byline}</p>
                {message}
                {voice.map(|voice| view! { <VoiceMessage voice artist=card.artist.name.clone() /> })}
                <section class="artwork-story" aria-labelledby="story-heading">
                    <h2 id="story-heading">{t.artwork_story_heading()}</h2>
                    {story}
                </section>
                // On a phone the price and the way to the form stay at the bottom of the screen
                // until the form itself scrolls into view (CSS `position: sticky`, no script).
                {adopt}
                {LiveGoal { slug: slug.clone(), progress: progress.clone(), offers: matches, milestones: true }.into_island()}
                {organiser.map(|organiser| view! { <PresentedBy organiser /> })}
                {LiveGiftFeed { slug, progress, gifts: feed }.into_island()}
                {provenance.map(|provenance| view! { <ProvenancePanel provenance artist=card.artist.name.clone() /> })}
                <ConsentPanel consent />
                <nav class="neighbours" aria-label=t.more_artworks()>
                    {previous}
                    {next}
                </nav>
            </div>
        </article>
    }
}

/// Title, description and preview image of an artwork page.
#[cfg(feature = "ssr")]
pub(super) fn page_meta(
    site: &crate::site::PublicUrl,
    campaign: &crate::campaigns::Campaign,
    artwork: &super::ArtworkDetail,
    image: crate::seo::MetaImage,
    locale: crate::i18n::Locale,
) -> crate::seo::PageMeta {
    use crate::seo::{summary, PageMeta};
    let t = locale.words();
    let card = &artwork.card;
    PageMeta {
        title: fill(
            t.artwork_title(),
            &[
                ("title", &card.title),
                ("artist", &card.artist.name),
                ("campaign", &campaign.title),
            ],
        ),
        description: summary(&artwork.story, 200),
        url: site.absolute(&format!("{}/artworks/{}", campaign.path(), card.slug)),
        locale,
        image: Some(image),
    }
}
