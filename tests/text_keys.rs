//! The editing keys the README lists for text fields (`Ctrl-W`, `Ctrl-U`,
//! `Ctrl-K`, `Home`, `End`, `Ctrl-←/→`) work in every text field: one-line
//! fields, multi-line fields and the KPI catalogue's search line.

mod common;

use common::*;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use rumbo::tui::App;

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        if c == '\n' {
            press(app, KeyCode::Enter);
        } else {
            press(app, KeyCode::Char(c));
        }
    }
}

fn performance(app: &App) -> String {
    session(app).file.plan.situation.performance.clone()
}

/// An empty plan on step 3 with the focus in its first multi-line field.
fn multi_line_field() -> (tempfile::TempDir, App) {
    let (dir, _path, mut app) = empty_app();
    alt(&mut app, '3');
    focus(&mut app, "f.performance");
    ctrl(&mut app, 'u');
    (dir, app)
}

#[test]
fn ctrl_u_deletes_to_the_start_of_the_line_in_a_multi_line_field() {
    let (_dir, mut app) = multi_line_field();
    typed(&mut app, "first line\nsecond part");
    assert_eq!(performance(&app), "first line\nsecond part");
    ctrl(&mut app, 'u');
    assert_eq!(performance(&app), "first line\n");
    // The caret stays on the (now empty) second line: typing goes there.
    typed(&mut app, "again");
    assert_eq!(performance(&app), "first line\nagain");
    // From the middle of a line, only what is before the caret goes.
    for _ in 0..2 {
        press(&mut app, KeyCode::Left);
    }
    ctrl(&mut app, 'u');
    assert_eq!(performance(&app), "first line\nin");
}

#[test]
fn ctrl_k_deletes_to_the_end_of_the_line_in_a_multi_line_field() {
    let (_dir, mut app) = multi_line_field();
    typed(&mut app, "keep this\nand cut this");
    press(&mut app, KeyCode::Home);
    for _ in 0..4 {
        press(&mut app, KeyCode::Right);
    }
    ctrl(&mut app, 'k');
    assert_eq!(performance(&app), "keep this\nand ");
    // The line above is untouched by End and Home moves.
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::End);
    typed(&mut app, "!");
    assert_eq!(performance(&app), "keep this!\nand ");
}

#[test]
fn ctrl_w_and_ctrl_arrows_move_and_delete_by_word_in_a_multi_line_field() {
    let (_dir, mut app) = multi_line_field();
    typed(&mut app, "one two three");
    ctrl(&mut app, 'w');
    assert_eq!(performance(&app), "one two ");
    key(&mut app, KeyCode::Left, KeyModifiers::CONTROL);
    typed(&mut app, "x");
    assert_eq!(performance(&app), "one xtwo ");
    // Ctrl-Backspace deletes a word as Ctrl-W does.
    key(&mut app, KeyCode::Backspace, KeyModifiers::CONTROL);
    assert_eq!(performance(&app), "one two ");
}

#[test]
fn every_listed_editing_key_works_in_a_one_line_field() {
    let (_dir, _path, mut app) = empty_app();
    focus(&mut app, "f.company");
    // The focused text is selected: the first key replaces it.
    typed(&mut app, "Denta Flow clinics");
    assert_eq!(session(&app).file.plan.plan.company, "Denta Flow clinics");
    ctrl(&mut app, 'w');
    assert_eq!(session(&app).file.plan.plan.company, "Denta Flow ");
    key(&mut app, KeyCode::Left, KeyModifiers::CONTROL);
    ctrl(&mut app, 'k');
    assert_eq!(session(&app).file.plan.plan.company, "Denta ");
    press(&mut app, KeyCode::Home);
    typed(&mut app, "The ");
    press(&mut app, KeyCode::End);
    typed(&mut app, "app");
    assert_eq!(session(&app).file.plan.plan.company, "The Denta app");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Left);
    ctrl(&mut app, 'u');
    assert_eq!(session(&app).file.plan.plan.company, "app");
}

#[test]
fn the_catalogue_search_line_knows_the_editing_keys() {
    let (_dir, _path, mut app) = empty_app();
    alt(&mut app, '5');
    press(&mut app, KeyCode::Char('c'));
    typed(&mut app, "churn rate");
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("churn rate"), "{shown}");
    ctrl(&mut app, 'w');
    let shown = screen(&mut app, 120, 40);
    assert!(!shown.contains("churn rate"), "{shown}");
    assert!(shown.contains("churn"), "{shown}");
    // Home and typing put text before what is there; Ctrl-K cuts the rest.
    press(&mut app, KeyCode::Home);
    typed(&mut app, "zz");
    ctrl(&mut app, 'k');
    ctrl(&mut app, 'w');
    typed(&mut app, "ltv");
    let shown = screen(&mut app, 120, 40);
    let line = line_with(&shown, "ltv");
    assert!(!line.contains("zz") && !line.contains("churn"), "{line}");
}

#[test]
fn with_the_vim_preset_ctrl_u_still_deletes_in_a_multi_line_field() {
    let (dir, _path, mut app) = empty_app();
    let config_path = dir.path().join("config.toml");
    std::fs::write(&config_path, "[keys]\npreset = \"vim\"\n").unwrap();
    app.set_config(&rumbo::config::load(&config_path));
    alt(&mut app, '3');
    focus(&mut app, "f.performance");
    typed(&mut app, "line one\nline two");
    ctrl(&mut app, 'u');
    assert_eq!(performance(&app), "line one\n");
}
