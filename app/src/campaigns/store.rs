//! Reading and writing campaigns in the database.

use super::{
    Beneficiary, BrandColour, Campaign, CampaignStatus, LegalEntity, Logo, Organiser, Progress,
};
use crate::dates::Timestamp;
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::ids::CampaignId;
use crate::money::{Currency, Money};
use crate::slug::Slug;
use anyhow::Context;
use sqlx::{Any, FromRow, Transaction};

#[derive(FromRow)]
struct CampaignRow {
    id: i64,
    slug: String,
    title: String,
    tagline: String,
    story: String,
    beneficiary_name: String,
    beneficiary_about: String,
    beneficiary_url: Option<String>,
    recipient_legal_name: String,
    recipient_registration: String,
    currency: String,
    goal_minor: i64,
    min_gift_minor: i64,
    starts_at: i64,
    ends_at: i64,
    utc_offset_minutes: i64,
    close_at_goal: i64,
    goal_counts_match: i64,
    organiser: String,
    organiser_url: Option<String>,
    organiser_statement: String,
    organiser_logo: Option<String>,
    organiser_logo_width: Option<i64>,
    organiser_logo_height: Option<i64>,
    brand_colour: Option<String>,
}

/// A campaign in the reader's locale (`$1`): each text from its translation when there is one,
/// else as written.
const SELECT_CAMPAIGN: &str = "SELECT c.id, c.slug, \
     COALESCE(NULLIF(t.title, ''), c.title) AS title, \
     COALESCE(NULLIF(t.tagline, ''), c.tagline) AS tagline, \
     COALESCE(NULLIF(t.story, ''), c.story) AS story, \
     COALESCE(NULLIF(t.beneficiary_name, ''), c.beneficiary_name) AS beneficiary_name, \
     COALESCE(NULLIF(t.beneficiary_about, ''), c.beneficiary_about) AS beneficiary_about, \
     c.beneficiary_url, c.recipient_legal_name, c.recipient_registration, c.currency, c.goal_minor, c.min_gift_minor, c.starts_at, c.ends_at, \
     c.utc_offset_minutes, c.close_at_goal, c.goal_counts_match, \
     CASE WHEN $1 = 'zh-CN' THEN COALESCE(NULLIF(c.organiser_zh, ''), c.organiser_en) \
          ELSE COALESCE(NULLIF(c.organiser_en, ''), c.organiser_zh) END AS organiser, \
     CASE WHEN $1 = 'zh-CN' \
          THEN COALESCE(NULLIF(c.organiser_statement_zh, ''), c.organiser_statement_en) \
          ELSE COALESCE(NULLIF(c.organiser_statement_en, ''), c.organiser_statement_zh) \
          END AS organiser_statement, \
     c.organiser_url, c.organiser_logo, c.organiser_logo_width, c.organiser_logo_height, \
     c.brand_colour \
     FROM campaigns c \
     LEFT JOIN campaign_translations t ON t.campaign_id = c.id AND t.locale = $1";

impl CampaignRow {
    /// Turns a row into the domain type; a row that breaks the domain's rules is a bug to report,
    /// not a page to show.
    fn into_campaign(self, presets: Vec<i64>) -> anyhow::Result<(CampaignId, Campaign)> {
        let currency: Currency = self.currency.parse()?;
        let money = |minor| Money::from_minor(minor, currency);
        let presets = presets
            .into_iter()
            .map(money)
            .collect::<Result<Vec<_>, _>>()?;
        let campaign = Campaign {
            slug: self.slug.parse()?,
            title: self.title,
            tagline: self.tagline,
            story: self.story,
            beneficiary: Beneficiary {
                name: self.beneficiary_name,
                about: self.beneficiary_about,
                url: self.beneficiary_url,
                legal: (!self.recipient_legal_name.is_empty()).then(|| LegalEntity {
                    name: self.recipient_legal_name,
                    registration: self.recipient_registration,
                }),
            },
            goal: money(self.goal_minor)?,
            min_gift: money(self.min_gift_minor)?,
            presets,
            starts_at: Timestamp::from_unix_ms(self.starts_at),
            ends_at: Timestamp::from_unix_ms(self.ends_at),
            utc_offset_minutes: i16::try_from(self.utc_offset_minutes)?,
            close_at_goal: self.close_at_goal != 0,
            goal_counts_match: self.goal_counts_match != 0,
            organiser: (!self.organiser.is_empty()).then(|| Organiser {
                name: self.organiser,
                url: self.organiser_url,
                statement: self.organiser_statement,
                logo: match (
                    self.organiser_logo,
                    self.organiser_logo_width,
                    self.organiser_logo_height,
                ) {
                    (Some(key), Some(width), Some(height)) => Some(Logo {
                        url: format!("/media/{key}"),
                        width: u32::try_from(width).unwrap_or(0),
                        height: u32::try_from(height).unwrap_or(0),
                    }),
                    _ => None,
                },
                brand: self.brand_colour.as_deref().and_then(BrandColour::parse),
            }),
        };
        Ok((CampaignId::new(self.id), campaign))
    }
}

