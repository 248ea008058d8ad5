//! The painter: an artist's paints, a brush, and strokes in canvas units,
//! where the shorter side of the picture is 1.0.

use super::canvas::{mark_corners, Canvas, Knot, Load, BRISTLES, MAX_OPACITY};
use super::colour::{colour_distance, luma, mix, rgbf, scale, Rgbf, NAVY, WHITE};
use super::maths::{dist, lerp, sin, smooth, Pt, Rng, TAU};
use super::{Motif, Palette};

/// Keeps a huge or degenerate path from costing unbounded time.
const MAX_KNOTS: usize = 1500;

/// How a stroke is painted: the brush's size, the paint it carries and how
/// steady the hand is.
#[derive(Clone, Copy)]
pub(super) struct Brush {
    /// Half the stroke's width, in canvas units.
    pub(super) radius: f32,
    pub(super) opacity: f32,
    /// How soon the weaker bristles run out of paint along a stroke.
    pub(super) dry: f32,
    /// Sideways drift of the hand, in canvas units.
    pub(super) wobble: f32,
    /// How much of the second colour streaks through the stroke.
    pub(super) streak: f32,
    /// Width left at the ends of a stroke, as a share of the full width.
    pub(super) tip: f32,
    /// How long the swelling at the start is, as a share of the thinning at
    /// the end: a loaded brush lands bluntly and lifts off slowly.
    pub(super) lead: f32,
    /// Distance between neighbouring strokes when filling, as a share of the
    /// radius: below 2 they overlap, and more overlap costs more time.
    pub(super) gap: f32,
}

impl Brush {
    /// A big loaded brush for skies, fields and fills.
    pub(super) fn wide(radius: f32) -> Self {
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
    pub(super) fn fine(radius: f32) -> Self {
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

    pub(super) fn opacity(self, opacity: f32) -> Self {
        Brush { opacity, ..self }
    }

    /// A deliberately pointed stroke, like a leaf or a petal.
    pub(super) fn tip(self, tip: f32) -> Self {
        Brush {
            tip,
            lead: 1.0,
            ..self
        }
    }

    pub(super) fn wobble(self, wobble: f32) -> Self {
        Brush { wobble, ..self }
    }
}

/// Paints one picture: motifs tell it what to paint in canvas units, and it
/// picks the artist's paints and lays the strokes on its canvas.
pub(super) struct Painter {
    pub(super) canvas: Canvas,
    /// The picture's only source of chance, so the seed decides everything.
    pub(super) rng: Rng,
    /// Pixels per canvas unit.
    pub(super) unit: f32,
    /// The picture's size in canvas units.
    pub(super) w: f32,
    pub(super) h: f32,
    paper: Rgbf,
    pub(super) paints: [Rgbf; 5],
    /// Which paints a role has claimed already.
    taken: [bool; 5],
    /// A dark colour derived from the artist's paints, for outlines and eyes.
    pub(super) ink: Rgbf,
    /// Scratch space reused from stroke to stroke rather than allocated for each.
    knots: Vec<Knot>,
    lengths: Vec<f32>,
    /// Where the sun was painted, if any, with its radius.
    pub(super) sun_at: Option<(Pt, f32)>,
    /// The colours that already fill most of the picture (sky, ground),
    /// which the things painted on top should stand out from.
    pub(super) scene: [Rgbf; 2],
}

impl Painter {
    /// A blank sheet of `w` by `h` pixels; `motif` salts the seed so one
    /// artist's motifs do not share their random choices.
    pub(super) fn new(seed: u64, palette: &Palette, motif: Motif, w: usize, h: usize) -> Self {
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

    // -- colours ------------------------------------------------------------

    /// The not-yet-used paint closest to what the role wants, so a motif
    /// uses as many of the artist's paints as it can.
    pub(super) fn role(&mut self, target: Rgbf) -> Rgbf {
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
    pub(super) fn contrasting(&mut self, against: &[Rgbf]) -> Rgbf {
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
    pub(super) fn standout(&mut self) -> Rgbf {
        let scene = self.scene;
        self.contrasting(&scene)
    }

    pub(super) fn any_paint(&mut self) -> Rgbf {
        self.paints[self.rng.below(5)]
    }

    /// Paint thinned towards the paper, the way children lighten colours.
    pub(super) fn tint(&self, c: Rgbf, amount: f32) -> Rgbf {
        mix(c, mix(self.paper, WHITE, 0.5), amount)
    }

    /// A near-white from the paper, for clouds, sails and highlights.
    pub(super) fn light(&self) -> Rgbf {
        mix(self.paper, WHITE, 0.7)
    }

    /// The artist's paint closest to `target`, whether or not a role took it.
    pub(super) fn nearest(&self, target: Rgbf) -> Rgbf {
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

    // -- strokes ------------------------------------------------------------

    /// Paints `path` with `brush` loaded with `col`; a single point makes a
    /// round dab.
    pub(super) fn stroke(&mut self, path: &[Pt], brush: Brush, col: Rgbf) {
        if path.is_empty() {
            return;
        }
        let load = self.load(brush, col);
        self.build_knots(path, brush);
        self.canvas.draw(&self.knots, &load);
    }

    /// Dips the brush: the colour shifts a little from dip to dip, and each
    /// bristle takes up its own amount of paint.
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

    pub(super) fn dab(&mut self, c: Pt, r: f32, col: Rgbf) {
        self.stroke(&[c], Brush::fine(r).wobble(0.0), col);
    }

    pub(super) fn line(&mut self, a: Pt, b: Pt, r: f32, col: Rgbf) {
        self.stroke(&[a, b], Brush::fine(r), col);
    }

    /// Traces `pts` with a fine brush. A closed outline starts at a random
    /// point and runs on past it, so the join does not show.
    pub(super) fn outline(&mut self, pts: &[Pt], closed: bool, col: Rgbf, r: f32) {
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
