//! A voice message's file: which format it is (Ogg/Opus, MP3 or M4A) and how long it lasts, both
//! told by its content, never by a name or a header. Each format's own structure is walked to
//! its end: Ogg pages to the last granule position, MP3 frames one by one, an M4A's movie
//! header, and its tracks, of which one must be sound and none a picture.

use super::mp4;

/// The largest voice message taken, in bytes.
pub const MAX_VOICE_BYTES: usize = 2 * 1024 * 1024;

/// The longest voice message taken, in milliseconds.
pub const MAX_VOICE_MS: u32 = 60_000;

/// A voice message's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AudioFormat {
    /// Opus in an Ogg container.
    OggOpus,
    /// MPEG audio layer III.
    Mp3,
    /// AAC (or any sound) in an MPEG-4 container.
    M4a,
}

impl AudioFormat {
    /// The file extension, as stored.
    pub fn extension(self) -> &'static str {
        match self {
            AudioFormat::OggOpus => "ogg",
            AudioFormat::Mp3 => "mp3",
            AudioFormat::M4a => "m4a",
        }
    }
}

/// Why a voice message was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AudioError {
    #[error("the recording is larger than 2 MB")]
    TooBig,
    #[error("the file is not an Ogg/Opus, MP3 or M4A recording")]
    WrongType,
    #[error("the recording lasts more than 60 seconds")]
    TooLong,
    #[error("the recording is damaged")]
    Unreadable,
}

/// The format and length in milliseconds of a voice message, or why it is refused.
pub fn probe(bytes: &[u8]) -> Result<(AudioFormat, u32), AudioError> {
    if bytes.len() > MAX_VOICE_BYTES {
        return Err(AudioError::TooBig);
    }
    let (format, ms) = if bytes.starts_with(b"OggS") {
        (AudioFormat::OggOpus, ogg_opus_ms(bytes)?)
    } else if bytes.get(4..8) == Some(b"ftyp") {
        (AudioFormat::M4a, m4a_ms(bytes)?)
    } else if bytes.starts_with(b"ID3") || frame(bytes).is_some() {
        (AudioFormat::Mp3, mp3_ms(bytes)?)
    } else {
        return Err(AudioError::WrongType);
    };
    match ms {
        0 => Err(AudioError::Unreadable),
        ms if ms > u64::from(MAX_VOICE_MS) => Err(AudioError::TooLong),
        ms => Ok((format, ms as u32)),
    }
}

/// An Ogg stream whose first packet is an Opus header: its length from the last page's granule
/// position (48 kHz samples) less the header's pre-skip.
fn ogg_opus_ms(bytes: &[u8]) -> Result<u64, AudioError> {
    let mut pos = 0;
    let mut pre_skip = None;
    let mut last_granule = None;
    while pos < bytes.len() {
        let header = bytes.get(pos..pos + 27).ok_or(AudioError::Unreadable)?;
        if &header[..4] != b"OggS" || header[4] != 0 {
            return Err(AudioError::Unreadable);
        }
        let granule = i64::from_le_bytes(
            header[6..14]
                .try_into()
                .map_err(|_| AudioError::Unreadable)?,
        );
        let segments = usize::from(header[26]);
        let table = bytes
            .get(pos + 27..pos + 27 + segments)
            .ok_or(AudioError::Unreadable)?;
        let body_start = pos + 27 + segments;
        let body_len: usize = table.iter().map(|&s| usize::from(s)).sum();
        let body = bytes
            .get(body_start..body_start + body_len)
            .ok_or(AudioError::Unreadable)?;
        if pre_skip.is_none() {
            // The first page holds the identification header alone.
            if body.len() < 19 || !body.starts_with(b"OpusHead") {
                return Err(AudioError::WrongType);
            }
            pre_skip = Some(u64::from(u16::from_le_bytes([body[10], body[11]])));
        }
        // -1: no packet ends on this page.
        if granule >= 0 {
            last_granule = Some(granule as u64);
        }
        pos = body_start + body_len;
    }
    let samples = last_granule
        .unwrap_or(0)
        .saturating_sub(pre_skip.unwrap_or(0));
    // 48 samples a millisecond; the granule is the file's word, so nothing here may overflow.
    Ok(samples / 48)
}

