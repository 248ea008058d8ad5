//! Title, description and the Open Graph / Twitter tags that link previews are built from.

use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use serde::{Deserialize, Serialize};

/// What a page tells crawlers about itself. URLs are absolute (from `PUBLIC_BASE_URL`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub url: String,
    /// The language the page is written in.
    pub locale: Locale,
    pub image: Option<MetaImage>,
}

/// The picture a link preview shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaImage {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// Renders the tags into the document head.
#[component]
pub fn PageMetaTags(meta: PageMeta) -> impl IntoView {
    let image = meta.image.map(|image| {
        view! {
            <Meta property="og:image" content=image.url.clone() />
            <Meta property="og:image:width" content=image.width.to_string() />
            <Meta property="og:image:height" content=image.height.to_string() />
            <Meta property="og:image:alt" content=image.alt.clone() />
            <Meta name="twitter:image" content=image.url />
            <Meta name="twitter:image:alt" content=image.alt />
        }
    });
    let alternates = Locale::ALL
        .into_iter()
        .filter(|l| *l != meta.locale)
        .map(|l| view! { <Meta property="og:locale:alternate" content=l.og_locale() /> })
        .collect_view();
    view! {
        <Title text=meta.title.clone() />
        <Meta name="description" content=meta.description.clone() />
        <Link rel="canonical" href=meta.url.clone() />
        <Meta property="og:type" content="website" />
        <Meta property="og:site_name" content=meta.locale.words().site_name() />
        <Meta property="og:locale" content=meta.locale.og_locale() />
        {alternates}
        <Meta property="og:title" content=meta.title.clone() />
        <Meta property="og:description" content=meta.description.clone() />
        <Meta property="og:url" content=meta.url />
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=meta.title />
        <Meta name="twitter:description" content=meta.description />
        {image}
    }
}

/// The first sentence or so of a text, for descriptions: at most `max` characters, cut at a word.
pub fn summary(text: &str, max: usize) -> String {
    let first_paragraph = text.split("\n\n").next().unwrap_or_default().trim();
    if first_paragraph.chars().count() <= max {
        return first_paragraph.to_owned();
    }
    let cut: String = first_paragraph.chars().take(max).collect();
    let at_word = cut.rsplit_once(' ').map(|(head, _)| head).unwrap_or(&cut);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn summaries_stop_at_a_word_and_say_so() {
        assert_eq!(summary("Short.", 50), "Short.");
        assert_eq!(summary("One two three four", 9), "One two…");
        assert_eq!(summary("First para.\n\nSecond.", 50), "First para.");
        assert_eq!(summary("画廊画廊画廊", 2), "画廊…");
    }
}
