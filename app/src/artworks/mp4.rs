//! Reading the ISO base media file format (MPEG-4, and QuickTime before it) as far as the checks
//! of a voice message and of a film need: boxes and their children, the movie's length, and
//! each track's kind and picture size. Every read is bounds-checked; a box that claims more
//! bytes than the file holds makes the file damaged.

/// The file's structure does not hold together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Damaged;

/// The boxes in `bytes`: each one's type and payload.
pub fn boxes(mut bytes: &[u8]) -> impl Iterator<Item = Result<(&[u8], &[u8]), Damaged>> {
    std::iter::from_fn(move || {
        if bytes.is_empty() {
            return None;
        }
        let parsed = (|| {
            let size = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?);
            let kind = bytes.get(4..8)?;
            let (header, size) = match size {
                0 => (8, bytes.len()),
                1 => (
                    16,
                    usize::try_from(u64::from_be_bytes(bytes.get(8..16)?.try_into().ok()?)).ok()?,
                ),
                size => (8, size as usize),
            };
            let payload = bytes.get(header..size)?;
            let rest = bytes.get(size..)?;
            Some((kind, payload, rest))
        })();
        match parsed {
            Some((kind, payload, rest)) => {
                bytes = rest;
                Some(Ok((kind, payload)))
            }
            None => {
                bytes = &[];
                Some(Err(Damaged))
            }
        }
    })
}

/// The payload of the first box of type `kind` in `bytes`.
pub fn child<'a>(bytes: &'a [u8], kind: &[u8]) -> Result<Option<&'a [u8]>, Damaged> {
    for found in boxes(bytes) {
        let (found, payload) = found?;
        if found == kind {
            return Ok(Some(payload));
        }
    }
    Ok(None)
}

/// The big-endian number in `bytes[range]`.
fn number(bytes: &[u8], range: std::ops::Range<usize>) -> Result<u64, Damaged> {
    let field = bytes.get(range).ok_or(Damaged)?;
    Ok(field
        .iter()
        .fold(0, |value, &b| (value << 8) | u64::from(b)))
}

/// A file's movie (`moov`) box, and its length in milliseconds from the movie header.
pub fn movie(bytes: &[u8]) -> Result<(&[u8], u64), Damaged> {
    let moov = child(bytes, b"moov")?.ok_or(Damaged)?;
    let mvhd = child(moov, b"mvhd")?.ok_or(Damaged)?;
    let (timescale, duration) = match mvhd.first() {
        Some(0) => (number(mvhd, 12..16)?, number(mvhd, 16..20)?),
        Some(1) => (number(mvhd, 20..24)?, number(mvhd, 24..32)?),
        _ => return Err(Damaged),
    };
    if timescale == 0 {
        return Err(Damaged);
    }
    Ok((moov, duration.saturating_mul(1000) / timescale))
}

/// One track of a movie.
pub struct Track<'a> {
    /// Its handler: `soun` for sound, `vide` for pictures.
    pub handler: Option<&'a [u8]>,
    trak: &'a [u8],
}

impl Track<'_> {
    /// The size its pictures are shown at, in pixels, turned as the track's matrix turns them
    /// (a phone held upright records a wide picture turned a quarter).
    pub fn display_size(&self) -> Result<(u32, u32), Damaged> {
        let tkhd = child(self.trak, b"tkhd")?.ok_or(Damaged)?;
        let base = match tkhd.first() {
            Some(0) => 40,
            Some(1) => 52,
            _ => return Err(Damaged),
        };
        // The matrix's a and d are 0 when it turns the picture by a quarter.
        let (a, d) = (
            number(tkhd, base..base + 4)?,
            number(tkhd, base + 16..base + 20)?,
        );
        // Width and height in 16.16 fixed point, after the nine-number matrix.
        let width = number(tkhd, base + 36..base + 40)? >> 16;
        let height = number(tkhd, base + 40..base + 44)? >> 16;
        let (width, height) = (
            u32::try_from(width).map_err(|_| Damaged)?,
            u32::try_from(height).map_err(|_| Damaged)?,
        );
        Ok(if a == 0 && d == 0 {
            (height, width)
        } else {
            (width, height)
        })
    }
}