/// A layer III frame header at the start of `bytes`: the frame's length in bytes, its samples
/// and its sample rate.
fn frame(bytes: &[u8]) -> Option<(usize, u64, u64)> {
    const MPEG1_KBPS: [u64; 15] = [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ];
    const MPEG2_KBPS: [u64; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    let header = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?);
    let version = (header >> 19) & 3;
    let layer = (header >> 17) & 3;
    let bitrate = ((header >> 12) & 0xF) as usize;
    let rate = ((header >> 10) & 3) as usize;
    if header >> 21 != 0x7FF || version == 1 || layer != 1 || bitrate == 0 || bitrate == 15 {
        return None;
    }
    let rates: [u64; 3] = match version {
        3 => [44_100, 48_000, 32_000],
        2 => [22_050, 24_000, 16_000],
        _ => [11_025, 12_000, 8_000],
    };
    let sample_rate = *rates.get(rate)?;
    let padding = u64::from((header >> 9) & 1);
    let (kbps, samples, factor) = match version {
        3 => (MPEG1_KBPS[bitrate], 1152, 144),
        _ => (MPEG2_KBPS[bitrate], 576, 72),
    };
    let length = factor * kbps * 1000 / sample_rate + padding;
    Some((usize::try_from(length).ok()?, samples, sample_rate))
}

/// MP3 frames, after any ID3v2 tag, walked to the end; a tag or stray bytes after two frames or
/// more end the walk.
fn mp3_ms(bytes: &[u8]) -> Result<u64, AudioError> {
    let mut pos = 0;
    if bytes.starts_with(b"ID3") {
        let head = bytes.get(..10).ok_or(AudioError::Unreadable)?;
        if head[6..10].iter().any(|b| b & 0x80 != 0) {
            return Err(AudioError::Unreadable);
        }
        let size = head[6..10]
            .iter()
            .fold(0_usize, |size, &b| (size << 7) | usize::from(b));
        let footer = if head[5] & 0x10 != 0 { 10 } else { 0 };
        pos = 10 + size + footer;
    }
    let (mut frames, mut micros) = (0_u64, 0_u64);
    while let Some((length, samples, rate)) = bytes.get(pos..).and_then(frame) {
        if pos + length > bytes.len() {
            break;
        }
        micros += samples * 1_000_000 / rate;
        frames += 1;
        pos += length;
    }
    if frames < 2 {
        return Err(AudioError::Unreadable);
    }
    Ok(micros / 1000)
}

