//! The staff area's gate: who may open `/staff` pages and call `/api/staff` functions, and the
//! check that every state-changing staff request comes from the site's own pages.

use super::staff_of::{AdminOf, StaffOf, ViewerOf};
use super::PaymentsState;
use crate::payments::refunds::{self, RefundError};
use app::artworks::artists::{self, Edited};
use app::artworks::film::{FilmError, MAX_FILM_BYTES};
use app::artworks::upload;
use app::error::AppError;
use app::i18n::Locale;
use app::ids::CampaignId;
use app::live::announce::Change;
use app::money::Money;
use app::slug::Slug;
use app::staff::accounts::StaffAccount;
use app::staff::artist_form;
use app::staff::artwork_form::{self, ArtworkError, ArtworkForm};
use app::staff::campaign_form::{self, SaveError};
use app::staff::expense_form::{self, ExpenseError};
use app::staff::form::{Fields, FormError};
use app::staff::limits::ClientAddress;
use app::staff::match_form::{self, MatchError};
use app::staff::organiser_form::{self, OrganiserError};
use app::staff::session::StaffSession;
use app::staff::spending_form::{self, PlanError};
use app::staff::store::gift_by_number;
use app::staff::{page_needs, Role, NEW_CAMPAIGN_PATH, SIGN_IN_PATH};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Html;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use html_escape::encode_double_quoted_attribute as escape;
use serde::Deserialize;
use std::net::IpAddr;
use tower_sessions::Session;

/// The server function anyone may call: signing in.
const SIGN_IN_FUNCTION: &str = "/api/staff/sign-in";

/// The staff endpoints that are not pages or server functions.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/campaigns/{slug}/donations.csv", get(export))
        .route("/api/staff/campaigns", post(create_campaign))
        .route("/api/staff/campaigns/{slug}", post(update_campaign))
        .route(
            "/api/staff/campaigns/{slug}/artists/{artist}",
            post(edit_artist),
        )
        .route(
            "/api/staff/campaigns/{slug}/artworks/{artwork}",
            post(update_artwork).layer(DefaultBodyLimit::max(FORM_MAX + DRAIN_ALLOWANCE)),
        )
        .route(
            "/api/staff/campaigns/{slug}/consent-forms/{file}",
            get(consent_form),
        )
        .route(
            "/api/staff/campaigns/{slug}/spending-plan",
            post(publish_plan),
        )
        .route("/api/staff/campaigns/{slug}/matches", post(add_match))
        .route(
            "/api/staff/campaigns/{slug}/matches/{id}/end",
            post(end_match),
        )
        .route("/api/staff/campaigns/{slug}/expenses", post(record_expense))
        .route(
            "/api/staff/campaigns/{slug}/expenses/{id}/{step}",
            post(expense_step),
        )
        .route(
            "/api/staff/campaigns/{slug}/expense-documents/{id}",
            post(add_document).layer(DefaultBodyLimit::max(FORM_MAX + DRAIN_ALLOWANCE)),
        )
        .route(
            "/api/staff/campaigns/{slug}/expense-documents/{id}/{file}",
            get(original_document),
        )
        .route(
            "/api/staff/campaigns/{slug}/artworks/{artwork}/withdrawal",
            post(withdraw_consent),
        )
        .route(
            "/api/staff/campaigns/{slug}/artworks",
            post(upload_artwork).layer(DefaultBodyLimit::max(FORM_MAX + DRAIN_ALLOWANCE)),
        )
        .route(
            "/api/staff/campaigns/{slug}/organiser",
            post(update_organiser).layer(DefaultBodyLimit::max(FORM_MAX + DRAIN_ALLOWANCE)),
        )
}

/// Creates a campaign from the campaign form (admins) and opens its dashboard.
async fn create_campaign(
    State(state): State<AppState>,
    account: Option<Extension<StaffAccount>>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let locale = Locale::from_headers(&headers);
    let account = match signed_in(account, Role::Admin) {
        Ok(account) => account,
        Err((status, error)) => return refusal(status, error, false, locale),
    };
    match campaign_form::create(&state.db, &Fields::from_pairs(pairs)).await {
        Ok(slug) => {
            tracing::info!(staff = account.id.get(), %slug, "campaign created");
            Redirect::to(&format!("/staff/campaigns/{slug}")).into_response()
        }
        Err(SaveError::Form(error)) => form_refusal(&error, locale, NEW_CAMPAIGN_PATH),
        Err(SaveError::Internal(error)) => internal(&error),
    }
}

/// Saves the campaign form over a campaign (admins); pages and live figures follow at once.
async fn update_campaign(
    State(state): State<AppState>,
    StaffOf(account, slug, campaign, locale, _): AdminOf,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let back = format!("/staff/campaigns/{slug}/edit");
    match campaign_form::update(&state.db, campaign, &slug, &Fields::from_pairs(pairs)).await {
        Ok(()) => {
            announce_campaign(&state, campaign).await;
            tracing::info!(staff = account.id.get(), %slug, "campaign saved");
            Redirect::to(&format!("/staff/campaigns/{slug}")).into_response()
        }
        Err(SaveError::Form(error)) => form_refusal(&error, locale, &back),
        Err(SaveError::Internal(error)) => internal(&error),
    }
}

