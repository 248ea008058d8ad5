//! The log's SQL: pending ledger entries, entries, stored hashes and checkpoints.

use crate::db::{for_engine, numbered, value_rows, Db};
use anyhow::Context;
use sqlx::{Any, Transaction};
use std::collections::HashMap;

/// A ledger entry waiting for its log entry, with what its entry will say.
#[derive(Debug, sqlx::FromRow)]
pub struct PendingRow {
    pub ledger_entry_id: i64,
    pub kind: String,
    pub created_at: i64,
    pub amount_minor: i64,
    pub currency: String,
    pub artwork_slug: String,
    pub donation_id: String,
    pub certificate_number: Option<i64>,
    pub verification_code: Option<String>,
}

/// A campaign's log as the database holds it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LogHead {
    pub origin: String,
    pub size: i64,
    pub raised_minor: i64,
    /// The running total of paid expenses its last expense entry states.
    pub spent_minor: i64,
    /// The running total of matched money its last match entry states.
    pub matched_minor: i64,
}

/// A consent record waiting for its log entry, with what its entry will say.
#[derive(Debug, sqlx::FromRow)]
pub struct PendingConsentRow {
    /// Its place among the records waiting for the log.
    pub seq: i64,
    pub consent_id: i64,
    pub kind: String,
    pub recorded_at: i64,
    pub artwork_slug: String,
    pub artist_slug: Option<String>,
    pub consenter: String,
    pub assent: String,
    pub scope_gifts: i64,
    pub scope_certificates: i64,
    pub scope_prints: i64,
    pub royalty_gifts_bp: i64,
    pub royalty_prints_bp: i64,
    pub given_on: String,
    pub valid_until: Option<String>,
    pub given_by: String,
    pub relationship: String,
    pub witnessed_by: String,
    pub form_format: Option<String>,
    pub form_sha256: Option<String>,
    pub salt: String,
}

/// One new entry, ready to be written: from a ledger entry or from a consent record.
pub struct NewEntry {
    pub index: i64,
    pub ledger_entry_id: Option<i64>,
    /// Another record's kind and id (`consent`, 7).
    pub record: Option<(&'static str, i64)>,
    /// The gift's certificate number (a refund: its gift's); none for a consent record.
    pub certificate_number: Option<i64>,
    pub kind: &'static str,
    pub amount_minor: i64,
    pub body: String,
}

/// The campaigns with ledger entries or consent records not yet in their log.
pub async fn campaigns_pending(db: &Db) -> anyhow::Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT campaign_id FROM log_pending \
         UNION SELECT DISTINCT campaign_id FROM log_pending_records",
    )
    .fetch_all(db.pool())
    .await
    .context("finding campaigns with gifts to log")?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Whether the campaign's log has been started.
pub async fn log_exists(db: &Db, campaign: i64) -> anyhow::Result<bool> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT campaign_id FROM logs WHERE campaign_id = $1")
            .bind(campaign)
            .fetch_optional(db.pool())
            .await
            .context("reading the campaign's log")?;
    Ok(found.is_some())
}

/// Takes the campaign's integration turn on PostgreSQL for the rest of the transaction; false
/// when another instance holds it. (SQLite writers already take turns.)
pub async fn try_lock(tx: &mut Transaction<'static, Any>, campaign: i64) -> anyhow::Result<bool> {
    let (taken,): (i64,) = sqlx::query_as(
        "SELECT CAST(CASE WHEN pg_try_advisory_xact_lock(1735, CAST($1 AS INTEGER)) \
         THEN 1 ELSE 0 END AS BIGINT)",
    )
    .bind(campaign)
    .fetch_one(&mut **tx)
    .await
    .context("taking the campaign's log lock")?;
    Ok(taken == 1)
}

