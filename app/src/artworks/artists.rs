//! Reading and writing artists' records.

use super::artist::{slug_base, AgeBand, ArtistEdit, ArtistProfile, Protection, StaffArtist};
use super::consent::Consenter;
use super::store::free_slug_in;
use super::Artist;
use crate::db::Db;
use crate::i18n::Locale;
use crate::ids::CampaignId;
use crate::slug::Slug;
use anyhow::Context;
use sqlx::{Any, FromRow, Transaction};

/// The id of `artist`'s record in `campaign`, found by their public name or made for them. An
/// age (at the time of a work) fills a band the record does not state yet.
pub async fn ensure(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    artist: &Artist,
) -> anyhow::Result<i64> {
    let band = AgeBand::of_age(artist.age).as_str();
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM artists WHERE campaign_id = $1 AND name = $2")
            .bind(campaign.get())
            .bind(&artist.name)
            .fetch_optional(&mut **tx)
            .await
            .context("finding an artist")?;
    if let Some(id) = found {
        if artist.age.is_some() {
            sqlx::query("UPDATE artists SET age_band = $1 WHERE id = $2 AND age_band = 'unstated'")
                .bind(band)
                .bind(id)
                .execute(&mut **tx)
                .await
                .context("stating an artist's age band")?;
        }
        return Ok(id);
    }
    let slug = free_slug_in(tx, "artists", campaign, &slug_base(&artist.name)).await?;
    sqlx::query_scalar(
        "INSERT INTO artists (campaign_id, slug, name, age_band) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(campaign.get())
    .bind(slug.as_str())
    .bind(&artist.name)
    .bind(band)
    .fetch_one(&mut **tx)
    .await
    .context("adding an artist")
}

/// Records what a consent given by `consenter` for artwork `artwork_id` says of its artist.
pub async fn note_consenter(
    tx: &mut Transaction<'_, Any>,
    artwork_id: i64,
    consenter: Consenter,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE artists SET protection = $1 \
         WHERE id = (SELECT artist_id FROM artworks WHERE id = $2)",
    )
    .bind(Protection::of_consenter(consenter).as_str())
    .bind(artwork_id)
    .execute(&mut **tx)
    .await
    .context("noting who consents for an artist")?;
    Ok(())
}

#[derive(FromRow)]
struct ProfileRow {
    id: i64,
    slug: String,
    name: String,
    age_band: String,
    protection: String,
}

impl ProfileRow {
    fn into_profile(self) -> anyhow::Result<(i64, ArtistProfile)> {
        Ok((
            self.id,
            ArtistProfile {
                slug: self.slug.parse()?,
                name: self.name,
                age_band: AgeBand::parse(&self.age_band).context("an unknown age band")?,
                protection: Protection::parse(&self.protection).context("an unknown protection")?,
            },
        ))
    }
}

/// An artist's name in locale `$1`: as one of their works' translation gives it, else as
/// recorded.
const NAME_IN_LOCALE: &str = "COALESCE((SELECT NULLIF(t.artist_name, '') FROM artworks a \
     JOIN artwork_translations t ON t.artwork_id = a.id AND t.locale = $1 \
     WHERE a.artist_id = r.id ORDER BY a.id LIMIT 1), r.name) AS name";

/// The artist of `campaign` with `slug`, and their record's id, in the reader's locale.
pub async fn find(
    db: &Db,
    campaign: CampaignId,
    slug: &Slug,
    locale: Locale,
) -> anyhow::Result<Option<(i64, ArtistProfile)>> {
    let row: Option<ProfileRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.slug, {NAME_IN_LOCALE}, r.age_band, r.protection FROM artists r \
         WHERE r.campaign_id = $2 AND r.slug = $3"
    ))
    .bind(locale.tag())
    .bind(campaign.get())
    .bind(slug.as_str())
    .fetch_optional(db.pool())
    .await
    .with_context(|| format!("reading artist {slug}"))?;
    row.map(ProfileRow::into_profile).transpose()
}

/// Every artist of `campaign`, in the order they were added, in the reader's locale.
pub async fn list(
    db: &Db,
    campaign: CampaignId,
    locale: Locale,
) -> anyhow::Result<Vec<(i64, ArtistProfile)>> {
    let rows: Vec<ProfileRow> = sqlx::query_as(&format!(
        "SELECT r.id, r.slug, {NAME_IN_LOCALE}, r.age_band, r.protection FROM artists r \
         WHERE r.campaign_id = $2 ORDER BY r.id"
    ))
    .bind(locale.tag())
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("listing a campaign's artists")?;
    rows.into_iter().map(ProfileRow::into_profile).collect()
}

/// The slugs of an artist's published works, in gallery order.
pub async fn works(db: &Db, artist_id: i64) -> anyhow::Result<Vec<Slug>> {
    let slugs: Vec<String> = sqlx::query_scalar(
        "SELECT slug FROM artworks WHERE artist_id = $1 AND published = 1 ORDER BY position, id",
    )
    .bind(artist_id)
    .fetch_all(db.pool())
    .await
    .context("listing an artist's works")?;
    slugs
        .into_iter()
        .map(|s| s.parse().map_err(Into::into))
        .collect()
}

