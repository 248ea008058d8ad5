//! The demo campaign's spending so far, so a newcomer sees the account at work: two expenses
//! recorded by one admin and approved and paid by another, each with a document the program
//! draws (a receipt, a transfer confirmation), and one expense waiting for its second admin.
//!
//! Tests seed the campaign without it, so their figures start from an account with no spending.
//! The two admins are staff accounts, which the server creates (see [`DEMO_ADMINS`]).

use super::content;
use crate::campaigns::store as campaigns;
use crate::cards::canvas::Canvas;
use crate::cards::text::{line, Fonts, Style, Weight};
use crate::dates::Timestamp;
use crate::db::{now_ms, Db};
use crate::ids::{CampaignId, StaffId};
use crate::media::MediaStore;
use crate::spending::document::DocumentKind;
use crate::spending::documents::{self, Adding, DocumentFiles};
use crate::spending::expense::{ExpenseKind, Step};
use crate::spending::expenses::{self, Moved, NewExpense};
use anyhow::Context;
use image::{ImageFormat, Rgb};
use std::io::Cursor;

/// The demo's admins (address, name): its finance officer records expenses, its director
/// approves and pays them. The server creates them with passwords nobody knows.
pub const DEMO_ADMINS: [(&str, &str); 2] = [
    ("finance@little-painters.example", "Chen Jing (finance)"),
    ("director@little-painters.example", "Liu Yang (director)"),
];

/// An expense of the demo and the document drawn for it.
struct DemoExpense {
    line: &'static str,
    kind: ExpenseKind,
    description_en: &'static str,
    description_zh: &'static str,
    yuan: i64,
    payee: &'static str,
    people_served: Option<u32>,
    /// The document's title and rows (what, and how much), under its title.
    document: Option<(
        DocumentKind,
        &'static str,
        &'static [(&'static str, &'static str)],
    )>,
    paid: bool,
}

const EXPENSES: [DemoExpense; 3] = [
    DemoExpense {
        line: "materials",
        kind: ExpenseKind::Expenditure,
        description_en: "Paper, paint and brushes for the winter term",
        description_zh: "冬季学期的纸张、颜料和画笔",
        yuan: 1_860,
        payee: "Sunrise Art Supplies",
        people_served: Some(300),
        document: Some((
            DocumentKind::Receipt,
            "Sunrise Art Supplies · Receipt",
            &[
                ("Watercolour paper, 40 packs", "¥640"),
                ("Poster paint, 60 sets", "¥780"),
                ("Brushes, 120", "¥440"),
                ("Total", "¥1,860"),
            ],
        )),
        paid: true,
    },
    DemoExpense {
        line: "teachers-pay",
        kind: ExpenseKind::Disbursement,
        description_en: "Two art teachers' pay for the month",
        description_zh: "两名美术老师当月的工资",
        yuan: 12_000,
        payee: "Art teachers (2)",
        people_served: Some(300),
        document: Some((
            DocumentKind::Transfer,
            "Bank transfer confirmation",
            &[
                ("From", "Little Painters Studio"),
                ("To", "Art teachers (2), by payroll"),
                ("Amount", "¥12,000"),
                ("Status", "Completed"),
            ],
        )),
        paid: true,
    },
    DemoExpense {
        line: "studio-rent",
        kind: ExpenseKind::Expenditure,
        description_en: "Rent of the east studio for the month",
        description_zh: "东区画室当月的租金",
        yuan: 3_000,
        payee: "Eastside Community Centre",
        people_served: Some(120),
        document: None,
        paid: false,
    },
];

