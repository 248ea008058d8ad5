//! The new-artwork form as the server reads it: every field checked before anything is stored,
//! then the artwork written with its pictures, its consent record and its translation.

use super::form::{Fields, FormError, MAX_LINE, MAX_TEXT};
use crate::artworks::audio;
use crate::artworks::consent::{Assent, Consenter, Scope, Terms};
use crate::artworks::consent_form;
use crate::artworks::film;
use crate::artworks::provenance::MadeHow;
use crate::artworks::store::{
    self as artworks, ArtworkTexts, ArtworkTranslation, NewArtwork, Recording,
};
use crate::artworks::store::{StoredFilm, StoredVoice};
use crate::artworks::upload::{self, StoreError, StoredImages, UploadError};
use crate::artworks::{Artist, Consent};
use crate::db::Db;
use crate::i18n::Locale;
use crate::ids::{CampaignId, StaffId};
use crate::media::MediaStore;
use crate::slug::Slug;

/// The form's text fields, the image's bytes, and the signed consent form's.
#[derive(Default)]
pub struct ArtworkForm {
    pub fields: Fields,
    pub image: Option<Vec<u8>>,
    pub consent_form: Option<Vec<u8>>,
    /// A photo of the artist at work.
    pub evidence: Option<Vec<u8>>,
    /// A film of the artist at work.
    pub film: Option<Vec<u8>>,
    /// The artist's voice message.
    pub voice: Option<Vec<u8>>,
}

/// A checked form, waiting only for its pictures.
#[derive(Debug)]
struct Checked {
    wanted_slug: Option<Slug>,
    content_locale: Locale,
    title: String,
    artist: Artist,
    story: String,
    artist_message: String,
    translation: Option<(Locale, ArtworkTranslation)>,
    consent: Option<Consent>,
    publish: bool,
    made_how: Option<MadeHow>,
    /// What the voice message says, in English and in Chinese.
    voice_transcripts: [String; 2],
    remove_voice: bool,
    remove_film: bool,
}

/// Checks the form, stores its pictures and creates the artwork in `campaign`; returns its slug.
pub async fn create(
    db: &Db,
    media: &MediaStore,
    campaign: CampaignId,
    form: ArtworkForm,
    by: StaffId,
) -> Result<Slug, ArtworkError> {
    let mut checked = check(&form.fields)?;
    attach_form(media, &mut checked.consent, form.consent_form.as_deref())?;
    if checked
        .consent
        .as_ref()
        .is_some_and(|c| c.terms.assent == Assent::Unrecorded)
    {
        return Err(FormError::Invalid("consent_assent").into());
    }
    let bytes = form
        .image
        .filter(|b| !b.is_empty())
        .ok_or(FormError::NoImage)?;
    let images = stored(media, bytes).await?;
    let evidence = evidence(media, form.evidence).await?;
    let voice = voice(media, form.voice.as_deref(), &checked.voice_transcripts)?;
    let film = film(media, form.film).await?;
    let mut tx = db.begin_write().await?;
    let wanted = checked
        .wanted_slug
        .clone()
        .or_else(|| Slug::from_title(&checked.title))
        .or_else(|| Slug::from_title(&format!("artwork {}", images.image.0.hash())))
        .ok_or(FormError::Invalid("slug"))?;
    let slug = artworks::free_slug(&mut tx.tx, campaign, &wanted).await?;
    let position = artworks::next_position(&mut tx.tx, campaign).await?;
    let new = NewArtwork {
        slug: slug.clone(),
        content_locale: checked.content_locale,
        title: checked.title,
        artist: checked.artist,
        story: checked.story,
        artist_message: checked.artist_message,
        image: images.image,
        thumb: images.thumb,
        position,
        consent: checked.consent,
        published: checked.publish,
        added_by: Some(by),
        made_how: checked.made_how,
        evidence,
        film,
        voice,
        voice_transcripts: checked.voice_transcripts,
    };
    artworks::insert(&mut tx.tx, campaign, &new).await?;
    if let Some((locale, text)) = &checked.translation {
        artworks::add_translation(&mut tx.tx, campaign, &slug, *locale, text).await?;
    }
    tx.commit().await?;
    Ok(slug)
}

