//! The link picture: a 1200x630 Open Graph card with the artwork, a headline (the donor's name on
//! a share, the artwork's or the campaign's title on their pages), the campaign and how far it
//! has come.

use super::canvas::{Canvas, ACCENT, INK, INK_SOFT, LINE, PAPER, SUN};
use super::jpeg::encode_within;
use super::text::{drawable_or, fitted, line, wrapped, Fonts, Style, Weight};
use image::{RgbImage, RgbaImage};
use serde::Serialize;

/// Open Graph's size.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
/// The artwork fills the left of the card at the gallery's 4:5.
pub const ART_WIDTH: u32 = 504;
pub const ART_HEIGHT: u32 = 630;

/// The most a preview may weigh: chat apps and crawlers give up on larger images.
/// Counted in decimal kilobytes, the stricter reading of "150 KB".
pub const MAX_BYTES: usize = 150_000;

const LEFT: f32 = 568.0;
/// The most room the organiser's logo takes, in pixels (width, height).
pub const LOGO_BOX: (u32, u32) = (180, 36);
const TEXT_WIDTH: f32 = WIDTH as f32 - LEFT - 52.0;

/// Everything a preview says, already in the sharer's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub campaign: String,
    /// The donor's name, or the title of the artwork or campaign.
    pub headline: String,
    /// Drawn instead of `headline` when no font has its characters.
    pub stranger: String,
    /// "adopted “Boats at Dawn”", or the campaign's tagline: up to two lines.
    pub subtitle: String,
    pub byline: String,
    /// "37%".
    pub percent_label: String,
    /// How full the bar is, 0 to 100.
    pub percent: u8,
    /// "of the ¥15,000,000 goal".
    pub goal: String,
    /// "Adopt one too at give.example.org".
    pub call: String,
    /// "Presented by …", when a company presents the campaign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub presented_by: Option<String>,
}

impl Preview {
    /// The preview as a JPEG within `MAX_BYTES`.
    pub fn jpeg(
        &self,
        fonts: &Fonts,
        art: &RgbImage,
        logo: Option<&RgbaImage>,
    ) -> anyhow::Result<Vec<u8>> {
        encode_within(&self.draw(fonts, art, logo), MAX_BYTES)
    }

    /// Paints the preview around `art`, which is `ART_WIDTH` x `ART_HEIGHT`, with the
    /// organiser's `logo` (at most `LOGO_BOX`) before "Presented by".
    pub fn draw(&self, fonts: &Fonts, art: &RgbImage, logo: Option<&RgbaImage>) -> RgbImage {
        let mut canvas = Canvas::new(WIDTH, HEIGHT, PAPER);
        canvas.paste(art, 0, 0);
        canvas.rounded_rect(i64::from(ART_WIDTH), 0, 8, HEIGHT, 0.0, SUN);

        if let Some(presented_by) = &self.presented_by {
            let style = Style::new(22.0, Weight::Regular, INK_SOFT);
            let indent = logo.map_or(0.0, |l| l.width() as f32 + 10.0);
            if let Some(logo) = logo {
                // On the text's middle.
                canvas.overlay(logo, LEFT as i64, 49 - i64::from(logo.height() / 2));
            }
            line(fonts, presented_by, style, TEXT_WIDTH - indent).draw(
                fonts,
                &mut canvas,
                LEFT + indent,
                56.0,
            );
        }
        let campaign = Style::new(26.0, Weight::Bold, ACCENT);
        line(fonts, &self.campaign, campaign, TEXT_WIDTH).draw(fonts, &mut canvas, LEFT, 96.0);
        let donor = Style::new(68.0, Weight::Bold, INK);
        let name = drawable_or(fonts, &self.headline, &self.stranger, Weight::Bold);
        fitted(fonts, &name, donor, &[68.0, 56.0, 46.0, 40.0], TEXT_WIDTH).draw(
            fonts,
            &mut canvas,
            LEFT,
            190.0,
        );
        let mut baseline = 250.0;
        let subtitle = Style::new(34.0, Weight::Regular, INK);
        for row in wrapped(fonts, &self.subtitle, subtitle, TEXT_WIDTH, 2) {
            row.draw(fonts, &mut canvas, LEFT, baseline);
            baseline += 46.0;
        }
        let byline = Style::new(26.0, Weight::Regular, INK_SOFT);
        line(fonts, &self.byline, byline, TEXT_WIDTH).draw(fonts, &mut canvas, LEFT, baseline);

        let percent = Style::new(44.0, Weight::Bold, ACCENT);
        let percent = line(fonts, &self.percent_label, percent, TEXT_WIDTH / 2.0);
        percent.draw(fonts, &mut canvas, LEFT, 474.0);
        let goal = Style::new(26.0, Weight::Regular, INK_SOFT);
        let goal_x = LEFT + percent.width() + 14.0;
        line(fonts, &self.goal, goal, LEFT + TEXT_WIDTH - goal_x).draw(
            fonts,
            &mut canvas,
            goal_x,
            474.0,
        );
        let bar_width = TEXT_WIDTH as u32;
        canvas.rounded_rect(LEFT as i64, 496, bar_width, 22, 11.0, LINE);
        let filled = bar_width * u32::from(self.percent.min(100)) / 100;
        if filled > 0 {
            canvas.rounded_rect(LEFT as i64, 496, filled.max(22), 22, 11.0, ACCENT);
        }

        let call = Style::new(28.0, Weight::Bold, INK);
        line(fonts, &self.call, call, TEXT_WIDTH).draw(fonts, &mut canvas, LEFT, 580.0);
        canvas.into_image()
    }
}
