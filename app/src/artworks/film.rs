//! A film of the artist at work, as provenance evidence: an MPEG-4 or QuickTime film (what
//! phones record) with a picture track, told by its content, with its length and the size its
//! pictures are shown at, which the page reserves before the film loads.

use super::mp4;

/// The largest film taken, in bytes.
pub const MAX_FILM_BYTES: usize = 40 * 1024 * 1024;

/// The longest film taken, in milliseconds.
pub const MAX_FILM_MS: u32 = 90_000;

/// A film's length and picture size, as its content states them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilmFacts {
    pub duration_ms: u32,
    pub width: u32,
    pub height: u32,
}

/// Why a film was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FilmError {
    #[error("the film is larger than 40 MB")]
    TooBig,
    #[error("the file is not an MP4 or QuickTime film with pictures")]
    WrongType,
    #[error("the film lasts more than 90 seconds")]
    TooLong,
    #[error("the film is damaged")]
    Unreadable,
}

/// The length and picture size of a film, or why it is refused.
pub fn probe(bytes: &[u8]) -> Result<FilmFacts, FilmError> {
    if bytes.len() > MAX_FILM_BYTES {
        return Err(FilmError::TooBig);
    }
    if bytes.get(4..8) != Some(b"ftyp") {
        return Err(FilmError::WrongType);
    }
    let damaged = |_: mp4::Damaged| FilmError::Unreadable;
    let (moov, ms) = mp4::movie(bytes).map_err(damaged)?;
    let mut size = None;
    for track in mp4::tracks(moov) {
        let track = track.map_err(damaged)?;
        if track.handler == Some(b"vide") && size.is_none() {
            size = Some(track.display_size().map_err(damaged)?);
        }
    }
    let (width, height) = size.ok_or(FilmError::WrongType)?;
    if width == 0 || height == 0 || ms == 0 {
        return Err(FilmError::Unreadable);
    }
    if ms > u64::from(MAX_FILM_MS) {
        return Err(FilmError::TooLong);
    }
    Ok(FilmFacts {
        duration_ms: ms as u32,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artworks::mp4::tests::movie;

    #[test]
    fn a_phone_film_is_measured_upright() {
        let film = movie(b"qt  ", &[b"vide", b"soun"], 42, (1920, 1080), true);
        assert_eq!(
            probe(&film),
            Ok(FilmFacts {
                duration_ms: 42_000,
                width: 1080,
                height: 1920
            })
        );
        let wide = movie(b"isom", &[b"soun", b"vide"], 3, (640, 360), false);
        assert_eq!(probe(&wide).map(|f| (f.width, f.height)), Ok((640, 360)));
    }

    #[test]
    fn long_large_soundless_damaged_or_foreign_files_are_refused() {
        assert_eq!(
            probe(&movie(b"isom", &[b"vide"], 91, (640, 360), false)),
            Err(FilmError::TooLong)
        );
        assert_eq!(
            probe(&movie(b"M4A ", &[b"soun"], 9, (0, 0), false)),
            Err(FilmError::WrongType),
            "a recording without pictures"
        );
        assert_eq!(
            probe(&movie(b"isom", &[b"vide"], 9, (0, 0), false)),
            Err(FilmError::Unreadable),
            "pictures of no size"
        );
        let film = movie(b"isom", &[b"vide"], 9, (640, 360), false);
        assert_eq!(probe(&film[..60]), Err(FilmError::Unreadable));
        let mut big = film.clone();
        big.resize(MAX_FILM_BYTES + 1, 0);
        assert_eq!(probe(&big), Err(FilmError::TooBig));
        for foreign in [
            &b"\x1aE\xdf\xa3webm"[..],
            b"\x89PNG\r\n\x1a\n",
            b"RIFF\0\0\0\0AVI ",
            b"",
        ] {
            assert_eq!(probe(foreign), Err(FilmError::WrongType));
        }
    }
}
