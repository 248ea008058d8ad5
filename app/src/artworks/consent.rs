//! Consent: who agreed to an artwork being shown and given for, on what terms, and whether that
//! agreement is in force today. Consent is kept as an append-only record per artwork (each new
//! consent supersedes the one before; a withdrawal ends it for good), and each record is an entry
//! of the campaign's public log.

use crate::spending::document::Format;
use serde::{Deserialize, Serialize};

/// Who gave (or withdrew) consent, by their role towards the artist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Consenter {
    Artist,
    Parent,
    Guardian,
    Heir,
}

impl Consenter {
    pub const ALL: [Consenter; 4] = [
        Consenter::Artist,
        Consenter::Parent,
        Consenter::Guardian,
        Consenter::Heir,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Consenter::Artist => "artist",
            Consenter::Parent => "parent",
            Consenter::Guardian => "guardian",
            Consenter::Heir => "heir",
        }
    }

    pub fn parse(text: &str) -> Option<Consenter> {
        Consenter::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// The artist's own assent, recorded apart from a guardian's consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Assent {
    Yes,
    No,
    /// The artist cannot express a wish (an infant, a severe disability).
    Unable,
    /// Kept before assent was asked: consents recorded on artworks before consent records.
    Unrecorded,
}

impl Assent {
    pub const ALL: [Assent; 4] = [Assent::Yes, Assent::No, Assent::Unable, Assent::Unrecorded];

    pub fn as_str(self) -> &'static str {
        match self {
            Assent::Yes => "yes",
            Assent::No => "no",
            Assent::Unable => "unable",
            Assent::Unrecorded => "unrecorded",
        }
    }

    pub fn parse(text: &str) -> Option<Assent> {
        Assent::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// What the licence covers: gifts (adoptions) of the work, the certificates that show it, prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub gifts: bool,
    pub certificates: bool,
    pub prints: bool,
}

impl Scope {
    /// The scopes covered, as the log writes them, in this order.
    pub fn words(self) -> Vec<&'static str> {
        [
            (self.gifts, "gifts"),
            (self.certificates, "certificates"),
            (self.prints, "prints"),
        ]
        .into_iter()
        .filter_map(|(on, word)| on.then_some(word))
        .collect()
    }

    /// Reads [`Scope::words`] back; `None` for anything else (unknown, repeated, out of order).
    pub fn parse(words: &str) -> Option<Scope> {
        let mut scope = Scope::default();
        let mut last = 0;
        for word in words.split(' ') {
            let (rank, flag) = match word {
                "gifts" => (1, &mut scope.gifts),
                "certificates" => (2, &mut scope.certificates),
                "prints" => (3, &mut scope.prints),
                _ => return None,
            };
            if rank <= last {
                return None;
            }
            last = rank;
            *flag = true;
        }
        Some(scope)
    }
}

/// The public terms of one consent: everything its log entry states.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub consenter: Consenter,
    pub assent: Assent,
    pub scope: Scope,
    /// The artist's share of each paid gift, in basis points (100 = 1%).
    pub royalty_gifts_bp: u16,
    /// The artist's share of each print sold, in basis points.
    pub royalty_prints_bp: u16,
    /// ISO dates: in force from, and (when time-limited) until, both included.
    pub from: String,
    pub until: Option<String>,
    /// The signed form, when one is on file: the log states its format and SHA-256; the file
    /// itself is for admins only.
    pub form: Option<SignedForm>,
}

/// A signed consent form as the log names it: its format and the SHA-256 of its bytes
/// (lowercase hex), which anyone shown the paper's scan can check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedForm {
    pub format: Format,
    pub sha256: String,
}

impl SignedForm {
    /// The form's file name as stored and served: `{sha256}.{extension}`.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.sha256, self.format.extension())
    }

    /// The form a consent record's `form_format` and `form_sha256` columns name, if any.
    pub fn from_columns(format: Option<&str>, sha256: Option<&str>) -> Option<SignedForm> {
        Some(SignedForm {
            format: Format::parse(format?)?,
            sha256: sha256?.to_owned(),
        })
    }
}

/// A consent as staff record it: its public terms and what only admins see (the names, the
/// relationship, the witness), which the log holds only inside a salted commitment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub terms: Terms,
    pub given_by: String,
    /// How the person who consented relates to the artist ("the artist", "mother", ...).
    pub relationship: String,
    pub witnessed_by: String,
    /// The licence's name or summary, shown on the artwork's page.
    pub licence: String,
}

