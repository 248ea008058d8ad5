//! Matches and matched money in the database: what the ledger reads and appends in a gift's
//! transaction, what pages show, and what staff set.

use super::{in_window, MatchOffer, MatchRule};
use crate::dates::Timestamp;
use crate::db::{for_engine, numbered, value_rows, Backend, Db};
use crate::i18n::Locale;
use crate::ids::{CampaignId, DonationId};
use crate::money::{Currency, Money};
use anyhow::Context;
use sqlx::{Any, FromRow, Transaction};
use std::collections::{BTreeMap, HashMap};

#[derive(FromRow)]
struct RuleRow {
    id: i64,
    campaign_id: i64,
    utc_offset_minutes: i64,
    ratio_bp: i64,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
    cap_per_gift_minor: Option<i64>,
    cap_per_donor_day_minor: Option<i64>,
    total_cap_minor: i64,
    matched_minor: i64,
}

/// A match as a gift's transaction finds it: its rule and what it has matched so far.
#[derive(Clone, Debug)]
pub struct Running {
    pub campaign: i64,
    pub utc_offset_minutes: i64,
    pub id: i64,
    pub rule: MatchRule,
    pub matched: i64,
}

/// The matches of these campaigns, in their order, with what each has matched. On PostgreSQL the
/// rows are locked (always in this order, so two instances never wait on each other in a
/// circle): another instance's gifts for them wait for this transaction, and caps hold across
/// instances.
pub async fn lock_rules(
    tx: &mut Transaction<'static, Any>,
    campaigns: &[i64],
    backend: Backend,
) -> anyhow::Result<Vec<Running>> {
    if campaigns.is_empty() {
        return Ok(Vec::new());
    }
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE OF m",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "SELECT m.id, m.campaign_id, c.utc_offset_minutes, m.ratio_bp, m.starts_at, m.ends_at, \
         m.cap_per_gift_minor, m.cap_per_donor_day_minor, m.total_cap_minor, m.matched_minor \
         FROM matches m JOIN campaigns c ON c.id = m.campaign_id \
         WHERE m.campaign_id IN ({}) ORDER BY m.campaign_id, m.position{lock}",
        numbered(campaigns.len(), 1)
    );
    let sql = for_engine(&**tx, sql);
    let mut query = sqlx::query_as(&sql);
    for campaign in campaigns {
        query = query.bind(*campaign);
    }
    let rows: Vec<RuleRow> = query
        .fetch_all(&mut **tx)
        .await
        .context("reading matches")?;
    Ok(rows
        .into_iter()
        .map(|r| Running {
            campaign: r.campaign_id,
            utc_offset_minutes: r.utc_offset_minutes,
            id: r.id,
            rule: MatchRule {
                ratio_bp: r.ratio_bp,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                cap_per_gift: r.cap_per_gift_minor,
                cap_per_donor_day: r.cap_per_donor_day_minor,
                total_cap: r.total_cap_minor,
            },
            matched: r.matched_minor,
        })
        .collect())
}

/// What a match has given one gift so far, and under which donor and day.
#[derive(Clone, Debug, FromRow)]
pub struct GiftMatch {
    pub donation_id: String,
    pub match_id: i64,
    pub matched: i64,
    pub donor_key: String,
    pub day: i64,
}

/// What each match has given these gifts (net of reversals).
pub async fn on_gifts(
    tx: &mut Transaction<'static, Any>,
    donations: &[&str],
) -> anyhow::Result<Vec<GiftMatch>> {
    if donations.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT donation_id, match_id, CAST(SUM(amount_minor) AS BIGINT) AS matched, \
         MIN(donor_key) AS donor_key, MIN(day) AS day FROM match_entries \
         WHERE donation_id IN ({}) GROUP BY donation_id, match_id",
        numbered(donations.len(), 1)
    );
    let sql = for_engine(&**tx, sql);
    let mut query = sqlx::query_as(&sql);
    for donation in donations {
        query = query.bind(*donation);
    }
    query
        .fetch_all(&mut **tx)
        .await
        .context("reading gifts' matches")
}

/// What each (match, donor, day) has been matched so far, for the keys asked.
pub async fn donors_today(
    tx: &mut Transaction<'static, Any>,
    matches: &[i64],
    donors: &[&str],
) -> anyhow::Result<HashMap<(i64, String, i64), i64>> {
    if matches.is_empty() || donors.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT match_id, donor_key, day, CAST(SUM(amount_minor) AS BIGINT) FROM match_entries \
         WHERE match_id IN ({}) AND donor_key IN ({}) GROUP BY match_id, donor_key, day",
        numbered(matches.len(), 1),
        numbered(donors.len(), 1 + matches.len())
    );
    let sql = for_engine(&**tx, sql);
    let mut query = sqlx::query_as(&sql);
    for id in matches {
        query = query.bind(*id);
    }
    for donor in donors {
        query = query.bind(*donor);
    }
    let rows: Vec<(i64, String, i64, i64)> = query
        .fetch_all(&mut **tx)
        .await
        .context("reading donors' matched money")?;
    Ok(rows
        .into_iter()
        .map(|(m, k, d, sum)| ((m, k, d), sum))
        .collect())
}

