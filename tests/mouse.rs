//! Mouse events on the TestBackend: what the last frame drew is what a click
//! hits.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use rumbo::plan::Date;
use rumbo::store;
use rumbo::tui::App;
use rumbo::tui::app::{Screen, Session};
use rumbo::tui::steps::Step;
use rumbo::tui::theme::Theme;

fn session(app: &App) -> &Session {
    match &app.screen {
        Screen::Plan(s) => s,
        Screen::Start(_) => panic!("no plan open"),
    }
}

fn draw(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().to_string()
}

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.handle(Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

/// The screen position of the first cell showing `needle`.
fn find(screen: &str, needle: &str) -> (u16, u16) {
    for (y, line) in screen.lines().enumerate() {
        // TestBackend lines are quoted: drop the leading quote.
        let line = line.trim_start_matches('"');
        if let Some(i) = line.find(needle) {
            let x = line[..i].chars().count();
            return (x as u16, y as u16);
        }
    }
    panic!("no {needle} in\n{screen}");
}

#[test]
fn clicking_a_step_then_a_table_row_selects_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("example.toml");
    std::fs::write(&path, store::EXAMPLE).unwrap();
    let today: Date = "2026-11-15".parse().unwrap();
    let mut app = App::new(dir.path().to_path_buf(), today, Theme::new(false));
    app.open(&path).unwrap();

    let shown = draw(&mut app);
    let (x, y) = find(&shown, "9 ● Actions");
    mouse(&mut app, MouseEventKind::Down(MouseButton::Left), x, y);
    assert_eq!(session(&app).step, Step::Actions);

    let shown = draw(&mut app);
    let (x, y) = find(&shown, "Hire a second ac");
    mouse(&mut app, MouseEventKind::Down(MouseButton::Left), x, y);
    let s = session(&app);
    assert_eq!(s.forms[&Step::Actions].row(0), 2, "{shown}");

    // The wheel moves the selection like ↓.
    mouse(&mut app, MouseEventKind::ScrollDown, x, y);
    assert_eq!(session(&app).forms[&Step::Actions].row(0), 3);
    // A key still works after the mouse.
    app.handle(Event::Key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)));
    assert_eq!(session(&app).forms[&Step::Actions].row(0), 2);
}
