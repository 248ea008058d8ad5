//! The company presenting a campaign, and the colour its pages take from it within WCAG's
//! contrast rules.

use serde::{Deserialize, Serialize};

/// The company (or foundation) presenting a campaign, beside its beneficiary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organiser {
    /// In the reader's language.
    pub name: String,
    pub url: Option<String>,
    /// A short statement of why it runs the campaign, in the reader's language.
    pub statement: String,
    pub logo: Option<Logo>,
    pub brand: Option<BrandColour>,
}

/// A stored logo: its address under `/media` and its size in pixels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logo {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// The page background brand colours must read on (the site's `--paper`).
pub const PAPER: BrandColour = BrandColour([0xf6, 0xef, 0xe4]);
/// White, the text on buttons in the brand colour.
pub const WHITE: BrandColour = BrandColour([0xff, 0xff, 0xff]);
/// WCAG 2.2 AA's least contrast for body text (success criterion 1.4.3).
pub const AA_TEXT: f64 = 4.5;

/// A colour in sRGB, as `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BrandColour([u8; 3]);

impl BrandColour {
    /// Reads `#rrggbb` or `#rgb` (the `#` may be left out; any case).
    pub fn parse(text: &str) -> Option<BrandColour> {
        let hex = text.trim().trim_start_matches('#');
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).and_then(|d| u8::try_from(d).ok()))
            .collect::<Option<_>>()?;
        match digits.as_slice() {
            [r, g, b] => Some(BrandColour([r * 17, g * 17, b * 17])),
            [r1, r2, g1, g2, b1, b2] => {
                Some(BrandColour([r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2]))
            }
            _ => None,
        }
    }

    /// `rrggbb`, lower case.
    pub fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("{r:02x}{g:02x}{b:02x}")
    }

    /// WCAG's relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// WCAG's contrast ratio between two colours, from 1 to 21.
    pub fn contrast(self, other: BrandColour) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// The lower of its contrasts where pages use it: white text on it (buttons) and it as
    /// text on the page (links, figures).
    pub fn worst_contrast(self) -> f64 {
        self.contrast(WHITE).min(self.contrast(PAPER))
    }

    /// Whether pages may use it: both contrasts reach WCAG AA for text.
    pub fn readable(self) -> bool {
        self.worst_contrast() >= AA_TEXT
    }

    /// A fifth darker, for a pressed or hovered button.
    pub fn darker(self) -> BrandColour {
        BrandColour(
            self.0
                .map(|c| u8::try_from(u16::from(c) * 4 / 5).unwrap_or(c)),
        )
    }

    /// The stylesheet that gives a page this colour.
    pub fn stylesheet_path(self) -> String {
        format!("/brand/{}.css", self.hex())
    }
}

impl TryFrom<String> for BrandColour {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        BrandColour::parse(&text).ok_or_else(|| format!("not a colour: {text}"))
    }
}

impl From<BrandColour> for String {
    fn from(colour: BrandColour) -> String {
        format!("#{}", colour.hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_read_in_their_usual_spellings() {
        assert_eq!(
            BrandColour::parse("#C8102E")
                .map(BrandColour::hex)
                .as_deref(),
            Some("c8102e")
        );
        assert_eq!(
            BrandColour::parse("c8102e")
                .map(BrandColour::hex)
                .as_deref(),
            Some("c8102e")
        );
        assert_eq!(
            BrandColour::parse("#fa0").map(BrandColour::hex).as_deref(),
            Some("ffaa00")
        );
        for bad in [
            "",
            "#",
            "#12345",
            "#1234567",
            "#gg0000",
            "red",
            "#c8102e;}",
            "１２３",
        ] {
            assert_eq!(BrandColour::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        let black = BrandColour::parse("#000").expect("black");
        assert!((black.contrast(WHITE) - 21.0).abs() < 1e-9);
        assert!((WHITE.contrast(WHITE) - 1.0).abs() < 1e-9);
        // WebAIM's checker: #767676 on white is 4.54:1, the lightest grey that passes AA.
        let grey = BrandColour::parse("#767676").expect("grey");
        assert!((grey.contrast(WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn only_colours_readable_on_buttons_and_on_the_page_pass() {
        // The site's own accent passes; a deep brand red and navy pass.
        for good in ["#b23a21", "#a6192e", "#1d3557"] {
            assert!(
                BrandColour::parse(good).expect("a colour").readable(),
                "{good}"
            );
        }
        // Yellow fails under white text; a mid grey passes on white but not on the paper.
        for bad in ["#ffcc00", "#767676", "#ffffff"] {
            assert!(
                !BrandColour::parse(bad).expect("a colour").readable(),
                "{bad}"
            );
        }
    }
}
