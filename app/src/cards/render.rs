//! Rendering cards on demand, each once: a card is named by a hash of everything drawn on it,
//! stored under that name, and served from there ever after. Painting runs on blocking threads,
//! a few at a time, and concurrent first requests for one card wait for a single render.

use super::account::{self, AccountPicture};
use super::artwork;
use super::certificate::{self, Certificate};
use super::poster::{self, Poster};
use super::preview::{self, Preview};
use super::text::Fonts;
use crate::media::{MediaKey, MediaStore};
use anyhow::Context;
use image::{RgbImage, RgbaImage};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{OnceCell, Semaphore};

/// Bumped whenever the design or the file format changes, so every card is drawn anew under a
/// new name (2: JPEG instead of PNG).
const DESIGN_VERSION: u32 = 2;
/// Prepared artworks kept in memory: a campaign has dozens, and every card of one reuses it.
const ART_CACHE: usize = 48;
/// The largest artwork file decoded, in pixels a side (uploads are checked against the same).
const MAX_ART_SIDE: u32 = 8000;

/// Which card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardKind {
    /// The 1080x1920 wallpaper with the QR code.
    Certificate,
    /// The 1200x630 link preview.
    Preview,
    /// The ambassador's A4 poster, a PNG.
    Poster,
    /// The 1200x630 picture of a campaign's account.
    Account,
}

impl CardKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CardKind::Certificate => "certificate",
            CardKind::Preview => "preview",
            CardKind::Poster => "poster",
            CardKind::Account => "account",
        }
    }

    /// The file's extension and media type.
    pub fn format(self) -> (&'static str, &'static str) {
        match self {
            CardKind::Certificate | CardKind::Preview | CardKind::Account => ("jpg", "image/jpeg"),
            CardKind::Poster => ("png", "image/png"),
        }
    }

    pub fn parse(text: &str) -> Option<CardKind> {
        match text {
            "certificate" => Some(CardKind::Certificate),
            "preview" => Some(CardKind::Preview),
            "poster" => Some(CardKind::Poster),
            "account" => Some(CardKind::Account),
            _ => None,
        }
    }

    /// The card's size in pixels.
    pub fn size(self) -> (u32, u32) {
        match self {
            CardKind::Certificate => (certificate::WIDTH, certificate::HEIGHT),
            CardKind::Preview => (preview::WIDTH, preview::HEIGHT),
            CardKind::Poster => (poster::WIDTH, poster::HEIGHT),
            CardKind::Account => (account::WIDTH, account::HEIGHT),
        }
    }

    /// The artwork's frame on the card.
    fn art_size(self) -> (u32, u32) {
        match self {
            CardKind::Certificate => (certificate::ART_WIDTH, certificate::ART_HEIGHT),
            CardKind::Preview => (preview::ART_WIDTH, preview::ART_HEIGHT),
            CardKind::Poster => (poster::ART_WIDTH, poster::ART_HEIGHT),
            CardKind::Account => (account::ART_WIDTH, account::ART_HEIGHT),
        }
    }

    /// The most room the organiser's logo takes on the card.
    fn logo_box(self) -> (u32, u32) {
        match self {
            CardKind::Certificate => certificate::LOGO_BOX,
            CardKind::Preview => preview::LOGO_BOX,
            CardKind::Poster => poster::LOGO_BOX,
            CardKind::Account => account::LOGO_BOX,
        }
    }
}

/// What a card shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Design {
    Certificate(Certificate),
    Preview(Preview),
    Poster(Poster),
    Account(AccountPicture),
}

/// A card to render: its design, the artwork in it and the organiser's logo, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    pub design: Design,
    pub art: MediaKey,
    pub logo: Option<MediaKey>,
}

/// A card's name: 16 hex digits of a hash of everything drawn on it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CardKey(String);

const KEY_LEN: usize = 16;

