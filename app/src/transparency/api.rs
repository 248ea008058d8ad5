//! The transparency page's server function.

use super::TransparencyData;
use crate::error::AppError;
use crate::i18n::Locale;

/// Loads a campaign's public ledger: its latest checkpoint, key, totals and the entries before
/// `before` (the newest when absent), newest first.
#[leptos::server(
    prefix = "/api/pages",
    endpoint = "transparency",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_transparency(
    slug: String,
    before: Option<u64>,
    locale: Locale,
) -> Result<TransparencyData, AppError> {
    use super::entry::{Entry, Link, Stated};
    use super::{integrator::origin_of, store, CheckpointView, EntryRow, WitnessView};
    use crate::campaigns::store as campaigns;
    use crate::money::Money;
    use crate::slug::Slug;
    use crate::state::AppState;
    /// Entries shown on one page of the ledger.
    const PAGE: u64 = 20;
    let state = AppState::current()?;
    let parsed: Slug = slug.parse().map_err(|_| AppError::NotFound)?;
    let (id, campaign) = campaigns::find(&state.db, &parsed, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    let progress = campaigns::progress(&state.db, id, &campaign).await?;
    let currency = progress.raised.currency();
    // Entries are checked when written; a total below zero or an unknown amount is a bug.
    let money = |minor: i64| {
        Money::from_minor(minor.abs(), currency)
            .map_err(|e| AppError::from(anyhow::anyhow!("an entry's amount: {e:?}")))
    };
    let published = store::published(&state.db, parsed.as_str()).await?;
    let origin = published.as_ref().map_or_else(
        || origin_of(&state.site, parsed.as_str()),
        |log| log.origin.clone(),
    );
    let vkey = state.log_keys.signer(&origin).vkey();
    let (witnesses, quorum) = store::policy(&state.db, id.get()).await?;
    let vkeys: Vec<&str> = witnesses.iter().map(|w| w.vkey.as_str()).collect();
    let policy = super::proof::Policy::parse(&vkeys, 0).unwrap_or_default();
    // Who cosigned the published checkpoint, and when.
    let cosigned = published
        .as_ref()
        .and_then(|log| policy.check(&log.checkpoint).ok())
        .unwrap_or_default();
    let artworks = crate::artworks::store::list_published(&state.db, id, locale).await?;
    let titles: std::collections::HashMap<String, String> = artworks
        .iter()
        .map(|a| (a.slug.as_str().to_owned(), a.title.clone()))
        .collect();
    let sponsors = crate::matching::store::sponsors(&state.db, id, locale).await?;
    let campaign_path = format!("/campaigns/{}", parsed.as_str());
    let plans = crate::spending::store::versions(&state.db, id).await?;
    let size = published.as_ref().map_or(0, |log| log.size);
    let account = super::account::with_plans(&state.db, id, &campaign, size, locale, &plans);
    let account = account.await?;
    let mut data = TransparencyData {
        campaign_title: campaign.title.clone(),
        campaign_path: campaign_path.clone(),
        campaign_url: state.site.absolute(&campaign_path),
        utc_offset_minutes: campaign.utc_offset_minutes,
        live_total: progress.raised,
        recipient: campaign.beneficiary.legal.clone(),
        logged_total: None,
        checkpoint: None,
        vkey,
        witnesses: policy
            .witnesses
            .iter()
            .map(|w| WitnessView {
                name: w.name.clone(),
                vkey: w.to_text(),
                cosigned_at: cosigned
                    .iter()
                    .find(|(name, _)| *name == w.name)
                    .map(|(_, time)| {
                        crate::dates::Timestamp::from_unix_ms((*time as i64).saturating_mul(1000))
                    }),
            })
            .collect(),
        quorum,
        plans,
        expenses: crate::spending::expenses::paid(&state.db, id).await?,
        account,
        account_picture: None,
        entries: Vec::new(),
        older: None,
        newer: None,
    };
    data.account_picture = artworks
        .first()
        .map(|artwork| {
            super::account_card::AccountCard {
                site: &state.site,
                campaign: &campaign,
                artwork,
                account: &data.account,
                locale,
            }
            .meta_image()
        })
        .transpose()?;
    let Some(log) = published else {
        return Ok(data);
    };
    let signed = store::checkpoint_signed_at(&state.db, log.campaign, log.size).await?;
    let root = super::proof::Checkpoint::parse(&log.checkpoint)
        .map_err(|e| AppError::from(anyhow::anyhow!("{e}")))?
        .root;
    use base64::Engine;
    data.checkpoint = Some(CheckpointView {
        size: log.size,
        root: base64::engine::general_purpose::STANDARD.encode(root),
        signed_at: crate::dates::Timestamp::from_unix_ms(signed),
        text: log.checkpoint.clone(),
    });
    let end = before.unwrap_or(log.size).min(log.size);
    let start = end.saturating_sub(PAGE);
    let bodies = store::bodies(&state.db, log.campaign, start, end).await?;
    for (offset, body) in bodies.into_iter().enumerate().rev() {
        let entry = Entry::parse(&body).map_err(|e| AppError::from(anyhow::anyhow!("{e}")))?;
        let index = start + offset as u64;
        data.entries.push(EntryRow {
            index,
            time: entry.time.clone(),
            refund_of: match entry.link {
                Link::Refers(gift) => Some(gift),
                Link::Commitment(_) | Link::Digest(_) => None,
            },
            artwork_title: titles
                .get(&entry.artwork)
                .cloned()
                .unwrap_or_else(|| entry.artwork.clone()),
            artwork_path: format!("{campaign_path}/artworks/{}", entry.artwork),
            amount: money(entry.amount)?,
            raised: money(entry.raised)?,
            sponsor: match &entry.consent {
                Some(Stated::Match { sponsor, .. }) => sponsors.get(sponsor).cloned(),
                _ => None,
            },
            consent: entry.consent,
        });
    }
    // The total the log states is its last entry's running total.
    let last = store::bodies(&state.db, log.campaign, log.size - 1, log.size).await?;
    if let Some(entry) = last.first().and_then(|b| Entry::parse(b).ok()) {
        data.logged_total = Some(money(entry.raised)?);
    }
    data.older = (start > 0).then_some(start);
    data.newer = (end < log.size).then(|| (end + PAGE).min(log.size));
    Ok(data)
}
