//! The integrator: appends every paid gift and refund (and every match, consent, plan and paid
//! expense) to its campaign's log and signs a new checkpoint, off the webhook's path.
//!
//! A ledger entry is pending from the transaction that wrote it (a trigger lists it in
//! `log_pending`) until the transaction that logs it, which writes its entry and stored hashes,
//! moves the log's head, signs and keeps the checkpoint, and takes it off the list. So whatever
//! crashes, each gift and refund gets exactly one entry. On PostgreSQL an advisory lock lets one
//! instance integrate a campaign at a time; every instance serves the same log.

use super::entry::{commitment, consent_commitment, minute_of, Entry, Kind, Link, Stated};
use super::keys::LogKeys;
use super::store::{self, LogHead, NewEntry};
use super::tree::{right_edge, Known};
use crate::artworks::consent::{Assent, Consenter, Scope, SignedForm, Terms};
use crate::db::{now_ms, Backend, Db};
use crate::site::PublicUrl;
use crate::spending::expense::Expense;
use crate::spending::store::PendingPlan;
use anyhow::Context;
use std::collections::HashMap;
use std::time::Duration;

/// The most entries one transaction appends. On SQLite the integrator holds the one write turn
/// while it writes; small batches let the ledger's own commits in between, so gifts arriving
/// meanwhile wait for one short batch at most.
const BATCH: i64 = 256;
/// How often the pending list is looked at: often enough that a gift is signed into the log
/// well within a second, seldom enough that on SQLite the integrator takes the single write turn
/// a few times a second only.
const EVERY: Duration = Duration::from_millis(200);

/// The origin line of a campaign's log: `<host>/campaigns/<slug>`.
pub fn origin_of(site: &PublicUrl, slug: &str) -> String {
    format!("{}/campaigns/{slug}", site.host())
}

/// The origin a campaign's log signs under: the one it began with or, for a log not begun yet,
/// the one it will begin with. `None` when no campaign has that slug.
pub async fn origin_for(db: &Db, site: &PublicUrl, slug: &str) -> anyhow::Result<Option<String>> {
    if let Some(log) = store::published(db, slug).await? {
        return Ok(Some(log.origin));
    }
    let Ok(parsed) = slug.parse::<crate::slug::Slug>() else {
        return Ok(None);
    };
    let campaign = crate::campaigns::store::id_of(db, &parsed).await?;
    Ok(campaign.map(|_| origin_of(site, slug)))
}

/// Runs the integrator on the current Tokio runtime for as long as the process lives.
pub fn spawn(db: Db, keys: LogKeys, site: PublicUrl) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(error) = integrate_all(&db, &keys, &site).await {
                tracing::error!(
                    error = format!("{error:#}"),
                    "the public log could not be extended"
                );
            }
        }
    });
}

/// Logs everything pending, campaign by campaign; returns how many entries were appended.
pub async fn integrate_all(db: &Db, keys: &LogKeys, site: &PublicUrl) -> anyhow::Result<u64> {
    let mut appended = 0;
    for campaign in store::campaigns_pending(db).await? {
        loop {
            let added = integrate(db, keys, site, campaign)
                .await
                .with_context(|| format!("extending the log of campaign {campaign}"))?;
            appended += added;
            if added < BATCH as u64 {
                break;
            }
        }
    }
    Ok(appended)
}

/// Appends up to one batch of the campaign's pending entries and signs the new checkpoint, in
/// one transaction. Returns how many entries it appended.
pub async fn integrate(
    db: &Db,
    keys: &LogKeys,
    site: &PublicUrl,
    campaign: i64,
) -> anyhow::Result<u64> {
    // The checkpoint is served and copied by witnesses the moment it commits: its commit must
    // be on disk before anyone can read it (`begin_public_write`).
    if db.backend() == Backend::Postgres {
        let mut tx = db.begin_public_write().await?;
        if !store::try_lock(&mut tx.tx, campaign).await? {
            return Ok(0);
        }
        let Some(batch) = prepare(&mut tx.tx, keys, site, campaign).await? else {
            return Ok(0);
        };
        return write(tx, keys, campaign, batch).await;
    }
    // On SQLite the ledger's commits wait for the one write turn, so the batch is read, hashed
    // and signed before taking it, from a snapshot, and the turn is held only to write. The log's
    // row is made first, so that the snapshot's reads write nothing.
    if !store::log_exists(db, campaign).await? {
        let mut tx = db.begin_write().await?;
        store::head(&mut tx.tx, campaign, |slug| origin_of(site, slug)).await?;
        tx.commit().await?;
    }
    let mut snapshot = db.pool().begin().await.context("a read transaction")?;
    let prepared = prepare(&mut snapshot, keys, site, campaign).await?;
    snapshot
        .rollback()
        .await
        .context("ending a read transaction")?;
    let Some(batch) = prepared else {
        return Ok(0);
    };
    let mut tx = db.begin_public_write().await?;
    // Only an integrator moves the head and takes entries off the pending list: if none did
    // since the snapshot, what it read is still what is pending.
    let now = store::head(&mut tx.tx, campaign, |slug| origin_of(site, slug)).await?;
    if now.size != batch.old_size {
        return Ok(0);
    }
    write(tx, keys, campaign, batch).await
}

