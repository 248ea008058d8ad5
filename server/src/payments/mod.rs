//! Payments through Stripe: opening Checkout Sessions and reading the signed events Stripe sends.
//!
//! The same code talks to real Stripe (with `STRIPE_SECRET_KEY`) and to the demo stand-in this
//! server provides (`crate::demo_stripe`): only the base URL and the keys differ.

pub mod budget;
pub mod catch_up;
pub mod checkout;
pub mod events;
pub mod fees;
pub mod gate;
pub mod limits;
pub mod links;
pub mod refunds;

use crate::config::Settings;
use budget::ProviderBudget;
use secrecy::ExposeSecret;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use stripe::StripeError;

/// Where payments go, and the secrets that prove events came from there.
#[derive(Clone)]
pub struct Payments {
    client: stripe::Client,
    webhook_secrets: Arc<Vec<String>>,
    demo: bool,
    budget: ProviderBudget,
    links: bool,
    gate: gate::CheckoutGate,
}

impl std::fmt::Debug for Payments {
    /// Never prints the keys.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Payments")
            .field("demo", &self.demo)
            .finish_non_exhaustive()
    }
}

/// The secret key the demo stand-in accepts.
pub const DEMO_SECRET_KEY: &str = "sk_test_giving_gallery_demo";

impl Payments {
    /// Payments as the settings describe them. Without a secret key the server uses its own demo
    /// stand-in at `local`, the address it listens on.
    pub fn from_settings(
        settings: &Settings,
        local: SocketAddr,
        db: &app::db::Db,
        stats: app::donations::provider::ProviderStats,
    ) -> anyhow::Result<Payments> {
        let demo = settings.stripe_secret_key.is_none();
        let key = settings
            .stripe_secret_key
            .as_ref()
            .map_or(DEMO_SECRET_KEY, ExposeSecret::expose_secret)
            .to_owned();
        let base = match (&settings.stripe_api_base, demo) {
            (Some(base), _) => Some(base.clone()),
            (None, true) => Some(format!("{}/demo-stripe/", self_url(local))),
            (None, false) => None,
        };
        let mut builder = stripe::ClientBuilder::new(key);
        if let Some(base) = base {
            builder = builder.url(base);
        }
        let client = builder
            .build()
            .map_err(|e| anyhow::anyhow!("configuring the Stripe client: {e}"))?;
        let webhook_secrets = match &settings.stripe_webhook_secret {
            Some(list) => list
                .expose_secret()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            None if demo => vec![generated_secret()?],
            None => anyhow::bail!(
                "STRIPE_WEBHOOK_SECRET must be set with STRIPE_SECRET_KEY, or no gift would count"
            ),
        };
        if webhook_secrets.is_empty() {
            anyhow::bail!("STRIPE_WEBHOOK_SECRET is empty");
        }
        Ok(Payments {
            client,
            webhook_secrets: Arc::new(webhook_secrets),
            demo,
            budget: ProviderBudget::new(settings.stripe_rate_limit, db, stats),
            links: settings.payment_links,
            gate: gate::CheckoutGate::default(),
        })
    }

    /// The Stripe client.
    pub fn client(&self) -> &stripe::Client {
        &self.client
    }

    /// The webhook signing secrets accepted: more than one while a secret is being rotated.
    pub fn webhook_secrets(&self) -> &[String] {
        &self.webhook_secrets
    }

    /// The secret events are signed with (the demo signs with the first).
    pub fn signing_secret(&self) -> &str {
        self.webhook_secrets.first().map_or("", String::as_str)
    }

    /// The provider's rate budget.
    pub fn budget(&self) -> &ProviderBudget {
        &self.budget
    }

    /// Whether Payment Links are made ahead of time for surges.
    pub fn links_enabled(&self) -> bool {
        self.links
    }

    /// What checkouts read about campaigns and artworks, kept for a second.
    pub fn gate(&self) -> &gate::CheckoutGate {
        &self.gate
    }

    /// Whether payments are the demo's (no money moves).
    pub fn is_demo(&self) -> bool {
        self.demo
    }
}

/// How this server reaches itself over loopback.
pub fn self_url(local: SocketAddr) -> String {
    let ip = if local.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else {
        local.ip().to_string()
    };
    if local.is_ipv6() && !local.ip().is_unspecified() {
        format!("http://[{ip}]:{}", local.port())
    } else {
        format!("http://{ip}:{}", local.port())
    }
}

/// A fresh webhook secret for a demo run that was given none.
fn generated_secret() -> anyhow::Result<String> {
    Ok(format!("whsec_{}", app::ids::random_hex::<24>()?))
}

/// How many times a failed Stripe call is tried in all, and the first pause between tries.
const ATTEMPTS: u32 = 4;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// Makes a Stripe call, trying again with backoff when Stripe marks the error retryable (429,
/// 5xx, network). The call must carry an idempotency key, so that tries do the thing once.
/// Every try takes a token of the rate budget (but the first when `token_taken`).
async fn with_retries<T, Call, Answer>(
    budget: &ProviderBudget,
    token_taken: bool,
    what: &str,
    mut call: Call,
) -> Result<T, StripeError>
where
    Call: FnMut() -> Answer,
    Answer: Future<Output = Result<T, StripeError>>,
{
    let mut backoff = FIRST_BACKOFF;
    let mut attempt = 1;
    loop {
        if attempt > 1 || !token_taken {
            budget.take().await;
        }
        match call().await {
            Ok(answer) => return Ok(answer),
            Err(error) if attempt < ATTEMPTS && is_retryable(&error) => {
                tracing::warn!(what, attempt, error = %brief(&error), "Stripe call failed; retrying");
                tokio::time::sleep(backoff).await;
                backoff *= 2;
                attempt += 1;
            }
            Err(error) => {
                tracing::error!(what, error = %brief(&error), "Stripe refused or failed a call");
                return Err(error);
            }
        }
    }
}

fn is_retryable(error: &StripeError) -> bool {
    match error {
        StripeError::Stripe(_, status) => matches!(status, 409 | 429 | 500..=599),
        StripeError::ClientError(_) | StripeError::Timeout => true,
        StripeError::JSONDeserialize(_) | StripeError::ConfigError(_) => false,
    }
}

/// An error's kind and status, without request details (which may hold donor data).
fn brief(error: &StripeError) -> String {
    match error {
        StripeError::Stripe(errors, status) => format!("status {status}: {:?}", errors.type_),
        StripeError::ClientError(_) => "could not reach Stripe".to_owned(),
        StripeError::Timeout => "timed out".to_owned(),
        StripeError::JSONDeserialize(_) => "unreadable response".to_owned(),
        StripeError::ConfigError(_) => "client misconfigured".to_owned(),
    }
}
