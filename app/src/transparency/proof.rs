//! Proof files (c2sp.org/tlog-proof) and checkpoints (c2sp.org/tlog-checkpoint): writing them,
//! reading them, and checking one completely against a log's public key.

use super::entry::{decimal, Entry, MalformedEntry};
use super::merkle::{self, Hash};
use super::note::{cosignatures, verify_note, VerifierKey, COSIGNATURE};
use base64::Engine;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The first line of a proof file.
pub const PROOF_HEADER: &str = "c2sp.org/tlog-proof@v1";
/// The largest proof file read: 63 hashes, an entry and a checkpoint with a few cosignatures
/// fit in a tenth of it.
pub const MAX_PROOF_BYTES: usize = 64 * 1024;

/// A proof that one entry is in a signed checkpoint, offline-verifiable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofFile {
    /// Our entry's text: so the file verifies without asking the log anything.
    pub extra: Option<Vec<u8>>,
    pub index: u64,
    pub path: Vec<Hash>,
    /// The signed checkpoint, verbatim.
    pub checkpoint: String,
}

/// What is wrong with a proof, a checkpoint or the entry they carry.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("not a tlog proof file: {0}")]
    Malformed(&'static str),
    #[error("the checkpoint is malformed")]
    MalformedCheckpoint,
    #[error("the checkpoint is not signed by this log's key")]
    BadSignature,
    #[error("the key is not a valid Ed25519 verifier key")]
    BadKey,
    #[error("the checkpoint is for another log ({0})")]
    WrongOrigin(String),
    #[error(transparent)]
    Entry(#[from] MalformedEntry),
    #[error("a witness key is not a valid cosignature verifier key")]
    BadWitnessKey,
    #[error("a witness's cosignature does not verify")]
    BadCosignature,
    #[error("{found} of the {needed} witness cosignatures required")]
    TooFewCosignatures { found: usize, needed: usize },
    #[error("the inclusion proof does not lead to the checkpoint's root: {0}")]
    NotIncluded(#[from] merkle::ProofError),
}

impl ProofFile {
    /// The file's text.
    pub fn to_text(&self) -> String {
        let mut text = format!("{PROOF_HEADER}\n");
        if let Some(extra) = &self.extra {
            text.push_str(&format!("extra {}\n", B64.encode(extra)));
        }
        text.push_str(&format!("index {}\n", self.index));
        for hash in &self.path {
            text.push_str(&B64.encode(hash));
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&self.checkpoint);
        text
    }

    /// Reads a proof file, strictly.
    pub fn parse(text: &str) -> Result<ProofFile, VerifyError> {
        if text.len() > MAX_PROOF_BYTES {
            return Err(VerifyError::Malformed("too large"));
        }
        let (head, checkpoint) = text.split_once("\n\n").ok_or(VerifyError::Malformed(
            "no blank line before the checkpoint",
        ))?;
        let mut lines = head.split('\n');
        if lines.next() != Some(PROOF_HEADER) {
            return Err(VerifyError::Malformed("the first line"));
        }
        let mut line = lines.next().ok_or(VerifyError::Malformed("no index"))?;
        let extra = match line.strip_prefix("extra ") {
            Some(encoded) => {
                let bytes = B64
                    .decode(encoded)
                    .map_err(|_| VerifyError::Malformed("the extra line"))?;
                line = lines.next().ok_or(VerifyError::Malformed("no index"))?;
                Some(bytes)
            }
            None => None,
        };
        let index = line
            .strip_prefix("index ")
            .and_then(decimal)
            .ok_or(VerifyError::Malformed("the index line"))?;
        let path = lines
            .map(|line| {
                B64.decode(line)
                    .ok()
                    .and_then(|bytes| <Hash>::try_from(bytes).ok())
                    .ok_or(VerifyError::Malformed("a proof hash"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if path.len() > 63 {
            return Err(VerifyError::Malformed("too many proof hashes"));
        }
        Ok(ProofFile {
            extra,
            index,
            path,
            checkpoint: checkpoint.to_owned(),
        })
    }
}

/// A checkpoint's body: the log, its size and root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
}

impl Checkpoint {
    /// Reads the body of a signed note (the text before its blank line).
    pub fn parse(note: &str) -> Result<Checkpoint, VerifyError> {
        let body = note.split_once("\n\n").map_or(note, |(body, _)| body);
        let mut lines = body.split('\n');
        let origin = lines.next().filter(|o| !o.is_empty());
        let size = lines.next().and_then(decimal);
        let root = lines
            .next()
            .and_then(|l| B64.decode(l).ok())
            .and_then(|b| <Hash>::try_from(b).ok());
        match (origin, size, root) {
            (Some(origin), Some(size), Some(root)) => Ok(Checkpoint {
                origin: origin.to_owned(),
                size,
                root,
            }),
            _ => Err(VerifyError::MalformedCheckpoint),
        }
    }
}

/// The witnesses a reader trusts, and how many of them must have cosigned a checkpoint before
/// the reader believes it (k of n). No witnesses and a quorum of 0: the log's signature alone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub witnesses: Vec<VerifierKey>,
    pub quorum: usize,
}

impl Policy {
    /// Reads witnesses' cosignature keys (signed-note form) and a quorum of at most their number.
    pub fn parse<S: AsRef<str>>(vkeys: &[S], quorum: usize) -> Result<Policy, VerifyError> {
        let witnesses = vkeys
            .iter()
            .map(|v| {
                VerifierKey::parse(v.as_ref())
                    .filter(|k| k.algorithm == COSIGNATURE)
                    .ok_or(VerifyError::BadWitnessKey)
            })
            .collect::<Result<Vec<_>, _>>()?;
        if quorum > witnesses.len() {
            return Err(VerifyError::TooFewCosignatures {
                found: witnesses.len(),
                needed: quorum,
            });
        }
        Ok(Policy { witnesses, quorum })
    }

    /// The names of the policy's witnesses that cosigned `note`, with when (Unix seconds),
    /// when at least the quorum did.
    pub fn check(&self, note: &str) -> Result<Vec<(String, u64)>, VerifyError> {
        let found = cosignatures(note, &self.witnesses).ok_or(VerifyError::BadCosignature)?;
        if found.len() < self.quorum {
            return Err(VerifyError::TooFewCosignatures {
                found: found.len(),
                needed: self.quorum,
            });
        }
        Ok(found
            .into_iter()
            .map(|(w, time)| (self.witnesses[w].name.clone(), time))
            .collect())
    }
}

/// Checks a signed checkpoint with the log's verifier key (`name+id+base64`): the signature of
/// the key named by the origin must be present and valid. Other signatures are ignored, as the
/// signed-note specification asks.
pub fn verify_checkpoint(note: &str, vkey: &str) -> Result<Checkpoint, VerifyError> {
    let key = VerifierKey::parse(vkey).ok_or(VerifyError::BadKey)?;
    verify_checkpoint_with(note, &key, &Policy::default())
}

/// [`verify_checkpoint`] with a key already read, and the witnesses' cosignatures `policy` asks
/// for.
pub fn verify_checkpoint_with(
    note: &str,
    key: &VerifierKey,
    policy: &Policy,
) -> Result<Checkpoint, VerifyError> {
    let checkpoint = Checkpoint::parse(note)?;
    if key.name != checkpoint.origin {
        return Err(VerifyError::WrongOrigin(checkpoint.origin));
    }
    if key.algorithm != super::note::ED25519 {
        return Err(VerifyError::BadKey);
    }
    verify_note(note, key).ok_or(VerifyError::BadSignature)?;
    policy.check(note)?;
    Ok(checkpoint)
}

/// A gift or refund proved to be in a signed checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub entry: Entry,
    pub index: u64,
    pub checkpoint: Checkpoint,
}

/// Checks a proof file completely: the log's signature, the entry it carries, and that the
/// entry is at its index in the signed tree.
pub fn verify_proof(text: &str, vkey: &str) -> Result<Verified, VerifyError> {
    let key = VerifierKey::parse(vkey).ok_or(VerifyError::BadKey)?;
    verify_proof_with(text, &key, &Policy::default())
}

/// [`verify_proof`] with a key already read, and the witnesses' cosignatures `policy` asks for.
pub fn verify_proof_with(
    text: &str,
    key: &VerifierKey,
    policy: &Policy,
) -> Result<Verified, VerifyError> {
    let proof = ProofFile::parse(text)?;
    let checkpoint = verify_checkpoint_with(&proof.checkpoint, key, policy)?;
    let extra = proof
        .extra
        .as_deref()
        .ok_or(VerifyError::Malformed("no entry in the extra line"))?;
    let body = std::str::from_utf8(extra).map_err(|_| VerifyError::Malformed("the entry"))?;
    let entry = Entry::parse(body)?;
    merkle::verify_inclusion(
        proof.index,
        checkpoint.size,
        &merkle::leaf_hash(extra),
        &proof.path,
        &checkpoint.root,
    )?;
    Ok(Verified {
        entry,
        index: proof.index,
        checkpoint,
    })
}
