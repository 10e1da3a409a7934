//! Load and save: the promises of the plan file (format-preserving, stable).

use std::path::Path;

use rumbo::plan::{Plan, Severity};
use rumbo::store::{self, load, save};

fn parse(text: &str) -> Plan {
    load::parse(Path::new("t.toml"), text).expect("parses").plan
}

const HAND_EDITED: &str = r#"# My plan — keep this comment
schema_version = 1

[plan]
name = "Acme"   # trailing comment on name
company = "Acme Ltd"

# Research notes
[research]
industry_trends = """
Line one.
Line two."""

[[research.competitors]]
name = "Globex" # the big one
pricing = "49/month"

[[research.competitors]]
name = "Initech"

[situation]
strengths = [
  "Fast", # really fast
  "Cheap",
]

[[kpis]]
id = "mrr"
name = "MRR"
direction = "increase"
baseline = { value = 10000, date = 2026-01-01 }
target = { value = 20000.0, date = 2026-12-31 }
actuals = [
  { date = 2026-01-31, value = 10800.0 }, # January
]
"#;

#[test]
fn unchanged_plan_renders_identical_bytes() {
    let plan = parse(HAND_EDITED);
    assert_eq!(save::render(Some(HAND_EDITED), &plan), HAND_EDITED);
}

#[test]
fn a_change_keeps_every_comment_and_other_line() {
    let mut plan = parse(HAND_EDITED);
    plan.plan.company = "Acme Limited".into();
    let out = save::render(Some(HAND_EDITED), &plan);
    let before: Vec<&str> = HAND_EDITED.lines().collect();
    let after: Vec<&str> = out.lines().collect();
    assert_eq!(before.len(), after.len(), "{out}");
    let changed: Vec<(usize, &&str)> = after
        .iter()
        .enumerate()
        .filter(|(i, l)| before[*i] != **l)
        .collect();
    assert_eq!(changed, vec![(5, &"company = \"Acme Limited\"")]);
    // A second save of the same plan changes nothing.
    assert_eq!(save::render(Some(&out), &plan), out);
}

#[test]
fn adding_rows_and_actuals_keeps_the_rest() {
    let mut plan = parse(HAND_EDITED);
    plan.research.competitors.push(rumbo::plan::Competitor {
        name: "Umbrella".into(),
        ..Default::default()
    });
    plan.kpis[0].actuals.push(rumbo::plan::Actual {
        date: "2026-02-28".parse().unwrap(),
        value: 11500.0,
    });
    plan.situation.strengths.push("Friendly".into());
    let out = save::render(Some(HAND_EDITED), &plan);
    for line in HAND_EDITED.lines() {
        assert!(out.contains(line), "lost line {line:?} in\n{out}");
    }
    let again = parse(&out);
    assert_eq!(again, plan);
    assert!(out.contains("name = \"Umbrella\""));
    let umbrella = out.find("Umbrella").unwrap();
    assert!(umbrella < out.find("[situation]").unwrap(), "{out}");
}

#[test]
fn deleting_a_row_keeps_the_comments_of_the_others() {
    let mut plan = parse(HAND_EDITED);
    plan.research.competitors.remove(1);
    let out = save::render(Some(HAND_EDITED), &plan);
    assert!(out.contains("name = \"Globex\" # the big one"));
    assert!(!out.contains("Initech"));
    assert_eq!(parse(&out), plan);
}

#[test]
fn example_plan_round_trips_and_is_stable() {
    let plan = parse(store::EXAMPLE);
    let out = save::render(Some(store::EXAMPLE), &plan);
    assert_eq!(out, store::EXAMPLE);
    let fresh = save::render(None, &plan);
    assert_eq!(parse(&fresh), plan, "fresh layout reads back the same plan");
    assert_eq!(save::render(Some(&fresh), &plan), fresh);
    assert_eq!(save::render(None, &plan), fresh, "layout is deterministic");
}

#[test]
fn example_plan_has_no_errors() {
    let parsed = load::parse(Path::new("example.toml"), store::EXAMPLE).unwrap();
    let errors: Vec<String> = parsed
        .problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.headline())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn new_plan_layout_is_minimal() {
    let text = store::new_plan_text("Acme", "2026-11-22".parse().ok());
    assert_eq!(
        text,
        "schema_version = 1\n\n[plan]\nname = \"Acme\"\ncreated = 2026-11-22\n"
    );
}

