//! The wizard driven by keys, drawn into a `TestBackend`.

mod common;

use common::*;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode};
use rumbo::tui::App;
use rumbo::tui::app::{Focus, Screen};
use rumbo::tui::steps::Step;

#[test]
fn every_step_of_the_example_at_100x30_and_80x24() {
    let (_dir, _path, mut app) = example_app();
    for (i, step) in Step::ALL.iter().enumerate() {
        assert_eq!(session(&app).step, *step);
        insta::assert_snapshot!(
            format!("step{:02}_100x30", i + 1),
            screen(&mut app, 100, 30)
        );
        insta::assert_snapshot!(format!("step{:02}_80x24", i + 1), screen(&mut app, 80, 24));
        ctrl(&mut app, 'n');
    }
    // Ctrl-N from step 10 wraps to step 1; Ctrl-P goes back.
    assert_eq!(session(&app).step, Step::Research);
    ctrl(&mut app, 'p');
    assert_eq!(session(&app).step, Step::Tools);
}

#[test]
fn typing_goes_into_the_first_field_and_marks_the_plan_unsaved() {
    let (_dir, path, mut app) = empty_app();
    press(&mut app, KeyCode::End);
    app.type_text(" — año 1 🚀");
    assert_eq!(session(&app).plan().plan.name, "Mine — año 1 🚀");
    assert!(session(&app).dirty);
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("unsaved changes"), "{shown}");
    assert!(shown.contains("Mine — año 1 🚀"), "{shown}");
    ctrl(&mut app, 's');
    assert!(!session(&app).dirty);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("name = \"Mine — año 1 🚀\""), "{text}");
}

#[test]
fn cursor_sits_at_the_caret_in_display_columns() {
    let (_dir, _path, mut app) = empty_app();
    press(&mut app, KeyCode::End);
    app.type_text("日本");
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    let pos = terminal.get_cursor_position().unwrap();
    // "Mine日本" is 4 + 2×2 = 8 columns wide; the caret sits right after it.
    let text = terminal.backend().to_string();
    let (row, line) = text
        .lines()
        .enumerate()
        .skip(1) // the header shows the name too
        .find(|(_, l)| l.contains("Mine日本"))
        .unwrap();
    // The backend writes each row between quotes.
    let field_x = line
        .trim_start_matches('"')
        .chars()
        .take_while(|c| *c != 'M')
        .count() as u16;
    assert_eq!(pos.y, row as u16);
    assert_eq!(pos.x, field_x + 8);
}

#[test]
fn tab_and_shift_tab_move_between_fields() {
    let (_dir, _path, mut app) = empty_app();
    press(&mut app, KeyCode::Tab);
    app.type_text("Acme Ltd");
    press(&mut app, KeyCode::Tab);
    app.type_text("EUR");
    shift(&mut app, KeyCode::BackTab);
    // The focus selects the field's text: End keeps it and goes after it.
    press(&mut app, KeyCode::End);
    app.type_text(" SL");
    let plan = session(&app).plan();
    assert_eq!(plan.plan.company, "Acme Ltd SL");
    assert_eq!(plan.plan.currency, "EUR");
    insta::assert_snapshot!("tab_moves_focus", screen(&mut app, 80, 24));
}

#[test]
fn choice_fields_cycle_with_arrows() {
    let (_dir, _path, mut app) = empty_app();
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Right);
    assert_eq!(
        session(&app).plan().plan.stage,
        Some(rumbo::plan::Stage::PreRevenue)
    );
    press(&mut app, KeyCode::Right);
    assert_eq!(
        session(&app).plan().plan.stage,
        Some(rumbo::plan::Stage::Growth)
    );
}

#[test]
fn multi_line_fields_take_enter_as_a_line_break() {
    let (_dir, _path, mut app) = empty_app();
    for _ in 0..7 {
        press(&mut app, KeyCode::Tab);
    }
    app.type_text("first");
    press(&mut app, KeyCode::Enter);
    app.type_text("second");
    assert_eq!(
        session(&app).plan().research.industry_trends,
        "first\nsecond"
    );
    insta::assert_snapshot!("multi_line_field", screen(&mut app, 80, 24));
}

