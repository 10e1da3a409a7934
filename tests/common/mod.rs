//! Set-up shared by the integration tests: a fixed today, plans written into
//! temporary directories, the app opened on them, keys pressed, screens drawn
//! into a ratatui `TestBackend`, and the `rumbo` command run on a data
//! directory.
//!
//! A test file takes it with `mod common;` and `use common::*;` (or names
//! what it uses). Cargo builds only `tests/*.rs` as test crates, so this
//! file, in a folder of its own, is compiled into each test that names it and
//! never runs as a test binary of its own. A test crate uses only some of the
//! helpers, hence the `dead_code` allowance below.
//!
//! Everything here is the same for every test that uses it: what differs
//! from file to file (another today, another theme, a config file) stays in
//! that file, built from the pieces here ([`app_on`], [`new_app`]…).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use rumbo::plan::Date;
use rumbo::store;
use rumbo::tui::App;
use rumbo::tui::app::{Screen, Session};
use rumbo::tui::theme::Theme;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// Today.

/// The day most tests take as today, as `--today` takes it.
pub const TODAY: &str = "2026-11-15";

/// [`TODAY`] as a date: 2026-11-15.
pub fn today() -> Date {
    TODAY.parse().unwrap()
}

// ---------------------------------------------------------------------------
// Plan files and the app open on them.

/// A fresh temporary directory holding `text` as the file `name`. Keep the
/// `TempDir`: the directory goes when it is dropped.
pub fn write_plan(name: &str, text: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// The app on the start screen with `dir` as its data directory, on
/// [`today`], without colours (`Theme::new(false)`).
pub fn new_app(dir: &Path) -> App {
    App::new(dir.to_path_buf(), today(), Theme::new(false))
}

/// An app with `text` open as the plan file `name` (see [`write_plan`]), on
/// the day `today` and in the theme `theme`.
pub fn app_on(name: &str, text: &str, today: Date, theme: Theme) -> (TempDir, PathBuf, App) {
    let (dir, path) = write_plan(name, text);
    let mut app = App::new(dir.path().to_path_buf(), today, theme);
    app.open(&path).unwrap();
    (dir, path, app)
}

/// An app with `text` open as the plan file `name`, on [`today`], without
/// colours.
pub fn app_with(name: &str, text: &str) -> (TempDir, PathBuf, App) {
    app_on(name, text, today(), Theme::new(false))
}

/// An app with a copy of the example plan open as `example.toml` (no
/// colours).
pub fn example_app() -> (TempDir, PathBuf, App) {
    app_with("example.toml", store::EXAMPLE)
}

/// An app with a new, empty plan called "Mine" open as `mine.toml` (no
/// colours).
pub fn empty_app() -> (TempDir, PathBuf, App) {
    app_with("mine.toml", &store::new_plan_text("Mine", Some(today())))
}

// ---------------------------------------------------------------------------
// Keys.

/// Hands the app one key press with these modifiers.
pub fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    app.handle(Event::Key(KeyEvent::new(code, modifiers)));
}

/// A key without modifiers.
pub fn press(app: &mut App, code: KeyCode) {
    key(app, code, KeyModifiers::NONE);
}

/// Shift and a key (Shift-Tab, Shift-arrows…).
pub fn shift(app: &mut App, code: KeyCode) {
    key(app, code, KeyModifiers::SHIFT);
}

/// Ctrl and a character (Ctrl-S saves…).
pub fn ctrl(app: &mut App, c: char) {
    key(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

/// Alt and a character (Alt-7 goes to step 7…).
pub fn alt(app: &mut App, c: char) {
    key(app, KeyCode::Char(c), KeyModifiers::ALT);
}

// ---------------------------------------------------------------------------
// The screen.

/// Draws the app into a `w`×`h` `TestBackend` and returns what it shows
/// (the backend's text: one quoted line per row).
pub fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().to_string()
}

/// [`screen`] at the usual 100×30.
pub fn draw(app: &mut App) -> String {
    screen(app, 100, 30)
}

/// The first line of the screen text `shown` that contains `needle`.
pub fn line_with(shown: &str, needle: &str) -> String {
    shown
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle} in\n{shown}"))
        .to_string()
}

// ---------------------------------------------------------------------------
// The open plan.

/// The session of the open plan; panics on the start screen.
pub fn session(app: &App) -> &Session {
    match &app.screen {
        Screen::Plan(s) => s,
        Screen::Start(_) => panic!("no plan open"),
    }
}

/// [`session`], to change.
pub fn session_mut(app: &mut App) -> &mut Session {
    match &mut app.screen {
        Screen::Plan(s) => s,
        Screen::Start(_) => panic!("no plan open"),
    }
}

/// Puts the focus on the field with this locale key in the current step.
pub fn focus(app: &mut App, key: &str) {
    let s = session_mut(app);
    let form = s.form();
    let index = form
        .fields()
        .position(|f| f.key == key)
        .unwrap_or_else(|| panic!("no field {key}"));
    s.state().focus_on(&form, index);
}

// ---------------------------------------------------------------------------
// The command line.

/// `rumbo --data-dir DIR --today TODAY`, without colours and in English
/// whatever the machine's locale, with `RUMBO_TODAY` unset.
pub fn rumbo_on(dir: &Path, today: &str) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("rumbo").unwrap();
    cmd.env("NO_COLOR", "1")
        .env_remove("RUMBO_TODAY")
        // English whatever the machine's locale (LC_ALL would beat LANG).
        .env("RUMBO_LANG", "en")
        .env("LANG", "C")
        .arg("--data-dir")
        .arg(dir)
        .arg("--today")
        .arg(today);
    cmd
}
