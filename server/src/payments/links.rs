//! Surge mode: Payment Links made ahead of time, so a checkout beyond the provider's rate
//! budget costs no API call.
//!
//! - **The keeper** makes, for every campaign that is open or about to open, one link per
//!   published artwork and preset amount and one per artwork for an amount the donor enters
//!   (a Price with `custom_unit_amount`, at least the campaign's minimum), and deactivates the
//!   links nobody should use any more (campaign closed, artwork withdrawn, presets changed). It
//!   runs at start, at once when staff change a campaign or its artworks (announced through
//!   the live hub, so on PostgreSQL every instance hears it), and at least every
//!   [`KEEP_EVERY`] on every instance (campaigns open and close by the clock); idempotency
//!   keys and the table's unique index make concurrent keepers make each link once.
//! - **A surge checkout** keeps its pending donation and is sent to the link for its artwork and
//!   amount with the donation id as `client_reference_id`.
//! - **Screening**: before the ledger applies a completed session that came through a link, the
//!   session claims its donation (the donation's first session wins). A second payment for a
//!   donation already claimed, a payment for an unknown donation, or through another artwork's
//!   link is recorded in `held_payments` for staff, and never counted.

use super::Payments;
use anyhow::Context;
use app::db::{now_ms, Db};
use app::ids::DonationId;
use app::live::hub::LiveHub;
use app::site::PublicUrl;
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use stripe::{IdempotencyKey, RequestStrategy, StripeRequest};
use stripe_payment::payment_link::{
    AfterCompletionRedirectParams, CreatePaymentLink, CreatePaymentLinkAfterCompletion,
    CreatePaymentLinkAfterCompletionType, CreatePaymentLinkLineItems,
    CreatePaymentLinkLineItemsPriceData, CreatePaymentLinkLineItemsPriceDataProductData,
    UpdatePaymentLink,
};

/// The longest the keeper waits between comparing the links with what campaigns need.
const KEEP_EVERY: Duration = Duration::from_secs(20);

/// A link ready for a surge checkout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadyLink {
    pub link_id: String,
    pub url: String,
    /// 0 when the donor enters the amount on the provider's page.
    pub amount_minor: i64,
}

/// The active link for an artwork and amount: the preset's own, else the artwork's
/// donor-chosen one.
pub async fn find(
    db: &Db,
    artwork_id: i64,
    amount_minor: i64,
    currency: &str,
) -> anyhow::Result<Option<ReadyLink>> {
    let row: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT link_id, url, amount_minor FROM payment_links \
         WHERE artwork_id = $1 AND currency = $2 AND active = 1 AND amount_minor IN ($3, 0) \
         ORDER BY amount_minor DESC LIMIT 1",
    )
    .bind(artwork_id)
    .bind(currency.to_ascii_lowercase())
    .bind(amount_minor)
    .fetch_optional(db.pool())
    .await
    .context("finding a payment link")?;
    Ok(row.map(|(link_id, url, amount_minor)| ReadyLink {
        link_id,
        url,
        amount_minor,
    }))
}

/// How many active links there are (the dashboard's "links ready").
pub async fn ready(db: &Db) -> anyhow::Result<i64> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM payment_links WHERE active = 1")
            .fetch_one(db.pool())
            .await
            .context("counting payment links")?;
    Ok(count)
}

/// Runs the keeper for as long as the process lives, when links are enabled.
pub fn spawn(db: Db, payments: Payments, site: PublicUrl, live: LiveHub) {
    if !payments.links_enabled() {
        return;
    }
    tokio::spawn(async move {
        loop {
            match keep(&db, &payments, &site).await {
                Ok(kept) if kept.created + kept.deactivated > 0 => tracing::info!(
                    created = kept.created,
                    deactivated = kept.deactivated,
                    "payment links brought up to date"
                ),
                Ok(_) => {}
                Err(error) => tracing::warn!(
                    error = format!("{error:#}"),
                    "payment links could not be brought up to date"
                ),
            }
            tokio::select! {
                () = tokio::time::sleep(KEEP_EVERY) => {}
                () = live.campaign_changed() => {}
            }
        }
    });
}

/// What one pass of the keeper did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Kept {
    pub created: u64,
    pub deactivated: u64,
}

/// A link a campaign needs.
#[derive(Clone, Debug)]
struct Wanted {
    campaign_id: i64,
    artwork_id: i64,
    title: String,
    amount_minor: i64,
    currency: String,
    min_minor: i64,
}

