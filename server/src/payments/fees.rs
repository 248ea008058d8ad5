//! Reading the payment provider's fees. Stripe states each payment's fee on its balance
//! transaction, not on the events we get, so they are listed (`GET /v1/balance_transactions`,
//! a hundred a call with each charge expanded: at 480 gifts a second that is five calls a
//! second), kept per payment, then settled into each campaign's account and its public log
//! (`app::spending::fees`).
//!
//! It runs every few minutes on every instance, within the rate budget and paced like the other
//! background calls; when the budget is short (a surge) it stops and leaves the rest for the
//! next read, so checkouts keep every call. A read from the mark a little back in time
//! finds each balance transaction at least once; reading one twice keeps it once.

use super::{with_retries, Payments};
use app::db::Db;
use app::money::Currency;
use app::spending::fees::{self, StatedFee};
use std::time::Duration;
use stripe::StripeRequest;
use stripe_core::balance_transaction::ListBalanceTransaction;
use stripe_shared::{BalanceTransaction, BalanceTransactionSource};
use stripe_types::{Expandable, RangeQueryTs};

/// How often the fees are read; with the demo's payments, often enough that a newcomer who
/// gives sees the fee in the account within a minute.
pub const EVERY: Duration = Duration::from_secs(10 * 60);
const DEMO_EVERY: Duration = Duration::from_secs(30);
/// How far before the last read's newest transaction the next read starts (the provider's list
/// may show a transaction a moment after its time).
const OVERLAP_SECONDS: i64 = 10 * 60;
/// How far back the very first read looks.
const FIRST_LOOK_BACK_SECONDS: i64 = 30 * 24 * 60 * 60;
/// Transactions per page (Stripe's largest).
const PAGE: i64 = 100;

/// What reading fees needs: the provider, and where fees are kept.
#[derive(Clone, Debug)]
pub struct FeeReader {
    pub payments: Payments,
    pub db: Db,
}

/// What one read did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FeesRead {
    /// Balance transactions listed.
    pub listed: usize,
    /// Fees of payments not known before.
    pub recorded: u64,
    /// Gifts whose fees went into a campaign's account, and those fees (in all campaigns).
    pub settled_gifts: i64,
    pub settled_minor: i64,
}

impl FeeReader {
    /// Runs now, then every [`EVERY`], for as long as the server runs.
    pub fn spawn(self) {
        let every = if self.payments.is_demo() {
            DEMO_EVERY
        } else {
            EVERY
        };
        tokio::spawn(async move {
            loop {
                if let Err(error) = self.run().await {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        "reading the payment provider's fees failed; will try again"
                    );
                }
                tokio::time::sleep(every).await;
            }
        });
    }

    /// Lists the balance transactions since the last read, keeps each payment's fee, and
    /// settles the fees of paid gifts into their campaigns' accounts.
    pub async fn run(&self) -> anyhow::Result<FeesRead> {
        let now = app::db::now_ms() / 1000;
        let since = match fees::listed_through(&self.db).await? {
            Some(mark) => mark - OVERLAP_SECONDS,
            None => now - FIRST_LOOK_BACK_SECONDS,
        };
        let mut read = FeesRead::default();
        let mut newest = since;
        let mut after: Option<String> = None;
        let mut complete = true;
        loop {
            let budget = self.payments.budget();
            // In a surge the checkouts need every call; the fees wait for the next read.
            if !budget.try_background().await {
                complete = false;
                break;
            }
            let mut request = ListBalanceTransaction::new()
                .created(RangeQueryTs::gte(since))
                .expand(vec!["data.source".to_owned()])
                .limit(PAGE);
            if let Some(after) = &after {
                request = request.starting_after(after.clone());
            }
            let page = with_retries(budget, true, "list balance transactions", || {
                request.customize().send(self.payments.client())
            })
            .await
            .map_err(|e| anyhow::anyhow!("listing balance transactions: {}", super::brief(&e)))?;
            read.listed += page.data.len();
            newest = page.data.iter().map(|t| t.created).fold(newest, i64::max);
            let stated: Vec<StatedFee> = page.data.iter().filter_map(stated_fee).collect();
            // The mark moves only once every page is read (they come newest first).
            read.recorded += fees::record(&self.db, &stated, since).await?;
            after = page.data.last().map(|t| t.id.to_string());
            if !page.has_more || after.is_none() {
                break;
            }
            tokio::time::sleep(budget.background_pace()).await;
        }
        if complete {
            fees::record(&self.db, &[], newest).await?;
        }
        for campaign in fees::campaigns_to_settle(&self.db).await? {
            if let Some(settled) = fees::settle(&self.db, campaign).await? {
                read.settled_gifts += settled.gifts;
                read.settled_minor += settled.amount_minor;
            }
        }
        Ok(read)
    }
}

