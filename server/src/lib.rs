#![recursion_limit = "256"]
//! The Giving Gallery server as a library, so tests can start the real thing on port 0.

pub mod audit;
pub mod client_limits;
pub mod config;
pub mod demo_history;
pub mod demo_stripe;
pub mod mailer;
pub mod payments;
pub mod routes;
mod serve;
pub mod sessions;
pub mod telemetry;
pub mod witness;
pub mod witnessing;

use anyhow::Context;
use app::cards::render::CardRenderer;
use app::db::{Backend, Db};
use app::donations::ledger::LedgerWriter;
use app::live::{self, hub::LiveHub};
use app::media::MediaStore;
use app::state::AppState;
use app::transparency::keys::LogKeys;
use config::Settings;
use demo_stripe::{Chaos, DemoStripe};
use leptos::config::LeptosOptions;
use payments::catch_up::CatchUp;
use payments::fees::FeeReader;
use payments::limits::{CheckoutLimits, CheckoutRates};
use payments::Payments;
use secrecy::ExposeSecret;
use sessions::Sessions;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// A server bound to its address with a migrated database, ready to serve.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    payments: Payments,
    demo: Option<DemoStripe>,
    sessions: Sessions,
    trust_forwarded_for: bool,
    /// How many client connections may be open at once.
    connections: usize,
    checkout_rates: CheckoutRates,
    log_integrator: bool,
    /// Sends the outbox's emails; `None` keeps them there (no `SMTP_URL`).
    mailer: Option<mailer::Mailer>,
}

impl Application {
    /// Connects and migrates the database, opens the media folder and binds the listener.
    pub async fn build(settings: &Settings) -> anyhow::Result<Application> {
        Application::build_with(settings, Chaos::default()).await
    }

