//! Reading and writing artworks in the database.

use super::consent::{Assent, ConsentVersion, Consenter, Scope, SignedForm, Standing, Terms};
use super::film::FilmFacts;
use super::provenance::{Film, MadeHow, Provenance};
use super::upload::StoredImages;
use super::voice::Voice;
use super::{Artist, ArtworkCard, ArtworkDetail, Consent, Image, PublicConsent};
use crate::dates::Timestamp;
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::ids::{CampaignId, StaffId};
use crate::media::MediaKey;
use crate::slug::Slug;
use anyhow::Context;
use sqlx::{Any, FromRow, Transaction};

#[derive(FromRow)]
struct CardRow {
    slug: String,
    title: String,
    artist_name: String,
    artist_age: Option<i64>,
    artist_slug: Option<String>,
    image_key: String,
    image_width: i64,
    image_height: i64,
    thumb_key: String,
    thumb_width: i64,
    thumb_height: i64,
}

/// A card's columns in the reader's locale, from `artworks a` joined to its translation `t`.
const CARD_COLUMNS: &str = "a.slug, COALESCE(NULLIF(t.title, ''), a.title) AS title, \
     COALESCE(NULLIF(t.artist_name, ''), a.artist_name) AS artist_name, a.artist_age, \
     r.slug AS artist_slug, a.image_key, a.image_width, a.image_height, a.thumb_key, a.thumb_width, a.thumb_height";

/// Artworks with their translation into locale `$1`, if any.
const FROM_TRANSLATED: &str = "FROM artworks a \
     LEFT JOIN artwork_translations t ON t.artwork_id = a.id AND t.locale = $1 \
     LEFT JOIN artists r ON r.id = a.artist_id";

impl CardRow {
    fn into_card(self) -> anyhow::Result<ArtworkCard> {
        let image = |key: String, width: i64, height: i64| -> anyhow::Result<Image> {
            let key = MediaKey::parse(&key).context("artwork image key is malformed")?;
            Ok(Image {
                url: key.url(),
                width: u32::try_from(width)?,
                height: u32::try_from(height)?,
            })
        };
        Ok(ArtworkCard {
            slug: self.slug.parse()?,
            title: self.title,
            artist: Artist {
                name: self.artist_name,
                age: self.artist_age.map(u8::try_from).transpose()?,
                slug: self.artist_slug.map(|s| s.parse()).transpose()?,
            },
            thumb: image(self.thumb_key, self.thumb_width, self.thumb_height)?,
            image: image(self.image_key, self.image_width, self.image_height)?,
        })
    }
}

/// A campaign's published artworks in gallery order, in the reader's locale.
#[tracing::instrument(skip(db))]
pub async fn list_published(
    db: &Db,
    campaign: CampaignId,
    locale: Locale,
) -> anyhow::Result<Vec<ArtworkCard>> {
    let sql = format!(
        "SELECT {CARD_COLUMNS} {FROM_TRANSLATED} \
         WHERE a.campaign_id = $2 AND a.published = 1 ORDER BY a.position, a.id"
    );
    let rows: Vec<CardRow> = sqlx::query_as(&sql)
        .bind(locale.tag())
        .bind(campaign.get())
        .fetch_all(db.pool())
        .await
        .context("listing published artworks")?;
    rows.into_iter().map(CardRow::into_card).collect()
}

#[derive(FromRow)]
struct DetailRow {
    id: i64,
    #[sqlx(flatten)]
    card: CardRow,
    story: String,
    artist_message: String,
    consent_licence: String,
    #[sqlx(flatten)]
    provenance: ProvenanceRow,
    #[sqlx(flatten)]
    voice: VoiceRow,
}

/// An artwork's voice message columns.
#[derive(FromRow)]
struct VoiceRow {
    voice_key: Option<String>,
    voice_duration_ms: Option<i64>,
    voice_transcript_en: String,
    voice_transcript_zh: String,
}

const VOICE_COLUMNS: &str =
    "a.voice_key, a.voice_duration_ms, a.voice_transcript_en, a.voice_transcript_zh";

impl VoiceRow {
    /// The voice message, with its words in `locale` (or the other language's when only that
    /// one was written).
    fn into_voice(self, locale: Locale) -> Option<Voice> {
        let key = MediaKey::parse(self.voice_key.as_deref()?)?;
        let (wanted, other) = match locale {
            Locale::ZhCn => (self.voice_transcript_zh, self.voice_transcript_en),
            Locale::En => (self.voice_transcript_en, self.voice_transcript_zh),
        };
        Some(Voice {
            url: key.url(),
            content_type: key.content_type().to_owned(),
            duration_ms: u32::try_from(self.voice_duration_ms?).ok()?,
            transcript: if wanted.is_empty() { other } else { wanted },
        })
    }
}

