//! Starting a gift: validate it, record a pending donation once per idempotency key, open a
//! Stripe Checkout Session for it. No transaction is open while Stripe is called.

use super::gate::{GateArtwork, GateCampaign};
use super::limits::{CheckoutLimits, TryAgainIn};
use super::Payments;
use app::campaigns::store as campaigns;
use app::campaigns::CampaignStatus;
use app::donations::store::{self as donations, Checkout, NewDonation, Start};
use app::donations::{GiftError, GiftRequest, ValidGift};
use app::i18n::Locale;
use app::ids::DonationId;
use app::ids::ShareCode;
use app::slug::Slug;
use app::staff::limits::ClientAddress;
use app::state::AppState;
use axum::http::StatusCode;
use serde::Serialize;
use std::collections::HashMap;
use stripe::{IdempotencyKey, RequestStrategy, StripeRequest};
use stripe_checkout::checkout_session::{
    CreateCheckoutSession, CreateCheckoutSessionAllowedPaymentMethodTypes as Method,
    CreateCheckoutSessionLineItems, CreateCheckoutSessionLineItemsPriceData,
    CreateCheckoutSessionPaymentIntentData, ProductData,
};

/// What a started checkout answers (`POST /api/campaigns/{slug}/checkout`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckoutStarted {
    pub donation_id: String,
    pub checkout_session_id: String,
    pub checkout_url: String,
}

/// Why a checkout could not start.
#[derive(Debug, thiserror::Error)]
pub enum CheckoutError {
    #[error("unknown campaign")]
    UnknownCampaign,
    #[error("unknown artwork")]
    UnknownArtwork,
    #[error("invalid gift: {0}")]
    Invalid(GiftError),
    #[error("the campaign is closed")]
    Closed,
    #[error("the campaign has not opened")]
    Upcoming,
    #[error("the artwork's consent does not allow gifts now")]
    NoConsent,
    #[error("the campaign has not published its spending plan")]
    NoPlan,
    #[error("the idempotency key is malformed")]
    BadKey,
    #[error("the idempotency key was used for another request")]
    KeyReused,
    #[error("the payment provider is unavailable")]
    Provider,
    #[error("too many checkouts at once; try again later")]
    TooMany(TryAgainIn),
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl CheckoutError {
    /// The HTTP status it is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            CheckoutError::UnknownCampaign | CheckoutError::UnknownArtwork => StatusCode::NOT_FOUND,
            CheckoutError::Invalid(_) | CheckoutError::BadKey => StatusCode::BAD_REQUEST,
            CheckoutError::Closed
            | CheckoutError::Upcoming
            | CheckoutError::NoConsent
            | CheckoutError::NoPlan => StatusCode::CONFLICT,
            CheckoutError::KeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            CheckoutError::Provider => StatusCode::SERVICE_UNAVAILABLE,
            CheckoutError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            CheckoutError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable code for API clients, and for the form's `error` parameter.
    pub fn code(&self) -> &'static str {
        match self {
            CheckoutError::UnknownCampaign => "unknown_campaign",
            CheckoutError::UnknownArtwork => "unknown_artwork",
            CheckoutError::Invalid(e) => e.code(),
            CheckoutError::Closed => "campaign_closed",
            CheckoutError::Upcoming => "campaign_upcoming",
            CheckoutError::NoConsent => "artwork_withdrawn",
            CheckoutError::NoPlan => "no_spending_plan",
            CheckoutError::BadKey => "bad_idempotency_key",
            CheckoutError::KeyReused => "idempotency_key_reused",
            CheckoutError::Provider => "payment_provider_unavailable",
            CheckoutError::TooMany(_) => "too_many_checkouts",
            CheckoutError::Internal(_) => "internal_error",
        }
    }

