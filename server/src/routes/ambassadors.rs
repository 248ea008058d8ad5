//! Ambassadors on the web: the join form's post, the page that confirms an address (a button,
//! so a mail scanner that follows links confirms nothing), and the staff's team forms.

use super::emails::{page, token_shape};
use super::staff::{form_refusal, internal, refusal_page, same_origin};
use super::staff_of::{AdminOf, StaffOf};
use crate::client_limits::ClientLimits;
use app::ambassadors::join::{self, JoinError, JoinForm};
use app::ambassadors::store::{self as ambassadors, Confirmed, Joined, LinkState};
use app::db::now_ms;
use app::email::escape;
use app::i18n::{fill, Locale};
use app::live::announce::Change;
use app::staff::form::Fields;
use app::staff::limits::ClientAddress;
use app::staff::teams_form::{self, TeamsError};
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use governor::Quota;
use std::num::NonZeroU32;

/// Sign-ups one client address may send a minute, after a first burst of [`JOIN_BURST`]: an
/// office behind one address can join together, a script cannot send a colleague's address
/// a stream of emails or fill the campaign's waiting list alone.
const JOIN_PER_MINUTE: u32 = 6;
const JOIN_BURST: u32 = 30;

/// The join form, confirmation, and the staff's team forms.
pub(super) fn routes() -> Router<AppState> {
    let n = |n| NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
    let limits =
        ClientLimits::new(Quota::per_minute(n(JOIN_PER_MINUTE)).allow_burst(n(JOIN_BURST)));
    Router::new()
        .route(
            "/api/campaigns/{slug}/ambassadors",
            post(join_campaign).layer(Extension(limits)),
        )
        .route("/join/confirm/{token}", get(ask).post(confirm))
        .route(
            "/api/staff/campaigns/{slug}/team-forms/{form}",
            post(teams_form),
        )
}

/// An employee's sign-up: checked, stored with its confirmation email queued, then "check
/// your inbox". A refusal says why, with its status, and stores nothing.
async fn join_campaign(
    State(state): State<AppState>,
    Extension(limits): Extension<ClientLimits>,
    client: Option<Extension<ClientAddress>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<JoinForm>,
) -> Response {
    let locale = Locale::from_headers(&headers);
    let back = match &form.invite {
        Some(invite) if !invite.is_empty() => format!("/join/{invite}"),
        _ => format!("/campaigns/{slug}/join"),
    };
    if !same_origin(&headers, &state) {
        tracing::warn!("a cross-site sign-up was refused");
        return refusal_page(
            StatusCode::FORBIDDEN,
            locale.words().staff_forbidden(),
            locale,
            &back,
        );
    }
    if let Err(wait) = limits.check(client.map(|Extension(c)| c)) {
        let t = locale.words();
        let mut refused = refusal_page(
            StatusCode::TOO_MANY_REQUESTS,
            t.join_too_fast(),
            locale,
            &back,
        );
        refused
            .headers_mut()
            .insert(header::RETRY_AFTER, wait.seconds().into());
        return refused;
    }
    let Ok(slug) = slug.parse::<app::slug::Slug>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let found = match state.live.campaign_id(&slug).await {
        Ok(Some(id)) => app::campaigns::store::find_by_id(&state.db, id, locale)
            .await
            .map(|c| c.map(|(_, c)| (id, c))),
        Ok(None) => Ok(None),
        Err(error) => Err(error),
    };
    let (campaign, found) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(&error),
    };
    let refused = |error: JoinError| match error {
        JoinError::Internal(error) => internal(&error),
        error => refusal_page(error.status(), error.message(locale), locale, &back),
    };
    let new = match join::check(&form, found.goal.currency(), locale) {
        Ok(new) => new,
        Err(error) => return refused(error),
    };
    match ambassadors::join(&state.db, campaign, &new, now_ms()).await {
        Ok(joined) => {
            if joined == Joined::Queued {
                tracing::info!(campaign = campaign.get(), "an employee asked to join");
            }
            Redirect::to(&format!("/campaigns/{slug}/join?sent=1")).into_response()
        }
        Err(error) => refused(error),
    }
}

