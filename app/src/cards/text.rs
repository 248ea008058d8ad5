//! Text on cards: the fonts, what is drawn of what people typed, and lines that fit.
//!
//! Latin (with accents) comes from Noto Sans, shipped in `fonts/` with its licence. Chinese comes
//! from Noto Sans CJK, installed by the setup from Debian's `fonts-noto-cjk`. Each character
//! takes the first font that has it; characters no font has (emoji, say) are left out, and control
//! and formatting characters are removed first, so no name can crash a render or push text out of
//! its box.

use super::canvas::Canvas;
use ab_glyph::{point, Font, FontArc, FontRef, FontVec, GlyphId, PxScale, ScaleFont};
use image::Rgb;
use std::path::Path;
use std::sync::OnceLock;

const LATIN_REGULAR: &[u8] = include_bytes!("fonts/NotoSans-Regular.ttf");
const LATIN_BOLD: &[u8] = include_bytes!("fonts/NotoSans-Bold.ttf");

/// Where Debian's `fonts-noto-cjk` puts its collections, and the face of Simplified Chinese in
/// them.
const CJK_REGULAR: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const CJK_BOLD: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
const CJK_SC_FACE: u32 = 2;

const ELLIPSIS: char = '…';

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

/// One weight's fonts, in the order characters look for a glyph.
struct Family {
    faces: Vec<FontArc>,
}

/// The fonts cards are set in.
pub struct Fonts {
    regular: Family,
    bold: Family,
}

impl Fonts {
    /// The process's fonts, loaded on first use.
    pub fn shared() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts::load(Path::new(CJK_REGULAR), Path::new(CJK_BOLD)))
    }

    /// The shipped Latin fonts, followed by the CJK collections at these paths when they can be
    /// read. Without them Chinese characters are left out (and a warning says so), never drawn as
    /// boxes.
    pub fn load(cjk_regular: &Path, cjk_bold: &Path) -> Fonts {
        let family = |latin: &'static [u8], cjk: &Path| {
            let mut faces = vec![FontArc::new(
                FontRef::try_from_slice(latin).expect("the shipped font parses"),
            )];
            match std::fs::read(cjk)
                .map(|bytes| FontVec::try_from_vec_and_index(bytes, CJK_SC_FACE))
            {
                Ok(Ok(font)) => faces.push(FontArc::new(font)),
                Ok(Err(error)) => {
                    tracing::warn!(path = %cjk.display(), %error, "CJK font unreadable")
                }
                Err(error) => tracing::warn!(
                    path = %cjk.display(), %error,
                    "CJK font missing: install fonts-noto-cjk for Chinese on cards"
                ),
            }
            Family { faces }
        };
        Fonts {
            regular: family(LATIN_REGULAR, cjk_regular),
            bold: family(LATIN_BOLD, cjk_bold),
        }
    }

    /// Whether Chinese characters can be drawn.
    pub fn has_cjk(&self) -> bool {
        self.regular.faces.len() > 1
    }

    fn family(&self, weight: Weight) -> &Family {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

/// How a piece of text is set: em size in pixels, weight and colour.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub size: f32,
    pub weight: Weight,
    pub color: Rgb<u8>,
}

impl Style {
    pub const fn new(size: f32, weight: Weight, color: Rgb<u8>) -> Style {
        Style {
            size,
            weight,
            color,
        }
    }
}

/// A glyph placed on a line.
#[derive(Clone, Copy, Debug)]
struct Placed {
    face: usize,
    id: GlyphId,
    x: f32,
    /// Where the glyph ends, for shortening a line.
    end: f32,
}

/// A line of text, laid out and ready to draw.
#[derive(Clone, Debug)]
pub struct Line {
    glyphs: Vec<Placed>,
    /// Byte offsets in `text` where each glyph's character starts.
    starts: Vec<usize>,
    text: String,
    width: f32,
    style: Style,
}

impl Line {
    /// Its width in pixels.
    pub fn width(&self) -> f32 {
        self.width
    }