/// The campaign's log, started with `origin` if it has none yet.
pub async fn head(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    origin: impl FnOnce(&str) -> String,
) -> anyhow::Result<LogHead> {
    if let Some(head) = sqlx::query_as::<_, LogHead>(
        "SELECT origin, size, raised_minor, spent_minor, matched_minor FROM logs \
         WHERE campaign_id = $1",
    )
    .bind(campaign)
    .fetch_optional(&mut **tx)
    .await
    .context("reading the campaign's log")?
    {
        return Ok(head);
    }
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM campaigns WHERE id = $1")
        .bind(campaign)
        .fetch_one(&mut **tx)
        .await
        .context("reading the campaign's slug")?;
    let origin = origin(&slug);
    sqlx::query("INSERT INTO logs (campaign_id, origin, size, raised_minor) VALUES ($1, $2, 0, 0)")
        .bind(campaign)
        .bind(&origin)
        .execute(&mut **tx)
        .await
        .context("starting the campaign's log")?;
    Ok(LogHead {
        origin,
        size: 0,
        raised_minor: 0,
        spent_minor: 0,
        matched_minor: 0,
    })
}

/// Up to `limit` of the campaign's pending ledger entries, oldest first.
pub async fn pending(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    limit: i64,
) -> anyhow::Result<Vec<PendingRow>> {
    sqlx::query_as(
        "SELECT p.ledger_entry_id, l.kind, l.created_at, l.amount_minor, l.currency, \
         a.slug AS artwork_slug, l.donation_id, d.certificate_number, d.verification_code \
         FROM log_pending p \
         JOIN ledger_entries l ON l.id = p.ledger_entry_id \
         JOIN artworks a ON a.id = l.artwork_id \
         JOIN donations d ON d.id = l.donation_id \
         WHERE p.campaign_id = $1 ORDER BY p.ledger_entry_id LIMIT $2",
    )
    .bind(campaign)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
    .context("reading the ledger entries to log")
}

/// Up to `limit` of the campaign's consent records waiting for the log, oldest first.
pub async fn pending_consents(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    limit: i64,
) -> anyhow::Result<Vec<PendingConsentRow>> {
    sqlx::query_as(
        "SELECT p.seq, p.record_id AS consent_id, c.kind, c.recorded_at, a.slug AS artwork_slug, \
         r.slug AS artist_slug, c.consenter, c.assent, c.scope_gifts, c.scope_certificates, c.scope_prints, c.royalty_gifts_bp, \
         c.royalty_prints_bp, c.given_on, c.valid_until, c.given_by, c.relationship, \
         c.witnessed_by, c.form_format, c.form_sha256, c.salt \
         FROM log_pending_records p \
         JOIN consent_records c ON c.id = p.record_id \
         JOIN artworks a ON a.id = c.artwork_id \
         LEFT JOIN artists r ON r.id = a.artist_id \
         WHERE p.campaign_id = $1 AND p.record_kind = 'consent' ORDER BY p.seq LIMIT $2",
    )
    .bind(campaign)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
    .context("reading the consent records to log")
}

/// A match entry waiting for its log entry, with what its entry will say.
#[derive(Debug, sqlx::FromRow)]
pub struct PendingMatchRow {
    pub match_entry_id: i64,
    /// The match's position in the campaign (1 for the first).
    pub sponsor: i64,
    pub amount_minor: i64,
    pub created_at: i64,
    pub artwork_slug: String,
    /// The gift's certificate number, which finds its entry.
    pub certificate_number: Option<i64>,
}

/// Up to `limit` of the campaign's match entries waiting for the log, in the order they were
/// made.
pub async fn pending_matches(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    limit: i64,
) -> anyhow::Result<Vec<PendingMatchRow>> {
    sqlx::query_as(
        "SELECT p.record_id AS match_entry_id, s.position AS sponsor, m.amount_minor, \
         m.created_at, a.slug AS artwork_slug, d.certificate_number \
         FROM log_pending_records p \
         JOIN match_entries m ON m.id = p.record_id \
         JOIN matches s ON s.id = m.match_id \
         JOIN donations d ON d.id = m.donation_id \
         JOIN artworks a ON a.id = d.artwork_id \
         WHERE p.campaign_id = $1 AND p.record_kind = 'match' ORDER BY p.seq LIMIT $2",
    )
    .bind(campaign)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
    .context("reading the matches to log")
}

/// The campaign's currency, as entries write it (capitals).
pub async fn currency_of(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
) -> anyhow::Result<String> {
    let (currency,): (String,) = sqlx::query_as("SELECT currency FROM campaigns WHERE id = $1")
        .bind(campaign)
        .fetch_one(&mut **tx)
        .await
        .context("reading the campaign's currency")?;
    Ok(currency.to_ascii_uppercase())
}