impl CardKey {
    /// Reads a key from a URL; anything but 16 lowercase hex digits is no key.
    pub fn parse(text: &str) -> Option<CardKey> {
        (text.len() == KEY_LEN && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| CardKey(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Card {
    pub fn kind(&self) -> CardKind {
        match self.design {
            Design::Certificate(_) => CardKind::Certificate,
            Design::Preview(_) => CardKind::Preview,
            Design::Poster(_) => CardKind::Poster,
            Design::Account(_) => CardKind::Account,
        }
    }

    /// The card's name: the same text and artwork always give the same name.
    pub fn key(&self) -> anyhow::Result<CardKey> {
        let design = serde_json::to_vec(&self.design).context("encoding a card design")?;
        let mut hash = Sha256::new();
        hash.update(DESIGN_VERSION.to_be_bytes());
        hash.update(self.art.as_str().as_bytes());
        hash.update(&design);
        // A card without a logo keeps the name it had before cards could have one.
        if let Some(logo) = &self.logo {
            hash.update(b"\nlogo ");
            hash.update(logo.as_str().as_bytes());
        }
        Ok(CardKey(hex::encode(hash.finalize())[..KEY_LEN].to_owned()))
    }

    /// The card as a JPEG (a poster as a PNG), around `art` already framed for it (see [`frame_art`]), with the
    /// `logo` fitted for it (see [`fit_logo`]).
    pub fn paint(
        &self,
        fonts: &Fonts,
        art: &RgbImage,
        logo: Option<&RgbaImage>,
    ) -> anyhow::Result<Vec<u8>> {
        match &self.design {
            Design::Certificate(c) => c.jpeg(fonts, art, logo),
            Design::Preview(p) => p.jpeg(fonts, art, logo),
            Design::Poster(p) => p.png(fonts, art, logo),
            Design::Account(a) => a.jpeg(fonts, art, logo),
        }
    }
}

/// Decodes an artwork file (with limits, so a huge or hostile file is refused) and frames it for
/// cards of `kind`.
pub fn frame_art(media: &MediaStore, key: &MediaKey, kind: CardKind) -> anyhow::Result<RgbImage> {
    let source = decode_stored(media, key, "an artwork")?;
    let (width, height) = kind.art_size();
    Ok(artwork::cover(&source, width, height))
}

/// Decodes a stored picture, refusing one of more than `MAX_ART_SIDE` pixels a side.
fn decode_stored(
    media: &MediaStore,
    key: &MediaKey,
    what: &str,
) -> anyhow::Result<image::DynamicImage> {
    let mut reader = image::ImageReader::open(media.path(key))
        .with_context(|| format!("opening {what} {}", key.as_str()))?
        .with_guessed_format()
        .with_context(|| format!("reading the format of {what}"))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_ART_SIDE);
    limits.max_image_height = Some(MAX_ART_SIDE);
    reader.limits(limits);
    reader.decode().with_context(|| format!("decoding {what}"))
}

/// Decodes a stored logo (with the same limits) and fits it, keeping its shape and its
/// transparency, in the room cards of `kind` give it.
pub fn fit_logo(media: &MediaStore, key: &MediaKey, kind: CardKind) -> anyhow::Result<RgbaImage> {
    let logo = decode_stored(media, key, "a logo")?.into_rgba8();
    let (room_w, room_h) = kind.logo_box();
    let scale = (room_w as f32 / logo.width().max(1) as f32)
        .min(room_h as f32 / logo.height().max(1) as f32);
    let width = ((logo.width() as f32 * scale).round() as u32).max(1);
    let height = ((logo.height() as f32 * scale).round() as u32).max(1);
    Ok(image::imageops::resize(
        &logo,
        width,
        height,
        image::imageops::FilterType::CatmullRom,
    ))
}

/// Renders and stores cards; cheap to clone.
#[derive(Clone, Debug)]
pub struct CardRenderer {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    media: MediaStore,
    permits: Semaphore,
    /// First requests waiting for a card being rendered, by name.
    rendering: Mutex<HashMap<CardKey, Arc<OnceCell<()>>>>,
    art: Mutex<ArtCache>,
    rendered: AtomicU64,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardRenderer")
            .field("dir", &self.dir)
            .finish()
    }
}

#[derive(Default)]
struct ArtCache {
    framed: HashMap<(MediaKey, CardKind), Arc<RgbImage>>,
    order: VecDeque<(MediaKey, CardKind)>,
    logos: HashMap<(MediaKey, CardKind), Arc<RgbaImage>>,
}

impl CardRenderer {
    /// Stores cards in the `cards` folder of the media store, rendering at most `concurrency`
    /// at once.
    pub fn open(media: MediaStore, concurrency: usize) -> anyhow::Result<CardRenderer> {
        let dir = media.dir().join("cards");
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating the card folder {}", dir.display()))?;
        Ok(CardRenderer {
            inner: Arc::new(Inner {
                dir,
                media,
                permits: Semaphore::new(concurrency.max(1)),
                rendering: Mutex::new(HashMap::new()),
                art: Mutex::new(ArtCache::default()),
                rendered: AtomicU64::new(0),
            }),
        })
    }

    /// One render per core: rendering is all CPU.
    pub fn default_concurrency() -> usize {
        std::thread::available_parallelism().map_or(2, usize::from)
    }

    /// How many cards this process has painted (served ones from storage are not counted).
    pub fn rendered(&self) -> u64 {
        self.inner.rendered.load(Ordering::Relaxed)
    }

    /// A stored card, if it was rendered before.
    pub async fn stored(&self, key: &CardKey) -> anyhow::Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.path(key)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).context("reading a stored card"),
        }
    }

    /// The card as a JPEG: from storage, or rendered now (once, however many ask at the same
    /// time) and stored.
    pub async fn get(&self, card: &Card) -> anyhow::Result<Vec<u8>> {
        let key = card.key()?;
        if let Some(bytes) = self.stored(&key).await? {
            return Ok(bytes);
        }
        let cell = {
            let mut rendering = self.lock_rendering();
            Arc::clone(rendering.entry(key.clone()).or_default())
        };
        let result = cell
            .get_or_try_init(|| self.render_and_store(card, &key))
            .await;
        self.lock_rendering().remove(&key);
        result?;
        self.stored(&key)
            .await?
            .context("a card just rendered is missing")
    }

    async fn render_and_store(&self, card: &Card, key: &CardKey) -> anyhow::Result<()> {
        // A render that finished between our look in storage and now leaves nothing to do.
        if tokio::fs::try_exists(self.path(key)).await.unwrap_or(false) {
            return Ok(());
        }
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .context("the renderer is closed")?;
        let renderer = self.clone();
        let card = card.clone();
        let key = key.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let art = renderer.framed_art(&card)?;
            let logo = match &card.logo {
                Some(key) => Some(renderer.fitted_logo(key, card.kind())?),
                None => None,
            };
            let jpeg = card.paint(Fonts::shared(), &art, logo.as_deref())?;
            renderer.write(&key, &jpeg)?;
            renderer.inner.rendered.fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
        .await
        .context("the card render task failed")?
    }

    /// The artwork framed for the card, from memory or decoded now.
    fn framed_art(&self, card: &Card) -> anyhow::Result<Arc<RgbImage>> {
        let id = (card.art.clone(), card.kind());
        if let Some(art) = self.lock_art().framed.get(&id) {
            return Ok(Arc::clone(art));
        }
        let art = Arc::new(frame_art(&self.inner.media, &card.art, card.kind())?);
        let mut cache = self.lock_art();
        if cache.framed.insert(id.clone(), Arc::clone(&art)).is_none() {
            cache.order.push_back(id);
        }
        while cache.order.len() > ART_CACHE {
            if let Some(oldest) = cache.order.pop_front() {
                cache.framed.remove(&oldest);
            }
        }
        Ok(art)
    }

    /// The organiser's logo fitted for the card, from memory or decoded now.
    fn fitted_logo(&self, key: &MediaKey, kind: CardKind) -> anyhow::Result<Arc<RgbaImage>> {
        let id = (key.clone(), kind);
        if let Some(logo) = self.lock_art().logos.get(&id) {
            return Ok(Arc::clone(logo));
        }
        let logo = Arc::new(fit_logo(&self.inner.media, key, kind)?);
        let mut cache = self.lock_art();
        // A few organisers at a time; a replaced logo is a new key.
        if cache.logos.len() >= ART_CACHE {
            cache.logos.clear();
        }
        cache.logos.insert(id, Arc::clone(&logo));
        Ok(logo)
    }

    /// Writes beside the final name and renames, so no reader sees half a file.
    fn write(&self, key: &CardKey, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.path(key);
        let tmp = self
            .inner
            .dir
            .join(format!(".{}.{}.tmp", key.as_str(), std::process::id()));
        std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path)
            .with_context(|| format!("moving {} into place", path.display()))
    }

    fn path(&self, key: &CardKey) -> PathBuf {
        self.inner.dir.join(format!("{}.jpg", key.as_str()))
    }

    fn lock_rendering(&self) -> std::sync::MutexGuard<'_, HashMap<CardKey, Arc<OnceCell<()>>>> {
        self.inner
            .rendering
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn lock_art(&self) -> std::sync::MutexGuard<'_, ArtCache> {
        self.inner
            .art
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_keys_from_urls_are_checked() {
        assert!(CardKey::parse("0123456789abcdef").is_some());
        for bad in [
            "",
            "0123456789abcde",
            "0123456789ABCDEF",
            "../../../etc/pa",
            "0123456789abcdeg",
        ] {
            assert!(CardKey::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(CardKind::parse("preview"), Some(CardKind::Preview));
        assert_eq!(CardKind::parse("og"), None);
    }
}
