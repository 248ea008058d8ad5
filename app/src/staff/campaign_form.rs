//! The campaign form as the server reads it: a new campaign, or the settings and texts of one
//! that exists, checked whole before anything is written.

use super::form::{Fields, FormError, MAX_LINE, MAX_TEXT};
use super::{CampaignDraft, OrganiserLine};
use crate::campaigns::store::{
    self as campaigns, CampaignRuleError, CampaignTranslation, NewCampaign,
};
use crate::campaigns::{Beneficiary, Campaign, LegalEntity};
use crate::dates::Timestamp;
use crate::db::Db;
use crate::i18n::Locale;
use crate::ids::CampaignId;
use crate::money::{Currency, Money};
use crate::slug::Slug;
use anyhow::Context;
use time::macros::format_description;
use time::{PrimitiveDateTime, UtcOffset};

/// What checkout can offer.
pub const PAYMENT_METHODS: [&str; 3] = ["card", "alipay", "wechat_pay"];
/// The most one-tap amounts a campaign shows.
const MAX_PRESETS: usize = 6;

/// A checked form.
#[derive(Debug)]
struct Checked {
    campaign: Campaign,
    content_locale: Locale,
    payment_methods: Vec<&'static str>,
    messages_need_approval: bool,
    send_receipts: bool,
    translation: (Locale, CampaignTranslation),
}

/// Why a campaign was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Form(#[from] FormError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Creates a campaign from the form; returns its slug.
pub async fn create(db: &Db, fields: &Fields) -> Result<Slug, SaveError> {
    let slug: Slug = fields
        .required("slug", 64)?
        .parse()
        .map_err(|_| FormError::Invalid("slug"))?;
    let checked = check(fields, slug.clone())?;
    let mut tx = db.begin_write().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM campaigns WHERE slug = $1")
        .bind(slug.as_str())
        .fetch_optional(&mut *tx.tx)
        .await
        .context("checking a campaign slug")?;
    if taken.is_some() {
        return Err(FormError::SlugTaken.into());
    }
    let new = NewCampaign {
        campaign: checked.campaign.clone(),
        content_locale: checked.content_locale,
        featured: false,
    };
    let id = campaigns::insert(&mut tx.tx, &new).await?;
    finish(&mut tx.tx, id, &checked).await?;
    tx.commit().await?;
    Ok(slug)
}

/// Saves the form over campaign `slug`. Its currency cannot change once it has gifts.
pub async fn update(
    db: &Db,
    id: CampaignId,
    slug: &Slug,
    fields: &Fields,
) -> Result<(), SaveError> {
    let checked = check(fields, slug.clone())?;
    let mut tx = db.begin_write().await?;
    let (currency, gifts): (String, i64) = sqlx::query_as(
        "SELECT c.currency, (SELECT COUNT(*) FROM donations d WHERE d.campaign_id = c.id) \
         FROM campaigns c WHERE c.id = $1",
    )
    .bind(id.get())
    .fetch_one(&mut *tx.tx)
    .await
    .context("reading a campaign's currency")?;
    if gifts > 0 && currency != checked.campaign.goal.currency().code() {
        return Err(FormError::CurrencyLocked.into());
    }
    campaigns::update(&mut tx.tx, id, &checked.campaign, checked.content_locale).await?;
    finish(&mut tx.tx, id, &checked).await?;
    tx.commit().await?;
    Ok(())
}

async fn finish(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: CampaignId,
    checked: &Checked,
) -> anyhow::Result<()> {
    let options = campaigns::CampaignOptions {
        payment_methods: &checked.payment_methods,
        messages_need_approval: checked.messages_need_approval,
        send_receipts: checked.send_receipts,
    };
    campaigns::set_options(tx, id, &options).await?;
    let (locale, text) = &checked.translation;
    campaigns::set_translation(tx, id, *locale, text).await
}