/// The index of the entry that logged record `kind` `id` of the campaign, if it is logged.
pub async fn record_index(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    kind: &str,
    id: i64,
) -> anyhow::Result<Option<u64>> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT idx FROM log_entries WHERE campaign_id = $1 AND record_kind = $2 AND record_id = $3",
    )
    .bind(campaign)
    .bind(kind)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
    .context("finding a record's entry")?;
    Ok(found.map(|i| i as u64))
}

/// Gives donations their verification codes, unless they have one (donations made before codes
/// were made at checkout).
pub async fn set_verification_codes(
    tx: &mut Transaction<'static, Any>,
    codes: &[(String, String)],
) -> anyhow::Result<()> {
    for chunk in codes.chunks(400) {
        let sql = format!(
            "UPDATE donations SET verification_code = v.column2 FROM (VALUES {}) AS v \
             WHERE donations.id = v.column1 AND donations.verification_code IS NULL",
            value_rows(chunk.len(), 2, 1)
        );
        let sql = for_engine(&**tx, sql);
        let mut query = sqlx::query(&sql);
        for (donation, code) in chunk {
            query = query.bind(donation).bind(code);
        }
        query
            .execute(&mut **tx)
            .await
            .context("giving gifts their verification codes")?;
    }
    Ok(())
}

/// The index and amount of a gift's entry, and what its refunds have taken back so far, by the
/// gift's certificate number.
pub async fn gift_entry(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    certificate: i64,
) -> anyhow::Result<Option<(i64, i64, i64)>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT idx, kind, amount_minor FROM log_entries \
         WHERE campaign_id = $1 AND certificate_number = $2 ORDER BY idx",
    )
    .bind(campaign)
    .bind(certificate)
    .fetch_all(&mut **tx)
    .await
    .context("reading a gift's entries")?;
    let gift = rows.iter().find(|(_, kind, _)| kind == "gift");
    let refunded = rows
        .iter()
        .filter(|(_, kind, _)| kind == "refund")
        .map(|(_, _, amount)| -amount)
        .sum();
    Ok(gift.map(|(index, _, amount)| (*index, *amount, refunded)))
}

/// The entry indexes of the campaign's gifts with these certificate numbers that are logged.
pub async fn gift_indexes(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    certificates: &[i64],
) -> anyhow::Result<HashMap<i64, i64>> {
    if certificates.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT certificate_number, idx FROM log_entries WHERE campaign_id = $1 \
         AND kind = 'gift' AND certificate_number IN ({})",
        numbered(certificates.len(), 2)
    );
    let sql = for_engine(&**tx, sql);
    let mut query = sqlx::query_as::<_, (i64, i64)>(&sql).bind(campaign);
    for certificate in certificates {
        query = query.bind(*certificate);
    }
    let rows = query
        .fetch_all(&mut **tx)
        .await
        .context("reading gifts' entries")?;
    Ok(rows.into_iter().collect())
}

/// Stored hashes by index, read inside a transaction.
pub async fn hashes_in(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    indexes: &[u64],
) -> anyhow::Result<HashMap<u64, [u8; 32]>> {
    hashes_from(&mut **tx, campaign, indexes).await
}

/// Stored hashes by index.
pub async fn hashes(
    db: &Db,
    campaign: i64,
    indexes: &[u64],
) -> anyhow::Result<HashMap<u64, [u8; 32]>> {
    hashes_from(db.pool(), campaign, indexes).await
}

/// One query for a few hundred hashes at most: a proof or root needs 64 at most, a tile 256.
async fn hashes_from<'c>(
    executor: impl sqlx::Executor<'c, Database = Any>,
    campaign: i64,
    indexes: &[u64],
) -> anyhow::Result<HashMap<u64, [u8; 32]>> {
    if indexes.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = hashes_query(indexes.len());
    let mut query = sqlx::query_as::<_, (i64, Vec<u8>)>(&sql).bind(campaign);
    for index in indexes {
        query = query.bind(i64::try_from(*index).context("a hash index")?);
    }
    let rows = query
        .fetch_all(executor)
        .await
        .context("reading log hashes")?;
    rows.into_iter()
        .map(|(index, hash)| Ok((index as u64, to_hash(hash)?)))
        .collect()
}

