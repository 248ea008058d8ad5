//! The outbox: emails queued with what caused them, claimed by a mail worker, marked sent.
//!
//! A worker claims an email for a while (`claimed_until`) before it talks to the mail server, so
//! two workers (two instances) never send the same email together, and an email whose worker
//! died mid-send is taken over once the claim runs out. Failures wait longer each time
//! ([`retry_after`]) and give up after [`MAX_ATTEMPTS`].

use super::{Confirmation, Receipt, UpdateEmail};
use crate::artworks::store as artworks;
use crate::campaigns::store as campaigns;
use crate::db::{for_engine, now_ms, value_rows, Backend, Db};
use crate::i18n::Locale;
use crate::ids::{random_hex, CampaignId, DonationId};
use crate::matching::store as matching;
use crate::money::Money;
use crate::sharing::store as sharing;
use crate::site::PublicUrl;
use anyhow::Context;
use sha2::{Digest, Sha256};
use sqlx::{Any, FromRow, Transaction};

/// Attempts before an email is given up (about a day and a half of retries).
pub const MAX_ATTEMPTS: i64 = 12;

/// How long to wait after the `attempts`-th failure: 30 s, doubling, at most 4 hours.
pub fn retry_after(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    (30_000_i64 << doublings).min(4 * 60 * 60 * 1000)
}

/// An address as a key that does not show it: SHA-256 of it, trimmed and in lower case.
pub fn address_key(address: &str) -> String {
    hex::encode(Sha256::digest(address.trim().to_lowercase().as_bytes()))
}

/// The unsubscribe link's path for an email's token.
pub fn unsubscribe_path(token: &str) -> String {
    format!("/unsubscribe/{token}")
}

/// A donation just paid whose donor gave an address: its receipt, queued unless the campaign
/// sends none or the address unsubscribed.
pub struct ReceiptCause<'a> {
    pub donation: &'a str,
    pub address: &'a str,
}

/// Queues the receipts of `paid` in the transaction that records them as paid. A cause already
/// queued is left as it is, so a receipt is queued once whatever is delivered twice.
pub async fn queue_receipts(
    tx: &mut Transaction<'static, Any>,
    paid: &[ReceiptCause<'_>],
    now: i64,
) -> anyhow::Result<()> {
    if paid.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO outbox (campaign_id, kind, cause, about, recipient, locale, token, \
         next_attempt_at, created_at) \
         SELECT d.campaign_id, 'receipt', 'receipt:' || d.id, d.id, d.email, d.locale, v.column2, \
         $1, $2 FROM (VALUES {}) AS v JOIN donations d ON d.id = v.column1 \
         JOIN campaigns c ON c.id = d.campaign_id \
         WHERE c.send_receipts = 1 AND d.email IS NOT NULL AND NOT EXISTS \
         (SELECT 1 FROM email_unsubscribes u WHERE u.campaign_id = d.campaign_id \
          AND u.address_key = v.column3) \
         ON CONFLICT (cause) DO NOTHING",
        value_rows(paid.len(), 3, 3)
    );
    let sql = for_engine(&**tx, sql);
    let mut insert = sqlx::query(&sql).bind(now).bind(now);
    for cause in paid {
        insert = insert
            .bind(cause.donation)
            .bind(random_hex::<16>()?)
            .bind(address_key(cause.address));
    }
    insert
        .execute(&mut **tx)
        .await
        .context("queueing receipts")?;
    Ok(())
}

/// An email a worker has claimed to send.
#[derive(Clone, Debug, FromRow)]
pub struct Claimed {
    pub id: i64,
    pub campaign_id: i64,
    pub kind: String,
    pub about: String,
    pub recipient: String,
    pub locale: String,
    pub token: String,
    pub attempts: i64,
}

/// Claims up to `limit` emails that are due and not held by another worker, for `lease_ms`.
pub async fn claim_due(db: &Db, limit: i64, lease_ms: i64) -> anyhow::Result<Vec<Claimed>> {
    let now = now_ms();
    let lock = match db.backend() {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id IN \
         (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $2 \
          AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3 {lock}) \
         RETURNING id, campaign_id, kind, about, recipient, locale, token, attempts"
    );
    let _turn = db.write_turn().await;
    sqlx::query_as(&sql)
        .bind(now + lease_ms)
        .bind(now)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .context("claiming emails to send")
}

