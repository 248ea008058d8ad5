//! The live parts of a campaign's public pages, as islands: each hydrates on its own from what
//! the page was rendered with, and all of a page's islands follow one stream. The rest of a page
//! is the server's HTML and ships no code.

use super::{use_live, FeedGift, GiftFeed, MilestoneNotice};
use crate::ambassadors::{Leaderboards, TeamBoards};
use crate::campaigns::{Progress, Thermometer};
use crate::matching::{MatchBanner, MatchOffer};
use leptos::prelude::*;

/// The goal: the thermometer, the matches' banner (none without `offers`) and, when
/// `milestones`, the notice of a milestone reached while the page is open.
#[island]
pub fn LiveGoal(
    slug: String,
    progress: Progress,
    offers: Vec<MatchOffer>,
    milestones: bool,
) -> impl IntoView {
    let live = use_live(&slug, progress, Vec::new());
    view! {
        <Thermometer progress=live.progress />
        <MatchBanner offers progress=live.progress />
        {milestones.then(|| view! { <MilestoneNotice milestone=live.milestone /> })}
    }
}

/// The latest public gifts, as they come.
#[island]
pub fn LiveGiftFeed(slug: String, progress: Progress, gifts: Vec<FeedGift>) -> impl IntoView {
    let live = use_live(&slug, progress, gifts);
    view! { <GiftFeed gifts=live.gifts /> }
}

/// The teams' and ambassadors' leaderboards, shown once a team exists; `base` is the
/// campaign's path.
#[island]
pub fn LiveTeamBoards(
    slug: String,
    progress: Progress,
    boards: Leaderboards,
    base: String,
) -> impl IntoView {
    let live = use_live(&slug, progress, Vec::new()).with_boards(boards);
    let shown = Memo::new(move |_| live.boards.with(|b| !b.teams.is_empty()));
    move || {
        shown
            .get()
            .then(|| view! { <TeamBoards boards=live.boards base=base.clone() /> })
    }
}
