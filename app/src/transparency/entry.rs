//! The text of one log entry, and the commitment that ties a gift's entry to its donor.
//!
//! An entry is UTF-8 text, a line each, in this order (docs/TRANSPARENCY.md is the reference):
//!
//! ```text
//! giving-gallery/entry/v1
//! kind gift
//! time 2026-11-30T21:51Z
//! artwork little-sun
//! amount 500 CNY
//! raised 123400 CNY
//! commitment 5f0c…(64 hex digits)
//! ```
//!
//! A refund has a negative `amount` and `refers <index of the gift's entry>` instead of
//! `commitment`. `raised` is the campaign's running total after the entry, so the last entry of
//! any checkpoint states the total.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The first line of every entry of this format.
pub const FORMAT_LINE: &str = "giving-gallery/entry/v1";

/// The largest entry this format produces or accepts, in bytes (a bundle stores a length of
/// 16 bits; ours are about 230 bytes).
pub const MAX_ENTRY_BYTES: usize = 1024;

/// What an entry records. Later kinds (`expense`, `budget`, `consent`, `match`) take the same
/// first lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Gift,
    Refund,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Gift => "gift",
            Kind::Refund => "refund",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "gift" => Some(Kind::Gift),
            "refund" => Some(Kind::Refund),
            _ => None,
        }
    }
}

/// What ties an entry to what came before it or to its donor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// A gift: `SHA-256` of the origin, certificate number and verification code, in hex.
    Commitment(String),
    /// A refund: the index of the gift's entry.
    Refers(u64),
}

/// One entry of a campaign's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    /// UTC, to the minute: `2026-11-30T21:51Z`.
    pub time: String,
    pub artwork: String,
    /// Minor units; negative for a refund.
    pub amount: i64,
    /// The campaign's running total after this entry, in minor units.
    pub raised: i64,
    /// An ISO 4217 code in capitals.
    pub currency: String,
    pub link: Link,
}

/// Why an entry's text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("malformed entry: {0}")]
pub struct MalformedEntry(&'static str);

impl Entry {
    /// The entry's text, exactly as it is hashed into the log.
    pub fn to_text(&self) -> String {
        let mut text = String::with_capacity(256);
        let _ = write!(
            text,
            "{FORMAT_LINE}\nkind {}\ntime {}\nartwork {}\namount {} {}\nraised {} {}\n",
            self.kind.as_str(),
            self.time,
            self.artwork,
            self.amount,
            self.currency,
            self.raised,
            self.currency
        );
        let _ = match &self.link {
            Link::Commitment(hex) => writeln!(text, "commitment {hex}"),
            Link::Refers(index) => writeln!(text, "refers {index}"),
        };
        text
    }

    /// Reads an entry's text, refusing anything [`Entry::to_text`] would not have written.
    pub fn parse(text: &str) -> Result<Entry, MalformedEntry> {
        if text.len() > MAX_ENTRY_BYTES {
            return Err(MalformedEntry("too long"));
        }
        let body = text
            .strip_suffix('\n')
            .ok_or(MalformedEntry("no final newline"))?;
        let mut lines = body.split('\n');
        if lines.next() != Some(FORMAT_LINE) {
            return Err(MalformedEntry("unknown format line"));
        }
        let mut field = |key: &'static str| -> Result<&str, MalformedEntry> {
            lines
                .next()
                .and_then(|line| line.strip_prefix(key))
                .and_then(|rest| rest.strip_prefix(' '))
                .ok_or(MalformedEntry(key))
        };
        let kind = Kind::parse(field("kind")?).ok_or(MalformedEntry("kind"))?;
        let time = field("time")?.to_owned();
        let artwork = field("artwork")?.to_owned();
        let (amount, currency) = money(field("amount")?).ok_or(MalformedEntry("amount"))?;
        let (raised, raised_currency) = money(field("raised")?).ok_or(MalformedEntry("raised"))?;
        let link = match kind {
            Kind::Gift => {
                let hex = field("commitment")?;
                if hex.len() != 64 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
                    return Err(MalformedEntry("commitment"));
                }
                Link::Commitment(hex.to_owned())
            }
            Kind::Refund => {
                Link::Refers(decimal(field("refers")?).ok_or(MalformedEntry("refers"))?)
            }
        };
        if lines.next().is_some() {
            return Err(MalformedEntry("extra lines"));
        }
        let entry = Entry {
            kind,
            time,
            artwork,
            amount,
            raised,
            currency,
            link,
        };
        let signed_right = match kind {
            Kind::Gift => entry.amount > 0,
            Kind::Refund => entry.amount < 0,
        };
        if !signed_right || raised_currency != entry.currency || !is_minute(&entry.time) {
            return Err(MalformedEntry("values"));
        }
        // What was parsed writes back to the same bytes, or it is not ours.
        if entry.to_text() != text {
            return Err(MalformedEntry("not in canonical form"));
        }
        Ok(entry)
    }
}

