//! The artwork as a card shows it: cropped to the card's frame and scaled once.

use image::imageops::FilterType;
use image::{DynamicImage, RgbImage};

/// `source` cropped around its centre to the shape of `width` x `height`, then scaled to it.
pub fn cover(source: &DynamicImage, width: u32, height: u32) -> RgbImage {
    let (sw, sh) = (source.width().max(1), source.height().max(1));
    // Compare aspect ratios without rounding: sw/sh against width/height.
    let (crop_w, crop_h) = if u64::from(sw) * u64::from(height) > u64::from(sh) * u64::from(width) {
        let w = (u64::from(sh) * u64::from(width) / u64::from(height.max(1))).max(1);
        (u32::try_from(w).unwrap_or(sw), sh)
    } else {
        let h = (u64::from(sw) * u64::from(height) / u64::from(width.max(1))).max(1);
        (sw, u32::try_from(h).unwrap_or(sh))
    };
    let cropped = source.crop_imm((sw - crop_w) / 2, (sh - crop_h) / 2, crop_w, crop_h);
    cropped
        .resize_exact(width, height, FilterType::Triangle)
        .to_rgb8()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn a_wide_picture_is_cropped_at_its_sides_to_fill_a_tall_frame() {
        // Red edges, green middle: the crop keeps the middle.
        let mut wide = RgbImage::from_pixel(300, 100, Rgb([200, 0, 0]));
        for x in 100..200 {
            for y in 0..100 {
                wide.put_pixel(x, y, Rgb([0, 200, 0]));
            }
        }
        let framed = cover(&DynamicImage::ImageRgb8(wide), 40, 50);
        assert_eq!(framed.dimensions(), (40, 50));
        assert_eq!(*framed.get_pixel(2, 25), Rgb([0, 200, 0]));
        assert_eq!(*framed.get_pixel(37, 25), Rgb([0, 200, 0]));
    }
}
