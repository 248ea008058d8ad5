//! Expense documents in the database and on disk: adding one before its expense is paid (the
//! original kept, a public copy made), and finding either copy to serve.

use super::document::{
    has_active_content, Document, DocumentKind, Format, MAX_DOCUMENTS, MAX_DOCUMENT_BYTES,
};
use crate::artworks::upload::{self, StoreError, UploadError};
use crate::db::{now_ms, Db};
use crate::ids::{CampaignId, StaffId};
use crate::media::MediaStore;
use anyhow::Context;
use sha2::{Digest, Sha256};
use sqlx::FromRow;
use std::collections::HashMap;
use std::path::PathBuf;

/// Where documents are kept: `documents/` in the media folder, a file per copy named by its
/// SHA-256. The public media route never serves this folder.
#[derive(Clone, Debug)]
pub struct DocumentFiles {
    dir: PathBuf,
}

impl DocumentFiles {
    /// The expense documents' folder.
    pub fn open(media: &MediaStore) -> anyhow::Result<DocumentFiles> {
        DocumentFiles::open_folder(media, "documents")
    }

    /// Folder `name` of the media folder, for documents kept by their SHA-256.
    pub fn open_folder(media: &MediaStore, name: &str) -> anyhow::Result<DocumentFiles> {
        let dir = media.dir().join(name);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating the documents folder {}", dir.display()))?;
        Ok(DocumentFiles { dir })
    }

    fn path(&self, sha256: &str, format: Format) -> PathBuf {
        self.dir.join(format!("{sha256}.{}", format.extension()))
    }

    /// Stores `bytes` (once, whoever else stores the same), written beside their final name and
    /// renamed into place; their SHA-256.
    pub fn put(&self, bytes: &[u8], format: Format) -> anyhow::Result<String> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        let path = self.path(&sha256, format);
        if !path.exists() {
            let tmp = self.dir.join(format!(
                ".{sha256}.{}.{}.tmp",
                format.extension(),
                std::process::id()
            ));
            std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, &path)
                .with_context(|| format!("moving {} into place", path.display()))?;
        }
        Ok(sha256)
    }

    /// A stored copy's bytes.
    pub fn read(&self, sha256: &str, format: Format) -> anyhow::Result<Vec<u8>> {
        let path = self.path(sha256, format);
        std::fs::read(&path).with_context(|| format!("reading {}", path.display()))
    }
}

/// What adding a document did.
#[derive(Debug)]
pub enum Adding {
    Added(Document),
    /// The campaign has no such expense.
    NotFound,
    /// The expense is paid: its documents are final.
    Paid,
    /// The expense has as many documents as its log entry can name.
    Full,
    /// Not a PDF, JPEG or PNG, too large, or an image that does not decode.
    Refused(UploadError),
}

/// Adds `bytes` as a document of kind `kind` to expense `expense` of `campaign`, unless the
/// expense is paid. An image's public copy is drawn again without its metadata; a PDF's is the
/// file itself, marked when it has active content.
pub async fn add(
    db: &Db,
    files: &DocumentFiles,
    campaign: CampaignId,
    expense: i64,
    kind: DocumentKind,
    bytes: Vec<u8>,
    by: StaffId,
) -> anyhow::Result<Adding> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Ok(Adding::Refused(UploadError::TooBig));
    }
    let byte_size = i64::try_from(bytes.len()).context("a document's size")?;
    let Some(format) = Format::sniff(&bytes) else {
        return Ok(Adding::Refused(UploadError::WrongType));
    };
    let original_sha256 = files.put(&bytes, format)?;
    let (public_sha256, active_content) = match format {
        Format::Pdf => (original_sha256.clone(), has_active_content(&bytes)),
        Format::Jpeg | Format::Png => match upload::redraw(bytes, format == Format::Png).await {
            Ok(copy) => (files.put(&copy, format)?, false),
            Err(StoreError::Refused(why)) => return Ok(Adding::Refused(why)),
            Err(StoreError::Internal(error)) => return Err(error),
        },
    };
    let mut tx = db.begin_write().await?;
    // Holds the expense's row until the document is in, so paying it waits, or this sees it
    // paid and adds nothing.
    let open = sqlx::query(
        "UPDATE expenses SET status = status \
         WHERE id = $1 AND campaign_id = $2 AND status <> 'paid'",
    )
    .bind(expense)
    .bind(campaign.get())
    .execute(&mut *tx.tx)
    .await
    .context("holding the expense")?;
    if open.rows_affected() == 0 {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM expenses WHERE id = $1 AND campaign_id = $2")
                .bind(expense)
                .bind(campaign.get())
                .fetch_optional(&mut *tx.tx)
                .await
                .context("finding the expense")?;
        return Ok(if exists.is_some() {
            Adding::Paid
        } else {
            Adding::NotFound
        });
    }
    let (held,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM expense_documents WHERE expense_id = $1")
            .bind(expense)
            .fetch_one(&mut *tx.tx)
            .await
            .context("counting an expense's documents")?;
    if held >= MAX_DOCUMENTS as i64 {
        return Ok(Adding::Full);
    }
    sqlx::query(
        "INSERT INTO expense_documents (expense_id, kind, format, original_sha256, \
         public_sha256, active_content, byte_size, added_by, added_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (expense_id, original_sha256) DO NOTHING",
    )
    .bind(expense)
    .bind(kind.as_str())
    .bind(format.extension())
    .bind(&original_sha256)
    .bind(&public_sha256)
    .bind(i64::from(active_content))
    .bind(byte_size)
    .bind(by.get())
    .bind(now_ms())
    .execute(&mut *tx.tx)
    .await
    .context("adding a document")?;
    tx.commit().await?;
    Ok(Adding::Added(Document {
        kind,
        format,
        public_sha256,
        original_sha256,
        active_content,
    }))
}

