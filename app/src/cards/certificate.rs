//! The certificate: a 1080x1920 phone wallpaper with the artwork, who made it, who adopted it,
//! and a QR code that opens the donor's share page.

use super::canvas::{Canvas, ACCENT, CARD, INK, INK_SOFT, LINE, PAPER, WHITE};
use super::jpeg::encode_within;
use super::qr::Qr;
use super::text::{centered_with_logo, drawable_or, fitted, line, wrapped, Fonts, Style, Weight};
use image::{RgbImage, RgbaImage};
use serde::Serialize;

/// A phone wallpaper's size.
pub const WIDTH: u32 = 1080;
pub const HEIGHT: u32 = 1920;
/// The most a certificate may weigh: it is downloaded on the thank-you page, often on a phone's
/// data plan, and shared on from there. Decimal kilobytes, the stricter reading of "350 KB".
pub const MAX_BYTES: usize = 350_000;
/// The artwork's frame, the 4:5 of the gallery's pictures.
pub const ART_WIDTH: u32 = 680;
pub const ART_HEIGHT: u32 = 850;

const MARGIN: f32 = 110.0;
const CENTER: f32 = WIDTH as f32 / 2.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;
/// The most room the organiser's logo takes, in pixels (width, height).
pub const LOGO_BOX: (u32, u32) = (220, 44);
/// The QR code's target side in pixels; the module size is rounded to whole pixels.
const QR_TARGET: u32 = 240;

/// Everything a certificate says, already in the donor's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Certificate {
    pub campaign: String,
    pub heading: String,
    pub artwork_title: String,
    pub byline: String,
    pub adopted_by: String,
    pub donor: String,
    /// Drawn instead of `donor` when no font has its characters.
    pub stranger: String,
    /// "with a gift of ¥20", when the donor chose to show the amount.
    pub amount: Option<String>,
    /// "doubled by the match: ¥40", when a match added to the gift and the amount shows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub became: Option<String>,
    /// "Presented by …", when a company presents the campaign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presented_by: Option<String>,
    pub number: String,
    pub date: String,
    pub scan: String,
    pub host: String,
    /// Where the QR code leads: the donor's share page.
    pub share_url: String,
}

impl Certificate {
    /// The certificate as a JPEG within `MAX_BYTES`.
    pub fn jpeg(
        &self,
        fonts: &Fonts,
        art: &RgbImage,
        logo: Option<&RgbaImage>,
    ) -> anyhow::Result<Vec<u8>> {
        encode_within(&self.draw(fonts, art, logo)?, MAX_BYTES)
    }