#[test]
fn fresh_layout_uses_inline_tables_and_arrays_of_tables() {
    let plan = parse(HAND_EDITED);
    let text = save::render(None, &plan);
    assert!(text.contains("[[kpis]]"), "{text}");
    assert!(
        text.contains("baseline = { value = 10000.0, date = 2026-01-01 }"),
        "{text}"
    );
    assert!(
        text.contains("actuals = [\n  { date = 2026-01-31, value = 10800.0 },\n]"),
        "{text}"
    );
    assert!(text.contains("[[research.competitors]]"), "{text}");
    assert!(!text.contains("[situation.strengths]"));
}

#[test]
fn new_keys_land_where_the_layout_puts_them() {
    let text = "schema_version = 1\n\n[plan]\nname = \"A\" # mine\ncreated = 2026-11-23\n";
    let mut plan = parse(text);
    plan.plan.company = "Acme".into();
    plan.plan.stage = Some(rumbo::plan::Stage::Growth);
    let out = save::render(Some(text), &plan);
    assert_eq!(
        out,
        "schema_version = 1\n\n[plan]\nname = \"A\" # mine\ncompany = \"Acme\"\nstage = \"growth\"\ncreated = 2026-11-23\n"
    );
}

#[test]
fn defaults_a_file_leaves_out_are_not_added_and_explicit_ones_stay() {
    let text = "schema_version = 1\n\n[plan]\nname = \"A\"\n\n[[actions]]\nid = \"a\"\ntitle = \"Call\"\n\n[[actions]]\nid = \"b\"\ntitle = \"Write\"\nstatus = \"todo\"\n\n[[tools]]\nname = \"CRM\"\n\n[[research.sources]]\nname = \"Report\"\n";
    let mut plan = parse(text);
    assert_eq!(save::render(Some(text), &plan), text);
    plan.actions[0].status = rumbo::plan::ActionStatus::Doing;
    let out = save::render(Some(text), &plan);
    assert!(
        out.contains("title = \"Call\"\nstatus = \"doing\""),
        "{out}"
    );
    assert!(
        out.contains("title = \"Write\"\nstatus = \"todo\""),
        "{out}"
    );
}

#[test]
fn a_byte_order_mark_is_kept() {
    let text = "\u{feff}schema_version = 1\n\n[plan]\nname = \"A\"\n";
    let mut plan = parse(text);
    plan.plan.company = "B".into();
    assert!(save::render(Some(text), &plan).starts_with('\u{feff}'));
}

// --- Layout: line endings and the end of the file (issue 11, case 5) ------

/// `text` with every line ending in CRLF.
fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// The lines of `text` with their endings.
fn lines_with_endings(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// Line breaks that are a bare LF.
fn bare_lfs(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() - text.matches("\r\n").count()
}

/// The lines (with endings) where `after` differs from `before`, when both
/// have as many lines.
fn changed_lines<'a>(before: &str, after: &'a str) -> Vec<(usize, &'a str)> {
    let (b, a) = (lines_with_endings(before), lines_with_endings(after));
    assert_eq!(b.len(), a.len(), "lines added or removed:\n{after}");
    a.iter()
        .enumerate()
        .filter(|(i, l)| b[*i] != **l)
        .map(|(i, l)| (i, *l))
        .collect()
}

#[test]
fn a_crlf_plan_keeps_crlf_and_an_edit_changes_only_its_line() {
    let text = crlf(HAND_EDITED);
    let mut plan = parse(&text);
    assert_eq!(
        save::render(Some(&text), &plan),
        text,
        "an unchanged CRLF plan is written back byte for byte"
    );
    plan.plan.company = "Acme Limited".into();
    plan.kpis[0].target.value = Some(25000.0);
    let out = save::render(Some(&text), &plan);
    assert_eq!(
        changed_lines(&text, &out),
        vec![
            (5, "company = \"Acme Limited\"\r\n"),
            (31, "target = { value = 25000.0, date = 2026-12-31 }\r\n"),
        ]
    );
    assert_eq!(parse(&out), plan);
    assert_eq!(save::render(Some(&out), &plan), out, "a second save");
}

