//! The staff pages' server functions: signing in and out, and what each page loads or changes.

#[cfg(feature = "ssr")]
use super::SIGN_IN_PATH;
#[cfg(feature = "ssr")]
use super::{accounts, after_sign_in, campaign_form, limits, session, store, Role};
use super::{CampaignDraft, Dashboard, StaffMember};
use crate::artworks::ArtworkDraft;
use crate::artworks::StaffArtwork;
use crate::error::AppError;
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use crate::live::MessageReview;
use serde::{Deserialize, Serialize};

/// The campaign form's contents (admins): the campaign `slug` as it stands, or a fresh form.
#[leptos::server(
    prefix = "/api/staff",
    endpoint = "campaign-draft",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_campaign_draft(slug: Option<String>) -> Result<CampaignDraft, AppError> {
    let account = session::require(Role::Admin).await?;
    let state = crate::state::AppState::current()?;
    let slug = match slug.filter(|s| !s.is_empty()) {
        Some(slug) => Some(slug.parse().map_err(|_| AppError::NotFound)?),
        None => None,
    };
    let draft = campaign_form::draft(&state.db, slug.as_ref())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(CampaignDraft {
        member: Some(StaffMember {
            name: account.name,
            role: account.role,
        }),
        ..draft
    })
}

/// Signs a staff member in and sends them on to `next` (a staff page).
#[leptos::server(prefix = "/api/staff", endpoint = "sign-in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use accounts::{Password, StaffEmail};
    use limits::{Attempt, ClientAddress};
    let state = crate::state::AppState::current()?;
    let session = session::StaffSession::current().await?;
    let address = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().copied());
    // Attempts count against the address as typed, whether or not it is a valid email.
    let attempt = Attempt::new(&email, address);
    let Some(turn) = attempt.reserve(&state.db).await? else {
        return Err(AppError::TooManyAttempts);
    };
    let account = match (StaffEmail::parse(&email), Password::parse(password)) {
        (Some(email), Some(password)) => accounts::verify(&state.db, &email, password).await?,
        _ => None,
    };
    let Some(account) = account else {
        tracing::info!("a staff sign-in failed");
        return Err(AppError::SignInFailed);
    };
    attempt.succeeded(&state.db, turn).await?;
    session.sign_in(&account).await?;
    tracing::info!(staff = account.id.get(), "staff signed in");
    leptos_axum::redirect(&after_sign_in(next.as_deref()));
    Ok(())
}

/// Ends the staff session and returns to the sign-in page.
#[leptos::server(prefix = "/api/staff", endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    session::StaffSession::current().await?.sign_out().await?;
    leptos_axum::redirect(SIGN_IN_PATH);
    Ok(())
}

/// The dashboard of campaign `slug`, or of the newest campaign when none is named.
#[leptos::server(
    prefix = "/api/staff",
    endpoint = "dashboard",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_dashboard(slug: Option<String>, locale: Locale) -> Result<Dashboard, AppError> {
    let account = session::require(Role::Viewer).await?;
    let state = crate::state::AppState::current()?;
    let slug = match slug.filter(|s| !s.is_empty()) {
        Some(slug) => Some(slug.parse().map_err(|_| AppError::NotFound)?),
        None => None,
    };
    let mut board = store::dashboard(&state.db, &state.live, &account, slug.as_ref(), locale)
        .await?
        .ok_or(AppError::NotFound)?;
    board.payments = store::payments_status(&state.db, &state.provider).await?;
    if let Some(log) = crate::transparency::store::published(&state.db, &board.slug).await? {
        let campaign = crate::ids::CampaignId::new(log.campaign);
        board.royalties =
            crate::transparency::account::royalties(&state.db, campaign, log.size as i64, locale)
                .await?;
        board.checkpoint_size = log.size;
        let slug: crate::slug::Slug = board.slug.parse().map_err(|_| AppError::NotFound)?;
        if let Some((_, about)) = crate::campaigns::store::find(&state.db, &slug, locale).await? {
            board.account = Some(
                crate::transparency::account::at_checkpoint(
                    &state.db, campaign, &about, log.size, locale,
                )
                .await?,
            );
        }
    }
    Ok(board)
}

