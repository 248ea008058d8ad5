//! `GET /campaigns/{slug}/artists/{artist}`: an artist's public page: who they are (by the name
//! they chose, an age band, and who consented for them), their works with each one's consent in
//! force or withdrawn, and the royalties the public ledger says they accrued, were paid and are
//! still owed.

use super::artist_api::{load_artist, ArtistPageData};
use crate::artworks::consent_panel::refusal;
use crate::artworks::royalty_table::RoyaltyTable;
use crate::artworks::Gallery;
use crate::i18n::{fill, use_locale};
use crate::not_found::ErrorPage;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The artist page.
#[component]
pub fn ArtistPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("slug").unwrap_or_default(),
                p.get("artist").unwrap_or_default(),
            )
        },
        move |(slug, artist)| load_artist(slug, artist, locale),
    );
    let t = locale.words();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.loading_gallery()}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => Either::Left(view! { <Artist data /> }),
                    Err(error) => Either::Right(view! { <ErrorPage error /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Artist(data: ArtistPageData) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let artist = &data.artist;
    let title = fill(
        t.artist_page_title(),
        &[("name", &artist.name), ("campaign", &data.campaign_title)],
    );
    let band = artist.age_band.label(t);
    let age = (!band.is_empty()).then(|| {
        view! {
            <dt>{t.artist_age_band()}</dt>
            <dd>{band}</dd>
        }
    });
    let protection = artist.protection.label(t);
    let protection = (!protection.is_empty()).then(|| view! { <p>{protection}</p> });
    let campaign_path = data.campaign_path.clone();
    let standings = data
        .works
        .clone()
        .into_iter()
        .map(|work| {
            let status = refusal(t, &work.consent.standing)
                .unwrap_or_else(|| t.consent_in_force().to_owned());
            let href = format!("{campaign_path}/artworks/{}", work.card.slug);
            view! {
                <li data-testid="artist-work-consent">
                    <A href=href>{work.card.title}</A>
                    ": "
                    {status}
                </li>
            }
        })
        .collect_view();
    let cards: Vec<_> = data.works.iter().map(|w| w.card.clone()).collect();
    view! {
        <Title text=title.clone() />
        <main id="main" class="page artist-page">
            <p class="breadcrumb">
                <A href=data.campaign_path.clone()>{data.campaign_title.clone()}</A>
            </p>
            <h1 data-testid="artist-name">{artist.name.clone()}</h1>
            <dl class="ledger-facts">{age}</dl>
            {protection}
            <section aria-labelledby="artist-works">
                <h2 id="artist-works">{t.artist_works_heading()}</h2>
                <Gallery artworks=cards base=data.campaign_path.clone() />
                <ul class="artist-consents">{standings}</ul>
            </section>
            <section aria-labelledby="artist-royalties">
                <h2 id="artist-royalties">{t.royalties_heading()}</h2>
                <RoyaltyTable
                    royalties=data.royalty.clone().into_iter().collect()
                    currency=data.currency
                    campaign_path=data.campaign_path.clone()
                    checkpoint_size=data.checkpoint_size
                />
            </section>
        </main>
    }
}