    /// The reason in the donor's language.
    pub fn message(&self, locale: Locale) -> String {
        let t = locale.words();
        match self {
            CheckoutError::UnknownCampaign | CheckoutError::UnknownArtwork => {
                t.not_found_text().to_owned()
            }
            CheckoutError::Invalid(e) => e.message(locale),
            CheckoutError::Closed => t.checkout_closed().to_owned(),
            CheckoutError::Upcoming => t.adopt_note_upcoming().to_owned(),
            CheckoutError::NoConsent => t.checkout_withdrawn().to_owned(),
            CheckoutError::NoPlan => t.checkout_no_plan().to_owned(),
            CheckoutError::BadKey => t.checkout_bad_request().to_owned(),
            CheckoutError::KeyReused => t.checkout_key_reused().to_owned(),
            CheckoutError::Provider => t.checkout_unavailable().to_owned(),
            CheckoutError::TooMany(_) => t.checkout_too_many().to_owned(),
            CheckoutError::Internal(_) => t.error_text().to_owned(),
        }
    }
}

/// Starts (or, for a repeated idempotency key, finds) the checkout for a gift, when `limits`
/// give this client and campaign a turn.
#[expect(
    clippy::too_many_arguments,
    reason = "each is one thing a checkout depends on"
)]
pub async fn start(
    state: &AppState,
    payments: &Payments,
    limits: &CheckoutLimits,
    client: Option<ClientAddress>,
    slug: &str,
    request: &GiftRequest,
    idempotency_key: Option<&str>,
    locale: Locale,
    referrer: Option<&ShareCode>,
) -> Result<CheckoutStarted, CheckoutError> {
    let slug: Slug = slug.parse().map_err(|_| CheckoutError::UnknownCampaign)?;
    let gate = payments.gate();
    let GateCampaign {
        id: campaign_id,
        campaign,
        has_plan,
    } = gate
        .campaign(&state.db, &slug, locale)
        .await?
        .ok_or(CheckoutError::UnknownCampaign)?;
    limits
        .check_client(client)
        .map_err(CheckoutError::TooMany)?;
    let gift = request
        .validate(&campaign)
        .map_err(CheckoutError::Invalid)?;
    let GateArtwork {
        id: artwork_id,
        card: artwork,
        standing,
    } = gate
        .artwork(&state.db, campaign_id, gift.artwork(), locale)
        .await?
        .ok_or(CheckoutError::UnknownArtwork)?;
    if !standing.allows_gifts() {
        return Err(CheckoutError::NoConsent);
    }
    if !has_plan {
        return Err(CheckoutError::NoPlan);
    }
    let key = match idempotency_key {
        Some(key) if is_valid_key(key) => key.to_owned(),
        Some(_) => return Err(CheckoutError::BadKey),
        // Without a key every request is a new gift.
        None => DonationId::generate()?.to_string(),
    };
    let progress = campaigns::progress(&state.db, campaign_id, &campaign).await?;
    let started = if progress.status == CampaignStatus::Open {
        // Beyond the budget the donation goes to the artwork's Payment Link from the start,
        // with no call to the provider.
        let link = if surge(payments, limits, campaign_id).await {
            let busy = || CheckoutError::TooMany(TryAgainIn(std::time::Duration::from_secs(1)));
            let currency = gift.amount().currency().code();
            let found =
                super::links::find(&state.db, artwork_id, gift.amount().minor(), currency).await?;
            Some(found.ok_or_else(busy)?)
        } else {
            None
        };
        let new = NewDonation {
            campaign: campaign_id,
            artwork_id,
            gift: &gift,
            locale,
            idempotency_key: &key,
            referrer,
            link: link.as_ref().map(|l| (l.link_id.as_str(), l.url.as_str())),
        };
        match donations::start(&state.db, new).await? {
            Start::Created(started) => {
                if link.is_some() {
                    payments.budget().stats().via_link();
                }
                started
            }
            Start::Repeated(started) => started,
            Start::KeyReused => return Err(CheckoutError::KeyReused),
            Start::Withdrawn => return Err(CheckoutError::NoConsent),
        }
    } else {
        // A closed campaign takes no new gift, but a repeat of a request that already opened
        // its checkout still gets that checkout back.
        match donations::find_repeat(&state.db, campaign_id, &key, &gift).await? {
            Some(Start::Repeated(started)) if started.checkout.is_some() => started,
            Some(Start::KeyReused) => return Err(CheckoutError::KeyReused),
            _ if progress.status == CampaignStatus::Upcoming => {
                return Err(CheckoutError::Upcoming)
            }
            _ => return Err(CheckoutError::Closed),
        }
    };
    let checkout = match started.checkout {
        Some(checkout) => checkout,
        None => {
            // Without links, the campaign's and the process's limits refuse beyond them.
            if !payments.links_enabled() {
                limits
                    .check_busy(campaign_id)
                    .map_err(CheckoutError::TooMany)?;
            }
            let methods = campaigns::payment_methods(&state.db, campaign_id).await?;
            let session = SessionRequest {
                donation: &started.id,
                gift: &gift,
                artwork_title: &artwork.title,
                success_url: state.site.absolute(&started.id.path()),
                cancel_url: state.site.absolute(&format!(
                    "{}/artworks/{}",
                    campaign.path(),
                    artwork.slug
                )),
                methods: &methods,
                locale,
            };
            let checkout = create_session(payments, &session).await?;
            donations::attach_checkout(&state.db, &started.id, &checkout).await?;
            checkout
        }
    };
    Ok(CheckoutStarted {
        donation_id: started.id.to_string(),
        checkout_session_id: checkout.session_id,
        checkout_url: checkout.url,
    })
}

