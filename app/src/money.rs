//! Money as integers in a currency's minor unit. Never floats.
//!
//! A [`Money`] can only be built through [`Money::from_minor`] or [`Money::parse_major`], so every
//! amount past the edge has a known currency and lies within what a payment provider accepts.

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The largest amount, in minor units, that Stripe accepts for one charge (eight digits).
pub const MAX_CHARGE_MINOR: i64 = 99_999_999;

/// A currency a campaign can raise money in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Currency {
    Cny,
    Usd,
    Eur,
    Gbp,
    Hkd,
    Jpy,
    Krw,
}

impl Currency {
    /// Every supported currency, for pickers and tests.
    pub const ALL: [Currency; 7] = [
        Currency::Cny,
        Currency::Usd,
        Currency::Eur,
        Currency::Gbp,
        Currency::Hkd,
        Currency::Jpy,
        Currency::Krw,
    ];

    /// The ISO 4217 code, upper case.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
            Currency::Hkd => "HKD",
            Currency::Jpy => "JPY",
            Currency::Krw => "KRW",
        }
    }

    /// How many digits the minor unit has: 0 for zero-decimal currencies such as JPY and KRW.
    pub fn exponent(self) -> u32 {
        match self {
            Currency::Jpy | Currency::Krw => 0,
            _ => 2,
        }
    }

    /// The sign written before an amount.
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Cny | Currency::Jpy => "¥",
            Currency::Usd => "$",
            Currency::Eur => "€",
            Currency::Gbp => "£",
            Currency::Hkd => "HK$",
            Currency::Krw => "₩",
        }
    }

    /// The smallest charge the payment provider accepts, in minor units.
    ///
    /// Stripe publishes minimums for its settlement currencies (USD 0.50, EUR 0.50, GBP 0.30,
    /// HKD 4.00, JPY 50, ...). CNY and KRW charges must be worth at least USD 0.50 after
    /// conversion, so they get a rounded-up equivalent that stays valid as rates move.
    pub fn provider_minimum_minor(self) -> i64 {
        match self {
            Currency::Cny => 400,
            Currency::Usd | Currency::Eur => 50,
            Currency::Gbp => 30,
            Currency::Hkd => 400,
            Currency::Jpy => 50,
            Currency::Krw => 1_000,
        }
    }

    fn minor_per_major(self) -> i64 {
        10_i64.pow(self.exponent())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A currency code we do not take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported currency {0:?}: use one of CNY, USD, EUR, GBP, HKD, JPY, KRW")]
pub struct UnknownCurrency(pub String);

impl FromStr for Currency {
    type Err = UnknownCurrency;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownCurrency(s.chars().take(16).collect()))
    }
}

impl TryFrom<String> for Currency {
    type Error = UnknownCurrency;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl crate::json::FromJson for Currency {
    fn from_json(json: &crate::json::Json) -> Option<Self> {
        String::from_json(json)?.parse().ok()
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> Self {
        value.code().to_owned()
    }
}

/// Why an amount was refused. The messages are shown to donors and staff as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("enter an amount, such as 10 or 10.50")]
    NotANumber,
    #[error("{currency} amounts have at most {max_decimals} decimal places")]
    TooManyDecimals {
        currency: Currency,
        max_decimals: u32,
    },
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error("the amount is too large: at most {max}")]
    TooLarge { max: Money },
}

impl AmountError {
    /// The reason in the reader's language.
    pub fn message(&self, locale: Locale) -> String {
        let t = locale.words();
        match self {
            AmountError::NotANumber => t.amount_not_a_number().to_owned(),
            AmountError::TooManyDecimals {
                currency,
                max_decimals,
            } => crate::i18n::fill(
                t.amount_too_many_decimals(),
                &[
                    ("currency", currency.code()),
                    ("decimals", &max_decimals.to_string()),
                ],
            ),
            AmountError::NotPositive => t.amount_not_positive().to_owned(),
            AmountError::TooLarge { max } => {
                crate::i18n::fill(t.amount_too_large(), &[("max", &max.format(locale))])
            }
        }
    }
}

/// An amount of money: integer minor units and their currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    minor: i64,
    currency: Currency,
}
crate::from_json_fields!(Money { minor, currency });

impl Money {
    /// An amount from minor units. Totals can be zero; a gift is checked with [`Money::gift`].
    pub fn from_minor(minor: i64, currency: Currency) -> Result<Self, AmountError> {
        if minor < 0 {
            return Err(AmountError::NotPositive);
        }
        Ok(Money { minor, currency })
    }

