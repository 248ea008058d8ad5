//! Sending events to our webhook as Stripe does: signed (`t=…,v1=…`), retried with backoff until
//! acknowledged, and, like Stripe, now and then twice or out of order. Every event is also kept
//! in a bounded log, as Stripe keeps events for its events API, with whether it reached the
//! webhook.

use std::collections::VecDeque;
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
    url: String,
    secret: String,
    chaos: Chaos,
    log: Arc<Mutex<EventLog>>,
}

/// The newest events, newest last, each with whether the webhook acknowledged it.
#[derive(Default)]
pub(super) struct EventLog {
    events: VecDeque<(serde_json::Value, bool)>,
}

/// How many events the demo remembers for its events API.
const LOGGED_EVENTS: usize = 10_000;

impl EventLog {
    fn record(&mut self, event: &serde_json::Value) {
        if self.events.len() == LOGGED_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back((event.clone(), false));
    }

    fn delivered(&mut self, id: &str) {
        if let Some(entry) = self.events.iter_mut().rev().find(|(e, _)| e["id"] == id) {
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
    pub(super) fn new(url: String, secret: String, chaos: Chaos) -> Delivery {
        Delivery {
            client: reqwest::Client::new(),
            url,
            secret,
            chaos,
            log: Arc::default(),
        }
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
            this.log().record(&event);
            if dropped {
                return;
            }
            if this.deliver(&payload).await {
                let id = event["id"].as_str().unwrap_or_default();
                this.log().delivered(id);
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
                .post(&self.url)
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
