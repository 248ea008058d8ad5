//! Following a campaign in the browser: its event stream, or polling when the stream is blocked.

use super::{FeedGift, Milestone, ProgressJson, Snapshot, FEED_LENGTH};
use crate::ambassadors::Leaderboards;
use crate::campaigns::Progress;
use leptos::prelude::*;

/// A page's live view of a campaign. During SSR it holds the snapshot the page was rendered
/// with; once hydrated, it follows the campaign.
#[derive(Clone, Copy, Debug)]
pub struct Live {
    pub progress: RwSignal<Progress>,
    /// Newest first.
    pub gifts: RwSignal<Vec<FeedGift>>,
    /// The last milestone reached while the page was open.
    pub milestone: RwSignal<Option<Milestone>>,
    /// The public leaderboards of teams and ambassadors (empty until a page sets or the stream
    /// sends them).
    pub boards: RwSignal<Leaderboards>,
}

/// Starts following campaign `slug` from what the page was rendered with. In the browser every
/// island of a page shares one [`Live`] (and one stream) per campaign: the first to ask opens it,
/// and an island that brings the gift feed fills it in.
pub fn use_live(slug: &str, progress: Progress, gifts: Vec<FeedGift>) -> Live {
    #[cfg(feature = "hydrate")]
    {
        browser::shared(slug, progress, gifts)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = slug;
        Live::new(progress, gifts)
    }
}

impl Live {
    /// Brings the leaderboards the page was rendered with, kept only where the live view has
    /// none yet (as the gift feed is): the first island to bring them fills them in.
    pub fn with_boards(self, boards: Leaderboards) -> Live {
        fill_in(self.boards, boards, |b| {
            b.teams.is_empty() && b.ambassadors.is_empty()
        });
        self
    }

    fn new(progress: Progress, gifts: Vec<FeedGift>) -> Live {
        Live {
            progress: RwSignal::new(progress),
            gifts: RwSignal::new(gifts),
            milestone: RwSignal::new(None),
            boards: RwSignal::new(Leaderboards::default()),
        }
    }
}

/// Sets `signal` to what a page brought, unless it brought nothing or the signal already holds
/// something (from an earlier island or the stream).
fn fill_in<T: Send + Sync + 'static>(signal: RwSignal<T>, brought: T, empty: impl Fn(&T) -> bool) {
    if !empty(&brought) && signal.with_untracked(&empty) {
        signal.set(brought);
    }
}

// Only the browser applies what the stream says.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
impl Live {
    fn set_progress(&self, json: &ProgressJson) {
        if let Some(progress) = json.to_progress() {
            self.progress.set(progress);
        }
    }

    fn add_gift(&self, gift: FeedGift) {
        self.gifts.update(|gifts| {
            if gifts.iter().all(|g| g.number != gift.number) {
                gifts.push(gift);
                gifts.sort_by_key(|g| std::cmp::Reverse(g.number));
                gifts.truncate(FEED_LENGTH);
            }
        });
    }

