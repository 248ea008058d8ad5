//! The artworks page's artist form as the server reads it: an artist's public name or
//! pseudonym in each language and their age band.

use super::form::{Fields, FormError, MAX_LINE};
use crate::artworks::artist::{AgeBand, ArtistEdit};

/// The edit the form asks for: at least one name, and a known age band.
pub fn read(fields: &Fields) -> Result<ArtistEdit, FormError> {
    let name_en = fields.text("name_en", MAX_LINE)?;
    let name_zh = fields.text("name_zh", MAX_LINE)?;
    if name_en.is_empty() && name_zh.is_empty() {
        return Err(FormError::Missing("name_en"));
    }
    let age_band =
        AgeBand::parse(&fields.required("age_band", 16)?).ok_or(FormError::Invalid("age_band"))?;
    Ok(ArtistEdit {
        name_en,
        name_zh,
        age_band,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Result<ArtistEdit, FormError> {
        read(&Fields::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn an_artist_needs_a_name_in_one_language_and_a_known_band() {
        let edit = form(&[
            ("name_en", " Little Bear "),
            ("name_zh", ""),
            ("age_band", "13-17"),
        ])
        .expect("valid");
        assert_eq!(edit.name_en, "Little Bear");
        assert_eq!(edit.age_band, AgeBand::Teen);
        assert!(form(&[("name_zh", "小熊"), ("age_band", "unstated")]).is_ok());
        assert_eq!(
            form(&[("name_en", " "), ("age_band", "13-17")]),
            Err(FormError::Missing("name_en"))
        );
        assert_eq!(
            form(&[("name_en", "Bear"), ("age_band", "14")]),
            Err(FormError::Invalid("age_band"))
        );
        assert_eq!(
            form(&[
                ("name_en", &"x".repeat(MAX_LINE + 1)),
                ("age_band", "13-17")
            ]),
            Err(FormError::TooLong("name_en"))
        );
    }
}