fn hashes_query(count: usize) -> String {
    format!(
        "SELECT hash_index, hash FROM log_hashes WHERE campaign_id = $1 AND hash_index IN ({})",
        numbered(count, 2)
    )
}

fn to_hash(bytes: Vec<u8>) -> anyhow::Result<[u8; 32]> {
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("a stored log hash is not 32 bytes"))
}

/// Writes new entries, their stored hashes, the log's new head and its signed checkpoint, and
/// takes the entries off the pending list.
pub async fn append(
    tx: &mut Transaction<'static, Any>,
    campaign: i64,
    entries: &[NewEntry],
    hashes: &[(u64, [u8; 32])],
    head: &LogHead,
    checkpoint: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    for chunk in entries.chunks(400) {
        let sql = format!(
            "INSERT INTO log_entries (campaign_id, idx, ledger_entry_id, record_kind, record_id, \
             certificate_number, kind, amount_minor, body) VALUES {}",
            value_rows(chunk.len(), 9, 1)
        );
        let sql = for_engine(&**tx, sql);
        let mut query = sqlx::query(&sql);
        for e in chunk {
            query = query
                .bind(campaign)
                .bind(e.index)
                .bind(e.ledger_entry_id)
                .bind(e.record.map(|(kind, _)| kind))
                .bind(e.record.map(|(_, id)| id))
                .bind(e.certificate_number)
                .bind(e.kind)
                .bind(e.amount_minor)
                .bind(&e.body);
        }
        query
            .execute(&mut **tx)
            .await
            .context("writing log entries")?;

        let ledger: Vec<i64> = chunk.iter().filter_map(|e| e.ledger_entry_id).collect();
        if !ledger.is_empty() {
            let sql = format!(
                "DELETE FROM log_pending WHERE ledger_entry_id IN ({})",
                numbered(ledger.len(), 1)
            );
            let sql = for_engine(&**tx, sql);
            let mut query = sqlx::query(&sql);
            for id in ledger {
                query = query.bind(id);
            }
            query
                .execute(&mut **tx)
                .await
                .context("clearing logged entries")?;
        }
        let mut records: std::collections::BTreeMap<&str, Vec<i64>> = Default::default();
        for (kind, id) in chunk.iter().filter_map(|e| e.record) {
            records.entry(kind).or_default().push(id);
        }
        for (kind, ids) in records {
            let sql = format!(
                "DELETE FROM log_pending_records WHERE record_kind = $1 AND record_id IN ({})",
                numbered(ids.len(), 2)
            );
            let sql = for_engine(&**tx, sql);
            let mut query = sqlx::query(&sql).bind(kind);
            for id in ids {
                query = query.bind(id);
            }
            query
                .execute(&mut **tx)
                .await
                .context("clearing logged records")?;
        }
    }
    for chunk in hashes.chunks(1000) {
        let sql = format!(
            "INSERT INTO log_hashes (campaign_id, hash_index, hash) \
             SELECT $1, column1, column2 FROM (VALUES {}) AS v",
            value_rows(chunk.len(), 2, 2)
        );
        let sql = for_engine(&**tx, sql);
        let mut query = sqlx::query(&sql).bind(campaign);
        for (index, hash) in chunk {
            query = query
                .bind(i64::try_from(*index).context("a hash index")?)
                .bind(hash.to_vec());
        }
        query
            .execute(&mut **tx)
            .await
            .context("writing log hashes")?;
    }
    sqlx::query(
        "UPDATE logs SET size = $2, raised_minor = $3, spent_minor = $4, matched_minor = $5 \
         WHERE campaign_id = $1",
    )
    .bind(campaign)
    .bind(head.size)
    .bind(head.raised_minor)
    .bind(head.spent_minor)
    .bind(head.matched_minor)
    .execute(&mut **tx)
    .await
    .context("moving the log's head")?;
    sqlx::query(
        "INSERT INTO log_checkpoints (campaign_id, size, note, signed_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(campaign)
    .bind(head.size)
    .bind(checkpoint)
    .bind(now_ms)
    .execute(&mut **tx)
    .await
    .context("keeping the signed checkpoint")?;
    Ok(())
}

/// A campaign's log as the public reads it: its id, origin and latest published checkpoint.
#[derive(Debug, Clone)]
pub struct PublishedLog {
    pub campaign: i64,
    pub origin: String,
    pub size: u64,
    pub checkpoint: String,
    /// Whether the campaign has a witness policy: it then publishes cosigned checkpoints only.
    pub witnessed: bool,
}

/// The latest published checkpoint of the campaign with `slug`, if its log has begun: the
/// latest signed one, or with a witness policy the latest its witnesses cosigned.
pub async fn published(db: &Db, slug: &str) -> anyhow::Result<Option<PublishedLog>> {
    let row: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT g.campaign_id, g.origin, CAST(COUNT(p.quorum) AS BIGINT) FROM campaigns c \
         JOIN logs g ON g.campaign_id = c.id \
         LEFT JOIN log_witness_policies p ON p.campaign_id = c.id \
         WHERE c.slug = $1 GROUP BY g.campaign_id, g.origin",
    )
    .bind(slug)
    .fetch_optional(db.pool())
    .await
    .context("reading the campaign's log")?;
    let Some((campaign, origin, policies)) = row else {
        return Ok(None);
    };
    let witnessed = policies > 0;
    let latest = latest_in(db, campaign, witnessed).await?;
    Ok(latest.map(|(size, checkpoint)| PublishedLog {
        campaign,
        origin,
        size,
        checkpoint,
        witnessed,
    }))
}

