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
