//! Reading Stripe's webhook events: the signature is checked (with every secret in use while one
//! is rotated), the payload is parsed by async-stripe, and the events that concern gifts become
//! the ledger's [`PaymentEvent`]s.

use app::donations::ledger::{DonationRef, PaymentChange, PaymentEvent};
use app::ids::DonationId;
use stripe_shared::CheckoutSessionPaymentStatus;
use stripe_webhook::{EventObject, Webhook, WebhookError};

/// Why a webhook delivery was refused. Each is a 400: nothing is changed and Stripe shows the
/// failure in its dashboard.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("missing Stripe-Signature header")]
    Unsigned,
    #[error("no signature matches")]
    BadSignature,
    #[error("the signature's timestamp is outside the tolerance")]
    Stale,
    #[error("the payload is not a Stripe event")]
    Malformed,
}

/// Verifies a delivery against each accepted secret and reads the event.
pub fn verify(
    payload: &str,
    signature: Option<&str>,
    secrets: &[String],
) -> Result<PaymentEvent, Refused> {
    let signature = signature.ok_or(Refused::Unsigned)?;
    let mut refusal = Refused::BadSignature;
    for secret in secrets {
        match Webhook::construct_event(payload, signature, secret) {
            Ok(event) => return Ok(translate(event)),
            Err(WebhookError::BadSignature | WebhookError::BadKey) => {}
            Err(WebhookError::BadTimestamp(_)) => refusal = Refused::Stale,
            Err(WebhookError::BadHeader(_)) => return Err(Refused::BadSignature),
            // The signature held (it is checked first): a type we do not read need not parse.
            Err(WebhookError::BadParse(_)) => return ignored_if_unused(payload),
        }
    }
    Err(refusal)
}

/// Reads an event listed by Stripe's events API, which is Stripe's word already (it came over
/// the authenticated API), so it carries no signature to check.
pub fn from_listed(event: &stripe_shared::Event) -> Result<(PaymentEvent, String), Refused> {
    let quoted = |text: &str| serde_json::Value::from(text).to_string();
    let payload = format!(
        r#"{{"id":{},"object":"event","created":{},"livemode":{},"pending_webhooks":0,"type":{},"data":{{"object":{}}}}}"#,
        quoted(event.id.as_str()),
        event.created,
        event.livemode,
        quoted(event.type_.as_str()),
        miniserde::json::to_string(&event.data.object),
    );
    let event = match Webhook::insecure(&payload) {
        Ok(event) => translate(event),
        Err(_) => ignored_if_unused(&payload)?,
    };
    Ok((event, payload))
}

/// The event types that move gifts; anything else is acknowledged and ignored.
pub const USED: [&str; 5] = [
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "charge.refunded",
];

/// A signed event async-stripe could not read: ignored when it is of a type we do not use,
/// refused as malformed when it is one we need.
fn ignored_if_unused(payload: &str) -> Result<PaymentEvent, Refused> {
    #[derive(serde::Deserialize)]
    struct Header {
        id: String,
        #[serde(rename = "type")]
        type_name: String,
    }
    let header: Header = serde_json::from_str(payload).map_err(|_| Refused::Malformed)?;
    if USED.contains(&header.type_name.as_str()) || header.id.is_empty() {
        return Err(Refused::Malformed);
    }
    Ok(PaymentEvent {
        id: header.id,
        type_name: header.type_name,
        donation: DonationRef::Unknown,
        change: PaymentChange::Ignored,
    })
}

/// Turns an async-stripe event into what the ledger applies.
fn translate(event: stripe_webhook::Event) -> PaymentEvent {
    let id = event.id.to_string();
    let type_name = event.type_.as_str().to_owned();
    let (donation, change) = match event.data.object {
        EventObject::CheckoutSessionCompleted(session) => {
            let paid = matches!(session.payment_status, CheckoutSessionPaymentStatus::Paid);
            (
                session_ref(&session),
                session_payment(&session, |amount_minor, currency, payment_intent| {
                    PaymentChange::Completed {
                        paid,
                        amount_minor,
                        currency,
                        payment_intent,
                    }
                }),
            )
        }
        EventObject::CheckoutSessionAsyncPaymentSucceeded(session) => (
            session_ref(&session),
            session_payment(&session, |amount_minor, currency, payment_intent| {
                PaymentChange::AsyncSucceeded {
                    amount_minor,
                    currency,
                    payment_intent,
                }
            }),
        ),
        EventObject::CheckoutSessionAsyncPaymentFailed(session) => {
            (session_ref(&session), PaymentChange::AsyncFailed)
        }
        EventObject::CheckoutSessionExpired(session) => {
            (session_ref(&session), PaymentChange::Expired)
        }
        EventObject::ChargeRefunded(charge) => {
            let donation = match charge
                .metadata
                .get("donation_id")
                .and_then(|id| DonationId::parse(id))
            {
                Some(id) => DonationRef::Id(id),
                None => charge
                    .payment_intent
                    .as_ref()
                    .map_or(DonationRef::Unknown, |pi| {
                        DonationRef::PaymentIntent(pi.id().to_string())
                    }),
            };
            (
                donation,
                PaymentChange::Refunded {
                    refunded_minor: charge.amount_refunded,
                    currency: charge.currency.to_string(),
                },
            )
        }
        _ => (DonationRef::Unknown, PaymentChange::Ignored),
    };
    PaymentEvent {
        id,
        type_name,
        donation,
        change,
    }
}

/// The donation a session was opened for: its metadata, else its client reference.
fn session_ref(session: &stripe_shared::CheckoutSession) -> DonationRef {
    session
        .metadata
        .as_ref()
        .and_then(|m| m.get("donation_id"))
        .or(session.client_reference_id.as_ref())
        .and_then(|id| DonationId::parse(id))
        .map_or(DonationRef::Unknown, DonationRef::Id)
}

/// A session's amount, currency and payment, as `make` wants them. A session without an amount
/// is read as zero, which the ledger refuses to count.
fn session_payment(
    session: &stripe_shared::CheckoutSession,
    make: impl FnOnce(i64, String, Option<String>) -> PaymentChange,
) -> PaymentChange {
    make(
        session.amount_total.unwrap_or(0),
        session
            .currency
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        session
            .payment_intent
            .as_ref()
            .map(|pi| pi.id().to_string()),
    )
}

/// The session of a checkout event that came through a Payment Link (read from the payload
/// after its signature was checked); `None` for any other event.
pub fn link_session(payload: &str) -> Option<super::links::LinkSession> {
    let event: serde_json::Value = serde_json::from_str(payload).ok()?;
    if !matches!(
        event["type"].as_str()?,
        "checkout.session.completed" | "checkout.session.async_payment_succeeded"
    ) {
        return None;
    }
    let session = &event["data"]["object"];
    // Expandable fields are an id, or the object with its id.
    let id_of = |value: &serde_json::Value| {
        value
            .as_str()
            .or_else(|| value["id"].as_str())
            .map(str::to_owned)
    };
    Some(super::links::LinkSession {
        session_id: session["id"].as_str()?.to_owned(),
        payment_link: id_of(&session["payment_link"])?,
        client_reference_id: session["client_reference_id"].as_str().map(str::to_owned),
        amount_minor: session["amount_total"].as_i64().unwrap_or(0),
        currency: session["currency"].as_str().unwrap_or_default().to_owned(),
        payment_intent: id_of(&session["payment_intent"]),
    })
}
