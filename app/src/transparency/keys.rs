//! The log's signing keys, and the record that keeps a lost database from forking the log.
//!
//! One secret seed, created on first run in a file of its own (`LOG_KEY_DIR/signing-key`, or
//! given as `LOG_SIGNING_KEY`), never in the database. Each campaign's log signs with an Ed25519
//! key derived from the seed and its origin, named by its origin as C2SP tlog-checkpoint asks.
//!
//! Beside the seed, `signed/<origin digest>` holds the size and root of the last checkpoint
//! signed for each origin. Before signing, the integrator checks that the tree it is about to
//! sign contains that one; a database restored from an old backup, or lost and started afresh,
//! is then refused loudly instead of being signed as a different history under the same key.

use super::note::{cosigned_message, VerifierKey, COSIGNATURE, ED25519};
use anyhow::Context;
use base64::Engine;
use ed25519_dalek::{Signer as _, SigningKey};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

const SEED_FILE: &str = "signing-key";
const SIGNED_DIR: &str = "signed";

/// The seed the log keys are derived from, and where their signing history is kept.
#[derive(Clone)]
pub struct LogKeys {
    seed: [u8; 32],
    dir: PathBuf,
    /// The signing records already read or written, so each batch does not read its file again.
    signed: Arc<Mutex<HashMap<String, Option<(u64, [u8; 32])>>>>,
}

impl std::fmt::Debug for LogKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogKeys")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl LogKeys {
    /// Opens the key folder, creating it and a new seed if there is none. `seed_hex`
    /// (`LOG_SIGNING_KEY`, 64 hex digits) takes the file's place when given.
    pub fn open(dir: &Path, seed_hex: Option<&str>) -> anyhow::Result<LogKeys> {
        std::fs::create_dir_all(dir.join(SIGNED_DIR))
            .with_context(|| format!("creating the log key folder {}", dir.display()))?;
        let text = match seed_hex {
            Some(text) => text.trim().to_owned(),
            None => read_or_create_seed(&dir.join(SEED_FILE), "the public log's signing key")?,
        };
        let seed: [u8; 32] = hex::decode(&text)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .context("the log signing key must be 64 hexadecimal digits")?;
        Ok(LogKeys {
            seed,
            dir: dir.to_owned(),
            signed: Arc::default(),
        })
    }

    /// The signer of the log whose origin line is `origin`.
    pub fn signer(&self, origin: &str) -> LogSigner {
        let mut hasher = Sha256::new();
        hasher.update(b"giving-gallery/log-key/v1\n");
        hasher.update(self.seed);
        hasher.update(origin.as_bytes());
        let key = SigningKey::from_bytes(&hasher.finalize().into());
        let mut public = vec![ED25519];
        public.extend_from_slice(key.verifying_key().as_bytes());
        LogSigner {
            name: origin.to_owned(),
            id: signed_note::key_id(origin, &public),
            key,
        }
    }

    /// The size and root of the last checkpoint this key signed for `origin`, if any.
    pub fn last_signed(&self, origin: &str) -> anyhow::Result<Option<(u64, [u8; 32])>> {
        if let Some(known) = self.remembered().get(origin) {
            return Ok(*known);
        }
        let read = self.read_signed(origin)?;
        self.remembered().insert(origin.to_owned(), read);
        Ok(read)
    }

    fn remembered(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<(u64, [u8; 32])>>> {
        self.signed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn read_signed(&self, origin: &str) -> anyhow::Result<Option<(u64, [u8; 32])>> {
        let path = self.signed_path(origin);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let mut lines = text.lines();
        let size = lines.next().and_then(|l| l.parse().ok());
        let root = lines
            .next()
            .and_then(|l| base64::engine::general_purpose::STANDARD.decode(l).ok())
            .and_then(|b| b.try_into().ok());
        match (size, root) {
            (Some(size), Some(root)) => Ok(Some((size, root))),
            _ => anyhow::bail!("{} is damaged", path.display()),
        }
    }

    /// Records that a checkpoint of `size` with `root` was signed for `origin`, replacing the
    /// record atomically (a crash leaves the old record or the new one). Integrators commit one
    /// after another but may record in any order: a record never goes back to a smaller tree.
    pub fn record_signed(&self, origin: &str, size: u64, root: &[u8; 32]) -> anyhow::Result<()> {
        let mut remembered = self.remembered();
        if let Some(Some((known, known_root))) = remembered.get(origin) {
            if *known == size && known_root != root {
                anyhow::bail!("two different trees of {size} entries were signed for {origin}");
            }
            if *known >= size {
                return Ok(());
            }
        }
        let text = format!(
            "{size}\n{}\n{origin}\n",
            base64::engine::general_purpose::STANDARD.encode(root)
        );
        replace_file(&self.signed_path(origin), &text)?;
        remembered.insert(origin.to_owned(), Some((size, *root)));
        Ok(())
    }

    fn signed_path(&self, origin: &str) -> PathBuf {
        let digest = hex::encode(Sha256::digest(origin.as_bytes()));
        self.dir.join(SIGNED_DIR).join(&digest[..32])
    }
}

/// Replaces the file at `path` with `text`, atomically and durably: a crash leaves the old file
/// or the new one, never a mix.
pub fn replace_file(path: &Path, text: &str) -> anyhow::Result<()> {
    // A name of its own per call, so writers replacing the same file at once never rename
    // each other's half-written file.
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let temporary = path.with_extension(format!("new-{}-{call}", std::process::id()));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            file.sync_all()
        })
        .with_context(|| format!("writing {}", temporary.display()))
        .and_then(|()| {
            std::fs::rename(&temporary, path)
                .with_context(|| format!("replacing {}", path.display()))
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written?;
    if let Some(parent) = path.parent() {
        std::fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}

fn read_or_create_seed(path: &Path, what: &str) -> anyhow::Result<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => return Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    }
    let seed = crate::ids::random_hex::<32>()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(seed.as_bytes())?;
            file.sync_all()?;
            tracing::info!(path = %path.display(), "created {what}");
            Ok(seed)
        }
        // Another process made it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
        }
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

