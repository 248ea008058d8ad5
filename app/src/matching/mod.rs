//! Matched giving: a sponsor adds money to each gift by a ratio, within an optional window and
//! caps, and pages say so.
//!
//! The rules here are pure. The ledger applies them once per gift, in the transaction that
//! records the gift as paid (`donations/ledger/batch.rs` through [`store`]); a refund keeps only
//! what the gift that stayed would have earned. Amounts are integer minor units and every share
//! is rounded down, so a sponsor never pays more than its ratio. docs/MATCHING.md has the rules
//! in full.

mod banner;

#[cfg(feature = "ssr")]
pub mod store;

pub use banner::MatchBanner;

use crate::dates::Timestamp;
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// The ratio of 1:1, in basis points of the gift.
pub const ONE_TO_ONE_BP: i64 = 10_000;

/// The largest ratio staff may set: 10:1.
pub const MAX_RATIO_BP: i64 = 100_000;

/// How many matches a campaign may run.
pub const MAX_MATCHES: usize = 8;

/// A match's terms, as staff set them and the ledger applies them to a gift.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchRule {
    /// Basis points of the gift: [`ONE_TO_ONE_BP`] is 1:1.
    pub ratio_bp: i64,
    /// Unix milliseconds: gifts paid in `[starts_at, ends_at)` are matched.
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub cap_per_gift: Option<i64>,
    /// Per donor (by email when given, else per gift) and campaign-local day.
    pub cap_per_donor_day: Option<i64>,
    pub total_cap: i64,
}

impl MatchRule {
    /// Whether a gift paid at `at` (Unix milliseconds) falls in the match's window.
    pub fn runs_at(&self, at: i64) -> bool {
        in_window(self.starts_at, self.ends_at, at)
    }

    /// What the ratio makes of `amount`, rounded down to the minor unit.
    pub fn of(&self, amount: i64) -> i64 {
        let share = i128::from(amount.max(0)) * i128::from(self.ratio_bp) / 10_000;
        i64::try_from(share).unwrap_or(i64::MAX)
    }

    /// What the match adds to a gift of `amount` paid at `at`, when it has matched `matched` in
    /// all and `donor_today` for this donor on the gift's day: the ratio, then the cap per gift,
    /// the donor's daily cap and the total cap, whichever is least; never below zero.
    pub fn share(&self, amount: i64, at: i64, matched: i64, donor_today: i64) -> i64 {
        if !self.runs_at(at) {
            return 0;
        }
        let mut share = self.of(amount);
        if let Some(cap) = self.cap_per_gift {
            share = share.min(cap);
        }
        if let Some(cap) = self.cap_per_donor_day {
            share = share.min(cap - donor_today);
        }
        share.min(self.total_cap - matched).max(0)
    }

    /// What a gift matched by `matched` keeps of it once only `kept_gift` of the gift stays
    /// (after a refund): what the ratio makes of what stayed, never more than it had. A gift
    /// refunded in full keeps nothing.
    pub fn kept(&self, matched: i64, kept_gift: i64) -> i64 {
        self.of(kept_gift).min(matched).max(0)
    }
}

/// Whether `at` falls in `[starts_at, ends_at)`, either end open when `None`.
pub fn in_window(starts_at: Option<i64>, ends_at: Option<i64>, at: i64) -> bool {
    starts_at.is_none_or(|s| s <= at) && ends_at.is_none_or(|e| at < e)
}

/// The campaign-local day of a moment, as the per-donor daily cap counts days.
pub fn local_day(at_ms: i64, utc_offset_minutes: i64) -> i64 {
    (at_ms + utc_offset_minutes * 60_000).div_euclid(86_400_000)
}

