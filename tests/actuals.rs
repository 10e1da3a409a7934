//! `rumbo actuals add` and `rumbo actuals import` on a plan written by hand:
//! the file changes only where the new values go, bad input changes nothing.

mod common;

use common::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A plan formatted by hand, with comments everywhere rumbo must keep them.
const HAND: &str = r#"# Our plan — written by hand, please keep the comments.
schema_version = 1

[plan]
name = "Hand-made plan"   # the name on every screen
currency = "EUR"
north_star = "mrr"

# ---- KPIs -------------------------------------------------------------
[[kpis]]
id = "mrr"
name = "Monthly recurring revenue"
unit = "currency"
direction = "increase"
baseline = { value = 100.0, date = 2026-01-01 }   # where we started
target   = { value = 200.0, date = 2026-12-31 }   # aligned by hand
actuals = [
  { date = 2026-01-31, value = 110.0 },
  { date = 2026-02-28, value = 120.0 },  # estimated, to check
]
forecast = { method = "linear" }

[[kpis]]
id = "churn_rate"
name = "Churn, \"monthly\""
unit = "percent"
direction = "decrease"
baseline = { value = 3.0, date = 2026-01-01 }
target = { value = 2.0, date = 2026-12-31 }
# No actuals yet: they come from billing.

# ---- The end ----------------------------------------------------------
"#;

/// `rumbo` on the data directory `dir`, with 2026-04-15 as today.
fn rumbo(dir: &Path) -> Command {
    rumbo_on(dir, "2026-04-15")
}

/// The plan in a data directory, as the plan named `hand`.
fn setup(text: &str) -> (tempfile::TempDir, PathBuf) {
    write_plan("hand.toml", text)
}

/// Lines as a multiset.
fn line_counts(text: &str) -> BTreeMap<&str, usize> {
    let mut m = BTreeMap::new();
    for l in text.lines() {
        *m.entry(l).or_default() += 1;
    }
    m
}

/// (lines only in `before`, lines only in `after`), as multisets.
fn line_diff<'a>(before: &'a str, after: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let (b, a) = (line_counts(before), line_counts(after));
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for (line, n) in &b {
        for _ in *a.get(line).unwrap_or(&0)..*n {
            removed.push(*line);
        }
    }
    for (line, n) in &a {
        for _ in *b.get(line).unwrap_or(&0)..*n {
            added.push(*line);
        }
    }
    (removed, added)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// --- actuals add ------------------------------------------------------------

