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

/// The id of `artist`'s record in `campaign`, found by their public name (their record's, or
/// the one a work of theirs gives them in its own language or in a translation) or made for
/// them. An age (at the time of a work) fills a band the record does not state yet.
pub async fn ensure(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    artist: &Artist,
) -> anyhow::Result<i64> {
    let band = AgeBand::of_age(artist.age).as_str();
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM (SELECT id, 0 AS rank FROM artists WHERE campaign_id = $1 AND name = $2 \
         UNION ALL SELECT artist_id, 1 FROM artworks \
         WHERE campaign_id = $1 AND artist_name = $2 AND artist_id IS NOT NULL \
         UNION ALL SELECT a.artist_id, 2 FROM artworks a \
         JOIN artwork_translations t ON t.artwork_id = a.id \
         WHERE a.campaign_id = $1 AND t.artist_name = $2 AND a.artist_id IS NOT NULL) found \
         ORDER BY rank LIMIT 1",
    )
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

/// The name `artist_record.id`'s works give them in locale `tag` (a fixed tag): a work written
/// in it, else a translation into it, else nothing.
fn shown_name(tag: &str) -> String {
    format!(
        "COALESCE((SELECT w.artist_name FROM artworks w WHERE w.artist_id = r.id \
         AND w.content_locale = '{tag}' ORDER BY w.id LIMIT 1), \
         (SELECT t.artist_name FROM artworks w JOIN artwork_translations t \
         ON t.artwork_id = w.id AND t.locale = '{tag}' \
         WHERE w.artist_id = r.id AND t.artist_name <> '' ORDER BY w.id LIMIT 1), '')"
    )
}

/// An artist's record's id and name, and the names their works give them in each language.
fn staff_columns() -> String {
    format!(
        "r.id, r.name, {} AS name_en, {} AS name_zh",
        shown_name(Locale::En.tag()),
        shown_name(Locale::ZhCn.tag())
    )
}

#[derive(FromRow)]
struct StaffRow {
    id: i64,
    slug: String,
    name: String,
    name_en: String,
    name_zh: String,
    age_band: String,
    protection: String,
    works: i64,
}

impl StaffRow {
    /// The names in English and in Chinese; the record's own name when no work gives one.
    fn names(&self) -> (String, String) {
        if self.name_en.is_empty() && self.name_zh.is_empty() {
            (self.name.clone(), String::new())
        } else {
            (self.name_en.clone(), self.name_zh.clone())
        }
    }
}

/// Every artist of `campaign` as staff edit them, in the order they were added.
pub async fn list_for_staff(db: &Db, campaign: CampaignId) -> anyhow::Result<Vec<StaffArtist>> {
    let rows: Vec<StaffRow> = sqlx::query_as(&format!(
        "SELECT {}, r.slug, r.age_band, r.protection, \
         (SELECT COUNT(*) FROM artworks w WHERE w.artist_id = r.id) AS works \
         FROM artists r WHERE r.campaign_id = $1 ORDER BY r.id",
        staff_columns()
    ))
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("listing a campaign's artists for staff")?;
    rows.into_iter()
        .map(|r| {
            let (name_en, name_zh) = r.names();
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
    /// Another artist of the campaign already goes by one of the names.
    NameTaken,
}

/// Sets the age band of the artist of `campaign` with `slug` and, for each language whose name
/// the edit changes from what staff were shown, renames them on every work of theirs: on the
/// works written in that language, and in the others' translations into it. Their record
/// keeps the name their first work gives them, which the artwork form finds them by.
pub async fn edit(
    db: &Db,
    campaign: CampaignId,
    slug: &Slug,
    edit: &ArtistEdit,
) -> anyhow::Result<Edited> {
    let mut w = db.begin_write().await?;
    let found: Option<StaffRow> = sqlx::query_as(&format!(
        "SELECT {}, r.slug, r.age_band, r.protection, 0 AS works FROM artists r \
         WHERE r.campaign_id = $1 AND r.slug = $2",
        staff_columns()
    ))
    .bind(campaign.get())
    .bind(slug.as_str())
    .fetch_optional(&mut *w.tx)
    .await
    .context("finding an artist")?;
    let Some(found) = found else {
        return Ok(Edited::NotFound);
    };
    let (id, shown) = (found.id, found.names());
    let names = [edit.name_in(Locale::En), edit.name_in(Locale::ZhCn)];
    let (taken,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM artists r WHERE r.campaign_id = $1 AND r.id <> $2 \
         AND (r.name IN ($3, $4) OR EXISTS (SELECT 1 FROM artworks w \
         LEFT JOIN artwork_translations t ON t.artwork_id = w.id \
         WHERE w.artist_id = r.id AND (w.artist_name IN ($3, $4) OR t.artist_name IN ($3, $4))))",
    )
    .bind(campaign.get())
    .bind(id)
    .bind(names[0])
    .bind(names[1])
    .fetch_one(&mut *w.tx)
    .await
    .context("checking an artist's new names")?;
    if taken > 0 {
        return Ok(Edited::NameTaken);
    }
    for (locale, was, wanted) in [
        (Locale::En, &shown.0, &edit.name_en),
        (Locale::ZhCn, &shown.1, &edit.name_zh),
    ] {
        if was != wanted {
            rename_in(&mut w.tx, id, locale, wanted, edit.name_in(locale)).await?;
        }
    }
    let saved = sqlx::query(
        "UPDATE artists SET age_band = $2, name = COALESCE((SELECT w.artist_name FROM artworks w \
         WHERE w.artist_id = $1 ORDER BY w.id LIMIT 1), $3) WHERE id = $1",
    )
    .bind(id)
    .bind(edit.age_band.as_str())
    .bind(names[0])
    .execute(&mut *w.tx)
    .await;
    match saved {
        // Another admin gave someone the same name at the same moment.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(Edited::NameTaken),
        saved => saved.context("saving an artist's record")?,
    };
    w.commit().await?;
    Ok(Edited::Saved)
}

/// Names artist `id` `written` on their works written in `locale`, and `wanted` (which may be
/// empty: the work's own name stands in) in the other works' translations into it.
async fn rename_in(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    locale: Locale,
    wanted: &str,
    written: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE artworks SET artist_name = $1 WHERE artist_id = $2 AND content_locale = $3",
    )
    .bind(written)
    .bind(id)
    .bind(locale.tag())
    .execute(&mut **tx)
    .await
    .context("renaming an artist on their works")?;
    sqlx::query(
        "INSERT INTO artwork_translations (artwork_id, locale, artist_name) \
         SELECT id, $3, $1 FROM artworks WHERE artist_id = $2 AND content_locale <> $3 \
         ON CONFLICT (artwork_id, locale) DO UPDATE SET artist_name = excluded.artist_name",
    )
    .bind(wanted)
    .bind(id)
    .bind(locale.tag())
    .execute(&mut **tx)
    .await
    .context("renaming an artist in their works' translations")?;
    Ok(())
}
