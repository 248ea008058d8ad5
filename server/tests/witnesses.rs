//! Witnesses (c2sp.org/tlog-witness): `giving-gallery witness` answers as the protocol says,
//! and a campaign with witnesses publishes only checkpoints its policy's quorum cosigned, which
//! `audit` and proofs then check. Two witnesses run on loopback beside the server.

use crate::support::giving::{gift, give};
use crate::support::{spawn, Backend, TestApp};
use app::transparency::integrator::checkpoint_text;
use app::transparency::keys::{Cosigner, LogKeys};
use app::transparency::note::VerifierKey;
use app::transparency::proof::{verify_checkpoint_with, verify_proof_with, Checkpoint, Policy};
use app::transparency::tree::Known;
use base64::Engine;
use giving_gallery::audit::audit;
use giving_gallery::witness::Witness;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

on_both_backends!(a_campaign_publishes_only_what_its_witnesses_cosigned);

const ORIGIN: &str = "give.example.org/campaigns/witnessed";
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A witness serving on loopback: its address and key, until the handle is aborted.
async fn start_witness(
    dir: &Path,
    name: &str,
    logs: &[String],
) -> (String, String, tokio::task::JoinHandle<()>) {
    let witness = Witness::open(dir, name, logs).expect("a witness");
    let vkey = witness.vkey();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let router = Arc::new(witness).router();
    let handle = tokio::spawn(async move {
        axum::serve(listener, router)
            .await
            .expect("the witness serves");
    });
    (url, vkey, handle)
}

/// The stored hashes of a tree of `size` entries `entry 0`, `entry 1`, ...
fn tree(size: u64) -> HashMap<u64, [u8; 32]> {
    let mut known = HashMap::new();
    for index in 0..size {
        let hashes =
            tlog_tiles::stored_hashes(index, format!("entry {index}").as_bytes(), &Known(&known))
                .expect("hashes");
        let first = tlog_tiles::stored_hash_index(0, index);
        for (offset, hash) in hashes.into_iter().enumerate() {
            known.insert(first + offset as u64, hash.0);
        }
    }
    known
}

fn root(known: &HashMap<u64, [u8; 32]>, size: u64) -> [u8; 32] {
    tlog_tiles::tree_hash(size, &Known(known))
        .expect("a root")
        .0
}

/// An add-checkpoint request body.
fn request(old: u64, proof: &[[u8; 32]], checkpoint: &str) -> String {
    let lines: String = proof
        .iter()
        .map(|h| format!("{}\n", B64.encode(h)))
        .collect();
    format!("old {old}\n{lines}\n{checkpoint}")
}

async fn post(url: &str, body: String) -> (u16, Option<String>, String) {
    let response = reqwest::Client::new()
        .post(format!("{url}/add-checkpoint"))
        .body(body)
        .send()
        .await
        .expect("the witness answers");
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    (status, kind, response.text().await.expect("a body"))
}

