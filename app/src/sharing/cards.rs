//! What a gift's cards say, in the donor's language, and where they are served; and the link
//! pictures of landing and artwork pages, drawn like a share's.

use super::store::SharedGift;
use crate::artworks::ArtworkCard;
use crate::campaigns::{Campaign, Progress};
use crate::cards::certificate::Certificate;
use crate::cards::poster::Poster;
use crate::cards::preview::Preview;
use crate::cards::render::{Card, CardKey, CardKind, Design};
use crate::i18n::fill;
use crate::i18n::Locale;
use crate::ids::ShareCode;
use crate::media::MediaKey;
use crate::seo::MetaImage;
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
    /// What matches added to the gift.
    matched: i64,
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
        let art = art_key(&artwork)?;
        let progress =
            crate::campaigns::store::progress(&state.db, gift.campaign, &campaign).await?;
        let matched = match crate::ids::DonationId::parse(&gift.donation) {
            Some(id) => crate::matching::store::matched_on(&state.db, &id).await?,
            None => 0,
        };
        Ok(CardSource {
            matched,
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
            // A gift has no poster or account picture (their addresses are refused before):
            // the preview stands in.
            CardKind::Preview | CardKind::Poster | CardKind::Account => {
                Design::Preview(self.preview())
            }
        };
        Card {
            design,
            art: self.art.clone(),
            logo: logo_key(&self.campaign),
        }
    }

    /// Where the card of this kind is served now.
    pub fn card_path(&self, kind: CardKind) -> anyhow::Result<String> {
        Ok(card_path(&self.gift.code, kind, &self.card(kind).key()?))
    }

    fn donor(&self) -> String {
        let t = self.gift.locale.words();
        self.gift
            .public_name()
            .unwrap_or(t.feed_anonymous())
            .to_owned()
    }

    fn certificate(&self) -> Certificate {
        let locale = self.gift.locale;
        let t = locale.words();
        let offset = self.campaign.utc_offset_minutes;
        Certificate {
            campaign: self.campaign.title.clone(),
            heading: t.card_heading().to_owned(),
            artwork_title: self.artwork.title.clone(),
            byline: fill(
                t.by_artist(),
                &[("artist", &self.artwork.artist.byline(locale))],
            ),
            adopted_by: t.card_adopted_by().to_owned(),
            donor: self.donor(),
            stranger: t.feed_anonymous().to_owned(),
            amount: self.gift.show_amount.then(|| {
                fill(
                    t.card_gift_of(),
                    &[("amount", &self.gift.amount.format(locale))],
                )
            }),
            became: (self.gift.show_amount && self.matched > 0).then(|| {
                let total = crate::money::format_minor(
                    self.gift.amount.minor().saturating_add(self.matched),
                    self.gift.amount.currency(),
                    locale,
                );
                fill(t.card_became(), &[("total", &total)])
            }),
            presented_by: presented_by(&self.campaign, locale),
            number: fill(
                t.certificate_number(),
                &[("number", &self.gift.certificate_number.to_string())],
            ),
            date: self.gift.paid_at.display_date(offset, locale),
            scan: t.card_scan().to_owned(),
            host: self.site.host().to_owned(),
            share_url: self.site.absolute(&self.gift.code.path()),
        }
    }

    fn preview(&self) -> Preview {
        let locale = self.gift.locale;
        let t = locale.words();
        let progress = ProgressLines::of(&self.progress, locale);
        Preview {
            campaign: self.campaign.title.clone(),
            headline: self.donor(),
            stranger: t.feed_anonymous().to_owned(),
            subtitle: fill(t.card_adopted(), &[("artwork", &self.artwork.title)]),
            byline: fill(
                t.by_artist(),
                &[("artist", &self.artwork.artist.byline(locale))],
            ),
            percent_label: progress.label,
            percent: progress.percent,
            goal: progress.goal,
            call: fill(t.card_call(), &[("host", self.site.host())]),
            presented_by: presented_by(&self.campaign, locale),
        }
    }
}

/// "Presented by …" in `locale`, when a company presents the campaign.
fn presented_by(campaign: &Campaign, locale: Locale) -> Option<String> {
    let t = locale.words();
    campaign
        .organiser
        .as_ref()
        .map(|o| fill(t.presented_by(), &[("organiser", &o.name)]))
}

/// Which page a link picture is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    /// A campaign's landing page, shown with its first painting.
    Landing,
    /// An artwork's page.
    Artwork,
}