/// `500 CNY` → (500, "CNY"); no sign but `-`, no leading zeros, three capitals.
fn money(text: &str) -> Option<(i64, String)> {
    let (number, currency) = text.split_once(' ')?;
    let value = match number.strip_prefix('-') {
        Some(digits) => decimal(digits)
            .and_then(|v| i64::try_from(v).ok())
            .map(|v| -v)?,
        None => i64::try_from(decimal(number)?).ok()?,
    };
    (currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase()))
        .then(|| (value, currency.to_owned()))
}

/// A decimal number as the formats write it: digits only, no leading zero.
pub fn decimal(text: &str) -> Option<u64> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    canonical.then(|| text.parse().ok()).flatten()
}

fn is_minute(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 17
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 => *c == b':',
            16 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// The time of an entry: a Unix time in milliseconds, in UTC, to the minute.
pub fn minute_of(unix_ms: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(unix_ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// A gift's commitment: the lowercase hex of
/// `SHA-256("giving-gallery/gift/v1\n" || origin || "\n" || certificate || "\n" || code)`.
/// Only its donor holds the code, so only they can show which entry is theirs.
pub fn commitment(origin: &str, certificate_number: u64, verification_code: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"giving-gallery/gift/v1\n");
    hasher.update(origin.as_bytes());
    hasher.update(b"\n");
    hasher.update(certificate_number.to_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(verification_code.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gift() -> Entry {
        Entry {
            kind: Kind::Gift,
            time: minute_of(1_796_075_460_123),
            artwork: "little-sun".into(),
            amount: 500,
            raised: 123_400,
            currency: "CNY".into(),
            link: Link::Commitment(commitment(
                "give.example/campaigns/x",
                7,
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            )),
        }
    }

    #[test]
    fn an_entry_reads_back_as_written_and_nothing_else_does() {
        let text = gift().to_text();
        assert!(text.starts_with("giving-gallery/entry/v1\nkind gift\ntime 2026-11-30T21:51Z\n"));
        assert!(text.contains("\namount 500 CNY\nraised 123400 CNY\ncommitment "));
        assert_eq!(Entry::parse(&text), Ok(gift()));
        let refund = Entry {
            kind: Kind::Refund,
            amount: -500,
            raised: 122_900,
            link: Link::Refers(3),
            ..gift()
        };
        assert_eq!(Entry::parse(&refund.to_text()), Ok(refund));
        for bad in [
            text.replace("amount 500", "amount 0500"),
            text.replace("amount 500", "amount -500"),
            text.replace("kind gift", "kind gifts"),
            text.replace("raised 123400 CNY", "raised 123400 USD"),
            text.trim_end().to_owned(),
            format!("{text}extra 1\n"),
            text.replace('\n', "\r\n"),
            text.replace("T", " "),
        ] {
            assert!(Entry::parse(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_commitment_changes_with_every_part() {
        let c = commitment("o", 1, "code");
        assert_eq!(c.len(), 64);
        assert_ne!(c, commitment("o", 2, "code"));
        assert_ne!(c, commitment("o", 1, "codf"));
        assert_ne!(c, commitment("p", 1, "code"));
    }
}
