//! Donation records: started once per idempotency key, tied to their checkout, read back for the
//! thank-you page. Payments move them through the ledger (`super::ledger`), not from here.

use super::{DonationStatus, DonationView, ValidGift};
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::ids::CampaignId;
use crate::ids::DonationId;
use crate::ids::ShareCode;
use crate::money::{Currency, Money};
use anyhow::Context;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// A checkout the payment provider opened for a donation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkout {
    pub session_id: String,
    pub url: String,
}

/// A donation that exists, and its checkout once one has been opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Started {
    pub id: DonationId,
    pub checkout: Option<Checkout>,
}

/// What starting a donation with an idempotency key came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// A new donation.
    Created(Started),
    /// The same request was made before with this key: the donation it made.
    Repeated(Started),
    /// The key was used before for a different request.
    KeyReused,
    /// The artwork's consent was withdrawn: checked in the same statement that records the
    /// donation, so no instance starts one after the withdrawal was saved.
    Withdrawn,
}

/// A donation about to be started.
pub struct NewDonation<'a> {
    pub campaign: CampaignId,
    pub artwork_id: i64,
    pub gift: &'a ValidGift,
    pub locale: Locale,
    pub idempotency_key: &'a str,
    /// The share whose page brought the donor, if any: credited once the gift is paid, when it
    /// is a paid gift's share in the same campaign.
    pub referrer: Option<&'a ShareCode>,
    /// The Payment Link (id and address) it goes through, in a surge.
    pub link: Option<(&'a str, &'a str)>,
}

/// Creates a pending donation, or finds the one this idempotency key already made.
///
/// One short statement each way: no transaction is held while the provider is called.
#[tracing::instrument(skip_all)]
pub async fn start(db: &Db, new: NewDonation<'_>) -> anyhow::Result<Start> {
    let digest = request_digest(new.gift)?;
    let id = DonationId::generate()?;
    let now = now_ms();
    let gift = new.gift;
    // Sent to a Payment Link, the donation has its checkout address from the start.
    let (link_id, checkout_url) = match new.link {
        Some((link_id, url)) => (
            Some(link_id.to_owned()),
            Some(link_address(url, &id, gift.email())),
        ),
        None => (None, None),
    };
    let values = (
        id.to_string(),
        new.campaign.get(),
        new.artwork_id,
        gift.amount().minor(),
        gift.amount().currency().code(),
        gift.display_name().to_owned(),
        i64::from(gift.anonymous()),
        i64::from(gift.show_amount()),
        gift.message().to_owned(),
        gift.email().map(str::to_owned),
        new.locale.tag(),
        new.idempotency_key.to_owned(),
    );
    let more = (
        digest,
        now,
        ShareCode::generate()?.as_str().to_owned(),
        new.referrer.map(|r| r.as_str().to_owned()),
        crate::ids::verification_code()?,
        link_id,
        checkout_url.clone(),
        i64::from(gift.wants_updates()),
    );
    let inserted = db
        .write_one(Box::new(move |conn| {
            Box::pin(async move {
                let (
                    id,
                    campaign,
                    artwork,
                    amount,
                    currency,
                    name,
                    anonymous,
                    show,
                    message,
                    email,
                    locale,
                    key,
                ) = values;
                let (digest, now, share_code, referrer, code, link_id, url, updates) = more;
                sqlx::query(
                    "INSERT INTO donations (id, campaign_id, artwork_id, amount_minor, currency, \
                     display_name, anonymous, show_amount, message, email, locale, \
                     idempotency_key, request_digest, status, created_at, updated_at, \
                     share_code, referred_by, lineage, ambassador_id, verification_code, \
                     payment_link_id, checkout_url, wants_updates) \
                     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending', \
                     $14, $14, $15, (SELECT r.id FROM donations r WHERE r.share_code = $16 \
                     AND r.campaign_id = $2 AND r.status = 'paid'), \
                     (SELECT CASE WHEN LENGTH(r.lineage) >= 1300 THEN r.lineage \
                     ELSE COALESCE(r.lineage, '') || r.share_code || '/' END FROM donations r \
                     WHERE r.share_code = $16 AND r.campaign_id = $2 AND r.status = 'paid'), \
                     COALESCE((SELECT r.ambassador_id FROM donations r WHERE r.share_code = $16 \
                     AND r.campaign_id = $2 AND r.status = 'paid'), (SELECT a.id FROM ambassadors a \
                     WHERE a.code = $16 AND a.campaign_id = $2 AND a.confirmed_at IS NOT NULL)), \
                     $17, $18, $19, $20 \
                     WHERE NOT EXISTS (SELECT 1 FROM consent_records w \
                     WHERE w.artwork_id = $3 AND w.kind = 'withdrawal') \
                     ON CONFLICT (campaign_id, idempotency_key) DO NOTHING",
                )
                .bind(id)
                .bind(campaign)
                .bind(artwork)
                .bind(amount)
                .bind(currency)
                .bind(name)
                .bind(anonymous)
                .bind(show)
                .bind(message)
                .bind(email)
                .bind(locale)
                .bind(key)
                .bind(digest)
                .bind(now)
                .bind(share_code)
                .bind(referrer)
                .bind(code)
                .bind(link_id)
                .bind(url)
                .bind(updates)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
            })
        }))
        .await
        .context("inserting a pending donation")?;
    if inserted == 1 {
        let checkout = checkout_url.map(|url| Checkout {
            session_id: String::new(),
            url,
        });
        return Ok(Start::Created(Started { id, checkout }));
    }
    // Nothing was recorded: the key made a donation before, or the artwork was withdrawn.
    Ok(find_repeat(db, new.campaign, new.idempotency_key, gift)
        .await?
        .unwrap_or(Start::Withdrawn))
}

