//! The configurable keymap: defaults equal to the key contract, overrides
//! from config.toml, the vim preset, located errors, and the help showing
//! the keys in force.

mod common;

use common::*;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rumbo::config;
use rumbo::keymap::{Action, KeyMap};
use rumbo::store;
use rumbo::tui::App;
use rumbo::tui::app::Focus;
use rumbo::tui::steps::Step;
use tempfile::TempDir;

/// The example plan open, with `config` written as the user's config.toml.
fn app_with_config(config_text: &str) -> (TempDir, PathBuf, App) {
    let (dir, path) = write_plan("example.toml", store::EXAMPLE);
    let config_path = dir.path().join("config.toml");
    std::fs::write(&config_path, config_text).unwrap();
    let mut app = new_app(dir.path());
    app.set_config(&config::load(&config_path));
    app.open(&path).unwrap();
    (dir, path, app)
}

fn selected_row(app: &App) -> usize {
    let s = session(app);
    let state = &s.forms[&s.step];
    state.row(state.focus)
}

fn on_disk(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_defaults_are_exactly_the_keys_of_the_contract() {
    let map = KeyMap::default();
    let none = KeyModifiers::NONE;
    let c = KeyModifiers::CONTROL;
    let alt = KeyModifiers::ALT;
    let mut expected = vec![
        (KeyCode::Char('s'), c, Action::Save),
        (KeyCode::Char('q'), c, Action::Quit),
        (KeyCode::Char('c'), c, Action::Quit),
        (KeyCode::Char('n'), c, Action::NextStep),
        (KeyCode::Char('p'), c, Action::PrevStep),
        (KeyCode::Esc, none, Action::StepList),
        (KeyCode::F(1), none, Action::Help),
        (KeyCode::Char('?'), none, Action::Help),
        (KeyCode::F(2), none, Action::Problems),
        (KeyCode::F(3), none, Action::Guide),
        (KeyCode::F(4), none, Action::Padre),
        (KeyCode::F(6), none, Action::Theme),
        (KeyCode::F(7), none, Action::Review),
        (KeyCode::F(9), none, Action::Language),
        (KeyCode::Char('e'), c, Action::Export),
        (KeyCode::Char('z'), c, Action::Undo),
        (KeyCode::Char('y'), c, Action::Redo),
        (KeyCode::Char('f'), c, Action::Search),
        (KeyCode::Char('c'), alt, Action::Copy),
        (KeyCode::Char('o'), c, Action::EditField),
        (KeyCode::Char('g'), c, Action::EditPlan),
        (KeyCode::Char('a'), none, Action::AddRow),
        (KeyCode::Insert, none, Action::AddRow),
        (KeyCode::Delete, none, Action::DeleteRow),
        (KeyCode::Char('d'), none, Action::DeleteRow),
        (KeyCode::Char('v'), none, Action::ChangeView),
    ];
    for n in 0..10u8 {
        let digit = char::from(b'0' + (n + 1) % 10);
        expected.push((KeyCode::Char(digit), alt, Action::Step(n)));
    }
    for (code, mods, action) in &expected {
        assert_eq!(
            map.action(&KeyEvent::new(*code, *mods)),
            Some(*action),
            "{code:?} {mods:?}"
        );
    }
    // Nothing else is bound: the keys of the contract, no more.
    let bound: usize = Action::all().iter().map(|a| map.keys(*a).len()).sum();
    assert_eq!(bound, expected.len());
    // Text-field keys are never actions.
    for code in [
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Enter,
        KeyCode::Backspace,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Char('j'),
    ] {
        assert_eq!(map.action(&KeyEvent::new(code, none)), None, "{code:?}");
    }
}

#[test]
fn a_rebound_save_key_saves_and_the_old_one_no_longer_does() {
    let (_dir, path, mut app) = app_with_config("[keys]\nsave = \"f10\"\n");
    assert!(app.keymap_problem.is_none());
    press(&mut app, KeyCode::End);
    app.type_text(" (rebound)");
    assert!(session(&app).dirty);
    // Ctrl-S is free now: nothing is written.
    ctrl(&mut app, 's');
    assert!(session(&app).dirty);
    assert!(!on_disk(&path).contains("(rebound)"));
    press(&mut app, KeyCode::F(10));
    assert!(!session(&app).dirty, "{:?}", app.message);
    assert!(on_disk(&path).contains("(rebound)"));
}

#[test]
fn two_keys_for_one_action_both_work() {
    let (_dir, _path, mut app) = app_with_config("[keys]\nnext_step = [\"ctrl-n\", \"f8\"]\n");
    press(&mut app, KeyCode::F(8));
    assert_eq!(session(&app).step, Step::Customers);
    ctrl(&mut app, 'n');
    assert_eq!(session(&app).step, Step::Situation);
}

#[test]
fn the_vim_preset_moves_in_a_table_but_types_in_a_text_field() {
    let (_dir, _path, mut app) = app_with_config("[keys]\npreset = \"vim\"\n");
    // Step 1 opens on a text field: j and k are typed.
    press(&mut app, KeyCode::End);
    app.type_text("jk");
    assert!(session(&app).plan().plan.name.ends_with("jk"));
    // Step 5 opens on the KPI table.
    key(&mut app, KeyCode::Char('5'), KeyModifiers::ALT);
    let len = session(&app).plan().kpis.len();
    assert!(len > 2);
    assert_eq!(selected_row(&app), 0);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(selected_row(&app), 2);
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(selected_row(&app), 1);
    key(&mut app, KeyCode::Char('G'), KeyModifiers::SHIFT);
    assert_eq!(selected_row(&app), len - 1);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(selected_row(&app), 0);
    // The arrows still work, and nothing in the plan changed by moving.
    press(&mut app, KeyCode::Down);
    assert_eq!(selected_row(&app), 1);
    assert_eq!(session(&app).plan().kpis.len(), len);
}

#[test]
fn the_vim_preset_moves_in_the_step_list() {
    let (_dir, _path, mut app) = app_with_config("[keys]\npreset = \"vim\"\n");
    press(&mut app, KeyCode::Esc);
    assert_eq!(session(&app).focus, Focus::Steps);
    key(&mut app, KeyCode::Char('G'), KeyModifiers::SHIFT);
    press(&mut app, KeyCode::Enter);
    assert_eq!(session(&app).step, Step::Tools);
}

#[test]
fn a_rebound_add_row_key_adds_and_a_frees_up() {
    let (_dir, _path, mut app) = app_with_config("[keys]\nadd_row = \"ctrl-t\"\n");
    key(&mut app, KeyCode::Char('2'), KeyModifiers::ALT);
    let before = session(&app).plan().personas.len();
    press(&mut app, KeyCode::Char('a'));
    assert!(session(&app).popup.is_none());
    ctrl(&mut app, 't');
    assert!(session(&app).popup.is_some());
    assert_eq!(session(&app).plan().personas.len(), before + 1);
}

#[test]
fn a_bad_config_is_located_and_the_defaults_stay_in_force() {
    let text = "[keys]\nsave = \"ctrl-s\"\nnext_stp = \"f8\"\n";
    let (dir, path, mut app) = app_with_config(text);
    let loaded = config::load(&dir.path().join("config.toml"));
    assert_eq!(loaded.problems.len(), 1);
    let p = &loaded.problems[0];
    assert_eq!((p.line, p.col), (3, 1));
    assert!(
        p.headline().contains("config.toml:3:1:"),
        "{}",
        p.headline()
    );
    assert_eq!(p.snippet()[1], "3 | next_stp = \"f8\"");
    assert_eq!(p.snippet()[2], "  | ^");
    // The wizard says so and goes on with the default keys.
    let shown = app.keymap_problem.clone().expect("a problem to show");
    assert!(shown.contains("config.toml:3:1"), "{shown}");
    assert_eq!(app.keymap, KeyMap::default());
    press(&mut app, KeyCode::End);
    app.type_text("!");
    ctrl(&mut app, 's');
    assert!(!session(&app).dirty);
    assert!(on_disk(&path).contains('!'));
}

#[test]
fn a_key_bound_twice_points_at_the_second_binding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "[keys]\npreset = \"vim\"\nsave = [\"f10\", \"ctrl-e\"]\n",
    )
    .unwrap();
    let loaded = config::load(&path);
    assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
    let p = &loaded.problems[0];
    assert_eq!((p.line, p.col), (3, 17));
    assert!(p.message.contains("export"), "{}", p.message);
    assert!(p.message.contains("save"), "{}", p.message);
}

