//! Teams, invitations, ambassadors and what they brought, as the database keeps them.

use super::join::{JoinError, NewAmbassador};
use super::{AmbassadorRank, AmbassadorStats, Leaderboards, Team, TeamRank, CONFIRM_HOURS};
use crate::db::Db;
use crate::email::store::address_key;
use crate::i18n::Locale;
use crate::ids::{random_hex, CampaignId, ShareCode};
use crate::live::Titles;
use crate::money::{Currency, Money};
use anyhow::Context;
use sqlx::FromRow;

const HOUR_MS: i64 = 60 * 60 * 1000;
/// A new confirmation email goes to an address at most this often.
const RESEND_AFTER_MS: i64 = 10 * 60 * 1000;
/// How long after its link expired a sign-up never confirmed is kept.
const FORGET_AFTER_MS: i64 = 7 * 24 * HOUR_MS;
/// The most sign-ups a campaign keeps waiting for confirmation at once: what an anonymous
/// client can make it store and send is bounded.
pub const MAX_PENDING: i64 = 200;

/// Adds a team; `None` when the campaign has one of that name or has [`super::MAX_TEAMS`].
pub async fn add_team(
    db: &Db,
    campaign: CampaignId,
    name_en: &str,
    name_zh: &str,
    now: i64,
) -> anyhow::Result<Option<i64>> {
    let mut w = db.begin_write().await?;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM teams WHERE campaign_id = $1")
        .bind(campaign.get())
        .fetch_one(&mut *w.tx)
        .await
        .context("counting teams")?;
    if usize::try_from(count)? >= super::MAX_TEAMS {
        return Ok(None);
    }
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO teams (campaign_id, name_en, name_zh, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (campaign_id, name_en) DO NOTHING RETURNING id",
    )
    .bind(campaign.get())
    .bind(name_en)
    .bind(name_zh)
    .bind(now)
    .fetch_optional(&mut *w.tx)
    .await
    .context("adding a team")?;
    w.commit().await?;
    Ok(id.map(|(id,)| id))
}

/// A campaign's teams in `locale`, in the order they were made.
pub async fn teams(db: &Db, campaign: CampaignId, locale: Locale) -> anyhow::Result<Vec<Team>> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name_en, name_zh FROM teams WHERE campaign_id = $1 ORDER BY id")
            .bind(campaign.get())
            .fetch_all(db.pool())
            .await
            .context("listing teams")?;
    Ok(rows
        .into_iter()
        .map(|(id, en, zh)| Team {
            id,
            name: team_name(en, zh, locale),
        })
        .collect())
}

fn team_name(en: String, zh: String, locale: Locale) -> String {
    team_titles(en, zh).get(locale).to_owned()
}

/// A team's name in both languages; the English one where it has no Chinese one.
fn team_titles(en: String, zh: String) -> Titles {
    let zh_cn = if zh.is_empty() { en.clone() } else { zh };
    Titles { en, zh_cn }
}

/// Replaces the domains whose addresses may join without an invitation.
pub async fn set_domains(db: &Db, campaign: CampaignId, domains: &[String]) -> anyhow::Result<()> {
    let mut w = db.begin_write().await?;
    sqlx::query("DELETE FROM ambassador_domains WHERE campaign_id = $1")
        .bind(campaign.get())
        .execute(&mut *w.tx)
        .await
        .context("clearing domains")?;
    for domain in domains {
        sqlx::query(
            "INSERT INTO ambassador_domains (campaign_id, domain) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(campaign.get())
        .bind(domain)
        .execute(&mut *w.tx)
        .await
        .context("allowing a domain")?;
    }
    w.commit().await
}

/// The domains whose addresses may join, alphabetically.
pub async fn domains(db: &Db, campaign: CampaignId) -> anyhow::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT domain FROM ambassador_domains WHERE campaign_id = $1 ORDER BY domain",
    )
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("listing domains")?;
    Ok(rows.into_iter().map(|(d,)| d).collect())
}

