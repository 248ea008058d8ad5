//! The donor's pages' islands: Leptos's islands, whose data the browser reads with
//! [`crate::json`] rather than serde.
//!
//! An island renders, on the server, as Leptos's `#[island]` renders one: a `<leptos-island>`
//! element naming its component, its data as JSON in `data-props`, and the view inside. In the
//! browser the page's loader (`IslandScripts`) calls the export of the same name, which reads
//! the data and hydrates the view. `#[island]` reads its props with serde_json, compiled again
//! for every island and every type in them; these islands are what a first visit to the
//! landing, artwork and share pages loads. The islands of pages a donor rarely opens (the
//! thank-you page's follower, the ledger verifier, the staff boards) are lazy: they keep
//! `#[island(lazy)]`, and serde comes with their chunks.
//!
//! An island is declared once, with [`island!`](crate::island!): its data, the function that
//! shows it, and, from its name, the browser's export.

use crate::json::FromJson;
use leptos::prelude::*;
use leptos::reactive::graph::untrack_with_diagnostics;
use leptos::tachys::html::islands::Island;
use leptos::tachys::reactive_graph::OwnedView;

/// The island `name` showing `body(data)`; the browser's export `name` takes it over (see
/// [`island!`](crate::island!), which declares both).
pub fn island<D, V>(name: &'static str, data: D, body: fn(D) -> V) -> impl IntoView
where
    D: FromJson + serde::Serialize + 'static,
    V: IntoView + 'static,
{
    #[cfg(feature = "ssr")]
    let props = serde_json::to_string(&data).unwrap_or_else(|error| {
        // Without its data the island stays the server's HTML; the page still reads.
        tracing::error!(island = name, %error, "an island's data could not be written");
        String::new()
    });
    #[cfg(not(feature = "ssr"))]
    let props = String::new();
    // As `#[island]` does: the island's view has an owner of its own, and hydrates.
    let view = untrack_with_diagnostics(move || {
        Owner::new().with(|| Owner::with_hydration(move || OwnedView::new(body(data))))
    });
    Island::new(name, view).with_props(props)
}

/// Declares the island `Name`: a struct of what it shows (written by serde, read with
/// [`FromJson`] field by field under their own names), `Name::into_island` that renders it
/// with `body`, and the browser's export `Name`, which hydrates it:
///
/// ```ignore
/// island! {
///     /// The goal.
///     pub struct LiveGoal {
///         pub slug: String,
///         pub progress: Progress,
///     }
///     shown by live_goal
/// }
/// ```
#[macro_export]
macro_rules! island {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident {
            $($(#[$field_attr:meta])* $field_vis:vis $field:ident: $type:ty),+ $(,)?
        }
        shown by $body:path
    ) => {
        $(#[$attr])*
        #[derive(serde::Serialize)]
        #[cfg_attr(test, derive(Debug, PartialEq))]
        $vis struct $name {
            $($(#[$field_attr])* $field_vis $field: $type),+
        }

        $crate::from_json_fields!($name { $($field),+ });

        impl $name {
            /// The island, as the server renders it for the browser to take over.
            pub fn into_island(self) -> impl leptos::prelude::IntoView {
                $crate::island::island(stringify!($name), self, $body)
            }
        }

        #[cfg(feature = "hydrate")]
        const _: () = {
            /// Takes over the island the server rendered in `element`.
            #[wasm_bindgen::prelude::wasm_bindgen(js_name = $name)]
            pub fn hydrate(element: web_sys::HtmlElement) {
                $crate::island::hydrate(&element, stringify!($name), $body)
            }
        };
    };
}

/// Hydrates `element`, the island `name` the server rendered with `body`, from the data it
/// carries. Data that does not read leaves the server's HTML as it is, and says so.
#[cfg(feature = "hydrate")]
pub fn hydrate<D, V>(element: &web_sys::HtmlElement, name: &'static str, body: fn(D) -> V)
where
    D: FromJson + serde::Serialize + 'static,
    V: IntoView + 'static,
{
    use leptos::tachys::view::{Position, RenderHtml};
    let data = element
        .dataset()
        .get("props")
        .and_then(|props| crate::json::read::<D>(&props));
    let Some(data) = data else {
        leptos::logging::error!("the island {name} carries data it cannot read");
        return;
    };
    let state = island(name, data, body).hydrate_from_position::<true>(element, Position::Current);
    // The island lives as long as the page.
    std::mem::forget(state);
}

#[cfg(test)]
mod tests {
    use crate::json::{assert_reads_back, read};
    use crate::live::Titles;
    use leptos::prelude::*;

    crate::island! {
        /// An island of every kind of field.
        struct Sample {
            text: String,
            number: i64,
            maybe: Option<u32>,
            titles: Vec<Titles>,
            flag: bool,
        }
        shown by sample
    }

    fn sample(sample: Sample) -> impl IntoView {
        view! { <p>{sample.text}</p> }
    }

    #[test]
    fn an_island_s_data_reads_back_as_the_server_wrote_it() {
        let data = Sample {
            text: "认领 \"this\"".into(),
            number: -3,
            maybe: None,
            titles: vec![Titles {
                en: "Boats".into(),
                zh_cn: "船".into(),
            }],
            flag: true,
        };
        assert_reads_back(&data);
        assert_reads_back(&Sample {
            maybe: Some(7),
            titles: Vec::new(),
            ..data
        });
        // Every field is read: one missing (but an `Option`) or of another type refuses it all.
        assert_eq!(
            read::<Sample>(r#"{"text":"a","number":1,"titles":[],"flag":false}"#).map(|s| s.maybe),
            Some(None)
        );
        assert_eq!(
            read::<Sample>(r#"{"text":"a","number":1,"titles":[]}"#),
            None
        );
        assert_eq!(
            read::<Sample>(r#"{"text":"a","number":"1","titles":[],"flag":false}"#),
            None
        );
    }

    // The server writes an island's data (`ssr`).
    #[cfg(feature = "ssr")]
    #[test]
    fn an_island_renders_as_leptos_islands_do_with_its_data_beside_it() {
        let owner = Owner::new();
        let html = owner.with(|| {
            Sample {
                text: "<b>".into(),
                number: 1,
                maybe: None,
                titles: Vec::new(),
                flag: false,
            }
            .into_island()
            .to_html()
        });
        assert!(html.starts_with(r#"<leptos-island data-component="Sample" data-props="{&quot;text&quot;:&quot;&lt;b&gt;&quot;,"#), "{html}");
        assert!(html.ends_with("<p>&lt;b&gt;</p></leptos-island>"), "{html}");
    }
}
