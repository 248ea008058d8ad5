//! The ledger: payment events applied exactly once, money movements appended, totals kept equal
//! to the ledger's sum.
//!
//! Events reach the database through one [`LedgerWriter`] per process, which applies whatever
//! has queued up in one transaction ([`batch`]): each event's id is recorded first (a duplicate
//! stops there), then donations move forward, ledger entries are appended and the campaign's and
//! artworks' totals change, and every event gets its answer only after the commit. Stripe may
//! deliver an event twice, late, out of order or concurrently; the rules in [`transition`] make
//! every order come out the same.

mod batch;
mod reconcile;
mod transition;
mod writer;

pub use batch::apply_batch;
pub use reconcile::{reconcile, Reconciliation};
pub use transition::{transition, DonationState, Transition};
pub use writer::LedgerWriter;

use super::DonationStatus;
use crate::ids::CampaignId;
use crate::ids::DonationId;

/// A payment event as the ledger needs it, whatever the provider's wire format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentEvent {
    /// The provider's event id: the unit of exactly-once.
    pub id: String,
    /// The provider's event type, for the record.
    pub type_name: String,
    /// Which donation it is about.
    pub donation: DonationRef,
    pub change: PaymentChange,
}

/// How an event names its donation: our id from the session's metadata when it carries one,
/// else the payment the donation was paid with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DonationRef {
    Id(DonationId),
    PaymentIntent(String),
    Unknown,
}

/// What an event says happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentChange {
    /// The checkout was completed; `paid` is false for methods that settle later.
    Completed {
        paid: bool,
        amount_minor: i64,
        currency: String,
        payment_intent: Option<String>,
    },
    /// A delayed payment settled.
    AsyncSucceeded {
        amount_minor: i64,
        currency: String,
        payment_intent: Option<String>,
    },
    /// A delayed payment failed.
    AsyncFailed,
    /// The checkout expired unpaid.
    Expired,
    /// The charge has now been refunded by `refunded_minor` in all (Stripe's cumulative figure).
    Refunded {
        refunded_minor: i64,
        currency: String,
    },
    /// An event type the ledger has no use for.
    Ignored,
}

/// What applying an event did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// The event moved money or a donation's state.
    Changed {
        donation: DonationId,
        status: DonationStatus,
        /// The campaign whose totals or gifts may have moved.
        campaign: CampaignId,
    },
    /// The event was recorded but changed nothing (already in that state, or further).
    NoChange,
    /// This event id was applied before.
    Duplicate,
    /// No donation matches the event; recorded and left alone.
    UnknownDonation,
    /// The event type does not concern gifts.
    Ignored,
}

impl Applied {
    /// The outcome's name, as the event's record, the webhook's answer and the metrics say it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Applied::Changed { .. } => "applied",
            Applied::NoChange => "no_change",
            Applied::Duplicate => "duplicate",
            Applied::UnknownDonation => "unknown_donation",
            Applied::Ignored => "ignored",
        }
    }
}
