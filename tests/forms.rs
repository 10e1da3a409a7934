//! Forms never change a value behind the user's back (issue 11, cases 9–12):
//! typing replaces a prefilled value, a value that does not parse is never
//! saved as another one, a KPI has no target until one is typed, and a row
//! popup asks before throwing typed content away; undo says what it undid.

mod common;

use common::*;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use rumbo::i18n::{self, Lang};
use rumbo::metrics;
use rumbo::plan::Date;
use rumbo::tui::App;
use rumbo::tui::app::Popup;

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.1.clone())
        .unwrap_or_default()
}

/// The problems of the typed values that do not parse, in the step forms
/// and the row popup.
fn problems(app: &App) -> Vec<String> {
    let s = session(app);
    let mut out: Vec<String> = s
        .forms
        .values()
        .flat_map(|f| f.drafts.values().map(|d| d.error.clone()))
        .collect();
    if let Some(Popup::Row { state, .. }) = &s.popup {
        out.extend(state.drafts.values().map(|d| d.error.clone()));
    }
    out
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// Presses Tab until the focused field of the row popup is `key`.
fn popup_focus(app: &mut App, key: &str) {
    for _ in 0..20 {
        let s = session_mut(app);
        let Some(Popup::Row {
            field, ctx, state, ..
        }) = &s.popup
        else {
            panic!("no row popup");
        };
        let form = rumbo::tui::app::table_row_form(s, *field, *ctx).unwrap();
        if form.field(state.focus).is_some_and(|f| f.key == key) {
            return;
        }
        press(app, KeyCode::Tab);
    }
    panic!("no field {key} in the popup");
}

// --- Case 9: typing replaces a prefilled value ------------------------------

#[test]
fn a_new_kpi_gets_exactly_the_name_typed() {
    let (_dir, _path, mut app) = empty_app();
    alt(&mut app, '5');
    press(&mut app, KeyCode::Char('a'));
    // The default name is there, selected: the first key replaces it.
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("New KPI"), "{shown}");
    app.type_text("Demos booked");
    assert_eq!(session(&app).plan().kpis[0].name, "Demos booked");
    popup_focus(&mut app, "f.done");
    press(&mut app, KeyCode::Enter);
    assert!(session(&app).popup.is_none());
    assert_eq!(session(&app).plan().kpis[0].name, "Demos booked");
}

#[test]
fn a_number_typed_over_a_prefilled_one_replaces_it() {
    let (_dir, _path, mut app) = empty_app();
    session_mut(&mut app)
        .file
        .plan
        .marketing_mix
        .price
        .price_point = Some(0.0);
    alt(&mut app, '3');
    focus(&mut app, "f.price_point");
    app.type_text("118000");
    assert_eq!(
        session(&app).plan().marketing_mix.price.price_point,
        Some(118000.0)
    );
    let shown = screen(&mut app, 100, 30);
    assert!(!shown.contains("0118000"), "{shown}");
    // Not only a leading zero: 49 and 118000 typed is 118000.
    session_mut(&mut app)
        .file
        .plan
        .marketing_mix
        .price
        .price_point = Some(49.0);
    press(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    app.type_text("118000");
    assert_eq!(
        session(&app).plan().marketing_mix.price.price_point,
        Some(118000.0)
    );
}

#[test]
fn a_headcount_typed_over_a_prefilled_one_replaces_it() {
    let (_dir, _path, mut app) = empty_app();
    alt(&mut app, '8');
    focus(&mut app, "f.headcount");
    press(&mut app, KeyCode::Char('a'));
    popup_focus(&mut app, "f.headcount_now");
    app.type_text("2");
    popup_focus(&mut app, "f.headcount_planned");
    app.type_text("5");
    popup_focus(&mut app, "f.done");
    press(&mut app, KeyCode::Enter);
    // Opened again: typing over 2 and 5 gives what is typed.
    press(&mut app, KeyCode::Enter);
    popup_focus(&mut app, "f.headcount_now");
    app.type_text("3");
    popup_focus(&mut app, "f.headcount_planned");
    app.type_text("12");
    popup_focus(&mut app, "f.done");
    press(&mut app, KeyCode::Enter);
    assert!(session(&app).popup.is_none());
    let h = &session(&app).plan().team.headcount[0];
    assert_eq!((h.now, h.planned), (3, 12));
}

#[test]
fn a_date_typed_over_a_date_replaces_it_without_ctrl_u() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '5');
    focus(&mut app, "f.target_date");
    app.type_text("2027-06-30");
    assert_eq!(session(&app).plan().kpis[0].target.date, d("2027-06-30"));
}

