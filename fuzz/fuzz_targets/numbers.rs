//! Fuzzes the number and date parsers of typed input, in English and
//! Spanish (`i18n::number`, `i18n::date`).
//!
//! Never a panic, and:
//! - a number that parses is finite;
//! - a number formatted for a field, or for a table on screen, reads back
//!   as the number it shows, in the same language;
//! - a date formatted in a language reads back as the same date.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rumbo::i18n::number::{self, Use};
use rumbo::i18n::{Lang, date, t, with_lang};
use rumbo::plan::Date;

const LANGS: [Lang; 2] = [Lang::En, Lang::Es];

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for lang in LANGS {
            if let Ok(Some(v)) = number::parse_in(lang, text) {
                assert!(v.is_finite(), "{lang:?}: {text:?} read as {v}");
            }
            let _ = date::parse_in(lang, text);
        }
    }

    // A number from the first eight bytes, a precision from the ninth.
    if let Some(bytes) = data.get(..8) {
        let v = f64::from_le_bytes(bytes.try_into().expect("eight bytes"));
        let decimals = usize::from(data.get(8).copied().unwrap_or(2) % 7);
        if v.is_finite() && v.abs() < 1e15 {
            for lang in LANGS {
                with_lang(lang, || {
                    for how in [Use::Input, Use::Screen] {
                        // A field shows `number::input` (which writes a
                        // fourth decimal where three would look like
                        // thousands); tables show the screen form.
                        let shown = match how {
                            Use::Input => number::input(v, decimals),
                            _ => number::format(v, decimals, how),
                        };
                        // What the text says, read with the marks of its language.
                        let plain = shown.replace(t("number.thousands"), "");
                        let plain = plain.replace(t("number.decimal"), ".");
                        let meant: f64 = plain
                            .parse()
                            .unwrap_or_else(|_| panic!("{lang:?} {how:?}: {v} shown as {shown:?}"));
                        match number::parse_in(lang, &shown) {
                            Ok(Some(read)) => assert_eq!(
                                read, meant,
                                "{lang:?} {how:?}: {v} shown as {shown:?} reads back wrong"
                            ),
                            // A table's `2.071` may be refused as ambiguous
                            // if typed back, never misread; a field's text
                            // always reads back.
                            Err(number::NumberError::Ambiguous { .. }) if how == Use::Screen => {}
                            other => panic!(
                                "{lang:?} {how:?}: {v} shown as {shown:?} reads back as {other:?}"
                            ),
                        }
                    }
                });
            }
        }
    }

    // A date from bytes 9–12.
    if let Some(b) = data.get(9..13) {
        let year = i16::from_le_bytes([b[0], b[1]]).rem_euclid(9999) + 1;
        let month = (b[2] % 12 + 1) as i8;
        let day = (b[3] % 31 + 1) as i8;
        if let Some(d) = Date::new(year, month, day) {
            for lang in LANGS {
                let shown = date::format_in(lang, d);
                assert_eq!(
                    date::parse_in(lang, &shown),
                    Ok(Some(d)),
                    "{lang:?}: {d} shown as {shown:?}"
                );
            }
        }
    }
});
