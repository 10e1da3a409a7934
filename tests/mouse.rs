//! Mouse events on the TestBackend: what the last frame drew is what a click
//! hits. Double-clicks are timed with `App::mouse_at`, so they never depend
//! on how fast the test runs.

mod common;

use common::*;

use std::path::Path;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use rumbo::plan::Date;
use rumbo::store;
use rumbo::tui::App;
use rumbo::tui::app::{Popup, Screen};
use rumbo::tui::mouse::Target;
use rumbo::tui::steps::Step;

const LEFT: MouseEventKind = MouseEventKind::Down(MouseButton::Left);

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.handle(Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

/// A left click at `at` that happened at `when`.
fn click_at(app: &mut App, (column, row): (u16, u16), when: Instant) {
    app.mouse_at(
        MouseEvent {
            kind: LEFT,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        },
        when,
    );
}

/// Two clicks on the same cell, 150 ms apart.
fn double_click(app: &mut App, at: (u16, u16)) {
    let t0 = Instant::now();
    click_at(app, at, t0);
    click_at(app, at, t0 + Duration::from_millis(150));
}

/// The screen position of the first cell showing `needle`.
fn find(screen: &str, needle: &str) -> (u16, u16) {
    try_find(screen, needle).unwrap_or_else(|| panic!("no {needle} in\n{screen}"))
}

fn try_find(screen: &str, needle: &str) -> Option<(u16, u16)> {
    for (y, line) in screen.lines().enumerate() {
        // TestBackend lines are quoted: drop the leading quote.
        let line = line.trim_start_matches('"');
        if let Some(i) = line.find(needle) {
            let x = line[..i].chars().count();
            return Some((x as u16, y as u16));
        }
    }
    None
}

/// Draws, then clicks the first cell showing `needle`.
fn click_on(app: &mut App, needle: &str) {
    let shown = draw(app);
    let (x, y) = find(&shown, needle);
    mouse(app, LEFT, x, y);
}

#[test]
fn clicking_a_step_then_a_table_row_selects_them() {
    let (_dir, _path, mut app) = example_app();

    click_on(&mut app, "9 ● Actions");
    assert_eq!(session(&app).step, Step::Actions);

    let shown = draw(&mut app);
    let (x, y) = find(&shown, "Hire a second ac");
    mouse(&mut app, LEFT, x, y);
    let s = session(&app);
    assert_eq!(s.forms[&Step::Actions].row(0), 2, "{shown}");
    assert!(s.popup.is_none(), "one click only selects");

    // The wheel moves the selection like ↓.
    mouse(&mut app, MouseEventKind::ScrollDown, x, y);
    assert_eq!(session(&app).forms[&Step::Actions].row(0), 3);
    // A key still works after the mouse.
    press(&mut app, KeyCode::Up);
    assert_eq!(session(&app).forms[&Step::Actions].row(0), 2);
}

#[test]
fn a_double_click_on_a_table_row_opens_its_popup() {
    let (_dir, _path, mut app) = example_app();
    click_on(&mut app, "9 ● Actions");
    let shown = draw(&mut app);
    let at = find(&shown, "Hire a second ac");

    // Two clicks too far apart in time only select.
    let t0 = Instant::now();
    click_at(&mut app, at, t0);
    click_at(&mut app, at, t0 + Duration::from_millis(900));
    assert!(session(&app).popup.is_none());
    // Nor do two quick clicks on different cells.
    let t1 = t0 + Duration::from_secs(5);
    click_at(&mut app, at, t1);
    click_at(&mut app, (at.0 + 3, at.1), t1 + Duration::from_millis(100));
    assert!(session(&app).popup.is_none());

    draw(&mut app);
    double_click(&mut app, at);
    match &session(&app).popup {
        Some(Popup::Row { ctx, .. }) => assert_eq!(ctx.row, 2),
        _ => panic!("the row popup opens"),
    }
    let shown = draw(&mut app);
    // The popup is titled with the row it edits.
    assert!(shown.contains("· Hire a second ac"), "{shown}");
}

#[test]
fn a_stray_click_outside_a_row_popup_keeps_it_and_its_edits() {
    let (_dir, _path, mut app) = empty_app();
    // Step 1: plan (7) + trends (5) fields, then the competitors table.
    for _ in 0..12 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Char('a'));
    app.type_text("Globex");
    let shown = draw(&mut app);
    // The header, the step list, the very corner: outside the popup.
    for at in [(0, 0), (2, 3), (99, 28)] {
        mouse(&mut app, LEFT, at.0, at.1);
    }
    mouse(&mut app, MouseEventKind::Down(MouseButton::Right), 2, 3);
    assert!(
        matches!(session(&app).popup, Some(Popup::Row { .. })),
        "{shown}"
    );
    assert_eq!(session(&app).plan().research.competitors[0].name, "Globex");

    // A click on another field of the popup focuses it: typing goes there.
    let Some(Popup::Row { state, .. }) = &session(&app).popup else {
        panic!()
    };
    let before = state.focus;
    let shown = draw(&mut app);
    let (x, y) = find(&shown, "Pricing");
    mouse(&mut app, LEFT, x, y);
    let Some(Popup::Row { state, .. }) = &session(&app).popup else {
        panic!("{shown}")
    };
    assert_ne!(state.focus, before, "{shown}");
    app.type_text("Per seat");
    assert_eq!(
        session(&app).plan().research.competitors[0].pricing,
        "Per seat"
    );

    // Done keeps the row.
    click_on(&mut app, "[ Done ]");
    assert!(session(&app).popup.is_none());
    assert_eq!(session(&app).plan().research.competitors[0].name, "Globex");
}

