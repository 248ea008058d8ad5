//! Tall flowers on a strip of grass, against a sky or a plain wash.

use super::super::colour::{mix, Rgbf, GRASS, SKY, SUN};
use super::super::maths::{cos, lerp, sin, Pt, TAU};
use super::super::painter::{Brush, Painter};
use super::super::shapes::{ellipse, rect};

pub(super) fn paint(p: &mut Painter) {
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
    p.grass_field(ground, 0.02, 7.0, green);
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

/// One flower: a bent stem with a leaf or two, and petals round a heart.
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
