//! Fish under water, over a sandy floor with pebbles and seaweed.

use super::super::colour::{scale, Rgbf, GRASS, SAND, SEA};
use super::super::maths::{lerp, sin, Pt, PI, TAU};
use super::super::painter::{Brush, Painter};
use super::super::shapes::{arc, ellipse};

pub(super) fn paint(p: &mut Painter) {
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

/// A striped fish `len` long around `c`, sometimes blowing bubbles.
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