    /// Paints the certificate around `art`, which is `ART_WIDTH` x `ART_HEIGHT`, with the
    /// organiser's `logo` (at most `LOGO_BOX`) beside "Presented by".
    pub fn draw(
        &self,
        fonts: &Fonts,
        art: &RgbImage,
        logo: Option<&RgbaImage>,
    ) -> anyhow::Result<RgbImage> {
        let mut canvas = Canvas::new(WIDTH, HEIGHT, PAPER);
        canvas.rounded_rect(40, 40, WIDTH - 80, HEIGHT - 80, 36.0, CARD);

        if let Some(presented_by) = &self.presented_by {
            let style = Style::new(24.0, Weight::Regular, INK_SOFT);
            let (width, place) = ((CENTER, TEXT_WIDTH), (86, 94.0));
            centered_with_logo(
                fonts,
                &mut canvas,
                (presented_by, style),
                logo,
                width,
                place,
            );
        }
        let campaign = Style::new(32.0, Weight::Bold, ACCENT);
        line(fonts, &self.campaign, campaign, TEXT_WIDTH).draw_centered(
            fonts,
            &mut canvas,
            CENTER,
            138.0,
        );
        let heading = Style::new(56.0, Weight::Bold, INK);
        line(fonts, &self.heading, heading, TEXT_WIDTH).draw_centered(
            fonts,
            &mut canvas,
            CENTER,
            214.0,
        );

        let art_x = i64::from((WIDTH - ART_WIDTH) / 2);
        let art_y = 262;
        canvas.rounded_rect(
            art_x - 20,
            art_y - 16,
            ART_WIDTH + 40,
            ART_HEIGHT + 40,
            10.0,
            LINE,
        );
        canvas.rounded_rect(
            art_x - 24,
            art_y - 24,
            ART_WIDTH + 48,
            ART_HEIGHT + 48,
            8.0,
            WHITE,
        );
        canvas.paste(art, art_x, art_y);

        let mut baseline = (art_y + i64::from(ART_HEIGHT)) as f32 + 96.0;
        let title = Style::new(46.0, Weight::Bold, INK);
        for row in wrapped(fonts, &self.artwork_title, title, TEXT_WIDTH, 2) {
            row.draw_centered(fonts, &mut canvas, CENTER, baseline);
            baseline += 58.0;
        }
        let byline = Style::new(32.0, Weight::Regular, INK_SOFT);
        line(fonts, &self.byline, byline, TEXT_WIDTH).draw_centered(
            fonts,
            &mut canvas,
            CENTER,
            baseline,
        );

        baseline += 76.0;
        let label = Style::new(30.0, Weight::Regular, INK_SOFT);
        line(fonts, &self.adopted_by, label, TEXT_WIDTH).draw_centered(
            fonts,
            &mut canvas,
            CENTER,
            baseline,
        );
        baseline += 88.0;
        let donor = Style::new(84.0, Weight::Bold, INK);
        let name = drawable_or(fonts, &self.donor, &self.stranger, Weight::Bold);
        fitted(fonts, &name, donor, &[84.0, 72.0, 60.0, 52.0], TEXT_WIDTH).draw_centered(
            fonts,
            &mut canvas,
            CENTER,
            baseline,
        );
        if let Some(amount) = &self.amount {
            baseline += 54.0;
            let style = Style::new(34.0, Weight::Regular, INK);
            line(fonts, amount, style, TEXT_WIDTH).draw_centered(
                fonts,
                &mut canvas,
                CENTER,
                baseline,
            );
            if let Some(became) = &self.became {
                baseline += 46.0;
                let style = Style::new(30.0, Weight::Bold, ACCENT);
                line(fonts, became, style, TEXT_WIDTH).draw_centered(
                    fonts,
                    &mut canvas,
                    CENTER,
                    baseline,
                );
            }
        }

        self.draw_footer(fonts, &mut canvas)?;
        Ok(canvas.into_image())
    }

    /// The number, the date and the QR code along the bottom.
    fn draw_footer(&self, fonts: &Fonts, canvas: &mut Canvas) -> anyhow::Result<()> {
        let qr = Qr::new(&self.share_url)?;
        let module = (QR_TARGET / qr.modules()).max(3);
        let side = qr.side(module);
        let right = WIDTH - MARGIN as u32;
        let bottom = HEIGHT - 96;
        let (qr_x, qr_y) = (right.saturating_sub(side), bottom.saturating_sub(side));
        canvas.rounded_rect(100, i64::from(qr_y) - 40, WIDTH - 200, 2, 0.0, LINE);
        qr.draw(canvas.image_mut(), qr_x, qr_y, module, INK, WHITE);

        let x = MARGIN;
        let width = qr_x as f32 - 40.0 - x;
        let mut baseline = qr_y as f32 + 50.0;
        let number = Style::new(40.0, Weight::Bold, INK);
        line(fonts, &self.number, number, width).draw(fonts, canvas, x, baseline);
        baseline += 48.0;
        let date = Style::new(30.0, Weight::Regular, INK_SOFT);
        line(fonts, &self.date, date, width).draw(fonts, canvas, x, baseline);
        baseline += 70.0;
        let scan = Style::new(30.0, Weight::Regular, INK);
        for row in wrapped(fonts, &self.scan, scan, width, 2) {
            row.draw(fonts, canvas, x, baseline);
            baseline += 40.0;
        }
        let host = Style::new(30.0, Weight::Bold, ACCENT);
        line(fonts, &self.host, host, width).draw(fonts, canvas, x, baseline);
        Ok(())
    }
}
