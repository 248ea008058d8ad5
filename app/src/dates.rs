//! Instants as stored (Unix milliseconds) and as shown (a campaign's local date and time).

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// A moment in time, in milliseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The UTC day of this moment, `YYYY-MM-DD`, as consent dates are written.
    pub fn iso_date_utc(self) -> String {
        self.at_offset(0)
            .map(|t| format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()))
            .unwrap_or_default()
    }

    /// From milliseconds since the Unix epoch.
    pub fn from_unix_ms(ms: i64) -> Self {
        Timestamp(ms)
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_ms(self) -> i64 {
        self.0
    }

    /// The moment in a fixed offset from UTC, or UTC when the offset is out of range.
    fn at_offset(self, utc_offset_minutes: i16) -> Option<OffsetDateTime> {
        let offset = UtcOffset::from_whole_seconds(i32::from(utc_offset_minutes) * 60)
            .unwrap_or(UtcOffset::UTC);
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000)
            .ok()
            .map(|t| t.to_offset(offset))
    }

    /// "29 August 2017" or "2017年8月29日": the day in the campaign's own clock, for certificates.
    pub fn display_date(self, utc_offset_minutes: i16, locale: Locale) -> String {
        let Some(t) = self.at_offset(utc_offset_minutes) else {
            return String::new();
        };
        match locale {
            Locale::En => t.format(format_description!(
                "[day padding:none] [month repr:long] [year]"
            )),
            Locale::ZhCn => t.format(format_description!(
                "[year]年[month padding:none]月[day padding:none]日"
            )),
        }
        .unwrap_or_default()
    }

    /// "29 Aug 2017, 19:00 (UTC+8)" or "2017年8月29日 19:00（北京时间）": the date and time in the
    /// campaign's own clock, written the way a reader of `locale` writes dates; Chinese readers
    /// know UTC+8 as Beijing time.
    pub fn display_local(self, utc_offset_minutes: i16, locale: Locale) -> String {
        let Some(t) = self.at_offset(utc_offset_minutes) else {
            return String::new();
        };
        let text = match locale {
            Locale::En => t.format(format_description!(
                "[day padding:none] [month repr:short] [year], [hour]:[minute]"
            )),
            Locale::ZhCn => t.format(format_description!(
                "[year]年[month padding:none]月[day padding:none]日 [hour]:[minute]"
            )),
        };
        let text = text.unwrap_or_default();
        match locale {
            Locale::ZhCn if utc_offset_minutes == BEIJING => format!("{text}（北京时间）"),
            Locale::ZhCn => format!("{text}（{}）", offset_label(utc_offset_minutes)),
            Locale::En => format!("{text} ({})", offset_label(utc_offset_minutes)),
        }
    }

    /// "19:05": the time of day in the campaign's own clock, the same in every locale.
    pub fn display_time(self, utc_offset_minutes: i16) -> String {
        self.at_offset(utc_offset_minutes)
            .and_then(|t| t.format(format_description!("[hour]:[minute]")).ok())
            .unwrap_or_default()
    }

    /// "2026-08-29T19:00": the campaign's own clock as an HTML `datetime-local` value.
    pub fn datetime_local(self, utc_offset_minutes: i16) -> String {
        self.at_offset(utc_offset_minutes)
            .and_then(|t| {
                t.format(format_description!("[year]-[month]-[day]T[hour]:[minute]"))
                    .ok()
            })
            .unwrap_or_default()
    }

    /// RFC 3339 in UTC, for `<time datetime>` and feeds.
    pub fn rfc3339(self) -> String {
        self.at_offset(0)
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default()
    }
}

impl crate::json::FromJson for Timestamp {
    fn from_json(json: &crate::json::Json) -> Option<Self> {
        i64::from_json(json).map(Timestamp)
    }
}

/// China Standard Time, UTC+8, in minutes.
const BEIJING: i16 = 480;

fn offset_label(minutes: i16) -> String {
    if minutes == 0 {
        return "UTC".to_owned();
    }
    let sign = if minutes < 0 { '-' } else { '+' };
    let (h, m) = (minutes.unsigned_abs() / 60, minutes.unsigned_abs() % 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_read_in_the_campaigns_own_clock() {
        // 29 August 2017, 11:00 UTC is 19:00 in Beijing.
        let t = Timestamp::from_unix_ms(1_504_004_400_000);
        assert_eq!(
            t.display_local(480, Locale::En),
            "29 Aug 2017, 19:00 (UTC+8)"
        );
        assert_eq!(t.display_local(0, Locale::En), "29 Aug 2017, 11:00 (UTC)");
        assert_eq!(
            t.display_local(-330, Locale::En),
            "29 Aug 2017, 05:30 (UTC-5:30)"
        );
        assert_eq!(
            t.display_local(480, Locale::ZhCn),
            "2017年8月29日 19:00（北京时间）"
        );
        assert_eq!(
            t.display_local(0, Locale::ZhCn),
            "2017年8月29日 11:00（UTC）"
        );
        assert_eq!(t.rfc3339(), "2017-08-29T11:00:00Z");
        // 20:00 UTC on the 28th is already the 29th in Beijing.
        let evening = Timestamp::from_unix_ms(1_503_950_400_000);
        assert_eq!(evening.display_date(480, Locale::En), "29 August 2017");
        assert_eq!(evening.display_date(0, Locale::En), "28 August 2017");
        assert_eq!(evening.display_date(480, Locale::ZhCn), "2017年8月29日");
    }

    #[test]
    fn absurd_instants_do_not_panic() {
        assert_eq!(
            Timestamp::from_unix_ms(i64::MAX).display_local(0, Locale::En),
            ""
        );
        assert_eq!(Timestamp::from_unix_ms(i64::MIN).rfc3339(), "");
        assert!(!Timestamp::from_unix_ms(0)
            .display_local(i16::MAX, Locale::ZhCn)
            .is_empty());
    }
}
