//! Numbers as people read and type them, per language: the one formatter
//! and parser of figures shown on screen, in messages and in documents.
//!
//! The marks come from the locale: `number.decimal` and `number.thousands`
//! on screen (English shows `12500.75`, Spanish `12.500,75`), and
//! `export.number.*` in the Markdown and HTML documents (`12,501` /
//! `12.501`). What a field shows is never grouped, so it reads back the same.
//!
//! Typed figures are read strictly as the language writes them
//! ([`read_in`]): a figure only the other language writes, or one both read
//! differently, is refused with how to type it, never guessed. Files, JSON,
//! CSV and `--json` output never come through the language's marks: they
//! keep TOML's and JSON's own number formats, and the command line and
//! imports read the plain form ([`parse_plain`]).

use super::{Lang, lang, t, tf};

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

/// `v` as a person types it into a field in the language in force (no
/// grouping, at most `decimals` decimals), written so that it reads back as
/// the same value: a fraction of exactly three digits that would read as
/// thousands in the other language gets a trailing zero (`1.1250`).
pub fn input(v: f64, decimals: usize) -> String {
    let mut shown = format(v, decimals, Use::Input);
    if matches!(parse(&shown), Err(NumberError::Ambiguous { .. })) {
        shown.push('0');
    }
    shown
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

/// The largest magnitude rumbo takes for any figure it reads, typed or in a
/// file (a quadrillion: far beyond any plan, well inside what `f64` holds
/// exactly enough to add and compare).
pub const MAX_MAGNITUDE: f64 = crate::plan::validate::MAX_MAGNITUDE;

/// What a typed figure is, for reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// A plain figure (money, counts, days): a `%` is refused.
    Plain,
    /// A percentage stored as a percentage (`60` for 60 %): `60`, `60 %`
    /// and `60%` are all 60.
    Percent,
    /// A percentage stored as a fraction (`0.02` for 2 %): `2`, `2 %` and
    /// `2%` are all 0.02, computed on the decimal digits (no rounding error).
    Fraction,
}

/// Why a typed figure was refused. [`NumberError::message`] says it in the
/// language in force, with how to type it instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    /// Not a figure at all (letters, symbols, an exponent).
    NotANumber,
    /// Thousands marks that do not make groups of three (`1,23,4`).
    BadGrouping,
    /// A figure written the way the *other* language writes it (`6,7` in
    /// English): `hint` is the same figure as this language writes it.
    OtherLanguage { hint: String },
    /// A lone decimal mark followed by exactly three digits (`6.700` in
    /// English): the other language reads it as thousands, so it is refused
    /// rather than guessed. `decimal` and `thousands` are the two readings,
    /// each written so that it is not ambiguous.
    Ambiguous { decimal: String, thousands: String },
    /// Beyond [`MAX_MAGNITUDE`].
    TooLarge,
    /// A `%` in a field that is not a percentage.
    NotPercent,
}

impl NumberError {
    /// The message for the field, in the language in force.
    pub fn message(&self) -> String {
        match self {
            NumberError::NotANumber => t("number.typed.not_a_number").to_string(),
            NumberError::BadGrouping => t("number.typed.bad_grouping").to_string(),
            NumberError::OtherLanguage { hint } => {
                tf("number.typed.other_language", &[("hint", hint)])
            }
            NumberError::Ambiguous { decimal, thousands } => tf(
                "number.typed.ambiguous",
                &[("decimal", decimal), ("thousands", thousands)],
            ),
            NumberError::TooLarge => t("number.typed.too_large").to_string(),
            NumberError::NotPercent => t("number.typed.not_percent").to_string(),
        }
    }
}

impl std::fmt::Display for NumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// Reads a plain figure as a person types it in the language in force;
/// `None` when the text is empty. See [`read_in`].
pub fn parse(text: &str) -> Result<Option<f64>, NumberError> {
    read_in(lang(), text, Read::Plain)
}

/// [`parse`] for a given language.
pub fn parse_in(lang: Lang, text: &str) -> Result<Option<f64>, NumberError> {
    read_in(lang, text, Read::Plain)
}

/// Reads a figure of kind `how` in the language in force. See [`read_in`].
pub fn read(text: &str, how: Read) -> Result<Option<f64>, NumberError> {
    read_in(lang(), text, how)
}

/// A figure in the form a machine writes it: the command line's VALUE and
/// the values of an import file, in every language (`12500.75`, `-3`,
/// `1e6`). It must be finite and at most [`MAX_MAGNITUDE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlainError {
    /// Not a number in the plain form (`1,234`, `12,5`, `abc`).
    NotPlain,
    /// `inf`, `NaN`, or a figure that overflows.
    NotFinite,
    /// Finite, but beyond [`MAX_MAGNITUDE`].
    TooLarge,
}

