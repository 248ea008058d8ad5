//! Catching up on events the webhook missed, as Stripe recommends: its events API lists every
//! event it has not managed to deliver, and each is applied through the same exactly-once path
//! as a webhook delivery. An event that did arrive meanwhile is a duplicate and changes nothing.
//!
//! It runs when the server starts and every few minutes after, on every instance; the ledger's
//! event record makes the instances' runs harmless to one another.

use super::{events, with_retries, Payments};
use app::donations::ledger::{Applied, LedgerWriter};
use std::time::Duration;
use stripe::StripeRequest;
use stripe_core::event::ListEvent;
use stripe_types::RangeQueryTs;

/// How often the events API is asked.
pub const EVERY: Duration = Duration::from_secs(5 * 60);
/// How far back to look: Stripe stops retrying a webhook after three days.
const LOOK_BACK_SECONDS: i64 = 3 * 24 * 60 * 60;
/// Events per page (Stripe's largest).
const PAGE: i64 = 100;

/// What a catch-up needs: where events are listed, and where they are applied.
#[derive(Clone, Debug)]
pub struct CatchUp {
    pub payments: Payments,
    pub ledger: LedgerWriter,
    /// For screening payments that came through Payment Links.
    pub db: app::db::Db,
}

/// What one catch-up found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Caught {
    /// Undelivered events listed.
    pub listed: usize,
    /// Of those, the ones that changed a gift (the rest had arrived, or were of no concern).
    pub applied: usize,
}

impl CatchUp {
    /// Runs now, then every [`EVERY`], for as long as the server runs.
    pub fn spawn(self) {
        tokio::spawn(async move {
            loop {
                match self.run().await {
                    Ok(caught) if caught.applied > 0 => tracing::warn!(
                        listed = caught.listed,
                        applied = caught.applied,
                        "caught up on payment events the webhook had missed"
                    ),
                    Ok(_) => {}
                    Err(error) => tracing::warn!(
                        error = format!("{error:#}"),
                        "catching up on payment events failed; will try again"
                    ),
                }
                tokio::time::sleep(EVERY).await;
            }
        });
    }

    /// Lists the events of the last three days that Stripe has not delivered, oldest first,
    /// and applies each.
    pub async fn run(&self) -> anyhow::Result<Caught> {
        let since = app::db::now_ms() / 1000 - LOOK_BACK_SECONDS;
        let types: Vec<String> = events::USED.iter().map(|t| (*t).to_owned()).collect();
        let mut listed = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut request = ListEvent::new()
                .types(types.clone())
                .created(RangeQueryTs::gte(since))
                .delivery_success(false)
                .limit(PAGE);
            if let Some(after) = &after {
                request = request.starting_after(after.clone());
            }
            let page = with_retries(self.payments.budget(), false, "list events", || {
                request.customize().send(self.payments.client())
            })
            .await
            .map_err(|e| anyhow::anyhow!("listing payment events: {}", super::brief(&e)))?;
            after = page.data.last().map(|event| event.id.to_string());
            listed.extend(page.data);
            if !page.has_more || after.is_none() {
                break;
            }
        }
        let mut caught = Caught {
            listed: listed.len(),
            applied: 0,
        };
        // Stripe lists the newest first; apply them in the order they happened.
        for listed in listed.iter().rev() {
            let Ok((mut event, payload)) = events::from_listed(listed) else {
                tracing::warn!(event = %listed.id, "a listed payment event could not be read");
                continue;
            };
            super::links::screen_event(&self.db, &payload, &mut event).await?;
            if let Applied::Changed { .. } = self.ledger.apply(event).await? {
                caught.applied += 1;
            }
        }
        Ok(caught)
    }
}
