//! `GET /metrics`: counters for the operator, in Prometheus' text format. Counts only: no donor,
//! amount or address ever appears here.

use super::PaymentsState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use std::sync::atomic::Ordering;

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

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    outcome: &'static str,
}

/// The process's metrics, registered once; `prometheus-client` writes the exposition format.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    webhook_events: Family<Outcome, Counter>,
    live_viewers: Gauge,
    live_campaigns: Gauge,
    cards_rendered: Counter,
    provider_calls: Counter,
    provider_calls_per_second: Gauge,
    checkouts_via_links: Counter,
    surge: Gauge,
    payment_links_ready: Gauge,
    payments_held: Gauge,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("giving_gallery");
        let webhook_events = Family::<Outcome, Counter>::default();
        // Every outcome is shown from the start, at zero, so a rate over it is defined.
        for outcome in OUTCOMES {
            let _ = webhook_events.get_or_create(&Outcome { outcome });
        }
        registry.register(
            "webhook_events",
            "Webhook deliveries by what became of them",
            webhook_events.clone(),
        );
        let live_viewers = Gauge::default();
        registry.register(
            "live_viewers",
            "Open live-progress streams",
            live_viewers.clone(),
        );
        let live_campaigns = Gauge::default();
        registry.register(
            "live_campaigns",
            "Campaigns with a live publisher in this process",
            live_campaigns.clone(),
        );
        let cards_rendered = Counter::default();
        registry.register(
            "cards_rendered",
            "Share cards painted (stored ones are served as they are)",
            cards_rendered.clone(),
        );
        let provider_calls = Counter::default();
        registry.register(
            "provider_calls",
            "Calls to the payment provider's API",
            provider_calls.clone(),
        );
        let provider_calls_per_second = Gauge::default();
        registry.register(
            "provider_calls_per_second",
            "Calls to the payment provider in the last whole second",
            provider_calls_per_second.clone(),
        );
        let checkouts_via_links = Counter::default();
        registry.register(
            "checkouts_via_links",
            "Checkouts sent to a Payment Link because the provider's rate budget was spent",
            checkouts_via_links.clone(),
        );
        let surge = Gauge::default();
        registry.register(
            "surge_mode",
            "1 while checkouts go through Payment Links, else 0",
            surge.clone(),
        );
        let payment_links_ready = Gauge::default();
        registry.register(
            "payment_links_ready",
            "Active Payment Links ready for a surge",
            payment_links_ready.clone(),
        );
        let payments_held = Gauge::default();
        registry.register(
            "payments_held_for_review",
            "Payments no donation could take, waiting for staff",
            payments_held.clone(),
        );
        Metrics {
            registry,
            webhook_events,
            live_viewers,
            live_campaigns,
            cards_rendered,
            provider_calls,
            provider_calls_per_second,
            checkouts_via_links,
            surge,
            payment_links_ready,
            payments_held,
        }
    }
}

impl Metrics {
    /// Counts one webhook delivery with one of [`OUTCOMES`].
    pub fn webhook(&self, outcome: &str) {
        if let Some(outcome) = OUTCOMES.iter().find(|o| **o == outcome) {
            self.webhook_events
                .get_or_create(&Outcome { outcome })
                .inc();
        }
    }
}

pub(super) fn routes() -> Router<PaymentsState> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(State(state): State<PaymentsState>) -> Response {
    let metrics = &state.metrics;
    let live = &state.app.live;
    // What other parts count is read as it stands now.
    metrics
        .live_viewers
        .set(i64::try_from(live.viewers()).unwrap_or(i64::MAX));
    metrics
        .live_campaigns
        .set(i64::try_from(live.campaigns_followed()).unwrap_or(i64::MAX));
    metrics
        .cards_rendered
        .inner()
        .store(state.app.cards.rendered(), Ordering::Relaxed);
    let provider = &state.app.provider;
    metrics
        .provider_calls
        .inner()
        .store(provider.calls(), Ordering::Relaxed);
    metrics
        .provider_calls_per_second
        .set(i64::try_from(provider.per_second()).unwrap_or(i64::MAX));
    metrics
        .checkouts_via_links
        .inner()
        .store(provider.via_links(), Ordering::Relaxed);
    metrics.surge.set(i64::from(provider.surging()));
    if let Ok(status) = app::staff::store::payments_status(&state.app.db, provider).await {
        metrics.payment_links_ready.set(status.links_ready);
        metrics.payments_held.set(status.held_for_review);
    }
    let mut out = String::new();
    if encode(&mut out, &metrics.registry).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        out,
    )
        .into_response()
}
