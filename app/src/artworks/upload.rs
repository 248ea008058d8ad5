//! Turning an uploaded image into an artwork's stored pictures.
//!
//! The file's own bytes say what it is (JPEG, PNG or WebP; the name and the browser's word are
//! ignored). Its header is read before any pixel is: a file that claims more than
//! [`MAX_SIDE`] pixels a side is refused before it can allocate, which is what stops a
//! decompression bomb, and decoding itself runs under `image`'s memory limits. The picture is
//! turned upright as its EXIF orientation says and encoded afresh, so no metadata (camera,
//! place, time) reaches the public. All of it runs off the async runtime, two at a time.

use crate::media::{MediaKey, MediaStore};
use image::{DynamicImage, ImageBuffer, ImageDecoder, ImageFormat, ImageReader, Pixel, RgbImage};
use std::io::Cursor;
use tokio::sync::Semaphore;

/// The largest file accepted.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// The most pixels a side may have.
pub const MAX_SIDE: u32 = 8000;
/// The stored picture fits in this square; larger ones are scaled down.
const FULL_SIDE: u32 = 2000;
/// Gallery thumbnails fit in this square.
const THUMB_SIDE: u32 = 640;
/// The stored pictures' JPEG quality.
pub const JPEG_QUALITY: u8 = 82;
/// The most memory one decode may take.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// Why an upload was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UploadError {
    #[error("the file is larger than 20 MB")]
    TooBig,
    #[error("the file is not a JPEG, PNG or WebP image")]
    WrongType,
    #[error("the image is larger than 8000 x 8000 pixels")]
    TooManyPixels,
    #[error("the image could not be read; it may be damaged or cut short")]
    Unreadable,
}

/// An artwork's pictures, stored: the full image and its thumbnail, with their sizes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredImages {
    pub image: (MediaKey, u32, u32),
    pub thumb: (MediaKey, u32, u32),
}

/// Memory, in MiB, that the uploads being decoded at once may take together. An upload
/// reserves what its header says it will need before it decodes, and waits while others hold
/// the rest, so a burst of the largest images cannot take more than this (plus their files).
const DECODE_BUDGET_MIB: u32 = 768;

/// The memory budget itself, shared by artwork uploads and the images of expense documents.
static BUDGET: Semaphore = Semaphore::const_new(DECODE_BUDGET_MIB as usize);

/// Checks, decodes, turns upright and stores an uploaded image, off the async runtime, within
/// the memory budget shared by all uploads.
pub async fn store(media: &MediaStore, bytes: Vec<u8>) -> Result<StoredImages, StoreError> {
    let _reserved = reserve(&bytes).await?;
    let media = media.clone();
    tokio::task::spawn_blocking(move || {
        let upright = decode(&bytes)?;
        drop(bytes);
        save(&media, &upright).map_err(StoreError::Internal)
    })
    .await
    .map_err(|e| StoreError::Internal(e.into()))?
}

/// An uploaded image drawn again, upright, as a JPEG (`png`: false) or a PNG, without anything
/// the file carried besides its pixels (the camera, the place, the time), within the same
/// memory budget as artwork uploads.
pub async fn redraw(bytes: Vec<u8>, png: bool) -> Result<Vec<u8>, StoreError> {
    let _reserved = reserve(&bytes).await?;
    tokio::task::spawn_blocking(move || {
        let upright = decode(&bytes)?;
        drop(bytes);
        if png {
            let mut out = Cursor::new(Vec::new());
            DynamicImage::ImageRgb8(upright)
                .write_to(&mut out, ImageFormat::Png)
                .map_err(|e| StoreError::Internal(e.into()))?;
            Ok(out.into_inner())
        } else {
            crate::cards::encode_jpeg(&upright, JPEG_QUALITY).map_err(StoreError::Internal)
        }
    })
    .await
    .map_err(|e| StoreError::Internal(e.into()))?
}

