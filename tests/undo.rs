//! Undo and redo (Ctrl-Z / Ctrl-Y) driven by keys on the example plan.

mod common;

use common::*;

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use rumbo::plan::Plan;
use rumbo::tui::App;
use rumbo::tui::app::Popup;
use rumbo::tui::steps::Step;

fn plan(app: &App) -> Plan {
    session(app).plan().clone()
}

#[test]
fn typing_in_a_field_is_undone_in_one_step_and_shows_its_step() {
    let (_dir, _path, mut app) = example_app();
    let before = plan(&app);
    alt(&mut app, '5');
    focus(&mut app, "f.kpi_name");
    app.type_text(" edited");
    assert!(session(&app).plan().kpis[0].name.ends_with(" edited"));
    alt(&mut app, '1');
    ctrl(&mut app, 'z');
    assert!(plan(&app) == before, "one undo takes back the whole word");
    assert_eq!(
        session(&app).step,
        Step::Kpis,
        "undo shows where it happened"
    );
    ctrl(&mut app, 'y');
    assert!(session(&app).plan().kpis[0].name.ends_with(" edited"));
    ctrl(&mut app, 'y');
    assert_eq!(
        app.message.as_ref().map(|m| m.1.as_str()),
        Some("Nothing to redo.")
    );
}

#[test]
fn typing_in_another_field_starts_a_new_step() {
    let (_dir, _path, mut app) = example_app();
    let before = plan(&app);
    alt(&mut app, '5');
    focus(&mut app, "f.kpi_name");
    app.type_text("A");
    let after_name = plan(&app);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    assert!(plan(&app) != after_name);
    ctrl(&mut app, 'z');
    assert!(plan(&app) == after_name);
    ctrl(&mut app, 'z');
    assert!(plan(&app) == before);
}

#[test]
fn rows_added_moved_and_deleted_are_undone_one_by_one() {
    let (_dir, _path, mut app) = example_app();
    let before = plan(&app);
    alt(&mut app, '9');
    let actions = before.actions.len();
    // Add a row, type into its popup, close it.
    press(&mut app, KeyCode::Char('a'));
    assert!(matches!(session(&app).popup, Some(Popup::Row { .. })));
    app.type_text("Call the fleet owners");
    press(&mut app, KeyCode::Esc);
    // Esc asks first (something was typed); `n` discards.
    assert!(matches!(session(&app).popup, Some(Popup::DiscardRow(_))));
    press(&mut app, KeyCode::Char('n'));
    // The popup is cancelled: the row went with it, and so did its steps.
    assert!(plan(&app) == before);
    ctrl(&mut app, 'z');
    assert!(plan(&app) == before);

    press(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Down, KeyModifiers::SHIFT);
    let moved = plan(&app);
    assert!(moved != before, "the first action moved down");
    press(&mut app, KeyCode::Delete);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(session(&app).plan().actions.len(), actions - 1);
    ctrl(&mut app, 'z');
    assert!(plan(&app) == moved);
    ctrl(&mut app, 'z');
    assert!(plan(&app) == before);
    ctrl(&mut app, 'y');
    ctrl(&mut app, 'y');
    assert_eq!(session(&app).plan().actions.len(), actions - 1);
}

#[test]
fn a_kpi_from_the_catalogue_is_undone() {
    let (_dir, _path, mut app) = example_app();
    let before = plan(&app);
    alt(&mut app, '5');
    press(&mut app, KeyCode::Char('c'));
    assert!(matches!(session(&app).popup, Some(Popup::Catalogue(_))));
    press(&mut app, KeyCode::Enter);
    assert_eq!(session(&app).plan().kpis.len(), before.kpis.len() + 1);
    ctrl(&mut app, 'z');
    assert!(plan(&app) == before);
}

