//! Reading a Server-Sent Events stream in tests, as a browser's EventSource would.

#![allow(dead_code)]

use serde_json::Value;
use std::time::Duration;

/// One event: its type, its id and its data parsed as JSON.
#[derive(Debug)]
pub struct Event {
    pub kind: String,
    pub id: Option<i64>,
    pub data: Value,
}

pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

impl EventStream {
    /// Opens `url` with `headers`; panics unless it answers 200 with an event stream.
    pub async fn open(client: &reqwest::Client, url: &str, headers: &[(&str, &str)]) -> Self {
        let mut request = client.get(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the stream answers");
        assert_eq!(response.status(), 200, "{url}");
        let kind = response.headers()["content-type"].to_str().expect("ascii");
        assert_eq!(kind, "text/event-stream");
        EventStream::from_response(response)
    }

    /// Reads the stream of an answer already checked.
    pub fn from_response(response: reqwest::Response) -> Self {
        EventStream {
            response,
            buffer: String::new(),
        }
    }

    /// The next event (heartbeat comments skipped); panics after 10 s without one.
    pub async fn next(&mut self) -> Event {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if let Some(event) = parse(&block) {
                    return event;
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.response.chunk())
                .await
                .expect("an event within 10 s")
                .expect("the stream stays open")
                .expect("the stream does not end");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Events up to and including the first that `done` accepts.
    pub async fn until(&mut self, done: impl Fn(&Event) -> bool) -> Vec<Event> {
        let mut seen = Vec::new();
        loop {
            let event = self.next().await;
            let last = done(&event);
            seen.push(event);
            if last {
                return seen;
            }
        }
    }
}

fn parse(block: &str) -> Option<Event> {
    let (mut kind, mut id, mut data) = (None, None, String::new());
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("event: ") {
            kind = Some(v.to_owned());
        } else if let Some(v) = line.strip_prefix("id: ") {
            id = v.parse().ok();
        } else if let Some(v) = line.strip_prefix("data: ") {
            data.push_str(v);
        }
    }
    Some(Event {
        kind: kind?,
        id,
        data: serde_json::from_str(&data).expect("event data is JSON"),
    })
}

/// Whether an event is a `progress` event showing `raised` minor units.
pub fn progress_at(event: &Event, raised: i64) -> bool {
    event.kind == "progress" && event.data["raised_minor"] == raised
}
