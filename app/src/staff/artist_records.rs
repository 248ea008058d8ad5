//! The artists' records on the staff artworks page: each artist's public name or pseudonym in
//! both languages, age band, who consented for them, and how many works are theirs. Admins edit
//! them with plain forms that post to the server and work without JavaScript; viewers read them.

use crate::artworks::artist::{AgeBand, StaffArtist};
use crate::i18n::{fill, use_locale};
use leptos::prelude::*;

/// Where the form for artist `artist` of campaign `slug` posts.
pub fn artist_path(slug: &str, artist: &str) -> String {
    format!("/api/staff/campaigns/{slug}/artists/{artist}")
}

/// The campaign's artists, as forms for admins.
#[component]
pub fn ArtistRecords(slug: String, artists: Vec<StaffArtist>, admin: bool) -> impl IntoView {
    let t = use_locale().words();
    let records = artists
        .into_iter()
        .map(|artist| {
            let id = artist.slug.to_string();
            let works = fill(t.artist_works_count(), &[("count", &artist.works.to_string())]);
            let protection = artist.protection.label(t);
            let facts = view! {
                <p class="muted">
                    <a href=format!("/campaigns/{slug}/artists/{id}")>{works}</a>
                    {(!protection.is_empty()).then(|| view! { " · " {protection} })}
                </p>
            };
            if admin {
                let bands = AgeBand::ALL
                    .into_iter()
                    .map(|band| {
                        view! {
                            <option value=band.as_str() selected=band == artist.age_band>
                                {band.choice(t)}
                            </option>
                        }
                    })
                    .collect_view();
                view! {
                    <li>
                        <form
                            class="artist-record"
                            method="post"
                            action=artist_path(&slug, &id)
                            data-testid="artist-form"
                            data-artist=id.clone()
                        >
                            <label class="field">
                                <span>{t.artist_name_en()}</span>
                                <input name="name_en" maxlength="120" value=artist.name_en />
                            </label>
                            <label class="field">
                                <span>{t.artist_name_zh()}</span>
                                <input name="name_zh" maxlength="120" value=artist.name_zh />
                            </label>
                            <label class="field">
                                <span>{t.artist_age_band()}</span>
                                <select name="age_band">{bands}</select>
                            </label>
                            <button class="button button-small" type="submit">{t.artist_save()}</button>
                            {facts}
                        </form>
                    </li>
                }
                .into_any()
            } else {
                let names = [artist.name_en, artist.name_zh]
                    .into_iter()
                    .filter(|n| !n.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                let band = artist.age_band.choice(t);
                view! {
                    <li class="artist-record" data-artist=id>
                        <strong>{names}</strong>
                        <span class="muted">{t.artist_age_band()} ": " {band}</span>
                        {facts}
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <section class="staff-panel" id="artists" aria-labelledby="artists-heading">
            <h2 id="artists-heading">{t.artists_heading()}</h2>
            <p class="field-hint">{t.artists_hint()}</p>
            <ul class="artist-records" data-testid="artist-records">{records}</ul>
        </section>
    }
}
