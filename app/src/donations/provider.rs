//! What the payment provider's rate budget is doing, for staff and `/metrics`: the server's
//! budget records each call and each checkout sent to a Payment Link; the dashboard reads it.
//! Counts of this process only.

use crate::db::now_ms;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

/// How long after the last checkout through a link the mode still reads as a surge.
const SURGE_LINGERS_MS: i64 = 10_000;

/// Calls to the provider and checkouts through links, shared by the budget and its readers.
#[derive(Clone, Debug, Default)]
pub struct ProviderStats(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    calls: AtomicU64,
    via_links: AtomicU64,
    last_link_ms: AtomicI64,
    /// The Unix second `this_second` counts, and the count of the one before.
    second: AtomicI64,
    this_second: AtomicU64,
    last_second: AtomicU64,
    budget: AtomicU64,
}

impl ProviderStats {
    /// Calls a second the budget allows.
    pub fn set_budget(&self, per_second: u64) {
        self.0.budget.store(per_second, Ordering::Relaxed);
    }

    pub fn budget(&self) -> u64 {
        self.0.budget.load(Ordering::Relaxed)
    }

    /// One call made to the provider.
    pub fn call(&self) {
        let now = now_ms() / 1000;
        let second = self.0.second.load(Ordering::Relaxed);
        if now != second
            && self
                .0
                .second
                .compare_exchange(second, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            let finished = self.0.this_second.swap(0, Ordering::Relaxed);
            let last = if now == second + 1 { finished } else { 0 };
            self.0.last_second.store(last, Ordering::Relaxed);
        }
        self.0.this_second.fetch_add(1, Ordering::Relaxed);
        self.0.calls.fetch_add(1, Ordering::Relaxed);
    }

    /// One checkout sent to a Payment Link.
    pub fn via_link(&self) {
        self.0.via_links.fetch_add(1, Ordering::Relaxed);
        self.0.last_link_ms.store(now_ms(), Ordering::Relaxed);
    }

    /// Calls made since start.
    pub fn calls(&self) -> u64 {
        self.0.calls.load(Ordering::Relaxed)
    }

    /// Checkouts sent to links since start.
    pub fn via_links(&self) -> u64 {
        self.0.via_links.load(Ordering::Relaxed)
    }

    /// Calls in the last whole second.
    pub fn per_second(&self) -> u64 {
        let now = now_ms() / 1000;
        let second = self.0.second.load(Ordering::Relaxed);
        if now == second {
            self.0.last_second.load(Ordering::Relaxed)
        } else if now == second + 1 {
            self.0.this_second.load(Ordering::Relaxed)
        } else {
            0
        }
    }

    /// Whether checkouts are going through links now (one did in the last ten seconds).
    pub fn surging(&self) -> bool {
        let last = self.0.last_link_ms.load(Ordering::Relaxed);
        last > 0 && now_ms() - last < SURGE_LINGERS_MS
    }
}
