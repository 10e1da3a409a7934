//! The mouse: click a step in the step list, a field, or a table row; the
//! wheel moves like ↑/↓ (rows of a table or list, lines of a long text).
//!
//! Hit-testing reads what the last frame drew: the step list's rectangle
//! ([`Hits`], recorded by `view.rs`) and each field's rectangle in the form
//! (`FormState::placed`, recorded as the form is laid out). Mouse capture is
//! switched on and off with the terminal in `tui/mod.rs`; in tmux it needs
//! `set -g mouse on` only for tmux's own panes, not for rumbo.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::app::{App, Focus, Screen, Session};
use super::form::Kind;
use super::steps::Step;

/// What the last frame drew where, for clicks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hits {
    /// The step list, with its border.
    pub steps: Rect,
}

impl App {
    /// Handles one mouse event.
    pub fn mouse(&mut self, m: MouseEvent) {
        let busy = match &self.screen {
            Screen::Plan(s) => s.popup.is_some() || s.review.is_some() || self.help,
            Screen::Start(_) => true,
        };
        let wheel = |code| KeyEvent::new(code, KeyModifiers::NONE);
        match m.kind {
            MouseEventKind::ScrollDown => self.key(wheel(KeyCode::Down)),
            MouseEventKind::ScrollUp => self.key(wheel(KeyCode::Up)),
            MouseEventKind::Down(MouseButton::Left) if !busy => {
                if let Screen::Plan(s) = &mut self.screen {
                    click(s, Position::new(m.column, m.row));
                }
            }
            _ => {}
        }
    }
}

/// A left click at `at`: a step of the list, a field, a table row.
pub fn click(s: &mut Session, at: Position) {
    let list = s.hits.steps;
    let inner = Rect::new(
        list.x + 1,
        list.y + 1,
        list.width.saturating_sub(2),
        list.height.saturating_sub(2),
    );
    if inner.contains(at) {
        let i = (at.y - inner.y) as usize;
        if i < Step::ALL.len() {
            s.go_to(Step::from_index(i));
        }
        return;
    }
    let step = s.step;
    let form = s.form();
    let Some(state) = s.forms.get_mut(&step) else {
        return;
    };
    let area = state.last_view();
    if !area.contains(at) {
        return;
    }
    let (vx, vy) = (at.x - area.x, at.y - area.y + state.scroll);
    let Some((field, r)) = state
        .placed
        .iter()
        .copied()
        .find(|(_, r)| r.contains(Position::new(vx, vy)))
    else {
        return;
    };
    state.focus_on(&form, field);
    // A table: its border and header take two rows, then the rows shown.
    if let Some(f) = form.field(field)
        && let Kind::Table(spec) = &f.kind
        && vy >= r.y + 2
    {
        let row = state.table_top(field) + (vy - r.y - 2) as usize;
        if row < (spec.len)(&s.file.plan, form.ctx) {
            state.rows.insert(field, row);
        }
    }
    s.focus = Focus::Form;
}
