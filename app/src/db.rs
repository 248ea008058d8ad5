//! The database: SQLite by default, PostgreSQL when `DATABASE_URL` says so.
//!
//! Both engines sit behind sqlx's `Any` driver, so every query is written once with `$1`-style
//! parameters that both understand. Why, and what that costs, is in docs/ARCHITECTURE.md.

use anyhow::Context;
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError};
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which engine a database runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The engine named by a connection URL.
    pub fn of_url(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres://")
        }
    }
}

/// A pool of connections to the campaign database, and the engine behind it.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// Where write transactions run. On SQLite one connection of its own: SQLite throws away a
    /// connection's page cache whenever another connection wrote since its last transaction,
    /// so writers taking turns on pooled connections each began by reading the pages they
    /// touch from the file again. One writer connection keeps its cache. On PostgreSQL the pool.
    writes: AnyPool,
    backend: Backend,
    /// SQLite takes one writer at a time. Writers queue here, in order, instead of in SQLite's
    /// busy handler, which sleeps and retries.
    writer: Arc<Mutex<()>>,
    /// Single statements waiting to share a transaction (SQLite only): see [`Db::write_one`].
    grouped: Option<tokio::sync::mpsc::Sender<Grouped>>,
    /// How the writer's commits reach the disk (a SQLite file only): see [`LogSync`].
    sync: Option<Arc<LogSync>>,
}

/// One writing statement, run on the connection of the transaction it shares.
pub type Statement = Box<
    dyn for<'c> FnOnce(
            &'c mut sqlx::AnyConnection,
        ) -> futures_util::future::BoxFuture<'c, Result<u64, sqlx::Error>>
        + Send,
>;

struct Grouped {
    statement: Statement,
    done: tokio::sync::oneshot::Sender<anyhow::Result<u64>>,
}

/// The most statements one grouped transaction takes.
const GROUP: usize = 256;

/// A transaction that writes. On SQLite it holds the process's write turn until it ends.
pub struct WriteTransaction {
    pub tx: Transaction<'static, Any>,
    _turn: Option<OwnedMutexGuard<()>>,
    sync: Option<Arc<LogSync>>,
}

impl WriteTransaction {
    /// Commits, and returns once what it wrote is on disk; dropping it instead rolls back.
    pub async fn commit(self) -> anyhow::Result<()> {
        self.commit_then().await?.wait().await
    }

    /// Commits and gives up the write turn at once, before what it wrote is on disk: the next
    /// writer starts while this one's disk sync runs. Whatever acknowledges what the transaction
    /// did waits for [`Durable::wait`] first.
    pub async fn commit_then(self) -> anyhow::Result<Durable> {
        let WriteTransaction { tx, _turn, sync } = self;
        tx.commit().await.context("committing a transaction")?;
        // Counted while the turn is still held, so the count follows the order of the commits.
        Ok(Durable(sync.map(|sync| {
            let commit = sync.committed.fetch_add(1, Ordering::AcqRel) + 1;
            (sync, commit)
        })))
    }
}

/// A commit on its way to the disk (the default: nothing to wait for).
#[derive(Default)]
#[must_use = "a commit is acknowledged only once it is on disk"]
pub struct Durable(Option<(Arc<LogSync>, u64)>);

impl Durable {
    /// Returns once the commit is on disk.
    pub async fn wait(self) -> anyhow::Result<()> {
        match self.0 {
            Some((sync, commit)) => LogSync::through(sync, commit).await,
            None => Ok(()),
        }
    }
}

/// The disk syncs of the SQLite writer's commits, taken after its write turn instead of in it.
///
/// The writer's transactions commit with `synchronous = NORMAL`: the commit writes the log and
/// does not wait for the disk, and SQLite stays consistent whatever happens (it syncs the log
/// before each checkpoint copies it, and when the log starts over). A commit becomes durable
/// when the log file is synced after it: [`Durable::wait`] does that, and one sync serves every
/// commit made before it began, so commits waiting together share it. The ledger answers a
/// webhook only after that, so an acknowledged gift survives a power cut as with `FULL`; what
/// changes is that the next batch is written while the disk syncs the last one.
#[derive(Debug)]
pub struct LogSync {
    /// The write-ahead log file.
    log: PathBuf,
    /// Commits made on the writer's connection, counted in order.
    committed: AtomicU64,
    /// How many of them are known to be on disk; held while a sync runs, so that commits
    /// waiting together share the next one.
    synced: Mutex<u64>,
    /// The log file, kept open: the kernel reports a failed write to every handle that was open
    /// when it happened, also when SQLite's own handle heard of it first.
    file: std::sync::Mutex<Option<std::fs::File>>,
    /// A sync failed: pages of the log may never reach the disk, so no later commit can be
    /// called durable, and none is made, until the server starts again (and SQLite recovers
    /// what is there).
    failed: AtomicBool,
}

