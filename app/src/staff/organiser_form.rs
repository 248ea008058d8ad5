//! The organiser form: the company presenting a campaign, its logo and its brand colour.
//!
//! A brand colour is taken only when pages stay readable with it: white text on it and it as
//! text on the page must both reach WCAG AA's 4.5:1; else the form is refused and says the
//! contrast it found. A logo is checked as artwork uploads are (no SVG: its type is read from
//! its bytes, and only JPEG, PNG and WebP pass), and stored as a PNG of at most 480 pixels a side.

use super::artwork_form::ArtworkForm;
use super::form::{Fields, FormError, MAX_LINE};
use crate::artworks::upload::{self, StoreError};
use crate::campaigns::store::{self as campaigns, LogoChange, NewOrganiser};
use crate::campaigns::BrandColour;
use crate::db::Db;
use crate::ids::CampaignId;
use crate::media::MediaStore;

/// The longest statement, in characters.
const MAX_STATEMENT: usize = 600;

/// Why the organiser was not saved.
#[derive(Debug, thiserror::Error)]
pub enum OrganiserError {
    #[error(transparent)]
    Form(#[from] FormError),
    #[error(transparent)]
    Internal(anyhow::Error),
}

/// Reads the form's texts and colour; refuses what pages could not show.
pub fn check(fields: &Fields) -> Result<NewOrganiser, FormError> {
    let url = fields.text("organiser_url", 300)?;
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        return Err(FormError::Invalid("organiser_url"));
    }
    let colour = fields.text("brand_colour", 16)?;
    let brand = if colour.is_empty() {
        None
    } else {
        let brand = BrandColour::parse(&colour).ok_or(FormError::Invalid("brand_colour"))?;
        if !brand.readable() {
            return Err(FormError::LowContrast {
                colour: String::from(brand),
                ratio: format!("{:.1}", brand.worst_contrast()),
            });
        }
        Some(brand)
    };
    let organiser = NewOrganiser {
        name_en: fields.text("organiser_en", MAX_LINE)?,
        name_zh: fields.text("organiser_zh", MAX_LINE)?,
        url: (!url.is_empty()).then_some(url),
        statement_en: fields.text("organiser_statement_en", MAX_STATEMENT)?,
        statement_zh: fields.text("organiser_statement_zh", MAX_STATEMENT)?,
        brand,
    };
    let named = !organiser.name_en.is_empty() || !organiser.name_zh.is_empty();
    let anything_else = organiser.url.is_some()
        || organiser.brand.is_some()
        || !organiser.statement_en.is_empty()
        || !organiser.statement_zh.is_empty();
    if anything_else && !named {
        return Err(FormError::Missing("organiser_en"));
    }
    Ok(organiser)
}

/// Checks the form, stores its logo (if one came), and sets the organiser.
pub async fn save(
    db: &Db,
    media: &MediaStore,
    campaign: CampaignId,
    form: ArtworkForm,
) -> Result<(), OrganiserError> {
    let organiser = check(&form.fields)?;
    let logo = match form.image.filter(|bytes| !bytes.is_empty()) {
        Some(bytes) => match upload::store_logo(media, bytes).await {
            Ok((key, width, height)) => LogoChange::Set(key, width, height),
            Err(StoreError::Refused(refused)) => return Err(FormError::Image(refused).into()),
            Err(StoreError::Internal(error)) => return Err(OrganiserError::Internal(error)),
        },
        None if form.fields.ticked("remove_logo") => LogoChange::Remove,
        None => LogoChange::Keep,
    };
    campaigns::set_organiser(db, campaign, &organiser, logo)
        .await
        .map_err(OrganiserError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Fields {
        Fields::from_pairs(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        )
    }

    #[test]
    fn a_readable_colour_and_both_names_are_kept() {
        let o = check(&form(&[
            ("organiser_en", "Lantern Harbour Group"),
            ("organiser_zh", "灯港集团"),
            ("organiser_url", "https://lantern.example"),
            ("brand_colour", "#1D3557"),
        ]))
        .expect("valid");
        assert_eq!(o.brand.map(String::from).as_deref(), Some("#1d3557"));
        assert_eq!(o.url.as_deref(), Some("https://lantern.example"));
    }

    #[test]
    fn a_faint_colour_is_refused_with_its_contrast() {
        let refused = check(&form(&[
            ("organiser_en", "Acme"),
            ("brand_colour", "#ffcc00"),
        ]));
        match refused {
            Err(FormError::LowContrast { colour, ratio }) => {
                assert_eq!(colour, "#ffcc00");
                assert_eq!(ratio, "1.3");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_colours_addresses_and_nameless_organisers_are_refused() {
        let err = |pairs: &[(&str, &str)]| check(&form(pairs)).err();
        assert_eq!(
            err(&[("organiser_en", "Acme"), ("brand_colour", "red;}")]),
            Some(FormError::Invalid("brand_colour"))
        );
        assert_eq!(
            err(&[
                ("organiser_en", "Acme"),
                ("organiser_url", "javascript:alert(1)")
            ]),
            Some(FormError::Invalid("organiser_url"))
        );
        assert_eq!(
            err(&[("brand_colour", "#1d3557")]),
            Some(FormError::Missing("organiser_en"))
        );
        // An empty form removes the organiser.
        assert_eq!(check(&form(&[])).expect("valid").name_en, "");
    }
}