#[test]
fn rows_keys_and_tables_added_to_a_crlf_plan_are_crlf_too() {
    let text = crlf(HAND_EDITED);
    let mut plan = parse(&text);
    plan.research.competitors.push(rumbo::plan::Competitor {
        name: "Umbrella".into(),
        notes: "Two lines\nof notes".into(),
        ..Default::default()
    });
    plan.kpis[0].actuals.push(rumbo::plan::Actual {
        date: "2026-02-28".parse().unwrap(),
        value: 11500.0,
    });
    plan.situation.strengths.push("Friendly".into());
    plan.plan.stage = Some(rumbo::plan::Stage::Growth);
    plan.team.communication = "Weekly call".into();
    plan.research.industry_trends = "Rewritten\nover two lines".into();
    let out = save::render(Some(&text), &plan);
    assert_eq!(bare_lfs(&out), 0, "a line ends in a bare LF:\n{out:?}");
    for line in lines_with_endings(&text) {
        if !line.starts_with("Line ") && !line.starts_with("industry_trends") {
            assert!(out.contains(line), "lost line {line:?} in\n{out}");
        }
    }
    // Texts with line breaks keep them exactly: no CR is added to a value.
    assert_eq!(parse(&out), plan);

    // The same edits on the LF file never add a CR.
    let out = save::render(Some(HAND_EDITED), &plan);
    assert!(!out.contains('\r'), "{out:?}");
    assert_eq!(parse(&out), plan);
}

#[test]
fn a_fresh_line_in_a_mixed_file_takes_the_common_ending_and_old_lines_keep_theirs() {
    // Mostly CRLF, with three LF lines a tool left behind.
    let mut text = crlf(HAND_EDITED);
    for line in [
        "name = \"Initech\"\r\n",
        "  \"Cheap\",\r\n",
        "[situation]\r\n",
    ] {
        text = text.replace(line, &line.replace("\r\n", "\n"));
    }
    assert_eq!(bare_lfs(&text), 3);
    let mut plan = parse(&text);
    assert_eq!(save::render(Some(&text), &plan), text);
    plan.plan.company = "Acme Limited".into();
    let out = save::render(Some(&text), &plan);
    assert_eq!(
        changed_lines(&text, &out),
        vec![(5, "company = \"Acme Limited\"\r\n")]
    );
    // A new key goes in with the ending most lines have.
    plan.plan.stage = Some(rumbo::plan::Stage::Growth);
    let out = save::render(Some(&text), &plan);
    assert!(out.contains("stage = \"growth\"\r\n"), "{out:?}");
    assert_eq!(bare_lfs(&out), 3, "{out:?}");

    // Mostly LF with a few CRLF lines: new lines are LF.
    let mut text = HAND_EDITED.to_string();
    text = text.replace("name = \"Initech\"\n", "name = \"Initech\"\r\n");
    let mut plan = parse(&text);
    assert_eq!(save::render(Some(&text), &plan), text);
    plan.plan.stage = Some(rumbo::plan::Stage::Growth);
    let out = save::render(Some(&text), &plan);
    assert!(out.contains("stage = \"growth\"\n"), "{out:?}");
    assert!(out.contains("name = \"Initech\"\r\n"), "{out:?}");
    assert_eq!(out.matches('\r').count(), 1, "{out:?}");
}

#[test]
fn a_missing_final_newline_stays_missing() {
    for text in [
        HAND_EDITED.trim_end().to_string(),
        crlf(HAND_EDITED.trim_end()),
    ] {
        let mut plan = parse(&text);
        assert_eq!(save::render(Some(&text), &plan), text);
        plan.kpis[0].name = "Monthly recurring revenue".into();
        let out = save::render(Some(&text), &plan);
        assert!(out.ends_with(']'), "{out:?}");
        assert_eq!(changed_lines(&text, &out).len(), 1, "{out}");
        // Rows added at the end of the file.
        plan.actions.push(rumbo::plan::Action {
            id: "call".into(),
            title: "Call Globex".into(),
            ..Default::default()
        });
        let out = save::render(Some(&text), &plan);
        assert!(out.ends_with("title = \"Call Globex\""), "{out:?}");
        assert_eq!(parse(&out), plan);
    }
}

/// A CRLF plan opened from disk has nothing to save before an edit, and a
/// save through the program rewrites only the edited line, in CRLF.
#[test]
fn a_crlf_plan_opens_clean_and_a_save_changes_one_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("crlf.toml");
    let text = crlf(HAND_EDITED);
    std::fs::write(&path, &text).expect("written");
    let mut file = store::open(&path).expect("opens").file;
    assert!(!file.is_dirty(), "nothing to save before an edit");
    file.plan.plan.company = "Acme Limited".into();
    file.save().expect("saves");
    let on_disk = std::fs::read_to_string(&path).expect("read back");
    assert_eq!(
        changed_lines(&text, &on_disk),
        vec![(5, "company = \"Acme Limited\"\r\n")]
    );
}
