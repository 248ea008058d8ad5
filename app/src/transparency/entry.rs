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
//! `commitment`. A match states its `sponsor` (the match's position), its `amount` and the
//! running total `matched`, leaves `raised` as it was, and `refers` to its gift. A consent states its terms instead of an amount, and a withdrawal who withdrew:
//!
//! ```text
//! giving-gallery/entry/v1
//! kind consent
//! time 2026-05-01T08:00Z
//! artwork little-sun
//! consenter parent
//! assent yes
//! scope gifts certificates
//! royalty gifts 500
//! from 2026-05-01
//! until open
//! form pdf 3b7e…(64 hex digits)
//! raised 0 CNY
//! commitment 9a41…(64 hex digits)
//! ```
//!
//! `form` (the signed consent form's format and SHA-256) is there when a form is on file.
//! `raised` is the campaign's running total after the entry (a consent or withdrawal leaves it
//! as it was), so the last entry of any checkpoint states the total.

use crate::artworks::consent::{Assent, Consenter, Scope, SignedForm, Terms};
use crate::spending::document::{is_entry_value, Format};
use crate::spending::expense::ExpenseKind;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// The first line of every entry of this format.
pub const FORMAT_LINE: &str = "giving-gallery/entry/v1";

/// The largest entry this format produces or accepts, in bytes (a bundle stores a length of
/// 16 bits; ours are about 230 bytes).
pub const MAX_ENTRY_BYTES: usize = 1024;

/// What an entry records. Every kind takes the same first lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Gift,
    Refund,
    /// Consent for an artwork, given or renewed: its terms supersede any before.
    Consent,
    /// Consent for an artwork withdrawn: no gift for it after this.
    Withdrawal,
    /// A version of the campaign's spending plan published.
    Budget,
    /// An expense paid (or, with a negative amount, a paid expense reversed).
    Expense,
    /// A sponsor's match on a gift (or, with a negative amount, its reversal when the gift is
    /// refunded).
    Match,
}

impl Kind {
    const ALL: [Kind; 7] = [
        Kind::Gift,
        Kind::Refund,
        Kind::Consent,
        Kind::Withdrawal,
        Kind::Budget,
        Kind::Expense,
        Kind::Match,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Gift => "gift",
            Kind::Refund => "refund",
            Kind::Consent => "consent",
            Kind::Withdrawal => "withdrawal",
            Kind::Budget => "budget",
            Kind::Expense => "expense",
            Kind::Match => "match",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Whether entries of this kind move money (and state an amount).
    pub fn is_money(self) -> bool {
        matches!(self, Kind::Gift | Kind::Refund)
    }
}

/// What ties an entry to what came before it or to its donor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// A gift: `SHA-256` of the origin, certificate number and verification code, in hex. A
    /// consent or withdrawal: of the record's private details and a salt ([`consent_commitment`]).
    Commitment(String),
    /// A refund or a match: the index of the gift's entry. A reversal: the index of the
    /// expense's entry.
    Refers(u64),
    /// A plan or an expense: the digest of its whole public text
    /// ([`crate::spending::plan_digest`], [`crate::spending::expense::expense_digest`]).
    Digest(String),
}

/// One entry of a campaign's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    /// UTC, to the minute: `2026-11-30T21:51Z`.
    pub time: String,
    pub artwork: String,
    /// The artist's slug: on a consent (whose work it is; absent on consents logged before
    /// artists had records) and on a royalty expense (whom it paid).
    pub artist: Option<String>,
    /// Minor units; negative for a refund; 0 for a consent or withdrawal (not written).
    pub amount: i64,
    /// The campaign's running total after this entry, in minor units.
    pub raised: i64,
    /// An ISO 4217 code in capitals.
    pub currency: String,
    /// What a consent or withdrawal states (a withdrawal: only who withdrew it).
    pub consent: Option<Stated>,
    pub link: Link,
}