/// Whether this checkout goes through a Payment Link (when links are made): the campaign's or
/// the process's limit is reached, or the provider's shared budget has no token left but its
/// reserve. Otherwise it has taken its token for opening a session.
async fn surge(
    payments: &Payments,
    limits: &CheckoutLimits,
    campaign: app::ids::CampaignId,
) -> bool {
    payments.links_enabled()
        && (limits.check_busy(campaign).is_err() || !payments.budget().try_checkout().await)
}

/// Keys are what Stripe accepts: 1 to 255 visible ASCII characters.
fn is_valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| b.is_ascii_graphic())
}

/// What a Checkout Session is opened with.
struct SessionRequest<'a> {
    donation: &'a DonationId,
    gift: &'a ValidGift,
    artwork_title: &'a str,
    success_url: String,
    cancel_url: String,
    methods: &'a [String],
    locale: Locale,
}

/// Opens the session. Every try carries the same idempotency key, derived from the donation, so
/// Stripe makes one session however many tries or concurrent requests reach it.
async fn create_session(
    payments: &Payments,
    request: &SessionRequest<'_>,
) -> Result<Checkout, CheckoutError> {
    let key = IdempotencyKey::new(format!("checkout-{}", request.donation))
        .map_err(|e| anyhow::anyhow!("building an idempotency key: {e:?}"))?;
    let params = session_params(request)?;
    let session = super::with_retries(
        payments.budget(),
        payments.links_enabled(),
        "checkout",
        || {
            params
                .customize()
                .request_strategy(RequestStrategy::Idempotent(key.clone()))
                .send(payments.client())
        },
    )
    .await
    .map_err(|_| CheckoutError::Provider)?;
    let url = session
        .url
        .ok_or_else(|| anyhow::anyhow!("Stripe returned a session without a URL"))?;
    Ok(Checkout {
        session_id: session.id.to_string(),
        url,
    })
}

