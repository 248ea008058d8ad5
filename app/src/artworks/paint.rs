//! Procedural "children's paintings" for the demo campaign.
//!
//! Every picture is made of brush strokes: a wobbly centre line, a tapering
//! width, a bristle profile that leaves streaks, and translucent paint laid
//! over grainy paper. Nothing here reads the clock, the environment, hash maps
//! or the platform maths library (sine and cosine are our own polynomials),
//! so one set of arguments always yields the same bytes.

use image::RgbImage;

/// An artist's colours: a background (paper) tone and five paint colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// The paper the picture is painted on.
    pub paper: [u8; 3],
    /// The paints on the artist's tray.
    pub paints: [[u8; 3]; 5],
}

/// What a painting shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motif {
    /// A big sun over rolling hills.
    SunAndHills,
    /// Tall flowers in a meadow.
    Flowers,
    /// Sailing boats on a wavy sea.
    SeaAndBoats,
    /// A row of houses, sometimes with a city behind.
    Houses,
    /// Trees on green hills.
    Trees,
    /// A swirling night sky with moon and stars.
    StarryNight,
    /// Big overlapping abstract blobs with squiggles.
    Blobs,
    /// A rainbow between two clouds.
    Rainbow,
    /// Fish, seaweed and bubbles under water.
    Fish,
    /// Birds on a branch or flying over the land.
    Birds,
    /// Hearts of all sizes.
    Hearts,
}

impl Motif {
    /// Every motif, in a fixed order.
    pub const ALL: [Motif; 11] = [
        Motif::SunAndHills,
        Motif::Flowers,
        Motif::SeaAndBoats,
        Motif::Houses,
        Motif::Trees,
        Motif::StarryNight,
        Motif::Blobs,
        Motif::Rainbow,
        Motif::Fish,
        Motif::Birds,
        Motif::Hearts,
    ];

    /// A short human-readable name, e.g. for alt texts.
    pub fn name(self) -> &'static str {
        match self {
            Motif::SunAndHills => "sun and hills",
            Motif::Flowers => "flowers",
            Motif::SeaAndBoats => "sea and boats",
            Motif::Houses => "houses",
            Motif::Trees => "trees",
            Motif::StarryNight => "starry night",
            Motif::Blobs => "abstract blobs",
            Motif::Rainbow => "rainbow",
            Motif::Fish => "fish",
            Motif::Birds => "birds",
            Motif::Hearts => "hearts",
        }
    }
}

/// Names of [`PALETTES`], index for index.
pub const PALETTE_NAMES: [&str; 12] = [
    "Sunny Meadow",
    "Ocean Breeze",
    "Berry Garden",
    "Autumn Forest",
    "Candy Pop",
    "Midnight Blue",
    "Tropical Fruit",
    "Earth and Clay",
    "Pastel Dreams",
    "Primary Bold",
    "Rose Sunset",
    "Forest Moss",
];

/// Named palettes for the demo artists (see [`PALETTE_NAMES`]).
pub const PALETTES: [Palette; 12] = [
    Palette {
        paper: [250, 244, 228],
        paints: [
            [250, 200, 40],
            [240, 120, 40],
            [80, 170, 70],
            [70, 150, 220],
            [220, 50, 60],
        ],
    },
    Palette {
        paper: [240, 246, 248],
        paints: [
            [30, 150, 160],
            [30, 60, 140],
            [110, 200, 220],
            [235, 200, 130],
            [245, 110, 90],
        ],
    },
    Palette {
        paper: [248, 240, 242],
        paints: [
            [200, 40, 120],
            [120, 60, 160],
            [245, 150, 190],
            [90, 160, 80],
            [70, 30, 80],
        ],
    },
    Palette {
        paper: [245, 236, 218],
        paints: [
            [190, 80, 40],
            [220, 170, 50],
            [110, 120, 50],
            [110, 70, 40],
            [140, 40, 50],
        ],
    },
    Palette {
        paper: [255, 250, 245],
        paints: [
            [255, 80, 160],
            [170, 220, 40],
            [40, 200, 200],
            [255, 230, 60],
            [150, 90, 230],
        ],
    },
    Palette {
        paper: [232, 232, 240],
        paints: [
            [25, 35, 90],
            [50, 90, 190],
            [250, 205, 60],
            [170, 150, 220],
            [20, 90, 100],
        ],
    },
    Palette {
        paper: [255, 248, 235],
        paints: [
            [255, 170, 30],
            [235, 60, 80],
            [40, 140, 70],
            [40, 180, 210],
            [170, 210, 80],
        ],
    },
    Palette {
        paper: [238, 226, 206],
        paints: [
            [200, 100, 60],
            [210, 160, 70],
            [140, 160, 110],
            [90, 60, 40],
            [90, 110, 140],
        ],
    },
    Palette {
        paper: [252, 248, 252],
        paints: [
            [160, 200, 240],
            [160, 225, 190],
            [255, 200, 170],
            [200, 170, 230],
            [250, 235, 150],
        ],
    },
    Palette {
        paper: [250, 250, 245],
        paints: [
            [225, 35, 35],
            [30, 70, 200],
            [255, 215, 0],
            [30, 150, 60],
            [30, 30, 30],
        ],
    },
    Palette {
        paper: [253, 240, 230],
        paints: [
            [230, 90, 110],
            [250, 140, 60],
            [250, 200, 80],
            [90, 40, 110],
            [80, 90, 170],
        ],
    },
    Palette {
        paper: [236, 242, 236],
        paints: [
            [100, 140, 60],
            [30, 90, 60],
            [150, 190, 90],
            [120, 85, 55],
            [140, 190, 210],
        ],
    },
];

/// Largest side we honour; larger requests are clamped rather than
/// risking an allocation the server cannot afford.
const MAX_SIDE: u32 = 8192;
/// Above this many pixels we paint smaller and enlarge, which keeps big
/// requests fast and the brushwork looks the same, just softer.
const MAX_WORK_PIXELS: u64 = 2_400_000;

/// Paints a picture. Same arguments -> byte-identical pixels, on every machine and every run.
///
/// Sides are clamped to `1..=8192`; the composition depends only on the seed,
/// the motif and the aspect ratio, not on the resolution.
pub fn paint(seed: u64, palette: &Palette, motif: Motif, width: u32, height: u32) -> RgbImage {
    let (w, h) = (width.clamp(1, MAX_SIDE), height.clamp(1, MAX_SIDE));
    let (iw, ih) = working_size(w, h);
    let mut painter = Painter::new(seed, palette, motif, iw, ih);
    painter.motif(motif);
    painter.canvas.to_image(w, h)
}

fn working_size(w: u32, h: u32) -> (usize, usize) {
    let pixels = u64::from(w) * u64::from(h);
    if pixels <= MAX_WORK_PIXELS {
        return (w as usize, h as usize);
    }
    let k = (MAX_WORK_PIXELS as f64 / pixels as f64).sqrt();
    let side = |s: u32| ((f64::from(s) * k).round() as usize).max(1);
    (side(w), side(h))
}

// ---------------------------------------------------------------------------
// Small deterministic maths.

type Pt = (f32, f32);
type Rgbf = [f32; 3];
/// Axis-aligned bounds as (x0, y0, x1, y1).
type Rect = (f32, f32, f32, f32);

const PI: f32 = std::f32::consts::PI;
const TAU: f32 = std::f32::consts::TAU;

/// Sine from a fixed polynomial, so results never depend on the libm in use.
fn sin(x: f32) -> f32 {
    let mut x = x - TAU * (x / TAU).round();
    if x > PI / 2.0 {
        x = PI - x;
    } else if x < -PI / 2.0 {
        x = -PI - x;
    }
    let x2 = x * x;
    x * (1.0 + x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0 + x2 / 362_880.0))))
}

fn cos(x: f32) -> f32 {
    sin(x + PI / 2.0)
}

fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