/// Approves or hides gift `number`'s message in campaign `slug` (admins). A hidden message
/// leaves every public feed at once.
#[leptos::server(prefix = "/api/staff", endpoint = "review-message")]
pub async fn review_message(slug: String, number: i64, review: String) -> Result<(), AppError> {
    session::require(Role::Admin).await?;
    let state = crate::state::AppState::current()?;
    let slug = slug.parse().map_err(|_| AppError::NotFound)?;
    let review = MessageReview::parse(&review)
        .ok_or_else(|| AppError::BadRequest("unknown review".to_owned()))?;
    let campaign = state
        .live
        .campaign_id(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !store::review_message(&state.db, campaign, number, review).await? {
        return Err(AppError::NotFound);
    }
    state
        .live
        .announce(campaign, crate::live::announce::Change::Feed)
        .await?;
    Ok(())
}

/// What the artworks page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtworksBoard {
    pub member: StaffMember,
    pub slug: String,
    pub title: String,
    pub artworks: Vec<StaffArtwork>,
    pub artists: Vec<crate::artworks::artist::StaffArtist>,
}

/// A campaign's artworks, published or not, for staff.
#[leptos::server(
    prefix = "/api/staff",
    endpoint = "artworks",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_artworks(slug: String, locale: Locale) -> Result<ArtworksBoard, AppError> {
    let account = super::session::require(Role::Viewer).await?;
    let state = crate::state::AppState::current()?;
    let slug: crate::slug::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
    let (id, campaign) = crate::campaigns::store::find(&state.db, &slug, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ArtworksBoard {
        member: StaffMember {
            name: account.name,
            role: account.role,
        },
        slug: slug.to_string(),
        title: campaign.title,
        artworks: crate::artworks::store::list_for_staff(&state.db, id, locale).await?,
        artists: crate::artworks::artists::list_for_staff(&state.db, id).await?,
    })
}

/// A campaign's spending plan, every published version, as staff see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendingBoard {
    pub member: StaffMember,
    pub slug: String,
    pub title: String,
    pub currency: crate::money::Currency,
    pub utc_offset_minutes: i16,
    pub plans: Vec<crate::spending::Plan>,
    /// Every expense, newest first.
    pub expenses: Vec<crate::spending::expense::Expense>,
    /// The campaign's artists, slug and name, whom a royalty may pay.
    pub artists: Vec<(String, String)>,
}

/// A campaign's spending plan for staff (viewers read it; admins publish from its page).
#[leptos::server(
    prefix = "/api/staff",
    endpoint = "spending",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_spending(slug: String) -> Result<SpendingBoard, AppError> {
    let account = super::session::require(Role::Viewer).await?;
    let state = crate::state::AppState::current()?;
    let slug: crate::slug::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
    let (id, campaign) = crate::campaigns::store::find(&state.db, &slug, Locale::En)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(SpendingBoard {
        member: StaffMember {
            name: account.name,
            role: account.role,
        },
        slug: slug.to_string(),
        title: campaign.title,
        currency: campaign.goal.currency(),
        utc_offset_minutes: campaign.utc_offset_minutes,
        plans: crate::spending::store::versions(&state.db, id).await?,
        expenses: crate::spending::expenses::all(&state.db, id).await?,
        artists: crate::artworks::artists::list(&state.db, id, Locale::En)
            .await?
            .into_iter()
            .map(|(_, a)| (a.slug.as_str().to_owned(), a.name))
            .collect(),
    })
}

/// A live staff page's campaign: who reads it, and the campaign as its event stream starts.
#[cfg(feature = "ssr")]
struct LivePage {
    member: StaffMember,
    state: crate::state::AppState,
    id: crate::ids::CampaignId,
    campaign: crate::campaigns::Campaign,
    progress: crate::campaigns::Progress,
    feed: Vec<crate::live::FeedGift>,
}

