//! Birds sitting on a branch, or flying over the land.

use super::super::colour::{mix, scale, Rgbf, BROWN, GRASS, SKY, SUN};
use super::super::maths::{lerp, sin, Pt, PI};
use super::super::painter::{Brush, Painter};
use super::super::shapes::ellipse;

pub(super) fn paint(p: &mut Painter) {
    let sky = p.role(SKY);
    let green = p.role(GRASS);
    p.scene = [sky, green];
    if p.rng.chance(0.6) {
        p.sky(p.h + 0.05, sky);
        if p.rng.chance(0.5) {
            let sun = p.role(SUN);
            let c = (p.w * p.rng.range(0.15, 0.85), p.rng.range(0.1, 0.2));
            p.sun(c, 0.07, sun);
        }
        let n = 1 + p.rng.below(2);
        p.clouds(p.h * 0.35, n);
        branch_scene(p, green);
    } else {
        let horizon = p.h * p.rng.range(0.6, 0.75);
        p.sky(horizon + 0.05, sky);
        let sun = p.role(SUN);
        let c = (
            p.w * p.rng.range(0.15, 0.85),
            horizon * p.rng.range(0.3, 0.6),
        );
        let rad = p.rng.range(0.07, 0.11);
        p.sun(c, rad, sun);
        let haze = p.tint(sky, 0.4);
        p.hills(horizon, 2, green, haze);
        flock(p, horizon);
    }
}

/// A few big colourful birds in flight, with a flock of gulls behind.
fn flock(p: &mut Painter, horizon: f32) {
    let lead = (
        p.rng.range(0.2, p.w - 0.2),
        p.rng.range(0.15, horizon * 0.6),
    );
    let col = p.ink;
    for _ in 0..4 + p.rng.below(6) {
        let c = (lead.0 + p.rng.jitter(0.35), lead.1 + p.rng.jitter(0.18));
        let s = p.rng.range(0.025, 0.05);
        p.v_bird(c, s, col);
    }
    let facing = p.rng.sign();
    let big = 2 + p.rng.below(2);
    for i in 0..big {
        let x = (i as f32 + 0.5) / big as f32 * p.w + p.rng.jitter(0.08);
        let c = (x, p.rng.range(0.25, horizon - 0.1));
        let s = p.rng.range(0.2, 0.3);
        flying_bird(p, c, s, facing);
    }
}

/// A big bird in flight, `s` long, facing right when `facing` is 1.
fn flying_bird(p: &mut Painter, c: Pt, s: f32, facing: f32) {
    let ink = p.ink;
    let col = p.standout();
    let wing_col = scale(col, 0.75);
    let (x, y) = c;
    let f = facing;
    let far_wing = wing((x + f * s * 0.1, y - s * 0.05), s * 0.8, f, 0.35);
    p.fill_poly(&far_wing, wing_col, Brush::fine(s * 0.05), 0.3);
    p.outline(&far_wing, true, ink, 0.0035);
    let tail = vec![
        (x - f * s * 0.4, y),
        (x - f * s * 0.75, y - s * 0.14),
        (x - f * s * 0.7, y + s * 0.14),
    ];
    p.fill_poly(&tail, wing_col, Brush::fine(s * 0.04), 0.0);
    p.outline(&tail, true, ink, 0.0035);
    let body = ellipse(c, s * 0.5, s * 0.2, f * -0.1, 32);
    p.fill_poly(&body, col, Brush::wide(s * 0.06), 0.0);
    p.outline(&body, true, ink, 0.004);
    let head = (x + f * s * 0.48, y - s * 0.1);
    let hr = s * 0.15;
    p.spiral(head, hr, col, Brush::wide(hr * 0.35));
    let beak = vec![
        (head.0 + f * hr * 0.8, head.1 - hr * 0.3),
        (head.0 + f * hr * 1.7, head.1 + hr * 0.1),
        (head.0 + f * hr * 0.8, head.1 + hr * 0.4),
    ];
    let beak_col = p.nearest(SUN);
    p.fill_poly(&beak, beak_col, Brush::fine(hr * 0.15), 0.0);
    p.dab((head.0 + f * hr * 0.3, head.1 - hr * 0.2), hr * 0.16, ink);
    let near_wing = wing((x - f * s * 0.05, y), s, f, 0.0);
    p.fill_poly(&near_wing, wing_col, Brush::fine(s * 0.05), 0.3);
    p.outline(&near_wing, true, ink, 0.0035);
}

/// A raised wing: a curved leading edge up to the tip, a scalloped
/// trailing edge back down to the shoulder.
fn wing(shoulder: Pt, span: f32, facing: f32, lean: f32) -> Vec<Pt> {
    let (x, y) = shoulder;
    let tip = (x - facing * span * (0.35 + lean), y - span * 0.75);
    let mut pts: Vec<Pt> = (0..=8)
        .map(|i| {
            let t = i as f32 / 8.0;
            let bulge = facing * span * 0.25 * sin(t * PI);
            (lerp(x, tip.0, t) + bulge, lerp(y, tip.1, t))
        })
        .collect();
    let back = (x - facing * span * 0.35, y + span * 0.02);
    pts.extend((1..8).map(|i| {
        let t = i as f32 / 8.0;
        let scallop = span * 0.05 * sin(t * PI * 3.0).abs();
        (
            lerp(tip.0, back.0, t) - facing * scallop,
            lerp(tip.1, back.1, t) + scallop,
        )
    }));
    pts
}