/// Makes a one-time invitation that works until `expires_at`; its token.
pub async fn create_invite(
    db: &Db,
    campaign: CampaignId,
    expires_at: i64,
    now: i64,
) -> anyhow::Result<String> {
    let token = random_hex::<16>()?;
    let mut w = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO ambassador_invites (campaign_id, token, expires_at, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(campaign.get())
    .bind(&token)
    .bind(expires_at)
    .bind(now)
    .execute(&mut *w.tx)
    .await
    .context("making an invitation")?;
    w.commit().await?;
    Ok(token)
}

/// An invitation as staff see it.
#[derive(Clone, Debug, FromRow)]
pub struct InviteRow {
    pub token: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// A campaign's latest invitations, newest first.
pub async fn invites(db: &Db, campaign: CampaignId) -> anyhow::Result<Vec<InviteRow>> {
    sqlx::query_as(
        "SELECT token, expires_at, used_at FROM ambassador_invites WHERE campaign_id = $1 \
         ORDER BY id DESC LIMIT 50",
    )
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("listing invitations")
}

/// Whether an invitation can still be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteState {
    Open(CampaignId),
    Used,
    Expired,
}

/// The state of invitation `token`, `None` when there is no such invitation.
pub async fn invite(db: &Db, token: &str, now: i64) -> anyhow::Result<Option<InviteState>> {
    let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT campaign_id, expires_at, used_at FROM ambassador_invites WHERE token = $1",
    )
    .bind(token)
    .fetch_optional(db.pool())
    .await
    .context("reading an invitation")?;
    Ok(row.map(|(campaign, expires_at, used_at)| invite_state(campaign, expires_at, used_at, now)))
}

fn invite_state(campaign: i64, expires_at: i64, used_at: Option<i64>, now: i64) -> InviteState {
    if used_at.is_some() {
        InviteState::Used
    } else if expires_at <= now {
        InviteState::Expired
    } else {
        InviteState::Open(CampaignId::new(campaign))
    }
}

/// What joining did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joined {
    /// A confirmation email was queued.
    Queued,
    /// One was sent to this address moments ago: nothing new was sent.
    AlreadySent,
}

