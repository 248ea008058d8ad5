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

/// Keeps the top `bits` of each channel in the `width` x `height` region at the top left, so
/// brush textures compress: at 5 bits the steps are below what the eye sees in a painting.
pub fn posterize(image: &mut RgbImage, width: u32, height: u32, bits: u8) {
    let bits = bits.clamp(1, 8);
    let keep = 0xFF_u8 << (8 - bits);
    for y in 0..height.min(image.height()) {
        for x in 0..width.min(image.width()) {
            for channel in image.get_pixel_mut(x, y).0.iter_mut() {
                // Fill the dropped bits from the kept ones so white stays white.
                let high = *channel & keep;
                *channel = high | (high >> bits);
            }
        }
    }
}

/// Replaces the `width` x `height` region at the top left by blocks of `block` pixels in their
/// average colour: the last resort for a picture too noisy to compress otherwise.
pub fn pixelate(image: &mut RgbImage, width: u32, height: u32, block: u32) {
    let (width, height, block) = (
        width.min(image.width()),
        height.min(image.height()),
        block.max(1),
    );
    for top in (0..height).step_by(block as usize) {
        for left in (0..width).step_by(block as usize) {
            let (right, bottom) = ((left + block).min(width), (top + block).min(height));
            let mut sum = [0_u32; 3];
            for y in top..bottom {
                for x in left..right {
                    for (total, &channel) in sum.iter_mut().zip(image.get_pixel(x, y).0.iter()) {
                        *total += u32::from(channel);
                    }
                }
            }
            let count = (right - left) * (bottom - top);
            let average = image::Rgb(sum.map(|total| (total / count) as u8));
            for y in top..bottom {
                for x in left..right {
                    image.put_pixel(x, y, average);
                }
            }
        }
    }
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

    #[test]
    fn posterizing_touches_only_its_region_and_keeps_black_and_white() {
        let mut image = RgbImage::from_pixel(4, 1, Rgb([0x93, 0xff, 0x00]));
        posterize(&mut image, 2, 1, 4);
        assert_eq!(*image.get_pixel(0, 0), Rgb([0x99, 0xff, 0x00]));
        assert_eq!(*image.get_pixel(3, 0), Rgb([0x93, 0xff, 0x00]));
    }

    #[test]
    fn pixelating_averages_blocks_inside_its_region() {
        let mut image = RgbImage::from_fn(4, 2, |x, _| Rgb([if x % 2 == 0 { 0 } else { 200 }; 3]));
        pixelate(&mut image, 2, 2, 2);
        assert_eq!(*image.get_pixel(0, 0), Rgb([100; 3]));
        assert_eq!(*image.get_pixel(1, 1), Rgb([100; 3]));
        assert_eq!(*image.get_pixel(3, 0), Rgb([200; 3]));
    }
}
