//! One transaction for a batch of payment events.
//!
//! A batch takes the same few statements whatever its size: record the event ids, read (and on
//! PostgreSQL lock) the donations they name, then write the donations, the ledger entries, the
//! artworks' totals and each campaign's totals once. In between, [`transition`] runs in memory in
//! event order, so two events about one donation in one batch apply one after the other, exactly
//! as they would in two transactions.

use super::{transition, Applied, DonationRef, DonationState, PaymentChange, PaymentEvent};
use crate::db::{for_engine, now_ms, numbered, value_rows, Backend, Db, Durable};
use crate::donations::DonationStatus;
use crate::email::store as email;
use crate::ids::CampaignId;
use crate::ids::DonationId;
use crate::live::announce::Change;
use crate::matching::local_day;
use crate::matching::store as matching;
use anyhow::Context;
use sqlx::{Any, FromRow, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Applies `events` in one transaction and answers for each, in order, once it is on disk. An
/// error means every event should be delivered again: the transaction rolled back, or the disk
/// did not confirm its commit (a delivery again finds it recorded, or applies it).
pub async fn apply_batch(db: &Db, events: &[PaymentEvent]) -> anyhow::Result<Vec<Applied>> {
    let (applied, durable) = apply_batch_then(db, events).await?;
    durable.wait().await?;
    Ok(applied)
}

/// [`apply_batch`], answering as soon as the transaction committed: the answers hold once
/// `Durable::wait` returns, and nobody outside hears of them before.
#[tracing::instrument(skip_all, fields(events = events.len()))]
pub(super) async fn apply_batch_then(
    db: &Db,
    events: &[PaymentEvent],
) -> anyhow::Result<(Vec<Applied>, Durable)> {
    if events.is_empty() {
        return Ok((Vec::new(), Durable::default()));
    }
    let now = now_ms();
    let mut w = db.begin_write().await?;
    let fresh = record_events(&mut w.tx, events, now).await?;
    let rows = lock_donations(&mut w.tx, events, &fresh, now).await?;
    let mut batch = Batch::new(rows)?;
    let mut answered = HashSet::new();
    let mut applied = Vec::with_capacity(events.len());
    for event in events {
        let first_delivery = fresh.contains(&event.id) && answered.insert(event.id.as_str());
        applied.push(if first_delivery {
            batch.apply(event)?
        } else {
            Applied::Duplicate
        });
    }
    batch.match_gifts(&mut w.tx, now, db.backend()).await?;
    batch.write(&mut w.tx, now, db.backend()).await?;
    write_outcomes(&mut w.tx, events, &applied).await?;
    let durable = w.commit_then().await?;
    Ok((applied, durable))
}

#[derive(FromRow)]
struct DonationRow {
    id: String,
    campaign_id: i64,
    artwork_id: i64,
    amount_minor: i64,
    currency: String,
    status: String,
    paid_minor: i64,
    refunded_minor: i64,
    payment_intent_id: Option<String>,
    email: Option<String>,
}

/// A donation as the batch moves it along.
struct Working {
    row: DonationRow,
    state: DonationState,
    /// Set by this batch: the payment it was paid with, the payment's time, its certificate.
    payment_intent: Option<String>,
    paid_now: bool,
    certificate: Option<i64>,
    changed: bool,
    /// Its counted amount moved in this batch (it is in `Batch::counted`).
    counted: bool,
}

/// One money movement to append, with the event that caused it.
struct Entry<'e> {
    donation: usize,
    amount: i64,
    event: &'e str,
}

/// Matched money to append: a share of a gift, or its reversal.
struct MatchEntry<'e> {
    donation: usize,
    match_id: i64,
    amount: i64,
    donor_key: String,
    day: i64,
    event: &'e str,
}

#[derive(Default)]
struct CampaignChange {
    raised: i64,
    matched: i64,
    donors: i64,
    /// Donations (by index) earning a certificate, in the order they were paid.
    certificates: Vec<usize>,
    /// A paid gift was wholly refunded: it leaves the public feed, which viewers read again.
    gift_withdrawn: bool,
}

