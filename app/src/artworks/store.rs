//! Reading and writing artworks in the database.

use super::{Artist, ArtworkCard, ArtworkDetail, Consent, Image};
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::ids::CampaignId;
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
     a.image_key, a.image_width, a.image_height, a.thumb_key, a.thumb_width, a.thumb_height";

/// Artworks with their translation into locale `$1`, if any.
const FROM_TRANSLATED: &str = "FROM artworks a \
     LEFT JOIN artwork_translations t ON t.artwork_id = a.id AND t.locale = $1";

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
    #[sqlx(flatten)]
    card: CardRow,
    story: String,
    artist_message: String,
    consent_given_by: String,
    consent_relationship: String,
    consent_given_on: String,
    consent_licence: String,
    royalty_basis_points: i64,
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
    // never null here.
    let sql = format!(
        "SELECT {CARD_COLUMNS}, \
         COALESCE(NULLIF(t.story, ''), a.story) AS story, \
         COALESCE(NULLIF(t.artist_message, ''), a.artist_message) AS artist_message, \
         COALESCE(NULLIF(t.consent_given_by, ''), a.consent_given_by) AS consent_given_by, \
         COALESCE(NULLIF(t.consent_relationship, ''), a.consent_relationship) \
           AS consent_relationship, \
         a.consent_given_on, \
         COALESCE(NULLIF(t.consent_licence, ''), a.consent_licence) AS consent_licence, \
         a.royalty_basis_points \
         {FROM_TRANSLATED} WHERE a.campaign_id = $2 AND a.slug = $3 AND a.published = 1"
    );
    let row: Option<DetailRow> = sqlx::query_as(&sql)
        .bind(locale.tag())
        .bind(campaign.get())
        .bind(slug.as_str())
        .fetch_optional(db.pool())
        .await
        .with_context(|| format!("reading artwork {slug}"))?;
    row.map(|r| {
        Ok(ArtworkDetail {
            card: r.card.into_card()?,
            story: r.story,
            artist_message: r.artist_message,
            consent: Consent {
                given_by: r.consent_given_by,
                relationship: r.consent_relationship,
                given_on: r.consent_given_on,
                licence: r.consent_licence,
                royalty_basis_points: u16::try_from(r.royalty_basis_points)?,
            },
        })
    })
    .transpose()
}

/// A published artwork a donor can adopt: its row id and card, in the reader's locale.
#[tracing::instrument(skip(db))]
pub async fn find_adoptable(
    db: &Db,
    campaign: CampaignId,
    slug: &str,
    locale: Locale,
) -> anyhow::Result<Option<(i64, ArtworkCard)>> {
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
    row.map(|r| Ok((r.id, r.card.into_card()?))).transpose()
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
}

/// Inserts an artwork into a campaign.
#[tracing::instrument(skip(tx, new), fields(slug = %new.slug))]
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    new: &NewArtwork,
) -> anyhow::Result<()> {
    let consent = new.consent.as_ref();
    sqlx::query(
        "INSERT INTO artworks (campaign_id, slug, title, artist_name, artist_age, story, \
         artist_message, image_key, image_width, image_height, thumb_key, thumb_width, \
         thumb_height, position, published, consent_given_by, consent_relationship, \
         consent_given_on, consent_licence, royalty_basis_points, created_at, content_locale) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21, $22)",
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
    .bind(consent.map(|c| c.given_on.clone()))
    .bind(consent.map(|c| c.licence.clone()))
    .bind(consent.map_or(0, |c| i64::from(c.royalty_basis_points)))
    .bind(now_ms())
    .bind(new.content_locale.tag())
    .execute(&mut **tx)
    .await
    .with_context(|| format!("inserting artwork {}", new.slug))?;
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
    let taken: Vec<String> = sqlx::query_scalar(
        "SELECT slug FROM artworks WHERE campaign_id = $1 AND (slug = $2 OR slug LIKE $3)",
    )
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
}

/// Saves an artwork's texts, consent and state; `false` when the campaign has no such artwork.
/// The schema refuses a published artwork without consent, whatever calls this.
pub async fn update_texts(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    artwork: &Slug,
    texts: &ArtworkTexts,
) -> anyhow::Result<bool> {
    let consent = texts.consent.as_ref();
    let done = sqlx::query(
        "UPDATE artworks SET content_locale = $1, title = $2, artist_name = $3, artist_age = $4, \
         story = $5, artist_message = $6, consent_given_by = $7, consent_relationship = $8, \
         consent_given_on = $9, consent_licence = $10, royalty_basis_points = $11, \
         published = $12 WHERE campaign_id = $13 AND slug = $14",
    )
    .bind(texts.content_locale.tag())
    .bind(&texts.title)
    .bind(&texts.artist.name)
    .bind(texts.artist.age.map(i64::from))
    .bind(&texts.story)
    .bind(&texts.artist_message)
    .bind(consent.map(|c| c.given_by.clone()))
    .bind(consent.map(|c| c.relationship.clone()))
    .bind(consent.map(|c| c.given_on.clone()))
    .bind(consent.map(|c| c.licence.clone()))
    .bind(consent.map_or(0, |c| i64::from(c.royalty_basis_points)))
    .bind(i64::from(texts.published))
    .bind(campaign.get())
    .bind(artwork.as_str())
    .execute(&mut **tx)
    .await
    .with_context(|| format!("saving artwork {artwork}"))?;
    Ok(done.rows_affected() == 1)
}

#[derive(FromRow)]
struct DraftRow {
    content_locale: String,
    title: String,
    artist_name: String,
    artist_age: Option<i64>,
    story: String,
    artist_message: String,
    consent_given_by: Option<String>,
    consent_relationship: Option<String>,
    consent_given_on: Option<String>,
    consent_licence: Option<String>,
    royalty_basis_points: i64,
    published: i64,
    thumb_key: String,
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
        "SELECT a.content_locale, a.title, a.artist_name, a.artist_age, a.story, \
         a.artist_message, a.consent_given_by, a.consent_relationship, a.consent_given_on, \
         a.consent_licence, a.royalty_basis_points, a.published, a.thumb_key, \
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
    Ok(row.map(|r| {
        let bp = r.royalty_basis_points;
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
            royalty_percent: if r.consent_given_by.is_some() {
                format!("{}.{:02}", bp / 100, bp % 100)
            } else {
                String::new()
            },
            consent_given_by: r.consent_given_by.unwrap_or_default(),
            consent_relationship: r.consent_relationship.unwrap_or_default(),
            consent_given_on: r.consent_given_on.unwrap_or_default(),
            consent_licence: r.consent_licence.unwrap_or_default(),
            published: r.published == 1,
            thumb_url: MediaKey::parse(&r.thumb_key)
                .map(|k| k.url())
                .unwrap_or_default(),
        }
    }))
}