/// What an entry that moves no money states: a consent's terms, a withdrawal's consenter, a
/// plan's version and its lines.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Stated {
    Consent(Terms),
    Withdrawal(Consenter),
    /// The version, and each line's short name and planned amount (minor units).
    Plan {
        version: u32,
        lines: Vec<(String, i64)>,
    },
    /// An expense: its budget line, its kind, its amount (negative for a reversal) and the
    /// running total spent after it, in minor units.
    Expense {
        line: String,
        kind: ExpenseKind,
        amount: i64,
        spent: i64,
        /// Its documents, each as `kind format public-sha256 original-sha256`.
        documents: Vec<String>,
    },
    /// A match: the sponsor's match by its position in the campaign (1 for the first match
    /// set), its amount (negative for a reversal) and the running total matched after it, in
    /// minor units.
    Match {
        sponsor: u32,
        amount: i64,
        matched: i64,
    },
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
            "{FORMAT_LINE}\nkind {}\ntime {}\n",
            self.kind.as_str(),
            self.time,
        );
        // A plan or an expense is the campaign's, not an artwork's.
        if !matches!(self.kind, Kind::Budget | Kind::Expense) {
            let _ = writeln!(text, "artwork {}", self.artwork);
        }
        let artist_line = |text: &mut String| {
            if let Some(artist) = &self.artist {
                let _ = writeln!(text, "artist {artist}");
            }
        };
        if self.kind == Kind::Consent {
            artist_line(&mut text);
        }
        match &self.consent {
            None => {
                let _ = writeln!(text, "amount {} {}", self.amount, self.currency);
            }
            Some(Stated::Consent(terms)) => write_terms(&mut text, terms),
            Some(Stated::Withdrawal(consenter)) => {
                let _ = writeln!(text, "consenter {}", consenter.as_str());
            }
            Some(Stated::Plan { version, lines }) => {
                let _ = writeln!(text, "version {version}");
                for (line, planned) in lines {
                    let _ = writeln!(text, "line {line} {planned} {}", self.currency);
                }
            }
            Some(Stated::Expense {
                line,
                kind,
                amount,
                spent,
                documents,
            }) => {
                let currency = &self.currency;
                let _ = write!(text, "line {line}\nspend {}\n", kind.as_str());
                artist_line(&mut text);
                let _ = write!(
                    text,
                    "amount {amount} {currency}\nspent {spent} {currency}\n"
                );
                for document in documents {
                    let _ = writeln!(text, "document {document}");
                }
            }
            Some(Stated::Match {
                sponsor,
                amount,
                matched,
            }) => {
                let currency = &self.currency;
                let _ = write!(
                    text,
                    "sponsor {sponsor}\namount {amount} {currency}\nmatched {matched} {currency}\n"
                );
            }
        }
        let _ = writeln!(text, "raised {} {}", self.raised, self.currency);
        let _ = match &self.link {
            Link::Commitment(hex) => writeln!(text, "commitment {hex}"),
            Link::Refers(index) => writeln!(text, "refers {index}"),
            Link::Digest(hex) => writeln!(text, "digest {hex}"),
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
        let mut fields = Fields(body.split('\n').peekable());
        if fields.0.next() != Some(FORMAT_LINE) {
            return Err(MalformedEntry("unknown format line"));
        }
        let kind = Kind::parse(fields.field("kind")?).ok_or(MalformedEntry("kind"))?;
        let time = fields.field("time")?.to_owned();
        let artwork = match kind {
            Kind::Budget | Kind::Expense => String::new(),
            _ => fields.field("artwork")?.to_owned(),
        };
        let mut artist = match kind {
            Kind::Consent => fields.optional("artist").map(str::to_owned),
            _ => None,
        };
        let version = match kind {
            Kind::Budget => Some(
                decimal(fields.field("version")?)
                    .and_then(|v| u32::try_from(v).ok())
                    .ok_or(MalformedEntry("version"))?,
            ),
            _ => None,
        };
        let (amount, consent) = match kind {
            Kind::Gift | Kind::Refund => {
                let (amount, currency) =
                    money(fields.field("amount")?).ok_or(MalformedEntry("amount"))?;
                (Some((amount, currency)), None)
            }
            Kind::Consent => (None, Some(Stated::Consent(read_terms(&mut fields)?))),
            Kind::Withdrawal => {
                let consenter = Consenter::parse(fields.field("consenter")?);
                let consenter = consenter.ok_or(MalformedEntry("consenter"))?;
                (None, Some(Stated::Withdrawal(consenter)))
            }
            Kind::Budget => (None, None),
            Kind::Expense => {
                let line = fields.field("line")?;
                if line.parse::<crate::slug::Slug>().is_err() {
                    return Err(MalformedEntry("line"));
                }
                let spend =
                    ExpenseKind::parse(fields.field("spend")?).ok_or(MalformedEntry("spend"))?;
                // A royalty names the artist it paid; no other expense names one.
                artist = fields.optional("artist").map(str::to_owned);
                if artist.is_some() != (spend == ExpenseKind::Royalty) {
                    return Err(MalformedEntry("artist"));
                }
                let (amount, currency) =
                    money(fields.field("amount")?).ok_or(MalformedEntry("amount"))?;
                let (spent, spent_currency) =
                    money(fields.field("spent")?).ok_or(MalformedEntry("spent"))?;
                if amount == 0 || spent_currency != currency {
                    return Err(MalformedEntry("amount"));
                }
                let documents = fields.repeated("document");
                if !documents.iter().all(|d| is_entry_value(d)) {
                    return Err(MalformedEntry("document"));
                }
                let stated = Stated::Expense {
                    line: line.to_owned(),
                    kind: spend,
                    amount,
                    spent,
                    documents: documents.into_iter().map(str::to_owned).collect(),
                };
                (Some((0, currency)), Some(stated))
            }
            Kind::Match => {
                let sponsor = decimal(fields.field("sponsor")?)
                    .and_then(|v| u32::try_from(v).ok())
                    .filter(|v| *v > 0)
                    .ok_or(MalformedEntry("sponsor"))?;
                let (amount, currency) =
                    money(fields.field("amount")?).ok_or(MalformedEntry("amount"))?;
                let (matched, matched_currency) =
                    money(fields.field("matched")?).ok_or(MalformedEntry("matched"))?;
                if amount == 0 || matched < 0 || matched_currency != currency {
                    return Err(MalformedEntry("amount"));
                }
                let stated = Stated::Match {
                    sponsor,
                    amount,
                    matched,
                };
                (Some((0, currency)), Some(stated))
            }
        };
        // A plan's `line` lines come before `raised`.
        let plan_lines = fields.repeated("line");
        let (raised, currency) = money(fields.field("raised")?).ok_or(MalformedEntry("raised"))?;
        let (amount, amount_currency) = amount.unwrap_or((0, currency.clone()));
        let link = match kind {
            Kind::Gift | Kind::Consent | Kind::Withdrawal => Link::Commitment(
                hex64(fields.field("commitment")?).ok_or(MalformedEntry("commitment"))?,
            ),
            Kind::Refund | Kind::Match => {
                Link::Refers(decimal(fields.field("refers")?).ok_or(MalformedEntry("refers"))?)
            }
            Kind::Budget => {
                Link::Digest(hex64(fields.field("digest")?).ok_or(MalformedEntry("digest"))?)
            }
            // A reversal names the expense it reverses; an expense carries its digest.
            Kind::Expense => match &consent {
                Some(Stated::Expense { amount, .. }) if *amount < 0 => {
                    Link::Refers(decimal(fields.field("refers")?).ok_or(MalformedEntry("refers"))?)
                }
                _ => Link::Digest(hex64(fields.field("digest")?).ok_or(MalformedEntry("digest"))?),
            },
        };
        let consent = match version {
            Some(version) => {
                let mut stated = Vec::with_capacity(plan_lines.len());
                for line in plan_lines {
                    let (name, planned) = line.split_once(' ').ok_or(MalformedEntry("line"))?;
                    let (planned, line_currency) = money(planned).ok_or(MalformedEntry("line"))?;
                    let known = name.parse::<crate::slug::Slug>().is_ok();
                    if !known || planned < 0 || line_currency != currency {
                        return Err(MalformedEntry("line"));
                    }
                    stated.push((name.to_owned(), planned));
                }
                Some(Stated::Plan {
                    version,
                    lines: stated,
                })
            }
            None => consent,
        };
        if artist
            .as_deref()
            .is_some_and(|a| a.parse::<crate::slug::Slug>().is_err())
        {
            return Err(MalformedEntry("artist"));
        }
        if fields.0.next().is_some() {
            return Err(MalformedEntry("extra lines"));
        }
        let entry = Entry {
            kind,
            time,
            artwork,
            artist,
            amount,
            raised,
            currency,
            consent,
            link,
        };
        let signed_right = match kind {
            Kind::Gift => entry.amount > 0,
            Kind::Refund => entry.amount < 0,
            Kind::Consent | Kind::Withdrawal | Kind::Budget | Kind::Expense | Kind::Match => true,
        };
        if !signed_right || amount_currency != entry.currency || !is_minute(&entry.time) {
            return Err(MalformedEntry("values"));
        }
        // What was parsed writes back to the same bytes, or it is not ours.
        if entry.to_text() != text {
            return Err(MalformedEntry("not in canonical form"));
        }
        Ok(entry)
    }
}

