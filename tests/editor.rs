//! Editing a field (Ctrl-O) or the whole plan (Ctrl-G) in the user's own
//! editor. The editor is played by the test: it writes the temporary file the
//! app handed out, then hands the result back as the event loop would.
//! (`e2e_tmux.rs` runs a real editor command in a real terminal.)

mod common;

use common::*;

use std::path::PathBuf;

use ratatui::crossterm::event::KeyCode;
use rumbo::tui::App;
use rumbo::tui::app::Popup;
use tempfile::TempDir;

/// An app with `text` open as the plan `mine.toml`.
fn open(text: &str) -> (TempDir, PathBuf, App) {
    app_with("mine.toml", text)
}

/// Plays the editor: replaces the waiting file's text with `edit(text)`,
/// then hands it back. Returns the path the editor was given.
fn edit_with(app: &mut App, edit: impl FnOnce(&str) -> String) -> PathBuf {
    let s = session_mut(app);
    let request = s.editor.take().expect("an editor was asked for");
    let path = request.path().to_path_buf();
    let before = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(&before)).unwrap();
    app.message = session_mut(app).back_from_editor(*request, Ok(()));
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
    let s = session(&app);
    assert_eq!(s.plan().research.industry_trends, "First line\nsecond line");
    assert!(s.dirty, "an ordinary edit: unsaved until Ctrl-S");
    assert!(
        !std::fs::read_to_string(&path)
            .unwrap()
            .contains("First line")
    );
    let shown = draw(&mut app);
    assert!(shown.contains("second line"), "{shown}");
    assert!(shown.contains("now holds your text"), "{shown}");
    // One undo takes the whole edit back.
    ctrl(&mut app, 'z');
    assert_eq!(session(&app).plan().research.industry_trends, "typed here");
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
    assert_eq!(session(&app).plan().plan.name, "Mine and more");
}

#[test]
fn an_unchanged_field_is_no_edit() {
    let (_dir, _path, mut app) = empty_app();
    ctrl(&mut app, 'o');
    edit_with(&mut app, |before| before.to_string());
    assert!(!session(&app).dirty);
    assert!(draw(&mut app).contains("nothing changed"));
}

#[test]
fn a_field_that_is_not_text_says_so() {
    let (_dir, _path, mut app) = empty_app();
    // The third field: the currency, a choice.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'o');
    assert!(session(&app).editor.is_none());
    let shown = draw(&mut app);
    assert!(shown.contains("Only text fields"), "{shown}");
}

#[test]
fn a_field_of_a_row_popup_comes_back_into_the_popup() {
    let (_dir, _path, mut app) = empty_app();
    // Step 9, the actions table: add a row, which opens its popup on the
    // first field (the action's title).
    alt(&mut app, '9');
    press(&mut app, KeyCode::Char('a'));
    assert!(matches!(session(&app).popup, Some(Popup::Row { .. })));
    ctrl(&mut app, 'o');
    edit_with(&mut app, |_| "Call the ten biggest customers\n".to_string());
    let s = session(&app);
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
    let s = session(&app);
    assert_eq!(s.plan().plan.company, "Hand Co");
    assert_eq!(s.plan().plan.name, "Handy");
    assert!(!s.dirty, "written as it came back");
    assert!(draw(&mut app).contains("saved to"));

    // Undo goes back to before the hand edit (unsaved again); a save then
    // keeps the hand-written comments.
    ctrl(&mut app, 'z');
    let s = session(&app);
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
    let shown = draw(&mut app);
    assert!(shown.contains("cannot be read"), "{shown}");
    assert!(shown.contains(":6:"), "the line of the error: {shown}");
    assert!(matches!(
        session(&app).popup,
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
    assert_eq!(session(&app).plan().plan.currency, "USD");
    assert!(std::fs::read_to_string(&path).unwrap().contains("USD"));

    // Broken again, and discarded this time.
    ctrl(&mut app, 'g');
    let temp = edit_with(&mut app, |_| "schema_version = [".to_string());
    press(&mut app, KeyCode::Char('d'));
    assert!(session(&app).popup.is_none());
    assert!(!temp.exists(), "discarding removes the temporary file");
    assert_eq!(session(&app).plan().plan.currency, "USD");
    assert!(draw(&mut app).contains("discarded"));
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
    let s = session(&app);
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
    let s = session_mut(&mut app);
    let request = s.editor.take().unwrap();
    std::fs::write(request.path(), "should not land").unwrap();
    app.message =
        session_mut(&mut app).back_from_editor(*request, Err("the editor ended with 1".into()));
    assert_eq!(session(&app).plan().plan.name, "Mine");
    assert!(draw(&mut app).contains("the editor ended with 1"));
}

#[test]
fn a_read_only_session_opens_no_editor() {
    let (_dir, _path, mut app) = empty_app();
    session_mut(&mut app).read_only = true;
    ctrl(&mut app, 'o');
    ctrl(&mut app, 'g');
    assert!(session(&app).editor.is_none());
    assert!(draw(&mut app).contains("saves nothing"));
}
