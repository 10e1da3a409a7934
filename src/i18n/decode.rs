//! serde's messages about a plan file's shape ("unknown field `titel`,
//! expected one of `name`, …", "invalid type: integer `5`, expected a
//! string"), said in the language in force.
//!
//! serde writes them in English. This reads the few shapes serde uses and
//! writes them again from the locale (`decode.*`); anything else (a message
//! of ours, already translated) passes through unchanged. English texts are
//! serde's own, so English output does not change.

use super::{fill, t};

/// `message` in the language in force.
pub fn message(message: &str) -> String {
    let shapes = [
        ("invalid type: ", "decode.invalid_type"),
        ("invalid value: ", "decode.invalid_value"),
        ("unknown field `", "decode.unknown_field"),
        ("unknown variant `", "decode.unknown_variant"),
        ("missing field `", "decode.missing_field"),
        ("duplicate field `", "decode.duplicate_field"),
    ];
    for (prefix, key) in shapes {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        // "unknown field `x`, there are no fields": nothing was expected.
        let none_key = format!("{key}_none");
        if let Some(name) = rest
            .strip_suffix("`, there are no fields")
            .or_else(|| rest.strip_suffix("`, there are no variants"))
        {
            return fill(t(&none_key), &[("name", &name)]);
        }
        let parts = match key {
            "decode.invalid_type" | "decode.invalid_value" => split_found(rest),
            "decode.unknown_field" | "decode.unknown_variant" => split_name(rest),
            _ => rest.strip_suffix('`').map(|name| Parts {
                first: name.to_string(),
                expected: String::new(),
            }),
        };
        if let Some(p) = parts {
            return fill(
                t(key),
                &[
                    ("found", &p.first),
                    ("name", &p.first),
                    ("expected", &p.expected),
                ],
            );
        }
    }
    message.to_string()
}

/// What a message names first (what was found, or the field), and what was
/// expected instead, both already in the language in force.
struct Parts {
    first: String,
    expected: String,
}

/// `integer `5`, expected a string`.
fn split_found(rest: &str) -> Option<Parts> {
    let (found, expected) = rest.rsplit_once(", expected ")?;
    Some(Parts {
        first: unexpected(found),
        expected: expected_text(expected),
    })
}

/// `titel`, expected one of `name`, `company``.
fn split_name(rest: &str) -> Option<Parts> {
    let (name, after) = rest.split_once('`')?;
    let expected = after.strip_prefix(", ")?;
    let expected = expected_text(expected.strip_prefix("expected ")?);
    Some(Parts {
        first: name.to_string(),
        expected,
    })
}

/// What serde found: `integer `5``, `string "x"`, `sequence`…
fn unexpected(found: &str) -> String {
    let kinds = [
        ("integer ", "decode.found.integer"),
        ("floating point ", "decode.found.float"),
        ("string ", "decode.found.string"),
        ("boolean ", "decode.found.boolean"),
        ("character ", "decode.found.character"),
    ];
    for (prefix, key) in kinds {
        if let Some(value) = found.strip_prefix(prefix) {
            return fill(t(key), &[("value", &value)]);
        }
    }
    let words = [
        ("sequence", "decode.found.sequence"),
        ("map", "decode.found.map"),
        ("unit value", "decode.found.unit"),
        ("unit", "decode.found.unit"),
    ];
    words
        .iter()
        .find(|(w, _)| *w == found)
        .map_or_else(|| found.to_string(), |(_, key)| t(key).to_string())
}

/// What serde wanted: `a string`, `f64`, `one of `a`, `b``, `struct Plan`…
fn expected_text(expected: &str) -> String {
    if let Some(list) = expected.strip_prefix("one of ") {
        return fill(t("decode.one_of"), &[("list", &list)]);
    }
    if let Some((a, b)) = expected.split_once("` or `") {
        return format!("{a}`{}`{b}", t("decode.or"));
    }
    if expected.starts_with("struct ") || expected.starts_with("a map") {
        return fill(t("decode.expected.table"), &[("original", &expected)]);
    }
    let words = [
        ("a string", "decode.expected.string"),
        ("a boolean", "decode.expected.boolean"),
        ("a sequence", "decode.expected.sequence"),
        ("a character", "decode.expected.character"),
    ];
    if let Some((_, key)) = words.iter().find(|(w, _)| *w == expected) {
        return t(key).to_string();
    }
    let numbers = [
        "f64", "f32", "i64", "i32", "i16", "i8", "u64", "u32", "u16", "u8", "usize", "isize",
    ];
    if numbers.contains(&expected) {
        return fill(t("decode.expected.number"), &[("type", &expected)]);
    }
    expected.to_string()
}

#[cfg(test)]
mod tests {
    use super::super::{Lang, with_lang};
    use super::*;

    const MESSAGES: [&str; 7] = [
        "unknown field `titel`, expected one of `name`, `company`",
        "unknown field `x`, there are no fields",
        "unknown variant `growht`, expected `pre_revenue` or `growth`",
        "invalid type: integer `5`, expected a string",
        "invalid type: string \"ten\", expected f64",
        "missing field `date`",
        "duplicate field `name`",
    ];

    #[test]
    fn english_messages_stay_exactly_as_serde_wrote_them() {
        with_lang(Lang::En, || {
            for m in MESSAGES {
                assert_eq!(message(m), m);
            }
            assert_eq!(
                message("invalid type: map, expected a string"),
                "invalid type: map, expected a string"
            );
            assert_eq!(message("something else"), "something else");
            let m = "invalid type: string \"x\", expected struct Observation";
            assert_eq!(message(m), m);
        });
    }

    #[test]
    fn spanish_messages_say_the_same_in_spanish() {
        with_lang(Lang::Es, || {
            let es: Vec<String> = MESSAGES.iter().map(|m| message(m)).collect();
            assert_eq!(
                es,
                [
                    "campo desconocido `titel`; se esperaba uno de estos: `name`, `company`",
                    "campo desconocido `x`; aquí no va ningún campo",
                    "valor desconocido `growht`; se esperaba `pre_revenue` o `growth`",
                    "tipo incorrecto: el entero `5`, cuando se esperaba un texto entre comillas",
                    "tipo incorrecto: el texto \"ten\", cuando se esperaba un número (f64)",
                    "falta el campo `date`",
                    "el campo `name` aparece dos veces",
                ]
            );
            assert_eq!(message("algo ya traducido"), "algo ya traducido");
        });
    }
}
