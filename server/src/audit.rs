//! `giving-gallery verify` and `giving-gallery audit`: checking the public log from outside,
//! with nothing but its public key.

use anyhow::{bail, Context};
use app::transparency::entry::{Entry, Kind, Link};
use app::transparency::note::VerifierKey;
use app::transparency::proof::{verify_checkpoint_with, verify_proof_with, Policy};
use app::transparency::tiles::{split_bundle, tile_path, TILE_HEIGHT, TILE_WIDTH};
use std::collections::HashMap;

/// A verifier key given on the command line, or the file that holds it.
pub fn read_key(key: &str) -> anyhow::Result<String> {
    let path = std::path::Path::new(key);
    if !key.contains('+') && path.is_file() {
        return Ok(std::fs::read_to_string(path)
            .with_context(|| format!("reading {}", path.display()))?
            .trim()
            .to_owned());
    }
    Ok(key.trim().to_owned())
}

/// A log's verifier key given on the command line, read.
fn log_key(key: &str) -> anyhow::Result<VerifierKey> {
    VerifierKey::parse(&read_key(key)?).context("that is not a valid Ed25519 verifier key")
}

/// Checks one proof file, with the cosignatures `policy` requires; says what it proves.
pub fn verify(proof: &std::path::Path, key: &str, policy: &Policy) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(proof).with_context(|| format!("reading {}", proof.display()))?;
    let verified = verify_proof_with(&text, &log_key(key)?, policy)?;
    let entry = &verified.entry;
    let what = match entry.kind {
        Kind::Gift => "a gift",
        Kind::Refund => "a refund",
    };
    Ok(format!(
        "OK: entry {} of {} is {what} of {} {} to {}, in the signed checkpoint of {} entries \
         (running total then {} {})",
        verified.index,
        verified.checkpoint.origin,
        entry.amount,
        entry.currency,
        entry.artwork,
        verified.checkpoint.size,
        entry.raised,
        entry.currency
    ))
}

/// What an audit found in a consistent log.
#[derive(Debug)]
pub struct Audit {
    pub origin: String,
    pub size: u64,
    pub gifts: u64,
    pub refunds: u64,
    pub total: i64,
    pub currency: String,
    /// The witnesses of the policy that cosigned the checkpoint.
    pub cosigned_by: Vec<String>,
}

/// Downloads a campaign's whole log from `base` (`https://host/campaigns/slug`) and checks
/// everything: the checkpoint's signature, every entry's format, every running total, that each
/// refund refers to an earlier gift and never exceeds it, that the entries hash to the signed
/// root, and that every hash tile served agrees with the entries; with witnesses, that the
/// checkpoint carries the cosignatures `policy` requires.
pub async fn audit(base: &str, key: &str, policy: &Policy) -> anyhow::Result<Audit> {
    let key = log_key(key)?;
    let base = base.trim_end_matches('/');
    let client = reqwest::Client::builder()
        .build()
        .context("an HTTP client")?;
    let get = |path: String| {
        let client = client.clone();
        let url = format!("{base}/log/{path}");
        async move {
            let response = client
                .get(&url)
                .send()
                .await
                .with_context(|| format!("fetching {url}"))?;
            if !response.status().is_success() {
                bail!("{url} answered {}", response.status());
            }
            Ok::<_, anyhow::Error>(response.bytes().await?.to_vec())
        }
    };
    let note = String::from_utf8(get("checkpoint".into()).await?).context("a checkpoint")?;
    let checkpoint = verify_checkpoint_with(&note, &key, policy).context("the checkpoint")?;
    let cosigned_by = policy
        .check(&note)?
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let size = checkpoint.size;

    let mut stored: Vec<tlog_tiles_hash::Hash> = Vec::new();
    let mut report = Audit {
        origin: checkpoint.origin.clone(),
        size,
        gifts: 0,
        refunds: 0,
        total: 0,
        currency: String::new(),
        cosigned_by,
    };
    // Gift index → (amount, refunded so far).
    let mut gifts: HashMap<u64, (i64, i64)> = HashMap::new();
    let mut index = 0_u64;
    for n in 0..size.div_ceil(TILE_WIDTH) {
        let width = (size - n * TILE_WIDTH).min(TILE_WIDTH);
        let bundle = get(format!("tile/{}", tile_path(None, n, width))).await?;
        let entries = split_bundle(&bundle).context("a malformed entry bundle")?;
        if entries.len() as u64 != width {
            bail!(
                "entry bundle {n} holds {} entries, not {width}",
                entries.len()
            );
        }
        for bytes in entries {
            let text = std::str::from_utf8(bytes).with_context(|| format!("entry {index}"))?;
            let entry = Entry::parse(text).with_context(|| format!("entry {index}"))?;
            check_rules(&entry, index, &mut report, &mut gifts)
                .with_context(|| format!("entry {index}"))?;
            let hashes = tlog_tiles_hash::stored_hashes(index, bytes, &stored)?;
            stored.extend(hashes);
            index += 1;
        }
    }
    let root = tlog_tiles_hash::tree_hash(size, &stored)?;
    if root != checkpoint.root {
        bail!("the entries do not hash to the signed root: the log was altered");
    }
    // Every hash tile must agree with the entries.
    for level in 0..8_u8 {
        let available = size >> (u32::from(level) * u32::from(TILE_HEIGHT));
        if available == 0 {
            break;
        }
        for n in 0..available.div_ceil(TILE_WIDTH) {
            let width = (available - n * TILE_WIDTH).min(TILE_WIDTH);
            let tile = get(format!("tile/{}", tile_path(Some(level), n, width))).await?;
            let expected = tlog_tiles_hash::tile_bytes(&stored, level, n, width);
            if tile != expected {
                bail!(
                    "hash tile {} disagrees with the entries",
                    tile_path(Some(level), n, width)
                );
            }
        }
    }
    Ok(report)
}