/// The landscape link picture of a landing or artwork page: its painting, its title, the
/// campaign's progress and where to adopt, drawn like a share's link picture, in the page's
/// language. Chat apps crop a portrait painting; this one fits their frame.
pub struct PageCard<'a> {
    pub kind: PageKind,
    pub site: &'a PublicUrl,
    pub campaign: &'a Campaign,
    /// The artwork the page is about, or the painting a landing page opens with.
    pub artwork: &'a ArtworkCard,
    pub progress: &'a Progress,
    pub locale: Locale,
}

impl PageCard<'_> {
    /// The card to draw.
    pub fn card(&self) -> anyhow::Result<Card> {
        let t = self.locale.words();
        let progress = ProgressLines::of(self.progress, self.locale);
        let (campaign, headline, subtitle) = match self.kind {
            PageKind::Landing => (
                self.campaign.beneficiary.name.clone(),
                self.campaign.title.clone(),
                self.campaign.tagline.clone(),
            ),
            PageKind::Artwork => (
                self.campaign.title.clone(),
                self.artwork.title.clone(),
                fill(
                    t.by_artist(),
                    &[("artist", &self.artwork.artist.byline(self.locale))],
                ),
            ),
        };
        let preview = Preview {
            stranger: headline.clone(),
            campaign,
            headline,
            subtitle,
            byline: String::new(),
            percent_label: progress.label,
            percent: progress.percent,
            goal: progress.goal,
            call: fill(t.card_page_call(), &[("host", self.site.host())]),
            presented_by: presented_by(self.campaign, self.locale),
        };
        Ok(Card {
            design: Design::Preview(preview),
            art: art_key(self.artwork)?,
            logo: logo_key(self.campaign),
        })
    }

    /// Where the card is served now: `/cards/campaigns/{slug}/{language}-{key}.jpg`, with
    /// `/artworks/{artwork}` before the file name for an artwork's.
    pub fn path(&self) -> anyhow::Result<String> {
        let key = self.card()?.key()?;
        Ok(format!(
            "{}/{}-{}.jpg",
            page_card_folder(&self.campaign.slug, self.kind, &self.artwork.slug),
            self.locale.tag(),
            key.as_str()
        ))
    }

    /// The picture for the page's Open Graph tags.
    pub fn meta_image(&self) -> anyhow::Result<MetaImage> {
        let alt = match self.kind {
            PageKind::Landing => fill(
                self.locale.words().page_card_alt(),
                &[("campaign", &self.campaign.title)],
            ),
            PageKind::Artwork => self.artwork.alt(self.locale),
        };
        Ok(MetaImage {
            url: self.site.absolute(&self.path()?),
            width: crate::cards::preview::WIDTH,
            height: crate::cards::preview::HEIGHT,
            alt,
        })
    }
}

/// A campaign's own link picture, opening with its first artwork; `None` before it has one.
pub fn landing_image(
    site: &PublicUrl,
    campaign: &Campaign,
    artworks: &[ArtworkCard],
    progress: &Progress,
    locale: Locale,
) -> anyhow::Result<Option<MetaImage>> {
    artworks
        .first()
        .map(|artwork| {
            PageCard {
                kind: PageKind::Landing,
                site,
                campaign,
                artwork,
                progress,
                locale,
            }
            .meta_image()
        })
        .transpose()
}

/// The link picture of a page about a campaign beside its own (a team's, its news): the
/// campaign's own, read for it.
pub async fn campaign_image(
    state: &AppState,
    id: crate::ids::CampaignId,
    campaign: &Campaign,
    locale: Locale,
) -> anyhow::Result<Option<MetaImage>> {
    let progress = crate::campaigns::store::progress(&state.db, id, campaign).await?;
    let artworks = crate::artworks::store::list_published(&state.db, id, locale).await?;
    landing_image(&state.site, campaign, &artworks, &progress, locale)
}

/// An ambassador's pictures in a language: the link picture of their page and their A4
/// poster, both with the campaign's first painting and a way to their page.
pub struct AmbassadorCards<'a> {
    pub site: &'a PublicUrl,
    pub campaign: &'a Campaign,
    /// The painting the campaign's page opens with.
    pub artwork: &'a ArtworkCard,
    pub progress: &'a Progress,
    pub locale: Locale,
    pub code: &'a ShareCode,
    /// Their public name.
    pub name: &'a str,
    /// Their team's name in `locale`.
    pub team: &'a str,
}

