//! Several instances on one PostgreSQL: each listens for the others' news.
//!
//! The ledger's transaction sends `NOTIFY campaign_progress, '<campaign id>'`, which PostgreSQL
//! delivers to every listening connection when (and only if) the transaction commits. Each
//! instance keeps one connection listening and wakes its publisher for that campaign; the
//! publisher then reads the totals as any reader would. A lost connection is opened again, and
//! every publisher reads once, in case news came while it was down.

use super::hub::LiveHub;
use crate::campaigns::store::CampaignId;
use sqlx::postgres::PgListener;
use std::time::Duration;

/// The channel the ledger notifies.
pub const CHANNEL: &str = "campaign_progress";

/// The statement that tells every instance a campaign changed, sent inside the transaction.
pub fn notify_statement(campaign: CampaignId) -> String {
    // An integer, formatted by us: nothing from outside reaches this text.
    format!("NOTIFY {CHANNEL}, '{}'", campaign.0)
}

/// The statement that tells every instance a campaign's published gifts changed.
pub fn revised_statement(campaign: CampaignId) -> String {
    format!("NOTIFY {CHANNEL}, '{}{REVISED}'", campaign.0)
}

/// The suffix of a notification that says published gifts changed, not only new ones arrived.
const REVISED: &str = ":revised";

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
            Some(notification) => {
                let payload = notification.payload();
                let (id, revised) = match payload.strip_suffix(REVISED) {
                    Some(id) => (id, true),
                    None => (payload, false),
                };
                match id.parse() {
                    Ok(id) if revised => hub.revise_here(CampaignId(id)),
                    Ok(id) => hub.changed(CampaignId(id)),
                    Err(_) => tracing::warn!("a progress notification without a campaign id"),
                }
            }
            // The connection dropped; the next receive reconnects. News may have been missed.
            None => hub.changed_all(),
        }
    }
}