#[derive(Default)]
struct ArtworkChange {
    campaign: i64,
    raised: i64,
    gifts: i64,
}

/// The donations a batch touches and what it will write.
struct Batch<'e> {
    donations: Vec<Working>,
    by_id: HashMap<String, usize>,
    by_payment_intent: HashMap<String, usize>,
    entries: Vec<Entry<'e>>,
    /// Donations whose counted amount moved, in the order it first moved, with the event.
    counted: Vec<(usize, &'e str)>,
    matches: Vec<MatchEntry<'e>>,
    campaigns: BTreeMap<i64, CampaignChange>,
    artworks: BTreeMap<i64, ArtworkChange>,
}

impl<'e> Batch<'e> {
    fn new(rows: Vec<DonationRow>) -> anyhow::Result<Batch<'e>> {
        let mut batch = Batch {
            donations: Vec::with_capacity(rows.len()),
            by_id: HashMap::new(),
            by_payment_intent: HashMap::new(),
            entries: Vec::new(),
            counted: Vec::new(),
            matches: Vec::new(),
            campaigns: BTreeMap::new(),
            artworks: BTreeMap::new(),
        };
        for row in rows {
            let index = batch.donations.len();
            batch.by_id.insert(row.id.clone(), index);
            if let Some(pi) = &row.payment_intent_id {
                batch.by_payment_intent.entry(pi.clone()).or_insert(index);
            }
            let state = DonationState {
                status: row.status.parse().map_err(anyhow::Error::msg)?,
                amount_minor: row.amount_minor,
                currency: row.currency.clone(),
                paid_minor: row.paid_minor,
                refunded_minor: row.refunded_minor,
            };
            batch.donations.push(Working {
                payment_intent: row.payment_intent_id.clone(),
                row,
                state,
                paid_now: false,
                certificate: None,
                changed: false,
                counted: false,
            });
        }
        Ok(batch)
    }

    /// Applies one event (its first delivery) to the donations in memory.
    fn apply(&mut self, event: &'e PaymentEvent) -> anyhow::Result<Applied> {
        if event.change == PaymentChange::Ignored {
            return Ok(Applied::Ignored);
        }
        let found = match &event.donation {
            DonationRef::Id(id) => self.by_id.get(id.as_str()),
            DonationRef::PaymentIntent(pi) => self.by_payment_intent.get(pi),
            DonationRef::Unknown => None,
        };
        let Some(&index) = found else {
            tracing::warn!(event = %event.id, "payment event for no known donation");
            return Ok(Applied::UnknownDonation);
        };
        let donation = &mut self.donations[index];
        let t = transition(&donation.state, &event.change);
        let payment_intent = match &event.change {
            PaymentChange::Completed { payment_intent, .. }
            | PaymentChange::AsyncSucceeded { payment_intent, .. } => payment_intent.as_ref(),
            _ => None,
        }
        .filter(|_| donation.payment_intent.is_none());
        if t.is_noop() && payment_intent.is_none() {
            return Ok(Applied::NoChange);
        }
        if t.mismatch {
            // Ids only: the amounts are in the database for staff.
            tracing::warn!(donation = %donation.row.id, "paid amount or currency differs from the request: held");
        }
        if let Some(pi) = payment_intent {
            donation.payment_intent = Some(pi.clone());
            self.by_payment_intent.entry(pi.clone()).or_insert(index);
        }
        let state = &mut donation.state;
        state.status = t.status.unwrap_or(state.status);
        if let Some(paid) = t.paid_minor {
            state.paid_minor = paid;
            donation.paid_now = true;
        }
        state.refunded_minor = t.refunded_minor.unwrap_or(state.refunded_minor);
        donation.changed = true;
        let status = state.status;
        let (campaign, artwork) = (donation.row.campaign_id, donation.row.artwork_id);
        let id =
            DonationId::parse(&donation.row.id).context("a stored donation id is malformed")?;

        if t.raised() != 0 && !donation.counted {
            donation.counted = true;
            self.counted.push((index, &event.id));
        }
        self.entries.extend(t.entries.iter().map(|&amount| Entry {
            donation: index,
            amount,
            event: &event.id,
        }));
        let totals = self.campaigns.entry(campaign).or_default();
        totals.raised += t.raised();
        totals.donors += t.donors;
        if t.certificate {
            totals.certificates.push(index);
        }
        totals.gift_withdrawn |= status.leaves_public_feed();
        let totals = self.artworks.entry(artwork).or_default();
        totals.campaign = campaign;
        totals.raised += t.raised();
        totals.gifts += t.donors;
        Ok(Applied::Changed {
            donation: id,
            status,
            campaign: CampaignId::new(campaign),
        })
    }

    /// Matches the gifts paid in this batch and reverses the matches of gifts refunded, in the
    /// order their money moved, so the caps are spent in that order.
    async fn match_gifts(
        &mut self,
        tx: &mut Transaction<'static, Any>,
        now: i64,
        backend: Backend,
    ) -> anyhow::Result<()> {
        if self.counted.is_empty() {
            return Ok(());
        }
        let campaigns: BTreeSet<i64> = self
            .counted
            .iter()
            .map(|(d, _)| self.donations[*d].row.campaign_id)
            .collect();
        let campaigns: Vec<i64> = campaigns.into_iter().collect();
        let mut running = matching::lock_rules(tx, &campaigns, backend).await?;
        if running.is_empty() {
            return Ok(());
        }
        // Only a gift paid in an earlier batch can have been matched already.
        let matched: Vec<&str> = self
            .counted
            .iter()
            .map(|(d, _)| &self.donations[*d].row)
            .filter(|row| row.paid_minor > 0)
            .filter(|row| running.iter().any(|r| r.campaign == row.campaign_id))
            .map(|row| row.id.as_str())
            .collect();
        let mut given: HashMap<(String, i64), matching::GiftMatch> =
            matching::on_gifts(tx, &matched)
                .await?
                .into_iter()
                .map(|g| ((g.donation_id.clone(), g.match_id), g))
                .collect();
        let keys: HashMap<usize, String> = self
            .counted
            .iter()
            .map(|(d, _)| {
                let row = &self.donations[*d].row;
                (*d, matching::donor_key(row.email.as_deref(), &row.id))
            })
            .collect();
        // A donor's day so far matters only to a daily cap, and only for a gift paid now by a
        // donor known by email: a gift without one is its own donor, and was never paid before.
        let ids: Vec<i64> = running
            .iter()
            .filter(|r| r.rule.cap_per_donor_day.is_some())
            .map(|r| r.id)
            .collect();
        let key_list: Vec<&str> = keys
            .iter()
            .filter(|(d, _)| self.donations[**d].paid_now)
            .filter(|(d, _)| matching::has_email(self.donations[**d].row.email.as_deref()))
            .map(|(_, key)| key.as_str())
            .collect();
        let mut today = matching::donors_today(tx, &ids, &key_list).await?;
        for &(index, event) in &self.counted {
            let donation = &self.donations[index];
            let state = &donation.state;
            let kept_gift = match state.status {
                DonationStatus::Paid => {
                    state.paid_minor - state.refunded_minor.min(state.paid_minor)
                }
                _ => 0,
            };
            let campaign = donation.row.campaign_id;
            for r in running.iter_mut().filter(|r| r.campaign == campaign) {
                let entry = match given.get_mut(&(donation.row.id.clone(), r.id)) {
                    None if donation.paid_now => {
                        let day = local_day(now, r.utc_offset_minutes);
                        let key = keys[&index].clone();
                        let used = today.entry((r.id, key.clone(), day)).or_default();
                        let share = r.rule.share(kept_gift, now, r.matched, *used);
                        *used += share;
                        (share > 0).then_some(MatchEntry {
                            donation: index,
                            match_id: r.id,
                            amount: share,
                            donor_key: key,
                            day,
                            event,
                        })
                    }
                    None => None,
                    Some(gift) => {
                        let kept = r.rule.kept(gift.matched, kept_gift);
                        let reversed = kept - gift.matched;
                        gift.matched = kept;
                        (reversed < 0).then(|| MatchEntry {
                            donation: index,
                            match_id: r.id,
                            amount: reversed,
                            donor_key: gift.donor_key.clone(),
                            day: gift.day,
                            event,
                        })
                    }
                };
                if let Some(entry) = entry {
                    r.matched += entry.amount;
                    self.campaigns.entry(campaign).or_default().matched += entry.amount;
                    self.matches.push(entry);
                }
            }
        }
        Ok(())
    }

    /// Writes what the batch did: totals (numbering certificates), donations, ledger entries,
    /// matches, and the receipts of the gifts paid.
    async fn write(
        mut self,
        tx: &mut Transaction<'static, Any>,
        now: i64,
        backend: Backend,
    ) -> anyhow::Result<()> {
        self.write_campaign_totals(tx, now).await?;
        if backend == Backend::Postgres {
            // Other instances hear of it when, and only if, this commits.
            for (campaign, totals) in &self.campaigns {
                let change = if totals.gift_withdrawn {
                    Change::Feed
                } else {
                    Change::Gifts
                };
                let notify = change.notify_statement(CampaignId::new(*campaign));
                sqlx::query(&notify)
                    .persistent(false)
                    .execute(&mut **tx)
                    .await
                    .context("notifying other instances")?;
            }
        }
        self.write_artwork_totals(tx).await?;
        self.write_donations(tx, now).await?;
        self.write_entries(tx, now).await?;
        let matches: Vec<matching::NewEntry> = self
            .matches
            .iter()
            .map(|m| {
                let row = &self.donations[m.donation].row;
                matching::NewEntry {
                    campaign: row.campaign_id,
                    match_id: m.match_id,
                    donation: &row.id,
                    amount: m.amount,
                    donor_key: &m.donor_key,
                    day: m.day,
                    event: m.event,
                }
            })
            .collect();
        matching::append(tx, &matches, now).await?;
        let receipts: Vec<email::ReceiptCause> = self
            .donations
            .iter()
            .filter(|d| d.certificate.is_some())
            .filter_map(|d| {
                let address = d.row.email.as_deref().filter(|a| !a.trim().is_empty())?;
                Some(email::ReceiptCause {
                    donation: &d.row.id,
                    address,
                })
            })
            .collect();
        email::queue_receipts(tx, &receipts, now).await
    }

    /// Moves each campaign's totals once and hands out its next certificate numbers in order.
    async fn write_campaign_totals(
        &mut self,
        tx: &mut Transaction<'static, Any>,
        now: i64,
    ) -> anyhow::Result<()> {
        for (campaign, change) in &self.campaigns {
            let issued = i64::try_from(change.certificates.len())?;
            if change.raised == 0 && change.donors == 0 && issued == 0 && change.matched == 0 {
                continue;
            }
            let last: i64 = sqlx::query_scalar(
                "UPDATE campaign_totals SET raised_minor = raised_minor + $1, \
                 donors = donors + $2, certificates_issued = certificates_issued + $3, \
                 updated_at = $4, matched_minor = matched_minor + $6 WHERE campaign_id = $5 \
                 RETURNING certificates_issued",
            )
            .bind(change.raised)
            .bind(change.donors)
            .bind(issued)
            .bind(now)
            .bind(*campaign)
            .bind(change.matched)
            .fetch_one(&mut **tx)
            .await
            .context("updating campaign totals")?;
            for (number, &donation) in (last - issued + 1..).zip(&change.certificates) {
                self.donations[donation].certificate = Some(number);
            }
        }
        Ok(())
    }

    /// Adds to each artwork's totals, creating the row for an artwork's first gift, in one
    /// statement. Refunds take away in another: a row to insert is checked against the table's
    /// CHECKs before its conflict turns it into an update, so it cannot carry a negative change.
    async fn write_artwork_totals(&self, tx: &mut Transaction<'static, Any>) -> anyhow::Result<()> {
        let (added, taken): (Vec<_>, Vec<_>) = self
            .artworks
            .iter()
            .filter(|(_, c)| c.raised != 0 || c.gifts != 0)
            .partition(|(_, c)| c.raised >= 0 && c.gifts >= 0);
        if !added.is_empty() {
            let sql = format!(
                "INSERT INTO artwork_totals (artwork_id, campaign_id, raised_minor, gifts) \
                 SELECT column1, column2, column3, column4 FROM (VALUES {}) AS v WHERE true \
                 ON CONFLICT (artwork_id) DO UPDATE SET \
                 raised_minor = artwork_totals.raised_minor + excluded.raised_minor, \
                 gifts = artwork_totals.gifts + excluded.gifts",
                value_rows(added.len(), 4, 1)
            );
            let sql = for_engine(&**tx, sql);
            let mut upsert = sqlx::query(&sql);
            for (artwork, change) in &added {
                upsert = upsert
                    .bind(**artwork)
                    .bind(change.campaign)
                    .bind(change.raised)
                    .bind(change.gifts);
            }
            upsert
                .execute(&mut **tx)
                .await
                .context("adding to artwork totals")?;
        }
        if taken.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "UPDATE artwork_totals SET raised_minor = raised_minor + v.column2, \
             gifts = gifts + v.column3 FROM (VALUES {}) AS v \
             WHERE artwork_totals.artwork_id = v.column1",
            value_rows(taken.len(), 3, 1)
        );
        let sql = for_engine(&**tx, sql);
        let mut update = sqlx::query(&sql);
        for (artwork, change) in &taken {
            update = update
                .bind(**artwork)
                .bind(change.raised)
                .bind(change.gifts);
        }
        update
            .execute(&mut **tx)
            .await
            .context("taking from artwork totals")?;
        Ok(())
    }

    /// Moves every changed donation forward in one statement.
    async fn write_donations(
        &self,
        tx: &mut Transaction<'static, Any>,
        now: i64,
    ) -> anyhow::Result<()> {
        let changed: Vec<&Working> = self.donations.iter().filter(|d| d.changed).collect();
        if changed.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "UPDATE donations SET status = v.column2, paid_minor = v.column3, \
             refunded_minor = v.column4, \
             certificate_number = COALESCE(v.column5, donations.certificate_number), \
             payment_intent_id = COALESCE(v.column6, donations.payment_intent_id), \
             paid_at = COALESCE(v.column7, donations.paid_at), \
             updated_at = $1 FROM (VALUES {}) AS v WHERE donations.id = v.column1",
            value_rows(changed.len(), 7, 2)
        );
        let sql = for_engine(&**tx, sql);
        let mut update = sqlx::query(&sql).bind(now);
        for d in changed {
            update = update
                .bind(&d.row.id)
                .bind(d.state.status.as_str())
                .bind(d.state.paid_minor)
                .bind(d.state.refunded_minor)
                .bind(d.certificate)
                .bind(d.payment_intent.as_deref())
                .bind(d.paid_now.then_some(now));
        }
        update
            .execute(&mut **tx)
            .await
            .context("moving donations forward")?;
        Ok(())
    }

    /// Appends the batch's money movements to the ledger.
    async fn write_entries(
        &self,
        tx: &mut Transaction<'static, Any>,
        now: i64,
    ) -> anyhow::Result<()> {
        if self.entries.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "INSERT INTO ledger_entries (campaign_id, artwork_id, donation_id, kind, \
             amount_minor, currency, stripe_event_id, created_at) \
             SELECT column1, column2, column3, column4, column5, column6, column7, $1 \
             FROM (VALUES {}) AS v",
            value_rows(self.entries.len(), 7, 2)
        );
        let sql = for_engine(&**tx, sql);
        let mut insert = sqlx::query(&sql).bind(now);
        for entry in &self.entries {
            let row = &self.donations[entry.donation].row;
            insert = insert
                .bind(row.campaign_id)
                .bind(row.artwork_id)
                .bind(&row.id)
                .bind(if entry.amount > 0 { "gift" } else { "refund" })
                .bind(entry.amount)
                .bind(&row.currency)
                .bind(entry.event);
        }
        insert
            .execute(&mut **tx)
            .await
            .context("appending to the ledger")?;
        Ok(())
    }
}