#[test]
fn date_fields_check_what_is_typed() {
    let (_dir, _path, mut app) = empty_app();
    for _ in 0..6 {
        press(&mut app, KeyCode::Tab);
    }
    app.type_text("2026-02-30");
    assert_eq!(session(&app).plan().plan.reviewed, None);
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("not a real date"), "{shown}");
    for _ in 0..2 {
        press(&mut app, KeyCode::Backspace);
    }
    app.type_text("28");
    assert_eq!(
        session(&app).plan().plan.reviewed,
        Some("2026-02-28".parse().unwrap())
    );
}

#[test]
fn paste_goes_to_the_focused_field() {
    let (_dir, _path, mut app) = empty_app();
    press(&mut app, KeyCode::Tab);
    app.handle(Event::Paste("Pasted\nCo".into()));
    assert_eq!(session(&app).plan().plan.company, "Pasted Co");
}

#[test]
fn a_table_row_is_added_in_a_popup_and_cancelled_with_esc() {
    let (_dir, _path, mut app) = empty_app();
    // Step 1: plan (7) + trends (5) fields, then the competitors table.
    for _ in 0..12 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Char('a'));
    app.type_text("Globex");
    assert_eq!(session(&app).plan().research.competitors.len(), 1);
    insta::assert_snapshot!("row_popup", screen(&mut app, 100, 30));
    press(&mut app, KeyCode::Esc);
    // Something was typed: Esc asks, `n` discards the row.
    press(&mut app, KeyCode::Char('n'));
    assert!(session(&app).plan().research.competitors.is_empty());

    press(&mut app, KeyCode::Char('a'));
    app.type_text("Initech");
    // Tab to the Done button (8 fields after the name) and press Enter.
    for _ in 0..8 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(session(&app).plan().research.competitors[0].name, "Initech");
    assert!(session(&app).popup.is_none());
}

#[test]
fn deleting_a_row_asks_first() {
    let (_dir, _path, mut app) = example_app();
    ctrl(&mut app, 'n'); // step 2: the personas table has focus
    assert_eq!(session(&app).plan().personas.len(), 2);
    press(&mut app, KeyCode::Delete);
    insta::assert_snapshot!("confirm_delete", screen(&mut app, 80, 24));
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(session(&app).plan().personas.len(), 2);
    press(&mut app, KeyCode::Delete);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(session(&app).plan().personas.len(), 1);
}

#[test]
fn rows_reorder_with_shift_arrows() {
    let (_dir, _path, mut app) = example_app();
    ctrl(&mut app, 'n');
    let first = session(&app).plan().personas[0].id.clone();
    shift(&mut app, KeyCode::Down);
    assert_eq!(session(&app).plan().personas[1].id, first);
}

#[test]
fn persona_panels_follow_the_selected_persona() {
    let (_dir, _path, mut app) = example_app();
    ctrl(&mut app, 'n');
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::End);
    app.type_text("!");
    let plan = session(&app).plan();
    assert!(plan.personas[1].demographics.who.ends_with('!'));
    assert!(!plan.personas[0].demographics.who.ends_with('!'));
}

#[test]
fn a_number_that_does_not_parse_is_kept_as_a_draft_and_not_saved() {
    let (_dir, _path, mut app) = empty_app();
    ctrl(&mut app, 'n');
    ctrl(&mut app, 'n'); // step 3
    // Self-assessment (6) + strengths, weaknesses (2) + product (4) + place (2)
    // + price model (1): the price point is field 15.
    for _ in 0..15 {
        press(&mut app, KeyCode::Tab);
    }
    app.type_text("49.5");
    assert_eq!(
        session(&app).plan().marketing_mix.price.price_point,
        Some(49.5)
    );
    app.type_text("x");
    assert_eq!(
        session(&app).plan().marketing_mix.price.price_point,
        Some(49.5)
    );
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("not a number"), "{shown}");
    // Leaving and coming back keeps what was typed.
    press(&mut app, KeyCode::Tab);
    shift(&mut app, KeyCode::BackTab);
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("49.5x"), "{shown}");
}

