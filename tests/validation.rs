//! Each validation rule, with the location it points at.

use std::path::Path;

use rumbo::plan::Severity;
use rumbo::store::Diagnostic;
use rumbo::store::load::{self, LoadError};

const HEAD: &str = "schema_version = 1\n[plan]\nname = \"T\"\n";

fn problems(body: &str) -> Vec<Diagnostic> {
    let text = format!("{HEAD}{body}");
    load::parse(Path::new("t.toml"), &text)
        .unwrap_or_else(|e| panic!("loads: {e}"))
        .problems
}

/// The single problem of `body`: (severity, line, col, message).
fn only(body: &str) -> (Severity, usize, usize, String) {
    let p = problems(body);
    assert_eq!(p.len(), 1, "{p:#?}");
    (p[0].severity, p[0].line, p[0].col, p[0].message.clone())
}

fn load_error(text: &str) -> LoadError {
    load::parse(Path::new("t.toml"), text).unwrap_err()
}

const MEMBER: &str = "[team]\n[[team.members]]\nid = \"ana\"\nname = \"Ana\"\n";

fn kpi(extra: &str) -> String {
    format!(
        "[[kpis]]\nid = \"mrr\"\nname = \"MRR\"\ndirection = \"increase\"\n\
         baseline = {{ value = 1.0, date = 2026-01-01 }}\n\
         target = {{ value = 2.0, date = 2026-12-31 }}\n{extra}"
    )
}

#[test]
fn a_clean_plan_has_no_problems() {
    assert!(problems(&format!("{}{MEMBER}", kpi("owner = \"ana\"\n"))).is_empty());
}

#[test]
fn duplicate_ids_point_at_the_second_one() {
    let body = "[[personas]]\nid = \"a\"\nname = \"A\"\n[[personas]]\nid = \"a\"\nname = \"B\"\n";
    let (sev, line, col, msg) = only(body);
    assert_eq!((sev, line, col), (Severity::Error, 8, 6));
    assert!(msg.contains("`a` is used twice"), "{msg}");
}

#[test]
fn ids_must_be_slugs() {
    let (_, line, col, msg) = only("[[personas]]\nid = \"Ops Lead\"\nname = \"A\"\n");
    assert_eq!((line, col), (5, 6));
    assert!(msg.contains("not a valid id"), "{msg}");
}

#[test]
fn an_owner_that_is_not_a_member_is_an_error_at_its_value() {
    let (sev, line, col, msg) = only(&kpi("owner = \"bob\"\n"));
    assert_eq!((sev, line, col), (Severity::Error, 10, 9));
    assert!(msg.contains("no team member with the id `bob`"), "{msg}");
}

#[test]
fn a_kpi_reference_that_does_not_exist_is_an_error() {
    let (_, line, col, msg) = only("[[goals]]\nid = \"g\"\ntitle = \"G\"\nkpi = \"nope\"\n");
    assert_eq!((line, col), (7, 7));
    assert!(msg.contains("no KPI with the id `nope`"), "{msg}");
    let (_, line, _, _) = only("north_star = \"nope\"\n");
    assert_eq!(line, 4);
}

#[test]
fn rates_must_be_in_zero_to_one() {
    let body = "[funnel]\nmonths = 12\n[funnel.rates]\nvisit_to_lead = 1.5\nlead_to_mql = 0.0\n";
    let p = problems(body);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert_eq!((p[0].line, p[0].col), (7, 17));
    assert_eq!((p[1].line, p[1].col), (8, 15));
    assert!(p[0].message.contains("at most 1"));
}

#[test]
fn the_deadline_must_come_after_the_baseline() {
    let body = "[[kpis]]\nid = \"k\"\nname = \"K\"\ndirection = \"decrease\"\n\
                baseline = { value = 1.0, date = 2026-06-01 }\n\
                target = { value = 0.5, date = 2026-01-01 }\n";
    let (sev, line, col, msg) = only(body);
    assert_eq!((sev, line), (Severity::Error, 9));
    assert_eq!(col, 32);
    assert!(msg.contains("must come after the baseline"), "{msg}");
}

#[test]
fn channel_shares_not_adding_to_100_are_a_warning() {
    let body = "[marketing_mix.place]\nchannels = [ { name = \"Web\", share_pct = 70.0 }, { name = \"Shops\", share_pct = 20.0 } ]\n";
    let (sev, line, _, msg) = only(body);
    assert_eq!((sev, line), (Severity::Warning, 5));
    assert!(msg.contains("add up to 90 %"), "{msg}");
    assert!(
        problems("[marketing_mix.place]\nchannels = [ { name = \"Web\", share_pct = 100.0 } ]\n")
            .is_empty()
    );
}