/// Makes the links campaigns need and deactivates the others.
pub async fn keep(db: &Db, payments: &Payments, site: &PublicUrl) -> anyhow::Result<Kept> {
    let wanted = wanted(db).await?;
    let existing: Vec<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT link_id, artwork_id, amount_minor, currency FROM payment_links WHERE active = 1",
    )
    .fetch_all(db.pool())
    .await
    .context("reading payment links")?;
    let have: HashSet<(i64, i64, &str)> = existing
        .iter()
        .map(|(_, artwork, amount, currency)| (*artwork, *amount, currency.as_str()))
        .collect();
    let want: HashSet<(i64, i64, &str)> = wanted
        .iter()
        .map(|w| (w.artwork_id, w.amount_minor, w.currency.as_str()))
        .collect();
    let mut kept = Kept::default();
    for link in wanted
        .iter()
        .filter(|w| !have.contains(&(w.artwork_id, w.amount_minor, w.currency.as_str())))
    {
        create(db, payments, site, link).await?;
        kept.created += 1;
        tokio::time::sleep(payments.budget().background_pace()).await;
    }
    for (link_id, artwork, amount, currency) in &existing {
        if !want.contains(&(*artwork, *amount, currency.as_str())) {
            deactivate(db, payments, link_id).await?;
            kept.deactivated += 1;
            tokio::time::sleep(payments.budget().background_pace()).await;
        }
    }
    Ok(kept)
}

/// Every link the open and upcoming campaigns need.
async fn wanted(db: &Db) -> anyhow::Result<Vec<Wanted>> {
    use app::campaigns::{store as campaigns, CampaignStatus};
    let slugs: Vec<(String,)> = sqlx::query_as("SELECT slug FROM campaigns")
        .fetch_all(db.pool())
        .await
        .context("listing campaigns")?;
    let mut wanted = Vec::new();
    for (slug,) in slugs {
        let Ok(slug) = slug.parse::<app::slug::Slug>() else {
            continue;
        };
        let Some((id, campaign)) = campaigns::find(db, &slug, app::i18n::Locale::En).await? else {
            continue;
        };
        let status = campaigns::progress(db, id, &campaign).await?.status;
        if !matches!(status, CampaignStatus::Open | CampaignStatus::Upcoming) {
            continue;
        }
        let ids: HashMap<String, i64> = sqlx::query_as::<_, (i64, String)>(
            "SELECT id, slug FROM artworks WHERE campaign_id = $1 AND published = 1",
        )
        .bind(id.get())
        .fetch_all(db.pool())
        .await
        .context("listing a campaign's artworks")?
        .into_iter()
        .map(|(id, slug)| (slug, id))
        .collect();
        let currency = campaign.min_gift.currency().code().to_ascii_lowercase();
        let today = app::artworks::store::today();
        let mut amounts: Vec<i64> = campaign.presets.iter().map(|m| m.minor()).collect();
        amounts.push(0);
        for artwork in app::artworks::store::list_published(db, id, app::i18n::Locale::En).await? {
            let Some(&artwork_id) = ids.get(artwork.slug.as_str()) else {
                continue;
            };
            // An artwork whose consent was withdrawn (or has lapsed) keeps no links.
            let consent = app::artworks::store::public_consent(db, artwork_id, &today).await?;
            if !consent.standing.allows_gifts() {
                continue;
            }
            wanted.extend(amounts.iter().map(|&amount_minor| Wanted {
                campaign_id: id.get(),
                artwork_id,
                title: artwork.title.clone(),
                amount_minor,
                currency: currency.clone(),
                min_minor: campaign.min_gift.minor(),
            }));
        }
    }
    Ok(wanted)
}

