//! The voice message as pages play it: the player, its length, and its words written out.

use super::voice::Voice;
use crate::i18n::{fill, use_locale};
use leptos::prelude::*;

#[component]
pub fn VoiceMessage(voice: Voice, artist: String) -> impl IntoView {
    let t = use_locale().words();
    let heading = fill(t.voice_heading(), &[("artist", &artist)]);
    let length = fill(t.voice_length(), &[("length", &voice.length())]);
    view! {
        <section class="voice" aria-labelledby="voice-heading" data-testid="voice">
            <h2 id="voice-heading">{heading}</h2>
            <audio controls=true preload="none">
                <source src=voice.url type=voice.content_type />
            </audio>
            <p class="muted voice-length">{length}</p>
            <blockquote class="voice-transcript">
                <p>{voice.transcript}</p>
            </blockquote>
        </section>
    }
}
