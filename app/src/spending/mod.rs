//! Where the money goes: a campaign's spending plan, line by line. Each published version is
//! kept as it was and is an entry of the campaign's public log; a campaign takes no gift before
//! its first version is published.

pub mod chart;
pub mod document;
#[cfg(feature = "ssr")]
pub mod documents;
pub mod expense;
#[cfg(feature = "ssr")]
pub mod expenses;
#[cfg(feature = "ssr")]
pub mod fees;
pub mod plan_view;
#[cfg(feature = "ssr")]
pub mod store;

pub use plan_view::{kind_label, SpendingPlan};

use crate::dates::Timestamp;
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The most lines a plan has (its log entry must stay within the entry size limit).
pub const MAX_LINES: usize = 12;

/// One line of a plan: what part of the money buys what.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLine {
    /// A short name that stays the same across versions (`teachers-pay`), as expenses name it.
    pub line: String,
    pub name_en: String,
    pub name_zh: String,
    pub buys_en: String,
    pub buys_zh: String,
    /// In the campaign's currency, minor units.
    pub planned_minor: i64,
}

impl PlanLine {
    pub fn name(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.name_en,
            Locale::ZhCn => &self.name_zh,
        }
    }

    pub fn buys(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.buys_en,
            Locale::ZhCn => &self.buys_zh,
        }
    }
}

/// A published version of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub version: u32,
    pub published_at: Timestamp,
    pub lines: Vec<PlanLine>,
}

impl Plan {
    pub fn planned_minor(&self) -> i64 {
        self.lines.iter().map(|l| l.planned_minor).sum()
    }
}

/// The campaign's account at a checkpoint (`GET /api/campaigns/{slug}/account`): every figure
/// in minor units, as the log states it at `checkpoint_size` entries. `raised` is every gift,
/// `received` what came in after refunds and the payment provider's fees (recorded as expenses
/// of kind `fees`), `spent` the other paid expenses, and `remaining` what is left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub currency: String,
    pub raised_minor: i64,
    pub refunded_minor: i64,
    pub fees_minor: i64,
    pub received_minor: i64,
    pub spent_minor: i64,
    pub remaining_minor: i64,
    pub budget: Vec<AccountLine>,
    /// Per artist: royalties accrued by the consent formula and paid by royalty expenses.
    pub royalties: Vec<crate::artworks::artist::Royalty>,
    pub checkpoint_size: u64,
    /// The legal entity that receives the money (`null` until the campaign states it). Stated by
    /// the campaign, not by its log.
    pub recipient: Option<crate::campaigns::LegalEntity>,
}

impl Account {
    /// The account's last line: what remains, or, when more was spent than received (costs the
    /// beneficiary paid before gifts covered them), what was advanced; whether it is an advance,
    /// and the amount, never negative.
    pub fn balance(&self) -> (bool, i64) {
        (self.remaining_minor < 0, self.remaining_minor.abs())
    }
}

/// One budget line of the account: planned by the plan in force, spent by paid expenses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLine {
    pub line: String,
    pub name: String,
    pub planned_minor: i64,
    pub spent_minor: i64,
}

/// The digest a plan's log entry carries: the lowercase hex of SHA-256 over
/// `giving-gallery/plan/v1\n` and, for each line in order, its short name, planned amount, and
/// names and descriptions in both languages, a line each. Anyone holding the published plan can
/// recompute it; the entry itself states the amounts.
pub fn plan_digest(lines: &[PlanLine]) -> String {
    let parts: Vec<String> = lines
        .iter()
        .flat_map(|l| {
            [
                l.line.clone(),
                l.planned_minor.to_string(),
                l.name_en.clone(),
                l.name_zh.clone(),
                l.buys_en.clone(),
                l.buys_zh.clone(),
            ]
        })
        .collect();
    digest("giving-gallery/plan/v1", &parts)
}

/// The lowercase hex SHA-256 of `tag`, then each part, each followed by a newline (a newline
/// inside a part is written as a space).
fn digest(tag: &str, parts: &[String]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(tag.as_bytes());
    hasher.update(b"\n");
    for part in parts {
        hasher.update(part.replace('\n', " ").as_bytes());
        hasher.update(b"\n");
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, planned: i64) -> PlanLine {
        PlanLine {
            line: name.into(),
            name_en: "Teachers' pay".into(),
            name_zh: "教师工资".into(),
            planned_minor: planned,
            ..PlanLine::default()
        }
    }

    #[test]
    fn the_digest_covers_every_line_and_its_order() {
        let plan = [line("teachers-pay", 500), line("rent", 300)];
        let digest = plan_digest(&plan);
        assert_eq!(digest.len(), 64);
        assert_ne!(
            digest,
            plan_digest(&[line("rent", 300), line("teachers-pay", 500)])
        );
        assert_ne!(
            digest,
            plan_digest(&[line("teachers-pay", 501), line("rent", 300)])
        );
        let mut renamed = plan.clone();
        renamed[1].buys_zh = "房租".into();
        assert_ne!(digest, plan_digest(&renamed));
    }
}
