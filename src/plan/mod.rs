//! The plan: serde types for the whole file format, ids and validation.
//!
//! Pure: no files, no terminal. The `store` module turns text into a `Plan`
//! and back; `validate` lists what is wrong with a plan's values, each problem
//! carrying the path of the value so the caller can point at its line.

mod date;
pub mod diff;
mod model;
pub mod validate;

pub use date::{Date, DateParseError};
pub use model::*;
pub use validate::{PathSeg, Problem, Severity, validate};

/// True when `s` is a valid id: a short slug of `[a-z0-9_-]`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Turns any text into a slug (for suggesting ids from names).
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = fold_latin(c).to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The plain letter of an accented Latin letter (`ñ` → `n`, `Á` → `A`), so
/// that `plan año` slugs as `plan-ano`; other characters are returned as
/// they are.
fn fold_latin(c: char) -> char {
    const FROM: &str = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ";
    const TO: &str = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyy";
    match FROM.chars().position(|f| f == c) {
        Some(i) => TO.chars().nth(i).unwrap_or(c),
        None => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii_words() {
        assert!(is_slug("ops-lead_2"));
        assert!(!is_slug("Ops"));
        assert!(!is_slug("../x"));
        assert!(!is_slug(""));
        assert_eq!(slugify("Ops Lead (50 people)"), "ops-lead-50-people");
        assert_eq!(slugify("DentaFlow 2026"), "dentaflow-2026");
        assert_eq!(slugify("plan año Ñandú"), "plan-ano-nandu");
    }
}