fn smooth(t: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

fn mix(a: Rgbf, b: Rgbf, t: f32) -> Rgbf {
    [
        lerp(a[0], b[0], t),
        lerp(a[1], b[1], t),
        lerp(a[2], b[2], t),
    ]
}

fn scale(c: Rgbf, k: f32) -> Rgbf {
    [
        (c[0] * k).clamp(0.0, 1.0),
        (c[1] * k).clamp(0.0, 1.0),
        (c[2] * k).clamp(0.0, 1.0),
    ]
}

fn luma(c: Rgbf) -> f32 {
    0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
}

fn rgbf(c: [u8; 3]) -> Rgbf {
    [
        f32::from(c[0]) / 255.0,
        f32::from(c[1]) / 255.0,
        f32::from(c[2]) / 255.0,
    ]
}

/// Hue in turns (0..1), used to lay paints out in rainbow order.
fn hue(c: Rgbf) -> f32 {
    let max = c[0].max(c[1]).max(c[2]);
    let min = c[0].min(c[1]).min(c[2]);
    let d = max - min;
    if d < 1e-4 {
        return 0.0;
    }
    let h = if max == c[0] {
        (c[1] - c[2]) / d
    } else if max == c[1] {
        2.0 + (c[2] - c[0]) / d
    } else {
        4.0 + (c[0] - c[1]) / d
    };
    (h / 6.0).rem_euclid(1.0)
}

/// Perceptually weighted ("redmean") colour distance, squared.
fn colour_distance(a: Rgbf, b: Rgbf) -> f32 {
    let rm = (a[0] + b[0]) * 0.5;
    let (dr, dg, db) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    (2.0 + rm) * dr * dr + 4.0 * dg * dg + (3.0 - rm) * db * db
}

/// SplitMix64: tiny, fast and its stream is fixed forever.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in [-amount, amount).
    fn jitter(&mut self, amount: f32) -> f32 {
        (self.unit() * 2.0 - 1.0) * amount
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    fn chance(&mut self, p: f32) -> bool {
        self.unit() < p
    }

    fn sign(&mut self) -> f32 {
        if self.chance(0.5) {
            1.0
        } else {
            -1.0
        }
    }
}

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

fn hash_unit(x: u32, y: u32, seed: u32) -> f32 {
    (hash3(x, y, seed) >> 8) as f32 / (1u32 << 24) as f32
}

/// Value noise that repeats every `period` cells, so a tile can be reused.
fn tiled_noise(x: f32, y: f32, period: (u32, u32), seed: u32) -> f32 {
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

// ---------------------------------------------------------------------------
// Geometry helpers, all in canvas units (the shorter side is 1.0).

fn ellipse(c: Pt, rx: f32, ry: f32, rot: f32, n: usize) -> Vec<Pt> {
    let (cr, sr) = (cos(rot), sin(rot));
    (0..n)
        .map(|i| {
            let a = i as f32 / n as f32 * TAU;
            let (x, y) = (cos(a) * rx, sin(a) * ry);
            (c.0 + x * cr - y * sr, c.1 + x * sr + y * cr)
        })
        .collect()
}

/// A lumpy circle: a few random harmonics on the radius.
fn blob_shape(rng: &mut Rng, c: Pt, r: f32, lumpiness: f32) -> Vec<Pt> {
    let harmonics: Vec<(f32, f32, f32)> = (2..5)
        .map(|k| {
            (
                k as f32,
                rng.range(0.3, 1.0) * lumpiness / k as f32,
                rng.range(0.0, TAU),
            )
        })
        .collect();
    (0..48)
        .map(|i| {
            let a = i as f32 / 48.0 * TAU;
            let k: f32 = harmonics
                .iter()
                .map(|&(f, amp, ph)| amp * sin(a * f + ph))
                .sum();
            let rr = r * (1.0 + k);
            (c.0 + cos(a) * rr, c.1 + sin(a) * rr)
        })
        .collect()
}

fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<Pt> {
    vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
}

/// The classic parametric heart, pointing down, `s` is about its half width.
fn heart(c: Pt, s: f32, rot: f32) -> Vec<Pt> {
    let (cr, sr) = (cos(rot), sin(rot));
    (0..56)
        .map(|i| {
            let t = i as f32 / 56.0 * TAU;
            let st = sin(t);
            let x = st * st * st;
            let y =
                -(13.0 * cos(t) - 5.0 * cos(2.0 * t) - 2.0 * cos(3.0 * t) - cos(4.0 * t)) / 16.0;
            let (x, y) = (x * s, (y + 0.1) * s);
            (c.0 + x * cr - y * sr, c.1 + x * sr + y * cr)
        })
        .collect()
}

fn bounds(pts: &[Pt]) -> Rect {
    pts.iter().fold(
        (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
        |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
    )
}

fn inside_poly(poly: &[Pt], p: Pt) -> bool {
    let mut inside = false;
    let mut j = poly.len().wrapping_sub(1);
    for (i, &(xi, yi)) in poly.iter().enumerate() {
        let (xj, yj) = poly[j % poly.len()];
        if (yi > p.1) != (yj > p.1) && p.0 < (xj - xi) * (p.1 - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn arc(c: Pt, r: f32, a0: f32, a1: f32, n: usize) -> Vec<Pt> {
    (0..=n)
        .map(|i| {
            let a = lerp(a0, a1, i as f32 / n as f32);
            (c.0 + cos(a) * r, c.1 + sin(a) * r)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The canvas and its brush rasteriser (pixel space).

/// Bristles across a brush; more would blur into a flat stroke.
const BRISTLES: usize = 32;
/// How much the paper's tooth breaks up the paint.
const TOOTH_BITE: f32 = 0.22;
/// The paper grain repeats every this many pixels, unnoticeably.
const TILE: usize = 128;
/// No stroke may cover a pixel completely, or the blend below would divide by zero.
const MAX_OPACITY: f32 = 0.97;
/// How far past a joint (as a share of the piece) a stroke piece still paints,
/// enough to close the outside of gentle bends.
const JOINT: f32 = 0.1;

/// One sample along a stroke's centre line, in pixels.
#[derive(Clone, Copy)]
struct Knot {
    x: f32,
    y: f32,
    /// Half the stroke's width here.
    r: f32,
    /// Distance travelled along the stroke so far.
    s: f32,
    /// Round off this end: it is a stroke end or a sharp corner.
    cap: bool,
}

/// What a loaded brush deposits: its colours and bristle profile.
struct Load {
    col: Rgbf,
    alt: Rgbf,
    opacity: f32,
    dry: f32,
    bristle: [f32; BRISTLES + 1],
    streak: [f32; BRISTLES + 1],
}

/// Which stroke last touched a pixel and how opaquely, so a stroke's
/// overlapping pieces do not darken each other.
#[derive(Clone, Copy)]
struct Mark {
    id: u32,
    cov: f32,
}

/// What one pixel under the brush gets: how far inside the stroke's edge,
/// where across the bristles, how far along, and how much paper shows.
struct Dab {
    edge: f32,
    across: f32,
    progress: f32,
    bite: f32,
}

struct Canvas {
    w: usize,
    h: usize,
    px: Vec<Rgbf>,
    marks: Vec<Mark>,
    /// Paper tooth tiles: how much paint a pixel takes, and how its grain
    /// lightens or darkens the finished picture.
    bite: Vec<f32>,
    grain: Vec<f32>,
    next_id: u32,
}

impl Canvas {
    fn new(w: usize, h: usize, paper: Rgbf, rng: &mut Rng) -> Self {
        let tooth = paper_tooth(rng.next_u64() as u32);
        let blotch = rng.next_u64() as u32;
        // Soft uneven tone, as on real paper; interpolating along each row
        // from noise sampled every few pixels keeps this cheap.
        const STEP: usize = 8;
        let mut px = Vec::with_capacity(w * h);
        let mut coarse = Vec::with_capacity(w / STEP + 2);
        for y in 0..h {
            coarse.clear();
            coarse.extend((0..w / STEP + 2).map(|i| {
                tiled_noise(
                    (i * STEP) as f32 / 97.0,
                    y as f32 / 89.0,
                    (1 << 16, 1 << 16),
                    blotch,
                )
            }));
            for x in 0..w {
                let (i, f) = (x / STEP, (x % STEP) as f32 / STEP as f32);
                let n = lerp(coarse[i], coarse[i + 1], f);
                px.push(scale(paper, 0.97 + 0.05 * n));
            }
        }
        Canvas {
            w,
            h,
            px,
            marks: vec![
                Mark {
                    id: u32::MAX,
                    cov: 0.0
                };
                w * h
            ],
            bite: tooth.iter().map(|t| 1.0 - TOOTH_BITE * (1.0 - t)).collect(),
            grain: tooth.iter().map(|t| 0.955 + 0.06 * t).collect(),
            next_id: 0,
        }
    }

    fn draw(&mut self, knots: &[Knot], load: &Load) {
        let id = self.next_id;
        // u32::MAX marks untouched pixels, so no stroke may ever get it.
        self.next_id = self.next_id.wrapping_add(1) % (u32::MAX - 1);
        let inv_total = 1.0 / knots.last().map_or(0.0, |k| k.s).max(1e-3);
        match knots {
            [] => {}
            [k] => self.segment(*k, *k, inv_total, load, id),
            _ => {
                for pair in knots.windows(2) {
                    self.segment(pair[0], pair[1], inv_total, load, id);
                }
            }
        }
    }

    /// Rasterises one piece of a stroke, blending by the maximum opacity
    /// any piece of the same stroke reached at each pixel. Only stroke ends
    /// and sharp corners get round caps: elsewhere the neighbouring piece
    /// continues the paint, and painting the joint twice would cost time.
    fn segment(&mut self, a: Knot, b: Knot, inv_total: f32, load: &Load, id: u32) {
        let reach = a.r.max(b.r) + 1.5;
        let piece = Piece::new(a, b, reach);
        let (ux, uy, len) = (piece.ux, piece.uy, piece.len);
        let inv_len = if len > 0.0 { 1.0 / len } else { 0.0 };
        let soft = 0.7 + 0.03 * (a.r + b.r);
        let inv_soft = 1.0 / soft;
        // 1/r varies nearly linearly over a piece, which spares a division per pixel.
        let (inv_ra, inv_rb) = (1.0 / a.r, 1.0 / b.r);
        let y0 = (a.y.min(b.y) - reach).floor().max(0.0) as usize;
        let y1 = ((a.y.max(b.y) + reach).ceil().max(0.0) as usize).min(self.h);
        for y in y0..y1 {
            let py = y as f32 + 0.5;
            let Some((xa, xb)) = piece.row(py) else {
                continue;
            };
            let x0 = (xa.floor().max(0.0) as usize).min(self.w);
            let x1 = (xb.ceil().max(0.0) as usize).min(self.w);
            if x0 >= x1 {
                continue;
            }
            let qy = py - a.y;
            let row = y * self.w;
            let bite_row = &self.bite[(y % TILE) * TILE..][..TILE];
            let cells = self.px[row + x0..row + x1]
                .iter_mut()
                .zip(&mut self.marks[row + x0..row + x1]);
            for (x, (px, mark)) in (x0..x1).zip(cells) {
                let qx = x as f32 + 0.5 - a.x;
                let along = qx * ux + qy * uy;
                // Bristles run along the stroke, so "across" is measured from
                // the centre line even inside the round caps.
                let perp = ux * qy - uy * qx;
                let clamped = along.clamp(0.0, len);
                let beyond = along - clamped;
                let t = clamped * inv_len;
                let r = a.r + (b.r - a.r) * t;
                let outer = r + soft * 0.5;
                let d2 = perp * perp + beyond * beyond;
                if d2 >= outer * outer {
                    continue;
                }
                let d = d2.sqrt();
                let inv_r = inv_ra + (inv_rb - inv_ra) * t;
                let dab = Dab {
                    edge: ((outer - d) * inv_soft).min(1.0),
                    across: (0.5 + 0.5 * perp * inv_r).clamp(0.0, 1.0),
                    progress: (a.s + t * len) * inv_total,
                    bite: bite_row[x % TILE],
                };
                deposit(px, mark, id, load, dab);
            }
        }
    }

    /// Converts to 8-bit, enlarging bilinearly if we painted small, and
    /// pressing the paper grain in at the final resolution.
    fn to_image(&self, w: u32, h: u32) -> RgbImage {
        let mut img = RgbImage::new(w, h);
        let same = self.w == w as usize && self.h == h as usize;
        let (sx, sy) = (self.w as f32 / w as f32, self.h as f32 / h as f32);
        for (x, y, out) in img.enumerate_pixels_mut() {
            let (x, y) = (x as usize, y as usize);
            let c = if same {
                self.px[y * self.w + x]
            } else {
                self.sample((x as f32 + 0.5) * sx - 0.5, (y as f32 + 0.5) * sy - 0.5)
            };
            let grain = self.grain[(y % TILE) * TILE + x % TILE];
            out.0 = c.map(|v| ((v * grain).clamp(0.0, 1.0) * 255.0 + 0.5) as u8);
        }
        img
    }

    fn sample(&self, x: f32, y: f32) -> Rgbf {
        let x = x.clamp(0.0, (self.w - 1) as f32);
        let y = y.clamp(0.0, (self.h - 1) as f32);
        let (x0, y0) = (x as usize, y as usize);
        let (x1, y1) = ((x0 + 1).min(self.w - 1), (y0 + 1).min(self.h - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let at = |x: usize, y: usize| self.px[y * self.w + x];
        mix(
            mix(at(x0, y0), at(x1, y0), fx),
            mix(at(x0, y1), at(x1, y1), fx),
            fy,
        )
    }
}

/// Lays paint on one pixel, keeping only the strongest coverage any piece
/// of the same stroke reached there.
fn deposit(px: &mut Rgbf, mark: &mut Mark, id: u32, load: &Load, dab: Dab) {
    let u = (dab.across * BRISTLES as f32).min(BRISTLES as f32 - 0.001);
    let k = (u as i32).max(0) as usize;
    let f = u - k as f32;
    let b = lerp(load.bristle[k], load.bristle[k + 1], f);
    // As the brush runs dry towards the end, the weaker bristles stop
    // leaving paint first, which is what makes a stroke look dragged.
    let dryness = load.dry * dab.progress * dab.progress;
    let bristle = ((b - dryness) * 4.0 + 0.7).clamp(0.0, 1.0) * (0.8 + 0.2 * b);
    let alpha = load.opacity * dab.edge * bristle * dab.bite;
    let old = if mark.id == id { mark.cov } else { 0.0 };
    let new = alpha.max(old);
    let m = lerp(load.streak[k], load.streak[k + 1], f);
    // Paint piles up a little at a stroke's edges and dries darker there,
    // which is what lets each stroke read as a stroke.
    let rim = (2.0 * dab.across - 1.0) * (2.0 * dab.across - 1.0);
    let shade = 1.0 - 0.1 * rim * rim;
    // The pixel holds lerp(under, col, old); re-derive it with the new
    // opacity. Where this piece adds nothing, `keep` is 1 and the pixel stays:
    // computing that rather than branching keeps the loop free of
    // unpredictable jumps, which is most of its speed.
    let keep = (1.0 - new) / (1.0 - old);
    for ((p, &a), &b) in px.iter_mut().zip(&load.col).zip(&load.alt) {
        let col = lerp(a, b, m) * shade;
        *p = col + (*p - col) * keep;
    }
    *mark = Mark { id, cov: new };
}

/// The area one stroke piece may paint: a band `reach` wide around the
/// segment, running on past its ends by a cap or by the joint overlap.
struct Piece {
    ax: f32,
    ay: f32,
    ux: f32,
    uy: f32,
    len: f32,
    lo: f32,
    hi: f32,
    reach: f32,
}

impl Piece {
    fn new(a: Knot, b: Knot, reach: f32) -> Self {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = (dx * dx + dy * dy).sqrt();
        // A piece too short to have a direction is painted as a round dab.
        let (ux, uy, len) = if len > 1e-4 {
            (dx / len, dy / len, len)
        } else {
            (1.0, 0.0, 0.0)
        };
        let lo = if a.cap || len == 0.0 {
            -reach
        } else {
            -JOINT * len
        };
        let hi = if b.cap || len == 0.0 {
            len + reach
        } else {
            len * (1.0 + JOINT)
        };
        Piece {
            ax: a.x,
            ay: a.y,
            ux,
            uy,
            len,
            lo,
            hi,
            reach,
        }
    }

    /// The x interval of pixel row `py` inside the area: the intersection of
    /// "along the segment within lo..hi" and "across it within reach".
    fn row(&self, py: f32) -> Option<(f32, f32)> {
        let qy = py - self.ay;
        let mut span = (f32::MIN, f32::MAX);
        let along0 = qy * self.uy;
        clip(&mut span, self.ux, self.lo - along0, self.hi - along0)?;
        let perp0 = qy * self.ux;
        clip(&mut span, -self.uy, -self.reach - perp0, self.reach - perp0)?;
        Some((self.ax + span.0, self.ax + span.1))
    }
}

/// Narrows `span` to the x offsets where `k * x` lies within `lo..hi`.
fn clip(span: &mut (f32, f32), k: f32, lo: f32, hi: f32) -> Option<()> {
    if k.abs() < 1e-6 {
        return (lo <= 0.0 && 0.0 <= hi).then_some(());
    }
    let (a, b) = (lo / k, hi / k);
    span.0 = span.0.max(a.min(b));
    span.1 = span.1.min(a.max(b));
    (span.0 <= span.1).then_some(())
}

/// Paper tooth in 0..1: fine pits, longer fibres and a little speckle.
fn paper_tooth(seed: u32) -> Vec<f32> {
    let mut tile = Vec::with_capacity(TILE * TILE);
    let cells = TILE as u32;
    for y in 0..TILE {
        for x in 0..TILE {
            let (fx, fy) = (x as f32, y as f32);
            let pits = tiled_noise(fx / 2.0, fy / 2.0, (cells / 2, cells / 2), seed);
            let fibres = tiled_noise(fx / 16.0, fy / 2.0, (cells / 16, cells / 2), seed ^ 0x55);
            let speck = hash_unit(x as u32, y as u32, seed ^ 0xAA);
            tile.push((0.5 * pits + 0.3 * fibres + 0.2 * speck).clamp(0.0, 1.0));
        }
    }
    tile
}

// ---------------------------------------------------------------------------
// The painter: brushes, strokes and fills in canvas units.

const SKY: Rgbf = [0.45, 0.7, 0.95];
const SUN: Rgbf = [1.0, 0.82, 0.15];
const GRASS: Rgbf = [0.35, 0.7, 0.25];
const SEA: Rgbf = [0.1, 0.45, 0.75];
const RED: Rgbf = [0.9, 0.2, 0.2];
const BROWN: Rgbf = [0.5, 0.32, 0.18];
const SAND: Rgbf = [0.92, 0.78, 0.5];
const PINK: Rgbf = [0.95, 0.45, 0.6];
const NAVY: Rgbf = [0.06, 0.08, 0.25];
const WHITE: Rgbf = [1.0, 1.0, 1.0];

/// Keeps a huge or degenerate path from costing unbounded time.
const MAX_KNOTS: usize = 1500;

#[derive(Clone, Copy)]
struct Brush {
    radius: f32,
    opacity: f32,
    dry: f32,
    /// Sideways drift of the hand, in canvas units.
    wobble: f32,
    /// How much of the second colour streaks through the stroke.
    streak: f32,
    /// Width left at the ends of a stroke, as a share of the full width.
    tip: f32,
    /// How long the swelling at the start is, as a share of the thinning at
    /// the end: a loaded brush lands bluntly and lifts off slowly.
    lead: f32,
    /// Distance between neighbouring strokes when filling, as a share of the
    /// radius: below 2 they overlap, and more overlap costs more time.
    gap: f32,
}

impl Brush {
    /// A big loaded brush for skies, fields and fills.
    fn wide(radius: f32) -> Self {
        Brush {
            radius,
            opacity: 0.9,
            dry: 0.4,
            wobble: radius * 0.35,
            streak: 0.45,
            tip: 0.35,
            lead: 0.3,
            gap: 1.45,
        }
    }

    /// A small brush for lines, outlines and details.
    fn fine(radius: f32) -> Self {
        Brush {
            radius,
            opacity: 0.93,
            dry: 0.2,
            wobble: 0.002 + radius * 0.3,
            streak: 0.12,
            tip: 0.35,
            lead: 1.0,
            gap: 1.35,
        }
    }

    fn opacity(self, opacity: f32) -> Self {
        Brush { opacity, ..self }
    }

    /// A deliberately pointed stroke, like a leaf or a petal.
    fn tip(self, tip: f32) -> Self {
        Brush {
            tip,
            lead: 1.0,
            ..self
        }
    }

    fn wobble(self, wobble: f32) -> Self {
        Brush { wobble, ..self }
    }
}

struct Painter {
    canvas: Canvas,
    rng: Rng,
    /// Pixels per canvas unit.
    unit: f32,
    w: f32,
    h: f32,
    paper: Rgbf,
    paints: [Rgbf; 5],
    taken: [bool; 5],
    ink: Rgbf,
    knots: Vec<Knot>,
    lengths: Vec<f32>,
    /// Where the sun was painted, if any, with its radius.
    sun_at: Option<(Pt, f32)>,
    /// The colours that already fill most of the picture (sky, ground),
    /// which the things painted on top should stand out from.
    scene: [Rgbf; 2],
}

impl Painter {
    fn new(seed: u64, palette: &Palette, motif: Motif, w: usize, h: usize) -> Self {
        let motif_salt = (motif as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407);
        let mut rng = Rng::new(seed ^ motif_salt);
        let paper = rgbf(palette.paper);
        let paints = palette.paints.map(rgbf);
        let darkest = paints
            .iter()
            .copied()
            .fold(WHITE, |a, b| if luma(b) < luma(a) { b } else { a });
        let canvas = Canvas::new(w, h, paper, &mut rng);
        // The shorter side is one unit, except for extreme strips, which show
        // a slice of a picture at most three units wide rather than a
        // thousand tiny ones.
        let unit = (w.min(h) as f32).max(w.max(h) as f32 / 3.0);
        Painter {
            canvas,
            rng,
            unit,
            w: w as f32 / unit,
            h: h as f32 / unit,
            paper,
            paints,
            taken: [false; 5],
            ink: mix(scale(darkest, 0.45), NAVY, 0.25),
            knots: Vec::new(),
            lengths: Vec::new(),
            sun_at: None,
            scene: [paper, paper],
        }
    }

    fn motif(&mut self, motif: Motif) {
        match motif {
            Motif::SunAndHills => sun_and_hills(self),
            Motif::Flowers => flowers(self),
            Motif::SeaAndBoats => sea_and_boats(self),
            Motif::Houses => houses(self),
            Motif::Trees => trees(self),
            Motif::StarryNight => starry_night(self),
            Motif::Blobs => blobs(self),
            Motif::Rainbow => rainbow(self),
            Motif::Fish => fish(self),
            Motif::Birds => birds(self),
            Motif::Hearts => hearts(self),
        }
    }

    // -- colours ------------------------------------------------------------

    /// The not-yet-used paint closest to what the role wants, so a motif
    /// uses as many of the artist's paints as it can.
    fn role(&mut self, target: Rgbf) -> Rgbf {
        let mut best = None;
        for (i, &c) in self.paints.iter().enumerate() {
            let taken = if self.taken[i] { 100.0 } else { 0.0 };
            // Near-black paint makes a gloomy sky or heart; keep it for outlines.
            let gloomy = if luma(c) < 0.2 { 1.5 } else { 0.0 };
            let d = colour_distance(c, target) + taken + gloomy;
            if best.is_none_or(|(_, bd)| d < bd) {
                best = Some((i, d));
            }
        }
        let (i, _) = best.unwrap_or((0, 0.0));
        self.taken[i] = true;
        // A nudge towards what the role wants keeps a sea reading as water
        // even on a tray of autumn browns, while the artist's paint dominates.
        mix(self.paints[i], target, 0.2)
    }

    /// The artist's paint most like `col` without being it: the colour a
    /// child's brush most likely still carries from the last dip.
    fn neighbour(&self, col: Rgbf) -> Rgbf {
        self.paints
            .iter()
            .map(|&c| (c, colour_distance(c, col)))
            .filter(|&(_, d)| d > 0.02 && d < 0.7)
            .fold((mix(col, WHITE, 0.3), f32::MAX), |best, (c, d)| {
                if d < best.1 {
                    (c, d)
                } else {
                    best
                }
            })
            .0
    }

    /// A random paint that stands out against all of `against`, or the one
    /// that stands out most if none does.
    fn contrasting(&mut self, against: &[Rgbf]) -> Rgbf {
        // Near-black counts as less distinct than it measures: a black bird
        // or fish stands out, but reads as a hole rather than a colour.
        let apart = |c: Rgbf| {
            let gloom = if luma(c) < 0.2 { 0.8 } else { 0.0 };
            against
                .iter()
                .map(|&a| colour_distance(a, c))
                .fold(f32::MAX, f32::min)
                - gloom
        };
        let start = self.rng.below(5);
        let candidates = (0..5).map(|i| self.paints[(start + i) % 5]);
        let mut best = (self.paints[start], f32::MIN);
        for c in candidates {
            let d = apart(c);
            if d > 0.8 {
                return c;
            }
            if d > best.1 {
                best = (c, d);
            }
        }
        best.0
    }

    /// A paint that stands out from the scene's main colours.
    fn standout(&mut self) -> Rgbf {
        let scene = self.scene;
        self.contrasting(&scene)
    }

    fn any_paint(&mut self) -> Rgbf {
        self.paints[self.rng.below(5)]
    }

    /// Paint thinned towards the paper, the way children lighten colours.
    fn tint(&self, c: Rgbf, amount: f32) -> Rgbf {
        mix(c, mix(self.paper, WHITE, 0.5), amount)
    }

    fn light(&self) -> Rgbf {
        mix(self.paper, WHITE, 0.7)
    }

    // -- strokes ------------------------------------------------------------

    fn stroke(&mut self, path: &[Pt], brush: Brush, col: Rgbf) {
        if path.is_empty() {
            return;
        }
        let load = self.load(brush, col);
        self.build_knots(path, brush);
        self.canvas.draw(&self.knots, &load);
    }

    fn load(&mut self, brush: Brush, col: Rgbf) -> Load {
        let k = 1.0 + self.rng.jitter(0.06);
        let col = [
            (col[0] + self.rng.jitter(0.025)) * k,
            (col[1] + self.rng.jitter(0.025)) * k,
            (col[2] + self.rng.jitter(0.025)) * k,
        ];
        let col = scale(col, 1.0);
        let alt = match self.rng.below(3) {
            0 => mix(col, WHITE, 0.5),
            1 => scale(col, 0.7),
            _ => self.neighbour(col),
        };
        let mut bristle = [0.0; BRISTLES + 1];
        let mut streak = [0.0; BRISTLES + 1];
        for i in 0..=BRISTLES {
            bristle[i] = self.rng.unit();
            streak[i] = self.rng.unit() * brush.streak;
        }
        Load {
            col,
            alt,
            opacity: brush.opacity.clamp(0.0, MAX_OPACITY),
            dry: (brush.dry * self.rng.range(0.4, 1.4)).clamp(0.0, 0.9),
            bristle,
            streak,
        }
    }

    /// Resamples the path evenly, then adds the hand's wobble, the taper at
    /// both ends and a little pressure change along the way.
    fn build_knots(&mut self, path: &[Pt], brush: Brush) {
        self.knots.clear();
        self.lengths.clear();
        let mut total = 0.0;
        self.lengths.push(0.0);
        for pair in path.windows(2) {
            total += dist(pair[0], pair[1]);
            self.lengths.push(total);
        }
        let r = brush.radius.max(1e-4);
        let slow = TAU / self.rng.range(0.3, 0.7);
        let fast = TAU / self.rng.range(0.06, 0.15).max(8.0 * r);
        let press = TAU / self.rng.range(0.1, 0.3).max(6.0 * r);
        let phases = [
            self.rng.range(0.0, TAU),
            self.rng.range(0.0, TAU),
            self.rng.range(0.0, TAU),
        ];
        // Never coarser than the path itself, so curves stay round.
        let detail = total / (path.len().max(2) - 1) as f32;
        let step = (r * 1.4)
            .min(TAU / fast / 5.0)
            .min(detail)
            .max(total / MAX_KNOTS as f32);
        let n = if total > 1e-6 {
            ((total / step).ceil() as usize).clamp(1, MAX_KNOTS)
        } else {
            0
        };
        let trail = (r * 2.5).min(total * 0.5);
        let lead = trail * brush.lead;
        let mut seg = 0;
        for i in 0..=n {
            let s = if n == 0 {
                0.0
            } else {
                total * i as f32 / n as f32
            };
            while seg + 2 < self.lengths.len() && self.lengths[seg + 1] < s {
                seg += 1;
            }
            let (p, (tx, ty)) = point_on(path, &self.lengths, seg, s);
            let wob = brush.wobble
                * (0.75 * sin(s * slow + phases[0]) + 0.25 * sin(s * fast + phases[1]));
            let end = if lead > 1e-6 {
                smooth((s / lead).min((total - s) / trail))
            } else {
                1.0
            };
            let taper = lerp(brush.tip, 1.0, end);
            let pressure = 1.0 + 0.12 * sin(s * press + phases[2]) + self.rng.jitter(0.02);
            self.knots.push(Knot {
                x: (p.0 - ty * wob) * self.unit,
                y: (p.1 + tx * wob) * self.unit,
                r: (r * taper * pressure * self.unit).max(0.45),
                s: s * self.unit,
                cap: i == 0 || i == n,
            });
        }
        mark_corners(&mut self.knots);
    }

    fn dab(&mut self, c: Pt, r: f32, col: Rgbf) {
        self.stroke(&[c], Brush::fine(r).wobble(0.0), col);
    }

    fn line(&mut self, a: Pt, b: Pt, r: f32, col: Rgbf) {
        self.stroke(&[a, b], Brush::fine(r), col);
    }

    // -- fills --------------------------------------------------------------

    /// Fills a region with roughly parallel strokes, like a child colouring in.
    fn hatch(&mut self, inside: &dyn Fn(Pt) -> bool, b: Rect, col: Rgbf, brush: Brush, angle: f32) {
        let d = (cos(angle), sin(angle));
        let n = (-d.1, d.0);
        let corners = [(b.0, b.1), (b.2, b.1), (b.0, b.3), (b.2, b.3)];
        let (mut t0, mut t1, mut n0, mut n1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for (x, y) in corners {
            let (t, o) = (x * d.0 + y * d.1, x * n.0 + y * n.1);
            (t0, t1, n0, n1) = (t0.min(t), t1.max(t), n0.min(o), n1.max(o));
        }
        if !(t1 - t0).is_finite() || !(n1 - n0).is_finite() {
            return;
        }
        let r = brush.radius.max(1e-3);
        let spacing = r * brush.gap;
        let step = r * 0.45;
        let lines = (((n1 - n0) / spacing).ceil() as usize + 1).min(400);
        let samples = (((t1 - t0) / step).ceil() as usize + 1).min(2000);
        for li in 0..lines {
            let o = n0 + r * 0.4 + li as f32 * spacing + self.rng.jitter(r * 0.15);
            let at = |t: f32| (o * n.0 + t * d.0, o * n.1 + t * d.1);
            let mut start = None;
            for si in 0..=samples {
                let t = t0 + si as f32 * step;
                let is_in = si < samples && inside(at(t));
                match (is_in, start) {
                    (true, None) => start = Some(t),
                    (false, Some(s)) => {
                        let path = self.hatch_run(s, t - step, r);
                        let pts: Vec<Pt> = path
                            .iter()
                            .map(|&(t, off)| {
                                let p = at(t);
                                (p.0 + n.0 * off, p.1 + n.1 * off)
                            })
                            .collect();
                        for piece in pts.chunks(3) {
                            self.stroke(piece, brush, col);
                        }
                        start = None;
                    }
                    _ => {}
                }
            }
        }
    }

    /// Turns one inside run of a hatch line into stroke pieces, three
    /// points (start, bowed middle, end) per piece, as (along, sideways).
    fn hatch_run(&mut self, s: f32, e: f32, r: f32) -> Vec<(f32, f32)> {
        let s = s + r * 0.3 + self.rng.jitter(r * 0.3);
        let e = e - r * 0.3 + self.rng.jitter(r * 0.3);
        if e <= s {
            let m = (s + e) * 0.5;
            return vec![(m, 0.0), (m, 0.0), (m, 0.0)];
        }
        let max_len = (r * 10.0).max(0.3) * self.rng.range(0.7, 1.3);
        let pieces = ((e - s) / max_len).ceil().clamp(1.0, 50.0) as usize;
        let len = (e - s) / pieces as f32;
        let mut out = Vec::with_capacity(pieces * 3);
        for k in 0..pieces {
            let a = s + k as f32 * len - if k > 0 { r * 0.8 } else { 0.0 };
            let b = s + (k + 1) as f32 * len;
            let bow = self.rng.jitter(r * 0.4);
            let ends = if self.rng.chance(0.5) { (a, b) } else { (b, a) };
            out.extend([(ends.0, 0.0), ((a + b) * 0.5, bow), (ends.1, 0.0)]);
        }
        out
    }

    fn fill_poly(&mut self, poly: &[Pt], col: Rgbf, brush: Brush, angle: f32) {
        if poly.len() < 3 {
            return;
        }
        self.hatch(&|p| inside_poly(poly, p), bounds(poly), col, brush, angle);
    }

    /// Fills a disc with one spiral stroke, the way suns and dots get painted.
    fn spiral(&mut self, c: Pt, rad: f32, col: Rgbf, brush: Brush) {
        let r = brush.radius.max(1e-4);
        let outer = rad - r * 0.8;
        // Tight inner turns would only smear, so the middle gets one round dab.
        let inner = r * 1.0;
        let turns = (outer - inner) / (r * 1.25);
        if turns >= 0.6 {
            let turns = turns.min(60.0);
            let steps = ((turns * 28.0) as usize).clamp(8, 1600);
            let a0 = self.rng.range(0.0, TAU);
            let dir = self.rng.sign();
            let path: Vec<Pt> = (0..=steps)
                .map(|i| {
                    let f = i as f32 / steps as f32;
                    let a = a0 + dir * f * turns * TAU;
                    let rr = lerp(outer, inner, f);
                    (c.0 + cos(a) * rr, c.1 + sin(a) * rr)
                })
                .collect();
            self.stroke(&path, brush.wobble(r * 0.15), col);
        }
        let middle = if turns >= 0.6 { inner + r * 0.9 } else { rad };
        self.stroke(
            &[c],
            Brush {
                radius: middle,
                ..brush.wobble(0.0)
            },
            col,
        );
    }

    /// Fills a closed shape around `c` with strokes that follow its outline
    /// inwards, ring by ring, the way a careful child colours a blob.
    fn rings(&mut self, c: Pt, shape: &[Pt], col: Rgbf, brush: Brush) {
        if shape.is_empty() {
            return;
        }
        let mean = shape.iter().map(|&q| dist(q, c)).sum::<f32>() / shape.len() as f32;
        let r = brush.radius.max(1e-4);
        let mut k = 1.0 - r * 0.8 / mean.max(1e-4);
        let step = r * 1.25 / mean.max(1e-4);
        let mut ring = Vec::with_capacity(shape.len() + 2);
        // The ring count is capped so a tiny brush on a big shape stays cheap.
        for _ in 0..200 {
            if k * mean <= r * 0.9 {
                break;
            }
            let start = self.rng.below(shape.len());
            ring.clear();
            ring.extend((0..=shape.len() + 1).map(|i| {
                let q = shape[(start + i) % shape.len()];
                (c.0 + (q.0 - c.0) * k, c.1 + (q.1 - c.1) * k)
            }));
            self.stroke(&ring, brush, col);
            k -= step;
        }
        let middle = (k + step) * mean;
        self.stroke(
            &[c],
            Brush {
                radius: middle.max(r),
                ..brush.wobble(0.0)
            },
            col,
        );
    }

    /// Paints everything below `top(x)` (down to `depth` below it, and never
    /// past `floor`) in strokes that follow the top edge, shading from `c0`
    /// to `c1`.
    fn band(
        &mut self,
        top: &dyn Fn(f32) -> f32,
        depth: f32,
        floor: f32,
        c0: Rgbf,
        c1: Rgbf,
        brush: Brush,
    ) {
        let r = brush.radius.max(1e-3);
        self.underwash(top, r * 0.6, depth, floor, (c0, c1));
        let spacing = r * brush.gap;
        let rows = ((depth / spacing).ceil().max(0.0) as usize + 1).min(400);
        let mut path = Vec::new();
        for k in 0..rows {
            let off = r * 0.6 + k as f32 * spacing + self.rng.jitter(r * 0.2);
            let col = mix(c0, c1, (off / depth.max(1e-3)).clamp(0.0, 1.0));
            let mut x = -0.05 - self.rng.unit() * 0.2;
            while x < self.w + 0.05 {
                let len = self.rng.range(0.25, 0.6);
                let tilt = self.rng.jitter(0.04);
                let reverse = self.rng.chance(0.5);
                let pts = (len / 0.06).ceil() as usize;
                for i in 0..=pts + 1 {
                    let xx = x + len * i as f32 / pts as f32;
                    let y = top(xx) + off + tilt * (xx - x);
                    if i <= pts && y < floor + r {
                        path.push((xx, y));
                    } else if !path.is_empty() {
                        if reverse {
                            path.reverse();
                        }
                        self.stroke(&path, brush, col);
                        path.clear();
                    }
                }
                x += (len - r * 0.4).max(0.1);
            }
        }
    }

    /// A thin flat wash under a band's strokes, from `inset` below its top
    /// edge down to `depth`, so gaps between strokes show a paler tone of the
    /// same paint instead of bare paper.
    fn underwash(
        &mut self,
        top: &dyn Fn(f32) -> f32,
        inset: f32,
        depth: f32,
        floor: f32,
        shades: (Rgbf, Rgbf),
    ) {
        const STRENGTH: f32 = 0.55;
        let (w, h, u) = (self.canvas.w, self.canvas.h, self.unit);
        let floor = floor.min(self.h + 1.0) * u;
        let spans: Vec<(f32, f32)> = (0..w)
            .map(|x| {
                let t = top((x as f32 + 0.5) / u) * u;
                (t + inset * u, (t + depth * u).min(floor))
            })
            .collect();
        let (first, last) = spans
            .iter()
            .fold((f32::MAX, f32::MIN), |(lo, hi), &(a, b)| {
                (lo.min(a), hi.max(b))
            });
        let first = (first.max(0.0) as usize).min(h);
        let last = (last.max(0.0).ceil() as usize).min(h);
        let inv_depth = 1.0 / (depth * u).max(1.0);
        for y in first..last {
            let py = y as f32 + 0.5;
            let row = &mut self.canvas.px[y * w..(y + 1) * w];
            for (p, &(a, b)) in row.iter_mut().zip(&spans) {
                if py < a || py >= b {
                    continue;
                }
                let col = mix(shades.0, shades.1, ((py - a) * inv_depth).min(1.0));
                *p = mix(*p, col, STRENGTH);
            }
        }
    }

    fn outline(&mut self, pts: &[Pt], closed: bool, col: Rgbf, r: f32) {
        if pts.len() < 2 {
            return;
        }
        let mut path = pts.to_vec();
        if closed {
            let start = self.rng.below(pts.len());
            path.rotate_left(start);
            path.push(path[0]);
            path.push(path[1 % path.len()]);
        }
        self.stroke(&path, Brush::fine(r).wobble(0.004), col);
    }

    // -- shared scenery -------------------------------------------------------

    /// Sky down to `horizon`, lighter towards it; sometimes only the strip
    /// at the top that so many children paint.
    fn sky(&mut self, horizon: f32, col: Rgbf) {
        let (top, bottom) = (self.tint(col, 0.05), self.tint(col, 0.45));
        let brush = Brush {
            dry: 0.3,
            ..Brush::wide(0.045).wobble(0.006)
        };
        if self.rng.chance(0.2) {
            let depth = horizon * self.rng.range(0.3, 0.45);
            self.band(&|_| -0.03, depth, f32::MAX, top, top, brush);
        } else {
            self.band(&|_| -0.04, horizon + 0.04, f32::MAX, top, bottom, brush);
        }
    }

    fn sun(&mut self, c: Pt, rad: f32, col: Rgbf) {
        self.sun_at = Some((c, rad));
        let rays = 8 + self.rng.below(7);
        let a0 = self.rng.range(0.0, TAU);
        let ray_col = mix(col, self.nearest(RED), self.rng.range(0.0, 0.4));
        for i in 0..rays {
            let a = a0 + i as f32 / rays as f32 * TAU;
            let len = rad * if i % 2 == 0 { 0.8 } else { 0.5 } * self.rng.range(0.8, 1.2);
            let (dx, dy) = (cos(a), sin(a));
            let inner = rad * 1.25;
            self.line(
                (c.0 + dx * inner, c.1 + dy * inner),
                (c.0 + dx * (inner + len), c.1 + dy * (inner + len)),
                rad * 0.1,
                ray_col,
            );
        }
        self.spiral(c, rad, col, Brush::wide(rad * 0.25));
        if self.rng.chance(0.6) {
            let ring = ellipse(c, rad, rad, 0.0, 40);
            self.outline(&ring, true, mix(col, self.ink, 0.35), rad * 0.05);
        }
        if self.rng.chance(0.35) {
            self.face(c, rad, mix(col, self.ink, 0.6));
        }
    }

    /// Two dot eyes and a smile: children put faces on suns and hearts.
    fn face(&mut self, c: Pt, rad: f32, col: Rgbf) {
        let eye = rad * 0.09;
        self.dab((c.0 - rad * 0.32, c.1 - rad * 0.2), eye, col);
        self.dab((c.0 + rad * 0.32, c.1 - rad * 0.2), eye, col);
        let smile = arc((c.0, c.1 + rad * 0.05), rad * 0.42, 0.5, PI - 0.5, 10);
        self.stroke(&smile, Brush::fine(rad * 0.06), col);
    }

    fn nearest(&self, target: Rgbf) -> Rgbf {
        self.paints
            .iter()
            .copied()
            .fold((WHITE, f32::MAX), |(bc, bd), c| {
                let d = colour_distance(c, target);
                if d < bd {
                    (c, d)
                } else {
                    (bc, bd)
                }
            })
            .0
    }

    /// A flat-bottomed cloud with a scalloped top, coloured in and outlined.
    fn cloud(&mut self, c: Pt, size: f32) {
        let col = self.light();
        let edge = mix(col, mix(self.ink, SKY, 0.5), 0.35);
        let puffs = 2.0 + self.rng.below(3) as f32;
        let (rx, ry) = (size, size * self.rng.range(0.35, 0.5));
        let shape: Vec<Pt> = (0..64)
            .map(|i| {
                let a = i as f32 / 64.0 * TAU;
                let (x, y) = (cos(a), sin(a));
                let lift = if y < 0.0 {
                    1.0 + 0.6 * sin((a - PI) * puffs).abs()
                } else {
                    0.45
                };
                (c.0 + x * rx, c.1 + y * ry * lift)
            })
            .collect();
        let angle = self.rng.jitter(0.2);
        let brush = Brush {
            streak: 0.1,
            dry: 0.2,
            ..Brush::wide(size * 0.1)
        };
        self.fill_poly(&shape, col, brush.opacity(0.97), angle);
        self.outline(&shape, true, edge, size * 0.025);
    }

    /// A few clouds, kept off the sun so its face stays visible.
    fn clouds(&mut self, below: f32, n: usize) {
        for _ in 0..n {
            let size = self.rng.range(0.1, 0.17);
            let mut c = (0.0, 0.0);
            for _ in 0..8 {
                c = (
                    self.rng.range(0.0, self.w),
                    self.rng.range(0.08, below.max(0.1)),
                );
                let clear = self.sun_at.is_none_or(|(s, r)| dist(s, c) > r * 1.6 + size);
                if clear {
                    break;
                }
            }
            self.cloud(c, size);
        }
    }

    /// Layers of rolling hills from `horizon` down, paler at the back.
    fn hills(&mut self, horizon: f32, layers: usize, green: Rgbf, haze: Rgbf) {
        let h = self.h;
        let base_of = |i: usize| {
            let depth = i as f32 / layers.max(2).saturating_sub(1) as f32;
            (depth, horizon + (h - horizon) * 0.5 * depth)
        };
        for i in 0..layers {
            let (depth, base) = base_of(i);
            // Paint only down to where the next layer surely covers.
            let bottom = if i + 1 < layers {
                base_of(i + 1).1 + 0.05
            } else {
                self.h + 0.1
            };
            let amp = self.rng.range(0.04, 0.12);
            let (f1, f2) = (
                TAU / self.rng.range(0.5, 1.4),
                TAU / self.rng.range(0.2, 0.45),
            );
            let (p1, p2) = (self.rng.range(0.0, TAU), self.rng.range(0.0, TAU));
            let top = move |x: f32| {
                base - amp * (0.5 + 0.5 * sin(x * f1 + p1)) - amp * 0.25 * sin(x * f2 + p2)
            };
            let shade = mix(green, [0.85, 0.8, 0.2], self.rng.range(0.0, 0.3));
            let col = mix(shade, haze, 0.5 * (1.0 - depth));
            let deep = scale(col, 0.82);
            self.band(
                &top,
                bottom - base + 1.25 * amp,
                bottom,
                col,
                deep,
                Brush::wide(0.035),
            );
            if self.rng.chance(0.5) {
                let ridge: Vec<Pt> = (0..=30)
                    .map(|k| {
                        let x = -0.05 + (self.w + 0.1) * k as f32 / 30.0;
                        (x, top(x) + 0.006)
                    })
                    .collect();
                let line_col = mix(col, self.ink, 0.35);
                self.stroke(&ridge, Brush::fine(0.005), line_col);
            }
        }
    }

    fn tuft(&mut self, c: Pt, size: f32, col: Rgbf) {
        for k in -1..=1 {
            let k = k as f32;
            let tip = (
                c.0 + k * size * 0.5 + self.rng.jitter(size * 0.2),
                c.1 - size * (1.0 - k.abs() * 0.3),
            );
            self.line(c, tip, size * 0.08, col);
        }
    }

    fn little_flower(&mut self, c: Pt, size: f32, petal: Rgbf, heart: Rgbf) {
        let a0 = self.rng.range(0.0, TAU);
        for k in 0..5 {
            let a = a0 + k as f32 / 5.0 * TAU;
            self.dab(
                (c.0 + cos(a) * size, c.1 + sin(a) * size),
                size * 0.6,
                petal,
            );
        }
        self.dab(c, size * 0.5, heart);
    }

    /// Scatters tufts and little flowers over the lower part of the picture.
    fn meadow(&mut self, from: f32, count: usize, green: Rgbf) {
        let dark = mix(green, self.ink, 0.4);
        for _ in 0..count {
            let c = (
                self.rng.range(0.0, self.w),
                self.rng.range(from, self.h - 0.02),
            );
            let near = ((c.1 - from) / (self.h - from).max(0.05)).clamp(0.0, 1.0);
            let size = 0.015 + 0.025 * near;
            if self.rng.chance(0.5) {
                self.tuft(c, size * 2.0, dark);
            } else {
                let petal = self.any_paint();
                let heart = self.nearest(SUN);
                self.little_flower(c, size * 0.7, petal, heart);
            }
        }
    }

    /// A gull drawn as two curved wings.
    fn v_bird(&mut self, c: Pt, s: f32, col: Rgbf) {
        let path = [
            (c.0 - s, c.1 - s * 0.15),
            (c.0 - s * 0.5, c.1 - s * 0.5),
            (c.0, c.1),
            (c.0 + s * 0.5, c.1 - s * 0.5),
            (c.0 + s, c.1 - s * 0.15),
        ];
        self.stroke(&path, Brush::fine(s * 0.08).tip(0.5), col);
    }
}

/// Flags knots where the path turns too sharply for the pieces on either
/// side to cover the outside of the bend without a round cap.
fn mark_corners(knots: &mut [Knot]) {
    for i in 1..knots.len().saturating_sub(1) {
        let (a, b, c) = (knots[i - 1], knots[i], knots[i + 1]);
        let (ux, uy, vx, vy) = (b.x - a.x, b.y - a.y, c.x - b.x, c.y - b.y);
        let norms = ((ux * ux + uy * uy) * (vx * vx + vy * vy)).sqrt();
        if ux * vx + uy * vy < 0.97 * norms {
            knots[i].cap = true;
        }
    }
}

fn dist(a: Pt, b: Pt) -> f32 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    (dx * dx + dy * dy).sqrt()
}

/// The point at arc length `s` on segment `seg` of `path`, and its unit tangent.
fn point_on(path: &[Pt], lengths: &[f32], seg: usize, s: f32) -> (Pt, Pt) {
    let a = path[seg.min(path.len() - 1)];
    let b = path[(seg + 1).min(path.len() - 1)];
    let l0 = lengths[seg.min(lengths.len() - 1)];
    let l = dist(a, b);
    if l < 1e-9 {
        return (a, (1.0, 0.0));
    }
    let t = ((s - l0) / l).clamp(0.0, 1.0);
    let p = (lerp(a.0, b.0, t), lerp(a.1, b.1, t));
    (p, ((b.0 - a.0) / l, (b.1 - a.1) / l))
}

// ---------------------------------------------------------------------------
// Motifs.

fn sun_and_hills(p: &mut Painter) {
    let sky = p.role(SKY);
    let green = p.role(GRASS);
    p.scene = [sky, green];
    let sun = p.role(SUN);
    let horizon = p.h * p.rng.range(0.42, 0.6);
    p.sky(horizon + 0.08, sky);
    let c = (p.w * p.rng.range(0.2, 0.8), horizon * p.rng.range(0.3, 0.5));
    let rad = p.rng.range(0.08, 0.14);
    p.sun(c, rad, sun);
    let n = p.rng.below(3);
    p.clouds(horizon * 0.6, n);
    let layers = 2 + p.rng.below(3);
    let haze = p.tint(sky, 0.4);
    p.hills(horizon, layers, green, haze);
    match p.rng.below(4) {
        0 => winding_path(p, horizon),
        1 => {
            let base = (p.w * p.rng.range(0.15, 0.85), p.h * p.rng.range(0.8, 0.9));
            let height = p.rng.range(0.35, 0.5);
            tree(p, base, height, green);
        }
        2 => {
            let bw = p.rng.range(0.18, 0.26);
            let x0 = p.rng.range(0.05, p.w - bw - 0.05);
            let base = horizon + (p.h - horizon) * p.rng.range(0.45, 0.6);
            let aspect = p.rng.range(0.7, 0.9);
            house(p, x0, base, bw, bw * aspect);
        }
        _ => {}
    }
    let from = horizon + (p.h - horizon) * 0.55;
    let count = 10 + p.rng.below(20);
    p.meadow(from, count, green);
}

/// A road narrowing as it winds off towards the horizon.
fn winding_path(p: &mut Painter, horizon: f32) {
    let sand = p.nearest(SAND);
    let col = mix(p.light(), sand, 0.35);
    let (x0, x1) = (p.w * p.rng.range(0.3, 0.7), p.w * p.rng.range(0.2, 0.8));
    let swing = p.rng.jitter(0.2);
    let y_end = horizon + (p.h - horizon) * 0.2;
    let centre = |t: f32| {
        (
            lerp(x0, x1, t) + swing * sin(t * PI * 1.5),
            lerp(p.h + 0.05, y_end, t),
        )
    };
    let half = |t: f32| lerp(0.14, 0.01, t);
    let left = (0..=20)
        .map(|i| i as f32 / 20.0)
        .map(|t| (centre(t).0 - half(t), centre(t).1));
    let right = (0..=20)
        .rev()
        .map(|i| i as f32 / 20.0)
        .map(|t| (centre(t).0 + half(t), centre(t).1));
    let road: Vec<Pt> = left.chain(right).collect();
    p.fill_poly(&road, col, Brush::wide(0.025), 0.0);
    let edge = mix(col, p.ink, 0.4);
    p.outline(&road[..21], false, edge, 0.004);
    p.outline(&road[21..], false, edge, 0.004);
}

fn flowers(p: &mut Painter) {
    let green = p.role(GRASS);
    let ground = p.h * p.rng.range(0.72, 0.84);
    if p.rng.chance(0.55) {
        let sky = p.role(SKY);
        p.scene = [sky, green];
        p.sky(ground + 0.05, sky);
        if p.rng.chance(0.5) {
            let sun = p.nearest(SUN);
            let c = (p.w * p.rng.range(0.1, 0.9), p.rng.range(0.1, 0.18));
            p.sun(c, 0.07, sun);
        }
    } else {
        let wash = p.any_paint();
        p.scene = [wash, green];
        let wash = p.tint(wash, 0.7);
        let angle = p.rng.range(-0.4, 0.4);
        let all = rect(-0.1, -0.1, p.w + 0.1, ground + 0.1);
        p.fill_poly(&all, wash, Brush::wide(0.06).opacity(0.6), angle);
    }
    let ph = p.rng.range(0.0, TAU);
    let top = move |x: f32| ground + 0.02 * sin(x * 7.0 + ph);
    p.band(
        &top,
        p.h - ground + 0.1,
        f32::MAX,
        green,
        scale(green, 0.8),
        Brush::wide(0.035),
    );
    let n = 3 + p.rng.below(4);
    for i in 0..n {
        let x = (i as f32 + 0.5) / n as f32 * p.w + p.rng.jitter(0.25 / n as f32);
        let head = (x + p.rng.jitter(0.06), p.rng.range(0.2 * p.h, ground - 0.2));
        let base = (x, ground + p.rng.range(0.04, 0.14));
        flower(p, head, base, green);
    }
    let count = 6 + p.rng.below(10);
    p.meadow(ground + 0.04, count, green);
}

fn flower(p: &mut Painter, head: Pt, base: Pt, green: Rgbf) {
    let stem_col = mix(green, p.ink, 0.25);
    let bend = p.rng.jitter(0.08);
    let stem: Vec<Pt> = (0..=8)
        .map(|i| {
            let t = i as f32 / 8.0;
            let sway = bend * 4.0 * t * (1.0 - t);
            (lerp(base.0, head.0, t) + sway, lerp(base.1, head.1, t))
        })
        .collect();
    p.stroke(&stem, Brush::fine(0.011).tip(0.7), stem_col);
    for _ in 0..1 + p.rng.below(2) {
        let at = stem[3 + p.rng.below(3)];
        let side = p.rng.sign();
        let len = p.rng.range(0.07, 0.12);
        let leaf = [
            at,
            (at.0 + side * len * 0.5, at.1 - len * 0.25),
            (at.0 + side * len, at.1 - len * 0.6),
        ];
        p.stroke(&leaf, Brush::wide(len * 0.25).tip(0.1).opacity(0.95), green);
    }
    let petal_col = p.standout();
    let heart_col = p.nearest(SUN);
    let heart_col = if heart_col == petal_col {
        p.ink
    } else {
        heart_col
    };
    let size = p.rng.range(0.07, 0.12);
    let petals = 5 + p.rng.below(5);
    let a0 = p.rng.range(0.0, TAU);
    let round = p.rng.chance(0.45);
    for k in 0..petals {
        let a = a0 + k as f32 / petals as f32 * TAU;
        let (dx, dy) = (cos(a), sin(a));
        if round {
            let c = (head.0 + dx * size * 0.75, head.1 + dy * size * 0.75);
            p.spiral(c, size * 0.42, petal_col, Brush::wide(size * 0.15));
        } else {
            let from = (head.0 + dx * size * 0.25, head.1 + dy * size * 0.25);
            let to = (head.0 + dx * size * 1.1, head.1 + dy * size * 1.1);
            p.stroke(&[from, to], Brush::wide(size * 0.22).tip(0.4), petal_col);
        }
    }
    p.spiral(head, size * 0.38, heart_col, Brush::wide(size * 0.12));
    if p.rng.chance(0.6) {
        let ring = ellipse(head, size * 0.38, size * 0.38, 0.0, 24);
        p.outline(&ring, true, p.ink, 0.004);
    }
}

fn sea_and_boats(p: &mut Painter) {
    let sky = p.role(SKY);
    let sea = p.role(SEA);
    p.scene = [sky, sea];
    let hull = p.role(RED);
    let horizon = p.h * p.rng.range(0.36, 0.52);
    p.sky(horizon + 0.03, sky);
    if p.rng.chance(0.7) {
        let sun = p.role(SUN);
        let c = (
            p.w * p.rng.range(0.15, 0.85),
            horizon * p.rng.range(0.3, 0.6),
        );
        let rad = p.rng.range(0.06, 0.1);
        p.sun(c, rad, sun);
    }
    let n = p.rng.below(3);
    p.clouds(horizon * 0.7, n);
    let top_sea = mix(sea, p.tint(sky, 0.3), 0.3);
    p.band(
        &|_| horizon,
        p.h - horizon + 0.05,
        f32::MAX,
        top_sea,
        scale(sea, 0.7),
        Brush::wide(0.03).wobble(0.012),
    );
    let crest = p.tint(sea, 0.65);
    for _ in 0..20 + p.rng.below(20) {
        let y = p.rng.range(horizon + 0.03, p.h);
        let s = 0.015 + 0.05 * (y - horizon) / (p.h - horizon);
        let x = p.rng.range(0.0, p.w);
        let wave = arc((x, y + s * 0.5), s, PI * 1.15, PI * 1.85, 6);
        p.stroke(&wave, Brush::fine(s * 0.12), crest);
    }
    let boats = 1 + p.rng.below(3);
    for i in 0..boats {
        let x = (i as f32 + 0.5) / boats as f32 * p.w + p.rng.jitter(0.15 / boats as f32);
        let y = p.rng.range(horizon + 0.12, p.h * 0.88);
        let s = 0.16 + 0.22 * (y - horizon) / (p.h - horizon);
        boat(p, (x, y), s, hull, sea);
    }
    let gulls = p.rng.below(5);
    let gull_col = p.ink;
    for _ in 0..gulls {
        let c = (
            p.rng.range(0.05, p.w - 0.05),
            p.rng.range(0.06, horizon - 0.05),
        );
        let s = p.rng.range(0.02, 0.04);
        p.v_bird(c, s, gull_col);
    }
}

fn boat(p: &mut Painter, c: Pt, s: f32, hull_col: Rgbf, sea: Rgbf) {
    let (x, y) = c;
    let deck = y - s * 0.2;
    let hull = vec![
        (x - s * 0.5, deck),
        (x + s * 0.5, deck),
        (x + s * 0.34, y),
        (x - s * 0.34, y),
    ];
    let reflection = mix(hull_col, sea, 0.55);
    for k in 0..3 {
        let yy = y + s * (0.05 + 0.06 * k as f32);
        let half = s * (0.35 - 0.08 * k as f32);
        p.line((x - half, yy), (x + half, yy), s * 0.025, reflection);
    }
    p.fill_poly(&hull, hull_col, Brush::wide(s * 0.05), 0.0);
    let mast_top = deck - s * 0.9;
    let ink = p.ink;
    p.line((x, deck), (x, mast_top), s * 0.015, ink);
    let side = p.rng.sign();
    let sail_col = if p.rng.chance(0.5) {
        p.light()
    } else {
        p.standout()
    };
    let sail = vec![
        (x + side * s * 0.02, mast_top + s * 0.04),
        (x + side * s * 0.02, deck - s * 0.06),
        (x + side * s * 0.42, deck - s * 0.06),
    ];
    p.fill_poly(&sail, sail_col, Brush::wide(s * 0.04), PI / 2.0);
    p.outline(&sail, true, ink, s * 0.012);
    if p.rng.chance(0.6) {
        let jib_col = p.standout();
        let jib = vec![
            (x - side * s * 0.02, mast_top + s * 0.2),
            (x - side * s * 0.02, deck - s * 0.06),
            (x - side * s * 0.28, deck - s * 0.06),
        ];
        p.fill_poly(&jib, jib_col, Brush::wide(s * 0.035), PI / 2.0);
        p.outline(&jib, true, ink, s * 0.012);
    }
    let flag = p.nearest(RED);
    let flag_shape = vec![
        (x, mast_top),
        (x + side * s * 0.12, mast_top + s * 0.04),
        (x, mast_top + s * 0.08),
    ];
    p.fill_poly(&flag_shape, flag, Brush::fine(s * 0.02), 0.0);
    p.outline(&hull, true, ink, s * 0.014);
}

fn houses(p: &mut Painter) {
    let sky = p.role(SKY);
    let green = p.role(GRASS);
    p.scene = [sky, green];
    let ground = p.h * p.rng.range(0.66, 0.78);
    p.sky(ground + 0.02, sky);
    if p.rng.chance(0.7) {
        let sun = p.role(SUN);
        let c = (p.w * p.rng.range(0.12, 0.88), p.rng.range(0.1, 0.2));
        let rad = p.rng.range(0.06, 0.1);
        p.sun(c, rad, sun);
    }
    let n = p.rng.below(3);
    p.clouds(ground * 0.4, n);
    if p.rng.chance(0.45) {
        skyline(p, ground);
    }
    let ph = p.rng.range(0.0, TAU);
    let top = move |x: f32| ground + 0.01 * sin(x * 5.0 + ph);
    p.band(
        &top,
        p.h - ground + 0.1,
        f32::MAX,
        green,
        scale(green, 0.8),
        Brush::wide(0.035),
    );
    let count = 2 + p.rng.below(3);
    let slot = p.w / count as f32;
    for i in 0..count {
        let bw = slot * p.rng.range(0.55, 0.8);
        let x0 = i as f32 * slot + (slot - bw) * p.rng.range(0.2, 0.8);
        let base = ground + p.rng.range(0.03, 0.08);
        let bh = bw * p.rng.range(0.6, 1.1);
        house(p, x0, base, bw, bh);
    }
    let count = 6 + p.rng.below(10);
    p.meadow(ground + 0.1, count, green);
}

fn skyline(p: &mut Painter, ground: f32) {
    let mut x = -0.05;
    let haze = p.light();
    while x < p.w {
        let bw = p.rng.range(0.08, 0.16);
        let top = ground - p.rng.range(0.15, 0.4);
        let col = p.any_paint();
        let col = mix(col, haze, 0.45);
        let body = rect(x, top, x + bw, ground + 0.02);
        let skew = p.rng.jitter(0.1);
        p.fill_poly(&body, col, Brush::wide(0.02), PI / 2.0 + skew);
        let win = mix(p.nearest(SUN), haze, 0.3);
        let mut wy = top + 0.03;
        while wy < ground - 0.04 {
            let mut wx = x + 0.025;
            while wx < x + bw - 0.02 {
                if p.rng.chance(0.7) {
                    p.dab((wx, wy), 0.008, win);
                }
                wx += 0.03;
            }
            wy += 0.04;
        }
        x += bw + p.rng.range(-0.02, 0.02);
    }
}

fn house(p: &mut Painter, x0: f32, base: f32, bw: f32, bh: f32) {
    let x1 = x0 + bw;
    let top = base - bh;
    let ink = p.ink;
    let wall = p.standout();
    let thinning = p.rng.range(0.0, 0.35);
    let wall = p.tint(wall, thinning);
    let body = rect(x0, top, x1, base);
    let angle = if p.rng.chance(0.5) { PI / 2.0 } else { 0.0 };
    let skew = p.rng.jitter(0.1);
    p.fill_poly(&body, wall, Brush::wide(0.022), angle + skew);
    let roof_h = bw * p.rng.range(0.35, 0.6);
    let peak = (x0 + bw * p.rng.range(0.4, 0.6), top - roof_h);
    let roof = vec![(x0 - 0.025, top + 0.005), (x1 + 0.025, top + 0.005), peak];
    if p.rng.chance(0.5) {
        let chimney_x = lerp(peak.0, x1, 0.55);
        let chimney_top = top - roof_h * 0.75;
        let chim = rect(
            chimney_x - 0.018,
            chimney_top,
            chimney_x + 0.018,
            top - roof_h * 0.2,
        );
        let brick = p.nearest(BROWN);
        p.fill_poly(&chim, brick, Brush::fine(0.012), PI / 2.0);
        p.outline(&chim, true, ink, 0.0035);
        let smoke: Vec<Pt> = (0..30)
            .map(|i| {
                let t = i as f32 / 29.0;
                (
                    chimney_x + 0.025 * sin(t * 14.0) + t * 0.06,
                    chimney_top - 0.01 - t * 0.15,
                )
            })
            .collect();
        let grey = mix(p.light(), ink, 0.25);
        p.stroke(&smoke, Brush::fine(0.008).opacity(0.7), grey);
    }
    let roof_col = p.contrasting(&[wall]);
    let slope = p.rng.range(0.3, 0.7);
    p.fill_poly(&roof, roof_col, Brush::wide(0.018), slope);
    p.outline(&roof, true, ink, 0.004);
    let door_w = bw * 0.2;
    let door_x = x0 + bw * p.rng.range(0.2, 0.8) - door_w * 0.5;
    let door = rect(door_x, base - bh * 0.42, door_x + door_w, base);
    let door_col = mix(p.nearest(BROWN), ink, 0.2);
    p.fill_poly(&door, door_col, Brush::fine(door_w * 0.18), PI / 2.0);
    p.outline(&door, true, ink, 0.0035);
    p.dab(
        (door_x + door_w * 0.75, base - bh * 0.2),
        0.006,
        p.nearest(SUN),
    );
    let glass = p.tint(p.nearest(SUN), 0.45);
    let ws = bw * 0.17;
    for (fx, fy) in [(0.22, 0.3), (0.78, 0.3)] {
        let (cx, cy) = (x0 + bw * fx, top + bh * fy);
        if (cx - (door_x + door_w * 0.5)).abs() < door_w && fy > 0.5 {
            continue;
        }
        let win = rect(cx - ws * 0.5, cy - ws * 0.5, cx + ws * 0.5, cy + ws * 0.5);
        p.fill_poly(&win, glass, Brush::fine(ws * 0.2), 0.0);
        p.line((cx, cy - ws * 0.5), (cx, cy + ws * 0.5), 0.003, ink);
        p.line((cx - ws * 0.5, cy), (cx + ws * 0.5, cy), 0.003, ink);
        p.outline(&win, true, ink, 0.0035);
    }
    p.outline(&body, true, ink, 0.0045);
}

fn trees(p: &mut Painter) {
    let sky = p.role(SKY);
    let green = p.role(GRASS);
    p.scene = [sky, green];
    let horizon = p.h * p.rng.range(0.52, 0.68);
    p.sky(horizon + 0.06, sky);
    if p.rng.chance(0.6) {
        let sun = p.role(SUN);
        let c = (p.w * p.rng.range(0.12, 0.88), p.rng.range(0.1, 0.22));
        let rad = p.rng.range(0.06, 0.1);
        p.sun(c, rad, sun);
    }
    let n = p.rng.below(3);
    p.clouds(horizon * 0.5, n);
    let haze = p.tint(sky, 0.4);
    let layers = 1 + p.rng.below(2);
    p.hills(horizon, layers, green, haze);
    let count = if p.rng.chance(0.3) {
        1
    } else {
        2 + p.rng.below(3)
    };
    let mut spots: Vec<Pt> = (0..count)
        .map(|i| {
            let x = (i as f32 + 0.5) / count as f32 * p.w + p.rng.jitter(0.2 / count as f32);
            (x, p.rng.range(horizon + 0.08, p.h * 0.9))
        })
        .collect();
    spots.sort_by(|a, b| a.1.total_cmp(&b.1));
    for base in spots {
        let near = ((base.1 - horizon) / (p.h - horizon)).clamp(0.0, 1.0);
        let height = if count == 1 {
            p.h * 0.6
        } else {
            0.25 + 0.3 * near
        };
        tree(p, base, height, green);
    }
    let count = 8 + p.rng.below(12);
    p.meadow(horizon + 0.1, count, green);
}

fn tree(p: &mut Painter, base: Pt, height: f32, green: Rgbf) {
    let bark = p.nearest(BROWN);
    let bark = mix(bark, BROWN, 0.3);
    let ink = p.ink;
    let style = p.rng.below(10);
    if style < 3 {
        let trunk_top = (base.0, base.1 - height * 0.2);
        p.line(base, trunk_top, height * 0.04, bark);
        let dark = mix(green, ink, 0.35);
        for k in 0..3 {
            let k = k as f32;
            let w = height * (0.32 - 0.07 * k);
            let y0 = base.1 - height * (0.15 + 0.25 * k);
            let tri = vec![
                (base.0 - w, y0),
                (base.0 + w, y0),
                (base.0 + p.rng.jitter(0.01), y0 - height * 0.38),
            ];
            let angle = p.rng.range(-0.4, 0.4);
            p.fill_poly(&tri, dark, Brush::wide(height * 0.04), angle);
            p.outline(&tri, true, ink, 0.004);
        }
        return;
    }
    let crown = (base.0 + p.rng.jitter(height * 0.05), base.1 - height * 0.68);
    let trunk = [
        base,
        (
            lerp(base.0, crown.0, 0.5) + p.rng.jitter(0.01),
            lerp(base.1, crown.1, 0.5),
        ),
        crown,
    ];
    p.stroke(&trunk, Brush::wide(height * 0.05).tip(0.6), bark);
    for _ in 0..2 + p.rng.below(2) {
        let from = (lerp(base.0, crown.0, 0.6), lerp(base.1, crown.1, 0.6));
        let to = (
            crown.0 + p.rng.jitter(height * 0.25),
            crown.1 - p.rng.range(0.0, height * 0.15),
        );
        p.stroke(&[from, to], Brush::fine(height * 0.018).tip(0.3), bark);
    }
    let r = height * p.rng.range(0.3, 0.4);
    if style < 5 {
        let ball = ellipse(crown, r, r * 0.95, 0.0, 40);
        p.spiral(crown, r, green, Brush::wide(r * 0.2));
        p.outline(&ball, true, ink, 0.004);
    } else {
        let canopy = blob_shape(&mut p.rng, crown, r, 0.3);
        p.rings(crown, &canopy, green, Brush::wide(r * 0.16));
        for _ in 0..4 + p.rng.below(5) {
            let a = p.rng.range(0.0, TAU);
            let d = r * p.rng.range(0.2, 0.6);
            let c = (crown.0 + cos(a) * d, crown.1 + sin(a) * d * 0.85);
            let col = mix(green, [0.9, 0.85, 0.2], p.rng.range(0.0, 0.3));
            let col = scale(col, p.rng.range(0.75, 1.1));
            let br = r * p.rng.range(0.25, 0.4);
            let clump = blob_shape(&mut p.rng, c, br, 0.25);
            p.rings(c, &clump, col, Brush::wide(br * 0.22));
        }
        if p.rng.chance(0.6) {
            p.outline(&canopy, true, mix(green, ink, 0.6), 0.004);
        }
    }
    if p.rng.chance(0.5) {
        let fruit = p.nearest(RED);
        for _ in 0..5 + p.rng.below(8) {
            let a = p.rng.range(0.0, TAU);
            let d = r * p.rng.range(0.1, 0.85);
            p.dab(
                (crown.0 + cos(a) * d, crown.1 + sin(a) * d),
                r * 0.09,
                fruit,
            );
        }
    }
}

fn starry_night(p: &mut Painter) {
    // The darkest, bluest paint on the tray, deepened towards navy.
    let bluish = |c: Rgbf| luma(c) - 0.5 * (c[2] - c[0].max(c[1]));
    let darkest = p
        .paints
        .iter()
        .copied()
        .fold(WHITE, |a, b| if bluish(b) < bluish(a) { b } else { a });
    let night = mix(darkest, NAVY, 0.55);
    let night = scale(night, (0.22 / luma(night).max(0.01)).min(1.0));
    let glow = p.role(SUN);
    let blue = p.role(SKY);
    // The swirls cover most of this ground coat and the hills cover its
    // foot, so it can be laid thinly and stop early.
    let coat = Brush {
        gap: 1.7,
        ..Brush::wide(0.05)
    };
    let (c0, c1) = (scale(night, 0.9), scale(night, 1.2));
    p.band(&|_| -0.05, p.h * 0.9, p.h * 0.9, c0, c1, coat);
    let vortices: Vec<(Pt, f32, f32)> = (0..2 + p.rng.below(2))
        .map(|_| {
            let c = (p.rng.range(0.1, p.w - 0.1), p.rng.range(0.12, p.h * 0.5));
            (
                c,
                p.rng.sign() * p.rng.range(1.5, 3.0),
                p.rng.range(0.12, 0.22),
            )
        })
        .collect();
    let field = |x: f32, y: f32| {
        let (mut vx, mut vy) = (1.0, 0.1 * sin(x * 4.0));
        for &((cx, cy), strength, rad) in &vortices {
            let (dx, dy) = (x - cx, y - cy);
            let d2 = dx * dx + dy * dy;
            let k = strength * rad / (rad * rad + d2);
            vx -= dy * k;
            vy += dx * k;
        }
        let n = (vx * vx + vy * vy).sqrt().max(1e-4);
        (vx / n, vy / n)
    };
    for _ in 0..220 {
        let start = (p.rng.range(-0.1, p.w), p.rng.range(0.0, p.h * 0.85));
        let len = p.rng.range(0.1, 0.3);
        let mut path = vec![start];
        let mut q = start;
        for _ in 0..(len / 0.015) as usize {
            let (vx, vy) = field(q.0, q.1);
            q = (q.0 + vx * 0.015, q.1 + vy * 0.015);
            path.push(q);
        }
        let pick = p.rng.unit();
        let col = if pick < 0.55 {
            mix(night, blue, p.rng.range(0.2, 0.7))
        } else if pick < 0.9 {
            mix(blue, p.light(), p.rng.range(0.0, 0.4))
        } else {
            mix(glow, p.light(), 0.3)
        };
        let width = p.rng.range(0.008, 0.016);
        p.stroke(&path, Brush::fine(width).wobble(0.003), col);
    }
    moon(p, glow, night);
    for _ in 0..10 + p.rng.below(10) {
        let c = (p.rng.range(0.03, p.w - 0.03), p.rng.range(0.03, p.h * 0.6));
        let r = p.rng.range(0.01, 0.022);
        let halo = mix(glow, night, 0.45);
        let ring = ellipse(c, r * 1.9, r * 1.9, 0.0, 20);
        p.outline(&ring, true, halo, r * 0.35);
        p.spiral(c, r, mix(glow, WHITE, 0.25), Brush::wide(r * 0.4));
    }
    let hill = mix(darkest, [0.02, 0.05, 0.04], 0.6);
    let line = p.h * p.rng.range(0.76, 0.86);
    let ph = p.rng.range(0.0, TAU);
    let top = move |x: f32| line - 0.05 * (0.5 + 0.5 * sin(x * 3.0 + ph));
    p.band(
        &top,
        p.h - line + 0.15,
        f32::MAX,
        scale(hill, 1.4),
        hill,
        Brush::wide(0.03),
    );
    let ridge: Vec<Pt> = (0..=30)
        .map(|k| {
            let x = -0.05 + (p.w + 0.1) * k as f32 / 30.0;
            (x, top(x) + 0.01)
        })
        .collect();
    p.stroke(&ridge, Brush::fine(0.006), mix(hill, blue, 0.4));
    if p.rng.chance(0.7) {
        // Warm walls read as lamplit homes against the cold night.
        let walls = mix(p.nearest([0.8, 0.5, 0.3]), hill, 0.4);
        let x0 = p.rng.range(0.05, p.w * 0.6);
        for k in 0..3 + p.rng.below(4) {
            let x = x0 + k as f32 * 0.11 + p.rng.jitter(0.01);
            let size = p.rng.range(0.08, 0.11);
            night_house(p, (x, top(x) + 0.05), size, walls, glow);
        }
    }
    if p.rng.chance(0.5) {
        cypress(p, hill);
    }
}

fn moon(p: &mut Painter, glow: Rgbf, night: Rgbf) {
    let left = p.rng.chance(0.5);
    let c = (
        if left { p.w * 0.2 } else { p.w * 0.8 } + p.rng.jitter(0.05),
        p.rng.range(0.1, 0.2),
    );
    let r = p.rng.range(0.06, 0.09);
    for k in (1..=3).rev() {
        let rr = r * (1.0 + 0.35 * k as f32);
        let ring = ellipse(c, rr, rr, 0.0, 48);
        let col = mix(glow, night, 0.3 + 0.15 * k as f32);
        p.outline(&ring, true, col, r * 0.12);
    }
    if p.rng.chance(0.5) {
        p.spiral(c, r, glow, Brush::wide(r * 0.25));
    } else {
        let mut shape = arc(c, r, -PI / 2.0, PI / 2.0, 20);
        let inner: Vec<Pt> = (0..=20)
            .map(|i| {
                let a = PI / 2.0 - i as f32 / 20.0 * PI;
                (c.0 + cos(a) * r * 0.35, c.1 + sin(a) * r)
            })
            .collect();
        shape.extend(inner);
        p.fill_poly(&shape, glow, Brush::wide(r * 0.18), PI / 2.0);
    }
}

/// A dark little house with a lit window, for the village under the stars.
fn night_house(p: &mut Painter, base: Pt, size: f32, col: Rgbf, glow: Rgbf) {
    let (x, y) = base;
    let body = rect(x - size * 0.5, y - size * 0.7, x + size * 0.5, y);
    let roof = vec![
        (x - size * 0.62, y - size * 0.66),
        (x + size * 0.62, y - size * 0.66),
        (x, y - size * 1.15),
    ];
    p.fill_poly(&body, col, Brush::fine(size * 0.09), 0.0);
    p.fill_poly(&roof, scale(col, 0.75), Brush::fine(size * 0.08), 0.0);
    let edge = mix(col, glow, 0.3);
    p.outline(&body, true, edge, size * 0.03);
    p.outline(&roof, true, edge, size * 0.04);
    let window = mix(glow, WHITE, 0.2);
    let wx = x + p.rng.jitter(size * 0.15);
    p.dab((wx, y - size * 0.36), size * 0.11, window);
}

/// A tall flame-shaped tree, painted in upward curling strokes.
fn cypress(p: &mut Painter, hill: Rgbf) {
    let x = if p.rng.chance(0.5) {
        p.w * 0.15
    } else {
        p.w * 0.85
    };
    let base = p.h + 0.02;
    let height = p.h * p.rng.range(0.45, 0.65);
    let green = p.role(GRASS);
    let col = mix(hill, green, 0.45);
    let strands = 16;
    for k in 0..strands {
        let f = k as f32 / (strands - 1) as f32 - 0.5;
        let top = base - height * (1.0 - f.abs() * 0.7);
        let curl = p.rng.range(0.0, TAU);
        let path: Vec<Pt> = (0..=14)
            .map(|i| {
                let t = i as f32 / 14.0;
                let w = 0.45 * (1.0 - t) * t.sqrt() * f;
                (x + w + 0.012 * sin(t * 14.0 + curl), lerp(base, top, t))
            })
            .collect();
        let shade = scale(col, 0.8 + 0.1 * (k % 4) as f32);
        p.stroke(&path, Brush::fine(0.014).tip(0.2), shade);
    }
}

fn blobs(p: &mut Painter) {
    if p.rng.chance(0.6) {
        let wash = p.any_paint();
        let wash = p.tint(wash, 0.75);
        let all = rect(-0.1, -0.1, p.w + 0.1, p.h + 0.1);
        let angle = p.rng.range(-1.0, 1.0);
        p.fill_poly(&all, wash, Brush::wide(0.06).opacity(0.55), angle);
    }
    let n = 5 + p.rng.below(6);
    let mut order = [0, 1, 2, 3, 4];
    for i in (1..5).rev() {
        order.swap(i, p.rng.below(i + 1));
    }
    let mut radii: Vec<f32> = (0..n).map(|_| p.rng.range(0.08, 0.28)).collect();
    radii.sort_by(|a, b| b.total_cmp(a));
    for (i, r) in radii.into_iter().enumerate() {
        let c = (p.rng.range(0.05, p.w - 0.05), p.rng.range(0.05, p.h - 0.05));
        let col = p.paints[order[i % 5]];
        let shape = blob_shape(&mut p.rng, c, r, 0.35);
        let brush = Brush::wide((r * 0.14).max(0.015)).opacity(p.rng.range(0.82, 0.95));
        if p.rng.chance(0.5) {
            p.rings(c, &shape, col, brush);
        } else {
            let angle = p.rng.range(0.0, PI);
            p.fill_poly(&shape, col, brush, angle);
        }
        if p.rng.chance(0.35) {
            let inner = p.paints[order[(i + 2) % 5]];
            p.spiral(c, r * 0.4, inner, Brush::wide(r * 0.08));
        }
        if p.rng.chance(0.5) {
            let edge = if p.rng.chance(0.5) {
                p.ink
            } else {
                scale(col, 0.6)
            };
            p.outline(&shape, true, edge, 0.005);
        }
    }
    for _ in 0..4 + p.rng.below(6) {
        doodle(p);
    }
}

/// A squiggle, a dot cluster, a spiral or a zigzag.
fn doodle(p: &mut Painter) {
    let c = (p.rng.range(0.05, p.w - 0.05), p.rng.range(0.05, p.h - 0.05));
    let col = if p.rng.chance(0.4) {
        p.ink
    } else {
        p.any_paint()
    };
    let s = p.rng.range(0.08, 0.2);
    match p.rng.below(4) {
        0 => {
            let f = p.rng.range(15.0, 40.0);
            let path: Vec<Pt> = (0..=30)
                .map(|i| {
                    let t = i as f32 / 30.0;
                    (c.0 + (t - 0.5) * s * 2.0, c.1 + sin(t * f) * s * 0.15)
                })
                .collect();
            p.stroke(&path, Brush::fine(0.007), col);
        }
        1 => {
            for _ in 0..5 + p.rng.below(8) {
                let d = (c.0 + p.rng.jitter(s), c.1 + p.rng.jitter(s));
                let size = p.rng.range(0.008, 0.018);
                p.dab(d, size, col);
            }
        }
        2 => {
            let turns = p.rng.range(2.0, 4.0);
            let path: Vec<Pt> = (0..=60)
                .map(|i| {
                    let t = i as f32 / 60.0;
                    let a = t * turns * TAU;
                    (c.0 + cos(a) * s * 0.5 * t, c.1 + sin(a) * s * 0.5 * t)
                })
                .collect();
            p.stroke(&path, Brush::fine(0.006), col);
        }
        _ => {
            let teeth = 4 + p.rng.below(5);
            let path: Vec<Pt> = (0..=teeth)
                .map(|i| {
                    let t = i as f32 / teeth as f32;
                    let up = if i % 2 == 0 { -0.5 } else { 0.5 };
                    (c.0 + (t - 0.5) * s * 2.0, c.1 + up * s * 0.3)
                })
                .collect();
            p.stroke(&path, Brush::fine(0.007), col);
        }
    }
}

fn rainbow(p: &mut Painter) {
    let sky = p.role(SKY);
    let green = p.role(GRASS);
    let ground = p.h * p.rng.range(0.72, 0.84);
    p.sky(ground + 0.05, sky);
    if p.rng.chance(0.5) {
        let sun = p.nearest(SUN);
        let c = (if p.rng.chance(0.5) { 0.12 } else { p.w - 0.12 }, 0.12);
        p.sun(c, 0.07, sun);
    }
    let c = (
        p.w * p.rng.range(0.38, 0.62),
        ground + p.rng.range(0.0, 0.06),
    );
    let outer = (p.w * p.rng.range(0.36, 0.46)).min(c.1 - 0.08);
    let bw = outer * p.rng.range(0.08, 0.11);
    let mut bands = p.paints;
    bands.sort_by(|a, b| hue(*a).total_cmp(&hue(*b)));
    for (k, col) in bands.into_iter().enumerate() {
        let rad = outer - (k as f32 + 0.5) * bw;
        let split = p.rng.range(1.3 * PI, 1.7 * PI);
        let first = arc(c, rad, PI - 0.05, split + 0.1, 30);
        let second = arc(c, rad, split - 0.1, TAU + 0.05, 30);
        let brush = Brush::wide(bw * 0.62).wobble(bw * 0.15);
        p.stroke(&first, brush, col);
        p.stroke(&second, brush, col);
    }
    let ph = p.rng.range(0.0, TAU);
    let top = move |x: f32| ground + 0.015 * sin(x * 6.0 + ph);
    p.band(
        &top,
        p.h - ground + 0.1,
        f32::MAX,
        green,
        scale(green, 0.8),
        Brush::wide(0.035),
    );
    let mid = outer - bw * 2.5;
    let size = p.rng.range(0.13, 0.19);
    p.cloud((c.0 - mid, ground - size * 0.2), size);
    p.cloud((c.0 + mid, ground - size * 0.2), size);
    if p.rng.chance(0.4) {
        let rain = p.tint(sky, 0.1);
        let cx = c.0 + mid * p.rng.sign();
        for k in 0..8 {
            let x = cx + (k as f32 / 7.0 - 0.5) * size * 1.6;
            let y = ground + 0.04 + p.rng.range(0.0, 0.1);
            p.line((x, y), (x - 0.005, y + 0.025), 0.005, rain);
        }
    }
    let count = 8 + p.rng.below(12);
    p.meadow(ground + 0.05, count, green);
}

fn fish(p: &mut Painter) {
    let sea = p.role(SEA);
    let weed = p.role(GRASS);
    let sand = p.role(SAND);
    p.scene = [sea, sand];
    let top_water = p.tint(sea, 0.45);
    let floor = p.h * p.rng.range(0.8, 0.88);
    let water = Brush::wide(0.04).wobble(0.015);
    p.band(
        &|_| -0.05,
        floor + 0.05,
        floor + 0.03,
        top_water,
        scale(sea, 0.85),
        water,
    );
    let ph = p.rng.range(0.0, TAU);
    let top = move |x: f32| floor + 0.02 * sin(x * 5.0 + ph);
    p.band(
        &top,
        p.h - floor + 0.1,
        f32::MAX,
        sand,
        scale(sand, 0.85),
        Brush::wide(0.03),
    );
    for _ in 0..8 + p.rng.below(8) {
        let c = (p.rng.range(0.0, p.w), p.rng.range(floor + 0.04, p.h));
        let col = scale(p.any_paint(), 0.8);
        let size = p.rng.range(0.008, 0.016);
        p.dab(c, size, col);
    }
    for _ in 0..3 + p.rng.below(5) {
        let x = p.rng.range(0.0, p.w);
        let height = p.rng.range(0.2, 0.5);
        let ph = p.rng.range(0.0, TAU);
        let path: Vec<Pt> = (0..=16)
            .map(|i| {
                let t = i as f32 / 16.0;
                (x + 0.03 * sin(t * 9.0 + ph), floor + 0.03 - t * height)
            })
            .collect();
        let col = scale(weed, p.rng.range(0.7, 1.1));
        let width = p.rng.range(0.01, 0.018);
        p.stroke(&path, Brush::fine(width).tip(0.2), col);
    }
    let n = 2 + p.rng.below(3);
    for i in 0..n {
        let len = p.rng.range(0.2, 0.34);
        let row = (i as f32 + 0.5) / n as f32;
        let c = (
            p.rng.range(len, p.w - len * 0.6),
            lerp(0.12, floor - 0.1, row) + p.rng.jitter(0.04),
        );
        one_fish(p, c, len, sea);
    }
}

fn one_fish(p: &mut Painter, c: Pt, len: f32, sea: Rgbf) {
    let facing = p.rng.sign();
    let ink = p.ink;
    let body_col = p.standout();
    let other = p.contrasting(&[body_col, sea]);
    let (rx, ry) = (len * 0.5, len * p.rng.range(0.24, 0.34));
    let body = ellipse(c, rx, ry, 0.0, 40);
    let back = c.0 - facing * rx * 0.85;
    let tail = vec![
        (back, c.1),
        (back - facing * len * 0.35, c.1 - ry * 0.9),
        (back - facing * len * 0.35, c.1 + ry * 0.9),
    ];
    p.fill_poly(&tail, other, Brush::wide(len * 0.04), PI / 2.0);
    p.outline(&tail, true, ink, 0.004);
    let fin = vec![
        (c.0 - facing * rx * 0.3, c.1 - ry * 0.8),
        (c.0 - facing * rx * 0.6, c.1 - ry * 1.4),
        (c.0 + facing * rx * 0.15, c.1 - ry * 0.9),
    ];
    p.fill_poly(&fin, other, Brush::fine(len * 0.03), 0.0);
    let angle = p.rng.jitter(0.2);
    p.fill_poly(&body, body_col, Brush::wide(len * 0.05), angle);
    for k in 0..2 + p.rng.below(2) {
        let dx = (0.1 - 0.3 * k as f32) * rx * facing;
        let half = ry * (1.0 - (dx / rx) * (dx / rx)).max(0.0).sqrt() * 0.85;
        p.line(
            (c.0 + dx, c.1 - half),
            (c.0 + dx, c.1 + half),
            len * 0.035,
            other,
        );
    }
    let eye = (c.0 + facing * rx * 0.55, c.1 - ry * 0.2);
    p.dab(eye, len * 0.065, p.light());
    p.dab((eye.0 + facing * len * 0.01, eye.1), len * 0.03, ink);
    let mouth = arc(
        (c.0 + facing * rx * 0.8, c.1 + ry * 0.05),
        ry * 0.2,
        PI * 0.2,
        PI * 0.8,
        5,
    );
    p.stroke(&mouth, Brush::fine(0.003), ink);
    p.outline(&body, true, ink, 0.0045);
    let bubble = p.tint(sea, 0.85);
    let mut b = (c.0 + facing * rx * 1.15, c.1 - ry * 0.3);
    for k in 0..p.rng.below(4) {
        let r = 0.008 + 0.005 * k as f32;
        let ring = ellipse(b, r, r, 0.0, 14);
        p.outline(&ring, true, bubble, 0.0028);
        b = (b.0 + p.rng.jitter(0.02), b.1 - 0.045 - r);
    }
}

fn birds(p: &mut Painter) {
    let sky = p.role(SKY);
    let green = p.role(GRASS);
    p.scene = [sky, green];
    if p.rng.chance(0.6) {
        p.sky(p.h + 0.05, sky);
        if p.rng.chance(0.5) {
            let sun = p.role(SUN);
            let c = (p.w * p.rng.range(0.15, 0.85), p.rng.range(0.1, 0.2));
            p.sun(c, 0.07, sun);
        }
        let n = 1 + p.rng.below(2);
        p.clouds(p.h * 0.35, n);
        branch_scene(p, green);
    } else {
        let horizon = p.h * p.rng.range(0.6, 0.75);
        p.sky(horizon + 0.05, sky);
        let sun = p.role(SUN);
        let c = (
            p.w * p.rng.range(0.15, 0.85),
            horizon * p.rng.range(0.3, 0.6),
        );
        let rad = p.rng.range(0.07, 0.11);
        p.sun(c, rad, sun);
        let haze = p.tint(sky, 0.4);
        p.hills(horizon, 2, green, haze);
        flock(p, horizon);
    }
}

/// A few big colourful birds in flight, with a flock of gulls behind.
fn flock(p: &mut Painter, horizon: f32) {
    let lead = (
        p.rng.range(0.2, p.w - 0.2),
        p.rng.range(0.15, horizon * 0.6),
    );
    let col = p.ink;
    for _ in 0..4 + p.rng.below(6) {
        let c = (lead.0 + p.rng.jitter(0.35), lead.1 + p.rng.jitter(0.18));
        let s = p.rng.range(0.025, 0.05);
        p.v_bird(c, s, col);
    }
    let facing = p.rng.sign();
    let big = 2 + p.rng.below(2);
    for i in 0..big {
        let x = (i as f32 + 0.5) / big as f32 * p.w + p.rng.jitter(0.08);
        let c = (x, p.rng.range(0.25, horizon - 0.1));
        let s = p.rng.range(0.2, 0.3);
        flying_bird(p, c, s, facing);
    }
}

fn flying_bird(p: &mut Painter, c: Pt, s: f32, facing: f32) {
    let ink = p.ink;
    let col = p.standout();
    let wing_col = scale(col, 0.75);
    let (x, y) = c;
    let f = facing;
    let far_wing = wing((x + f * s * 0.1, y - s * 0.05), s * 0.8, f, 0.35);
    p.fill_poly(&far_wing, wing_col, Brush::fine(s * 0.05), 0.3);
    p.outline(&far_wing, true, ink, 0.0035);
    let tail = vec![
        (x - f * s * 0.4, y),
        (x - f * s * 0.75, y - s * 0.14),
        (x - f * s * 0.7, y + s * 0.14),
    ];
    p.fill_poly(&tail, wing_col, Brush::fine(s * 0.04), 0.0);
    p.outline(&tail, true, ink, 0.0035);
    let body = ellipse(c, s * 0.5, s * 0.2, f * -0.1, 32);
    p.fill_poly(&body, col, Brush::wide(s * 0.06), 0.0);
    p.outline(&body, true, ink, 0.004);
    let head = (x + f * s * 0.48, y - s * 0.1);
    let hr = s * 0.15;
    p.spiral(head, hr, col, Brush::wide(hr * 0.35));
    let beak = vec![
        (head.0 + f * hr * 0.8, head.1 - hr * 0.3),
        (head.0 + f * hr * 1.7, head.1 + hr * 0.1),
        (head.0 + f * hr * 0.8, head.1 + hr * 0.4),
    ];
    let beak_col = p.nearest(SUN);
    p.fill_poly(&beak, beak_col, Brush::fine(hr * 0.15), 0.0);
    p.dab((head.0 + f * hr * 0.3, head.1 - hr * 0.2), hr * 0.16, ink);
    let near_wing = wing((x - f * s * 0.05, y), s, f, 0.0);
    p.fill_poly(&near_wing, wing_col, Brush::fine(s * 0.05), 0.3);
    p.outline(&near_wing, true, ink, 0.0035);
}

/// A raised wing: a curved leading edge up to the tip, a scalloped
/// trailing edge back down to the shoulder.
fn wing(shoulder: Pt, span: f32, facing: f32, lean: f32) -> Vec<Pt> {
    let (x, y) = shoulder;
    let tip = (x - facing * span * (0.35 + lean), y - span * 0.75);
    let mut pts: Vec<Pt> = (0..=8)
        .map(|i| {
            let t = i as f32 / 8.0;
            let bulge = facing * span * 0.25 * sin(t * PI);
            (lerp(x, tip.0, t) + bulge, lerp(y, tip.1, t))
        })
        .collect();
    let back = (x - facing * span * 0.35, y + span * 0.02);
    pts.extend((1..8).map(|i| {
        let t = i as f32 / 8.0;
        let scallop = span * 0.05 * sin(t * PI * 3.0).abs();
        (
            lerp(tip.0, back.0, t) - facing * scallop,
            lerp(tip.1, back.1, t) + scallop,
        )
    }));
    pts
}

fn branch_scene(p: &mut Painter, green: Rgbf) {
    let bark = mix(p.nearest(BROWN), BROWN, 0.3);
    let (y0, y1) = (p.h * p.rng.range(0.55, 0.75), p.h * p.rng.range(0.55, 0.75));
    let sag = p.rng.range(-0.05, 0.08);
    let w = p.w;
    let along = move |t: f32| {
        (
            lerp(-0.05, w + 0.05, t),
            lerp(y0, y1, t) + sag * 4.0 * t * (1.0 - t),
        )
    };
    let limb: Vec<Pt> = (0..=10).map(|i| along(i as f32 / 10.0)).collect();
    p.stroke(&limb, Brush::wide(0.028).tip(0.7), bark);
    for _ in 0..4 + p.rng.below(4) {
        let at = along(p.rng.range(0.05, 0.95));
        let dir = p.rng.sign();
        let tip = (
            at.0 + p.rng.jitter(0.1),
            at.1 + dir * p.rng.range(0.06, 0.14),
        );
        p.stroke(&[at, tip], Brush::fine(0.008).tip(0.3), bark);
        for _ in 0..2 {
            let len = p.rng.range(0.05, 0.08);
            let side = p.rng.sign();
            let leaf = [
                tip,
                (tip.0 + side * len * 0.5, tip.1 - len * 0.2),
                (tip.0 + side * len, tip.1 - len * 0.5),
            ];
            p.stroke(&leaf, Brush::wide(len * 0.22).tip(0.1), green);
        }
    }
    let n = 2 + p.rng.below(3);
    for i in 0..n {
        let t = (i as f32 + 0.5) / n as f32 + p.rng.jitter(0.08 / n as f32);
        let perch = along(t);
        let s = p.rng.range(0.17, 0.25);
        sitting_bird(p, perch, s);
    }
    for _ in 0..p.rng.below(4) {
        let c = (p.rng.range(0.1, p.w - 0.1), p.rng.range(0.08, 0.3));
        let col = p.ink;
        let size = p.rng.range(0.025, 0.045);
        p.v_bird(c, size, col);
    }
}

fn sitting_bird(p: &mut Painter, perch: Pt, s: f32) {
    let facing = p.rng.sign();
    let ink = p.ink;
    let col = p.standout();
    let belly_col = p.tint(col, 0.55);
    let (rx, ry) = (s * 0.5, s * 0.38);
    let c = (perch.0, perch.1 - ry * 0.85);
    let tail = vec![
        (c.0 - facing * rx * 0.7, c.1),
        (c.0 - facing * rx * 1.5, c.1 + ry * 0.2),
        (c.0 - facing * rx * 1.35, c.1 + ry * 0.7),
    ];
    let tail_col = scale(col, 0.75);
    p.fill_poly(&tail, tail_col, Brush::fine(s * 0.05), 0.5);
    p.outline(&tail, true, ink, 0.0035);
    for k in [-1.0, 1.0] {
        let foot = (perch.0 + k * rx * 0.25, perch.1 + 0.008);
        p.line((foot.0, c.1 + ry * 0.6), foot, 0.003, ink);
    }
    let body = ellipse(c, rx, ry, facing * 0.15, 36);
    let angle = p.rng.jitter(0.3);
    p.fill_poly(&body, col, Brush::wide(s * 0.06), angle);
    let belly = ellipse(
        (c.0 + facing * rx * 0.2, c.1 + ry * 0.3),
        rx * 0.5,
        ry * 0.45,
        0.0,
        24,
    );
    p.fill_poly(&belly, belly_col, Brush::fine(s * 0.04), 0.0);
    let head = (c.0 + facing * rx * 0.75, c.1 - ry * 0.75);
    let hr = s * 0.24;
    p.spiral(head, hr, col, Brush::wide(hr * 0.3));
    let wing = vec![
        (c.0 + facing * rx * 0.3, c.1 - ry * 0.3),
        (c.0 - facing * rx * 0.2, c.1 - ry * 0.1),
        (c.0 - facing * rx * 0.7, c.1 + ry * 0.25),
    ];
    p.stroke(&wing, Brush::wide(s * 0.09).tip(0.2), scale(col, 0.7));
    let beak_col = p.nearest(SUN);
    let bx = head.0 + facing * hr * 0.95;
    let beak = vec![
        (bx, head.1 - hr * 0.25),
        (bx + facing * hr * 0.7, head.1 + hr * 0.05),
        (bx, head.1 + hr * 0.3),
    ];
    p.fill_poly(&beak, beak_col, Brush::fine(hr * 0.15), 0.0);
    p.outline(&beak, true, ink, 0.003);
    p.dab(
        (head.0 + facing * hr * 0.35, head.1 - hr * 0.2),
        hr * 0.16,
        ink,
    );
    p.outline(&body, true, ink, 0.004);
    let head_ring = ellipse(head, hr, hr, 0.0, 24);
    p.outline(&head_ring, true, ink, 0.004);
}

fn hearts(p: &mut Painter) {
    let red = p.role(RED);
    let pink = p.role(PINK);
    let wash = p.tint(pink, 0.75);
    let all = rect(-0.1, -0.1, p.w + 0.1, p.h + 0.1);
    let angle = p.rng.range(-1.0, 1.0);
    p.fill_poly(&all, wash, Brush::wide(0.06).opacity(0.6), angle);
    let ink = p.ink;
    for _ in 0..5 + p.rng.below(8) {
        let c = (p.rng.range(0.0, p.w), p.rng.range(0.0, p.h));
        let s = p.rng.range(0.04, 0.1);
        let col = p.any_paint();
        let shape = heart(c, s, p.rng.jitter(0.5));
        let angle = p.rng.range(0.0, PI);
        p.fill_poly(&shape, col, Brush::wide(s * 0.22), angle);
        if p.rng.chance(0.5) {
            p.outline(&shape, true, ink, 0.004);
        }
    }
    if p.rng.chance(0.55) {
        let c = (
            p.w * 0.5 + p.rng.jitter(0.08),
            p.h * 0.5 + p.rng.jitter(0.08),
        );
        let s = p.w * p.rng.range(0.3, 0.38);
        big_heart(p, c, s, red);
    } else {
        let n = 2 + p.rng.below(2);
        let slant = p.rng.sign() * p.rng.range(0.1, 0.25);
        for i in 0..n {
            let f = (i as f32 + 0.5) / n as f32;
            let c = (p.w * (0.5 + slant * (f - 0.5) * 2.0), p.h * f);
            let s = p.w * p.rng.range(0.17, 0.24);
            let col = if i == 0 {
                red
            } else {
                p.contrasting(&[wash, red])
            };
            big_heart(p, c, s, col);
        }
    }
    for _ in 0..20 + p.rng.below(20) {
        let d = (p.rng.range(0.0, p.w), p.rng.range(0.0, p.h));
        let col = p.any_paint();
        let size = p.rng.range(0.005, 0.012);
        p.dab(d, size, col);
    }
}

/// A large coloured-in heart with a second heart drawn inside, and
/// sometimes a smile.
fn big_heart(p: &mut Painter, c: Pt, s: f32, col: Rgbf) {
    let ink = p.ink;
    let tilt = p.rng.jitter(0.2);
    let big = heart(c, s, tilt);
    let angle = p.rng.range(0.0, PI);
    p.fill_poly(&big, col, Brush::wide(s * 0.09), angle);
    let inner = heart((c.0, c.1 + s * 0.05), s * 0.6, tilt + p.rng.jitter(0.1));
    let inner_col = p.contrasting(&[col]);
    p.outline(&inner, true, inner_col, s * 0.03);
    p.outline(&big, true, ink, 0.006);
    if p.rng.chance(0.4) {
        p.face((c.0, c.1 - s * 0.05), s * 0.5, ink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(seed: u64, motif: Motif) -> RgbImage {
        paint(seed, &PALETTES[0], motif, 96, 120)
    }

    #[test]
    fn same_seed_gives_identical_bytes() {
        for motif in Motif::ALL {
            assert_eq!(
                render(7, motif).as_raw(),
                render(7, motif).as_raw(),
                "{motif:?}"
            );
        }
    }

    #[test]
    fn different_seeds_differ() {
        for motif in Motif::ALL {
            assert_ne!(
                render(1, motif).as_raw(),
                render(2, motif).as_raw(),
                "{motif:?}"
            );
        }
    }

    #[test]
    fn output_has_requested_dimensions() {
        let img = paint(3, &PALETTES[1], Motif::Fish, 150, 70);
        assert_eq!(img.dimensions(), (150, 70));
    }

    #[test]
    fn tiny_and_degenerate_sizes_do_not_panic() {
        for (w, h) in [(1, 1), (3, 2), (2, 3), (1, 40), (0, 0)] {
            for motif in Motif::ALL {
                let img = paint(9, &PALETTES[2], motif, w, h);
                assert_eq!(img.dimensions(), (w.max(1), h.max(1)));
            }
        }
    }

    #[test]
    fn pictures_are_not_near_uniform() {
        for (i, motif) in Motif::ALL.into_iter().enumerate() {
            let img = paint(i as u64, &PALETTES[i % PALETTES.len()], motif, 96, 120);
            let lum: Vec<f32> = img.pixels().map(|p| luma(rgbf(p.0)) * 255.0).collect();
            let mean = lum.iter().sum::<f32>() / lum.len() as f32;
            let var = lum.iter().map(|l| (l - mean) * (l - mean)).sum::<f32>() / lum.len() as f32;
            assert!(var > 100.0, "{motif:?} luminance variance {var}");
            let mut colours: Vec<[u8; 3]> = img.pixels().map(|p| p.0).collect();
            colours.sort_unstable();
            colours.dedup();
            assert!(
                colours.len() > 500,
                "{motif:?} has {} colours",
                colours.len()
            );
        }
    }

    #[test]
    fn palettes_are_distinct() {
        for (i, a) in PALETTES.iter().enumerate() {
            for b in &PALETTES[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
