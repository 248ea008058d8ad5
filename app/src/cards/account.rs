//! The account picture: a 1200x630 card of where a campaign's money stands, as its signed
//! ledger states it, for the campaign's own social posts. A strip of its first painting on the
//! left; on the right the figures (given, fees, received, spent, remaining), a bar of what was
//! received split into spent and remaining, and the checkpoint the figures come from.

use super::canvas::{Canvas, ACCENT, INK, INK_SOFT, LINE, PAPER, SUN};
use super::jpeg::encode_within;
use super::text::{fitted, line, Fonts, Style, Weight};
use image::{RgbImage, RgbaImage};
use serde::Serialize;

/// Open Graph's size, as the link pictures.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// A strip of the painting on the left.
pub const ART_WIDTH: u32 = 300;
pub const ART_HEIGHT: u32 = 630;
/// The most room the organiser's logo takes, in pixels (width, height).
pub const LOGO_BOX: (u32, u32) = (180, 36);

const LEFT: f32 = 364.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - LEFT - 56.0;

/// One figure of the account: its label and its amount, already written out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub label: String,
    pub amount: String,
    /// A subtotal, drawn bold.
    pub total: bool,
}

/// Everything the account picture says, already in the page's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccountPicture {
    pub campaign: String,
    /// "Where the money stands".
    pub heading: String,
    pub figures: Vec<Figure>,
    /// What was spent, in thousandths of what was received (the bar's filled part).
    pub spent_per_mille: u16,
    /// "Spent 38% · remaining 62%".
    pub bar_label: String,
    /// "From the signed public ledger, checkpoint of 1,234 entries".
    pub source: String,
    /// "Check every entry at give.example.org".
    pub call: String,
}

impl AccountPicture {
    /// The picture as a JPEG within the link pictures' size limit.
    pub fn jpeg(
        &self,
        fonts: &Fonts,
        art: &RgbImage,
        logo: Option<&RgbaImage>,
    ) -> anyhow::Result<Vec<u8>> {
        encode_within(&self.draw(fonts, art, logo), super::preview::MAX_BYTES)
    }

    /// Paints the picture beside `art` (`ART_WIDTH` x `ART_HEIGHT`), with the organiser's
    /// `logo` at the top right when there is one.
    pub fn draw(&self, fonts: &Fonts, art: &RgbImage, logo: Option<&RgbaImage>) -> RgbImage {
        let mut canvas = Canvas::new(WIDTH, HEIGHT, PAPER);
        canvas.paste(art, 0, 0);
        canvas.rounded_rect(i64::from(ART_WIDTH), 0, 8, HEIGHT, 0.0, SUN);
        let mut campaign_width = TEXT_WIDTH;
        if let Some(logo) = logo {
            let x = (LEFT + TEXT_WIDTH) as i64 - i64::from(logo.width());
            canvas.overlay(logo, x, 40);
            campaign_width -= logo.width() as f32 + 16.0;
        }
        let campaign = Style::new(26.0, Weight::Bold, ACCENT);
        line(fonts, &self.campaign, campaign, campaign_width).draw(fonts, &mut canvas, LEFT, 66.0);
        let heading = Style::new(52.0, Weight::Bold, INK);
        fitted(
            fonts,
            &self.heading,
            heading,
            &[52.0, 44.0, 38.0],
            TEXT_WIDTH,
        )
        .draw(fonts, &mut canvas, LEFT, 132.0);

        // The figures: labels on the left, amounts on the right, a rule under each subtotal.
        let mut baseline = 190.0;
        for figure in &self.figures {
            let weight = if figure.total {
                Weight::Bold
            } else {
                Weight::Regular
            };
            let style = Style::new(28.0, weight, INK);
            let amount = line(fonts, &figure.amount, style, TEXT_WIDTH / 2.0);
            amount.draw(
                fonts,
                &mut canvas,
                LEFT + TEXT_WIDTH - amount.width(),
                baseline,
            );
            let label_width = TEXT_WIDTH - amount.width() - 24.0;
            line(fonts, &figure.label, style, label_width).draw(fonts, &mut canvas, LEFT, baseline);
            if figure.total {
                canvas.rounded_rect(
                    LEFT as i64,
                    baseline as i64 + 12,
                    TEXT_WIDTH as u32,
                    2,
                    0.0,
                    LINE,
                );
                baseline += 6.0;
            }
            baseline += 38.0;
        }

        // What was received: spent, and what remains.
        let bar_top = 456;
        let bar_width = TEXT_WIDTH as u32;
        canvas.rounded_rect(LEFT as i64, bar_top, bar_width, 24, 12.0, LINE);
        let filled =
            (u64::from(bar_width) * u64::from(self.spent_per_mille.min(1000)) / 1000) as u32;
        if filled > 0 {
            canvas.rounded_rect(LEFT as i64, bar_top, filled.max(24), 24, 12.0, ACCENT);
        }
        let small = Style::new(24.0, Weight::Regular, INK_SOFT);
        line(fonts, &self.bar_label, small, TEXT_WIDTH).draw(fonts, &mut canvas, LEFT, 516.0);
        line(fonts, &self.source, small, TEXT_WIDTH).draw(fonts, &mut canvas, LEFT, 552.0);
        let call = Style::new(24.0, Weight::Bold, INK);
        line(fonts, &self.call, call, TEXT_WIDTH).draw(fonts, &mut canvas, LEFT, 592.0);
        canvas.into_image()
    }
}
