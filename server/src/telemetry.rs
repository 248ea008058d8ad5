//! Logging. Donor emails, names, IPs, card data and secrets are never logged: spans record ids
//! and routes, never request bodies or client addresses.

use tracing_subscriber::EnvFilter;

/// Installs a `RUST_LOG`-filtered subscriber (default `info`); a second call is a no-op.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // Standard output is for what a command prints (a key, a report) alone.
        .with_writer(std::io::stderr)
        .try_init();
}
