//! Numbers as people read and type them, per language: the one formatter
//! and parser of figures shown on screen, in messages and in documents.
//!
//! The marks come from the locale: `number.decimal` and `number.thousands`
//! on screen (English shows `12500.75`, Spanish `12.500,75`), and
//! `export.number.*` in the Markdown and HTML documents (`12,501` /
//! `12.501`). What a person types into a field is never grouped, so it reads
//! back the same. Files, JSON, CSV and `--json` output never come through
//! here: they keep TOML's and JSON's own number formats.

use super::{Lang, lang, t};

/// Where a number is shown, which decides its marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// The text of an editable field, and numbers inside messages: the
    /// language's decimal mark, never grouped.
    Input,
    /// Tables and summaries on screen (and `rumbo gaps`): grouped as the
    /// language groups figures on screen.
    Screen,
    /// The Markdown and HTML documents.
    Document,
}

fn marks(how: Use) -> (&'static str, &'static str) {
    match how {
        Use::Input => (t("number.decimal"), ""),
        Use::Screen => (t("number.decimal"), t("number.thousands")),
        Use::Document => (t("export.number.decimal"), t("export.number.thousands")),
    }
}

/// `v` rounded to at most `decimals` decimals (trailing zeros dropped), with
/// the marks of `how`. A value that rounds to zero has no sign. Off-screen
/// sizes (1e15 and up) use scientific notation except in documents; a value
/// that is not finite is `—` in documents and spelled out elsewhere.
pub fn format(v: f64, decimals: usize, how: Use) -> String {
    if !v.is_finite() {
        return match how {
            Use::Document => t("export.none").to_string(),
            _ => v.to_string(),
        };
    }
    let (decimal, thousands) = marks(how);
    if how != Use::Document && v.abs() >= 1e15 {
        return format!("{v:e}").replace('.', decimal);
    }
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, f.trim_end_matches('0')),
        None => (text.as_str(), ""),
    };
    let zero = int.bytes().all(|b| b == b'0') && frac.is_empty();
    let mut out = String::with_capacity(text.len() + 4);
    if v < 0.0 && !zero {
        out.push('-');
    }
    out.push_str(&group(int, thousands));
    if !frac.is_empty() {
        out.push_str(decimal);
        out.push_str(frac);
    }
    out
}