/// What became of a claimed email.
pub enum Outcome {
    Sent,
    /// Not sent on purpose: its address unsubscribed, or what it is about is gone.
    Skipped,
    /// The mail server could not be reached or asked to try later: tried again after a while.
    Failed {
        error: String,
    },
    /// The mail server refused it for good (no such mailbox, say): not tried again.
    Refused {
        error: String,
    },
}

/// Records what became of a claimed email and lets go of it.
pub async fn finish(db: &Db, email: &Claimed, outcome: Outcome) -> anyhow::Result<()> {
    let now = now_ms();
    let (status, error) = match outcome {
        Outcome::Sent => ("sent", None),
        Outcome::Skipped => ("skipped", None),
        Outcome::Failed { error } if email.attempts < MAX_ATTEMPTS => ("queued", Some(error)),
        Outcome::Failed { error } | Outcome::Refused { error } => ("failed", Some(error)),
    };
    let _turn = db.write_turn().await;
    sqlx::query(
        "UPDATE outbox SET status = $1, claimed_until = NULL, last_error = $2, \
         sent_at = CASE WHEN $1 = 'sent' THEN $3 ELSE sent_at END, \
         next_attempt_at = CASE WHEN $1 = 'queued' THEN $4 ELSE next_attempt_at END \
         WHERE id = $5",
    )
    .bind(status)
    .bind(error.map(|e| e.chars().take(500).collect::<String>()))
    .bind(now)
    .bind(now + retry_after(email.attempts))
    .bind(email.id)
    .execute(db.pool())
    .await
    .context("recording an email's outcome")?;
    Ok(())
}

/// Whether `address` asked campaign `campaign` to write no more.
pub async fn unsubscribed(db: &Db, campaign: i64, address: &str) -> anyhow::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT campaign_id FROM email_unsubscribes WHERE campaign_id = $1 AND address_key = $2",
    )
    .bind(campaign)
    .bind(address_key(address))
    .fetch_optional(db.pool())
    .await
    .context("reading unsubscribes")?;
    Ok(found.is_some())
}

/// The campaign an unsubscribe token's email came from, if the token is one.
pub async fn token_campaign(db: &Db, token: &str) -> anyhow::Result<Option<CampaignId>> {
    let found: Option<i64> = sqlx::query_scalar("SELECT campaign_id FROM outbox WHERE token = $1")
        .bind(token)
        .fetch_optional(db.pool())
        .await
        .context("reading an unsubscribe token")?;
    Ok(found.map(CampaignId::new))
}

/// Stops the campaign's emails to the address the token's email went to, and drops what is
/// still queued for it. Returns the campaign, or `None` when the token is no email's.
pub async fn unsubscribe(db: &Db, token: &str) -> anyhow::Result<Option<CampaignId>> {
    let found: Option<(i64, String)> =
        sqlx::query_as("SELECT campaign_id, recipient FROM outbox WHERE token = $1")
            .bind(token)
            .fetch_optional(db.pool())
            .await
            .context("reading an unsubscribe token")?;
    let Some((campaign, recipient)) = found else {
        return Ok(None);
    };
    let now = now_ms();
    let mut w = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO email_unsubscribes (campaign_id, address_key, created_at) \
         VALUES ($1, $2, $3) ON CONFLICT (campaign_id, address_key) DO NOTHING",
    )
    .bind(campaign)
    .bind(address_key(&recipient))
    .bind(now)
    .execute(&mut *w.tx)
    .await
    .context("recording an unsubscribe")?;
    sqlx::query(
        "UPDATE outbox SET status = 'skipped' WHERE campaign_id = $1 AND recipient = $2 \
         AND status = 'queued'",
    )
    .bind(campaign)
    .bind(&recipient)
    .execute(&mut *w.tx)
    .await
    .context("dropping queued emails")?;
    w.commit().await?;
    Ok(Some(CampaignId::new(campaign)))
}

