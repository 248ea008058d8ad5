//! Colours as floats: mixing, comparing and ordering them, and the colours
//! each part of a scene would ideally be.

use super::maths::lerp;

/// An RGB colour, each channel from 0 to 1.
pub(super) type Rgbf = [f32; 3];

/// From `a` at `t` = 0 to `b` at `t` = 1.
pub(super) fn mix(a: Rgbf, b: Rgbf, t: f32) -> Rgbf {
    [
        lerp(a[0], b[0], t),
        lerp(a[1], b[1], t),
        lerp(a[2], b[2], t),
    ]
}

/// Brightens or darkens by `k`, clamping each channel to 0..1.
pub(super) fn scale(c: Rgbf, k: f32) -> Rgbf {
    [
        (c[0] * k).clamp(0.0, 1.0),
        (c[1] * k).clamp(0.0, 1.0),
        (c[2] * k).clamp(0.0, 1.0),
    ]
}

/// Perceived brightness (Rec. 601 weights).
pub(super) fn luma(c: Rgbf) -> f32 {
    0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]
}

pub(super) fn rgbf(c: [u8; 3]) -> Rgbf {
    [
        f32::from(c[0]) / 255.0,
        f32::from(c[1]) / 255.0,
        f32::from(c[2]) / 255.0,
    ]
}

/// Hue in turns (0..1), used to lay paints out in rainbow order.
pub(super) fn hue(c: Rgbf) -> f32 {
    let max = c[0].max(c[1]).max(c[2]);
    let min = c[0].min(c[1]).min(c[2]);
    let d = max - min;
    if d < 1e-4 {
        return 0.0;
    }
    let h = if max == c[0] {
        (c[1] - c[2]) / d
    } else if max == c[1] {
        2.0 + (c[2] - c[0]) / d
    } else {
        4.0 + (c[0] - c[1]) / d
    };
    (h / 6.0).rem_euclid(1.0)
}

/// Perceptually weighted ("redmean") colour distance, squared.
pub(super) fn colour_distance(a: Rgbf, b: Rgbf) -> f32 {
    let rm = (a[0] + b[0]) * 0.5;
    let (dr, dg, db) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    (2.0 + rm) * dr * dr + 4.0 * dg * dg + (3.0 - rm) * db * db
}

// What each part of a scene would ideally be. Motifs mostly ask for the
// artist's paint nearest one of these rather than painting with it as it is,
// so every picture keeps to its artist's palette.
pub(super) const SKY: Rgbf = [0.45, 0.7, 0.95];
pub(super) const SUN: Rgbf = [1.0, 0.82, 0.15];
pub(super) const GRASS: Rgbf = [0.35, 0.7, 0.25];
pub(super) const SEA: Rgbf = [0.1, 0.45, 0.75];
pub(super) const RED: Rgbf = [0.9, 0.2, 0.2];
pub(super) const BROWN: Rgbf = [0.5, 0.32, 0.18];
pub(super) const SAND: Rgbf = [0.92, 0.78, 0.5];
pub(super) const PINK: Rgbf = [0.95, 0.45, 0.6];
pub(super) const NAVY: Rgbf = [0.06, 0.08, 0.25];
pub(super) const WHITE: Rgbf = [1.0, 1.0, 1.0];
