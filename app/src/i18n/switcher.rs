//! The language switcher in the site header.

use super::{use_locale, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Links to the current page in each other language.
///
/// A plain link to `/locale/{tag}`, which remembers the choice in a cookie and sends the visitor
/// back: it works without JavaScript, and the next page is rendered in the new language from
/// its first byte, with no flash of the old one.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let current = use_locale();
    let location = use_location();
    let links = Locale::ALL
        .into_iter()
        .filter(move |l| *l != current)
        .map(move |l| {
            let href = move || {
                format!(
                    "/locale/{}?next={}",
                    l.tag(),
                    encode_query_value(&location.pathname.get())
                )
            };
            view! {
                <a href=href rel="external nofollow" hreflang=l.tag() lang=l.tag()>
                    {l.native_name()}
                </a>
            }
        })
        .collect_view();
    view! {
        <nav class="language-switcher" aria-label=current.words().language_label()>
            {links}
        </nav>
    }
}

/// Percent-encodes what would end or split a query value.
fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '%' | '&' | '#' | '+' | '?' | '=' | ' ' => out.push_str(&format!("%{:02X}", ch as u32)),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_query_value;

    #[test]
    fn paths_survive_being_a_query_value() {
        assert_eq!(encode_query_value("/campaigns/x"), "/campaigns/x");
        assert_eq!(
            encode_query_value("/a b&c#d?e=f+g%"),
            "/a%20b%26c%23d%3Fe%3Df%2Bg%25"
        );
    }
}