/// Adds (or, while unconfirmed, replaces) the ambassador `new` describes and queues the email
/// that confirms their address, in one transaction; an invitation is used up by it.
pub async fn join(
    db: &Db,
    campaign: CampaignId,
    new: &NewAmbassador,
    now: i64,
) -> Result<Joined, JoinError> {
    let mut w = db.begin_write().await?;
    let invite_id = match &new.invite {
        Some(token) => {
            let row: Option<(i64, i64, i64, Option<i64>)> = sqlx::query_as(
                "SELECT id, campaign_id, expires_at, used_at FROM ambassador_invites \
                 WHERE token = $1 AND campaign_id = $2",
            )
            .bind(token)
            .bind(campaign.get())
            .fetch_optional(&mut *w.tx)
            .await
            .context("reading an invitation")?;
            let (id, campaign_id, expires_at, used_at) = row.ok_or(JoinError::InviteUnknown)?;
            match invite_state(campaign_id, expires_at, used_at, now) {
                InviteState::Used => return Err(JoinError::InviteUsed),
                InviteState::Expired => return Err(JoinError::InviteExpired),
                InviteState::Open(_) => Some(id),
            }
        }
        None => {
            let allowed: Option<(i64,)> = sqlx::query_as(
                "SELECT 1 FROM ambassador_domains WHERE campaign_id = $1 AND domain = $2",
            )
            .bind(campaign.get())
            .bind(new.domain())
            .fetch_optional(&mut *w.tx)
            .await
            .context("checking a domain")?;
            if allowed.is_none() {
                return Err(JoinError::DomainNotAllowed);
            }
            None
        }
    };
    let team: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM teams WHERE id = $1 AND campaign_id = $2")
            .bind(new.team)
            .bind(campaign.get())
            .fetch_optional(&mut *w.tx)
            .await
            .context("reading a team")?;
    if team.is_none() {
        return Err(JoinError::NoSuchTeam);
    }
    // Sign-ups never confirmed are forgotten a week after their link expired (until then, the
    // link says "expired" rather than "unknown"). No gift can name them: only confirmed
    // ambassadors are credited.
    sqlx::query(
        "DELETE FROM ambassadors WHERE campaign_id = $1 AND confirmed_at IS NULL \
         AND confirm_expires_at <= $2",
    )
    .bind(campaign.get())
    .bind(now - FORGET_AFTER_MS)
    .execute(&mut *w.tx)
    .await
    .context("forgetting expired sign-ups")?;
    let key = address_key(&new.email);
    let existing: Option<(i64, Option<i64>, i64, String, String)> = sqlx::query_as(
        "SELECT id, confirmed_at, confirm_expires_at, email, locale FROM ambassadors \
         WHERE campaign_id = $1 AND address_key = $2",
    )
    .bind(campaign.get())
    .bind(&key)
    .fetch_optional(&mut *w.tx)
    .await
    .context("reading an ambassador")?;
    let token = random_hex::<16>()?;
    let expires = now + CONFIRM_HOURS * HOUR_MS;
    // Whoever asks, known or not: the answer must not tell which addresses joined.
    let (pending,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM ambassadors WHERE campaign_id = $1 AND confirmed_at IS NULL \
         AND confirm_expires_at > $2",
    )
    .bind(campaign.get())
    .bind(now)
    .fetch_one(&mut *w.tx)
    .await
    .context("counting waiting sign-ups")?;
    if pending >= MAX_PENDING {
        return Err(JoinError::Busy);
    }
    let id = match existing {
        // Already an ambassador: the answer is the same as for a new address (it must not tell
        // a stranger who joined), and the address is sent its dashboard's link instead: the
        // address they confirmed, not the one typed (which may differ in case).
        Some((id, Some(_), _, email, locale)) => {
            let queued = remind(&mut w, campaign, id, (&email, &locale), now).await?;
            w.commit().await?;
            return Ok(queued);
        }
        Some((_, None, expires_at, ..))
            if expires_at - CONFIRM_HOURS * HOUR_MS + RESEND_AFTER_MS > now =>
        {
            return Ok(Joined::AlreadySent);
        }
        Some((id, None, ..)) => {
            let renewed = sqlx::query(
                "UPDATE ambassadors SET team_id = $2, display_name = $3, email = $4, \
                 locale = $5, goal_minor = $6, hidden = $7, confirm_token = $8, \
                 confirm_expires_at = $9, invite_id = COALESCE($10, invite_id) \
                 WHERE id = $1 AND confirmed_at IS NULL",
            )
            .bind(id)
            .bind(new.team)
            .bind(&new.name)
            .bind(&new.email)
            .bind(new.locale.tag())
            .bind(new.goal_minor)
            .bind(i64::from(new.hidden))
            .bind(&token)
            .bind(expires)
            .bind(invite_id)
            .execute(&mut *w.tx)
            .await
            .context("renewing an ambassador's sign-up")?;
            // Confirmed meanwhile, by another request: nothing more to send.
            if renewed.rows_affected() != 1 {
                return Ok(Joined::AlreadySent);
            }
            id
        }
        None => {
            let added: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO ambassadors (campaign_id, team_id, code, display_name, email, \
                 address_key, locale, goal_minor, hidden, confirm_token, confirm_expires_at, \
                 dashboard_key, invite_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                 ON CONFLICT (campaign_id, address_key) DO NOTHING RETURNING id",
            )
            .bind(campaign.get())
            .bind(new.team)
            .bind(ShareCode::generate()?.as_str())
            .bind(&new.name)
            .bind(&new.email)
            .bind(&key)
            .bind(new.locale.tag())
            .bind(new.goal_minor)
            .bind(i64::from(new.hidden))
            .bind(&token)
            .bind(expires)
            .bind(random_hex::<16>()?)
            .bind(invite_id)
            .bind(now)
            .fetch_optional(&mut *w.tx)
            .await
            .context("adding an ambassador")?;
            // The same address signed up at this moment through another request (another
            // instance): its email is on the way.
            let Some((id,)) = added else {
                return Ok(Joined::AlreadySent);
            };
            id
        }
    };
    if let Some(invite) = invite_id {
        // Two people joining with one invitation at once: only one of them uses it.
        let used = sqlx::query(
            "UPDATE ambassador_invites SET used_at = $2 WHERE id = $1 AND used_at IS NULL",
        )
        .bind(invite)
        .bind(now)
        .execute(&mut *w.tx)
        .await
        .context("using an invitation")?;
        if used.rows_affected() != 1 {
            return Err(JoinError::InviteUsed);
        }
    }
    queue(
        &mut w,
        campaign,
        (format!("ambassador:{token}"), id.to_string()),
        (&new.email, new.locale.tag()),
        now,
    )
    .await?;
    w.commit().await?;
    Ok(Joined::Queued)
}

/// Queues, at most once per [`RESEND_AFTER_MS`], the email that gives a confirmed ambassador
/// the link to their dashboard again, at their `(address, language)`: what a repeated sign-up
/// gets.
async fn remind(
    w: &mut crate::db::WriteTransaction,
    campaign: CampaignId,
    id: i64,
    to: (&str, &str),
    now: i64,
) -> Result<Joined, JoinError> {
    let cause = format!("ambassador-dashboard:{id}:{}", now / RESEND_AFTER_MS);
    let queued = queue(w, campaign, (cause, super::dashboard_about(id)), to, now).await?;
    Ok(if queued {
        Joined::Queued
    } else {
        Joined::AlreadySent
    })
}

