//! Live progress: the total, the donor count and recent public gifts, pushed to every viewer.
//!
//! With `ssr`, one publisher per campaign ([`hub`]) reads the totals and the new gifts when the
//! ledger says they changed, at most a few times a second, and fans one pre-written message out
//! to every viewer of `GET /api/campaigns/{slug}/events`. In the browser, [`use_live`] listens to
//! that stream (or polls `/progress` when the stream is blocked) and the page's thermometer,
//! gift feed and milestone notice follow it.

mod api;
mod feed;
mod islands;
mod stream;

#[cfg(feature = "ssr")]
pub mod announce;
#[cfg(feature = "ssr")]
pub mod hub;
#[cfg(feature = "ssr")]
pub mod listen;
#[cfg(feature = "ssr")]
pub mod store;

pub use api::load_live;
pub use feed::{GiftFeed, MilestoneNotice};
pub use islands::{LiveGiftFeed, LiveGoal, LiveTeamBoards};
#[cfg(feature = "hydrate")]
pub use stream::{get_json, query_value};
pub use stream::{use_live, Live};

use crate::campaigns::{CampaignStatus, Progress};
use crate::dates::Timestamp;
use crate::i18n::Locale;
use crate::json::{FromJson, Json};
use crate::money::{Currency, Money};
use serde::{Deserialize, Serialize};

/// The goal fractions announced as they are reached, in percent.
pub const MILESTONES: [u8; 4] = [25, 50, 75, 100];

/// How many recent gifts a page shows.
pub const FEED_LENGTH: usize = 6;

/// A campaign's progress on the wire: `GET /api/campaigns/{slug}/progress` and the stream's
/// `progress` events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressJson {
    /// What donors gave: paid, less refunds.
    pub raised_minor: i64,
    /// What sponsors' matches added.
    #[serde(default)]
    pub matched_minor: i64,
    /// The match budget left for a gift paid now; null when no match runs now.
    #[serde(default)]
    pub match_remaining_minor: Option<i64>,
    /// Whether `percent` (and closing at the goal) counts matched money.
    #[serde(default = "counts_by_default")]
    pub goal_counts_match: bool,
    pub goal_minor: i64,
    pub currency: String,
    pub donors: u64,
    pub percent: f64,
    pub status: CampaignStatus,
    pub updated_at: String,
    /// Milliseconds since the epoch, for clients that compare.
    pub updated_at_ms: i64,
    /// Grows whenever the campaign's news changes (an update published or pinned).
    #[serde(default)]
    pub news: u64,
}

impl From<&Progress> for ProgressJson {
    fn from(p: &Progress) -> ProgressJson {
        ProgressJson {
            raised_minor: p.raised.minor(),
            matched_minor: p.matched.minor(),
            match_remaining_minor: p.match_remaining.map(Money::minor),
            goal_counts_match: p.goal_counts_match,
            goal_minor: p.goal.minor(),
            currency: p.goal.currency().code().to_owned(),
            donors: p.donors,
            percent: p.percent(),
            status: p.status,
            updated_at: p.updated_at.rfc3339(),
            updated_at_ms: p.updated_at.unix_ms(),
            news: p.news,
        }
    }
}

fn counts_by_default() -> bool {
    true
}

/// The browser reads what the server wrote but `percent`, which it works out from the figures
/// as the server did (reading a fraction would bring a float parser into the page's code), or
/// leaves at 0 when the figures make no sense: such progress moves nothing on the page
/// ([`ProgressJson::to_progress`] refuses it), and the gifts sent with it still show.
impl FromJson for ProgressJson {
    fn from_json(json: &Json) -> Option<Self> {
        let fields = json.as_object()?;
        let mut read = ProgressJson {
            raised_minor: fields.get("raised_minor")?,
            matched_minor: fields.get_or("matched_minor", 0)?,
            match_remaining_minor: fields.get_or("match_remaining_minor", None)?,
            goal_counts_match: fields.get_or("goal_counts_match", counts_by_default())?,
            goal_minor: fields.get("goal_minor")?,
            currency: fields.get("currency")?,
            donors: fields.get("donors")?,
            percent: 0.0,
            status: fields.get("status")?,
            updated_at: fields.get("updated_at")?,
            updated_at_ms: fields.get("updated_at_ms")?,
            news: fields.get_or("news", 0)?,
        };
        read.percent = read
            .to_progress()
            .map_or(0.0, |progress| progress.percent());
        Some(read)
    }
}

