//! Employee ambassadors and their teams: the company's people as the campaign's voice.
//!
//! Staff create a campaign's teams, and let employees join through one-time invitation links
//! or with an address at an allowed domain. An employee joins with their work address, picks a
//! team, a public name and a goal, and confirms the address through a one-time link emailed to
//! it; they then have a public page (`/a/{code}`) and a private dashboard
//! (`/ambassadors/{key}`). A visit to their page leaves their code in the referrer cookie, as a
//! share does, so gifts made through it, and through shares that started from it, are credited
//! to them and their team. Work addresses are never public; an ambassador may keep off public
//! leaderboards.

mod api;
mod leaderboard;
mod page;

#[cfg(feature = "ssr")]
pub mod join;
#[cfg(feature = "ssr")]
pub mod store;

pub use api::{load_ambassador, load_ambassador_dashboard, load_join, load_team};
pub use leaderboard::TeamBoards;
pub use page::{AmbassadorDashboardPage, AmbassadorPage, JoinPage, TeamPage};

use crate::campaigns::Progress;
use crate::ids::ShareCode;
use crate::live::Titles;
use crate::money::Money;
use crate::seo::PageMeta;
use serde::{Deserialize, Serialize};

/// How long a confirmation link works.
pub const CONFIRM_HOURS: i64 = 48;
/// The longest public name, in characters.
pub const MAX_NAME: usize = 60;
/// The most teams a campaign may have.
pub const MAX_TEAMS: usize = 50;
/// The ambassadors a campaign's public leaderboard shows.
pub const PUBLIC_AMBASSADORS: usize = 10;

/// Where the join form posts for campaign `slug`.
pub fn join_path(slug: &str) -> String {
    format!("/api/campaigns/{slug}/ambassadors")
}

/// The page that confirms an address.
pub fn confirm_path(token: &str) -> String {
    format!("/join/confirm/{token}")
}

/// An ambassador's private dashboard.
pub fn dashboard_path(key: &str) -> String {
    format!("/ambassadors/{key}")
}

/// An ambassador's public page.
pub fn page_path(code: &ShareCode) -> String {
    format!("/a/{code}")
}

/// A team's public page, under its campaign's path.
pub fn team_path(campaign_path: &str, team: i64) -> String {
    format!("{campaign_path}/teams/{team}")
}

/// What an outbox email to ambassador `id` is about when it gives their dashboard's link
/// again; their confirmation is about their id alone.
pub fn dashboard_about(id: i64) -> String {
    format!("{id}/dashboard")
}

/// The ambassador an outbox email is about, and whether it gives their dashboard's link.
pub fn parse_about(about: &str) -> Option<(i64, bool)> {
    match about.strip_suffix("/dashboard") {
        Some(id) => Some((id.parse().ok()?, true)),
        None => Some((about.parse().ok()?, false)),
    }
}

/// A team as the join form offers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: i64,
    /// In the reader's language.
    pub name: String,
}

/// What an ambassador's page and shares brought.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmbassadorStats {
    /// Visitors their page brought (the first page that brought them): the people it reached.
    pub reached: u64,
    /// Paid gifts credited to them, less refunds.
    pub gifts: u64,
    pub raised_minor: i64,
    /// Of those gifts, the ones made through shares that started from their page: the people
    /// their shares recruited.
    pub through_shares: u64,
}

/// A team on a leaderboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRank {
    pub id: i64,
    /// In both languages: one published board serves every reader.
    pub name: Titles,
    pub ambassadors: u64,
    pub gifts: u64,
    pub raised: Money,
    pub reached: u64,
}
crate::from_json_fields!(TeamRank {
    id,
    name,
    ambassadors,
    gifts,
    raised,
    reached,
});

/// An ambassador on a leaderboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmbassadorRank {
    pub name: String,
    pub code: ShareCode,
    pub team_id: i64,
    pub team: Titles,
    pub gifts: u64,
    pub raised: Money,
    /// Their own goal, if they set one.
    pub goal: Option<Money>,
    pub reached: u64,
    /// Kept off public leaderboards by their choice (staff still see them).
    pub hidden: bool,
}
crate::from_json_fields!(AmbassadorRank {
    name,
    code,
    team_id,
    team,
    gifts,
    raised,
    goal,
    reached,
    hidden,
});

/// A campaign's teams and ambassadors ranked by what they raised.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaderboards {
    pub teams: Vec<TeamRank>,
    pub ambassadors: Vec<AmbassadorRank>,
}
crate::from_json_fields!(Leaderboards { teams, ambassadors });

/// An ambassador's public page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmbassadorView {
    pub code: ShareCode,
    pub name: String,
    pub team: String,
    pub campaign_title: String,
    pub campaign_slug: String,
    pub campaign_path: String,
    pub progress: Progress,
    pub goal: Option<Money>,
    pub raised: Money,
    pub gifts: u64,
    pub meta: PageMeta,
}

/// A team's public page: its figures and its members' progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamView {
    pub campaign_title: String,
    pub campaign_path: String,
    pub team: TeamRank,
    /// Its members who show on public boards, by what they raised.
    pub members: Vec<AmbassadorRank>,
    pub meta: PageMeta,
}

/// The join form of a campaign, through an invitation or an allowed domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinView {
    pub campaign_title: String,
    pub slug: String,
    pub teams: Vec<Team>,
    /// The allowed domains (when joining without an invitation).
    pub domains: Vec<String>,
    /// The invitation's token, when joining through one.
    pub invite: Option<String>,
}

/// An ambassador's own dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmbassadorDashboard {
    pub name: String,
    pub team: String,
    pub hidden: bool,
    /// Their public page (absolute), to share.
    pub page_url: String,
    pub campaign_title: String,
    pub campaign_path: String,
    pub goal: Option<Money>,
    pub raised: Money,
    pub stats: AmbassadorStats,
    /// Their A4 poster in each language: where to download it.
    pub posters: [(crate::i18n::Locale, String); 2],
}
