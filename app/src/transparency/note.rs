//! Checking a signed note (c2sp.org/signed-note) with Ed25519 verifier keys: the log's own
//! signature, and witnesses' cosignatures (c2sp.org/tlog-cosignature, type 0x04), with nothing
//! but SHA-256 and Ed25519, so the same code runs in the browser. Signing is `keys.rs`'s job.

use base64::Engine;
use sha2::{Digest, Sha256};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
/// The signed-note algorithm byte for Ed25519.
pub const ED25519: u8 = 0x01;
/// The algorithm byte of a timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature).
pub const COSIGNATURE: u8 = 0x04;

/// An Ed25519 verifier key: `<name>+<key id, 8 hex digits>+<base64(algorithm || public key)>`,
/// where the algorithm is [`ED25519`] for a log's key or [`COSIGNATURE`] for a witness's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifierKey {
    pub name: String,
    pub id: [u8; 4],
    pub algorithm: u8,
    public: [u8; 32],
}

impl VerifierKey {
    /// Reads a verifier key; `None` unless it is a well-formed Ed25519 or cosignature key whose
    /// id matches.
    pub fn parse(vkey: &str) -> Option<VerifierKey> {
        // The name has no `+`; the base64 key may.
        let mut parts = vkey.trim().splitn(3, '+');
        let (name, id, key) = (parts.next()?, parts.next()?, parts.next()?);
        if name.is_empty() || id.len() != 8 {
            return None;
        }
        let id: [u8; 4] = u32::from_str_radix(id, 16).ok()?.to_be_bytes();
        let key = B64.decode(key).ok()?;
        let (&algorithm, public) = key.split_first()?;
        let public: [u8; 32] = public.try_into().ok()?;
        (matches!(algorithm, ED25519 | COSIGNATURE) && key_id(name, algorithm, &public) == id).then(
            || VerifierKey {
                name: name.to_owned(),
                id,
                algorithm,
                public,
            },
        )
    }

    /// Writes a key in its signed-note form.
    pub fn new(name: &str, algorithm: u8, public: [u8; 32]) -> VerifierKey {
        VerifierKey {
            name: name.to_owned(),
            id: key_id(name, algorithm, &public),
            algorithm,
            public,
        }
    }

    /// The key in signed-note form.
    pub fn to_text(&self) -> String {
        let mut key = vec![self.algorithm];
        key.extend_from_slice(&self.public);
        format!("{}+{}+{}", self.name, hex_id(self.id), B64.encode(key))
    }

    /// Whether a signature line's name and key id are this key's.
    fn matches(&self, name: &str, bytes: &[u8]) -> bool {
        name == self.name && bytes.len() >= 4 && bytes[..4] == self.id
    }

    fn verifying(&self) -> Option<ed25519_dalek::VerifyingKey> {
        ed25519_dalek::VerifyingKey::from_bytes(&self.public).ok()
    }
}

fn hex_id(id: [u8; 4]) -> String {
    format!("{:08x}", u32::from_be_bytes(id))
}

/// `SHA-256(name || "\n" || algorithm || public key)[:4]`.
fn key_id(name: &str, algorithm: u8, public: &[u8; 32]) -> [u8; 4] {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update(b"\n");
    hasher.update([algorithm]);
    hasher.update(public);
    let digest = hasher.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

/// A signed note cut into its text (ending in a newline) and its signature lines, each read as
/// a name and the decoded signature bytes. `None` when it is not a well-formed note.
fn split_note(note: &str) -> Option<(&str, Vec<(&str, Vec<u8>)>)> {
    let split = note.rfind("\n\n")?;
    let (text, signatures) = (&note[..=split], &note[split + 2..]);
    let signatures = signatures.strip_suffix('\n')?;
    let lines = signatures
        .split('\n')
        .map(|line| {
            let (name, encoded) = line.strip_prefix("\u{2014} ")?.split_once(' ')?;
            Some((name, B64.decode(encoded).ok()?))
        })
        .collect::<Option<Vec<_>>>()?;
    Some((text, lines))
}

/// Splits a signed note into its text (ending in a newline) and signature lines, and checks
/// that `key` signed the text. Signature lines from other keys are ignored.
pub fn verify_note<'a>(note: &'a str, key: &VerifierKey) -> Option<&'a str> {
    let (text, lines) = split_note(note)?;
    let verifying = key.verifying()?;
    let mut signed = false;
    for (name, bytes) in lines {
        if !key.matches(name, &bytes) || bytes.len() != 68 {
            continue;
        }
        let signature = ed25519_dalek::Signature::from_slice(&bytes[4..]).ok()?;
        verifying.verify_strict(text.as_bytes(), &signature).ok()?;
        signed = true;
    }
    signed.then_some(text)
}

