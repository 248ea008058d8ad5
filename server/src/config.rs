//! Settings, read once from the environment at start.

use crate::payments::limits::CheckoutRates;
use anyhow::Context;
use app::site::PublicUrl;
use secrecy::SecretString;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;

/// Everything the server needs to know about where it runs.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `DATABASE_URL`: `sqlite:…` (the default, a file under `data/`) or `postgres://…`.
    pub database_url: String,
    /// `MEDIA_DIR`: where artwork images are stored (default `data/media`).
    pub media_dir: PathBuf,
    /// `PUBLIC_BASE_URL`: the origin in absolute URLs (default `http://<listen address>`).
    pub public_url: PublicUrl,
    /// `LOG_KEY_DIR`: the public log's signing seed and signing history (default `data/log`).
    pub log_key_dir: PathBuf,
    /// `LOG_SIGNING_KEY`: the seed itself (64 hex digits), instead of the file in `LOG_KEY_DIR`.
    pub log_signing_key: Option<SecretString>,
    /// `LOG_INTEGRATOR`: `off` makes this instance serve the public log without extending it
    /// (another instance does); on by default.
    pub log_integrator: bool,
    /// `LEPTOS_SITE_ADDR`: the listen address (default 127.0.0.1:3000).
    pub listen: SocketAddr,
    /// Where cargo-leptos put the compiled JS, wasm and CSS (`LEPTOS_SITE_ROOT`).
    pub site_root: PathBuf,
    /// `STRIPE_SECRET_KEY`: real (test or live) Stripe; absent, demo payments.
    pub stripe_secret_key: Option<SecretString>,
    /// `STRIPE_WEBHOOK_SECRET`: the signing secret, or several separated by commas while one is
    /// rotated. Absent in demo mode, one is generated.
    pub stripe_webhook_secret: Option<SecretString>,
    /// `STRIPE_API_BASE`: where Stripe's API is reached (default: Stripe, or the demo).
    pub stripe_api_base: Option<String>,
    /// `TRUST_FORWARDED_FOR=1`: a reverse proxy in front names the client in `X-Forwarded-For`
    /// (used to limit sign-in attempts per client). Off by default: without a proxy, anyone
    /// could write that header.
    pub trust_forwarded_for: bool,
    /// How fast checkouts may be opened (`CHECKOUT_PER_ADDRESS_PER_MINUTE`,
    /// `CHECKOUT_PER_CAMPAIGN_PER_SECOND`, `CHECKOUT_PER_SECOND`).
    pub checkout_rates: CheckoutRates,
    /// `STRIPE_RATE_LIMIT`: API operations a second the payment account allows (default 100,
    /// Stripe's default for a live account). Checkouts beyond the budget kept below it go
    /// through Payment Links.
    pub stripe_rate_limit: u32,
    /// `PAYMENT_LINKS=off`: make no Payment Links ahead of time, so checkouts beyond the budget
    /// are refused instead of going through links.
    pub payment_links: bool,
    /// `DEMO_STRIPE_RATE_LIMIT`: operations a second the demo stand-in answers before it
    /// answers 429 as Stripe does (default 100).
    pub demo_stripe_rate_limit: u32,
    /// `DEMO_STRIPE_WEBHOOK_URLS`: where the demo stand-in sends its events, taken in turn
    /// (comma-separated `http(s)://…/webhooks/stripe`; default this instance's own). Several
    /// instances' addresses stand in for the load balancer Stripe's deliveries would reach.
    pub demo_stripe_webhook_urls: Vec<String>,
    /// `SMTP_URL`: the mail server emails go through (`smtps://user:password@host`,
    /// `smtp://host:25?tls=required`, or `smtp://127.0.0.1:2525` for a local relay). Absent,
    /// emails stay in the outbox, where staff can read them.
    pub smtp_url: Option<SecretString>,
    /// `EMAIL_FROM`: the sender, `Name <address>` (default: `Giving Gallery` at the site's host).
    pub email_from: Option<String>,
    /// `SMTP_TIMEOUT_SECONDS`: how long one step of a mail server conversation may take
    /// (default 20). A send not finished within ten of them is taken over by another worker.
    pub smtp_timeout_seconds: u32,
}

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> anyhow::Result<Settings> {
        Settings::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads the settings through `lookup`, so tests can supply their own environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Settings> {
        let get = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());
        let listen: SocketAddr = get("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".to_owned())
            .parse()
            .context("LEPTOS_SITE_ADDR must be an address such as 127.0.0.1:3000")?;
        let public_url = match get("PUBLIC_BASE_URL") {
            Some(url) => PublicUrl::parse(&url)?,
            None => PublicUrl::parse(&format!("http://{listen}"))?,
        };
        let rate = |key: &str, default: NonZeroU32| -> anyhow::Result<NonZeroU32> {
            get(key).map_or(Ok(default), |v| {
                v.trim()
                    .parse()
                    .with_context(|| format!("{key} must be a whole number above 0"))
            })
        };
        let defaults = CheckoutRates::default();
        let checkout_rates = CheckoutRates {
            per_address_per_minute: rate(
                "CHECKOUT_PER_ADDRESS_PER_MINUTE",
                defaults.per_address_per_minute,
            )?,
            per_campaign_per_second: rate(
                "CHECKOUT_PER_CAMPAIGN_PER_SECOND",
                defaults.per_campaign_per_second,
            )?,
            per_second: rate("CHECKOUT_PER_SECOND", defaults.per_second)?,
        };
        Ok(Settings {
            database_url: get("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://data/giving-gallery.db".to_owned()),
            media_dir: get("MEDIA_DIR").map_or_else(|| PathBuf::from("data/media"), PathBuf::from),
            public_url,
            log_key_dir: get("LOG_KEY_DIR")
                .map_or_else(|| PathBuf::from("data/log"), PathBuf::from),
            log_signing_key: get("LOG_SIGNING_KEY").map(SecretString::from),
            log_integrator: !matches!(
                get("LOG_INTEGRATOR").as_deref().map(str::trim),
                Some("off" | "0" | "false" | "no")
            ),
            listen,
            site_root: get("LEPTOS_SITE_ROOT")
                .map_or_else(|| PathBuf::from("target/site"), PathBuf::from),
            stripe_secret_key: get("STRIPE_SECRET_KEY").map(SecretString::from),
            stripe_webhook_secret: get("STRIPE_WEBHOOK_SECRET").map(SecretString::from),
            stripe_api_base: get("STRIPE_API_BASE"),
            trust_forwarded_for: matches!(
                get("TRUST_FORWARDED_FOR").as_deref().map(str::trim),
                Some("1" | "true" | "yes")
            ),
            checkout_rates,
            stripe_rate_limit: rate(
                "STRIPE_RATE_LIMIT",
                NonZeroU32::new(100).unwrap_or(NonZeroU32::MIN),
            )?
            .get(),
            payment_links: !matches!(
                get("PAYMENT_LINKS").as_deref().map(str::trim),
                Some("off" | "0" | "false" | "no")
            ),
            demo_stripe_rate_limit: rate(
                "DEMO_STRIPE_RATE_LIMIT",
                NonZeroU32::new(100).unwrap_or(NonZeroU32::MIN),
            )?
            .get(),
            demo_stripe_webhook_urls: webhook_urls(get("DEMO_STRIPE_WEBHOOK_URLS").as_deref())?,
            smtp_url: get("SMTP_URL").map(SecretString::from),
            email_from: get("EMAIL_FROM"),
            smtp_timeout_seconds: rate(
                "SMTP_TIMEOUT_SECONDS",
                NonZeroU32::new(20).unwrap_or(NonZeroU32::MIN),
            )?
            .get(),
        })
    }
}

