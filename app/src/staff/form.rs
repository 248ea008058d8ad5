//! What the staff forms share: their fields as posted, read with limits, and the reasons a form
//! is refused, told in the staff member's language with an HTTP status.

use crate::artworks::audio::AudioError;
use crate::artworks::film::FilmError;
use crate::artworks::upload::UploadError;
use crate::i18n::{fill, Locale};
use crate::money::Money;
use http::StatusCode;
use std::collections::HashMap;

/// The longest text a single-line field takes, in characters.
pub const MAX_LINE: usize = 120;
/// The longest story or description, in characters.
pub const MAX_TEXT: usize = 4000;

/// Why a form was refused; nothing is stored.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("field {0} is missing")]
    Missing(&'static str),
    #[error("field {0} is too long")]
    TooLong(&'static str),
    #[error("field {0} is not valid")]
    Invalid(&'static str),
    #[error("the consent record is incomplete")]
    ConsentIncomplete,
    #[error("an artwork needs a consent record before it is published")]
    PublishWithoutConsent,
    #[error("consent for this artwork was withdrawn")]
    ConsentWithdrawn,
    #[error("a plan needs at least one line")]
    PlanEmpty,
    #[error("two lines of the plan have the same short name")]
    PlanDuplicateLine,
    #[error("the expense is not at the step asked for")]
    ExpenseNotReady,
    #[error("another admin must approve and pay an expense")]
    ExpenseSecondAdmin,
    #[error("an image is required")]
    NoImage,
    #[error("the document is not a PDF, JPEG or PNG file")]
    DocumentWrongType,
    #[error(transparent)]
    Voice(AudioError),
    #[error(transparent)]
    Film(FilmError),
    #[error(transparent)]
    Image(#[from] UploadError),
    #[error("the minimum gift is below the payment provider's minimum, {0}")]
    BelowProviderMinimum(Money),
    #[error("a preset amount is below the minimum gift")]
    PresetBelowMinimum,
    #[error("the campaign must end after it starts")]
    EndsBeforeStart,
    #[error("the currency cannot change once gifts exist")]
    CurrencyLocked,
    #[error("another campaign has this address")]
    SlugTaken,
    #[error("another artist of the campaign has this name")]
    ArtistNameTaken,
    #[error("the brand colour {colour} reads too faintly: {ratio}:1")]
    LowContrast { colour: String, ratio: String },
}

impl FormError {
    /// What staff are told, in their language.
    pub fn message(&self, locale: Locale) -> String {
        let t = locale.words();
        match self {
            FormError::Missing(field) => fill(t.form_missing(), &[("field", field)]),
            FormError::TooLong(field) => fill(t.form_too_long(), &[("field", field)]),
            FormError::Invalid(field) => fill(t.form_invalid(), &[("field", field)]),
            FormError::ConsentIncomplete => t.consent_incomplete().to_owned(),
            FormError::PublishWithoutConsent => t.publish_needs_consent().to_owned(),
            FormError::ConsentWithdrawn => t.consent_withdrawn_final().to_owned(),
            FormError::PlanEmpty => t.plan_empty().to_owned(),
            FormError::PlanDuplicateLine => t.plan_duplicate().to_owned(),
            FormError::ExpenseNotReady => t.expense_not_ready().to_owned(),
            FormError::ExpenseSecondAdmin => t.expense_second_admin().to_owned(),
            FormError::NoImage => t.upload_no_image().to_owned(),
            FormError::DocumentWrongType => t.document_wrong_type().to_owned(),
            FormError::Voice(AudioError::TooBig) => t.voice_too_big().to_owned(),
            FormError::Voice(AudioError::WrongType) => t.voice_wrong_type().to_owned(),
            FormError::Voice(AudioError::TooLong) => t.voice_too_long().to_owned(),
            FormError::Voice(AudioError::Unreadable) => t.voice_unreadable().to_owned(),
            FormError::Film(FilmError::TooBig) => t.film_too_big().to_owned(),
            FormError::Film(FilmError::WrongType) => t.film_wrong_type().to_owned(),
            FormError::Film(FilmError::TooLong) => t.film_too_long().to_owned(),
            FormError::Film(FilmError::Unreadable) => t.film_unreadable().to_owned(),
            FormError::Image(UploadError::TooBig) => t.upload_too_big().to_owned(),
            FormError::Image(UploadError::WrongType) => t.upload_wrong_type().to_owned(),
            FormError::Image(UploadError::TooManyPixels) => t.upload_too_many_pixels().to_owned(),
            FormError::Image(UploadError::Unreadable) => t.upload_unreadable().to_owned(),
            FormError::BelowProviderMinimum(minimum) => fill(
                t.campaign_below_provider_minimum(),
                &[("minimum", &minimum.format(locale))],
            ),
            FormError::PresetBelowMinimum => t.campaign_preset_below_minimum().to_owned(),
            FormError::EndsBeforeStart => t.campaign_ends_before_start().to_owned(),
            FormError::CurrencyLocked => t.campaign_currency_locked().to_owned(),
            FormError::SlugTaken => t.campaign_slug_taken().to_owned(),
            FormError::ArtistNameTaken => t.artist_name_taken().to_owned(),
            FormError::LowContrast { colour, ratio } => fill(
                t.organiser_low_contrast(),
                &[("colour", colour), ("ratio", ratio)],
            ),
        }
    }

    /// The HTTP status of the refusal.
    pub fn status(&self) -> StatusCode {
        match self {
            FormError::Image(UploadError::TooBig | UploadError::TooManyPixels) => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            FormError::Image(UploadError::WrongType)
            | FormError::DocumentWrongType
            | FormError::Voice(AudioError::WrongType)
            | FormError::Film(FilmError::WrongType) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            FormError::Voice(AudioError::TooBig) | FormError::Film(FilmError::TooBig) => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            FormError::CurrencyLocked
            | FormError::SlugTaken
            | FormError::ArtistNameTaken
            | FormError::ConsentWithdrawn
            | FormError::ExpenseNotReady => StatusCode::CONFLICT,
            FormError::ExpenseSecondAdmin => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// A field's value trimmed, with Windows line ends made plain, refused when longer than `max`
/// characters or holding control characters other than line ends and tabs.
fn checked(name: &'static str, value: &str, max: usize) -> Result<String, FormError> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(FormError::TooLong(name));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FormError::Invalid(name));
    }
    Ok(value.replace("\r\n", "\n"))
}

/// A form's fields as posted; a name may come more than once (checkboxes).
#[derive(Clone, Debug, Default)]
pub struct Fields(HashMap<String, Vec<String>>);

impl Fields {
    pub fn push(&mut self, name: String, value: String) {
        self.0.entry(name).or_default().push(value);
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Fields {
        let mut fields = Fields::default();
        for (k, v) in pairs {
            fields.push(k.into(), v.into());
        }
        fields
    }

    /// A field's text, trimmed, with line breaks as `\n`; empty when absent. Longer than `max`
    /// characters, or holding control characters other than line breaks and tabs, is refused.
    pub fn text(&self, name: &'static str, max: usize) -> Result<String, FormError> {
        let value = self.0.get(name).and_then(|v| v.first());
        checked(name, value.map(String::as_str).unwrap_or_default(), max)
    }

    /// Every value of a field that comes once per row, each read as [`Self::text`] reads one.
    pub fn texts(&self, name: &'static str, max: usize) -> Result<Vec<String>, FormError> {
        self.all(name)
            .into_iter()
            .map(|value| checked(name, value, max))
            .collect()
    }

    /// As [`Self::text`], and refused when empty.
    pub fn required(&self, name: &'static str, max: usize) -> Result<String, FormError> {
        let value = self.text(name, max)?;
        if value.is_empty() {
            Err(FormError::Missing(name))
        } else {
            Ok(value)
        }
    }

    /// Whether a checkbox was ticked.
    pub fn ticked(&self, name: &str) -> bool {
        self.0
            .get(name)
            .is_some_and(|v| v.iter().any(|v| v == "on" || v == "true"))
    }

    /// Every value posted under `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .get(name)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }
}
