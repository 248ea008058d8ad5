//! Scenery that several motifs share: skies, suns, clouds, hills, meadows and
//! distant birds.

use super::super::colour::{mix, scale, Rgbf, RED, SKY, SUN};
use super::super::maths::{cos, dist, sin, Pt, PI, TAU};
use super::super::painter::{Brush, Painter};
use super::super::shapes::{arc, ellipse};

impl Painter {
    /// Sky down to `horizon`, lighter towards it; sometimes only the strip
    /// at the top that so many children paint.
    pub(super) fn sky(&mut self, horizon: f32, col: Rgbf) {
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

    /// A rayed sun, remembered so that clouds keep off it.
    pub(super) fn sun(&mut self, c: Pt, rad: f32, col: Rgbf) {
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
    pub(super) fn face(&mut self, c: Pt, rad: f32, col: Rgbf) {
        let eye = rad * 0.09;
        self.dab((c.0 - rad * 0.32, c.1 - rad * 0.2), eye, col);
        self.dab((c.0 + rad * 0.32, c.1 - rad * 0.2), eye, col);
        let smile = arc((c.0, c.1 + rad * 0.05), rad * 0.42, 0.5, PI - 0.5, 10);
        self.stroke(&smile, Brush::fine(rad * 0.06), col);
    }

    /// A flat-bottomed cloud with a scalloped top, coloured in and outlined.
    pub(super) fn cloud(&mut self, c: Pt, size: f32) {
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
    pub(super) fn clouds(&mut self, below: f32, n: usize) {
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
    pub(super) fn hills(&mut self, horizon: f32, layers: usize, green: Rgbf, haze: Rgbf) {
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

    /// Three blades of grass.
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

    /// Five dabs of petal round a dab of `heart`.
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

    /// A field of grass from `ground` to the bottom, its top edge waving by `wave` at
    /// `frequency`.
    pub(super) fn grass_field(&mut self, ground: f32, wave: f32, frequency: f32, green: Rgbf) {
        let ph = self.rng.range(0.0, TAU);
        let top = move |x: f32| ground + wave * sin(x * frequency + ph);
        let depth = self.h - ground + 0.1;
        self.band(
            &top,
            depth,
            f32::MAX,
            green,
            scale(green, 0.8),
            Brush::wide(0.035),
        );
    }

    /// Scatters tufts and little flowers over the lower part of the picture.
    pub(super) fn meadow(&mut self, from: f32, count: usize, green: Rgbf) {
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
    pub(super) fn v_bird(&mut self, c: Pt, s: f32, col: Rgbf) {
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