#[test]
fn the_delete_question_is_answered_by_clicking_its_choices() {
    let (_dir, _path, mut app) = example_app();
    ctrl(&mut app, 'n'); // step 2: the personas table has focus
    assert_eq!(session(&app).plan().personas.len(), 2);
    press(&mut app, KeyCode::Delete);
    // A click beside the question does nothing.
    mouse(&mut app, LEFT, 0, 0);
    assert!(matches!(
        session(&app).popup,
        Some(Popup::ConfirmDelete { .. })
    ));
    // The wheel does not answer it either.
    mouse(&mut app, MouseEventKind::ScrollDown, 40, 12);
    assert!(session(&app).popup.is_some());
    click_on(&mut app, "n or Esc: keep it");
    assert!(session(&app).popup.is_none());
    assert_eq!(session(&app).plan().personas.len(), 2);

    press(&mut app, KeyCode::Delete);
    click_on(&mut app, "y or Enter: delete");
    assert!(session(&app).popup.is_none());
    assert_eq!(session(&app).plan().personas.len(), 1);
}

#[test]
fn clicking_an_export_format_exports_it() {
    let (_dir, path, mut app) = example_app();
    ctrl(&mut app, 'e');
    click_on(&mut app, "h  HTML");
    assert!(session(&app).popup.is_none());
    assert!(path.with_extension("html").exists());
    assert!(!path.with_extension("md").exists());
    let shown = draw(&mut app);
    assert!(shown.contains("Exported to"), "{shown}");

    // A click outside the formats closes them, as Esc does: nothing written.
    ctrl(&mut app, 'e');
    draw(&mut app);
    mouse(&mut app, LEFT, 1, 1);
    assert!(session(&app).popup.is_none());
    assert!(!path.with_extension("md").exists());
}

#[test]
fn a_catalogue_row_is_picked_by_a_click_and_added_by_a_double_click() {
    let (_dir, _path, mut app) = empty_app();
    alt(&mut app, '5');
    press(&mut app, KeyCode::Char('c'));
    app.type_text("rate");
    let shown = draw(&mut app);
    // The list's row, not the title of the definition beside it.
    let at = find(&shown, "│ Churn rate");
    let at = (at.0 + 3, at.1);
    let t0 = Instant::now();
    click_at(&mut app, at, t0);
    let Some(Popup::Catalogue(picker)) = &session(&app).popup else {
        panic!("one click keeps the catalogue open")
    };
    assert!(
        picker.cursor > 0,
        "the clicked row is picked, not the first"
    );
    let shown = draw(&mut app);
    assert!(
        shown.contains("customers who cancel"),
        "its definition shows\n{shown}"
    );
    assert!(session(&app).plan().kpis.is_empty());

    // A stray click outside keeps a catalogue with a search typed.
    mouse(&mut app, LEFT, 0, 0);
    assert!(session(&app).popup.is_some());

    draw(&mut app);
    double_click(&mut app, at);
    let s = session(&app);
    assert!(s.popup.is_none());
    assert_eq!(s.plan().kpis.len(), 1);
    assert_eq!(s.plan().kpis[0].catalogue, "churn_rate");
}

