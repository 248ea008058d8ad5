//! The campaign's Merkle tree as stored: Go sumdb's stored hashes, read from the database, and
//! the proofs, roots and tiles made from them by `tlog_tiles`.
//!
//! `tlog_tiles` reads hashes synchronously, so each computation runs twice: once to learn which
//! hashes it needs (handing it zeros), then, after one query, with the hashes themselves.

use super::store;
use crate::db::Db;
use std::cell::RefCell;
use std::collections::HashMap;
use tlog_tiles::{Error, Hash, HashReader};

/// Hashes held in memory; a missing one is an error, never a guess.
pub struct Known<'a>(pub &'a HashMap<u64, [u8; 32]>);

impl HashReader for Known<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        indexes
            .iter()
            .map(|i| {
                self.0
                    .get(i)
                    .map(|h| Hash(*h))
                    .ok_or(Error::IndexesNotInTree)
            })
            .collect()
    }
}

/// Notes the indexes asked for and answers zeros.
#[derive(Default)]
struct Wanted(RefCell<Vec<u64>>);

impl HashReader for Wanted {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        self.0.borrow_mut().extend_from_slice(indexes);
        Ok(vec![Hash::default(); indexes.len()])
    }
}

/// Runs `compute` over the stored hashes it needs.
async fn with_hashes<T>(
    db: &Db,
    campaign: i64,
    compute: impl Fn(&dyn HashReader) -> Result<T, Error>,
) -> anyhow::Result<T> {
    let wanted = Wanted::default();
    compute(&wanted).map_err(|e| anyhow::anyhow!("planning a proof: {e}"))?;
    let indexes = wanted.0.into_inner();
    let found = store::hashes(db, campaign, &indexes).await?;
    compute(&Known(&found)).map_err(|e| anyhow::anyhow!("making a proof: {e}"))
}

struct Dyn<'a>(&'a dyn HashReader);
impl HashReader for Dyn<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
        self.0.read_hashes(indexes)
    }
}

/// The inclusion proof of entry `index` in the tree of `size` (callers check `index < size`).
pub async fn inclusion_proof(
    db: &Db,
    campaign: i64,
    index: u64,
    size: u64,
) -> anyhow::Result<Vec<[u8; 32]>> {
    let proof = with_hashes(db, campaign, |r| {
        tlog_tiles::prove_record(size, index, &Dyn(r))
    })
    .await?;
    Ok(proof.into_iter().map(|h| h.0).collect())
}

/// The consistency proof from the tree of `old` to the tree of `new` (`0 < old <= new`).
pub async fn consistency_proof(
    db: &Db,
    campaign: i64,
    old: u64,
    new: u64,
) -> anyhow::Result<Vec<[u8; 32]>> {
    let proof = with_hashes(db, campaign, |r| tlog_tiles::prove_tree(new, old, &Dyn(r))).await?;
    Ok(proof.into_iter().map(|h| h.0).collect())
}

/// The root of the tree of `size`.
pub async fn root(db: &Db, campaign: i64, size: u64) -> anyhow::Result<[u8; 32]> {
    Ok(
        with_hashes(db, campaign, |r| tlog_tiles::tree_hash(size, &Dyn(r)))
            .await?
            .0,
    )
}

pub use super::tiles::{TILE_HEIGHT, TILE_WIDTH};

/// The hashes of a tile at `level`, number `n`, `width` hashes wide, for a tree of `size`;
/// `None` when the tree does not have them.
pub async fn tile(
    db: &Db,
    campaign: i64,
    size: u64,
    level: u8,
    n: u64,
    width: u64,
) -> anyhow::Result<Option<Vec<u8>>> {
    let Some(available) = (level < 8)
        .then(|| size >> (u32::from(level) * u32::from(TILE_HEIGHT)))
        .filter(|_| (1..=TILE_WIDTH).contains(&width))
    else {
        return Ok(None);
    };
    let Some(end) = n.checked_mul(TILE_WIDTH).and_then(|s| s.checked_add(width)) else {
        return Ok(None);
    };
    if end > available {
        return Ok(None);
    }
    let start = n * TILE_WIDTH;
    let indexes: Vec<u64> = (start..end)
        .map(|i| tlog_tiles::stored_hash_index(level * TILE_HEIGHT, i))
        .collect();
    let found = store::hashes(db, campaign, &indexes).await?;
    let mut data = Vec::with_capacity(indexes.len() * 32);
    for index in &indexes {
        let hash = found
            .get(index)
            .ok_or_else(|| anyhow::anyhow!("the log is missing a stored hash"))?;
        data.extend_from_slice(hash);
    }
    Ok(Some(data))
}

/// The stored hash indexes of the subtrees on the right edge of a tree of `size`: every hash
/// appending after it may need, and every hash its root is made of.
pub fn right_edge(size: u64) -> Vec<u64> {
    (0..64_u8)
        .filter(|level| size >> level & 1 == 1)
        .map(|level| tlog_tiles::stored_hash_index(level, (size >> level) - 1))
        .collect()
}
