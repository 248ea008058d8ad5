//! Checking Merkle proofs, exactly as RFC 9162 §2.1.3.2 and §2.1.4.2 say, with nothing but SHA-256.
//!
//! The server builds its tree and proofs with `tlog_tiles` (a port of Go's sumdb); this is the
//! independent check every verifier runs (the command line, the tests, the browser), written from
//! the RFC alone and tested against the RFC's vectors and against `tlog_tiles`.

use sha2::{Digest, Sha256};

/// A SHA-256 digest: a leaf, a node or a root.
pub type Hash = [u8; 32];

/// Why a proof was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    #[error("the index is not inside the tree")]
    IndexOutOfRange,
    #[error("the sizes are not in order")]
    SizesOutOfOrder,
    #[error("the proof has the wrong number of hashes")]
    WrongLength,
    #[error("the proof leads to another root")]
    RootMismatch,
}

/// `SHA-256(0x00 || entry)`: the hash of one leaf.
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(entry);
    hasher.finalize().into()
}

/// `SHA-256(0x01 || left || right)`: the hash of an inner node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// The root of a whole tree of leaf hashes (RFC 9162 §2.1.1), computed from scratch: split at the
/// largest power of two smaller than n.
pub fn root_of(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = largest_power_of_two_below(n as u64) as usize;
            node_hash(&root_of(&leaves[..k]), &root_of(&leaves[k..]))
        }
    }
}

fn largest_power_of_two_below(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

/// The root an inclusion proof leads to from leaf `index` of a tree of `size` (§2.1.3.2).
pub fn root_from_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    path: &[Hash],
) -> Result<Hash, ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange);
    }
    let (mut fn_, mut sn, mut r) = (index, size - 1, *leaf);
    for p in path {
        if sn == 0 {
            return Err(ProofError::WrongLength);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(ProofError::WrongLength);
    }
    Ok(r)
}

