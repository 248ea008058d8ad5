//! Donations: what a donor asks to give, the adopt form, the thank-you page and, with `ssr`, the
//! records and the ledger behind them.

mod adopt_form;
mod api;
mod gift;
mod thank_you;

#[cfg(feature = "ssr")]
pub mod ledger;
#[cfg(feature = "ssr")]
pub mod provider;
#[cfg(feature = "ssr")]
pub mod store;

pub use adopt_form::{AdoptForm, FormNotice};
pub use api::load_donation;
pub use gift::{
    minimum_gift, GiftError, GiftRequest, ValidGift, DISPLAY_NAME_MAX_CHARS, EMAIL_MAX_CHARS,
    MESSAGE_MAX_CHARS,
};
pub use thank_you::ThankYouPage;

use crate::artworks::Image;
use crate::campaigns::Progress;
use crate::money::Money;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a donation stands. It only ever moves forward: see `ledger::transition`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DonationStatus {
    /// Checkout started; nothing paid yet.
    Pending,
    /// Checkout completed with a method that settles later (a bank debit, say).
    AwaitingPayment,
    /// Paid and counted (possibly refunded in part).
    Paid,
    /// Paid, then refunded in full.
    Refunded,
    /// The delayed payment failed.
    Failed,
    /// The checkout expired unpaid.
    Expired,
    /// Stripe reported an amount or currency other than the one asked for: not counted until
    /// staff look at it.
    Held,
}

impl DonationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DonationStatus::Pending => "pending",
            DonationStatus::AwaitingPayment => "awaiting_payment",
            DonationStatus::Paid => "paid",
            DonationStatus::Refunded => "refunded",
            DonationStatus::Failed => "failed",
            DonationStatus::Expired => "expired",
            DonationStatus::Held => "held",
        }
    }

    /// Whether a gift that reaches this status leaves the public feed (refunded in full), so
    /// viewers must read the feed again rather than only hear of new gifts.
    pub fn leaves_public_feed(self) -> bool {
        self == DonationStatus::Refunded
    }

    /// Whether the donor still waits for news from the payment provider.
    pub fn is_waiting(self) -> bool {
        matches!(
            self,
            DonationStatus::Pending | DonationStatus::AwaitingPayment
        )
    }
}

impl fmt::Display for DonationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DonationStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "pending" => DonationStatus::Pending,
            "awaiting_payment" => DonationStatus::AwaitingPayment,
            "paid" => DonationStatus::Paid,
            "refunded" => DonationStatus::Refunded,
            "failed" => DonationStatus::Failed,
            "expired" => DonationStatus::Expired,
            "held" => DonationStatus::Held,
            other => return Err(format!("unknown donation status {other:?}")),
        })
    }
}

/// What the donor's thank-you page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DonationView {
    pub id: String,
    pub status: DonationStatus,
    pub amount: Money,
    pub refunded: Money,
    /// What sponsors' matches added to the gift (net of reversals).
    pub matched: Money,
    pub certificate_number: Option<i64>,
    pub display_name: String,
    pub anonymous: bool,
    pub campaign_title: String,
    pub campaign_path: String,
    pub artwork_title: String,
    pub artwork_path: String,
    pub artwork_thumb: Image,
    /// Who painted it.
    pub artwork_artist: String,
    /// The artist's voice message, if they recorded one.
    pub voice: Option<crate::artworks::voice::Voice>,
    pub progress: Progress,
    /// The share page and cards, once the gift is paid.
    pub share: Option<crate::sharing::ShareLinks>,
    /// Where the gift stands in the campaign's public log, once it is paid.
    pub ledger: Option<LedgerLine>,
    /// The company presenting the campaign, if it has one.
    pub organiser: Option<crate::campaigns::Organiser>,
}

/// A paid gift's place in the public log, for its donor only.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LedgerLine {
    /// The entry's index, once it is in a signed checkpoint.
    pub index: Option<u64>,
    pub verification_code: Option<String>,
    /// The proof file's address.
    pub proof_path: String,
    /// The campaign's verify page.
    pub verify_path: String,
}
