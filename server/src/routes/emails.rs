//! Email on the web: the unsubscribe link every donor email carries (no sign-in; one POST, as
//! RFC 8058 asks, so a mail scanner that follows links unsubscribes nobody), and the outbox and
//! template previews staff read.

use super::staff::internal;
use super::staff_of::{AdminOf, StaffOf};
use app::campaigns::store as campaigns;
use app::email::store::{self as outbox, OutboxRow};
use app::email::{escape, masked, Email, UnsubscribeTexts};
use app::i18n::Locale;
use app::ids::CampaignId;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The unsubscribe link and the staff's email pages.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/unsubscribe/{token}", get(ask).post(unsubscribe))
        .route("/staff/campaigns/{slug}/emails", get(list))
        .route("/staff/campaigns/{slug}/emails/{id}", get(show))
        .route("/staff/campaigns/{slug}/emails/{id}/html", get(show_html))
}

/// A token is 32 lowercase hex digits; anything else is no token.
pub(super) fn token_shape(token: &str) -> bool {
    token.len() == 32
        && token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Asks whether to unsubscribe, with a button that does it.
async fn ask(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    answer(&state, &token, &headers, false).await
}

/// Unsubscribes the address the token's email went to from its campaign: the button's post,
/// or a mail client's one-click `List-Unsubscribe=One-Click`.
async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    answer(&state, &token, &headers, true).await
}

/// The unsubscribe page, after unsubscribing when `act`; a token we did not send is 404.
async fn answer(state: &AppState, token: &str, headers: &HeaderMap, act: bool) -> Response {
    let locale = Locale::from_headers(headers);
    let t = UnsubscribeTexts::of(locale);
    let campaign = match (token_shape(token), act) {
        (false, _) => Ok(None),
        (true, false) => outbox::token_campaign(&state.db, token).await,
        (true, true) => outbox::unsubscribe(&state.db, token).await,
    };
    let campaign = match campaign {
        Ok(Some(campaign)) => campaign,
        Ok(None) => {
            let body = paragraph(t.unknown);
            return page(StatusCode::NOT_FOUND, locale, t.title, &body);
        }
        Err(error) => return internal(&error),
    };
    let name = campaign_name(state, campaign, locale).await;
    let body = if act {
        tracing::info!(campaign = campaign.get(), "an address unsubscribed");
        paragraph(&t.done.replace("{campaign}", &name))
    } else {
        format!(
            "<p>{}</p><form method=\"post\"><button class=\"button button-primary\" \
             type=\"submit\" data-testid=\"unsubscribe\">{}</button></form>",
            escape(&t.ask.replace("{campaign}", &name)),
            escape(t.button)
        )
    };
    page(StatusCode::OK, locale, t.title, &body)
}

async fn campaign_name(state: &AppState, campaign: CampaignId, locale: Locale) -> String {
    match campaigns::find_by_id(&state.db, campaign, locale).await {
        Ok(Some((_, found))) => found.title,
        _ => String::new(),
    }
}