    /// What the line says, as drawn.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Draws the line with its baseline at `baseline`, starting at `x`.
    pub fn draw(&self, fonts: &Fonts, canvas: &mut Canvas, x: f32, baseline: f32) {
        let family = fonts.family(self.style.weight);
        for glyph in &self.glyphs {
            let font = &family.faces[glyph.face];
            let scale = scale_for(font, self.style.size);
            let positioned = glyph
                .id
                .with_scale_and_position(scale, point(x + glyph.x, baseline));
            if let Some(outline) = font.outline_glyph(positioned) {
                let bounds = outline.px_bounds();
                let (left, top) = (bounds.min.x as i64, bounds.min.y as i64);
                outline.draw(|gx, gy, coverage| {
                    canvas.blend(
                        left + i64::from(gx),
                        top + i64::from(gy),
                        self.style.color,
                        coverage,
                    );
                });
            }
        }
    }

    /// Draws the line centred on `center`.
    pub fn draw_centered(&self, fonts: &Fonts, canvas: &mut Canvas, center: f32, baseline: f32) {
        self.draw(fonts, canvas, center - self.width / 2.0, baseline);
    }
}

/// The scale at which `font` draws an em of `size` pixels, so faces with different units mix
/// at one size.
fn scale_for(font: &FontArc, size: f32) -> PxScale {
    let units = font.units_per_em().unwrap_or(1000.0);
    PxScale::from(size * font.height_unscaled() / units)
}

/// What of a person's text is drawn: control and invisible formatting characters (zero-width
/// joiners, direction marks, variation selectors, tags) are removed and runs of white space
/// become one space.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !c.is_control() && !is_invisible_format(c) {
            out.push(c);
        }
    }
    out.trim_end().to_owned()
}

fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E0FFF}')
}

/// What of `text` can be drawn in `weight`: cleaned, without the characters no font has, and with
/// the spaces they leave collapsed.
pub fn drawable(fonts: &Fonts, text: &str, weight: Weight) -> String {
    let family = fonts.family(weight);
    let kept: String = clean(text)
        .chars()
        .filter(|&c| c == ' ' || family.faces.iter().any(|f| f.glyph_id(c).0 != 0))
        .collect();
    clean(&kept).trim_start().to_owned()
}

/// `text`, or `fallback` when nothing of `text` can be drawn (a name all in emoji, say).
pub fn drawable_or(fonts: &Fonts, text: &str, fallback: &str, weight: Weight) -> String {
    let kept = drawable(fonts, text, weight);
    if kept.is_empty() {
        drawable(fonts, fallback, weight)
    } else {
        kept
    }
}

/// Lays out `text` on one line as it comes, with kerning between neighbours of one face.
/// Characters no font has are left out.
fn shape(fonts: &Fonts, text: &str, style: Style) -> Line {
    let family = fonts.family(style.weight);
    let mut glyphs = Vec::with_capacity(text.len());
    let mut starts = Vec::with_capacity(text.len());
    let mut kept = String::with_capacity(text.len());
    let mut x = 0.0_f32;
    let mut previous: Option<(usize, GlyphId)> = None;
    for c in text.chars() {
        let Some((face, id)) = family
            .faces
            .iter()
            .enumerate()
            .find_map(|(i, font)| Some((i, font.glyph_id(c))).filter(|(_, id)| id.0 != 0))
        else {
            continue;
        };
        let font = family.faces[face].as_scaled(scale_for(&family.faces[face], style.size));
        if let Some((prev_face, prev_id)) = previous {
            if prev_face == face {
                x += font.kern(prev_id, id);
            }
        }
        let advance = font.h_advance(id);
        glyphs.push(Placed {
            face,
            id,
            x,
            end: x + advance,
        });
        starts.push(kept.len());
        kept.push(c);
        x += advance;
        previous = Some((face, id));
    }
    Line {
        glyphs,
        starts,
        text: kept,
        width: x,
        style,
    }
}