    /// Zero in a currency.
    pub fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    /// A single gift: more than zero and no more than one charge can carry.
    pub fn gift(minor: i64, currency: Currency) -> Result<Self, AmountError> {
        if minor <= 0 {
            return Err(AmountError::NotPositive);
        }
        if minor > MAX_CHARGE_MINOR {
            return Err(AmountError::TooLarge {
                max: Money {
                    minor: MAX_CHARGE_MINOR,
                    currency,
                },
            });
        }
        Ok(Money { minor, currency })
    }

    /// Parses what a person typed in major units ("12", "12.5", "1,000.00") into a gift.
    pub fn parse_major(text: &str, currency: Currency) -> Result<Self, AmountError> {
        let amount = Money::parse_amount(text, currency)?;
        Money::gift(amount.minor, currency)
    }

    /// Parses a positive amount typed in major units, however large (a campaign's goal, which
    /// no single charge needs to carry).
    pub fn parse_amount(text: &str, currency: Currency) -> Result<Self, AmountError> {
        let cleaned: String = text
            .trim()
            .trim_start_matches(currency.symbol())
            .chars()
            .filter(|c| *c != ',' && *c != '_' && !c.is_whitespace())
            .collect();
        if cleaned.starts_with('-') {
            return Err(AmountError::NotPositive);
        }
        let (whole, fraction) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction)
        {
            return Err(AmountError::NotANumber);
        }
        let exponent = currency.exponent();
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > exponent as usize {
            return Err(AmountError::TooManyDecimals {
                currency,
                max_decimals: exponent,
            });
        }
        let too_large = || AmountError::TooLarge {
            max: Money {
                minor: MAX_CHARGE_MINOR,
                currency,
            },
        };
        let whole: i64 = if whole.is_empty() {
            0
        } else if whole.trim_start_matches('0').len() > 18 {
            return Err(too_large());
        } else {
            whole.parse().map_err(|_| AmountError::NotANumber)?
        };
        let padded = format!("{fraction:0<width$}", width = exponent as usize);
        let fraction: i64 = if padded.is_empty() {
            0
        } else {
            padded.parse().map_err(|_| AmountError::NotANumber)?
        };
        let minor = whole
            .checked_mul(currency.minor_per_major())
            .and_then(|m| m.checked_add(fraction))
            .ok_or_else(too_large)?;
        if minor <= 0 {
            return Err(AmountError::NotPositive);
        }
        Ok(Money { minor, currency })
    }

    /// The amount in minor units.
    pub fn minor(self) -> i64 {
        self.minor
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// The amount as a person writes it in a form field, without symbol or grouping ("12.50", "50").
    pub fn to_major_string(self) -> String {
        let per = self.currency.minor_per_major();
        let whole = self.minor / per;
        let fraction = self.minor % per;
        if self.currency.exponent() == 0 {
            whole.to_string()
        } else {
            format!(
                "{whole}.{fraction:0width$}",
                width = self.currency.exponent() as usize
            )
        }
    }
}

/// Writes `¥15,000,000`, `$0.50`, `¥50`: the symbol, grouped whole units, and the fraction only
/// when it is not zero.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let per = self.currency.minor_per_major();
        let whole = self.minor / per;
        let fraction = self.minor % per;
        f.write_str(self.currency.symbol())?;
        f.write_str(&group_thousands(whole))?;
        if fraction != 0 {
            write!(
                f,
                ".{fraction:0width$}",
                width = self.currency.exponent() as usize
            )?;
        }
        Ok(())
    }
}

impl Money {
    /// The amount as a reader of `locale` expects it. Chinese counts large round sums in 万
    /// (ten thousand) and 亿 (a hundred million): a ¥15,000,000 goal reads ¥1500万. Amounts that
    /// are not whole 万 keep every digit, so a total is never rounded.
    pub fn format(self, locale: Locale) -> String {
        const WAN: i64 = 10_000;
        const YI: i64 = 100_000_000;
        let per = self.currency.minor_per_major();
        let exact_major = self.minor % per == 0;
        let whole = self.minor / per;
        match locale {
            Locale::ZhCn if exact_major && whole >= YI && whole % YI == 0 => {
                format!("{}{}亿", self.currency.symbol(), whole / YI)
            }
            Locale::ZhCn if exact_major && whole >= WAN && whole % WAN == 0 => {
                format!("{}{}万", self.currency.symbol(), whole / WAN)
            }
            _ => self.to_string(),
        }
    }
}