/// The key the per-donor daily cap counts by: a digest of the donor's email, trimmed and in
/// lower case, or the donation itself when no email was given.
pub fn donor_key(email: Option<&str>, donation: &str) -> String {
    match given_email(email) {
        Some(email) => crate::email::store::address_key(email),
        None => format!("gift:{donation}"),
    }
}

/// Whether the donor gave an email: whether [`donor_key`] counts them across gifts.
pub fn has_email(email: Option<&str>) -> bool {
    given_email(email).is_some()
}

fn given_email(email: Option<&str>) -> Option<&str> {
    email.map(str::trim).filter(|e| !e.is_empty())
}

/// Matched money to append.
pub struct NewEntry<'a> {
    pub campaign: i64,
    pub match_id: i64,
    pub donation: &'a str,
    pub amount: i64,
    pub donor_key: &'a str,
    pub day: i64,
    pub event: &'a str,
}

/// Appends matched money and moves each match's running sum by it.
pub async fn append(
    tx: &mut Transaction<'static, Any>,
    entries: &[NewEntry<'_>],
    now: i64,
) -> anyhow::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO match_entries (campaign_id, match_id, donation_id, amount_minor, donor_key, \
         day, stripe_event_id, created_at) \
         SELECT column1, column2, column3, column4, column5, column6, column7, $1 \
         FROM (VALUES {}) AS v",
        value_rows(entries.len(), 7, 2)
    );
    let sql = for_engine(&**tx, sql);
    let mut insert = sqlx::query(&sql).bind(now);
    for e in entries {
        insert = insert
            .bind(e.campaign)
            .bind(e.match_id)
            .bind(e.donation)
            .bind(e.amount)
            .bind(e.donor_key)
            .bind(e.day)
            .bind(e.event);
    }
    insert
        .execute(&mut **tx)
        .await
        .context("appending matched money")?;
    let mut by_match: BTreeMap<i64, i64> = BTreeMap::new();
    for e in entries {
        *by_match.entry(e.match_id).or_default() += e.amount;
    }
    let sql = format!(
        "UPDATE matches SET matched_minor = matched_minor + v.column2 \
         FROM (VALUES {}) AS v WHERE matches.id = v.column1",
        value_rows(by_match.len(), 2, 1)
    );
    let sql = for_engine(&**tx, sql);
    let mut update = sqlx::query(&sql);
    for (id, amount) in by_match {
        update = update.bind(id).bind(amount);
    }
    update
        .execute(&mut **tx)
        .await
        .context("moving matches' sums")?;
    Ok(())
}

#[derive(FromRow)]
struct OfferRow {
    sponsor: String,
    ratio_bp: i64,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
    cap_per_gift_minor: Option<i64>,
    total_cap_minor: i64,
    matched_minor: i64,
}

/// The name in `locale` of each sponsor, by its match's position (as the public log's match
/// entries name them).
pub async fn sponsors(
    db: &Db,
    campaign: CampaignId,
    locale: Locale,
) -> anyhow::Result<HashMap<u32, String>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT position, {} FROM matches WHERE campaign_id = $1",
        sponsor_column(locale)
    ))
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("reading a campaign's sponsors")?;
    Ok(rows
        .into_iter()
        .filter_map(|(position, name)| Some((u32::try_from(position).ok()?, name)))
        .collect())
}

/// The sponsor's name in `locale`: the English one where no Chinese one was given.
fn sponsor_column(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "sponsor_en",
        Locale::ZhCn => "COALESCE(NULLIF(sponsor_zh, ''), sponsor_en)",
    }
}

/// The campaign's matches as pages show them, in their order: those started and not ended yet,
/// and those that matched money. A match that has not started yet is not announced.
pub async fn offers(
    db: &Db,
    campaign: CampaignId,
    currency: Currency,
    locale: Locale,
    now: i64,
) -> anyhow::Result<Vec<MatchOffer>> {
    let sponsor = sponsor_column(locale);
    let rows: Vec<OfferRow> = sqlx::query_as(&format!(
        "SELECT {sponsor} AS sponsor, ratio_bp, starts_at, ends_at, cap_per_gift_minor, \
         total_cap_minor, matched_minor FROM matches WHERE campaign_id = $1 \
         AND (starts_at IS NULL OR starts_at <= $2) \
         AND (ends_at IS NULL OR ends_at > $2 OR matched_minor > 0) ORDER BY position"
    ))
    .bind(campaign.get())
    .bind(now)
    .fetch_all(db.pool())
    .await
    .context("reading a campaign's matches")?;
    let money = |minor| Money::from_minor(minor, currency);
    rows.into_iter()
        .map(|r| {
            Ok(MatchOffer {
                sponsor: r.sponsor,
                ratio_bp: r.ratio_bp,
                total_cap: money(r.total_cap_minor)?,
                matched: money(r.matched_minor)?,
                cap_per_gift: r.cap_per_gift_minor.map(money).transpose()?,
                ends_at: r.ends_at.map(Timestamp::from_unix_ms),
                running: in_window(r.starts_at, r.ends_at, now)
                    && r.matched_minor < r.total_cap_minor,
            })
        })
        .collect()
}