/// Records the demo's expenses, by `recorder` and `approver` (two admins), unless the demo
/// campaign has some already; whether it did.
pub async fn seed_history(
    db: &Db,
    media: &MediaStore,
    recorder: StaffId,
    approver: StaffId,
) -> anyhow::Result<bool> {
    let slug = content::SLUG.parse().context("demo slug")?;
    let campaign = campaigns::id_of(db, &slug)
        .await?
        .context("the demo campaign must be seeded first")?;
    if expenses::any(db, campaign).await? {
        return Ok(false);
    }
    let files = DocumentFiles::open(media)?;
    let today = Timestamp::from_unix_ms(now_ms()).iso_date_utc();
    for demo in &EXPENSES {
        let new = NewExpense {
            line: demo.line.to_owned(),
            kind: demo.kind,
            description_en: demo.description_en.to_owned(),
            description_zh: demo.description_zh.to_owned(),
            amount_minor: demo.yuan * 100,
            spent_on: today.clone(),
            payee: demo.payee.to_owned(),
            people_served: demo.people_served,
            artist: None,
        };
        let id = expenses::record(db, campaign, &new, None, recorder).await?;
        if let Some((kind, title, rows)) = demo.document {
            let png = tokio::task::spawn_blocking(move || draw_document(title, rows, "PAID"))
                .await
                .context("drawing a demo document")??;
            match documents::add(db, &files, campaign, id, kind, png, recorder).await? {
                Adding::Added(_) => {}
                other => anyhow::bail!("the demo document was not added: {other:?}"),
            }
        }
        step(db, campaign, id, Step::Submit, recorder).await?;
        if demo.paid {
            step(db, campaign, id, Step::Approve, approver).await?;
            step(db, campaign, id, Step::Pay, approver).await?;
        }
    }
    Ok(true)
}

async fn step(
    db: &Db,
    campaign: CampaignId,
    id: i64,
    step: Step,
    by: StaffId,
) -> anyhow::Result<()> {
    match expenses::take_step(db, campaign, id, step, by).await? {
        Moved::Done => Ok(()),
        other => anyhow::bail!("demo expense {id} did not move: {other:?}"),
    }
}

/// A document as a phone photographs it: a sheet of paper with a title, its rows (a label on the
/// left, a figure on the right) and a stamp saying `stamp`, as a PNG.
pub(super) fn draw_document(
    title: &str,
    rows: &[(&str, &str)],
    stamp: &str,
) -> anyhow::Result<Vec<u8>> {
    const WIDTH: u32 = 900;
    const HEIGHT: u32 = 640;
    const PAPER: Rgb<u8> = Rgb([252, 250, 244]);
    const INK: Rgb<u8> = Rgb([43, 33, 24]);
    const STAMP: Rgb<u8> = Rgb([178, 58, 33]);
    let fonts = Fonts::shared();
    let mut canvas = Canvas::new(WIDTH, HEIGHT, PAPER);
    canvas.rounded_rect(0, 0, WIDTH, 14, 0.0, Rgb([228, 214, 195]));
    let text_width = (WIDTH - 120) as f32;
    line(
        fonts,
        title,
        Style::new(40.0, Weight::Bold, INK),
        text_width,
    )
    .draw(fonts, &mut canvas, 60.0, 110.0);
    let mut baseline = 200.0;
    let style = Style::new(30.0, Weight::Regular, INK);
    for (label, figure) in rows {
        let figure = line(fonts, figure, style, text_width / 2.0);
        figure.draw(
            fonts,
            &mut canvas,
            WIDTH as f32 - 60.0 - figure.width(),
            baseline,
        );
        let label_width = text_width - figure.width() - 24.0;
        line(fonts, label, style, label_width).draw(fonts, &mut canvas, 60.0, baseline);
        canvas.rounded_rect(
            60,
            baseline as i64 + 18,
            WIDTH - 120,
            2,
            0.0,
            Rgb([228, 214, 195]),
        );
        baseline += 64.0;
    }
    canvas.rounded_rect(640, 470, 200, 110, 18.0, STAMP);
    canvas.rounded_rect(648, 478, 184, 94, 12.0, PAPER);
    line(fonts, stamp, Style::new(44.0, Weight::Bold, STAMP), 180.0).draw_centered(
        fonts,
        &mut canvas,
        740.0,
        542.0,
    );
    let mut png = Vec::new();
    canvas
        .into_image()
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .context("encoding a demo document")?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_document_is_a_png_the_upload_accepts() {
        for demo in &EXPENSES {
            if let Some((_, title, rows)) = demo.document {
                let png = draw_document(title, rows, "PAID").expect("drawn");
                assert_eq!(
                    crate::spending::document::Format::sniff(&png),
                    Some(crate::spending::document::Format::Png)
                );
                let image = image::load_from_memory(&png).expect("decodes");
                assert_eq!((image.width(), image.height()), (900, 640));
            }
        }
    }

    #[test]
    fn the_demo_spends_on_lines_of_its_plan_and_leaves_one_for_a_second_admin() {
        for demo in &EXPENSES {
            assert!(
                content::PLAN.iter().any(|line| line.0 == demo.line),
                "{}",
                demo.line
            );
        }
        assert_eq!(EXPENSES.iter().filter(|e| !e.paid).count(), 1);
    }
}