    fn set_snapshot(&self, snapshot: Snapshot) {
        self.set_progress(&snapshot.progress);
        self.gifts.set(snapshot.gifts);
        self.boards.set(snapshot.boards);
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{get_json, query_value};

#[cfg(feature = "hydrate")]
mod browser {
    use super::{fill_in, Live};
    use crate::ambassadors::Leaderboards;
    use crate::campaigns::Progress;
    use crate::json::FromJson;
    use crate::live::{FeedGift, Milestone, ProgressJson, Snapshot};
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use std::time::Duration;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    /// How often a page without the stream asks for progress.
    const POLL_EVERY: Duration = Duration::from_secs(5);
    /// How long a milestone stays on screen.
    const MILESTONE_SHOWN: Duration = Duration::from_secs(8);

    thread_local! {
        /// The page's live view of a campaign (by slug), once an island asked for it.
        static PAGE: std::cell::RefCell<Vec<(String, Live)>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    pub fn shared(slug: &str, progress: Progress, gifts: Vec<FeedGift>) -> Live {
        let known = PAGE.with_borrow(|page| {
            page.iter()
                .find(|(followed, _)| followed == slug)
                .map(|(_, live)| *live)
        });
        if let Some(live) = known {
            fill_in(live.gifts, gifts, Vec::is_empty);
            return live;
        }
        // Owned by the page, not by the island that happened to ask first (a new root becomes
        // the current owner: the island's is put back).
        let island = Owner::current();
        let owner = Owner::new_root(None);
        let live = owner.with(|| {
            let live = Live::new(progress, gifts);
            follow(slug.to_owned(), live);
            live
        });
        std::mem::forget(owner);
        if let Some(island) = island {
            island.set();
        }
        PAGE.with_borrow_mut(|page| page.push((slug.to_owned(), live)));
        live
    }

    fn follow(slug: String, live: Live) {
        let url = format!("/api/campaigns/{slug}/events");
        let Ok(source) = EventSource::new(&url) else {
            poll(slug, live);
            return;
        };
        on_message(&source, "snapshot", move |s: Snapshot| live.set_snapshot(s));
        on_message(&source, "progress", move |p: ProgressJson| {
            live.set_progress(&p)
        });
        on_message(&source, "gift", move |g: FeedGift| live.add_gift(g));
        on_message(&source, "boards", move |b: Leaderboards| live.boards.set(b));
        on_message(&source, "milestone", move |m: Milestone| {
            live.milestone.set(Some(m));
            let hide = move || {
                if live.milestone.get_untracked() == Some(m) {
                    live.milestone.set(None);
                }
            };
            set_timeout(hide, MILESTONE_SHOWN);
        });
        // The browser retries a dropped stream by itself, but a proxy may refuse it for good or
        // keep it from ever opening: after the first error the page also polls, which costs a
        // small request every few seconds and keeps the figures right either way.
        let mut polling = false;
        let on_error = Closure::<dyn FnMut()>::new(move || {
            if !polling {
                polling = true;
                poll(slug.clone(), live);
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        let source = send_wrapper::SendWrapper::new(source);
        on_cleanup(move || source.close());
    }

    fn on_message<T: FromJson + 'static>(
        source: &EventSource,
        kind: &str,
        apply: impl Fn(T) + 'static,
    ) {
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(data) = event.data().as_string() {
                if let Some(value) = crate::json::read(&data) {
                    apply(value);
                }
            }
        });
        let _ = source.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
        listener.forget();
    }

    fn poll(slug: String, live: Live) {
        let tick = move || {
            let path = format!("/api/pages/live?slug={}", query_value(&slug));
            spawn_local(async move {
                if let Some(snapshot) = get_json::<Snapshot>(&path).await {
                    live.set_snapshot(snapshot);
                }
            });
        };
        if let Ok(handle) = set_interval_with_handle(tick, POLL_EVERY) {
            on_cleanup(move || handle.clear());
        }
    }

    /// A value as a query string's part.
    pub fn query_value(value: &str) -> String {
        String::from(web_sys::js_sys::encode_uri_component(value))
    }

    /// The JSON a page's data endpoint (a `GET` server function) answers with, or None when it
    /// cannot be had now. The islands a donor's page hydrates read their data with the browser's
    /// `fetch` directly: the server functions' client would add a tenth to the page's code.
    pub async fn get_json<T: FromJson>(path: &str) -> Option<T> {
        let response = wasm_bindgen_futures::JsFuture::from(window().fetch_with_str(path))
            .await
            .ok()?
            .dyn_into::<web_sys::Response>()
            .ok()?;
        if !response.ok() {
            return None;
        }
        let text = wasm_bindgen_futures::JsFuture::from(response.text().ok()?)
            .await
            .ok()?;
        crate::json::read(&text.as_string()?)
    }
}
