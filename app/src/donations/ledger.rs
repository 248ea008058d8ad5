//! The ledger: payment events applied exactly once, money movements appended, totals kept equal
//! to the ledger's sum.
//!
//! An event is applied in one transaction that first records its id (a duplicate stops there),
//! then moves the donation forward, appends ledger entries and updates the campaign's and the
//! artwork's totals. Stripe may deliver an event twice, late, out of order or concurrently; the
//! rules in [`transition`] make every order come out the same.

use super::store::DonationId;
use super::DonationStatus;
use crate::db::{now_ms, Db};
use anyhow::Context;
use sqlx::{Any, FromRow, Transaction};

/// A payment event as the ledger needs it, whatever the provider's wire format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentEvent {
    /// The provider's event id: the unit of exactly-once.
    pub id: String,
    /// The provider's event type, for the record.
    pub type_name: String,
    /// Which donation it is about.
    pub donation: DonationRef,
    pub change: PaymentChange,
}

/// How an event names its donation: our id from the session's metadata when it carries one,
/// else the payment the donation was paid with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DonationRef {
    Id(DonationId),
    PaymentIntent(String),
    Unknown,
}

/// What an event says happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentChange {
    /// The checkout was completed; `paid` is false for methods that settle later.
    Completed {
        paid: bool,
        amount_minor: i64,
        currency: String,
        payment_intent: Option<String>,
    },
    /// A delayed payment settled.
    AsyncSucceeded {
        amount_minor: i64,
        currency: String,
        payment_intent: Option<String>,
    },
    /// A delayed payment failed.
    AsyncFailed,
    /// The checkout expired unpaid.
    Expired,
    /// The charge has now been refunded by `refunded_minor` in all (Stripe's cumulative figure).
    Refunded {
        refunded_minor: i64,
        currency: String,
    },
    /// An event type the ledger has no use for.
    Ignored,
}

/// What applying an event did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// The event moved money or a donation's state.
    Changed {
        donation: DonationId,
        status: DonationStatus,
    },
    /// The event was recorded but changed nothing (already in that state, or further).
    NoChange,
    /// This event id was applied before.
    Duplicate,
    /// No donation matches the event; recorded and left alone.
    UnknownDonation,
    /// The event type does not concern gifts.
    Ignored,
}

/// A donation's money state, as a transition reads and writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DonationState {
    pub status: DonationStatus,
    pub amount_minor: i64,
    pub currency: String,
    pub paid_minor: i64,
    pub refunded_minor: i64,
}

/// The effect of one event on one donation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transition {
    pub status: Option<DonationStatus>,
    pub paid_minor: Option<i64>,
    pub refunded_minor: Option<i64>,
    /// Ledger entries: positive gifts, negative refunds.
    pub entries: Vec<i64>,
    /// Change to the donor count (a counted donation is paid and not refunded in full).
    pub donors: i64,
    /// Whether the donation now earns its certificate number.
    pub certificate: bool,
    /// Amount or currency differed from the request.
    pub mismatch: bool,
}

impl Transition {
    fn is_noop(&self) -> bool {
        *self == Transition::default()
    }

    /// The net change to the raised total.
    pub fn raised(&self) -> i64 {
        self.entries.iter().sum()
    }
}

