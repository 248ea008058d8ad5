//! Expenses: what was spent, against which budget line, and the two-person rule that moves an
//! expense from draft to paid. Only a paid expense is public and logged; a mistake is corrected
//! by a reversal (a new expense of the opposite amount), never an edit.

use crate::dates::Timestamp;
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// What an expense is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpenseKind {
    /// Bought goods or services.
    Expenditure,
    /// Money passed to a beneficiary organisation.
    Disbursement,
    /// An artist's royalty.
    Royalty,
    /// The payment provider's fees.
    Fees,
}

impl ExpenseKind {
    pub const ALL: [ExpenseKind; 4] = [
        ExpenseKind::Expenditure,
        ExpenseKind::Disbursement,
        ExpenseKind::Royalty,
        ExpenseKind::Fees,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExpenseKind::Expenditure => "expenditure",
            ExpenseKind::Disbursement => "disbursement",
            ExpenseKind::Royalty => "royalty",
            ExpenseKind::Fees => "fees",
        }
    }

    pub fn parse(text: &str) -> Option<ExpenseKind> {
        ExpenseKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// Where an expense stands. It only moves forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpenseStatus {
    Draft,
    Submitted,
    Approved,
    Paid,
}

impl ExpenseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExpenseStatus::Draft => "draft",
            ExpenseStatus::Submitted => "submitted",
            ExpenseStatus::Approved => "approved",
            ExpenseStatus::Paid => "paid",
        }
    }

    pub fn parse(text: &str) -> Option<ExpenseStatus> {
        [
            ExpenseStatus::Draft,
            ExpenseStatus::Submitted,
            ExpenseStatus::Approved,
            ExpenseStatus::Paid,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// A step of an expense's way to paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    Submit,
    Approve,
    Pay,
}

impl Step {
    pub fn parse(text: &str) -> Option<Step> {
        match text {
            "submit" => Some(Step::Submit),
            "approve" => Some(Step::Approve),
            "pay" => Some(Step::Pay),
            _ => None,
        }
    }

    /// The status an expense must be in for this step, and the one it moves to.
    pub fn moves(self) -> (ExpenseStatus, ExpenseStatus) {
        match self {
            Step::Submit => (ExpenseStatus::Draft, ExpenseStatus::Submitted),
            Step::Approve => (ExpenseStatus::Submitted, ExpenseStatus::Approved),
            Step::Pay => (ExpenseStatus::Approved, ExpenseStatus::Paid),
        }
    }

    /// Whether the staff member who recorded the expense may take this step: they submit their
    /// own draft, and only another admin approves or pays it (the two-person rule).
    pub fn by_recorder(self) -> bool {
        self == Step::Submit
    }
}

/// An expense as staff see it (and, once paid, the public).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expense {
    pub id: i64,
    /// The budget line's short name.
    pub line: String,
    pub kind: ExpenseKind,
    pub description_en: String,
    pub description_zh: String,
    /// Minor units of the campaign's currency; negative for a reversal.
    pub amount_minor: i64,
    /// ISO date the money was spent.
    pub spent_on: String,
    /// The payee's public name: an organisation, or a role for an individual.
    pub payee: String,
    pub people_served: Option<u32>,
    pub status: ExpenseStatus,
    /// The expense this one reverses.
    pub reverses: Option<i64>,
    /// Whether a reversal of this one exists.
    pub reversed: bool,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
    pub paid_at: Option<Timestamp>,
    /// A royalty's artist, by slug.
    pub artist: Option<String>,
    /// Its documents, in the order added.
    #[serde(default)]
    pub documents: Vec<super::document::Document>,
}

impl Expense {
    pub fn description(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.description_en,
            Locale::ZhCn => &self.description_zh,
        }
    }
}

/// The digest a paid expense's log entry carries: the lowercase hex of SHA-256 over
/// `giving-gallery/expense/v1\n` and the expense's public details, a line each: its number, the
/// date, the payee, the people it served (empty when not given), and its description in English
/// and in Chinese.
pub fn expense_digest(expense: &Expense) -> String {
    let parts = [
        expense.id.to_string(),
        expense.spent_on.clone(),
        expense.payee.clone(),
        expense
            .people_served
            .map(|p| p.to_string())
            .unwrap_or_default(),
        expense.description_en.clone(),
        expense.description_zh.clone(),
    ];
    super::digest("giving-gallery/expense/v1", &parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_move_forward_one_status_at_a_time() {
        let mut status = ExpenseStatus::Draft;
        for step in [Step::Submit, Step::Approve, Step::Pay] {
            let (from, to) = step.moves();
            assert_eq!(from, status);
            status = to;
        }
        assert_eq!(status, ExpenseStatus::Paid);
        assert!(Step::Submit.by_recorder());
        assert!(!Step::Approve.by_recorder() && !Step::Pay.by_recorder());
    }
}
