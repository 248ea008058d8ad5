//! Sending events to our webhook as Stripe does: signed (`t=…,v1=…`), retried with backoff until
//! acknowledged, and, like Stripe, now and then twice or out of order. Every event is also kept
//! in a bounded log, as Stripe keeps events for its events API, with whether it reached the
//! webhook.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// How often the demo delivers an event twice, or holds one back so a later one overtakes it,
/// in percent. The product must count right either way.
#[derive(Clone, Copy, Debug)]
pub struct Chaos {
    pub duplicate_percent: u8,
    pub reorder_percent: u8,
    /// How often an event is never delivered at all, as when an endpoint was down for longer
    /// than Stripe retries. Only the events API then tells of it.
    pub drop_percent: u8,
}

impl Chaos {
    /// Every event delivered once, in order (tests make the rest certain when they need it).
    pub const CALM: Chaos = Chaos {
        duplicate_percent: 0,
        reorder_percent: 0,
        drop_percent: 0,
    };
}

impl Default for Chaos {
    fn default() -> Self {
        Chaos {
            duplicate_percent: 20,
            reorder_percent: 25,
            drop_percent: 0,
        }
    }
}

#[derive(Clone)]
pub(super) struct Delivery {
    client: reqwest::Client,
    /// The webhook's addresses, taken in turn as a load balancer in front of instances would.
    urls: Arc<Vec<String>>,
    next: Arc<AtomicUsize>,
    secret: String,
    chaos: Chaos,
    log: Arc<Mutex<EventLog>>,
}

/// The newest events, newest last, each with whether the webhook acknowledged it.
#[derive(Default)]
pub(super) struct EventLog {
    events: VecDeque<(serde_json::Value, bool)>,
    /// How many events were ever recorded, which numbers the next one.
    recorded: u64,
}

/// How many events the demo remembers for its events API.
const LOGGED_EVENTS: usize = 10_000;

impl EventLog {
    /// Keeps `event`; its number, for [`EventLog::delivered`].
    fn record(&mut self, event: &serde_json::Value) -> u64 {
        if self.events.len() == LOGGED_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back((event.clone(), false));
        self.recorded += 1;
        self.recorded - 1
    }

    /// Marks the event `record` numbered as acknowledged, if it is still kept. Found by its
    /// number, not by a search: at a surge's pace a search through the log was most of the
    /// stand-in's time.
    fn delivered(&mut self, number: u64) {
        let oldest = self.recorded - self.events.len() as u64;
        let kept = number
            .checked_sub(oldest)
            .and_then(|i| usize::try_from(i).ok());
        if let Some(entry) = kept.and_then(|i| self.events.get_mut(i)) {
            entry.1 = true;
        }
    }

    /// The events that pass `keep`, newest first, as Stripe lists them.
    pub(super) fn newest_first(
        &self,
        keep: impl Fn(&serde_json::Value, bool) -> bool,
    ) -> Vec<serde_json::Value> {
        self.events
            .iter()
            .rev()
            .filter(|(event, delivered)| keep(event, *delivered))
            .map(|(event, _)| event.clone())
            .collect()
    }
}

/// How many times a delivery is tried before the demo gives up on it.
const ATTEMPTS: u32 = 8;

impl Delivery {
    pub(super) fn new(urls: Vec<String>, secret: String, chaos: Chaos) -> Delivery {
        Delivery {
            client: reqwest::Client::new(),
            urls: Arc::new(urls),
            next: Arc::default(),
            secret,
            chaos,
            log: Arc::default(),
        }
    }

    /// The address the next try goes to.
    fn url(&self) -> &str {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        self.urls
            .get(n % self.urls.len().max(1))
            .map_or("", String::as_str)
    }

    /// The events sent so far.
    pub(super) fn log(&self) -> MutexGuard<'_, EventLog> {
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sends `event` after `delay`, in the background.
    pub(super) fn send(&self, event: serde_json::Value, delay: Duration) {
        let this = self.clone();
        let held_back = roll(self.chaos.reorder_percent);
        let twice = roll(self.chaos.duplicate_percent);
        let dropped = roll(self.chaos.drop_percent);
        tokio::spawn(async move {
            let payload = event.to_string();
            let delay = if held_back {
                delay + Duration::from_millis(1_500)
            } else {
                delay
            };
            tokio::time::sleep(delay).await;
            let number = this.log().record(&event);
            if dropped {
                return;
            }
            if this.deliver(&payload).await {
                this.log().delivered(number);
            }
            if twice {
                tokio::time::sleep(Duration::from_millis(300)).await;
                this.deliver(&payload).await;
            }
        });
    }

    /// Posts the event until it is acknowledged; whether it was.
    async fn deliver(&self, payload: &str) -> bool {
        let mut backoff = Duration::from_millis(250);
        for attempt in 1..=ATTEMPTS {
            // Signed anew for each try, as Stripe does, so a retry is never stale.
            let signature =
                stripe_webhook::Webhook::generate_test_header(payload, &self.secret, None);
            let sent = self
                .client
                .post(self.url())
                .header("content-type", "application/json")
                .header("stripe-signature", signature)
                .body(payload.to_owned())
                .send()
                .await;
            match sent {
                Ok(response) if response.status().is_success() => return true,
                Ok(response) => {
                    tracing::warn!(attempt, status = %response.status(), "demo event not acknowledged");
                }
                Err(_) => tracing::warn!(attempt, "demo event could not be delivered"),
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(10));
        }
        tracing::error!("demo gave up delivering an event");
        false
    }
}

/// True `percent` times in a hundred.
fn roll(percent: u8) -> bool {
    let mut byte = [0_u8; 1];
    getrandom::fill(&mut byte).is_ok() && u32::from(byte[0]) * 100 < u32::from(percent) * 256
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: usize) -> serde_json::Value {
        serde_json::json!({ "id": format!("evt_{n}") })
    }

    fn acknowledged(log: &EventLog) -> Vec<String> {
        log.newest_first(|_, delivered| delivered)
            .iter()
            .map(|e| e["id"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn an_acknowledgement_marks_its_own_event_even_after_older_ones_left_the_log() {
        let mut log = EventLog::default();
        let first = log.record(&event(0));
        let numbers: Vec<u64> = (1..=LOGGED_EVENTS).map(|n| log.record(&event(n))).collect();
        // The first event has left the log: acknowledging it marks nothing else.
        log.delivered(first);
        assert!(acknowledged(&log).is_empty());
        log.delivered(numbers[41]);
        log.delivered(numbers[LOGGED_EVENTS - 1]);
        assert_eq!(
            acknowledged(&log),
            [format!("evt_{LOGGED_EVENTS}"), "evt_42".to_owned()]
        );
        // A number not yet given marks nothing.
        log.delivered(u64::MAX);
        assert_eq!(acknowledged(&log).len(), 2);
    }
}
