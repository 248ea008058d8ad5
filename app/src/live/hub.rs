//! The fan-out: one publisher per campaign, any number of viewers.
//!
//! When a campaign changes ([`LiveHub::announce`], in this process or, on PostgreSQL, in another
//! instance through [`super::listen`]), its publisher reads the totals and the gifts numbered above the last it
//! published, writes the stream's lines once, and replaces the campaign's current
//! [`Publication`] in a `watch` channel. It then waits [`COALESCE`] before reading again, so a
//! viewer gets at most a few messages a second however fast gifts arrive. A viewer holds only a
//! receiver: one that falls behind skips to the latest publication and catches up from its
//! recent gifts, so a slow viewer never slows the others or holds more than one publication.
//!
//! The public leaderboards of teams and ambassadors travel the same way: the publisher reads
//! them with the news, at most every [`BOARDS_EVERY`], and sends a `boards` event when they
//! moved, so a board costs a campaign two queries a second however many people watch it.

use super::announce::Change;
use super::store::gifts_after;
use super::{milestones_crossed, FeedGift, ProgressJson, Snapshot};
use crate::ambassadors::store::public_boards;
use crate::ambassadors::Leaderboards;
use crate::campaigns::store::{self as campaigns};
use crate::campaigns::{Campaign, CampaignStatus};
use crate::dates::Timestamp;
use crate::db::{now_ms, Db};
use crate::i18n::Locale;
use crate::ids::CampaignId;
use crate::money::Money;
use crate::slug::Slug;
use anyhow::Context;
use axum::body::Bytes;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::time::Instant;

/// The least time between two publications of one campaign.
pub const COALESCE: Duration = Duration::from_millis(250);
/// How often a publisher without news checks whether its campaign opened or closed by date.
const CLOCK: Duration = Duration::from_secs(1);
/// The least time between two readings of a campaign's leaderboards. A board moves at most
/// this long (and [`COALESCE`]) after the gift that moved it.
pub const BOARDS_EVERY: Duration = Duration::from_millis(500);
/// Recent gifts kept for snapshots and for viewers catching up.
pub const RECENT: usize = 50;
/// The most gifts one message carries: a page shows no more, however fast they come.
pub const GIFTS_PER_MESSAGE: usize = super::FEED_LENGTH;

/// Where a campaign stands, with the stream's lines already written.
#[derive(Debug)]
pub struct Publication {
    /// Counts publications of this campaign in this process.
    pub seq: u64,
    pub progress: ProgressJson,
    /// Recent gifts, newest first.
    pub recent: Vec<FeedGift>,
    /// The public leaderboards; empty when the campaign has no teams.
    pub boards: Leaderboards,
    /// For viewers who have the previous publication: the newest of the new gifts (at most
    /// [`GIFTS_PER_MESSAGE`]), milestones, progress.
    pub delta: Bytes,
    /// For a viewer who just arrived.
    pub snapshot: Bytes,
    /// Counts the versions of the leaderboards this process published for the campaign.
    pub boards_seq: u64,
    /// Catch-ups already written, by what the viewers had seen: viewers who fell behind
    /// together share one.
    catch_ups: Mutex<Vec<((i64, bool), Bytes)>>,
}

/// The most catch-ups one publication keeps written.
const CATCH_UPS_KEPT: usize = 16;

impl Publication {
    /// The first publication of a campaign.
    pub fn first(
        progress: ProgressJson,
        recent: Vec<FeedGift>,
        boards: Leaderboards,
    ) -> Publication {
        let snapshot = snapshot_lines(&progress, &recent, &boards);
        Publication {
            seq: 0,
            progress,
            recent,
            boards,
            delta: Bytes::new(),
            snapshot,
            boards_seq: 0,
            catch_ups: Mutex::default(),
        }
    }

    /// Where the campaign stands and its latest gifts, as a page or a new viewer gets them.
    pub fn snapshot_data(&self) -> Snapshot {
        snapshot_of(&self.progress, &self.recent, &self.boards)
    }

    /// The highest gift number published: the stream's event id.
    pub fn cursor(&self) -> i64 {
        self.recent.first().map_or(0, |g| g.number)
    }