#[test]
fn a_double_click_on_a_recent_plan_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("alpha.toml"), store::EXAMPLE).unwrap();
    std::fs::write(
        dir.path().join("beta.toml"),
        store::new_plan_text("Beta", Some(today())),
    )
    .unwrap();
    let mut app = new_app(dir.path());
    let shown = draw(&mut app);
    let at = find(&shown, "beta");
    let t0 = Instant::now();
    click_at(&mut app, at, t0);
    let Screen::Start(start) = &app.screen else {
        panic!("one click only selects")
    };
    let picked = start.cursor;
    assert!(
        matches!(&start.entries[picked], rumbo::tui::start::Entry::Plan { name, .. } if name == "beta")
    );
    draw(&mut app);
    click_at(&mut app, at, t0 + Duration::from_millis(200));
    assert_eq!(session(&app).plan().plan.name, "Beta");
}

#[test]
fn the_start_screen_commands_are_clicked() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = new_app(dir.path());
    click_on(&mut app, "New plan");
    let Screen::Start(start) = &app.screen else {
        panic!()
    };
    assert!(start.new_plan.as_ref().is_some_and(|n| !n.example));
    // The example box toggles with a click; the list under the prompt
    // does not take clicks.
    click_on(&mut app, "[ ] Start from");
    let Screen::Start(start) = &app.screen else {
        panic!()
    };
    assert!(start.new_plan.as_ref().is_some_and(|n| n.example));
    app.type_text("fromclicks");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        session(&app).plan().plan.company,
        "Tramora Software SL",
        "made from the example"
    );
    assert!(dir.path().join("fromclicks.toml").exists());

    let mut app = new_app(dir.path());
    click_on(&mut app, "Open the example plan");
    assert!(dir.path().join("example.toml").exists());
    assert!(matches!(app.screen, Screen::Plan(_)));
}

/// The example with `n` actions owned by nobody the plan knows: as many
/// problems.
fn plan_with_problems(n: usize) -> String {
    let mut text = store::EXAMPLE.to_string();
    for i in 0..n {
        text.push_str(&format!(
            "\n[[actions]]\nid = \"orphan-{i}\"\ntitle = \"Orphan {i}\"\nowner = \"nobody-{i}\"\nstatus = \"todo\"\n"
        ));
    }
    text
}

#[test]
fn the_wheel_scrolls_the_problems_and_a_click_outside_closes_them() {
    let (_dir, _path, mut app) = app_with("many.toml", &plan_with_problems(30));
    press(&mut app, KeyCode::F(2));
    let first = draw(&mut app);
    assert!(first.contains("nobody-0"), "{first}");
    for _ in 0..5 {
        mouse(&mut app, MouseEventKind::ScrollDown, 50, 15);
    }
    let shown = draw(&mut app);
    assert!(matches!(
        session(&app).popup,
        Some(Popup::Problems { scroll: 5 })
    ));
    assert_ne!(first, shown);
    mouse(&mut app, MouseEventKind::ScrollUp, 50, 15);
    draw(&mut app);
    assert!(matches!(
        session(&app).popup,
        Some(Popup::Problems { scroll: 4 })
    ));
    // It only shows something: a click outside it closes it.
    mouse(&mut app, LEFT, 0, 29);
    assert!(session(&app).popup.is_none());
}