impl ProgressJson {
    /// What counts toward the goal.
    pub fn toward_goal_minor(&self) -> i64 {
        crate::campaigns::toward_goal(
            self.raised_minor,
            self.matched_minor,
            self.goal_counts_match,
        )
    }

    /// The progress it describes, if its figures make sense.
    pub fn to_progress(&self) -> Option<Progress> {
        let currency: Currency = self.currency.parse().ok()?;
        Some(Progress {
            raised: Money::from_minor(self.raised_minor, currency).ok()?,
            matched: Money::from_minor(self.matched_minor, currency).ok()?,
            match_remaining: match self.match_remaining_minor {
                Some(left) => Some(Money::from_minor(left, currency).ok()?),
                None => None,
            },
            goal_counts_match: self.goal_counts_match,
            goal: Money::from_minor(self.goal_minor, currency).ok()?,
            donors: self.donors,
            status: self.status,
            updated_at: Timestamp::from_unix_ms(self.updated_at_ms),
            news: self.news,
        })
    }
}

/// An artwork's title in each language, so one message serves readers of both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Titles {
    pub en: String,
    pub zh_cn: String,
}
crate::from_json_fields!(Titles { en, zh_cn });

impl Titles {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.en,
            Locale::ZhCn => &self.zh_cn,
        }
    }
}

/// A paid gift as the public feed shows it: nothing the donor did not choose to make public.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedGift {
    /// The gift's certificate number: increasing within a campaign, so it orders the feed and
    /// lets a reconnecting viewer say what it has seen.
    pub number: i64,
    /// The public name; `None` when the donor gave anonymously.
    pub name: Option<String>,
    pub artwork_slug: String,
    pub artwork_title: Titles,
    /// `None` when the donor chose not to show the amount.
    pub amount: Option<Money>,
    /// `None` when there is no message or it is not public (yet).
    pub message: Option<String>,
    pub at: Timestamp,
    /// The share that brought the gift, if one did: lets a share page follow what it brings.
    pub shared_by: Option<crate::ids::ShareCode>,
}
crate::from_json_fields!(FeedGift {
    number,
    name,
    artwork_slug,
    artwork_title,
    amount,
    message,
    at,
    shared_by,
});

/// What a viewer is sent on connecting: where the campaign stands and its latest gifts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub progress: ProgressJson,
    /// Newest first.
    pub gifts: Vec<FeedGift>,
    /// The public leaderboards of teams and ambassadors; empty when the campaign has no teams.
    #[serde(default)]
    pub boards: crate::ambassadors::Leaderboards,
}

impl FromJson for Snapshot {
    fn from_json(json: &Json) -> Option<Self> {
        let fields = json.as_object()?;
        Some(Snapshot {
            progress: fields.get("progress")?,
            gifts: fields.get("gifts")?,
            boards: fields.get_or("boards", Default::default())?,
        })
    }
}

/// A milestone reached: `percent` of the goal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub percent: u8,
}
crate::from_json_fields!(Milestone { percent });

/// The milestones passed going from `before` to `after` (both raised amounts against `goal`).
/// A refund that drops below a milestone and a gift that crosses it again announce it again.
pub fn milestones_crossed(before: i64, after: i64, goal: i64) -> Vec<Milestone> {
    if goal <= 0 || after <= before {
        return Vec::new();
    }
    let reached = |raised: i64, percent: u8| {
        i128::from(raised) * 100 >= i128::from(goal) * i128::from(percent)
    };
    MILESTONES
        .into_iter()
        .filter(|&p| !reached(before, p) && reached(after, p))
        .map(|percent| Milestone { percent })
        .collect()
}

/// How staff have judged a gift's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageReview {
    /// Not judged: public unless the campaign asks for approval or the message holds a link.
    Unreviewed,
    Approved,
    Hidden,
}

