//! Dates as people read and type them, per language: the one formatter and
//! parser of dates shown on screen, in messages and in documents.
//!
//! English shows `2026-11-23` (ISO 8601, which readers on both sides of the
//! Atlantic read the same way) and a month alone as `2026-11`. Spanish shows
//! `23/11/2026`, day first, and a month alone by its name, from the locale
//! (`noviembre de 2026`, `nov. 2026` where room is short). Date fields take
//! what the language shows; Spanish also takes `23-11-2026`, `23.11.2026`,
//! `1/2/2026` and ISO. Files, JSON, CSV, `--json`, `--today` and `--date`
//! never come through here: they keep TOML's own `YYYY-MM-DD`.

use super::{Lang, fill, lang, t};
use crate::plan::Date;

/// `d` as the language in force shows a date.
pub fn format(d: Date) -> String {
    format_in(lang(), d)
}

/// [`format`] for a given language.
pub fn format_in(lang: Lang, d: Date) -> String {
    match lang {
        Lang::En => d.to_string(),
        Lang::Es => format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year()),
    }
}

/// An optional date, empty when absent.
pub fn format_opt(d: Option<Date>) -> String {
    d.map(format).unwrap_or_default()
}

/// The month `d` falls in, said by itself: `2026-11` in English,
/// `noviembre de 2026` in Spanish.
pub fn month(d: Date) -> String {
    month_with(d, "month_name", "date.month_year")
}

/// [`month`] where room is short (chart axes): `2026-11` in English,
/// `nov. 2026` in Spanish.
pub fn month_short(d: Date) -> String {
    month_with(d, "month_abbr", "date.month_year_short")
}

/// A month by its name from `date.<names>.<1–12>`, in the shape `shape`.
fn month_with(d: Date, names: &str, shape: &str) -> String {
    match lang() {
        Lang::En => format!("{:04}-{:02}", d.year(), d.month()),
        Lang::Es => fill(
            t(shape),
            &[
                ("month", &t(&format!("date.{names}.{}", d.month()))),
                // A year is never grouped: 2026, not 2.026.
                ("year", &d.year()),
            ],
        ),
    }
}

/// Why a typed date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotADate;

/// Reads a date as a person types it in the language in force; `None` when
/// the text is empty. Spaces around it are ignored. Every language takes ISO
/// `2026-11-23`. Spanish also takes the day first: `23/11/2026`,
/// `23-11-2026`, `23.11.2026`, `1/2/2026` (one separator throughout, a
/// four-digit year), and a year first with any of those separators.
pub fn parse(text: &str) -> Result<Option<Date>, NotADate> {
    parse_in(lang(), text)
}

/// [`parse`] for a given language.
pub fn parse_in(lang: Lang, text: &str) -> Result<Option<Date>, NotADate> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if lang == Lang::En {
        return iso(text).map(Some);
    }
    let sep = text
        .chars()
        .find(|c| matches!(c, '/' | '-' | '.'))
        .ok_or(NotADate)?;
    let parts: Vec<&str> = text.split(sep).map(str::trim).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(NotADate);
    };
    let (year, month, day) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    let digits = |s: &str, most: usize| {
        (1..=most).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(year.len() == 4 && digits(year, 4) && digits(month, 2) && digits(day, 2)) {
        return Err(NotADate);
    }
    let number = |s: &str| s.parse::<i8>().map_err(|_| NotADate);
    let year: i16 = year.parse().map_err(|_| NotADate)?;
    Date::new(year, number(month)?, number(day)?)
        .map(Some)
        .ok_or(NotADate)
}

/// Exactly `YYYY-MM-DD`, a real day.
fn iso(text: &str) -> Result<Date, NotADate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return Err(NotADate);
    }
    let year: i16 = text[0..4].parse().map_err(|_| NotADate)?;
    let month: i8 = text[5..7].parse().map_err(|_| NotADate)?;
    let day: i8 = text[8..10].parse().map_err(|_| NotADate)?;
    Date::new(year, month, day).ok_or(NotADate)
}

#[cfg(test)]
mod tests {
    use super::super::with_lang;
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn spanish_shows_the_day_first_and_english_shows_iso() {
        assert_eq!(format_in(Lang::Es, d(2026, 11, 23)), "23/11/2026");
        assert_eq!(format_in(Lang::Es, d(2027, 1, 5)), "05/01/2027");
        assert_eq!(format_in(Lang::En, d(2026, 11, 23)), "2026-11-23");
        assert_eq!(format_in(Lang::En, d(2027, 1, 5)), "2027-01-05");
        with_lang(Lang::Es, || {
            assert_eq!(format(d(2026, 3, 31)), "31/03/2026");
            assert_eq!(format_opt(None), "");
        });
        with_lang(Lang::En, || {
            assert_eq!(format(d(2026, 3, 31)), "2026-03-31")
        });
    }