/// The message a cosigner signs at `time` over a checkpoint's `text`.
pub fn cosigned_message(text: &str, time: u64) -> String {
    format!("cosignature/v1\ntime {time}\n{text}")
}

/// The witnesses among `witnesses` (cosignature keys) that cosigned the note, as indexes into
/// `witnesses` with the time each cosigned. `None` when the note is malformed or a line with a
/// witness's name and key id does not verify (signed-note: such a note is refused whole).
pub fn cosignatures(note: &str, witnesses: &[VerifierKey]) -> Option<Vec<(usize, u64)>> {
    let (text, lines) = split_note(note)?;
    let mut found = Vec::new();
    for (name, bytes) in lines {
        let Some(which) = witnesses
            .iter()
            .position(|w| w.algorithm == COSIGNATURE && w.matches(name, &bytes))
        else {
            continue;
        };
        if bytes.len() != 4 + 8 + 64 {
            return None;
        }
        let time = u64::from_be_bytes(bytes[4..12].try_into().ok()?);
        let signature = ed25519_dalek::Signature::from_slice(&bytes[12..]).ok()?;
        witnesses[which]
            .verifying()?
            .verify_strict(cosigned_message(text, time).as_bytes(), &signature)
            .ok()?;
        if time == 0 || time > i64::MAX as u64 {
            return None;
        }
        if !found.iter().any(|(w, _)| *w == which) {
            found.push((which, time));
        }
    }
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of c2sp.org/signed-note, with its published key.
    #[test]
    fn the_specifications_example_verifies_and_a_changed_byte_does_not() {
        let key = VerifierKey::parse(
            "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
        )
        .expect("a key");
        let note = "This is an example message.\n\n\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
        assert_eq!(
            verify_note(note, &key),
            Some("This is an example message.\n")
        );
        assert!(verify_note(&note.replace("example message", "Example message"), &key).is_none());
        // Another key's line is ignored; a note no known key signed is refused.
        let other = note.replace("\u{2014} example.com/foo", "\u{2014} witness.example");
        assert!(verify_note(&other, &key).is_none());
        assert!(VerifierKey::parse(
            "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
        )
        .is_none());
    }

    /// Keys whose base64 holds a `+` read as well as others, and verify what they sign.
    #[test]
    fn every_key_the_log_makes_reads_back() {
        let keys = crate::transparency::keys::LogKeys::open(
            &std::env::temp_dir().join(format!("gg-note-test-{}", std::process::id())),
            Some(&"7".repeat(64)),
        )
        .expect("keys");
        let mut with_plus = 0;
        for n in 0..200 {
            let signer = keys.signer(&format!("give.example/campaigns/c{n}"));
            let vkey = signer.vkey();
            with_plus += usize::from(vkey.splitn(3, '+').nth(2).is_some_and(|k| k.contains('+')));
            let key = VerifierKey::parse(&vkey).expect("the log's own key reads");
            let note = signer
                .sign_note("give.example/campaigns/c\n1\nAAAA\n")
                .expect("signed");
            assert!(verify_note(&note, &key).is_some(), "{vkey}");
        }
        assert!(with_plus > 0, "some keys had a + in their base64");
    }
}