/// A Payment Link's address for one donation: its id as `client_reference_id`, and the
/// donor's email (if given) filled in.
pub fn link_address(url: &str, donation: &DonationId, email: Option<&str>) -> String {
    let mut query = vec![("client_reference_id", donation.to_string())];
    if let Some(email) = email {
        query.push(("prefilled_email", email.to_owned()));
    }
    let encoded = serde_urlencoded::to_string(&query).unwrap_or_default();
    let joiner = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joiner}{encoded}")
}

/// The donation an idempotency key already made, if any: `Repeated` when the request is the
/// same, `KeyReused` when it differs.
#[tracing::instrument(skip_all)]
pub async fn find_repeat(
    db: &Db,
    campaign: CampaignId,
    idempotency_key: &str,
    gift: &ValidGift,
) -> anyhow::Result<Option<Start>> {
    let found: Option<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT id, request_digest, checkout_session_id, checkout_url FROM donations \
         WHERE campaign_id = $1 AND idempotency_key = $2",
    )
    .bind(campaign.get())
    .bind(idempotency_key)
    .fetch_optional(db.pool())
    .await
    .context("reading the donation an idempotency key made")?;
    let Some((id, earlier_digest, session_id, url)) = found else {
        return Ok(None);
    };
    if earlier_digest != request_digest(gift)? {
        return Ok(Some(Start::KeyReused));
    }
    // A checkout through a Payment Link has its address before any session.
    let checkout = url.map(|url| Checkout {
        session_id: session_id.unwrap_or_default(),
        url,
    });
    Ok(Some(Start::Repeated(Started {
        id: DonationId::parse(&id).context("a stored donation id is malformed")?,
        checkout,
    })))
}

/// The donation a completed Checkout Session paid, if its event has been applied.
pub async fn by_session(db: &Db, session_id: &str) -> anyhow::Result<Option<DonationId>> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT id FROM donations WHERE checkout_session_id = $1")
            .bind(session_id)
            .fetch_optional(db.pool())
            .await
            .context("finding a session's donation")?;
    found
        .map(|(id,)| DonationId::parse(&id).context("a stored donation id is malformed"))
        .transpose()
}

/// Whether a payment was held for staff review instead of counted.
pub async fn is_held(db: &Db, session_id: &str) -> anyhow::Result<bool> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT reason FROM held_payments WHERE session_id = $1")
            .bind(session_id)
            .fetch_optional(db.pool())
            .await
            .context("reading a held payment")?;
    Ok(found.is_some())
}

/// Records the checkout opened for a donation. If two requests raced, the provider's own
/// idempotency gave both the same session, so the first write wins and the second matches it.
/// It shares a transaction with the writes that arrive with it (`Db::write_one`): on its own
/// it was a disk sync of its own, taken while every other writer waited its turn.
#[tracing::instrument(skip(db, checkout))]
pub async fn attach_checkout(db: &Db, id: &DonationId, checkout: &Checkout) -> anyhow::Result<()> {
    let values = (
        checkout.session_id.clone(),
        checkout.url.clone(),
        now_ms(),
        id.to_string(),
    );
    db.write_one(Box::new(move |conn| {
        Box::pin(async move {
            let (session, url, now, id) = values;
            sqlx::query(
                "UPDATE donations SET checkout_session_id = $1, checkout_url = $2, \
                 updated_at = $3 WHERE id = $4 AND checkout_session_id IS NULL",
            )
            .bind(session)
            .bind(url)
            .bind(now)
            .bind(id)
            .execute(conn)
            .await
            .map(|done| done.rows_affected())
        })
    }))
    .await
    .context("attaching a checkout session")?;
    Ok(())
}