/// An artwork's voice message by its row id, in `locale`, for the thank-you page.
pub async fn voice_of(db: &Db, artwork_id: i64, locale: Locale) -> anyhow::Result<Option<Voice>> {
    let sql = format!("SELECT {VOICE_COLUMNS} FROM artworks a WHERE a.id = $1");
    let row: Option<VoiceRow> = sqlx::query_as(&sql)
        .bind(artwork_id)
        .fetch_optional(db.pool())
        .await
        .context("reading an artwork's voice message")?;
    Ok(row.and_then(|row| row.into_voice(locale)))
}

/// Whether artwork `artwork_id` has a voice message.
pub async fn has_voice(tx: &mut Transaction<'_, Any>, artwork_id: i64) -> anyhow::Result<bool> {
    let key: Option<String> = sqlx::query_scalar("SELECT voice_key FROM artworks WHERE id = $1")
        .bind(artwork_id)
        .fetch_one(&mut **tx)
        .await
        .context("finding an artwork's voice message")?;
    Ok(key.is_some())
}

/// A voice message as staff save it: the stored recording and its length, or none.
#[derive(Clone, Debug)]
pub struct StoredVoice {
    pub key: MediaKey,
    pub duration_ms: u32,
}

/// Sets (or, with `None`, removes) the voice message of artwork `artwork` of `campaign`.
pub async fn set_voice(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    artwork: &Slug,
    voice: Option<&StoredVoice>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE artworks SET voice_key = $1, voice_duration_ms = $2 \
         WHERE campaign_id = $3 AND slug = $4",
    )
    .bind(voice.map(|v| v.key.as_str().to_owned()))
    .bind(voice.map(|v| i64::from(v.duration_ms)))
    .bind(campaign.get())
    .bind(artwork.as_str())
    .execute(&mut **tx)
    .await
    .with_context(|| format!("setting the voice message of artwork {artwork}"))?;
    Ok(())
}

/// An artwork's provenance columns.
#[derive(FromRow)]
struct ProvenanceRow {
    made_how: Option<String>,
    evidence_key: Option<String>,
    evidence_width: Option<i64>,
    evidence_height: Option<i64>,
    evidence_thumb_key: Option<String>,
    evidence_thumb_width: Option<i64>,
    evidence_thumb_height: Option<i64>,
    film_key: Option<String>,
    film_width: Option<i64>,
    film_height: Option<i64>,
    film_duration_ms: Option<i64>,
}

const PROVENANCE_COLUMNS: &str = "a.made_how, a.evidence_key, a.evidence_width, \
     a.evidence_height, a.evidence_thumb_key, a.evidence_thumb_width, a.evidence_thumb_height, \
     a.film_key, a.film_width, a.film_height, a.film_duration_ms";

impl ProvenanceRow {
    /// The provenance, when staff stated how the work was made.
    fn into_provenance(self) -> Option<Provenance> {
        let made_how = MadeHow::parse(self.made_how.as_deref()?)?;
        let image = |key: Option<String>, width: Option<i64>, height: Option<i64>| {
            Some(Image {
                url: MediaKey::parse(&key?)?.url(),
                width: u32::try_from(width?).ok()?,
                height: u32::try_from(height?).ok()?,
            })
        };
        let full = image(self.evidence_key, self.evidence_width, self.evidence_height);
        let thumb = image(
            self.evidence_thumb_key,
            self.evidence_thumb_width,
            self.evidence_thumb_height,
        );
        let film = (|| {
            Some(Film {
                url: MediaKey::parse(&self.film_key?)?.url(),
                width: u32::try_from(self.film_width?).ok()?,
                height: u32::try_from(self.film_height?).ok()?,
                duration_ms: u32::try_from(self.film_duration_ms?).ok()?,
            })
        })();
        Some(Provenance {
            made_how,
            evidence: full.zip(thumb),
            film,
        })
    }
}

/// One published artwork of a campaign, with its story and consent, in the reader's locale.
#[tracing::instrument(skip(db))]
pub async fn find_published(
    db: &Db,
    campaign: CampaignId,
    slug: &Slug,
    locale: Locale,
) -> anyhow::Result<Option<ArtworkDetail>> {
    // The schema lets no artwork be published without consent, so the consent columns are
    // never null here. The licence is read in the reader's language; the names never.
    let sql = format!(
        "SELECT a.id, {CARD_COLUMNS}, \
         COALESCE(NULLIF(t.story, ''), a.story) AS story, \
         COALESCE(NULLIF(t.artist_message, ''), a.artist_message) AS artist_message, \
         COALESCE(NULLIF(t.consent_licence, ''), a.consent_licence) AS consent_licence, \
         {PROVENANCE_COLUMNS}, {VOICE_COLUMNS} {FROM_TRANSLATED} WHERE a.campaign_id = $2 AND a.slug = $3 AND a.published = 1"
    );
    let row: Option<DetailRow> = sqlx::query_as(&sql)
        .bind(locale.tag())
        .bind(campaign.get())
        .bind(slug.as_str())
        .fetch_optional(db.pool())
        .await
        .with_context(|| format!("reading artwork {slug}"))?;
    let Some(r) = row else {
        return Ok(None);
    };
    let mut consent = public_consent(db, r.id, &today()).await?;
    consent.licence = r.consent_licence;
    Ok(Some(ArtworkDetail {
        card: r.card.into_card()?,
        story: r.story,
        artist_message: r.artist_message,
        consent,
        provenance: r.provenance.into_provenance(),
        voice: r.voice.into_voice(locale),
    }))
}

