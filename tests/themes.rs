//! How the wizard looks: without colour (`NO_COLOR`, `--no-color`) no cell
//! carries a colour and focus, selection, statuses and problems stay visible
//! through bold, reverse video, underline and italics; the light and
//! high-contrast themes colour what they should; `F6` switches themes.
//!
//! The snapshots hold the screen's text and, below it, a map of the cells'
//! styles (one letter per distinct style, explained in a legend).

mod common;

use common::{alt, app_on, ctrl, focus, press, today};

use std::path::PathBuf;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use rumbo::store;
use rumbo::tui::App;
use rumbo::tui::app::Screen;
use rumbo::tui::theme::{Theme, ThemeKind};
use tempfile::TempDir;

/// An app with a copy of the example plan open, in this theme.
fn example_app(theme: Theme) -> (TempDir, PathBuf, App) {
    app_on("example.toml", store::EXAMPLE, today(), theme)
}

fn mono() -> Theme {
    Theme::with(ThemeKind::Dark, false)
}

fn draw(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().buffer().clone()
}

/// The text of the screen, then one letter per cell for its style (`.` is
/// the terminal's default), then what each letter stands for.
fn styled(buf: &Buffer) -> String {
    type Look = (Color, Color, Modifier);
    let plain: Look = (Color::Reset, Color::Reset, Modifier::empty());
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    let mut looks: Vec<Look> = Vec::new();
    let mut text = String::new();
    let mut map = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            // One symbol per cell (after a wide character comes its blank
            // second half), so the map below lines up column for column.
            text.push_str(cell.symbol());
            let look = (cell.fg, cell.bg, cell.modifier);
            let c = if look == plain {
                '.'
            } else {
                let i = looks.iter().position(|l| *l == look).unwrap_or_else(|| {
                    looks.push(look);
                    looks.len() - 1
                });
                letters.get(i).copied().unwrap_or('?')
            };
            map.push(c);
        }
        text.push('\n');
        map.push('\n');
    }
    let mut out = format!("{text}\n{map}\n");
    for (i, (fg, bg, modifier)) in looks.iter().enumerate() {
        out.push_str(&format!(
            "{}: fg {fg:?}, bg {bg:?}, {modifier:?}\n",
            letters.get(i).copied().unwrap_or('?')
        ));
    }
    out
}

/// Every cell of `buf` is in the terminal's own colours.
fn assert_no_colour(buf: &Buffer, what: &str) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            assert_eq!(
                (cell.fg, cell.bg, cell.underline_color),
                (Color::Reset, Color::Reset, Color::Reset),
                "{what}: a coloured cell at {x},{y} ({:?})",
                cell.symbol()
            );
        }
    }
}

/// The letters of the modifiers used anywhere in `buf`.
fn modifiers(buf: &Buffer) -> Modifier {
    buf.content
        .iter()
        .fold(Modifier::empty(), |all, c| all | c.modifier)
}

#[test]
fn no_color_gap_table_shows_statuses_and_selection_without_colour() {
    let (_dir, _path, mut app) = example_app(mono());
    alt(&mut app, '7');
    let buf = draw(&mut app, 100, 30);
    assert_no_colour(&buf, "step 7");
    // The focused gap row is reversed; off-track rows are bold and marked.
    let used = modifiers(&buf);
    assert!(used.contains(Modifier::REVERSED), "{used:?}");
    assert!(used.contains(Modifier::BOLD), "{used:?}");
    insta::assert_snapshot!("no_color_gaps_100x30", styled(&buf));
}

#[test]
fn no_color_focused_field_and_a_bad_number_stay_visible() {
    let (_dir, _path, mut app) = example_app(mono());
    alt(&mut app, '3');
    focus(&mut app, "f.price_point");
    press(&mut app, KeyCode::End);
    app.type_text("x");
    let buf = draw(&mut app, 100, 30);
    assert_no_colour(&buf, "bad number");
    let shown = styled(&buf);
    // The field is marked `▸` and underlined, the problem `✗` and bold.
    assert!(shown.contains("▸ Price point"), "{shown}");
    assert!(shown.contains("✗ "), "{shown}");
    let used = modifiers(&buf);
    assert!(
        used.contains(Modifier::UNDERLINED | Modifier::BOLD),
        "{used:?}"
    );
    insta::assert_snapshot!("no_color_bad_number_100x30", shown);
}

