//! The documents behind an expense: what kind each is, which formats are taken (told by their
//! content, never by a name or a header), and whether a PDF carries active content.

use serde::{Deserialize, Serialize};

/// The largest document taken, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// The most documents an expense holds: its log entry names each, and an entry stays under
/// [`crate::transparency::entry::MAX_ENTRY_BYTES`].
pub const MAX_DOCUMENTS: usize = 4;

/// What a document shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentKind {
    Receipt,
    Invoice,
    /// A bank's confirmation of a transfer.
    Transfer,
    Photo,
    Report,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::Receipt,
        DocumentKind::Invoice,
        DocumentKind::Transfer,
        DocumentKind::Photo,
        DocumentKind::Report,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Receipt => "receipt",
            DocumentKind::Invoice => "invoice",
            DocumentKind::Transfer => "transfer",
            DocumentKind::Photo => "photo",
            DocumentKind::Report => "report",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A document's file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Pdf,
    Jpeg,
    Png,
}

impl Format {
    /// The format `bytes` are in, by their first bytes; `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(b"%PDF-") {
            Some(Format::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Format::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Format::Png)
        } else {
            None
        }
    }

    /// The file extension, as stored.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }

    pub fn parse(extension: &str) -> Option<Format> {
        [Format::Pdf, Format::Jpeg, Format::Png]
            .into_iter()
            .find(|f| f.extension() == extension)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
        }
    }
}

/// A document as the public and staff see it: both copies by their SHA-256 (lowercase hex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocumentKind,
    pub format: Format,
    /// The copy the public gets.
    pub public_sha256: String,
    /// The file as staff added it.
    pub original_sha256: String,
    /// A PDF with active content: served only as a download.
    pub active_content: bool,
}

impl Document {
    /// Where the public copy of a paid expense's document is served.
    pub fn public_path(&self, campaign_path: &str, expense: i64) -> String {
        format!(
            "{campaign_path}/expenses/{expense}/documents/{}.{}",
            self.public_sha256,
            self.format.extension()
        )
    }
}

impl Document {
    /// What an expense's log entry says of it, after `document `: its kind, format, and the
    /// SHA-256 of its public copy and of its original.
    pub fn entry_value(&self) -> String {
        format!(
            "{} {} {} {}",
            self.kind.as_str(),
            self.format.extension(),
            self.public_sha256,
            self.original_sha256
        )
    }
}

/// Whether `value` is what [`Document::entry_value`] writes.
pub fn is_entry_value(value: &str) -> bool {
    let hex64 =
        |h: &str| h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    matches!(
        value.split(' ').collect::<Vec<_>>().as_slice(),
        [kind, format, public, original]
            if DocumentKind::parse(kind).is_some()
                && Format::parse(format).is_some()
                && hex64(public)
                && hex64(original)
    )
}

/// PDF names that make a document do something when opened: run JavaScript, act on opening or
/// on events, launch a program, carry files or rich media, or hold an XFA form.
const ACTIVE_NAMES: [&[u8]; 10] = [
    b"JavaScript",
    b"JS",
    b"OpenAction",
    b"AA",
    b"Launch",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"RichMedia",
    b"XFA",
    b"SubmitForm",
];

/// Whether a PDF names any active content, reading every name object (`/JavaScript`, with
/// `#xx` escapes undone, as `/J#61vaScript` spells the same name). Names inside compressed
/// object streams are not seen: every PDF is served sandboxed and never sniffed, and one that
/// shows any of these is served only as a download.
pub fn has_active_content(pdf: &[u8]) -> bool {
    let delimiter = |b: u8| b.is_ascii_whitespace() || b"/()<>[]{}%".contains(&b);
    let mut i = 0;
    while i < pdf.len() {
        if pdf[i] != b'/' {
            i += 1;
            continue;
        }
        i += 1;
        let mut name = Vec::new();
        while i < pdf.len() && !delimiter(pdf[i]) {
            let decoded = (pdf[i] == b'#' && i + 2 < pdf.len())
                .then(|| std::str::from_utf8(&pdf[i + 1..i + 3]).ok())
                .flatten()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            match decoded {
                Some(byte) => {
                    name.push(byte);
                    i += 3;
                }
                None => {
                    name.push(pdf[i]);
                    i += 1;
                }
            }
        }
        if ACTIVE_NAMES.contains(&name.as_slice()) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(Format::sniff(b"%PDF-1.7\n"), Some(Format::Pdf));
        assert_eq!(Format::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Format::Jpeg));
        assert_eq!(Format::sniff(b"\x89PNG\r\n\x1a\n...."), Some(Format::Png));
        assert_eq!(Format::sniff(b"GIF89a"), None);
        assert_eq!(Format::sniff(b"<html>%PDF-"), None);
    }

    #[test]
    fn active_content_is_found_however_its_name_is_spelled() {
        let plain = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n";
        assert!(!has_active_content(plain));
        for active in [
            &b"%PDF-1.4\n1 0 obj << /OpenAction 3 0 R >>"[..],
            b"%PDF-1.4\n3 0 obj << /S /JavaScript /JS (app.alert(1)) >>",
            b"%PDF-1.4\n3 0 obj << /S /J#61vaScript >>",
            b"%PDF-1.4\n<</Names<</EmbeddedFiles 4 0 R>>>>",
            b"%PDF-1.4\n<</AA<</O 5 0 R>>>>",
        ] {
            assert!(
                has_active_content(active),
                "{}",
                String::from_utf8_lossy(active)
            );
        }
        // A name that merely starts like one is not one.
        assert!(!has_active_content(b"%PDF-1.4 << /JSON 1 /AAA 2 >>"));
    }
}
