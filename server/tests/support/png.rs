//! PNG files written by hand, for uploads no real picture would make: huge images of zeros
//! that take milliseconds to write, and headers that lie about their size.

/// A PNG of `side` x `side` transparent black pixels of 16-bit RGBA: `side`² x 8 bytes once
/// decoded, in a file about 2,000 times smaller.
pub fn zeros_rgba16(side: u32) -> Vec<u8> {
    let row = 1 + u64::from(side) * 8; // the filter byte (0: none), then the pixels
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[16, 6, 0, 0, 0]); // 16 bits, RGBA, deflate, no filter, no interlace
    let mut png = SIGNATURE.to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &zlib_zeros(row * u64::from(side))));
    png.extend(chunk(b"IEND", &[]));
    png
}

/// Sets the size an image's header claims, and the header's checksum to match.
pub fn claim_size(png: &mut [u8], width: u32, height: u32) {
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
}

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let length = u32::try_from(data.len()).expect("a chunk under 4 GiB");
    let mut out = length.to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
    out
}

/// A zlib stream (RFC 1950) of `n` zero bytes: one deflate block with the fixed codes
/// (RFC 1951, 3.2.6): a literal 0, then copies of 258 bytes from one back, then literals.
fn zlib_zeros(n: u64) -> Vec<u8> {
    // Huffman codes go out most significant bit first, so they are written here reversed.
    const LITERAL_ZERO: u64 = 0b0000_1100; // 0x30, 8 bits
    const COPY_258_FROM_1: u64 = 0b1010_0011; // length 285 (8 bits), then distance 0 (5 zero bits)
    let mut bits = Bits::default();
    bits.put(0b011, 3); // the last block, fixed codes
    if n > 0 {
        bits.put(LITERAL_ZERO, 8);
        for _ in 0..(n - 1) / 258 {
            bits.put(COPY_258_FROM_1, 13);
        }
        for _ in 0..(n - 1) % 258 {
            bits.put(LITERAL_ZERO, 8);
        }
    }
    bits.put(0, 7); // end of block
    let mut out = vec![0x78, 0x01];
    out.extend(bits.finish());
    // Adler-32 of zeros: the first sum stays 1; the second adds 1 per byte.
    let adler = ((n % 65_521) << 16) | 1;
    out.extend_from_slice(&u32::try_from(adler).expect("32 bits").to_be_bytes());
    out
}

/// Bits packed from the least significant end of each byte, as deflate wants.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    pending: u64,
    count: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.pending |= value << self.count;
        self.count += count;
        while self.count >= 8 {
            self.out.push(self.pending as u8);
            self.pending >>= 8;
            self.count -= 8;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.out.push(self.pending as u8);
        }
        self.out
    }
}

#[test]
fn a_png_of_zeros_decodes_to_zeros() {
    let png = zeros_rgba16(300);
    let image = image::load_from_memory(&png).expect("a valid PNG");
    assert_eq!((image.width(), image.height()), (300, 300));
    assert_eq!(image.color(), image::ColorType::Rgba16);
    assert!(image.as_bytes().iter().all(|&b| b == 0));
}