/// Queues an email to `(address, language tag)` for `(cause, about)` (see the outbox in
/// docs/EMAIL.md); `false` when one was queued for that cause already.
async fn queue(
    w: &mut crate::db::WriteTransaction,
    campaign: CampaignId,
    (cause, about): (String, String),
    (email, locale): (&str, &str),
    now: i64,
) -> anyhow::Result<bool> {
    let queued = sqlx::query(
        "INSERT INTO outbox (campaign_id, kind, cause, about, recipient, locale, token, \
         next_attempt_at, created_at) VALUES ($1, 'ambassador', $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (cause) DO NOTHING",
    )
    .bind(campaign.get())
    .bind(cause)
    .bind(about)
    .bind(email)
    .bind(locale)
    .bind(random_hex::<16>()?)
    .bind(now)
    .execute(&mut *w.tx)
    .await
    .context("queueing an ambassador's email")?;
    Ok(queued.rows_affected() == 1)
}

/// Adds an ambassador whose address counts as confirmed, for the demo campaign (its people
/// have no inbox).
pub async fn add_confirmed(
    db: &Db,
    campaign: CampaignId,
    new: &NewAmbassador,
    now: i64,
) -> anyhow::Result<()> {
    let mut w = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO ambassadors (campaign_id, team_id, code, display_name, email, address_key, \
         locale, goal_minor, hidden, confirm_expires_at, confirmed_at, dashboard_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $10)",
    )
    .bind(campaign.get())
    .bind(new.team)
    .bind(ShareCode::generate()?.as_str())
    .bind(&new.name)
    .bind(&new.email)
    .bind(address_key(&new.email))
    .bind(new.locale.tag())
    .bind(new.goal_minor)
    .bind(i64::from(new.hidden))
    .bind(now)
    .bind(random_hex::<16>()?)
    .execute(&mut *w.tx)
    .await
    .context("adding a demo ambassador")?;
    w.commit().await
}

/// What a confirmation link did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirmed {
    /// The address is confirmed: the ambassador's dashboard key, and the campaign whose
    /// boards now show them.
    Done {
        key: String,
        campaign: CampaignId,
    },
    Expired,
    Unknown,
}

/// Confirms the address whose link carries `token`, once.
pub async fn confirm(db: &Db, token: &str, now: i64) -> anyhow::Result<Confirmed> {
    let mut w = db.begin_write().await?;
    let row: Option<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT id, confirm_expires_at, dashboard_key, campaign_id FROM ambassadors \
         WHERE confirm_token = $1",
    )
    .bind(token)
    .fetch_optional(&mut *w.tx)
    .await
    .context("reading a confirmation")?;
    let Some((id, expires_at, key, campaign)) = row else {
        return Ok(Confirmed::Unknown);
    };
    if expires_at <= now {
        return Ok(Confirmed::Expired);
    }
    let done = sqlx::query(
        "UPDATE ambassadors SET confirmed_at = $2, confirm_token = NULL \
         WHERE id = $1 AND confirm_token = $3",
    )
    .bind(id)
    .bind(now)
    .bind(token)
    .execute(&mut *w.tx)
    .await
    .context("confirming an ambassador")?;
    // Used or renewed by another request meanwhile.
    if done.rows_affected() != 1 {
        return Ok(Confirmed::Unknown);
    }
    w.commit().await?;
    Ok(Confirmed::Done {
        key,
        campaign: CampaignId::new(campaign),
    })
}

/// Where a confirmation link stands before it is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// It works: the campaign it joins.
    Open(CampaignId),
    Expired,
    Unknown,
}

/// Whether `token` is a confirmation link that still works.
pub async fn confirmation_link(db: &Db, token: &str, now: i64) -> anyhow::Result<LinkState> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT campaign_id, confirm_expires_at FROM ambassadors WHERE confirm_token = $1",
    )
    .bind(token)
    .fetch_optional(db.pool())
    .await
    .context("reading a confirmation")?;
    Ok(match row {
        None => LinkState::Unknown,
        Some((_, expires_at)) if expires_at <= now => LinkState::Expired,
        Some((campaign, _)) => LinkState::Open(CampaignId::new(campaign)),
    })
}