impl LogSync {
    fn new(database: &str) -> LogSync {
        LogSync {
            log: PathBuf::from(format!("{database}-wal")),
            committed: AtomicU64::new(0),
            synced: Mutex::new(0),
            file: std::sync::Mutex::new(None),
            failed: AtomicBool::new(false),
        }
    }

    /// Fails once a sync has failed.
    fn check(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            !self.failed.load(Ordering::Acquire),
            "a disk sync of the database's log failed: writes wait for a restart"
        );
        Ok(())
    }

    /// Returns once commit number `commit` is on disk, syncing the log unless a sync that
    /// began after it has ended.
    async fn through(self: Arc<Self>, commit: u64) -> anyhow::Result<()> {
        let mut synced = self.synced.lock().await;
        self.check()?;
        if *synced >= commit {
            return Ok(());
        }
        let covered = self.committed.load(Ordering::Acquire);
        // The sync runs to its end and records a failure itself, also when nobody waits for it
        // any more (a request that went away).
        let sync = Arc::clone(&self);
        tokio::task::spawn_blocking(move || sync.sync_now())
            .await
            .context("the log's sync stopped")??;
        *synced = covered;
        Ok(())
    }

    /// Syncs the log file as it is now.
    fn sync_now(&self) -> anyhow::Result<()> {
        let mut held = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(file) = open_log(&mut held, &self.log).context("opening the database's log")?
        else {
            return Ok(());
        };
        if let Err(error) = file.sync_data() {
            self.failed.store(true, Ordering::Release);
            tracing::error!(%error, "syncing the database's log failed; writes wait for a restart");
            return Err(error).context("syncing the database's log to disk");
        }
        Ok(())
    }
}

/// Makes `held` the log file as SQLite has it now: the one held, unless SQLite has made a new
/// one since. `None` when there is no log: SQLite removes it as its last connection closes,
/// after copying it into the database file and syncing that, so nothing is left to sync.
fn open_log<'f>(
    held: &'f mut Option<std::fs::File>,
    log: &Path,
) -> std::io::Result<Option<&'f std::fs::File>> {
    use std::os::unix::fs::MetadataExt;
    let named = match std::fs::metadata(log) {
        Ok(named) => named,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            *held = None;
            return Ok(None);
        }
        Err(error) => return Err(error),
    };
    let current = match held.as_ref() {
        Some(file) => {
            let open = file.metadata()?;
            (open.dev(), open.ino()) == (named.dev(), named.ino())
        }
        None => false,
    };
    if !current {
        *held = Some(std::fs::File::open(log)?);
    }
    Ok(held.as_ref())
}

/// The SQLite writer's page cache (in KiB, as `cache_size` takes a negative number): the
/// ledger's and the log's hot pages, kept across transactions.
const WRITER_CACHE: &str = "PRAGMA cache_size = -32768;";

/// How long the SQLite log may grow (in pages) before a checkpoint has it start over: about
/// 16 MB, two seconds or more of a busy day's writing.
const LOG_RESTART_FRAMES: i64 = 4096;

/// A pool's options: on SQLite, each connection set up as [`Db::connect`] explains, then
/// `extra` statements.
fn pool_options(backend: Backend, size: u32, extra: &'static str) -> AnyPoolOptions {
    let options = AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(10));
    if backend == Backend::Postgres {
        // A pooled connection is not pinged before each use: that was a round trip to the
        // server for every statement, which at a surge's pace cost as much as the statements.
        // A connection found broken fails its statement and leaves the pool.
        return options.test_before_acquire(false);
    }
    options.after_connect(move |conn, _meta| {
        Box::pin(async move {
            // WAL lets readers run beside the writer. FULL sync makes each commit reach the
            // disk before it returns, so a power cut loses nothing that was acknowledged (a
            // webhook we answered is never sent again); group commit makes that one sync per
            // batch. The writer's own connection syncs after its turn instead (`LogSync`),
            // which keeps the same promise. Checkpoints are taken off the writer's path
            // (`checkpoint_in_background`). Foreign keys and a busy timeout are per connection
            // in SQLite, so they are set on each.
            conn.execute(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                 PRAGMA wal_autocheckpoint = 0; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
            )
            .await?;
            if !extra.is_empty() {
                conn.execute(extra).await?;
            }
            Ok(())
        })
    })
}