/// Today in UTC, as consent dates are compared.
pub fn today() -> String {
    Timestamp::from_unix_ms(now_ms()).iso_date_utc()
}

/// A published artwork a donor may ask to adopt: its row id, card in the reader's locale, and
/// whether its consent allows a gift today (read afresh, so a withdrawal on any instance stops
/// the next checkout on every one).
#[tracing::instrument(skip(db))]
pub async fn find_adoptable(
    db: &Db,
    campaign: CampaignId,
    slug: &str,
    locale: Locale,
) -> anyhow::Result<Option<(i64, ArtworkCard, Standing)>> {
    #[derive(FromRow)]
    struct Row {
        id: i64,
        #[sqlx(flatten)]
        card: CardRow,
    }
    let sql = format!(
        "SELECT a.id, {CARD_COLUMNS} {FROM_TRANSLATED} \
         WHERE a.campaign_id = $2 AND a.slug = $3 AND a.published = 1"
    );
    let row: Option<Row> = sqlx::query_as(&sql)
        .bind(locale.tag())
        .bind(campaign.get())
        .bind(slug)
        .fetch_optional(db.pool())
        .await
        .context("reading an adoptable artwork")?;
    let Some(row) = row else {
        return Ok(None);
    };
    let standing = public_consent(db, row.id, &today()).await?.standing;
    Ok(Some((row.id, row.card.into_card()?, standing)))
}

/// Any artwork by row id (published or not), as a card in the reader's locale: a gift keeps
/// showing the artwork it adopted.
#[tracing::instrument(skip(db))]
pub async fn card_by_id(db: &Db, id: i64, locale: Locale) -> anyhow::Result<ArtworkCard> {
    let sql = format!("SELECT {CARD_COLUMNS} {FROM_TRANSLATED} WHERE a.id = $2");
    let row: CardRow = sqlx::query_as(&sql)
        .bind(locale.tag())
        .bind(id)
        .fetch_one(db.pool())
        .await
        .context("reading an artwork by id")?;
    row.into_card()
}

/// An artwork to create, with its stored images.
#[derive(Clone, Debug)]
pub struct NewArtwork {
    pub slug: Slug,
    /// The language its texts are written in.
    pub content_locale: Locale,
    pub title: String,
    pub artist: Artist,
    pub story: String,
    pub artist_message: String,
    pub image: (MediaKey, u32, u32),
    pub thumb: (MediaKey, u32, u32),
    pub position: i64,
    /// Publishing requires consent; the database refuses the row otherwise.
    pub consent: Option<Consent>,
    pub published: bool,
    /// The staff member adding it (none for the demo's own artworks).
    pub added_by: Option<StaffId>,
    pub made_how: Option<MadeHow>,
    /// A photo of the artist at work on it.
    pub evidence: Option<StoredImages>,
    /// A film of the artist at work on it.
    pub film: Option<StoredFilm>,
    pub voice: Option<StoredVoice>,
    /// What the voice message says, in English and in Chinese.
    pub voice_transcripts: [String; 2],
}

/// Inserts an artwork into a campaign.
#[tracing::instrument(skip(tx, new), fields(slug = %new.slug))]
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    new: &NewArtwork,
) -> anyhow::Result<()> {
    let consent = new.consent.as_ref();
    let artist_id = super::artists::ensure(tx, campaign, &new.artist).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO artworks (campaign_id, slug, title, artist_name, artist_age, story, \
         artist_message, image_key, image_width, image_height, thumb_key, thumb_width, \
         thumb_height, position, published, consent_given_by, consent_relationship, \
         consent_given_on, consent_licence, royalty_basis_points, created_at, content_locale, \
         artist_id, made_how, voice_transcript_en, voice_transcript_zh) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21, $22, $23, $24, $25, $26) RETURNING id",
    )
    .bind(campaign.get())
    .bind(new.slug.as_str())
    .bind(&new.title)
    .bind(&new.artist.name)
    .bind(new.artist.age.map(i64::from))
    .bind(&new.story)
    .bind(&new.artist_message)
    .bind(new.image.0.as_str())
    .bind(i64::from(new.image.1))
    .bind(i64::from(new.image.2))
    .bind(new.thumb.0.as_str())
    .bind(i64::from(new.thumb.1))
    .bind(i64::from(new.thumb.2))
    .bind(new.position)
    .bind(i64::from(new.published))
    .bind(consent.map(|c| c.given_by.clone()))
    .bind(consent.map(|c| c.relationship.clone()))
    .bind(consent.map(|c| c.terms.from.clone()))
    .bind(consent.map(|c| c.licence.clone()))
    .bind(consent.map_or(0, |c| i64::from(c.terms.royalty_gifts_bp)))
    .bind(now_ms())
    .bind(new.content_locale.tag())
    .bind(artist_id)
    .bind(new.made_how.map(MadeHow::as_str))
    .bind(&new.voice_transcripts[0])
    .bind(&new.voice_transcripts[1])
    .fetch_one(&mut **tx)
    .await
    .with_context(|| format!("inserting artwork {}", new.slug))?;
    if let Some(consent) = consent {
        record_consent(tx, campaign, id, consent, false, new.added_by).await?;
    }
    if let Some(evidence) = &new.evidence {
        set_evidence(tx, campaign, &new.slug, evidence).await?;
    }
    if new.film.is_some() {
        set_film(tx, campaign, &new.slug, new.film.as_ref()).await?;
    }
    if new.voice.is_some() {
        set_voice(tx, campaign, &new.slug, new.voice.as_ref()).await?;
    }
    Ok(())
}

