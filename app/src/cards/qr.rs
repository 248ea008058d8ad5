//! QR codes drawn into images: the link inside every certificate and card.

use anyhow::Context;
use image::{Rgb, RgbImage};
use qrcode::{Color, EcLevel, QrCode};

/// Modules of light margin around the code, as the QR standard asks, so scanners find it.
pub const QUIET_ZONE: u32 = 4;

/// A QR code for a URL, at error-correction level M (a phone camera reads it through a little
/// glare or a crease).
pub struct Qr {
    code: QrCode,
}

impl Qr {
    pub fn new(url: &str) -> anyhow::Result<Qr> {
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
            .context("the URL is too long for a QR code")?;
        Ok(Qr { code })
    }

    /// Modules per side, quiet zone included.
    pub fn modules(&self) -> u32 {
        u32::try_from(self.code.width()).unwrap_or(u32::MAX) + 2 * QUIET_ZONE
    }

    /// The side in pixels at `module` pixels per module, quiet zone included.
    pub fn side(&self, module: u32) -> u32 {
        self.modules().saturating_mul(module)
    }

    /// Draws the code, quiet zone included, with its top-left corner at (`x`, `y`). Whatever
    /// falls outside the image is left out.
    pub fn draw(
        &self,
        image: &mut RgbImage,
        x: u32,
        y: u32,
        module: u32,
        dark: Rgb<u8>,
        light: Rgb<u8>,
    ) {
        let width = self.code.width();
        let colors = self.code.to_colors();
        let side = self.side(module);
        for py in 0..side {
            for px in 0..side {
                let (ix, iy) = (x.saturating_add(px), y.saturating_add(py));
                if ix >= image.width() || iy >= image.height() {
                    continue;
                }
                let (mx, my) = (px / module, py / module);
                let inside = |m: u32| m >= QUIET_ZONE && ((m - QUIET_ZONE) as usize) < width;
                let is_dark = inside(mx)
                    && inside(my)
                    && colors[(my - QUIET_ZONE) as usize * width + (mx - QUIET_ZONE) as usize]
                        == Color::Dark;
                image.put_pixel(ix, iy, if is_dark { dark } else { light });
            }
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    const INK: Rgb<u8> = Rgb([43, 33, 24]);
    const PAPER: Rgb<u8> = Rgb([255, 250, 242]);

    /// The texts of the QR codes found in `image`.
    pub(in crate::cards) fn read_codes(image: &image::DynamicImage) -> Vec<String> {
        let mut prepared = rqrr::PreparedImage::prepare(image.to_luma8());
        prepared
            .detect_grids()
            .iter()
            .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
            .collect()
    }

    fn decode(image: &RgbImage) -> Vec<String> {
        read_codes(&image::DynamicImage::ImageRgb8(image.clone()))
    }

    #[test]
    fn a_drawn_code_scans_back_to_its_url() {
        for url in [
            "https://give.example.org/s/k3Xa9QpL",
            &format!("https://give.example.org/s/{}", "x".repeat(180)),
        ] {
            let qr = Qr::new(url).expect("fits");
            let mut image =
                RgbImage::from_pixel(qr.side(6) + 40, qr.side(6) + 40, Rgb([224, 112, 58]));
            qr.draw(&mut image, 20, 20, 6, INK, PAPER);
            assert_eq!(decode(&image), vec![url.to_owned()]);
        }
    }

    #[test]
    fn the_quiet_zone_is_drawn_light() {
        let qr = Qr::new("https://give.example.org/s/a").expect("fits");
        let mut image = RgbImage::from_pixel(qr.side(3), qr.side(3), INK);
        qr.draw(&mut image, 0, 0, 3, INK, PAPER);
        let margin = QUIET_ZONE * 3;
        for i in 0..margin {
            assert_eq!(*image.get_pixel(i, i), PAPER);
            assert_eq!(*image.get_pixel(qr.side(3) - 1 - i, i), PAPER);
        }
    }

    #[test]
    fn a_code_partly_outside_the_image_is_clipped_and_data_too_long_is_refused() {
        let qr = Qr::new("https://give.example.org/s/a").expect("fits");
        let mut small = RgbImage::from_pixel(20, 20, PAPER);
        qr.draw(&mut small, 10, 10, 4, INK, PAPER);
        assert!(Qr::new(&"x".repeat(5_000)).is_err());
    }
}