/// Checks that leaf `index` with hash `leaf` is in the tree of `size` whose root is `root`.
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    path: &[Hash],
    root: &[u8],
) -> Result<(), ProofError> {
    if root_from_inclusion(index, size, leaf, path)? == root {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}

/// Checks that the tree of `first` leaves with root `first_root` is a prefix of the tree of
/// `second` leaves with root `second_root` (§2.1.4.2). Roots are compared as the bytes given.
pub fn verify_consistency(
    first: u64,
    second: u64,
    first_root: &[u8],
    second_root: &[u8],
    path: &[Hash],
) -> Result<(), ProofError> {
    // RFC 9162 gives no proof from the empty tree: a verifier refuses one.
    if first == 0 || first > second {
        return Err(ProofError::SizesOutOfOrder);
    }
    if first == second {
        return if !path.is_empty() {
            Err(ProofError::WrongLength)
        } else if first_root == second_root {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        };
    }
    if path.is_empty() {
        return Err(ProofError::WrongLength);
    }
    let mut hashes = Vec::with_capacity(path.len() + 1);
    if first.is_power_of_two() {
        hashes.push(<Hash>::try_from(first_root).map_err(|_| ProofError::RootMismatch)?);
    }
    hashes.extend_from_slice(path);
    let (mut fn_, mut sn) = (first - 1, second - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let (mut fr, mut sr) = (hashes[0], hashes[0]);
    for c in &hashes[1..] {
        if sn == 0 {
            return Err(ProofError::WrongLength);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err(ProofError::WrongLength);
    }
    if fr == first_root && sr == second_root {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_match_the_rfc_reference_tree() {
        let leaves: Vec<Hash> = [
            &b""[..],
            &[0x00],
            &[0x10],
            &[0x20, 0x21],
            &[0x30, 0x31],
            &[0x40, 0x41, 0x42, 0x43],
            &[0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
            &[
                0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d,
                0x6e, 0x6f,
            ],
        ]
        .iter()
        .map(|l| leaf_hash(l))
        .collect();
        let hex = |n: usize| hex::encode(root_of(&leaves[..n]));
        assert!(hex(1).starts_with("6e340b9c"));
        assert!(hex(2).starts_with("fac54203"));
        assert!(hex(3).starts_with("aeb6bcfe"));
        assert!(hex(4).starts_with("d37ee418"));
        assert!(hex(8).starts_with("5dc9da79") && hex(8).ends_with("4328"));
        assert_eq!(
            hex(0),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    /// The vectors of transparency-dev/merkle (copied under app/testdata/merkle with their
    /// licence): every case is accepted or refused as its `wantErr` says.
    #[test]
    fn every_rfc_vector_is_answered_as_it_expects() {
        use base64::Engine;
        let decode = |v: &serde_json::Value| -> Option<Hash> {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(v.as_str()?)
                .ok()?;
            bytes.try_into().ok()
        };
        let bytes = |v: &serde_json::Value| -> Option<Vec<u8>> {
            base64::engine::general_purpose::STANDARD
                .decode(v.as_str()?)
                .ok()
        };
        let path_of = |v: &serde_json::Value| -> Option<Vec<Hash>> {
            match v {
                serde_json::Value::Null => Some(Vec::new()),
                serde_json::Value::Array(items) => items.iter().map(decode).collect(),
                _ => None,
            }
        };
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/merkle/testdata");
        let mut cases = 0;
        for kind in ["inclusion", "consistency"] {
            for file in files_under(&root.join(kind)) {
                let text = std::fs::read_to_string(&file).expect("a vector file");
                let case: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                let want_err = case["wantErr"].as_bool().expect("wantErr");
                let ok = if kind == "inclusion" {
                    (|| {
                        let index = case["leafIdx"].as_u64()?;
                        let size = case["treeSize"].as_u64()?;
                        let leaf = decode(&case["leafHash"])?;
                        let root = bytes(&case["root"])?;
                        let path = path_of(&case["proof"])?;
                        Some(verify_inclusion(index, size, &leaf, &path, &root).is_ok())
                    })()
                    .unwrap_or(false)
                } else {
                    (|| {
                        let first = case["size1"].as_u64()?;
                        let second = case["size2"].as_u64()?;
                        let root1 = bytes(&case["root1"])?;
                        let root2 = bytes(&case["root2"])?;
                        let path = path_of(&case["proof"])?;
                        Some(verify_consistency(first, second, &root1, &root2, &path).is_ok())
                    })()
                    .unwrap_or(false)
                };
                assert_eq!(ok, !want_err, "{}", file.display());
                cases += 1;
            }
        }
        assert_eq!(cases, 196, "every vector was read");
    }

    fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).expect("a vector folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                files.extend(files_under(&path));
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
        files
    }

    /// A small deterministic generator, so a failure names its seed.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// The hashes `tlog_tiles` stores, kept in memory.
    struct Stored(Vec<tlog_tiles::Hash>);
    impl tlog_tiles::HashReader for Stored {
        fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<tlog_tiles::Hash>, tlog_tiles::Error> {
            indexes
                .iter()
                .map(|&i| {
                    self.0
                        .get(i as usize)
                        .copied()
                        .ok_or(tlog_tiles::Error::IndexesNotInTree)
                })
                .collect()
        }
    }

    /// Over random trees, the proofs `tlog_tiles` makes pass this verifier with the roots computed
    /// here from scratch, and any flipped bit in a proof makes it fail.
    #[test]
    fn proofs_from_tlog_tiles_agree_with_this_verifier_and_no_flipped_bit_passes() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut stored = Stored(Vec::new());
        let mut leaves = Vec::new();
        for n in 0..300_u64 {
            let entry = format!("entry {n}");
            leaves.push(leaf_hash(entry.as_bytes()));
            let new = tlog_tiles::stored_hashes(n, entry.as_bytes(), &stored).expect("hashes");
            stored.0.extend(new);
        }
        for _ in 0..400 {
            let size = 1 + rng.below(300);
            let root = root_of(&leaves[..size as usize]);
            let tree = tlog_tiles::tree_hash(size, &stored).expect("a root");
            assert_eq!(
                tree.0, root,
                "tlog_tiles and this file agree on the root of {size}"
            );

            let index = rng.below(size);
            let proof: Vec<Hash> = tlog_tiles::prove_record(size, index, &stored)
                .expect("a proof")
                .iter()
                .map(|h| h.0)
                .collect();
            let leaf = leaves[index as usize];
            assert_eq!(verify_inclusion(index, size, &leaf, &proof, &root), Ok(()));
            if !proof.is_empty() {
                let mut bent = proof.clone();
                let at = rng.below(bent.len() as u64 * 256) as usize;
                bent[at / 256][(at % 256) / 8] ^= 1 << (at % 8);
                assert!(verify_inclusion(index, size, &leaf, &bent, &root).is_err());
            }
            assert!(
                verify_inclusion(
                    index,
                    size,
                    &leaf,
                    &proof[..proof.len().saturating_sub(1)],
                    &root
                )
                .is_err()
                    || proof.is_empty()
            );

            let first = 1 + rng.below(size);
            let first_root = root_of(&leaves[..first as usize]);
            let proof: Vec<Hash> = tlog_tiles::prove_tree(size, first, &stored)
                .expect("a proof")
                .iter()
                .map(|h| h.0)
                .collect();
            assert_eq!(
                verify_consistency(first, size, &first_root, &root, &proof),
                Ok(())
            );
            if !proof.is_empty() {
                let mut bent = proof.clone();
                let at = rng.below(bent.len() as u64 * 256) as usize;
                bent[at / 256][(at % 256) / 8] ^= 1 << (at % 8);
                assert!(verify_consistency(first, size, &first_root, &root, &bent).is_err());
            }
        }
    }
}