impl Db {
    /// Opens the database at `url`, creating a SQLite file (and its folder) if it is missing.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        install_default_drivers();
        let backend = Backend::of_url(url)?;
        if backend == Backend::Sqlite {
            create_sqlite_folder(url)?;
        }
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        // On SQLite, readers beside the writer's own connection; on PostgreSQL, every query.
        let size = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let pool = pool_options(backend, size, "")
            .connect(&url)
            .await
            .with_context(|| format!("connecting to the {backend:?} database"))?;
        // A database in memory lives in its pool: a writer's pool would open another one.
        let (writes, sync) = if backend == Backend::Sqlite && !sqlite_path(&url).is_empty() {
            // Kept for the process's life, with its cache.
            let writes = pool_options(backend, 1, WRITER_CACHE)
                .max_lifetime(None)
                .idle_timeout(None)
                .connect(&url)
                .await
                .context("opening the SQLite writer's connection")?;
            // The file as SQLite opened it, whatever the URL's spelling; empty in memory.
            let file: String =
                sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_one(&writes)
                    .await
                    .context("reading where the database file is")?;
            let sync = (!file.is_empty()).then(|| Arc::new(LogSync::new(&file)));
            (writes, sync)
        } else {
            (pool.clone(), None)
        };
        let db = Db {
            pool,
            writes,
            backend,
            writer: Arc::new(Mutex::new(())),
            grouped: None,
            sync,
        };
        if backend == Backend::Sqlite {
            db.checkpoint_in_background();
            let (queue, waiting) = tokio::sync::mpsc::channel(4 * GROUP);
            tokio::spawn(db.clone().run_grouped(waiting));
            return Ok(Db {
                grouped: Some(queue),
                ..db
            });
        }
        Ok(db)
    }

    /// Runs one statement that writes and returns the rows it changed. On SQLite, statements
    /// that arrive together share one transaction, so a hundred donors starting checkouts at
    /// once wait for one disk sync instead of a hundred in a row; on PostgreSQL, which syncs
    /// concurrent commits together itself, it runs on its own.
    pub async fn write_one(&self, statement: Statement) -> anyhow::Result<u64> {
        let Some(queue) = &self.grouped else {
            let mut conn = self.pool.acquire().await.context("a connection")?;
            return Ok(statement(&mut conn).await?);
        };
        let (done, answer) = tokio::sync::oneshot::channel();
        queue
            .send(Grouped { statement, done })
            .await
            .map_err(|_| anyhow::anyhow!("the database's writer has stopped"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("the database's writer has stopped"))?
    }

    /// Takes the statements waiting, up to [`GROUP`], runs them in one write transaction and
    /// answers each once it is committed.
    async fn run_grouped(self, mut waiting: tokio::sync::mpsc::Receiver<Grouped>) {
        while let Some(first) = waiting.recv().await {
            let mut group = vec![first];
            while group.len() < GROUP {
                match waiting.try_recv() {
                    Ok(next) => group.push(next),
                    Err(_) => break,
                }
            }
            let mut results = Vec::with_capacity(group.len());
            let mut dones = Vec::with_capacity(group.len());
            let outcome = async {
                let mut tx = self.begin_write().await?;
                for Grouped { statement, done } in group {
                    // A failed statement fails alone: SQLite undoes just that statement.
                    results.push(statement(&mut tx.tx).await);
                    dones.push(done);
                }
                tx.commit_then().await
            }
            .await;
            // The next group is written while this one's commit reaches the disk.
            tokio::spawn(async move {
                let outcome = match outcome {
                    Ok(durable) => durable.wait().await,
                    Err(error) => Err(error),
                };
                for (done, result) in dones.into_iter().zip(results) {
                    let answer = match (&outcome, result) {
                        (Ok(()), Ok(rows)) => Ok(rows),
                        (Ok(()), Err(error)) => Err(anyhow::Error::from(error)),
                        (Err(error), _) => Err(anyhow::anyhow!("committing a group: {error:#}")),
                    };
                    let _ = done.send(answer);
                }
            });
        }
    }

    /// Copies the write-ahead log back into the database file every half second, from a
    /// connection of its own. Left to SQLite, the commit that fills the log does it, and every
    /// gift waiting on that commit waits for the copy and its disk syncs too. A passive
    /// checkpoint never blocks the writer or readers; it copies what no reader still needs.
    fn checkpoint_in_background(&self) {
        let db = self.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_millis(500));
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            while !db.pool.is_closed() {
                every.tick().await;
                if let Err(error) = db.checkpoint().await {
                    tracing::warn!(error = format!("{error:#}"), "a database checkpoint failed");
                }
            }
        });
    }

    /// One checkpoint, and a restart of the log when it has grown long.
    ///
    /// SQLite writes the log from its start again only when a writer begins after a checkpoint
    /// copied all of it. Under a steady stream of gifts that never happens: the writer always
    /// commits while the copy runs, and the log grows by every page written, without end (30 MB
    /// a second at 2,000 gifts a second). Writing to new parts of the file costs the writer
    /// more than writing over old ones, and the disk fills. So once the log holds
    /// [`LOG_RESTART_FRAMES`], the checkpoint takes the write turn, copies what the passive one
    /// left (little, as it just ran), and waits a moment for readers still on the log, so
    /// the next writer starts it over. A reader that stays longer only delays that to a later
    /// turn.
    async fn checkpoint(&self) -> anyhow::Result<()> {
        let (_, log, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&self.pool)
            .await?;
        if log < LOG_RESTART_FRAMES {
            return Ok(());
        }
        let _turn = self.write_turn().await;
        let mut conn = self.pool.acquire().await?;
        conn.execute("PRAGMA busy_timeout = 20").await?;
        let restarted = sqlx::query("PRAGMA wal_checkpoint(RESTART)")
            .execute(&mut *conn)
            .await;
        conn.execute("PRAGMA busy_timeout = 5000").await?;
        restarted?;
        Ok(())
    }

    /// Closes every connection, the writer's too; whatever asks for one afterwards fails.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writes.close().await;
    }

    /// Applies the migrations this build carries for the engine.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.pool)
            .await
            .context("applying database migrations")
    }

    /// Begins a transaction that will write. On SQLite its commit gives up the write turn before
    /// it is on disk: see [`WriteTransaction::commit_then`].
    pub async fn begin_write(&self) -> anyhow::Result<WriteTransaction> {
        self.begin_writing(false).await
    }

    /// Begins a transaction that will write something published the moment it commits, such as
    /// a signed checkpoint of the public log that witnesses copy: on SQLite other connections
    /// see it only once it is on disk (`synchronous = FULL` for this commit), so a power cut can
    /// never take back what someone outside has already read.
    pub async fn begin_public_write(&self) -> anyhow::Result<WriteTransaction> {
        self.begin_writing(true).await
    }

    async fn begin_writing(&self, synced_in_commit: bool) -> anyhow::Result<WriteTransaction> {
        let turn = match self.backend {
            Backend::Sqlite => Some(self.writer.clone().lock_owned().await),
            Backend::Postgres => None,
        };
        if let Some(sync) = &self.sync {
            sync.check()?;
        }
        // IMMEDIATE takes SQLite's write lock at the start. A deferred transaction would read
        // first and could then find that a write from outside the queue (a single statement on
        // another connection) committed in between: SQLite then refuses its write with
        // SQLITE_BUSY_SNAPSHOT, which no busy timeout retries. The sync level can change only
        // between transactions, so it is set in the same call.
        let begin = match (&self.sync, synced_in_commit) {
            (None, _) => "BEGIN IMMEDIATE",
            (Some(_), false) => "PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE",
            (Some(_), true) => "PRAGMA synchronous = FULL; BEGIN IMMEDIATE",
        };
        let tx = match self.backend {
            Backend::Sqlite => self.writes.begin_with(begin).await,
            Backend::Postgres => self.writes.begin().await,
        }
        .context("beginning a transaction")?;
        Ok(WriteTransaction {
            tx,
            _turn: turn,
            sync: self.sync.clone().filter(|_| !synced_in_commit),
        })
    }

    /// The process's write turn on SQLite (nothing on PostgreSQL), for a single statement that
    /// writes: held while it runs, it queues behind the transactions instead of meeting them in
    /// SQLite's busy handler, which sleeps.
    pub async fn write_turn(&self) -> Option<OwnedMutexGuard<()>> {
        match self.backend {
            Backend::Sqlite => Some(self.writer.clone().lock_owned().await),
            Backend::Postgres => None,
        }
    }

    /// The engine behind the pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for queries.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// The file a SQLite URL names; empty for a database in memory.
