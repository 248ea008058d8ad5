//! Campaigns: what a campaign is, how far it has come, and its landing page.

mod api;
mod brand;
mod landing;
mod presented_by;
mod thermometer;

#[cfg(feature = "ssr")]
pub mod store;

pub use api::{load_landing, LandingData};
pub use brand::{BrandColour, Logo, Organiser};
pub use landing::{paragraphs, CampaignPage, FeaturedCampaignPage};
pub use presented_by::{OrganiserLine, PresentedBy};
pub use thermometer::Thermometer;

use crate::dates::Timestamp;
use crate::money::Money;
use crate::slug::Slug;
use serde::{Deserialize, Serialize};

/// A campaign as the public sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    pub slug: Slug,
    pub title: String,
    pub tagline: String,
    pub story: String,
    pub beneficiary: Beneficiary,
    pub goal: Money,
    /// The least one gift can be.
    pub min_gift: Money,
    /// One-tap amounts on an artwork page.
    pub presets: Vec<Money>,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// The campaign's local time, for showing dates.
    pub utc_offset_minutes: i16,
    /// Stop taking gifts once the goal is reached.
    pub close_at_goal: bool,
    /// Whether matched money counts toward the goal (its percentage, and closing at it).
    pub goal_counts_match: bool,
    /// The company presenting it, when one does.
    #[serde(default)]
    pub organiser: Option<Organiser>,
}

impl Campaign {
    /// The campaign's landing page path.
    pub fn path(&self) -> String {
        format!("/campaigns/{}", self.slug)
    }
}

/// Who receives the money.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Beneficiary {
    pub name: String,
    pub about: String,
    pub url: Option<String>,
    /// The legal entity that receives the money, when staff have stated it.
    #[serde(default)]
    pub legal: Option<LegalEntity>,
}

/// An organisation as its register knows it: the name as registered (never translated) and its
/// registration (the register and the number, e.g. "Unified social credit code 53100000…").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalEntity {
    pub name: String,
    pub registration: String,
}

/// Whether a campaign takes gifts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    /// Not started yet.
    Upcoming,
    /// Taking gifts.
    Open,
    /// Past its end, or at its goal with close-at-goal set.
    Closed,
}

impl crate::json::FromJson for CampaignStatus {
    fn from_json(json: &crate::json::Json) -> Option<Self> {
        let name = String::from_json(json)?;
        CampaignStatus::ALL
            .into_iter()
            .find(|status| status.wire_name() == name)
    }
}

impl CampaignStatus {
    /// Every status, for readers and tests.
    pub const ALL: [CampaignStatus; 3] = [
        CampaignStatus::Upcoming,
        CampaignStatus::Open,
        CampaignStatus::Closed,
    ];

    /// The name serde writes (`rename_all = "snake_case"`).
    fn wire_name(self) -> &'static str {
        match self {
            CampaignStatus::Upcoming => "upcoming",
            CampaignStatus::Open => "open",
            CampaignStatus::Closed => "closed",
        }
    }

    /// The status at `now`, given the campaign's dates and what counts toward its goal.
    pub fn at(campaign: &Campaign, raised: Money, now: Timestamp) -> CampaignStatus {
        if now < campaign.starts_at {
            CampaignStatus::Upcoming
        } else if now >= campaign.ends_at
            || (campaign.close_at_goal && raised.minor() >= campaign.goal.minor())
        {
            CampaignStatus::Closed
        } else {
            CampaignStatus::Open
        }
    }
}

/// How far a campaign has come.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// What donors gave: paid, less refunds.
    pub raised: Money,
    /// What sponsors' matches added.
    pub matched: Money,
    /// The budget matches have left for a gift paid now; `None` when no match runs now.
    pub match_remaining: Option<Money>,
    /// Whether matched money counts toward the goal.
    pub goal_counts_match: bool,
    pub goal: Money,
    pub donors: u64,
    pub status: CampaignStatus,
    pub updated_at: Timestamp,
    /// Grows whenever the campaign's news changes (an update published or pinned): open pages
    /// fetch their news again when it moves.
    pub news: u64,
}
crate::from_json_fields!(Progress {
    raised,
    matched,
    match_remaining,
    goal_counts_match,
    goal,
    donors,
    status,
    updated_at,
    news,
});

impl Progress {
    /// What counts toward the goal: what donors gave, and matched money when the campaign
    /// counts it.
    pub fn toward_goal(&self) -> i64 {
        toward_goal(
            self.raised.minor(),
            self.matched.minor(),
            self.goal_counts_match,
        )
    }

    /// What counts toward the goal against the goal in basis points (10000 = the goal), capped
    /// at 10000 for the bar.
    pub fn basis_points(&self) -> u32 {
        self.basis_points_of(self.toward_goal())
    }

    /// What donors gave against the goal in basis points, capped as the bar is: the part of the
    /// bar drawn in the donors' colour.
    pub fn donors_basis_points(&self) -> u32 {
        self.basis_points_of(self.raised.minor())
    }

    fn basis_points_of(&self, amount: i64) -> u32 {
        let goal = i128::from(self.goal.minor().max(1));
        let bp = i128::from(amount) * 10_000 / goal;
        u32::try_from(bp.clamp(0, 10_000)).unwrap_or(10_000)
    }

    /// What counts toward the goal as a percentage of it, uncapped, to one decimal place.
    pub fn percent(&self) -> f64 {
        // Tenths of a percent fit an f64 exactly for any amount a campaign can hold.
        self.tenths_of_percent() as f64 / 10.0
    }

