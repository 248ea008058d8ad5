//! Outlines as lists of points, all in canvas units (the shorter side is
//! 1.0), and the tests fills need on them.

use super::maths::{cos, lerp, sin, Pt, Rng, TAU};

/// Axis-aligned bounds as (x0, y0, x1, y1).
pub(super) type Rect = (f32, f32, f32, f32);

/// `n` points around an ellipse with radii `rx` and `ry`, turned by `rot`.
pub(super) fn ellipse(c: Pt, rx: f32, ry: f32, rot: f32, n: usize) -> Vec<Pt> {
    let (cr, sr) = (cos(rot), sin(rot));
    (0..n)
        .map(|i| {
            let a = i as f32 / n as f32 * TAU;
            let (x, y) = (cos(a) * rx, sin(a) * ry);
            (c.0 + x * cr - y * sr, c.1 + x * sr + y * cr)
        })
        .collect()
}

/// A lumpy circle: a few random harmonics on the radius.
pub(super) fn blob_shape(rng: &mut Rng, c: Pt, r: f32, lumpiness: f32) -> Vec<Pt> {
    let harmonics: Vec<(f32, f32, f32)> = (2..5)
        .map(|k| {
            (
                k as f32,
                rng.range(0.3, 1.0) * lumpiness / k as f32,
                rng.range(0.0, TAU),
            )
        })
        .collect();
    (0..48)
        .map(|i| {
            let a = i as f32 / 48.0 * TAU;
            let k: f32 = harmonics
                .iter()
                .map(|&(f, amp, ph)| amp * sin(a * f + ph))
                .sum();
            let rr = r * (1.0 + k);
            (c.0 + cos(a) * rr, c.1 + sin(a) * rr)
        })
        .collect()
}

pub(super) fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<Pt> {
    vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
}

/// The classic parametric heart, pointing down, `s` is about its half width.
pub(super) fn heart(c: Pt, s: f32, rot: f32) -> Vec<Pt> {
    let (cr, sr) = (cos(rot), sin(rot));
    (0..56)
        .map(|i| {
            let t = i as f32 / 56.0 * TAU;
            let st = sin(t);
            let x = st * st * st;
            let y =
                -(13.0 * cos(t) - 5.0 * cos(2.0 * t) - 2.0 * cos(3.0 * t) - cos(4.0 * t)) / 16.0;
            let (x, y) = (x * s, (y + 0.1) * s);
            (c.0 + x * cr - y * sr, c.1 + x * sr + y * cr)
        })
        .collect()
}

pub(super) fn bounds(pts: &[Pt]) -> Rect {
    pts.iter().fold(
        (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
        |(x0, y0, x1, y1), &(x, y)| (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
    )
}

/// Whether `p` lies inside `poly`, by the even-odd rule.
pub(super) fn inside_poly(poly: &[Pt], p: Pt) -> bool {
    let mut inside = false;
    let mut j = poly.len().wrapping_sub(1);
    for (i, &(xi, yi)) in poly.iter().enumerate() {
        let (xj, yj) = poly[j % poly.len()];
        if (yi > p.1) != (yj > p.1) && p.0 < (xj - xi) * (p.1 - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// `n + 1` points along a circle from angle `a0` to `a1`, both ends included.
pub(super) fn arc(c: Pt, r: f32, a0: f32, a1: f32, n: usize) -> Vec<Pt> {
    (0..=n)
        .map(|i| {
            let a = lerp(a0, a1, i as f32 / n as f32);
            (c.0 + cos(a) * r, c.1 + sin(a) * r)
        })
        .collect()
}