/// How one event changes a donation. States only move forward: nothing undoes a payment but a
/// refund, a payment beats an expiry or a failure that arrived first (the money did move), and a
/// refund that arrives before its payment is remembered and applied when the payment lands.
pub fn transition(state: &DonationState, change: &PaymentChange) -> Transition {
    use DonationStatus as S;
    let counted = matches!(state.status, S::Paid | S::Refunded | S::Held);
    match change {
        PaymentChange::Completed {
            paid: true,
            amount_minor,
            currency,
            ..
        }
        | PaymentChange::AsyncSucceeded {
            amount_minor,
            currency,
            ..
        } => {
            if counted {
                return Transition::default();
            }
            if *amount_minor != state.amount_minor
                || !currency.eq_ignore_ascii_case(&state.currency)
            {
                return Transition {
                    status: Some(S::Held),
                    mismatch: true,
                    ..Transition::default()
                };
            }
            let refunded = state.refunded_minor.min(*amount_minor);
            let mut entries = vec![*amount_minor];
            if refunded > 0 {
                entries.push(-refunded);
            }
            let fully_refunded = refunded == *amount_minor;
            Transition {
                status: Some(if fully_refunded { S::Refunded } else { S::Paid }),
                paid_minor: Some(*amount_minor),
                entries,
                donors: i64::from(!fully_refunded),
                certificate: !fully_refunded,
                ..Transition::default()
            }
        }
        PaymentChange::Completed { paid: false, .. } => match state.status {
            S::Pending => Transition {
                status: Some(S::AwaitingPayment),
                ..Transition::default()
            },
            _ => Transition::default(),
        },
        PaymentChange::AsyncFailed => match state.status {
            S::Pending | S::AwaitingPayment => Transition {
                status: Some(S::Failed),
                ..Transition::default()
            },
            _ => Transition::default(),
        },
        PaymentChange::Expired => match state.status {
            S::Pending | S::AwaitingPayment => Transition {
                status: Some(S::Expired),
                ..Transition::default()
            },
            _ => Transition::default(),
        },
        PaymentChange::Refunded {
            refunded_minor,
            currency,
        } => {
            let refunded_now = (*refunded_minor).max(0);
            if refunded_now <= state.refunded_minor
                || !currency.eq_ignore_ascii_case(&state.currency)
            {
                return Transition::default();
            }
            if state.status != S::Paid {
                // Not counted (yet): remember the figure for when the payment arrives.
                return Transition {
                    refunded_minor: Some(refunded_now),
                    ..Transition::default()
                };
            }
            let before = state.refunded_minor.min(state.paid_minor);
            let after = refunded_now.min(state.paid_minor);
            let fully_refunded = after == state.paid_minor;
            let mut entries = Vec::new();
            if after > before {
                entries.push(before - after);
            }
            Transition {
                status: fully_refunded.then_some(S::Refunded),
                refunded_minor: Some(refunded_now),
                entries,
                donors: if fully_refunded { -1 } else { 0 },
                ..Transition::default()
            }
        }
        PaymentChange::Ignored => Transition::default(),
    }
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
}

/// Reads the donation matching `$2` under a condition. Touching the row first takes its lock on
/// PostgreSQL, so two events for one donation apply one after the other.
macro_rules! lock_donation {
    ($condition:literal) => {
        concat!(
            "UPDATE donations SET updated_at = $1 WHERE ",
            $condition,
            " RETURNING id, campaign_id, artwork_id, amount_minor, currency, status, \
             paid_minor, refunded_minor, payment_intent_id"
        )
    };
}

