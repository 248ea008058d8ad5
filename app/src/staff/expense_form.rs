//! The expense forms as the server reads them: recording an expense against a line of the plan
//! in force, the steps of the two-person rule, and reversing a paid one.

use super::form::{Fields, FormError, MAX_LINE, MAX_TEXT};
use crate::db::Db;
use crate::i18n::Locale;
use crate::ids::{CampaignId, StaffId};
use crate::money::{Currency, Money};
use crate::spending::expense::{ExpenseKind, Step};
use crate::spending::expenses::{self, Moved, NewExpense, Reversing};

/// Why an expense form did nothing.
#[derive(Debug, thiserror::Error)]
pub enum ExpenseError {
    #[error(transparent)]
    Form(#[from] FormError),
    #[error("no such expense")]
    NotFound,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Records the expense form as a draft of `campaign`, whose plan in force has `lines`.
pub async fn record(
    db: &Db,
    campaign: CampaignId,
    currency: Currency,
    lines: &[String],
    fields: &Fields,
    by: StaffId,
) -> Result<i64, ExpenseError> {
    let artists: Vec<String> = crate::artworks::artists::list(db, campaign, Locale::En)
        .await?
        .into_iter()
        .map(|(_, artist)| artist.slug.as_str().to_owned())
        .collect();
    let new = check(fields, currency, lines, &artists)?;
    Ok(expenses::record(db, campaign, &new, None, by).await?)
}

/// Takes a step (`submit`, `approve`, `pay`) for expense `id`.
pub async fn step(
    db: &Db,
    campaign: CampaignId,
    id: i64,
    step: &str,
    by: StaffId,
) -> Result<(), ExpenseError> {
    let step = Step::parse(step).ok_or(ExpenseError::NotFound)?;
    match expenses::take_step(db, campaign, id, step, by).await? {
        Moved::Done => Ok(()),
        Moved::NotFound => Err(ExpenseError::NotFound),
        Moved::WrongStatus => Err(FormError::ExpenseNotReady.into()),
        Moved::SameStaff => Err(FormError::ExpenseSecondAdmin.into()),
    }
}

/// Records a draft reversal of paid expense `id`, with its reason in both languages.
pub async fn reverse(
    db: &Db,
    campaign: CampaignId,
    id: i64,
    fields: &Fields,
    by: StaffId,
) -> Result<i64, ExpenseError> {
    let why_en = fields.required("description_en", MAX_TEXT)?;
    let why_zh = fields.required("description_zh", MAX_TEXT)?;
    match expenses::reverse(db, campaign, id, (&why_en, &why_zh), by).await? {
        Reversing::Recorded(new) => Ok(new),
        Reversing::NotFound => Err(ExpenseError::NotFound),
        Reversing::NotReversible => Err(FormError::ExpenseNotReady.into()),
    }
}

fn check(
    fields: &Fields,
    currency: Currency,
    lines: &[String],
    artists: &[String],
) -> Result<NewExpense, FormError> {
    let line = fields.required("line", 64)?;
    if !lines.contains(&line) {
        return Err(FormError::Invalid("line"));
    }
    let kind = ExpenseKind::parse(&fields.text("kind", 16)?).ok_or(FormError::Invalid("kind"))?;
    let amount = Money::parse_amount(&fields.required("amount", 24)?, currency)
        .ok()
        .filter(|m| m.minor() > 0)
        .ok_or(FormError::Invalid("amount"))?;
    let spent_on = fields.required("spent_on", 10)?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(&spent_on, &format) {
        Ok(day) if day <= time::OffsetDateTime::now_utc().date() => {}
        _ => return Err(FormError::Invalid("spent_on")),
    }
    // A royalty names the artist it pays, one of the campaign's.
    let artist = match kind {
        ExpenseKind::Royalty => Some(
            Some(fields.text("artist", 64)?)
                .filter(|a| artists.contains(a))
                .ok_or(FormError::Invalid("artist"))?,
        ),
        _ => None,
    };
    let people_served = match fields.text("people_served", 9)?.as_str() {
        "" => None,
        people => Some(
            people
                .parse::<u32>()
                .map_err(|_| FormError::Invalid("people_served"))?,
        ),
    };
    Ok(NewExpense {
        line,
        kind,
        description_en: fields.required("description_en", MAX_TEXT)?,
        description_zh: fields.required("description_zh", MAX_TEXT)?,
        amount_minor: amount.minor(),
        spent_on,
        payee: fields.required("payee", MAX_LINE)?,
        people_served,
        artist,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(changes: &[(&str, &str)]) -> Fields {
        let mut pairs: Vec<(&str, &str)> = vec![
            ("line", "materials"),
            ("kind", "expenditure"),
            ("description_en", "Paint for the spring term"),
            ("description_zh", "春季学期的颜料"),
            ("amount", "1,250.50"),
            ("spent_on", "2026-11-02"),
            ("payee", "Sunrise Art Supplies"),
            ("people_served", "300"),
        ];
        for (name, value) in changes {
            pairs.retain(|(n, _)| n != name);
            pairs.push((name, value));
        }
        Fields::from_pairs(pairs)
    }

    fn lines() -> Vec<String> {
        vec!["materials".to_owned(), "studio-rent".to_owned()]
    }

    #[test]
    fn a_complete_form_is_an_expense() {
        let new = check(&form(&[]), Currency::Cny, &lines(), &[]).expect("valid");
        assert_eq!(new.amount_minor, 125_050);
        assert_eq!(new.people_served, Some(300));
        assert_eq!(new.kind, ExpenseKind::Expenditure);
        assert_eq!(new.artist, None);
    }

    #[test]
    fn a_royalty_names_one_of_the_campaigns_artists() {
        let artists = ["chen-hao".to_owned()];
        let royalty = |artist: &str| {
            let fields = form(&[("kind", "royalty"), ("artist", artist)]);
            check(&fields, Currency::Cny, &lines(), &artists)
        };
        assert_eq!(
            royalty("chen-hao").expect("valid").artist.as_deref(),
            Some("chen-hao")
        );
        assert_eq!(royalty("").err(), Some(FormError::Invalid("artist")));
        assert_eq!(
            royalty("someone-else").err(),
            Some(FormError::Invalid("artist"))
        );
    }

    #[test]
    fn bad_fields_are_named() {
        for (field, value, expected) in [
            ("line", "catering", FormError::Invalid("line")),
            ("kind", "gift", FormError::Invalid("kind")),
            ("amount", "0", FormError::Invalid("amount")),
            ("amount", "-5", FormError::Invalid("amount")),
            ("amount", "", FormError::Missing("amount")),
            ("spent_on", "2999-01-01", FormError::Invalid("spent_on")),
            ("spent_on", "yesterday", FormError::Invalid("spent_on")),
            ("people_served", "many", FormError::Invalid("people_served")),
            ("payee", " ", FormError::Missing("payee")),
            ("description_zh", "", FormError::Missing("description_zh")),
        ] {
            assert_eq!(
                check(&form(&[(field, value)]), Currency::Cny, &lines(), &[]).err(),
                Some(expected),
                "{field} = {value:?}"
            );
        }
    }
}