/// Makes one link (and for a donor-chosen amount, its Price first) and keeps it.
async fn create(db: &Db, payments: &Payments, site: &PublicUrl, w: &Wanted) -> anyhow::Result<()> {
    // One key per link ever made for this artwork and amount: instances racing make one link,
    // and a link made again after a deactivation is a new one.
    let (made,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM payment_links \
         WHERE artwork_id = $1 AND amount_minor = $2 AND currency = $3",
    )
    .bind(w.artwork_id)
    .bind(w.amount_minor)
    .bind(&w.currency)
    .fetch_one(db.pool())
    .await?;
    let key = |what: &str| {
        IdempotencyKey::new(format!(
            "{what}-{}-{}-{}-{made}",
            w.artwork_id, w.amount_minor, w.currency
        ))
        .map_err(|e| anyhow::anyhow!("building an idempotency key: {e:?}"))
    };
    let currency: stripe_types::Currency = w
        .currency
        .parse()
        .map_err(|_| anyhow::anyhow!("Stripe does not know currency {}", w.currency))?;
    let mut item = CreatePaymentLinkLineItems::new(1_u64);
    if w.amount_minor > 0 {
        let mut price = CreatePaymentLinkLineItemsPriceData::new(currency);
        price.unit_amount = Some(w.amount_minor);
        price.product_data = Some(CreatePaymentLinkLineItemsPriceDataProductData::new(
            w.title.clone(),
        ));
        item.price_data = Some(price);
    } else {
        item.price = Some(custom_price(payments, w, currency, key("price")?).await?);
    }
    let mut redirect =
        CreatePaymentLinkAfterCompletion::new(CreatePaymentLinkAfterCompletionType::Redirect);
    redirect.redirect = Some(AfterCompletionRedirectParams::new(format!(
        "{}?session_id={{CHECKOUT_SESSION_ID}}",
        site.absolute("/donations/return")
    )));
    let metadata = HashMap::from([
        ("campaign_id".to_owned(), w.campaign_id.to_string()),
        ("artwork_id".to_owned(), w.artwork_id.to_string()),
        ("amount_minor".to_owned(), w.amount_minor.to_string()),
    ]);
    let request = CreatePaymentLink::new(vec![item])
        .after_completion(redirect)
        .metadata(metadata);
    let link_key = key("plink")?;
    let link = super::with_retries(payments.budget(), false, "payment link", || {
        request
            .customize()
            .request_strategy(RequestStrategy::Idempotent(link_key.clone()))
            .send(payments.client())
    })
    .await
    .map_err(|e| anyhow::anyhow!("making a payment link: {}", super::brief(&e)))?;
    sqlx::query(
        "INSERT INTO payment_links \
         (link_id, campaign_id, artwork_id, amount_minor, currency, url, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7) ON CONFLICT DO NOTHING",
    )
    .bind(link.id.as_str())
    .bind(w.campaign_id)
    .bind(w.artwork_id)
    .bind(w.amount_minor)
    .bind(&w.currency)
    .bind(&link.url)
    .bind(now_ms())
    .execute(db.pool())
    .await
    .context("keeping a payment link")?;
    Ok(())
}

/// A Price whose amount the donor enters, at least the campaign's minimum.
async fn custom_price(
    payments: &Payments,
    w: &Wanted,
    currency: stripe_types::Currency,
    key: IdempotencyKey,
) -> anyhow::Result<String> {
    use stripe_product::price::{CreatePrice, CreatePriceProductData, CustomUnitAmount};
    let mut custom = CustomUnitAmount::new(true);
    custom.minimum = Some(w.min_minor);
    let request = CreatePrice::new(currency)
        .custom_unit_amount(custom)
        .product_data(CreatePriceProductData::new(w.title.clone()));
    let price = super::with_retries(payments.budget(), false, "price", || {
        request
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key.clone()))
            .send(payments.client())
    })
    .await
    .map_err(|e| anyhow::anyhow!("making a price: {}", super::brief(&e)))?;
    Ok(price.id.to_string())
}

/// Deactivates a link at the provider, then here.
async fn deactivate(db: &Db, payments: &Payments, link_id: &str) -> anyhow::Result<()> {
    let request = UpdatePaymentLink::new(link_id).active(false);
    super::with_retries(payments.budget(), false, "deactivate link", || {
        request.customize().send(payments.client())
    })
    .await
    .map_err(|e| anyhow::anyhow!("deactivating a payment link: {}", super::brief(&e)))?;
    sqlx::query("UPDATE payment_links SET active = 0 WHERE link_id = $1")
        .bind(link_id)
        .execute(db.pool())
        .await
        .context("marking a payment link inactive")?;
    Ok(())
}

/// A completed Checkout Session that came through a Payment Link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkSession {
    pub session_id: String,
    pub payment_link: String,
    pub client_reference_id: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    pub payment_intent: Option<String>,
}

/// A link, the campaign's minimum and the donation a link session names (if it exists).
#[derive(sqlx::FromRow)]
struct LinkClaim {
    campaign_id: i64,
    artwork_id: i64,
    amount_minor: i64,
    currency: String,
    min_gift_minor: i64,
    donation_campaign: Option<i64>,
    donation_artwork: Option<i64>,
    donation_currency: Option<String>,
    checkout_session_id: Option<String>,
}

/// What screening decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screened {
    /// The session claimed its donation: the ledger applies the event as any other.
    Proceed,
    /// Held for staff, for this reason: the ledger records the event and counts nothing.
    Held(&'static str),
}

/// Screens an event (read from `payload`) if it is a payment through a link: a held one becomes
/// an ignored event, which the ledger records (so redeliveries are known) and counts nothing.
pub async fn screen_event(
    db: &Db,
    payload: &str,
    event: &mut app::donations::ledger::PaymentEvent,
) -> anyhow::Result<()> {
    let Some(session) = super::events::link_session(payload) else {
        return Ok(());
    };
    if let Screened::Held(_) = screen(db, &event.id, &session).await? {
        event.change = app::donations::ledger::PaymentChange::Ignored;
        event.donation = app::donations::ledger::DonationRef::Unknown;
    }
    Ok(())
}