/// A batch of entries ready to append: read, hashed and signed.
struct Batch {
    old_size: i64,
    head: LogHead,
    entries: Vec<NewEntry>,
    stored: Vec<(u64, [u8; 32])>,
    new_codes: Vec<(String, String)>,
    root: [u8; 32],
    checkpoint: String,
}

/// Writes a prepared batch, moves the head and keeps the checkpoint; commits.
async fn write(
    mut tx: crate::db::WriteTransaction,
    keys: &LogKeys,
    campaign: i64,
    batch: Batch,
) -> anyhow::Result<u64> {
    store::set_verification_codes(&mut tx.tx, &batch.new_codes).await?;
    store::append(
        &mut tx.tx,
        campaign,
        &batch.entries,
        &batch.stored,
        &batch.head,
        &batch.checkpoint,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    keys.record_signed(&batch.head.origin, batch.head.size as u64, &batch.root)?;
    Ok(batch.entries.len() as u64)
}

/// Reads up to one batch of the campaign's pending entries, makes their entries and stored
/// hashes, and signs the checkpoint that will hold them. `None` when nothing is pending.
async fn prepare(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    keys: &LogKeys,
    site: &PublicUrl,
    campaign: i64,
) -> anyhow::Result<Option<Batch>> {
    let mut head = store::head(tx, campaign, |slug| origin_of(site, slug)).await?;
    // Consent records first: a consent is always recorded before any gift it allows is paid,
    // so its entry comes before theirs.
    let records = pending_records(tx, campaign).await?;
    let pending = store::pending(tx, campaign, BATCH - records.len() as i64).await?;
    // Matches last: each follows its gift's entry, in this batch or an earlier one.
    let room = BATCH - (records.len() + pending.len()) as i64;
    let matches = match room {
        1.. => store::pending_matches(tx, campaign, room).await?,
        _ => Vec::new(),
    };
    if pending.is_empty() && records.is_empty() && matches.is_empty() {
        return Ok(None);
    }
    let old_size = head.size as u64;
    let mut known = store::hashes_in(tx, campaign, &right_edge(old_size)).await?;

    // Gifts first, so a refund paid back in the same batch finds its gift's entry.
    let (gifts, refunds): (Vec<_>, Vec<_>) = pending.into_iter().partition(|p| p.kind == "gift");
    let mut entries: Vec<NewEntry> = Vec::new();
    let mut stored: Vec<(u64, [u8; 32])> = Vec::new();
    // Gifts of this batch or found for its refunds: certificate → (index, amount, refunded).
    let mut batch_gifts: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    let mut new_codes: Vec<(String, String)> = Vec::new();
    let currency = store::currency_of(tx, campaign).await?;
    // Expenses logged in this batch: number → entry index, for a reversal of one of them.
    let mut batch_expenses: HashMap<i64, u64> = HashMap::new();
    for record in records {
        let (entry, source) = match record {
            Record::Consent(row) => (
                consent_entry(&head, &currency, row.consent_id, &row)?,
                ("consent", row.consent_id),
            ),
            Record::Plan(plan) => (plan_entry(&head, &currency, &plan), ("plan", plan.id)),
            Record::Fees(settlement) => {
                head.spent_minor += settlement.amount_minor;
                (
                    expense_entry(&head, &currency, &settlement, None),
                    ("fees", settlement.id),
                )
            }
            Record::Expense(expense) => {
                let reversed = match expense.reverses {
                    Some(original) => Some(match batch_expenses.get(&original) {
                        Some(index) => *index,
                        None => store::record_index(tx, campaign, "expense", original)
                            .await?
                            .context("a reversal of an expense not in the log")?,
                    }),
                    None => None,
                };
                batch_expenses.insert(expense.id, head.size as u64);
                head.spent_minor += expense.amount_minor;
                (
                    expense_entry(&head, &currency, &expense, reversed),
                    ("expense", expense.id),
                )
            }
        };
        let kind = entry.kind.as_str();
        let row = record_row(source, kind, 0);
        add(&mut entries, &mut stored, &mut known, &mut head, entry, row)?;
    }
    for row in gifts.into_iter().chain(refunds) {
        let kind = Kind::parse(&row.kind).context("a ledger entry of an unknown kind")?;
        let certificate_number = row
            .certificate_number
            .context("a paid gift without a certificate number")?;
        let currency = row.currency.to_ascii_uppercase();
        let link = match kind {
            Kind::Gift => {
                let certificate =
                    u64::try_from(certificate_number).context("a negative certificate number")?;
                let code = match row.verification_code {
                    Some(code) => code,
                    None => {
                        let code = crate::ids::verification_code()?;
                        new_codes.push((row.donation_id.clone(), code.clone()));
                        code
                    }
                };
                batch_gifts.insert(certificate_number, (head.size, row.amount_minor, 0));
                Link::Commitment(commitment(&head.origin, certificate, &code))
            }
            Kind::Refund => {
                if !batch_gifts.contains_key(&certificate_number) {
                    if let Some(found) = store::gift_entry(tx, campaign, certificate_number).await?
                    {
                        batch_gifts.insert(certificate_number, found);
                    }
                }
                let gift = batch_gifts.get_mut(&certificate_number);
                let Some((gift_index, gift_amount, refunded)) = gift else {
                    // Its gift is not logged yet (it will be, and this waits for it).
                    tracing::warn!("a refund waits for its gift's log entry");
                    continue;
                };
                if *refunded - row.amount_minor > *gift_amount {
                    // The ledger never books this; if it did, the log still refuses it.
                    tracing::error!("a refund exceeds what its gift put in; it is not logged");
                    continue;
                }
                *refunded -= row.amount_minor;
                Link::Refers(*gift_index as u64)
            }
            Kind::Consent | Kind::Withdrawal | Kind::Budget | Kind::Expense | Kind::Match => {
                anyhow::bail!("a ledger entry of kind {}", kind.as_str())
            }
        };
        head.raised_minor += row.amount_minor;
        let entry = Entry {
            kind,
            time: minute_of(row.created_at),
            artwork: row.artwork_slug,
            artist: None,
            amount: row.amount_minor,
            raised: head.raised_minor,
            currency,
            consent: None,
            link,
        };
        add(
            &mut entries,
            &mut stored,
            &mut known,
            &mut head,
            entry,
            |index| NewEntry {
                index,
                ledger_entry_id: Some(row.ledger_entry_id),
                record: None,
                certificate_number: Some(certificate_number),
                kind: kind.as_str(),
                amount_minor: row.amount_minor,
                body: String::new(),
            },
        )?;
    }
    // The gifts of matches whose gift was logged in an earlier batch, in one read.
    let earlier: Vec<i64> = matches
        .iter()
        .filter_map(|m| m.certificate_number)
        .filter(|c| !batch_gifts.contains_key(c))
        .collect();
    let mut gift_index: HashMap<i64, i64> = store::gift_indexes(tx, campaign, &earlier).await?;
    gift_index.extend(batch_gifts.iter().map(|(c, (index, _, _))| (*c, *index)));
    for row in matches {
        let certificate = row
            .certificate_number
            .context("a match on a gift without a certificate number")?;
        let Some(gift_index) = gift_index.get(&certificate) else {
            // Its gift is not logged yet (it will be, and this waits for it).
            continue;
        };
        head.matched_minor += row.amount_minor;
        let entry = Entry {
            kind: Kind::Match,
            time: minute_of(row.created_at),
            artwork: row.artwork_slug,
            artist: None,
            amount: 0,
            raised: head.raised_minor,
            currency: currency.clone(),
            consent: Some(Stated::Match {
                sponsor: u32::try_from(row.sponsor).context("a match's position")?,
                amount: row.amount_minor,
                matched: head.matched_minor,
            }),
            link: Link::Refers(*gift_index as u64),
        };
        let source = ("match", row.match_entry_id);
        let row = record_row(source, Kind::Match.as_str(), row.amount_minor);
        add(&mut entries, &mut stored, &mut known, &mut head, entry, row)?;
    }
    if entries.is_empty() {
        return Ok(None);
    }
    let new_size = head.size as u64;
    let root = tlog_tiles::tree_hash(new_size, &Known(&known))
        .map_err(|e| anyhow::anyhow!("computing the root: {e}"))?
        .0;
    refuse_a_fork(tx, keys, campaign, &head, &known).await?;
    let signer = keys.signer(&head.origin);
    let checkpoint = signer.sign_note(&checkpoint_text(&head.origin, new_size, &root))?;
    Ok(Some(Batch {
        old_size: old_size as i64,
        head,
        entries,
        stored,
        new_codes,
        root,
        checkpoint,
    }))
}

/// A record other than a ledger entry, waiting for the log.
enum Record {
    Consent(store::PendingConsentRow),
    Plan(PendingPlan),
    Expense(Expense),
    /// The payment provider's fees on gifts, settled: an expense of kind `fees`.
    Fees(Expense),
}

/// Up to a batch of the campaign's records waiting for the log, in the order they were made.
async fn pending_records(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    campaign: i64,
) -> anyhow::Result<Vec<Record>> {
    let consents = store::pending_consents(tx, campaign, BATCH).await?;
    let plans = crate::spending::store::pending(tx, campaign, BATCH).await?;
    let expenses = crate::spending::expenses::pending(tx, campaign, BATCH).await?;
    let fees = crate::spending::fees::pending(tx, campaign, BATCH).await?;
    let mut records: Vec<(i64, Record)> = consents
        .into_iter()
        .map(|c| (c.seq, Record::Consent(c)))
        .chain(plans.into_iter().map(|(seq, p)| (seq, Record::Plan(p))))
        .chain(
            expenses
                .into_iter()
                .map(|(seq, e)| (seq, Record::Expense(e))),
        )
        .chain(fees.into_iter().map(|(seq, f)| (seq, Record::Fees(f))))
        .collect();
    records.sort_by_key(|(seq, _)| *seq);
    records.truncate(BATCH as usize);
    Ok(records.into_iter().map(|(_, r)| r).collect())
}

/// A plan version's entry: its version and each line's planned amount, and the digest of its
/// whole text. It leaves the running total as it was.
fn plan_entry(head: &LogHead, currency: &str, plan: &PendingPlan) -> Entry {
    Entry {
        kind: Kind::Budget,
        time: minute_of(plan.published_at),
        artwork: String::new(),
        artist: None,
        amount: 0,
        raised: head.raised_minor,
        currency: currency.to_owned(),
        consent: Some(Stated::Plan {
            version: plan.version,
            lines: plan
                .lines
                .iter()
                .map(|l| (l.line.clone(), l.planned_minor))
                .collect(),
        }),
        link: Link::Digest(crate::spending::plan_digest(&plan.lines)),
    }
}

/// A paid expense's entry: its line, kind and amount, the running total spent (already moved
/// by it), and its digest, or for a reversal the index of the entry it reverses.
fn expense_entry(
    head: &LogHead,
    currency: &str,
    expense: &Expense,
    reversed: Option<u64>,
) -> Entry {
    Entry {
        kind: Kind::Expense,
        time: minute_of(
            expense
                .paid_at
                .map_or(expense.recorded_at.unix_ms(), |t| t.unix_ms()),
        ),
        artwork: String::new(),
        artist: expense.artist.clone(),
        amount: 0,
        raised: head.raised_minor,
        currency: currency.to_owned(),
        consent: Some(Stated::Expense {
            line: expense.line.clone(),
            kind: expense.kind,
            amount: expense.amount_minor,
            spent: head.spent_minor,
            documents: expense.documents.iter().map(|d| d.entry_value()).collect(),
        }),
        link: match reversed {
            Some(index) => Link::Refers(index),
            None => Link::Digest(crate::spending::expense::expense_digest(expense)),
        },
    }
}

/// The row of a record's entry (a consent, plan, expense or match: not a ledger entry), as
/// [`add`] takes it.
fn record_row(
    record: (&'static str, i64),
    kind: &'static str,
    amount_minor: i64,
) -> impl FnOnce(i64) -> NewEntry {
    move |index| NewEntry {
        index,
        ledger_entry_id: None,
        record: Some(record),
        certificate_number: None,
        kind,
        amount_minor,
        body: String::new(),
    }
}

/// Appends `entry` at the log's head: its stored hashes, and its row as `row` makes it.
fn add(
    entries: &mut Vec<NewEntry>,
    stored: &mut Vec<(u64, [u8; 32])>,
    known: &mut HashMap<u64, [u8; 32]>,
    head: &mut LogHead,
    entry: Entry,
    row: impl FnOnce(i64) -> NewEntry,
) -> anyhow::Result<()> {
    let body = entry.to_text();
    let index = head.size as u64;
    let hashes = tlog_tiles::stored_hashes(index, body.as_bytes(), &Known(known))
        .map_err(|e| anyhow::anyhow!("hashing entry {index}: {e}"))?;
    let first = tlog_tiles::stored_hash_index(0, index);
    for (offset, hash) in hashes.into_iter().enumerate() {
        known.insert(first + offset as u64, hash.0);
        stored.push((first + offset as u64, hash.0));
    }
    entries.push(NewEntry {
        body,
        ..row(head.size)
    });
    head.size += 1;
    Ok(())
}

/// A consent record's entry: its public terms, and its private details only inside the
/// commitment. It leaves the running total as it was.
fn consent_entry(
    head: &LogHead,
    currency: &str,
    id: i64,
    row: &store::PendingConsentRow,
) -> anyhow::Result<Entry> {
    let consenter = Consenter::parse(&row.consenter).context("an unknown consenter")?;
    let (kind, stated) = if row.kind == "withdrawal" {
        (Kind::Withdrawal, Stated::Withdrawal(consenter))
    } else {
        let bp = |v: i64| u16::try_from(v).context("a royalty share out of range");
        let terms = Terms {
            consenter,
            assent: Assent::parse(&row.assent).context("an unknown assent")?,
            scope: Scope {
                gifts: row.scope_gifts == 1,
                certificates: row.scope_certificates == 1,
                prints: row.scope_prints == 1,
            },
            royalty_gifts_bp: bp(row.royalty_gifts_bp)?,
            royalty_prints_bp: bp(row.royalty_prints_bp)?,
            from: row.given_on.clone(),
            until: row.valid_until.clone(),
            form: SignedForm::from_columns(row.form_format.as_deref(), row.form_sha256.as_deref()),
        };
        (Kind::Consent, Stated::Consent(terms))
    };
    let private = [
        row.given_by.as_str(),
        row.relationship.as_str(),
        row.witnessed_by.as_str(),
    ];
    Ok(Entry {
        kind,
        time: minute_of(row.recorded_at),
        artwork: row.artwork_slug.clone(),
        // A consent names whose work it is; a withdrawal only who withdrew it.
        artist: (kind == Kind::Consent)
            .then(|| row.artist_slug.clone())
            .flatten(),
        amount: 0,
        raised: head.raised_minor,
        currency: currency.to_owned(),
        consent: Some(stated),
        link: Link::Commitment(consent_commitment(&head.origin, id, &row.salt, private)),
    })
}

/// The checkpoint's note text (c2sp.org/tlog-checkpoint): origin, size, base64 root.
pub fn checkpoint_text(origin: &str, size: u64, root: &[u8; 32]) -> String {
    use base64::Engine;
    format!(
        "{origin}\n{size}\n{}\n",
        base64::engine::general_purpose::STANDARD.encode(root)
    )
}

/// Fails unless the tree about to be signed contains the last tree this key signed for the log.
async fn refuse_a_fork(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    keys: &LogKeys,
    campaign: i64,
    head: &LogHead,
    known: &HashMap<u64, [u8; 32]>,
) -> anyhow::Result<()> {
    let Some((signed_size, signed_root)) = keys.last_signed(&head.origin)? else {
        return Ok(());
    };
    let refuse = || {
        anyhow::anyhow!(
            "this key already signed a checkpoint of {signed_size} entries for {} that the \
             database does not contain: restore the database (or give the log a new key and \
             origin) before it signs again",
            head.origin
        )
    };
    if signed_size > head.size as u64 {
        return Err(refuse());
    }
    let mut hashes = known.clone();
    let missing: Vec<u64> = right_edge(signed_size)
        .into_iter()
        .filter(|i| !hashes.contains_key(i))
        .collect();
    hashes.extend(store::hashes_in(tx, campaign, &missing).await?);
    let root = tlog_tiles::tree_hash(signed_size, &Known(&hashes)).map_err(|_| refuse())?;
    if root.0 != signed_root {
        return Err(refuse());
    }
    Ok(())
}
