//! `GET /metrics`: counters for the operator, in Prometheus' text format. Counts only: no donor,
//! amount or address ever appears here.

use super::PaymentsState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// What became of webhook deliveries, as the webhook answered them.
pub const OUTCOMES: [&str; 7] = [
    "applied",
    "no_change",
    "duplicate",
    "unknown_donation",
    "ignored",
    "refused",
    "failed",
];

/// The process's counters. Shared by the handlers that count.
#[derive(Debug, Default)]
pub struct Metrics {
    webhook_events: [AtomicU64; OUTCOMES.len()],
}

impl Metrics {
    /// Counts one webhook delivery with one of [`OUTCOMES`].
    pub fn webhook(&self, outcome: &str) {
        if let Some(i) = OUTCOMES.iter().position(|o| *o == outcome) {
            self.webhook_events[i].fetch_add(1, Ordering::Relaxed);
        }
    }
}

pub(super) fn routes() -> Router<PaymentsState> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(State(state): State<PaymentsState>) -> impl IntoResponse {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP giving_gallery_webhook_events_total Webhook deliveries by what became of them.\n\
         # TYPE giving_gallery_webhook_events_total counter"
    );
    for (outcome, count) in OUTCOMES.iter().zip(&state.metrics.webhook_events) {
        let _ = writeln!(
            out,
            "giving_gallery_webhook_events_total{{outcome=\"{outcome}\"}} {}",
            count.load(Ordering::Relaxed)
        );
    }
    let live = &state.app.live;
    let _ = writeln!(
        out,
        "# HELP giving_gallery_live_viewers Open live-progress streams.\n\
         # TYPE giving_gallery_live_viewers gauge\n\
         giving_gallery_live_viewers {}\n\
         # HELP giving_gallery_live_campaigns Campaigns with a live publisher in this process.\n\
         # TYPE giving_gallery_live_campaigns gauge\n\
         giving_gallery_live_campaigns {}\n\
         # HELP giving_gallery_cards_rendered_total Share cards painted (stored ones are served as \
         they are).\n\
         # TYPE giving_gallery_cards_rendered_total counter\n\
         giving_gallery_cards_rendered_total {}",
        live.viewers(),
        live.campaigns_followed(),
        state.app.cards.rendered()
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out)
}
