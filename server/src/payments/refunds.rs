//! Refunds, asked of Stripe (or the demo stand-in) through async-stripe.
//!
//! Asking changes nothing here: the totals drop when Stripe's `charge.refunded` event reaches the
//! ledger, exactly as for a refund made in Stripe's dashboard.

use super::Payments;
use app::db::Db;
use app::donations::store::{self as donations, DonationId};
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

/// Asks Stripe to refund `amount_minor` of a paid gift, or all that is left of it. `request_key`
/// names this request (one per button press): repeating it refunds once.
pub async fn refund(
    payments: &Payments,
    db: &Db,
    donation: &DonationId,
    amount_minor: Option<i64>,
    request_key: &str,
) -> Result<(), RefundError> {
    let target = donations::refund_target(db, donation)
        .await?
        .ok_or(RefundError::UnknownDonation)?;
    let payment_intent = match (target.status.as_str(), &target.payment_intent_id) {
        ("paid", Some(pi)) => pi.clone(),
        _ => return Err(RefundError::NotPaid),
    };
    let refundable = target.paid_minor - target.refunded_minor.min(target.paid_minor);
    let amount = amount_minor.unwrap_or(refundable);
    if amount < 1 || amount > refundable {
        return Err(RefundError::BadAmount { refundable });
    }
    let key = IdempotencyKey::new(format!("refund-{donation}-{request_key}"))
        .map_err(|e| anyhow::anyhow!("building an idempotency key: {e:?}"))?;
    let request = CreateRefund::new()
        .payment_intent(payment_intent)
        .amount(amount);
    super::with_retries("refund", || {
        request
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key.clone()))
            .send(payments.client())
    })
    .await
    .map_err(|_| RefundError::Provider)?;
    Ok(())
}