/// A film of the artist at work as stored: its file and what its content states.
#[derive(Clone, Debug)]
pub struct StoredFilm {
    pub key: MediaKey,
    pub facts: FilmFacts,
}

/// Sets the film of the artist at work on artwork `artwork` of `campaign`, or removes it.
pub async fn set_film(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    artwork: &Slug,
    film: Option<&StoredFilm>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE artworks SET film_key = $1, film_width = $2, film_height = $3, \
         film_duration_ms = $4 WHERE campaign_id = $5 AND slug = $6",
    )
    .bind(film.map(|f| f.key.as_str().to_owned()))
    .bind(film.map(|f| i64::from(f.facts.width)))
    .bind(film.map(|f| i64::from(f.facts.height)))
    .bind(film.map(|f| i64::from(f.facts.duration_ms)))
    .bind(campaign.get())
    .bind(artwork.as_str())
    .execute(&mut **tx)
    .await
    .with_context(|| format!("setting the film of artwork {artwork}"))?;
    Ok(())
}

/// Sets the photo of the artist at work on artwork `artwork` of `campaign`.
pub async fn set_evidence(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    artwork: &Slug,
    evidence: &StoredImages,
) -> anyhow::Result<()> {
    let (image, thumb) = (&evidence.image, &evidence.thumb);
    sqlx::query(
        "UPDATE artworks SET evidence_key = $1, evidence_width = $2, evidence_height = $3, \
         evidence_thumb_key = $4, evidence_thumb_width = $5, evidence_thumb_height = $6 \
         WHERE campaign_id = $7 AND slug = $8",
    )
    .bind(image.0.as_str())
    .bind(i64::from(image.1))
    .bind(i64::from(image.2))
    .bind(thumb.0.as_str())
    .bind(i64::from(thumb.1))
    .bind(i64::from(thumb.2))
    .bind(campaign.get())
    .bind(artwork.as_str())
    .execute(&mut **tx)
    .await
    .with_context(|| format!("setting the evidence of artwork {artwork}"))?;
    Ok(())
}

/// An artwork's texts in another language; empty fields fall back to the original.
#[derive(Clone, Debug, Default)]
pub struct ArtworkTranslation {
    pub title: String,
    pub artist_name: String,
    pub story: String,
    pub artist_message: String,
    pub consent_given_by: String,
    pub consent_relationship: String,
    pub consent_licence: String,
}

/// Adds a translation of an artwork's texts unless that locale already has one.
pub async fn add_translation(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    artwork: &Slug,
    locale: Locale,
    text: &ArtworkTranslation,
) -> anyhow::Result<()> {
    write_translation(tx, campaign, artwork, locale, text, "DO NOTHING").await
}

/// Sets the translated title and story of an artwork, keeping its other translated texts.
pub async fn set_translated_title_and_story(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    artwork: &Slug,
    locale: Locale,
    text: &ArtworkTranslation,
) -> anyhow::Result<()> {
    let update = "DO UPDATE SET title = excluded.title, story = excluded.story";
    write_translation(tx, campaign, artwork, locale, text, update).await
}

#[tracing::instrument(skip(tx, text))]
async fn write_translation(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    artwork: &Slug,
    locale: Locale,
    text: &ArtworkTranslation,
    on_conflict: &'static str,
) -> anyhow::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO artwork_translations (artwork_id, locale, title, artist_name, story, \
         artist_message, consent_given_by, consent_relationship, consent_licence) \
         SELECT id, $3, $4, $5, $6, $7, $8, $9, $10 FROM artworks \
         WHERE campaign_id = $1 AND slug = $2 \
         ON CONFLICT (artwork_id, locale) {on_conflict}"
    ))
    .bind(campaign.get())
    .bind(artwork.as_str())
    .bind(locale.tag())
    .bind(&text.title)
    .bind(&text.artist_name)
    .bind(&text.story)
    .bind(&text.artist_message)
    .bind(&text.consent_given_by)
    .bind(&text.consent_relationship)
    .bind(&text.consent_licence)
    .execute(&mut **tx)
    .await
    .with_context(|| format!("adding a translation of artwork {artwork}"))?;
    Ok(())
}

