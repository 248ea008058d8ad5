//! What a gift's cards say, in the donor's language, and where they are served.

use super::store::SharedGift;
use crate::artworks::ArtworkCard;
use crate::campaigns::{Campaign, Progress};
use crate::cards::certificate::Certificate;
use crate::cards::preview::Preview;
use crate::cards::render::{Card, CardKey, CardKind, Design};
use crate::i18n::fill;
use crate::ids::ShareCode;
use crate::media::MediaKey;
use crate::site::PublicUrl;
use crate::state::AppState;
use anyhow::Context;

/// Everything a gift's cards are drawn from.
pub struct CardSource {
    gift: SharedGift,
    campaign: Campaign,
    artwork: ArtworkCard,
    art: MediaKey,
    progress: Progress,
    site: PublicUrl,
}

/// Where a card is served: the name changes whenever what it shows changes, so each address
/// can be cached forever.
pub fn card_path(code: &ShareCode, kind: CardKind, key: &CardKey) -> String {
    format!("/cards/{code}/{}-{}.jpg", kind.as_str(), key.as_str())
}

impl CardSource {
    /// Reads the campaign, artwork and progress a gift's cards show, in the donor's language.
    pub async fn load(state: &AppState, gift: &SharedGift) -> anyhow::Result<CardSource> {
        let locale = gift.locale;
        let (_, campaign) = crate::campaigns::store::find_by_id(&state.db, gift.campaign, locale)
            .await?
            .context("a shared gift's campaign is missing")?;
        let artwork =
            crate::artworks::store::card_by_id(&state.db, gift.artwork_id, locale).await?;
        let art = artwork
            .image
            .url
            .strip_prefix("/media/")
            .and_then(MediaKey::parse)
            .context("an artwork's image is not in the media store")?;
        let progress =
            crate::campaigns::store::progress(&state.db, gift.campaign, &campaign).await?;
        Ok(CardSource {
            gift: gift.clone(),
            campaign,
            artwork,
            art,
            progress,
            site: state.site.clone(),
        })
    }

    /// The campaign's progress, as the link picture shows it.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// The card of this kind.
    pub fn card(&self, kind: CardKind) -> Card {
        let design = match kind {
            CardKind::Certificate => Design::Certificate(self.certificate()),
            CardKind::Preview => Design::Preview(self.preview()),
        };
        Card {
            design,
            art: self.art.clone(),
        }
    }

    /// Where the card of this kind is served now.
    pub fn card_path(&self, kind: CardKind) -> anyhow::Result<String> {
        Ok(card_path(&self.gift.code, kind, &self.card(kind).key()?))
    }

    fn donor(&self) -> String {
        let t = self.gift.locale.texts();
        self.gift
            .public_name()
            .unwrap_or(t.feed_anonymous)
            .to_owned()
    }

    /// The host people type, "give.example.org".
    fn host(&self) -> String {
        let url = self.site.as_str();
        url.split_once("://")
            .map_or(url, |(_, rest)| rest)
            .to_owned()
    }

    fn certificate(&self) -> Certificate {
        let locale = self.gift.locale;
        let t = locale.texts();
        let offset = self.campaign.utc_offset_minutes;
        Certificate {
            campaign: self.campaign.title.clone(),
            heading: t.card_heading.to_owned(),
            artwork_title: self.artwork.title.clone(),
            byline: fill(
                t.by_artist,
                &[("artist", &self.artwork.artist.byline(locale))],
            ),
            adopted_by: t.card_adopted_by.to_owned(),
            donor: self.donor(),
            stranger: t.feed_anonymous.to_owned(),
            amount: self.gift.show_amount.then(|| {
                fill(
                    t.card_gift_of,
                    &[("amount", &self.gift.amount.format(locale))],
                )
            }),
            number: fill(
                t.certificate_number,
                &[("number", &self.gift.certificate_number.to_string())],
            ),
            date: self.gift.paid_at.display_date(offset, locale),
            scan: t.card_scan.to_owned(),
            host: self.host(),
            share_url: self.site.absolute(&self.gift.code.path()),
        }
    }

    fn preview(&self) -> Preview {
        let locale = self.gift.locale;
        let t = locale.texts();
        // Whole percents, so the preview is drawn anew at most once per percent; under one
        // percent a share invites its readers to be among the first instead of showing "0%".
        let percent = self.progress.percent().floor();
        let (percent_label, goal) = if percent < 1.0 {
            (t.card_early_label.to_owned(), t.card_early.to_owned())
        } else {
            (
                format!("{percent:.0}%"),
                fill(t.card_goal, &[("goal", &self.progress.goal.format(locale))]),
            )
        };
        Preview {
            campaign: self.campaign.title.clone(),
            donor: self.donor(),
            stranger: t.feed_anonymous.to_owned(),
            adopted: fill(t.card_adopted, &[("artwork", &self.artwork.title)]),
            byline: fill(
                t.by_artist,
                &[("artist", &self.artwork.artist.byline(locale))],
            ),
            percent_label,
            percent: u8::try_from(self.progress.basis_points() / 100).unwrap_or(100),
            goal,
            call: fill(t.card_call, &[("host", &self.host())]),
        }
    }
}
