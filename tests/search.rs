//! Search (Ctrl-F) driven by keys on the example plan.

mod common;

use common::*;

use ratatui::crossterm::event::KeyCode;
use rumbo::store;
use rumbo::tui::app::Popup;
use rumbo::tui::steps::Step;

#[test]
fn ctrl_f_finds_a_row_and_enter_shows_it_then_the_next_match() {
    let (_dir, _path, mut app) = example_app();

    ctrl(&mut app, 'f');
    assert!(matches!(session(&app).popup, Some(Popup::Search)));
    app.type_text("fleetmosaic");
    let shown = draw(&mut app);
    assert!(shown.contains("Fleetmosaic"), "{shown}");
    assert!(shown.contains("1 Market research · Competitors"), "{shown}");
    press(&mut app, KeyCode::Enter);
    let s = session(&app);
    assert!(s.popup.is_none());
    assert_eq!(s.step, Step::Research);
    let form = s.form();
    let state = &s.forms[&Step::Research];
    assert_eq!(form.field(state.focus).unwrap().key, "f.competitors");
    assert_eq!(
        state.row(state.focus),
        1,
        "the competitor's row is selected"
    );

    // Ctrl-F again opens on the next match; Enter goes there.
    ctrl(&mut app, 'f');
    for _ in 0..20 {
        press(&mut app, KeyCode::Backspace);
    }
    app.type_text("referral");
    let n = session(&app).search.as_ref().unwrap().hits.len();
    assert!(n >= 3, "{n}");
    press(&mut app, KeyCode::Enter);
    let first = (
        session(&app).step,
        session(&app).forms[&session(&app).step].focus,
    );
    ctrl(&mut app, 'f');
    assert_eq!(session(&app).search.as_ref().unwrap().selected, 1);
    press(&mut app, KeyCode::Enter);
    assert!(session(&app).popup.is_none());
    let second = (
        session(&app).step,
        session(&app).forms[&session(&app).step].focus,
    );
    assert_ne!(first, second);
    assert!(app.message.as_ref().unwrap().1.starts_with("Match 2 of"));

    // Accents and case do not matter; a persona's panel is shown with its
    // persona selected.
    ctrl(&mut app, 'f');
    for _ in 0..20 {
        press(&mut app, KeyCode::Backspace);
    }
    app.type_text("DATA BEATS GÚT");
    press(&mut app, KeyCode::Enter);
    let s = session(&app);
    assert_eq!(s.step, Step::Customers);
    assert_eq!(s.forms[&Step::Customers].row(0), 1);

    // What is typed after a search is found by the next one.
    alt(&mut app, '1');
    press(&mut app, KeyCode::End);
    app.type_text(" Zebracorn");
    ctrl(&mut app, 'f');
    for _ in 0..20 {
        press(&mut app, KeyCode::Backspace);
    }
    app.type_text("zebracorn");
    assert_eq!(session(&app).search.as_ref().unwrap().hits.len(), 1);
}

#[test]
fn alt_c_copies_the_gap_table_of_step_7_by_osc_52() {
    let (_dir, path, mut app) = example_app();
    alt(&mut app, '7');
    alt(&mut app, 'c');
    let seq = rumbo::tui::clipboard::take().expect("a sequence for the terminal");
    assert!(seq.contains("]52;c;"), "{seq:?}");
    assert!(app.message.as_ref().unwrap().1.starts_with("Copied"));
    assert_eq!(
        session(&app).plan(),
        &rumbo::store::load::parse(&path, store::EXAMPLE)
            .unwrap()
            .plan
    );
}