#[test]
fn esc_moves_focus_to_the_step_list_and_enter_opens_a_step() {
    let (_dir, _path, mut app) = example_app();
    press(&mut app, KeyCode::Esc);
    assert_eq!(session(&app).focus, Focus::Steps);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    insta::assert_snapshot!("step_list_focus", screen(&mut app, 80, 24));
    press(&mut app, KeyCode::Enter);
    assert_eq!(session(&app).step, Step::Situation);
    assert_eq!(session(&app).focus, Focus::Form);
    // Alt-7 jumps straight to step 7.
    alt(&mut app, '7');
    assert_eq!(session(&app).step, Step::Gaps);
}

#[test]
fn help_overlay_lists_the_keys_and_closes_with_any_key() {
    let (_dir, _path, mut app) = example_app();
    press(&mut app, KeyCode::F(1));
    insta::assert_snapshot!("help_overlay", screen(&mut app, 100, 30));
    press(&mut app, KeyCode::Char('x'));
    assert!(!app.help);
    // `?` opens help when focus is not in a text field...
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('?'));
    assert!(app.help);
    press(&mut app, KeyCode::Esc);
    // ...and is typed as text in a text field.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Char('?'));
    assert!(!app.help);
    assert!(session(&app).plan().plan.name.ends_with('?'));
}

#[test]
fn quitting_saves_first() {
    let (_dir, path, mut app) = empty_app();
    press(&mut app, KeyCode::Tab);
    app.type_text("Quit Co");
    ctrl(&mut app, 'q');
    assert!(app.should_quit);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("company = \"Quit Co\""), "{text}");
}

#[test]
fn a_failed_save_on_quit_asks_instead_of_losing_edits() {
    let (dir, path, mut app) = empty_app();
    press(&mut app, KeyCode::Tab);
    app.type_text("Lost?");
    // Make the save fail: the file's directory disappears.
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_dir_all(dir.path()).unwrap();
    ctrl(&mut app, 'c');
    assert!(!app.should_quit);
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Could not save"), "{shown}");
    press(&mut app, KeyCode::Esc);
    assert!(!app.should_quit);
    assert_eq!(session(&app).plan().plan.company, "Lost?");
}

#[test]
fn tiny_and_odd_sizes_never_panic() {
    let (_dir, _path, mut app) = example_app();
    for step in 0..10 {
        for (w, h) in [
            (1, 1),
            (2, 5),
            (20, 8),
            (59, 15),
            (60, 16),
            (61, 17),
            (80, 24),
            (250, 80),
        ] {
            let _ = screen(&mut app, w, h);
        }
        if step == 1 {
            // A popup at small sizes too.
            press(&mut app, KeyCode::Enter);
            for (w, h) in [(60, 16), (30, 10)] {
                let _ = screen(&mut app, w, h);
            }
            press(&mut app, KeyCode::Esc);
        }
        ctrl(&mut app, 'n');
    }
    insta::assert_snapshot!("too_small", screen(&mut app, 40, 10));
}

#[test]
fn start_screen_opens_the_example() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = new_app(dir.path());
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Open the example plan"), "{shown}");
    press(&mut app, KeyCode::Char('e'));
    assert!(dir.path().join("example.toml").exists());
    assert_eq!(session(&app).plan().plan.company, "Tramora Software SL");
}

#[test]
fn start_screen_creates_a_new_plan() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = new_app(dir.path());
    press(&mut app, KeyCode::Char('n'));
    // A path is not a name: said, and nothing is created.
    app.type_text("../x");
    press(&mut app, KeyCode::Enter);
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("not a plan name"), "{shown}");
    for _ in 0..4 {
        press(&mut app, KeyCode::Backspace);
    }
    // Any other name makes a plan; its file name shows before Enter.
    app.type_text("Good Name");
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("good-name.toml"), "{shown}");
    press(&mut app, KeyCode::Enter);
    assert!(dir.path().join("good-name.toml").exists());
    assert_eq!(session(&app).plan().plan.name, "Good Name");
}

