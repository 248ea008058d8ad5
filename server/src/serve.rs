//! The accept loop: each connection served as HTTP/1.1 by hyper, and a graceful shutdown.
//!
//! This is what `axum::serve` does, minus its protocol detection. A live-progress viewer holds
//! its connection for as long as it watches, so what each connection costs is what the server
//! costs per viewer: an HTTP/1.1 connection keeps only hyper's buffers and the response stream.
//! (TLS and HTTP/2 are the reverse proxy's job in front of it.)

use app::staff::limits::ClientAddress;
use axum::body::Body;
use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// How long a client may take to send a request's head before the connection is closed.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a shutdown waits for requests in flight. Event streams never finish by themselves;
/// their viewers reconnect to another instance, or to this one when it is back.
const DRAIN: Duration = Duration::from_secs(10);

/// File descriptors kept for everything that is not a client connection: the database and its
/// journal, the session store, media and card files, calls to the payment provider.
const FILES_KEPT: u64 = 256;

/// Raises this process's soft limit on open files to its hard limit (many systems start
/// programs at 1,024, which a few hundred live viewers exhaust), logs what it runs with, and
/// returns how many client connections may be open at once with room left for the rest.
pub fn connection_capacity() -> usize {
    let files = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(files) => files,
        Err(error) => {
            tracing::warn!(%error, "could not read or raise the open-file limit");
            rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(soft, _)| soft)
        }
    };
    let capacity = files.saturating_sub(FILES_KEPT).max(16);
    tracing::info!(
        open_files = files,
        connections = capacity,
        "open-file limit"
    );
    usize::try_from(capacity).unwrap_or(usize::MAX)
}

/// Blocks of this size and above are mapped for themselves and unmapped when freed.
const LARGE_BLOCK: usize = 512 * 1024;

/// Makes freed large blocks go back to the system at once. glibc otherwise raises its mapping
/// threshold to the largest block freed so far (up to 32 MiB), after which each thread's arena
/// keeps such blocks: a burst of sign-ins, each hashing with 19 MiB on whichever blocking thread
/// is free, then left a few hundred MiB resident that one client had made the server take.
/// Setting the threshold fixes it where it is.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn return_large_blocks() {
    let threshold = libc::c_int::try_from(LARGE_BLOCK).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only sets a tunable of the allocator, is safe to call from any thread at
    // any time, and takes no pointers.
    #[allow(unsafe_code)]
    let set = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, threshold) };
    if set != 1 {
        tracing::warn!("could not set the allocator's mapping threshold");
    }
}

/// Other allocators give large blocks back by themselves.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_large_blocks() {}

/// Serves `router` on `listener` until `shutdown` completes, then gives the connections up to
/// [`DRAIN`] to finish what they are doing before returning. Beyond `capacity` open
/// connections, a new one is closed at once, so the files the server itself needs stay
/// available and the connections it has keep being served.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    capacity: usize,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let connections = Arc::new(AtomicUsize::new(0));
    let mut last_shed_log: Option<Instant> = None;
    let (stop, stopping) = watch::channel(());
    let (closed, open) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = stream;
        if connections.load(Ordering::Relaxed) >= capacity {
            drop(stream);
            if last_shed_log.is_none_or(|at| at.elapsed() > Duration::from_secs(10)) {
                tracing::warn!(
                    capacity,
                    "at the connection limit: closing new connections until some end"
                );
                last_shed_log = Some(Instant::now());
            }
            continue;
        }
        connections.fetch_add(1, Ordering::Relaxed);
        let _ = stream.set_nodelay(true);
        let client = ClientAddress(peer.ip());
        let service = TowerToHyperService::new(router.clone().map_request(
            move |request: Request<Incoming>| {
                let mut request = request.map(Body::new);
                request.extensions_mut().insert(client);
                request
            },
        ));
        let mut stopping = stopping.clone();
        let open = open.clone();
        let connections = connections.clone();
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            let mut connection = pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            connections.fetch_sub(1, Ordering::Relaxed);
            drop(open);
        });
    }
    drop(listener);
    let _ = stop.send(());
    drop(open);
    let _ = tokio::time::timeout(DRAIN, closed.closed()).await;
    Ok(())
}
