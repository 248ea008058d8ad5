//! How fast checkouts may be opened: per client address, per campaign, and for the whole
//! process, each below what the payment provider allows (Stripe: about 100 API operations a
//! second per account, shared with refunds and reads). Without them, one client could spend
//! that budget and every real donor would get errors. The buckets live in this process's
//! memory (see [`crate::client_limits`]).

pub use crate::client_limits::TryAgainIn;
use crate::client_limits::{wait, ClientLimits};
use app::ids::CampaignId;
use app::staff::limits::ClientAddress;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;

/// The rates, from the settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckoutRates {
    /// Checkouts one client address may open a minute (`CHECKOUT_PER_ADDRESS_PER_MINUTE`).
    pub per_address_per_minute: NonZeroU32,
    /// Checkouts one campaign may open a second (`CHECKOUT_PER_CAMPAIGN_PER_SECOND`).
    pub per_campaign_per_second: NonZeroU32,
    /// Checkouts this process may open a second (`CHECKOUT_PER_SECOND`): with several
    /// instances, divide the provider's budget among them.
    pub per_second: NonZeroU32,
}

impl Default for CheckoutRates {
    fn default() -> Self {
        let n = |n: u32| NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        CheckoutRates {
            per_address_per_minute: n(30),
            per_campaign_per_second: n(60),
            per_second: n(80),
        }
    }
}

/// The limiters, shared by every request of this process.
#[derive(Clone, Debug)]
pub struct CheckoutLimits {
    clients: ClientLimits,
    campaigns: Arc<DefaultKeyedRateLimiter<i64>>,
    total: Arc<governor::DefaultDirectRateLimiter>,
}

impl CheckoutLimits {
    pub fn new(rates: CheckoutRates) -> CheckoutLimits {
        // An address may open a burst of a third of its minute at once (a family on one phone
        // network), then one every so often.
        let burst = NonZeroU32::new(rates.per_address_per_minute.get().div_ceil(3))
            .unwrap_or(NonZeroU32::MIN);
        CheckoutLimits {
            clients: ClientLimits::new(
                Quota::per_minute(rates.per_address_per_minute).allow_burst(burst),
            ),
            campaigns: Arc::new(RateLimiter::keyed(Quota::per_second(
                rates.per_campaign_per_second,
            ))),
            total: Arc::new(RateLimiter::direct(Quota::per_second(rates.per_second))),
        }
    }

    /// Takes a checkout's turn for this client and campaign, or says how long to wait. The
    /// address is checked first, so one client's flood is refused without using the campaign's
    /// or the process's turns.
    pub fn check(
        &self,
        client: Option<ClientAddress>,
        campaign: CampaignId,
    ) -> Result<(), TryAgainIn> {
        self.check_client(client)?;
        self.check_busy(campaign)
    }

    /// The client's own limit: beyond it, a checkout is refused.
    pub fn check_client(&self, client: Option<ClientAddress>) -> Result<(), TryAgainIn> {
        self.clients.check(client)
    }

    /// The campaign's and the process's limits: beyond them, a checkout goes through a Payment
    /// Link when one is ready, and is refused otherwise.
    pub fn check_busy(&self, campaign: CampaignId) -> Result<(), TryAgainIn> {
        self.campaigns.check_key(&campaign.get()).map_err(wait)?;
        self.total.check().map_err(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;
    use std::time::Duration;

    fn rates(address: u32, campaign: u32, total: u32) -> CheckoutRates {
        let n = |n| NonZeroU32::new(n).expect("not zero");
        CheckoutRates {
            per_address_per_minute: n(address),
            per_campaign_per_second: n(campaign),
            per_second: n(total),
        }
    }

    #[test]
    fn an_address_gets_a_burst_then_waits() {
        let limits = CheckoutLimits::new(rates(30, 1000, 1000));
        let me = Some(ClientAddress("192.0.2.1".parse().expect("ip")));
        let other = Some(ClientAddress("192.0.2.2".parse().expect("ip")));
        for _ in 0..10 {
            assert!(limits.check(me, CampaignId::new(1)).is_ok());
        }
        let refused = limits.check(me, CampaignId::new(1)).expect_err("limited");
        assert!(refused.0 > Duration::ZERO && refused.0 <= Duration::from_secs(2));
        assert!(limits.check(other, CampaignId::new(1)).is_ok());
    }

    #[test]
    fn an_ipv6_client_cannot_escape_by_changing_its_interface_id() {
        let limits = CheckoutLimits::new(rates(3, 1000, 1000));
        for i in 0..5_u16 {
            let ip = IpAddr::from([0x2001, 0xdb8, 1, 2, i, i, i, i]);
            let allowed = limits
                .check(Some(ClientAddress(ip)), CampaignId::new(1))
                .is_ok();
            assert_eq!(allowed, i == 0, "attempt {i}");
        }
    }

    #[test]
    fn a_campaign_and_the_process_have_their_own_ceilings() {
        let limits = CheckoutLimits::new(rates(1000, 2, 3));
        let client = |i: u8| Some(ClientAddress(IpAddr::from([192, 0, 2, i])));
        assert!(limits.check(client(1), CampaignId::new(1)).is_ok());
        assert!(limits.check(client(2), CampaignId::new(1)).is_ok());
        assert!(limits.check(client(3), CampaignId::new(1)).is_err());
        assert!(limits.check(client(4), CampaignId::new(2)).is_ok());
        assert!(limits.check(client(5), CampaignId::new(3)).is_err());
    }
}
