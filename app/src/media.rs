//! Image and sound files, stored under names made from their content so a name never changes meaning and
//! can be cached by browsers forever.

use anyhow::Context;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// A folder of content-addressed files.
#[derive(Clone, Debug)]
pub struct MediaStore {
    dir: PathBuf,
}

/// A stored file's name: 32 hex digits of its SHA-256 and an extension, e.g. `3fa9….jpg`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MediaKey(String);

const HASH_HEX_LEN: usize = 32;
const EXTENSIONS: [&str; 7] = ["jpg", "png", "webp", "ogg", "mp3", "m4a", "mp4"];

impl MediaKey {
    /// Parses a file name taken from a URL; anything but `<hex>.<known extension>` is refused,
    /// so no request can name a path outside the folder.
    pub fn parse(name: &str) -> Option<MediaKey> {
        let (hash, ext) = name.split_once('.')?;
        let hash_ok = hash.len() == HASH_HEX_LEN
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        (hash_ok && EXTENSIONS.contains(&ext)).then(|| MediaKey(name.to_owned()))
    }

    /// The file name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The content hash, which doubles as a strong ETag.
    pub fn hash(&self) -> &str {
        self.0.split_once('.').map(|(h, _)| h).unwrap_or_default()
    }

    /// The MIME type of the file.
    pub fn content_type(&self) -> &'static str {
        match self.0.rsplit_once('.').map(|(_, e)| e) {
            Some("png") => "image/png",
            Some("webp") => "image/webp",
            Some("ogg") => "audio/ogg",
            Some("mp3") => "audio/mpeg",
            Some("m4a") => "audio/mp4",
            Some("mp4") => "video/mp4",
            _ => "image/jpeg",
        }
    }

    /// The public path the site serves it at.
    pub fn url(&self) -> String {
        format!("/media/{}", self.0)
    }
}

impl MediaStore {
    /// A store in `dir`, created if missing.
    pub fn open(dir: impl Into<PathBuf>) -> anyhow::Result<MediaStore> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating the media folder {}", dir.display()))?;
        Ok(MediaStore { dir })
    }

    /// Stores `bytes` and returns their key; storing the same bytes again writes nothing.
    ///
    /// The file is written beside its final name and renamed into place, so a reader never sees
    /// half a file and concurrent writers of the same content are harmless.
    pub fn put(&self, bytes: &[u8], extension: &str) -> anyhow::Result<MediaKey> {
        anyhow::ensure!(
            EXTENSIONS.contains(&extension),
            "unsupported media extension"
        );
        let digest = Sha256::digest(bytes);
        let hex = hex::encode(digest);
        let key = MediaKey(format!("{}.{extension}", &hex[..HASH_HEX_LEN]));
        let path = self.path(&key);
        if path.exists() {
            return Ok(key);
        }
        let tmp = self
            .dir
            .join(format!(".{}.{}.tmp", key.as_str(), std::process::id()));
        std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path)
            .with_context(|| format!("moving {} into place", path.display()))?;
        Ok(key)
    }

    /// The folder itself.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// Where a key's file lives.
    pub fn path(&self, key: &MediaKey) -> PathBuf {
        self.dir.join(key.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_from_urls_cannot_escape_the_folder() {
        let good = format!("{}.jpg", "a1".repeat(16));
        assert!(MediaKey::parse(&good).is_some());
        for bad in [
            "../secret.jpg".to_owned(),
            format!("{}.exe", "a1".repeat(16)),
            format!("{}.jpg", "A1".repeat(16)),
            format!("{}.jpg.jpg", "a1".repeat(16)),
            format!("{}/x.jpg", "a1".repeat(16)),
            "x.jpg".to_owned(),
            String::new(),
        ] {
            assert!(MediaKey::parse(&bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_same_bytes_are_stored_once_under_one_name() {
        let dir = std::env::temp_dir().join(format!("gg-media-test-{}", std::process::id()));
        let store = MediaStore::open(&dir).expect("store");
        let a = store.put(b"hello", "png").expect("put");
        let b = store.put(b"hello", "png").expect("put again");
        let c = store.put(b"other", "png").expect("put other");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(std::fs::read(store.path(&a)).expect("read"), b"hello");
        assert_eq!(MediaKey::parse(a.as_str()), Some(a.clone()));
        let _ = std::fs::remove_dir_all(dir);
    }
}