/// One version of an artwork's consent record, or its withdrawal, as admins see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentVersion {
    pub withdrawal: bool,
    pub consent: Consent,
    pub recorded_at: crate::dates::Timestamp,
}

/// Whether an artwork may be adopted today, and if not, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    InForce,
    /// No consent was ever recorded.
    Missing,
    /// The consent starts on a later day.
    NotYet,
    /// The consent was time-limited and has ended.
    Expired,
    /// The artist said no, whatever a guardian agreed.
    ArtistDeclined,
    /// The consent does not cover gifts.
    NotForGifts,
    /// Withdrawn on this ISO date: no new gifts, ever; past gifts and certificates stand.
    Withdrawn {
        on: String,
    },
}

impl Standing {
    /// The standing of an artwork whose latest consent is `latest`, withdrawn on `withdrawn_on`
    /// if it was, on ISO date `today`.
    pub fn of(latest: Option<&Terms>, withdrawn_on: Option<&str>, today: &str) -> Standing {
        if let Some(on) = withdrawn_on {
            return Standing::Withdrawn { on: on.to_owned() };
        }
        let Some(terms) = latest else {
            return Standing::Missing;
        };
        // ISO dates compare as text.
        if terms.assent == Assent::No {
            Standing::ArtistDeclined
        } else if !terms.scope.gifts {
            Standing::NotForGifts
        } else if terms.from.as_str() > today {
            Standing::NotYet
        } else if terms.until.as_deref().is_some_and(|until| until < today) {
            Standing::Expired
        } else {
            Standing::InForce
        }
    }

    pub fn allows_gifts(&self) -> bool {
        *self == Standing::InForce
    }
}

/// An artwork's consent as its public page shows it: the terms in force (or last in force), its
/// standing, and how many versions the record has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicConsent {
    pub terms: Option<Terms>,
    pub licence: String,
    pub standing: Standing,
    pub versions: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> Terms {
        Terms {
            consenter: Consenter::Parent,
            assent: Assent::Yes,
            scope: Scope {
                gifts: true,
                certificates: true,
                prints: false,
            },
            royalty_gifts_bp: 500,
            royalty_prints_bp: 0,
            from: "2026-05-01".into(),
            until: Some("2027-04-30".into()),
            form: None,
        }
    }

    #[test]
    fn a_consent_covering_gifts_is_in_force_between_its_dates_only() {
        let t = terms();
        let on = |day: &str| Standing::of(Some(&t), None, day);
        assert_eq!(on("2026-04-30"), Standing::NotYet);
        assert_eq!(on("2026-05-01"), Standing::InForce);
        assert_eq!(on("2027-04-30"), Standing::InForce);
        assert_eq!(on("2027-05-01"), Standing::Expired);
        let open = Terms {
            until: None,
            ..terms()
        };
        assert!(Standing::of(Some(&open), None, "2099-01-01").allows_gifts());
    }

    #[test]
    fn the_artists_no_a_withdrawal_or_no_gift_scope_stop_gifts() {
        let declined = Terms {
            assent: Assent::No,
            ..terms()
        };
        assert_eq!(
            Standing::of(Some(&declined), None, "2026-06-01"),
            Standing::ArtistDeclined
        );
        let unable = Terms {
            assent: Assent::Unable,
            ..terms()
        };
        assert!(Standing::of(Some(&unable), None, "2026-06-01").allows_gifts());
        let prints_only = Terms {
            scope: Scope {
                prints: true,
                ..Scope::default()
            },
            ..terms()
        };
        assert_eq!(
            Standing::of(Some(&prints_only), None, "2026-06-01"),
            Standing::NotForGifts
        );
        assert_eq!(
            Standing::of(Some(&terms()), Some("2026-06-01"), "2026-06-01"),
            Standing::Withdrawn {
                on: "2026-06-01".into()
            }
        );
        assert_eq!(Standing::of(None, None, "2026-06-01"), Standing::Missing);
    }

    #[test]
    fn scopes_read_back_only_as_written() {
        let all = Scope {
            gifts: true,
            certificates: true,
            prints: true,
        };
        assert_eq!(all.words().join(" "), "gifts certificates prints");
        assert_eq!(Scope::parse("gifts certificates prints"), Some(all));
        assert_eq!(
            Scope::parse("gifts prints").map(|s| s.certificates),
            Some(false)
        );
        for bad in ["", "prints gifts", "gifts gifts", "gifts  prints", "gift"] {
            assert_eq!(Scope::parse(bad), None, "{bad:?}");
        }
    }
}