/// Where a campaign's published checkpoints are kept.
fn checkpoints_table(witnessed: bool) -> &'static str {
    if witnessed {
        "log_cosigned_checkpoints"
    } else {
        "log_checkpoints"
    }
}

/// The latest checkpoint, as `(size, note)`, of the signed ones or of the cosigned ones.
async fn latest_in(
    db: &Db,
    campaign: i64,
    witnessed: bool,
) -> anyhow::Result<Option<(u64, String)>> {
    let row: Option<(i64, String)> = sqlx::query_as(&format!(
        "SELECT size, note FROM {} WHERE campaign_id = $1 ORDER BY size DESC LIMIT 1",
        checkpoints_table(witnessed)
    ))
    .bind(campaign)
    .fetch_optional(db.pool())
    .await
    .context("reading the latest checkpoint")?;
    Ok(row.map(|(size, note)| (size as u64, note)))
}

/// The bodies of entries `from..to` of a campaign's log, in order.
pub async fn bodies(db: &Db, campaign: i64, from: u64, to: u64) -> anyhow::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT body FROM log_entries WHERE campaign_id = $1 AND idx >= $2 AND idx < $3 \
         ORDER BY idx",
    )
    .bind(campaign)
    .bind(from as i64)
    .bind(to as i64)
    .fetch_all(db.pool())
    .await
    .context("reading log entries")?;
    Ok(rows.into_iter().map(|(body,)| body).collect())
}

/// A donor's gift in the log: its campaign, index and text, found by donation.
pub async fn gift_of_donation(
    db: &Db,
    donation: &str,
) -> anyhow::Result<Option<(i64, i64, String)>> {
    sqlx::query_as(
        "SELECT e.campaign_id, e.idx, e.body FROM donations d JOIN log_entries e \
         ON e.campaign_id = d.campaign_id AND e.certificate_number = d.certificate_number \
         WHERE d.id = $1 AND e.kind = 'gift'",
    )
    .bind(donation)
    .fetch_optional(db.pool())
    .await
    .context("finding a gift's entry")
}

/// A gift in the log found by its certificate number, if its entry carries `commitment` (so
/// only someone who holds the gift's verification code finds it): its index and text.
pub async fn gift_by_commitment(
    db: &Db,
    campaign: i64,
    certificate: i64,
    commitment: &str,
) -> anyhow::Result<Option<(i64, String)>> {
    let found: Option<(i64, String)> = sqlx::query_as(
        "SELECT idx, body FROM log_entries \
         WHERE campaign_id = $1 AND certificate_number = $2 AND kind = 'gift'",
    )
    .bind(campaign)
    .bind(certificate)
    .fetch_optional(db.pool())
    .await
    .context("finding a gift's entry")?;
    let line = format!("\ncommitment {commitment}\n");
    Ok(found.filter(|(_, body)| body.ends_with(&line)))
}

