//! An artist's voice message: a short recording of their own, played on the artwork's page and
//! on the thank-you page of each gift for it, with its words written out in the reader's
//! language for anyone who cannot listen.

use serde::{Deserialize, Serialize};

/// A voice message as a page plays it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voice {
    /// A site path such as `/media/3fa9….mp3`.
    pub url: String,
    /// `audio/ogg`, `audio/mpeg` or `audio/mp4`.
    pub content_type: String,
    pub duration_ms: u32,
    /// What it says, in the reader's language (or the other when only that one was written).
    pub transcript: String,
}

impl Voice {
    /// Its length as a player shows it, in whole seconds: "0:12".
    pub fn length(&self) -> String {
        let seconds = self.duration_ms / 1000;
        format!("{}:{:02}", seconds / 60, seconds % 60)
    }
}