#[test]
fn the_help_overlay_and_hint_bar_show_the_keys_in_force() {
    let (_dir, _path, mut app) = app_with_config(
        "[keys]\npreset = \"vim\"\nsave = [\"f10\", \"ctrl-s\"]\nquit = \"ctrl-q\"\n",
    );
    key(&mut app, KeyCode::Char('2'), KeyModifiers::ALT);
    let bar = screen(&mut app, 100, 30);
    let hints = bar.lines().last().unwrap();
    assert!(hints.contains("↑↓ j/k choose row"), "{hints}");
    press(&mut app, KeyCode::F(1));
    let shown = screen(&mut app, 100, 40);
    assert!(shown.contains("F10 / Ctrl-S"), "{shown}");
    assert!(!shown.contains("Ctrl-C"), "{shown}");
    insta::assert_snapshot!("help_overlay_rebound", shown);
}

#[test]
fn rumbo_check_config_prints_located_errors_and_the_keys_in_force() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[keys]\nsave = \"ctrl-shoe\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("rumbo")
        .unwrap()
        .args(["--lang", "en", "check-config"])
        .env("RUMBO_CONFIG_DIR", dir.path())
        .env("RUMBO_DATA_DIR", dir.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("config.toml:2:9: error: `ctrl-shoe` is not a key name"),
        "{stdout}"
    );
    assert!(stdout.contains("  |         ^"), "{stdout}");

    std::fs::write(
        dir.path().join("config.toml"),
        "[keys]\npreset = \"vim\"\nsave = \"f10\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("rumbo")
        .unwrap()
        .args(["--lang", "en", "check-config"])
        .env("RUMBO_CONFIG_DIR", dir.path())
        .env("RUMBO_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("preset: vim"), "{stdout}");
    assert!(stdout.contains("  save         F10\n"), "{stdout}");
    assert!(stdout.contains("  row_down     j\n"), "{stdout}");
}