#[test]
fn a_caret_key_keeps_the_text_and_backspace_clears_it() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '5');
    focus(&mut app, "f.kpi_name");
    let name = session(&app).plan().kpis[0].name.clone();
    // End drops the selection: typing appends.
    press(&mut app, KeyCode::End);
    app.type_text("!");
    assert_eq!(session(&app).plan().kpis[0].name, format!("{name}!"));
    // Focus arrives again (Tab away and back): Backspace clears it all.
    press(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    press(&mut app, KeyCode::Backspace);
    assert_eq!(session(&app).plan().kpis[0].name, "");
    // Left drops the selection too, the caret at the start.
    app.type_text("bc");
    press(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    press(&mut app, KeyCode::Left);
    app.type_text("a");
    assert_eq!(session(&app).plan().kpis[0].name, "abc");
}

#[test]
fn the_weekly_review_replaces_a_value_already_recorded_when_typing_over_it() {
    let (_dir, _path, mut app) = app_on(
        "example.toml",
        rumbo::store::EXAMPLE,
        d("2026-12-07"),
        rumbo::tui::theme::Theme::new(false),
    );
    press(&mut app, KeyCode::F(7));
    app.type_text("29600");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::BackTab);
    // The value recorded is shown selected: typing replaces it.
    app.type_text("31000");
    press(&mut app, KeyCode::Enter);
    let nov: Vec<f64> = session(&app).plan().kpis[0]
        .actuals
        .iter()
        .filter(|a| a.date == d("2026-11-30"))
        .map(|a| a.value)
        .collect();
    assert_eq!(nov, [31000.0]);
}

// --- Case 10: a value that does not parse is never saved as another ---------

#[test]
fn done_is_refused_while_a_headcount_does_not_parse() {
    let (_dir, _path, mut app) = empty_app();
    alt(&mut app, '8');
    focus(&mut app, "f.headcount");
    press(&mut app, KeyCode::Char('a'));
    popup_focus(&mut app, "f.headcount_now");
    app.type_text("0.5");
    let before = session(&app).plan().team.headcount.clone();
    assert_eq!(before[0].now, 0, "the plan keeps the last valid value");
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("not saved"), "{shown}");
    assert!(
        problems(&app)
            .iter()
            .any(|p| p.ends_with("not saved: the plan keeps 0")),
        "{:?}",
        problems(&app)
    );
    popup_focus(&mut app, "f.done");
    press(&mut app, KeyCode::Enter);
    // Refused: the popup stays, the message names the field, the focus is
    // back on it, and the plan is unchanged.
    assert!(matches!(session(&app).popup, Some(Popup::Row { .. })));
    let m = message(&app);
    assert!(
        m.contains("Not done yet") && m.contains("not a whole number"),
        "{m}"
    );
    assert_eq!(session(&app).plan().team.headcount, before);
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("0.5"), "{shown}");
    assert!(
        shown.contains("▸ Now"),
        "the focus is on the field: {shown}"
    );
    // Fixed, Done closes it.
    app.type_text("2");
    popup_focus(&mut app, "f.done");
    press(&mut app, KeyCode::Enter);
    assert!(session(&app).popup.is_none());
    assert_eq!(session(&app).plan().team.headcount[0].now, 2);
}

#[test]
fn done_is_refused_for_a_bad_date_and_a_bad_number_too() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '5');
    focus(&mut app, "f.actuals");
    press(&mut app, KeyCode::Enter); // the first actual
    let before = session(&app).plan().clone();
    app.type_text("2026-02-30");
    popup_focus(&mut app, "f.done");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(session(&app).popup, Some(Popup::Row { .. })));
    assert!(message(&app).contains("Not done yet"), "{}", message(&app));
    assert!(*session(&app).plan() == before);
    // The date fixed, a number that does not parse is refused the same way.
    app.type_text("2026-01-31");
    popup_focus(&mut app, "f.value");
    app.type_text("12x");
    popup_focus(&mut app, "f.done");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(session(&app).popup, Some(Popup::Row { .. })));
    assert!(message(&app).contains("not a number"), "{}", message(&app));
}

#[test]
fn leaving_an_invalid_step_field_says_the_plan_keeps_the_last_value() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '5');
    focus(&mut app, "f.target_value");
    // Typed key by key: "2" and "20" are valid and written, "20k" is not.
    app.type_text("20k");
    press(&mut app, KeyCode::Tab);
    assert_eq!(session(&app).plan().kpis[0].target.value, Some(20.0));
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("20k"), "the typed text stays: {shown}");
    assert!(shown.contains("the plan keeps 20"), "{shown}");
    assert!(
        problems(&app)
            .iter()
            .any(|p| p.ends_with("not saved: the plan keeps 20")),
        "the message says what the plan holds: {:?}",
        problems(&app)
    );
}

// --- Case 11: a KPI has no target until one is typed ------------------------