/// Records each event id once; returns the ids seen here for the first time. On PostgreSQL, an
/// id another transaction is recording waits for it, then counts as seen.
async fn record_events(
    tx: &mut Transaction<'static, Any>,
    events: &[PaymentEvent],
    now: i64,
) -> anyhow::Result<HashSet<String>> {
    let mut seen = HashSet::new();
    let distinct: Vec<&PaymentEvent> = events.iter().filter(|e| seen.insert(&e.id)).collect();
    let sql = format!(
        "INSERT INTO stripe_events (id, type, donation_id, outcome, received_at) \
         SELECT column1, column2, column3, 'applied', $1 FROM (VALUES {}) AS v WHERE true \
         ON CONFLICT (id) DO NOTHING RETURNING id",
        value_rows(distinct.len(), 3, 2)
    );
    let sql = for_engine(&**tx, sql);
    let mut insert = sqlx::query_scalar(&sql).bind(now);
    for event in distinct {
        insert = insert
            .bind(&event.id)
            .bind(&event.type_name)
            .bind(match &event.donation {
                DonationRef::Id(id) => Some(id.as_str()),
                _ => None,
            });
    }
    let fresh: Vec<String> = insert
        .fetch_all(&mut **tx)
        .await
        .context("recording events")?;
    Ok(fresh.into_iter().collect())
}

