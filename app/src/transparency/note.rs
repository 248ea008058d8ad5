//! Checking a signed note (c2sp.org/signed-note) with an Ed25519 verifier key, with nothing but
//! SHA-256 and Ed25519, so the same code runs in the browser. Signing is `keys.rs`'s job.

use base64::Engine;
use sha2::{Digest, Sha256};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
/// The signed-note algorithm byte for Ed25519.
const ED25519: u8 = 0x01;

/// An Ed25519 verifier key: `<name>+<key id, 8 hex digits>+<base64(0x01 || public key)>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifierKey {
    pub name: String,
    pub id: [u8; 4],
    public: [u8; 32],
}

impl VerifierKey {
    /// Reads a verifier key; `None` unless it is a well-formed Ed25519 key whose id matches.
    pub fn parse(vkey: &str) -> Option<VerifierKey> {
        // The name has no `+`; the base64 key may.
        let mut parts = vkey.trim().splitn(3, '+');
        let (name, id, key) = (parts.next()?, parts.next()?, parts.next()?);
        if name.is_empty() || id.len() != 8 {
            return None;
        }
        let id: [u8; 4] = u32::from_str_radix(id, 16).ok()?.to_be_bytes();
        let key = B64.decode(key).ok()?;
        let (&alg, public) = key.split_first()?;
        let public: [u8; 32] = public.try_into().ok()?;
        (alg == ED25519 && key_id(name, &public) == id).then(|| VerifierKey {
            name: name.to_owned(),
            id,
            public,
        })
    }
}

/// `SHA-256(name || "\n" || 0x01 || public key)[:4]`.
fn key_id(name: &str, public: &[u8; 32]) -> [u8; 4] {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update(b"\n");
    hasher.update([ED25519]);
    hasher.update(public);
    let digest = hasher.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

/// Splits a signed note into its text (ending in a newline) and signature lines, and checks
/// that `key` signed the text. Signature lines from other keys are ignored.
pub fn verify_note<'a>(note: &'a str, key: &VerifierKey) -> Option<&'a str> {
    let split = note.rfind("\n\n")?;
    let (text, signatures) = (&note[..=split], &note[split + 2..]);
    let signatures = signatures.strip_suffix('\n')?;
    let verifying = ed25519_dalek::VerifyingKey::from_bytes(&key.public).ok()?;
    let mut signed = false;
    for line in signatures.split('\n') {
        let rest = line.strip_prefix("\u{2014} ")?;
        let (name, encoded) = rest.split_once(' ')?;
        let bytes = B64.decode(encoded).ok()?;
        if name != key.name || bytes.len() != 68 || bytes[..4] != key.id {
            continue;
        }
        let signature = ed25519_dalek::Signature::from_slice(&bytes[4..]).ok()?;
        if verifying
            .verify_strict(text.as_bytes(), &signature)
            .is_err()
        {
            return None;
        }
        signed = true;
    }
    signed.then_some(text)
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