fn check(fields: &Fields, slug: Slug) -> Result<Checked, FormError> {
    let content_locale = Locale::from_tag(&fields.text("content_locale", 8)?).unwrap_or_default();
    let currency: Currency = fields
        .required("currency", 3)?
        .parse()
        .map_err(|_| FormError::Invalid("currency"))?;
    let typed = |name: &'static str| fields.required(name, 24);
    let goal =
        Money::parse_amount(&typed("goal")?, currency).map_err(|_| FormError::Invalid("goal"))?;
    let min_gift = Money::parse_major(&typed("min_gift")?, currency)
        .map_err(|_| FormError::Invalid("min_gift"))?;
    let presets = fields
        .text("presets", MAX_LINE)?
        .split([',', '，', ' '])
        .filter(|p| !p.trim().is_empty())
        .map(|p| Money::parse_major(p, currency).map_err(|_| FormError::Invalid("presets")))
        .collect::<Result<Vec<_>, _>>()?;
    if presets.len() > MAX_PRESETS {
        return Err(FormError::Invalid("presets"));
    }
    let offset = utc_offset(&fields.required("utc_offset", 6)?)?;
    let starts_at = local_time(&fields.required("starts_at", 16)?, offset, "starts_at")?;
    let ends_at = local_time(&fields.required("ends_at", 16)?, offset, "ends_at")?;
    let url = fields.text("beneficiary_url", 300)?;
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        return Err(FormError::Invalid("beneficiary_url"));
    }
    let legal = legal_entity(fields)?;
    let payment_methods: Vec<&'static str> = PAYMENT_METHODS
        .into_iter()
        .filter(|m| fields.all("payment_methods").contains(m))
        .collect();
    if payment_methods.is_empty() {
        return Err(FormError::Missing("payment_methods"));
    }
    let campaign = Campaign {
        slug,
        title: fields.required("title", MAX_LINE)?,
        tagline: fields.text("tagline", MAX_LINE * 2)?,
        story: fields.required("story", MAX_TEXT)?,
        beneficiary: Beneficiary {
            name: fields.required("beneficiary_name", MAX_LINE)?,
            about: fields.text("beneficiary_about", MAX_TEXT)?,
            url: (!url.is_empty()).then_some(url),
            legal,
        },
        goal,
        min_gift,
        presets,
        starts_at,
        ends_at,
        utc_offset_minutes: offset.whole_minutes(),
        close_at_goal: fields.ticked("close_at_goal"),
        goal_counts_match: fields.ticked("goal_counts_match"),
        // The organiser has a form of its own.
        organiser: None,
    };
    campaigns::check_rules(&campaign).map_err(|rule| match rule {
        CampaignRuleError::MinimumBelowProvider { minimum, .. } => {
            FormError::BelowProviderMinimum(minimum)
        }
        CampaignRuleError::PresetBelowMinimum(_) => FormError::PresetBelowMinimum,
        CampaignRuleError::EndsBeforeStart => FormError::EndsBeforeStart,
        CampaignRuleError::MixedCurrencies(_) => FormError::Invalid("currency"),
    })?;
    let other = Locale::ALL
        .into_iter()
        .find(|l| *l != content_locale)
        .unwrap_or_default();
    Ok(Checked {
        campaign,
        content_locale,
        payment_methods,
        messages_need_approval: fields.ticked("messages_need_approval"),
        send_receipts: fields.ticked("send_receipts"),
        translation: (
            other,
            CampaignTranslation {
                title: fields.text("title_translated", MAX_LINE)?,
                tagline: fields.text("tagline_translated", MAX_LINE * 2)?,
                story: fields.text("story_translated", MAX_TEXT)?,
                beneficiary_name: fields.text("beneficiary_name_translated", MAX_LINE)?,
                beneficiary_about: fields.text("beneficiary_about_translated", MAX_TEXT)?,
            },
        ),
    })
}