/// Matches a link session to its donation, or holds it.
pub async fn screen(db: &Db, event_id: &str, s: &LinkSession) -> anyhow::Result<Screened> {
    let verdict = claim(db, s).await?;
    if let Screened::Held(reason) = verdict {
        let _turn = db.write_turn().await;
        sqlx::query(
            "INSERT INTO held_payments (session_id, event_id, donation_id, payment_link_id, \
             amount_minor, currency, payment_intent_id, reason, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (session_id) DO NOTHING",
        )
        .bind(&s.session_id)
        .bind(event_id)
        .bind(
            s.client_reference_id
                .as_deref()
                .and_then(DonationId::parse)
                .map(|d| d.to_string()),
        )
        .bind(&s.payment_link)
        .bind(s.amount_minor)
        .bind(&s.currency)
        .bind(&s.payment_intent)
        .bind(reason)
        .bind(now_ms())
        .execute(db.pool())
        .await
        .context("holding a payment for review")?;
        // Ids only; the amounts are in the table for staff.
        tracing::warn!(session = %s.session_id, reason, "a payment through a link is held for review");
    }
    Ok(verdict)
}

async fn claim(db: &Db, s: &LinkSession) -> anyhow::Result<Screened> {
    let donation = s.client_reference_id.as_deref().and_then(DonationId::parse);
    // The link, the donation it names and the campaign's minimum, in one read.
    let found: Option<LinkClaim> = sqlx::query_as(
        "SELECT l.campaign_id, l.artwork_id, l.amount_minor, l.currency, c.min_gift_minor, \
         d.campaign_id AS donation_campaign, d.artwork_id AS donation_artwork, \
         d.currency AS donation_currency, d.checkout_session_id \
         FROM payment_links l JOIN campaigns c ON c.id = l.campaign_id \
         LEFT JOIN donations d ON d.id = $1 WHERE l.link_id = $2",
    )
    .bind(donation.as_ref().map_or("", DonationId::as_str))
    .bind(&s.payment_link)
    .fetch_optional(db.pool())
    .await
    .context("reading a link payment's link and donation")?;
    let Some(found) = found else {
        return Ok(Screened::Held("unknown_link"));
    };
    let (Some(donation), Some(d_campaign), Some(d_artwork), Some(d_currency)) = (
        donation,
        found.donation_campaign,
        found.donation_artwork,
        found.donation_currency.as_deref(),
    ) else {
        return Ok(Screened::Held("unknown_donation"));
    };
    let (campaign, artwork) = (found.campaign_id, found.artwork_id);
    let (link_amount, link_currency) = (found.amount_minor, found.currency.as_str());
    if (d_campaign, d_artwork) != (campaign, artwork)
        || !d_currency.eq_ignore_ascii_case(link_currency)
        || !s.currency.eq_ignore_ascii_case(link_currency)
    {
        return Ok(Screened::Held("another_artwork"));
    }
    match found.checkout_session_id {
        Some(session) if session == s.session_id => return Ok(Screened::Proceed),
        Some(_) => return Ok(Screened::Held("another_session")),
        None => {}
    }
    // The first session to claim the donation takes it. Through the donor-chosen link the gift
    // is what they paid, if not below the campaign's minimum (else the ledger holds it).
    let chosen = link_amount == 0 && s.amount_minor >= found.min_gift_minor;
    let values = (
        s.session_id.clone(),
        s.payment_link.clone(),
        i64::from(chosen),
        s.amount_minor,
        now_ms(),
        donation.to_string(),
    );
    // In the transaction other writes arriving now share: one disk sync for them all.
    let claimed = db
        .write_one(Box::new(move |conn| {
            Box::pin(async move {
                let (session, link, chosen, amount, now, donation) = values;
                sqlx::query(
                    "UPDATE donations SET checkout_session_id = $1, payment_link_id = $2, \
                     amount_minor = CASE WHEN $3 = 1 THEN $4 ELSE amount_minor END, \
                     updated_at = $5 WHERE id = $6 AND checkout_session_id IS NULL \
                     AND status NOT IN ('paid', 'refunded', 'held')",
                )
                .bind(session)
                .bind(link)
                .bind(chosen)
                .bind(amount)
                .bind(now)
                .bind(donation)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
            })
        }))
        .await
        .context("claiming a donation for a link payment")?;
    if claimed == 1 {
        return Ok(Screened::Proceed);
    }
    // Another delivery of this same session may have claimed it a moment ago.
    let (now_claimed,): (Option<String>,) =
        sqlx::query_as("SELECT checkout_session_id FROM donations WHERE id = $1")
            .bind(donation.as_str())
            .fetch_one(db.pool())
            .await?;
    Ok(if now_claimed.as_deref() == Some(s.session_id.as_str()) {
        Screened::Proceed
    } else {
        Screened::Held("another_session")
    })
}
