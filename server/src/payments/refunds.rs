//! Refunds, asked of Stripe (or the demo stand-in) through async-stripe.
//!
//! Asking changes nothing here: the totals drop when Stripe's `charge.refunded` event reaches the
//! ledger, exactly as for a refund made in Stripe's dashboard.

use super::Payments;
use app::db::Db;
use app::donations::store::{self as donations};
use app::ids::DonationId;
use stripe::{IdempotencyKey, RequestStrategy, StripeRequest};
use stripe_core::refund::CreateRefund;

/// Why a refund was not asked for.
#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    #[error("no such donation")]
    UnknownDonation,
    #[error("only a paid gift can be refunded")]
    NotPaid,
    #[error("the amount must be between 1 and {refundable} (what is left to refund)")]
    BadAmount { refundable: i64 },
    #[error("the payment provider did not take the refund; try again later")]
    Provider,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// A refund that may be asked for: the gift's payment, what it paid, and the amount.
#[derive(Clone, Debug)]
pub struct Refundable {
    payment_intent: String,
    pub paid_minor: i64,
    pub refunded_minor: i64,
    pub amount_minor: i64,
}

/// Checks that `amount_minor` of a gift may be refunded, asking nothing of anyone.
pub async fn check(
    db: &Db,
    donation: &DonationId,
    amount_minor: i64,
) -> Result<Refundable, RefundError> {
    let target = donations::refund_target(db, donation)
        .await?
        .ok_or(RefundError::UnknownDonation)?;
    let payment_intent = match (target.status.as_str(), &target.payment_intent_id) {
        ("paid", Some(pi)) => pi.clone(),
        _ => return Err(RefundError::NotPaid),
    };
    let refundable = target.paid_minor - target.refunded_minor.min(target.paid_minor);
    if amount_minor < 1 || amount_minor > refundable {
        return Err(RefundError::BadAmount { refundable });
    }
    Ok(Refundable {
        payment_intent,
        paid_minor: target.paid_minor,
        refunded_minor: target.refunded_minor,
        amount_minor,
    })
}

/// Asks Stripe to refund `amount_minor` of a paid gift. `request_key` names this request (one
/// per confirmed form): repeating it refunds once.
pub async fn refund(
    payments: &Payments,
    db: &Db,
    donation: &DonationId,
    amount_minor: i64,
    request_key: &str,
) -> Result<(), RefundError> {
    let Refundable {
        payment_intent,
        amount_minor: amount,
        ..
    } = check(db, donation, amount_minor).await?;
    let key = IdempotencyKey::new(format!("refund-{donation}-{request_key}"))
        .map_err(|e| anyhow::anyhow!("building an idempotency key: {e:?}"))?;
    let request = CreateRefund::new()
        .payment_intent(payment_intent)
        .amount(amount);
    super::with_retries(payments.budget(), false, "refund", || {
        request
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key.clone()))
            .send(payments.client())
    })
    .await
    .map_err(|_| RefundError::Provider)?;
    Ok(())
}