/// The legal entity that receives the money: its registered name and registration together, or
/// neither (not stated yet).
fn legal_entity(fields: &Fields) -> Result<Option<LegalEntity>, FormError> {
    let name = fields.text("recipient_legal_name", MAX_LINE)?;
    let registration = fields.text("recipient_registration", MAX_LINE)?;
    match (name.is_empty(), registration.is_empty()) {
        (true, true) => Ok(None),
        (false, false) => Ok(Some(LegalEntity { name, registration })),
        (true, false) => Err(FormError::Missing("recipient_legal_name")),
        (false, true) => Err(FormError::Missing("recipient_registration")),
    }
}

/// "+08:00", "-05:30" or "0": an offset from UTC.
fn utc_offset(text: &str) -> Result<UtcOffset, FormError> {
    let bad = FormError::Invalid("utc_offset");
    if text == "0" || text == "Z" {
        return Ok(UtcOffset::UTC);
    }
    let (sign, rest) = match text.split_at_checked(1) {
        Some(("+", rest)) => (1, rest),
        Some(("-", rest)) => (-1, rest),
        _ => return Err(bad),
    };
    let (hours, minutes) = rest
        .split_once(':')
        .ok_or(FormError::Invalid("utc_offset"))?;
    let hours: i8 = hours
        .parse()
        .map_err(|_| FormError::Invalid("utc_offset"))?;
    let minutes: i8 = minutes
        .parse()
        .map_err(|_| FormError::Invalid("utc_offset"))?;
    if !(0..=14).contains(&hours) || !(0..60).contains(&minutes) {
        return Err(bad);
    }
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).map_err(|_| bad)
}

/// A `datetime-local` value ("2026-08-29T10:00") read in the campaign's own clock.
pub(super) fn local_time(
    text: &str,
    offset: UtcOffset,
    field: &'static str,
) -> Result<Timestamp, FormError> {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let local = PrimitiveDateTime::parse(text, &format).map_err(|_| FormError::Invalid(field))?;
    let at = local.assume_offset(offset);
    let ms = at.unix_timestamp_nanos() / 1_000_000;
    Ok(Timestamp::from_unix_ms(
        i64::try_from(ms).map_err(|_| FormError::Invalid(field))?,
    ))
}