/// An artwork as staff manage it: published or not, with whether consent is on record.
#[derive(FromRow)]
struct StaffRow {
    #[sqlx(flatten)]
    card: CardRow,
    published: i64,
    has_consent: i64,
    withdrawn: i64,
    gifts: i64,
}

/// Every artwork of a campaign in gallery order, published or not, for staff.
pub async fn list_for_staff(
    db: &Db,
    campaign: CampaignId,
    locale: Locale,
) -> anyhow::Result<Vec<super::StaffArtwork>> {
    let sql = format!(
        "SELECT {CARD_COLUMNS}, a.published, \
         CASE WHEN a.consent_given_by IS NULL THEN 0 ELSE 1 END AS has_consent, \
         CASE WHEN EXISTS (SELECT 1 FROM consent_records c WHERE c.artwork_id = a.id \
           AND c.kind = 'withdrawal') THEN 1 ELSE 0 END AS withdrawn, \
         COALESCE(tot.gifts, 0) AS gifts \
         {FROM_TRANSLATED} LEFT JOIN artwork_totals tot ON tot.artwork_id = a.id \
         WHERE a.campaign_id = $2 ORDER BY a.position, a.id"
    );
    let rows: Vec<StaffRow> = sqlx::query_as(&sql)
        .bind(locale.tag())
        .bind(campaign.get())
        .fetch_all(db.pool())
        .await
        .context("listing artworks for staff")?;
    rows.into_iter()
        .map(|r| {
            Ok(super::StaffArtwork {
                card: r.card.into_card()?,
                published: r.published == 1,
                has_consent: r.has_consent == 1,
                withdrawn: r.withdrawn == 1,
                gifts: u64::try_from(r.gifts)?,
            })
        })
        .collect()
}

/// A slug for a new artwork of `campaign`, made from `wanted` and unused in the campaign.
pub async fn free_slug(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    wanted: &Slug,
) -> anyhow::Result<Slug> {
    free_slug_in(tx, "artworks", campaign, wanted).await
}

/// A slug made from `wanted` and unused among `table`'s rows of `campaign` (a fixed table
/// name: `artworks` or `artists`).
pub(super) async fn free_slug_in(
    tx: &mut Transaction<'_, Any>,
    table: &'static str,
    campaign: CampaignId,
    wanted: &Slug,
) -> anyhow::Result<Slug> {
    let taken: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT slug FROM {table} WHERE campaign_id = $1 AND (slug = $2 OR slug LIKE $3)"
    ))
    .bind(campaign.get())
    .bind(wanted.as_str())
    .bind(format!("{}-%", wanted.as_str()))
    .fetch_all(&mut **tx)
    .await
    .context("reading the campaign's artwork slugs")?;
    if !taken.iter().any(|t| t == wanted.as_str()) {
        return Ok(wanted.clone());
    }
    let base = wanted.as_str().chars().take(56).collect::<String>();
    let base = base.trim_end_matches('-');
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .context("no free slug")?
        .parse()
        .map_err(Into::into)
}

/// The position after the campaign's last artwork.
pub async fn next_position(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
) -> anyhow::Result<i64> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(position) FROM artworks WHERE campaign_id = $1")
            .bind(campaign.get())
            .fetch_one(&mut **tx)
            .await
            .context("reading the last artwork position")?;
    Ok(last.unwrap_or(0) + 1)
}

/// What happened when staff asked to publish or unpublish an artwork.
#[derive(Debug, PartialEq, Eq)]
pub enum Publishing {
    Done,
    NotFound,
    /// Publishing needs a consent record, and this artwork has none.
    NoConsent,
}

/// Publishes or unpublishes an artwork of a campaign.
pub async fn set_published(
    db: &Db,
    campaign: CampaignId,
    artwork: &Slug,
    published: bool,
) -> anyhow::Result<Publishing> {
    let mut tx = db.begin_write().await?;
    let consent: Option<i64> = sqlx::query_scalar(
        "SELECT CASE WHEN consent_given_by IS NULL THEN 0 ELSE 1 END FROM artworks \
         WHERE campaign_id = $1 AND slug = $2",
    )
    .bind(campaign.get())
    .bind(artwork.as_str())
    .fetch_optional(&mut *tx.tx)
    .await
    .context("reading an artwork's consent")?;
    match consent {
        None => return Ok(Publishing::NotFound),
        Some(0) if published => return Ok(Publishing::NoConsent),
        Some(_) => {}
    }
    sqlx::query("UPDATE artworks SET published = $1 WHERE campaign_id = $2 AND slug = $3")
        .bind(i64::from(published))
        .bind(campaign.get())
        .bind(artwork.as_str())
        .execute(&mut *tx.tx)
        .await
        .context("publishing an artwork")?;
    tx.commit().await?;
    Ok(Publishing::Done)
}

/// Where an artwork is to go in its gallery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// One place earlier.
    Earlier,
    /// One place later.
    Later,
    /// To this place, counted from 1 (past the end: last).
    To(usize),
}

