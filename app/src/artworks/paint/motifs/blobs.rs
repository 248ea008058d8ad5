//! Big overlapping abstract blobs with squiggles and dots on top.

use super::super::colour::scale;
use super::super::maths::{cos, sin, Pt, PI, TAU};
use super::super::painter::{Brush, Painter};
use super::super::shapes::{blob_shape, rect};

pub(super) fn paint(p: &mut Painter) {
    if p.rng.chance(0.6) {
        let wash = p.any_paint();
        let wash = p.tint(wash, 0.75);
        let all = rect(-0.1, -0.1, p.w + 0.1, p.h + 0.1);
        let angle = p.rng.range(-1.0, 1.0);
        p.fill_poly(&all, wash, Brush::wide(0.06).opacity(0.55), angle);
    }
    let n = 5 + p.rng.below(6);
    let mut order = [0, 1, 2, 3, 4];
    for i in (1..5).rev() {
        order.swap(i, p.rng.below(i + 1));
    }
    let mut radii: Vec<f32> = (0..n).map(|_| p.rng.range(0.08, 0.28)).collect();
    radii.sort_by(|a, b| b.total_cmp(a));
    for (i, r) in radii.into_iter().enumerate() {
        let c = (p.rng.range(0.05, p.w - 0.05), p.rng.range(0.05, p.h - 0.05));
        let col = p.paints[order[i % 5]];
        let shape = blob_shape(&mut p.rng, c, r, 0.35);
        let brush = Brush::wide((r * 0.14).max(0.015)).opacity(p.rng.range(0.82, 0.95));
        if p.rng.chance(0.5) {
            p.rings(c, &shape, col, brush);
        } else {
            let angle = p.rng.range(0.0, PI);
            p.fill_poly(&shape, col, brush, angle);
        }
        if p.rng.chance(0.35) {
            let inner = p.paints[order[(i + 2) % 5]];
            p.spiral(c, r * 0.4, inner, Brush::wide(r * 0.08));
        }
        if p.rng.chance(0.5) {
            let edge = if p.rng.chance(0.5) {
                p.ink
            } else {
                scale(col, 0.6)
            };
            p.outline(&shape, true, edge, 0.005);
        }
    }
    for _ in 0..4 + p.rng.below(6) {
        doodle(p);
    }
}

/// A squiggle, a dot cluster, a spiral or a zigzag.
fn doodle(p: &mut Painter) {
    let c = (p.rng.range(0.05, p.w - 0.05), p.rng.range(0.05, p.h - 0.05));
    let col = if p.rng.chance(0.4) {
        p.ink
    } else {
        p.any_paint()
    };
    let s = p.rng.range(0.08, 0.2);
    match p.rng.below(4) {
        0 => {
            let f = p.rng.range(15.0, 40.0);
            let path: Vec<Pt> = (0..=30)
                .map(|i| {
                    let t = i as f32 / 30.0;
                    (c.0 + (t - 0.5) * s * 2.0, c.1 + sin(t * f) * s * 0.15)
                })
                .collect();
            p.stroke(&path, Brush::fine(0.007), col);
        }
        1 => {
            for _ in 0..5 + p.rng.below(8) {
                let d = (c.0 + p.rng.jitter(s), c.1 + p.rng.jitter(s));
                let size = p.rng.range(0.008, 0.018);
                p.dab(d, size, col);
            }
        }
        2 => {
            let turns = p.rng.range(2.0, 4.0);
            let path: Vec<Pt> = (0..=60)
                .map(|i| {
                    let t = i as f32 / 60.0;
                    let a = t * turns * TAU;
                    (c.0 + cos(a) * s * 0.5 * t, c.1 + sin(a) * s * 0.5 * t)
                })
                .collect();
            p.stroke(&path, Brush::fine(0.006), col);
        }
        _ => {
            let teeth = 4 + p.rng.below(5);
            let path: Vec<Pt> = (0..=teeth)
                .map(|i| {
                    let t = i as f32 / teeth as f32;
                    let up = if i % 2 == 0 { -0.5 } else { 0.5 };
                    (c.0 + (t - 0.5) * s * 2.0, c.1 + up * s * 0.3)
                })
                .collect();
            p.stroke(&path, Brush::fine(0.007), col);
        }
    }
}