/// The form for campaign `slug` as it stands, or a fresh one for a new campaign.
pub async fn draft(db: &Db, slug: Option<&Slug>) -> anyhow::Result<Option<CampaignDraft>> {
    let Some(slug) = slug else {
        return Ok(Some(CampaignDraft::fresh()));
    };
    let row: Option<DraftRow> = sqlx::query_as(
        "SELECT id, slug, content_locale, title, tagline, story, beneficiary_name, \
         beneficiary_about, beneficiary_url, recipient_legal_name, recipient_registration, \
         currency, goal_minor, min_gift_minor, starts_at, \
         ends_at, utc_offset_minutes, close_at_goal, goal_counts_match, messages_need_approval, \
         send_receipts, payment_methods, organiser_en, organiser_zh, organiser_url, \
         organiser_statement_en, organiser_statement_zh, organiser_logo, brand_colour, \
         (SELECT COUNT(*) FROM donations d WHERE d.campaign_id = campaigns.id) AS gifts \
         FROM campaigns WHERE slug = $1",
    )
    .bind(slug.as_str())
    .fetch_optional(db.pool())
    .await
    .context("reading a campaign to edit")?;
    let Some(row) = row else { return Ok(None) };
    let currency: Currency = row.currency.parse()?;
    let written = Locale::from_tag(&row.content_locale).unwrap_or_default();
    let other = Locale::ALL
        .into_iter()
        .find(|l| *l != written)
        .unwrap_or_default();
    let translation: Option<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT title, tagline, story, beneficiary_name, beneficiary_about \
         FROM campaign_translations WHERE campaign_id = $1 AND locale = $2",
    )
    .bind(row.id)
    .bind(other.tag())
    .fetch_optional(db.pool())
    .await
    .context("reading a campaign's translation")?;
    let (tt, tg, ts, tn, ta) = translation.unwrap_or_default();
    let presets: Vec<i64> = sqlx::query_scalar(
        "SELECT amount_minor FROM campaign_amount_presets WHERE campaign_id = $1 ORDER BY position",
    )
    .bind(row.id)
    .fetch_all(db.pool())
    .await
    .context("reading a campaign's presets")?;
    let major = |minor| Money::from_minor(minor, currency).map(Money::to_major_string);
    let offset = i16::try_from(row.utc_offset_minutes)?;
    Ok(Some(CampaignDraft {
        member: None,
        slug: row.slug,
        content_locale: written.tag().to_owned(),
        title: row.title,
        tagline: row.tagline,
        story: row.story,
        beneficiary_name: row.beneficiary_name,
        beneficiary_about: row.beneficiary_about,
        beneficiary_url: row.beneficiary_url.unwrap_or_default(),
        recipient_legal_name: row.recipient_legal_name,
        recipient_registration: row.recipient_registration,
        currency: currency.code().to_owned(),
        goal: major(row.goal_minor)?,
        min_gift: major(row.min_gift_minor)?,
        presets: presets
            .into_iter()
            .map(major)
            .collect::<Result<Vec<_>, _>>()?
            .join(", "),
        starts_at: Timestamp::from_unix_ms(row.starts_at).datetime_local(offset),
        ends_at: Timestamp::from_unix_ms(row.ends_at).datetime_local(offset),
        utc_offset: offset_text(offset),
        close_at_goal: row.close_at_goal == 1,
        goal_counts_match: row.goal_counts_match == 1,
        messages_need_approval: row.messages_need_approval == 1,
        send_receipts: row.send_receipts == 1,
        payment_methods: row.payment_methods.split(',').map(str::to_owned).collect(),
        title_translated: tt,
        tagline_translated: tg,
        story_translated: ts,
        beneficiary_name_translated: tn,
        beneficiary_about_translated: ta,
        has_gifts: row.gifts > 0,
        editing: true,
        matches: super::match_form::lines(db, CampaignId::new(row.id), currency).await?,
        organiser: OrganiserLine {
            name_en: row.organiser_en,
            name_zh: row.organiser_zh,
            url: row.organiser_url.unwrap_or_default(),
            statement_en: row.organiser_statement_en,
            statement_zh: row.organiser_statement_zh,
            brand_colour: row.brand_colour.unwrap_or_default(),
            logo_url: row.organiser_logo.map(|key| format!("/media/{key}")),
        },
    }))
}

