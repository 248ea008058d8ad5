//! The router: the Leptos pages plus the endpoints that are not pages. Each module owns its
//! routes; this file only merges them.

mod ambassadors;
mod assets;
mod brand;
mod caching;
mod cards;
mod documents;
mod emails;
mod giving;
mod health;
mod live;
mod locale;
mod log;
mod media;
mod metrics;
mod page_cache;
mod referrer;
pub mod security;
mod server_fn_errors;
mod staff;
mod staff_of;
mod updates;
mod webhook;

use crate::demo_stripe::DemoStripe;
use crate::payments::limits::CheckoutLimits;
use crate::payments::Payments;
use crate::sessions::Sessions;
use app::shell::{shell, App};
use app::state::AppState;
use axum::extract::{MatchedPath, Request};
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::predicate::{
    DefaultPredicate, NotForContentType, Predicate, SizeAbove,
};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// What the giving and webhook endpoints need beside the site's state.
#[derive(Clone, Debug)]
pub struct PaymentsState {
    pub app: AppState,
    pub payments: Payments,
    pub metrics: Arc<metrics::Metrics>,
    /// How fast checkouts may be opened.
    pub limits: CheckoutLimits,
}

pub use staff::Gate;

/// Builds the whole site's router; `demo` is the demo Stripe stand-in when payments are the
/// demo's.
pub fn router(
    state: AppState,
    payments: Payments,
    limits: CheckoutLimits,
    demo: Option<DemoStripe>,
    sessions: Sessions,
    trust_forwarded_for: bool,
) -> Router {
    let routes = generate_route_list(App);
    let leptos_options = state.leptos_options.clone();
    let payments = PaymentsState {
        app: state.clone(),
        payments,
        metrics: Arc::default(),
        limits,
    };
    let checkout_reads = payments.payments.gate().clone();
    let giving = giving::routes()
        .merge(metrics::routes())
        .merge(staff::payment_routes())
        .with_state(payments.clone());
    // The payment provider's deliveries carry no cookies and reach no staff page: they skip
    // the session layer and the staff gate, which every gift would otherwise pay for.
    let webhooks = webhook::routes().with_state(payments);
    let demo = demo.map(DemoStripe::routes).unwrap_or_default();
    Router::new()
        .merge(giving)
        .merge(demo)
        .merge(live::routes())
        .merge(health::routes())
        .merge(locale::routes())
        .merge(media::routes())
        .merge(cards::routes())
        .merge(log::routes())
        .merge(documents::routes())
        .merge(assets::routes(std::path::Path::new(
            &*leptos_options.site_root,
        )))
        .merge(staff::routes())
        .merge(emails::routes())
        .merge(updates::routes())
        .merge(ambassadors::routes())
        .merge(brand::routes())
        .leptos_routes_with_context(&state, routes, security::leptos_nonce, move || {
            shell(leptos_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(security::leptos_nonce, shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            locale::sharer_language,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            referrer::first_touch,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Gate {
                app: state.clone(),
                trust_forwarded_for,
            },
            staff::gate,
        ))
        .layer(sessions.layer(&state.site))
        .layer(axum::middleware::from_fn(
            server_fn_errors::status_from_app_error,
        ))
        .merge(webhooks)
        .layer(axum::middleware::from_fn_with_state(
            page_cache::PageCache::default(),
            page_cache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            checkout_reads,
            forget_checkout_reads,
        ))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        // Pages, JSON, JS, CSS and wasm go out gzipped to clients that ask; images, films and
        // recordings are already compressed and are left alone, and so are answers of under a kilobyte, which fit in a
        // packet as they are (a webhook's answer, say). The fastest level: on a page it costs
        // a few hundred bytes more and a third of the time, which a surge of readers needs
        // (the built JS, wasm and CSS come compressed at the best level at build time).
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Fastest)
                .compress_when(
                    DefaultPredicate::new()
                        .and(SizeAbove::new(1024))
                        .and(NotForContentType::const_new("audio/"))
                        .and(NotForContentType::const_new("video/")),
                ),
        )
        .layer(axum::middleware::from_fn(security::headers))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// A span per request naming the method and the matched route, never the client or the body.
fn request_span(request: &Request) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(unmatched)", MatchedPath::as_str);
    tracing::info_span!("request", method = %request.method(), route)
}

/// Empties this instance's copy of what checkouts read once a staff change is saved.
async fn forget_checkout_reads(
    axum::extract::State(gate): axum::extract::State<crate::payments::gate::CheckoutGate>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let changed = page_cache::staff_change(&request);
    let response = next.run(request).await;
    if changed {
        gate.clear();
    }
    response
}
