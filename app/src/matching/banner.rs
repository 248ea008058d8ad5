//! The match as a campaign's pages announce it: who matches, by how much, and the budget left,
//! moving live with the campaign's progress.

use super::{MatchOffer, ONE_TO_ONE_BP};
use crate::campaigns::Progress;
use crate::i18n::{fill, use_locale, Locale, Words};
use leptos::prelude::*;

/// One line per match, and the budget left while a match runs. Renders nothing for a campaign
/// without matches.
#[component]
pub fn MatchBanner(
    offers: Vec<MatchOffer>,
    #[prop(into)] progress: Signal<Progress>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    if offers.is_empty() {
        return None;
    }
    let lines = offers
        .into_iter()
        .map(|offer| {
            // A budget spent while the page is open ends the offer live.
            let line = move || {
                let spent = progress.with(|p| p.match_remaining.is_some_and(|m| m.minor() == 0));
                offer_line(&offer, offer.running && !spent, t, locale)
            };
            view! { <p class="match-offer">{line}</p> }
        })
        .collect_view();
    let left = move || {
        progress.with(|p| {
            p.match_remaining.filter(|m| m.minor() > 0).map(|m| {
                let text = fill(t.match_left(), &[("amount", &m.format(locale))]);
                view! { <p class="match-left" data-testid="match-left">{text}</p> }
            })
        })
    };
    Some(view! {
        <aside class="match-banner" data-testid="match">
            {lines}
            {left}
        </aside>
    })
}

/// What a match says: its offer while it runs, else what it gave.
fn offer_line(offer: &MatchOffer, running: bool, t: Words, locale: Locale) -> String {
    let sponsor = offer.sponsor.as_str();
    let cap = offer.total_cap.format(locale);
    if running {
        let mut text = if offer.ratio_bp == ONE_TO_ONE_BP {
            fill(t.match_doubled(), &[("sponsor", sponsor), ("cap", &cap)])
        } else {
            let percent = crate::money::percent_label(offer.ratio_bp);
            fill(
                t.match_ratio(),
                &[("sponsor", sponsor), ("percent", &percent), ("cap", &cap)],
            )
        };
        if let Some(per_gift) = offer.cap_per_gift {
            text.push(' ');
            text.push_str(&fill(
                t.match_per_gift(),
                &[("cap", &per_gift.format(locale))],
            ));
        }
        text
    } else if offer.matched.minor() >= offer.total_cap.minor() || offer.running {
        fill(
            t.match_complete(),
            &[("sponsor", sponsor), ("amount", &cap)],
        )
    } else {
        let matched = offer.matched.format(locale);
        fill(
            t.match_ended(),
            &[("sponsor", sponsor), ("amount", &matched)],
        )
    }
}
