//! What a donor asks to give, and the rules it must meet before any payment starts.
//!
//! The same rules run in the browser (to explain a mistake before the page is left) and on the
//! server (which trusts nothing the browser sends).

use crate::campaigns::Campaign;
use crate::i18n::{fill, Locale};
use crate::money::{AmountError, Currency, Money, MAX_CHARGE_MINOR};
use serde::{Deserialize, Serialize};

/// The most characters a public display name may have.
pub const DISPLAY_NAME_MAX_CHARS: usize = 40;
/// The most characters a gift message may have.
pub const MESSAGE_MAX_CHARS: usize = 280;
/// The longest email address the standards allow.
pub const EMAIL_MAX_CHARS: usize = 254;

/// A request to start a gift: the body of `POST /api/campaigns/{slug}/checkout`, and what the
/// artwork page's form sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GiftRequest {
    /// The artwork's slug.
    pub artwork: String,
    pub amount_minor: i64,
    pub currency: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub anonymous: Option<bool>,
    /// Whether the amount may appear beside the name in public feeds.
    #[serde(default)]
    pub show_amount: Option<bool>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the donor wants the campaign's news at `email` (ignored without one).
    #[serde(default)]
    pub updates: Option<bool>,
}

/// A gift request that met every rule, with its texts trimmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValidGift {
    artwork: String,
    amount: Money,
    display_name: String,
    anonymous: bool,
    show_amount: bool,
    message: String,
    email: Option<String>,
    /// Left out of the request's digest when false, so keys sent before it existed still match.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    updates: bool,
}

impl ValidGift {
    /// The slug of the artwork adopted, as the request named it.
    pub fn artwork(&self) -> &str {
        &self.artwork
    }

    pub fn amount(&self) -> Money {
        self.amount
    }

    /// The name to show, trimmed; empty when none was given.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    pub fn anonymous(&self) -> bool {
        self.anonymous
    }

    pub fn show_amount(&self) -> bool {
        self.show_amount
    }

    /// The message to the artist, trimmed; empty when none was given.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where the receipt goes, if the donor asked for one.
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// Whether the donor asked for the campaign's news at their address.
    pub fn wants_updates(&self) -> bool {
        self.updates
    }
}

/// Why a gift request was refused, in words a donor can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GiftError {
    #[error("invalid amount: {0}")]
    Amount(AmountError),
    #[error("below the minimum of {min}")]
    BelowMinimum { min: Money },
    #[error("this campaign takes {expected}")]
    WrongCurrency { expected: Currency },
    #[error("the display name is too long")]
    NameTooLong,
    #[error("the message is too long")]
    MessageTooLong,
    #[error("the text contains characters that cannot be shown")]
    BadCharacters,
    #[error("the email address is not valid")]
    BadEmail,
    #[error("choose an artwork")]
    NoArtwork,
}

impl GiftError {
    /// A short stable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            GiftError::Amount(AmountError::NotANumber) => "amount_not_a_number",
            GiftError::Amount(AmountError::TooManyDecimals { .. }) => "amount_too_many_decimals",
            GiftError::Amount(AmountError::NotPositive) => "amount_not_positive",
            GiftError::Amount(AmountError::TooLarge { .. }) => "amount_too_large",
            GiftError::BelowMinimum { .. } => "amount_below_minimum",
            GiftError::WrongCurrency { .. } => "wrong_currency",
            GiftError::NameTooLong => "display_name_too_long",
            GiftError::MessageTooLong => "message_too_long",
            GiftError::BadCharacters => "bad_characters",
            GiftError::BadEmail => "bad_email",
            GiftError::NoArtwork => "unknown_artwork",
        }
    }

    /// The error a [`GiftError::code`] names, for a campaign whose least gift is `min`: how a
    /// form that posted without JavaScript is told what went wrong. Unknown codes are `None`.
    pub fn from_code(code: &str, min: Money) -> Option<GiftError> {
        let currency = min.currency();
        Some(match code {
            "amount_not_a_number" => GiftError::Amount(AmountError::NotANumber),
            "amount_too_many_decimals" => GiftError::Amount(AmountError::TooManyDecimals {
                currency,
                max_decimals: currency.exponent(),
            }),
            "amount_not_positive" => GiftError::Amount(AmountError::NotPositive),
            "amount_too_large" => GiftError::Amount(AmountError::TooLarge {
                max: Money::from_minor(MAX_CHARGE_MINOR, currency).ok()?,
            }),
            "amount_below_minimum" => GiftError::BelowMinimum { min },
            "wrong_currency" => GiftError::WrongCurrency { expected: currency },
            "display_name_too_long" => GiftError::NameTooLong,
            "message_too_long" => GiftError::MessageTooLong,
            "bad_characters" => GiftError::BadCharacters,
            "bad_email" => GiftError::BadEmail,
            "unknown_artwork" => GiftError::NoArtwork,
            _ => return None,
        })
    }

    /// The reason in the reader's language.
    pub fn message(&self, locale: Locale) -> String {
        let t = locale.words();
        match self {
            GiftError::Amount(error) => error.message(locale),
            GiftError::BelowMinimum { min } => {
                fill(t.gift_below_minimum(), &[("min", &min.format(locale))])
            }
            GiftError::WrongCurrency { expected } => {
                fill(t.gift_wrong_currency(), &[("currency", expected.code())])
            }
            GiftError::NameTooLong => fill(
                t.gift_name_too_long(),
                &[("max", &DISPLAY_NAME_MAX_CHARS.to_string())],
            ),
            GiftError::MessageTooLong => fill(
                t.gift_message_too_long(),
                &[("max", &MESSAGE_MAX_CHARS.to_string())],
            ),
            GiftError::BadCharacters => t.gift_bad_characters().to_owned(),
            GiftError::BadEmail => t.gift_bad_email().to_owned(),
            GiftError::NoArtwork => t.gift_no_artwork().to_owned(),
        }
    }
}

