//! Sailing boats on a wavy sea under the sky, with gulls.

use super::super::colour::{mix, scale, Rgbf, RED, SEA, SKY, SUN};
use super::super::maths::{Pt, PI};
use super::super::painter::{Brush, Painter};
use super::super::shapes::arc;

pub(super) fn paint(p: &mut Painter) {
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

/// A sailing boat `s` long floating at `c`, with its reflection.
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
