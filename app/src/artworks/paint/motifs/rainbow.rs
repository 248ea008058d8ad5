//! A rainbow in the artist's paints, in hue order, between two clouds.

use super::super::colour::{hue, GRASS, SKY, SUN};
use super::super::maths::{PI, TAU};
use super::super::painter::{Brush, Painter};
use super::super::shapes::arc;

pub(super) fn paint(p: &mut Painter) {
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
    p.grass_field(ground, 0.015, 6.0, green);
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