/// A line with a picture before it (the organiser's logo before "Presented by …"), centred
/// together on `center` within `width`: the picture's middle at `middle` pixels from the top,
/// the text on `baseline`.
pub fn centered_with_logo(
    fonts: &Fonts,
    canvas: &mut Canvas,
    (text, style): (&str, Style),
    logo: Option<&image::RgbaImage>,
    (center, width): (f32, f32),
    (middle, baseline): (i64, f32),
) {
    let (logo_width, gap) = logo.map_or((0.0, 0.0), |l| (l.width() as f32, style.size / 2.0));
    let text = line(fonts, text, style, width - logo_width - gap);
    let left = center - (logo_width + gap + text.width()) / 2.0;
    if let Some(logo) = logo {
        canvas.overlay(
            logo,
            left.round() as i64,
            middle - i64::from(logo.height() / 2),
        );
    }
    text.draw(fonts, canvas, left + logo_width + gap, baseline);
}

/// `text` on one line no wider than `max_width`, shortened with an ellipsis when it is not.
pub fn line(fonts: &Fonts, text: &str, style: Style, max_width: f32) -> Line {
    let full = shape(fonts, &drawable(fonts, text, style.weight), style);
    shortened(fonts, full, max_width)
}

/// `full`, or as much of it as fits in `max_width` followed by an ellipsis.
fn shortened(fonts: &Fonts, full: Line, max_width: f32) -> Line {
    if full.width <= max_width {
        return full;
    }
    let style = full.style;
    let ellipsis = shape(fonts, &ELLIPSIS.to_string(), style).width;
    let fits = full
        .glyphs
        .iter()
        .take_while(|g| g.end + ellipsis <= max_width)
        .count();
    let cut = full.starts.get(fits).copied().unwrap_or(full.text.len());
    let mut text = full.text[..cut].trim_end().to_owned();
    text.push(ELLIPSIS);
    let line = shape(fonts, &text, style);
    if line.width <= max_width {
        line
    } else {
        // Narrower than an ellipsis: draw nothing rather than overflow.
        shape(fonts, "", style)
    }
}

/// The largest of `sizes` (largest first) at which `text` fits on one line, or the last size
/// shortened with an ellipsis.
pub fn fitted(fonts: &Fonts, text: &str, style: Style, sizes: &[f32], max_width: f32) -> Line {
    let cleaned = drawable(fonts, text, style.weight);
    for &size in sizes {
        let candidate = shape(fonts, &cleaned, Style { size, ..style });
        if candidate.width <= max_width {
            return candidate;
        }
    }
    let size = sizes.last().copied().unwrap_or(style.size);
    shortened(
        fonts,
        shape(fonts, &cleaned, Style { size, ..style }),
        max_width,
    )
}

/// `text` wrapped into at most `max_lines` lines no wider than `max_width`; the last is shortened
/// with an ellipsis if text remains. Lines break at spaces, or between Chinese characters, or
/// anywhere in a word too long for a line.
pub fn wrapped(
    fonts: &Fonts,
    text: &str,
    style: Style,
    max_width: f32,
    max_lines: usize,
) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut rest = drawable(fonts, text, style.weight);
    while !rest.is_empty() && lines.len() < max_lines {
        let shaped = shape(fonts, &rest, style);
        if shaped.width <= max_width || lines.len() + 1 == max_lines {
            lines.push(shortened(fonts, shaped, max_width));
            break;
        }
        let fits = shaped
            .glyphs
            .iter()
            .take_while(|g| g.end <= max_width)
            .count()
            .max(1);
        let limit = shaped
            .starts
            .get(fits)
            .copied()
            .unwrap_or(shaped.text.len());
        let cut = break_before(&shaped.text, limit).unwrap_or(limit);
        lines.push(shape(fonts, shaped.text[..cut].trim_end(), style));
        rest = shaped.text[cut..].trim_start().to_owned();
    }
    lines
}

/// The last place at or before byte `limit` of `text` where a line may break.
fn break_before(text: &str, limit: usize) -> Option<usize> {
    let mut best = None;
    let mut previous: Option<char> = None;
    for (offset, c) in text.char_indices() {
        if offset > limit {
            break;
        }
        if offset > 0 {
            let after_space = previous == Some(' ');
            let cjk = is_cjk(c) && !is_closing_punctuation(c) || previous.is_some_and(is_cjk);
            if after_space || cjk {
                best = Some(offset);
            }
        }
        previous = Some(c);
    }
    best
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{3134F}')
}