/// The line showing `needle` on a 160×90 screen.
fn row_text(app: &mut App, needle: &str) -> String {
    line_with(&screen(app, 160, 90), needle)
}

#[test]
fn x_adds_an_example_goal_and_the_smart_row_follows_edits() {
    let (_dir, _path, mut app) = empty_app();
    alt(&mut app, '4');
    press(&mut app, KeyCode::Char('x'));
    let plan = session(&app).plan();
    assert_eq!(plan.goals.len(), 1);
    assert_eq!(plan.goals[0].id, "more-sqls");
    assert!(plan.goals[0].specific.contains("10 %"));
    let shown = screen(&mut app, 100, 40);
    assert!(shown.contains("M ✗"), "{shown}");
    assert!(shown.contains("no KPI measures it"), "{shown}");
    // A vague wish is not specific.
    focus(&mut app, "f.specific");
    for _ in 0..200 {
        press(&mut app, KeyCode::Backspace);
    }
    app.type_text("more customers");
    let shown = screen(&mut app, 100, 40);
    assert!(shown.contains("S ✗"), "{shown}");
    for _ in 0..14 {
        press(&mut app, KeyCode::Backspace);
    }
    app.type_text("Increase paying customers by 20 % this quarter");
    let shown = screen(&mut app, 100, 40);
    assert!(shown.contains("S ✓"), "{shown}");
    insta::assert_snapshot!("goals_example", shown);
}

#[test]
fn a_changed_actual_in_step_5_changes_the_gap_row_in_step_7() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '7');
    let before = row_text(&mut app, "Marketing-qualified");
    assert!(before.contains("off track"), "{before}");
    // Step 5: choose the mqls KPI and record a big October.
    alt(&mut app, '5');
    let mqls = session(&app)
        .plan()
        .kpis
        .iter()
        .position(|k| k.id == "mqls")
        .unwrap();
    for _ in 0..mqls {
        press(&mut app, KeyCode::Down);
    }
    focus(&mut app, "f.actuals");
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab); // to the value
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    app.type_text("95");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter); // Done
    let kpi = &session(&app).plan().kpis[mqls];
    assert_eq!(kpi.actuals.last().unwrap().value, 95.0);
    alt(&mut app, '7');
    let after = row_text(&mut app, "Marketing-qualified");
    assert!(after.contains("met"), "{after}");
}

#[test]
fn a_growth_rate_changes_the_status_live() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '6');
    // The first KPI is mrr (growth 4 % a month, on track).
    focus(&mut app, "f.monthly_rate");
    for _ in 0..6 {
        press(&mut app, KeyCode::Backspace);
    }
    // Typed in percent a month: 1 is 1 %, kept as 0.01.
    app.type_text("1");
    assert_eq!(
        session(&app).plan().kpis[0].forecast,
        Some(rumbo::plan::Forecast::Growth { monthly_rate: 0.01 })
    );
    let row = row_text(&mut app, "Monthly recurring");
    assert!(
        row.contains("at risk") || row.contains("off track"),
        "{row}"
    );
}

#[test]
fn funnel_results_follow_a_changed_rate() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '6');
    focus(&mut app, "f.calls_per_rep");
    let reps_before = reps_line(&mut app);
    for _ in 0..6 {
        press(&mut app, KeyCode::Backspace);
    }
    app.type_text("50");
    let reps_after = reps_line(&mut app);
    assert_ne!(reps_before, reps_after);
    assert!(reps_after.contains("sales reps needed"), "{reps_after}");
}

fn reps_line(app: &mut App) -> String {
    row_text(app, "sales reps needed")
}