/// A leafy branch across the picture with birds sitting on it.
fn branch_scene(p: &mut Painter, green: Rgbf) {
    let bark = mix(p.nearest(BROWN), BROWN, 0.3);
    let (y0, y1) = (p.h * p.rng.range(0.55, 0.75), p.h * p.rng.range(0.55, 0.75));
    let sag = p.rng.range(-0.05, 0.08);
    let w = p.w;
    let along = move |t: f32| {
        (
            lerp(-0.05, w + 0.05, t),
            lerp(y0, y1, t) + sag * 4.0 * t * (1.0 - t),
        )
    };
    let limb: Vec<Pt> = (0..=10).map(|i| along(i as f32 / 10.0)).collect();
    p.stroke(&limb, Brush::wide(0.028).tip(0.7), bark);
    for _ in 0..4 + p.rng.below(4) {
        let at = along(p.rng.range(0.05, 0.95));
        let dir = p.rng.sign();
        let tip = (
            at.0 + p.rng.jitter(0.1),
            at.1 + dir * p.rng.range(0.06, 0.14),
        );
        p.stroke(&[at, tip], Brush::fine(0.008).tip(0.3), bark);
        for _ in 0..2 {
            let len = p.rng.range(0.05, 0.08);
            let side = p.rng.sign();
            let leaf = [
                tip,
                (tip.0 + side * len * 0.5, tip.1 - len * 0.2),
                (tip.0 + side * len, tip.1 - len * 0.5),
            ];
            p.stroke(&leaf, Brush::wide(len * 0.22).tip(0.1), green);
        }
    }
    let n = 2 + p.rng.below(3);
    for i in 0..n {
        let t = (i as f32 + 0.5) / n as f32 + p.rng.jitter(0.08 / n as f32);
        let perch = along(t);
        let s = p.rng.range(0.17, 0.25);
        sitting_bird(p, perch, s);
    }
    for _ in 0..p.rng.below(4) {
        let c = (p.rng.range(0.1, p.w - 0.1), p.rng.range(0.08, 0.3));
        let col = p.ink;
        let size = p.rng.range(0.025, 0.045);
        p.v_bird(c, size, col);
    }
}

/// A plump bird `s` long, sitting on `perch`.
fn sitting_bird(p: &mut Painter, perch: Pt, s: f32) {
    let facing = p.rng.sign();
    let ink = p.ink;
    let col = p.standout();
    let belly_col = p.tint(col, 0.55);
    let (rx, ry) = (s * 0.5, s * 0.38);
    let c = (perch.0, perch.1 - ry * 0.85);
    let tail = vec![
        (c.0 - facing * rx * 0.7, c.1),
        (c.0 - facing * rx * 1.5, c.1 + ry * 0.2),
        (c.0 - facing * rx * 1.35, c.1 + ry * 0.7),
    ];
    let tail_col = scale(col, 0.75);
    p.fill_poly(&tail, tail_col, Brush::fine(s * 0.05), 0.5);
    p.outline(&tail, true, ink, 0.0035);
    for k in [-1.0, 1.0] {
        let foot = (perch.0 + k * rx * 0.25, perch.1 + 0.008);
        p.line((foot.0, c.1 + ry * 0.6), foot, 0.003, ink);
    }
    let body = ellipse(c, rx, ry, facing * 0.15, 36);
    let angle = p.rng.jitter(0.3);
    p.fill_poly(&body, col, Brush::wide(s * 0.06), angle);
    let belly = ellipse(
        (c.0 + facing * rx * 0.2, c.1 + ry * 0.3),
        rx * 0.5,
        ry * 0.45,
        0.0,
        24,
    );
    p.fill_poly(&belly, belly_col, Brush::fine(s * 0.04), 0.0);
    let head = (c.0 + facing * rx * 0.75, c.1 - ry * 0.75);
    let hr = s * 0.24;
    p.spiral(head, hr, col, Brush::wide(hr * 0.3));
    let wing = vec![
        (c.0 + facing * rx * 0.3, c.1 - ry * 0.3),
        (c.0 - facing * rx * 0.2, c.1 - ry * 0.1),
        (c.0 - facing * rx * 0.7, c.1 + ry * 0.25),
    ];
    p.stroke(&wing, Brush::wide(s * 0.09).tip(0.2), scale(col, 0.7));
    let beak_col = p.nearest(SUN);
    let bx = head.0 + facing * hr * 0.95;
    let beak = vec![
        (bx, head.1 - hr * 0.25),
        (bx + facing * hr * 0.7, head.1 + hr * 0.05),
        (bx, head.1 + hr * 0.3),
    ];
    p.fill_poly(&beak, beak_col, Brush::fine(hr * 0.15), 0.0);
    p.outline(&beak, true, ink, 0.003);
    p.dab(
        (head.0 + facing * hr * 0.35, head.1 - hr * 0.2),
        hr * 0.16,
        ink,
    );
    p.outline(&body, true, ink, 0.004);
    let head_ring = ellipse(head, hr, hr, 0.0, 24);
    p.outline(&head_ring, true, ink, 0.004);
}
