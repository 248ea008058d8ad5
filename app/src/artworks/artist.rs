//! Artists as people with their own record: the public name or pseudonym their works carry, an
//! age band rather than a birth date, and whether they were a minor or under guardianship when
//! consent was given. Every artwork belongs to one, and royalties are owed to them.

use crate::i18n::Words;
use crate::slug::Slug;
use serde::{Deserialize, Serialize};

/// An artist's age as the public sees it: a band, never a birth date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AgeBand {
    Unstated,
    Under13,
    Teen,
    Young,
    Adult,
    Senior,
}

impl AgeBand {
    pub const ALL: [AgeBand; 6] = [
        AgeBand::Unstated,
        AgeBand::Under13,
        AgeBand::Teen,
        AgeBand::Young,
        AgeBand::Adult,
        AgeBand::Senior,
    ];

    /// The band of an age in years (at the time the artwork was made).
    pub fn of_age(age: Option<u8>) -> AgeBand {
        match age {
            None => AgeBand::Unstated,
            Some(0..=12) => AgeBand::Under13,
            Some(13..=17) => AgeBand::Teen,
            Some(18..=25) => AgeBand::Young,
            Some(26..=59) => AgeBand::Adult,
            Some(_) => AgeBand::Senior,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Unstated => "unstated",
            AgeBand::Under13 => "under-13",
            AgeBand::Teen => "13-17",
            AgeBand::Young => "18-25",
            AgeBand::Adult => "26-59",
            AgeBand::Senior => "60-plus",
        }
    }

    pub fn parse(text: &str) -> Option<AgeBand> {
        AgeBand::ALL.into_iter().find(|b| b.as_str() == text)
    }

    /// "Under 13", "13 to 17", …; "Not stated" when unstated (a form's choice).
    pub fn choice(self, t: Words) -> &'static str {
        match self {
            AgeBand::Unstated => t.age_band_unstated(),
            band => band.label(t),
        }
    }

    /// "Under 13", "13 to 17", …; empty when unstated.
    pub fn label(self, t: Words) -> &'static str {
        match self {
            AgeBand::Unstated => "",
            AgeBand::Under13 => t.age_band_under_13(),
            AgeBand::Teen => t.age_band_13_17(),
            AgeBand::Young => t.age_band_18_25(),
            AgeBand::Adult => t.age_band_26_59(),
            AgeBand::Senior => t.age_band_60_plus(),
        }
    }
}

/// Whether someone else consented for the artist: a parent for a minor, a guardian for an adult
/// under guardianship.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Protection {
    None,
    Minor,
    Guardianship,
}

impl Protection {
    pub const ALL: [Protection; 3] = [
        Protection::None,
        Protection::Minor,
        Protection::Guardianship,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Protection::None => "none",
            Protection::Minor => "minor",
            Protection::Guardianship => "guardianship",
        }
    }

    pub fn parse(text: &str) -> Option<Protection> {
        Protection::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// What a consent given by `consenter` says of the artist: a parent consents for a minor, a
    /// guardian for someone under guardianship; the artist or an heir for no one protected.
    pub fn of_consenter(consenter: super::consent::Consenter) -> Protection {
        use super::consent::Consenter;
        match consenter {
            Consenter::Parent => Protection::Minor,
            Consenter::Guardian => Protection::Guardianship,
            Consenter::Artist | Consenter::Heir => Protection::None,
        }
    }

    /// "Consented through a parent, as a minor", …; empty for none.
    pub fn label(self, t: Words) -> &'static str {
        match self {
            Protection::None => "",
            Protection::Minor => t.artist_protection_minor(),
            Protection::Guardianship => t.artist_protection_guardianship(),
        }
    }
}

/// An artist's public record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtistProfile {
    pub slug: Slug,
    /// Their public name or pseudonym, in the reader's language where their works give one.
    pub name: String,
    pub age_band: AgeBand,
    pub protection: Protection,
}

/// An artist's record as staff see and edit it: their public name or pseudonym in each language
/// (empty where their works give none), age band, who consented for them, and how many works
/// are theirs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffArtist {
    pub slug: Slug,
    pub name_en: String,
    pub name_zh: String,
    pub age_band: AgeBand,
    pub protection: Protection,
    pub works: u32,
}

/// What staff change in an artist's record: the public name or pseudonym every work of theirs
/// shows, in each language (one may be empty: the other stands in), and the age band.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArtistEdit {
    pub name_en: String,
    pub name_zh: String,
    pub age_band: AgeBand,
}

impl ArtistEdit {
    /// The name a reader of `locale` sees: theirs, else the other language's.
    pub fn name_in(&self, locale: crate::i18n::Locale) -> &str {
        let (own, other) = match locale {
            crate::i18n::Locale::En => (&self.name_en, &self.name_zh),
            crate::i18n::Locale::ZhCn => (&self.name_zh, &self.name_en),
        };
        if own.is_empty() {
            other
        } else {
            own
        }
    }
}

/// What a campaign owes an artist, from its public log: royalties accrued by the consent
/// formula, royalties paid by royalty expenses, in minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Royalty {
    pub artist: String,
    pub name: String,
    pub accrued_minor: i64,
    pub paid_minor: i64,
}

impl Royalty {
    /// What is still owed (negative when paid ahead).
    pub fn outstanding_minor(&self) -> i64 {
        self.accrued_minor - self.paid_minor
    }
}

/// The royalty a consent's share earns on the gifts made under it: `floor(net × bp / 10000)`,
/// where `net` is the sum of those gifts' amounts less their refunds, in minor units.
pub fn royalty_on(net_minor: i64, basis_points: u16) -> i64 {
    (i128::from(net_minor.max(0)) * i128::from(basis_points) / 10_000) as i64
}

/// A slug for an artist named `name`: from its ASCII letters, or `artist` for a name in Chinese.
pub fn slug_base(name: &str) -> Slug {
    Slug::from_title(name).unwrap_or_else(|| "artist".parse().expect("a valid slug"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_royalty_formula_floors_per_consent() {
        assert_eq!(royalty_on(12_345, 500), 617);
        assert_eq!(royalty_on(0, 500), 0);
        assert_eq!(royalty_on(100, 0), 0);
        assert_eq!(royalty_on(i64::MAX, 10_000), i64::MAX);
    }

    #[test]
    fn ages_fall_into_bands() {
        assert_eq!(AgeBand::of_age(Some(9)), AgeBand::Under13);
        assert_eq!(AgeBand::of_age(Some(17)), AgeBand::Teen);
        assert_eq!(AgeBand::of_age(Some(40)), AgeBand::Adult);
        assert_eq!(AgeBand::of_age(None), AgeBand::Unstated);
        for band in AgeBand::ALL {
            assert_eq!(AgeBand::parse(band.as_str()), Some(band));
        }
    }
}
