//! Editing a field (Ctrl-O) or the whole plan (Ctrl-G) in the user's own
//! editor. The editor is played by the test: it writes the temporary file the
//! app handed out, then hands the result back as the event loop would.
//! (`e2e_tmux.rs` runs a real editor command in a real terminal.)

use std::path::PathBuf;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use rumbo::plan::Date;
use rumbo::store;
use rumbo::tui::App;
use rumbo::tui::app::{Popup, Screen, Session};
use rumbo::tui::theme::Theme;
use tempfile::TempDir;

fn today() -> Date {
    "2026-11-15".parse().unwrap()
}

fn open(text: &str) -> (TempDir, PathBuf, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, text).unwrap();
    let mut app = App::new(dir.path().to_path_buf(), today(), Theme::new(false));
    app.open(&path).unwrap();
    (dir, path, app)
}

fn empty_app() -> (TempDir, PathBuf, App) {
    open(&store::new_plan_text("Mine", Some(today())))
}

fn press(app: &mut App, code: KeyCode) {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(app: &mut App, c: char) {
    app.handle(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

fn session(app: &mut App) -> &mut Session {
    match &mut app.screen {
        Screen::Plan(s) => s,
        Screen::Start(_) => panic!("no plan open"),
    }
}

fn screen(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().to_string()
}

/// Plays the editor: replaces the waiting file's text with `edit(text)`,
/// then hands it back. Returns the path the editor was given.
fn edit_with(app: &mut App, edit: impl FnOnce(&str) -> String) -> PathBuf {
    let s = session(app);
    let request = s.editor.take().expect("an editor was asked for");
    let path = request.path().to_path_buf();
    let before = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(&before)).unwrap();
    app.message = session(app).back_from_editor(*request, Ok(()));
    path
}

/// Tab to step 1's multi-line "industry trends" field.
fn to_trends(app: &mut App) {
    for _ in 0..7 {
        press(app, KeyCode::Tab);
    }
}

#[test]
fn a_multi_line_field_comes_back_from_the_editor() {
    let (_dir, path, mut app) = empty_app();
    to_trends(&mut app);
    app.type_text("typed here");
    ctrl(&mut app, 'o');
    let temp = edit_with(&mut app, |before| {
        assert_eq!(before, "typed here\n", "the field's text, ending a line");
        "First line\nsecond line\n".to_string()
    });
    assert!(!temp.exists(), "the temporary file is removed afterwards");
    let s = session(&mut app);
    assert_eq!(s.plan().research.industry_trends, "First line\nsecond line");
    assert!(s.dirty, "an ordinary edit: unsaved until Ctrl-S");
    assert!(
        !std::fs::read_to_string(&path)
            .unwrap()
            .contains("First line")
    );
    let shown = screen(&mut app);
    assert!(shown.contains("second line"), "{shown}");
    assert!(shown.contains("now holds your text"), "{shown}");
    // One undo takes the whole edit back.
    ctrl(&mut app, 'z');
    assert_eq!(
        session(&mut app).plan().research.industry_trends,
        "typed here"
    );
}

#[test]
fn a_one_line_field_gets_one_line() {
    let (_dir, _path, mut app) = empty_app();
    // The first field: the plan's name.
    ctrl(&mut app, 'o');
    edit_with(&mut app, |before| {
        assert_eq!(before, "Mine\n");
        "Mine\nand more\n".to_string()
    });
    assert_eq!(session(&mut app).plan().plan.name, "Mine and more");
}

#[test]
fn an_unchanged_field_is_no_edit() {
    let (_dir, _path, mut app) = empty_app();
    ctrl(&mut app, 'o');
    edit_with(&mut app, |before| before.to_string());
    assert!(!session(&mut app).dirty);
    assert!(screen(&mut app).contains("nothing changed"));
}

#[test]
fn a_field_that_is_not_text_says_so() {
    let (_dir, _path, mut app) = empty_app();
    // The third field: the currency, a choice.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'o');
    assert!(session(&mut app).editor.is_none());
    let shown = screen(&mut app);
    assert!(shown.contains("Only text fields"), "{shown}");
}

#[test]
fn a_field_of_a_row_popup_comes_back_into_the_popup() {
    let (_dir, _path, mut app) = empty_app();
    // Step 9, the actions table: add a row, which opens its popup on the
    // first field (the action's title).
    app.handle(Event::Key(KeyEvent::new(
        KeyCode::Char('9'),
        KeyModifiers::ALT,
    )));
    press(&mut app, KeyCode::Char('a'));
    assert!(matches!(session(&mut app).popup, Some(Popup::Row { .. })));
    ctrl(&mut app, 'o');
    edit_with(&mut app, |_| "Call the ten biggest customers\n".to_string());
    let s = session(&mut app);
    assert!(matches!(s.popup, Some(Popup::Row { .. })), "still open");
    assert_eq!(
        s.plan().actions.last().unwrap().title,
        "Call the ten biggest customers"
    );
}

const HAND: &str = "\
# My plan, kept in git.
schema_version = 1

[plan]
name = \"Hand\" # the name
currency = \"EUR\"
";

#[test]
fn the_whole_plan_comes_back_read_checked_and_saved_with_its_comments() {
    let (_dir, path, mut app) = open(HAND);
    // An unsaved edit first: the editor gets it too.
    press(&mut app, KeyCode::End);
    app.type_text("y");
    ctrl(&mut app, 'g');
    let edited = edit_with(&mut app, |before| {
        assert!(before.contains("name = \"Handy\" # the name"), "{before}");
        assert!(before.starts_with("# My plan, kept in git."), "{before}");
        before.replace(
            "# the name",
            "# the name\ncompany = \"Hand Co\" # added in vim",
        ) + "# a closing comment\n"
    });
    assert!(!edited.exists());
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(
        on_disk.contains("company = \"Hand Co\" # added in vim"),
        "{on_disk}"
    );
    assert!(on_disk.ends_with("# a closing comment\n"), "{on_disk}");
    let s = session(&mut app);
    assert_eq!(s.plan().plan.company, "Hand Co");
    assert_eq!(s.plan().plan.name, "Handy");
    assert!(!s.dirty, "written as it came back");
    assert!(screen(&mut app).contains("saved to"));

    // Undo goes back to before the hand edit (unsaved again); a save then
    // keeps the hand-written comments.
    ctrl(&mut app, 'z');
    let s = session(&mut app);
    assert_eq!(s.plan().plan.company, "");
    assert!(s.dirty);
    ctrl(&mut app, 's');
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(!on_disk.contains("Hand Co"), "{on_disk}");
    assert!(on_disk.contains("# a closing comment"), "{on_disk}");
}

#[test]
fn a_broken_plan_goes_back_to_the_editor_or_is_discarded() {
    let (_dir, path, mut app) = open(HAND);
    ctrl(&mut app, 'g');
    let temp = edit_with(&mut app, |before| {
        before.replace("currency = \"EUR\"", "currency = \"EUR")
    });
    // Nothing changed: the plan, the file; the error says where.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), HAND);
    let shown = screen(&mut app);
    assert!(shown.contains("cannot be read"), "{shown}");
    assert!(shown.contains(":6:"), "the line of the error: {shown}");
    assert!(matches!(
        session(&mut app).popup,
        Some(Popup::EditorError { .. })
    ));
    assert!(temp.exists(), "the edit is kept while the popup asks");

    // Back to the editor: the same file, with the broken edit in it.
    press(&mut app, KeyCode::Char('e'));
    let again = edit_with(&mut app, |before| {
        assert!(before.contains("currency = \"EUR\n"), "{before}");
        before.replace("currency = \"EUR", "currency = \"USD\"")
    });
    assert_eq!(again, temp);
    assert_eq!(session(&mut app).plan().plan.currency, "USD");
    assert!(std::fs::read_to_string(&path).unwrap().contains("USD"));

    // Broken again, and discarded this time.
    ctrl(&mut app, 'g');
    let temp = edit_with(&mut app, |_| "schema_version = [".to_string());
    press(&mut app, KeyCode::Char('d'));
    assert!(session(&mut app).popup.is_none());
    assert!(!temp.exists(), "discarding removes the temporary file");
    assert_eq!(session(&mut app).plan().plan.currency, "USD");
    assert!(screen(&mut app).contains("discarded"));
}

#[test]
fn a_plan_changed_on_disk_meanwhile_is_not_overwritten() {
    let (_dir, path, mut app) = open(HAND);
    ctrl(&mut app, 'g');
    // Someone else writes the file while the editor is open.
    let theirs = HAND.replace("Hand", "Theirs");
    std::fs::write(&path, &theirs).unwrap();
    let temp = edit_with(&mut app, |before| before.replace("EUR", "GBP"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    let s = session(&mut app);
    assert_eq!(s.plan().plan.currency, "GBP", "applied here");
    assert!(s.dirty, "not saved");
    assert!(temp.exists(), "the hand edit is kept");
    assert!(
        std::fs::read_to_string(&temp)
            .unwrap()
            .contains("currency = \"GBP\"")
    );
    std::fs::remove_file(temp).unwrap();
}

#[test]
fn an_editor_that_fails_changes_nothing() {
    let (_dir, _path, mut app) = empty_app();
    ctrl(&mut app, 'o');
    let s = session(&mut app);
    let request = s.editor.take().unwrap();
    std::fs::write(request.path(), "should not land").unwrap();
    app.message =
        session(&mut app).back_from_editor(*request, Err("the editor ended with 1".into()));
    assert_eq!(session(&mut app).plan().plan.name, "Mine");
    assert!(screen(&mut app).contains("the editor ended with 1"));
}
