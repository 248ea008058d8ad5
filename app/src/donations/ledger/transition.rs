//! How one event changes one donation: the pure rules the ledger applies.

use super::PaymentChange;
use crate::donations::DonationStatus;

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
    pub(super) fn is_noop(&self) -> bool {
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
