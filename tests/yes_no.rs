//! Every yes/no question of the TUI answers to the language's own yes key
//! (`y` in English, `s` for "sí" in Spanish), shows that key, and keeps
//! `y` and `Enter` working in every language.

mod common;

use common::*;
use ratatui::crossterm::event::KeyCode;
use rumbo::i18n::{self, Lang};
use rumbo::store;
use rumbo::tui::app::{Popup, Screen};

fn personas(app: &rumbo::tui::App) -> usize {
    session(app).plan().personas.len()
}

#[test]
fn the_spanish_row_delete_question_takes_s_and_shows_it() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, _path, mut app) = example_app();
        ctrl(&mut app, 'n'); // step 2: the personas table has the focus
        assert_eq!(personas(&app), 2);
        press(&mut app, KeyCode::Delete);
        let shown = screen(&mut app, 80, 24);
        assert!(shown.contains("s o Enter: borrar"), "{shown}");
        // The hint bar names the same key.
        assert!(shown.contains("s/Enter"), "{shown}");
        assert!(!shown.contains("y o Enter"), "{shown}");
        press(&mut app, KeyCode::Char('s'));
        assert_eq!(personas(&app), 1, "s (sí) deletes in Spanish");
        // y still works, for hands used to English.
        press(&mut app, KeyCode::Delete);
        press(&mut app, KeyCode::Char('y'));
        assert_eq!(personas(&app), 0);
    });
}

#[test]
fn the_english_row_delete_question_takes_y_and_not_s() {
    i18n::with_lang(Lang::En, || {
        let (_dir, _path, mut app) = example_app();
        ctrl(&mut app, 'n');
        press(&mut app, KeyCode::Delete);
        let shown = screen(&mut app, 80, 24);
        assert!(shown.contains("y or Enter: delete"), "{shown}");
        assert!(shown.contains("y/Enter"), "{shown}");
        // s is no answer in English: the question closes, nothing deleted.
        press(&mut app, KeyCode::Char('s'));
        assert_eq!(personas(&app), 2);
        press(&mut app, KeyCode::Delete);
        press(&mut app, KeyCode::Enter);
        assert_eq!(personas(&app), 1);
    });
}

#[test]
fn the_spanish_plan_delete_question_on_the_start_screen_takes_s() {
    i18n::with_lang(Lang::Es, || {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("acme.toml"), store::EXAMPLE).unwrap();
        let mut app = new_app(d);
        let Screen::Start(start) = &app.screen else {
            panic!("not on the start screen")
        };
        let index = start
            .entries
            .iter()
            .position(
                |e| matches!(e, rumbo::tui::start::Entry::Plan { name, .. } if name == "acme"),
            )
            .unwrap();
        for _ in 0..index {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Char('d'));
        let shown = screen(&mut app, 100, 30);
        assert!(shown.contains("s o Enter: borrar"), "{shown}");
        press(&mut app, KeyCode::Char('s'));
        assert!(!d.join("acme.toml").exists(), "s (sí) deletes the plan");
        assert!(d.join("trash/acme.toml").exists());
    });
}

#[test]
fn the_spanish_keep_what_you_typed_question_takes_s_and_y() {
    i18n::with_lang(Lang::Es, || {
        for yes in ['s', 'y'] {
            let (_dir, _path, mut app) = example_app();
            ctrl(&mut app, 'n');
            press(&mut app, KeyCode::Enter); // the first persona in its popup
            app.type_text("Zed");
            press(&mut app, KeyCode::Esc);
            assert!(matches!(session(&app).popup, Some(Popup::DiscardRow(_))));
            let shown = screen(&mut app, 100, 30);
            assert!(shown.contains("s o Enter"), "{shown}");
            press(&mut app, KeyCode::Char(yes));
            assert!(session(&app).popup.is_none(), "{yes} keeps the row");
            assert!(
                session(&app).plan().personas[0].name.contains("Zed"),
                "{yes} keeps what was typed"
            );
        }
    });
}