/// Waits for the memory decoding this file needs, from the budget all uploads share.
async fn reserve(bytes: &[u8]) -> Result<tokio::sync::SemaphorePermit<'static>, StoreError> {
    let needs = decode_cost_mib(bytes)?;
    BUDGET
        .acquire_many(needs)
        .await
        .map_err(|e| StoreError::Internal(e.into()))
}

/// The most memory, in MiB, that decoding and storing this file takes at any one time, from
/// its header alone: the decoded pixels beside their white-backed copy, or that copy turned
/// upright, or that copy beside the scaled-down pictures.
fn decode_cost_mib(bytes: &[u8]) -> Result<u32, UploadError> {
    let decoder = reader(bytes)?.into_decoder().map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(UploadError::TooManyPixels);
    }
    let rgb = u64::from(width) * u64::from(height) * 3;
    let scaling = u64::from(2 * FULL_SIDE).pow(2) * 3 + u64::from(2 * FULL_SIDE * FULL_SIDE) * 16;
    let peak = (decoder.total_bytes() + rgb)
        .max(2 * rgb)
        .max(rgb + scaling);
    let mib = peak.div_ceil(1024 * 1024);
    u32::try_from(mib)
        .ok()
        .filter(|&mib| mib <= DECODE_BUDGET_MIB)
        .ok_or(UploadError::TooManyPixels)
}
/// A refusal of the upload, or a failure on our side.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Refused(#[from] UploadError),
    #[error(transparent)]
    Internal(anyhow::Error),
}

/// The image in `bytes`, upright, or why it is refused.
pub fn decode(bytes: &[u8]) -> Result<RgbImage, UploadError> {
    let (picture, orientation) = open(bytes)?;
    let mut upright = DynamicImage::ImageRgb8(on_white(&picture));
    drop(picture);
    upright.apply_orientation(orientation);
    Ok(upright.into_rgb8())
}

/// The longest side of a stored logo.
const LOGO_SIDE: u32 = 480;

/// Checks, decodes and stores a company's logo, as artwork uploads are checked (its type from
/// its bytes, so SVG and anything else is refused; its pixels counted before decoding), scaled
/// to fit [`LOGO_SIDE`] and stored as a PNG that keeps its transparency and nothing else.
/// Returns the stored file and its size.
pub async fn store_logo(
    media: &MediaStore,
    bytes: Vec<u8>,
) -> Result<(MediaKey, u32, u32), StoreError> {
    let _reserved = reserve(&bytes).await?;
    let media = media.clone();
    tokio::task::spawn_blocking(move || {
        let (picture, orientation) = open(&bytes)?;
        drop(bytes);
        let mut upright = DynamicImage::ImageRgba8(picture.into_rgba8());
        upright.apply_orientation(orientation);
        let logo = fit(&upright.into_rgba8(), LOGO_SIDE);
        let mut png = Cursor::new(Vec::new());
        logo.write_to(&mut png, ImageFormat::Png)
            .map_err(|e| StoreError::Internal(e.into()))?;
        let key = media
            .put(&png.into_inner(), "png")
            .map_err(StoreError::Internal)?;
        Ok((key, logo.width(), logo.height()))
    })
    .await
    .map_err(|e| StoreError::Internal(e.into()))?
}

/// The picture in `bytes` as decoded, with the turn its EXIF asks for, or why it is refused.
fn open(bytes: &[u8]) -> Result<(DynamicImage, image::metadata::Orientation), UploadError> {
    if bytes.len() > MAX_BYTES {
        return Err(UploadError::TooBig);
    }
    let format = image::guess_format(bytes).map_err(|_| UploadError::WrongType)?;
    // The JPEG decoder paints whatever a cut-short file lacks in grey rather than failing; a
    // complete JPEG ends with its end-of-image marker.
    if format == ImageFormat::Jpeg && !ends_with_end_of_image(bytes) {
        return Err(UploadError::Unreadable);
    }
    let mut decoder = reader(bytes)?.into_decoder().map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(UploadError::TooManyPixels);
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let picture = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    Ok((picture, orientation))
}