fn sqlite_path(url: &str) -> &str {
    let path = url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//")
        .split('?')
        .next()
        .unwrap_or_default();
    match path {
        ":memory:" => "",
        path => path,
    }
}

fn create_sqlite_folder(url: &str) -> anyhow::Result<()> {
    let path = sqlite_path(url);
    if path.is_empty() {
        return Ok(());
    }
    if let Some(parent) = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the database folder {}", parent.display()))?;
    }
    Ok(())
}

/// `$first, $first+1, …`: `count` numbered parameters.
pub fn numbered(count: usize, first: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($first, …), (…), …`: `rows` rows of `columns` numbered parameters, for a VALUES list.
pub fn value_rows(rows: usize, columns: usize, first: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", numbered(columns, first + r * columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `sql` as the connection's engine reads it fastest. SQLite finds a `$N` parameter by walking a
/// list of every parameter name in the statement, when it prepares it and again for every value
/// bound, so a batch's statement with thousands of parameters costs their square. Bare `?`s
/// skip that list; they mean the same when the parameters appear in order, `$1` to `$N` once
/// each, which is how the batches' statements are written. Any other statement is left as it is.
pub fn for_engine(conn: &AnyConnection, sql: String) -> String {
    if conn.backend_name() != <sqlx::Sqlite as sqlx::Database>::NAME {
        return sql;
    }
    positional(&sql).unwrap_or(sql)
}

/// `sql` with `$1` … `$N` turned into `?`, when they appear in that order once each outside
/// quotes; `None` otherwise.
fn positional(sql: &str) -> Option<String> {
    let mut out = String::with_capacity(sql.len());
    let mut expected = 1u64;
    let mut quote = None;
    let mut chars = sql.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '$') => {
                let digits: String = std::iter::from_fn(|| {
                    chars.next_if(|(_, d)| d.is_ascii_digit()).map(|(_, d)| d)
                })
                .collect();
                if digits.parse::<u64>().ok()? != expected {
                    return None;
                }
                expected += 1;
                out.push('?');
                continue;
            }
            _ => {}
        }
        out.push_str(&sql[at..at + c.len_utf8()]);
    }
    Some(out)
}

/// Milliseconds since the Unix epoch, as stored in every timestamp column.
pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// Checks that the database answers.
pub async fn ping(db: &Db) -> anyhow::Result<()> {
    sqlx::query("SELECT 1")
        .execute(db.pool())
        .await
        .context("pinging the database")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{numbered, open_log, positional, value_rows};
    use std::io::Read;

    fn text_of(mut file: &std::fs::File) -> String {
        let mut text = String::new();
        file.read_to_string(&mut text).expect("reads");
        text
    }

    #[test]
    fn the_log_synced_is_the_one_sqlite_writes_now() {
        let dir = std::env::temp_dir().join(format!("log-sync-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        let log = dir.join("gallery.db-wal");
        std::fs::write(&log, "first").expect("writes");
        let mut held = None;
        open_log(&mut held, &log).expect("opens");
        let file = open_log(&mut held, &log).expect("keeps").expect("a log");
        assert_eq!(text_of(file), "first");
        // SQLite removes the log when its last connection closes and makes a new one later.
        std::fs::remove_file(&log).expect("removes");
        std::fs::write(&log, "second").expect("writes");
        let file = open_log(&mut held, &log)
            .expect("opens")
            .expect("the new log");
        assert_eq!(text_of(file), "second");
        // No log at all: nothing to sync, and no stale handle kept in its place.
        std::fs::remove_file(&log).expect("removes");
        assert!(open_log(&mut held, &log).expect("no error").is_none());
        assert!(held.is_none());
        std::fs::remove_dir(&dir).expect("cleans up");
    }

    #[test]
    fn parameters_are_numbered_in_order_across_rows() {
        assert_eq!(numbered(3, 2), "$2, $3, $4");
        assert_eq!(value_rows(2, 2, 3), "($3, $4), ($5, $6)");
    }

    #[test]
    fn parameters_in_order_become_positional_and_others_stay() {
        let batch = format!(
            "INSERT INTO t SELECT $1, column1 FROM (VALUES {})",
            value_rows(2, 1, 2)
        );
        assert_eq!(
            positional(&batch).as_deref(),
            Some("INSERT INTO t SELECT ?, column1 FROM (VALUES (?), (?))")
        );
        // Quoted text is not a parameter.
        assert_eq!(
            positional("SELECT '$2', $1 WHERE \"a$9\" = $2").as_deref(),
            Some("SELECT '$2', ? WHERE \"a$9\" = ?")
        );
        // Used twice, out of order, or a lone `$`: left to the engine's own numbering.
        assert_eq!(positional("UPDATE t SET a = $1, b = $1"), None);
        assert_eq!(positional("SELECT $2, $1"), None);
        assert_eq!(positional("SELECT $"), None);
    }
}
