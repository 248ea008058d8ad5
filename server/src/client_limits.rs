//! Rate limits per client, in this process's memory (GCRA, through `governor`), keyed by the
//! part of an address one client controls. The table is pruned of settled entries as it grows
//! and never holds more than [`MAX_ADDRESSES`], so clients rotating addresses cannot make it
//! grow without bound. The checkout and the ambassadors' join form each keep their own.

use app::staff::limits::ClientAddress;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The most client addresses tracked at once; beyond it, new addresses share one bucket.
const MAX_ADDRESSES: usize = 100_000;

/// A request refused for now: try again after this long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TryAgainIn(pub Duration);

impl TryAgainIn {
    /// The whole seconds to wait, rounded up: a `Retry-After` header's value.
    pub fn seconds(self) -> u64 {
        self.0.as_secs() + 1
    }
}

/// One quota for each client.
#[derive(Clone, Debug)]
pub struct ClientLimits {
    addresses: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    /// When the table was last pruned, so a full table is scanned at most once a second.
    pruned: Arc<std::sync::Mutex<Instant>>,
}

impl ClientLimits {
    pub fn new(quota: Quota) -> ClientLimits {
        ClientLimits {
            addresses: Arc::new(RateLimiter::keyed(quota)),
            pruned: Arc::new(std::sync::Mutex::new(Instant::now())),
        }
    }

    /// Takes one of the client's turns, or says how long to wait. A request whose client is
    /// unknown is not limited here.
    pub fn check(&self, client: Option<ClientAddress>) -> Result<(), TryAgainIn> {
        if let Some(client) = client {
            if self.addresses.len() >= MAX_ADDRESSES {
                self.prune();
            }
            let key = if self.addresses.len() >= MAX_ADDRESSES {
                IpAddr::from([0, 0, 0, 0])
            } else {
                network(client.0)
            };
            self.addresses.check_key(&key).map_err(wait)?;
        }
        Ok(())
    }

    /// Forgets addresses whose buckets have refilled, at most once a second.
    fn prune(&self) {
        let Ok(mut pruned) = self.pruned.try_lock() else {
            return;
        };
        if pruned.elapsed() >= Duration::from_secs(1) {
            self.addresses.retain_recent();
            *pruned = Instant::now();
        }
    }
}

/// How long a refused request waits.
pub fn wait(not_until: governor::NotUntil<<DefaultClock as Clock>::Instant>) -> TryAgainIn {
    TryAgainIn(not_until.wait_time_from(DefaultClock::default().now()))
}

/// The part of an address one client controls: all of an IPv4 address, the /64 network of an
/// IPv6 one (one household or phone gets a whole /64).
fn network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::from(segments)
        }
    }
}