/// A reader for an accepted format, under `image`'s memory limits.
fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, UploadError> {
    let format = image::guess_format(bytes).map_err(|_| UploadError::WrongType)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(UploadError::WrongType);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    Ok(reader)
}

/// Whether a JPEG file ends with its end-of-image marker (`FF D9`), padding aside.
fn ends_with_end_of_image(bytes: &[u8]) -> bool {
    let end = bytes
        .iter()
        .rposition(|b| !matches!(b, 0x00 | b'\r' | b'\n' | b' '))
        .map_or(0, |i| i + 1);
    bytes[..end].ends_with(&[0xff, 0xd9])
}

fn refusal(error: image::ImageError) -> UploadError {
    match error {
        image::ImageError::Limits(_) => UploadError::TooManyPixels,
        image::ImageError::Unsupported(_) => UploadError::WrongType,
        _ => UploadError::Unreadable,
    }
}

/// The picture as 8-bit RGB without transparency: see-through parts become white paper, not
/// black. Read pixel by pixel, so a deep image is never copied whole at another depth.
fn on_white(picture: &DynamicImage) -> RgbImage {
    use image::GenericImageView;
    if !picture.color().has_alpha() {
        return picture.to_rgb8();
    }
    RgbImage::from_fn(picture.width(), picture.height(), |x, y| {
        let [r, g, b, a] = picture.get_pixel(x, y).0;
        let mix = |c: u8| {
            let c = u32::from(c) * u32::from(a) + 255 * (255 - u32::from(a));
            u8::try_from(c / 255).unwrap_or(u8::MAX)
        };
        image::Rgb([mix(r), mix(g), mix(b)])
    })
}

/// Stores the full picture (at most [`FULL_SIDE`] a side) and its thumbnail as JPEG, at a
/// quality where brush textures look as painted and a gallery of thumbnails stays light on a
/// phone's link (quality 82 with colour at half resolution: a quarter fewer bytes than the
/// image crate's 88 at full colour resolution, measured on the demo paintings).
fn save(media: &MediaStore, upright: &RgbImage) -> anyhow::Result<StoredImages> {
    let full = fit(upright, FULL_SIDE);
    let thumb = fit(&full, THUMB_SIDE);
    let put = |picture: &RgbImage| -> anyhow::Result<(MediaKey, u32, u32)> {
        let bytes = crate::cards::encode_jpeg(picture, JPEG_QUALITY)?;
        Ok((media.put(&bytes, "jpg")?, picture.width(), picture.height()))
    };
    Ok(StoredImages {
        image: put(&full)?,
        thumb: put(&thumb)?,
    })
}

