//! Campaign updates as stored: publishing one (with its emails, in one transaction) and reading
//! them back in a reader's language.

use super::{Update, UpdateImage};
use crate::dates::Timestamp;
use crate::db::{Backend, Db};
use crate::i18n::Locale;
use crate::ids::CampaignId;
use crate::media::MediaKey;
use anyhow::Context;
use sqlx::FromRow;

/// An update as staff wrote it, in both languages (Chinese may be empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUpdate {
    pub title_en: String,
    pub body_en: String,
    pub title_zh: String,
    pub body_zh: String,
    /// The publishing form's own key.
    pub form_key: String,
    /// The staff account publishing it; `None` for the demo campaign's own.
    pub by: Option<i64>,
    /// What its picture shows, in words, in each language (empty: the title says it).
    pub image_alt_en: String,
    pub image_alt_zh: String,
    /// Its picture, stored: the full size and the thumbnail.
    pub image: Option<crate::artworks::upload::StoredImages>,
}

/// What publishing did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Published {
    pub id: i64,
    /// Emails queued: one per address that asked for news.
    pub emailed: i64,
    /// False when the form had published it before: nothing new was published or sent.
    pub new: bool,
}

/// Publishes an update and queues its email to every address that asked this campaign for
/// news with one of its paid gifts, once per address (as typed in its first gift, in the
/// language of its latest), all in one transaction. A form key published before returns that update.
pub async fn publish(
    db: &Db,
    campaign: CampaignId,
    update: &NewUpdate,
    now: i64,
) -> anyhow::Result<Published> {
    let mut w = db.begin_write().await?;
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO campaign_updates (campaign_id, title_en, body_en, title_zh, body_zh, \
         form_key, published_by, published_at, image_key, image_width, image_height, \
         thumb_key, thumb_width, thumb_height, image_alt_en, image_alt_zh) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         ON CONFLICT (campaign_id, form_key) DO NOTHING RETURNING id",
    )
    .bind(campaign.get())
    .bind(&update.title_en)
    .bind(&update.body_en)
    .bind(&update.title_zh)
    .bind(&update.body_zh)
    .bind(&update.form_key)
    .bind(update.by)
    .bind(now)
    .bind(update.image.as_ref().map(|i| i.image.0.as_str().to_owned()))
    .bind(update.image.as_ref().map(|i| i64::from(i.image.1)))
    .bind(update.image.as_ref().map(|i| i64::from(i.image.2)))
    .bind(update.image.as_ref().map(|i| i.thumb.0.as_str().to_owned()))
    .bind(update.image.as_ref().map(|i| i64::from(i.thumb.1)))
    .bind(update.image.as_ref().map(|i| i64::from(i.thumb.2)))
    .bind(&update.image_alt_en)
    .bind(&update.image_alt_zh)
    .fetch_optional(&mut *w.tx)
    .await
    .context("publishing an update")?;
    let Some((id,)) = inserted else {
        let (id, emailed): (i64, i64) = sqlx::query_as(
            "SELECT id, emailed FROM campaign_updates WHERE campaign_id = $1 AND form_key = $2",
        )
        .bind(campaign.get())
        .bind(&update.form_key)
        .fetch_one(&mut *w.tx)
        .await
        .context("finding an update published before")?;
        return Ok(Published {
            id,
            emailed,
            new: false,
        });
    };
    // An unsubscribe token per email, made by the database (the rows are never in memory).
    let token = match db.backend() {
        Backend::Sqlite => "lower(hex(randomblob(16)))",
        Backend::Postgres => "replace(CAST(gen_random_uuid() AS TEXT), '-', '')",
    };
    // Timestamps have 13 digits until the year 2286: the least `created_at || email` is the
    // first gift's, the greatest `created_at || locale` the latest's, and from the 14th
    // character on is that gift's address or language (the same on both engines, whatever
    // their collation, since the gifts' times differ).
    let queued = sqlx::query(&format!(
        "INSERT INTO outbox (campaign_id, kind, cause, about, recipient, locale, token, \
         next_attempt_at, created_at) \
         SELECT $1, 'update', 'update:' || $2 || ':' || LOWER(TRIM(d.email)), $2, \
         SUBSTR(MIN(CAST(d.created_at AS TEXT) || d.email), 14), \
         SUBSTR(MAX(CAST(d.created_at AS TEXT) || d.locale), 14), {token}, $3, $3 \
         FROM donations d WHERE d.campaign_id = $1 AND d.email IS NOT NULL \
         AND d.status = 'paid' \
         GROUP BY LOWER(TRIM(d.email)) HAVING MAX(d.wants_updates) = 1 \
         ON CONFLICT (cause) DO NOTHING"
    ))
    .bind(campaign.get())
    .bind(id.to_string())
    .bind(now)
    .execute(&mut *w.tx)
    .await
    .context("queueing an update's emails")?
    .rows_affected();
    let emailed = i64::try_from(queued)?;
    news_changed(&mut w.tx, campaign).await?;
    sqlx::query("UPDATE campaign_updates SET emailed = $1 WHERE id = $2")
        .bind(emailed)
        .bind(id)
        .execute(&mut *w.tx)
        .await
        .context("counting an update's emails")?;
    w.commit().await?;
    Ok(Published {
        id,
        emailed,
        new: true,
    })
}

#[derive(FromRow)]
struct Row {
    id: i64,
    campaign_id: i64,
    title_en: String,
    body_en: String,
    title_zh: String,
    body_zh: String,
    published_at: i64,
    pinned: i64,
    image_key: Option<String>,
    image_width: Option<i64>,
    image_height: Option<i64>,
    thumb_key: Option<String>,
    thumb_width: Option<i64>,
    thumb_height: Option<i64>,
    image_alt_en: String,
    image_alt_zh: String,
}