#[test]
fn add_appends_one_line_and_keeps_everything_else() {
    let (dir, path) = setup(HAND);
    let out = rumbo(dir.path())
        .args([
            "actuals",
            "add",
            "hand",
            "mrr",
            "130",
            "--date",
            "2026-03-31",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let after = read(&path);
    let (removed, added) = line_diff(HAND, &after);
    assert_eq!(removed, Vec::<&str>::new(), "{after}");
    assert_eq!(added, vec!["  { date = 2026-03-31, value = 130.0 },"]);
    // In place: right after the last actual, inside the array.
    assert!(after.contains(
        "  { date = 2026-02-28, value = 120.0 },  # estimated, to check\n  { date = 2026-03-31, value = 130.0 },\n]"
    ));
    assert!(stderr(&out).contains("mrr"));
}

#[test]
fn add_on_an_existing_date_replaces_the_value() {
    let (dir, path) = setup(HAND);
    let out = rumbo(dir.path())
        .args([
            "actuals",
            "add",
            "hand",
            "mrr",
            "125.5",
            "--date",
            "2026-02-28",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let after = read(&path);
    let (removed, added) = line_diff(HAND, &after);
    assert_eq!(
        removed,
        vec!["  { date = 2026-02-28, value = 120.0 },  # estimated, to check"]
    );
    assert_eq!(
        added,
        vec!["  { date = 2026-02-28, value = 125.5 },  # estimated, to check"]
    );
    assert!(stderr(&out).contains("120"), "says what it replaced");
}

#[test]
fn add_defaults_to_today_and_creates_the_list_when_there_is_none() {
    let (dir, path) = setup(HAND);
    let out = rumbo(dir.path())
        .args(["actuals", "add", "hand", "churn_rate", "2.9"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let after = read(&path);
    let (removed, added) = line_diff(HAND, &after);
    assert_eq!(removed, Vec::<&str>::new());
    assert_eq!(
        added,
        vec!["  { date = 2026-04-15, value = 2.9 },", "]", "actuals = ["]
    );
    let plan = rumbo::store::open(&path).unwrap().file.plan;
    assert_eq!(plan.kpis[1].actuals.len(), 1);
}

#[test]
fn an_unknown_kpi_is_exit_1_with_a_suggestion_and_no_write() {
    let (dir, path) = setup(HAND);
    let out = rumbo(dir.path())
        .args(["actuals", "add", "hand", "churn-rate", "2.9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("`churn-rate`") && err.contains("did you mean `churn_rate`?"),
        "{err}"
    );
    assert_eq!(read(&path), HAND);

    let out = rumbo(dir.path())
        .args(["actuals", "add", "hand", "sessions", "2.9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("mrr, churn_rate"), "lists the KPIs");
    assert_eq!(read(&path), HAND);
}

#[test]
fn a_value_that_is_not_a_number_changes_nothing() {
    let (dir, path) = setup(HAND);
    // Refused as VALUE, like any other value that is not a figure (exit 2).
    for value in ["NaN", "inf", "-inf"] {
        let out = rumbo(dir.path())
            .args(["actuals", "add", "hand", "mrr", value])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{value}");
        assert!(stderr(&out).contains("is not a finite number"), "{value}");
        assert!(!stderr(&out).contains("panicked"));
    }
    let out = rumbo(dir.path())
        .args(["actuals", "add", "hand", "mrr", "lots"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "clap refuses it");
    assert_eq!(read(&path), HAND);
}

#[test]
fn an_unreadable_plan_is_never_written() {
    let broken = "schema_version = 1\n[plan]\nname = \"x\"\n[[kpis]\n";
    let (dir, path) = setup(broken);
    let out = rumbo(dir.path())
        .args(["actuals", "add", "hand", "mrr", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("hand.toml:4:"), "{}", stderr(&out));
    assert_eq!(read(&path), broken);

    let csv = dir.path().join("values.csv");
    std::fs::write(&csv, "date,kpi,value\n2026-03-31,mrr,1\n").unwrap();
    let out = rumbo(dir.path())
        .args(["actuals", "import", "hand"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(read(&path), broken);
}

// --- actuals import ---------------------------------------------------------

fn import(dir: &Path, csv_text: &str) -> std::process::Output {
    let csv = dir.join("values.csv");
    std::fs::write(&csv, csv_text).unwrap();
    rumbo(dir)
        .args(["actuals", "import", "hand"])
        .arg(&csv)
        .output()
        .unwrap()
}

const IMPORT: &str = "\u{feff}date, kpi, value\r\n\
                      2026-03-31,mrr,130\r\n\
                      2026-01-31 , mrr , 111\r\n\
                      2026-03-31,churn_rate,2.8\r\n\
                      \r\n";

#[test]
fn import_records_every_row_and_only_those_lines_change() {
    let (dir, path) = setup(HAND);
    let out = import(dir.path(), IMPORT);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("3 values recorded (1 replaced)"),
        "{}",
        stderr(&out)
    );
    let after = read(&path);
    let (removed, mut added) = line_diff(HAND, &after);
    added.sort_unstable();
    assert_eq!(removed, vec!["  { date = 2026-01-31, value = 110.0 },"]);
    assert_eq!(
        added,
        vec![
            "  { date = 2026-01-31, value = 111.0 },",
            "  { date = 2026-03-31, value = 130.0 },",
            "  { date = 2026-03-31, value = 2.8 },",
            "]",
            "actuals = [",
        ]
    );
}

#[test]
fn importing_again_replaces_instead_of_duplicating() {
    let (dir, path) = setup(HAND);
    assert!(import(dir.path(), IMPORT).status.success());
    let once = read(&path);
    let out = import(dir.path(), IMPORT);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("3 values recorded (3 replaced)"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&path), once, "same file after the second import");
}

#[test]
fn a_bad_row_leaves_the_file_byte_identical_and_is_named() {
    let (dir, path) = setup(HAND);
    let out = import(
        dir.path(),
        "date,kpi,value\n\
         2026-03-31,mrr,130\n\
         2026-02-30,mrr,1\n\
         2026-03-31,mmr,1\n\
         2026-03-31,mrr,12,5\n\
         2026-03-31,churn_rate,lots\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("values.csv:3: error:") && err.contains("calendar date"),
        "{err}"
    );
    assert!(
        err.contains("values.csv:4: error:") && err.contains("did you mean `mrr`?"),
        "{err}"
    );
    assert!(
        err.contains("values.csv:5: error:") && err.contains("3 fields"),
        "{err}"
    );
    assert!(
        err.contains("values.csv:6: error:") && err.contains("`lots` is not a number"),
        "{err}"
    );
    assert!(!err.contains("values.csv:2:"), "the good row is not blamed");
    assert!(err.contains("nothing was recorded"));
    assert_eq!(read(&path).as_bytes(), HAND.as_bytes());
}

#[test]
fn a_wrong_header_is_refused() {
    let (dir, path) = setup(HAND);
    let out = import(dir.path(), "kpi,date,value\nmrr,2026-03-31,1\n");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("values.csv:1: error:") && err.contains("date,kpi,value"),
        "{err}"
    );
    assert_eq!(read(&path), HAND);

    let out = import(dir.path(), "");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read(&path), HAND);
}

#[test]
fn a_missing_import_file_is_a_clear_error() {
    let (dir, path) = setup(HAND);
    let out = rumbo(dir.path())
        .args(["actuals", "import", "hand"])
        .arg(dir.path().join("nope.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nope.csv"));
    assert_eq!(read(&path), HAND);
}

/// A comment after an earlier element of `actuals` (`{…},  # note` on a line
/// that is not the last) belongs, in toml_edit, to the *next* element's
/// prefix. `store::save::merge_array` copies the last element's whole decor
/// onto appended elements, so that comment is copied too and shows up
/// again after the previously last element.
#[test]
fn a_comment_after_an_earlier_actual_stays_where_it_is() {
    let text = HAND.replace(
        "  { date = 2026-01-31, value = 110.0 },\n",
        "  { date = 2026-01-31, value = 110.0 },  # january\n",
    );
    let (dir, path) = setup(&text);
    let out = rumbo(dir.path())
        .args([
            "actuals",
            "add",
            "hand",
            "mrr",
            "130",
            "--date",
            "2026-03-31",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let after = read(&path);
    let (removed, added) = line_diff(&text, &after);
    assert_eq!(removed, Vec::<&str>::new());
    assert_eq!(added, vec!["  { date = 2026-03-31, value = 130.0 },"]);
}