    /// What follows `self` given fresh figures, the gifts numbered above [`Self::cursor`]
    /// (newest first) and, when they were read again, the leaderboards; `None` when nothing
    /// changed.
    pub fn next(
        &self,
        progress: ProgressJson,
        new: Vec<FeedGift>,
        boards: Option<Leaderboards>,
    ) -> Option<Publication> {
        let boards = boards.filter(|b| *b != self.boards);
        if progress == self.progress && new.is_empty() && boards.is_none() {
            return None;
        }
        let milestones = milestones_crossed(
            self.progress.toward_goal_minor(),
            progress.toward_goal_minor(),
            progress.goal_minor,
        );
        let mut recent = new;
        recent.extend(self.recent.iter().cloned());
        recent.truncate(RECENT);
        let cursor = recent.first().map_or(0, |g| g.number);
        let mut delta = String::new();
        let added = recent
            .iter()
            .take_while(|g| g.number > self.cursor())
            .take(GIFTS_PER_MESSAGE);
        write_gifts(&mut delta, added);
        for milestone in milestones {
            write_event(&mut delta, "milestone", cursor, &milestone);
        }
        if let Some(boards) = &boards {
            write_event(&mut delta, "boards", cursor, boards);
        }
        // Progress comes last: a viewer has every event of a publication once it has this one.
        write_event(&mut delta, "progress", cursor, &progress);
        let boards_seq = self.boards_seq + u64::from(boards.is_some());
        let boards = boards.unwrap_or_else(|| self.boards.clone());
        let snapshot = snapshot_lines(&progress, &recent, &boards);
        Some(Publication {
            seq: self.seq + 1,
            progress,
            recent,
            boards,
            delta: Bytes::from(delta),
            snapshot,
            boards_seq,
            catch_ups: Mutex::default(),
        })
    }

    /// What follows `self` when gifts already published changed (a message hidden or approved):
    /// every viewer is sent the whole snapshot again, which replaces its feed.
    pub fn revise(
        &self,
        progress: ProgressJson,
        recent: Vec<FeedGift>,
        boards: Option<Leaderboards>,
    ) -> Publication {
        let milestones = milestones_crossed(
            self.progress.toward_goal_minor(),
            progress.toward_goal_minor(),
            progress.goal_minor,
        );
        let boards_seq = self.boards_seq + u64::from(boards.is_some());
        let boards = boards.unwrap_or_else(|| self.boards.clone());
        let snapshot = snapshot_lines(&progress, &recent, &boards);
        let cursor = recent.first().map_or(0, |g| g.number);
        let mut delta = String::new();
        for milestone in milestones {
            write_event(&mut delta, "milestone", cursor, &milestone);
        }
        let mut delta = delta.into_bytes();
        delta.extend_from_slice(&snapshot);
        Publication {
            seq: self.seq + 1,
            progress,
            recent,
            boards,
            delta: Bytes::from(delta),
            snapshot,
            boards_seq,
            catch_ups: Mutex::default(),
        }
    }

    /// For a viewer who has seen the gifts up to number `after` and the leaderboards of version
    /// `boards_seen`: the newest gifts since (at most [`GIFTS_PER_MESSAGE`]), the leaderboards
    /// if there are any and they moved since (or the version is unknown), and the progress.
    /// Written once for all the viewers who had seen the same.
    pub fn catch_up(&self, after: i64, boards_seen: Option<u64>) -> Bytes {
        let boards = !self.boards.teams.is_empty() && boards_seen != Some(self.boards_seq);
        // Every `after` from the seventh newest gift down sends the same six.
        let oldest_sent = self
            .recent
            .get(GIFTS_PER_MESSAGE)
            .map_or(i64::MIN, |g| g.number);
        let key = (after.max(oldest_sent).min(self.cursor()), boards);
        let mut kept = self
            .catch_ups
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, lines)) = kept.iter().find(|(k, _)| *k == key) {
            return lines.clone();
        }
        let mut lines = String::new();
        let missed = self.recent.iter().take_while(|g| g.number > after);
        write_gifts(&mut lines, missed.take(GIFTS_PER_MESSAGE));
        if boards {
            write_event(&mut lines, "boards", self.cursor(), &self.boards);
        }
        write_event(&mut lines, "progress", self.cursor(), &self.progress);
        let lines = Bytes::from(lines);
        if kept.len() < CATCH_UPS_KEPT {
            kept.push((key, lines.clone()));
        }
        lines
    }
}