#[test]
fn enter_on_a_gap_row_opens_that_kpi_in_step_5() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '7');
    // The worst row first: the overdue sqls KPI.
    press(&mut app, KeyCode::Enter);
    let s = session(&app);
    assert_eq!(s.step, Step::Kpis);
    let form = s.form();
    assert_eq!(s.plan().kpis[form.ctx.item].id, "sqls");
}

#[test]
fn a_remedy_is_chosen_for_the_selected_gap() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '7');
    // Fourth row: ltv (no forecast), which has no remedy yet.
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    focus(&mut app, "f.remedy_option");
    press(&mut app, KeyCode::Right);
    let plan = session(&app).plan();
    let remedy = plan.remedies.iter().find(|r| r.kpi == "ltv").unwrap();
    assert_eq!(remedy.option, Some(rumbo::plan::RemedyOption::Hire));
}

#[test]
fn the_catalogue_is_searched_and_adds_a_prefilled_kpi() {
    let (_dir, _path, mut app) = empty_app();
    alt(&mut app, '5');
    press(&mut app, KeyCode::Char('c'));
    app.type_text("churn");
    insta::assert_snapshot!("catalogue_search", screen(&mut app, 100, 30));
    press(&mut app, KeyCode::Enter);
    let s = session(&app);
    assert!(s.popup.is_none());
    let kpi = &s.plan().kpis[0];
    assert_eq!(kpi.catalogue, "churn_rate");
    assert_eq!(kpi.direction, rumbo::plan::Direction::Decrease);
    assert_eq!(kpi.id, "churn-rate");
    // The new KPI is the one being edited.
    assert_eq!(s.form().ctx.item, 0);
    // Tab groups the list by objective, then by question.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter); // back to the form
    focus(&mut app, "f.kpis");
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Tab);
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("by objective"), "{shown}");
    assert!(shown.contains("Increase sales"), "{shown}");
}

#[test]
fn the_catalogue_adds_the_best_match_in_any_view_and_asks_before_a_second_copy() {
    let (_dir, _path, mut app) = empty_app();
    alt(&mut app, '5');
    focus(&mut app, "f.kpis");
    press(&mut app, KeyCode::Char('c'));
    // Grouped by question, another KPI's group comes first: Enter still adds
    // what the search found best.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    app.type_text("churn");
    press(&mut app, KeyCode::Enter);
    assert_eq!(session(&app).plan().kpis.len(), 1);
    assert_eq!(session(&app).plan().kpis[0].catalogue, "churn_rate");
    // Once it is in the plan, the list says so and Enter asks first.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    focus(&mut app, "f.kpis");
    press(&mut app, KeyCode::Char('c'));
    app.type_text("churn");
    let shown = screen(&mut app, 100, 30);
    assert!(
        line_with(&shown, "Churn rate").contains("(in the plan)"),
        "{shown}"
    );
    press(&mut app, KeyCode::Enter);
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("already in the plan"), "{shown}");
    assert_eq!(session(&app).plan().kpis.len(), 1, "not added yet");
    // Any other key forgets the question; Enter twice adds a second copy.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Enter);
    assert_eq!(session(&app).plan().kpis.len(), 1);
    press(&mut app, KeyCode::Enter);
    assert_eq!(session(&app).plan().kpis.len(), 2);
    assert_eq!(session(&app).plan().kpis[1].id, "churn-rate-2");
}

#[test]
fn a_row_popup_is_titled_with_the_row_it_edits() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '8');
    focus(&mut app, "f.ownership");
    press(&mut app, KeyCode::Enter);
    let name = session(&app).plan().kpis[0].name.clone();
    let shown = screen(&mut app, 120, 40);
    assert!(
        shown.contains(&format!("KPI owners · {}", &name[..20.min(name.len())])),
        "{shown}"
    );
    assert!(!shown.contains("· row 1"), "{shown}");
}