/// An entry's lines after the format line, read in order by key.
struct Fields<'a>(std::iter::Peekable<std::str::Split<'a, char>>);

impl<'a> Fields<'a> {
    /// The next line's value, which must be `key`'s.
    fn field(&mut self, key: &'static str) -> Result<&'a str, MalformedEntry> {
        self.0
            .next()
            .and_then(|line| value_of(line, key))
            .ok_or(MalformedEntry(key))
    }

    /// The next line's value if it is `key`'s.
    fn optional(&mut self, key: &'static str) -> Option<&'a str> {
        let line = self.0.next_if(|line| value_of(line, key).is_some())?;
        value_of(line, key)
    }

    /// The values of the next lines while they are `key`'s.
    fn repeated(&mut self, key: &'static str) -> Vec<&'a str> {
        std::iter::from_fn(|| self.optional(key)).collect()
    }
}

/// What follows `key` and a space on `line`.
fn value_of<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.strip_prefix(key)?.strip_prefix(' ')
}

/// 64 lowercase hex digits, as digests and commitments are written.
fn hex64(text: &str) -> Option<String> {
    (text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then(|| text.to_owned())
}

/// A consent's terms, a line each.
fn write_terms(text: &mut String, terms: &Terms) {
    let mut royalty: Vec<String> = Vec::new();
    if terms.scope.gifts {
        royalty.push(format!("gifts {}", terms.royalty_gifts_bp));
    }
    if terms.scope.prints {
        royalty.push(format!("prints {}", terms.royalty_prints_bp));
    }
    if royalty.is_empty() {
        royalty.push("none".to_owned());
    }
    let _ = write!(
        text,
        "consenter {}\nassent {}\nscope {}\nroyalty {}\nfrom {}\nuntil {}\n",
        terms.consenter.as_str(),
        terms.assent.as_str(),
        terms.scope.words().join(" "),
        royalty.join(" "),
        terms.from,
        terms.until.as_deref().unwrap_or("open"),
    );
    if let Some(form) = &terms.form {
        let _ = writeln!(text, "form {} {}", form.format.extension(), form.sha256);
    }
}

/// Reads what [`write_terms`] wrote; the caller's check that the entry writes back to the same
/// bytes refuses any other spelling.
fn read_terms(fields: &mut Fields<'_>) -> Result<Terms, MalformedEntry> {
    let consenter =
        Consenter::parse(fields.field("consenter")?).ok_or(MalformedEntry("consenter"))?;
    let assent = Assent::parse(fields.field("assent")?).ok_or(MalformedEntry("assent"))?;
    let scope = Scope::parse(fields.field("scope")?).ok_or(MalformedEntry("scope"))?;
    let royalty = fields.field("royalty")?;
    let mut royalty_gifts_bp = 0;
    let mut royalty_prints_bp = 0;
    if royalty != "none" {
        let words: Vec<&str> = royalty.split(' ').collect();
        for pair in words.chunks(2) {
            let [scope, bp] = pair else {
                return Err(MalformedEntry("royalty"));
            };
            let bp = decimal(bp)
                .and_then(|v| u16::try_from(v).ok())
                .filter(|v| *v <= 10_000)
                .ok_or(MalformedEntry("royalty"))?;
            match *scope {
                "gifts" => royalty_gifts_bp = bp,
                "prints" => royalty_prints_bp = bp,
                _ => return Err(MalformedEntry("royalty")),
            }
        }
    }
    let from = fields.field("from")?.to_owned();
    let until = match fields.field("until")? {
        "open" => None,
        date => Some(date.to_owned()),
    };
    if !is_date(&from) || until.as_deref().is_some_and(|u| !is_date(u) || *u < *from) {
        return Err(MalformedEntry("dates"));
    }
    let form = match fields.optional("form") {
        None => None,
        Some(value) => {
            let (format, sha256) = value.split_once(' ').ok_or(MalformedEntry("form"))?;
            Some(SignedForm {
                format: Format::parse(format).ok_or(MalformedEntry("form"))?,
                sha256: hex64(sha256).ok_or(MalformedEntry("form"))?,
            })
        }
    };
    Ok(Terms {
        consenter,
        assent,
        scope,
        royalty_gifts_bp,
        royalty_prints_bp,
        from,
        until,
        form,
    })
}

/// `YYYY-MM-DD`, digits where digits go.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
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

/// A consent record's commitment: the lowercase hex of
/// `SHA-256("giving-gallery/consent/v1\n" || origin || "\n" || record || "\n" || salt || "\n"
/// || given_by || "\n" || relationship || "\n" || witnessed_by)`. The names stay with the
/// campaign's admins, who can open the commitment to a court or an auditor by showing them and
/// the salt.
pub fn consent_commitment(origin: &str, record: i64, salt: &str, private: [&str; 3]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"giving-gallery/consent/v1\n");
    for part in [origin, &record.to_string(), salt] {
        hasher.update(part.as_bytes());
        hasher.update(b"\n");
    }
    hasher.update(private.join("\n").as_bytes());
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
            artist: None,
            amount: 500,
            raised: 123_400,
            currency: "CNY".into(),
            consent: None,
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

    fn consent() -> Entry {
        Entry {
            kind: Kind::Consent,
            amount: 0,
            consent: Some(Stated::Consent(Terms {
                consenter: Consenter::Guardian,
                assent: Assent::Unable,
                scope: Scope {
                    gifts: true,
                    certificates: true,
                    prints: true,
                },
                royalty_gifts_bp: 500,
                royalty_prints_bp: 1200,
                from: "2026-05-01".into(),
                until: Some("2027-04-30".into()),
                form: None,
            })),
            link: Link::Commitment(consent_commitment("o", 1, "salt", ["a", "b", "c"])),
            ..gift()
        }
    }

    fn terms_of(entry: &Entry) -> Terms {
        match &entry.consent {
            Some(Stated::Consent(terms)) => terms.clone(),
            _ => panic!("not a consent"),
        }
    }

    #[test]
    fn consents_and_withdrawals_read_back_as_written_and_nothing_else_does() {
        let text = consent().to_text();
        assert!(text.contains(
            "\nartwork little-sun\nconsenter guardian\nassent unable\n\
             scope gifts certificates prints\nroyalty gifts 500 prints 1200\n\
             from 2026-05-01\nuntil 2027-04-30\nraised 123400 CNY\ncommitment "
        ));
        assert!(!text.contains("amount"));
        assert_eq!(Entry::parse(&text), Ok(consent()));
        let withdrawal = Entry {
            kind: Kind::Withdrawal,
            consent: Some(Stated::Withdrawal(Consenter::Artist)),
            ..consent()
        };
        let withdrawn = withdrawal.to_text();
        assert!(withdrawn.contains("\nconsenter artist\nraised 123400 CNY\ncommitment "));
        assert_eq!(Entry::parse(&withdrawn), Ok(withdrawal));
        // A consent names whose work it is, after the artwork.
        let named = Entry {
            artist: Some("lin-yue".into()),
            ..consent()
        };
        let named_text = named.to_text();
        assert!(named_text.contains("\nartwork little-sun\nartist lin-yue\nconsenter guardian\n"));
        assert_eq!(Entry::parse(&named_text), Ok(named));
        // A signed form on file is named by its format and SHA-256, after the dates.
        let signed = Entry {
            consent: Some(Stated::Consent(Terms {
                form: Some(SignedForm {
                    format: Format::Pdf,
                    sha256: "ab".repeat(32),
                }),
                ..terms_of(&consent())
            })),
            ..consent()
        };
        let signed_text = signed.to_text();
        assert!(signed_text.contains(&format!(
            "\nuntil 2027-04-30\nform pdf {}\nraised ",
            "ab".repeat(32)
        )));
        assert_eq!(Entry::parse(&signed_text), Ok(signed));
        for bad in [
            signed_text.replace("form pdf", "form doc"),
            signed_text.replace("form pdf ab", "form pdf AB"),
            signed_text.replace("form pdf ", "form pdf"),
            signed_text.replace("\nform", "\nform pdf 00\nform"),
            named_text.replace("artist lin-yue", "artist Lin Yue"),
            withdrawn.replace("\nconsenter", "\nartist lin-yue\nconsenter"),
            text.replace("until 2027-04-30", "until 2026-04-30"),
            text.replace("until 2027-04-30", "until 2027-4-30"),
            text.replace("assent unable", "assent maybe"),
            text.replace("royalty gifts 500 prints 1200", "royalty gifts 500"),
            text.replace("royalty gifts 500", "royalty gifts 10001"),
            text.replace("scope gifts certificates prints", "scope prints gifts"),
            text.replace("consenter guardian", "consenter friend"),
            text.replace("raised 123400 CNY", "amount 0 CNY\nraised 123400 CNY"),
            withdrawn.replace("consenter artist", "consenter someone"),
        ] {
            assert!(Entry::parse(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_royalty_names_its_artist_and_no_other_expense_does() {
        let royalty = Entry {
            kind: Kind::Expense,
            artwork: String::new(),
            artist: Some("lin-yue".into()),
            amount: 0,
            consent: Some(Stated::Expense {
                line: "royalties".into(),
                kind: ExpenseKind::Royalty,
                amount: 2_000,
                spent: 5_000,
                documents: vec![format!("receipt pdf {} {}", "a".repeat(64), "b".repeat(64))],
            }),
            link: Link::Digest("4".repeat(64)),
            ..gift()
        };
        let text = royalty.to_text();
        assert!(text.contains("\nline royalties\nspend royalty\nartist lin-yue\namount 2000 CNY\n"));
        assert!(text.contains(&format!(
            "\nspent 5000 CNY\ndocument receipt pdf {} {}\nraised ",
            "a".repeat(64),
            "b".repeat(64)
        )));
        assert_eq!(Entry::parse(&text), Ok(royalty));
        for bad in [
            text.replace("artist lin-yue\n", ""),
            text.replace("spend royalty", "spend expenditure"),
            text.replace("document receipt pdf", "document receipt gif"),
            text.replace("document receipt", "document letter"),
        ] {
            assert!(Entry::parse(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_match_states_its_sponsor_amount_and_running_total_and_refers_to_its_gift() {
        let matched = Entry {
            kind: Kind::Match,
            amount: 0,
            consent: Some(Stated::Match {
                sponsor: 2,
                amount: 250,
                matched: 9_750,
            }),
            link: Link::Refers(41),
            ..gift()
        };
        let text = matched.to_text();
        assert!(text.ends_with(
            "\nartwork little-sun\nsponsor 2\namount 250 CNY\nmatched 9750 CNY\n\
             raised 123400 CNY\nrefers 41\n"
        ));
        assert_eq!(Entry::parse(&text), Ok(matched.clone()));
        let reversed = Entry {
            consent: Some(Stated::Match {
                sponsor: 2,
                amount: -250,
                matched: 9_500,
            }),
            ..matched
        };
        assert_eq!(Entry::parse(&reversed.to_text()), Ok(reversed));
        for bad in [
            text.replace("sponsor 2", "sponsor 0"),
            text.replace("amount 250", "amount 0"),
            text.replace("matched 9750 CNY", "matched -1 CNY"),
            text.replace("matched 9750 CNY", "matched 9750 USD"),
            text.replace("refers 41", "commitment 41"),
            text.replace("sponsor 2\n", ""),
        ] {
            assert!(Entry::parse(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_consent_commitment_changes_with_every_part() {
        let c = consent_commitment("o", 1, "s", ["a", "b", "c"]);
        assert_ne!(c, consent_commitment("o", 2, "s", ["a", "b", "c"]));
        assert_ne!(c, consent_commitment("o", 1, "t", ["a", "b", "c"]));
        assert_ne!(c, consent_commitment("o", 1, "s", ["a", "b", "d"]));
        assert_ne!(c, consent_commitment("o", 1, "s", ["a\nb", "", "c"]));
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