impl PlainError {
    /// The message, in the language in force, naming the text.
    pub fn message(&self, text: &str) -> String {
        let key = match self {
            PlainError::NotPlain => "number.plain.not_plain",
            PlainError::NotFinite => "number.plain.not_finite",
            PlainError::TooLarge => "number.plain.too_large",
        };
        tf(key, &[("text", &text)])
    }
}

/// Reads a figure in the plain form (see [`PlainError`]).
pub fn parse_plain(text: &str) -> Result<f64, PlainError> {
    let text = text.trim();
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return Err(PlainError::NotFinite);
    }
    // Only what `f64` reads as digits: no words, no marks between thousands.
    let plain = !body.is_empty()
        && body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    let v: f64 = match text.parse() {
        Ok(v) if plain => v,
        _ => return Err(PlainError::NotPlain),
    };
    if !v.is_finite() {
        Err(PlainError::NotFinite)
    } else if v.abs() > MAX_MAGNITUDE {
        Err(PlainError::TooLarge)
    } else {
        Ok(v)
    }
}

/// The marks a language types figures with: (decimal, thousands).
fn typed_marks(lang: Lang) -> (char, char) {
    match lang {
        Lang::En => ('.', ','),
        Lang::Es => (',', '.'),
    }
}

/// A figure as decimal digits: sign, whole part and fraction, unmarked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Digits {
    negative: bool,
    int: String,
    frac: String,
}

impl Digits {
    /// `int.frac` moved `places` to the left (a percentage to a fraction).
    fn shifted_left(&self, places: usize) -> Digits {
        let int = format!("{}{}", "0".repeat(places), self.int);
        let cut = int.len() - places;
        Digits {
            negative: self.negative,
            int: int[..cut].to_string(),
            frac: format!("{}{}", &int[cut..], self.frac),
        }
    }

    fn value(&self) -> f64 {
        let int = if self.int.is_empty() { "0" } else { &self.int };
        let frac = if self.frac.is_empty() {
            "0"
        } else {
            &self.frac
        };
        let v: f64 = format!("{int}.{frac}").parse().unwrap_or(f64::INFINITY);
        if self.negative { -v } else { v }
    }

    /// As `lang` types it, ungrouped: `-1234,5`. `pad` keeps a fraction of
    /// exactly three digits from looking like thousands (`1,1250`).
    fn written(&self, lang: Lang, pad: bool) -> String {
        let (decimal, _) = typed_marks(lang);
        let int = self.int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        let frac = self.frac.trim_end_matches('0');
        let mut out = String::new();
        if self.negative && !(int == "0" && frac.is_empty()) {
            out.push('-');
        }
        out.push_str(int);
        if !frac.is_empty() {
            out.push(decimal);
            out.push_str(frac);
            if pad && frac.len() == 3 && int != "0" && int.len() <= 3 {
                out.push('0');
            }
        }
        out
    }
}

/// Spaces people put between thousands: space, no-break space, narrow
/// no-break space, thin space and figure space.
fn is_space_mark(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2007}')
}

/// Why a text is not a figure in one language, before hints are sought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strict {
    NotANumber,
    BadGrouping,
}

/// The sign and body of a trimmed text (`−` is a minus sign too).
fn split_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('\u{2212}'))
    {
        (true, rest.trim_start())
    } else if let Some(rest) = text.strip_prefix('+') {
        (false, rest.trim_start())
    } else {
        (false, text)
    }
}

/// Reads `body` (no sign, trimmed) exactly as `lang` writes figures: one
/// decimal mark at most, thousands marks (the language's, or spaces) only in
/// the whole part and only between groups of three.
fn strict(lang: Lang, negative: bool, body: &str) -> Result<Digits, Strict> {
    let (decimal, thousands) = typed_marks(lang);
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_space_mark(c))
    {
        return Err(Strict::NotANumber);
    }
    let mut parts = body.split(decimal);
    let int_marked = parts.next().unwrap_or("");
    let frac = parts.next();
    if parts.next().is_some() {
        return Err(Strict::BadGrouping);
    }
    let frac = frac.unwrap_or("");
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Strict::BadGrouping);
    }
    let marked = |c: char| c == thousands || is_space_mark(c);
    let int = if int_marked.contains(marked) {
        // Groups: one to three digits (not a lone leading zero), then
        // groups of exactly three, all split by the same kind of mark.
        let spaces = int_marked.contains(is_space_mark);
        if spaces && int_marked.contains(thousands) {
            return Err(Strict::BadGrouping);
        }
        let mut groups = int_marked.split(marked);
        let first = groups.next().unwrap_or("");
        let first_ok = (1..=3).contains(&first.len())
            && first.bytes().all(|b| b.is_ascii_digit())
            && !first.starts_with('0');
        if !first_ok || !groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())) {
            return Err(Strict::BadGrouping);
        }
        int_marked.chars().filter(char::is_ascii_digit).collect()
    } else {
        int_marked.to_string()
    };
    if int.is_empty() && frac.is_empty() {
        return Err(Strict::NotANumber);
    }
    Ok(Digits {
        negative,
        int,
        frac: frac.to_string(),
    })
}

