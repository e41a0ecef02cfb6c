//! Calendar dates (UTC): mute expiry (`2027-01-31`, in force for that whole
//! day, so compared by day, not by instant) and the timestamps written when
//! a source carries none. Proleptic Gregorian, no time zones, no crate.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A day, as the count of days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date: write it as YYYY-MM-DD, e.g. 2027-01-31")]
pub struct DateError(pub String);

/// Seconds since the Unix epoch, from the system clock.
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Now as RFC 3339 UTC with second precision: `2026-11-23T00:33:39Z`.
pub fn now_rfc3339() -> String {
    let secs = unix_now();
    let day = Date {
        days: i64::try_from(secs / 86_400).unwrap_or(0),
    };
    let rem = secs % 86_400;
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

impl Date {
    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        Date {
            days: i64::try_from(unix_now() / 86_400).unwrap_or(0),
        }
    }

    /// Parses `YYYY-MM-DD`; also accepts an RFC 3339 timestamp and keeps its date.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let err = || DateError(text.to_owned());
        let day_part = text.trim().get(..10).ok_or_else(err)?;
        let rest = &text.trim()[10..];
        if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
            return Err(err());
        }
        let mut parts = day_part.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(err());
        }
        let y: i64 = y.parse().map_err(|_| err())?;
        let m: u32 = m.parse().map_err(|_| err())?;
        let d: u32 = d.parse().map_err(|_| err())?;
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return Err(err());
        }
        Ok(Date {
            days: days_from_civil(y, m, d),
        })
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days - self.days
    }

    fn civil(self) -> (i64, u32, u32) {
        // Howard Hinnant's civil_from_days: the inverse of days_from_civil.
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y, m as u32, d as u32)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic
/// Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_order() {
        for s in [
            "1970-01-01",
            "2000-02-29",
            "2026-11-23",
            "2099-12-31",
            "1969-12-31",
        ] {
            assert_eq!(Date::parse(s).map(|d| d.to_string()), Ok(s.to_owned()));
        }
        let a = Date::parse("2026-12-31").expect("date");
        let b = Date::parse("2027-01-01T00:00:00Z").expect("date");
        assert!(a < b);
        assert_eq!(a.days_until(b), 1);
        assert_eq!(Date::parse("1970-01-02").map(|d| d.days), Ok(1));
    }

    #[test]
    fn bad_dates_are_refused() {
        for s in [
            "",
            "2026-13-01",
            "2026-02-29",
            "2026-1-01",
            "tomorrow",
            "2026-01-01x",
            "2026/01/01",
        ] {
            assert!(Date::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn today_is_after_this_code_was_written() {
        assert!(Date::today() >= Date::parse("2026-11-23").expect("date"));
        let now = now_rfc3339();
        assert_eq!(Date::parse(&now), Ok(Date::today()), "{now}");
        assert!(now.ends_with('Z') && now.len() == 20, "{now}");
    }
}