/// The campaign with this slug, in the reader's locale.
#[tracing::instrument(skip(db))]
pub async fn find(
    db: &Db,
    slug: &Slug,
    locale: Locale,
) -> anyhow::Result<Option<(CampaignId, Campaign)>> {
    let sql = format!("{SELECT_CAMPAIGN} WHERE c.slug = $2");
    let row: Option<CampaignRow> = sqlx::query_as(&sql)
        .bind(locale.tag())
        .bind(slug.as_str())
        .fetch_optional(db.pool())
        .await
        .with_context(|| format!("reading campaign {slug}"))?;
    with_presets(db, row).await
}

/// The campaign with this row id, in the reader's locale.
#[tracing::instrument(skip(db))]
pub async fn find_by_id(
    db: &Db,
    id: CampaignId,
    locale: Locale,
) -> anyhow::Result<Option<(CampaignId, Campaign)>> {
    let sql = format!("{SELECT_CAMPAIGN} WHERE c.id = $2");
    let row: Option<CampaignRow> = sqlx::query_as(&sql)
        .bind(locale.tag())
        .bind(id.get())
        .fetch_optional(db.pool())
        .await
        .with_context(|| format!("reading campaign {}", id.get()))?;
    with_presets(db, row).await
}

/// The payment methods a campaign offers at checkout (`card`, `alipay`, `wechat_pay`).
#[tracing::instrument(skip(db))]
pub async fn payment_methods(db: &Db, id: CampaignId) -> anyhow::Result<Vec<String>> {
    let list: String = sqlx::query_scalar("SELECT payment_methods FROM campaigns WHERE id = $1")
        .bind(id.get())
        .fetch_one(db.pool())
        .await
        .context("reading payment methods")?;
    Ok(list
        .split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect())
}

/// The campaign shown at `/`: the featured one, newest first if several are.
#[tracing::instrument(skip(db))]
pub async fn find_featured(
    db: &Db,
    locale: Locale,
) -> anyhow::Result<Option<(CampaignId, Campaign)>> {
    let sql = format!(
        "{SELECT_CAMPAIGN} WHERE c.featured = 1 ORDER BY c.starts_at DESC, c.id DESC LIMIT 1"
    );
    let row: Option<CampaignRow> = sqlx::query_as(&sql)
        .bind(locale.tag())
        .fetch_optional(db.pool())
        .await
        .context("reading the featured campaign")?;
    with_presets(db, row).await
}

async fn with_presets(
    db: &Db,
    row: Option<CampaignRow>,
) -> anyhow::Result<Option<(CampaignId, Campaign)>> {
    let Some(row) = row else { return Ok(None) };
    let presets: Vec<i64> = sqlx::query_scalar(
        "SELECT amount_minor FROM campaign_amount_presets WHERE campaign_id = $1 ORDER BY position",
    )
    .bind(row.id)
    .fetch_all(db.pool())
    .await
    .context("reading amount presets")?;
    row.into_campaign(presets).map(Some)
}

