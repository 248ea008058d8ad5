//! One module per motif, each with a `paint` that makes the whole picture,
//! and the scenery several of them share.

mod birds;
mod blobs;
mod fish;
mod flowers;
mod hearts;
mod houses;
mod rainbow;
mod scenery;
mod sea_and_boats;
mod starry_night;
mod sun_and_hills;
mod trees;

use super::painter::Painter;
use super::Motif;

/// Paints `motif` on the painter's canvas.
pub(super) fn draw(p: &mut Painter, motif: Motif) {
    match motif {
        Motif::SunAndHills => sun_and_hills::paint(p),
        Motif::Flowers => flowers::paint(p),
        Motif::SeaAndBoats => sea_and_boats::paint(p),
        Motif::Houses => houses::paint(p),
        Motif::Trees => trees::paint(p),
        Motif::StarryNight => starry_night::paint(p),
        Motif::Blobs => blobs::paint(p),
        Motif::Rainbow => rainbow::paint(p),
        Motif::Fish => fish::paint(p),
        Motif::Birds => birds::paint(p),
        Motif::Hearts => hearts::paint(p),
    }
}
