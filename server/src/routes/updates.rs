//! Campaign updates on the web beside their Leptos page: the staff page that publishes them
//! (a plain form that works without JavaScript, with an optional picture; admins publish,
//! everyone on staff reads), and
//! the campaign's Atom feed.

use super::emails::page;
use super::staff::{
    admin_upload, announce_campaign, form_refusal, internal, DRAIN_ALLOWANCE, FORM_MAX,
};
use super::staff_of::{AdminOf, StaffOf, ViewerOf};
use app::artworks::upload::{self, StoreError};
use app::campaigns::store as campaigns;
use app::db::now_ms;
use app::email::escape;
use app::i18n::{fill, Locale};
use app::ids::random_hex;
use app::slug::Slug;
use app::staff::accounts::StaffAccount;
use app::staff::form::FormError;
use app::staff::{updates_form, Role};
use app::state::AppState;
use app::updates::feed::Feed;
use app::updates::{feed_path, store, updates_path, LISTED, MAX_BODY, MAX_TITLE};
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/campaigns/{slug}/updates", get(staff_page))
        .route(
            "/api/staff/campaigns/{slug}/updates",
            post(publish).layer(DefaultBodyLimit::max(FORM_MAX + DRAIN_ALLOWANCE)),
        )
        .route("/api/staff/campaigns/{slug}/updates/{id}/pin", post(pin))
        .route("/campaigns/{slug}/updates.atom", get(feed))
}

/// The campaign's updates for staff, newest first, and for admins the form that publishes one.
async fn staff_page(
    State(state): State<AppState>,
    StaffOf(account, slug, campaign, locale, _): ViewerOf,
) -> Response {
    let t = locale.words();
    let sent = match store::for_staff(&state.db, campaign, LISTED).await {
        Ok(sent) => sent,
        Err(error) => return internal(&error),
    };
    // Times in the campaign's own time, as on the other staff pages.
    let offset = match campaigns::find_by_id(&state.db, campaign, locale).await {
        Ok(found) => found.map_or(0, |(_, c)| c.utc_offset_minutes),
        Err(error) => return internal(&error),
    };
    let admin = account.role == Role::Admin;
    let form = if admin {
        let key = match random_hex::<16>() {
            Ok(key) => key,
            Err(error) => return internal(&error),
        };
        let field = |name: &str, label: &str, required: bool| {
            format!(
                "<label class=\"field\"><span>{}</span><input type=\"text\" name=\"{name}\" \
                 maxlength=\"{MAX_TITLE}\"{}></label>",
                escape(label),
                if required { " required" } else { "" }
            )
        };
        let area = |name: &str, label: &str, required: bool| {
            format!(
                "<label class=\"field\"><span>{}</span><textarea name=\"{name}\" rows=\"8\" \
                 maxlength=\"{MAX_BODY}\"{}></textarea></label>",
                escape(label),
                if required { " required" } else { "" }
            )
        };
        format!(
            "<form class=\"staff-panel\" method=\"post\" action=\"/api/staff/campaigns/{slug}/updates\" \
             enctype=\"multipart/form-data\" data-testid=\"update-form\"><p>{}</p>\
             <input type=\"hidden\" name=\"form_key\" value=\"{key}\">{}{}{}{}\
             <label class=\"field\"><span>{}</span><input type=\"file\" name=\"image\" \
             accept=\"image/jpeg,image/png,image/webp\"></label>{}{}\
             <button class=\"button button-primary\" type=\"submit\">{}</button></form>",
            escape(t.staff_updates_intro()),
            field("title_en", t.update_title_en(), true),
            area("body_en", t.update_body_en(), true),
            field("title_zh", t.update_title_zh(), false),
            area("body_zh", t.update_body_zh(), false),
            escape(t.update_image()),
            field("image_alt_en", t.update_image_alt_en(), false),
            field("image_alt_zh", t.update_image_alt_zh(), false),
            escape(t.update_publish()),
        )
    } else {
        String::new()
    };
    let items: String =
        sent.iter()
            .map(|s| {
                let u = &s.update;
                // Admins pin an update before the newer ones, or unpin it.
                let pin = if admin {
                    let (value, label) = if u.pinned {
                        ("0", t.update_unpin())
                    } else {
                        ("1", t.update_pin())
                    };
                    format!(
                    "<form method=\"post\" action=\"/api/staff/campaigns/{slug}/updates/{}/pin\">\
                     <input type=\"hidden\" name=\"pinned\" value=\"{value}\">\
                     <button class=\"button\" type=\"submit\">{}</button></form>",
                    u.id,
                    escape(label),
                )
                } else {
                    String::new()
                };
                format!(
                "<li id=\"update-{}\" data-testid=\"staff-update\"><h2>{}</h2><p class=\"muted\">\
                 {}{} · <span data-testid=\"update-emailed\">{}</span>{}</p>{pin}</li>",
                u.id,
                escape(&u.title),
                if u.pinned {
                    format!("{} · ", escape(t.update_pinned()))
                } else {
                    String::new()
                },
                escape(&u.published_at.display_local(offset, locale)),
                escape(&fill(t.update_emailed(), &[("count", &s.emailed.to_string())])),
                if s.has_chinese {
                    format!(" · {}", Locale::ZhCn.native_name())
                } else {
                    String::new()
                },
            )
            })
            .collect();
    let body = format!(
        "<p><a href=\"/staff/campaigns/{slug}\">{}</a> · <a href=\"{}\">{}</a></p>{form}\
         <ol class=\"updates\">{items}</ol>",
        escape(t.dashboard_heading()),
        escape(&updates_path(&format!("/campaigns/{slug}"))),
        escape(t.updates_all()),
    );
    page(StatusCode::OK, locale, t.staff_updates_tab(), &body)
}