/// The campaign's running totals and its status now.
#[tracing::instrument(skip(db, campaign))]
pub async fn progress(db: &Db, id: CampaignId, campaign: &Campaign) -> anyhow::Result<Progress> {
    let now = now_ms();
    // The match budget left is read with the totals: one query for every progress read.
    let row: Option<(i64, i64, i64, i64, Option<i64>, i64)> = sqlx::query_as(&format!(
        "SELECT t.raised_minor, t.matched_minor, t.donors, t.updated_at, ({}), \
         (SELECT c.news_version FROM campaigns c WHERE c.id = t.campaign_id) \
         FROM campaign_totals t WHERE t.campaign_id = $1",
        crate::matching::store::REMAINING
    ))
    .bind(id.get())
    .bind(now)
    .fetch_optional(db.pool())
    .await
    .context("reading campaign totals")?;
    let (raised, matched, donors, updated_at, left, news) = row.unwrap_or((0, 0, 0, 0, None, 0));
    let currency = campaign.goal.currency();
    let match_remaining = left
        .map(|left| Money::from_minor(left, currency))
        .transpose()?;
    let toward = super::toward_goal(raised, matched, campaign.goal_counts_match);
    Ok(Progress {
        raised: Money::from_minor(raised, currency)?,
        matched: Money::from_minor(matched, currency)?,
        match_remaining,
        goal_counts_match: campaign.goal_counts_match,
        goal: campaign.goal,
        donors: u64::try_from(donors)?,
        status: CampaignStatus::at(
            campaign,
            Money::from_minor(toward, currency)?,
            Timestamp::from_unix_ms(now),
        ),
        updated_at: Timestamp::from_unix_ms(updated_at),
        news: u64::try_from(news)?,
    })
}

/// A campaign to create.
#[derive(Clone, Debug)]
pub struct NewCampaign {
    pub campaign: Campaign,
    /// The language its texts are written in.
    pub content_locale: Locale,
    pub featured: bool,
}

/// A campaign's texts in another language; empty fields fall back to the original.
#[derive(Clone, Debug, Default)]
pub struct CampaignTranslation {
    pub title: String,
    pub tagline: String,
    pub story: String,
    pub beneficiary_name: String,
    pub beneficiary_about: String,
}

/// Why a campaign cannot be saved as given.
#[derive(Debug, thiserror::Error)]
pub enum CampaignRuleError {
    #[error("the minimum gift {given} is below {minimum}, the least the payment provider can charge in {currency}")]
    MinimumBelowProvider {
        given: Money,
        minimum: Money,
        currency: Currency,
    },
    #[error("every amount must be in the campaign's currency, {0}")]
    MixedCurrencies(Currency),
    #[error("a preset amount {0} is below the minimum gift")]
    PresetBelowMinimum(Money),
    #[error("the campaign must end after it starts")]
    EndsBeforeStart,
}

/// Checks the rules a campaign must keep whatever writes it: staff forms, the demo, imports.
pub fn check_rules(c: &Campaign) -> Result<(), CampaignRuleError> {
    let currency = c.goal.currency();
    let same_currency = std::iter::once(c.min_gift)
        .chain(c.presets.iter().copied())
        .all(|m| m.currency() == currency);
    if !same_currency {
        return Err(CampaignRuleError::MixedCurrencies(currency));
    }
    let provider_min = currency.provider_minimum_minor();
    if c.min_gift.minor() < provider_min {
        return Err(CampaignRuleError::MinimumBelowProvider {
            given: c.min_gift,
            minimum: Money::from_minor(provider_min, currency).unwrap_or(c.min_gift),
            currency,
        });
    }
    if let Some(p) = c.presets.iter().find(|p| p.minor() < c.min_gift.minor()) {
        return Err(CampaignRuleError::PresetBelowMinimum(*p));
    }
    if c.ends_at <= c.starts_at {
        return Err(CampaignRuleError::EndsBeforeStart);
    }
    Ok(())
}

/// Inserts a campaign with its presets and zeroed totals.
#[tracing::instrument(skip(tx, new), fields(slug = %new.campaign.slug))]
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    new: &NewCampaign,
) -> anyhow::Result<CampaignId> {
    check_rules(&new.campaign)?;
    let c = &new.campaign;
    let now = now_ms();
    let insert = sqlx::query_scalar(
        "INSERT INTO campaigns (title, tagline, story, beneficiary_name, beneficiary_about, \
         beneficiary_url, currency, goal_minor, min_gift_minor, starts_at, ends_at, \
         utc_offset_minutes, close_at_goal, goal_counts_match, recipient_legal_name, \
         recipient_registration, slug, featured, created_at, content_locale) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20) RETURNING id",
    );
    let id: i64 = bind_settings(insert, c)
        .bind(c.slug.as_str())
        .bind(i64::from(new.featured))
        .bind(now)
        .bind(new.content_locale.tag())
        .fetch_one(&mut **tx)
        .await
        .with_context(|| format!("inserting campaign {}", c.slug))?;
    insert_presets(tx, CampaignId::new(id), &c.presets).await?;
    sqlx::query(
        "INSERT INTO campaign_totals (campaign_id, raised_minor, donors, updated_at) \
         VALUES ($1, 0, 0, $2)",
    )
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .context("creating campaign totals")?;
    Ok(CampaignId::new(id))
}