/// An MPEG-4 file with a sound track and no picture track: its length from the movie header.
fn m4a_ms(bytes: &[u8]) -> Result<u64, AudioError> {
    let damaged = |_: mp4::Damaged| AudioError::Unreadable;
    let (moov, ms) = mp4::movie(bytes).map_err(damaged)?;
    let mut sound = false;
    for track in mp4::tracks(moov) {
        match track.map_err(damaged)?.handler {
            Some(b"soun") => sound = true,
            Some(b"vide") => return Err(AudioError::WrongType),
            _ => {}
        }
    }
    if !sound {
        return Err(AudioError::WrongType);
    }
    Ok(ms)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `seconds` of MP3 (MPEG-1, 32 kbps, 32 kHz: 144-byte frames of 36 ms), silent.
    pub(crate) fn silent_mp3(seconds: u32) -> Vec<u8> {
        let frames = seconds * 1000 / 36 + 1;
        let mut mp3 = Vec::new();
        for _ in 0..frames {
            mp3.extend_from_slice(&[0xFF, 0xFB, 0x18, 0xC4]);
            mp3.extend_from_slice(&[0; 140]);
        }
        mp3
    }

    fn ogg_page(granule: i64, body: &[u8]) -> Vec<u8> {
        let mut page = b"OggS\0\0".to_vec();
        page.extend_from_slice(&granule.to_le_bytes());
        page.extend_from_slice(&[0; 12]);
        let mut table = vec![255_u8; body.len() / 255];
        table.push((body.len() % 255) as u8);
        page.push(table.len() as u8);
        page.extend_from_slice(&table);
        page.extend_from_slice(body);
        page
    }

    fn opus(seconds: i64) -> Vec<u8> {
        let mut head = b"OpusHead\x01\x01".to_vec();
        head.extend_from_slice(&312_u16.to_le_bytes());
        head.extend_from_slice(&[0x80, 0xBB, 0, 0, 0, 0, 0]);
        let mut ogg = ogg_page(0, &head);
        ogg.extend(ogg_page(0, b"OpusTags\0\0\0\0\0\0\0\0"));
        ogg.extend(ogg_page(-1, &[7; 300]));
        ogg.extend(ogg_page(312 + seconds * 48_000, &[7; 40]));
        ogg
    }

    fn m4a(handlers: &[&[u8]], seconds: u32) -> Vec<u8> {
        crate::artworks::mp4::tests::movie(b"M4A ", handlers, seconds, (0, 0), false)
    }

    #[test]
    fn each_format_is_told_by_its_content_with_its_length() {
        assert_eq!(probe(&silent_mp3(3)), Ok((AudioFormat::Mp3, 3024)));
        let mut tagged = b"ID3\x04\0\0\0\0\0\x05hello".to_vec();
        tagged.extend(silent_mp3(2));
        tagged.extend_from_slice(b"TAG");
        assert_eq!(probe(&tagged).map(|p| p.0), Ok(AudioFormat::Mp3));
        assert_eq!(probe(&opus(12)), Ok((AudioFormat::OggOpus, 12_000)));
        assert_eq!(probe(&m4a(&[b"soun"], 9)), Ok((AudioFormat::M4a, 9_000)));
    }

    #[test]
    fn long_large_damaged_or_foreign_files_are_refused() {
        assert_eq!(probe(&silent_mp3(61)), Err(AudioError::TooLong));
        assert_eq!(probe(&opus(61)), Err(AudioError::TooLong));
        assert_eq!(probe(&m4a(&[b"soun"], 61)), Err(AudioError::TooLong));
        let mut big = silent_mp3(1);
        big.resize(MAX_VOICE_BYTES + 1, 0);
        assert_eq!(probe(&big), Err(AudioError::TooBig));
        // A film is not a voice message, nor is a file with no sound track.
        assert_eq!(
            probe(&m4a(&[b"soun", b"vide"], 9)),
            Err(AudioError::WrongType)
        );
        assert_eq!(probe(&m4a(&[], 9)), Err(AudioError::WrongType));
        // Vorbis in Ogg, a WAV, a picture, nothing.
        let vorbis = ogg_page(0, b"\x01vorbis\0\0\0\0\x01\x44\xac\0\0\0\0\0\0");
        assert_eq!(probe(&vorbis), Err(AudioError::WrongType));
        for foreign in [&b"RIFF\0\0\0\0WAVEfmt "[..], b"\x89PNG\r\n\x1a\n", b""] {
            assert_eq!(probe(foreign), Err(AudioError::WrongType));
        }
        // Cut short, or one frame alone.
        let whole = opus(5);
        assert_eq!(
            probe(&whole[..whole.len() - 10]),
            Err(AudioError::Unreadable)
        );
        assert_eq!(probe(&silent_mp3(0)), Err(AudioError::Unreadable));
        let film = m4a(&[b"soun"], 9);
        assert_eq!(probe(&film[..40]), Err(AudioError::Unreadable));
    }
}
