//! The match form as the server reads it: a sponsor, a ratio, an optional window and caps,
//! checked before the match is added; and the campaign's matches as the form page lists them.

use super::campaign_form::local_time;
use super::form::{Fields, FormError, MAX_LINE};
use super::MatchLine;
use crate::campaigns::Campaign;
use crate::db::{now_ms, Db};
use crate::ids::CampaignId;
use crate::matching::store::{self as matches, NewMatch};
use crate::matching::{MatchRule, MAX_RATIO_BP, ONE_TO_ONE_BP};
use crate::money::{Currency, Money};
use time::UtcOffset;

/// Checks the match form and adds the match after the campaign's others.
pub async fn add(
    db: &Db,
    id: CampaignId,
    campaign: &Campaign,
    fields: &Fields,
) -> Result<i64, MatchError> {
    let new = check(fields, campaign)?;
    let mut w = db.begin_write().await?;
    let added = matches::add(&mut w.tx, id, &new)
        .await?
        .ok_or(FormError::Invalid("matches"))?;
    w.commit().await?;
    Ok(added)
}

/// Why a match was not added.
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error(transparent)]
    Form(#[from] FormError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The form's fields: `sponsor_en`, `sponsor_zh`, `ratio` ("1:1", "2:1", "50%"), `starts_at`
/// and `ends_at` (optional, in the campaign's clock), `cap_per_gift` and `cap_per_donor_day`
/// (optional) and `total_cap`, in the currency's major units.
fn check(fields: &Fields, campaign: &Campaign) -> Result<NewMatch, FormError> {
    let currency = campaign.goal.currency();
    let offset = UtcOffset::from_whole_seconds(i32::from(campaign.utc_offset_minutes) * 60)
        .map_err(|_| FormError::Invalid("utc_offset"))?;
    let when = |name: &'static str| -> Result<Option<i64>, FormError> {
        let text = fields.text(name, 32)?;
        if text.is_empty() {
            return Ok(None);
        }
        Ok(Some(local_time(&text, offset, name)?.unix_ms()))
    };
    let (starts_at, ends_at) = (when("starts_at")?, when("ends_at")?);
    if let (Some(s), Some(e)) = (starts_at, ends_at) {
        if s >= e {
            return Err(FormError::EndsBeforeStart);
        }
    }
    let cap = |name: &'static str| -> Result<Option<i64>, FormError> {
        let text = fields.text(name, 24)?;
        if text.is_empty() {
            return Ok(None);
        }
        let amount = Money::parse_amount(&text, currency).map_err(|_| FormError::Invalid(name))?;
        if amount.minor() <= 0 {
            return Err(FormError::Invalid(name));
        }
        Ok(Some(amount.minor()))
    };
    let sponsor_en = fields.required("sponsor_en", MAX_LINE)?;
    Ok(NewMatch {
        sponsor_zh: fields.text("sponsor_zh", MAX_LINE)?,
        sponsor_en,
        rule: MatchRule {
            ratio_bp: ratio(&fields.required("ratio", 16)?)?,
            starts_at,
            ends_at,
            cap_per_gift: cap("cap_per_gift")?,
            cap_per_donor_day: cap("cap_per_donor_day")?,
            total_cap: cap("total_cap")?.ok_or(FormError::Missing("total_cap"))?,
        },
    })
}

/// A ratio as staff write it, in basis points of the gift: "1:1" and "1" are 10000, "2:1" is
/// 20000, "1:2" and "50%" are 5000. Between 0.01% and 10:1.
fn ratio(text: &str) -> Result<i64, FormError> {
    let bad = || FormError::Invalid("ratio");
    let basis_points = |number: &str, scale: u32| -> Result<i64, FormError> {
        let parsed = Money::parse_amount(number.trim(), Currency::Cny).map_err(|_| bad())?;
        // Two decimals: hundredths of the unit, scaled to basis points.
        Ok(parsed.minor() * i64::from(scale))
    };
    let bp = if let Some(percent) = text.strip_suffix('%') {
        basis_points(percent, 1)?
    } else if let Some((sponsor, donor)) = text.split_once(':') {
        let donor = basis_points(donor, 1)?;
        if donor == 0 {
            return Err(bad());
        }
        basis_points(sponsor, 1)?.saturating_mul(ONE_TO_ONE_BP) / donor
    } else {
        basis_points(text, 100)?
    };
    if (1..=MAX_RATIO_BP).contains(&bp) {
        Ok(bp)
    } else {
        Err(bad())
    }
}

/// The campaign's matches as the form page lists them.
pub async fn lines(db: &Db, id: CampaignId, currency: Currency) -> anyhow::Result<Vec<MatchLine>> {
    let now = now_ms();
    let major = |minor: i64| Money::from_minor(minor, currency).map(Money::to_major_string);
    matches::list(db, id)
        .await?
        .into_iter()
        .map(|m| {
            Ok(MatchLine {
                id: m.id,
                sponsor: m.sponsor_en,
                ratio: ratio_label(m.ratio_bp),
                per_gift: m.cap_per_gift_minor.map(major).transpose()?,
                per_donor_day: m.cap_per_donor_day_minor.map(major).transpose()?,
                total: major(m.total_cap_minor)?,
                matched: major(m.matched_minor)?,
                ended: m.ends_at.is_some_and(|e| e <= now),
            })
        })
        .collect()
}

/// "1:1", "2:1", or a percentage for other ratios.
fn ratio_label(bp: i64) -> String {
    if bp % ONE_TO_ONE_BP == 0 {
        format!("{}:1", bp / ONE_TO_ONE_BP)
    } else {
        crate::money::percent_label(bp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_are_read_as_staff_write_them() {
        assert_eq!(ratio("1:1"), Ok(10_000));
        assert_eq!(ratio("2:1"), Ok(20_000));
        assert_eq!(ratio("1:2"), Ok(5_000));
        assert_eq!(ratio("50%"), Ok(5_000));
        assert_eq!(ratio("1"), Ok(10_000));
        assert_eq!(ratio("1.5"), Ok(15_000));
        assert_eq!(ratio("10:1"), Ok(100_000));
        for bad in ["0", "0%", "11:1", "1:0", "-1:1", "abc", "1:1:1", "", "1e9"] {
            assert_eq!(ratio(bad), Err(FormError::Invalid("ratio")), "{bad}");
        }
        assert_eq!(ratio_label(10_000), "1:1");
        assert_eq!(ratio_label(5_000), "50%");
    }
}