/// Publishes the form's update and queues its emails (admins); a form sent twice publishes
/// once. Back to the staff page, at the update.
async fn publish(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    account: Option<Extension<StaffAccount>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let locale = Locale::from_headers(&headers);
    let (account, slug, campaign, form) =
        match admin_upload(&state, account, &slug, locale, &mut multipart).await {
            Ok(found) => found,
            Err(refused) => return refused,
        };
    let back = format!("/staff/campaigns/{slug}/updates");
    let (mut update, image) = match form.and_then(|form| {
        Ok((
            updates_form::read(&form.fields, account.id.get())?,
            form.image,
        ))
    }) {
        Ok(read) => read,
        Err(error) => return form_refusal(&error, locale, &back),
    };
    // A browser sends an empty file when none was chosen.
    if let Some(bytes) = image.filter(|bytes| !bytes.is_empty()) {
        update.image = match upload::store(&state.media, bytes).await {
            Ok(stored) => Some(stored),
            Err(StoreError::Refused(why)) => {
                return form_refusal(&FormError::Image(why), locale, &back)
            }
            Err(StoreError::Internal(error)) => return internal(&error),
        };
    }
    match store::publish(&state.db, campaign, &update, now_ms()).await {
        Ok(published) => {
            if published.new {
                // Open pages of the campaign show it (its news version moved).
                announce_campaign(&state, campaign).await;
                tracing::info!(
                    staff = account.id.get(),
                    %slug,
                    update = published.id,
                    emails = published.emailed,
                    "campaign update published"
                );
            }
            Redirect::to(&format!("{back}#update-{}", published.id)).into_response()
        }
        Err(error) => internal(&error),
    }
}

#[derive(Deserialize)]
struct PinForm {
    pinned: String,
}

/// Pins an update before the newer ones on the campaign's pages, or unpins it (admins). Back to
/// the staff page, at the update.
async fn pin(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    StaffOf(account, slug, campaign, locale, _): AdminOf,
    Form(form): Form<PinForm>,
) -> Response {
    let back = format!("/staff/campaigns/{slug}/updates");
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let pinned = match form.pinned.as_str() {
        "1" => true,
        "0" => false,
        _ => return form_refusal(&FormError::Invalid("pinned"), locale, &back),
    };
    match store::set_pinned(&state.db, campaign, id, pinned).await {
        Ok(true) => {
            announce_campaign(&state, campaign).await;
            tracing::info!(staff = account.id.get(), %slug, update = id, pinned, "update pinned");
            Redirect::to(&format!("{back}#update-{id}")).into_response()
        }
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => internal(&error),
    }
}

#[derive(Deserialize)]
struct FeedQuery {
    locale: Option<String>,
}

/// The campaign's Atom feed, in the language `?locale=` names, else the reader's.
async fn feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<FeedQuery>,
    headers: HeaderMap,
) -> Response {
    let locale = query
        .locale
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or_else(|| Locale::from_headers(&headers));
    let Ok(slug) = slug.parse::<Slug>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let found = match campaigns::find(&state.db, &slug, locale).await {
        Ok(found) => found,
        Err(error) => return internal(&error),
    };
    let Some((id, campaign)) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let updates = match store::latest(&state.db, id, locale, LISTED).await {
        Ok(updates) => updates,
        Err(error) => return internal(&error),
    };
    let path = campaign.path();
    let author = campaign
        .organiser
        .as_ref()
        .map_or(campaign.beneficiary.name.as_str(), |o| o.name.as_str());
    let t = locale.words();
    let xml = Feed {
        locale,
        title: &fill(t.updates_title(), &[("campaign", &campaign.title)]),
        subtitle: &campaign.tagline,
        page_url: &state.site.absolute(&updates_path(&path)),
        self_url: &state
            .site
            .absolute(&format!("{}?locale={}", feed_path(&path), locale.tag())),
        site_url: &state.site.absolute("/"),
        author,
        since: campaign.starts_at,
        updates: &updates,
    }
    .write();
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=60"),
            (header::VARY, "Accept-Language, Cookie"),
        ],
        xml,
    )
        .into_response()
}