/// "+08:00" for 480 minutes.
fn offset_text(minutes: i16) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    id: i64,
    slug: String,
    content_locale: String,
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
    messages_need_approval: i64,
    send_receipts: i64,
    payment_methods: String,
    organiser_en: String,
    organiser_zh: String,
    organiser_url: Option<String>,
    organiser_statement_en: String,
    organiser_statement_zh: String,
    organiser_logo: Option<String>,
    brand_colour: Option<String>,
    gifts: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(changes: &[(&str, &str)]) -> Fields {
        let mut pairs: Vec<(String, String)> = [
            ("content_locale", "en"),
            ("title", "Spring Gallery"),
            ("story", "Paintings from the spring workshop."),
            ("beneficiary_name", "Sunflower Centre"),
            ("currency", "CNY"),
            ("goal", "100,000"),
            ("min_gift", "5"),
            ("presets", "5, 10, 50"),
            ("starts_at", "2026-12-01T09:00"),
            ("ends_at", "2026-12-01T21:00"),
            ("utc_offset", "+08:00"),
            ("payment_methods", "card"),
            ("payment_methods", "alipay"),
            ("close_at_goal", "on"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        for (k, v) in changes {
            pairs.retain(|(name, _)| name != k);
            pairs.push(((*k).to_owned(), (*v).to_owned()));
        }
        Fields::from_pairs(pairs)
    }

    fn slug() -> Slug {
        "spring".parse().expect("a slug")
    }

    #[test]
    fn a_complete_form_becomes_a_campaign_in_its_own_clock() {
        let checked = check(&form(&[]), slug()).expect("valid");
        assert_eq!(checked.campaign.goal.minor(), 10_000_000);
        assert_eq!(checked.campaign.presets.len(), 3);
        assert_eq!(checked.payment_methods, ["card", "alipay"]);
        // 09:00 in UTC+8 is 01:00 UTC.
        assert_eq!(checked.campaign.starts_at.rfc3339(), "2026-12-01T01:00:00Z");
        assert_eq!(checked.campaign.utc_offset_minutes, 480);
        assert!(checked.campaign.close_at_goal);
        assert!(!checked.messages_need_approval);
    }

    #[test]
    fn the_provider_minimum_and_the_campaign_rules_hold() {
        let err = |changes: &[(&str, &str)]| check(&form(changes), slug()).err();
        assert!(matches!(
            err(&[("min_gift", "1")]),
            Some(FormError::BelowProviderMinimum(_))
        ));
        assert_eq!(
            err(&[("presets", "2, 10")]),
            Some(FormError::PresetBelowMinimum)
        );
        assert_eq!(
            err(&[("ends_at", "2026-12-01T08:00")]),
            Some(FormError::EndsBeforeStart)
        );
        assert_eq!(
            err(&[("currency", "XYZ")]),
            Some(FormError::Invalid("currency"))
        );
        assert_eq!(err(&[("goal", "lots")]), Some(FormError::Invalid("goal")));
        // A goal is not one charge: fifteen million yuan is a goal, not a gift.
        assert!(check(&form(&[("goal", "15,000,000")]), slug()).is_ok());
        assert_eq!(
            err(&[("utc_offset", "+25:00")]),
            Some(FormError::Invalid("utc_offset"))
        );
        assert_eq!(
            err(&[("starts_at", "tomorrow")]),
            Some(FormError::Invalid("starts_at"))
        );
        assert_eq!(
            err(&[("beneficiary_url", "javascript:alert(1)")]),
            Some(FormError::Invalid("beneficiary_url"))
        );
        assert_eq!(err(&[("title", "")]), Some(FormError::Missing("title")));
        assert_eq!(
            err(&[("presets", "5 6 7 8 9 10 11")]),
            Some(FormError::Invalid("presets"))
        );
        let no_methods = check(&form(&[("payment_methods", "paypal")]), slug()).err();
        assert_eq!(no_methods, Some(FormError::Missing("payment_methods")));
        // JPY has no minor unit: its minimum is ¥50.
        assert!(check(
            &form(&[("currency", "JPY"), ("min_gift", "50"), ("presets", "50")]),
            slug()
        )
        .is_ok());
    }

    #[test]
    fn the_legal_entity_is_stated_whole_or_not_at_all() {
        let legal = |changes: &[(&str, &str)]| {
            check(&form(changes), slug()).map(|c| c.campaign.beneficiary.legal)
        };
        assert_eq!(legal(&[]).ok(), Some(None));
        let stated = legal(&[
            (
                "recipient_legal_name",
                " Sunflower Centre for Children's Art ",
            ),
            ("recipient_registration", "Charity no. 1234567"),
        ]);
        assert_eq!(
            stated.ok().flatten(),
            Some(LegalEntity {
                name: "Sunflower Centre for Children's Art".to_owned(),
                registration: "Charity no. 1234567".to_owned(),
            })
        );
        assert_eq!(
            legal(&[("recipient_legal_name", "Sunflower Centre")]).err(),
            Some(FormError::Missing("recipient_registration"))
        );
        assert_eq!(
            legal(&[("recipient_registration", "Charity no. 1234567")]).err(),
            Some(FormError::Missing("recipient_legal_name"))
        );
    }

    #[test]
    fn offsets_are_written_back_as_they_are_read() {
        for text in ["+08:00", "-05:30", "+00:00"] {
            let offset = utc_offset(text).expect("valid");
            assert_eq!(offset_text(offset.whole_minutes()), text);
        }
    }
}