#[test]
fn the_wheel_scrolls_the_help_and_a_click_closes_it() {
    let (_dir, _path, mut app) = example_app();
    press(&mut app, KeyCode::F(1));
    let first = screen(&mut app, 100, 20);
    assert!(first.contains("Here"), "{first}");
    for _ in 0..4 {
        mouse(&mut app, MouseEventKind::ScrollDown, 50, 10);
    }
    let shown = screen(&mut app, 100, 20);
    assert!(app.help, "the wheel does not close the help");
    assert_eq!(app.help_scroll, 4);
    assert!(!shown.contains("Here"), "{shown}");
    // Far past the end, it stops at the end: one turn up moves at once.
    for _ in 0..200 {
        mouse(&mut app, MouseEventKind::ScrollDown, 50, 10);
    }
    let end = screen(&mut app, 100, 20);
    assert!(end.contains("The mouse"), "{end}");
    mouse(&mut app, MouseEventKind::ScrollUp, 50, 10);
    assert_ne!(screen(&mut app, 100, 20), end);
    mouse(&mut app, LEFT, 50, 10);
    assert!(!app.help);
    assert_eq!(
        session(&app).step,
        Step::Research,
        "the click did nothing else"
    );
}

#[test]
fn conflict_and_recovery_choices_are_clicked() {
    let (_dir, path, mut app) = empty_app();
    press(&mut app, KeyCode::Tab);
    app.type_text("Mine Co");
    // The same field set elsewhere: a conflict.
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("name = \"Mine\"", "name = \"Mine\"\ncompany = \"Theirs\"");
    std::fs::write(&path, &theirs).unwrap();
    ctrl(&mut app, 's');
    assert!(matches!(session(&app).popup, Some(Popup::Conflict { .. })));
    mouse(&mut app, LEFT, 0, 0);
    assert!(
        session(&app).popup.is_some(),
        "a stray click answers nothing"
    );
    click_on(&mut app, "keep mine");
    assert!(session(&app).popup.is_none());
    assert!(std::fs::read_to_string(&path).unwrap().contains("Mine Co"));

    // Unsaved edits kept from an earlier run.
    let state = tempfile::tempdir().unwrap();
    let journal = store::journal::Journal::new(state.path());
    app.journal = Some(journal.clone());
    app.open(&path).unwrap();
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::End);
    app.type_text(" Again");
    let Screen::Plan(s) = &mut app.screen else {
        panic!()
    };
    s.journal_if_idle(Duration::ZERO);
    drop(app);
    let mut app = new_app(path.parent().unwrap());
    app.journal = Some(journal.clone());
    app.open(&path).unwrap();
    assert!(matches!(session(&app).popup, Some(Popup::Recovery(_))));
    click_on(&mut app, "r  recover them");
    assert!(session(&app).popup.is_none());
    assert_eq!(session(&app).plan().plan.company, "Mine Co Again");
}

#[test]
fn padre_and_search_rows_are_picked_and_opened() {
    let (_dir, _path, mut app) = example_app();
    press(&mut app, KeyCode::F(4));
    let shown = screen(&mut app, 100, 40);
    let at = find(&shown, "Personas (step 2)");
    let t0 = Instant::now();
    click_at(&mut app, at, t0);
    let Some(Popup::Padre(view)) = &session(&app).popup else {
        panic!()
    };
    assert_eq!(view.cursor, 5);
    screen(&mut app, 100, 40);
    click_at(&mut app, at, t0 + Duration::from_millis(100));
    assert!(session(&app).popup.is_none());
    assert_eq!(session(&app).step, Step::Customers);

    ctrl(&mut app, 'f');
    app.type_text("discovery");
    let shown = draw(&mut app);
    let hits = session(&app).search.as_ref().unwrap().hits.len();
    assert!(hits >= 2, "{shown}");
    // The second result.
    let (x, y) = find(&shown, "matches:");
    let at = (x, y + 2);
    double_click(&mut app, at);
    assert!(session(&app).popup.is_none());
    let message = &app.message.as_ref().unwrap().1;
    assert!(message.contains(&format!("2 of {hits}")), "{message}");
}

