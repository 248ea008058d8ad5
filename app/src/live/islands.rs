//! The live parts of a campaign's public pages, as islands: each hydrates on its own from what
//! the page was rendered with, and all of a page's islands follow one stream. The rest of a page
//! is the server's HTML and ships no code.

use super::{use_live, FeedGift, GiftFeed, MilestoneNotice};
use crate::ambassadors::{Leaderboards, TeamBoards};
use crate::campaigns::{Progress, Thermometer};
use crate::from_json_fields;
use crate::island::island;
use crate::matching::{MatchBanner, MatchOffer};
use leptos::prelude::*;
use serde::Serialize;

/// The goal: the thermometer, the matches' banner (none without `offers`) and, when
/// `milestones`, the notice of a milestone reached while the page is open.
#[component]
pub fn LiveGoal(
    slug: String,
    progress: Progress,
    offers: Vec<MatchOffer>,
    milestones: bool,
) -> impl IntoView {
    let data = Goal {
        slug,
        progress,
        offers,
        milestones,
    };
    island("LiveGoal", data, live_goal)
}

#[derive(Serialize)]
struct Goal {
    slug: String,
    progress: Progress,
    offers: Vec<MatchOffer>,
    milestones: bool,
}
from_json_fields!(Goal {
    slug,
    progress,
    offers,
    milestones
});

fn live_goal(goal: Goal) -> impl IntoView {
    let live = use_live(&goal.slug, goal.progress, Vec::new());
    view! {
        <Thermometer progress=live.progress />
        <MatchBanner offers=goal.offers progress=live.progress />
        {goal.milestones.then(|| view! { <MilestoneNotice milestone=live.milestone /> })}
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = "LiveGoal")]
pub fn hydrate_live_goal(element: web_sys::HtmlElement) {
    crate::island::hydrate(&element, "LiveGoal", live_goal)
}

/// The latest public gifts, as they come.
#[component]
pub fn LiveGiftFeed(slug: String, progress: Progress, gifts: Vec<FeedGift>) -> impl IntoView {
    let data = Feed {
        slug,
        progress,
        gifts,
    };
    island("LiveGiftFeed", data, live_gift_feed)
}

#[derive(Serialize)]
struct Feed {
    slug: String,
    progress: Progress,
    gifts: Vec<FeedGift>,
}
from_json_fields!(Feed {
    slug,
    progress,
    gifts
});

fn live_gift_feed(feed: Feed) -> impl IntoView {
    let live = use_live(&feed.slug, feed.progress, feed.gifts);
    view! { <GiftFeed gifts=live.gifts /> }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = "LiveGiftFeed")]
pub fn hydrate_live_gift_feed(element: web_sys::HtmlElement) {
    crate::island::hydrate(&element, "LiveGiftFeed", live_gift_feed)
}

/// The teams' and ambassadors' leaderboards, shown once a team exists; `base` is the
/// campaign's path.
#[component]
pub fn LiveTeamBoards(
    slug: String,
    progress: Progress,
    boards: Leaderboards,
    base: String,
) -> impl IntoView {
    let data = Boards {
        slug,
        progress,
        boards,
        base,
    };
    island("LiveTeamBoards", data, live_team_boards)
}

#[derive(Serialize)]
struct Boards {
    slug: String,
    progress: Progress,
    boards: Leaderboards,
    base: String,
}
from_json_fields!(Boards {
    slug,
    progress,
    boards,
    base
});

fn live_team_boards(data: Boards) -> impl IntoView {
    let Boards {
        slug,
        progress,
        boards,
        base,
    } = data;
    let live = use_live(&slug, progress, Vec::new()).with_boards(boards);
    let shown = Memo::new(move |_| live.boards.with(|b| !b.teams.is_empty()));
    move || {
        shown
            .get()
            .then(|| view! { <TeamBoards boards=live.boards base=base.clone() /> })
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = "LiveTeamBoards")]
pub fn hydrate_live_team_boards(element: web_sys::HtmlElement) {
    crate::island::hydrate(&element, "LiveTeamBoards", live_team_boards)
}
