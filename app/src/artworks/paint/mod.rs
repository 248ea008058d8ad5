//! Procedural "children's paintings" for the demo campaign.
//!
//! Every picture is made of brush strokes: a wobbly centre line, a tapering
//! width, a bristle profile that leaves streaks, and translucent paint laid
//! over grainy paper. Nothing here reads the clock, the environment, hash maps
//! or the platform maths library (sine and cosine are our own polynomials),
//! so one set of arguments always yields the same bytes.
//!
//! The parts, from the bottom up:
//!
//! - `maths`: sine and cosine of our own, interpolation, a seeded random
//!   number generator and hashed value noise.
//! - `colour`: colours as floats, mixing and comparing them, and the colours
//!   each part of a scene would ideally be.
//! - `shapes`: outlines as point lists (ellipses, blobs, hearts, arcs) and
//!   the point-in-polygon test fills use.
//! - `canvas`: the pixel grid, the paper it starts as, and the rasteriser
//!   that lays one stroke of a loaded brush onto it.
//! - `painter`: the `Painter`, which works in canvas units, picks paints from
//!   the artist's palette and turns a path and a `Brush` into a stroke.
//! - `fills`: the ways a painter covers an area with strokes (hatching,
//!   spirals, rings, bands).
//! - `motifs`: one module per [`Motif`], plus the scenery several share
//!   (skies, suns, clouds, hills, meadows).

mod canvas;
mod colour;
mod fills;
mod maths;
mod motifs;
mod painter;
mod shapes;

use image::RgbImage;
use painter::Painter;

/// An artist's colours: a background (paper) tone and five paint colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// The paper the picture is painted on.
    pub paper: [u8; 3],
    /// The paints on the artist's tray.
    pub paints: [[u8; 3]; 5],
}

/// What a painting shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motif {
    /// A big sun over rolling hills.
    SunAndHills,
    /// Tall flowers in a meadow.
    Flowers,
    /// Sailing boats on a wavy sea.
    SeaAndBoats,
    /// A row of houses, sometimes with a city behind.
    Houses,
    /// Trees on green hills.
    Trees,
    /// A swirling night sky with moon and stars.
    StarryNight,
    /// Big overlapping abstract blobs with squiggles.
    Blobs,
    /// A rainbow between two clouds.
    Rainbow,
    /// Fish, seaweed and bubbles under water.
    Fish,
    /// Birds on a branch or flying over the land.
    Birds,
    /// Hearts of all sizes.
    Hearts,
}

impl Motif {
    /// Every motif, in a fixed order.
    pub const ALL: [Motif; 11] = [
        Motif::SunAndHills,
        Motif::Flowers,
        Motif::SeaAndBoats,
        Motif::Houses,
        Motif::Trees,
        Motif::StarryNight,
        Motif::Blobs,
        Motif::Rainbow,
        Motif::Fish,
        Motif::Birds,
        Motif::Hearts,
    ];
}

/// Named palettes for the demo artists.
pub const PALETTES: [Palette; 12] = [
    Palette {
        paper: [250, 244, 228],
        paints: [
            [250, 200, 40],
            [240, 120, 40],
            [80, 170, 70],
            [70, 150, 220],
            [220, 50, 60],
        ],
    },
    Palette {
        paper: [240, 246, 248],
        paints: [
            [30, 150, 160],
            [30, 60, 140],
            [110, 200, 220],
            [235, 200, 130],
            [245, 110, 90],
        ],
    },
    Palette {
        paper: [248, 240, 242],
        paints: [
            [200, 40, 120],
            [120, 60, 160],
            [245, 150, 190],
            [90, 160, 80],
            [70, 30, 80],
        ],
    },
    Palette {
        paper: [245, 236, 218],
        paints: [
            [190, 80, 40],
            [220, 170, 50],
            [110, 120, 50],
            [110, 70, 40],
            [140, 40, 50],
        ],
    },
    Palette {
        paper: [255, 250, 245],
        paints: [
            [255, 80, 160],
            [170, 220, 40],
            [40, 200, 200],
            [255, 230, 60],
            [150, 90, 230],
        ],
    },
    Palette {
        paper: [232, 232, 240],
        paints: [
            [25, 35, 90],
            [50, 90, 190],
            [250, 205, 60],
            [170, 150, 220],
            [20, 90, 100],
        ],
    },
    Palette {
        paper: [255, 248, 235],
        paints: [
            [255, 170, 30],
            [235, 60, 80],
            [40, 140, 70],
            [40, 180, 210],
            [170, 210, 80],
        ],
    },
    Palette {
        paper: [238, 226, 206],
        paints: [
            [200, 100, 60],
            [210, 160, 70],
            [140, 160, 110],
            [90, 60, 40],
            [90, 110, 140],
        ],
    },
    Palette {
        paper: [252, 248, 252],
        paints: [
            [160, 200, 240],
            [160, 225, 190],
            [255, 200, 170],
            [200, 170, 230],
            [250, 235, 150],
        ],
    },
    Palette {
        paper: [250, 250, 245],
        paints: [
            [225, 35, 35],
            [30, 70, 200],
            [255, 215, 0],
            [30, 150, 60],
            [30, 30, 30],
        ],
    },
    Palette {
        paper: [253, 240, 230],
        paints: [
            [230, 90, 110],
            [250, 140, 60],
            [250, 200, 80],
            [90, 40, 110],
            [80, 90, 170],
        ],
    },
    Palette {
        paper: [236, 242, 236],
        paints: [
            [100, 140, 60],
            [30, 90, 60],
            [150, 190, 90],
            [120, 85, 55],
            [140, 190, 210],
        ],
    },
];