/// The fee a balance transaction states for a charge's payment, in the charge's currency;
/// `None` for anything else (refunds, payouts) or a fee that cannot be converted.
fn stated_fee(transaction: &BalanceTransaction) -> Option<StatedFee> {
    let Some(Expandable::Object(source)) = &transaction.source else {
        return None;
    };
    let BalanceTransactionSource::Charge(charge) = source.as_ref() else {
        return None;
    };
    let payment_intent = charge.payment_intent.as_ref()?.id().to_string();
    let currency = charge.currency.to_string().to_ascii_lowercase();
    let fee_minor = in_charge_currency(
        transaction.fee,
        &transaction.currency.to_string(),
        &currency,
        transaction.exchange_rate,
    );
    if fee_minor.is_none() {
        tracing::warn!(
            transaction = %transaction.id,
            "a fee in another currency without a usable exchange rate is left out"
        );
    }
    Some(StatedFee {
        payment_intent,
        fee_minor: fee_minor?,
        currency,
        created_ms: transaction.created.saturating_mul(1000),
    })
}

/// A fee Stripe states in the balance's currency, in minor units of the charge's currency.
/// When the charge was converted, `exchange_rate` turns charge money into balance money, so the
/// fee in the charge's currency is the fee divided by the rate (in major units of each), rounded
/// to the nearest minor unit.
fn in_charge_currency(fee: i64, balance: &str, charge: &str, rate: Option<f64>) -> Option<i64> {
    if balance.eq_ignore_ascii_case(charge) {
        return Some(fee);
    }
    let exponent = |code: &str| {
        code.to_ascii_uppercase()
            .parse::<Currency>()
            .ok()
            .map(|c| i32::try_from(c.exponent()).unwrap_or(2))
    };
    let rate = rate.filter(|r| r.is_finite() && *r > 0.0)?;
    let shift = exponent(charge)? - exponent(balance)?;
    let converted = (fee as f64 / rate * 10_f64.powi(shift)).round();
    (converted.is_finite() && converted >= 0.0).then_some(converted as i64)
}

#[cfg(test)]
mod tests {
    use super::in_charge_currency;

    #[test]
    fn a_fee_in_the_charges_currency_is_taken_as_it_is() {
        assert_eq!(in_charge_currency(34, "cny", "CNY", None), Some(34));
    }

    #[test]
    fn a_converted_fee_is_divided_by_the_rate_in_each_currencys_units() {
        // ¥100.00 settled as $13.80 (rate 0.138); Stripe kept $0.70.
        assert_eq!(in_charge_currency(70, "usd", "cny", Some(0.138)), Some(507));
        // ¥1,000 (no minor unit) settled in dollars at 0.0067: a $0.50 fee is ¥75.
        assert_eq!(in_charge_currency(50, "usd", "jpy", Some(0.0067)), Some(75));
        assert_eq!(in_charge_currency(70, "usd", "cny", None), None);
        assert_eq!(in_charge_currency(70, "usd", "cny", Some(0.0)), None);
        assert_eq!(in_charge_currency(70, "xts", "cny", Some(1.0)), None);
    }
}
