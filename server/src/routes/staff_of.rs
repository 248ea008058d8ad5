//! What a staff handler about one campaign starts from: the signed-in account the gate let
//! through, with a role reaching what the handler needs, the campaign its path's `{slug}` names,
//! and the staff member's language. Anything else is refused before the handler runs: 401
//! without an account, 403 for a role below the need, 404 for a campaign that does not exist.

use super::staff::allowed;
use app::i18n::Locale;
use app::ids::CampaignId;
use app::slug::Slug;
use app::staff::accounts::StaffAccount;
use app::staff::Role;
use app::state::AppState;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::marker::PhantomData;

/// The role a handler needs.
pub(super) trait Needs: Send + Sync {
    const ROLE: Role;
}

/// Admins only.
pub(super) struct Admin;

/// Anyone on staff.
pub(super) struct Viewer;

impl Needs for Admin {
    const ROLE: Role = Role::Admin;
}

impl Needs for Viewer {
    const ROLE: Role = Role::Viewer;
}

/// A staff member let in to act on one campaign: their account, the campaign's slug and id, and
/// their language (`StaffOf(account, slug, campaign, locale, _)` in a handler's arguments).
pub(super) struct StaffOf<R>(
    pub StaffAccount,
    pub Slug,
    pub CampaignId,
    pub Locale,
    pub PhantomData<R>,
);

/// An admin of the campaign the path names.
pub(super) type AdminOf = StaffOf<Admin>;

/// Anyone on staff, for the campaign the path names.
pub(super) type ViewerOf = StaffOf<Viewer>;

impl<R: Needs> FromRequestParts<AppState> for StaffOf<R> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let locale = Locale::from_headers(&parts.headers);
        let account = parts
            .extensions
            .get::<StaffAccount>()
            .cloned()
            .map(Extension);
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let Some((_, slug)) = params.iter().find(|(name, _)| *name == "slug") else {
            return Err(StatusCode::NOT_FOUND.into_response());
        };
        let (account, slug, campaign) = allowed(state, account, slug, R::ROLE, locale).await?;
        Ok(StaffOf(account, slug, campaign, locale, PhantomData))
    }
}