/// The confirmation link's page: a button that confirms.
async fn ask(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let locale = Locale::from_headers(&headers);
    let t = locale.words();
    let found = if token_shape(&token) {
        ambassadors::confirmation_link(&state.db, &token, now_ms()).await
    } else {
        Ok(LinkState::Unknown)
    };
    match found {
        Ok(LinkState::Open(campaign)) => {
            let title = match app::campaigns::store::find_by_id(&state.db, campaign, locale).await {
                Ok(found) => found.map(|(_, c)| c.title).unwrap_or_default(),
                Err(error) => return internal(&error),
            };
            let body = format!(
                "<p>{}</p><form method=\"post\"><button class=\"button button-primary\" \
                 type=\"submit\" data-testid=\"confirm\">{}</button></form>",
                escape(&fill(t.confirm_ask(), &[("campaign", &title)])),
                escape(t.confirm_button())
            );
            page(StatusCode::OK, locale, t.confirm_heading(), &body)
        }
        Ok(state) => unconfirmed(state == LinkState::Expired, locale),
        Err(error) => internal(&error),
    }
}

/// Confirms the address, once, and opens the ambassador's dashboard.
async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let locale = Locale::from_headers(&headers);
    let done = if token_shape(&token) {
        ambassadors::confirm(&state.db, &token, now_ms()).await
    } else {
        Ok(Confirmed::Unknown)
    };
    match done {
        Ok(Confirmed::Done { key, campaign }) => {
            tracing::info!("an ambassador confirmed their address");
            announce_boards(&state, campaign).await;
            Redirect::to(&app::ambassadors::dashboard_path(&key)).into_response()
        }
        Ok(other) => unconfirmed(other == Confirmed::Expired, locale),
        Err(error) => internal(&error),
    }
}

/// A confirmation link that no longer works: expired (410) or never sent or used (404).
fn unconfirmed(expired: bool, locale: Locale) -> Response {
    let t = locale.words();
    let (status, text) = if expired {
        (StatusCode::GONE, t.confirm_expired())
    } else {
        (StatusCode::NOT_FOUND, t.confirm_unknown())
    };
    let body = format!("<p data-testid=\"confirm-message\">{}</p>", escape(text));
    page(status, locale, t.confirm_heading(), &body)
}

/// An admin's form on the teams page (`teams`: a new team, `ambassador-domains`: the domains
/// that may join, `invites`: a one-time invitation); back to the page, or why not.
async fn teams_form(
    State(state): State<AppState>,
    Path((_, form)): Path<(String, String)>,
    StaffOf(account, slug, campaign, locale, _): AdminOf,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let back = format!("/staff/campaigns/{slug}/teams");
    let fields = Fields::from_pairs(pairs);
    let (db, now) = (&state.db, now_ms());
    let outcome = match form.as_str() {
        "teams" => teams_form::add_team(db, campaign, &fields, now)
            .await
            .map(drop),
        "ambassador-domains" => teams_form::set_domains(db, campaign, &fields)
            .await
            .map(drop),
        "invites" => teams_form::create_invite(db, campaign, &fields, now)
            .await
            .map(drop),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    match outcome {
        Ok(()) => {
            tracing::info!(staff = account.id.get(), %slug, form, "teams page changed");
            if form == "teams" {
                announce_boards(&state, campaign).await;
            }
            Redirect::to(&back).into_response()
        }
        Err(TeamsError::Form(error)) => form_refusal(&error, locale, &back),
        Err(TeamsError::Internal(error)) => internal(&error),
    }
}

/// Tells the campaign's open pages that its leaderboards changed (a team added, an ambassador
/// confirmed): they show it from the boards' next reading. What was saved stays saved if this
/// fails.
async fn announce_boards(state: &AppState, campaign: app::ids::CampaignId) {
    if let Err(error) = state.live.announce(campaign, Change::Gifts).await {
        tracing::warn!(error = format!("{error:#}"), "announcing new boards failed");
    }
}
