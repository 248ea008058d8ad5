//! Asking a campaign's witnesses to cosign its log's checkpoints (c2sp.org/tlog-witness), and
//! publishing a checkpoint once the campaign's policy (k of n) is met.
//!
//! A campaign with witnesses publishes only cosigned checkpoints: the integrator signs, this
//! asks every witness at once with a consistency proof from the size each last cosigned, checks
//! each cosignature it gets back, and keeps the checkpoint with the cosignatures as the
//! published one. A witness that says it is at another size (409) is asked again from there.

use anyhow::{bail, Context};
use app::db::Db;
use app::transparency::note::{cosignatures, VerifierKey, COSIGNATURE};
use app::transparency::store::{self, ToWitness, WitnessRow};
use app::transparency::tree;
use base64::Engine;
use futures_util::future::join_all;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How often signed checkpoints are looked for: the integrator signs at most five a second.
const EVERY: Duration = Duration::from_millis(200);
/// How long a witness has to answer.
const TIMEOUT: Duration = Duration::from_secs(5);
/// How often the same witness's failure is logged again.
const COMPLAIN_EVERY: Duration = Duration::from_secs(60);

/// Runs the witnessing on the current Tokio runtime for as long as the process lives.
pub fn spawn(db: Db) {
    tokio::spawn(async move {
        let client = match client() {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(error = format!("{error:#}"), "no HTTP client for witnesses");
                return;
            }
        };
        let mut complaints = Complaints::default();
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(error) = witness_all(&db, &client, &mut complaints).await {
                complaints.complain("", &error);
            }
        }
    });
}

/// The HTTP client witnesses are asked with.
pub fn client() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .build()
        .context("an HTTP client")
}

/// Failures logged at most once a minute each, so a witness that is down does not flood the log.
#[derive(Default)]
pub struct Complaints(HashMap<String, Instant>);

impl Complaints {
    fn complain(&mut self, about: &str, error: &anyhow::Error) {
        let now = Instant::now();
        if self
            .0
            .get(about)
            .is_some_and(|last| now.duration_since(*last) < COMPLAIN_EVERY)
        {
            return;
        }
        self.0.insert(about.to_owned(), now);
        tracing::warn!(
            witness = about,
            error = format!("{error:#}"),
            "a checkpoint could not be witnessed"
        );
    }
}

/// Asks the witnesses of every campaign whose latest checkpoint is not cosigned yet; returns how
/// many checkpoints met their policy and were published.
pub async fn witness_all(
    db: &Db,
    client: &reqwest::Client,
    complaints: &mut Complaints,
) -> anyhow::Result<usize> {
    let mut published = 0;
    for job in store::to_witness(db).await? {
        let answers = join_all(job.witnesses.iter().map(|w| ask(db, client, &job, w))).await;
        let mut lines = String::new();
        let mut cosigned = 0;
        for (witness, answer) in job.witnesses.iter().zip(answers) {
            match answer {
                Ok(Some(line)) => {
                    lines.push_str(&line);
                    cosigned += 1;
                }
                Ok(None) => {}
                Err(error) => complaints.complain(&witness.url, &error),
            }
        }
        if cosigned >= job.quorum {
            let note = format!("{}{lines}", job.checkpoint);
            store::publish_cosigned(db, job.campaign, job.size, &note).await?;
            published += 1;
        }
    }
    Ok(published)
}

/// Asks one witness to cosign the job's checkpoint; its checked cosignature line, or `None`
/// when it has already cosigned a larger checkpoint of this log.
async fn ask(
    db: &Db,
    client: &reqwest::Client,
    job: &ToWitness,
    witness: &WitnessRow,
) -> anyhow::Result<Option<String>> {
    let key = VerifierKey::parse(&witness.vkey)
        .filter(|k| k.algorithm == COSIGNATURE)
        .context("the witness's key is not a cosignature verifier key")?;
    let url = format!("{}/add-checkpoint", witness.url.trim_end_matches('/'));
    let mut old = u64::try_from(witness.cosigned_size).unwrap_or(0);
    // Asked again once, from the size a 409 names.
    for _ in 0..2 {
        if old > job.size {
            return Ok(None);
        }
        let proof = if old == 0 || old == job.size {
            Vec::new()
        } else {
            tree::consistency_proof(db, job.campaign, old, job.size).await?
        };
        let mut body = format!("old {old}\n");
        for hash in &proof {
            body.push_str(&base64::engine::general_purpose::STANDARD.encode(hash));
            body.push('\n');
        }
        body.push('\n');
        body.push_str(&job.checkpoint);
        let response = client
            .post(&url)
            .body(body)
            .send()
            .await
            .with_context(|| format!("asking {url}"))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        match status.as_u16() {
            200 => {
                let line = cosignature_of(&job.checkpoint, &text, &key)
                    .with_context(|| format!("{url} answered with no valid cosignature"))?;
                store::set_cosigned_size(db, job.campaign, &witness.vkey, job.size).await?;
                return Ok(Some(line));
            }
            409 => {
                old = app::transparency::entry::decimal(text.trim_end_matches('\n'))
                    .with_context(|| format!("{url} answered 409 without a size"))?;
                store::set_cosigned_size(db, job.campaign, &witness.vkey, old).await?;
            }
            _ => bail!("{url} answered {status}: {}", text.trim()),
        }
    }
    bail!("{url} keeps answering 409")
}

/// The line of a witness's answer that is its valid cosignature of `checkpoint`.
fn cosignature_of(checkpoint: &str, answer: &str, key: &VerifierKey) -> Option<String> {
    let prefix = format!("\u{2014} {} ", key.name);
    answer
        .lines()
        .filter(|line| line.starts_with(&prefix))
        .map(|line| format!("{line}\n"))
        .find(|line| {
            cosignatures(&format!("{checkpoint}{line}"), std::slice::from_ref(key))
                .is_some_and(|found| !found.is_empty())
        })
}