/// Moves an artwork in its campaign's gallery, the others closing up around it; `false` when
/// there is no such artwork or it is already where it would go.
pub async fn move_artwork(
    db: &Db,
    campaign: CampaignId,
    artwork: &Slug,
    to: Move,
) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await?;
    let order: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, slug, position FROM artworks WHERE campaign_id = $1 ORDER BY position, id",
    )
    .bind(campaign.get())
    .fetch_all(&mut *tx.tx)
    .await
    .context("reading the gallery order")?;
    let Some(at) = order
        .iter()
        .position(|(_, slug, _)| slug == artwork.as_str())
    else {
        return Ok(false);
    };
    let last = order.len() - 1;
    let target = match to {
        Move::Earlier => at.checked_sub(1),
        Move::Later => (at < last).then_some(at + 1),
        Move::To(place) => Some(place.clamp(1, last + 1) - 1),
    };
    let Some(target) = target.filter(|t| *t != at) else {
        return Ok(false);
    };
    // Positions are rewritten as 1..n in the new order, so ties from older data sort out too.
    let mut ids: Vec<i64> = order.iter().map(|(id, _, _)| *id).collect();
    let moved = ids.remove(at);
    ids.insert(target, moved);
    for (position, id) in (1_i64..).zip(ids) {
        sqlx::query("UPDATE artworks SET position = $1 WHERE id = $2")
            .bind(position)
            .bind(id)
            .execute(&mut *tx.tx)
            .await
            .context("reordering artworks")?;
    }
    tx.commit().await?;
    Ok(true)
}

/// An artwork's texts, consent and state as staff save them (its pictures stay).
#[derive(Clone, Debug)]
pub struct ArtworkTexts {
    pub content_locale: Locale,
    pub title: String,
    pub artist: Artist,
    pub story: String,
    pub artist_message: String,
    pub consent: Option<Consent>,
    pub published: bool,
    pub made_how: Option<MadeHow>,
    /// What the voice message says, in English and in Chinese.
    pub voice_transcripts: [String; 2],
}

/// Saves an artwork's texts and state; `false` when the campaign has no such artwork. Its
/// consent is recorded apart ([`record_consent`], first). The schema refuses a published
/// artwork without consent, whatever calls this.
pub async fn update_texts(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    artwork: &Slug,
    texts: &ArtworkTexts,
) -> anyhow::Result<bool> {
    let artist_id = super::artists::ensure(tx, campaign, &texts.artist).await?;
    let done = sqlx::query(
        "UPDATE artworks SET content_locale = $1, title = $2, artist_name = $3, artist_age = $4, \
         story = $5, artist_message = $6, published = $7, artist_id = $10, made_how = $11, \
         voice_transcript_en = $12, voice_transcript_zh = $13 \
         WHERE campaign_id = $8 AND slug = $9",
    )
    .bind(texts.content_locale.tag())
    .bind(&texts.title)
    .bind(&texts.artist.name)
    .bind(texts.artist.age.map(i64::from))
    .bind(&texts.story)
    .bind(&texts.artist_message)
    .bind(i64::from(texts.published))
    .bind(campaign.get())
    .bind(artwork.as_str())
    .bind(artist_id)
    .bind(texts.made_how.map(MadeHow::as_str))
    .bind(&texts.voice_transcripts[0])
    .bind(&texts.voice_transcripts[1])
    .execute(&mut **tx)
    .await
    .with_context(|| format!("saving artwork {artwork}"))?;
    Ok(done.rows_affected() == 1)
}

#[derive(FromRow)]
struct DraftRow {
    id: i64,
    content_locale: String,
    title: String,
    artist_name: String,
    artist_age: Option<i64>,
    story: String,
    artist_message: String,
    published: i64,
    thumb_key: String,
    made_how: Option<String>,
    evidence_thumb_key: Option<String>,
    film_key: Option<String>,
    voice_key: Option<String>,
    voice_transcript_en: String,
    voice_transcript_zh: String,
    title_translated: Option<String>,
    story_translated: Option<String>,
}