impl AmbassadorCards<'_> {
    /// The card of this kind: the poster, or the link picture for any other kind.
    pub fn card(&self, kind: CardKind) -> anyhow::Result<Card> {
        let t = self.locale.words();
        let headline = fill(t.ambassador_invites(), &[("name", self.name)]);
        let stranger = fill(t.ambassador_invites(), &[("name", t.feed_anonymous())]);
        let presented_by = presented_by(self.campaign, self.locale);
        let design = if kind == CardKind::Poster {
            let url = self
                .site
                .absolute(&crate::ambassadors::page_path(self.code));
            Design::Poster(Poster {
                campaign: self.campaign.title.clone(),
                presented_by,
                headline,
                stranger,
                tagline: self.campaign.tagline.clone(),
                scan: t.poster_scan().to_owned(),
                address: url
                    .split_once("://")
                    .map_or(url.as_str(), |(_, rest)| rest)
                    .to_owned(),
                footer: fill(
                    t.poster_footer(),
                    &[
                        ("team", self.team),
                        ("beneficiary", &self.campaign.beneficiary.name),
                    ],
                ),
                url,
            })
        } else {
            let progress = ProgressLines::of(self.progress, self.locale);
            Design::Preview(Preview {
                campaign: self.campaign.title.clone(),
                headline,
                stranger,
                subtitle: self.campaign.tagline.clone(),
                byline: fill(t.ambassador_team(), &[("team", self.team)]),
                percent_label: progress.label,
                percent: progress.percent,
                goal: progress.goal,
                call: fill(t.card_page_call(), &[("host", self.site.host())]),
                presented_by,
            })
        };
        Ok(Card {
            design,
            art: art_key(self.artwork)?,
            logo: logo_key(self.campaign),
        })
    }

    /// Where the card of this kind is served now:
    /// `/cards/a/{code}/{kind}-{language}-{key}.{jpg|png}`.
    pub fn path(&self, kind: CardKind) -> anyhow::Result<String> {
        let key = self.card(kind)?.key()?;
        Ok(format!(
            "{}-{}.{}",
            ambassador_card_stem(self.code, kind, self.locale),
            key.as_str(),
            kind.format().0
        ))
    }

    /// The link picture for the page's Open Graph tags.
    pub fn meta_image(&self) -> anyhow::Result<MetaImage> {
        Ok(MetaImage {
            url: self.site.absolute(&self.path(CardKind::Preview)?),
            width: crate::cards::preview::WIDTH,
            height: crate::cards::preview::HEIGHT,
            alt: fill(
                self.locale.words().poster_alt(),
                &[("name", self.name), ("campaign", &self.campaign.title)],
            ),
        })
    }
}

/// `/cards/a/{code}/{kind}-{language}`: an ambassador's card before its key and extension.
fn ambassador_card_stem(code: &ShareCode, kind: CardKind, locale: Locale) -> String {
    format!("/cards/a/{code}/{}-{}", kind.as_str(), locale.tag())
}

/// Where an ambassador's poster in `locale` is, whatever it shows now (the address leads to
/// the current one).
pub fn poster_path(code: &ShareCode, locale: Locale) -> String {
    let kind = CardKind::Poster;
    format!(
        "{}.{}",
        ambassador_card_stem(code, kind, locale),
        kind.format().0
    )
}

/// The folder a page's link pictures are served from.
pub fn page_card_folder(
    campaign: &crate::slug::Slug,
    kind: PageKind,
    artwork: &crate::slug::Slug,
) -> String {
    match kind {
        PageKind::Landing => format!("/cards/campaigns/{campaign}"),
        PageKind::Artwork => format!("/cards/campaigns/{campaign}/artworks/{artwork}"),
    }
}

/// A link picture's progress: whole percents, so a card is drawn anew at most once per
/// percent; under one percent, an invitation to be among the first instead of "0%".
struct ProgressLines {
    label: String,
    goal: String,
    percent: u8,
}

impl ProgressLines {
    fn of(progress: &Progress, locale: Locale) -> ProgressLines {
        let t = locale.words();
        let percent = progress.percent().floor();
        let (label, goal) = if percent < 1.0 {
            (t.card_early_label().to_owned(), t.card_early().to_owned())
        } else {
            (
                format!("{percent:.0}%"),
                fill(t.card_goal(), &[("goal", &progress.goal.format(locale))]),
            )
        };
        ProgressLines {
            label,
            goal,
            percent: u8::try_from(progress.basis_points() / 100).unwrap_or(100),
        }
    }
}

/// The organiser's logo in the media store, when the campaign has one.
pub(crate) fn logo_key(campaign: &Campaign) -> Option<MediaKey> {
    let logo = campaign.organiser.as_ref()?.logo.as_ref()?;
    logo.url.strip_prefix("/media/").and_then(MediaKey::parse)
}

/// The artwork's picture in the media store.
pub(crate) fn art_key(artwork: &ArtworkCard) -> anyhow::Result<MediaKey> {
    artwork
        .image
        .url
        .strip_prefix("/media/")
        .and_then(MediaKey::parse)
        .context("an artwork's image is not in the media store")
}