/// Gifts (given newest first) as `gift` events, oldest first.
fn write_gifts<'a>(out: &mut String, gifts: impl Iterator<Item = &'a FeedGift>) {
    let gifts: Vec<&FeedGift> = gifts.collect();
    for gift in gifts.into_iter().rev() {
        write_event(out, "gift", gift.number, gift);
    }
}

fn snapshot_of(progress: &ProgressJson, recent: &[FeedGift], boards: &Leaderboards) -> Snapshot {
    Snapshot {
        progress: progress.clone(),
        gifts: recent.iter().take(super::FEED_LENGTH).cloned().collect(),
        boards: boards.clone(),
    }
}

fn snapshot_lines(progress: &ProgressJson, recent: &[FeedGift], boards: &Leaderboards) -> Bytes {
    let snapshot = snapshot_of(progress, recent, boards);
    let mut lines = String::new();
    let cursor = recent.first().map_or(0, |g| g.number);
    write_event(&mut lines, "snapshot", cursor, &snapshot);
    Bytes::from(lines)
}

/// One Server-Sent Event. JSON has no raw newlines, so the data fits one `data:` line.
fn write_event(out: &mut String, kind: &str, id: i64, data: &impl serde::Serialize) {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "null".to_owned());
    let _ = write!(out, "event: {kind}\nid: {id}\ndata: {json}\n\n");
}

/// Every campaign's publisher in this process. Cheap to clone.
#[derive(Clone, Debug)]
pub struct LiveHub {
    db: Db,
    feeds: Arc<Mutex<HashMap<CampaignId, Feed>>>,
    ids: Arc<Mutex<HashMap<Slug, CampaignId>>>,
    viewers: Arc<AtomicUsize>,
    /// Signalled when a campaign itself changes (see [`LiveHub::campaign_changed`]).
    campaigns_changed: Arc<Notify>,
}

/// Counts a viewer for as long as it is held.
#[derive(Debug)]
pub struct Viewing(Arc<AtomicUsize>);

impl Drop for Viewing {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[derive(Clone, Debug)]
struct Feed {
    changed: Arc<Notify>,
    /// Set when published gifts changed, not only new ones arrived.
    revised: Arc<AtomicBool>,
    published: watch::Receiver<Arc<Publication>>,
}

impl LiveHub {
    pub fn new(db: Db) -> LiveHub {
        LiveHub {
            db,
            feeds: Arc::default(),
            ids: Arc::default(),
            viewers: Arc::default(),
            campaigns_changed: Arc::default(),
        }
    }

    /// Counts a viewer until the returned guard is dropped.
    pub fn viewing(&self) -> Viewing {
        self.viewers.fetch_add(1, Ordering::Relaxed);
        Viewing(self.viewers.clone())
    }

    /// Open viewer streams in this process.
    pub fn viewers(&self) -> usize {
        self.viewers.load(Ordering::Relaxed)
    }