/// The words of an outbox email of `kind` about `about`, as they would go out now; `None`
/// when there is nothing to send any more (a refunded gift, a confirmed address).
pub async fn words(
    db: &Db,
    site: &PublicUrl,
    kind: &str,
    about: &str,
    locale: Locale,
    token: &str,
) -> anyhow::Result<Option<super::Email>> {
    Ok(match kind {
        "receipt" => receipt(db, site, about, locale, token)
            .await?
            .map(|r| r.write()),
        "ambassador" => confirmation(db, site, about, locale)
            .await?
            .map(|c| c.write()),
        "update" => update(db, site, about, locale, token)
            .await?
            .map(|u| u.write()),
        _ => None,
    })
}

/// A receipt's words for the donation `about`, or `None` when it is no paid gift any more.
pub async fn receipt(
    db: &Db,
    site: &PublicUrl,
    about: &str,
    locale: Locale,
    token: &str,
) -> anyhow::Result<Option<Receipt>> {
    let Some(id) = DonationId::parse(about) else {
        return Ok(None);
    };
    let Some(gift) = sharing::find_paid_donation(db, &id).await? else {
        return Ok(None);
    };
    let Some((_, campaign)) = campaigns::find_by_id(db, gift.campaign, locale).await? else {
        return Ok(None);
    };
    let artwork = artworks::card_by_id(db, gift.artwork_id, locale).await?;
    let matched = matching::matched_on(db, &id).await?;
    Ok(Some(Receipt {
        locale,
        campaign: campaign.title,
        artwork: artwork.title,
        amount: gift.amount,
        matched: Money::from_minor(matched.max(0), gift.amount.currency())?,
        certificate_number: gift.certificate_number,
        certificate_url: site.absolute(&id.path()),
        share_url: site.absolute(&gift.code.path()),
        unsubscribe_url: site.absolute(&unsubscribe_path(token)),
    }))
}

/// The email of the ambassador `about` names (see [`crate::ambassadors::dashboard_about`]):
/// the link that confirms their address while it is unconfirmed, or their dashboard's link
/// once it is; `None` when the email is no longer needed (a confirmation link sent again after
/// the address was confirmed) or its ambassador is gone.
pub async fn confirmation(
    db: &Db,
    site: &PublicUrl,
    about: &str,
    locale: Locale,
) -> anyhow::Result<Option<Confirmation>> {
    let Some((id, dashboard)) = crate::ambassadors::parse_about(about) else {
        return Ok(None);
    };
    let Some(ambassador) = crate::ambassadors::store::by_id(db, id).await? else {
        return Ok(None);
    };
    let link = match (ambassador.confirmed_at, ambassador.confirm_token, dashboard) {
        (None, Some(token), false) => crate::ambassadors::confirm_path(&token),
        (Some(_), _, true) => crate::ambassadors::dashboard_path(&ambassador.dashboard_key),
        _ => return Ok(None),
    };
    let campaign = CampaignId::new(ambassador.campaign_id);
    let Some((_, found)) = campaigns::find_by_id(db, campaign, locale).await? else {
        return Ok(None);
    };
    Ok(Some(Confirmation {
        locale,
        campaign: found.title,
        name: ambassador.display_name,
        link: site.absolute(&link),
        dashboard,
    }))
}

/// The email of the campaign update `about` names, or `None` when there is no such update.
pub async fn update(
    db: &Db,
    site: &PublicUrl,
    about: &str,
    locale: Locale,
    token: &str,
) -> anyhow::Result<Option<UpdateEmail>> {
    let Ok(id) = about.parse::<i64>() else {
        return Ok(None);
    };
    let Some((campaign, update)) = crate::updates::store::find(db, id, locale).await? else {
        return Ok(None);
    };
    let Some((_, found)) = campaigns::find_by_id(db, campaign, locale).await? else {
        return Ok(None);
    };
    Ok(Some(UpdateEmail {
        locale,
        page_url: site.absolute(&crate::updates::update_path(&found.path(), id)),
        campaign: found.title,
        image: update.image.map(|i| absolute_image(site, i)),
        title: update.title,
        body: update.body,
        unsubscribe_url: site.absolute(&unsubscribe_path(token)),
    }))
}