#[test]
fn the_review_moves_by_clicking_its_parts_and_the_wheel_never_ends_it() {
    let (_dir, _path, mut app) = example_app();
    press(&mut app, KeyCode::F(7));
    let shown = draw(&mut app);
    let review = session(&app).review.as_ref().expect("the review shows");
    assert_eq!(review.pos, 0);
    let items = review.items().len();
    // A part of the progress line: its first item.
    let at = find(&shown, "Actions due");
    mouse(&mut app, LEFT, at.0, at.1);
    let review = session(&app).review.as_ref().unwrap();
    assert!(review.pos > 0, "{shown}");
    assert!(
        matches!(review.item(), Some(rumbo::tui::review::Item::Action(_))),
        "{shown}"
    );
    // A part with nothing in it is not a place to go.
    let at = find(&shown, "Goals not SMART 0/0");
    mouse(&mut app, LEFT, at.0, at.1);
    assert!(matches!(
        session(&app).review.as_ref().unwrap().item(),
        Some(rumbo::tui::review::Item::Action(_))
    ));
    for _ in 0..items + 5 {
        mouse(&mut app, MouseEventKind::ScrollDown, 50, 15);
    }
    let review = session(&app).review.as_ref().unwrap();
    assert!(review.summary.is_none(), "the wheel stops on the last item");
    assert_eq!(review.pos, items - 1);
    assert_eq!(session(&app).plan().plan.reviewed, store_reviewed(&app));
}

/// The plan's review date as the example has it (the review did not end).
fn store_reviewed(_app: &App) -> Option<Date> {
    let plan = rumbo::store::load::parse(Path::new("example.toml"), store::EXAMPLE)
        .unwrap()
        .plan;
    plan.plan.reviewed
}

#[test]
fn the_hint_bar_keys_are_buttons() {
    let (_dir, path, mut app) = example_app();
    click_on(&mut app, "9 ● Actions");
    let shown = draw(&mut app);
    let at = find(&shown, "Hire a second ac");
    mouse(&mut app, LEFT, at.0, at.1);
    let actions = session(&app).plan().actions.len();
    // "Del delete row" asks, as the key does; then its choice is clicked.
    let shown = draw(&mut app);
    let (x, y) = find(&shown, "Del delete row");
    assert_eq!(y, 29, "on the hint bar\n{shown}");
    mouse(&mut app, LEFT, x + 1, y);
    assert!(matches!(
        session(&app).popup,
        Some(Popup::ConfirmDelete { row: 2, .. })
    ));
    click_on(&mut app, "y or Enter: delete");
    assert_eq!(session(&app).plan().actions.len(), actions - 1);
    assert!(session(&app).dirty);
    // In a text field, Ctrl-S saves.
    click_on(&mut app, "1 ");
    let shown = draw(&mut app);
    let (x, y) = find(&shown, "Ctrl-S");
    assert_eq!(y, 29, "on the hint bar\n{shown}");
    mouse(&mut app, LEFT, x, y);
    assert!(!session(&app).dirty);
    assert!(
        !std::fs::read_to_string(&path)
            .unwrap()
            .contains("Hire a second ac")
    );
}

/// The keys of the hint bar's buttons.
fn bar_keys(app: &App) -> Vec<KeyEvent> {
    app.hits
        .spots
        .iter()
        .filter(|(r, _)| r.y == 29)
        .filter_map(|(_, t)| match t {
            Target::Key(k) => Some(*k),
            _ => None,
        })
        .collect()
}

#[test]
fn letters_in_the_hint_bar_are_buttons_only_where_they_do_not_type() {
    let (_dir, _path, mut app) = example_app();
    click_on(&mut app, "9 ● Actions");
    draw(&mut app);
    // A table: `a` adds a row.
    let a = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
    assert!(bar_keys(&app).contains(&a), "{:?}", bar_keys(&app));

    // A text field: the bar's letters would be typed, so they are not
    // buttons; its chords are.
    click_on(&mut app, "1 ");
    draw(&mut app);
    let keys = bar_keys(&app);
    assert!(!keys.is_empty());
    assert!(
        keys.iter()
            .all(|k| !matches!(k.code, KeyCode::Char(_)) || k.modifiers != KeyModifiers::NONE),
        "{keys:?}"
    );
    // Ctrl-S is one of them.
    let save = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(keys.contains(&save), "{keys:?}");
}

#[test]
fn the_choices_after_a_failed_save_on_quit_are_clicked() {
    let (dir, path, mut app) = empty_app();
    press(&mut app, KeyCode::Tab);
    app.type_text("Lost?");
    // Make the save fail: the file's directory disappears.
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_dir_all(dir.path()).unwrap();
    ctrl(&mut app, 'q');
    assert!(matches!(
        session(&app).popup,
        Some(Popup::QuitFailed { .. })
    ));
    // The choices flow onto a second line when they do not fit on one.
    click_on(&mut app, "Esc: go back to the plan");
    assert!(session(&app).popup.is_none());
    assert!(!app.should_quit);
    assert_eq!(session(&app).plan().plan.company, "Lost?");

    ctrl(&mut app, 'q');
    click_on(&mut app, "r: try again");
    assert!(
        matches!(session(&app).popup, Some(Popup::QuitFailed { .. })),
        "it fails again and asks again"
    );
    click_on(&mut app, "d: quit and lose");
    assert!(app.should_quit);
}