/// Saves the edit form over artwork `artwork` of `campaign`: its texts, translation, consent
/// and whether it is published (its pictures stay). A changed consent is a new version of the
/// artwork's consent record; the earlier ones stay.
pub async fn update(
    db: &Db,
    media: &MediaStore,
    campaign: CampaignId,
    artwork: &Slug,
    form: ArtworkForm,
    by: StaffId,
) -> Result<(), ArtworkError> {
    let mut checked = check(&form.fields)?;
    let new_form = attach_form(media, &mut checked.consent, form.consent_form.as_deref())?;
    let evidence = evidence(media, form.evidence).await?;
    let voice = voice(media, form.voice.as_deref(), &checked.voice_transcripts)?;
    let remove_voice = checked.remove_voice && voice.is_none();
    let film = film(media, form.film).await?;
    let remove_film = checked.remove_film && film.is_none();
    let mut texts = ArtworkTexts {
        content_locale: checked.content_locale,
        title: checked.title,
        artist: checked.artist,
        story: checked.story,
        artist_message: checked.artist_message,
        consent: checked.consent,
        published: checked.publish,
        made_how: checked.made_how,
        voice_transcripts: checked.voice_transcripts,
    };
    let mut tx = db.begin_write().await?;
    let id = artworks::id_of(&mut *tx.tx, campaign, artwork)
        .await?
        .ok_or(ArtworkError::NotFound)?;
    if let Some(consent) = &mut texts.consent {
        let history = artworks::consent_history(&mut *tx.tx, id).await?;
        let latest = history.iter().rev().find(|v| !v.withdrawal);
        if !new_form {
            // The signed form stays on file until another is sent, for as long as the same
            // person's consent is revised: a form names who signed it.
            consent.terms.form = latest
                .filter(|v| same_signer(&v.consent, consent))
                .and_then(|v| v.consent.terms.form.clone());
        }
        if consent.terms.assent == Assent::Unrecorded {
            // Assent is asked now: only a consent kept from before may go on without it.
            if latest.map(|v| &v.consent) != Some(&*consent) {
                return Err(FormError::Invalid("consent_assent").into());
            }
        }
        let recorded = artworks::record_consent(&mut tx.tx, campaign, id, consent, false, Some(by));
        if recorded.await? == Recording::Withdrawn {
            return Err(FormError::ConsentWithdrawn.into());
        }
    }
    // A voice message that stays needs its words written out.
    let keeps_voice =
        voice.is_some() || (!remove_voice && artworks::has_voice(&mut tx.tx, id).await?);
    if keeps_voice && texts.voice_transcripts.iter().all(String::is_empty) {
        return Err(FormError::Missing("voice_transcript_en").into());
    }
    if !artworks::update_texts(&mut tx.tx, campaign, artwork, &texts).await? {
        return Err(ArtworkError::NotFound);
    }
    if let Some(evidence) = &evidence {
        artworks::set_evidence(&mut tx.tx, campaign, artwork, evidence).await?;
    }
    if voice.is_some() || remove_voice {
        artworks::set_voice(&mut tx.tx, campaign, artwork, voice.as_ref()).await?;
    }
    if film.is_some() || remove_film {
        artworks::set_film(&mut tx.tx, campaign, artwork, film.as_ref()).await?;
    }
    let (locale, text) = checked.translation.unwrap_or_else(|| {
        (
            other_locale(texts.content_locale),
            ArtworkTranslation::default(),
        )
    });
    artworks::set_translated_title_and_story(&mut tx.tx, campaign, artwork, locale, &text).await?;
    tx.commit().await?;
    Ok(())
}

/// Records that consent for artwork `artwork` of `campaign` was withdrawn, by whom (the withdrawal
/// form: `consenter`, `given_by`, `relationship`, `witnessed_by`). From then on no checkout for
/// it starts, on any instance; gifts already made and their certificates stand.
pub async fn withdraw(
    db: &Db,
    campaign: CampaignId,
    artwork: &Slug,
    fields: &Fields,
    by: StaffId,
) -> Result<(), ArtworkError> {
    let consenter =
        Consenter::parse(&fields.text("consenter", 16)?).ok_or(FormError::Invalid("consenter"))?;
    let withdrawal = Consent {
        terms: Terms {
            consenter,
            assent: Assent::Unrecorded,
            scope: Scope::default(),
            royalty_gifts_bp: 0,
            royalty_prints_bp: 0,
            from: artworks::today(),
            until: None,
            form: None,
        },
        given_by: fields.required("given_by", MAX_LINE)?,
        relationship: fields.required("relationship", MAX_LINE)?,
        witnessed_by: fields.text("witnessed_by", MAX_LINE)?,
        licence: String::new(),
    };
    let mut tx = db.begin_write().await?;
    let id = artworks::id_of(&mut *tx.tx, campaign, artwork)
        .await?
        .ok_or(ArtworkError::NotFound)?;
    if artworks::consent_history(&mut *tx.tx, id).await?.is_empty() {
        return Err(FormError::Invalid("consenter").into());
    }
    match artworks::record_consent(&mut tx.tx, campaign, id, &withdrawal, true, Some(by)).await? {
        Recording::Withdrawn => return Err(FormError::ConsentWithdrawn.into()),
        Recording::Recorded | Recording::Unchanged => {}
    }
    tx.commit().await?;
    Ok(())
}