/// An artwork's form as it stands: its texts as written, and their translation.
pub async fn draft(
    db: &Db,
    campaign: CampaignId,
    artwork: &Slug,
) -> anyhow::Result<Option<super::ArtworkDraft>> {
    let row: Option<DraftRow> = sqlx::query_as(
        "SELECT a.id, a.content_locale, a.title, a.artist_name, a.artist_age, a.story, \
         a.artist_message, a.published, a.thumb_key, a.made_how, a.evidence_thumb_key, \
         a.film_key, a.voice_key, a.voice_transcript_en, a.voice_transcript_zh, \
         t.title AS title_translated, t.story AS story_translated \
         FROM artworks a LEFT JOIN artwork_translations t ON t.artwork_id = a.id \
         AND t.locale <> a.content_locale \
         WHERE a.campaign_id = $1 AND a.slug = $2",
    )
    .bind(campaign.get())
    .bind(artwork.as_str())
    .fetch_optional(db.pool())
    .await
    .with_context(|| format!("reading artwork {artwork} to edit"))?;
    let Some(r) = row else {
        return Ok(None);
    };
    let history = consent_history(db.pool(), r.id).await?;
    let latest = history
        .iter()
        .rev()
        .find(|v| !v.withdrawal)
        .map(|v| &v.consent);
    fn percent(bp: u16) -> String {
        format!("{}.{:02}", bp / 100, bp % 100)
    }
    let consent = |read: fn(&Consent) -> String| latest.map(read).unwrap_or_default();
    Ok(Some({
        super::ArtworkDraft {
            slug: artwork.to_string(),
            content_locale: r.content_locale,
            title: r.title,
            artist_name: r.artist_name,
            artist_age: r.artist_age.map(|a| a.to_string()).unwrap_or_default(),
            story: r.story,
            artist_message: r.artist_message,
            title_translated: r.title_translated.unwrap_or_default(),
            story_translated: r.story_translated.unwrap_or_default(),
            royalty_percent: consent(|c| percent(c.terms.royalty_gifts_bp)),
            royalty_prints_percent: consent(|c| percent(c.terms.royalty_prints_bp)),
            consent_given_by: consent(|c| c.given_by.clone()),
            consent_relationship: consent(|c| c.relationship.clone()),
            consent_given_on: consent(|c| c.terms.from.clone()),
            consent_licence: consent(|c| c.licence.clone()),
            consent_role: consent(|c| c.terms.consenter.as_str().to_owned()),
            consent_assent: consent(|c| c.terms.assent.as_str().to_owned()),
            consent_until: consent(|c| c.terms.until.clone().unwrap_or_default()),
            consent_prints: latest.is_some_and(|c| c.terms.scope.prints),
            consent_witness: consent(|c| c.witnessed_by.clone()),
            withdrawn: history.iter().any(|v| v.withdrawal),
            consent_history: history,
            published: r.published == 1,
            thumb_url: MediaKey::parse(&r.thumb_key)
                .map(|k| k.url())
                .unwrap_or_default(),
            made_how: r.made_how.unwrap_or_default(),
            evidence_url: r
                .evidence_thumb_key
                .as_deref()
                .and_then(MediaKey::parse)
                .map(|k| k.url())
                .unwrap_or_default(),
            film_url: r
                .film_key
                .as_deref()
                .and_then(MediaKey::parse)
                .map(|k| k.url())
                .unwrap_or_default(),
            voice_url: r
                .voice_key
                .as_deref()
                .and_then(MediaKey::parse)
                .map(|k| k.url())
                .unwrap_or_default(),
            voice_transcript_en: r.voice_transcript_en,
            voice_transcript_zh: r.voice_transcript_zh,
        }
    }))
}

#[derive(FromRow)]
struct ConsentRow {
    kind: String,
    consenter: String,
    assent: String,
    scope_gifts: i64,
    scope_certificates: i64,
    scope_prints: i64,
    royalty_gifts_bp: i64,
    royalty_prints_bp: i64,
    given_on: String,
    valid_until: Option<String>,
    licence: String,
    given_by: String,
    relationship: String,
    witnessed_by: String,
    form_format: Option<String>,
    form_sha256: Option<String>,
    recorded_at: i64,
}

const CONSENT_COLUMNS: &str = "kind, consenter, assent, scope_gifts, scope_certificates, \
     scope_prints, royalty_gifts_bp, royalty_prints_bp, given_on, valid_until, licence, \
     given_by, relationship, witnessed_by, form_format, form_sha256, recorded_at";

impl ConsentRow {
    fn into_version(self) -> anyhow::Result<ConsentVersion> {
        let bp = |v: i64| u16::try_from(v).context("a royalty share out of range");
        Ok(ConsentVersion {
            withdrawal: self.kind == "withdrawal",
            consent: Consent {
                terms: Terms {
                    consenter: Consenter::parse(&self.consenter).context("an unknown consenter")?,
                    assent: Assent::parse(&self.assent).context("an unknown assent")?,
                    scope: Scope {
                        gifts: self.scope_gifts == 1,
                        certificates: self.scope_certificates == 1,
                        prints: self.scope_prints == 1,
                    },
                    royalty_gifts_bp: bp(self.royalty_gifts_bp)?,
                    royalty_prints_bp: bp(self.royalty_prints_bp)?,
                    from: self.given_on,
                    until: self.valid_until,
                    form: SignedForm::from_columns(
                        self.form_format.as_deref(),
                        self.form_sha256.as_deref(),
                    ),
                },
                given_by: self.given_by,
                relationship: self.relationship,
                witnessed_by: self.witnessed_by,
                licence: self.licence,
            },
            recorded_at: Timestamp::from_unix_ms(self.recorded_at),
        })
    }
}

/// Every version of an artwork's consent record and its withdrawal, oldest first.
pub async fn consent_history<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    artwork_id: i64,
) -> anyhow::Result<Vec<ConsentVersion>> {
    let sql =
        format!("SELECT {CONSENT_COLUMNS} FROM consent_records WHERE artwork_id = $1 ORDER BY id");
    let rows: Vec<ConsentRow> = sqlx::query_as(&sql)
        .bind(artwork_id)
        .fetch_all(executor)
        .await
        .context("reading an artwork's consent record")?;
    rows.into_iter().map(ConsentRow::into_version).collect()
}

