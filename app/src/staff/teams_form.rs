//! The teams page's forms as the server reads them: a new team, the domains whose addresses
//! may join, and a one-time invitation.

use super::form::{Fields, FormError, MAX_LINE};
use crate::ambassadors::store as ambassadors;
use crate::db::Db;
use crate::ids::CampaignId;

/// The most domains a campaign lets join.
const MAX_DOMAINS: usize = 20;
/// The longest an invitation may work.
const MAX_INVITE_DAYS: i64 = 90;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Adds the team the form names (`name_en`, and `name_zh` which may be empty).
pub async fn add_team(
    db: &Db,
    campaign: CampaignId,
    fields: &Fields,
    now: i64,
) -> Result<i64, TeamsError> {
    let name_en = fields.required("name_en", MAX_LINE)?;
    let name_zh = fields.text("name_zh", MAX_LINE)?;
    ambassadors::add_team(db, campaign, &name_en, &name_zh, now)
        .await?
        .ok_or(TeamsError::Form(FormError::Invalid("name_en")))
}

/// Replaces the allowed domains with those the form lists (`domains`, comma separated).
pub async fn set_domains(
    db: &Db,
    campaign: CampaignId,
    fields: &Fields,
) -> Result<Vec<String>, TeamsError> {
    let domains = parse_domains(&fields.text("domains", 2000)?)?;
    ambassadors::set_domains(db, campaign, &domains).await?;
    Ok(domains)
}

/// Domains as staff type them ("Acme.com, acme.cn"): lower case, each a host name with a dot.
fn parse_domains(text: &str) -> Result<Vec<String>, FormError> {
    let mut domains: Vec<String> = text
        .split([',', ' ', '\n'])
        .map(|d| d.trim().trim_start_matches('@').to_lowercase())
        .filter(|d| !d.is_empty())
        .collect();
    domains.sort();
    domains.dedup();
    let label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let host = |d: &str| d.len() <= 253 && d.contains('.') && d.split('.').all(label);
    if domains.len() > MAX_DOMAINS || !domains.iter().all(|d| host(d)) {
        return Err(FormError::Invalid("domains"));
    }
    Ok(domains)
}

/// Makes an invitation that works for the form's `days` (1 to 90); its token.
pub async fn create_invite(
    db: &Db,
    campaign: CampaignId,
    fields: &Fields,
    now: i64,
) -> Result<String, TeamsError> {
    let days = fields
        .required("days", 4)?
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=MAX_INVITE_DAYS).contains(d))
        .ok_or(FormError::Invalid("days"))?;
    Ok(ambassadors::create_invite(db, campaign, now + days * DAY_MS, now).await?)
}

/// Why a teams form was refused.
#[derive(Debug, thiserror::Error)]
pub enum TeamsError {
    #[error(transparent)]
    Form(#[from] FormError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_host_names_in_lower_case() {
        assert_eq!(
            parse_domains(" Acme.com, @acme.cn\nacme.com ").expect("valid"),
            ["acme.cn", "acme.com"]
        );
        assert_eq!(parse_domains("").expect("none"), Vec::<String>::new());
        for bad in [
            "acme",
            "acme..com",
            "-acme.com",
            "acme.com/x",
            "ac me.com@x",
            "a_b.com",
        ] {
            assert!(parse_domains(bad).is_err(), "{bad}");
        }
    }
}
