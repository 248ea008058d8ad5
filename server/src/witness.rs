//! `giving-gallery witness`: a small witness (c2sp.org/tlog-witness) for the logs it is told to
//! follow. It cosigns a checkpoint (c2sp.org/tlog-cosignature, Ed25519) only after checking the
//! log's signature and that the checkpoint extends the last one it cosigned for that log, so a
//! log cannot show it one history and someone else another.
//!
//! Its state is one file per log under `<dir>/logs/`: the last checkpoint it cosigned, with the
//! log's signature and its own. A file is replaced atomically (a crash leaves the old one or the
//! new one), and one lock makes checking the old size and persisting the new one a single step,
//! as the protocol requires.

use anyhow::Context;
use app::transparency::entry::decimal;
use app::transparency::keys::{replace_file, Cosigner};
use app::transparency::merkle::{self, Hash};
use app::transparency::note::{verify_note, VerifierKey, ED25519};
use app::transparency::proof::Checkpoint;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// The largest request read: 63 hashes and a checkpoint with a few signatures fit in a tenth.
const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// The most consistency proof lines a request may carry.
const MAX_PROOF_LINES: usize = 63;

/// A witness: its key, the logs it follows, and where it keeps what it cosigned.
pub struct Witness {
    cosigner: Cosigner,
    /// Each followed log's key, by origin.
    logs: HashMap<String, VerifierKey>,
    dir: PathBuf,
    /// Held from reading a log's state to persisting the new one.
    turn: tokio::sync::Mutex<()>,
}

/// What the witness answers to an add-checkpoint request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// 200: the cosignature line.
    Cosigned(String),
    /// 400.
    Malformed(&'static str),
    /// 403: no valid signature of the log's key.
    BadSignature,
    /// 404: a log this witness does not follow.
    UnknownLog,
    /// 409: the old size is not the size it last cosigned, which it says.
    Conflict(u64),
    /// 422: the checkpoint does not extend the last one cosigned.
    Inconsistent(&'static str),
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let text = |status: StatusCode, body: String| {
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                body,
            )
                .into_response()
        };
        match self {
            Answer::Cosigned(line) => text(StatusCode::OK, line),
            Answer::Malformed(why) => text(StatusCode::BAD_REQUEST, format!("{why}\n")),
            Answer::BadSignature => text(
                StatusCode::FORBIDDEN,
                "no valid signature of the log's key\n".into(),
            ),
            Answer::UnknownLog => text(
                StatusCode::NOT_FOUND,
                "this witness does not follow that log\n".into(),
            ),
            Answer::Conflict(size) => (
                StatusCode::CONFLICT,
                [(header::CONTENT_TYPE, "text/x.tlog.size")],
                format!("{size}\n"),
            )
                .into_response(),
            Answer::Inconsistent(why) => text(StatusCode::UNPROCESSABLE_ENTITY, format!("{why}\n")),
        }
    }
}