/// An ambassador as their pages and emails show them.
#[derive(Clone, Debug, FromRow)]
pub struct Ambassador {
    pub id: i64,
    pub campaign_id: i64,
    pub code: String,
    pub display_name: String,
    pub email: String,
    pub locale: String,
    pub goal_minor: Option<i64>,
    pub hidden: i64,
    pub confirm_token: Option<String>,
    pub confirmed_at: Option<i64>,
    pub dashboard_key: String,
    pub visits: i64,
    pub team_en: String,
    pub team_zh: String,
}

impl Ambassador {
    /// Their team's name in `locale`.
    pub fn team(&self, locale: Locale) -> String {
        team_name(self.team_en.clone(), self.team_zh.clone(), locale)
    }

    /// Their goal, if they set one, and what `stats` says they raised, in `currency`.
    pub fn goal_and_raised(
        &self,
        stats: &AmbassadorStats,
        currency: Currency,
    ) -> anyhow::Result<(Option<Money>, Money)> {
        let goal = self
            .goal_minor
            .map(|g| Money::from_minor(g, currency))
            .transpose()?;
        Ok((goal, Money::from_minor(stats.raised_minor, currency)?))
    }
}

const SELECT_AMBASSADOR: &str = "SELECT a.id, a.campaign_id, a.code, a.display_name, a.email, \
     a.locale, a.goal_minor, a.hidden, a.confirm_token, a.confirmed_at, a.dashboard_key, \
     a.visits, t.name_en AS team_en, t.name_zh AS team_zh \
     FROM ambassadors a JOIN teams t ON t.id = a.team_id";

/// The confirmed ambassador whose page is `/a/{code}`.
pub async fn by_code(db: &Db, code: &ShareCode) -> anyhow::Result<Option<Ambassador>> {
    sqlx::query_as(&format!(
        "{SELECT_AMBASSADOR} WHERE a.code = $1 AND a.confirmed_at IS NOT NULL"
    ))
    .bind(code.as_str())
    .fetch_optional(db.pool())
    .await
    .context("reading an ambassador")
}

/// The confirmed ambassador whose dashboard key is `key`.
pub async fn by_dashboard_key(db: &Db, key: &str) -> anyhow::Result<Option<Ambassador>> {
    sqlx::query_as(&format!(
        "{SELECT_AMBASSADOR} WHERE a.dashboard_key = $1 AND a.confirmed_at IS NOT NULL"
    ))
    .bind(key)
    .fetch_optional(db.pool())
    .await
    .context("reading an ambassador")
}

/// The ambassador an outbox email is `about` (their id), whatever their state.
pub async fn by_id(db: &Db, id: i64) -> anyhow::Result<Option<Ambassador>> {
    sqlx::query_as(&format!("{SELECT_AMBASSADOR} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .context("reading an ambassador")
}

/// Counts a visitor their page brought first.
pub async fn record_visit(db: &Db, id: i64) -> anyhow::Result<()> {
    let mut w = db.begin_write().await?;
    sqlx::query("UPDATE ambassadors SET visits = visits + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *w.tx)
        .await
        .context("counting a visit")?;
    w.commit().await
}

/// What an ambassador's page and the shares that started from it brought.
pub async fn stats(db: &Db, ambassador: &Ambassador) -> anyhow::Result<AmbassadorStats> {
    let (gifts, raised, through): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(paid_minor - refunded_minor), 0) AS BIGINT), \
         COUNT(referred_by) FROM donations WHERE ambassador_id = $1 AND status = 'paid'",
    )
    .bind(ambassador.id)
    .fetch_one(db.pool())
    .await
    .context("counting an ambassador's gifts")?;
    Ok(AmbassadorStats {
        reached: u64::try_from(ambassador.visits)?,
        gifts: u64::try_from(gifts)?,
        raised_minor: raised,
        through_shares: u64::try_from(through)?,
    })
}

#[derive(FromRow)]
struct RankRow {
    team_id: i64,
    display_name: String,
    code: String,
    hidden: i64,
    goal_minor: Option<i64>,
    visits: i64,
    gifts: i64,
    raised: i64,
}