/// An update's picture with its addresses made absolute, as an email needs them.
fn absolute_image(
    site: &PublicUrl,
    image: crate::updates::UpdateImage,
) -> crate::updates::UpdateImage {
    crate::updates::UpdateImage {
        thumb_url: site.absolute(&image.thumb_url),
        url: site.absolute(&image.url),
        ..image
    }
}

/// A receipt for staff to preview: the campaign's title and first artwork in `locale`, its
/// least gift, and the match line when the campaign has matches.
pub async fn sample_receipt(
    db: &Db,
    site: &PublicUrl,
    campaign: CampaignId,
    locale: Locale,
) -> anyhow::Result<Option<Receipt>> {
    let Some((_, found)) = campaigns::find_by_id(db, campaign, locale).await? else {
        return Ok(None);
    };
    let artwork = artworks::list_published(db, campaign, locale)
        .await?
        .into_iter()
        .next()
        .map(|a| a.title)
        .unwrap_or_default();
    let matched = if matching::list(db, campaign).await?.is_empty() {
        Money::zero(found.min_gift.currency())
    } else {
        found.min_gift
    };
    Ok(Some(Receipt {
        locale,
        campaign: found.title,
        artwork,
        amount: found.min_gift,
        matched,
        certificate_number: 1,
        certificate_url: site.absolute("/donations/0123456789abcdef0123456789abcdef"),
        share_url: site.absolute("/s/EXAMPLE"),
        unsubscribe_url: site.absolute(&unsubscribe_path("example")),
    }))
}

/// A campaign update's email for staff to preview: the latest update in `locale`, or, before
/// the first, one made of the campaign's tagline and story.
pub async fn sample_update(
    db: &Db,
    site: &PublicUrl,
    campaign: CampaignId,
    locale: Locale,
) -> anyhow::Result<Option<UpdateEmail>> {
    let Some((_, found)) = campaigns::find_by_id(db, campaign, locale).await? else {
        return Ok(None);
    };
    let latest = crate::updates::store::latest(db, campaign, locale, 1).await?;
    let (id, title, body, image) = match latest.into_iter().next() {
        Some(update) => (update.id, update.title, update.body, update.image),
        None => (0, found.tagline.clone(), found.story.clone(), None),
    };
    Ok(Some(UpdateEmail {
        locale,
        page_url: site.absolute(&crate::updates::update_path(&found.path(), id)),
        campaign: found.title,
        title,
        body,
        unsubscribe_url: site.absolute(&unsubscribe_path("example")),
        image: image.map(|i| absolute_image(site, i)),
    }))
}

/// An email in the outbox, as staff see it.
#[derive(Clone, Debug, FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub locale: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub about: String,
    pub token: String,
}

const OUTBOX_COLUMNS: &str = "id, kind, recipient, locale, status, attempts, last_error, \
     created_at, sent_at, about, token";

/// A campaign's latest emails, newest first.
pub async fn latest(db: &Db, campaign: CampaignId, limit: i64) -> anyhow::Result<Vec<OutboxRow>> {
    sqlx::query_as(&format!(
        "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE campaign_id = $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(campaign.get())
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .context("reading the outbox")
}

/// One of a campaign's emails.
pub async fn find(db: &Db, campaign: CampaignId, id: i64) -> anyhow::Result<Option<OutboxRow>> {
    sqlx::query_as(&format!(
        "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE campaign_id = $1 AND id = $2"
    ))
    .bind(campaign.get())
    .bind(id)
    .fetch_optional(db.pool())
    .await
    .context("reading an email")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_four_hours() {
        assert_eq!(retry_after(1), 30_000);
        assert_eq!(retry_after(2), 60_000);
        assert_eq!(retry_after(5), 480_000);
        assert_eq!(retry_after(MAX_ATTEMPTS), 4 * 60 * 60 * 1000);
        assert_eq!(retry_after(i64::MAX), 4 * 60 * 60 * 1000);
    }

    #[test]
    fn an_address_key_ignores_case_and_spaces() {
        assert_eq!(address_key(" Li@Example.cn "), address_key("li@example.cn"));
        assert_ne!(address_key("li@example.cn"), address_key("wang@example.cn"));
    }
}