/// Applies one payment event exactly once. An error means nothing was applied (the transaction
/// rolled back) and the provider should deliver the event again.
#[tracing::instrument(skip_all, fields(event = %event.id, kind = %event.type_name))]
pub async fn apply(db: &Db, event: &PaymentEvent) -> anyhow::Result<Applied> {
    let now = now_ms();
    let mut w = db.begin_write().await?;
    let recorded = sqlx::query(
        "INSERT INTO stripe_events (id, type, donation_id, outcome, received_at) \
         VALUES ($1, $2, $3, 'applied', $4) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&event.id)
    .bind(&event.type_name)
    .bind(match &event.donation {
        DonationRef::Id(id) => Some(id.as_str()),
        _ => None,
    })
    .bind(now)
    .execute(&mut *w.tx)
    .await
    .context("recording the event")?;
    if recorded.rows_affected() == 0 {
        return Ok(Applied::Duplicate);
    }
    if event.change == PaymentChange::Ignored {
        set_outcome(&mut w.tx, &event.id, "ignored").await?;
        w.commit().await?;
        return Ok(Applied::Ignored);
    }
    let lookup = match &event.donation {
        DonationRef::Id(id) => Some((lock_donation!("id = $2"), id.as_str())),
        DonationRef::PaymentIntent(pi) => {
            Some((lock_donation!("payment_intent_id = $2"), pi.as_str()))
        }
        DonationRef::Unknown => None,
    };
    let row: Option<DonationRow> = match lookup {
        Some((sql, key)) => {
            sqlx::query_as(sql)
                .bind(now)
                .bind(key)
                .fetch_optional(&mut *w.tx)
                .await
        }
        None => Ok(None),
    }
    .context("reading the donation")?;
    let Some(row) = row else {
        set_outcome(&mut w.tx, &event.id, "unknown_donation").await?;
        w.commit().await?;
        tracing::warn!("payment event for no known donation");
        return Ok(Applied::UnknownDonation);
    };
    let state = DonationState {
        status: row.status.parse().map_err(anyhow::Error::msg)?,
        amount_minor: row.amount_minor,
        currency: row.currency.clone(),
        paid_minor: row.paid_minor,
        refunded_minor: row.refunded_minor,
    };
    let t = transition(&state, &event.change);
    let payment_intent = match &event.change {
        PaymentChange::Completed { payment_intent, .. }
        | PaymentChange::AsyncSucceeded { payment_intent, .. } => payment_intent.clone(),
        _ => None,
    }
    .filter(|_| row.payment_intent_id.is_none());
    if t.is_noop() && payment_intent.is_none() {
        set_outcome(&mut w.tx, &event.id, "no_change").await?;
        w.commit().await?;
        return Ok(Applied::NoChange);
    }
    if t.mismatch {
        // Ids only: the amounts are in the database for staff.
        tracing::warn!(donation = %row.id, "paid amount or currency differs from the request: held");
    }
    let certificate = apply_totals(&mut w.tx, &row, &t, now).await?;
    sqlx::query(
        "UPDATE donations SET status = COALESCE($1, status), \
         paid_minor = COALESCE($2, paid_minor), refunded_minor = COALESCE($3, refunded_minor), \
         certificate_number = COALESCE($4, certificate_number), \
         payment_intent_id = COALESCE($5, payment_intent_id), \
         paid_at = CASE WHEN $2 IS NULL THEN paid_at ELSE $6 END, updated_at = $6 \
         WHERE id = $7",
    )
    .bind(t.status.map(DonationStatus::as_str))
    .bind(t.paid_minor)
    .bind(t.refunded_minor)
    .bind(certificate)
    .bind(payment_intent)
    .bind(now)
    .bind(&row.id)
    .execute(&mut *w.tx)
    .await
    .context("moving the donation forward")?;
    for amount in &t.entries {
        sqlx::query(
            "INSERT INTO ledger_entries (campaign_id, artwork_id, donation_id, kind, \
             amount_minor, currency, stripe_event_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(row.campaign_id)
        .bind(row.artwork_id)
        .bind(&row.id)
        .bind(if *amount > 0 { "gift" } else { "refund" })
        .bind(*amount)
        .bind(&row.currency)
        .bind(&event.id)
        .bind(now)
        .execute(&mut *w.tx)
        .await
        .context("appending to the ledger")?;
    }
    w.commit().await?;
    let status = match t.status {
        Some(status) => status,
        None => state.status,
    };
    let donation = DonationId::parse(&row.id).context("a stored donation id is malformed")?;
    Ok(Applied::Changed { donation, status })
}

/// Updates the campaign's and the artwork's running totals; returns the certificate number the
/// donation earns, if it earns one now.
async fn apply_totals(
    tx: &mut Transaction<'static, Any>,
    row: &DonationRow,
    t: &Transition,
    now: i64,
) -> anyhow::Result<Option<i64>> {
    let raised = t.raised();
    if raised == 0 && t.donors == 0 && !t.certificate {
        return Ok(None);
    }
    let issued: i64 = sqlx::query_scalar(
        "UPDATE campaign_totals SET raised_minor = raised_minor + $1, donors = donors + $2, \
         certificates_issued = certificates_issued + $3, updated_at = $4 \
         WHERE campaign_id = $5 RETURNING certificates_issued",
    )
    .bind(raised)
    .bind(t.donors)
    .bind(i64::from(t.certificate))
    .bind(now)
    .bind(row.campaign_id)
    .fetch_one(&mut **tx)
    .await
    .context("updating campaign totals")?;
    // Update, else insert: an upsert's candidate row would trip the CHECK on a refund. A refund
    // only ever follows a counted gift, whose row exists.
    let updated = sqlx::query(
        "UPDATE artwork_totals SET raised_minor = raised_minor + $1, gifts = gifts + $2 \
         WHERE artwork_id = $3",
    )
    .bind(raised)
    .bind(t.donors)
    .bind(row.artwork_id)
    .execute(&mut **tx)
    .await
    .context("updating artwork totals")?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO artwork_totals (artwork_id, campaign_id, raised_minor, gifts) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(row.artwork_id)
        .bind(row.campaign_id)
        .bind(raised)
        .bind(t.donors)
        .execute(&mut **tx)
        .await
        .context("creating artwork totals")?;
    }
    Ok(t.certificate.then_some(issued))
}

async fn set_outcome(
    tx: &mut Transaction<'static, Any>,
    event: &str,
    outcome: &str,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE stripe_events SET outcome = $1 WHERE id = $2")
        .bind(outcome)
        .bind(event)
        .execute(&mut **tx)
        .await
        .context("recording an event's outcome")?;
    Ok(())
}

/// One campaign's totals beside what its ledger and donations say they should be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    pub campaign_slug: String,
    pub raised_total: i64,
    pub raised_ledger: i64,
    pub donors_total: i64,
    pub donors_counted: i64,
    /// Artworks whose running total differs from their ledger sum.
    pub artworks_drifted: i64,
}

