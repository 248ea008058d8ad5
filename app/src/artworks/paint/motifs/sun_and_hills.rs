//! A big sun over rolling hills, now and then with a winding road, a tree or
//! a house in front, and a meadow at the bottom.

use super::super::colour::{mix, GRASS, SAND, SKY, SUN};
use super::super::maths::{lerp, sin, Pt, PI};
use super::super::painter::{Brush, Painter};
use super::houses::house;
use super::trees::tree;

pub(super) fn paint(p: &mut Painter) {
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