/// `minor` units of `currency` as a reader of `locale` expects them; a negative amount (a
/// reversal, say) with a minus sign.
pub fn format_minor(minor: i64, currency: Currency, locale: Locale) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    Money::from_minor(minor.saturating_abs(), currency)
        .map(|m| format!("{sign}{}", m.format(locale)))
        .unwrap_or_default()
}

/// A share in basis points (hundredths of a percent) as a percentage: "5%", "2.5%", "0.01%".
/// Integers only: the browser's code then carries no float formatting.
pub fn percent_label(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let bp = bp.unsigned_abs();
    if bp.is_multiple_of(100) {
        format!("{sign}{}%", bp / 100)
    } else {
        let fraction = format!("{:02}", bp % 100);
        format!("{sign}{}.{}%", bp / 100, fraction.trim_end_matches('0'))
    }
}

/// `1234567` as `1,234,567`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cny(minor: i64) -> Money {
        Money::from_minor(minor, Currency::Cny).expect("valid amount")
    }

    #[test]
    fn a_reversal_is_written_with_a_minus_sign() {
        assert_eq!(
            format_minor(-125_050, Currency::Cny, Locale::En),
            "-¥1,250.50"
        );
        assert_eq!(format_minor(0, Currency::Cny, Locale::En), "¥0");
        assert_eq!(
            format_minor(i64::MIN, Currency::Cny, Locale::En)
                .chars()
                .next(),
            Some('-')
        );
    }

    #[test]
    fn amounts_are_written_the_way_donors_read_them() {
        assert_eq!(cny(100).to_string(), "¥1");
        assert_eq!(cny(150).to_string(), "¥1.50");
        assert_eq!(cny(1_500_000_000).to_string(), "¥15,000,000");
        assert_eq!(cny(1_502_899_479).to_string(), "¥15,028,994.79");
        let usd = Money::from_minor(50, Currency::Usd).expect("valid");
        assert_eq!(usd.to_string(), "$0.50");
        let jpy = Money::from_minor(50, Currency::Jpy).expect("valid");
        assert_eq!(jpy.to_string(), "¥50");
        let krw = Money::from_minor(1_234_567, Currency::Krw).expect("valid");
        assert_eq!(krw.to_string(), "₩1,234,567");
        assert_eq!(Money::zero(Currency::Hkd).to_string(), "HK$0");
    }

    #[test]
    fn chinese_readers_see_round_sums_in_wan_and_yi_and_exact_sums_in_full() {
        let zh = |minor| cny(minor).format(Locale::ZhCn);
        assert_eq!(zh(1_500_000_000), "¥1500万");
        assert_eq!(zh(10_000_000_000), "¥1亿");
        assert_eq!(zh(15_000_000_000), "¥15000万");
        assert_eq!(zh(1_502_899_479), "¥15,028,994.79");
        assert_eq!(zh(500), "¥5");
        assert_eq!(zh(999_900), "¥9,999");
        assert_eq!(zh(1_000_050), "¥10,000.50");
        assert_eq!(cny(1_500_000_000).format(Locale::En), "¥15,000,000");
    }

    #[test]
    fn typed_amounts_become_minor_units() {
        let parse = |s: &str, c| Money::parse_major(s, c).map(Money::minor);
        assert_eq!(parse("12", Currency::Cny), Ok(1200));
        assert_eq!(parse("12.5", Currency::Cny), Ok(1250));
        assert_eq!(parse(" 12.50 ", Currency::Usd), Ok(1250));
        assert_eq!(parse("1,000.00", Currency::Eur), Ok(100_000));
        assert_eq!(parse("¥1", Currency::Cny), Ok(100));
        assert_eq!(parse(".5", Currency::Gbp), Ok(50));
        assert_eq!(parse("500", Currency::Jpy), Ok(500));
        assert_eq!(parse("500.0", Currency::Jpy), Ok(500));
    }

    #[test]
    fn nonsense_amounts_are_refused_with_a_reason() {
        let parse = |s: &str, c| Money::parse_major(s, c);
        assert_eq!(parse("", Currency::Cny), Err(AmountError::NotANumber));
        assert_eq!(parse(".", Currency::Cny), Err(AmountError::NotANumber));
        assert_eq!(parse("ten", Currency::Cny), Err(AmountError::NotANumber));
        assert_eq!(parse("1e3", Currency::Cny), Err(AmountError::NotANumber));
        assert_eq!(parse("1.2.3", Currency::Cny), Err(AmountError::NotANumber));
        assert_eq!(parse("NaN", Currency::Usd), Err(AmountError::NotANumber));
        assert_eq!(parse("+5", Currency::Usd), Err(AmountError::NotANumber));
        assert_eq!(parse("0", Currency::Cny), Err(AmountError::NotPositive));
        assert_eq!(parse("0.00", Currency::Cny), Err(AmountError::NotPositive));
        assert_eq!(parse("-5", Currency::Cny), Err(AmountError::NotPositive));
        assert!(matches!(
            parse("1.234", Currency::Usd),
            Err(AmountError::TooManyDecimals {
                max_decimals: 2,
                ..
            })
        ));
        assert!(matches!(
            parse("50.5", Currency::Jpy),
            Err(AmountError::TooManyDecimals {
                max_decimals: 0,
                ..
            })
        ));
        assert!(matches!(
            parse("1000000", Currency::Usd),
            Err(AmountError::TooLarge { .. })
        ));
        assert!(matches!(
            parse("99999999999999999999999999", Currency::Usd),
            Err(AmountError::TooLarge { .. })
        ));
        assert!(matches!(
            parse("92233720368547758.07", Currency::Usd),
            Err(AmountError::TooLarge { .. })
        ));
    }

    #[test]
    fn refusals_explain_themselves_in_the_readers_language() {
        let err = Money::parse_major("1.234", Currency::Usd).expect_err("too precise");
        assert_eq!(
            err.message(Locale::En),
            "USD amounts have at most 2 decimal places."
        );
        assert_eq!(err.message(Locale::ZhCn), "USD 金额最多保留 2 位小数。");
        let err = Money::parse_major("1000000000", Currency::Cny).expect_err("too large");
        assert_eq!(err.message(Locale::ZhCn), "金额过大：最多 ¥999,999.99。");
        assert_eq!(
            AmountError::NotANumber.message(Locale::ZhCn),
            "请输入金额，例如 10 或 10.50。"
        );
    }

    #[test]
    fn a_gift_is_positive_and_fits_one_charge() {
        assert_eq!(Money::gift(0, Currency::Usd), Err(AmountError::NotPositive));
        assert_eq!(
            Money::gift(-1, Currency::Usd),
            Err(AmountError::NotPositive)
        );
        assert!(Money::gift(MAX_CHARGE_MINOR, Currency::Jpy).is_ok());
        assert!(matches!(
            Money::gift(MAX_CHARGE_MINOR + 1, Currency::Jpy),
            Err(AmountError::TooLarge { .. })
        ));
        assert_eq!(
            Money::from_minor(-1, Currency::Usd),
            Err(AmountError::NotPositive)
        );
    }

    #[test]
    fn currency_codes_parse_in_any_case_and_unknown_ones_are_refused() {
        assert_eq!("cny".parse::<Currency>(), Ok(Currency::Cny));
        assert_eq!(" JPY ".parse::<Currency>(), Ok(Currency::Jpy));
        assert!("XBT".parse::<Currency>().is_err());
        assert!("".parse::<Currency>().is_err());
        let json: Result<Currency, _> = serde_json::from_str("\"eur\"");
        assert_eq!(json.ok(), Some(Currency::Eur));
        assert!(serde_json::from_str::<Currency>("\"XBT\"").is_err());
    }

    #[test]
    fn zero_decimal_currencies_have_no_fraction() {
        assert_eq!(Currency::Jpy.exponent(), 0);
        assert_eq!(Currency::Krw.exponent(), 0);
        assert_eq!(Currency::Cny.exponent(), 2);
        let jpy = Money::parse_major("1234", Currency::Jpy).expect("valid");
        assert_eq!(jpy.to_major_string(), "1234");
        let usd = Money::parse_major("12.5", Currency::Usd).expect("valid");
        assert_eq!(usd.to_major_string(), "12.50");
    }

    #[test]
    fn provider_minimums_match_stripe() {
        assert_eq!(Currency::Usd.provider_minimum_minor(), 50);
        assert_eq!(Currency::Eur.provider_minimum_minor(), 50);
        assert_eq!(Currency::Gbp.provider_minimum_minor(), 30);
        assert_eq!(Currency::Hkd.provider_minimum_minor(), 400);
        assert_eq!(Currency::Jpy.provider_minimum_minor(), 50);
    }

    #[test]
    fn shares_read_as_percentages() {
        assert_eq!(percent_label(500), "5%");
        assert_eq!(percent_label(250), "2.5%");
        assert_eq!(percent_label(1), "0.01%");
        assert_eq!(percent_label(0), "0%");
        assert_eq!(percent_label(1_250), "12.5%");
        assert_eq!(percent_label(-50), "-0.5%");
    }
}