/// A campaign's teams and confirmed ambassadors ranked by what they raised, names in both
/// languages; hidden ambassadors only when `with_hidden` (staff), and never named otherwise.
/// Teams count what all their members brought, hidden ones included.
pub async fn leaderboards(
    db: &Db,
    campaign: CampaignId,
    currency: Currency,
    with_hidden: bool,
) -> anyhow::Result<Leaderboards> {
    let teams: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name_en, name_zh FROM teams WHERE campaign_id = $1 ORDER BY id")
            .bind(campaign.get())
            .fetch_all(db.pool())
            .await
            .context("listing teams")?;
    if teams.is_empty() {
        return Ok(Leaderboards::default());
    }
    let rows: Vec<RankRow> = sqlx::query_as(
        "SELECT a.team_id, a.display_name, a.code, a.hidden, a.goal_minor, a.visits, \
         COUNT(d.id) AS gifts, CAST(COALESCE(SUM(d.paid_minor - d.refunded_minor), 0) AS BIGINT) AS raised \
         FROM ambassadors a LEFT JOIN donations d ON d.ambassador_id = a.id AND d.status = 'paid' \
         WHERE a.campaign_id = $1 AND a.confirmed_at IS NOT NULL \
         GROUP BY a.id, a.team_id, a.display_name, a.code, a.hidden, a.goal_minor, a.visits",
    )
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("ranking ambassadors")?;
    let mut board = Leaderboards::default();
    for (id, en, zh) in teams {
        let name = team_titles(en, zh);
        let members: Vec<&RankRow> = rows.iter().filter(|r| r.team_id == id).collect();
        let raised: i64 = members.iter().map(|r| r.raised).sum();
        board.teams.push(TeamRank {
            id,
            name: name.clone(),
            ambassadors: u64::try_from(members.len())?,
            gifts: u64::try_from(members.iter().map(|r| r.gifts).sum::<i64>())?,
            raised: Money::from_minor(raised, currency)?,
            reached: u64::try_from(members.iter().map(|r| r.visits).sum::<i64>())?,
        });
        for r in members {
            if r.hidden != 0 && !with_hidden {
                continue;
            }
            board.ambassadors.push(AmbassadorRank {
                name: r.display_name.clone(),
                code: ShareCode::parse(&r.code).context("a stored code is malformed")?,
                team_id: id,
                team: name.clone(),
                gifts: u64::try_from(r.gifts)?,
                raised: Money::from_minor(r.raised, currency)?,
                goal: r
                    .goal_minor
                    .map(|g| Money::from_minor(g, currency))
                    .transpose()?,
                reached: u64::try_from(r.visits)?,
                hidden: r.hidden != 0,
            });
        }
    }
    // Ties are broken by name, then by what never changes, so a board read twice is the same.
    board.teams.sort_by(|a, b| {
        (b.raised.minor(), b.gifts)
            .cmp(&(a.raised.minor(), a.gifts))
            .then_with(|| a.name.en.cmp(&b.name.en))
            .then(a.id.cmp(&b.id))
    });
    board.ambassadors.sort_by(|a, b| {
        (b.raised.minor(), b.gifts)
            .cmp(&(a.raised.minor(), a.gifts))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.code.as_str().cmp(b.code.as_str()))
    });
    Ok(board)
}

/// The leaderboards the public sees: no hidden ambassador, and only the first
/// [`super::PUBLIC_AMBASSADORS`] ambassadors.
pub async fn public_boards(
    db: &Db,
    campaign: CampaignId,
    currency: Currency,
) -> anyhow::Result<Leaderboards> {
    let mut boards = leaderboards(db, campaign, currency, false).await?;
    boards.ambassadors.truncate(super::PUBLIC_AMBASSADORS);
    Ok(boards)
}

/// An ambassador as staff see them: the address masked.
#[derive(Clone, Debug)]
pub struct StaffAmbassador {
    pub name: String,
    pub team: String,
    pub email: String,
    pub confirmed: bool,
    pub hidden: bool,
}

/// Every ambassador of a campaign, confirmed or not, newest first.
pub async fn for_staff(
    db: &Db,
    campaign: CampaignId,
    locale: Locale,
) -> anyhow::Result<Vec<StaffAmbassador>> {
    let rows: Vec<Ambassador> = sqlx::query_as(&format!(
        "{SELECT_AMBASSADOR} WHERE a.campaign_id = $1 ORDER BY a.id DESC LIMIT 500"
    ))
    .bind(campaign.get())
    .fetch_all(db.pool())
    .await
    .context("listing ambassadors")?;
    Ok(rows
        .into_iter()
        .map(|a| StaffAmbassador {
            team: a.team(locale),
            name: a.display_name,
            email: crate::email::masked(&a.email),
            confirmed: a.confirmed_at.is_some(),
            hidden: a.hidden != 0,
        })
        .collect())
}