/// A picture sent with the form, checked and stored (drawn again from its pixels alone).
async fn stored(media: &MediaStore, bytes: Vec<u8>) -> Result<StoredImages, ArtworkError> {
    match upload::store(media, bytes).await {
        Ok(images) => Ok(images),
        Err(StoreError::Refused(refused)) => Err(FormError::Image(refused).into()),
        Err(StoreError::Internal(error)) => Err(ArtworkError::Internal(error)),
    }
}

/// The photo of the artist at work sent with the form, stored, if one was.
async fn evidence(
    media: &MediaStore,
    bytes: Option<Vec<u8>>,
) -> Result<Option<StoredImages>, ArtworkError> {
    match bytes.filter(|b| !b.is_empty()) {
        Some(bytes) => Ok(Some(stored(media, bytes).await?)),
        None => Ok(None),
    }
}

/// The voice message sent with the form, checked by its content and stored, if one was. It
/// needs its words written out in at least one language.
fn voice(
    media: &MediaStore,
    bytes: Option<&[u8]>,
    transcripts: &[String; 2],
) -> Result<Option<StoredVoice>, ArtworkError> {
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return Ok(None);
    };
    let (format, duration_ms) = audio::probe(bytes).map_err(FormError::Voice)?;
    if transcripts.iter().all(String::is_empty) {
        return Err(FormError::Missing("voice_transcript_en").into());
    }
    let key = media.put(bytes, format.extension())?;
    Ok(Some(StoredVoice { key, duration_ms }))
}

/// The film of the artist at work sent with the form, checked by its content and stored (off
/// the async threads: it may be 40 MB to hash and write), if one was.
async fn film(
    media: &MediaStore,
    bytes: Option<Vec<u8>>,
) -> Result<Option<StoredFilm>, ArtworkError> {
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return Ok(None);
    };
    let facts = film::probe(&bytes).map_err(FormError::Film)?;
    let media = media.clone();
    let key = tokio::task::spawn_blocking(move || media.put(&bytes, "mp4"))
        .await
        .map_err(|e| ArtworkError::Internal(e.into()))??;
    Ok(Some(StoredFilm { key, facts }))
}

/// Keeps the signed consent form sent with the form, if any, and names it in the consent's
/// terms; whether one was sent. A form without a consent record is refused.
fn attach_form(
    media: &MediaStore,
    consent: &mut Option<Consent>,
    bytes: Option<&[u8]>,
) -> Result<bool, ArtworkError> {
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return Ok(false);
    };
    let consent = consent.as_mut().ok_or(FormError::ConsentIncomplete)?;
    consent.terms.form = match consent_form::keep(media, bytes) {
        Ok(form) => Some(form),
        Err(StoreError::Refused(UploadError::WrongType)) => {
            return Err(FormError::DocumentWrongType.into())
        }
        Err(StoreError::Refused(refused)) => return Err(FormError::Image(refused).into()),
        Err(StoreError::Internal(error)) => return Err(ArtworkError::Internal(error)),
    };
    Ok(true)
}

/// Whether two consents were given by the same person, in the same role.
fn same_signer(a: &Consent, b: &Consent) -> bool {
    a.terms.consenter == b.terms.consenter
        && a.given_by == b.given_by
        && a.relationship == b.relationship
}