    /// Campaigns with a publisher in this process.
    pub fn campaigns_followed(&self) -> usize {
        self.feeds
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Tells every viewer of `campaign`, on every instance, that `change` happened: wakes its
    /// publisher here and, on PostgreSQL, notifies the other instances. Cheap when nobody
    /// watches: a campaign has no publisher until someone does.
    pub async fn announce(&self, campaign: CampaignId, change: Change) -> anyhow::Result<()> {
        self.announce_here(campaign, change);
        if self.db.backend() == crate::db::Backend::Postgres {
            sqlx::query(&change.notify_statement(campaign))
                .persistent(false)
                .execute(self.db.pool())
                .await
                .context("telling other instances a campaign changed")?;
        }
        Ok(())
    }

    /// As [`Self::announce`], in this process only: for news the other instances already have
    /// (the ledger notified them inside its transaction, or they sent it).
    pub fn announce_here(&self, campaign: CampaignId, change: Change) {
        if change == Change::Campaign {
            self.campaigns_changed.notify_one();
        }
        let feeds = self.feeds.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(feed) = feeds.get(&campaign) {
            if change == Change::Feed {
                feed.revised.store(true, Ordering::Relaxed);
            }
            feed.changed.notify_one();
        }
    }

    /// Resolves at the next change to a campaign itself (its texts, presets, artworks or their
    /// consent), made here or, on PostgreSQL, by another instance; at once if one came since
    /// the last call. What the payment-link keeper waits for between its rounds.
    pub async fn campaign_changed(&self) {
        self.campaigns_changed.notified().await;
    }

    /// Wakes every publisher (after news may have been missed).
    pub(super) fn changed_all(&self) {
        self.campaigns_changed.notify_one();
        let feeds = self.feeds.lock().unwrap_or_else(PoisonError::into_inner);
        for feed in feeds.values() {
            feed.changed.notify_one();
        }
    }

    /// The campaign with this slug, remembered once found.
    pub async fn campaign_id(&self, slug: &Slug) -> anyhow::Result<Option<CampaignId>> {
        if let Some(id) = self.lock_ids().get(slug) {
            return Ok(Some(*id));
        }
        let found = campaigns::id_of(&self.db, slug).await?;
        if let Some(id) = found {
            self.lock_ids().insert(slug.clone(), id);
        }
        Ok(found)
    }

    fn lock_ids(&self) -> std::sync::MutexGuard<'_, HashMap<Slug, CampaignId>> {
        self.ids.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Follows a campaign, starting its publisher if it has none yet.
    pub async fn watch(
        &self,
        campaign: CampaignId,
    ) -> anyhow::Result<watch::Receiver<Arc<Publication>>> {
        if let Some(feed) = self.existing(campaign) {
            return Ok(feed.published);
        }
        let (read, first) = read_first(&self.db, campaign).await?;
        let (publish, published) = watch::channel(Arc::new(first));
        let feed = Feed {
            changed: Arc::new(Notify::new()),
            revised: Arc::default(),
            published,
        };
        let mut feeds = self.feeds.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(existing) = feeds.get(&campaign) {
            // Another viewer started it meanwhile.
            return Ok(existing.published.clone());
        }
        feeds.insert(campaign, feed.clone());
        tokio::spawn(run_publisher(
            self.db.clone(),
            campaign,
            read,
            feed.clone(),
            publish,
        ));
        Ok(feed.published)
    }

    /// Where a campaign stands and its latest gifts, from its publication: no query per reader.
    pub async fn snapshot(&self, campaign: CampaignId) -> anyhow::Result<Snapshot> {
        Ok(self.watch(campaign).await?.borrow().snapshot_data())
    }

    fn existing(&self, campaign: CampaignId) -> Option<Feed> {
        let feeds = self.feeds.lock().unwrap_or_else(PoisonError::into_inner);
        feeds.get(&campaign).cloned()
    }
}

/// The campaign (for its dates and goal) and its progress now.
async fn read_progress(db: &Db, id: CampaignId) -> anyhow::Result<(Campaign, ProgressJson)> {
    let (_, campaign) = campaigns::find_by_id(db, id, Locale::En)
        .await?
        .context("the campaign is gone")?;
    let progress = campaigns::progress(db, id, &campaign).await?;
    Ok((campaign, ProgressJson::from(&progress)))
}

async fn read_first(db: &Db, id: CampaignId) -> anyhow::Result<(Campaign, Publication)> {
    let (campaign, progress) = read_progress(db, id).await?;
    let recent = gifts_after(db, id, 0, RECENT).await?;
    // Without its boards the campaign still goes live; the publisher reads them again soon.
    let boards = read_boards(db, id, &campaign).await.unwrap_or_default();
    Ok((campaign, Publication::first(progress, recent, boards)))
}

/// The campaign's public boards; `None`, said in the log, when they cannot be read now: the
/// progress and the gifts go out without them.
async fn read_boards(db: &Db, id: CampaignId, campaign: &Campaign) -> Option<Leaderboards> {
    match public_boards(db, id, campaign.goal.currency()).await {
        Ok(boards) => Some(boards),
        Err(error) => {
            tracing::warn!(
                campaign = id.get(),
                error = format!("{error:#}"),
                "reading the leaderboards failed"
            );
            None
        }
    }
}

/// Reads when told the campaign changed, the leaderboards at most every [`BOARDS_EVERY`].
/// Between news it only checks the clock, since a campaign opens and closes by its dates; it
/// never polls the database.
async fn run_publisher(
    db: Db,
    id: CampaignId,
    mut campaign: Campaign,
    feed: Feed,
    publish: watch::Sender<Arc<Publication>>,
) {
    // News may have moved the boards: read them as soon as the last reading is old enough (and
    // once at the start, in case the first reading failed).
    let mut boards_due = true;
    let mut boards_read = Instant::now();
    loop {
        let wait = if boards_due {
            BOARDS_EVERY.saturating_sub(boards_read.elapsed())
        } else {
            CLOCK
        };
        // News first: when both are ready (gifts arriving all the time), the boards ride with
        // the news in one publication rather than a second one of their own.
        let news = tokio::select! {
            biased;
            () = feed.changed.notified() => true,
            () = tokio::time::sleep(wait) => false,
        };
        boards_due |= news;
        let boards_time = boards_due && boards_read.elapsed() >= BOARDS_EVERY;
        let current = publish.borrow().clone();
        let revising = news && feed.revised.swap(false, Ordering::Relaxed);
        let boards = if boards_time {
            boards_read = Instant::now();
            read_boards(&db, id, &campaign).await
        } else {
            None
        };
        let boards_read_now = boards.is_some();
        let fresh = async {
            if !news {
                let progress = status_now(&campaign, &current.progress);
                return anyhow::Ok(current.next(progress, Vec::new(), boards));
            }
            let (read, progress) = read_progress(&db, id).await?;
            campaign = read;
            if revising {
                let recent = gifts_after(&db, id, 0, RECENT).await?;
                return anyhow::Ok(Some(current.revise(progress, recent, boards)));
            }
            let new = gifts_after(&db, id, current.cursor(), RECENT).await?;
            anyhow::Ok(current.next(progress, new, boards))
        };
        let next = match fresh.await {
            Ok(next) => {
                if boards_read_now {
                    boards_due = false;
                }
                next
            }
            Err(error) => {
                tracing::warn!(
                    campaign = id.get(),
                    error = format!("{error:#}"),
                    "reading live progress failed"
                );
                // The news is not lost: read again after the pause, the revision with it.
                if revising {
                    feed.revised.store(true, Ordering::Relaxed);
                }
                if news {
                    feed.changed.notify_one();
                }
                None
            }
        };
        if let Some(next) = next {
            publish.send_replace(Arc::new(next));
        }
        tokio::time::sleep(COALESCE).await;
    }
}

/// `progress` with its status as of now.
fn status_now(campaign: &Campaign, progress: &ProgressJson) -> ProgressJson {
    let raised = Money::from_minor(progress.toward_goal_minor(), campaign.goal.currency())
        .unwrap_or(Money::zero(campaign.goal.currency()));
    ProgressJson {
        status: CampaignStatus::at(campaign, raised, Timestamp::from_unix_ms(now_ms())),
        ..progress.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaigns::CampaignStatus;
    use crate::dates::Timestamp;
    use crate::live::Titles;

    fn progress(raised: i64) -> ProgressJson {
        ProgressJson {
            raised_minor: raised,
            matched_minor: 0,
            match_remaining_minor: None,
            goal_counts_match: true,
            goal_minor: 10_000,
            currency: "CNY".into(),
            donors: 1,
            percent: 0.0,
            status: CampaignStatus::Open,
            updated_at: String::new(),
            updated_at_ms: raised,
            news: 0,
        }
    }

    fn gift(number: i64) -> FeedGift {
        FeedGift {
            number,
            name: Some(format!("donor {number}")),
            artwork_slug: "sun".into(),
            artwork_title: Titles {
                en: "Sun".into(),
                zh_cn: "太阳".into(),
            },
            amount: None,
            message: None,
            at: Timestamp::from_unix_ms(0),
            shared_by: None,
        }
    }

    fn events(lines: &Bytes) -> Vec<String> {
        String::from_utf8_lossy(lines)
            .split("\n\n")
            .filter(|e| !e.is_empty())
            .map(|e| {
                let kind = e.lines().next().unwrap_or_default().replace("event: ", "");
                let id = e.lines().nth(1).unwrap_or_default().replace("id: ", "");
                format!("{kind}#{id}")
            })
            .collect()
    }

    #[test]
    fn many_gifts_between_two_publications_go_out_as_one_message_in_order() {
        let first = Publication::first(progress(0), vec![], Leaderboards::default());
        assert!(
            first.next(progress(0), vec![], None).is_none(),
            "nothing new"
        );
        let next = first
            .next(progress(3_000), vec![gift(3), gift(2), gift(1)], None)
            .expect("news");
        assert_eq!(
            events(&next.delta),
            ["gift#1", "gift#2", "gift#3", "milestone#3", "progress#3"]
        );
        assert_eq!(next.cursor(), 3);
        assert_eq!(events(&next.snapshot), ["snapshot#3"]);
        // A viewer that has seen gift 1 catches up with 2 and 3, then the progress.
        assert_eq!(
            events(&next.catch_up(1, None)),
            ["gift#2", "gift#3", "progress#3"]
        );
        let later = next
            .next(progress(3_500), vec![gift(4)], None)
            .expect("news");
        assert_eq!(events(&later.delta), ["gift#4", "progress#4"]);
        assert_eq!(later.seq, 2);
    }

    #[test]
    fn a_message_carries_only_as_many_gifts_as_a_page_shows() {
        let burst: Vec<FeedGift> = (1..=20).rev().map(gift).collect();
        let next = Publication::first(progress(0), vec![], Leaderboards::default())
            .next(progress(1), burst, None)
            .expect("news");
        let sent = events(&next.delta);
        assert_eq!(sent.len(), GIFTS_PER_MESSAGE + 1);
        assert_eq!(sent.first().map(String::as_str), Some("gift#15"));
        assert_eq!(sent.last().map(String::as_str), Some("progress#20"));
        assert_eq!(events(&next.catch_up(0, None)).len(), GIFTS_PER_MESSAGE + 1);
    }

    #[test]
    fn only_the_latest_gifts_are_kept() {
        let many: Vec<FeedGift> = (1..=RECENT as i64 + 20).rev().map(gift).collect();
        let next = Publication::first(progress(0), vec![], Leaderboards::default())
            .next(progress(1), many, None)
            .expect("news");
        assert_eq!(next.recent.len(), RECENT);
        assert_eq!(next.cursor(), RECENT as i64 + 20);
    }

    #[test]
    fn boards_go_out_when_they_move_and_to_viewers_who_come_back() {
        use crate::ambassadors::TeamRank;
        use crate::money::{Currency, Money};
        let first = Publication::first(progress(0), vec![], Leaderboards::default());
        let same = first.next(progress(0), vec![], Some(Leaderboards::default()));
        assert!(
            same.is_none(),
            "boards read again but unchanged are no news"
        );
        let board = Leaderboards {
            teams: vec![TeamRank {
                id: 1,
                name: Titles {
                    en: "Sales".into(),
                    zh_cn: "销售部".into(),
                },
                ambassadors: 2,
                gifts: 1,
                raised: Money::from_minor(2_000, Currency::Cny).expect("amount"),
                reached: 3,
            }],
            ambassadors: vec![],
        };
        let next = first
            .next(progress(0), vec![], Some(board.clone()))
            .expect("news");
        assert_eq!(events(&next.delta), ["boards#0", "progress#0"]);
        assert_eq!(next.snapshot_data().boards, board);
        let later = next.next(progress(100), vec![gift(1)], None).expect("news");
        assert_eq!(events(&later.delta), ["gift#1", "progress#1"]);
        assert_eq!(later.boards, board, "boards not read again are kept");
        assert_eq!(
            events(&later.catch_up(0, Some(0))),
            ["gift#1", "boards#1", "progress#1"],
            "a viewer who saw the boards before they moved"
        );
        assert_eq!(
            events(&later.catch_up(0, Some(later.boards_seq))),
            ["gift#1", "progress#1"],
            "a viewer who has these boards already"
        );
        assert_eq!(
            events(&later.catch_up(0, None)),
            ["gift#1", "boards#1", "progress#1"],
            "a viewer coming back"
        );
        assert_eq!(events(&first.catch_up(0, None)), ["progress#0"]);
    }
}