/// Reads the donations that the new events name. Touching the rows takes their locks on
/// PostgreSQL, so another instance's events for them wait for this transaction.
async fn lock_donations(
    tx: &mut Transaction<'static, Any>,
    events: &[PaymentEvent],
    fresh: &HashSet<String>,
    now: i64,
) -> anyhow::Result<Vec<DonationRow>> {
    let mut ids = Vec::new();
    let mut payment_intents = Vec::new();
    for event in events.iter().filter(|e| fresh.contains(&e.id)) {
        if event.change == PaymentChange::Ignored {
            continue;
        }
        match &event.donation {
            DonationRef::Id(id) => ids.push(id.as_str()),
            DonationRef::PaymentIntent(pi) => payment_intents.push(pi.as_str()),
            DonationRef::Unknown => {}
        }
    }
    if ids.is_empty() && payment_intents.is_empty() {
        return Ok(Vec::new());
    }
    let mut conditions = Vec::new();
    if !ids.is_empty() {
        conditions.push(format!("id IN ({})", numbered(ids.len(), 2)));
    }
    if !payment_intents.is_empty() {
        let first = 2 + ids.len();
        conditions.push(format!(
            "payment_intent_id IN ({})",
            numbered(payment_intents.len(), first)
        ));
    }
    let sql = format!(
        "UPDATE donations SET updated_at = $1 WHERE {} RETURNING id, campaign_id, artwork_id, \
         amount_minor, currency, status, paid_minor, refunded_minor, payment_intent_id, email",
        conditions.join(" OR ")
    );
    let sql = for_engine(&**tx, sql);
    let mut select = sqlx::query_as(&sql).bind(now);
    for key in ids.into_iter().chain(payment_intents) {
        select = select.bind(key);
    }
    select
        .fetch_all(&mut **tx)
        .await
        .context("reading donations")
}

/// Notes on each event's record what became of it, when that was not "applied".
async fn write_outcomes(
    tx: &mut Transaction<'static, Any>,
    events: &[PaymentEvent],
    applied: &[Applied],
) -> anyhow::Result<()> {
    let mut by_outcome: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (event, applied) in events.iter().zip(applied) {
        // A new event's record says "applied" already; a duplicate's belongs to its first delivery.
        if matches!(applied, Applied::Changed { .. } | Applied::Duplicate) {
            continue;
        }
        by_outcome
            .entry(applied.as_str())
            .or_default()
            .push(&event.id);
    }
    for (outcome, ids) in by_outcome {
        let sql = format!(
            "UPDATE stripe_events SET outcome = $1 WHERE id IN ({})",
            numbered(ids.len(), 2)
        );
        let sql = for_engine(&**tx, sql);
        let mut update = sqlx::query(&sql).bind(outcome);
        for id in ids {
            update = update.bind(id);
        }
        update
            .execute(&mut **tx)
            .await
            .context("recording events' outcomes")?;
    }
    Ok(())
}