#[test]
fn the_padre_view_regroups_the_plan_and_jumps_to_a_step() {
    let (_dir, _path, mut app) = example_app();
    press(&mut app, KeyCode::F(4));
    insta::assert_snapshot!("padre", screen(&mut app, 100, 40));
    // Down to "Personas" (the sixth item) and Enter: step 2.
    for _ in 0..5 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    assert!(session(&app).popup.is_none());
    assert_eq!(session(&app).step, Step::Customers);
    // On an empty plan everything reads as missing.
    let (_d2, _p2, mut empty) = empty_app();
    press(&mut empty, KeyCode::F(4));
    let shown = screen(&mut empty, 100, 40);
    assert!(shown.contains("0 of 31 items"), "{shown}");
    assert!(
        shown.contains("○ Industry trends (step 1) — nothing yet"),
        "{shown}"
    );
}

#[test]
fn actions_switch_views_cycle_status_and_flag_late_ones() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '9');
    press(&mut app, KeyCode::Char('v')); // by due date: late ones first
    let shown = screen(&mut app, 119, 40);
    assert!(shown.contains("by due date"), "{shown}");
    let first_row = shown
        .lines()
        .find(|l| l.contains('⚠') && l.contains("2026-"))
        .unwrap();
    assert!(first_row.contains("⚠ 2026-09-30"), "{first_row}");
    insta::assert_snapshot!("actions_by_due", shown);
    // Space on the first (late, "doing") action marks it done.
    let plan = session(&app).plan();
    let late = plan
        .actions
        .iter()
        .position(|a| a.due.map(|d| d.to_string()) == Some("2026-09-30".into()))
        .unwrap();
    assert_eq!(plan.actions[late].status, rumbo::plan::ActionStatus::Doing);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(
        session(&app).plan().actions[late].status,
        rumbo::plan::ActionStatus::Done
    );
    // `x` adds the example actions once.
    let before = session(&app).plan().actions.len();
    press(&mut app, KeyCode::Char('x'));
    let after = session(&app).plan().actions.len();
    assert!(after > before, "examples the plan lacks are added");
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(session(&app).plan().actions.len(), after, "and only once");
}

#[test]
fn an_owner_assigned_in_step_8_updates_the_kpi() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '8');
    focus(&mut app, "f.ownership");
    press(&mut app, KeyCode::Enter); // the first KPI: mrr, owned by lucia
    press(&mut app, KeyCode::Right);
    let owner = session(&app).plan().kpis[0].owner.clone();
    assert_ne!(owner, "lucia");
    assert!(session(&app).plan().member(&owner).is_some());
}

#[test]
fn a_tool_tracks_kpis_ticked_in_its_form() {
    let (_dir, _path, mut app) = empty_app();
    // A KPI to track.
    alt(&mut app, '5');
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Esc);
    assert!(
        session(&app).plan().kpis.is_empty(),
        "Esc cancels the new row"
    );
    press(&mut app, KeyCode::Char('a'));
    for _ in 0..2 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(session(&app).plan().kpis.len(), 1);
    alt(&mut app, '0');
    let shown = screen(&mut app, 100, 30);
    assert!(
        shown.contains("No adopted tool tracks these KPIs: kpi"),
        "{shown}"
    );
    press(&mut app, KeyCode::Char('a'));
    app.type_text("CRM");
    // name, purpose, cost, status, then the KPI checklist.
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(
        session(&app).plan().tools[0].tracks,
        vec!["kpi".to_string()]
    );
    press(&mut app, KeyCode::Esc);
    // Something was typed: Esc asks, `n` discards the row.
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Char('a'));
    app.type_text("CRM");
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Char(' '));
    for _ in 0..6 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter); // Done
    // Space on the row adopts it; the KPI is then tracked.
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(
        session(&app).plan().tools[0].status,
        rumbo::plan::ToolStatus::Adopted
    );
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Every KPI is tracked"), "{shown}");
}

