//! Share images: what a donor posts so friends can scan their way to the campaign.
//!
//! A certificate (phone wallpaper with a QR code) and a link preview (Open Graph card) are painted
//! from plain text and the artwork by `certificate` and `preview`, on a `canvas` with `text` set in
//! the shipped fonts.

pub mod account;
pub mod artwork;
pub mod canvas;
pub mod certificate;
pub mod poster;
pub mod preview;
pub mod qr;
pub mod render;
pub mod text;

pub use jpeg::{encode_jpeg, encode_within};

mod jpeg {
    use anyhow::Context;
    use image::RgbImage;
    use jpeg_encoder::{ColorType, Encoder, SamplingFactor};

    /// The qualities tried, best first. Paintings measured fit at the first; a picture of pure
    /// noise needs the last.
    const QUALITIES: [u8; 5] = [86, 76, 64, 50, 35];

    /// The picture as a JPEG of at most `max_bytes`, at the best quality that fits. Text and the
    /// QR code are dark on light, so they live in brightness, which JPEG keeps at full
    /// resolution; colour is sampled at half (4:2:0), as cameras and chat apps do.
    pub fn encode_within(image: &RgbImage, max_bytes: usize) -> anyhow::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        for quality in QUALITIES {
            bytes = encode_jpeg(image, quality)?;
            if bytes.len() <= max_bytes {
                break;
            }
        }
        Ok(bytes)
    }

    /// The picture as a JPEG at `quality` (1 to 100), colour at half resolution.
    pub fn encode_jpeg(image: &RgbImage, quality: u8) -> anyhow::Result<Vec<u8>> {
        let width = u16::try_from(image.width()).context("a picture too wide for JPEG")?;
        let height = u16::try_from(image.height()).context("a picture too tall for JPEG")?;
        let mut bytes = Vec::with_capacity(image.as_raw().len() / 8);
        let mut encoder = Encoder::new(&mut bytes, quality);
        encoder.set_sampling_factor(SamplingFactor::F_2_2);
        encoder
            .encode(image.as_raw(), width, height, ColorType::Rgb)
            .context("encoding a picture as JPEG")?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::certificate::{self, Certificate};
    use super::poster;
    use super::preview::{self, Preview};
    use super::qr::tests::read_codes;
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
            became: Some("doubled by the match: ¥40".into()),
            presented_by: Some("Presented by Lantern Harbour Group".into()),
            number: "No. 1,024".into(),
            date: "29 August 2017".into(),
            scan: "Scan to adopt an artwork too".into(),
            host: "give.example.org".into(),
            share_url: "https://give.example.org/s/k3xa9qpl7m2z".into(),
        }
    }

    fn sample_preview(donor: &str) -> Preview {
        Preview {
            presented_by: Some("Presented by Lantern Harbour Group".into()),
            campaign: "The Children's Gallery".into(),
            headline: donor.into(),
            stranger: "A kind stranger".into(),
            subtitle: "adopted “Boats at Dawn”".into(),
            byline: "by Chen Hao, 9".into(),
            percent_label: "37%".into(),
            percent: 37,
            goal: "of the ¥15,000,000 goal".into(),
            call: "Adopt one too at give.example.org".into(),
        }
    }

    fn decode(jpeg: &[u8]) -> DynamicImage {
        image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).expect("a valid JPEG")
    }

    /// Every pixel random: the worst case for compression.
    fn noise(width: u32, height: u32) -> RgbImage {
        let mut noise = RgbImage::new(width, height);
        let mut seed = 0x2545_f491_u32;
        for pixel in noise.pixels_mut() {
            for channel in pixel.0.iter_mut() {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                *channel = seed as u8;
            }
        }
        noise
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
            let jpeg = sample_certificate(name)
                .jpeg(fonts, &certificate_art, None)
                .expect("renders");
            assert_eq!(decode(&jpeg).dimensions(), (1080, 1920), "{name}");
            assert!(jpeg.len() <= certificate::MAX_BYTES);
            let jpeg = sample_preview(name)
                .jpeg(fonts, &preview_art, None)
                .expect("renders");
            assert_eq!(decode(&jpeg).dimensions(), (1200, 630), "{name}");
            assert!(jpeg.len() <= preview::MAX_BYTES);
        }
    }

    #[test]
    fn cards_of_noise_are_still_within_their_size_budgets() {
        let fonts = Fonts::shared();
        let art = noise(certificate::ART_WIDTH, certificate::ART_HEIGHT);
        let jpeg = sample_certificate("Mei")
            .jpeg(fonts, &art, None)
            .expect("renders");
        assert!(jpeg.len() <= certificate::MAX_BYTES, "{} bytes", jpeg.len());
        let art = noise(preview::ART_WIDTH, preview::ART_HEIGHT);
        let jpeg = sample_preview("Mei")
            .jpeg(fonts, &art, None)
            .expect("renders");
        assert!(jpeg.len() <= preview::MAX_BYTES, "{} bytes", jpeg.len());
    }

    #[test]
    fn a_certificate_scans_at_a_quarter_of_its_size() {
        // A wallpaper shown small, in a chat or on a screen across a room: a quarter of its
        // pixels, half its width and height.
        let url = "https://give.example.org/s/k3xa9qpl7m2z";
        let jpeg = sample_certificate("王小明")
            .jpeg(
                Fonts::shared(),
                &art(certificate::ART_WIDTH, certificate::ART_HEIGHT),
                None,
            )
            .expect("renders");
        let card = decode(&jpeg);
        assert_eq!(read_codes(&card), vec![url.to_owned()]);
        let quarter = card.resize(
            certificate::WIDTH / 2,
            certificate::HEIGHT / 2,
            image::imageops::FilterType::Triangle,
        );
        assert_eq!(quarter.dimensions(), (540, 960));
        assert_eq!(read_codes(&quarter), vec![url.to_owned()]);
    }

    #[test]
    fn a_poster_is_an_a4_png_whose_code_scans_also_printed_at_half_size() {
        let url = "https://give.example.org/a/k3xa9qpl7m2z";
        let poster = poster::Poster {
            campaign: "The Children's Gallery".into(),
            presented_by: Some("Presented by Lantern Harbour Group".into()),
            headline: "王小明邀请您".into(),
            stranger: "一位好心人邀请您".into(),
            tagline: "Every painting adopted pays for a month of art classes.".repeat(4),
            scan: "扫码捐赠".into(),
            address: "give.example.org/a/k3xa9qpl7m2z".into(),
            footer: "销售部团队 · 为小画家基金".into(),
            url: url.into(),
        };
        let png = poster
            .png(
                Fonts::shared(),
                &art(poster::ART_WIDTH, poster::ART_HEIGHT),
                Some(&red_disc(48)),
            )
            .expect("renders");
        let page = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
            .expect("a valid PNG");
        assert_eq!(page.dimensions(), (1240, 1754), "A4's proportions");
        assert_eq!(read_codes(&page), vec![url.to_owned()]);
        let half = page.resize(620, 877, image::imageops::FilterType::Triangle);
        assert_eq!(read_codes(&half), vec![url.to_owned()]);
    }

    #[test]
    fn a_long_name_on_a_certificate_stays_inside_the_card() {
        // The name's row is the card's background beyond the text margins.
        let fonts = Fonts::shared();
        let art = art(certificate::ART_WIDTH, certificate::ART_HEIGHT);
        let short = sample_certificate("Mei")
            .draw(fonts, &art, None)
            .expect("renders");
        let long = sample_certificate(&"W".repeat(500))
            .draw(fonts, &art, None)
            .expect("renders");
        let background = *short.get_pixel(60, 1400);
        for y in 1300..1500 {
            for x in (50..100).chain(980..1030) {
                assert_eq!(*long.get_pixel(x, y), background, "ink at ({x}, {y})");
            }
        }
    }

    /// A red disc on a transparent square, as a logo with its own shape.
    fn red_disc(side: u32) -> image::RgbaImage {
        let r = side as f32 / 2.0;
        image::RgbaImage::from_fn(side, side, |x, y| {
            let (dx, dy) = (x as f32 + 0.5 - r, y as f32 + 0.5 - r);
            let inside = dx * dx + dy * dy <= r * r;
            image::Rgba([220, 20, 20, if inside { 255 } else { 0 }])
        })
    }

    fn reddish(pixel: &image::Rgb<u8>) -> bool {
        let [r, g, b] = pixel.0;
        r > 180 && g < 80 && b < 80
    }

    #[test]
    fn the_organisers_logo_sits_beside_presented_by_and_its_transparency_shows_the_card() {
        let fonts = Fonts::shared();
        let art = art(certificate::ART_WIDTH, certificate::ART_HEIGHT);
        let logo = red_disc(40);
        let with = sample_certificate("Mei")
            .draw(fonts, &art, Some(&logo))
            .expect("renders");
        let without = sample_certificate("Mei")
            .draw(fonts, &art, None)
            .expect("renders");
        // The band above the campaign's name.
        let band = |card: &RgbImage| {
            (60..112)
                .flat_map(|y| (60..1020).map(move |x| (x, y)))
                .filter(|&(x, y)| reddish(card.get_pixel(x, y)))
                .collect::<Vec<_>>()
        };
        let red = band(&with);
        assert!(
            red.len() > 1_000,
            "the disc is drawn: {} red pixels",
            red.len()
        );
        assert!(band(&without).is_empty(), "no red without a logo");
        // Its transparent corners leave the card's colour, and it stays clear of the text.
        let (x0, y0) = red
            .iter()
            .fold((u32::MAX, u32::MAX), |(a, b), &(x, y)| (a.min(x), b.min(y)));
        assert_eq!(with.get_pixel(x0, y0 + 1), without.get_pixel(x0, y0 + 1));
        assert!(
            x0 < certificate::WIDTH / 2,
            "the logo comes before the centred line"
        );

        let art = super::tests::art(preview::ART_WIDTH, preview::ART_HEIGHT);
        let preview = sample_preview("Mei").draw(fonts, &art, Some(&red_disc(36)));
        let red = (30..70)
            .flat_map(|y| (560..760).map(move |x| (x, y)))
            .filter(|&(x, y)| reddish(preview.get_pixel(x, y)))
            .count();
        assert!(red > 600, "the preview shows it too: {red}");
    }
}
