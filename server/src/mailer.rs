//! The mail worker: sends what the outbox holds through the mail server `SMTP_URL` names.
//!
//! Every instance may run one; the outbox's claims keep them from sending an email twice. An
//! email is written (in its recipient's language) just before it is sent, from what it is
//! about, and carries a Message-ID made from its outbox row, so a mail server that sees the
//! same email again after a crash between its acceptance and our record of it can tell.
//! Addresses and server replies are kept from the process log: a reply often names the
//! recipient.

use anyhow::Context;
use app::db::Db;
use app::email::store::{self as outbox, Claimed, Outcome};
use app::email::Email;
use app::i18n::Locale;
use app::site::PublicUrl;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{header, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How often the outbox is looked at.
const EVERY: Duration = Duration::from_secs(1);
/// Emails claimed at once.
const BATCH: i64 = 16;

/// A connection to the mail server and the sender's address.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// How long a claim holds: ten steps of the conversation.
    lease_ms: i64,
}

impl Mailer {
    /// A mailer for `url`, sending as `from` (or as Giving Gallery at the site's host).
    pub fn new(
        url: &str,
        from: Option<&str>,
        site: &PublicUrl,
        timeout_seconds: u32,
    ) -> anyhow::Result<Mailer> {
        let timeout = Duration::from_secs(u64::from(timeout_seconds));
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("SMTP_URL must be a mail server URL such as smtps://user:pass@host")?
            .timeout(Some(timeout))
            .build();
        let from = match from {
            Some(from) => from.parse().context("EMAIL_FROM must be an address")?,
            None => default_sender(site)?,
        };
        Ok(Mailer {
            transport,
            from,
            lease_ms: i64::from(timeout_seconds) * 10_000,
        })
    }
}

/// `Giving Gallery <giving@host>`, the site's host without its port (`localhost` for a bare
/// IP address, which is no mail domain).
fn default_sender(site: &PublicUrl) -> anyhow::Result<Mailbox> {
    let host = site.host().split(['/', ':']).next().unwrap_or_default();
    let domain = if host.chars().any(|c| c.is_ascii_alphabetic()) {
        host
    } else {
        "localhost"
    };
    format!("Giving Gallery <giving@{domain}>")
        .parse()
        .context("a sender at the site's host")
}

/// Runs the worker on the current Tokio runtime for as long as the process lives.
pub fn spawn(db: Db, site: PublicUrl, mailer: Mailer) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(error) = send_due(&db, &site, &mailer).await {
                tracing::warn!(error = format!("{error:#}"), "the outbox could not be read");
            }
        }
    });
}

/// Sends the emails that are due until none is left; returns how many were sent.
pub async fn send_due(db: &Db, site: &PublicUrl, mailer: &Mailer) -> anyhow::Result<usize> {
    let mut sent = 0;
    loop {
        let claimed = outbox::claim_due(db, BATCH, mailer.lease_ms).await?;
        if claimed.is_empty() {
            return Ok(sent);
        }
        for email in &claimed {
            let outcome = match send_one(db, site, mailer, email).await {
                Ok(outcome) => outcome,
                Err(error) => Outcome::Failed {
                    error: format!("{error:#}"),
                },
            };
            match &outcome {
                Outcome::Sent => sent += 1,
                Outcome::Skipped => {}
                // Ids only: the error may name the address.
                Outcome::Failed { .. } | Outcome::Refused { .. } => {
                    tracing::warn!(
                        email = email.id,
                        attempt = email.attempts,
                        "an email was not sent"
                    );
                }
            }
            outbox::finish(db, email, outcome).await?;
        }
    }
}

/// Writes and sends one claimed email.
async fn send_one(
    db: &Db,
    site: &PublicUrl,
    mailer: &Mailer,
    email: &Claimed,
) -> anyhow::Result<Outcome> {
    if outbox::unsubscribed(db, email.campaign_id, &email.recipient).await? {
        return Ok(Outcome::Skipped);
    }
    let locale = Locale::from_tag(&email.locale).unwrap_or_default();
    let words = outbox::words(db, site, &email.kind, &email.about, locale, &email.token).await?;
    let Some(words) = words else {
        return Ok(Outcome::Skipped);
    };
    let Ok(to) = email.recipient.parse::<Mailbox>() else {
        return Ok(Outcome::Refused {
            error: "the address cannot be written to".to_owned(),
        });
    };
    let unsubscribe = site.absolute(&outbox::unsubscribe_path(&email.token));
    let message = message(mailer, email, to, words, &unsubscribe)?;
    Ok(match mailer.transport.send(message).await {
        Ok(_) => Outcome::Sent,
        Err(error) if error.is_permanent() => Outcome::Refused {
            error: error.to_string(),
        },
        Err(error) => Outcome::Failed {
            error: error.to_string(),
        },
    })
}

/// The email as it goes out: plain text and HTML alternatives, a one-click unsubscribe (RFC
/// 8058), and a Message-ID that is the same whenever it is sent again.
fn message(
    mailer: &Mailer,
    email: &Claimed,
    to: Mailbox,
    words: Email,
    unsubscribe: &str,
) -> anyhow::Result<Message> {
    let domain = mailer.from.email.domain();
    Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(words.subject)
        .message_id(Some(format!(
            "<outbox-{}-{}@{domain}>",
            email.id, email.token
        )))
        .header(ListUnsubscribe(format!("<{unsubscribe}>")))
        .header(ListUnsubscribePost)
        .multipart(MultiPart::alternative_plain_html(words.text, words.html))
        .context("writing an email")
}

/// `List-Unsubscribe`: where a mail client's unsubscribe button posts.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl header::Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(text.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: the link works with one POST.
#[derive(Clone)]
struct ListUnsubscribePost;

impl header::Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}