#[tokio::test]
async fn a_witness_answers_as_the_protocol_says() {
    let folder = tempfile::tempdir().expect("a folder");
    let log = LogKeys::open(&folder.path().join("log"), Some(&"5".repeat(64))).expect("keys");
    let impostor =
        LogKeys::open(&folder.path().join("other"), Some(&"6".repeat(64))).expect("keys");
    let signer = log.signer(ORIGIN);
    let log_key = VerifierKey::parse(&signer.vkey()).expect("the log's key");
    let sign = |size: u64, root: &[u8; 32]| {
        signer
            .sign_note(&checkpoint_text(ORIGIN, size, root))
            .expect("signed")
    };
    let dir = folder.path().join("witness");
    let (url, vkey, server) = start_witness(&dir, "witness.example/w1", &[signer.vkey()]).await;
    let policy = Policy::parse(&[&vkey], 1).expect("a policy");
    let known = tree(8);
    let (three, five) = (sign(3, &root(&known, 3)), sign(5, &root(&known, 5)));
    let proof = tlog_tiles::prove_tree(5, 3, &Known(&known)).expect("a proof");
    let proof: Vec<[u8; 32]> = proof.into_iter().map(|h| h.0).collect();

    // Refused before anything is kept.
    let stranger = log.signer("give.example.org/campaigns/stranger");
    let unknown = stranger
        .sign_note(&checkpoint_text(
            "give.example.org/campaigns/stranger",
            3,
            &root(&known, 3),
        ))
        .expect("signed");
    assert_eq!(post(&url, request(0, &[], &unknown)).await.0, 404);
    let forged = impostor
        .signer(ORIGIN)
        .sign_note(&checkpoint_text(ORIGIN, 3, &root(&known, 3)))
        .expect("signed");
    assert_eq!(
        post(&url, request(0, &[], &forged)).await.0,
        403,
        "another key's signature"
    );
    assert_eq!(
        post(&url, request(5, &[], &three)).await.0,
        400,
        "old size above the checkpoint's"
    );
    assert_eq!(post(&url, format!("old 01\n\n{three}")).await.0, 400);
    assert_eq!(
        post(&url, "old 0\nnot base64\n\n".to_owned() + &three)
            .await
            .0,
        400
    );
    assert_eq!(
        post(&url, request(0, &proof, &three)).await.0,
        422,
        "a proof from the empty tree"
    );
    assert_eq!(post(&url, "x".repeat(100_000)).await.0, 413);

    // The first checkpoint, cosigned with a timestamp.
    let (status, _, line) = post(&url, request(0, &[], &three)).await;
    assert_eq!(status, 200);
    let cosigned = policy
        .check(&format!("{three}{line}"))
        .expect("a valid cosignature");
    assert_eq!(cosigned[0].0, "witness.example/w1");
    assert!(cosigned[0].1 > 1_700_000_000);
    verify_checkpoint_with(&format!("{three}{line}"), &log_key, &policy).expect("believed");

    // A client that is behind learns the witness's size.
    let (status, kind, body) = post(&url, request(0, &[], &five)).await;
    assert_eq!(
        (status, kind.as_deref(), body.as_str()),
        (409, Some("text/x.tlog.size"), "3\n")
    );
    // A proof with one changed byte, and a fork of the same size, are refused.
    let mut bent = proof.clone();
    bent[0][0] ^= 1;
    assert_eq!(post(&url, request(3, &bent, &five)).await.0, 422);
    let fork = sign(3, &root(&tree(4), 4));
    assert_eq!(
        post(&url, request(3, &[], &fork)).await.0,
        422,
        "a forked checkpoint"
    );
    assert_eq!(post(&url, request(3, &proof, &five)).await.0, 200);

    // What it cosigned survives a restart.
    server.abort();
    let (url, again, _server) = start_witness(&dir, "witness.example/w1", &[signer.vkey()]).await;
    assert_eq!(again, vkey, "the same key");
    assert_eq!(post(&url, request(3, &proof, &five)).await.2, "5\n");
    let hash = hex::encode(Sha256::digest(ORIGIN.as_bytes()));
    let latest = reqwest::get(format!("{url}/{hash}/checkpoint"))
        .await
        .expect("an answer");
    assert_eq!(latest.status(), 200);
    let latest = latest.text().await.expect("a checkpoint");
    let checked =
        verify_checkpoint_with(&latest, &log_key, &policy).expect("log and witness signed it");
    assert_eq!(checked.size, 5);
    let missing = reqwest::get(format!("{url}/{}/checkpoint", "0".repeat(64)))
        .await
        .expect("an answer");
    assert_eq!(missing.status(), 404);

    // A cosignature with one changed bit makes the whole note unbelievable.
    let (name, encoded) = line.trim_end().rsplit_once(' ').expect("a signature line");
    let mut bytes = B64.decode(encoded).expect("base64");
    bytes[20] ^= 1;
    let bent = format!("{name} {}\n", B64.encode(bytes));
    assert!(policy.check(&format!("{three}{bent}")).is_err());
}

