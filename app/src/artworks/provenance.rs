//! Provenance: how an artwork was made, and the photo or film of the artist at work that shows it, so
//! that "did the child really paint this?" has an answer on the artwork's page.

use super::Image;
use serde::{Deserialize, Serialize};

/// How much of the work was the artist's own hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MadeHow {
    /// The artist chose and painted it alone.
    Independent,
    /// Someone suggested the subject, the colours or the next step; the hand was the artist's.
    Prompted,
    /// A helper guided the artist's hand.
    HandGuided,
}

impl MadeHow {
    pub const ALL: [MadeHow; 3] = [MadeHow::Independent, MadeHow::Prompted, MadeHow::HandGuided];

    pub fn as_str(self) -> &'static str {
        match self {
            MadeHow::Independent => "independent",
            MadeHow::Prompted => "prompted",
            MadeHow::HandGuided => "hand_guided",
        }
    }

    pub fn parse(text: &str) -> Option<MadeHow> {
        MadeHow::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// An artwork's provenance as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub made_how: MadeHow,
    /// A photo of the artist at work on it: its full size and its thumbnail.
    pub evidence: Option<(Image, Image)>,
    /// A film of the artist at work on it.
    pub film: Option<Film>,
}

/// A film of the artist at work: where it is served, the size its pictures are shown at, and
/// its length.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Film {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub duration_ms: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ways_of_making_read_back_as_written_and_nothing_else_does() {
        for made in MadeHow::ALL {
            assert_eq!(MadeHow::parse(made.as_str()), Some(made));
        }
        for bad in ["", "Independent", "hand-guided", "alone"] {
            assert_eq!(MadeHow::parse(bad), None, "{bad:?}");
        }
    }
}
