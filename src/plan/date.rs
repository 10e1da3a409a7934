//! A calendar date as the plan file stores it: a TOML local date (`2026-03-31`).
//!
//! Wraps `jiff::civil::Date` so the rest of the code gets real date arithmetic,
//! while the file keeps TOML's own date type (never a quoted string).

use std::fmt;
use std::str::FromStr;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::i18n::{t, tf};

/// A calendar date without time or zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    /// Builds a date; `None` when the day does not exist.
    pub fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        jiff::civil::Date::new(year, month, day).ok().map(Date)
    }

    /// Days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        let span = other.0 - self.0;
        // `Date - Date` yields a span in days only.
        i64::from(span.get_days())
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }

    pub fn month(self) -> i8 {
        self.0.month()
    }

    pub fn day(self) -> i8 {
        self.0.day()
    }

    /// The last day of this date's month.
    pub fn end_of_month(self) -> Date {
        Date(self.0.last_of_month())
    }
}

/// Why a typed date was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateParseError(pub String);

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateParseError {}

impl FromStr for Date {
    type Err = DateParseError;

    /// Accepts exactly `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Date, DateParseError> {
        let s = s.trim();
        let bytes = s.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(DateParseError(tf("date.not_iso", &[("text", &s)])));
        }
        let year: i16 = s[0..4].parse().map_err(|_| bad_date(s))?;
        let month: i8 = s[5..7].parse().map_err(|_| bad_date(s))?;
        let day: i8 = s[8..10].parse().map_err(|_| bad_date(s))?;
        Date::new(year, month, day).ok_or_else(|| bad_date(s))
    }
}

fn bad_date(s: &str) -> DateParseError {
    DateParseError(tf("date.not_real", &[("text", &s)]))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // TOML serializers get a TOML local date (not a quoted string);
        // every other format (JSON exports) gets the ISO text.
        if std::any::type_name::<S>().contains("toml") {
            let dt: toml_datetime::Datetime = self
                .to_string()
                .parse()
                .map_err(|e| serde::ser::Error::custom(format!("{e}")))?;
            dt.serialize(serializer)
        } else {
            serializer.collect_str(self)
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        deserializer.deserialize_any(DateVisitor)
    }
}

struct DateVisitor;

impl DateVisitor {
    fn parse<E: de::Error>(s: &str) -> Result<Date, E> {
        if s.len() > 10 {
            return Err(E::custom(tf("date.with_time", &[("text", &s)])));
        }
        s.parse().map_err(|e: DateParseError| E::custom(e.0))
    }
}

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(t("date.expected"))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Date, E> {
        Self::parse(s)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
        // TOML datetimes arrive as a one-entry map from the toml deserializers.
        let Some(_key) = map.next_key::<String>()? else {
            return Err(de::Error::custom(t("date.missing")));
        };
        let value: String = map.next_value()?;
        Self::parse(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_real_iso_dates() {
        assert_eq!(
            "2026-02-28".parse::<Date>().unwrap(),
            Date::new(2026, 2, 28).unwrap()
        );
        assert!("2026-02-30".parse::<Date>().is_err());
        assert!("2026-2-3".parse::<Date>().is_err());
        assert!("tomorrow".parse::<Date>().is_err());
    }

    #[test]
    fn counts_days_between_dates() {
        let a: Date = "2026-05-31".parse().unwrap();
        let b: Date = "2026-12-31".parse().unwrap();
        assert_eq!(a.days_until(b), 214);
        assert_eq!(b.days_until(a), -214);
    }
}