fn session_params(request: &SessionRequest<'_>) -> anyhow::Result<CreateCheckoutSession> {
    let amount = request.gift.amount();
    let currency: stripe_types::Currency = amount
        .currency()
        .code()
        .to_ascii_lowercase()
        .parse()
        .map_err(|_| anyhow::anyhow!("Stripe does not know currency {}", amount.currency()))?;
    let mut price = CreateCheckoutSessionLineItemsPriceData::new(currency);
    price.unit_amount = Some(amount.minor());
    price.product_data = Some(ProductData::new(request.artwork_title));
    let mut item = CreateCheckoutSessionLineItems::new();
    item.price_data = Some(price);
    item.quantity = Some(1);
    let metadata = HashMap::from([("donation_id".to_owned(), request.donation.to_string())]);
    let mut intent = CreateCheckoutSessionPaymentIntentData::new();
    // Charges inherit this, so a refund event names its donation even before the payment's.
    intent.metadata = Some(metadata.clone());
    let mut methods: Vec<Method> = request
        .methods
        .iter()
        .filter_map(|m| match m.as_str() {
            "card" => Some(Method::Card),
            "alipay" => Some(Method::Alipay),
            "wechat_pay" => Some(Method::WechatPay),
            _ => None,
        })
        .collect();
    if methods.is_empty() {
        methods.push(Method::Card);
    }
    let wechat_pay = methods.contains(&Method::WechatPay);
    let mut params = CreateCheckoutSession::new()
        .mode(stripe_shared::CheckoutSessionMode::Payment)
        .line_items(vec![item])
        .client_reference_id(request.donation.to_string())
        .metadata(metadata)
        .payment_intent_data(intent)
        .success_url(request.success_url.clone())
        .cancel_url(request.cancel_url.clone())
        .locale(match request.locale {
            Locale::En => stripe_shared::CheckoutSessionLocale::En,
            Locale::ZhCn => stripe_shared::CheckoutSessionLocale::Zh,
        })
        .allowed_payment_method_types(methods);
    if wechat_pay {
        params = params.payment_method_options(wechat_pay_on_the_web());
    }
    if let Some(email) = request.gift.email() {
        params = params.customer_email(email.to_owned());
    }
    Ok(params)
}

/// WeChat Pay in Checkout needs to know it is paid from a web page.
fn wechat_pay_on_the_web(
) -> stripe_checkout::checkout_session::CreateCheckoutSessionPaymentMethodOptions {
    use stripe_checkout::checkout_session::{
        CreateCheckoutSessionPaymentMethodOptions,
        CreateCheckoutSessionPaymentMethodOptionsWechatPay,
        CreateCheckoutSessionPaymentMethodOptionsWechatPayClient,
    };
    let mut options = CreateCheckoutSessionPaymentMethodOptions::new();
    options.wechat_pay = Some(CreateCheckoutSessionPaymentMethodOptionsWechatPay::new(
        CreateCheckoutSessionPaymentMethodOptionsWechatPayClient::Web,
    ));
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::donations::FormNotice;
    use app::money::{Currency, Money};
    use std::time::Duration;

    #[test]
    fn every_refusal_a_form_is_sent_back_with_is_explained_on_the_page() {
        let min = Money::from_minor(500, Currency::Cny).expect("money");
        let refusals = [
            CheckoutError::Invalid(GiftError::BelowMinimum { min }),
            CheckoutError::Invalid(GiftError::BadEmail),
            CheckoutError::Closed,
            CheckoutError::Upcoming,
            CheckoutError::BadKey,
            CheckoutError::KeyReused,
            CheckoutError::Provider,
            CheckoutError::TooMany(TryAgainIn(Duration::from_secs(1))),
            CheckoutError::Internal(anyhow::anyhow!("a lost connection")),
        ];
        for refusal in refusals {
            let notice = FormNotice::from_code(refusal.code(), min);
            assert!(notice.is_some(), "{} has no notice", refusal.code());
            for locale in [Locale::En, Locale::ZhCn] {
                let text = notice
                    .as_ref()
                    .map(|n| n.message(locale))
                    .unwrap_or_default();
                assert!(!text.is_empty() && !text.contains('_'), "{text}");
            }
        }
    }
}