#[test]
fn a_change_on_disk_is_never_overwritten_silently() {
    let (_dir, path, mut app) = empty_app();
    press(&mut app, KeyCode::Tab);
    app.type_text("Mine Co");
    // Someone sets the same field meanwhile (a change elsewhere would be
    // merged: tests/concurrency.rs).
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("name = \"Mine\"", "name = \"Mine\"\ncompany = \"Theirs\"");
    std::fs::write(&path, &theirs).unwrap();
    ctrl(&mut app, 's');
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Changed on disk"), "{shown}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "nothing written yet"
    );
    // Reload theirs: my version is kept in a copy.
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(session(&app).plan().plan.company, "Theirs");
    let copy = path.with_file_name("mine-mine.toml");
    assert!(std::fs::read_to_string(&copy).unwrap().contains("Mine Co"));
    // Keep mine writes over theirs, when asked to.
    focus(&mut app, "f.company");
    app.type_text("Again");
    std::fs::write(&path, theirs.replace("Theirs", "More")).unwrap();
    ctrl(&mut app, 'q');
    assert!(!app.should_quit, "quitting asks first");
    press(&mut app, KeyCode::Char('k'));
    assert!(app.should_quit);
    assert!(std::fs::read_to_string(&path).unwrap().contains("Again"));
}

#[test]
fn an_unedited_plan_follows_changes_on_disk() {
    let (_dir, path, mut app) = empty_app();
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = text.replace("name = \"Mine\"", "name = \"Renamed elsewhere\"");
    // Make sure the size differs so the change is noticed whatever the clock.
    std::fs::write(&path, changed + "\n").unwrap();
    app.tick();
    assert_eq!(session(&app).plan().plan.name, "Renamed elsewhere");
    // With unsaved edits, nothing is reloaded.
    press(&mut app, KeyCode::Tab);
    app.type_text("X");
    std::fs::write(&path, text).unwrap();
    app.tick();
    assert_eq!(session(&app).plan().plan.company, "X");
}

#[test]
fn ctrl_e_exports_next_to_the_plan_and_says_where() {
    let (_dir, path, mut app) = example_app();
    ctrl(&mut app, 'e');
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("HTML"), "{shown}");
    press(&mut app, KeyCode::Char('h'));
    let html = path.with_extension("html");
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("<svg"), "the KPI charts are inline");
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Exported to"), "{shown}");
    ctrl(&mut app, 'e');
    press(&mut app, KeyCode::Char('c'));
    assert!(path.with_extension("csv").exists());
}

#[test]
fn unsaved_edits_go_to_the_journal_and_come_back() {
    let (dir, path, mut app) = empty_app();
    let state = tempfile::tempdir().unwrap();
    let journal = rumbo::store::journal::Journal::new(state.path());
    // Reopen with a journal.
    app.journal = Some(journal.clone());
    app.open(&path).unwrap();
    press(&mut app, KeyCode::Tab);
    app.type_text("Kept Co");
    let Screen::Plan(s) = &mut app.screen else {
        panic!()
    };
    s.journal_if_idle(std::time::Duration::ZERO);
    assert!(journal.read(&path).is_some(), "written once idle");
    // The window is closed without saving; the next start asks.
    drop(app);
    let mut app = new_app(dir.path());
    app.journal = Some(journal.clone());
    app.open(&path).unwrap();
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Unsaved edits found"), "{shown}");
    assert!(
        shown.contains("• Company"),
        "the field as the wizard labels it: {shown}"
    );
    assert!(!shown.contains("plan.company"), "{shown}");
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(session(&app).plan().plan.company, "Kept Co");
    assert!(session(&app).dirty);
    ctrl(&mut app, 's');
    assert!(journal.read(&path).is_none(), "a save clears the journal");
    assert!(std::fs::read_to_string(&path).unwrap().contains("Kept Co"));
}