/// Campaign `slug` for a signed-in staff member, in `locale`.
#[cfg(feature = "ssr")]
async fn live_page(slug: &str, locale: Locale) -> Result<LivePage, AppError> {
    let account = session::require(Role::Viewer).await?;
    let state = crate::state::AppState::current()?;
    let slug: crate::slug::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
    let (id, campaign) = crate::campaigns::store::find(&state.db, &slug, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    let progress = crate::campaigns::store::progress(&state.db, id, &campaign).await?;
    let feed = state.live.snapshot(id).await?.gifts;
    Ok(LivePage {
        member: StaffMember {
            name: account.name,
            role: account.role,
        },
        state,
        id,
        campaign,
        progress,
        feed,
    })
}

/// A campaign's sharing tree as staff follow it live.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharingBoard {
    pub member: StaffMember,
    pub slug: String,
    pub title: String,
    pub utc_offset_minutes: i16,
    /// The campaign as the page's event stream starts from.
    pub progress: crate::campaigns::Progress,
    pub feed: Vec<crate::live::FeedGift>,
    pub tree: crate::sharing::TreeSummary,
}

/// Campaign `slug`'s sharing tree: chains, sharers and the K-factor by the hour.
#[leptos::server(
    prefix = "/api/staff",
    endpoint = "sharing",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_sharing(slug: String, locale: Locale) -> Result<SharingBoard, AppError> {
    let LivePage {
        member,
        state,
        id,
        campaign,
        progress,
        feed,
    } = live_page(&slug, locale).await?;
    let tree = crate::sharing::tree::summary(
        &state.db,
        id,
        progress.donors,
        campaign.goal.currency(),
        crate::dates::Timestamp::from_unix_ms(crate::db::now_ms()),
        campaign.utc_offset_minutes,
    )
    .await?;
    Ok(SharingBoard {
        member,
        slug: campaign.slug.to_string(),
        title: campaign.title,
        utc_offset_minutes: campaign.utc_offset_minutes,
        progress,
        feed,
        tree,
    })
}

/// An invitation as the teams page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteLine {
    /// The join link (absolute), to send to one employee.
    pub url: String,
    pub expires_at: crate::dates::Timestamp,
    pub used: bool,
    pub expired: bool,
}

/// An ambassador as staff see them: the address masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmbassadorLine {
    pub name: String,
    pub team: String,
    pub email: String,
    pub confirmed: bool,
    pub hidden: bool,
}

/// A campaign's teams, how employees join, and its ambassadors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamsBoard {
    pub member: StaffMember,
    pub slug: String,
    pub title: String,
    pub utc_offset_minutes: i16,
    /// The campaign as the page's event stream starts from.
    pub progress: crate::campaigns::Progress,
    pub feed: Vec<crate::live::FeedGift>,
    pub domains: Vec<String>,
    /// The join page for the allowed domains (absolute).
    pub join_url: String,
    pub invites: Vec<InviteLine>,
    /// Teams and ambassadors by what they raised, hidden ambassadors included.
    pub boards: crate::ambassadors::Leaderboards,
    pub ambassadors: Vec<AmbassadorLine>,
}