/// The picture scaled down to fit a `side` square (never up).
fn fit<P>(picture: &ImageBuffer<P, Vec<u8>>, side: u32) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    let (w, h) = picture.dimensions();
    if w <= side && h <= side {
        return picture.clone();
    }
    let size = |n: u32, side: u32| {
        let scale = f64::from(side) / f64::from(w.max(h));
        ((f64::from(n) * scale).round() as u32).max(1)
    };
    // Lanczos keeps a floating-point copy as wide as its input: a very large picture is first
    // averaged down to twice the size, which bounds that copy and looks the same.
    if w.max(h) > 2 * side {
        let half = image::imageops::thumbnail(picture, size(w, 2 * side), size(h, 2 * side));
        return fit(&half, side);
    }
    image::imageops::resize(
        picture,
        size(w, side),
        size(h, side),
        image::imageops::FilterType::Lanczos3,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::ImageEncoder;

    fn picture(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 90]))
    }

    fn encoded(format: ImageFormat, picture: &RgbImage) -> Vec<u8> {
        let mut bytes = Cursor::new(Vec::new());
        picture.write_to(&mut bytes, format).expect("encodes");
        bytes.into_inner()
    }

    #[test]
    fn jpeg_png_and_webp_are_read() {
        for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
            let upright = decode(&encoded(format, &picture(30, 20))).expect("an image");
            assert_eq!(upright.dimensions(), (30, 20), "{format:?}");
        }
    }

    #[test]
    fn other_files_and_damaged_images_are_refused() {
        assert_eq!(decode(b"GIF89a\x01\x00"), Err(UploadError::WrongType));
        assert_eq!(
            decode(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Err(UploadError::WrongType)
        );
        assert_eq!(decode(b""), Err(UploadError::WrongType));
        let jpeg = encoded(ImageFormat::Jpeg, &picture(64, 64));
        assert_eq!(
            decode(&jpeg[..jpeg.len() / 3]),
            Err(UploadError::Unreadable)
        );
        let png = encoded(ImageFormat::Png, &picture(64, 64));
        assert_eq!(decode(&png[..png.len() / 2]), Err(UploadError::Unreadable));
        assert_eq!(decode(&vec![0xff; MAX_BYTES + 1]), Err(UploadError::TooBig));
    }

    #[test]
    fn a_file_claiming_huge_dimensions_is_refused_before_it_is_decoded() {
        let bomb = png_claiming(30_000, 30_000);
        assert_eq!(decode(&bomb), Err(UploadError::TooManyPixels));
        let wide = png_claiming(MAX_SIDE + 1, 10);
        assert_eq!(decode(&wide), Err(UploadError::TooManyPixels));
    }

    #[test]
    fn exif_orientation_is_applied_and_not_kept() {
        // A little-endian TIFF block with one entry: orientation 6, "rotate 90° clockwise".
        let exif = [
            0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x01, 0x03, 0x00,
            0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];
        let source = picture(40, 20);
        let mut bytes = Vec::new();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90);
        encoder.set_exif_metadata(exif.to_vec()).expect("exif");
        encoder
            .write_image(source.as_raw(), 40, 20, image::ExtendedColorType::Rgb8)
            .expect("encodes");
        let upright = decode(&bytes).expect("an image");
        assert_eq!(upright.dimensions(), (20, 40));
        let dir = std::env::temp_dir().join(format!("gg-upload-{}", std::process::id()));
        let media = MediaStore::open(&dir).expect("store");
        let stored = save(&media, &upright).expect("stored");
        let written = std::fs::read(media.path(&stored.image.0)).expect("read");
        assert!(
            !written.windows(4).any(|w| w == b"Exif"),
            "metadata stripped"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn large_pictures_are_scaled_down_for_storage_and_thumbnails() {
        let dir = std::env::temp_dir().join(format!("gg-upload-fit-{}", std::process::id()));
        let media = MediaStore::open(&dir).expect("store");
        let stored = save(&media, &picture(3000, 1500)).expect("stored");
        assert_eq!((stored.image.1, stored.image.2), (2000, 1000));
        assert_eq!((stored.thumb.1, stored.thumb.2), (640, 320));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn transparent_parts_become_white() {
        let mut rgba = image::RgbaImage::new(2, 1);
        rgba.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        rgba.put_pixel(1, 0, image::Rgba([10, 20, 30, 255]));
        let mut bytes = Cursor::new(Vec::new());
        DynamicImage::ImageRgba8(rgba)
            .write_to(&mut bytes, ImageFormat::Png)
            .expect("encodes");
        let upright = decode(bytes.get_ref()).expect("an image");
        assert_eq!(upright.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(upright.get_pixel(1, 0).0, [10, 20, 30]);
    }

    /// A valid 1x1 PNG whose header then claims `w` x `h` pixels, with the header's checksum
    /// fixed so only the size gives it away.
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        let mut png = encoded(ImageFormat::Png, &picture(1, 1));
        // Signature (8), IHDR length (4), "IHDR" (4), then width and height.
        png[16..20].copy_from_slice(&w.to_be_bytes());
        png[20..24].copy_from_slice(&h.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        png
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffff_u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