/// The least a campaign accepts for one gift: its own minimum, never below the provider's.
pub fn minimum_gift(campaign: &Campaign) -> Money {
    let currency = campaign.goal.currency();
    let floor = campaign
        .min_gift
        .minor()
        .max(currency.provider_minimum_minor());
    Money::from_minor(floor, currency).unwrap_or(campaign.min_gift)
}

impl GiftRequest {
    /// Checks the request against the campaign's rules.
    pub fn validate(&self, campaign: &Campaign) -> Result<ValidGift, GiftError> {
        let currency = campaign.goal.currency();
        if !self.currency.trim().eq_ignore_ascii_case(currency.code()) {
            return Err(GiftError::WrongCurrency { expected: currency });
        }
        let amount = Money::gift(self.amount_minor, currency).map_err(GiftError::Amount)?;
        let min = minimum_gift(campaign);
        if amount.minor() < min.minor() {
            return Err(GiftError::BelowMinimum { min });
        }
        let artwork = self.artwork.trim();
        if artwork.is_empty() {
            return Err(GiftError::NoArtwork);
        }
        let display_name = clean_line(self.display_name.as_deref().unwrap_or_default())?;
        if display_name.chars().count() > DISPLAY_NAME_MAX_CHARS {
            return Err(GiftError::NameTooLong);
        }
        let message = clean_text(self.message.as_deref().unwrap_or_default())?;
        if message.chars().count() > MESSAGE_MAX_CHARS {
            return Err(GiftError::MessageTooLong);
        }
        let email = match self.email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(email) if is_plausible_email(email) => Some(email.to_owned()),
            Some(_) => return Err(GiftError::BadEmail),
        };
        Ok(ValidGift {
            artwork: artwork.to_owned(),
            amount,
            // A gift with no name is shown as anonymous.
            anonymous: self.anonymous.unwrap_or(false) || display_name.is_empty(),
            display_name,
            show_amount: self.show_amount.unwrap_or(true),
            message,
            updates: self.updates.unwrap_or(false) && email.is_some(),
            email,
        })
    }
}