#[test]
fn no_color_step_list_focus_stays_visible() {
    let (_dir, _path, mut app) = example_app(mono());
    // The step list has the focus: its cursor row is reversed.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Down);
    let buf = draw(&mut app, 80, 24);
    assert_no_colour(&buf, "step list");
    insta::assert_snapshot!("no_color_step_list_80x24", styled(&buf));
}

#[test]
fn no_color_leaves_every_step_and_overlay_without_colour() {
    let (_dir, _path, mut app) = example_app(mono());
    for n in 1..=10u32 {
        alt(&mut app, char::from_digit(n % 10, 10).unwrap());
        assert_no_colour(&draw(&mut app, 100, 30), &format!("step {n}"));
        for open in [KeyCode::F(1), KeyCode::F(2), KeyCode::F(4)] {
            press(&mut app, open);
            assert_no_colour(&draw(&mut app, 100, 30), &format!("step {n}, {open:?}"));
            press(&mut app, KeyCode::Esc);
            if app.help {
                press(&mut app, KeyCode::Esc);
            }
        }
        // The first field's row popup, where it has one.
        press(&mut app, KeyCode::Enter);
        assert_no_colour(&draw(&mut app, 100, 30), &format!("step {n}, Enter"));
        press(&mut app, KeyCode::Esc);
    }
    ctrl(&mut app, 'e');
    assert_no_colour(&draw(&mut app, 100, 30), "export");
    press(&mut app, KeyCode::Esc);
    // The start screen and the too-small notice.
    let dir = tempfile::tempdir().unwrap();
    let mut start = App::new(dir.path().to_path_buf(), today(), mono());
    assert_no_colour(&draw(&mut start, 80, 24), "start");
    assert_no_colour(&draw(&mut start, 40, 10), "too small");
}

#[test]
fn light_theme_colours_the_gap_table() {
    let (_dir, _path, mut app) = example_app(Theme::with(ThemeKind::Light, true));
    alt(&mut app, '7');
    let buf = draw(&mut app, 100, 30);
    insta::assert_snapshot!("light_gaps_100x30", styled(&buf));
    // The light palette never uses the named yellow (unreadable on white).
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg != Color::Yellow && c.fg != Color::White),
        "{}",
        styled(&buf)
    );
}

#[test]
fn high_contrast_theme_owns_every_cell_of_the_screen() {
    let (_dir, _path, mut app) = example_app(Theme::with(ThemeKind::HighContrast, true));
    alt(&mut app, '9');
    let buf = draw(&mut app, 80, 24);
    insta::assert_snapshot!("high_contrast_actions_80x24", styled(&buf));
    // Nothing is left to the terminal's own background or text colour,
    // popups included.
    for popup in [None, Some(KeyCode::F(1)), Some(KeyCode::F(4))] {
        if let Some(key) = popup {
            press(&mut app, key);
        }
        let buf = draw(&mut app, 80, 24);
        for c in &buf.content {
            assert!(
                c.fg != Color::Reset && c.bg != Color::Reset,
                "{popup:?}: {c:?}"
            );
        }
        press(&mut app, KeyCode::Esc);
        if app.help {
            press(&mut app, KeyCode::Esc);
        }
    }
}

#[test]
fn f6_switches_the_theme_and_says_which() {
    let (_dir, _path, mut app) = example_app(Theme::with(ThemeKind::Dark, true));
    press(&mut app, KeyCode::F(6));
    assert_eq!(app.theme.kind, ThemeKind::Light);
    let text = format!("{:?}", draw(&mut app, 100, 30));
    assert!(text.contains("Theme: light"), "{text}");
    press(&mut app, KeyCode::F(6));
    assert_eq!(app.theme.kind, ThemeKind::HighContrast);
    press(&mut app, KeyCode::F(6));
    assert_eq!(app.theme.kind, ThemeKind::Dark);
    // The plan is untouched.
    assert!(matches!(&app.screen, Screen::Plan(s) if !s.dirty));
}

#[test]
fn f6_without_colour_says_colours_are_off() {
    let (_dir, _path, mut app) = example_app(mono());
    press(&mut app, KeyCode::F(6));
    assert_eq!(app.theme, mono());
    let buf = draw(&mut app, 100, 30);
    assert_no_colour(&buf, "after F6");
    let text = format!("{buf:?}");
    assert!(text.contains("Colours are off"), "{text}");
}

#[test]
fn the_help_overlay_lists_f6() {
    let (_dir, _path, mut app) = example_app(mono());
    press(&mut app, KeyCode::F(1));
    let text = format!("{:?}", draw(&mut app, 100, 40));
    assert!(text.contains("F6"), "{text}");
    assert!(text.contains("switch theme"), "{text}");
}