#[test]
fn a_kpi_added_in_the_wizard_shows_target_not_set_not_met() {
    let (_dir, path, mut app) = empty_app();
    alt(&mut app, '5');
    press(&mut app, KeyCode::Char('a'));
    app.type_text("Demos booked");
    popup_focus(&mut app, "f.done");
    press(&mut app, KeyCode::Enter);
    let kpi = session(&app).plan().kpis[0].clone();
    assert_eq!((kpi.baseline.value, kpi.target.value), (None, None));
    assert_eq!(metrics::kpi_metrics(&kpi, today(), 1.0), None);
    // Step 7: "target not set", no "met", not in the summary's statuses.
    alt(&mut app, '7');
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("target not set"), "{shown}");
    assert!(!shown.contains("met"), "{shown}");
    let table = metrics::gap_table(session(&app).plan(), today(), None).unwrap();
    assert_eq!(table.summary.total(), 0);
    assert_eq!(table.not_set.len(), 1);
    // Step 7 is not complete because of it.
    let steps = metrics::completeness(session(&app).plan(), today());
    assert!(
        steps[6].missing.contains(&metrics::Check::KpiTargetsSet),
        "{:?}",
        steps[6]
    );
    // Saved without values; it opens again, with located errors.
    ctrl(&mut app, 's');
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("value = 0"), "{text}");
    let loaded = rumbo::store::open(&path).unwrap();
    assert_eq!(loaded.file.plan.kpis[0].target.value, None);
    let errors: Vec<_> = loaded
        .problems
        .iter()
        .filter(|p| p.severity == rumbo::plan::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().any(|e| e.message.contains("baseline")));
    assert!(errors.iter().any(|e| e.message.contains("`target.value`")));
    assert!(errors.iter().all(|e| e.line > 1), "{errors:?}");
}

#[test]
fn typing_the_values_gives_the_kpi_its_figures() {
    let (_dir, _path, mut app) = empty_app();
    alt(&mut app, '5');
    press(&mut app, KeyCode::Char('a'));
    popup_focus(&mut app, "f.done");
    press(&mut app, KeyCode::Enter);
    focus(&mut app, "f.baseline_value");
    app.type_text("10");
    focus(&mut app, "f.target_value");
    app.type_text("20");
    let kpi = session(&app).plan().kpis[0].clone();
    let m = metrics::kpi_metrics(&kpi, today(), 1.0).expect("figures");
    assert_eq!(m.gap, 10.0);
    // Emptied again (the focus arrives, Backspace clears): not set, never 0.
    press(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
    press(&mut app, KeyCode::Backspace);
    assert_eq!(session(&app).plan().kpis[0].target.value, None);
}

#[test]
fn check_names_the_missing_values_and_exports_say_target_not_set() {
    let text = r#"schema_version = 1

[plan]
name = "Unset"

[[kpis]]
id = "demos"
name = "Demos booked"
direction = "increase"
baseline = { date = 2026-01-01 }
target = { date = 2026-12-31 }
"#;
    let (dir, path) = write_plan("unset", text);
    let out = rumbo_on(dir.path(), "2026-06-30")
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains(":10:") && all.contains("baseline"), "{all}");
    assert!(all.contains(":11:") && all.contains("target"), "{all}");
    // `rumbo gaps`: no figures for it, never "met" (a plan with errors may
    // also be refused as a whole, with the located errors).
    let out = rumbo_on(dir.path(), "2026-06-30")
        .arg("gaps")
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stdout.contains("✓"), "{stdout}");
    if out.status.code() == Some(0) {
        assert!(stdout.contains("· target not set"), "{stdout}");
        assert!(stdout.contains("Summary: 1 target not set"), "{stdout}");
    } else {
        assert!(stderr.contains(":10:"), "{stderr}");
    }
    for format in ["markdown", "csv", "json", "html"] {
        let out = rumbo_on(dir.path(), "2026-06-30")
            .arg("export")
            .arg(&path)
            .args(["--format", format])
            .output()
            .unwrap();
        let doc = String::from_utf8_lossy(&out.stdout);
        assert!(
            !doc.contains("NaN") && !doc.contains("inf"),
            "{format}: {doc}"
        );
        assert!(
            !doc.contains("✓") && !doc.contains(",met"),
            "{format}: {doc}"
        );
        match format {
            "csv" => assert!(doc.contains("demos,Demos booked"), "{doc}"),
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
                let row = &v["derived"]["gaps"]["not_set"][0];
                assert_eq!(row["id"], "demos");
                assert!(row["target"].is_null(), "{row}");
            }
            _ => assert!(doc.contains("target not set"), "{format}: {doc}"),
        }
    }
}

// --- Case 12: Esc asks before throwing typed content away -------------------

/// Step 1's competitors table, a new row with a name typed.
fn competitor_typed(app: &mut App, name: &str) {
    focus(app, "f.competitors");
    press(app, KeyCode::Char('a'));
    app.type_text(name);
}