/// One line of text: trimmed, with inner runs of whitespace made single spaces. Control and
/// invisible formatting characters are refused rather than silently dropped.
fn clean_line(text: &str) -> Result<String, GiftError> {
    if text.chars().any(is_forbidden) || text.contains(['\n', '\r']) {
        return Err(GiftError::BadCharacters);
    }
    Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Text that may have line breaks (a message): trimmed, with at most two line breaks in a row.
fn clean_text(text: &str) -> Result<String, GiftError> {
    let text = text.replace("\r\n", "\n");
    if text.chars().any(|c| is_forbidden(c) || c == '\r') {
        return Err(GiftError::BadCharacters);
    }
    let mut out = String::with_capacity(text.len());
    let mut breaks = 0;
    for c in text.trim().chars() {
        if c == '\n' {
            breaks += 1;
            if breaks > 2 {
                continue;
            }
        } else {
            breaks = 0;
        }
        out.push(c);
    }
    Ok(out)
}

/// Control characters (other than a line break) and the invisible characters that can reorder
/// or hide text: bidirectional overrides and isolates.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// An address a receipt could be sent to: one `@`, a dotted domain, no spaces, not too long.
fn is_plausible_email(email: &str) -> bool {
    if email.chars().count() > EMAIL_MAX_CHARS || email.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email
            .chars()
            .any(|c| c.is_control() || matches!(c, '<' | '>' | '"'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign(currency: Currency, min_gift: i64) -> Campaign {
        let money = |minor| Money::from_minor(minor, currency).expect("amount");
        crate::campaigns::test_campaign(money(1_000_000), money(min_gift), true)
    }

    fn request(amount_minor: i64, currency: &str) -> GiftRequest {
        GiftRequest {
            artwork: "sun".into(),
            amount_minor,
            currency: currency.into(),
            display_name: Some("  Li   Wei ".into()),
            anonymous: None,
            show_amount: None,
            message: None,
            email: None,
            updates: None,
        }
    }

    #[test]
    fn a_good_gift_is_accepted_with_its_texts_tidied() {
        let gift = request(500, "cny")
            .validate(&campaign(Currency::Cny, 100))
            .expect("valid");
        assert_eq!(gift.amount.minor(), 500);
        assert_eq!(gift.display_name, "Li Wei");
        assert!(!gift.anonymous);
    }

    #[test]
    fn amounts_outside_the_rules_are_refused_with_a_reason() {
        let c = campaign(Currency::Cny, 100);
        let code = |amount| {
            request(amount, "CNY")
                .validate(&c)
                .map(|_| ())
                .map_err(|e| e.code())
        };
        assert_eq!(code(0), Err("amount_not_positive"));
        assert_eq!(code(-500), Err("amount_not_positive"));
        // The campaign asks for 1 yuan but Stripe's floor for CNY is 4 yuan.
        assert_eq!(code(399), Err("amount_below_minimum"));
        assert_eq!(code(400), Ok(()));
        assert_eq!(code(100_000_000), Err("amount_too_large"));
        assert_eq!(code(i64::MAX), Err("amount_too_large"));
        let wrong = request(500, "USD").validate(&c);
        assert_eq!(wrong.map_err(|e| e.code()), Err("wrong_currency"));
    }

    #[test]
    fn every_code_names_its_error_again() {
        let min = Money::from_minor(500, Currency::Cny).expect("min");
        let errors = [
            GiftError::Amount(AmountError::NotANumber),
            GiftError::Amount(AmountError::TooManyDecimals {
                currency: Currency::Cny,
                max_decimals: 2,
            }),
            GiftError::Amount(AmountError::NotPositive),
            GiftError::Amount(AmountError::TooLarge {
                max: Money::from_minor(MAX_CHARGE_MINOR, Currency::Cny).expect("max"),
            }),
            GiftError::BelowMinimum { min },
            GiftError::WrongCurrency {
                expected: Currency::Cny,
            },
            GiftError::NameTooLong,
            GiftError::MessageTooLong,
            GiftError::BadCharacters,
            GiftError::BadEmail,
            GiftError::NoArtwork,
        ];
        for error in errors {
            assert_eq!(GiftError::from_code(error.code(), min), Some(error.clone()));
        }
        assert_eq!(GiftError::from_code("<script>", min), None);
    }

    #[test]
    fn zero_decimal_currencies_count_whole_units() {
        let c = campaign(Currency::Jpy, 100);
        assert!(request(100, "JPY").validate(&c).is_ok());
        let below = request(99, "JPY")
            .validate(&c)
            .expect_err("below the campaign minimum");
        assert_eq!(below.message(Locale::En), "The least you can give is ¥100.");
    }

    #[test]
    fn names_messages_and_emails_are_checked() {
        let c = campaign(Currency::Usd, 100);
        let with = |f: &dyn Fn(&mut GiftRequest)| {
            let mut r = request(500, "USD");
            f(&mut r);
            r.validate(&c).map_err(|e| e.code())
        };
        assert_eq!(
            with(&|r| r.display_name = Some("x".repeat(41))).map(|_| ()),
            Err("display_name_too_long")
        );
        assert!(with(&|r| r.display_name = Some("名".repeat(40))).is_ok());
        assert_eq!(
            with(&|r| r.display_name = Some("a\u{202E}b".into())).map(|_| ()),
            Err("bad_characters")
        );
        assert_eq!(
            with(&|r| r.message = Some("m".repeat(281))).map(|_| ()),
            Err("message_too_long")
        );
        assert_eq!(
            with(&|r| r.message = Some("a\u{0}b".into())).map(|_| ()),
            Err("bad_characters")
        );
        let tidy = with(&|r| r.message = Some(" one\r\n\n\n\n two ".into())).expect("valid");
        assert_eq!(tidy.message, "one\n\n two");
        for bad in ["no-at", "a@b", "a @b.c", "a@b.c@d.e", "<a@b.c>"] {
            assert_eq!(
                with(&|r| r.email = Some(bad.into())).map(|_| ()),
                Err("bad_email"),
                "{bad}"
            );
        }
        let email = with(&|r| r.email = Some(" li@example.cn ".into())).expect("valid");
        assert_eq!(email.email.as_deref(), Some("li@example.cn"));
        let nameless = with(&|r| r.display_name = Some("   ".into())).expect("valid");
        assert!(nameless.anonymous, "a gift without a name is anonymous");
    }
}
