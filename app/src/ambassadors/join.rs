//! The join form as the server reads it, and why a sign-up is refused: nothing is stored then.

use super::MAX_NAME;
use crate::i18n::Locale;
use crate::money::{Currency, Money};
use http::StatusCode;
use serde::Deserialize;

/// The join form's fields as posted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub team: String,
    /// In the currency's major units; empty for no goal.
    #[serde(default)]
    pub goal: String,
    /// A ticked checkbox: "on".
    #[serde(default)]
    pub hidden: Option<String>,
    #[serde(default)]
    pub invite: Option<String>,
}

/// A sign-up that passed the form's checks.
#[derive(Clone, PartialEq, Eq)]
pub struct NewAmbassador {
    /// Trimmed, as typed (mail servers may care about the local part's case).
    pub email: String,
    pub name: String,
    pub team: i64,
    pub goal_minor: Option<i64>,
    pub hidden: bool,
    pub locale: Locale,
    pub invite: Option<String>,
}

/// Never printed with the address.
impl std::fmt::Debug for NewAmbassador {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAmbassador")
            .field("team", &self.team)
            .finish_non_exhaustive()
    }
}

impl NewAmbassador {
    /// The address's domain, lower case.
    pub fn domain(&self) -> String {
        self.email
            .rsplit_once('@')
            .map(|(_, d)| d.to_lowercase())
            .unwrap_or_default()
    }
}

/// The largest goal an ambassador may set, in major units.
const MAX_GOAL: i64 = 100_000_000;

/// Reads the form for a campaign in `currency`, for a reader of `locale`.
pub fn check(
    form: &JoinForm,
    currency: Currency,
    locale: Locale,
) -> Result<NewAmbassador, JoinError> {
    let email = form.email.trim();
    let plain = |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    let valid = email
        .split_once('@')
        .is_some_and(|(user, domain)| plain(user) && plain(domain) && domain.contains('.'))
        && email.matches('@').count() == 1
        && email.len() <= 254;
    if !valid {
        return Err(JoinError::Email);
    }
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(JoinError::Name);
    }
    let team = form
        .team
        .trim()
        .parse::<i64>()
        .map_err(|_| JoinError::NoSuchTeam)?;
    let goal = form.goal.trim();
    let goal_minor = if goal.is_empty() {
        None
    } else {
        let most = MAX_GOAL.saturating_mul(10_i64.pow(currency.exponent()));
        let amount = Money::parse_amount(goal, currency).map_err(|_| JoinError::Goal)?;
        if !(1..=most).contains(&amount.minor()) {
            return Err(JoinError::Goal);
        }
        Some(amount.minor())
    };
    let invite = form
        .invite
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            (t.len() == 32 && t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
                .then(|| t.to_owned())
                .ok_or(JoinError::InviteUnknown)
        })
        .transpose()?;
    Ok(NewAmbassador {
        email: email.to_owned(),
        name: name.to_owned(),
        team,
        goal_minor,
        hidden: form
            .hidden
            .as_deref()
            .is_some_and(|h| h == "on" || h == "true"),
        locale,
        invite,
    })
}

/// Why a sign-up was refused.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    #[error("the address is not valid")]
    Email,
    #[error("the name is empty or too long")]
    Name,
    #[error("the goal is out of range")]
    Goal,
    #[error("no such team")]
    NoSuchTeam,
    #[error("the address's domain may not join without an invitation")]
    DomainNotAllowed,
    #[error("no such invitation")]
    InviteUnknown,
    #[error("the invitation was used")]
    InviteUsed,
    #[error("the invitation expired")]
    InviteExpired,
    #[error("too many sign-ups are waiting for confirmation")]
    Busy,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl JoinError {
    /// The refusal's HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            JoinError::Email | JoinError::Name | JoinError::Goal | JoinError::NoSuchTeam => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            JoinError::DomainNotAllowed => StatusCode::FORBIDDEN,
            JoinError::InviteUnknown => StatusCode::NOT_FOUND,
            JoinError::InviteUsed => StatusCode::CONFLICT,
            JoinError::InviteExpired => StatusCode::GONE,
            JoinError::Busy => StatusCode::TOO_MANY_REQUESTS,
            JoinError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the employee is told, in their language.
    pub fn message(&self, locale: Locale) -> &'static str {
        let t = locale.words();
        match self {
            JoinError::Email => t.join_bad_email(),
            JoinError::Name => t.join_bad_name(),
            JoinError::Goal => t.join_bad_goal(),
            JoinError::NoSuchTeam => t.join_bad_team(),
            JoinError::DomainNotAllowed => t.join_domain_refused(),
            JoinError::InviteUnknown => t.join_invite_unknown(),
            JoinError::InviteUsed => t.join_invite_used(),
            JoinError::InviteExpired => t.join_invite_expired(),
            JoinError::Busy => t.join_busy(),
            JoinError::Internal(_) => t.error_heading(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(email: &str, goal: &str) -> JoinForm {
        JoinForm {
            email: email.into(),
            name: "Mei".into(),
            team: "3".into(),
            goal: goal.into(),
            hidden: Some("on".into()),
            invite: None,
        }
    }

    #[test]
    fn a_work_address_a_name_a_team_and_a_goal_are_read() {
        let new = check(
            &form(" Mei.Lin@Acme.Example ", "500"),
            Currency::Cny,
            Locale::En,
        )
        .expect("valid");
        assert_eq!(new.email, "Mei.Lin@Acme.Example");
        assert_eq!(new.domain(), "acme.example");
        assert_eq!(
            (new.team, new.goal_minor, new.hidden),
            (3, Some(50_000), true)
        );
        assert!(!format!("{new:?}").contains("Mei.Lin"), "never printed");
    }

    #[test]
    fn bad_fields_are_refused_with_their_reason() {
        let refused = |f: JoinForm| {
            check(&f, Currency::Cny, Locale::En)
                .map(|_| ())
                .unwrap_err()
        };
        for email in [
            "",
            "mei",
            "mei@",
            "@acme.example",
            "mei@acme",
            "a b@acme.example",
            "a@b@acme.example",
        ] {
            assert!(
                matches!(refused(form(email, "")), JoinError::Email),
                "{email}"
            );
        }
        for goal in ["0", "-5", "x", "100000001"] {
            assert!(
                matches!(refused(form("m@acme.example", goal)), JoinError::Goal),
                "{goal}"
            );
        }
        let mut f = form("m@acme.example", "");
        f.name = "x".repeat(MAX_NAME + 1);
        assert!(matches!(refused(f), JoinError::Name));
        let mut f = form("m@acme.example", "");
        f.team = "sales".into();
        assert!(matches!(refused(f), JoinError::NoSuchTeam));
        let mut f = form("m@acme.example", "");
        f.invite = Some("../../etc".into());
        assert!(matches!(refused(f), JoinError::InviteUnknown));
    }
}