/// An artwork's consent as the public sees it on ISO day `today`: the latest terms (never the
/// names), their standing, and how many versions the record has.
pub async fn public_consent(
    db: &Db,
    artwork_id: i64,
    today: &str,
) -> anyhow::Result<PublicConsent> {
    let history = consent_history(db.pool(), artwork_id).await?;
    Ok(public_of(&history, today))
}

fn public_of(history: &[ConsentVersion], today: &str) -> PublicConsent {
    let latest = history.iter().rev().find(|v| !v.withdrawal);
    let withdrawn = history
        .iter()
        .find(|v| v.withdrawal)
        .map(|v| v.recorded_at.iso_date_utc());
    let terms = latest.map(|v| &v.consent.terms);
    PublicConsent {
        standing: Standing::of(terms, withdrawn.as_deref(), today),
        terms: terms.cloned(),
        licence: latest
            .map(|v| v.consent.licence.clone())
            .unwrap_or_default(),
        versions: history.iter().filter(|v| !v.withdrawal).count() as u32,
    }
}

/// What recording a consent did.
#[derive(Debug, PartialEq, Eq)]
pub enum Recording {
    /// A new version was appended (and will be logged).
    Recorded,
    /// The latest version already says exactly this.
    Unchanged,
    /// Consent for this artwork was withdrawn; it cannot be given again.
    Withdrawn,
}

/// Appends `consent` to artwork `artwork_id`'s record unless its latest version already says
/// the same, and keeps the artwork's own consent columns equal to it. `kind` withdrawal ends
/// the artwork's consent for good.
pub async fn record_consent(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    artwork_id: i64,
    consent: &Consent,
    withdrawal: bool,
    by: Option<StaffId>,
) -> anyhow::Result<Recording> {
    let history = consent_history(&mut **tx, artwork_id).await?;
    let latest = history.iter().rev().find(|v| !v.withdrawal);
    if !withdrawal && latest.map(|v| &v.consent) == Some(consent) {
        return Ok(Recording::Unchanged);
    }
    if history.iter().any(|v| v.withdrawal) {
        return Ok(Recording::Withdrawn);
    }
    let terms = &consent.terms;
    let recorded_at = now_ms();
    sqlx::query(
        "INSERT INTO consent_records (campaign_id, artwork_id, kind, consenter, assent, \
         scope_gifts, scope_certificates, scope_prints, royalty_gifts_bp, royalty_prints_bp, \
         given_on, valid_until, licence, given_by, relationship, witnessed_by, form_format, \
         form_sha256, salt, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21)",
    )
    .bind(campaign.get())
    .bind(artwork_id)
    .bind(if withdrawal { "withdrawal" } else { "consent" })
    .bind(terms.consenter.as_str())
    .bind(terms.assent.as_str())
    .bind(i64::from(terms.scope.gifts))
    .bind(i64::from(terms.scope.certificates))
    .bind(i64::from(terms.scope.prints))
    .bind(i64::from(terms.royalty_gifts_bp))
    .bind(i64::from(terms.royalty_prints_bp))
    .bind(&terms.from)
    .bind(terms.until.as_deref())
    .bind(&consent.licence)
    .bind(&consent.given_by)
    .bind(&consent.relationship)
    .bind(&consent.witnessed_by)
    .bind(terms.form.as_ref().map(|f| f.format.extension()))
    .bind(terms.form.as_ref().map(|f| f.sha256.as_str()))
    .bind(crate::ids::random_hex::<16>()?)
    .bind(by.map(StaffId::get))
    .bind(recorded_at)
    .execute(&mut **tx)
    .await
    .context("recording consent")?;
    if !withdrawal {
        sqlx::query(
            "UPDATE artworks SET consent_given_by = $1, consent_relationship = $2, \
             consent_given_on = $3, consent_licence = $4, royalty_basis_points = $5 \
             WHERE id = $6",
        )
        .bind(&consent.given_by)
        .bind(&consent.relationship)
        .bind(&terms.from)
        .bind(&consent.licence)
        .bind(i64::from(terms.royalty_gifts_bp))
        .bind(artwork_id)
        .execute(&mut **tx)
        .await
        .context("keeping the artwork's consent")?;
        super::artists::note_consenter(tx, artwork_id, terms.consenter).await?;
    }
    Ok(Recording::Recorded)
}

/// An artwork's row id by its campaign and slug.
pub async fn id_of<'e>(
    executor: impl sqlx::Executor<'e, Database = Any>,
    campaign: CampaignId,
    artwork: &Slug,
) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM artworks WHERE campaign_id = $1 AND slug = $2")
        .bind(campaign.get())
        .bind(artwork.as_str())
        .fetch_optional(executor)
        .await
        .context("finding an artwork")
}
