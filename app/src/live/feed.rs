//! The recent-gifts feed and the milestone notice.

use super::{FeedGift, Milestone};
use crate::i18n::{fill, use_locale};
use leptos::either::Either;
use leptos::prelude::*;

/// The latest public gifts, newest first. The list keeps a fixed height, so a new gift never
/// moves the page below it.
#[component]
pub fn GiftFeed(#[prop(into)] gifts: Signal<Vec<FeedGift>>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.words();
    let items = move || {
        gifts.with(|gifts| {
            if gifts.is_empty() {
                return Either::Left(view! { <li class="feed-empty">{t.feed_empty()}</li> });
            }
            let items = gifts
                .iter()
                .map(|gift| {
                    let name = gift
                        .name
                        .clone()
                        .unwrap_or_else(|| t.feed_anonymous().to_owned());
                    let line = fill(
                        t.feed_gift(),
                        &[("name", &name), ("artwork", gift.artwork_title.get(locale))],
                    );
                    let amount = gift.amount.map(|a| {
                        view! { <span class="feed-amount">{a.format(locale)}</span> }
                    });
                    let message = gift.message.clone().map(|m| {
                        view! { <q class="feed-message">{m}</q> }
                    });
                    view! {
                        <li data-number=gift.number>
                            <span class="feed-line">{line}</span>
                            {amount}
                            {message}
                        </li>
                    }
                })
                .collect_view();
            Either::Right(items)
        })
    };
    view! {
        <section class="feed" aria-labelledby="feed-heading">
            <h2 id="feed-heading">{t.feed_heading()}</h2>
            <ol class="feed-list" data-testid="feed">
                {items}
            </ol>
        </section>
    }
}

/// Announces a milestone reached while the page is open, to the eye and, politely, to screen
/// readers. The region is always there, so that a change is announced.
#[component]
pub fn MilestoneNotice(#[prop(into)] milestone: Signal<Option<Milestone>>) -> impl IntoView {
    let t = use_locale().words();
    let text = move || {
        milestone.get().map(|m| {
            if m.percent >= 100 {
                t.milestone_goal().to_owned()
            } else {
                fill(
                    t.milestone_reached(),
                    &[("percent", &format!("{}%", m.percent))],
                )
            }
        })
    };
    view! {
        <p
            class="milestone"
            class:milestone-shown=move || milestone.with(Option::is_some)
            role="status"
            aria-live="polite"
            data-testid="milestone"
        >
            {text}
        </p>
    }
}