/// A match as the public pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchOffer {
    /// The sponsor's name in the reader's language.
    pub sponsor: String,
    pub ratio_bp: i64,
    pub total_cap: Money,
    pub matched: Money,
    pub cap_per_gift: Option<Money>,
    pub ends_at: Option<Timestamp>,
    /// Whether a gift paid now is matched (in its window, budget left).
    pub running: bool,
}
crate::from_json_fields!(MatchOffer {
    sponsor,
    ratio_bp,
    total_cap,
    matched,
    cap_per_gift,
    ends_at,
    running,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_reads_back_a_match_offer() {
        let cny = |minor| Money::from_minor(minor, crate::money::Currency::Cny).expect("an amount");
        crate::json::assert_reads_back(&MatchOffer {
            sponsor: "Acme \"匹配\"".into(),
            ratio_bp: 5_000,
            total_cap: cny(100_000),
            matched: cny(300),
            cap_per_gift: None,
            ends_at: Some(Timestamp::from_unix_ms(1_800_000_000_000)),
            running: true,
        });
    }

    fn rule() -> MatchRule {
        MatchRule {
            ratio_bp: ONE_TO_ONE_BP,
            starts_at: None,
            ends_at: None,
            cap_per_gift: None,
            cap_per_donor_day: None,
            total_cap: 1_000_000,
        }
    }

    #[test]
    fn a_ratio_is_rounded_down_to_the_minor_unit() {
        let half = MatchRule {
            ratio_bp: 5_000,
            ..rule()
        };
        assert_eq!(half.share(2_001, 0, 0, 0), 1_000);
        assert_eq!(half.share(1, 0, 0, 0), 0);
        let double = MatchRule {
            ratio_bp: 20_000,
            ..rule()
        };
        assert_eq!(double.share(2_000, 0, 0, 0), 4_000);
        let third = MatchRule {
            ratio_bp: 3_333,
            ..rule()
        };
        assert_eq!(third.share(100, 0, 0, 0), 33);
    }

    #[test]
    fn each_cap_holds_and_the_least_wins() {
        let capped = MatchRule {
            cap_per_gift: Some(5_000),
            cap_per_donor_day: Some(8_000),
            total_cap: 20_000,
            ..rule()
        };
        assert_eq!(capped.share(10_000, 0, 0, 0), 5_000);
        assert_eq!(capped.share(10_000, 0, 0, 5_000), 3_000);
        assert_eq!(capped.share(10_000, 0, 0, 8_000), 0);
        assert_eq!(capped.share(10_000, 0, 18_500, 0), 1_500);
        assert_eq!(capped.share(10_000, 0, 20_000, 0), 0);
        // A cap already passed (a donor's day counted elsewhere) never makes a negative share.
        assert_eq!(capped.share(10_000, 0, 0, 9_000), 0);
    }

    #[test]
    fn only_gifts_inside_the_window_are_matched() {
        let window = MatchRule {
            starts_at: Some(1_000),
            ends_at: Some(2_000),
            ..rule()
        };
        assert_eq!(window.share(500, 999, 0, 0), 0);
        assert_eq!(window.share(500, 1_000, 0, 0), 500);
        assert_eq!(window.share(500, 1_999, 0, 0), 500);
        assert_eq!(window.share(500, 2_000, 0, 0), 0);
    }

    #[test]
    fn a_refund_keeps_what_the_gift_that_stayed_earns() {
        let half = MatchRule {
            ratio_bp: 5_000,
            ..rule()
        };
        // ¥30.01 matched by ¥15.00; ¥10.01 refunded: ¥20.00 stays and keeps ¥10.00.
        assert_eq!(half.kept(1_500, 2_000), 1_000);
        assert_eq!(half.kept(1_500, 0), 0);
        // A gift matched only up to a cap keeps the cap while what stayed still earns it.
        let capped = MatchRule {
            cap_per_gift: Some(100),
            ..rule()
        };
        assert_eq!(capped.kept(100, 500), 100);
        assert_eq!(capped.kept(100, 60), 60);
    }

    #[test]
    fn days_are_counted_in_the_campaign_s_time() {
        // 2017-08-29 23:30 UTC is already the 30th in Beijing (UTC+8).
        let at = 1_504_049_400_000;
        assert_eq!(local_day(at, 480), local_day(at, 0) + 1);
        assert_eq!(local_day(-1, 0), -1);
    }
}