/// Why an artwork was not created or saved.
#[derive(Debug, thiserror::Error)]
pub enum ArtworkError {
    #[error(transparent)]
    Form(#[from] FormError),
    #[error("no such artwork")]
    NotFound,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

fn check(fields: &Fields) -> Result<Checked, FormError> {
    let text = |name, max| fields.text(name, max);
    let required = |name, max| fields.required(name, max);
    let content_locale = Locale::from_tag(&text("content_locale", 8)?).unwrap_or_default();
    let age = match text("artist_age", 3)?.as_str() {
        "" => None,
        age => Some(
            age.parse::<u8>()
                .ok()
                .filter(|a| (1..=130).contains(a))
                .ok_or(FormError::Invalid("artist_age"))?,
        ),
    };
    let wanted_slug = match text("slug", 64)?.as_str() {
        "" => None,
        slug => Some(slug.parse().map_err(|_| FormError::Invalid("slug"))?),
    };
    let other = other_locale(content_locale);
    let translation = ArtworkTranslation {
        title: text("title_translated", MAX_LINE)?,
        story: text("story_translated", MAX_TEXT)?,
        ..ArtworkTranslation::default()
    };
    let translated = !translation.title.is_empty() || !translation.story.is_empty();
    let consent = consent(fields)?;
    let publish = fields.ticked("publish");
    if publish && consent.is_none() {
        return Err(FormError::PublishWithoutConsent);
    }
    let voice_transcripts = [
        text("voice_transcript_en", MAX_TEXT)?,
        text("voice_transcript_zh", MAX_TEXT)?,
    ];
    let made_how = match text("made_how", 16)?.as_str() {
        "" => None,
        made => Some(MadeHow::parse(made).ok_or(FormError::Invalid("made_how"))?),
    };
    Ok(Checked {
        wanted_slug,
        content_locale,
        title: required("title", MAX_LINE)?,
        artist: Artist {
            name: required("artist_name", MAX_LINE)?,
            age,
            slug: None,
        },
        story: required("story", MAX_TEXT)?,
        artist_message: text("artist_message", MAX_TEXT)?,
        translation: translated.then_some((other, translation)),
        consent,
        publish,
        made_how,
        voice_transcripts,
        remove_voice: fields.ticked("remove_voice"),
        remove_film: fields.ticked("remove_film"),
    })
}

/// The language a translation of text written in `written` is in.
fn other_locale(written: Locale) -> Locale {
    Locale::ALL
        .into_iter()
        .find(|l| *l != written)
        .unwrap_or_default()
}

/// The consent record: all of it or none of it. It covers gifts and the certificates that show
/// the work, and prints when ticked.
fn consent(fields: &Fields) -> Result<Option<Consent>, FormError> {
    let text = |name, max| fields.text(name, max);
    let given_by = text("consent_given_by", MAX_LINE)?;
    let relationship = text("consent_relationship", MAX_LINE)?;
    let given_on = text("consent_given_on", 10)?;
    let licence = text("consent_licence", MAX_LINE)?;
    let parts = [&given_by, &relationship, &given_on, &licence];
    if parts.iter().all(|p| p.is_empty()) {
        return Ok(None);
    }
    if parts.iter().any(|p| p.is_empty()) {
        return Err(FormError::ConsentIncomplete);
    }
    if !is_past_date(&given_on) {
        return Err(FormError::Invalid("consent_given_on"));
    }
    let until = match text("consent_until", 10)?.as_str() {
        "" => None,
        until if is_date(until) && until >= given_on.as_str() => Some(until.to_owned()),
        _ => return Err(FormError::Invalid("consent_until")),
    };
    let consenter =
        Consenter::parse(&text("consent_role", 16)?).ok_or(FormError::Invalid("consent_role"))?;
    // "unrecorded" passes here, and is refused by `create` and `update` unless the consent
    // is one kept from before assent was asked, saved unchanged.
    let assent =
        Assent::parse(&text("consent_assent", 16)?).ok_or(FormError::Invalid("consent_assent"))?;
    let prints = fields.ticked("consent_prints");
    Ok(Some(Consent {
        terms: Terms {
            consenter,
            assent,
            scope: Scope {
                gifts: true,
                certificates: true,
                prints,
            },
            royalty_gifts_bp: basis_points(fields, "royalty_percent")?,
            royalty_prints_bp: if prints {
                basis_points(fields, "royalty_prints_percent")?
            } else {
                0
            },
            from: given_on,
            until,
            form: None,
        },
        given_by,
        relationship,
        witnessed_by: text("consent_witness", MAX_LINE)?,
        licence,
    }))
}

/// A percentage field (empty: 0) in basis points.
fn basis_points(fields: &Fields, name: &'static str) -> Result<u16, FormError> {
    match fields.text(name, 6)?.as_str() {
        "" => Ok(0),
        percent => {
            let value: f64 = percent.parse().map_err(|_| FormError::Invalid(name))?;
            if !(0.0..=100.0).contains(&value) {
                return Err(FormError::Invalid(name));
            }
            Ok((value * 100.0).round() as u16)
        }
    }
}

/// Whether `text` is a real `YYYY-MM-DD` date.
fn is_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &format).is_ok()
}