/// The published checkpoint of `log` at exactly `size`, if there is one.
pub async fn checkpoint_at(
    db: &Db,
    log: &PublishedLog,
    size: u64,
) -> anyhow::Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(&format!(
        "SELECT note FROM {} WHERE campaign_id = $1 AND size = $2",
        checkpoints_table(log.witnessed)
    ))
    .bind(log.campaign)
    .bind(size as i64)
    .fetch_optional(db.pool())
    .await
    .context("reading a checkpoint")?;
    Ok(row.map(|(note,)| note))
}

/// What a donor's receipt reads from their donation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DonationLog {
    pub campaign_id: i64,
    pub status: String,
    pub certificate_number: Option<i64>,
    pub verification_code: Option<String>,
}

/// A donation's campaign, status, certificate number and verification code.
pub async fn donation(db: &Db, donation: &str) -> anyhow::Result<Option<DonationLog>> {
    sqlx::query_as(
        "SELECT campaign_id, status, certificate_number, verification_code FROM donations \
         WHERE id = $1",
    )
    .bind(donation)
    .fetch_optional(db.pool())
    .await
    .context("reading a donation for its receipt")
}

/// The latest published checkpoint of a campaign's log, by campaign id, as `(size, note)`.
pub async fn latest_checkpoint(db: &Db, campaign: i64) -> anyhow::Result<Option<(u64, String)>> {
    let (policies,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM log_witness_policies WHERE campaign_id = $1",
    )
    .bind(campaign)
    .fetch_one(db.pool())
    .await
    .context("reading the campaign's witness policy")?;
    latest_in(db, campaign, policies > 0).await
}

/// When the checkpoint of `size` entries was signed (Unix milliseconds).
pub async fn checkpoint_signed_at(db: &Db, campaign: i64, size: u64) -> anyhow::Result<i64> {
    let (at,): (i64,) = sqlx::query_as(
        "SELECT signed_at FROM log_checkpoints WHERE campaign_id = $1 AND size = $2",
    )
    .bind(campaign)
    .bind(size as i64)
    .fetch_one(db.pool())
    .await
    .context("reading when a checkpoint was signed")?;
    Ok(at)
}

/// Minor units taken back by the refund entries of the gift at `index` (0 when none).
pub async fn refunded_of(db: &Db, campaign: i64, index: i64) -> anyhow::Result<i64> {
    let (refunded,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(-SUM(r.amount_minor), 0) AS BIGINT) FROM log_entries g \
         JOIN log_entries r ON r.campaign_id = g.campaign_id \
         AND r.certificate_number = g.certificate_number AND r.kind = 'refund' \
         WHERE g.campaign_id = $1 AND g.idx = $2",
    )
    .bind(campaign)
    .bind(index)
    .fetch_one(db.pool())
    .await
    .context("reading a gift's refunds")?;
    Ok(refunded)
}

/// A witness a campaign's log asks to cosign.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WitnessRow {
    pub vkey: String,
    pub url: String,
    pub cosigned_size: i64,
}

/// A campaign whose latest signed checkpoint its witnesses have not cosigned yet.
#[derive(Debug, Clone)]
pub struct ToWitness {
    pub campaign: i64,
    pub quorum: usize,
    pub size: u64,
    pub checkpoint: String,
    pub witnesses: Vec<WitnessRow>,
}

/// The campaigns with a witness policy whose latest signed checkpoint is not cosigned yet.
pub async fn to_witness(db: &Db) -> anyhow::Result<Vec<ToWitness>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT p.campaign_id, p.quorum FROM log_witness_policies p \
         JOIN logs g ON g.campaign_id = p.campaign_id \
         WHERE g.size > COALESCE((SELECT MAX(k.size) FROM log_cosigned_checkpoints k \
         WHERE k.campaign_id = p.campaign_id), 0)",
    )
    .fetch_all(db.pool())
    .await
    .context("finding checkpoints to witness")?;
    let mut found = Vec::with_capacity(rows.len());
    for (campaign, quorum) in rows {
        let Some((size, checkpoint)) = latest_in(db, campaign, false).await? else {
            continue;
        };
        let witnesses = witnesses_of(db, campaign).await?;
        found.push(ToWitness {
            campaign,
            quorum: quorum as usize,
            size,
            checkpoint,
            witnesses,
        });
    }
    Ok(found)
}

