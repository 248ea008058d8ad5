//! Several instances as an operator runs them: the shipped `deploy/nginx.conf` in front of two
//! server processes on one PostgreSQL. A gift paid through one reaches viewers of the other, a
//! staff session works on both, client addresses come only from the proxy, and killing an
//! instance mid-load loses nothing that was acknowledged.

use crate::staff::{fields_of, save, with};
use crate::support::events::{session, session_event};
use crate::support::giving::{gift, CHECKOUT};
use crate::support::instances::{free_port, wait_until_up, Instance};
use crate::support::sse::{progress_at, EventStream};
use crate::support::staff::{create, session_cookie};
use crate::support::{spawn_configured, Backend, TestApp, PUBLIC_URL, WEBHOOK_SECRET};
use app::staff::Role;
use futures_util::future::join_all;
use giving_gallery::demo_stripe::{Chaos, SessionStatus};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const EVENTS: &str = "/api/campaigns/little-painters/events";

/// nginx running `deploy/nginx.conf` in front of two instances, as the operator would.
struct Nginx {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Nginx {
    async fn start(instances: [u16; 2]) -> Nginx {
        let dir = tempfile::tempdir().expect("a folder");
        let port = free_port();
        // The shipped site, on this test's ports. The test also asks which instance answered.
        let site = include_str!("../../deploy/nginx.conf")
            .replace("127.0.0.1:3000", &format!("127.0.0.1:{}", instances[0]))
            .replace("127.0.0.1:3001", &format!("127.0.0.1:{}", instances[1]))
            .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
            .replace(
                "server_name give.example.org;",
                "server_name give.example.org;\n    add_header X-Served-By $upstream_addr always;",
            );
        let path = dir.path().display().to_string();
        std::fs::write(dir.path().join("site.conf"), site).expect("writing the site");
        let main = format!(
            "daemon off; worker_processes 1; pid {path}/nginx.pid; error_log {path}/error.log warn;\n\
             events {{ worker_connections 2048; }}\n\
             http {{ access_log off; client_body_temp_path {path}/body; proxy_temp_path {path}/proxy;\n\
             fastcgi_temp_path {path}/fastcgi; uwsgi_temp_path {path}/uwsgi; scgi_temp_path {path}/scgi;\n\
             include {path}/site.conf; }}\n"
        );
        std::fs::write(dir.path().join("nginx.conf"), main).expect("writing nginx.conf");
        // nginx started as root hands requests to workers running as nobody.
        make_open(dir.path());
        let child = Command::new(nginx())
            .args(["-p", &path, "-c", &format!("{path}/nginx.conf")])
            .stdout(Stdio::null())
            .spawn()
            .expect("nginx starts (the test command installs it)");
        let nginx = Nginx {
            child,
            base: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        wait_until_up(&reqwest::Client::new(), &format!("{}/healthz", nginx.base)).await;
        nginx
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nginx() -> String {
    ["/usr/sbin/nginx", "/usr/local/sbin/nginx"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or("nginx")
        .to_owned()
}

#[cfg(unix)]
fn make_open(dir: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777));
}

/// Which instance answered, as nginx says.
fn served_by(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("x-served-by")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A signed delivery of `event` to `url`; its status, or 0 when the connection failed.
async fn deliver(client: &reqwest::Client, url: &str, event: &str) -> u16 {
    let signature = stripe_webhook::Webhook::generate_test_header(event, WEBHOOK_SECRET, None);
    client
        .post(url)
        .header("stripe-signature", signature)
        .body(event.to_owned())
        .send()
        .await
        .map_or(0, |r| r.status().as_u16())
}

/// Opens a checkout through nginx; the donation id.
async fn checkout(client: &reqwest::Client, nginx: &Nginx, key: &str, amount: i64) -> String {
    let response = client
        .post(nginx.url(CHECKOUT))
        .header("idempotency-key", key)
        .json(&gift(amount, json!({ "display_name": key })))
        .send()
        .await
        .expect("nginx answers");
    let status = response.status();
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(status, 200, "checkout through nginx: {body}");
    body["donation_id"].as_str().expect("an id").to_owned()
}

fn paid_event(donation: &str, amount: i64) -> String {
    let paid = session(donation, amount, "cny", SessionStatus::Paid);
    session_event(
        &format!("evt_deploy_{donation}"),
        "checkout.session.completed",
        &paid,
    )
}

/// The instances' settings: behind the proxy, with checkout limits out of the load's way.
const BEHIND_PROXY: [(&str, &str); 2] = [
    ("TRUST_FORWARDED_FOR", "1"),
    ("CHECKOUT_PER_ADDRESS_PER_MINUTE", "100000"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_nginx_serve_as_one() {
    // Instance A is this test's own server; instance B is a second process.
    let a: TestApp = spawn_configured(Backend::Postgres, Chaos::CALM, &BEHIND_PROXY).await;
    a.seed_demo().await;
    let mut b = Instance::start(&a, &BEHIND_PROXY).await;
    let nginx = Nginx::start([a.addr.port(), b.port]).await;
    let client = reqwest::Client::new();

    // Viewers through nginx, until one is on each instance.
    let mut viewers = Vec::new();
    let mut instances = BTreeSet::new();
    for _ in 0..6 {
        let response = client
            .get(nginx.url(EVENTS))
            .send()
            .await
            .expect("a stream");
        assert_eq!(response.status(), 200);
        instances.insert(served_by(&response));
        viewers.push(EventStream::from_response(response));
        if instances.len() == 2 {
            break;
        }
    }
    assert_eq!(
        instances.len(),
        2,
        "nginx spreads viewers over both: {instances:?}"
    );
    for viewer in &mut viewers {
        assert_eq!(viewer.next().await.kind, "snapshot");
    }
    // A gift paid through instance A reaches every viewer, on either instance, within 1 s.
    let donation = checkout(&client, &nginx, "deploy-live", 1_000).await;
    assert_eq!(
        deliver(
            &client,
            &a.url("/webhooks/stripe"),
            &paid_event(&donation, 1_000)
        )
        .await,
        200
    );
    for viewer in &mut viewers {
        let seen = tokio::time::timeout(
            Duration::from_secs(1),
            viewer.until(|e| progress_at(e, 1_000)),
        )
        .await
        .expect("the gift reaches every viewer within 1 s");
        assert!(seen.iter().any(|e| e.kind == "gift"));
    }

    // A staff session made on one instance works on both.
    create(&a, "admin@example.org", Role::Admin).await;
    let signed_in = client
        .post(nginx.url("/api/staff/sign-in"))
        .header("origin", PUBLIC_URL)
        .form(&[
            ("email", "admin@example.org"),
            ("password", crate::support::staff::PASSWORD),
            ("next", "/staff"),
        ])
        .send()
        .await
        .expect("nginx answers");
    let cookie = session_cookie(&signed_in).expect("a session");
    let mut answered_by = BTreeSet::new();
    for _ in 0..4 {
        let board = client
            .get(nginx.url("/api/staff/dashboard?slug=little-painters&locale=en"))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("nginx answers");
        assert_eq!(
            board.status(),
            200,
            "the session holds on {}",
            served_by(&board)
        );
        answered_by.insert(served_by(&board));
    }
    assert_eq!(answered_by.len(), 2, "both instances knew the session");

    // A campaign edit saved on instance A reaches every viewer, on either instance, within 1 s.
    let draft = fields_of(
        &a,
        &cookie,
        "/api/staff/campaign-draft?slug=little-painters",
    )
    .await;
    let edited = with(draft, &[("goal", "123456")]);
    let saved = save(&a, &cookie, "/api/staff/campaigns/little-painters", &edited).await;
    assert_eq!(saved.status(), 303);
    for viewer in &mut viewers {
        tokio::time::timeout(
            Duration::from_secs(1),
            viewer.until(|e| e.kind == "progress" && e.data["goal_minor"] == 12_345_600),
        )
        .await
        .expect("the new goal reaches every viewer within 1 s");
    }
    drop(viewers);

    // The client's own X-Forwarded-For never reaches the server: twenty failed sign-ins, each
    // claiming another address, are all counted against the one nginx saw.
    for n in 0..21 {
        let guess = client
            .post(nginx.url("/api/staff/sign-in"))
            .header("origin", PUBLIC_URL)
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .form(&[
                ("email", format!("guess{n}@example.org")),
                ("password", "guess".to_owned()),
            ])
            .send()
            .await
            .expect("nginx answers");
        let expected = if n < 20 { 401 } else { 429 };
        assert_eq!(guess.status().as_u16(), expected, "guess {n}");
    }

    // Gifts pour in through nginx; instance B is killed halfway. Nothing acknowledged is lost,
    // and what was not acknowledged is delivered again, as Stripe does.
    let gifts: Vec<(String, i64)> = join_all((0..60).map(|n| {
        let (client, nginx) = (&client, &nginx);
        async move {
            let amount = 500 + n;
            (
                checkout(client, nginx, &format!("deploy-load-{n}"), amount).await,
                amount,
            )
        }
    }))
    .await;
    let webhook = nginx.url("/webhooks/stripe");
    let mut unacknowledged = Vec::new();
    for (round, chunk) in gifts.chunks(10).enumerate() {
        let deliveries = join_all(chunk.iter().map(|(donation, amount)| {
            let (client, webhook) = (&client, &webhook);
            async move { deliver(client, webhook, &paid_event(donation, *amount)).await }
        }));
        // In the middle of the fourth round, with deliveries in flight.
        let kill = async {
            if round == 3 {
                tokio::time::sleep(Duration::from_millis(3)).await;
                b.kill();
            }
        };
        let (answers, ()) = tokio::join!(deliveries, kill);
        for (answer, gift) in answers.into_iter().zip(chunk) {
            if answer != 200 {
                unacknowledged.push(gift.clone());
            }
        }
    }
    for (donation, amount) in &unacknowledged {
        assert_eq!(
            deliver(&client, &webhook, &paid_event(donation, *amount)).await,
            200
        );
    }
    let expected: i64 = 1_000 + gifts.iter().map(|(_, amount)| amount).sum::<i64>();
    let progress = a.progress("little-painters").await;
    assert_eq!(progress["raised_minor"], expected);
    assert_eq!(progress["donors"], 61);
    let report = app::donations::ledger::reconcile(&a.db)
        .await
        .expect("reconcile runs");
    assert!(report.iter().all(|r| r.balanced()), "{report:?}");
    // The instances share one public log (one integrates at a time); read through the proxy,
    // it holds every gift once and adds up to the campaign's total.
    let campaign = nginx.url("/campaigns/little-painters");
    let key = client
        .get(format!("{campaign}/log/key"))
        .send()
        .await
        .expect("nginx answers")
        .text()
        .await
        .expect("a key");
    let mut audited = None;
    for _ in 0..100 {
        match giving_gallery::audit::audit(&campaign, &key, &Default::default()).await {
            Ok(found) if found.gifts == 61 => {
                audited = Some(found);
                break;
            }
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    let audited = audited.expect("a checkpoint of all 61 gifts that passes the audit");
    assert_eq!((audited.gifts, audited.total), (61, expected));
    // And the proxy kept serving pages from the instance left.
    let page = client
        .get(nginx.url("/"))
        .send()
        .await
        .expect("nginx answers");
    assert_eq!(page.status(), 200);
}