impl MessageReview {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageReview::Unreviewed => "unreviewed",
            MessageReview::Approved => "approved",
            MessageReview::Hidden => "hidden",
        }
    }

    pub fn parse(text: &str) -> Option<MessageReview> {
        [Self::Unreviewed, Self::Approved, Self::Hidden]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// Whether a gift's message may be shown to the public.
pub fn message_is_public(message: &str, review: MessageReview, approval_required: bool) -> bool {
    if message.trim().is_empty() {
        return false;
    }
    match review {
        MessageReview::Approved => true,
        MessageReview::Hidden => false,
        MessageReview::Unreviewed => !approval_required && !contains_link(message),
    }
}

/// Whether a text holds something a reader could follow: a URL, `www.`, or a bare domain such
/// as `example.com`.
pub fn contains_link(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || "()<>[]{}\"'，。！？、".contains(c))
        .map(str::to_ascii_lowercase)
        .any(|word| {
            if word.contains("://") || word.starts_with("www.") {
                return true;
            }
            let word = word.trim_end_matches(['.', ',', '!', '?', ';', ':']);
            let host = word.split('/').next().unwrap_or_default();
            match host.rsplit_once('.') {
                Some((name, tld)) => {
                    let name = name.rsplit('.').next().unwrap_or_default();
                    !name.is_empty()
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        && (2..=24).contains(&tld.len())
                        && tld.chars().all(|c| c.is_ascii_alphabetic())
                }
                None => false,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ambassadors::{AmbassadorRank, Leaderboards, TeamRank};
    use crate::ids::ShareCode;
    use crate::json::{assert_reads_back, read};

    fn cny(minor: i64) -> Money {
        Money::from_minor(minor, Currency::Cny).expect("an amount")
    }

    fn titles() -> Titles {
        Titles {
            en: "Sunflowers".into(),
            zh_cn: "向日葵".into(),
        }
    }

    fn progress() -> Progress {
        Progress {
            raised: cny(1_250),
            matched: cny(300),
            match_remaining: Some(cny(700)),
            goal_counts_match: false,
            goal: cny(1_000_000),
            donors: 3,
            status: CampaignStatus::Open,
            updated_at: Timestamp::from_unix_ms(1_700_000_000_123),
            news: 2,
        }
    }

    #[test]
    fn the_browser_reads_back_the_stream_s_events() {
        let gift = FeedGift {
            number: 42,
            name: Some("小明 \"Ming\" \\ 🎨".into()),
            artwork_slug: "sunflowers".into(),
            artwork_title: titles(),
            amount: Some(cny(2_000)),
            message: Some("加油！\nKeep going\t\u{1}".into()),
            at: Timestamp::from_unix_ms(5),
            shared_by: ShareCode::parse("abcdefghjkmn"),
        };
        let anonymous = FeedGift {
            name: None,
            amount: None,
            message: None,
            shared_by: None,
            ..gift.clone()
        };
        let boards = Leaderboards {
            teams: vec![TeamRank {
                id: 7,
                name: titles(),
                ambassadors: 2,
                gifts: 9,
                raised: cny(9_900),
                reached: 30,
            }],
            ambassadors: vec![AmbassadorRank {
                name: "Li Hua".into(),
                code: ShareCode::parse("23456789abcd").expect("a code"),
                team_id: 7,
                team: titles(),
                gifts: 4,
                raised: cny(400),
                goal: Some(cny(10_000)),
                reached: 12,
                hidden: false,
            }],
        };
        assert_reads_back(&Snapshot {
            progress: ProgressJson::from(&progress()),
            gifts: vec![gift, anonymous],
            boards,
        });
        assert_reads_back(&ProgressJson::from(&Progress {
            match_remaining: None,
            ..progress()
        }));
        assert_reads_back(&Milestone { percent: 75 });
        assert_eq!(read::<Milestone>(r#"{"percent":300}"#), None);
        assert_eq!(read::<Milestone>("[75]"), None);
    }

    #[test]
    fn a_progress_event_without_the_newer_fields_reads_as_serde_reads_it() {
        let older = r#"{"raised_minor":100,"goal_minor":1000,"currency":"CNY","donors":1,
            "percent":10.0,"status":"open","updated_at":"2026-12-05T00:00:00Z","updated_at_ms":5}"#;
        let by_serde: ProgressJson = serde_json::from_str(older).expect("serde reads it");
        assert_eq!(read::<ProgressJson>(older), Some(by_serde.clone()));
        let snapshot = format!(r#"{{"progress":{older},"gifts":[]}}"#);
        assert_eq!(
            read::<Snapshot>(&snapshot),
            Some(Snapshot {
                progress: by_serde,
                gifts: Vec::new(),
                boards: Leaderboards::default(),
            })
        );
    }

    #[test]
    fn progress_that_makes_no_sense_reads_but_moves_nothing() {
        let written = serde_json::to_string(&ProgressJson::from(&progress())).expect("serialises");
        for (what, odd) in [
            ("currency", written.replace("\"CNY\"", "\"XBT\"")),
            (
                "a negative total",
                written.replace("\"raised_minor\":1250", "\"raised_minor\":-1"),
            ),
        ] {
            assert_ne!(odd, written, "{what}");
            let progress = read::<ProgressJson>(&odd).expect(what);
            assert_eq!(
                (progress.to_progress(), progress.percent),
                (None, 0.0),
                "{what}"
            );
            // The gifts sent with it still show.
            let snapshot = format!(
                r#"{{"progress":{odd},"gifts":[],"boards":{{"teams":[],"ambassadors":[]}}}}"#
            );
            assert!(read::<Snapshot>(&snapshot).is_some(), "{what}");
        }
        for (what, bad) in [
            ("status", written.replace("\"open\"", "\"paused\"")),
            ("a missing figure", written.replace("\"donors\":3,", "")),
            (
                "a number as text",
                written.replace("\"donors\":3", "\"donors\":\"3\""),
            ),
        ] {
            assert_ne!(bad, written, "{what}");
            assert_eq!(read::<ProgressJson>(&bad), None, "{what}");
        }
    }

    #[test]
    fn each_milestone_is_announced_when_the_total_first_passes_it() {
        let goal = 10_000;
        let crossed = |a, b| {
            milestones_crossed(a, b, goal)
                .into_iter()
                .map(|m| m.percent)
                .collect::<Vec<_>>()
        };
        assert_eq!(crossed(0, 2_499), Vec::<u8>::new());
        assert_eq!(crossed(2_499, 2_500), vec![25]);
        assert_eq!(crossed(2_500, 4_000), Vec::<u8>::new());
        assert_eq!(crossed(4_000, 10_000), vec![50, 75, 100]);
        assert_eq!(crossed(10_000, 12_000), Vec::<u8>::new());
        // A refund goes back; it announces nothing.
        assert_eq!(crossed(8_000, 7_000), Vec::<u8>::new());
        assert_eq!(milestones_crossed(0, 5, 0), vec![]);
    }

    #[test]
    fn links_are_recognised_in_any_form() {
        for text in [
            "see https://x.cn/a",
            "www.example.org",
            "go to example.com now",
            "快来 shop.taobao.com，谢谢",
            "EXAMPLE.COM/path",
        ] {
            assert!(contains_link(text), "{text}");
        }
        for text in [
            "加油!",
            "Well done. Keep going",
            "3.5 stars",
            "e.g. this",
            "a.b",
        ] {
            assert!(!contains_link(text), "{text}");
        }
    }

    #[test]
    fn a_message_is_public_when_the_campaign_and_staff_allow() {
        use MessageReview as R;
        assert!(message_is_public("加油", R::Unreviewed, false));
        assert!(!message_is_public("加油", R::Unreviewed, true));
        assert!(message_is_public("加油", R::Approved, true));
        assert!(!message_is_public("加油", R::Hidden, false));
        assert!(!message_is_public("buy at spam.com", R::Unreviewed, false));
        assert!(message_is_public("buy at spam.com", R::Approved, false));
        assert!(!message_is_public("  ", R::Approved, false));
    }
}
