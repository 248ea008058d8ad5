//! The public log: every gift and refund of a campaign as an entry of an append-only Merkle
//! tree (RFC 9162), with signed checkpoints (C2SP tlog-checkpoint), tiles (tlog-tiles) and
//! per-gift proofs (tlog-proof), so anyone can check the campaign's total and each donor their
//! own gift. docs/TRANSPARENCY.md describes the formats; docs/ARCHITECTURE.md the design.

#[cfg(feature = "ssr")]
pub mod account;
#[cfg(feature = "ssr")]
pub mod account_card;
pub mod entry;
#[cfg(feature = "ssr")]
pub mod integrator;
#[cfg(feature = "ssr")]
pub mod keys;
pub mod merkle;
pub mod note;
pub mod proof;
#[cfg(feature = "ssr")]
pub mod receipt;
#[cfg(feature = "ssr")]
pub mod store;
pub mod tiles;
#[cfg(feature = "ssr")]
pub mod tree;

pub mod account_figures;
mod api;
mod artist_api;
mod artist_page;
mod page;
pub mod verify;
pub mod verify_api;

pub use api::load_transparency;
pub use artist_page::ArtistPage;
pub use page::TransparencyPage;
pub use verify::VerifyPage;

use crate::dates::Timestamp;
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// What the transparency page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransparencyData {
    pub campaign_title: String,
    pub campaign_path: String,
    /// The campaign's absolute address, as the audit command takes it.
    pub campaign_url: String,
    pub utc_offset_minutes: i16,
    pub live_total: Money,
    /// The legal entity that receives the money, when the campaign states it.
    pub recipient: Option<crate::campaigns::LegalEntity>,
    /// The running total of the latest checkpoint's last entry.
    pub logged_total: Option<Money>,
    pub checkpoint: Option<CheckpointView>,
    /// The log's verifier key (signed-note form).
    pub vkey: String,
    /// The witnesses that must cosign a checkpoint before it is published, and how many of them.
    pub witnesses: Vec<WitnessView>,
    pub quorum: usize,
    /// Every published version of the spending plan, oldest first.
    pub plans: Vec<crate::spending::Plan>,
    /// The paid expenses and reversals, in the order paid.
    pub expenses: Vec<crate::spending::expense::Expense>,
    /// The account at the published checkpoint (all zero before there is one), with each
    /// artist's royalties.
    pub account: crate::spending::Account,
    /// The account's picture for social posts (1200x630), once the campaign has a painting.
    pub account_picture: Option<crate::seo::MetaImage>,
    /// Newest first.
    pub entries: Vec<EntryRow>,
    /// `before` for the next page of older entries, if any.
    pub older: Option<u64>,
    /// `before` for the page of newer entries, if this is not the newest.
    pub newer: Option<u64>,
}

/// A signed checkpoint as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointView {
    pub size: u64,
    /// Base64, as in the checkpoint.
    pub root: String,
    pub signed_at: Timestamp,
    /// The signed note, verbatim.
    pub text: String,
}

/// A witness of the campaign's log as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessView {
    pub name: String,
    /// Its cosignature verifier key (signed-note form).
    pub vkey: String,
    /// When it cosigned the current checkpoint, if it did.
    pub cosigned_at: Option<Timestamp>,
}

/// One entry as a table row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRow {
    pub index: u64,
    /// UTC, to the minute, as in the entry.
    pub time: String,
    /// The gift's index when this is a refund.
    pub refund_of: Option<u64>,
    pub artwork_title: String,
    pub artwork_path: String,
    /// Without sign: a refund's is shown as taken back.
    pub amount: Money,
    pub raised: Money,
    /// What a consent or withdrawal entry states (it moves no money).
    pub consent: Option<entry::Stated>,
    /// A match entry's sponsor, by name in the page's language.
    pub sponsor: Option<String>,
}

/// What the verify page needs before anything is checked: the log's name and key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyData {
    pub campaign_title: String,
    pub campaign_path: String,
    pub origin: String,
    pub vkey: String,
    /// The witnesses' cosignature keys (signed-note form) and how many must cosign: a
    /// checkpoint without them is not believed. None and 0 when the campaign has no witnesses.
    pub witnesses: Vec<String>,
    pub quorum: usize,
}

/// A gift's proof found by its commitment, and what the log says was refunded of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundGift {
    pub proof: String,
    /// Minor units taken back by refund entries referring to the gift (0 when none).
    pub refunded: i64,
}