/// Whether `text` is a real `YYYY-MM-DD` date no later than today.
fn is_past_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(text, &format) {
        Ok(date) => date <= time::OffsetDateTime::now_utc().date(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Fields {
        let mut fields: std::collections::HashMap<String, String> = [
            ("title", "Kites"),
            ("artist_name", "Lin"),
            ("story", "Lin flies kites."),
            ("consent_given_by", "Wang Fang"),
            ("consent_relationship", "mother"),
            ("consent_given_on", "2026-05-01"),
            ("consent_licence", "CC BY-NC 4.0"),
            ("royalty_percent", "2.5"),
            ("consent_role", "parent"),
            ("consent_assent", "yes"),
            ("publish", "on"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        for (k, v) in pairs {
            fields.insert((*k).to_owned(), (*v).to_owned());
        }
        Fields::from_pairs(fields)
    }

    #[test]
    fn a_complete_form_passes_with_its_consent() {
        let checked = check(&form(&[])).expect("valid");
        assert!(checked.publish);
        let consent = checked.consent.expect("a consent");
        assert_eq!(consent.terms.royalty_gifts_bp, 250);
        assert_eq!(consent.terms.consenter, Consenter::Parent);
        assert!(consent.terms.scope.gifts && !consent.terms.scope.prints);
        assert_eq!(consent.terms.until, None);
        let prints = check(&form(&[
            ("consent_prints", "on"),
            ("royalty_prints_percent", "10"),
            ("consent_until", "2027-04-30"),
        ]))
        .expect("valid")
        .consent
        .expect("a consent");
        assert_eq!(prints.terms.royalty_prints_bp, 1000);
        assert_eq!(prints.terms.until.as_deref(), Some("2027-04-30"));
    }

    #[test]
    fn a_consent_names_a_role_and_the_artists_own_assent() {
        for (field, value) in [
            ("consent_role", ""),
            ("consent_role", "neighbour"),
            ("consent_assent", ""),
            ("consent_until", "2026-04-30"),
            ("consent_until", "2027-02-30"),
        ] {
            assert_eq!(
                check(&form(&[(field, value)])).err(),
                Some(FormError::Invalid(field)),
                "{field} = {value:?}"
            );
        }
    }

    #[test]
    fn publishing_needs_the_whole_consent_record() {
        let none = [
            ("consent_given_by", ""),
            ("consent_relationship", ""),
            ("consent_given_on", ""),
            ("consent_licence", ""),
        ];
        assert_eq!(
            check(&form(&none)).err(),
            Some(FormError::PublishWithoutConsent)
        );
        let mut unpublished = none.to_vec();
        unpublished.push(("publish", ""));
        assert!(check(&form(&unpublished)).is_ok_and(|c| c.consent.is_none()));
        assert_eq!(
            check(&form(&[("consent_licence", "")])).err(),
            Some(FormError::ConsentIncomplete)
        );
    }

    #[test]
    fn bad_fields_are_named() {
        assert_eq!(
            check(&form(&[("title", " ")])).err(),
            Some(FormError::Missing("title"))
        );
        assert_eq!(
            check(&form(&[("title", &"x".repeat(121))])).err(),
            Some(FormError::TooLong("title"))
        );
        assert_eq!(
            check(&form(&[("artist_age", "0")])).err(),
            Some(FormError::Invalid("artist_age"))
        );
        assert_eq!(
            check(&form(&[("consent_given_on", "2999-01-01")])).err(),
            Some(FormError::Invalid("consent_given_on"))
        );
        assert_eq!(
            check(&form(&[("royalty_percent", "101")])).err(),
            Some(FormError::Invalid("royalty_percent"))
        );
        assert_eq!(
            check(&form(&[("slug", "Not A Slug")])).err(),
            Some(FormError::Invalid("slug"))
        );
        assert_eq!(
            check(&form(&[("story", "bell\u{7}")])).err(),
            Some(FormError::Invalid("story"))
        );
    }
}
