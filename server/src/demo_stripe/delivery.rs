//! Sending events to our webhook as Stripe does: signed (`t=…,v1=…`), retried with backoff until
//! acknowledged, and, like Stripe, now and then twice or out of order.

use std::time::Duration;

/// How often the demo delivers an event twice, or holds one back so a later one overtakes it,
/// in percent. The product must count right either way.
#[derive(Clone, Copy, Debug)]
pub struct Chaos {
    pub duplicate_percent: u8,
    pub reorder_percent: u8,
}

impl Default for Chaos {
    fn default() -> Self {
        Chaos {
            duplicate_percent: 20,
            reorder_percent: 25,
        }
    }
}

#[derive(Clone)]
pub(super) struct Delivery {
    client: reqwest::Client,
    url: String,
    secret: String,
    chaos: Chaos,
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
        }
    }

    /// Sends `event` after `delay`, in the background.
    pub(super) fn send(&self, event: serde_json::Value, delay: Duration) {
        let this = self.clone();
        let held_back = roll(self.chaos.reorder_percent);
        let twice = roll(self.chaos.duplicate_percent);
        tokio::spawn(async move {
            let payload = event.to_string();
            let delay = if held_back {
                delay + Duration::from_millis(1_500)
            } else {
                delay
            };
            tokio::time::sleep(delay).await;
            this.deliver(&payload).await;
            if twice {
                tokio::time::sleep(Duration::from_millis(300)).await;
                this.deliver(&payload).await;
            }
        });
    }

    async fn deliver(&self, payload: &str) {
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
                Ok(response) if response.status().is_success() => return,
                Ok(response) => {
                    tracing::warn!(attempt, status = %response.status(), "demo event not acknowledged");
                }
                Err(_) => tracing::warn!(attempt, "demo event could not be delivered"),
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(10));
        }
        tracing::error!("demo gave up delivering an event");
    }
}

/// True `percent` times in a hundred.
fn roll(percent: u8) -> bool {
    let mut byte = [0_u8; 1];
    getrandom::fill(&mut byte).is_ok() && u32::from(byte[0]) * 100 < u32::from(percent) * 256
}