/// Campaign `slug`'s teams page.
#[leptos::server(
    prefix = "/api/staff",
    endpoint = "teams",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_teams(slug: String, locale: Locale) -> Result<TeamsBoard, AppError> {
    use crate::ambassadors::store as ambassadors;
    let LivePage {
        member,
        state,
        id,
        campaign,
        progress,
        feed,
    } = live_page(&slug, locale).await?;
    let now = crate::db::now_ms();
    // Open invitations let anyone join, and the list of people holds their (masked)
    // addresses: both are for admins, as the outbox is.
    let admin = member.role == Role::Admin;
    let invites = if admin {
        ambassadors::invites(&state.db, id).await?
    } else {
        Vec::new()
    };
    let invites = invites
        .into_iter()
        .map(|i| InviteLine {
            url: state.site.absolute(&format!("/join/{}", i.token)),
            expires_at: crate::dates::Timestamp::from_unix_ms(i.expires_at),
            used: i.used_at.is_some(),
            expired: i.expires_at <= now,
        })
        .collect();
    let people = if admin {
        ambassadors::for_staff(&state.db, id, locale).await?
    } else {
        Vec::new()
    };
    let people = people
        .into_iter()
        .map(|a| AmbassadorLine {
            name: a.name,
            team: a.team,
            email: a.email,
            confirmed: a.confirmed,
            hidden: a.hidden,
        })
        .collect();
    let slug = campaign.slug.to_string();
    Ok(TeamsBoard {
        member,
        progress,
        feed,
        domains: ambassadors::domains(&state.db, id).await?,
        join_url: state.site.absolute(&format!("/campaigns/{slug}/join")),
        invites,
        boards: ambassadors::leaderboards(&state.db, id, campaign.goal.currency(), true).await?,
        ambassadors: people,
        slug,
        title: campaign.title,
        utc_offset_minutes: campaign.utc_offset_minutes,
    })
}

/// Publishes or unpublishes an artwork (admins). Publishing needs a consent record.
#[leptos::server(prefix = "/api/staff", endpoint = "publish-artwork")]
pub async fn publish_artwork(slug: String, artwork: String, publish: bool) -> Result<(), AppError> {
    use crate::artworks::store::Publishing;
    super::session::require(Role::Admin).await?;
    let state = crate::state::AppState::current()?;
    let (campaign, artwork) = campaign_and_artwork(&state, &slug, &artwork).await?;
    match crate::artworks::store::set_published(&state.db, campaign, &artwork, publish).await? {
        Publishing::Done => Ok(()),
        Publishing::NotFound => Err(AppError::NotFound),
        Publishing::NoConsent => Err(AppError::BadRequest(
            "an artwork needs a consent record before it is published".to_owned(),
        )),
    }
}

/// Moves an artwork in the gallery (admins): one place `earlier` or later, or to place `to`
/// (counted from 1) when given.
#[leptos::server(prefix = "/api/staff", endpoint = "move-artwork")]
pub async fn move_artwork(
    slug: String,
    artwork: String,
    earlier: bool,
    to: Option<usize>,
) -> Result<(), AppError> {
    use crate::artworks::store::Move;
    super::session::require(Role::Admin).await?;
    let state = crate::state::AppState::current()?;
    let (campaign, artwork) = campaign_and_artwork(&state, &slug, &artwork).await?;
    let to = match (to, earlier) {
        (Some(place), _) => Move::To(place),
        (None, true) => Move::Earlier,
        (None, false) => Move::Later,
    };
    if crate::artworks::store::move_artwork(&state.db, campaign, &artwork, to).await? {
        Ok(())
    } else {
        Err(AppError::BadRequest(
            "that artwork cannot move that way".to_owned(),
        ))
    }
}

#[cfg(feature = "ssr")]
async fn campaign_and_artwork(
    state: &crate::state::AppState,
    slug: &str,
    artwork: &str,
) -> Result<(crate::ids::CampaignId, crate::slug::Slug), AppError> {
    let slug = slug.parse().map_err(|_| AppError::NotFound)?;
    let artwork = artwork.parse().map_err(|_| AppError::NotFound)?;
    let campaign = state
        .live
        .campaign_id(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((campaign, artwork))
}

/// An artwork's edit form (admins), as it stands.
#[leptos::server(
    prefix = "/api/staff",
    endpoint = "artwork-draft",
    input = leptos::server_fn::codec::GetUrl
)]
pub async fn load_artwork_draft(slug: String, artwork: String) -> Result<ArtworkDraft, AppError> {
    super::session::require(Role::Admin).await?;
    let state = crate::state::AppState::current()?;
    let (campaign, artwork) = campaign_and_artwork(&state, &slug, &artwork).await?;
    crate::artworks::store::draft(&state.db, campaign, &artwork)
        .await?
        .ok_or(AppError::NotFound)
}
