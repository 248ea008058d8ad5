//! Small deterministic maths: trigonometry, interpolation, random numbers
//! and noise that give the same bits on every machine, which is what lets a
//! seed stand for a picture.

/// A point or a direction, in canvas units unless said otherwise.
pub(super) type Pt = (f32, f32);

pub(super) const PI: f32 = std::f32::consts::PI;
pub(super) const TAU: f32 = std::f32::consts::TAU;

/// Sine from a fixed polynomial, so results never depend on the libm in use.
pub(super) fn sin(x: f32) -> f32 {
    let mut x = x - TAU * (x / TAU).round();
    if x > PI / 2.0 {
        x = PI - x;
    } else if x < -PI / 2.0 {
        x = -PI - x;
    }
    let x2 = x * x;
    x * (1.0 + x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0 + x2 / 362_880.0))))
}

pub(super) fn cos(x: f32) -> f32 {
    sin(x + PI / 2.0)
}

pub(super) fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

/// Smoothstep on `t` clamped to 0..1: eases in and out, so tapers and noise
/// cells blend without a crease.
pub(super) fn smooth(t: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

pub(super) fn dist(a: Pt, b: Pt) -> f32 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    (dx * dx + dy * dy).sqrt()
}

/// SplitMix64: tiny, fast and its stream is fixed forever.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(super) fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Uniform in [lo, hi).
    pub(super) fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in [-amount, amount).
    pub(super) fn jitter(&mut self, amount: f32) -> f32 {
        (self.unit() * 2.0 - 1.0) * amount
    }

    /// In 0..n, and 0 for an empty range rather than a panic.
    pub(super) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `p`.
    pub(super) fn chance(&mut self, p: f32) -> bool {
        self.unit() < p
    }

    /// +1 or -1, evenly.
    pub(super) fn sign(&mut self) -> f32 {
        if self.chance(0.5) {
            1.0
        } else {
            -1.0
        }
    }
}

/// Scrambles a cell and a seed into well-spread bits, so noise needs no table.
fn hash3(x: u32, y: u32, seed: u32) -> u32 {
    let mut h = x
        .wrapping_mul(0x8DA6_B343)
        .wrapping_add(y.wrapping_mul(0xD816_3841))
        .wrapping_add(seed.wrapping_mul(0xCB1A_B31F));
    h ^= h >> 15;
    h = h.wrapping_mul(0x2C1B_3C6D);
    h ^= h >> 12;
    h = h.wrapping_mul(0x297A_2D39);
    h ^ (h >> 15)
}

/// [`hash3`] as a float in [0, 1).
pub(super) fn hash_unit(x: u32, y: u32, seed: u32) -> f32 {
    (hash3(x, y, seed) >> 8) as f32 / (1u32 << 24) as f32
}

/// Value noise that repeats every `period` cells, so a tile can be reused.
pub(super) fn tiled_noise(x: f32, y: f32, period: (u32, u32), seed: u32) -> f32 {
    let (fx, fy) = (x.floor(), y.floor());
    let (tx, ty) = (smooth(x - fx), smooth(y - fy));
    let (ix, iy) = (fx as u32, fy as u32);
    let (px, py) = (period.0.max(1), period.1.max(1));
    let at = |dx: u32, dy: u32| hash_unit(ix.wrapping_add(dx) % px, iy.wrapping_add(dy) % py, seed);
    lerp(
        lerp(at(0, 0), at(1, 0), tx),
        lerp(at(0, 1), at(1, 1), tx),
        ty,
    )
}
