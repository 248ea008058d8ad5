//! The public log: every gift and refund of a campaign as an entry of an append-only Merkle
//! tree (RFC 9162), with signed checkpoints (C2SP tlog-checkpoint), tiles (tlog-tiles) and
//! per-gift proofs (tlog-proof), so anyone can check the campaign's total and each donor their
//! own gift. docs/TRANSPARENCY.md describes the formats; docs/ARCHITECTURE.md the design.

#[cfg(feature = "ssr")]
pub mod entry;
#[cfg(feature = "ssr")]
pub mod integrator;
#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod merkle;
#[cfg(feature = "ssr")]
pub mod proof;
#[cfg(feature = "ssr")]
pub mod receipt;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod tiles;
#[cfg(feature = "ssr")]
pub mod tree;
