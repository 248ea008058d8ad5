//! Several instances on one PostgreSQL: each listens for the others' news.
//!
//! Every announcement ([`super::announce`]) sends `NOTIFY campaign_progress` with the campaign
//! and what changed, which PostgreSQL delivers to every listening connection when (and only if)
//! its transaction commits. Each instance keeps one connection listening and wakes its
//! publisher for that campaign; the publisher then reads as any reader would. A lost connection
//! is opened again, and every publisher reads once, in case news came while it was down.

use super::announce::{Change, CHANNEL};
use super::hub::LiveHub;
use sqlx::postgres::PgListener;
use std::time::Duration;

/// Listens on `database_url` for as long as the process runs.
pub fn spawn(database_url: String, hub: LiveHub) {
    tokio::spawn(async move {
        loop {
            if let Err(error) = listen(&database_url, &hub).await {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "listening for other instances failed; retrying"
                );
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

async fn listen(database_url: &str, hub: &LiveHub) -> anyhow::Result<()> {
    let mut listener = PgListener::connect(database_url).await?;
    listener.listen(CHANNEL).await?;
    hub.changed_all();
    loop {
        match listener.try_recv().await? {
            Some(notification) => match Change::parse(notification.payload()) {
                Some((campaign, change)) => hub.announce_here(campaign, change),
                None => tracing::warn!("a progress notification without a campaign id"),
            },
            // The connection dropped; the next receive reconnects. News may have been missed.
            None => hub.changed_all(),
        }
    }
}