/// The witnesses of a campaign's policy and its quorum (none and 0 without a policy).
pub async fn policy(db: &Db, campaign: i64) -> anyhow::Result<(Vec<WitnessRow>, usize)> {
    let quorum: Option<(i64,)> =
        sqlx::query_as("SELECT quorum FROM log_witness_policies WHERE campaign_id = $1")
            .bind(campaign)
            .fetch_optional(db.pool())
            .await
            .context("reading the campaign's witness policy")?;
    let Some((quorum,)) = quorum else {
        return Ok((Vec::new(), 0));
    };
    Ok((witnesses_of(db, campaign).await?, quorum as usize))
}

/// A campaign's witnesses, in a fixed order.
async fn witnesses_of(db: &Db, campaign: i64) -> anyhow::Result<Vec<WitnessRow>> {
    sqlx::query_as(
        "SELECT vkey, url, cosigned_size FROM log_witnesses WHERE campaign_id = $1 ORDER BY vkey",
    )
    .bind(campaign)
    .fetch_all(db.pool())
    .await
    .context("reading the campaign's witnesses")
}

/// Remembers that the witness `vkey` has cosigned the campaign's checkpoint of `size` entries
/// (or told us so when it refused an old size).
pub async fn set_cosigned_size(
    db: &Db,
    campaign: i64,
    vkey: &str,
    size: u64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE log_witnesses SET cosigned_size = $1 WHERE campaign_id = $2 AND vkey = $3")
        .bind(size as i64)
        .bind(campaign)
        .bind(vkey)
        .execute(db.pool())
        .await
        .context("remembering a witness's size")?;
    Ok(())
}

/// Publishes a checkpoint that met the campaign's witness policy.
pub async fn publish_cosigned(db: &Db, campaign: i64, size: u64, note: &str) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO log_cosigned_checkpoints (campaign_id, size, note) VALUES ($1, $2, $3) \
         ON CONFLICT (campaign_id, size) DO NOTHING",
    )
    .bind(campaign)
    .bind(size as i64)
    .bind(note)
    .execute(db.pool())
    .await
    .context("publishing a cosigned checkpoint")?;
    Ok(())
}

/// Gives a campaign's log these witnesses (submission URL and verifier key) and needs `quorum`
/// of them to cosign each published checkpoint; no witnesses removes the policy. A witness kept
/// keeps what it is known to have cosigned.
pub async fn set_witnesses(
    db: &Db,
    campaign: i64,
    witnesses: &[(String, String)],
    quorum: usize,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        witnesses.is_empty() || (1..=witnesses.len()).contains(&quorum),
        "the quorum must be between 1 and the number of witnesses"
    );
    let mut tx = db.begin_write().await?;
    let kept: Vec<&str> = witnesses.iter().map(|(_, vkey)| vkey.as_str()).collect();
    let existing: Vec<(String,)> =
        sqlx::query_as("SELECT vkey FROM log_witnesses WHERE campaign_id = $1")
            .bind(campaign)
            .fetch_all(&mut *tx.tx)
            .await?;
    for (vkey,) in existing.iter().filter(|(v,)| !kept.contains(&v.as_str())) {
        sqlx::query("DELETE FROM log_witnesses WHERE campaign_id = $1 AND vkey = $2")
            .bind(campaign)
            .bind(vkey)
            .execute(&mut *tx.tx)
            .await?;
    }
    for (url, vkey) in witnesses {
        sqlx::query(
            "INSERT INTO log_witnesses (campaign_id, vkey, url) VALUES ($1, $2, $3) \
             ON CONFLICT (campaign_id, vkey) DO UPDATE SET url = excluded.url",
        )
        .bind(campaign)
        .bind(vkey)
        .bind(url)
        .execute(&mut *tx.tx)
        .await?;
    }
    sqlx::query("DELETE FROM log_witness_policies WHERE campaign_id = $1")
        .bind(campaign)
        .execute(&mut *tx.tx)
        .await?;
    if !witnesses.is_empty() {
        sqlx::query("INSERT INTO log_witness_policies (campaign_id, quorum) VALUES ($1, $2)")
            .bind(campaign)
            .bind(quorum as i64)
            .execute(&mut *tx.tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