#[test]
fn a_click_ticks_a_checkbox_and_moves_a_focused_choice_on() {
    let (_dir, _path, mut app) = example_app();
    click_on(&mut app, "10 ● Tools");
    let shown = draw(&mut app);
    double_click(&mut app, find(&shown, "Sales CRM"));
    assert!(matches!(session(&app).popup, Some(Popup::Row { .. })));
    assert!(session(&app).plan().tools[0].saves_effort);
    // One click on a checkbox ticks it (here: unticks it); again, back.
    click_on(&mut app, "Saves time, money or effort");
    assert!(!session(&app).plan().tools[0].saves_effort);
    click_on(&mut app, "Saves time, money or effort");
    assert!(session(&app).plan().tools[0].saves_effort);
    // A choice: the first click only focuses it, the next ones cycle it.
    let before = session(&app).plan().tools[0].status;
    click_on(&mut app, "Status");
    assert_eq!(session(&app).plan().tools[0].status, before);
    click_on(&mut app, "Status");
    assert_ne!(session(&app).plan().tools[0].status, before);
}

#[test]
fn the_gap_table_picks_a_row_on_click_and_opens_its_kpi_on_double_click() {
    let (_dir, _path, mut app) = example_app();
    click_on(&mut app, "7 ● Gaps");
    let shown = draw(&mut app);
    // The third row of the gap table, worst first: the churn rate.
    let (x, y) = find(&shown, "Sales-qualified");
    let third = (x, y + 2);
    assert!(
        shown
            .lines()
            .nth(third.1 as usize)
            .unwrap()
            .contains("Monthly custome")
    );
    click_at(&mut app, third, Instant::now());
    let state = &session(&app).forms[&Step::Gaps];
    assert_eq!(state.row(state.focus), 2, "the clicked row is selected");
    draw(&mut app);
    double_click(&mut app, third);
    let s = session(&app);
    assert_eq!(s.step, Step::Kpis, "Enter on a gap row opens its KPI");
    let kpi = &s.plan().kpis[s.forms[&Step::Kpis].row(0)];
    assert_eq!(kpi.name, "Monthly customer churn rate");
}

/// Clicks on `needle` where it shows on the first line holding `label`
/// (the title bar repeats the plan's name and company).
fn click_on_line_of(app: &mut App, label: &str, needle: &str) {
    let shown = draw(app);
    let (_, y) = find(&shown, label);
    let line = shown
        .lines()
        .nth(y as usize)
        .unwrap()
        .trim_start_matches('"');
    let x = line[..line.find(needle).unwrap()].chars().count() as u16;
    mouse(app, LEFT, x, y);
}

#[test]
fn a_click_in_a_text_field_puts_the_caret_there() {
    let (_dir, _path, mut app) = example_app();
    // A one-line field: the plan's name (focused when the step opens).
    click_on_line_of(&mut app, "Plan name", "2026");
    app.type_text("X");
    assert_eq!(
        session(&app).plan().plan.name,
        "Tramora X2026 sales & marketing plan"
    );
    // Another one-line field, not focused before the click.
    click_on_line_of(&mut app, "Company", "Software");
    app.type_text("Y");
    assert_eq!(session(&app).plan().plan.company, "Tramora YSoftware SL");
    // A multi-line field, on its second line.
    click_on(&mut app, "80 vehicles");
    app.type_text("Z");
    let trends = &session(&app).plan().research.industry_trends;
    assert!(trends.contains("\nZ80 vehicles"), "{trends}");
    // Clicked again, where it is drawn now (focused, with its cursor).
    click_on(&mut app, "group chats");
    app.type_text("W");
    let trends = &session(&app).plan().research.industry_trends;
    assert!(trends.contains("Wgroup chats"), "{trends}");
}