/// Adds a translation of a campaign's texts unless that locale already has one.
pub async fn add_translation(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    locale: Locale,
    text: &CampaignTranslation,
) -> anyhow::Result<()> {
    write_translation(tx, campaign, locale, text, "DO NOTHING").await
}

/// Sets the translation of a campaign's texts into `locale`, replacing the one before.
pub async fn set_translation(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    locale: Locale,
    text: &CampaignTranslation,
) -> anyhow::Result<()> {
    write_translation(
        tx,
        campaign,
        locale,
        text,
        "DO UPDATE SET title = excluded.title, tagline = excluded.tagline, \
         story = excluded.story, beneficiary_name = excluded.beneficiary_name, \
         beneficiary_about = excluded.beneficiary_about",
    )
    .await
}

#[tracing::instrument(skip(tx, text))]
async fn write_translation(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    locale: Locale,
    text: &CampaignTranslation,
    on_conflict: &'static str,
) -> anyhow::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO campaign_translations (campaign_id, locale, title, tagline, story, \
         beneficiary_name, beneficiary_about) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (campaign_id, locale) {on_conflict}"
    ))
    .bind(campaign.get())
    .bind(locale.tag())
    .bind(&text.title)
    .bind(&text.tagline)
    .bind(&text.story)
    .bind(&text.beneficiary_name)
    .bind(&text.beneficiary_about)
    .execute(&mut **tx)
    .await
    .context("writing a campaign translation")?;
    Ok(())
}

/// Replaces a campaign's editable settings and texts (as written, in `content_locale`) and its
/// presets. The slug stays: links and certificates already point at it.
#[tracing::instrument(skip(tx, c))]
pub async fn update(
    tx: &mut Transaction<'_, Any>,
    id: CampaignId,
    c: &Campaign,
    content_locale: Locale,
) -> anyhow::Result<()> {
    check_rules(c)?;
    let update = sqlx::query_scalar(
        "UPDATE campaigns SET title = $1, tagline = $2, story = $3, beneficiary_name = $4, \
         beneficiary_about = $5, beneficiary_url = $6, currency = $7, goal_minor = $8, \
         min_gift_minor = $9, starts_at = $10, ends_at = $11, utc_offset_minutes = $12, \
         close_at_goal = $13, goal_counts_match = $14, recipient_legal_name = $15, \
         recipient_registration = $16, content_locale = $17 WHERE id = $18 RETURNING id",
    );
    let _: i64 = bind_settings(update, c)
        .bind(content_locale.tag())
        .bind(id.get())
        .fetch_one(&mut **tx)
        .await
        .context("updating a campaign")?;
    sqlx::query("DELETE FROM campaign_amount_presets WHERE campaign_id = $1")
        .bind(id.get())
        .execute(&mut **tx)
        .await
        .context("clearing amount presets")?;
    insert_presets(tx, id, &c.presets).await
}

async fn insert_presets(
    tx: &mut Transaction<'_, Any>,
    id: CampaignId,
    presets: &[Money],
) -> anyhow::Result<()> {
    for (position, amount) in (0_i64..).zip(presets) {
        sqlx::query(
            "INSERT INTO campaign_amount_presets (campaign_id, position, amount_minor) \
             VALUES ($1, $2, $3)",
        )
        .bind(id.get())
        .bind(position)
        .bind(amount.minor())
        .execute(&mut **tx)
        .await
        .context("inserting an amount preset")?;
    }
    Ok(())
}

/// Binds a campaign's settings and texts as `$1` to `$16`, in the order `insert` and `update`
/// name them.
fn bind_settings<'q, O>(
    query: sqlx::query::QueryScalar<'q, Any, O, sqlx::any::AnyArguments<'q>>,
    c: &'q Campaign,
) -> sqlx::query::QueryScalar<'q, Any, O, sqlx::any::AnyArguments<'q>> {
    query
        .bind(&c.title)
        .bind(&c.tagline)
        .bind(&c.story)
        .bind(&c.beneficiary.name)
        .bind(&c.beneficiary.about)
        .bind(c.beneficiary.url.as_deref())
        .bind(c.goal.currency().code())
        .bind(c.goal.minor())
        .bind(c.min_gift.minor())
        .bind(c.starts_at.unix_ms())
        .bind(c.ends_at.unix_ms())
        .bind(i64::from(c.utc_offset_minutes))
        .bind(i64::from(c.close_at_goal))
        .bind(i64::from(c.goal_counts_match))
        .bind(c.beneficiary.legal.as_ref().map_or("", |l| l.name.as_str()))
        .bind(
            c.beneficiary
                .legal
                .as_ref()
                .map_or("", |l| l.registration.as_str()),
        )
}

