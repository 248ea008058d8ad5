//! More server processes on a test's database, as an operator runs several instances.

use super::TestApp;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A server process (the release binary) on the same database as a test's server.
pub struct Instance {
    child: Child,
    pub port: u16,
    pub base: String,
    _dir: tempfile::TempDir,
}

/// The release server binary, `target/release/giving-gallery` (or `GIVING_GALLERY_BIN`). The
/// tests' package cannot ask Cargo to build another package's binary: `cargo build --release
/// --workspace` makes it, as ./scripts/test does before the tests.
pub fn server_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("GIVING_GALLERY_BIN") {
        return PathBuf::from(path);
    }
    // The test binary is target/release/deps/server-<hash>.
    let exe = std::env::current_exe().expect("the test binary's path");
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|release| release.join("giving-gallery"))
        .expect("the test binary is in target/<profile>/deps");
    assert!(
        bin.exists(),
        "{} is missing: build it first with `cargo build --release --workspace`",
        bin.display()
    );
    bin
}

/// A free port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Instance {
    /// Starts an instance with `env` over the test server's settings, once it answers.
    pub async fn start(app: &TestApp, env: &[(&str, &str)]) -> Instance {
        let command = Command::new(server_binary());
        Instance::start_as(app, env, command).await
    }

    /// Starts an instance under a shell's `ulimit` arguments (`-Sn 1024`, say), as a system
    /// that starts programs with those limits would.
    pub async fn start_limited(app: &TestApp, env: &[(&str, &str)], ulimit: &str) -> Instance {
        let mut command = Command::new("bash");
        command
            .args(["-c", &format!("ulimit {ulimit} && exec \"$0\" \"$@\"")])
            .arg(server_binary());
        Instance::start_as(app, env, command).await
    }

    /// The process's memory high-water mark (`VmHWM`), in bytes.
    pub fn peak_memory(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the process's status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kib| kib * 1024)
            .expect("VmHWM in the status")
    }

    async fn start_as(app: &TestApp, env: &[(&str, &str)], mut command: Command) -> Instance {
        let dir = tempfile::tempdir().expect("a folder");
        let port = free_port();
        let child = command
            .arg("serve")
            .env("DATABASE_URL", &app.database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("MEDIA_DIR", dir.path().join("media"))
            // Every instance signs the log with the same key, each keeping its own history.
            .env("LOG_KEY_DIR", dir.path().join("log"))
            .env("LOG_SIGNING_KEY", super::LOG_SIGNING_KEY)
            .env("PAYMENT_LINKS", "off")
            .env("PUBLIC_BASE_URL", &app.public_url)
            .env("STRIPE_WEBHOOK_SECRET", &app.webhook_secrets)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .expect("the server binary starts");
        let instance = Instance {
            child,
            port,
            base: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        wait_until_up(&app.client, &format!("{}/healthz", instance.base)).await;
        instance
    }

    /// Ends the process at once, as a power cut or an out-of-memory kill would (SIGKILL).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Waits (up to 10 s) for `url` to answer 200.
pub async fn wait_until_up(client: &reqwest::Client, url: &str) {
    for _ in 0..200 {
        if let Ok(r) = client.get(url).send().await {
            if r.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url} did not come up");
}
