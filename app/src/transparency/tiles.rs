//! Tile paths as c2sp.org/tlog-tiles writes them: `tile/<L>/<N>[.p/<W>]` for hashes and
//! `tile/entries/<N>[.p/<W>]` for entry bundles, N three digits at a time.

use super::entry::decimal;

/// Tiles are 2^8 = 256 hashes (or entries) wide.
pub const TILE_HEIGHT: u8 = 8;
pub const TILE_WIDTH: u64 = 1 << TILE_HEIGHT;

/// What a tile path names: the level (`None` for entry bundles), the tile's number and width.
#[derive(Debug, PartialEq, Eq)]
pub struct TilePath {
    pub level: Option<u8>,
    pub n: u64,
    pub width: u64,
}

/// Reads `<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]`, where N is written three digits at a time
/// (`x001/x234/067`), strictly as c2sp.org/tlog-tiles writes it.
pub fn parse_tile_path(path: &str) -> Option<TilePath> {
    let parts: Vec<&str> = path.split('/').collect();
    if parts.len() < 2 || parts.len() > 10 {
        return None;
    }
    let level = match parts[0] {
        "entries" => None,
        l => Some(u8::try_from(decimal(l)?).ok().filter(|l| *l < 8)?),
    };
    let (digits, width) = match parts.iter().rposition(|p| p.ends_with(".p")) {
        Some(at) if at == parts.len() - 2 => {
            let width = decimal(parts[at + 1]).filter(|w| (1..TILE_WIDTH).contains(w))?;
            let mut digits: Vec<&str> = parts[1..at].to_vec();
            digits.push(parts[at].strip_suffix(".p")?);
            (digits, width)
        }
        Some(_) => return None,
        None => (parts[1..].to_vec(), TILE_WIDTH),
    };
    let mut n: u64 = 0;
    for (i, part) in digits.iter().enumerate() {
        let last = i == digits.len() - 1;
        let group = if last {
            Some(*part)
        } else {
            part.strip_prefix('x')
        }?;
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        n = n.checked_mul(1000)?.checked_add(group.parse().ok()?)?;
    }
    // One spelling per number: no leading `x000` groups.
    if digits.len() > 1 && digits[0] == "x000" {
        return None;
    }
    Some(TilePath { level, n, width })
}

/// The path after `tile/` of a tile: `<L>` or `entries`, then N as `x001/x234/067`, then
/// `.p/<W>` when the tile is partial.
pub fn tile_path(level: Option<u8>, n: u64, width: u64) -> String {
    let mut digits = format!("{:03}", n % 1000);
    let mut rest = n / 1000;
    while rest > 0 {
        digits = format!("x{:03}/{digits}", rest % 1000);
        rest /= 1000;
    }
    let level = level.map_or_else(|| "entries".to_owned(), |l| l.to_string());
    if width == TILE_WIDTH {
        format!("{level}/{digits}")
    } else {
        format!("{level}/{digits}.p/{width}")
    }
}

/// Splits an entry bundle into its entries (each a big-endian 16-bit length, then the bytes).
pub fn split_bundle(mut data: &[u8]) -> Option<Vec<&[u8]>> {
    let mut entries = Vec::new();
    while !data.is_empty() {
        let (length, rest) = data.split_at_checked(2)?;
        let length = usize::from(u16::from_be_bytes([length[0], length[1]]));
        let (entry, rest) = rest.split_at_checked(length)?;
        entries.push(entry);
        data = rest;
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_paths_are_read_only_as_c2sp_writes_them() {
        let t = |level, n, width| Some(TilePath { level, n, width });
        assert_eq!(parse_tile_path("0/000"), t(Some(0), 0, 256));
        assert_eq!(
            parse_tile_path("1/x001/x234/067.p/8"),
            t(Some(1), 1_234_067, 8)
        );
        assert_eq!(parse_tile_path("entries/005.p/255"), t(None, 5, 255));
        for bad in [
            "0/0",
            "0/0000",
            "8/000",
            "entries/000.p/256",
            "entries/000.p/0",
            "0/000.p/08",
            "0/x000/001",
            "0/001/002",
            "0/x001",
            "data/000",
            "0/x1/000",
            "0/000.p",
            "0/000/p/3",
            "0/x999/x999/x999/x999/x999/x999/x999/999",
        ] {
            assert_eq!(parse_tile_path(bad), None, "{bad}");
        }
        for (level, n, width) in [
            (Some(0), 0, 256),
            (Some(2), 1_234_067, 8),
            (None, 999_000, 1),
        ] {
            assert_eq!(
                parse_tile_path(&tile_path(level, n, width)),
                t(level, n, width)
            );
        }
    }
}