    #[test]
    fn a_month_alone_is_named_in_spanish() {
        with_lang(Lang::Es, || {
            assert_eq!(month(d(2026, 11, 30)), "noviembre de 2026");
            assert_eq!(month(d(2027, 1, 1)), "enero de 2027");
            assert_eq!(month_short(d(2026, 9, 30)), "sept. 2026");
            assert_eq!(month_short(d(2026, 3, 31)), "mar. 2026");
        });
        with_lang(Lang::En, || {
            assert_eq!(month(d(2026, 11, 30)), "2026-11");
            assert_eq!(month_short(d(2027, 1, 1)), "2027-01");
        });
    }

    #[test]
    fn every_month_has_a_spanish_name_and_abbreviation() {
        with_lang(Lang::Es, || {
            for m in 1..=12 {
                let date = d(2026, m, 1);
                assert!(!month(date).contains("date."), "{}", month(date));
                assert!(
                    !month_short(date).contains("date."),
                    "{}",
                    month_short(date)
                );
            }
        });
    }

    #[test]
    fn spanish_reads_the_day_first_with_any_usual_separator() {
        let p = |s| parse_in(Lang::Es, s);
        let want = Ok(Some(d(2026, 11, 23)));
        assert_eq!(p("23/11/2026"), want);
        assert_eq!(p("23-11-2026"), want);
        assert_eq!(p("23.11.2026"), want);
        assert_eq!(p("2026-11-23"), want);
        assert_eq!(p("2026/11/23"), want);
        assert_eq!(p("  23/11/2026 "), want);
        assert_eq!(p("23 / 11 / 2026"), want);
        assert_eq!(p("1/2/2026"), Ok(Some(d(2026, 2, 1))));
        assert_eq!(p("5/1/2027"), Ok(Some(d(2027, 1, 5))));
        assert_eq!(p("05/01/2027"), Ok(Some(d(2027, 1, 5))));
        assert_eq!(p(""), Ok(None));
        assert_eq!(p("   "), Ok(None));
    }

    #[test]
    fn spanish_refuses_what_is_not_a_real_day() {
        let p = |s| parse_in(Lang::Es, s);
        assert_eq!(p("29/02/2028"), Ok(Some(d(2028, 2, 29))));
        assert_eq!(p("29/02/2000"), Ok(Some(d(2000, 2, 29))));
        assert_eq!(p("29/02/2026"), Err(NotADate));
        assert_eq!(p("29/02/1900"), Err(NotADate));
        assert_eq!(p("31/04/2026"), Err(NotADate));
        assert_eq!(p("30/04/2026"), Ok(Some(d(2026, 4, 30))));
        assert_eq!(p("0/1/2026"), Err(NotADate));
        assert_eq!(p("1/13/2026"), Err(NotADate));
        assert_eq!(p("32/1/2026"), Err(NotADate));
        // Two-digit years are ambiguous: refused.
        assert_eq!(p("23/11/26"), Err(NotADate));
        assert_eq!(p("5/1/27"), Err(NotADate));
        assert_eq!(p("23/11/02026"), Err(NotADate));
        // One separator throughout, three parts, digits only.
        assert_eq!(p("23/11-2026"), Err(NotADate));
        assert_eq!(p("23/11"), Err(NotADate));
        assert_eq!(p("23/11/2026/1"), Err(NotADate));
        assert_eq!(p("023/11/2026"), Err(NotADate));
        assert_eq!(p("+1/11/2026"), Err(NotADate));
        assert_eq!(p("23 11 2026"), Err(NotADate));
        assert_eq!(p("mañana"), Err(NotADate));
        assert_eq!(p("23/nov/2026"), Err(NotADate));
    }

    #[test]
    fn english_reads_iso_only_as_it_always_did() {
        let p = |s| parse_in(Lang::En, s);
        assert_eq!(p("2026-11-23"), Ok(Some(d(2026, 11, 23))));
        assert_eq!(p(" 2028-02-29 "), Ok(Some(d(2028, 2, 29))));
        assert_eq!(p(""), Ok(None));
        assert_eq!(p("2026-02-29"), Err(NotADate));
        assert_eq!(p("2026-04-31"), Err(NotADate));
        assert_eq!(p("23/11/2026"), Err(NotADate));
        assert_eq!(p("2026-1-5"), Err(NotADate));
        assert_eq!(p("26-11-23"), Err(NotADate));
    }

    #[test]
    fn what_each_language_shows_reads_back_to_the_same_day() {
        for date in [
            d(2026, 1, 1),
            d(2028, 2, 29),
            d(2026, 12, 31),
            d(999, 4, 30),
        ] {
            for lang in Lang::ALL {
                let shown = format_in(lang, date);
                assert_eq!(parse_in(lang, &shown), Ok(Some(date)), "{shown}");
            }
        }
    }
}