    /// As [`Application::build`], with the demo checkout's duplicate and reordered deliveries
    /// set (tests make them certain or absent).
    pub async fn build_with(settings: &Settings, chaos: Chaos) -> anyhow::Result<Application> {
        let state = open_state(settings).await?;
        let sessions = Sessions::open(&settings.database_url).await?;
        sessions.sweep_expired();
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("listening on {}", settings.listen))?;
        let local = listener.local_addr()?;
        let payments = Payments::from_settings(settings, local, &state.db, state.provider.clone())?;
        let demo = payments.is_demo().then(|| {
            tracing::info!("demo payments: no money moves");
            DemoStripe::new(
                state.site.as_str(),
                if settings.demo_stripe_webhook_urls.is_empty() {
                    vec![format!("{}/webhooks/stripe", payments::self_url(local))]
                } else {
                    settings.demo_stripe_webhook_urls.clone()
                },
                payments.signing_secret().to_owned(),
                chaos,
                settings.demo_stripe_rate_limit,
            )
        });
        let mailer = match &settings.smtp_url {
            Some(url) => Some(mailer::Mailer::new(
                url.expose_secret(),
                settings.email_from.as_deref(),
                &settings.public_url,
                settings.smtp_timeout_seconds,
            )?),
            None => {
                tracing::info!("no SMTP_URL: emails stay in the outbox");
                None
            }
        };
        serve::return_large_blocks();
        Ok(Application {
            listener,
            state,
            payments,
            demo,
            sessions,
            trust_forwarded_for: settings.trust_forwarded_for,
            connections: serve::connection_capacity(),
            checkout_rates: settings.checkout_rates,
            log_integrator: settings.log_integrator,
            mailer,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    /// The state the server runs with.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Where payments go.
    pub fn payments(&self) -> &Payments {
        &self.payments
    }

    /// The catch-up on payment events the webhook missed (it also runs by itself while the
    /// server runs).
    pub fn catch_up(&self) -> CatchUp {
        CatchUp {
            payments: self.payments.clone(),
            ledger: self.state.ledger.clone(),
            db: self.state.db.clone(),
        }
    }

    /// The reader of the payment provider's fees (it also runs by itself while the server
    /// runs).
    pub fn fees(&self) -> FeeReader {
        FeeReader {
            payments: self.payments.clone(),
            db: self.state.db.clone(),
        }
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        self.catch_up().spawn();
        self.fees().spawn();
        payments::links::spawn(
            self.state.db.clone(),
            self.payments.clone(),
            self.state.site.clone(),
            self.state.live.clone(),
        );
        if self.log_integrator {
            app::transparency::integrator::spawn(
                self.state.db.clone(),
                self.state.log_keys.clone(),
                self.state.site.clone(),
            );
            witnessing::spawn(self.state.db.clone());
        }
        if let Some(mailer) = self.mailer {
            mailer::spawn(self.state.db.clone(), self.state.site.clone(), mailer);
        }
        expire_abandoned_checkouts(self.state.db.clone());
        announce_match_windows(self.state.db.clone(), self.state.live.clone());
        let router = routes::router(
            self.state,
            self.payments,
            CheckoutLimits::new(self.checkout_rates),
            self.demo,
            self.sessions,
            self.trust_forwarded_for,
        );
        serve::serve(self.listener, router, self.connections, shutdown)
            .await
            .context("serving HTTP")
    }
}

/// Marks abandoned checkouts expired, now and every hour, so pending donations do not pile up.
fn expire_abandoned_checkouts(db: Db) {
    tokio::spawn(async move {
        loop {
            match app::donations::store::expire_abandoned(&db).await {
                Ok(0) => {}
                Ok(expired) => tracing::info!(expired, "abandoned checkouts expired"),
                Err(error) => tracing::warn!(
                    error = format!("{error:#}"),
                    "expiring abandoned checkouts failed"
                ),
            }
            tokio::time::sleep(std::time::Duration::from_secs(60 * 60)).await;
        }
    });
}

/// Tells this instance's viewers, within a second, when a match starts or ends by its window:
/// the banner and the match's share of the thermometer change then, with no gift to say so.
fn announce_match_windows(db: Db, live: LiveHub) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut checked = app::db::now_ms();
        loop {
            every.tick().await;
            let now = app::db::now_ms();
            match app::matching::store::windows_turned(&db, checked, now).await {
                Ok(campaigns) => {
                    for campaign in campaigns {
                        live.announce_here(campaign, app::live::announce::Change::Campaign);
                    }
                    checked = now;
                }
                Err(error) => tracing::warn!(
                    error = format!("{error:#}"),
                    "reading matches' windows failed"
                ),
            }
        }
    });
}

/// Opens the database (migrated) and media folder the settings name.
pub async fn open_state(settings: &Settings) -> anyhow::Result<AppState> {
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    let media = MediaStore::open(&settings.media_dir)?;
    let cards = CardRenderer::open(media.clone(), CardRenderer::default_concurrency())?;
    let leptos_options = LeptosOptions::builder()
        .output_name(app::site::OUTPUT_NAME)
        .site_root(settings.site_root.to_string_lossy().into_owned())
        .site_pkg_dir(app::site::PKG_DIR)
        .hash_files(app::site::assets_hashed())
        .site_addr(settings.listen)
        .build();
    // What viewers see, and the one writer that changes it: started together.
    let live = LiveHub::new(db.clone());
    if db.backend() == Backend::Postgres {
        live::listen::spawn(settings.database_url.clone(), live.clone());
    }
    let ledger = LedgerWriter::start(db.clone(), live.clone());
    let log_keys = LogKeys::open(
        &settings.log_key_dir,
        settings
            .log_signing_key
            .as_ref()
            .map(ExposeSecret::expose_secret),
    )?;
    Ok(AppState {
        leptos_options,
        db,
        media,
        site: settings.public_url.clone(),
        live,
        ledger,
        log_keys,
        cards,
        provider: Default::default(),
    })
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