/// Reads a figure as a person types it in `lang`; `None` when the text is
/// empty.
///
/// - English: `.` marks decimals and `,` thousands (`1,234,567.5`);
///   Spanish the reverse (`1.234.567,5`). Spaces (also no-break and narrow
///   no-break spaces) may group thousands instead. A sign may lead.
/// - Thousands marks must make groups of three: `1,23,4` is refused.
/// - A figure only the other language reads (`6,7` or `1.234.567` in
///   English, `6.7` in Spanish) is refused with the same figure as this
///   language writes it: it is never read the other language's way.
/// - A lone decimal mark followed by exactly three digits (`6.700` in
///   English, `6,700` in Spanish) is what the other language writes for
///   thousands: it is refused as ambiguous, with both readings. (A lone
///   *thousands* mark followed by three digits, `6,700` in English, is
///   thousands: that is how this language writes it.)
/// - `how` decides what a `%` means (see [`Read`]); the figure must be
///   finite and at most [`MAX_MAGNITUDE`].
pub fn read_in(lang: Lang, text: &str, how: Read) -> Result<Option<f64>, NumberError> {
    let mut text = text.trim_matches(|c: char| c.is_whitespace() || is_space_mark(c));
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(rest) = text.strip_suffix('%') {
        if how == Read::Plain {
            return Err(NumberError::NotPercent);
        }
        text = rest.trim_end_matches(|c: char| c.is_whitespace() || is_space_mark(c));
    }
    let (negative, body) = split_sign(text);
    let digits = match strict(lang, negative, body) {
        Ok(d) => d,
        Err(why) => {
            let other = match lang {
                Lang::En => Lang::Es,
                Lang::Es => Lang::En,
            };
            return Err(match strict(other, negative, body) {
                Ok(d) => NumberError::OtherLanguage {
                    hint: d.written(lang, true),
                },
                Err(_) if why == Strict::BadGrouping => NumberError::BadGrouping,
                Err(_) => NumberError::NotANumber,
            });
        }
    };
    let (decimal, _) = typed_marks(lang);
    let lone_three = !body.contains(|c: char| c != decimal && !c.is_ascii_digit())
        && digits.frac.len() == 3
        && (1..=3).contains(&digits.int.len())
        && !digits.int.starts_with('0');
    if lone_three {
        let thousands = Digits {
            negative,
            int: format!("{}{}", digits.int, digits.frac),
            frac: String::new(),
        };
        return Err(NumberError::Ambiguous {
            decimal: digits.written(lang, true),
            thousands: thousands.written(lang, false),
        });
    }
    let digits = if how == Read::Fraction {
        digits.shifted_left(2)
    } else {
        digits
    };
    let v = digits.value();
    if !v.is_finite() || v.abs() > MAX_MAGNITUDE {
        return Err(NumberError::TooLarge);
    }
    // `-0` is 0.
    Ok(Some(if v == 0.0 { 0.0 } else { v }))
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

    use NumberError::*;

    fn other(hint: &str) -> Result<Option<f64>, NumberError> {
        Err(OtherLanguage {
            hint: hint.to_string(),
        })
    }

    fn ambiguous(decimal: &str, thousands: &str) -> Result<Option<f64>, NumberError> {
        Err(Ambiguous {
            decimal: decimal.to_string(),
            thousands: thousands.to_string(),
        })
    }

    #[test]
    fn english_reads_a_comma_as_thousands_and_a_dot_as_decimals() {
        let cases: &[(&str, Result<Option<f64>, NumberError>)] = &[
            ("60,000", Ok(Some(60_000.0))),
            ("6,700", Ok(Some(6_700.0))),
            ("1,234,567.5", Ok(Some(1_234_567.5))),
            ("1234.5", Ok(Some(1234.5))),
            ("12500.75", Ok(Some(12500.75))),
            ("0.25", Ok(Some(0.25))),
            (".5", Ok(Some(0.5))),
            ("-0.02", Ok(Some(-0.02))),
            ("+3", Ok(Some(3.0))),
            ("\u{2212}3", Ok(Some(-3.0))),
            ("-0", Ok(Some(0.0))),
            (" 10 000 ", Ok(Some(10_000.0))),
            ("10\u{a0}000", Ok(Some(10_000.0))),
            ("1\u{202f}234\u{202f}567.25", Ok(Some(1_234_567.25))),
            ("0.125", Ok(Some(0.125))),
            ("1234.567", Ok(Some(1234.567))),
            ("", Ok(None)),
            ("   ", Ok(None)),
            // Only Spanish reads these: refused with the English way.
            ("6,7", other("6.7")),
            ("6,75", other("6.75")),
            ("0,5", other("0.5")),
            ("1234,5", other("1234.5")),
            ("12.500,75", other("12500.75")),
            ("1.234.567", other("1234567")),
            ("1,2345", other("1.2345")),
            // Spanish reads these as thousands: ambiguous.
            ("6.700", ambiguous("6.7", "6700")),
            ("12.500", ambiguous("12.5", "12500")),
            ("1.125", ambiguous("1.1250", "1125")),
            ("-6.700", ambiguous("-6.7", "-6700")),
            // Malformed.
            ("1,23,4", Err(BadGrouping)),
            ("1,2,3", Err(BadGrouping)),
            ("12,34,567", Err(BadGrouping)),
            ("1 0000", Err(BadGrouping)),
            ("1,234 567", Err(BadGrouping)),
            ("1.2.3", Err(BadGrouping)),
            ("12a", Err(NotANumber)),
            ("1e5", Err(NotANumber)),
            ("inf", Err(NotANumber)),
            ("NaN", Err(NotANumber)),
            ("--3", Err(NotANumber)),
            ("2 %", Err(NotPercent)),
            ("1,000,000,000,000,001", Err(TooLarge)),
        ];
        for (text, want) in cases {
            assert_eq!(&parse_in(Lang::En, text), want, "{text:?}");
        }
    }

    #[test]
    fn spanish_reads_a_dot_as_thousands_and_a_comma_as_decimals() {
        let cases: &[(&str, Result<Option<f64>, NumberError>)] = &[
            ("12500,75", Ok(Some(12500.75))),
            ("12.500,75", Ok(Some(12500.75))),
            ("12.500", Ok(Some(12500.0))),
            ("6.700", Ok(Some(6700.0))),
            ("1.250.000", Ok(Some(1_250_000.0))),
            ("-3,5", Ok(Some(-3.5))),
            ("0,25", Ok(Some(0.25))),
            ("0,700", Ok(Some(0.7))),
            ("1234,567", Ok(Some(1234.567))),
            (" 10 000 ", Ok(Some(10_000.0))),
            ("12\u{202f}500,75", Ok(Some(12500.75))),
            ("", Ok(None)),
            // Only English reads these: refused with the Spanish way.
            ("6.7", other("6,7")),
            ("0.25", other("0,25")),
            ("3.5", other("3,5")),
            ("12.50", other("12,5")),
            ("1,234.5", other("1234,5")),
            ("1,234,567", other("1234567")),
            // English reads these as thousands: ambiguous.
            ("6,700", ambiguous("6,7", "6700")),
            ("1,125", ambiguous("1,1250", "1125")),
            // Malformed.
            ("1,2,3", Err(BadGrouping)),
            ("1.23.4", Err(BadGrouping)),
            ("12a", Err(NotANumber)),
            ("inf", Err(NotANumber)),
            ("NaN", Err(NotANumber)),
            ("1e5", Err(NotANumber)),
        ];
        for (text, want) in cases {
            assert_eq!(&parse_in(Lang::Es, text), want, "{text:?}");
        }
    }

    #[test]
    fn percentages_read_the_same_with_or_without_the_sign() {
        for (lang, text, percent, fraction) in [
            (Lang::En, "2", 2.0, 0.02),
            (Lang::En, "2 %", 2.0, 0.02),
            (Lang::En, "2%", 2.0, 0.02),
            (Lang::En, "2\u{a0}%", 2.0, 0.02),
            (Lang::En, "1.1", 1.1, 0.011),
            (Lang::En, "0.5 %", 0.5, 0.005),
            (Lang::En, "-3", -3.0, -0.03),
            (Lang::En, "150", 150.0, 1.5),
            (Lang::Es, "1,5 %", 1.5, 0.015),
            (Lang::Es, "60", 60.0, 0.6),
            (Lang::Es, "0,25%", 0.25, 0.0025),
        ] {
            assert_eq!(
                read_in(lang, text, Read::Percent),
                Ok(Some(percent)),
                "{text}"
            );
            // The fraction is what the decimal digits say, not 1.1 / 100.
            assert_eq!(
                read_in(lang, text, Read::Fraction),
                Ok(Some(fraction)),
                "{text}"
            );
        }
        assert_eq!(read_in(Lang::En, "%", Read::Fraction), Err(NotANumber));
        assert_eq!(read_in(Lang::En, "6,7 %", Read::Fraction), other("6.7"));
    }

    #[test]
    fn plain_figures_are_finite_and_sane() {
        assert_eq!(parse_plain("12500.75"), Ok(12500.75));
        assert_eq!(parse_plain(" -3 "), Ok(-3.0));
        assert_eq!(parse_plain("1e6"), Ok(1e6));
        assert_eq!(parse_plain("1e15"), Ok(1e15));
        for bad in ["inf", "-inf", "+Infinity", "NaN", "1e400", "-1e309"] {
            assert_eq!(parse_plain(bad), Err(PlainError::NotFinite), "{bad}");
        }
        for big in ["-1.7e308", "1e16", "1000000000000001"] {
            assert_eq!(parse_plain(big), Err(PlainError::TooLarge), "{big}");
        }
        for bad in ["1,234", "12,5", "abc", "", "1 000", "0x10", "--1"] {
            assert_eq!(parse_plain(bad), Err(PlainError::NotPlain), "{bad}");
        }
    }

    #[test]
    fn refusals_say_how_to_type_it() {
        en(|| {
            let e = parse_in(Lang::En, "6,7").unwrap_err();
            assert!(e.message().contains("6.7"), "{e}");
            let e = parse_in(Lang::En, "6.700").unwrap_err();
            assert!(
                e.message().contains("6.7") && e.message().contains("6700"),
                "{e}"
            );
        });
        es(|| {
            let e = parse_in(Lang::Es, "6.7").unwrap_err();
            assert!(e.message().contains("6,7"), "{e}");
            let e = parse_in(Lang::Es, "6,700").unwrap_err();
            assert!(
                e.message().contains("6,7") && e.message().contains("6700"),
                "{e}"
            );
        });
    }

    #[test]
    fn what_a_field_shows_reads_back_to_the_same_value() {
        for lang in Lang::ALL {
            for v in [
                0.0,
                0.25,
                -0.02,
                1.125,
                6.7,
                999.99,
                1000.0,
                12500.75,
                1_234_567.5,
            ] {
                let shown = with_lang(lang, || input(v, 3));
                assert_eq!(parse_in(lang, &shown), Ok(Some(v)), "{lang:?} {shown}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// The safety property: a figure as one language writes it
        /// (grouped, with its decimal mark) is read by the other language
        /// as the same value or refused, never as another value.
        #[test]
        fn a_figure_is_never_read_as_another_value_by_the_other_language(
            cents in -100_000_000_000_000i64..100_000_000_000_000i64,
        ) {
            let v = cents as f64 / 100.0;
            for (from, to) in [(Lang::En, Lang::Es), (Lang::Es, Lang::En)] {
                for how in [Use::Document, Use::Screen, Use::Input] {
                    let text = with_lang(from, || format(v, 2, how));
                    let own = parse_in(from, &text);
                    if !matches!(own, Err(NumberError::Ambiguous { .. })) {
                        proptest::prop_assert_eq!(&own, &Ok(Some(v)), "{:?} {}", from, text);
                    }
                    match parse_in(to, &text) {
                        Ok(Some(read)) => proptest::prop_assert_eq!(read, v, "{:?} read {}", to, text),
                        Ok(None) => proptest::prop_assert!(false, "{} read as empty", text),
                        Err(_) => {}
                    }
                }
            }
        }

        /// Whatever is typed, reading never panics and never yields a value
        /// that is not finite or beyond the bound.
        #[test]
        fn reading_any_text_is_safe(text in "[-+0-9.,% \u{a0}\u{202f}a-z]{0,24}") {
            for lang in Lang::ALL {
                for how in [Read::Plain, Read::Percent, Read::Fraction] {
                    if let Ok(Some(v)) = read_in(lang, &text, how) {
                        proptest::prop_assert!(v.is_finite() && v.abs() <= MAX_MAGNITUDE);
                    }
                }
            }
            if let Ok(v) = parse_plain(&text) {
                proptest::prop_assert!(v.is_finite() && v.abs() <= MAX_MAGNITUDE);
            }
        }
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
