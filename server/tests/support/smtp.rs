//! A mail server on loopback that keeps what it is sent: enough SMTP (RFC 5321) for a client
//! to deliver, and a switch that makes it stop answering after DATA, as a mail server that
//! hangs does. Also a reader for the MIME a client sends (RFC 2045-2047), so tests read emails
//! as a mail client shows them.

use base64::Engine;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Default)]
struct Shared {
    delivered: Mutex<Vec<String>>,
    hang: AtomicBool,
    hung: AtomicUsize,
}

/// The mail server; it runs until the test ends.
pub struct SmtpSink {
    pub port: u16,
    shared: Arc<Shared>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let port = listener.local_addr().expect("an address").port();
        let shared = Arc::new(Shared::default());
        let serving = shared.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(converse(stream, serving.clone()));
            }
        });
        SmtpSink { port, shared }
    }

    /// The `SMTP_URL` that reaches it.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// From now on, answer nothing after a client's DATA (or answer again).
    pub fn hang(&self, on: bool) {
        self.shared.hang.store(on, Ordering::SeqCst);
    }

    /// The messages accepted so far, as sent.
    pub fn delivered(&self) -> Vec<String> {
        self.shared.delivered.lock().expect("the list").clone()
    }

    /// Waits (up to a minute) until `count` messages were accepted; returns them.
    pub async fn wait_for(&self, count: usize) -> Vec<String> {
        for _ in 0..600 {
            let delivered = self.delivered();
            if delivered.len() >= count {
                return delivered;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{count} emails did not arrive: {}", self.delivered().len());
    }

    /// Waits (up to 30 s) until a client is left hanging after its DATA.
    pub async fn wait_hung(&self) {
        for _ in 0..300 {
            if self.shared.hung.load(Ordering::SeqCst) > 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no client reached DATA");
    }
}

async fn converse(stream: TcpStream, shared: Arc<Shared>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
            "QUIT" => {
                let _ = write.write_all(b"221 Bye\r\n").await;
                return;
            }
            "DATA" if shared.hang.load(Ordering::SeqCst) => {
                shared.hung.fetch_add(1, Ordering::SeqCst);
                // Hold the connection, answering nothing, until the client goes away.
                while lines.read_line(&mut line).await.unwrap_or(0) > 0 {}
                return;
            }
            "DATA" => {
                let _ = write.write_all(b"354 Go ahead\r\n").await;
                let mut message = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    message.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                shared.delivered.lock().expect("the list").push(message);
                b"250 Queued\r\n"
            }
            _ => b"500 Unknown command\r\n",
        };
        if write.write_all(answer).await.is_err() {
            return;
        }
    }
}

/// An email as a mail client shows it: its headers (unfolded), subject, and text and HTML
/// parts (decoded).
pub struct Mail {
    pub headers: Vec<(String, String)>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    pub fn parse(raw: &str) -> Mail {
        let (head, body) = raw.split_once("\r\n\r\n").expect("headers and a body");
        let headers = unfold(head);
        let header = |name: &str| -> String {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let content_type = header("Content-Type");
        let boundary = content_type
            .split("boundary=")
            .nth(1)
            .expect("a multipart email")
            .trim_matches('"')
            .to_owned();
        let mut text = String::new();
        let mut html = String::new();
        for part in body.split(&format!("--{boundary}")).skip(1) {
            let Some((part_head, part_body)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            let part_headers = unfold(part_head.trim_start());
            let get = |name: &str| {
                part_headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.to_ascii_lowercase())
                    .unwrap_or_default()
            };
            let decoded = decode_body(part_body, &get("Content-Transfer-Encoding"));
            if get("Content-Type").starts_with("text/plain") {
                text = decoded;
            } else if get("Content-Type").starts_with("text/html") {
                html = decoded;
            }
        }
        Mail {
            subject: decode_words(&header("Subject")),
            headers,
            text,
            html,
        }
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

fn unfold(head: &str) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
    }
    headers
}

fn decode_body(body: &str, encoding: &str) -> String {
    let body = body.trim_end_matches(['-', '\r', '\n']);
    match encoding {
        "base64" => {
            let joined: String = body.split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(joined)
                .expect("base64");
            String::from_utf8(bytes).expect("UTF-8")
        }
        "quoted-printable" => quoted_printable(body),
        _ => body.to_owned(),
    }
}

fn quoted_printable(text: &str) -> String {
    let text = text.replace("=\r\n", "");
    let mut bytes = Vec::with_capacity(text.len());
    let raw = text.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'=' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap_or("zz");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                bytes.push(b);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8(bytes).expect("UTF-8")
}

/// A header's RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) as text.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    for word in value.split_whitespace() {
        let inner = word
            .strip_prefix("=?")
            .and_then(|w| w.strip_suffix("?="))
            .and_then(|w| {
                let mut parts = w.splitn(3, '?');
                Some((parts.next()?, parts.next()?, parts.next()?))
            });
        match inner {
            Some((_, encoding, text)) if encoding.eq_ignore_ascii_case("b") => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .expect("base64");
                out.push_str(&String::from_utf8(bytes).expect("UTF-8"));
            }
            Some((_, _, text)) => out.push_str(&quoted_printable(&text.replace('_', " "))),
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
            }
        }
    }
    out
}
