//! Hearts of all sizes on a pink wash: one big heart or a column of a few.

use super::super::colour::{Rgbf, PINK, RED};
use super::super::maths::{Pt, PI};
use super::super::painter::{Brush, Painter};
use super::super::shapes::{heart, rect};

pub(super) fn paint(p: &mut Painter) {
    let red = p.role(RED);
    let pink = p.role(PINK);
    let wash = p.tint(pink, 0.75);
    let all = rect(-0.1, -0.1, p.w + 0.1, p.h + 0.1);
    let angle = p.rng.range(-1.0, 1.0);
    p.fill_poly(&all, wash, Brush::wide(0.06).opacity(0.6), angle);
    let ink = p.ink;
    for _ in 0..5 + p.rng.below(8) {
        let c = (p.rng.range(0.0, p.w), p.rng.range(0.0, p.h));
        let s = p.rng.range(0.04, 0.1);
        let col = p.any_paint();
        let shape = heart(c, s, p.rng.jitter(0.5));
        let angle = p.rng.range(0.0, PI);
        p.fill_poly(&shape, col, Brush::wide(s * 0.22), angle);
        if p.rng.chance(0.5) {
            p.outline(&shape, true, ink, 0.004);
        }
    }
    if p.rng.chance(0.55) {
        let c = (
            p.w * 0.5 + p.rng.jitter(0.08),
            p.h * 0.5 + p.rng.jitter(0.08),
        );
        let s = p.w * p.rng.range(0.3, 0.38);
        big_heart(p, c, s, red);
    } else {
        let n = 2 + p.rng.below(2);
        let slant = p.rng.sign() * p.rng.range(0.1, 0.25);
        for i in 0..n {
            let f = (i as f32 + 0.5) / n as f32;
            let c = (p.w * (0.5 + slant * (f - 0.5) * 2.0), p.h * f);
            let s = p.w * p.rng.range(0.17, 0.24);
            let col = if i == 0 {
                red
            } else {
                p.contrasting(&[wash, red])
            };
            big_heart(p, c, s, col);
        }
    }
    for _ in 0..20 + p.rng.below(20) {
        let d = (p.rng.range(0.0, p.w), p.rng.range(0.0, p.h));
        let col = p.any_paint();
        let size = p.rng.range(0.005, 0.012);
        p.dab(d, size, col);
    }
}

/// A large coloured-in heart with a second heart drawn inside, and
/// sometimes a smile.
fn big_heart(p: &mut Painter, c: Pt, s: f32, col: Rgbf) {
    let ink = p.ink;
    let tilt = p.rng.jitter(0.2);
    let big = heart(c, s, tilt);
    let angle = p.rng.range(0.0, PI);
    p.fill_poly(&big, col, Brush::wide(s * 0.09), angle);
    let inner = heart((c.0, c.1 + s * 0.05), s * 0.6, tilt + p.rng.jitter(0.1));
    let inner_col = p.contrasting(&[col]);
    p.outline(&inner, true, inner_col, s * 0.03);
    p.outline(&big, true, ink, 0.006);
    if p.rng.chance(0.4) {
        p.face((c.0, c.1 - s * 0.05), s * 0.5, ink);
    }
}