impl Reconciliation {
    pub fn balanced(&self) -> bool {
        self.raised_total == self.raised_ledger
            && self.donors_total == self.donors_counted
            && self.artworks_drifted == 0
    }
}

/// Compares every campaign's totals with the ledger's sums.
pub async fn reconcile(db: &Db) -> anyhow::Result<Vec<Reconciliation>> {
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT c.slug, t.raised_minor, \
         COALESCE((SELECT CAST(SUM(l.amount_minor) AS BIGINT) FROM ledger_entries l \
                   WHERE l.campaign_id = c.id), 0) AS ledger, \
         t.donors, \
         (SELECT COUNT(*) FROM donations d WHERE d.campaign_id = c.id AND d.status = 'paid') \
           AS counted, \
         (SELECT COUNT(*) FROM artwork_totals a WHERE a.campaign_id = c.id AND a.raised_minor <> \
           COALESCE((SELECT CAST(SUM(l.amount_minor) AS BIGINT) FROM ledger_entries l \
                     WHERE l.artwork_id = a.artwork_id), 0)) AS drifted \
         FROM campaigns c JOIN campaign_totals t ON t.campaign_id = c.id ORDER BY c.id",
    )
    .fetch_all(db.pool())
    .await
    .context("reconciling totals with the ledger")?;
    Ok(rows
        .into_iter()
        .map(
            |(
                campaign_slug,
                raised_total,
                raised_ledger,
                donors_total,
                donors_counted,
                drifted,
            )| {
                Reconciliation {
                    campaign_slug,
                    raised_total,
                    raised_ledger,
                    donors_total,
                    donors_counted,
                    artworks_drifted: drifted,
                }
            },
        )
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use DonationStatus as S;

    fn state(status: S, paid: i64, refunded: i64) -> DonationState {
        DonationState {
            status,
            amount_minor: 500,
            currency: "cny".into(),
            paid_minor: paid,
            refunded_minor: refunded,
        }
    }

    fn paid(amount: i64) -> PaymentChange {
        PaymentChange::Completed {
            paid: true,
            amount_minor: amount,
            currency: "cny".into(),
            payment_intent: Some("pi_1".into()),
        }
    }

    fn refunded(total: i64) -> PaymentChange {
        PaymentChange::Refunded {
            refunded_minor: total,
            currency: "cny".into(),
        }
    }

    /// Applies changes in order to a fresh donation, as the ledger would.
    fn run(changes: &[PaymentChange]) -> (DonationState, i64, i64) {
        let mut s = state(S::Pending, 0, 0);
        let (mut raised, mut donors) = (0, 0);
        for change in changes {
            let t = transition(&s, change);
            raised += t.raised();
            donors += t.donors;
            s.status = t.status.unwrap_or(s.status);
            s.paid_minor = t.paid_minor.unwrap_or(s.paid_minor);
            s.refunded_minor = t.refunded_minor.unwrap_or(s.refunded_minor);
        }
        (s, raised, donors)
    }

    #[test]
    fn a_paid_checkout_counts_once() {
        let (s, raised, donors) = run(&[paid(500), paid(500)]);
        assert_eq!((s.status, raised, donors), (S::Paid, 500, 1));
    }

    #[test]
    fn an_unpaid_completion_waits_for_the_delayed_payment() {
        let unpaid = PaymentChange::Completed {
            paid: false,
            amount_minor: 500,
            currency: "cny".into(),
            payment_intent: None,
        };
        let (s, raised, _) = run(std::slice::from_ref(&unpaid));
        assert_eq!((s.status, raised), (S::AwaitingPayment, 0));
        let succeeded = PaymentChange::AsyncSucceeded {
            amount_minor: 500,
            currency: "cny".into(),
            payment_intent: None,
        };
        let (s, raised, donors) = run(&[unpaid.clone(), succeeded.clone()]);
        assert_eq!((s.status, raised, donors), (S::Paid, 500, 1));
        // The success first, then the stale completion: the same result.
        let (s, raised, _) = run(&[succeeded, unpaid]);
        assert_eq!((s.status, raised), (S::Paid, 500));
        let (s, raised, _) = run(&[
            PaymentChange::Completed {
                paid: false,
                amount_minor: 500,
                currency: "cny".into(),
                payment_intent: None,
            },
            PaymentChange::AsyncFailed,
        ]);
        assert_eq!((s.status, raised), (S::Failed, 0));
    }

    #[test]
    fn refunds_lower_the_total_by_what_was_refunded() {
        let (s, raised, donors) = run(&[paid(500), refunded(200)]);
        assert_eq!((s.status, raised, donors), (S::Paid, 300, 1));
        let (s, raised, donors) = run(&[paid(500), refunded(200), refunded(500)]);
        assert_eq!((s.status, raised, donors), (S::Refunded, 0, 0));
        // The same cumulative figures out of order: the smaller, late one changes nothing.
        let (s, raised, donors) = run(&[paid(500), refunded(500), refunded(200)]);
        assert_eq!((s.status, raised, donors), (S::Refunded, 0, 0));
    }

    #[test]
    fn a_refund_before_its_payment_is_applied_when_the_payment_lands() {
        let (s, raised, donors) = run(&[refunded(200), paid(500)]);
        assert_eq!((s.status, raised, donors), (S::Paid, 300, 1));
        let (s, raised, donors) = run(&[refunded(500), paid(500)]);
        assert_eq!((s.status, raised, donors), (S::Refunded, 0, 0));
        // A late completion after a full refund never counts the gift again.
        let (s, raised, donors) = run(&[paid(500), refunded(500), paid(500)]);
        assert_eq!((s.status, raised, donors), (S::Refunded, 0, 0));
    }

    #[test]
    fn money_that_moved_beats_an_expiry_or_failure_that_arrived_first() {
        let succeeded = PaymentChange::AsyncSucceeded {
            amount_minor: 500,
            currency: "cny".into(),
            payment_intent: None,
        };
        let (s, raised, _) = run(&[PaymentChange::Expired, succeeded.clone()]);
        assert_eq!((s.status, raised), (S::Paid, 500));
        let (s, raised, _) = run(&[
            paid(500),
            PaymentChange::Expired,
            PaymentChange::AsyncFailed,
        ]);
        assert_eq!((s.status, raised), (S::Paid, 500));
    }

    #[test]
    fn a_payment_that_differs_from_the_request_is_held_not_counted() {
        let (s, raised, donors) = run(&[paid(499)]);
        assert_eq!((s.status, raised, donors), (S::Held, 0, 0));
        let usd = PaymentChange::Completed {
            paid: true,
            amount_minor: 500,
            currency: "usd".into(),
            payment_intent: None,
        };
        assert_eq!(run(&[usd]).0.status, S::Held);
    }
}
