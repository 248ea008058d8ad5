//! Reading a live staff page's data again when the campaign's event stream says something
//! changed, never more often than a page's gap allows: a change during the gap is read once
//! the gap is over.

use crate::campaigns::Progress;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::live::{FeedGift, Live};
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Reads a page's data for a campaign slug, in a language.
pub type Load<T> = fn(String, Locale) -> Pin<Box<dyn Future<Output = Result<T, AppError>>>>;

/// Keeps `board` up to date.
pub struct Refresher<T: Send + Sync + 'static> {
    board: RwSignal<T>,
    slug: StoredValue<String>,
    locale: Locale,
    load: Load<T>,
    gap: Duration,
    busy: StoredValue<bool>,
    again: StoredValue<bool>,
}

impl<T: Send + Sync + 'static> Clone for Refresher<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Refresher<T> {}

/// A refresher that reads campaign `slug`'s board with `load`, at most once every `gap`.
pub fn use_refresher<T: Send + Sync + 'static>(
    board: RwSignal<T>,
    slug: String,
    locale: Locale,
    load: Load<T>,
    gap: Duration,
) -> Refresher<T> {
    Refresher {
        board,
        slug: StoredValue::new(slug),
        locale,
        load,
        gap,
        busy: StoredValue::new(false),
        again: StoredValue::new(false),
    }
}

impl<T: Send + Sync + 'static> Refresher<T> {
    /// Reads the board again whenever the stream brings news. The stream opens with the
    /// snapshot the page was rendered from: only a change is news.
    pub fn follow(self, live: Live) {
        Effect::new(move |seen: Option<(Progress, Vec<FeedGift>)>| {
            let now = (live.progress.get(), live.gifts.get());
            if seen.as_ref().is_some_and(|seen| *seen != now) {
                self.request();
            }
            now
        });
    }

    /// Reads the board again now, or once the gap since the last read is over.
    pub fn request(self) {
        if self.busy.get_value() {
            self.again.set_value(true);
            return;
        }
        self.busy.set_value(true);
        leptos::task::spawn_local(async move {
            if let Ok(next) = (self.load)(self.slug.get_value(), self.locale).await {
                self.board.set(next);
            }
            set_timeout(
                move || {
                    self.busy.set_value(false);
                    if self.again.get_value() {
                        self.again.set_value(false);
                        self.request();
                    }
                },
                self.gap,
            );
        });
    }
}
