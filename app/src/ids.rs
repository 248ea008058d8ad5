//! Every identity type, in one place every layer may import: a campaign's and a staff account's
//! row ids, a donation's secret id and a gift's public share code, and the random tokens the
//! server draws. Fields are private: an id is made by parsing, by the database, or (behind
//! `ssr`) by drawing it at random, never by hand from any string.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A campaign's row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CampaignId(i64);

impl CampaignId {
    /// The id of a campaign row the database gave.
    pub fn new(row: i64) -> CampaignId {
        CampaignId(row)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// A staff account's row id, as kept in its session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaffId(i64);

impl StaffId {
    /// The id of an account row the database gave.
    pub fn new(row: i64) -> StaffId {
        StaffId(row)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// A donation's id: 128 random bits as 32 lowercase hex digits. Knowing it is what lets a donor
/// see their thank-you page, so it is never derived from anything guessable.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DonationId(String);

impl DonationId {
    /// A new random id.
    #[cfg(feature = "ssr")]
    pub fn generate() -> anyhow::Result<DonationId> {
        Ok(DonationId(random_hex::<16>()?))
    }

    /// Reads an id from a URL or an event; anything but 32 lowercase hex digits is no id.
    pub fn parse(text: &str) -> Option<DonationId> {
        (text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| DonationId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The donor's thank-you page.
    pub fn path(&self) -> String {
        format!("/donations/{}", self.0)
    }
}

impl fmt::Display for DonationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A gift's public share code: 12 characters from an alphabet without look-alikes (no 0/o,
/// 1/l/i), random, so codes cannot be enumerated. Unlike the donation id it opens nothing
/// private.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShareCode(String);

const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
const CODE_LEN: usize = 12;

impl ShareCode {
    /// Reads a code from a URL or a cookie; anything else is no code.
    pub fn parse(text: &str) -> Option<ShareCode> {
        (text.len() == CODE_LEN && text.bytes().all(|b| ALPHABET.contains(&b)))
            .then(|| ShareCode(text.to_owned()))
    }

    /// A new random code.
    #[cfg(feature = "ssr")]
    pub fn generate() -> anyhow::Result<ShareCode> {
        let mut code = String::with_capacity(CODE_LEN);
        let mut bytes = [0_u8; 32];
        // Only bytes below a multiple of the alphabet's size, so every letter is as likely.
        let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
        while code.len() < CODE_LEN {
            fill_random(&mut bytes)?;
            for b in bytes
                .iter()
                .filter(|&&b| b < limit)
                .take(CODE_LEN - code.len())
            {
                code.push(char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]));
            }
        }
        Ok(ShareCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The share page.
    pub fn path(&self) -> String {
        format!("/s/{}", self.0)
    }
}

impl crate::json::FromJson for ShareCode {
    fn from_json(json: &crate::json::Json) -> Option<Self> {
        String::from_json(json).map(ShareCode)
    }
}

impl fmt::Display for ShareCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `N` bytes from the system's random source, as `2 * N` lowercase hex digits: the tokens,
/// nonces and secrets the server draws.
#[cfg(feature = "ssr")]
pub fn random_hex<const N: usize>() -> anyhow::Result<String> {
    let mut bytes = [0_u8; N];
    fill_random(&mut bytes)?;
    Ok(hex::encode(bytes))
}

/// A gift's verification code: 26 letters and digits of RFC 4648 base32 (130 random bits),
/// shown only to its donor.
#[cfg(feature = "ssr")]
pub fn verification_code() -> anyhow::Result<String> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bytes = [0_u8; 26];
    fill_random(&mut bytes)?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect())
}

#[cfg(feature = "ssr")]
fn fill_random(bytes: &mut [u8]) -> anyhow::Result<()> {
    getrandom::fill(bytes).map_err(|e| anyhow::anyhow!("the system random source failed: {e}"))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn drawn_ids_parse_and_differ() {
        let a = ShareCode::generate().expect("random");
        let b = ShareCode::generate().expect("random");
        assert_eq!(ShareCode::parse(a.as_str()), Some(a.clone()));
        assert_ne!(a, b);
        let c = DonationId::generate().expect("random");
        let d = DonationId::generate().expect("random");
        assert_eq!(DonationId::parse(c.as_str()), Some(c.clone()));
        assert_ne!(c, d);
        assert_eq!(random_hex::<24>().expect("random").len(), 48);
    }

    #[test]
    fn what_is_not_an_id_does_not_parse() {
        for text in [
            "",
            "ABCDEF",
            "0o1lii234567",
            "2345678abcde/",
            "23456789abcdef",
        ] {
            assert_eq!(ShareCode::parse(text), None, "{text}");
        }
        let upper = "0123456789ABCDEF0123456789ABCDEF";
        assert_eq!(DonationId::parse(upper), None);
        assert_eq!(DonationId::parse(&upper.to_lowercase()[..31]), None);
    }
}