/// The demo stand-in's webhook addresses: each an `http(s)://` URL; none for the default.
fn webhook_urls(list: Option<&str>) -> anyhow::Result<Vec<String>> {
    let urls: Vec<String> = list
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(bad) = urls
        .iter()
        .find(|u| !(u.starts_with("http://") || u.starts_with("https://")))
    {
        anyhow::bail!("DEMO_STRIPE_WEBHOOK_URLS must list http(s):// addresses, not {bad}");
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_serve_a_local_sqlite_file_on_port_3000() {
        let s = Settings::from_lookup(|_| None).expect("defaults are valid");
        assert_eq!(s.database_url, "sqlite://data/giving-gallery.db");
        assert_eq!(s.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(s.public_url.as_str(), "http://127.0.0.1:3000");
    }

    #[test]
    fn printed_settings_never_show_the_payment_secrets() {
        let secrets = |key: &str| match key {
            "STRIPE_SECRET_KEY" => Some("sk_live_do_not_print".to_owned()),
            "STRIPE_WEBHOOK_SECRET" => Some("whsec_do_not_print".to_owned()),
            "SMTP_URL" => Some("smtps://mailer:pw_do_not_print@mail.example".to_owned()),
            _ => None,
        };
        let printed = format!("{:?}", Settings::from_lookup(secrets).expect("valid"));
        assert!(!printed.contains("do_not_print"), "{printed}");
        assert!(
            printed.contains("REDACTED") || printed.contains("redacted"),
            "{printed}"
        );
    }

    #[test]
    fn bad_addresses_and_urls_are_refused_at_start() {
        let with =
            |k: &'static str, v: &'static str| move |key: &str| (key == k).then(|| v.to_owned());
        assert!(Settings::from_lookup(with("LEPTOS_SITE_ADDR", "nowhere")).is_err());
        assert!(Settings::from_lookup(with("PUBLIC_BASE_URL", "give.example.org")).is_err());
        let s = Settings::from_lookup(with("PUBLIC_BASE_URL", "https://give.example.org/"))
            .expect("valid");
        assert_eq!(s.public_url.absolute("/"), "https://give.example.org/");
        let hooks = "http://10.0.0.1/webhooks/stripe";
        assert!(Settings::from_lookup(with("DEMO_STRIPE_WEBHOOK_URLS", "10.0.0.1/hook")).is_err());
        let s = Settings::from_lookup(with("DEMO_STRIPE_WEBHOOK_URLS", hooks)).expect("valid");
        assert_eq!(s.demo_stripe_webhook_urls, [hooks]);
    }
}