/// Saves an artist's record (admins): their public name on all their works, and their age band;
/// back to the artworks page.
async fn edit_artist(
    State(state): State<AppState>,
    Path((_, artist)): Path<(String, String)>,
    StaffOf(account, slug, campaign, locale, _): AdminOf,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let Ok(artist) = artist.parse::<Slug>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let back = format!("/staff/campaigns/{slug}/artworks");
    let edit = match artist_form::read(&Fields::from_pairs(pairs)) {
        Ok(edit) => edit,
        Err(error) => return form_refusal(&error, locale, &back),
    };
    match artists::edit(&state.db, campaign, &artist, &edit).await {
        Ok(Edited::Saved) => {
            tracing::info!(staff = account.id.get(), %artist, "artist saved");
            announce_campaign(&state, campaign).await;
            Redirect::to(&format!("{back}?artist_saved={artist}#artists")).into_response()
        }
        Ok(Edited::NameTaken) => form_refusal(&FormError::ArtistNameTaken, locale, &back),
        Ok(Edited::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => internal(&error),
    }
}

/// Saves an artwork's edit form (admins) and returns to the campaign's artworks. The form is
/// multipart when it carries a signed consent form, else it may be URL-encoded.
async fn update_artwork(
    State(state): State<AppState>,
    Path(path): Path<(String, String)>,
    account: Option<Extension<StaffAccount>>,
    headers: HeaderMap,
    body: FormBody,
) -> Response {
    let act = |state: AppState, account: StaffAccount, campaign, slug: Slug, artwork, form| async move {
        artwork_form::update(
            &state.db,
            &state.media,
            campaign,
            &artwork,
            form,
            account.id,
        )
        .await?;
        tracing::info!(staff = account.id.get(), %artwork, "artwork saved");
        announce_campaign(&state, campaign).await;
        Ok(format!("/staff/campaigns/{slug}/artworks"))
    };
    on_artwork(state, path, account, &headers, body, act).await
}

/// Records that an artwork's consent was withdrawn (admins): no new gift for it from this
/// moment, on any instance. Returns to the artwork's edit page, which shows the record.
async fn withdraw_consent(
    State(state): State<AppState>,
    Path(path): Path<(String, String)>,
    account: Option<Extension<StaffAccount>>,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let act = |state: AppState,
               account: StaffAccount,
               campaign,
               slug: Slug,
               artwork,
               form: ArtworkForm| async move {
        artwork_form::withdraw(&state.db, campaign, &artwork, &form.fields, account.id).await?;
        tracing::info!(staff = account.id.get(), %artwork, "consent withdrawn");
        announce_campaign(&state, campaign).await;
        Ok(format!("/staff/campaigns/{slug}/artworks/{artwork}/edit"))
    };
    on_artwork(state, path, account, &headers, FormBody::Pairs(pairs), act).await
}

/// A signed consent form, for admins, always as a download: only a file a consent record of the
/// campaign names.
async fn consent_form(
    State(state): State<AppState>,
    Path((_, file)): Path<(String, String)>,
    StaffOf(_, _, campaign, _, _): AdminOf,
) -> Response {
    use app::artworks::consent::SignedForm;
    use app::artworks::consent_form;
    let form = file
        .split_once('.')
        .and_then(|(sha256, extension)| SignedForm::from_columns(Some(extension), Some(sha256)));
    let Some(form) = form.filter(|f| f.file_name() == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match consent_form::on_record(&state.db, campaign, &form).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(&error),
    }
    let name = format!(
        "consent-form-{}.{}",
        &form.sha256[..12],
        form.format.extension()
    );
    match consent_form::files(&state.media).and_then(|files| files.read(&form.sha256, form.format))
    {
        Ok(bytes) => super::documents::download(&name, bytes, "private, no-store"),
        Err(error) => internal(&error),
    }
}

/// Publishes the plan form as the campaign's next spending plan version (admins), and shows the
/// plan page. The first version opens the campaign to gifts.
async fn publish_plan(
    State(state): State<AppState>,
    StaffOf(account, slug, campaign, locale, _): AdminOf,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let back = format!("/staff/campaigns/{slug}/spending");
    let currency = match currency_of(&state, &slug).await {
        Ok(currency) => currency,
        Err(error) => return internal(&error),
    };
    let fields = Fields::from_pairs(pairs);
    match spending_form::publish(&state.db, campaign, currency, &fields, account.id).await {
        Ok(version) => {
            tracing::info!(staff = account.id.get(), %slug, version, "spending plan published");
            announce_campaign(&state, campaign).await;
            Redirect::to(&back).into_response()
        }
        Err(PlanError::Form(error)) => form_refusal(&error, locale, &back),
        Err(PlanError::Internal(error)) => internal(&error),
    }
}

/// Adds a match from the match form (admins); pages show it at once.
async fn add_match(
    State(state): State<AppState>,
    StaffOf(account, slug, campaign, locale, _): AdminOf,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let back = format!("/staff/campaigns/{slug}/edit");
    let found = match app::campaigns::store::find_by_id(&state.db, campaign, locale).await {
        Ok(Some((_, found))) => found,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => return internal(&error),
    };
    let fields = Fields::from_pairs(pairs);
    match match_form::add(&state.db, campaign, &found, &fields).await {
        Ok(id) => {
            tracing::info!(staff = account.id.get(), %slug, r#match = id, "match added");
            announce_campaign(&state, campaign).await;
            Redirect::to(&back).into_response()
        }
        Err(MatchError::Form(error)) => form_refusal(&error, locale, &back),
        Err(MatchError::Internal(error)) => internal(&error),
    }
}

/// Ends a running match now (admins): gifts paid from now on are not matched by it.
async fn end_match(
    State(state): State<AppState>,
    Path((_, id)): Path<(String, String)>,
    StaffOf(account, slug, campaign, locale, _): AdminOf,
) -> Response {
    let back = format!("/staff/campaigns/{slug}/edit");
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app::matching::store::end(&state.db, campaign, id, app::db::now_ms()).await {
        Ok(true) => {
            tracing::info!(staff = account.id.get(), %slug, r#match = id, "match ended");
            announce_campaign(&state, campaign).await;
            Redirect::to(&back).into_response()
        }
        Ok(false) => {
            let message = locale.words().match_not_found();
            refusal_page(StatusCode::NOT_FOUND, message, locale, &back)
        }
        Err(error) => internal(&error),
    }
}

/// Records the expense form as a draft (admins) and shows the spending page.
async fn record_expense(
    State(state): State<AppState>,
    StaffOf(account, slug, campaign, locale, _): AdminOf,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let back = format!("/staff/campaigns/{slug}/spending");
    let (currency, lines) = match plan_of(&state, &slug, campaign).await {
        Ok(found) => found,
        Err(error) => return internal(&error),
    };
    let fields = Fields::from_pairs(pairs);
    match expense_form::record(&state.db, campaign, currency, &lines, &fields, account.id).await {
        Ok(id) => {
            tracing::info!(staff = account.id.get(), %slug, expense = id, "expense recorded");
            Redirect::to(&back).into_response()
        }
        Err(error) => expense_refusal(error, locale, &back),
    }
}

/// Takes a step of an expense (`submit`, `approve`, `pay`) or records its reversal
/// (`reverse`), as an admin; approving and paying need one who did not record it.
async fn expense_step(
    State(state): State<AppState>,
    Path((_, id, step)): Path<(String, String, String)>,
    StaffOf(account, slug, campaign, locale, _): AdminOf,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let back = format!("/staff/campaigns/{slug}/spending");
    let done = if step == "reverse" {
        let fields = Fields::from_pairs(pairs);
        expense_form::reverse(&state.db, campaign, id, &fields, account.id)
            .await
            .map(|_| ())
    } else {
        expense_form::step(&state.db, campaign, id, &step, account.id).await
    };
    match done {
        Ok(()) => {
            tracing::info!(staff = account.id.get(), %slug, expense = id, %step, "expense moved");
            Redirect::to(&back).into_response()
        }
        Err(error) => expense_refusal(error, locale, &back),
    }
}

/// The campaign's currency and the short names of its plan's lines in force.
async fn plan_of(
    state: &AppState,
    slug: &Slug,
    campaign: CampaignId,
) -> anyhow::Result<(app::money::Currency, Vec<String>)> {
    let plans = app::spending::store::versions(&state.db, campaign).await?;
    let lines = plans
        .last()
        .map(|p| p.lines.iter().map(|l| l.line.clone()).collect())
        .unwrap_or_default();
    Ok((currency_of(state, slug).await?, lines))
}

/// The currency of a campaign the staff gate has just found.
async fn currency_of(state: &AppState, slug: &Slug) -> anyhow::Result<app::money::Currency> {
    let (_, found) = app::campaigns::store::find(&state.db, slug, Locale::En)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the campaign vanished"))?;
    Ok(found.goal.currency())
}

/// Tells every open page, and the payment-link keeper, that the campaign changed. What was saved stays saved if this fails;
/// viewers see it with the next gift or reload.
pub(super) async fn announce_campaign(state: &AppState, campaign: CampaignId) {
    if let Err(error) = state.live.announce(campaign, Change::Campaign).await {
        tracing::warn!(
            error = format!("{error:#}"),
            "announcing a campaign change failed"
        );
    }
}

fn expense_refusal(error: ExpenseError, locale: Locale, back: &str) -> Response {
    match error {
        ExpenseError::Form(error) => form_refusal(&error, locale, back),
        ExpenseError::NotFound => StatusCode::NOT_FOUND.into_response(),
        ExpenseError::Internal(error) => internal(&error),
    }
}

/// An admin's form over one artwork: checks who asks and which artwork, runs `act`, and
/// answers with a redirect to where it says, or with the refusal (back to the edit page).
async fn on_artwork<Act, Done>(
    state: AppState,
    (slug, artwork): (String, String),
    account: Option<Extension<StaffAccount>>,
    headers: &HeaderMap,
    body: FormBody,
    act: Act,
) -> Response
where
    Act: FnOnce(AppState, StaffAccount, CampaignId, Slug, Slug, ArtworkForm) -> Done,
    Done: std::future::Future<Output = Result<String, ArtworkError>>,
{
    let locale = Locale::from_headers(headers);
    let (account, slug, campaign) = match allowed(&state, account, &slug, Role::Admin, locale).await
    {
        Ok(found) => found,
        Err(refused) => {
            body.drain().await;
            return refused;
        }
    };
    let Ok(artwork) = artwork.parse::<Slug>() else {
        body.drain().await;
        return StatusCode::NOT_FOUND.into_response();
    };
    let back = format!("/staff/campaigns/{slug}/artworks/{artwork}/edit");
    let form = match body.read().await {
        Ok(form) => form,
        Err(error) => return form_refusal(&error, locale, &back),
    };
    match act(state, account, campaign, slug, artwork, form).await {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(ArtworkError::Form(error)) => form_refusal(&error, locale, &back),
        Err(ArtworkError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(ArtworkError::Internal(error)) => internal(&error),
    }
}

/// An artwork form's body: URL-encoded, or multipart (with a picture or a signed consent form).
enum FormBody {
    Pairs(Vec<(String, String)>),
    Multipart(Multipart),
}

/// The most a URL-encoded form body may hold: its text fields.
const PAIRS_MAX: usize = 256 * 1024;

impl FormBody {
    /// The form as read: a multipart one through [`read_form`].
    async fn read(self) -> Result<ArtworkForm, FormError> {
        match self {
            FormBody::Pairs(pairs) => Ok(ArtworkForm {
                fields: Fields::from_pairs(pairs),
                ..ArtworkForm::default()
            }),
            FormBody::Multipart(mut multipart) => read_form(&mut multipart).await,
        }
    }

    /// Reads a refused multipart form to its end, so the browser still sending it hears why.
    async fn drain(self) {
        if let FormBody::Multipart(mut multipart) = self {
            drain(&mut multipart).await;
        }
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormBody {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<FormBody, Response> {
        let multipart = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if multipart {
            return Multipart::from_request(request, state)
                .await
                .map(FormBody::Multipart)
                .map_err(IntoResponse::into_response);
        }
        // A URL-encoded body is read before anyone is known: only text fields' worth.
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, PAIRS_MAX)
            .await
            .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
        let request = Request::from_parts(parts, Body::from(bytes));
        Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map(|Form(pairs)| FormBody::Pairs(pairs))
            .map_err(IntoResponse::into_response)
    }
}

/// The largest upload form taken: the artwork's picture, its signed consent form and the photo
/// of the artist at work, each as large as the largest image, a film of the artist at work, a
/// voice message, and room for the text fields.
pub(super) const FORM_MAX: usize =
    3 * upload::MAX_BYTES + MAX_FILM_BYTES + app::artworks::audio::MAX_VOICE_BYTES + 256 * 1024;

/// How much of a form over [`FORM_MAX`] is still read (and thrown away) so that the browser,
/// still sending, receives the refusal instead of a reset connection.
pub(super) const DRAIN_ALLOWANCE: usize = 32 * 1024 * 1024;

/// The most a text field of the upload form may hold.
const MAX_FIELD: usize = 16 * 1024;

/// Adds an artwork from the upload form (admins), then shows the campaign's artworks. A refused
/// form is answered with its reason, in the staff member's language, and stores nothing.
async fn upload_artwork(
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
    let back = format!("/staff/campaigns/{slug}/artworks");
    let form = match form {
        Ok(form) => form,
        Err(error) => return form_refusal(&error, locale, &back),
    };
    match artwork_form::create(&state.db, &state.media, campaign, form, account.id).await {
        Ok(artwork) => {
            tracing::info!(staff = account.id.get(), %artwork, "artwork added");
            announce_campaign(&state, campaign).await;
            Redirect::to(&format!("{back}?added={artwork}")).into_response()
        }
        Err(ArtworkError::Form(error)) => form_refusal(&error, locale, &back),
        Err(ArtworkError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(ArtworkError::Internal(error)) => internal(&error),
    }
}

/// Sets the company presenting the campaign from the organiser form (admins); pages show it at
/// once. A faint brand colour or a refused logo changes nothing.
async fn update_organiser(
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
    let back = format!("/staff/campaigns/{slug}/edit");
    let form = match form {
        Ok(form) => form,
        Err(error) => return form_refusal(&error, locale, &back),
    };
    match organiser_form::save(&state.db, &state.media, campaign, form).await {
        Ok(()) => {
            tracing::info!(staff = account.id.get(), %slug, "organiser set");
            announce_campaign(&state, campaign).await;
            Redirect::to(&back).into_response()
        }
        Err(OrganiserError::Form(error)) => form_refusal(&error, locale, &back),
        Err(OrganiserError::Internal(error)) => internal(&error),
    }
}

/// Adds a document (the form's `kind` and `file`) to an expense that is not paid yet (admins),
/// then shows the spending page. A refused file is answered with its reason and stores nothing.
async fn add_document(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    account: Option<Extension<StaffAccount>>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    use app::spending::document::DocumentKind;
    use app::spending::documents::{self, Adding, DocumentFiles};
    let locale = Locale::from_headers(&headers);
    let (account, slug, campaign) = match allowed(&state, account, &slug, Role::Admin, locale).await
    {
        Ok(found) => found,
        Err(refused) => {
            drain(&mut multipart).await;
            return refused;
        }
    };
    let back = format!("/staff/campaigns/{slug}/spending");
    let Ok(id) = id.parse::<i64>() else {
        drain(&mut multipart).await;
        return StatusCode::NOT_FOUND.into_response();
    };
    let form = match read_form(&mut multipart).await {
        Ok(form) => form,
        Err(error) => return form_refusal(&error, locale, &back),
    };
    let Some(kind) = form
        .fields
        .text("kind", 16)
        .ok()
        .and_then(|k| DocumentKind::parse(&k))
    else {
        return form_refusal(&FormError::Invalid("kind"), locale, &back);
    };
    let Some(bytes) = form.image else {
        return form_refusal(&FormError::Missing("file"), locale, &back);
    };
    let files = match DocumentFiles::open(&state.media) {
        Ok(files) => files,
        Err(error) => return internal(&error),
    };
    match documents::add(&state.db, &files, campaign, id, kind, bytes, account.id).await {
        Ok(Adding::Added(document)) => {
            tracing::info!(staff = account.id.get(), %slug, expense = id, kind = document.kind.as_str(), "expense document added");
            Redirect::to(&back).into_response()
        }
        Ok(Adding::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Ok(Adding::Paid | Adding::Full) => form_refusal(&FormError::ExpenseNotReady, locale, &back),
        Ok(Adding::Refused(upload::UploadError::WrongType)) => {
            form_refusal(&FormError::DocumentWrongType, locale, &back)
        }
        Ok(Adding::Refused(why)) => form_refusal(&FormError::Image(why), locale, &back),
        Err(error) => internal(&error),
    }
}

/// An expense document's original, for admins, always as a download.
async fn original_document(
    State(state): State<AppState>,
    Path((_, id, file)): Path<(String, String, String)>,
    StaffOf(_, _, campaign, _, _): AdminOf,
) -> Response {
    super::documents::serve(&state, campaign, &id, &file, true, "private, no-store").await
}

/// An admin's multipart form for campaign `slug`: the account, the campaign and the form as
/// read; else the refusal to answer with (the form read all the same, so the refusal reaches a
/// browser still sending it).
pub(super) async fn admin_upload(
    state: &AppState,
    account: Option<Extension<StaffAccount>>,
    slug: &str,
    locale: Locale,
    multipart: &mut Multipart,
) -> Result<
    (
        StaffAccount,
        Slug,
        CampaignId,
        Result<ArtworkForm, FormError>,
    ),
    Response,
> {
    match allowed(state, account, slug, Role::Admin, locale).await {
        Ok((account, slug, campaign)) => Ok((account, slug, campaign, read_form(multipart).await)),
        Err(refused) => {
            drain(multipart).await;
            Err(refused)
        }
    }
}

/// Reads a refused form to its end, keeping none of it, so the browser still sending it hears
/// why (the route's body limit bounds how long).
async fn drain(multipart: &mut Multipart) {
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
}

/// The upload form's fields: the image's bytes (at most [`upload::MAX_BYTES`]) and short texts.
/// A field over its limit is read to its end all the same (the body limit bounds that), so the
/// browser is still listening when the refusal comes.
async fn read_form(multipart: &mut Multipart) -> Result<ArtworkForm, FormError> {
    let mut form = ArtworkForm::default();
    let mut refused = None;
    let mut total = 0;
    // A body over the limit ends the form mid-field: that is a file too big, not a damaged one.
    let too_big = |e: &axum::extract::multipart::MultipartError| {
        (e.status() == StatusCode::PAYLOAD_TOO_LARGE)
            .then_some(FormError::Image(upload::UploadError::TooBig))
    };
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| too_big(&e).unwrap_or(FormError::Invalid("form")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        // The artwork form's or an update's `image`, an expense document's `file`, the
        // organiser's `logo`, or the artwork form's signed `consent_form`, `evidence` (a photo
        // of the artist at work), `film` (of the same) and `voice` message.
        let consent_form = name == "consent_form";
        let evidence = name == "evidence";
        let voice = name == "voice";
        let film = name == "film";
        let image = consent_form
            || evidence
            || voice
            || film
            || matches!(name.as_str(), "image" | "file" | "logo");
        let limit = match (voice, film, image) {
            (true, _, _) => app::artworks::audio::MAX_VOICE_BYTES,
            (_, true, _) => MAX_FILM_BYTES,
            (_, _, true) => upload::MAX_BYTES,
            _ => MAX_FIELD,
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| too_big(&e).unwrap_or(FormError::Image(upload::UploadError::Unreadable)))?
        {
            total += chunk.len();
            if refused.is_some() {
                continue;
            }
            if total > FORM_MAX {
                refused = Some(FormError::Image(upload::UploadError::TooBig));
                bytes = Vec::new();
                continue;
            }
            if bytes.len() + chunk.len() > limit {
                refused = Some(match (voice, film, image) {
                    (true, _, _) => FormError::Voice(app::artworks::audio::AudioError::TooBig),
                    (_, true, _) => FormError::Film(FilmError::TooBig),
                    (_, _, true) => FormError::Image(upload::UploadError::TooBig),
                    _ => FormError::TooLong("form"),
                });
                bytes = Vec::new();
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        if refused.is_some() {
            continue;
        }
        if consent_form {
            form.consent_form = Some(bytes);
        } else if evidence {
            form.evidence = Some(bytes);
        } else if voice {
            form.voice = Some(bytes);
        } else if film {
            form.film = Some(bytes);
        } else if image {
            form.image = Some(bytes);
        } else {
            let text = String::from_utf8(bytes).map_err(|_| FormError::Invalid("form"))?;
            form.fields.push(name, text);
        }
    }
    refused.map_or(Ok(form), Err)
}

/// A refused form: its status and a small page saying why, with a way back.
pub(super) fn form_refusal(error: &FormError, locale: Locale, back: &str) -> Response {
    let status = error.status();
    refusal_page(status, &error.message(locale), locale, back)
}

/// A small page that says why a staff form was refused, with a way back.
pub(super) fn refusal_page(
    status: StatusCode,
    message: &str,
    locale: Locale,
    back: &str,
) -> Response {
    let t = locale.words();
    let page = format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <link rel=\"stylesheet\" href=\"{}\"><title>{}</title></head>\
         <body><main><section class=\"error-page\"><p class=\"error-code\">{}</p>\
         <p role=\"alert\" data-testid=\"upload-error\">{}</p>\
         <a class=\"button\" href=\"{}\">{}</a></section></main></body></html>",
        locale.tag(),
        app::site::stylesheet_href(),
        escape(t.error_heading()),
        status.as_u16(),
        escape(message),
        escape(back),
        escape(t.form_back()),
    );
    (status, Html(page)).into_response()
}

/// The staff endpoints that reach the payment provider.
pub(super) fn payment_routes() -> Router<PaymentsState> {
    Router::new().route(app::staff::REFUND_PATH, post(refund))
}

/// An admin's refund form: which gift, how much of it was refunded when the form was shown, and
/// the amount to refund now (empty: all that is left).
#[derive(Deserialize)]
struct RefundForm {
    slug: String,
    number: i64,
    refunded: i64,
    #[serde(default)]
    amount: String,
    /// Present once the admin has seen and confirmed what will be refunded.
    confirmed: Option<String>,
}

/// Refunds a gift (admins) in two steps: the dashboard's form answers a page that shows the gift
/// and the amount and asks for confirmation; the confirmed form asks the payment provider and
/// returns to the dashboard. The totals drop when the provider's refund event arrives, as for
/// any refund. A form sent twice refunds once: its request key is the gift and what had been
/// refunded when it was shown.
async fn refund(
    State(payments): State<PaymentsState>,
    account: Option<Extension<StaffAccount>>,
    headers: HeaderMap,
    Form(form): Form<RefundForm>,
) -> Response {
    let state = &payments.app;
    let locale = Locale::from_headers(&headers);
    let t = locale.words();
    let (account, slug, campaign) =
        match allowed(state, account, &form.slug, Role::Admin, locale).await {
            Ok(found) => found,
            Err(refused) => return refused,
        };
    let back = format!("/staff/campaigns/{slug}");
    let refused =
        |status: StatusCode, message: String| refusal_page(status, &message, locale, &back);
    let (donation, currency) = match gift_by_number(&state.db, campaign, form.number).await {
        Ok(Some(gift)) => gift,
        Ok(None) => return refused(StatusCode::NOT_FOUND, t.not_found_heading().to_owned()),
        Err(error) => return internal(&error),
    };
    let amount = match form.amount.trim() {
        "" => {
            return refused(
                StatusCode::BAD_REQUEST,
                t.refund_amount_missing().to_owned(),
            )
        }
        typed => match Money::parse_major(typed, currency) {
            Ok(money) => money.minor(),
            Err(error) => return refused(StatusCode::BAD_REQUEST, error.message(locale)),
        },
    };
    let asked = if form.confirmed.is_some() {
        let key = format!("{}-{amount}", form.refunded);
        refunds::refund(&payments.payments, &state.db, &donation, amount, &key).await
    } else {
        match refunds::check(&state.db, &donation, amount).await {
            Ok(refundable) => {
                return confirmation_page(&form, &refundable, currency, locale, &back);
            }
            Err(error) => Err(error),
        }
    };
    match asked {
        Ok(()) => {
            tracing::info!(staff = account.id.get(), gift = form.number, "refund asked");
            Redirect::to(&format!("/staff/campaigns/{slug}#gift-{}", form.number)).into_response()
        }
        Err(RefundError::UnknownDonation) => {
            refused(StatusCode::NOT_FOUND, t.not_found_heading().to_owned())
        }
        Err(RefundError::NotPaid) => {
            refused(StatusCode::BAD_REQUEST, t.refund_not_paid().to_owned())
        }
        Err(RefundError::BadAmount { refundable }) => {
            let left = Money::from_minor(refundable, currency)
                .map_or_else(|_| refundable.to_string(), |m| m.format(locale));
            refused(
                StatusCode::BAD_REQUEST,
                app::i18n::fill(t.refund_bad_amount(), &[("refundable", &left)]),
            )
        }
        Err(RefundError::Provider) => {
            refused(StatusCode::BAD_GATEWAY, t.refund_provider().to_owned())
        }
        Err(RefundError::Internal(error)) => internal(&error),
    }
}

/// The page that asks an admin to confirm a refund, showing the gift and the amount.
fn confirmation_page(
    form: &RefundForm,
    refundable: &refunds::Refundable,
    currency: app::money::Currency,
    locale: Locale,
    back: &str,
) -> Response {
    let t = locale.words();
    let money = |minor: i64| {
        Money::from_minor(minor, currency).map_or_else(|_| minor.to_string(), |m| m.format(locale))
    };
    let amount = money(refundable.amount_minor);
    let exact = Money::from_minor(refundable.amount_minor, currency)
        .map(Money::to_major_string)
        .unwrap_or_default();
    let heading = app::i18n::fill(
        t.refund_confirm_heading(),
        &[("number", &form.number.to_string())],
    );
    let facts = app::i18n::fill(
        t.refund_confirm_facts(),
        &[
            ("paid", &money(refundable.paid_minor)),
            ("refunded", &money(refundable.refunded_minor)),
        ],
    );
    let button = app::i18n::fill(t.refund_confirm_button(), &[("amount", &amount)]);
    let page = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"stylesheet\" href=\"{stylesheet}\"><title>{heading}</title></head>\
         <body><main><section class=\"error-page\" data-testid=\"refund-confirm\">\
         <h1>{heading}</h1><p>{facts}</p><p class=\"refund-amount\">{amount}</p>\
         <form method=\"post\" action=\"{action}\">\
         <input type=\"hidden\" name=\"slug\" value=\"{slug}\">\
         <input type=\"hidden\" name=\"number\" value=\"{number}\">\
         <input type=\"hidden\" name=\"refunded\" value=\"{refunded}\">\
         <input type=\"hidden\" name=\"amount\" value=\"{exact}\">\
         <input type=\"hidden\" name=\"confirmed\" value=\"yes\">\
         <button class=\"button\" type=\"submit\">{button}</button> \
         <a class=\"button button-quiet\" href=\"{back}\">{cancel}</a></form>\
         </section></main></body></html>",
        lang = locale.tag(),
        stylesheet = app::site::stylesheet_href(),
        heading = escape(&heading),
        facts = escape(&facts),
        amount = escape(&amount),
        action = app::staff::REFUND_PATH,
        slug = escape(&form.slug),
        number = form.number,
        refunded = form.refunded,
        exact = escape(&exact),
        button = escape(&button),
        back = escape(back),
        cancel = escape(t.refund_cancel()),
    );
    ([(header::CACHE_CONTROL, "no-store")], Html(page)).into_response()
}

/// The signed-in account and the campaign named by `slug`, if the account's role reaches
/// `needs`; else the refusal to answer with.
pub(super) async fn allowed(
    state: &AppState,
    account: Option<Extension<StaffAccount>>,
    slug: &str,
    needs: Role,
    locale: Locale,
) -> Result<(StaffAccount, Slug, CampaignId), Response> {
    let account = signed_in(account, needs)
        .map_err(|(status, error)| refusal(status, error, false, locale))?;
    let Ok(slug) = slug.parse::<Slug>() else {
        return Err(StatusCode::NOT_FOUND.into_response());
    };
    match state.live.campaign_id(&slug).await {
        Ok(Some(campaign)) => Ok((account, slug, campaign)),
        Ok(None) => Err(StatusCode::NOT_FOUND.into_response()),
        Err(error) => Err(internal(&error)),
    }
}

/// The account the gate let through, if its role reaches `needs`; else the status and error
/// to refuse with. A handler the gate does not cover finds no account, and refuses.
fn signed_in(
    account: Option<Extension<StaffAccount>>,
    needs: Role,
) -> Result<StaffAccount, (StatusCode, AppError)> {
    match account {
        Some(Extension(account)) if account.role.allows(needs) => Ok(account),
        Some(_) => Err((StatusCode::FORBIDDEN, AppError::Forbidden)),
        None => Err((StatusCode::UNAUTHORIZED, AppError::SignInRequired)),
    }
}

pub(super) fn internal(error: &anyhow::Error) -> Response {
    tracing::error!(error = format!("{error:#}"), "a staff request failed");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// Streams a campaign's donations as CSV, with donor emails only for admins (the gate has let
/// only staff this far).
async fn export(
    State(state): State<AppState>,
    StaffOf(account, slug, campaign, _, _): ViewerOf,
) -> Result<Response, Response> {
    let with_email = account.role == Role::Admin;
    tracing::info!(staff = account.id.get(), with_email, "donations exported");
    let chunks = app::staff::export::donations_csv(state.db.clone(), campaign, with_email);
    // A closed channel keeps answering `None`, so a body layer that polls again after the end
    // (compression does) is answered, not panicked at.
    let mut chunks = chunks;
    let body = Body::from_stream(futures_util::stream::poll_fn(move |cx| {
        chunks.poll_recv(cx)
    }));
    let disposition = format!("attachment; filename=\"{slug}-donations.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// What the gate needs beside the site's state.
#[derive(Clone, Debug)]
pub struct Gate {
    pub app: AppState,
    /// Whether a proxy in front says who the client is (`X-Forwarded-For`).
    pub trust_forwarded_for: bool,
}

/// Lets a staff request through only when it may go: anonymous visitors are sent to sign in
/// (pages) or answered 401 (functions); cross-site writes are refused with 403. Every other
/// request passes untouched, but for its client address: behind a trusted proxy, the one the
/// proxy names (sign-in and checkout limits count by it).
pub(super) async fn gate(State(gate): State<Gate>, mut request: Request, next: Next) -> Response {
    if gate.trust_forwarded_for {
        if let Some(address) = forwarded_for(request.headers()) {
            request.extensions_mut().insert(ClientAddress(address));
        }
    }
    let path = request.uri().path().to_owned();
    let page = path == "/staff" || path.starts_with("/staff/");
    let function = path.starts_with("/api/staff/");
    if !page && !function {
        return next.run(request).await;
    }
    let locale = Locale::from_headers(request.headers());
    if !is_safe(request.method()) && !same_origin(request.headers(), &gate.app) {
        tracing::warn!("a cross-site staff request was refused");
        let answer = refusal(StatusCode::FORBIDDEN, AppError::Forbidden, function, locale);
        return after_reading(request, answer).await;
    }
    let needs = if page {
        page_needs(&path)
    } else {
        (path != SIGN_IN_FUNCTION).then_some(Role::Viewer)
    };
    let Some(needs) = needs else {
        return next.run(request).await;
    };
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        tracing::error!("the session layer is missing");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let session = StaffSession::new(session);
    let account = match session.account(&gate.app.db).await {
        Ok(account) => account,
        Err(error) => {
            tracing::error!(
                error = format!("{error:#}"),
                "reading a staff session failed"
            );
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match account {
        None if page => {
            let back = request
                .uri()
                .path_and_query()
                .map_or("/staff", |p| p.as_str());
            Redirect::to(&format!("{SIGN_IN_PATH}?next={}", encode(back))).into_response()
        }
        None => {
            let answer = refusal(
                StatusCode::UNAUTHORIZED,
                AppError::SignInRequired,
                true,
                locale,
            );
            after_reading(request, answer).await
        }
        Some(account) if !account.role.allows(needs) => {
            let answer = refusal(StatusCode::FORBIDDEN, AppError::Forbidden, function, locale);
            after_reading(request, answer).await
        }
        Some(account) => {
            session.touch();
            // Handlers and server functions take the account from here: one read a request.
            request.extensions_mut().insert(account);
            next.run(request).await
        }
    }
}

/// The most of a refused request's body read before answering.
const READ_BEFORE_REFUSING: usize = 1024 * 1024;

/// `answer`, given once the request's body is read (up to [`READ_BEFORE_REFUSING`]): a client
/// still sending a form when the answer comes would see its connection cut instead.
async fn after_reading(request: Request, answer: Response) -> Response {
    let _ = axum::body::to_bytes(request.into_body(), READ_BEFORE_REFUSING).await;
    answer
}

/// A refusal: the error as a server function's JSON body for functions, text for pages.
fn refusal(status: StatusCode, error: AppError, json: bool, locale: Locale) -> Response {
    if json {
        let body = serde_json::to_string(&error).unwrap_or_default();
        return (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    let t = locale.words();
    let message = match error {
        AppError::SignInRequired => t.staff_sign_in_required(),
        AppError::Forbidden => t.staff_forbidden(),
        _ => t.error_text(),
    };
    refusal_page(status, message, locale, "/staff")
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a request comes from the site's own pages: its `Origin` is the site's public URL or
/// the host it was sent to; without an `Origin`, the browser's `Sec-Fetch-Site` must say so.
/// A request that tells neither is refused.
pub(super) fn same_origin(headers: &HeaderMap, app: &AppState) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match text(header::ORIGIN.as_str()) {
        Some(origin) => {
            let site = app.site.as_str();
            let site_origin = site.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
            let host = origin.split_once("://").map(|(_, host)| host);
            origin == site_origin || (host.is_some() && host == text(header::HOST.as_str()))
        }
        None => matches!(text("sec-fetch-site"), Some("same-origin" | "none")),
    }
}

/// The client's address as the nearest proxy saw it: the last entry of `X-Forwarded-For`.
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last()
        .and_then(|a| a.trim().parse().ok())
}

/// Percent-encodes a path for the `next` query value.
fn encode(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_forwarded_address_is_the_one_a_trusted_proxy_saw() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 10.0.0.7".parse().expect("header"),
        );
        assert_eq!(forwarded_for(&headers), "10.0.0.7".parse().ok());
        headers.insert("x-forwarded-for", "not an address".parse().expect("header"));
        assert_eq!(forwarded_for(&headers), None);
    }

    #[test]
    fn next_paths_are_encoded() {
        assert_eq!(
            encode("/staff/campaigns/x?a=b&c"),
            "/staff/campaigns/x%3Fa%3Db%26c"
        );
    }
}
