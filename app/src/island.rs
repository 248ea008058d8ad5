//! The donor's pages' islands: Leptos's islands, whose data the browser reads with
//! [`crate::json`] rather than serde.
//!
//! An island renders, on the server, as Leptos's `#[island]` renders one: a `<leptos-island>`
//! element naming its component, its data as JSON in `data-props`, and the view inside. In the
//! browser the page's loader (`IslandScripts`) calls the export of the same name, which reads
//! the data and hydrates the view. `#[island]` reads its props with serde_json, compiled again
//! for every island and every type in them; these islands are what a first visit to the
//! landing, artwork and share pages loads, and staff islands keep `#[island(lazy)]`.
//!
//! Each island is a component (`island(NAME, data, body)`) and, in the browser, an export:
//!
//! ```ignore
//! #[cfg(feature = "hydrate")]
//! #[wasm_bindgen::prelude::wasm_bindgen(js_name = "LiveGoal")]
//! pub fn hydrate_live_goal(element: web_sys::HtmlElement) {
//!     crate::island::hydrate(&element, "LiveGoal", live_goal)
//! }
//! ```

use crate::json::FromJson;
use leptos::prelude::*;
use leptos::reactive::graph::untrack_with_diagnostics;
use leptos::tachys::html::islands::Island;
use leptos::tachys::reactive_graph::OwnedView;

/// The island `name` showing `body(data)`; the browser's export `name` takes it over.
pub fn island<D, V>(name: &'static str, data: D, body: fn(D) -> V) -> impl IntoView
where
    D: FromJson + serde::Serialize + 'static,
    V: IntoView + 'static,
{
    #[cfg(feature = "ssr")]
    let props = serde_json::to_string(&data).unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let props = String::new();
    // As `#[island]` does: the island's view has an owner of its own, and hydrates.
    let view = untrack_with_diagnostics(move || {
        Owner::new().with(|| Owner::with_hydration(move || OwnedView::new(body(data))))
    });
    Island::new(name, view).with_props(props)
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
    use crate::ambassadors::{AmbassadorRank, Leaderboards, TeamRank};
    use crate::campaigns::{CampaignStatus, Progress};
    use crate::dates::Timestamp;
    use crate::ids::ShareCode;
    use crate::json::{assert_reads_back, read};
    use crate::live::{FeedGift, Milestone, ProgressJson, Snapshot, Titles};
    use crate::matching::MatchOffer;
    use crate::money::{Currency, Money};
    use crate::sharing::SharerStats;

    fn cny(minor: i64) -> Money {
        Money::from_minor(minor, Currency::Cny).expect("an amount")
    }

    fn titles() -> Titles {
        Titles {
            en: "Sunflowers".into(),
            zh_cn: "向日葵".into(),
        }
    }

    #[test]
    fn the_browser_reads_back_what_the_server_writes_for_the_islands_and_the_stream() {
        let progress = Progress {
            raised: cny(1_250),
            matched: cny(300),
            match_remaining: Some(cny(700)),
            goal_counts_match: false,
            goal: cny(1_000_000),
            donors: 3,
            status: CampaignStatus::Open,
            updated_at: Timestamp::from_unix_ms(1_700_000_000_123),
            news: 2,
        };
        assert_reads_back(&progress);
        for status in [CampaignStatus::Upcoming, CampaignStatus::Closed] {
            let other = Progress {
                match_remaining: None,
                status,
                ..progress.clone()
            };
            assert_reads_back(&other);
            assert_reads_back(&ProgressJson::from(&other));
        }
        for currency in Currency::ALL {
            assert_reads_back(&Money::zero(currency));
        }
        let gift = FeedGift {
            number: 42,
            name: Some("小明 \"Ming\" \\ 🎨".into()),
            artwork_slug: "sunflowers".into(),
            artwork_title: titles(),
            amount: Some(cny(2_000)),
            message: Some("加油！\nKeep going\t\u{1}".into()),
            at: Timestamp::from_unix_ms(5),
            shared_by: ShareCode::parse("abcdefghjkmn"),
        };
        let anonymous = FeedGift {
            name: None,
            amount: None,
            message: None,
            shared_by: None,
            ..gift.clone()
        };
        let boards = Leaderboards {
            teams: vec![TeamRank {
                id: 7,
                name: titles(),
                ambassadors: 2,
                gifts: 9,
                raised: cny(9_900),
                reached: 30,
            }],
            ambassadors: vec![AmbassadorRank {
                name: "Li Hua".into(),
                code: ShareCode::parse("23456789abcd").expect("a code"),
                team_id: 7,
                team: titles(),
                gifts: 4,
                raised: cny(400),
                goal: Some(cny(10_000)),
                reached: 12,
                hidden: false,
            }],
        };
        assert_reads_back(&Snapshot {
            progress: ProgressJson::from(&progress),
            gifts: vec![gift, anonymous],
            boards,
        });
        assert_reads_back(&Milestone { percent: 75 });
        assert_reads_back(&MatchOffer {
            sponsor: "Acme".into(),
            ratio_bp: 5_000,
            total_cap: cny(100_000),
            matched: cny(300),
            cap_per_gift: None,
            ends_at: Some(Timestamp::from_unix_ms(1_800_000_000_000)),
            running: true,
        });
        assert_reads_back(&SharerStats {
            gifts: 3,
            raised: cny(6_000),
            further: vec![4, 1],
            capped: false,
        });
    }

    #[test]
    fn a_progress_event_without_the_newer_fields_reads_as_serde_reads_it() {
        let older = r#"{"raised_minor":100,"goal_minor":1000,"currency":"CNY","donors":1,
            "percent":10.0,"status":"open","updated_at":"2026-12-05T00:00:00Z","updated_at_ms":5}"#;
        let by_serde: ProgressJson = serde_json::from_str(older).expect("serde reads it");
        assert_eq!(read::<ProgressJson>(older), Some(by_serde.clone()));
        let snapshot = format!(r#"{{"progress":{older},"gifts":[]}}"#);
        assert_eq!(
            read::<Snapshot>(&snapshot),
            Some(Snapshot {
                progress: by_serde,
                gifts: Vec::new(),
                boards: Leaderboards::default(),
            })
        );
    }

    #[test]
    fn data_that_is_not_what_the_server_writes_is_refused() {
        let written = serde_json::to_string(&ProgressJson::from(&Progress {
            raised: cny(1),
            matched: cny(0),
            match_remaining: None,
            goal_counts_match: true,
            goal: cny(100),
            donors: 1,
            status: CampaignStatus::Open,
            updated_at: Timestamp::from_unix_ms(0),
            news: 0,
        }))
        .expect("serialises");
        for (what, bad) in [
            ("status", written.replace("\"open\"", "\"paused\"")),
            ("currency", written.replace("\"CNY\"", "\"XBT\"")),
            (
                "a negative total",
                written.replace("\"raised_minor\":1", "\"raised_minor\":-1"),
            ),
            ("a missing figure", written.replace("\"donors\":1,", "")),
            (
                "a number as text",
                written.replace("\"donors\":1", "\"donors\":\"1\""),
            ),
        ] {
            assert_ne!(bad, written, "{what}");
            assert_eq!(read::<ProgressJson>(&bad), None, "{what}");
        }
        assert_eq!(read::<Milestone>("[75]"), None);
    }
}
