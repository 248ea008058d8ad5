//! Share images: what a donor posts so friends can scan their way to the campaign.
//!
//! A certificate (phone wallpaper with a QR code) and a link preview (Open Graph card) are painted
//! from plain text and the artwork by `certificate` and `preview`, on a `canvas` with `text` set in
//! the shipped fonts.

pub mod artwork;
pub mod canvas;
pub mod certificate;
pub mod preview;
pub mod qr;
pub mod render;
pub mod text;

pub use png::{encode_png, Compression};

mod png {
    use anyhow::Context;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::{ImageEncoder, RgbImage};

    /// What a PNG is squeezed for.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Compression {
        /// The quickest encoding: a downloaded wallpaper can be large.
        Fastest,
        /// Smaller files at a few milliseconds more: link previews have a size budget.
        Small,
    }

    /// The picture as a PNG.
    pub fn encode_png(image: &RgbImage, compression: Compression) -> anyhow::Result<Vec<u8>> {
        let (level, filter) = match compression {
            Compression::Fastest => (CompressionType::Fast, FilterType::Adaptive),
            // Measured on painted artwork: deflate level 1 with the Sub filter is as fast as any
            // setting below the budget, and Sub beats Adaptive on brush textures.
            Compression::Small => (CompressionType::Level(1), FilterType::Sub),
        };
        let mut bytes = Vec::with_capacity(512 * 1024);
        PngEncoder::new_with_quality(&mut bytes, level, filter)
            .write_image(
                image.as_raw(),
                image.width(),
                image.height(),
                image::ExtendedColorType::Rgb8,
            )
            .context("encoding a card as PNG")?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::certificate::{self, Certificate};
    use super::preview::{self, Preview};
    use super::text::Fonts;
    use super::*;
    use crate::artworks::paint::{paint, Motif, PALETTES};
    use image::{DynamicImage, GenericImageView, RgbImage};

    fn art(width: u32, height: u32) -> RgbImage {
        let painted = paint(7, &PALETTES[1], Motif::ALL[2], 960, 1200);
        artwork::cover(&DynamicImage::ImageRgb8(painted), width, height)
    }

    fn sample_certificate(donor: &str) -> Certificate {
        Certificate {
            campaign: "The Children's Gallery".into(),
            heading: "Certificate of adoption".into(),
            artwork_title: "Boats at Dawn".into(),
            byline: "by Chen Hao, 9".into(),
            adopted_by: "adopted by".into(),
            donor: donor.into(),
            stranger: "A kind stranger".into(),
            amount: Some("with a gift of ¥20".into()),
            number: "No. 1,024".into(),
            date: "29 August 2017".into(),
            scan: "Scan to adopt an artwork too".into(),
            host: "give.example.org".into(),
            share_url: "https://give.example.org/s/k3xa9qpl7m2z".into(),
        }
    }

    fn sample_preview(donor: &str) -> Preview {
        Preview {
            campaign: "The Children's Gallery".into(),
            donor: donor.into(),
            stranger: "A kind stranger".into(),
            adopted: "adopted “Boats at Dawn”".into(),
            byline: "by Chen Hao, 9".into(),
            percent_label: "37%".into(),
            percent: 37,
            goal: "of the ¥15,000,000 goal".into(),
            call: "Adopt one too at give.example.org".into(),
        }
    }

    fn decode(png: &[u8]) -> DynamicImage {
        image::load_from_memory_with_format(png, image::ImageFormat::Png).expect("a valid PNG")
    }

    #[test]
    fn cards_have_their_sizes_whatever_the_name() {
        let fonts = Fonts::shared();
        let certificate_art = art(certificate::ART_WIDTH, certificate::ART_HEIGHT);
        let preview_art = art(preview::ART_WIDTH, preview::ART_HEIGHT);
        let long = "Ñandú Ωmega 王 ".repeat(36);
        for name in [
            "Zoë Ångström",
            "王小明",
            &long[..long.char_indices().nth(500).map_or(long.len(), |(i, _)| i)],
            "\u{202E}مرحبا 👨\u{200D}👩\u{200D}👧 <script>x</script>\u{0000}\u{0007}",
            "",
        ] {
            let png = sample_certificate(name)
                .png(fonts, &certificate_art)
                .expect("renders");
            assert_eq!(decode(&png).dimensions(), (1080, 1920), "{name}");
            let png = sample_preview(name)
                .png(fonts, &preview_art)
                .expect("renders");
            assert_eq!(decode(&png).dimensions(), (1200, 630), "{name}");
            assert!(png.len() <= preview::MAX_BYTES);
        }
    }

    #[test]
    fn a_preview_of_noise_is_still_within_its_size_budget() {
        // The worst case for compression: every pixel of the artwork random.
        let mut noise = RgbImage::new(preview::ART_WIDTH, preview::ART_HEIGHT);
        let mut seed = 0x2545_f491_u32;
        for pixel in noise.pixels_mut() {
            for channel in pixel.0.iter_mut() {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                *channel = seed as u8;
            }
        }
        let png = sample_preview("Mei")
            .png(Fonts::shared(), &noise)
            .expect("renders");
        assert!(png.len() <= preview::MAX_BYTES, "{} bytes", png.len());
    }

    #[test]
    fn a_long_name_on_a_certificate_stays_inside_the_card() {
        // The name's row is the card's background beyond the text margins.
        let fonts = Fonts::shared();
        let art = art(certificate::ART_WIDTH, certificate::ART_HEIGHT);
        let short = sample_certificate("Mei")
            .draw(fonts, &art)
            .expect("renders");
        let long = sample_certificate(&"W".repeat(500))
            .draw(fonts, &art)
            .expect("renders");
        let background = *short.get_pixel(60, 1400);
        for y in 1300..1500 {
            for x in (50..100).chain(980..1030) {
                assert_eq!(*long.get_pixel(x, y), background, "ink at ({x}, {y})");
            }
        }
    }
}