/// Waits (up to 10 s) for the published checkpoint of `size` entries that `policy` believes.
async fn published(app: &TestApp, log_key: &VerifierKey, policy: &Policy, size: u64) -> String {
    for _ in 0..100 {
        let (status, note) = app
            .get_text("/campaigns/little-painters/log/checkpoint")
            .await;
        if status == 200 {
            if let Ok(checkpoint) = verify_checkpoint_with(&note, log_key, policy) {
                if checkpoint.size == size {
                    return note;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no checkpoint of {size} entries was published with its cosignatures");
}

async fn a_campaign_publishes_only_what_its_witnesses_cosigned(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let (_, key) = app.get_text("/campaigns/little-painters/log/key").await;
    let key = key.trim().to_owned();
    let log_key = VerifierKey::parse(&key).expect("the log's key");
    let folder = tempfile::tempdir().expect("a folder");
    let (url1, vkey1, _w1) = start_witness(
        &folder.path().join("w1"),
        "witness.example/w1",
        &[key.clone()],
    )
    .await;
    let (url2, vkey2, w2) = start_witness(
        &folder.path().join("w2"),
        "witness.example/w2",
        &[key.clone()],
    )
    .await;
    let slug: app::slug::Slug = "little-painters".parse().expect("a slug");
    let campaign = app::campaigns::store::id_of(&app.db, &slug)
        .await
        .expect("read")
        .expect("the campaign")
        .get();
    let both = vec![(url1.clone(), vkey1.clone()), (url2.clone(), vkey2.clone())];
    app::transparency::store::set_witnesses(&app.db, campaign, &both, 2)
        .await
        .expect("a policy");

    // The demo's consent records and plan are the log's first entries.
    let (consents,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM consent_records) + (SELECT COUNT(*) FROM spending_plans)",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("a count");
    let c = consents as u64;
    let first = give(&app, "witnessed-1", gift(1_000, json!({}))).await;
    give(&app, "witnessed-2", gift(2_000, json!({}))).await;
    let two_of_two = Policy::parse(&[&vkey1, &vkey2], 2).expect("a policy");
    published(&app, &log_key, &two_of_two, c + 2).await;

    // `audit` and each donor's proof check the cosignatures too.
    let report = audit(&app.url("/campaigns/little-painters"), &key, &two_of_two)
        .await
        .expect("the audit passes");
    assert_eq!((report.size, report.total), (c + 2, 3_000));
    assert_eq!(
        report.cosigned_by,
        ["witness.example/w1", "witness.example/w2"]
    );
    let (status, proof) = app
        .get_text(&format!("/donations/{first}/proof.tlog-proof"))
        .await;
    assert_eq!(status, 200);
    verify_proof_with(&proof, &log_key, &two_of_two).expect("a cosigned proof");
    let stranger =
        Cosigner::open(&folder.path().join("w3"), "witness.example/w3").expect("a cosigner");
    let three = Policy::parse(&[&vkey1, &vkey2, &stranger.vkey()], 3).expect("a policy");
    assert!(
        audit(&app.url("/campaigns/little-painters"), &key, &three)
            .await
            .is_err(),
        "a witness that never cosigned"
    );
    let (_, page) = app
        .get_text("/campaigns/little-painters/transparency")
        .await;
    assert!(
        page.contains("witness.example/w2"),
        "the ledger page names its witnesses"
    );

    // With one of two witnesses down, a signed checkpoint is not published...
    w2.abort();
    give(&app, "witnessed-3", gift(500, json!({}))).await;
    for _ in 0..100 {
        let (signed,): (i64,) = sqlx::query_as("SELECT size FROM logs WHERE campaign_id = $1")
            .bind(campaign)
            .fetch_one(app.db.pool())
            .await
            .expect("the log");
        if signed as u64 == c + 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let client = giving_gallery::witnessing::client().expect("a client");
    let mut complaints = giving_gallery::witnessing::Complaints::default();
    let witnessed = giving_gallery::witnessing::witness_all(&app.db, &client, &mut complaints)
        .await
        .expect("asked");
    assert_eq!(witnessed, 0, "one cosignature of the two required");
    let (_, note) = app
        .get_text("/campaigns/little-painters/log/checkpoint")
        .await;
    assert_eq!(Checkpoint::parse(&note).expect("a checkpoint").size, c + 2);
    // ...until the policy asks for one of them.
    app::transparency::store::set_witnesses(&app.db, campaign, &both, 1)
        .await
        .expect("a policy");
    let one_of_two = Policy::parse(&[&vkey1, &vkey2], 1).expect("a policy");
    let note = published(&app, &log_key, &one_of_two, c + 3).await;
    assert!(two_of_two.check(&note).is_err());
}
