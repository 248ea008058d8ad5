//! The account picture of a campaign, `/cards/campaigns/{slug}/account-{language}-{key}.jpg`:
//! the account its log states at the published checkpoint, drawn beside its first painting for
//! the campaign's own social posts. Its name changes with every figure, so each address is
//! cached for good.

use crate::artworks::ArtworkCard;
use crate::campaigns::Campaign;
use crate::cards::account::{AccountPicture, Figure};
use crate::cards::render::{Card, Design};
use crate::i18n::{fill, Locale};
use crate::money::format_minor;
use crate::seo::MetaImage;
use crate::site::PublicUrl;
use crate::spending::Account;

/// A campaign's account picture in a language.
pub struct AccountCard<'a> {
    pub site: &'a PublicUrl,
    pub campaign: &'a Campaign,
    /// The painting the campaign opens with.
    pub artwork: &'a ArtworkCard,
    pub account: &'a Account,
    pub locale: Locale,
}

impl AccountCard<'_> {
    /// The card to draw.
    pub fn card(&self) -> anyhow::Result<Card> {
        let t = self.locale.words();
        let a = self.account;
        let currency = self.campaign.goal.currency();
        let figure = |label: &str, minor: i64, total: bool| Figure {
            label: label.to_owned(),
            amount: format_minor(minor, currency, self.locale),
            total,
        };
        let figures = vec![
            figure(t.account_given(), a.raised_minor, false),
            figure(t.account_refunded(), -a.refunded_minor, false),
            figure(t.account_fees(), -a.fees_minor, false),
            figure(t.account_received(), a.received_minor, true),
            figure(t.account_spent(), -a.spent_minor, false),
            match a.balance() {
                (true, advanced) => figure(t.account_advanced(), advanced, true),
                (false, remaining) => figure(t.account_remaining(), remaining, true),
            },
        ];
        let spent_per_mille = if a.received_minor > 0 {
            (a.spent_minor.clamp(0, a.received_minor) * 1000 / a.received_minor) as u16
        } else {
            0
        };
        let spent = (spent_per_mille + 5) / 10;
        let bar_label = if a.balance().0 {
            t.account_card_overspent().to_owned()
        } else {
            fill(
                t.account_card_bar(),
                &[
                    ("spent", &spent.to_string()),
                    ("remaining", &(100 - spent).to_string()),
                ],
            )
        };
        let picture = AccountPicture {
            campaign: self.campaign.title.clone(),
            heading: t.account_heading().to_owned(),
            figures,
            spent_per_mille,
            bar_label,
            source: fill(
                t.account_card_source(),
                &[("size", &a.checkpoint_size.to_string())],
            ),
            call: fill(t.account_card_call(), &[("host", self.site.host())]),
        };
        Ok(Card {
            design: Design::Account(picture),
            art: crate::sharing::cards::art_key(self.artwork)?,
            logo: crate::sharing::cards::logo_key(self.campaign),
        })
    }

    /// Where the card is served now.
    pub fn path(&self) -> anyhow::Result<String> {
        let key = self.card()?.key()?;
        Ok(format!(
            "/cards/campaigns/{}/account-{}-{}.jpg",
            self.campaign.slug,
            self.locale.tag(),
            key.as_str()
        ))
    }

    /// The picture for the ledger page's Open Graph tags.
    pub fn meta_image(&self) -> anyhow::Result<MetaImage> {
        Ok(MetaImage {
            url: self.site.absolute(&self.path()?),
            width: crate::cards::account::WIDTH,
            height: crate::cards::account::HEIGHT,
            alt: fill(
                self.locale.words().account_card_alt(),
                &[("campaign", &self.campaign.title)],
            ),
        })
    }
}
