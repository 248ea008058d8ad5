//! Trees on green hills: one big tree, or a few, bigger the nearer they stand.

use super::super::colour::{mix, scale, Rgbf, BROWN, GRASS, RED, SKY, SUN};
use super::super::maths::{cos, lerp, sin, Pt, TAU};
use super::super::painter::{Brush, Painter};
use super::super::shapes::{blob_shape, ellipse};

pub(super) fn paint(p: &mut Painter) {
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

/// A tree `height` tall standing at `base`: a fir, or a round or lumpy
/// crown, sometimes with fruit.
pub(super) fn tree(p: &mut Painter, base: Pt, height: f32, green: Rgbf) {
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