/// Signs one log's checkpoints.
pub struct LogSigner {
    name: String,
    id: u32,
    key: SigningKey,
}

impl LogSigner {
    /// The verifier key in signed-note form: `<origin>+<key id>+<base64(0x01 || public key)>`.
    pub fn vkey(&self) -> String {
        signed_note::new_ed25519_verifier_key(&self.name, &self.key.verifying_key())
    }

    /// Signs `text` (a checkpoint body) as a signed note: the text, a blank line, and the line
    /// `— <origin> <base64(key id || signature)>`.
    pub fn sign_note(&self, text: &str) -> anyhow::Result<String> {
        let mut note = signed_note::Note::new(text.as_bytes(), &[])
            .map_err(|e| anyhow::anyhow!("a checkpoint that is not a note: {e:?}"))?;
        note.add_sigs(&[self])
            .map_err(|e| anyhow::anyhow!("signing a checkpoint: {e:?}"))?;
        String::from_utf8(note.to_bytes()).context("a note that is not UTF-8")
    }
}

impl signed_note::Signer for LogSigner {
    fn name(&self) -> &str {
        &self.name
    }

    fn key_id(&self) -> u32 {
        self.id
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, ed25519_dalek::SignatureError> {
        Ok(self.key.sign(msg).to_vec())
    }
}

/// A witness's cosigning key (c2sp.org/tlog-cosignature, Ed25519, type 0x04): its seed is made
/// on first run in `<dir>/witness-key`, like the log's.
pub struct Cosigner {
    name: String,
    key: SigningKey,
}

impl Cosigner {
    /// Opens the witness's key in `dir` (creating the folder and key if needed), named `name`.
    pub fn open(dir: &Path, name: &str) -> anyhow::Result<Cosigner> {
        anyhow::ensure!(
            !name.is_empty() && !name.contains(['+', ' ', '\n']),
            "a witness name has no spaces or '+'"
        );
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the witness folder {}", dir.display()))?;
        let seed: [u8; 32] =
            hex::decode(read_or_create_seed(&dir.join("witness-key"), "the witness's key")?.trim())
                .ok()
                .and_then(|bytes| bytes.try_into().ok())
                .context("the witness key must be 64 hexadecimal digits")?;
        Ok(Cosigner {
            name: name.to_owned(),
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// The verifier key in signed-note form, `<name>+<key id>+<base64(0x04 || public key)>`.
    pub fn vkey(&self) -> String {
        self.verifier().to_text()
    }

    pub fn verifier(&self) -> VerifierKey {
        VerifierKey::new(&self.name, COSIGNATURE, self.key.verifying_key().to_bytes())
    }

    /// The signature line cosigning a checkpoint's `text` at `time` (Unix seconds, not zero).
    pub fn cosign(&self, text: &str, time: u64) -> String {
        let signature = self.key.sign(cosigned_message(text, time).as_bytes());
        let mut bytes = self.verifier().id.to_vec();
        bytes.extend_from_slice(&time.to_be_bytes());
        bytes.extend_from_slice(&signature.to_bytes());
        format!(
            "\u{2014} {} {}\n",
            self.name,
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::LogKeys;
    use std::path::PathBuf;

    /// A fresh key folder named for the test, and its keys (from a fixed seed).
    fn fresh_keys(name: &str) -> (PathBuf, LogKeys) {
        let dir = std::env::temp_dir().join(format!("gg-keys-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let keys = LogKeys::open(&dir, Some(&"7".repeat(64))).expect("keys");
        (dir, keys)
    }

    /// Integrators that finish together record their checkpoints at once and in any order; every
    /// record succeeds and the file keeps the largest tree, as a restarted server reads it.
    #[test]
    fn records_written_at_once_keep_the_largest_tree() {
        let (dir, keys) = fresh_keys("race");
        let origin = "give.example/campaigns/race";
        std::thread::scope(|scope| {
            for thread in 0..4_u64 {
                let keys = &keys;
                scope.spawn(move || {
                    for step in (0..25).rev() {
                        let size = step * 4 + thread + 1;
                        keys.record_signed(origin, size, &[size as u8; 32])
                            .expect("a record is written");
                    }
                });
            }
        });
        let restarted = LogKeys::open(&dir, Some(&"7".repeat(64))).expect("keys");
        assert_eq!(
            restarted.last_signed(origin).expect("the record reads"),
            Some((100, [100; 32]))
        );
        std::fs::remove_dir_all(&dir).expect("cleaned up");
    }

    /// A second tree of a size already signed, with another root, is a fork: refused.
    #[test]
    fn a_second_root_for_a_signed_size_is_refused() {
        let (dir, keys) = fresh_keys("fork");
        let origin = "give.example/campaigns/fork";
        keys.record_signed(origin, 5, &[1; 32]).expect("recorded");
        keys.record_signed(origin, 5, &[1; 32])
            .expect("the same tree again is fine");
        let error = keys.record_signed(origin, 5, &[2; 32]).expect_err("a fork");
        assert!(error.to_string().contains("two different trees"), "{error}");
        assert_eq!(keys.last_signed(origin).expect("read"), Some((5, [1; 32])));
        std::fs::remove_dir_all(&dir).expect("cleaned up");
    }
}
