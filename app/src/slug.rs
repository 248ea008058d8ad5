//! URL slugs for campaigns and artworks, parsed once where a path enters the program.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

const MAX_LEN: usize = 64;

/// A lower-case ASCII name for a URL segment: letters, digits and single hyphens inside,
/// at most 64 characters. Anything else never reaches a query.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// Why a text is not a slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("a slug cannot be empty")]
    Empty,
    #[error("a slug has at most {MAX_LEN} characters")]
    TooLong,
    #[error("a slug uses only a-z, 0-9 and single hyphens inside")]
    BadCharacter,
}

impl Slug {
    /// A slug made from a title: ASCII letters and digits kept (lower-cased), everything else a
    /// single hyphen; `None` when nothing is left (a title in Chinese, say).
    pub fn from_title(title: &str) -> Option<Slug> {
        let mut out = String::new();
        for ch in title.chars() {
            if ch.is_ascii_alphanumeric() {
                out.push(ch.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        let cut: String = out.chars().take(MAX_LEN).collect();
        cut.trim_end_matches('-').parse().ok()
    }

    /// The slug as it appears in a URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Slug {
    type Err = SlugError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(SlugError::Empty);
        }
        if s.len() > MAX_LEN {
            return Err(SlugError::TooLong);
        }
        let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
        if !s.bytes().all(allowed) || s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return Err(SlugError::BadCharacter);
        }
        Ok(Slug(s.to_owned()))
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Slug> for String {
    fn from(value: Slug) -> Self {
        value.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod title_tests {
    use super::Slug;

    #[test]
    fn titles_become_slugs_where_they_can() {
        let slug = |t: &str| Slug::from_title(t).map(|s| s.as_str().to_owned());
        assert_eq!(slug("Boats at Dawn!"), Some("boats-at-dawn".into()));
        assert_eq!(slug("  Zoë's  garden "), Some("zo-s-garden".into()));
        assert_eq!(slug("清晨的渔船"), None);
        assert_eq!(slug(&"a".repeat(100)).map(|s| s.len()), Some(64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_slugs_parse() {
        for ok in ["childrens-gallery", "a", "2017", "sun-over-the-hills-3"] {
            assert_eq!(ok.parse::<Slug>().map(|s| s.to_string()), Ok(ok.to_owned()));
        }
        assert!("a".repeat(64).parse::<Slug>().is_ok());
    }

    #[test]
    fn anything_that_could_smuggle_text_into_a_query_or_path_is_refused() {
        assert_eq!("".parse::<Slug>(), Err(SlugError::Empty));
        assert_eq!("a".repeat(65).parse::<Slug>(), Err(SlugError::TooLong));
        for bad in [
            "Upper",
            "has space",
            "-leading",
            "trailing-",
            "double--hyphen",
            "under_score",
            "x'; DROP TABLE campaigns; --",
            "../etc/passwd",
            "caf\u{e9}",
            "儿童画廊",
            "a\0b",
            "a%20b",
        ] {
            assert_eq!(bad.parse::<Slug>(), Err(SlugError::BadCharacter), "{bad:?}");
        }
    }

    #[test]
    fn slugs_deserialise_only_when_valid() {
        assert!(serde_json::from_str::<Slug>("\"good-one\"").is_ok());
        assert!(serde_json::from_str::<Slug>("\"Bad One\"").is_err());
    }
}