    /// "12.5%", or "0%" and "100%" without a needless decimal.
    pub fn percent_label(&self) -> String {
        let bp = self.tenths_of_percent().saturating_mul(10);
        crate::money::percent_label(bp)
    }

    fn tenths_of_percent(&self) -> i64 {
        let goal = i128::from(self.goal.minor().max(1));
        let tenths = i128::from(self.toward_goal()) * 1_000 / goal;
        i64::try_from(tenths).unwrap_or(i64::MAX)
    }
}

/// What counts toward a goal: `raised`, and `matched` when the campaign counts it.
pub fn toward_goal(raised: i64, matched: i64, counts_match: bool) -> i64 {
    if counts_match {
        raised.saturating_add(matched)
    } else {
        raised
    }
}

/// A bare campaign for unit tests: a goal and a least gift in one currency, open from 1 s to
/// 2 s after the epoch.
#[cfg(test)]
pub(crate) fn test_campaign(goal: Money, min_gift: Money, close_at_goal: bool) -> Campaign {
    Campaign {
        slug: "c".parse().expect("slug"),
        title: String::new(),
        tagline: String::new(),
        story: String::new(),
        beneficiary: Beneficiary {
            name: String::new(),
            about: String::new(),
            url: None,
            legal: None,
        },
        goal,
        min_gift,
        presets: vec![],
        starts_at: Timestamp::from_unix_ms(1_000),
        ends_at: Timestamp::from_unix_ms(2_000),
        utc_offset_minutes: 0,
        close_at_goal,
        goal_counts_match: true,
        organiser: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::assert_reads_back;
    use crate::money::Currency;

    #[test]
    fn the_browser_reads_back_the_progress_the_server_writes() {
        let cny = |minor| Money::from_minor(minor, Currency::Cny).expect("an amount");
        for status in CampaignStatus::ALL {
            assert_eq!(
                serde_json::to_string(&status).expect("serialises"),
                format!("\"{}\"", status.wire_name())
            );
            assert_reads_back(&status);
            assert_reads_back(&Progress {
                raised: cny(1_250),
                matched: cny(300),
                match_remaining: (status == CampaignStatus::Open).then(|| cny(700)),
                goal_counts_match: status != CampaignStatus::Open,
                goal: cny(1_000_000),
                donors: 3,
                status,
                updated_at: Timestamp::from_unix_ms(1_700_000_000_123),
                news: 2,
            });
        }
        for currency in Currency::ALL {
            assert_reads_back(&Money::zero(currency));
        }
    }

    fn campaign(goal: i64, close_at_goal: bool) -> Campaign {
        test_campaign(cny(goal), cny(400), close_at_goal)
    }

    fn cny(minor: i64) -> Money {
        Money::from_minor(minor, Currency::Cny).expect("amount")
    }

    #[test]
    fn a_campaign_is_open_only_between_its_dates_and_before_its_goal_when_asked_to_close() {
        let c = campaign(10_000, true);
        let at = Timestamp::from_unix_ms;
        assert_eq!(
            CampaignStatus::at(&c, cny(0), at(999)),
            CampaignStatus::Upcoming
        );
        assert_eq!(
            CampaignStatus::at(&c, cny(0), at(1_000)),
            CampaignStatus::Open
        );
        assert_eq!(
            CampaignStatus::at(&c, cny(9_999), at(1_500)),
            CampaignStatus::Open
        );
        assert_eq!(
            CampaignStatus::at(&c, cny(10_000), at(1_500)),
            CampaignStatus::Closed
        );
        assert_eq!(
            CampaignStatus::at(&c, cny(0), at(2_000)),
            CampaignStatus::Closed
        );
        let keeps_going = campaign(10_000, false);
        assert_eq!(
            CampaignStatus::at(&keeps_going, cny(50_000), at(1_500)),
            CampaignStatus::Open
        );
    }

    #[test]
    fn progress_percent_is_exact_and_the_bar_stops_at_the_goal() {
        let progress = |raised| Progress {
            raised: cny(raised),
            matched: cny(0),
            match_remaining: None,
            goal_counts_match: true,
            goal: cny(1_500_000_000),
            donors: 0,
            status: CampaignStatus::Open,
            updated_at: Timestamp::from_unix_ms(0),
            news: 0,
        };
        assert_eq!(progress(0).percent_label(), "0%");
        assert_eq!(progress(0).basis_points(), 0);
        assert_eq!(progress(375_000_000).percent_label(), "25%");
        assert_eq!(progress(187_500_000).percent_label(), "12.5%");
        assert_eq!(progress(1_502_899_479).percent_label(), "100.1%");
        assert_eq!(progress(1_502_899_479).basis_points(), 10_000);
        assert_eq!(progress(i64::MAX).basis_points(), 10_000);
    }

    #[test]
    fn matched_money_counts_toward_the_goal_only_when_the_campaign_says_so() {
        let progress = |counts| Progress {
            raised: cny(300_000),
            matched: cny(200_000),
            match_remaining: Some(cny(800_000)),
            goal_counts_match: counts,
            goal: cny(1_000_000),
            donors: 1,
            status: CampaignStatus::Open,
            updated_at: Timestamp::from_unix_ms(0),
            news: 0,
        };
        assert_eq!(progress(true).percent_label(), "50%");
        assert_eq!(progress(true).basis_points(), 5_000);
        assert_eq!(progress(true).donors_basis_points(), 3_000);
        assert_eq!(progress(false).percent_label(), "30%");
        assert_eq!(progress(false).basis_points(), 3_000);
    }
}
