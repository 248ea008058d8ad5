//! Group commit: one task per process applies the events that have queued up while the last
//! batch was being written, in one transaction, and answers each caller after the commit.
//!
//! Under a burst, a hundred webhooks cost one commit instead of a hundred; when events arrive one
//! at a time, each is its own batch and waits for nothing. An answer always means committed and on
//! disk.

use super::batch::apply_batch_then;
use super::{apply_batch, Applied, PaymentEvent};
use crate::db::{Backend, Db};
use crate::live::announce::Change;
use crate::live::hub::LiveHub;
use anyhow::Context;
use tokio::sync::{mpsc, oneshot};

/// The most events one transaction applies.
const MAX_BATCH: usize = 256;
/// Events that may wait for the writer before callers wait to hand theirs over.
const QUEUE: usize = 4_096;

/// The handle through which the process applies payment events. Cheap to clone.
#[derive(Clone, Debug)]
pub struct LedgerWriter {
    queue: mpsc::Sender<Job>,
}

#[derive(Debug)]
struct Job {
    event: PaymentEvent,
    answer: oneshot::Sender<anyhow::Result<Applied>>,
}

impl LedgerWriter {
    /// Starts the writer: on SQLite on a thread of its own, on PostgreSQL on the current Tokio
    /// runtime. It stops when every handle is dropped.
    /// After each commit it announces the campaigns whose gifts changed to `live` (the other
    /// instances were notified by the transaction itself).
    pub fn start(db: Db, live: LiveHub) -> LedgerWriter {
        let (queue, jobs) = mpsc::channel(QUEUE);
        match db.backend() {
            // On SQLite the ledger's transactions are the one writer's turns, and each of their
            // statements is a round trip to the connection's thread. On the shared runtime the
            // writer, woken after each one, waited behind the requests being served; on a
            // thread of its own it goes on at once.
            Backend::Sqlite => {
                let thread = std::thread::Builder::new().name("ledger-writer".into());
                let spawned = thread.spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build();
                    match runtime {
                        Ok(runtime) => runtime.block_on(run(db, live, jobs)),
                        Err(error) => tracing::error!(%error, "the ledger writer cannot start"),
                    }
                });
                if let Err(error) = spawned {
                    tracing::error!(%error, "the ledger writer's thread cannot start");
                }
            }
            Backend::Postgres => {
                tokio::spawn(run(db, live, jobs));
            }
        }
        LedgerWriter { queue }
    }

    /// Applies one event exactly once and says what that did, once that is on disk. An error
    /// means the provider should deliver it again: it was not applied, or the disk did not
    /// confirm its commit (then a delivery again finds it recorded). Dropping the future does not
    /// withdraw the event.
    pub async fn apply(&self, event: PaymentEvent) -> anyhow::Result<Applied> {
        let (answer, answered) = oneshot::channel();
        self.queue
            .send(Job { event, answer })
            .await
            .map_err(|_| anyhow::anyhow!("the ledger writer has stopped"))?;
        answered
            .await
            .map_err(|_| anyhow::anyhow!("the ledger writer stopped before answering"))?
    }
}

async fn run(db: Db, live: LiveHub, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (events, answers): (Vec<_>, Vec<_>) =
            batch.drain(..).map(|job| (job.event, job.answer)).unzip();
        match apply_batch_then(&db, &events).await {
            Ok((applied, durable)) => {
                // The next batch is written while this one's commit reaches the disk; its
                // callers and viewers hear of it once it is there.
                let live = live.clone();
                tokio::spawn(async move {
                    match durable.wait().await {
                        Ok(()) => {
                            for (to, applied) in answers.into_iter().zip(applied) {
                                answer(&live, to, Ok(applied));
                            }
                        }
                        Err(error) => {
                            let error = format!("{error:#}");
                            for to in answers {
                                answer(&live, to, Err(anyhow::anyhow!("{error}")));
                            }
                        }
                    }
                });
            }
            Err(error) if events.len() > 1 => {
                // Nothing was applied. Apart, the events that can be applied are, and only the
                // others fail (a lost connection, or a deadlock with another instance, say).
                tracing::warn!(
                    events = events.len(),
                    error = format!("{error:#}"),
                    "a batch failed; applying its events one by one"
                );
                for (event, to) in events.iter().zip(answers) {
                    let applied = apply_batch(&db, std::slice::from_ref(event))
                        .await
                        .and_then(|one| one.into_iter().next().context("no answer for an event"));
                    answer(&live, to, applied);
                }
            }
            Err(error) => {
                if let Some(to) = answers.into_iter().next() {
                    answer(&live, to, Err(error));
                }
            }
        }
    }
}

/// Gives an event's caller its answer, and tells viewers here when it changed a gift.
fn answer(
    live: &LiveHub,
    to: oneshot::Sender<anyhow::Result<Applied>>,
    applied: anyhow::Result<Applied>,
) {
    if let Ok(Applied::Changed {
        campaign, status, ..
    }) = &applied
    {
        // A wholly refunded gift leaves the public feed: viewers read it again.
        let change = if status.leaves_public_feed() {
            Change::Feed
        } else {
            Change::Gifts
        };
        live.announce_here(*campaign, change);
    }
    // The caller may have gone; the event is applied all the same.
    let _ = to.send(applied);
}
