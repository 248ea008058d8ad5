//! Reading shared gifts and what their shares brought.

use super::cards::CardSource;
use super::{ShareCode, ShareLinks, ShareView, SharerStats};
use crate::campaigns::store::{self as campaigns, CampaignId};
use crate::cards::render::CardKind;
use crate::dates::Timestamp;
use crate::db::Db;
use crate::donations::store::DonationId;
use crate::i18n::{fill, Locale};
use crate::money::{Currency, Money};
use crate::seo::{MetaImage, PageMeta};
use crate::state::AppState;
use anyhow::Context;
use sqlx::FromRow;

/// A paid gift as its share page and cards show it.
#[derive(Clone, Debug)]
pub struct SharedGift {
    pub code: ShareCode,
    pub campaign: CampaignId,
    pub artwork_id: i64,
    pub amount: Money,
    pub display_name: String,
    pub anonymous: bool,
    pub show_amount: bool,
    pub certificate_number: i64,
    pub paid_at: Timestamp,
    /// The donor's language: their cards speak it.
    pub locale: Locale,
}

impl SharedGift {
    /// The donor's public name, `None` when they gave anonymously.
    pub fn public_name(&self) -> Option<&str> {
        (!self.anonymous && !self.display_name.trim().is_empty())
            .then_some(self.display_name.as_str())
    }
}

#[derive(FromRow)]
struct SharedRow {
    share_code: String,
    campaign_id: i64,
    artwork_id: i64,
    amount_minor: i64,
    currency: String,
    display_name: String,
    anonymous: i64,
    show_amount: i64,
    certificate_number: Option<i64>,
    paid_at: Option<i64>,
    locale: String,
}

/// The paid gift with this share code. Pending, failed and refunded gifts have no share.
#[tracing::instrument(skip(db))]
pub async fn find_paid(db: &Db, code: &ShareCode) -> anyhow::Result<Option<SharedGift>> {
    let row: Option<SharedRow> = sqlx::query_as(
        "SELECT share_code, campaign_id, artwork_id, amount_minor, currency, display_name, \
         anonymous, show_amount, certificate_number, paid_at, locale \
         FROM donations WHERE share_code = $1 AND status = 'paid'",
    )
    .bind(code.as_str())
    .fetch_optional(db.pool())
    .await
    .context("reading a shared gift")?;
    row.map(SharedGift::try_from).transpose()
}

/// A donation's share page and cards, if it is paid.
pub async fn links(state: &AppState, donation: &DonationId) -> anyhow::Result<Option<ShareLinks>> {
    let code: Option<Option<String>> =
        sqlx::query_scalar("SELECT share_code FROM donations WHERE id = $1 AND status = 'paid'")
            .bind(donation.as_str())
            .fetch_optional(state.db.pool())
            .await
            .context("reading a donation's share code")?;
    let Some(code) = code.flatten().as_deref().and_then(ShareCode::parse) else {
        return Ok(None);
    };
    let Some(gift) = find_paid(&state.db, &code).await? else {
        return Ok(None);
    };
    let cards = CardSource::load(state, &gift).await?;
    Ok(Some(ShareLinks {
        page_url: state.site.absolute(&code.path()),
        certificate: cards.card_path(CardKind::Certificate)?,
        preview: cards.card_path(CardKind::Preview)?,
    }))
}

impl TryFrom<SharedRow> for SharedGift {
    type Error = anyhow::Error;

    fn try_from(row: SharedRow) -> anyhow::Result<SharedGift> {
        let currency: Currency = row.currency.to_ascii_uppercase().parse()?;
        Ok(SharedGift {
            code: ShareCode::parse(&row.share_code).context("a stored share code is malformed")?,
            campaign: CampaignId(row.campaign_id),
            artwork_id: row.artwork_id,
            amount: Money::from_minor(row.amount_minor, currency)?,
            display_name: row.display_name,
            anonymous: row.anonymous != 0,
            show_amount: row.show_amount != 0,
            certificate_number: row
                .certificate_number
                .context("a paid gift has no number")?,
            paid_at: Timestamp::from_unix_ms(row.paid_at.context("a paid gift has no date")?),
            locale: Locale::from_tag(&row.locale).unwrap_or_default(),
        })
    }
}

/// What the share with this code has brought: paid gifts credited to it, less refunds. `None`
/// when the code is no paid gift's.
#[tracing::instrument(skip(db))]
pub async fn sharer_stats(db: &Db, code: &ShareCode) -> anyhow::Result<Option<SharerStats>> {
    let sharer: Option<(String, String)> = sqlx::query_as(
        "SELECT id, currency FROM donations WHERE share_code = $1 AND status = 'paid'",
    )
    .bind(code.as_str())
    .fetch_optional(db.pool())
    .await
    .context("reading a sharer")?;
    let Some((id, currency)) = sharer else {
        return Ok(None);
    };
    // Gifts made through a share are in its campaign, so in its currency.
    let (gifts, raised): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(paid_minor - refunded_minor), 0) AS BIGINT) \
         FROM donations WHERE referred_by = $1 AND status = 'paid'",
    )
    .bind(&id)
    .fetch_one(db.pool())
    .await
    .context("counting what a share brought")?;
    let currency: Currency = currency.to_ascii_uppercase().parse()?;
    Ok(Some(SharerStats {
        gifts: u64::try_from(gifts)?,
        raised: Money::from_minor(raised, currency)?,
    }))
}

/// Everything the share page with this code shows, in the reader's locale.
pub async fn share_view(
    state: &AppState,
    code: &ShareCode,
    locale: Locale,
) -> anyhow::Result<Option<ShareView>> {
    let Some(gift) = find_paid(&state.db, code).await? else {
        return Ok(None);
    };
    let (_, campaign) = campaigns::find_by_id(&state.db, gift.campaign, locale)
        .await?
        .context("a shared gift's campaign is missing")?;
    let artwork = crate::artworks::store::card_by_id(&state.db, gift.artwork_id, locale).await?;
    let progress = campaigns::progress(&state.db, gift.campaign, &campaign).await?;
    let stats = sharer_stats(&state.db, code)
        .await?
        .context("a shared gift vanished")?;
    let feed = state.live.snapshot(gift.campaign).await?.gifts;
    let preview = CardSource::load(state, &gift)
        .await?
        .card_path(CardKind::Preview)?;
    let (width, height) = CardKind::Preview.size();

    let t = locale.texts();
    let name = gift.public_name().unwrap_or(t.feed_anonymous).to_owned();
    let title = fill(
        t.share_title,
        &[("name", &name), ("artwork", &artwork.title)],
    );
    let description = fill(
        t.share_description,
        &[
            ("artist", &artwork.artist.name),
            ("campaign", &campaign.title),
            ("amount", &campaign.min_gift.format(locale)),
        ],
    );
    let alt = fill(
        t.share_card_alt,
        &[("name", &name), ("artwork", &artwork.title)],
    );
    let campaign_path = campaign.path();
    let meta = PageMeta {
        title,
        description,
        url: state.site.absolute(&code.path()),
        locale,
        image: Some(MetaImage {
            url: state.site.absolute(&preview),
            width,
            height,
            alt,
        }),
    };
    Ok(Some(ShareView {
        code: code.clone(),
        donor: gift.public_name().map(str::to_owned),
        artwork_path: format!("{campaign_path}/artworks/{}", artwork.slug),
        artwork,
        campaign_title: campaign.title,
        campaign_slug: campaign.slug.to_string(),
        campaign_path,
        progress,
        feed,
        stats,
        card: crate::artworks::Image {
            url: preview,
            width,
            height,
        },
        meta,
    }))
}
