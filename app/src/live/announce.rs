//! The one signal for "what viewers see of a campaign changed": [`LiveHub::announce`].
//!
//! Whatever changes a campaign's page (a gift in the ledger, a message approved or hidden, a
//! campaign edited by staff) announces it once, with what changed. The hub wakes the campaign's
//! publisher here and, on PostgreSQL, sends `NOTIFY campaign_progress` so every other instance
//! wakes its own ([`super::listen`]). The ledger sends its notification inside the transaction
//! that wrote the gifts, so other instances hear of them when, and only if, it commits.
//!
//! [`LiveHub::announce`]: super::hub::LiveHub::announce

use crate::ids::CampaignId;

/// The PostgreSQL channel the instances listen on.
pub const CHANNEL: &str = "campaign_progress";

/// What changed, which decides what the publisher reads again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Totals and new gifts: the publisher reads the totals and the gifts after its last, and
    /// the leaderboards (also announced when an ambassador joins them).
    Gifts,
    /// Gifts already published (a message approved or hidden): it reads its recent gifts anew
    /// and sends every viewer a fresh snapshot.
    Feed,
    /// The campaign itself (its goal, dates or texts): it reads the campaign and its totals.
    Campaign,
}

impl Change {
    /// The notification's payload: the campaign id, and what changed unless it is gifts (the
    /// payload instances have always sent for gifts, so a rolling upgrade keeps working).
    fn payload(self, campaign: CampaignId) -> String {
        match self {
            Change::Gifts => campaign.get().to_string(),
            Change::Feed => format!("{}:revised", campaign.get()),
            Change::Campaign => format!("{}:campaign", campaign.get()),
        }
    }

    /// Reads a payload another instance sent.
    pub fn parse(payload: &str) -> Option<(CampaignId, Change)> {
        let (id, change) = match payload.split_once(':') {
            None => (payload, Change::Gifts),
            Some((id, "revised")) => (id, Change::Feed),
            Some((id, "campaign")) => (id, Change::Campaign),
            Some(_) => return None,
        };
        Some((CampaignId::new(id.parse().ok()?), change))
    }

    /// The statement that tells every instance: `NOTIFY`, to send inside the transaction that
    /// made the change.
    pub fn notify_statement(self, campaign: CampaignId) -> String {
        // An integer and a fixed word, formatted by us: nothing from outside reaches this text.
        format!("NOTIFY {CHANNEL}, '{}'", self.payload(campaign))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_reads_back_as_sent() {
        for change in [Change::Gifts, Change::Feed, Change::Campaign] {
            let payload = change.payload(CampaignId::new(42));
            assert_eq!(Change::parse(&payload), Some((CampaignId::new(42), change)));
        }
        assert_eq!(
            Change::Feed.notify_statement(CampaignId::new(7)),
            "NOTIFY campaign_progress, '7:revised'"
        );
        for unknown in ["", "x", "7:other", ":campaign"] {
            assert_eq!(Change::parse(unknown), None, "{unknown}");
        }
    }
}
