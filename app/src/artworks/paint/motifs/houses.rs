//! A row of houses on the grass, sometimes with a city behind.

use super::super::colour::{mix, BROWN, GRASS, SKY, SUN};
use super::super::maths::{lerp, sin, Pt, PI};
use super::super::painter::{Brush, Painter};
use super::super::shapes::rect;

pub(super) fn paint(p: &mut Painter) {
    let sky = p.role(SKY);
    let green = p.role(GRASS);
    p.scene = [sky, green];
    let ground = p.h * p.rng.range(0.66, 0.78);
    p.sky(ground + 0.02, sky);
    if p.rng.chance(0.7) {
        let sun = p.role(SUN);
        let c = (p.w * p.rng.range(0.12, 0.88), p.rng.range(0.1, 0.2));
        let rad = p.rng.range(0.06, 0.1);
        p.sun(c, rad, sun);
    }
    let n = p.rng.below(3);
    p.clouds(ground * 0.4, n);
    if p.rng.chance(0.45) {
        skyline(p, ground);
    }
    p.grass_field(ground, 0.01, 5.0, green);
    let count = 2 + p.rng.below(3);
    let slot = p.w / count as f32;
    for i in 0..count {
        let bw = slot * p.rng.range(0.55, 0.8);
        let x0 = i as f32 * slot + (slot - bw) * p.rng.range(0.2, 0.8);
        let base = ground + p.rng.range(0.03, 0.08);
        let bh = bw * p.rng.range(0.6, 1.1);
        house(p, x0, base, bw, bh);
    }
    let count = 6 + p.rng.below(10);
    p.meadow(ground + 0.1, count, green);
}

/// A pale city of tall blocks with lit windows, behind the houses.
fn skyline(p: &mut Painter, ground: f32) {
    let mut x = -0.05;
    let haze = p.light();
    while x < p.w {
        let bw = p.rng.range(0.08, 0.16);
        let top = ground - p.rng.range(0.15, 0.4);
        let col = p.any_paint();
        let col = mix(col, haze, 0.45);
        let body = rect(x, top, x + bw, ground + 0.02);
        let skew = p.rng.jitter(0.1);
        p.fill_poly(&body, col, Brush::wide(0.02), PI / 2.0 + skew);
        let win = mix(p.nearest(SUN), haze, 0.3);
        let mut wy = top + 0.03;
        while wy < ground - 0.04 {
            let mut wx = x + 0.025;
            while wx < x + bw - 0.02 {
                if p.rng.chance(0.7) {
                    p.dab((wx, wy), 0.008, win);
                }
                wx += 0.03;
            }
            wy += 0.04;
        }
        x += bw + p.rng.range(-0.02, 0.02);
    }
}

/// A house standing at (`x0`, `base`), `bw` wide and `bh` tall to the eaves,
/// with a roof, a door, windows and sometimes a smoking chimney.
pub(super) fn house(p: &mut Painter, x0: f32, base: f32, bw: f32, bh: f32) {
    let x1 = x0 + bw;
    let top = base - bh;
    let ink = p.ink;
    let wall = p.standout();
    let thinning = p.rng.range(0.0, 0.35);
    let wall = p.tint(wall, thinning);
    let body = rect(x0, top, x1, base);
    let angle = if p.rng.chance(0.5) { PI / 2.0 } else { 0.0 };
    let skew = p.rng.jitter(0.1);
    p.fill_poly(&body, wall, Brush::wide(0.022), angle + skew);
    let roof_h = bw * p.rng.range(0.35, 0.6);
    let peak = (x0 + bw * p.rng.range(0.4, 0.6), top - roof_h);
    let roof = vec![(x0 - 0.025, top + 0.005), (x1 + 0.025, top + 0.005), peak];
    if p.rng.chance(0.5) {
        let chimney_x = lerp(peak.0, x1, 0.55);
        let chimney_top = top - roof_h * 0.75;
        let chim = rect(
            chimney_x - 0.018,
            chimney_top,
            chimney_x + 0.018,
            top - roof_h * 0.2,
        );
        let brick = p.nearest(BROWN);
        p.fill_poly(&chim, brick, Brush::fine(0.012), PI / 2.0);
        p.outline(&chim, true, ink, 0.0035);
        let smoke: Vec<Pt> = (0..30)
            .map(|i| {
                let t = i as f32 / 29.0;
                (
                    chimney_x + 0.025 * sin(t * 14.0) + t * 0.06,
                    chimney_top - 0.01 - t * 0.15,
                )
            })
            .collect();
        let grey = mix(p.light(), ink, 0.25);
        p.stroke(&smoke, Brush::fine(0.008).opacity(0.7), grey);
    }
    let roof_col = p.contrasting(&[wall]);
    let slope = p.rng.range(0.3, 0.7);
    p.fill_poly(&roof, roof_col, Brush::wide(0.018), slope);
    p.outline(&roof, true, ink, 0.004);
    let door_w = bw * 0.2;
    let door_x = x0 + bw * p.rng.range(0.2, 0.8) - door_w * 0.5;
    let door = rect(door_x, base - bh * 0.42, door_x + door_w, base);
    let door_col = mix(p.nearest(BROWN), ink, 0.2);
    p.fill_poly(&door, door_col, Brush::fine(door_w * 0.18), PI / 2.0);
    p.outline(&door, true, ink, 0.0035);
    p.dab(
        (door_x + door_w * 0.75, base - bh * 0.2),
        0.006,
        p.nearest(SUN),
    );
    let glass = p.tint(p.nearest(SUN), 0.45);
    let ws = bw * 0.17;
    for (fx, fy) in [(0.22, 0.3), (0.78, 0.3)] {
        let (cx, cy) = (x0 + bw * fx, top + bh * fy);
        if (cx - (door_x + door_w * 0.5)).abs() < door_w && fy > 0.5 {
            continue;
        }
        let win = rect(cx - ws * 0.5, cy - ws * 0.5, cx + ws * 0.5, cy + ws * 0.5);
        p.fill_poly(&win, glass, Brush::fine(ws * 0.2), 0.0);
        p.line((cx, cy - ws * 0.5), (cx, cy + ws * 0.5), 0.003, ink);
        p.line((cx - ws * 0.5, cy), (cx + ws * 0.5, cy), 0.003, ink);
        p.outline(&win, true, ink, 0.0035);
    }
    p.outline(&body, true, ink, 0.0045);
}
