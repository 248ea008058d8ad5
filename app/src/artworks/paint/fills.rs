//! How a painter covers an area: colouring in with roughly parallel strokes,
//! spirals, rings that follow an outline, and bands under a wavy edge, each
//! made of strokes that show, as in a child's painting.

use super::colour::{mix, Rgbf};
use super::maths::{cos, dist, lerp, sin, Pt, TAU};
use super::painter::{Brush, Painter};
use super::shapes::{bounds, inside_poly, Rect};

impl Painter {
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

    /// Colours in `poly` with strokes running at `angle`.
    pub(super) fn fill_poly(&mut self, poly: &[Pt], col: Rgbf, brush: Brush, angle: f32) {
        if poly.len() < 3 {
            return;
        }
        self.hatch(&|p| inside_poly(poly, p), bounds(poly), col, brush, angle);
    }

    /// Fills a disc with one spiral stroke, the way suns and dots get painted.
    pub(super) fn spiral(&mut self, c: Pt, rad: f32, col: Rgbf, brush: Brush) {
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
    pub(super) fn rings(&mut self, c: Pt, shape: &[Pt], col: Rgbf, brush: Brush) {
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
    pub(super) fn band(
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
}