/// The budget the campaign (`$1`) has left for gifts paid at `$2` over the matches whose window
/// holds then; NULL when none does. A subquery, read with the campaign's totals.
pub const REMAINING: &str = "SELECT CAST(SUM(total_cap_minor - matched_minor) AS BIGINT) \
     FROM matches WHERE campaign_id = $1 AND (starts_at IS NULL OR starts_at <= $2) \
     AND (ends_at IS NULL OR ends_at > $2)";

/// What the matches added to one gift, net of reversals.
pub async fn matched_on(db: &Db, donation: &DonationId) -> anyhow::Result<i64> {
    let sum: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(amount_minor) AS BIGINT) FROM match_entries WHERE donation_id = $1",
    )
    .bind(donation.as_str())
    .fetch_one(db.pool())
    .await
    .context("reading a gift's match")?;
    Ok(sum.unwrap_or(0))
}

/// A match as staff set it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMatch {
    pub sponsor_en: String,
    pub sponsor_zh: String,
    pub rule: MatchRule,
}

/// A match as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct StaffMatch {
    pub id: i64,
    pub sponsor_en: String,
    pub sponsor_zh: String,
    pub ratio_bp: i64,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub cap_per_gift_minor: Option<i64>,
    pub cap_per_donor_day_minor: Option<i64>,
    pub total_cap_minor: i64,
    pub matched_minor: i64,
}

/// Adds a match after the campaign's others; `None` when it already runs as many as it may.
pub async fn add(
    tx: &mut Transaction<'_, Any>,
    campaign: CampaignId,
    m: &NewMatch,
) -> anyhow::Result<Option<i64>> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM matches WHERE campaign_id = $1")
        .bind(campaign.get())
        .fetch_one(&mut **tx)
        .await
        .context("counting matches")?;
    if count >= super::MAX_MATCHES as i64 {
        return Ok(None);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO matches (campaign_id, position, sponsor_en, sponsor_zh, ratio_bp, \
         starts_at, ends_at, cap_per_gift_minor, cap_per_donor_day_minor, total_cap_minor, \
         created_at) SELECT $1, COALESCE(MAX(position), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10 FROM matches WHERE campaign_id = $1 RETURNING id",
    )
    .bind(campaign.get())
    .bind(&m.sponsor_en)
    .bind(&m.sponsor_zh)
    .bind(m.rule.ratio_bp)
    .bind(m.rule.starts_at)
    .bind(m.rule.ends_at)
    .bind(m.rule.cap_per_gift)
    .bind(m.rule.cap_per_donor_day)
    .bind(m.rule.total_cap)
    .bind(crate::db::now_ms())
    .fetch_one(&mut **tx)
    .await
    .context("adding a match")?;
    Ok(Some(id))
}

/// Ends a running match now: gifts paid from now on are not matched by it. False when the
/// campaign has no such match, or it ended already.
pub async fn end(db: &Db, campaign: CampaignId, id: i64, now: i64) -> anyhow::Result<bool> {
    let ended = sqlx::query(
        "UPDATE matches SET ends_at = $3 WHERE campaign_id = $1 AND id = $2 \
         AND (ends_at IS NULL OR ends_at > $3) AND (starts_at IS NULL OR starts_at < $3)",
    )
    .bind(campaign.get())
    .bind(id)
    .bind(now)
    .execute(db.pool())
    .await
    .context("ending a match")?;
    Ok(ended.rows_affected() == 1)
}

/// The campaigns where a match's window opened or closed in `(after, until]` (Unix ms): what
/// their pages show of matches changed with no gift to say so.
pub async fn windows_turned(db: &Db, after: i64, until: i64) -> anyhow::Result<Vec<CampaignId>> {
    let found: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT campaign_id FROM matches \
         WHERE (starts_at > $1 AND starts_at <= $2) OR (ends_at > $1 AND ends_at <= $2)",
    )
    .bind(after)
    .bind(until)
    .fetch_all(db.pool())
    .await
    .context("reading matches' windows")?;
    Ok(found.into_iter().map(CampaignId::new).collect())
}

/// The campaign's matches, in their order.
pub async fn list(db: &Db, campaign: CampaignId) -> anyhow::Result<Vec<StaffMatch>> {
    sqlx::query_as(
        "SELECT id, sponsor_en, sponsor_zh, ratio_bp, starts_at, ends_at, cap_per_gift_minor, \
         cap_per_donor_day_minor, total_cap_minor, matched_minor FROM matches \
         WHERE campaign_id = $1 ORDER BY position",
    )
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("listing matches")
}
