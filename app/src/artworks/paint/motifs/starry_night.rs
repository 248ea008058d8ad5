//! A swirling night sky: strokes that follow a few whirlpools, a glowing moon
//! and stars over dark hills, sometimes a village and a cypress.

use super::super::colour::{luma, mix, scale, Rgbf, GRASS, NAVY, SKY, SUN, WHITE};
use super::super::maths::{cos, lerp, sin, Pt, PI, TAU};
use super::super::painter::{Brush, Painter};
use super::super::shapes::{arc, ellipse, rect};

pub(super) fn paint(p: &mut Painter) {
    // The darkest, bluest paint on the tray, deepened towards navy.
    let bluish = |c: Rgbf| luma(c) - 0.5 * (c[2] - c[0].max(c[1]));
    let darkest = p
        .paints
        .iter()
        .copied()
        .fold(WHITE, |a, b| if bluish(b) < bluish(a) { b } else { a });
    let night = mix(darkest, NAVY, 0.55);
    let night = scale(night, (0.22 / luma(night).max(0.01)).min(1.0));
    let glow = p.role(SUN);
    let blue = p.role(SKY);
    // The swirls cover most of this ground coat and the hills cover its
    // foot, so it can be laid thinly and stop early.
    let coat = Brush {
        gap: 1.7,
        ..Brush::wide(0.05)
    };
    let (c0, c1) = (scale(night, 0.9), scale(night, 1.2));
    p.band(&|_| -0.05, p.h * 0.9, p.h * 0.9, c0, c1, coat);
    let vortices: Vec<(Pt, f32, f32)> = (0..2 + p.rng.below(2))
        .map(|_| {
            let c = (p.rng.range(0.1, p.w - 0.1), p.rng.range(0.12, p.h * 0.5));
            (
                c,
                p.rng.sign() * p.rng.range(1.5, 3.0),
                p.rng.range(0.12, 0.22),
            )
        })
        .collect();
    let field = |x: f32, y: f32| {
        let (mut vx, mut vy) = (1.0, 0.1 * sin(x * 4.0));
        for &((cx, cy), strength, rad) in &vortices {
            let (dx, dy) = (x - cx, y - cy);
            let d2 = dx * dx + dy * dy;
            let k = strength * rad / (rad * rad + d2);
            vx -= dy * k;
            vy += dx * k;
        }
        let n = (vx * vx + vy * vy).sqrt().max(1e-4);
        (vx / n, vy / n)
    };
    for _ in 0..220 {
        let start = (p.rng.range(-0.1, p.w), p.rng.range(0.0, p.h * 0.85));
        let len = p.rng.range(0.1, 0.3);
        let mut path = vec![start];
        let mut q = start;
        for _ in 0..(len / 0.015) as usize {
            let (vx, vy) = field(q.0, q.1);
            q = (q.0 + vx * 0.015, q.1 + vy * 0.015);
            path.push(q);
        }
        let pick = p.rng.unit();
        let col = if pick < 0.55 {
            mix(night, blue, p.rng.range(0.2, 0.7))
        } else if pick < 0.9 {
            mix(blue, p.light(), p.rng.range(0.0, 0.4))
        } else {
            mix(glow, p.light(), 0.3)
        };
        let width = p.rng.range(0.008, 0.016);
        p.stroke(&path, Brush::fine(width).wobble(0.003), col);
    }
    moon(p, glow, night);
    for _ in 0..10 + p.rng.below(10) {
        let c = (p.rng.range(0.03, p.w - 0.03), p.rng.range(0.03, p.h * 0.6));
        let r = p.rng.range(0.01, 0.022);
        let halo = mix(glow, night, 0.45);
        let ring = ellipse(c, r * 1.9, r * 1.9, 0.0, 20);
        p.outline(&ring, true, halo, r * 0.35);
        p.spiral(c, r, mix(glow, WHITE, 0.25), Brush::wide(r * 0.4));
    }
    let hill = mix(darkest, [0.02, 0.05, 0.04], 0.6);
    let line = p.h * p.rng.range(0.76, 0.86);
    let ph = p.rng.range(0.0, TAU);
    let top = move |x: f32| line - 0.05 * (0.5 + 0.5 * sin(x * 3.0 + ph));
    p.band(
        &top,
        p.h - line + 0.15,
        f32::MAX,
        scale(hill, 1.4),
        hill,
        Brush::wide(0.03),
    );
    let ridge: Vec<Pt> = (0..=30)
        .map(|k| {
            let x = -0.05 + (p.w + 0.1) * k as f32 / 30.0;
            (x, top(x) + 0.01)
        })
        .collect();
    p.stroke(&ridge, Brush::fine(0.006), mix(hill, blue, 0.4));
    if p.rng.chance(0.7) {
        // Warm walls read as lamplit homes against the cold night.
        let walls = mix(p.nearest([0.8, 0.5, 0.3]), hill, 0.4);
        let x0 = p.rng.range(0.05, p.w * 0.6);
        for k in 0..3 + p.rng.below(4) {
            let x = x0 + k as f32 * 0.11 + p.rng.jitter(0.01);
            let size = p.rng.range(0.08, 0.11);
            night_house(p, (x, top(x) + 0.05), size, walls, glow);
        }
    }
    if p.rng.chance(0.5) {
        cypress(p, hill);
    }
}