fn is_closing_punctuation(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '、' | '：' | '；' | '！' | '？' | '）' | '》' | '」' | '』' | '”'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::canvas::{INK, PAPER};

    fn fonts() -> &'static Fonts {
        Fonts::shared()
    }

    const BODY: Style = Style::new(40.0, Weight::Regular, INK);

    #[test]
    fn invisible_and_control_characters_are_removed_and_spaces_collapsed() {
        assert_eq!(
            clean("  Zoë\u{200D}\u{202E} \t\n Ångström\u{0007}\u{FE0F} "),
            "Zoë Ångström"
        );
        assert_eq!(clean("\u{200B}\u{2066}\n"), "");
    }

    #[test]
    fn characters_no_font_has_are_left_out_and_the_rest_kept() {
        let line = line(fonts(), " 🎨 Ana 🎨 <b>", BODY, 1000.0);
        assert_eq!(line.text(), "Ana <b>");
        let stranger = drawable_or(fonts(), "👨‍👩‍👧🎨", "A kind stranger", Weight::Bold);
        assert_eq!(stranger, "A kind stranger");
    }

    #[test]
    fn chinese_names_are_drawn_with_the_cjk_font() {
        assert!(fonts().has_cjk(), "install fonts-noto-cjk");
        let line = line(fonts(), "王小明", BODY, 1000.0);
        assert_eq!(line.text(), "王小明");
        assert!(line.width() > 100.0, "three ideographs are about three ems");
    }

    #[test]
    fn a_long_name_is_shortened_with_an_ellipsis_to_fit() {
        let long = "Maximiliana ".repeat(42);
        let line = line(fonts(), &long, BODY, 400.0);
        assert!(line.width() <= 400.0);
        assert!(line.text().ends_with('…'));
        assert!(line.text().starts_with("Maximiliana"));
    }

    #[test]
    fn fitted_text_shrinks_before_it_is_shortened() {
        let sizes = [80.0, 60.0, 40.0];
        let short = fitted(fonts(), "Lin", BODY, &sizes, 500.0);
        assert_eq!(short.text(), "Lin");
        let medium = fitted(fonts(), "Alexandra Konstantinou", BODY, &sizes, 600.0);
        assert!(medium.width() <= 600.0 && !medium.text().ends_with('…'));
        let long = fitted(fonts(), &"x".repeat(500), BODY, &sizes, 600.0);
        assert!(long.width() <= 600.0 && long.text().ends_with('…'));
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_between_chinese_characters() {
        let english = wrapped(fonts(), "Boats at dawn on the river", BODY, 260.0, 5);
        assert!(english.len() > 1);
        for line in &english {
            assert!(line.width() <= 260.0);
            assert!(!line.text().starts_with(' ') && !line.text().ends_with(' '));
        }
        let joined: Vec<&str> = english.iter().map(Line::text).collect();
        assert_eq!(joined.join(" "), "Boats at dawn on the river");

        let chinese = wrapped(fonts(), "晨光里的船在河上慢慢地走着", BODY, 200.0, 5);
        assert!(chinese.len() > 1);
        let joined: String = chinese.iter().map(Line::text).collect();
        assert_eq!(joined, "晨光里的船在河上慢慢地走着");
    }

    #[test]
    fn wrapped_text_past_its_last_line_ends_in_an_ellipsis() {
        let lines = wrapped(fonts(), &"word ".repeat(200), BODY, 300.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].text().ends_with('…'));
        assert!(lines.iter().all(|l| l.width() <= 300.0));
    }

    #[test]
    fn drawn_text_stays_inside_the_canvas() {
        let mut canvas = Canvas::new(60, 30, PAPER);
        let hostile = "\u{202E}مرحبا 👨‍👩‍👧 Ω\u{0000}王";
        line(fonts(), hostile, BODY, 500.0).draw(fonts(), &mut canvas, -20.0, 25.0);
        assert_eq!(canvas.into_image().dimensions(), (60, 30));
    }
}