/// A digest of everything a request asked for, to tell a retry from a different request.
fn request_digest(gift: &ValidGift) -> anyhow::Result<String> {
    let canonical = serde_json::to_vec(gift).context("encoding a gift request")?;
    Ok(hex::encode(Sha256::digest(&canonical)))
}

#[derive(FromRow)]
struct ViewRow {
    id: String,
    campaign_id: i64,
    artwork_id: i64,
    amount_minor: i64,
    currency: String,
    display_name: String,
    anonymous: i64,
    status: String,
    refunded_minor: i64,
    certificate_number: Option<i64>,
}

/// A donation as its thank-you page shows it, in the reader's locale.
#[tracing::instrument(skip(db))]
pub async fn view(
    db: &Db,
    id: &DonationId,
    locale: Locale,
) -> anyhow::Result<Option<DonationView>> {
    let row: Option<ViewRow> = sqlx::query_as(
        "SELECT id, campaign_id, artwork_id, amount_minor, currency, display_name, anonymous, \
         status, refunded_minor, certificate_number FROM donations WHERE id = $1",
    )
    .bind(id.as_str())
    .fetch_optional(db.pool())
    .await
    .context("reading a donation")?;
    let Some(row) = row else { return Ok(None) };
    let campaign_id = CampaignId::new(row.campaign_id);
    let (_, campaign) = crate::campaigns::store::find_by_id(db, campaign_id, locale)
        .await?
        .context("a donation's campaign is missing")?;
    let progress = crate::campaigns::store::progress(db, campaign_id, &campaign).await?;
    let artwork = crate::artworks::store::card_by_id(db, row.artwork_id, locale).await?;
    let status: DonationStatus = row.status.parse().map_err(anyhow::Error::msg)?;
    // The painter's voice thanks a paid gift only: a page waiting for its payment, which asks
    // again every few seconds, does not read it.
    let voice = match status {
        DonationStatus::Paid => {
            crate::artworks::store::voice_of(db, row.artwork_id, locale).await?
        }
        _ => None,
    };
    let currency: Currency = row.currency.parse()?;
    let campaign_path = campaign.path();
    Ok(Some(DonationView {
        id: row.id,
        status,
        amount: Money::from_minor(row.amount_minor, currency)?,
        refunded: Money::from_minor(row.refunded_minor, currency)?,
        matched: Money::from_minor(crate::matching::store::matched_on(db, id).await?, currency)?,
        certificate_number: row.certificate_number,
        display_name: row.display_name,
        anonymous: row.anonymous != 0,
        artwork_path: format!("{campaign_path}/artworks/{}", artwork.slug),
        campaign_path,
        organiser: campaign.organiser,
        campaign_title: campaign.title,
        artwork_title: artwork.title,
        artwork_artist: artwork.artist.name,
        artwork_thumb: artwork.thumb,
        voice,
        progress,
        share: None,
        ledger: None,
    }))
}

/// What a refund needs to know of a donation.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct RefundTarget {
    pub status: String,
    pub paid_minor: i64,
    pub refunded_minor: i64,
    pub payment_intent_id: Option<String>,
}

/// The donation's payment and how much of it is refunded so far.
pub async fn refund_target(db: &Db, id: &DonationId) -> anyhow::Result<Option<RefundTarget>> {
    sqlx::query_as(
        "SELECT status, paid_minor, refunded_minor, payment_intent_id FROM donations \
         WHERE id = $1",
    )
    .bind(id.as_str())
    .fetch_optional(db.pool())
    .await
    .context("reading a donation to refund")
}

/// The status of a donation, for tests and tools.
pub async fn status(db: &Db, id: &DonationId) -> anyhow::Result<Option<DonationStatus>> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM donations WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(db.pool())
        .await
        .context("reading a donation's status")?;
    status
        .map(|s| s.parse().map_err(anyhow::Error::msg))
        .transpose()
}

/// How long a checkout stays open at the payment provider (Stripe: 24 hours), and a margin.
pub const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(25 * 60 * 60);

/// Marks as expired the donations still pending [`ABANDONED_AFTER`] after they were started:
/// their checkout can no longer be paid, and no event will say so if it was never opened.
/// Returns how many. A payment that arrives later all the same still counts (the ledger lets
/// a payment beat an expiry).
pub async fn expire_abandoned(db: &Db) -> anyhow::Result<u64> {
    let now = now_ms();
    let before = now - i64::try_from(ABANDONED_AFTER.as_millis()).unwrap_or(i64::MAX);
    let mut tx = db.begin_write().await?;
    let expired = sqlx::query(
        "UPDATE donations SET status = 'expired', updated_at = $1 \
         WHERE status = 'pending' AND created_at < $2",
    )
    .bind(now)
    .bind(before)
    .execute(&mut *tx.tx)
    .await
    .context("expiring abandoned checkouts")?
    .rows_affected();
    tx.commit().await?;
    Ok(expired)
}