/// A full or half moon in rings of glow.
fn moon(p: &mut Painter, glow: Rgbf, night: Rgbf) {
    let left = p.rng.chance(0.5);
    let c = (
        if left { p.w * 0.2 } else { p.w * 0.8 } + p.rng.jitter(0.05),
        p.rng.range(0.1, 0.2),
    );
    let r = p.rng.range(0.06, 0.09);
    for k in (1..=3).rev() {
        let rr = r * (1.0 + 0.35 * k as f32);
        let ring = ellipse(c, rr, rr, 0.0, 48);
        let col = mix(glow, night, 0.3 + 0.15 * k as f32);
        p.outline(&ring, true, col, r * 0.12);
    }
    if p.rng.chance(0.5) {
        p.spiral(c, r, glow, Brush::wide(r * 0.25));
    } else {
        let mut shape = arc(c, r, -PI / 2.0, PI / 2.0, 20);
        let inner: Vec<Pt> = (0..=20)
            .map(|i| {
                let a = PI / 2.0 - i as f32 / 20.0 * PI;
                (c.0 + cos(a) * r * 0.35, c.1 + sin(a) * r)
            })
            .collect();
        shape.extend(inner);
        p.fill_poly(&shape, glow, Brush::wide(r * 0.18), PI / 2.0);
    }
}

/// A dark little house with a lit window, for the village under the stars.
fn night_house(p: &mut Painter, base: Pt, size: f32, col: Rgbf, glow: Rgbf) {
    let (x, y) = base;
    let body = rect(x - size * 0.5, y - size * 0.7, x + size * 0.5, y);
    let roof = vec![
        (x - size * 0.62, y - size * 0.66),
        (x + size * 0.62, y - size * 0.66),
        (x, y - size * 1.15),
    ];
    p.fill_poly(&body, col, Brush::fine(size * 0.09), 0.0);
    p.fill_poly(&roof, scale(col, 0.75), Brush::fine(size * 0.08), 0.0);
    let edge = mix(col, glow, 0.3);
    p.outline(&body, true, edge, size * 0.03);
    p.outline(&roof, true, edge, size * 0.04);
    let window = mix(glow, WHITE, 0.2);
    let wx = x + p.rng.jitter(size * 0.15);
    p.dab((wx, y - size * 0.36), size * 0.11, window);
}

/// A tall flame-shaped tree, painted in upward curling strokes.
fn cypress(p: &mut Painter, hill: Rgbf) {
    let x = if p.rng.chance(0.5) {
        p.w * 0.15
    } else {
        p.w * 0.85
    };
    let base = p.h + 0.02;
    let height = p.h * p.rng.range(0.45, 0.65);
    let green = p.role(GRASS);
    let col = mix(hill, green, 0.45);
    let strands = 16;
    for k in 0..strands {
        let f = k as f32 / (strands - 1) as f32 - 0.5;
        let top = base - height * (1.0 - f.abs() * 0.7);
        let curl = p.rng.range(0.0, TAU);
        let path: Vec<Pt> = (0..=14)
            .map(|i| {
                let t = i as f32 / 14.0;
                let w = 0.45 * (1.0 - t) * t.sqrt() * f;
                (x + w + 0.012 * sin(t * 14.0 + curl), lerp(base, top, t))
            })
            .collect();
        let shade = scale(col, 0.8 + 0.1 * (k % 4) as f32);
        p.stroke(&path, Brush::fine(0.014).tip(0.2), shade);
    }
}