/// The tracks of movie box `moov`.
pub fn tracks(moov: &[u8]) -> impl Iterator<Item = Result<Track<'_>, Damaged>> {
    boxes(moov).filter_map(|found| match found {
        Err(damaged) => Some(Err(damaged)),
        Ok((kind, _)) if kind != b"trak" => None,
        Ok((_, trak)) => Some((|| {
            let handler = child(trak, b"mdia")?
                .map(|mdia| child(mdia, b"hdlr"))
                .transpose()?
                .flatten()
                .and_then(|hdlr| hdlr.get(8..12));
            Ok(Track { handler, trak })
        })()),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    /// A box of type `kind` around `payload`.
    pub(crate) fn mp4_box(kind: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(payload);
        b
    }

    /// A movie of `seconds` with one track per handler; picture tracks `size` large, turned a
    /// quarter when `turned`, behind an `ftyp` naming `brand`.
    pub(crate) fn movie(
        brand: &[u8; 4],
        handlers: &[&[u8]],
        seconds: u32,
        size: (u32, u32),
        turned: bool,
    ) -> Vec<u8> {
        let mut mvhd = vec![0; 12];
        mvhd.extend_from_slice(&1000_u32.to_be_bytes());
        mvhd.extend_from_slice(&(seconds * 1000).to_be_bytes());
        mvhd.extend_from_slice(&[0; 80]);
        let mut moov = mp4_box(b"mvhd", &mvhd);
        for handler in handlers {
            let mut tkhd = vec![0; 40];
            let one = 0x0001_0000_u32.to_be_bytes();
            let minus_one = 0xFFFF_0000_u32.to_be_bytes();
            let zero = [0; 4];
            let matrix = if turned {
                [
                    zero,
                    one,
                    zero,
                    minus_one,
                    zero,
                    zero,
                    zero,
                    zero,
                    0x4000_0000_u32.to_be_bytes(),
                ]
            } else {
                [
                    one,
                    zero,
                    zero,
                    zero,
                    one,
                    zero,
                    zero,
                    zero,
                    0x4000_0000_u32.to_be_bytes(),
                ]
            };
            tkhd.extend(matrix.concat());
            tkhd.extend_from_slice(&(size.0 << 16).to_be_bytes());
            tkhd.extend_from_slice(&(size.1 << 16).to_be_bytes());
            let mut hdlr = vec![0; 8];
            hdlr.extend_from_slice(handler);
            hdlr.extend_from_slice(&[0; 13]);
            let mut trak = mp4_box(b"tkhd", &tkhd);
            trak.extend(mp4_box(b"mdia", &mp4_box(b"hdlr", &hdlr)));
            moov.extend(mp4_box(b"trak", &trak));
        }
        let mut ftyp = brand.to_vec();
        ftyp.extend_from_slice(&[0; 4]);
        ftyp.extend_from_slice(brand);
        ftyp.extend_from_slice(b"isom");
        let mut file = mp4_box(b"ftyp", &ftyp);
        file.extend(mp4_box(b"moov", &moov));
        file.extend(mp4_box(b"mdat", &[1; 64]));
        file
    }

    #[test]
    fn a_picture_track_is_measured_as_shown() {
        let file = movie(b"isom", &[b"vide"], 5, (1920, 1080), false);
        let (moov, ms) = super::movie(&file).expect("a movie");
        assert_eq!(ms, 5_000);
        let track = super::tracks(moov).next().expect("a track").expect("whole");
        assert_eq!(track.handler, Some(&b"vide"[..]));
        assert_eq!(track.display_size(), Ok((1920, 1080)));
        let upright = movie(b"isom", &[b"vide"], 5, (1920, 1080), true);
        let (moov, _) = super::movie(&upright).expect("a movie");
        let track = super::tracks(moov).next().expect("a track").expect("whole");
        assert_eq!(track.display_size(), Ok((1080, 1920)));
        assert_eq!(super::movie(&file[..50]).err(), Some(super::Damaged));
    }
}
