//! Fuzzes the loader, the validator and the migration chain: any bytes as a
//! plan file. Modelled on toml_edit's `parse_document` target.
//!
//! Never a panic, and:
//! - a refusal is located (`FILE:LINE:COL`) or says what to do (a hint);
//! - a plan that loads survives save → load: written as a new file and
//!   merged into its own text, it loads back as the same plan, and a second
//!   save of the merged text changes nothing.
//!
//! `schema_version = 0` goes through a synthetic migration (the real
//! registry is empty), so the migration path is fuzzed too.

#![no_main]

use std::path::Path;

use libfuzzer_sys::{Corpus, fuzz_target};
use rumbo::store::{LoadError, load, migrate, save};

fn v0_title_to_name(doc: &mut toml_edit::DocumentMut) {
    if let Some(plan) = doc.get_mut("plan") {
        migrate::rename_key(plan, "title", "name");
    }
}

const SYNTHETIC: &[migrate::Migration] = &[migrate::Migration {
    from: 0,
    apply: v0_title_to_name,
}];

fuzz_target!(|data: &[u8]| -> Corpus {
    let path = Path::new("fuzz.toml");
    let Ok(text) = std::str::from_utf8(data) else {
        return Corpus::Reject;
    };
    let parsed = match load::parse_with(path, text, SYNTHETIC) {
        Ok(parsed) => parsed,
        Err(err) => {
            let d = err.diagnostic();
            match err {
                LoadError::Syntax(_) | LoadError::Shape(_) => {
                    assert!(d.line > 0 || d.hint.is_some(), "not located: {err}");
                }
                LoadError::NotAPlan(_) | LoadError::Io(_) => {
                    assert!(d.line > 0 || d.hint.is_some(), "no hint: {err}");
                }
            }
            // Rendering the message must not panic either.
            let _ = err.to_string();
            return Corpus::Keep;
        }
    };
    // NaN is not equal to itself: compare the debug forms.
    let same = |a: &rumbo::plan::Plan, b: &rumbo::plan::Plan| format!("{a:?}") == format!("{b:?}");

    let fresh = save::render(None, &parsed.plan);
    let back = load::parse(path, &fresh)
        .unwrap_or_else(|e| panic!("a fresh layout does not load: {e}\n{fresh}"));
    assert!(
        same(&back.plan, &parsed.plan),
        "fresh layout changed the plan\n{fresh}"
    );

    let base = parsed.migrated.as_ref().map_or(text, |m| m.text.as_str());
    let merged = save::render(Some(base), &parsed.plan);
    let back = load::parse(path, &merged)
        .unwrap_or_else(|e| panic!("a merged save does not load: {e}\n{merged}"));
    assert!(
        same(&back.plan, &parsed.plan),
        "merge changed the plan\n{merged}"
    );
    assert_eq!(
        save::render(Some(&merged), &back.plan),
        merged,
        "second save differs"
    );
    Corpus::Keep
});