#[test]
fn goal_end_before_start_is_an_error() {
    let (_, line, _, _) =
        only("[[goals]]\nid = \"g\"\ntitle = \"G\"\nstart = 2026-05-01\nend = 2026-01-01\n");
    assert_eq!(line, 8);
}

#[test]
fn dates_in_messages_are_written_as_the_language_writes_them() {
    use rumbo::i18n::{Lang, with_lang};
    let goal = "[[goals]]\nid = \"g\"\ntitle = \"G\"\nstart = 2026-05-01\nend = 2026-01-01\n";
    let (_, _, _, msg) = with_lang(Lang::En, || only(goal));
    assert!(
        msg.contains("2026-01-01") && msg.contains("2026-05-01"),
        "{msg}"
    );
    let (_, _, _, msg) = with_lang(Lang::Es, || only(goal));
    assert!(
        msg.contains("01/01/2026") && msg.contains("01/05/2026"),
        "{msg}"
    );
    let (_, _, _, msg) = with_lang(Lang::Es, || {
        only(&kpi("actuals = [ { date = 2025-12-31, value = 1.0 } ]\n"))
    });
    assert!(
        msg.contains("31/12/2025") && msg.contains("01/01/2026"),
        "{msg}"
    );
}

#[test]
fn empty_required_names_are_errors() {
    let (_, line, _, msg) = only("[[research.competitors]]\nname = \"\"\n");
    assert_eq!(line, 5);
    assert!(msg.contains("`name` must not be empty"), "{msg}");
}

#[test]
fn growth_rates_at_or_below_minus_one_are_errors() {
    let (_, line, _, msg) = only(&kpi(
        "forecast = { method = \"growth\", monthly_rate = -1.0 }\n",
    ));
    assert_eq!(line, 10);
    assert!(msg.contains("above -1"), "{msg}");
}

#[test]
fn an_unknown_key_names_the_key_and_suggests_the_nearest() {
    let text = format!("{HEAD}{}", kpi("targt = 3\n"));
    let LoadError::Shape(d) = load_error(&text) else {
        panic!("a shape error")
    };
    assert!(d.message.contains("targt"), "{}", d.message);
    assert_eq!(d.line, 10);
    assert_eq!(
        d.hint.as_deref(),
        Some("did you mean `target`?"),
        "{}",
        d.message
    );
}

#[test]
fn an_unknown_choice_lists_the_allowed_values() {
    let text = format!("{HEAD}stage = \"seed\"\n");
    let LoadError::Shape(d) = load_error(&text) else {
        panic!("a shape error")
    };
    assert!(
        d.message.contains("pre_revenue") && d.message.contains("growth"),
        "{}",
        d.message
    );
    assert_eq!((d.line, d.col), (4, 9));
}

#[test]
fn syntax_errors_and_foreign_files_are_refused_with_a_location() {
    let LoadError::Syntax(d) = load_error("schema_version = 1\n[plan\nname = 1\n") else {
        panic!("a syntax error")
    };
    assert_eq!(d.line, 2);
    let LoadError::NotAPlan(d) = load_error("[plan]\nname = \"x\"\n") else {
        panic!("not a plan")
    };
    assert!(d.hint.unwrap().contains("schema_version = 1"));
    let LoadError::NotAPlan(d) = load_error("schema_version = 7\n[plan]\nname = \"x\"\n") else {
        panic!("too new")
    };
    assert!(d.message.contains("version 7"), "{}", d.message);
    assert_eq!((d.line, d.col), (1, 18));
}

#[test]
fn a_file_that_cannot_be_read_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    let bad = b"schema_version = 1\n[plan\n";
    std::fs::write(&path, bad).unwrap();
    assert!(rumbo::store::open(&path).is_err());
    // The wizard refuses it too, and nothing is written.
    let mut app = rumbo::tui::App::new(
        dir.path().to_path_buf(),
        "2026-01-01".parse().unwrap(),
        rumbo::tui::theme::Theme::new(false),
    );
    assert!(app.open(&path).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), bad);
}

#[test]
fn diagnostics_render_with_the_source_line_and_a_caret() {
    let (_, _, _, _) = only(&kpi("owner = \"bob\"\n"));
    let d = &problems(&kpi("owner = \"bob\"\n"))[0];
    let text = d.to_string();
    assert!(text.starts_with("t.toml:10:9: error: "), "{text}");
    assert!(text.contains("10 | owner = \"bob\""), "{text}");
    assert!(text.contains("   |         ^"), "{text}");
}