#[test]
fn undo_inside_a_row_popup_stops_at_the_popup() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '1');
    focus(&mut app, "f.plan_name");
    app.type_text("X");
    let before_popup = plan(&app);
    focus(&mut app, "f.competitors");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(session(&app).popup, Some(Popup::Row { .. })));
    app.type_text("Y");
    ctrl(&mut app, 'z');
    assert!(plan(&app) == before_popup);
    ctrl(&mut app, 'z');
    assert!(
        plan(&app) == before_popup,
        "the plan name waits for the popup"
    );
    assert!(session(&app).popup.is_some());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// One thing a person does.
    #[derive(Debug, Clone)]
    enum Op {
        Step(u8),
        Tab(u8),
        Type(String),
        Paste(String),
        Key(KeyCode),
        Move(bool),
        Add,
        Delete,
        Extra(char),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..10).prop_map(Op::Step),
            (1u8..6).prop_map(Op::Tab),
            "[a-z0-9 ,.]{1,4}".prop_map(Op::Type),
            "[a-zé ]{1,6}".prop_map(Op::Paste),
            prop_oneof![
                Just(KeyCode::Backspace),
                Just(KeyCode::Delete),
                Just(KeyCode::Char(' ')),
                Just(KeyCode::Left),
                Just(KeyCode::Right),
                Just(KeyCode::Down),
                Just(KeyCode::Up),
                Just(KeyCode::Enter),
            ]
            .prop_map(Op::Key),
            any::<bool>().prop_map(Op::Move),
            Just(Op::Add),
            Just(Op::Delete),
            prop_oneof![Just('x'), Just('s'), Just('c')].prop_map(Op::Extra),
        ]
    }

    /// Sends one event; counts it when it changed the plan (an edit).
    fn send(app: &mut App, event: Event, edits: &mut usize) {
        let before = session(app).revision;
        app.handle(event);
        if session(app).revision != before {
            *edits += 1;
        }
    }

    fn key_event(code: KeyCode, modifiers: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, modifiers))
    }

    /// Does `op`; returns how many edits it made.
    fn apply(app: &mut App, op: &Op) -> usize {
        let mut edits = 0;
        let e = &mut edits;
        let plain = |c| key_event(c, KeyModifiers::NONE);
        match op {
            Op::Step(n) => send(
                app,
                key_event(KeyCode::Char(char::from(b'0' + n)), KeyModifiers::ALT),
                e,
            ),
            Op::Tab(n) => (0..*n).for_each(|_| send(app, plain(KeyCode::Tab), e)),
            Op::Type(text) => text
                .chars()
                .for_each(|c| send(app, plain(KeyCode::Char(c)), e)),
            Op::Paste(text) => send(app, Event::Paste(text.clone()), e),
            Op::Key(code) => send(app, plain(*code), e),
            Op::Move(down) => send(
                app,
                key_event(
                    if *down { KeyCode::Down } else { KeyCode::Up },
                    KeyModifiers::SHIFT,
                ),
                e,
            ),
            Op::Add => send(app, plain(KeyCode::Char('a')), e),
            Op::Delete => {
                send(app, plain(KeyCode::Delete), e);
                send(app, plain(KeyCode::Char('y')), e);
            }
            Op::Extra(c) => send(app, plain(KeyCode::Char(*c)), e),
        }
        // A popup that opened: type into it, then leave it by its Done
        // button or, failing that, with Esc (which cancels it).
        if session(app).popup.is_some() {
            send(app, plain(KeyCode::Char('z')), e);
            for _ in 0..12 {
                if session(app).popup.is_none() {
                    break;
                }
                send(app, plain(KeyCode::Enter), e);
            }
            while session(app).popup.is_some() {
                send(app, plain(KeyCode::Esc), e);
                // Esc over typed content asks first: discard it.
                if matches!(session(app).popup, Some(Popup::DiscardRow(_))) {
                    send(app, plain(KeyCode::Char('n')), e);
                }
            }
        }
        edits
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn undoing_every_edit_restores_the_plan_and_redo_brings_it_back(
            ops in proptest::collection::vec(op(), 1..30)
        ) {
            let (_dir, _path, mut app) = example_app();
            let original = plan(&app);
            // Edits: every event that changed the plan. Typing coalesces,
            // so fewer steps than edits may be recorded; never more.
            let mut edits = 0;
            for op in &ops {
                edits += apply(&mut app, op);
            }
            let edited = plan(&app);
            for _ in 0..edits {
                ctrl(&mut app, 'z');
            }
            prop_assert!(plan(&app) == original, "{} undos after {:?}", edits, ops);
            for _ in 0..edits {
                ctrl(&mut app, 'y');
            }
            prop_assert!(plan(&app) == edited, "{} redos after {:?}", edits, ops);
        }
    }
}