/// A campaign's latest emails (admins: the outbox holds donors' addresses, shown masked).
async fn list(
    State(state): State<AppState>,
    StaffOf(_, slug, campaign, locale, _): AdminOf,
) -> Response {
    let emails = match outbox::latest(&state.db, campaign, 200).await {
        Ok(emails) => emails,
        Err(error) => return internal(&error),
    };
    let t = locale.words();
    let rows: String = emails
        .iter()
        .map(|e| {
            let language = Locale::from_tag(&e.locale).map_or(e.locale.as_str(), |l| l.native_name());
            format!(
                "<tr data-testid=\"email-row\"><td><a href=\"/staff/campaigns/{slug}/emails/{}\">{}</a></td>\
                 <td>{}</td><td>{}</td><td>{}</td><td data-testid=\"email-status\">{}</td><td>{}</td>\
                 <td>{}</td></tr>",
                e.id,
                e.id,
                escape(word(t, &e.kind)),
                escape(&masked(&e.recipient)),
                escape(language),
                escape(word(t, &e.status)),
                e.attempts,
                escape(e.last_error.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let previews: String = [("", t.outbox_receipt()), ("update-", t.outbox_update())]
        .iter()
        .flat_map(|(kind, name)| {
            let slug = &slug;
            Locale::ALL.iter().map(move |l| {
                format!(
                    "<li><a href=\"/staff/campaigns/{slug}/emails/preview-{kind}{}\">{} · {}</a></li>",
                    l.tag(),
                    escape(name),
                    escape(l.native_name())
                )
            })
        })
        .collect();
    let body = format!(
        "<p>{}</p><ul>{previews}</ul>\
         <table><thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table>",
        escape(t.outbox_previews()),
        escape(t.outbox_kind()),
        escape(t.outbox_to()),
        escape(t.outbox_language()),
        escape(t.outbox_status()),
        escape(t.outbox_attempts()),
        escape(t.outbox_last_error()),
    );
    page(StatusCode::OK, locale, t.outbox_title(), &body)
}

/// An email's kind or state (as the outbox stores it) in the page's language.
fn word<'a>(t: app::i18n::Words, stored: &'a str) -> &'a str {
    match stored {
        "receipt" => t.outbox_receipt(),
        "ambassador" => t.outbox_ambassador(),
        "update" => t.outbox_update(),
        "queued" => t.outbox_queued(),
        "sent" => t.outbox_sent(),
        "failed" => t.outbox_failed(),
        "skipped" => t.outbox_skipped(),
        other => other,
    }
}

/// One email, or a template's preview (`preview-en`, `preview-zh-CN`), as text with a link to
/// its HTML.
async fn show(
    State(state): State<AppState>,
    staff: AdminOf,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    shown(&state, staff, &id, false).await
}

/// An email's (or preview's) HTML as its recipient's mail client gets it, unable to run or load
/// anything.
async fn show_html(
    State(state): State<AppState>,
    staff: AdminOf,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    shown(&state, staff, &id, true).await
}

async fn shown(state: &AppState, staff: AdminOf, id: &str, html: bool) -> Response {
    let StaffOf(_, slug, campaign, locale, _) = staff;
    let (row, email) = match written(state, campaign, id).await {
        Ok(Some(found)) => found,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(&error),
    };
    if html {
        let policy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        let headers = [
            (header::CONTENT_SECURITY_POLICY, policy),
            (header::CACHE_CONTROL, "no-store"),
        ];
        return (headers, Html(email.html)).into_response();
    }
    let t = locale.words();
    let to = row.map(|r| masked(&r.recipient)).unwrap_or_default();
    let body = format!(
        "<p><a href=\"/staff/campaigns/{slug}/emails\">{}</a></p>\
         <p>{}: {}</p>\
         <pre data-testid=\"email-text\">{}</pre>\
         <p><a href=\"/staff/campaigns/{slug}/emails/{}/html\">{}</a></p>",
        escape(t.outbox_title()),
        escape(t.outbox_to()),
        escape(&to),
        escape(&email.text),
        escape(id),
        escape(t.outbox_html()),
    );
    page(StatusCode::OK, locale, &email.subject, &body)
}

/// The outbox row `id` names and its words, or a preview's words.
async fn written(
    state: &AppState,
    campaign: CampaignId,
    id: &str,
) -> anyhow::Result<Option<(Option<OutboxRow>, Email)>> {
    if let Some(tag) = id.strip_prefix("preview-update-") {
        let Some(locale) = Locale::from_tag(tag) else {
            return Ok(None);
        };
        let sample = outbox::sample_update(&state.db, &state.site, campaign, locale).await?;
        return Ok(sample.map(|u| (None, u.write())));
    }
    if let Some(tag) = id.strip_prefix("preview-") {
        let Some(locale) = Locale::from_tag(tag) else {
            return Ok(None);
        };
        let sample = outbox::sample_receipt(&state.db, &state.site, campaign, locale).await?;
        return Ok(sample.map(|r| (None, r.write())));
    }
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    let Some(row) = outbox::find(&state.db, campaign, id).await? else {
        return Ok(None);
    };
    let locale = Locale::from_tag(&row.locale).unwrap_or_default();
    let words = outbox::words(
        &state.db,
        &state.site,
        &row.kind,
        &row.about,
        locale,
        &row.token,
    )
    .await?;
    Ok(words.map(|w| (Some(row), w)))
}

fn paragraph(text: &str) -> String {
    format!(
        "<p data-testid=\"unsubscribe-message\">{}</p>",
        escape(text)
    )
}

/// A plain page in the site's style.
pub(super) fn page(status: StatusCode, locale: Locale, title: &str, body: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\">\
         <link rel=\"stylesheet\" href=\"{}\"><title>{}</title></head>\
         <body><main class=\"plain-page\"><h1>{}</h1>{}</main></body></html>",
        locale.tag(),
        app::site::stylesheet_href(),
        escape(title),
        escape(title),
        body,
    );
    (status, [(header::CACHE_CONTROL, "no-store")], Html(page)).into_response()
}