#[test]
fn esc_after_typing_asks_and_n_discards_the_row() {
    let (_dir, _path, mut app) = empty_app();
    competitor_typed(&mut app, "Acme");
    press(&mut app, KeyCode::Esc);
    assert!(matches!(session(&app).popup, Some(Popup::DiscardRow(_))));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Keep what you typed?"), "{shown}");
    assert!(shown.contains("y or Enter: keep them"), "{shown}");
    assert_eq!(session(&app).plan().research.competitors.len(), 1);
    press(&mut app, KeyCode::Char('n'));
    assert!(session(&app).popup.is_none());
    assert!(session(&app).plan().research.competitors.is_empty());
    assert!(
        message(&app).contains("Discarded the new row"),
        "{}",
        message(&app)
    );
}

#[test]
fn esc_after_typing_then_y_or_enter_keeps_the_row() {
    for keep in [KeyCode::Char('y'), KeyCode::Enter] {
        let (_dir, _path, mut app) = empty_app();
        competitor_typed(&mut app, "Acme");
        press(&mut app, KeyCode::Esc);
        press(&mut app, keep);
        assert!(session(&app).popup.is_none());
        assert_eq!(session(&app).plan().research.competitors[0].name, "Acme");
        assert!(message(&app).contains("Kept “Acme”"), "{}", message(&app));
    }
}

#[test]
fn esc_on_the_question_goes_back_to_the_row_and_an_untouched_popup_closes_at_once() {
    let (_dir, _path, mut app) = empty_app();
    competitor_typed(&mut app, "Acme");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(matches!(session(&app).popup, Some(Popup::Row { .. })));
    app.type_text(" Corp");
    assert_eq!(
        session(&app).plan().research.competitors[0].name,
        "Acme Corp"
    );
    // An existing row opened and left untouched: Esc closes it at once.
    popup_focus(&mut app, "f.done");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(session(&app).popup, Some(Popup::Row { .. })));
    press(&mut app, KeyCode::Esc);
    assert!(session(&app).popup.is_none());
    assert_eq!(session(&app).plan().research.competitors.len(), 1);
}

#[test]
fn the_question_is_answered_with_the_mouse_too() {
    let (_dir, _path, mut app) = empty_app();
    competitor_typed(&mut app, "Acme");
    press(&mut app, KeyCode::Esc);
    let shown = screen(&mut app, 100, 30);
    let (row, line) = shown
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("n: discard them"))
        .expect("the button is drawn");
    let col = line[..line.find("n: discard them").unwrap()]
        .chars()
        .count();
    app.mouse(ratatui::crossterm::event::MouseEvent {
        kind: ratatui::crossterm::event::MouseEventKind::Down(
            ratatui::crossterm::event::MouseButton::Left,
        ),
        column: col as u16 + 1,
        row: row as u16,
        modifiers: KeyModifiers::NONE,
    });
    assert!(session(&app).popup.is_none());
    assert!(session(&app).plan().research.competitors.is_empty());
}

#[test]
fn spanish_keeps_the_row_with_s() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, _path, mut app) = empty_app();
        competitor_typed(&mut app, "Acme");
        press(&mut app, KeyCode::Esc);
        let shown = screen(&mut app, 100, 30);
        assert!(shown.contains("s o Enter: conservarlos"), "{shown}");
        press(&mut app, KeyCode::Char('s'));
        assert!(session(&app).popup.is_none());
        assert_eq!(session(&app).plan().research.competitors[0].name, "Acme");
    });
}

#[test]
fn every_undo_says_what_it_undid() {
    let (_dir, _path, mut app) = empty_app();
    focus(&mut app, "f.company");
    app.type_text("Mine Co");
    ctrl(&mut app, 'z');
    assert!(
        message(&app).starts_with("Undone: typing in Company"),
        "{}",
        message(&app)
    );
    ctrl(&mut app, 'y');
    assert!(
        message(&app).starts_with("Redone: typing in Company"),
        "{}",
        message(&app)
    );
    // A row typed in its popup is one step, named after the row.
    competitor_typed(&mut app, "Acme");
    popup_focus(&mut app, "f.done");
    press(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'z');
    assert!(
        message(&app).starts_with("Undone: adding “Acme” to Competitors"),
        "{}",
        message(&app)
    );
    assert!(session(&app).plan().research.competitors.is_empty());
    assert_eq!(session(&app).plan().plan.company, "Mine Co");
    // A row discarded with Esc: the next undo is the edit before it, named.
    competitor_typed(&mut app, "Initech");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('n'));
    ctrl(&mut app, 'z');
    assert!(
        message(&app).starts_with("Undone: typing in Company"),
        "{}",
        message(&app)
    );
}
