//! The ambassador pages' server functions.

use super::{AmbassadorDashboard, AmbassadorView, JoinView, TeamView};
use crate::error::AppError;
use crate::i18n::Locale;
use leptos::server;

/// An ambassador's public page. A visitor it brought first is counted as reached, and their
/// gifts (and their shares' gifts) are credited to the ambassador. Unknown codes, and
/// ambassadors who have not confirmed their address, are "not found".
#[server(prefix = "/api/pages", endpoint = "ambassador", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_ambassador(code: String, locale: Locale) -> Result<AmbassadorView, AppError> {
    use crate::ids::ShareCode;
    use crate::seo::PageMeta;
    use crate::state::AppState;
    let state = AppState::current()?;
    let code = ShareCode::parse(&code).ok_or(AppError::NotFound)?;
    let Found {
        ambassador,
        campaign_id,
        campaign,
        stats,
        goal,
        raised,
    } = found(
        &state,
        super::store::by_code(&state.db, &code).await?,
        locale,
    )
    .await?;
    if crate::sharing::remember_first_share(&code, &state.site) {
        super::store::record_visit(&state.db, ambassador.id).await?;
    }
    let progress = crate::campaigns::store::progress(&state.db, campaign_id, &campaign).await?;
    let artworks = crate::artworks::store::list_published(&state.db, campaign_id, locale).await?;
    let name = ambassador.display_name.clone();
    let team = ambassador.team(locale);
    let image = artworks
        .first()
        .map(|artwork| {
            crate::sharing::cards::AmbassadorCards {
                site: &state.site,
                campaign: &campaign,
                artwork,
                progress: &progress,
                locale,
                code: &code,
                name: &name,
                team: &team,
            }
            .meta_image()
        })
        .transpose()?;
    let t = locale.words();
    let meta = PageMeta {
        title: crate::i18n::fill(
            t.ambassador_title(),
            &[("name", &name), ("campaign", &campaign.title)],
        ),
        description: campaign.tagline.clone(),
        url: state.site.absolute(&super::page_path(&code)),
        locale,
        image,
    };
    Ok(AmbassadorView {
        team,
        name,
        code,
        campaign_title: campaign.title.clone(),
        campaign_slug: campaign.slug.to_string(),
        campaign_path: campaign.path(),
        progress,
        goal,
        raised,
        gifts: stats.gifts,
        meta,
    })
}

/// Team `team` of campaign `slug`: its figures and the members who show on public boards.
#[server(prefix = "/api/pages", endpoint = "team", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_team(slug: String, team: i64, locale: Locale) -> Result<TeamView, AppError> {
    use crate::seo::PageMeta;
    use crate::state::AppState;
    let state = AppState::current()?;
    let slug: crate::slug::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
    let (campaign_id, campaign) = crate::campaigns::store::find(&state.db, &slug, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    let currency = campaign.goal.currency();
    let boards = super::store::leaderboards(&state.db, campaign_id, currency, false).await?;
    let found = boards.teams.into_iter().find(|t| t.id == team);
    let team = found.ok_or(AppError::NotFound)?;
    let members = boards
        .ambassadors
        .into_iter()
        .filter(|a| a.team_id == team.id)
        .collect();
    let campaign_path = campaign.path();
    let image =
        crate::sharing::cards::campaign_image(&state, campaign_id, &campaign, locale).await?;
    let t = locale.words();
    let meta = PageMeta {
        title: crate::i18n::fill(
            t.team_title(),
            &[
                ("team", team.name.get(locale)),
                ("campaign", &campaign.title),
            ],
        ),
        description: campaign.tagline.clone(),
        url: state
            .site
            .absolute(&super::team_path(&campaign_path, team.id)),
        locale,
        image,
    };
    Ok(TeamView {
        campaign_title: campaign.title,
        campaign_path,
        team,
        members,
        meta,
    })
}

