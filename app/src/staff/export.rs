//! The donations of a campaign as CSV, written row by row as the database yields them, so an
//! export of millions of gifts holds a few rows in memory, not the file.
//!
//! The `csv` crate writes the records (RFC 4180 quoting, CRLF line ends). On top of it, every
//! cell that a spreadsheet would run as a formula (one starting with `=`, `+`, `-`, `@`, a tab or
//! a carriage return) is prefixed with `'`, which makes it text. Donor emails are a column only
//! in an admin's export.

use crate::dates::Timestamp;
use crate::db::Db;
use crate::ids::CampaignId;
use crate::money::{Currency, Money};
use axum::body::Bytes;
use sqlx::FromRow;
use std::borrow::Cow;
use tokio::sync::mpsc;

/// Bytes gathered before they are sent on.
const CHUNK: usize = 64 * 1024;

/// The columns, in order; `email` comes last and only for admins.
const COLUMNS: [&str; 16] = [
    "certificate_number",
    "status",
    "created_at",
    "paid_at",
    "artwork",
    "amount",
    "paid",
    "refunded",
    "currency",
    "display_name",
    "anonymous",
    "show_amount",
    "message",
    "message_review",
    "share_code",
    "referred_by",
];

#[derive(FromRow)]
struct ExportRow {
    certificate_number: Option<i64>,
    status: String,
    created_at: i64,
    paid_at: Option<i64>,
    artwork: String,
    amount_minor: i64,
    paid_minor: i64,
    refunded_minor: i64,
    currency: String,
    display_name: String,
    anonymous: i64,
    show_amount: i64,
    message: String,
    message_review: String,
    share_code: Option<String>,
    referred_by: Option<String>,
    email: Option<String>,
}

/// A campaign's donations, oldest first, as CSV chunks: the header, then every donation
/// whatever its status. A failure midway ends the stream with an error, so the download is
/// visibly cut short rather than silently incomplete.
pub fn donations_csv(
    db: Db,
    campaign: CampaignId,
    with_email: bool,
) -> mpsc::Receiver<Result<Bytes, std::io::Error>> {
    let (send, receive) = mpsc::channel(4);
    tokio::spawn(async move {
        if let Err(error) = write_all(&db, campaign, with_email, &send).await {
            tracing::error!(error = format!("{error:#}"), "exporting donations failed");
            let _ = send
                .send(Err(std::io::Error::other("the export failed")))
                .await;
        }
    });
    receive
}

async fn write_all(
    db: &Db,
    campaign: CampaignId,
    with_email: bool,
    send: &mpsc::Sender<Result<Bytes, std::io::Error>>,
) -> anyhow::Result<()> {
    use futures_util::TryStreamExt;
    // A byte-order mark, so spreadsheets open Chinese names as UTF-8.
    let mut out = b"\xef\xbb\xbf".to_vec();
    let email = with_email.then_some("email");
    record(&mut out, COLUMNS.iter().copied().chain(email))?;
    let mut rows = sqlx::query_as::<_, ExportRow>(
        "SELECT d.certificate_number, d.status, d.created_at, d.paid_at, a.slug AS artwork, \
         d.amount_minor, d.paid_minor, d.refunded_minor, d.currency, d.display_name, d.anonymous, \
         d.show_amount, d.message, d.message_review, d.share_code, \
         r.share_code AS referred_by, d.email \
         FROM donations d JOIN artworks a ON a.id = d.artwork_id \
         LEFT JOIN donations r ON r.id = d.referred_by \
         WHERE d.campaign_id = $1 ORDER BY d.created_at, d.id",
    )
    .bind(campaign.get())
    .fetch(db.pool());
    while let Some(row) = rows.try_next().await? {
        row.write(&mut out, with_email)?;
        let full = out.len() >= CHUNK;
        if full
            && send
                .send(Ok(Bytes::from(std::mem::take(&mut out))))
                .await
                .is_err()
        {
            // The client went away.
            return Ok(());
        }
    }
    if !out.is_empty() {
        let _ = send.send(Ok(Bytes::from(out))).await;
    }
    Ok(())
}

/// Appends one record to `out` as spreadsheets read best: CRLF line ends, quotes only where
/// needed, and every cell made inert.
fn record<'a>(out: &mut Vec<u8>, cells: impl IntoIterator<Item = &'a str>) -> csv::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .buffer_capacity(1024)
        .from_writer(out);
    writer.write_record(cells.into_iter().map(inert))?;
    writer.flush()?;
    Ok(())
}

impl ExportRow {
    fn write(&self, out: &mut Vec<u8>, with_email: bool) -> anyhow::Result<()> {
        let currency: Currency = self.currency.to_ascii_uppercase().parse()?;
        let money = |minor| Money::from_minor(minor, currency).map(Money::to_major_string);
        let time = |ms: i64| Timestamp::from_unix_ms(ms).rfc3339();
        let flag = |v: i64| if v == 0 { "no" } else { "yes" };
        let cells = [
            self.certificate_number
                .map(|n| n.to_string())
                .unwrap_or_default(),
            self.status.clone(),
            time(self.created_at),
            self.paid_at.map(time).unwrap_or_default(),
            self.artwork.clone(),
            money(self.amount_minor)?,
            money(self.paid_minor)?,
            money(self.refunded_minor)?,
            currency.code().to_owned(),
            self.display_name.clone(),
            flag(self.anonymous).to_owned(),
            flag(self.show_amount).to_owned(),
            self.message.clone(),
            self.message_review.clone(),
            self.share_code.clone().unwrap_or_default(),
            self.referred_by.clone().unwrap_or_default(),
        ];
        let email = with_email.then(|| self.email.as_deref().unwrap_or_default());
        record(out, cells.iter().map(String::as_str).chain(email))?;
        Ok(())
    }
}

/// A cell as a spreadsheet may hold it: prefixed with `'` if the spreadsheet would run it.
fn inert(value: &str) -> Cow<'_, [u8]> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}").into_bytes())
    } else {
        Cow::Borrowed(value.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::record;

    /// One cell as the export writes it, without the line end.
    fn one(value: &str) -> String {
        let mut out = Vec::new();
        record(&mut out, [value, "end"]).expect("writes");
        let line = String::from_utf8(out).expect("UTF-8");
        line.strip_suffix(",end\r\n")
            .expect("one record")
            .to_owned()
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_made_text() {
        assert_eq!(
            one("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(one("+1 555"), "'+1 555");
        assert_eq!(one("-2"), "'-2");
        assert_eq!(one("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(one("\tcmd"), "'\tcmd");
        assert_eq!(one("Mei = great"), "Mei = great");
    }

    #[test]
    fn commas_quotes_and_line_breaks_stay_inside_their_cell() {
        assert_eq!(one("a,b"), "\"a,b\"");
        assert_eq!(one("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(one("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(one("加油"), "加油");
        assert_eq!(one(""), "");
    }
}