/// The application's rules for one entry, in order.
fn check_rules(
    entry: &Entry,
    index: u64,
    report: &mut Audit,
    gifts: &mut HashMap<u64, (i64, i64)>,
) -> anyhow::Result<()> {
    if report.currency.is_empty() {
        report.currency = entry.currency.clone();
    } else if report.currency != entry.currency {
        bail!(
            "the currency changed from {} to {}",
            report.currency,
            entry.currency
        );
    }
    let expected = report
        .total
        .checked_add(entry.amount)
        .context("the total overflows")?;
    if entry.raised != expected {
        bail!(
            "the running total says {} but the entries add up to {expected}",
            entry.raised
        );
    }
    report.total = expected;
    match &entry.link {
        Link::Commitment(_) => {
            gifts.insert(index, (entry.amount, 0));
            report.gifts += 1;
        }
        Link::Refers(gift) => {
            let Some((amount, refunded)) = gifts.get_mut(gift) else {
                bail!("a refund refers to entry {gift}, which is not an earlier gift");
            };
            *refunded -= entry.amount;
            if *refunded > *amount {
                bail!("refunds of gift {gift} exceed what it put in");
            }
            report.refunds += 1;
        }
    }
    Ok(())
}

/// The stored hashes of a log held in memory (Go sumdb's layout), through `tlog_tiles`.
mod tlog_tiles_hash {
    use app::transparency::tiles::TILE_HEIGHT;
    pub use tlog_tiles::Hash;
    use tlog_tiles::{Error, HashReader};

    struct Memory<'a>(&'a [Hash]);

    impl HashReader for Memory<'_> {
        fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, Error> {
            indexes
                .iter()
                .map(|&i| {
                    usize::try_from(i)
                        .ok()
                        .and_then(|i| self.0.get(i).copied())
                        .ok_or(Error::IndexesNotInTree)
                })
                .collect()
        }
    }

    pub fn stored_hashes(index: u64, entry: &[u8], stored: &[Hash]) -> anyhow::Result<Vec<Hash>> {
        Ok(tlog_tiles::stored_hashes(index, entry, &Memory(stored))?)
    }

    pub fn tree_hash(size: u64, stored: &[Hash]) -> anyhow::Result<[u8; 32]> {
        Ok(tlog_tiles::tree_hash(size, &Memory(stored))?.0)
    }

    pub fn tile_bytes(stored: &[Hash], level: u8, n: u64, width: u64) -> Vec<u8> {
        let start = n << TILE_HEIGHT;
        (start..start + width)
            .flat_map(|i| {
                let index = tlog_tiles::stored_hash_index(level * TILE_HEIGHT, i);
                usize::try_from(index)
                    .ok()
                    .and_then(|index| stored.get(index))
                    .copied()
                    .unwrap_or_default()
                    .0
            })
            .collect()
    }
}