impl Row {
    /// In `locale`; Chinese readers get the English of an update written in English only.
    fn into_update(self, locale: Locale) -> Update {
        let image = self.image();
        let (title, body, alt, locale) = match locale {
            Locale::ZhCn if !self.title_zh.is_empty() => {
                (self.title_zh, self.body_zh, self.image_alt_zh, locale)
            }
            _ => (self.title_en, self.body_en, self.image_alt_en, Locale::En),
        };
        let image = image.map(|image| UpdateImage {
            alt: if alt.is_empty() { title.clone() } else { alt },
            ..image
        });
        Update {
            id: self.id,
            title,
            body,
            published_at: Timestamp::from_unix_ms(self.published_at),
            locale,
            pinned: self.pinned != 0,
            image,
        }
    }

    /// Its picture, without words yet.
    fn image(&self) -> Option<UpdateImage> {
        let side = |n: Option<i64>| n.and_then(|n| u32::try_from(n).ok());
        let media = |key: &Option<String>| key.as_deref().and_then(MediaKey::parse);
        Some(UpdateImage {
            url: media(&self.image_key)?.url(),
            width: side(self.image_width)?,
            height: side(self.image_height)?,
            thumb_url: media(&self.thumb_key)?.url(),
            thumb_width: side(self.thumb_width)?,
            thumb_height: side(self.thumb_height)?,
            alt: String::new(),
        })
    }
}

const COLUMNS: &str =
    "id, campaign_id, title_en, body_en, title_zh, body_zh, published_at, pinned, \
     image_key, image_width, image_height, thumb_key, thumb_width, thumb_height, image_alt_en, \
     image_alt_zh";

/// A campaign's latest `limit` updates in `locale`, newest first: its feed.
pub async fn latest(
    db: &Db,
    campaign: CampaignId,
    locale: Locale,
    limit: i64,
) -> anyhow::Result<Vec<Update>> {
    read(db, campaign, locale, limit, "id DESC").await
}

/// A campaign's `limit` updates in `locale` as its pages list them: pinned ones first, then
/// newest first.
pub async fn on_pages(
    db: &Db,
    campaign: CampaignId,
    locale: Locale,
    limit: i64,
) -> anyhow::Result<Vec<Update>> {
    read(db, campaign, locale, limit, "pinned DESC, id DESC").await
}

async fn read(
    db: &Db,
    campaign: CampaignId,
    locale: Locale,
    limit: i64,
    order: &'static str,
) -> anyhow::Result<Vec<Update>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM campaign_updates WHERE campaign_id = $1 ORDER BY {order} LIMIT $2"
    ))
    .bind(campaign.get())
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("reading updates")?;
    Ok(rows.into_iter().map(|r| r.into_update(locale)).collect())
}

/// Update `id` in `locale`, with its campaign.
pub async fn find(
    db: &Db,
    id: i64,
    locale: Locale,
) -> anyhow::Result<Option<(CampaignId, Update)>> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM campaign_updates WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await
    .context("reading an update")?;
    Ok(row.map(|r| (CampaignId::new(r.campaign_id), r.into_update(locale))))
}

/// An update as staff see it: in English, with the emails it queued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    pub update: Update,
    pub has_chinese: bool,
    pub emailed: i64,
}

/// A campaign's latest `limit` updates for staff, newest first.
pub async fn for_staff(db: &Db, campaign: CampaignId, limit: i64) -> anyhow::Result<Vec<Sent>> {
    let rows: Vec<(i64, String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, title_en, body_en, title_zh, published_at, emailed, pinned \
         FROM campaign_updates WHERE campaign_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(campaign.get())
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("reading updates for staff")?;
    Ok(rows
        .into_iter()
        .map(|(id, title, body, title_zh, at, emailed, pinned)| Sent {
            update: Update {
                id,
                title,
                body,
                published_at: Timestamp::from_unix_ms(at),
                locale: Locale::En,
                pinned: pinned != 0,
                image: None,
            },
            has_chinese: !title_zh.is_empty(),
            emailed,
        })
        .collect())
}

/// Pins update `id` of `campaign` before the newer ones on the campaign's pages, or unpins it.
/// Whether the campaign has that update. Only a change counts as news: pinning a pinned update
/// again sends open pages nothing.
pub async fn set_pinned(
    db: &Db,
    campaign: CampaignId,
    id: i64,
    pinned: bool,
) -> anyhow::Result<bool> {
    let mut w = db.begin_write().await?;
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT pinned FROM campaign_updates WHERE id = $1 AND campaign_id = $2",
    )
    .bind(id)
    .bind(campaign.get())
    .fetch_optional(&mut *w.tx)
    .await
    .context("finding an update to pin")?;
    let Some(was) = found else {
        return Ok(false);
    };
    if was != i64::from(pinned) {
        sqlx::query("UPDATE campaign_updates SET pinned = $1 WHERE id = $2")
            .bind(i64::from(pinned))
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .context("pinning an update")?;
        news_changed(&mut w.tx, campaign).await?;
        w.commit().await?;
    }
    Ok(true)
}

/// Counts a change to the campaign's news, which open pages follow with its live progress.
async fn news_changed(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    campaign: CampaignId,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE campaigns SET news_version = news_version + 1 WHERE id = $1")
        .bind(campaign.get())
        .execute(&mut **tx)
        .await
        .context("counting a change to the news")?;
    Ok(())
}