#[derive(FromRow)]
struct StaffRow {
    slug: String,
    name: String,
    age_band: String,
    protection: String,
    works: i64,
    /// The language of their first work, and the name it gives them there and in translation.
    content_locale: Option<String>,
    original: Option<String>,
    name_en: Option<String>,
    name_zh: Option<String>,
}

/// Every artist of `campaign` as staff edit them, in the order they were added.
pub async fn list_for_staff(db: &Db, campaign: CampaignId) -> anyhow::Result<Vec<StaffArtist>> {
    let rows: Vec<StaffRow> = sqlx::query_as(
        "SELECT r.slug, r.name, r.age_band, r.protection, \
         (SELECT COUNT(*) FROM artworks w WHERE w.artist_id = r.id) AS works, \
         a.content_locale, a.artist_name AS original, te.artist_name AS name_en, \
         tz.artist_name AS name_zh \
         FROM artists r \
         LEFT JOIN artworks a ON a.id = (SELECT MIN(w.id) FROM artworks w WHERE w.artist_id = r.id) \
         LEFT JOIN artwork_translations te ON te.artwork_id = a.id AND te.locale = 'en' \
         LEFT JOIN artwork_translations tz ON tz.artwork_id = a.id AND tz.locale = 'zh-CN' \
         WHERE r.campaign_id = $1 ORDER BY r.id",
    )
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("listing a campaign's artists for staff")?;
    rows.into_iter()
        .map(|r| {
            let translated = |name: Option<String>| name.unwrap_or_default();
            let (name_en, name_zh) = match (r.content_locale.as_deref(), r.original) {
                (Some("zh-CN"), Some(original)) => (translated(r.name_en), original),
                (Some(_), Some(original)) => (original, translated(r.name_zh)),
                _ => (r.name, String::new()),
            };
            Ok(StaffArtist {
                slug: r.slug.parse()?,
                name_en,
                name_zh,
                age_band: AgeBand::parse(&r.age_band).context("an unknown age band")?,
                protection: Protection::parse(&r.protection).context("an unknown protection")?,
                works: u32::try_from(r.works)?,
            })
        })
        .collect()
}

/// What became of an edit to an artist's record.
#[derive(Debug, PartialEq, Eq)]
pub enum Edited {
    Saved,
    /// The campaign has no artist with that slug.
    NotFound,
    /// Another artist of the campaign already goes by that name.
    NameTaken,
}

/// Renames the artist of `campaign` with `slug` on every work of theirs (in each work's own
/// language and in its translations) and sets their age band. Their record keeps the name in
/// the language of their first work, which the artwork form names them by.
pub async fn edit(
    db: &Db,
    campaign: CampaignId,
    slug: &Slug,
    edit: &ArtistEdit,
) -> anyhow::Result<Edited> {
    let mut w = db.begin_write().await?;
    let found: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT r.id, (SELECT a.content_locale FROM artworks a WHERE a.artist_id = r.id \
         ORDER BY a.id LIMIT 1) FROM artists r WHERE r.campaign_id = $1 AND r.slug = $2",
    )
    .bind(campaign.get())
    .bind(slug.as_str())
    .fetch_optional(&mut *w.tx)
    .await
    .context("finding an artist")?;
    let Some((id, first_locale)) = found else {
        return Ok(Edited::NotFound);
    };
    let recorded_in = first_locale
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or(Locale::En);
    let recorded = edit.name_in(recorded_in);
    let (taken,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM artists WHERE campaign_id = $1 AND name = $2 AND id <> $3",
    )
    .bind(campaign.get())
    .bind(recorded)
    .bind(id)
    .fetch_one(&mut *w.tx)
    .await
    .context("checking an artist's new name")?;
    if taken > 0 {
        return Ok(Edited::NameTaken);
    }
    sqlx::query("UPDATE artists SET name = $1, age_band = $2 WHERE id = $3")
        .bind(recorded)
        .bind(edit.age_band.as_str())
        .bind(id)
        .execute(&mut *w.tx)
        .await
        .context("saving an artist's record")?;
    sqlx::query(
        "UPDATE artworks SET artist_name = CASE WHEN content_locale = 'zh-CN' THEN $1 ELSE $2 END \
         WHERE artist_id = $3",
    )
    .bind(edit.name_in(Locale::ZhCn))
    .bind(edit.name_in(Locale::En))
    .bind(id)
    .execute(&mut *w.tx)
    .await
    .context("renaming an artist on their works")?;
    sqlx::query(
        "UPDATE artwork_translations SET artist_name = CASE WHEN locale = 'zh-CN' THEN $1 ELSE $2 END \
         WHERE artwork_id IN (SELECT id FROM artworks WHERE artist_id = $3)",
    )
    .bind(&edit.name_zh)
    .bind(&edit.name_en)
    .bind(id)
    .execute(&mut *w.tx)
    .await
    .context("renaming an artist in their works' translations")?;
    w.commit().await?;
    Ok(Edited::Saved)
}
