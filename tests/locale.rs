//! Every text key the code asks for exists in the English locale.

use std::path::Path;

use rumbo::i18n;

/// Prefixes of locale keys as they appear in string literals in the code.
const PREFIXES: &[&str] = &[
    "advice.",
    "cli.",
    "col.",
    "diag.",
    "f.",
    "form.",
    "help.",
    "keys.",
    "load.",
    "msg.",
    "paths.",
    "problem.",
    "section.",
    "start.",
    "store.",
    "summary.",
    "table.",
    "ui.",
    "view.",
    "forecast.",
];

fn literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

fn scan(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scan(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for lit in literals(&text) {
                let is_key = PREFIXES.iter().any(|p| lit.starts_with(p))
                    && lit.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                    })
                    && !lit.ends_with('.');
                if is_key {
                    found.push((path.display().to_string(), lit));
                }
            }
        }
    }
}

#[test]
fn every_key_in_the_code_has_an_english_text() {
    let mut found = Vec::new();
    scan(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path(),
        &mut found,
    );
    assert!(
        found.len() > 100,
        "the scan finds the keys ({})",
        found.len()
    );
    let missing: Vec<String> = found
        .into_iter()
        .filter(|(_, key)| {
            // Field keys are looked up as `<key>.label`.
            let is_field = key.starts_with("f.") && key.matches('.').count() == 1;
            let key = if is_field {
                format!("{key}.label")
            } else {
                key.clone()
            };
            !i18n::has(&key)
        })
        .map(|(file, key)| format!("{file}: {key}"))
        .collect();
    assert!(
        missing.is_empty(),
        "missing locale keys:\n{}",
        missing.join("\n")
    );
}

#[test]
fn keys_built_at_run_time_have_english_texts() {
    use rumbo::metrics::Status;
    use rumbo::plan::{SourceKind, Stage};
    use rumbo::tui::steps::Step;
    let mut keys = Vec::new();
    for s in Stage::ALL {
        keys.push(format!("stage.{}", s.key()));
    }
    for k in SourceKind::ALL {
        keys.push(format!("source_kind.{}", k.key()));
        if k != SourceKind::Other {
            keys.push(format!("suggest.{}", k.key()));
        }
    }
    for s in Status::ALL {
        keys.push(format!("status.{}", s.key()));
    }
    for step in Step::ALL {
        for part in ["title", "short", "guide"] {
            keys.push(format!("{}.{part}", step.key()));
        }
    }
    for s in ["todo", "doing", "done", "dropped"] {
        keys.push(format!("action_status.{s}"));
    }
    for s in ["evaluating", "adopted", "rejected"] {
        keys.push(format!("tool_status.{s}"));
    }
    for s in ["marketing", "sales", "other"] {
        keys.push(format!("team_kind.{s}"));
    }
    for s in [
        "collateral",
        "analytics-utm",
        "campaign",
        "call-script",
        "enablement-tools",
        "upsells",
    ] {
        keys.push(format!("example_action.{s}"));
    }
    for s in [
        "more-sqls",
        "cut-churn",
        "faster-sales",
        "raise-ltv",
        "new-region",
        "pricing-conversion",
    ] {
        keys.push(format!("example_goal.{s}.title"));
        keys.push(format!("example_goal.{s}.specific"));
    }
    for m in ["none", "linear", "growth", "manual"] {
        keys.push(format!("method.{m}"));
    }
    for u in rumbo::plan::Unit::ALL {
        keys.push(format!("unit.{}", u.key()));
    }
    for r in ["hire", "budget", "tactics", "new_channel", "other"] {
        keys.push(format!("remedy.{r}"));
    }
    for r in [
        "specific_empty",
        "specific_no_verb",
        "specific_no_object",
        "specific_not_concrete",
        "no_kpi",
        "kpi_unknown",
        "achievable_empty",
        "required_far_beyond_trend",
        "relevant_missing",
        "no_start",
        "no_end",
        "end_before_start",
    ] {
        keys.push(format!("smart.{r}"));
    }
    let missing: Vec<&String> = keys.iter().filter(|k| !i18n::has(k)).collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
}

#[test]
fn guidance_differs_by_stage_for_the_first_steps() {
    for step in ["step.research", "step.customers", "step.situation"] {
        let pre = i18n::t(&format!("{step}.guide_pre_revenue"));
        let growth = i18n::t(&format!("{step}.guide_growth"));
        assert_ne!(pre, growth);
        assert!(!pre.starts_with("step."), "{step} has pre-revenue guidance");
    }
}