/// A whole number with the marks of `how` (`416750` → `416.750` in Spanish
/// on screen).
pub fn integer(n: impl Into<i128>, how: Use) -> String {
    let n: i128 = n.into();
    let (_, thousands) = marks(how);
    let digits = n.unsigned_abs().to_string();
    let grouped = group(&digits, thousands);
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// Digits with `sep` between groups of three, from the right.
fn group(digits: &str, sep: &str) -> String {
    if sep.is_empty() || digits.len() <= 3 {
        return digits.to_string();
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// Why a typed number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// Reads a number as a person types it in the language in force; `None` when
/// the text is empty. Spaces and `_` are ignored. When both `.` and `,`
/// appear, the last one is the decimal mark and the other groups thousands
/// (`1,234.5` and `1.234,5` both work in either language). A lone `,` is
/// the decimal mark. A lone `.` is the decimal mark in English; in Spanish
/// it groups thousands when it is used exactly that way (`12.500`,
/// `1.250.000`) and is the decimal mark otherwise (`0.25`, `3.5`), so
/// numbers copied from English texts still read right.
pub fn parse(text: &str) -> Result<Option<f64>, NotANumber> {
    parse_in(lang(), text)
}

/// [`parse`] for a given language.
pub fn parse_in(lang: Lang, text: &str) -> Result<Option<f64>, NotANumber> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let last_dot = cleaned.rfind('.');
    let last_comma = cleaned.rfind(',');
    let normalized = match (last_dot, last_comma) {
        (Some(d), Some(c)) if c > d => cleaned.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => cleaned.replace(',', ""),
        (None, Some(_)) if cleaned.matches(',').count() == 1 => cleaned.replace(',', "."),
        (None, Some(_)) => {
            if lang == Lang::En && grouped_by(&cleaned, ',') {
                cleaned.replace(',', "")
            } else {
                return Err(NotANumber);
            }
        }
        (Some(_), None) if lang == Lang::Es && grouped_by(&cleaned, '.') => {
            cleaned.replace('.', "")
        }
        _ => cleaned.clone(),
    };
    let plain = normalized
        .trim_start_matches(['-', '+'])
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.');
    match normalized.parse::<f64>() {
        Ok(v) if plain && v.is_finite() => Ok(Some(v)),
        _ => Err(NotANumber),
    }
}

/// `1.250.000` for `sep = '.'`: a sign, one to three digits not starting
/// with 0, then groups of exactly three digits.
fn grouped_by(text: &str, sep: char) -> bool {
    let digits = text.trim_start_matches(['-', '+']);
    let mut parts = digits.split(sep);
    let Some(first) = parts.next() else {
        return false;
    };
    let first_ok = (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && !first.starts_with('0');
    let mut rest = 0;
    let rest_ok = parts.all(|p| {
        rest += 1;
        p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit())
    });
    first_ok && rest_ok && rest > 0
}

#[cfg(test)]
mod tests {
    use super::super::with_lang;
    use super::*;

    fn en<R>(f: impl FnOnce() -> R) -> R {
        with_lang(Lang::En, f)
    }

    fn es<R>(f: impl FnOnce() -> R) -> R {
        with_lang(Lang::Es, f)
    }

    #[test]
    fn spanish_screens_show_a_decimal_comma_and_group_thousands_with_a_dot() {
        es(|| {
            assert_eq!(format(12500.75, 2, Use::Screen), "12.500,75");
            assert_eq!(format(1234567.0, 2, Use::Screen), "1.234.567");
            assert_eq!(format(2500.0, 2, Use::Screen), "2.500");
            assert_eq!(format(999.5, 2, Use::Screen), "999,5");
            assert_eq!(format(-18743.86, 1, Use::Screen), "-18.743,9");
            assert_eq!(format(0.25, 2, Use::Screen), "0,25");
            assert_eq!(format(-0.001, 2, Use::Screen), "0");
            assert_eq!(integer(416750u64, Use::Screen), "416.750");
            assert_eq!(integer(-3334i64, Use::Screen), "-3.334");
        });
    }

    #[test]
    fn spanish_inputs_and_messages_use_the_comma_without_grouping() {
        es(|| {
            assert_eq!(format(12500.75, 2, Use::Input), "12500,75");
            assert_eq!(format(0.05, 2, Use::Input), "0,05");
            assert_eq!(format(40.0, 2, Use::Input), "40");
            assert_eq!(format(1.5e20, 2, Use::Input), "1,5e20");
        });
    }

    #[test]
    fn spanish_documents_group_with_a_dot() {
        es(|| {
            assert_eq!(format(29343.857, 0, Use::Document), "29.344");
            assert_eq!(format(2.27, 2, Use::Document), "2,27");
            assert_eq!(format(f64::NAN, 2, Use::Document), "—");
        });
    }

    #[test]
    fn english_is_shown_as_before() {
        en(|| {
            assert_eq!(format(12500.75, 2, Use::Screen), "12500.75");
            assert_eq!(format(12500.75, 2, Use::Input), "12500.75");
            assert_eq!(format(29343.857, 0, Use::Document), "29,344");
            assert_eq!(format(145.555, 2, Use::Document), "145.56");
            assert_eq!(format(-0.0, 2, Use::Screen), "0");
            assert_eq!(format(3.0, 2, Use::Screen), "3");
            assert_eq!(format(1e16, 2, Use::Screen), "1e16");
            assert_eq!(format(f64::INFINITY, 2, Use::Input), "inf");
            assert_eq!(integer(416750u64, Use::Screen), "416750");
            assert_eq!(integer(416750u64, Use::Document), "416,750");
        });
    }

    #[test]
    fn spanish_input_reads_a_decimal_comma_and_thousands_dots() {
        let p = |s| parse_in(Lang::Es, s);
        assert_eq!(p("12500,75"), Ok(Some(12500.75)));
        assert_eq!(p("12.500,75"), Ok(Some(12500.75)));
        assert_eq!(p("12.500"), Ok(Some(12500.0)));
        assert_eq!(p("1.250.000"), Ok(Some(1_250_000.0)));
        assert_eq!(p("-3,5"), Ok(Some(-3.5)));
        assert_eq!(p("0,25"), Ok(Some(0.25)));
        assert_eq!(p(" 10 000 "), Ok(Some(10000.0)));
        assert_eq!(p(""), Ok(None));
        // A dot that cannot be grouping is the decimal mark.
        assert_eq!(p("0.25"), Ok(Some(0.25)));
        assert_eq!(p("3.5"), Ok(Some(3.5)));
        assert_eq!(p("12.50"), Ok(Some(12.5)));
        // Both marks: the last one is the decimal mark.
        assert_eq!(p("1,234.5"), Ok(Some(1234.5)));
        assert!(p("1,2,3").is_err());
        assert!(p("12a").is_err());
        assert!(p("inf").is_err());
        assert!(p("NaN").is_err());
        assert!(p("1e5").is_err());
    }

    #[test]
    fn english_input_reads_as_it_always_did() {
        let p = |s| parse_in(Lang::En, s);
        assert_eq!(p("1234.5"), Ok(Some(1234.5)));
        assert_eq!(p("1234,5"), Ok(Some(1234.5)));
        assert_eq!(p("1,234.5"), Ok(Some(1234.5)));
        assert_eq!(p("12.500"), Ok(Some(12.5)));
        assert_eq!(p("1,234,567"), Ok(Some(1_234_567.0)));
        assert_eq!(p("-0.02"), Ok(Some(-0.02)));
        assert!(p("12a").is_err());
    }

    #[test]
    fn what_spanish_shows_reads_back_to_the_same_value() {
        for v in [0.0, 0.25, -0.02, 3.5, 999.99, 1000.0, 12500.75, 1_234_567.5] {
            for how in [Use::Input, Use::Screen] {
                let shown = es(|| format(v, 2, how));
                assert_eq!(parse_in(Lang::Es, &shown), Ok(Some(v)), "{shown}");
            }
        }
    }
}