impl Witness {
    /// Opens the witness named `name` keeping its key and state in `dir`, following the logs
    /// whose verifier keys are `logs` (each key's name is its log's origin).
    pub fn open(dir: &std::path::Path, name: &str, logs: &[String]) -> anyhow::Result<Witness> {
        let cosigner = Cosigner::open(dir, name)?;
        std::fs::create_dir_all(dir.join("logs"))
            .with_context(|| format!("creating {}", dir.join("logs").display()))?;
        let logs = logs
            .iter()
            .map(|vkey| {
                VerifierKey::parse(vkey)
                    .filter(|k| k.algorithm == ED25519)
                    .map(|k| (k.name.clone(), k))
                    .with_context(|| format!("{vkey} is not a log's Ed25519 verifier key"))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Witness {
            cosigner,
            logs,
            dir: dir.to_owned(),
            turn: tokio::sync::Mutex::new(()),
        })
    }

    /// The witness's cosignature verifier key (signed-note form), for the logs' policies.
    pub fn vkey(&self) -> String {
        self.cosigner.vkey()
    }

    /// `POST /add-checkpoint` and `GET /{origin hash}/checkpoint`.
    pub fn router(self: Arc<Self>) -> Router {
        Router::new()
            .route("/add-checkpoint", post(add_checkpoint))
            .route("/{origin_hash}/checkpoint", get(latest))
            .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
            .with_state(self)
    }

    /// Checks a request's checkpoint and proof, and cosigns and persists it if all is well.
    pub async fn add_checkpoint(&self, body: &[u8]) -> anyhow::Result<Answer> {
        let Ok(body) = std::str::from_utf8(body) else {
            return Ok(Answer::Malformed("the request is not UTF-8"));
        };
        let (old, proof, note) = match parse_request(body) {
            Ok(request) => request,
            Err(why) => return Ok(Answer::Malformed(why)),
        };
        let Ok(checkpoint) = Checkpoint::parse(note) else {
            return Ok(Answer::Malformed("the checkpoint is malformed"));
        };
        let Some(log) = self.logs.get(&checkpoint.origin) else {
            return Ok(Answer::UnknownLog);
        };
        let Some(text) = verify_note(note, log) else {
            return Ok(Answer::BadSignature);
        };
        if old > checkpoint.size {
            return Ok(Answer::Malformed(
                "the old size is larger than the checkpoint's",
            ));
        }
        let _turn = self.turn.lock().await;
        let path = self.state_path(&checkpoint.origin);
        let cosigned = match std::fs::read_to_string(&path) {
            Ok(stored) => Some(Checkpoint::parse(&stored).context("a damaged witness state")?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let known = cosigned.as_ref().map_or(0, |c| c.size);
        if old != known {
            return Ok(Answer::Conflict(known));
        }
        if checkpoint.size == 0 && checkpoint.root != merkle::root_of(&[]) {
            return Ok(Answer::Inconsistent(
                "an empty tree has the empty string's hash",
            ));
        }
        match cosigned.as_ref().filter(|c| c.size > 0) {
            None if !proof.is_empty() => {
                return Ok(Answer::Inconsistent(
                    "no proof is needed from the empty tree",
                ));
            }
            None => {}
            Some(last) => {
                if merkle::verify_consistency(
                    last.size,
                    checkpoint.size,
                    &last.root,
                    &checkpoint.root,
                    &proof,
                )
                .is_err()
                {
                    return Ok(Answer::Inconsistent(
                        "the checkpoint does not extend the one cosigned last",
                    ));
                }
            }
        }
        let time = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .context("the clock is before 1970")?
            .as_secs();
        let line = self.cosigner.cosign(text, time);
        // Kept: the checkpoint, the log's own signatures, and this cosignature.
        let log_lines: String = note[text.len() + 1..]
            .lines()
            .filter(|l| l.starts_with(&format!("\u{2014} {} ", log.name)))
            .map(|l| format!("{l}\n"))
            .collect();
        replace_file(&path, &format!("{text}\n{log_lines}{line}"))?;
        Ok(Answer::Cosigned(line))
    }

    /// The last checkpoint cosigned for the log whose origin hashes to `origin_hash`.
    pub fn latest(&self, origin_hash: &str) -> Option<String> {
        let valid = origin_hash.len() == 64
            && origin_hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        valid
            .then(|| std::fs::read_to_string(self.dir.join("logs").join(origin_hash)).ok())
            .flatten()
    }

    fn state_path(&self, origin: &str) -> PathBuf {
        self.dir
            .join("logs")
            .join(hex::encode(Sha256::digest(origin.as_bytes())))
    }
}

/// Reads `old N`, the proof lines, a blank line, and the checkpoint.
fn parse_request(body: &str) -> Result<(u64, Vec<Hash>, &str), &'static str> {
    let (head, note) = body
        .split_once("\n\n")
        .ok_or("no blank line before the checkpoint")?;
    let mut lines = head.split('\n');
    let old = lines
        .next()
        .and_then(|l| l.strip_prefix("old "))
        .and_then(decimal)
        .ok_or("the first line must be `old <size>`")?;
    let proof = lines
        .map(|line| {
            base64::engine::general_purpose::STANDARD
                .decode(line)
                .ok()
                .and_then(|bytes| Hash::try_from(bytes).ok())
                .ok_or("a proof line is not a base64 hash")
        })
        .collect::<Result<Vec<_>, _>>()?;
    if proof.len() > MAX_PROOF_LINES {
        return Err("more than 63 proof lines");
    }
    Ok((old, proof, note))
}

async fn add_checkpoint(State(witness): State<Arc<Witness>>, body: Bytes) -> Response {
    match witness.add_checkpoint(&body).await {
        Ok(answer) => answer.into_response(),
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "the witness failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn latest(State(witness): State<Arc<Witness>>, Path(origin_hash): Path<String>) -> Response {
    match witness.latest(&origin_hash) {
        Some(note) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], note).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "no checkpoint cosigned for that log\n",
        )
            .into_response(),
    }
}
