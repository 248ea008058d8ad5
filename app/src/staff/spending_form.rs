//! The spending plan form as the server reads it: every row checked before the next version is
//! published (rows left empty are dropped).

use super::form::{Fields, FormError, MAX_LINE, MAX_TEXT};
use crate::db::Db;
use crate::ids::{CampaignId, StaffId};
use crate::money::{Currency, Money};
use crate::slug::Slug;
use crate::spending::{PlanLine, MAX_LINES};

/// Checks the plan form and publishes it as the campaign's next version; returns the version.
pub async fn publish(
    db: &Db,
    campaign: CampaignId,
    currency: Currency,
    fields: &Fields,
    by: StaffId,
) -> Result<u32, PlanError> {
    let lines = check(fields, currency)?;
    let mut tx = db.begin_write().await?;
    let version = crate::spending::store::publish(&mut tx.tx, campaign, &lines, Some(by)).await?;
    tx.commit().await?;
    Ok(version)
}

/// Why a plan was not published.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Form(#[from] FormError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The form's rows: `line`, `name_en`, `name_zh`, `buys_en`, `buys_zh` and `planned` (in the
/// currency's major units), each name once per row, in order.
fn check(fields: &Fields, currency: Currency) -> Result<Vec<PlanLine>, FormError> {
    let column = |name: &'static str, max: usize| fields.texts(name, max);
    let keys = column("line", 64)?;
    let names_en = column("name_en", MAX_LINE)?;
    let names_zh = column("name_zh", MAX_LINE)?;
    let buys_en = column("buys_en", MAX_TEXT)?;
    let buys_zh = column("buys_zh", MAX_TEXT)?;
    let planned = column("planned", 24)?;
    let rows = keys.len();
    if [&names_en, &names_zh, &buys_en, &buys_zh, &planned]
        .iter()
        .any(|c| c.len() != rows)
    {
        return Err(FormError::Invalid("rows"));
    }
    let mut lines: Vec<PlanLine> = Vec::new();
    for i in 0..rows {
        let row = [
            &keys[i],
            &names_en[i],
            &names_zh[i],
            &buys_en[i],
            &buys_zh[i],
            &planned[i],
        ];
        if row.iter().all(|v| v.is_empty()) {
            continue;
        }
        let line: Slug = keys[i].parse().map_err(|_| FormError::Invalid("line"))?;
        if lines.iter().any(|l| l.line == line.as_str()) {
            return Err(FormError::PlanDuplicateLine);
        }
        for (value, name) in [(&names_en[i], "name_en"), (&names_zh[i], "name_zh")] {
            if value.is_empty() {
                return Err(FormError::Missing(name));
            }
        }
        let amount = Money::parse_amount(&planned[i], currency)
            .map_err(|_| FormError::Invalid("planned"))?;
        lines.push(PlanLine {
            line: line.to_string(),
            name_en: names_en[i].clone(),
            name_zh: names_zh[i].clone(),
            buys_en: buys_en[i].clone(),
            buys_zh: buys_zh[i].clone(),
            planned_minor: amount.minor(),
        });
    }
    if lines.is_empty() {
        return Err(FormError::PlanEmpty);
    }
    if lines.len() > MAX_LINES {
        return Err(FormError::TooLong("line"));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(rows: &[[&str; 6]]) -> Fields {
        let names = [
            "line", "name_en", "name_zh", "buys_en", "buys_zh", "planned",
        ];
        Fields::from_pairs(
            rows.iter()
                .flat_map(|row| names.iter().zip(row).map(|(n, v)| (*n, *v))),
        )
    }

    const RENT: [&str; 6] = ["studio-rent", "Studio rent", "画室租金", "", "", "3000000"];

    #[test]
    fn rows_become_lines_and_empty_rows_are_dropped() {
        let lines = check(
            &form(&[
                RENT,
                ["", "", "", "", "", ""],
                [
                    "materials",
                    "Materials",
                    "材料",
                    "Paint",
                    "颜料",
                    "2,250.50",
                ],
            ]),
            Currency::Cny,
        )
        .expect("a plan");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].planned_minor, 300_000_000);
        assert_eq!(lines[1].planned_minor, 225_050);
        assert_eq!(lines[1].buys_zh, "颜料");
    }

    #[test]
    fn bad_rows_are_named() {
        let cases: [(&[[&str; 6]], FormError); 5] = [
            (&[], FormError::PlanEmpty),
            (&[["", "", "", "", "", ""]], FormError::PlanEmpty),
            (&[RENT, RENT], FormError::PlanDuplicateLine),
            (
                &[["Studio Rent", "Rent", "租金", "", "", "1"]],
                FormError::Invalid("line"),
            ),
            (
                &[["rent", "Rent", "", "", "", "1"]],
                FormError::Missing("name_zh"),
            ),
        ];
        for (rows, expected) in cases {
            assert_eq!(check(&form(rows), Currency::Cny).err(), Some(expected));
        }
        for amount in ["-5", "lots", "1.001"] {
            let row = ["rent", "Rent", "租金", "", "", amount];
            assert_eq!(
                check(&form(&[row]), Currency::Cny).err(),
                Some(FormError::Invalid("planned")),
                "{amount}"
            );
        }
        let many: Vec<[&str; 6]> = (0..=MAX_LINES)
            .map(|i| {
                [
                    [
                        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
                    ][i],
                    "N",
                    "名",
                    "",
                    "",
                    "1",
                ]
            })
            .collect();
        assert_eq!(
            check(&form(&many), Currency::Cny).err(),
            Some(FormError::TooLong("line"))
        );
    }
}