/// What a campaign does beside its public description.
pub struct CampaignOptions<'a> {
    /// What checkout offers.
    pub payment_methods: &'a [&'a str],
    /// Gift messages wait for approval before they are public.
    pub messages_need_approval: bool,
    /// Donors who give an email address get a receipt.
    pub send_receipts: bool,
}

/// Sets the campaign's options.
pub async fn set_options(
    tx: &mut Transaction<'_, Any>,
    id: CampaignId,
    options: &CampaignOptions<'_>,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE campaigns SET payment_methods = $1, messages_need_approval = $2, \
         send_receipts = $3 WHERE id = $4",
    )
    .bind(options.payment_methods.join(","))
    .bind(i64::from(options.messages_need_approval))
    .bind(i64::from(options.send_receipts))
    .bind(id.get())
    .execute(&mut **tx)
    .await
    .context("setting campaign options")?;
    Ok(())
}

/// The organiser as staff set it, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrganiser {
    pub name_en: String,
    pub name_zh: String,
    pub url: Option<String>,
    pub statement_en: String,
    pub statement_zh: String,
    pub brand: Option<BrandColour>,
}

/// What becomes of an organiser's logo.
pub enum LogoChange {
    Keep,
    Remove,
    /// A stored PNG and its size.
    Set(crate::media::MediaKey, u32, u32),
}

/// Sets the company presenting the campaign (no names: none does).
pub async fn set_organiser(
    db: &Db,
    id: CampaignId,
    organiser: &NewOrganiser,
    logo: LogoChange,
) -> anyhow::Result<()> {
    let (keep, key, width, height) = match &logo {
        LogoChange::Keep => (1, None, None, None),
        LogoChange::Remove => (0, None, None, None),
        LogoChange::Set(key, w, h) => (
            0,
            Some(key.as_str()),
            Some(i64::from(*w)),
            Some(i64::from(*h)),
        ),
    };
    let _turn = db.write_turn().await;
    sqlx::query(
        "UPDATE campaigns SET organiser_en = $1, organiser_zh = $2, organiser_url = $3, \
         organiser_statement_en = $4, organiser_statement_zh = $5, brand_colour = $6, \
         organiser_logo = CASE WHEN $7 = 1 THEN organiser_logo ELSE $8 END, \
         organiser_logo_width = CASE WHEN $7 = 1 THEN organiser_logo_width ELSE $9 END, \
         organiser_logo_height = CASE WHEN $7 = 1 THEN organiser_logo_height ELSE $10 END \
         WHERE id = $11",
    )
    .bind(&organiser.name_en)
    .bind(&organiser.name_zh)
    .bind(organiser.url.as_deref())
    .bind(&organiser.statement_en)
    .bind(&organiser.statement_zh)
    .bind(organiser.brand.map(String::from))
    .bind(keep)
    .bind(key)
    .bind(width)
    .bind(height)
    .bind(id.get())
    .execute(db.pool())
    .await
    .context("setting the organiser")?;
    Ok(())
}

/// The id of the campaign with this slug.
pub async fn id_of(db: &Db, slug: &Slug) -> anyhow::Result<Option<CampaignId>> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM campaigns WHERE slug = $1")
        .bind(slug.as_str())
        .fetch_optional(db.pool())
        .await
        .context("looking up a campaign slug")?;
    Ok(found.map(CampaignId::new))
}

/// The campaign's offset from UTC in minutes, for the times its pages show.
pub async fn utc_offset_of(db: &Db, id: CampaignId) -> anyhow::Result<i16> {
    let minutes: i64 = sqlx::query_scalar("SELECT utc_offset_minutes FROM campaigns WHERE id = $1")
        .bind(id.get())
        .fetch_one(db.pool())
        .await
        .context("reading a campaign's offset")?;
    Ok(i16::try_from(minutes)?)
}