/// Largest side we honour; larger requests are clamped rather than
/// risking an allocation the server cannot afford.
const MAX_SIDE: u32 = 8192;
/// Above this many pixels we paint smaller and enlarge, which keeps big
/// requests fast and the brushwork looks the same, just softer.
const MAX_WORK_PIXELS: u64 = 2_400_000;

/// Paints a picture. Same arguments -> byte-identical pixels, on every machine and every run.
///
/// Sides are clamped to `1..=8192`; the composition depends only on the seed,
/// the motif and the aspect ratio, not on the resolution.
pub fn paint(seed: u64, palette: &Palette, motif: Motif, width: u32, height: u32) -> RgbImage {
    let (w, h) = (width.clamp(1, MAX_SIDE), height.clamp(1, MAX_SIDE));
    let (iw, ih) = working_size(w, h);
    let mut painter = Painter::new(seed, palette, motif, iw, ih);
    motifs::draw(&mut painter, motif);
    painter.canvas.to_image(w, h)
}

/// The size we actually paint at: the requested one, or one of the same
/// aspect ratio scaled down to [`MAX_WORK_PIXELS`].
fn working_size(w: u32, h: u32) -> (usize, usize) {
    let pixels = u64::from(w) * u64::from(h);
    if pixels <= MAX_WORK_PIXELS {
        return (w as usize, h as usize);
    }
    let k = (MAX_WORK_PIXELS as f64 / pixels as f64).sqrt();
    let side = |s: u32| ((f64::from(s) * k).round() as usize).max(1);
    (side(w), side(h))
}

#[cfg(test)]
mod tests {
    use super::colour::{luma, rgbf};
    use super::*;

    fn render(seed: u64, motif: Motif) -> RgbImage {
        paint(seed, &PALETTES[0], motif, 96, 120)
    }

    #[test]
    fn same_seed_gives_identical_bytes() {
        for motif in Motif::ALL {
            assert_eq!(
                render(7, motif).as_raw(),
                render(7, motif).as_raw(),
                "{motif:?}"
            );
        }
    }

    #[test]
    fn different_seeds_differ() {
        for motif in Motif::ALL {
            assert_ne!(
                render(1, motif).as_raw(),
                render(2, motif).as_raw(),
                "{motif:?}"
            );
        }
    }

    #[test]
    fn output_has_requested_dimensions() {
        let img = paint(3, &PALETTES[1], Motif::Fish, 150, 70);
        assert_eq!(img.dimensions(), (150, 70));
    }

    #[test]
    fn tiny_and_degenerate_sizes_do_not_panic() {
        for (w, h) in [(1, 1), (3, 2), (2, 3), (1, 40), (0, 0)] {
            for motif in Motif::ALL {
                let img = paint(9, &PALETTES[2], motif, w, h);
                assert_eq!(img.dimensions(), (w.max(1), h.max(1)));
            }
        }
    }

    #[test]
    fn pictures_are_not_near_uniform() {
        for (i, motif) in Motif::ALL.into_iter().enumerate() {
            let img = paint(i as u64, &PALETTES[i % PALETTES.len()], motif, 96, 120);
            let lum: Vec<f32> = img.pixels().map(|p| luma(rgbf(p.0)) * 255.0).collect();
            let mean = lum.iter().sum::<f32>() / lum.len() as f32;
            let var = lum.iter().map(|l| (l - mean) * (l - mean)).sum::<f32>() / lum.len() as f32;
            assert!(var > 100.0, "{motif:?} luminance variance {var}");
            let mut colours: Vec<[u8; 3]> = img.pixels().map(|p| p.0).collect();
            colours.sort_unstable();
            colours.dedup();
            assert!(
                colours.len() > 500,
                "{motif:?} has {} colours",
                colours.len()
            );
        }
    }

    #[test]
    fn palettes_are_distinct() {
        for (i, a) in PALETTES.iter().enumerate() {
            for b in &PALETTES[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
