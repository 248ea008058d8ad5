//! The canvas and its brush rasteriser, in pixels: paper with a tooth, and
//! strokes laid on it as translucent, streaky, drying paint.

use super::colour::{mix, scale, Rgbf};
use super::maths::{hash_unit, lerp, tiled_noise, Rng};
use image::RgbImage;

/// Bristles across a brush; more would blur into a flat stroke.
pub(super) const BRISTLES: usize = 32;
/// How much the paper's tooth breaks up the paint.
const TOOTH_BITE: f32 = 0.22;
/// The paper grain repeats every this many pixels, unnoticeably.
const TILE: usize = 128;
/// No stroke may cover a pixel completely, or the blend below would divide by zero.
pub(super) const MAX_OPACITY: f32 = 0.97;
/// How far past a joint (as a share of the piece) a stroke piece still paints,
/// enough to close the outside of gentle bends.
const JOINT: f32 = 0.1;

/// One sample along a stroke's centre line, in pixels.
#[derive(Clone, Copy)]
pub(super) struct Knot {
    pub(super) x: f32,
    pub(super) y: f32,
    /// Half the stroke's width here.
    pub(super) r: f32,
    /// Distance travelled along the stroke so far.
    pub(super) s: f32,
    /// Round off this end: it is a stroke end or a sharp corner.
    pub(super) cap: bool,
}

/// What a loaded brush deposits: its colours and bristle profile.
pub(super) struct Load {
    pub(super) col: Rgbf,
    /// A second colour that streaks through the first.
    pub(super) alt: Rgbf,
    pub(super) opacity: f32,
    /// How much paint the weaker bristles have lost by the stroke's end.
    pub(super) dry: f32,
    /// Each bristle's strength, 0..1, from one edge of the brush to the other.
    pub(super) bristle: [f32; BRISTLES + 1],
    /// How much of `alt` each bristle carries.
    pub(super) streak: [f32; BRISTLES + 1],
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

/// The picture being painted, pixel by pixel, and the paper under it.
pub(super) struct Canvas {
    pub(super) w: usize,
    pub(super) h: usize,
    pub(super) px: Vec<Rgbf>,
    marks: Vec<Mark>,
    /// Paper tooth tiles: how much paint a pixel takes, and how its grain
    /// lightens or darkens the finished picture.
    bite: Vec<f32>,
    grain: Vec<f32>,
    next_id: u32,
}

impl Canvas {
    pub(super) fn new(w: usize, h: usize, paper: Rgbf, rng: &mut Rng) -> Self {
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

    /// Paints one stroke through `knots`.
    pub(super) fn draw(&mut self, knots: &[Knot], load: &Load) {
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
    pub(super) fn to_image(&self, w: u32, h: u32) -> RgbImage {
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

/// Flags knots where the path turns too sharply for the pieces on either
/// side to cover the outside of the bend without a round cap.
pub(super) fn mark_corners(knots: &mut [Knot]) {
    for i in 1..knots.len().saturating_sub(1) {
        let (a, b, c) = (knots[i - 1], knots[i], knots[i + 1]);
        let (ux, uy, vx, vy) = (b.x - a.x, b.y - a.y, c.x - b.x, c.y - b.y);
        let norms = ((ux * ux + uy * uy) * (vx * vx + vy * vy)).sqrt();
        if ux * vx + uy * vy < 0.97 * norms {
            knots[i].cap = true;
        }
    }
}
