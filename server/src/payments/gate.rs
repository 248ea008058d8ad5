//! What a checkout reads about its campaign and artwork before it takes a gift (the campaign
//! with its amounts, whether it has published its spending plan, the artwork and its consent),
//! kept for a second: in a surge every donor asks about the same few rows, and each read is a
//! round trip to the database. The campaign's totals and status are still read for each gift.
//!
//! Whatever staff save empties this instance's copy at once (as with the landing pages' cache);
//! other instances read it again within the second. Only rows that exist are kept, so unknown
//! slugs cost a read each time and no memory.

use app::artworks::consent::Standing;
use app::artworks::ArtworkCard;
use app::campaigns::Campaign;
use app::db::Db;
use app::i18n::Locale;
use app::ids::CampaignId;
use app::slug::Slug;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a read is used before it is read again.
const FRESH_FOR: Duration = Duration::from_secs(1);

/// A campaign as a checkout needs it.
#[derive(Clone, Debug)]
pub struct GateCampaign {
    pub id: CampaignId,
    pub campaign: Campaign,
    /// Gifts wait for the campaign's first published spending plan.
    pub has_plan: bool,
}

/// An artwork as a checkout needs it.
#[derive(Clone, Debug)]
pub struct GateArtwork {
    pub id: i64,
    pub card: ArtworkCard,
    pub standing: Standing,
}

/// The recent reads of this instance, shared by its requests.
#[derive(Clone, Debug, Default)]
pub struct CheckoutGate {
    kept: Arc<Mutex<Kept>>,
}

#[derive(Debug, Default)]
struct Kept {
    /// Counts the times staff changed something, so a read that began before a change is not
    /// kept after it.
    changes: u64,
    campaigns: HashMap<(Slug, Locale), (Instant, GateCampaign)>,
    artworks: HashMap<(CampaignId, String, Locale), (Instant, GateArtwork)>,
}

impl CheckoutGate {
    /// The campaign with this slug, in `locale`; `None` if there is none.
    pub async fn campaign(
        &self,
        db: &Db,
        slug: &Slug,
        locale: Locale,
    ) -> anyhow::Result<Option<GateCampaign>> {
        let key = (slug.clone(), locale);
        let (kept, changes) = self.fresh(|k| k.campaigns.get(&key));
        if let Some(kept) = kept {
            return Ok(Some(kept));
        }
        let Some((id, campaign)) = app::campaigns::store::find(db, slug, locale).await? else {
            return Ok(None);
        };
        let has_plan = app::spending::store::has_plan(db, id).await?;
        let found = GateCampaign {
            id,
            campaign,
            has_plan,
        };
        let mut kept = self.kept();
        if kept.changes == changes {
            kept.campaigns.insert(key, (Instant::now(), found.clone()));
        }
        Ok(Some(found))
    }

    /// The published artwork with this slug in the campaign, in `locale`, with its consent
    /// today; `None` if there is none.
    pub async fn artwork(
        &self,
        db: &Db,
        campaign: CampaignId,
        slug: &str,
        locale: Locale,
    ) -> anyhow::Result<Option<GateArtwork>> {
        let key = (campaign, slug.to_owned(), locale);
        let (kept, changes) = self.fresh(|k| k.artworks.get(&key));
        if let Some(kept) = kept {
            return Ok(Some(kept));
        }
        let Some((id, card, standing)) =
            app::artworks::store::find_adoptable(db, campaign, slug, locale).await?
        else {
            return Ok(None);
        };
        let found = GateArtwork { id, card, standing };
        let mut kept = self.kept();
        if kept.changes == changes {
            kept.artworks.insert(key, (Instant::now(), found.clone()));
        }
        Ok(Some(found))
    }

    /// Forgets every read: staff changed something a checkout depends on.
    pub fn clear(&self) {
        let mut kept = self.kept();
        kept.changes += 1;
        kept.campaigns.clear();
        kept.artworks.clear();
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A kept read if it is fresh, and the count of changes so far.
    fn fresh<T: Clone>(
        &self,
        find: impl FnOnce(&Kept) -> Option<&(Instant, T)>,
    ) -> (Option<T>, u64) {
        let kept = self.kept();
        let found = find(&kept)
            .filter(|(read, _)| read.elapsed() < FRESH_FOR)
            .map(|(_, value)| value.clone());
        (found, kept.changes)
    }
}
