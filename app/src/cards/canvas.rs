//! The surface a card is painted on: an RGB image with the few shapes cards use, blended with
//! anti-aliased edges.

use image::{Rgb, RgbImage, RgbaImage};

/// A colour as `0xRRGGBB`, the way the stylesheet writes them.
pub const fn rgb(hex: u32) -> Rgb<u8> {
    Rgb([(hex >> 16) as u8, (hex >> 8) as u8, hex as u8])
}

/// The site's palette (see `style/main.css`).
pub const PAPER: Rgb<u8> = rgb(0xf6efe4);
pub const CARD: Rgb<u8> = rgb(0xfffaf2);
pub const WHITE: Rgb<u8> = rgb(0xffffff);
pub const INK: Rgb<u8> = rgb(0x2b2118);
pub const INK_SOFT: Rgb<u8> = rgb(0x6b5b4b);
pub const ACCENT: Rgb<u8> = rgb(0xd9482b);
pub const SUN: Rgb<u8> = rgb(0xf2b632);
pub const LINE: Rgb<u8> = rgb(0xe4d6c3);

/// A card being painted.
pub struct Canvas {
    image: RgbImage,
}

impl Canvas {
    /// A `width` x `height` canvas filled with `background`.
    pub fn new(width: u32, height: u32, background: Rgb<u8>) -> Canvas {
        Canvas {
            image: RgbImage::from_pixel(width, height, background),
        }
    }

    pub fn width(&self) -> u32 {
        self.image.width()
    }

    pub fn height(&self) -> u32 {
        self.image.height()
    }

    /// The finished picture.
    pub fn into_image(self) -> RgbImage {
        self.image
    }

    /// The picture so far, for QR codes and tests.
    pub fn image_mut(&mut self) -> &mut RgbImage {
        &mut self.image
    }

    /// Lays `color` over the pixel at (`x`, `y`) with `coverage` between 0 and 1. Points outside
    /// the canvas are ignored, so nothing drawn can write out of bounds.
    pub fn blend(&mut self, x: i64, y: i64, color: Rgb<u8>, coverage: f32) {
        let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y)) else {
            return;
        };
        if x >= self.image.width() || y >= self.image.height() || coverage <= 0.0 {
            return;
        }
        let alpha = coverage.min(1.0);
        let pixel = self.image.get_pixel_mut(x, y);
        for (channel, &over) in pixel.0.iter_mut().zip(color.0.iter()) {
            let mixed = f32::from(*channel) + (f32::from(over) - f32::from(*channel)) * alpha;
            *channel = mixed.round().clamp(0.0, 255.0) as u8;
        }
    }

    /// Fills a rectangle with rounded corners of `radius` pixels (0 for square ones).
    pub fn rounded_rect(&mut self, x: i64, y: i64, w: u32, h: u32, radius: f32, color: Rgb<u8>) {
        let (w, h) = (i64::from(w), i64::from(h));
        let r = radius.min(w as f32 / 2.0).min(h as f32 / 2.0).max(0.0);
        let x_end = (x + w).min(i64::from(self.width()));
        let y_end = (y + h).min(i64::from(self.height()));
        for py in y.max(0)..y_end {
            for px in x.max(0)..x_end {
                let coverage = corner_coverage(px - x, py - y, w, h, r);
                if coverage >= 1.0 {
                    self.image.put_pixel(px as u32, py as u32, color);
                } else {
                    self.blend(px, py, color, coverage);
                }
            }
        }
    }

    /// Lays `picture` over the canvas through its transparency, with its top-left corner at
    /// (`x`, `y`), clipped to the canvas.
    pub fn overlay(&mut self, picture: &RgbaImage, x: i64, y: i64) {
        for (px, py, pixel) in picture.enumerate_pixels() {
            let [r, g, b, a] = pixel.0;
            let at = (x + i64::from(px), y + i64::from(py));
            self.blend(at.0, at.1, Rgb([r, g, b]), f32::from(a) / 255.0);
        }
    }

    /// Copies `picture` with its top-left corner at (`x`, `y`), clipped to the canvas.
    pub fn paste(&mut self, picture: &RgbImage, x: i64, y: i64) {
        image::imageops::replace(&mut self.image, picture, x, y);
    }
}

/// How much of the pixel at (`px`, `py`) inside a `w` x `h` box lies within its rounded corners.
fn corner_coverage(px: i64, py: i64, w: i64, h: i64, r: f32) -> f32 {
    if r <= 0.0 {
        return 1.0;
    }
    let (cx, cy) = (px as f32 + 0.5, py as f32 + 0.5);
    let nearest_x = cx.clamp(r, w as f32 - r);
    let nearest_y = cy.clamp(r, h as f32 - r);
    let distance = ((cx - nearest_x).powi(2) + (cy - nearest_y).powi(2)).sqrt();
    (r - distance + 0.5).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_drawn_past_the_edges_are_clipped() {
        let mut canvas = Canvas::new(10, 10, PAPER);
        canvas.rounded_rect(-5, -5, 30, 30, 4.0, INK);
        canvas.blend(-1, 3, INK, 1.0);
        canvas.blend(3, 99, INK, 1.0);
        canvas.paste(&RgbImage::from_pixel(4, 4, ACCENT), 8, 8);
        let image = canvas.into_image();
        assert_eq!(*image.get_pixel(5, 5), INK);
        assert_eq!(*image.get_pixel(9, 9), ACCENT);
    }

    #[test]
    fn rounded_corners_leave_the_background_showing() {
        let mut canvas = Canvas::new(40, 40, PAPER);
        canvas.rounded_rect(0, 0, 40, 40, 12.0, INK);
        let image = canvas.into_image();
        assert_eq!(*image.get_pixel(0, 0), PAPER);
        assert_eq!(*image.get_pixel(20, 20), INK);
        assert_eq!(*image.get_pixel(20, 0), INK);
    }
}
