//! The ambassador's poster: an A4 page (1240x1754, A4 at 150 dpi) for a desk, a lift or a
//! notice board, with the campaign's painting, who invites, and a QR code large enough to scan
//! from across a table that opens the ambassador's page. A PNG: printed, the QR code and the
//! text keep sharp edges.

use super::canvas::{Canvas, ACCENT, CARD, INK, INK_SOFT, LINE, PAPER, WHITE};
use super::qr::Qr;
use super::text::{centered_with_logo, drawable_or, fitted, line, wrapped, Fonts, Style, Weight};
use anyhow::Context;
use image::{RgbImage, RgbaImage};
use serde::Serialize;

/// A4's proportions (210 x 297 mm) at 150 dots per inch.
pub const WIDTH: u32 = 1240;
pub const HEIGHT: u32 = 1754;
/// The painting's frame, the 4:5 of the gallery's pictures.
pub const ART_WIDTH: u32 = 560;
pub const ART_HEIGHT: u32 = 700;
/// The most room the organiser's logo takes, in pixels (width, height).
pub const LOGO_BOX: (u32, u32) = (260, 52);

const MARGIN: f32 = 110.0;
const CENTER: f32 = WIDTH as f32 / 2.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;
/// The QR code's target side in pixels (about 7 cm printed); modules are whole pixels.
const QR_TARGET: u32 = 420;
/// Where the painting and the QR code sit.
const ROW_TOP: u32 = 540;

/// Everything a poster says, already in its language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Poster {
    pub campaign: String,
    /// "Presented by …", when a company presents the campaign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presented_by: Option<String>,
    /// "Mei invites you".
    pub headline: String,
    /// Drawn instead of `headline` when no font has its characters.
    pub stranger: String,
    /// The campaign's tagline: up to three lines.
    pub tagline: String,
    /// "Scan to give".
    pub scan: String,
    /// The page's address without its scheme, for those who type it.
    pub address: String,
    /// "Team Sales · for the Little Painters' Fund".
    pub footer: String,
    /// Where the QR code leads: the ambassador's page.
    pub url: String,
}

impl Poster {
    /// The poster as a PNG.
    pub fn png(
        &self,
        fonts: &Fonts,
        art: &RgbImage,
        logo: Option<&RgbaImage>,
    ) -> anyhow::Result<Vec<u8>> {
        use image::ImageEncoder;
        let image = self.draw(fonts, art, logo)?;
        let mut bytes = Vec::new();
        image::codecs::png::PngEncoder::new(&mut bytes)
            .write_image(
                image.as_raw(),
                image.width(),
                image.height(),
                image::ExtendedColorType::Rgb8,
            )
            .context("encoding a poster as PNG")?;
        Ok(bytes)
    }

    /// Paints the poster around `art`, which is `ART_WIDTH` x `ART_HEIGHT`, with the
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
            let style = Style::new(30.0, Weight::Regular, INK_SOFT);
            let (width, place) = ((CENTER, TEXT_WIDTH), (110, 120.0));
            centered_with_logo(
                fonts,
                &mut canvas,
                (presented_by, style),
                logo,
                width,
                place,
            );
        }
        let campaign = Style::new(44.0, Weight::Bold, ACCENT);
        line(fonts, &self.campaign, campaign, TEXT_WIDTH).draw_centered(
            fonts,
            &mut canvas,
            CENTER,
            196.0,
        );
        let headline = Style::new(96.0, Weight::Bold, INK);
        let said = drawable_or(fonts, &self.headline, &self.stranger, Weight::Bold);
        fitted(
            fonts,
            &said,
            headline,
            &[96.0, 80.0, 68.0, 56.0],
            TEXT_WIDTH,
        )
        .draw_centered(fonts, &mut canvas, CENTER, 310.0);
        let mut baseline = 384.0;
        let tagline = Style::new(38.0, Weight::Regular, INK);
        for row in wrapped(fonts, &self.tagline, tagline, TEXT_WIDTH, 3) {
            row.draw_centered(fonts, &mut canvas, CENTER, baseline);
            baseline += 50.0;
        }

        // The painting on the left, framed as on the certificate; the QR code on the right.
        let art_x = MARGIN as i64;
        let art_y = i64::from(ROW_TOP);
        canvas.rounded_rect(
            art_x - 16,
            art_y - 16,
            ART_WIDTH + 32,
            ART_HEIGHT + 32,
            8.0,
            LINE,
        );
        canvas.paste(art, art_x, art_y);

        let qr = Qr::new(&self.url)?;
        let module = (QR_TARGET / qr.modules()).max(4);
        let side = qr.side(module);
        let column_left = MARGIN as u32 + ART_WIDTH + 40;
        let column_width = WIDTH - MARGIN as u32 - column_left;
        let qr_x = column_left + column_width.saturating_sub(side) / 2;
        canvas.rounded_rect(
            i64::from(qr_x) - 12,
            i64::from(ROW_TOP) - 12,
            side + 24,
            side + 24,
            12.0,
            LINE,
        );
        qr.draw(canvas.image_mut(), qr_x, ROW_TOP, module, INK, WHITE);
        let column_center = column_left as f32 + column_width as f32 / 2.0;
        let mut below = (ROW_TOP + side) as f32 + 84.0;
        let scan = Style::new(52.0, Weight::Bold, ACCENT);
        line(fonts, &self.scan, scan, column_width as f32).draw_centered(
            fonts,
            &mut canvas,
            column_center,
            below,
        );
        below += 52.0;
        let address = Style::new(28.0, Weight::Regular, INK);
        line(fonts, &self.address, address, column_width as f32).draw_centered(
            fonts,
            &mut canvas,
            column_center,
            below,
        );

        let rule_y = i64::from(ROW_TOP + ART_HEIGHT) + 90;
        canvas.rounded_rect(MARGIN as i64, rule_y, TEXT_WIDTH as u32, 3, 0.0, LINE);
        let mut baseline = rule_y as f32 + 90.0;
        let footer = Style::new(40.0, Weight::Regular, INK_SOFT);
        for row in wrapped(fonts, &self.footer, footer, TEXT_WIDTH, 2) {
            row.draw_centered(fonts, &mut canvas, CENTER, baseline);
            baseline += 54.0;
        }
        Ok(canvas.into_image())
    }
}
