//! The live parts of a campaign's public pages, as islands: each hydrates on its own from what
//! the page was rendered with, and all of a page's islands follow one stream. The rest of a page
//! is the server's HTML and ships no code.

use super::{use_live, FeedGift, GiftFeed, MilestoneNotice};
use crate::ambassadors::{Leaderboards, TeamBoards};
use crate::campaigns::{Progress, Thermometer};
use crate::island;
use crate::matching::{MatchBanner, MatchOffer};
use leptos::prelude::*;

island! {
    /// The goal: the thermometer, the matches' banner (none without `offers`) and, when
    /// `milestones`, the notice of a milestone reached while the page is open.
    pub struct LiveGoal {
        pub slug: String,
        pub progress: Progress,
        pub offers: Vec<MatchOffer>,
        pub milestones: bool,
    }
    shown by live_goal
}

fn live_goal(goal: LiveGoal) -> impl IntoView {
    let live = use_live(&goal.slug, goal.progress, Vec::new());
    view! {
        <Thermometer progress=live.progress />
        <MatchBanner offers=goal.offers progress=live.progress />
        {goal.milestones.then(|| view! { <MilestoneNotice milestone=live.milestone /> })}
    }
}

island! {
    /// The latest public gifts, as they come.
    pub struct LiveGiftFeed {
        pub slug: String,
        pub progress: Progress,
        pub gifts: Vec<FeedGift>,
    }
    shown by live_gift_feed
}

fn live_gift_feed(feed: LiveGiftFeed) -> impl IntoView {
    let live = use_live(&feed.slug, feed.progress, feed.gifts);
    view! { <GiftFeed gifts=live.gifts /> }
}

island! {
    /// The teams' and ambassadors' leaderboards, shown once a team exists.
    pub struct LiveTeamBoards {
        pub slug: String,
        pub progress: Progress,
        pub boards: Leaderboards,
        /// The campaign's path.
        pub base: String,
    }
    shown by live_team_boards
}

fn live_team_boards(data: LiveTeamBoards) -> impl IntoView {
    let live = use_live(&data.slug, data.progress, Vec::new()).with_boards(data.boards);
    let shown = Memo::new(move |_| live.boards.with(|b| !b.teams.is_empty()));
    let base = data.base;
    move || {
        shown
            .get()
            .then(|| view! { <TeamBoards boards=live.boards base=base.clone() /> })
    }
}
