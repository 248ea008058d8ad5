//! A `<textarea>` that shows stored text exactly as it was written.
//!
//! A textarea's content is raw text to the HTML parser, up to the first `</textarea>`, and Leptos
//! writes an element's text child into the server's HTML unescaped for textareas. So a text
//! written as a child would let `</textarea><script>…` out of the field, and would turn a
//! stored `&amp;` into `&` on the next save. This component is the one place textareas get
//! their text: escaped, as the field's inner HTML, which the browser reads back into the same
//! characters whether the server or the browser rendered it.

use leptos::prelude::*;

/// A multi-line text field holding `value`.
#[component]
pub fn TextArea(
    name: &'static str,
    value: String,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    view! {
        <textarea
            name=name
            rows=rows
            required=required
            maxlength=maxlength
            inner_html=field_html(&value)
        ></textarea>
    }
}

/// The inner HTML that makes a textarea show `value`. In a page the server sends, the parser
/// drops one newline right after `<textarea>`; the server adds one, so a text that starts with
/// a newline keeps it. Set from script, nothing is dropped, so nothing is added.
fn field_html(value: &str) -> String {
    let escaped = html_escape::encode_text(value);
    if cfg!(feature = "ssr") {
        format!("\n{escaped}")
    } else {
        escaped.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_stays_inside_the_field() {
        let html = field_html("</textarea><script>alert(1)</script> &amp; <b>");
        assert!(!html.contains('<'));
        assert!(html.contains("&lt;/textarea&gt;"));
        assert!(html.contains("&amp;amp;"));
    }
}