#[test]
fn quitting_without_saving_keeps_the_edits_in_the_journal() {
    let (dir, path, mut app) = empty_app();
    let state = tempfile::tempdir().unwrap();
    let journal = rumbo::store::journal::Journal::new(state.path());
    app.journal = Some(journal.clone());
    app.open(&path).unwrap();
    press(&mut app, KeyCode::Tab);
    app.type_text("Later");
    // The save fails (the directory is gone); the person quits anyway.
    std::fs::remove_dir_all(dir.path()).unwrap();
    ctrl(&mut app, 'q');
    press(&mut app, KeyCode::Char('d'));
    assert!(app.should_quit);
    assert!(
        app.exit_message
            .as_deref()
            .unwrap()
            .contains("recovery journal")
    );
    assert!(journal.read(&path).unwrap().text.contains("Later"));
}

#[test]
fn a_plan_open_elsewhere_is_read_only() {
    let (dir, path, app) = empty_app();
    let mut second = new_app(dir.path());
    second.open(&path).unwrap();
    assert!(session(&second).read_only);
    let shown = screen(&mut second, 100, 30);
    assert!(shown.contains("read-only"), "{shown}");
    press(&mut second, KeyCode::Tab);
    app_type(&mut second, "Nope");
    assert_eq!(session(&second).plan().plan.company, "");
    ctrl(&mut second, 's');
    assert!(!std::fs::read_to_string(&path).unwrap().contains("Nope"));
    drop(app);
}

fn app_type(app: &mut App, text: &str) {
    app.type_text(text);
}

#[test]
fn rates_and_ids_are_checked_as_typed_and_never_stored_invalid() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '6');
    focus(&mut app, "f.visit_to_lead");
    let before = session(&app)
        .plan()
        .funnel
        .as_ref()
        .unwrap()
        .rates
        .visit_to_lead;
    for _ in 0..8 {
        press(&mut app, KeyCode::Backspace);
    }
    // In percent: 150 % is more than every visit.
    app.type_text("150");
    let shown = screen(&mut app, 160, 60);
    assert!(shown.contains("✗ a conversion rate is above"), "{shown}");
    assert_ne!(
        session(&app)
            .plan()
            .funnel
            .as_ref()
            .unwrap()
            .rates
            .visit_to_lead,
        Some(1.5)
    );
    let _ = before;
    // An id with a space is kept as typed but not stored.
    alt(&mut app, '2');
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab); // the id
    press(&mut app, KeyCode::End);
    app.type_text(" x");
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("an id uses lowercase letters"), "{shown}");
    assert!(
        session(&app)
            .plan()
            .personas
            .iter()
            .all(|p| !p.id.contains(' '))
    );
}

#[test]
fn every_step_and_popup_draws_at_any_size_without_panic() {
    let sizes = [
        (1, 1),
        (3, 2),
        (20, 6),
        (59, 15),
        (60, 16),
        (61, 17),
        (80, 24),
        (137, 43),
        (250, 80),
    ];
    let (_dir, _path, mut app) = example_app();
    let draw_all = |app: &mut App| {
        for (w, h) in sizes {
            let _ = screen(app, w, h);
        }
    };
    for n in 1..=10u32 {
        let digit = char::from_digit(n % 10, 10).unwrap();
        alt(&mut app, digit);
        draw_all(&mut app);
        // Each overlay on this step.
        for open in [KeyCode::F(1), KeyCode::F(2), KeyCode::F(4)] {
            press(&mut app, open);
            draw_all(&mut app);
            press(&mut app, KeyCode::Esc);
            if app.help {
                press(&mut app, KeyCode::Esc);
            }
        }
        ctrl(&mut app, 'e');
        draw_all(&mut app);
        press(&mut app, KeyCode::Esc);
        // The first field's own popup, where it has one (a table row).
        press(&mut app, KeyCode::Enter);
        draw_all(&mut app);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Delete);
        draw_all(&mut app);
        press(&mut app, KeyCode::Char('n'));
        if n == 5 {
            press(&mut app, KeyCode::Char('c'));
            draw_all(&mut app);
            press(&mut app, KeyCode::Esc);
        }
    }
    // The start screen and its name prompt.
    let dir = tempfile::tempdir().unwrap();
    let mut start = new_app(dir.path());
    draw_all(&mut start);
    press(&mut start, KeyCode::Char('n'));
    draw_all(&mut start);
}