/// The join form of campaign `slug` (joining with an allowed domain) or of invitation
/// `invite`. A campaign that lets no domain join, and an invitation that is unknown, used or
/// expired, are refused.
#[server(prefix = "/api/pages", endpoint = "join", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_join(slug: String, invite: String, locale: Locale) -> Result<JoinView, AppError> {
    use super::store::{self, InviteState};
    use crate::state::AppState;
    let state = AppState::current()?;
    let now = crate::db::now_ms();
    let (campaign_id, invite) = if invite.is_empty() {
        let slug: crate::slug::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
        let id = state
            .live
            .campaign_id(&slug)
            .await?
            .ok_or(AppError::NotFound)?;
        (id, None)
    } else {
        match store::invite(&state.db, &invite, now).await? {
            Some(InviteState::Open(id)) => (id, Some(invite)),
            Some(InviteState::Used) => return Err(AppError::Gone),
            Some(InviteState::Expired) => return Err(AppError::Gone),
            None => return Err(AppError::NotFound),
        }
    };
    let (_, campaign) = crate::campaigns::store::find_by_id(&state.db, campaign_id, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    let domains = store::domains(&state.db, campaign_id).await?;
    if invite.is_none() && domains.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(JoinView {
        campaign_title: campaign.title,
        slug: campaign.slug.to_string(),
        teams: store::teams(&state.db, campaign_id, locale).await?,
        domains,
        invite,
    })
}

/// An ambassador's own dashboard, by the key only their confirmation gave them.
#[server(prefix = "/api/pages", endpoint = "ambassador-dashboard", input = leptos::server_fn::codec::GetUrl)]
pub async fn load_ambassador_dashboard(
    key: String,
    locale: Locale,
) -> Result<AmbassadorDashboard, AppError> {
    use crate::state::AppState;
    let state = AppState::current()?;
    let Found {
        ambassador,
        campaign,
        stats,
        goal,
        raised,
        ..
    } = found(
        &state,
        super::store::by_dashboard_key(&state.db, &key).await?,
        locale,
    )
    .await?;
    let code = crate::ids::ShareCode::parse(&ambassador.code).ok_or(AppError::NotFound)?;
    use crate::sharing::cards::poster_path;
    Ok(AmbassadorDashboard {
        posters: [
            (Locale::En, poster_path(&code, Locale::En)),
            (Locale::ZhCn, poster_path(&code, Locale::ZhCn)),
        ],
        name: ambassador.display_name.clone(),
        team: ambassador.team(locale),
        hidden: ambassador.hidden != 0,
        page_url: state.site.absolute(&super::page_path(&code)),
        campaign_title: campaign.title.clone(),
        campaign_path: campaign.path(),
        goal,
        raised,
        stats,
    })
}

/// An ambassador's page or dashboard: the ambassador, their campaign in the reader's language,
/// and what they brought.
#[cfg(feature = "ssr")]
struct Found {
    ambassador: super::store::Ambassador,
    campaign_id: crate::ids::CampaignId,
    campaign: crate::campaigns::Campaign,
    stats: super::AmbassadorStats,
    goal: Option<crate::money::Money>,
    raised: crate::money::Money,
}

/// `ambassador` (as looked up) with the rest of [`Found`]; "not found" when there is none.
#[cfg(feature = "ssr")]
async fn found(
    state: &crate::state::AppState,
    ambassador: Option<super::store::Ambassador>,
    locale: Locale,
) -> Result<Found, AppError> {
    let ambassador = ambassador.ok_or(AppError::NotFound)?;
    let campaign_id = crate::ids::CampaignId::new(ambassador.campaign_id);
    let (_, campaign) = crate::campaigns::store::find_by_id(&state.db, campaign_id, locale)
        .await?
        .ok_or(AppError::NotFound)?;
    let stats = super::store::stats(&state.db, &ambassador).await?;
    let (goal, raised) = ambassador.goal_and_raised(&stats, campaign.goal.currency())?;
    Ok(Found {
        ambassador,
        campaign_id,
        campaign,
        stats,
        goal,
        raised,
    })
}