#[derive(FromRow)]
struct DocumentRow {
    expense_id: i64,
    kind: String,
    format: String,
    original_sha256: String,
    public_sha256: String,
    active_content: i64,
}

impl DocumentRow {
    fn into_document(self) -> anyhow::Result<(i64, Document)> {
        Ok((
            self.expense_id,
            Document {
                kind: DocumentKind::parse(&self.kind).context("an unknown document kind")?,
                format: Format::parse(&self.format).context("an unknown document format")?,
                public_sha256: self.public_sha256,
                original_sha256: self.original_sha256,
                active_content: self.active_content == 1,
            },
        ))
    }
}

const COLUMNS: &str = "d.expense_id, d.kind, d.format, d.original_sha256, d.public_sha256, \
     d.active_content FROM expense_documents d JOIN expenses e ON e.id = d.expense_id";

/// Every document of the campaign's expenses, by expense, in the order added.
pub async fn of_campaign(
    db: &Db,
    campaign: CampaignId,
) -> anyhow::Result<HashMap<i64, Vec<Document>>> {
    let rows: Vec<DocumentRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} WHERE e.campaign_id = $1 ORDER BY d.id"
    ))
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("reading the expenses' documents")?;
    let mut by_expense: HashMap<i64, Vec<Document>> = HashMap::new();
    for row in rows {
        let (expense, document) = row.into_document()?;
        by_expense.entry(expense).or_default().push(document);
    }
    Ok(by_expense)
}

/// The documents of one expense, in the order added.
pub async fn of_expense<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    expense: i64,
) -> anyhow::Result<Vec<Document>> {
    let rows: Vec<DocumentRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} WHERE d.expense_id = $1 ORDER BY d.id"
    ))
    .bind(expense)
    .fetch_all(executor)
    .await
    .context("reading an expense's documents")?;
    rows.into_iter()
        .map(|row| Ok(row.into_document()?.1))
        .collect()
}

/// A document of expense `expense` of `campaign` by the SHA-256 of one of its copies: the public
/// one (`original`: false) only once the expense is paid, the original whenever.
pub async fn find(
    db: &Db,
    campaign: CampaignId,
    expense: i64,
    sha256: &str,
    original: bool,
) -> anyhow::Result<Option<Document>> {
    let (column, paid) = if original {
        ("d.original_sha256", "")
    } else {
        ("d.public_sha256", " AND e.status = 'paid'")
    };
    let row: Option<DocumentRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} WHERE e.campaign_id = $1 AND e.id = $2 AND {column} = $3{paid} \
         ORDER BY d.id LIMIT 1"
    ))
    .bind(campaign.get())
    .bind(expense)
    .bind(sha256)
    .fetch_optional(db.pool())
    .await
    .context("finding a document")?;
    Ok(row
        .map(DocumentRow::into_document)
        .transpose()?
        .map(|(_, d)| d))
}
