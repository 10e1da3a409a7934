//! The mouse: click a step, a field, a table row, a choice in a popup or a
//! key in the hint bar; double-click a row to open it; the wheel moves like
//! ↑/↓ (rows of a table or list, lines of a long text, the help).
//!
//! Hit-testing reads what the last frame drew, never a layout worked out
//! again: the rectangles recorded in [`Hits`] while drawing (the step list,
//! the popup, each clickable spot) and each field's rectangle in a form
//! (`FormState::placed`, recorded as the form is laid out). A click does
//! what a key does by pressing that key (`App::key`), or, to pick a row of a
//! list, by moving the same cursor the arrow keys move; so the mouse cannot
//! do anything the keys do not.
//!
//! Mouse capture is switched on and off with the terminal in `tui/mod.rs`;
//! in tmux it needs `set -g mouse on` only for tmux's own panes, not for
//! rumbo.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::app::{App, Focus, Popup, Screen, Session, table_row_form};
use super::form::{Form, FormState, Kind};
use super::start::Entry;
use super::steps::Step;

/// Two clicks on the same cell within this time are a double-click.
pub const DOUBLE_CLICK: Duration = Duration::from_millis(400);

/// What a click on a recorded spot does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A button (a popup's choice, a key of the hint bar): pressing its key.
    Key(KeyEvent),
    /// Item `n` of the list the screen shows (a popup's list, the start
    /// screen's entries): a click selects it, a double-click opens it as
    /// Enter does.
    Pick(usize),
    /// Part `n` of the weekly review's progress line: go to its first item.
    Part(usize),
}

/// What the last frame drew where, for clicks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hits {
    /// The step list, with its border.
    pub steps: Rect,
    /// The popup drawn over the screen, with its border (empty when none).
    pub popup: Rect,
    /// Clickable spots, in the order they were drawn (later ones on top).
    pub spots: Vec<(Rect, Target)>,
}

impl Hits {
    /// A button for `key` at `rect`.
    pub fn key(&mut self, rect: Rect, key: KeyEvent) {
        self.spots.push((rect, Target::Key(key)));
    }

    /// Item `index` of a list at `rect`.
    pub fn pick(&mut self, rect: Rect, index: usize) {
        self.spots.push((rect, Target::Pick(index)));
    }

    /// The spot at `at`, the one drawn last when they overlap.
    pub fn at(&self, at: Position) -> Option<Target> {
        self.spots
            .iter()
            .rev()
            .find(|(r, _)| r.contains(at))
            .map(|(_, t)| *t)
    }
}

/// A plain key (no modifiers).
pub fn plain(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

impl App {
    /// Handles one mouse event, as of now.
    pub fn mouse(&mut self, m: MouseEvent) {
        self.mouse_at(m, Instant::now());
    }

    /// Handles one mouse event that happened at `now` (tests pass the time,
    /// to make double-clicks certain).
    pub fn mouse_at(&mut self, m: MouseEvent, now: Instant) {
        let at = Position::new(m.column, m.row);
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                // Like a key, a click ends the message shown in the hint
                // bar (and brings its buttons back).
                self.message = None;
                // The second click of a double-click on a row the first one
                // picked opens it, as Enter does.
                let double = self.last_click.take().is_some_and(|(p, t)| {
                    p == at && now.saturating_duration_since(t) <= DOUBLE_CLICK
                });
                if double {
                    self.key(plain(KeyCode::Enter));
                } else if self.click(at) {
                    self.last_click = Some((at, now));
                }
            }
            MouseEventKind::ScrollDown => self.wheel(KeyCode::Down),
            MouseEventKind::ScrollUp => self.wheel(KeyCode::Up),
            _ => {}
        }
    }

    /// The wheel: ↑/↓ where those keys move through something (a list, a
    /// table, a long text), nothing where they would answer a question.
    fn wheel(&mut self, code: KeyCode) {
        self.last_click = None;
        if self.help {
            self.help_scroll = match code {
                KeyCode::Down => self.help_scroll.saturating_add(1),
                _ => self.help_scroll.saturating_sub(1),
            };
            return;
        }
        let moves = match &self.screen {
            Screen::Start(start) => !start.typing() && start.confirm_delete.is_none(),
            Screen::Plan(s) => match &s.popup {
                Some(
                    Popup::Problems { .. }
                    | Popup::Catalogue(_)
                    | Popup::Padre(_)
                    | Popup::Search
                    | Popup::Row { .. },
                ) => true,
                // A choice to make: the wheel does not answer it.
                Some(_) => false,
                // The review: never past its last item (that ends it).
                None => s
                    .review
                    .as_ref()
                    .is_none_or(|r| code == KeyCode::Up || !r.on_last_item()),
            },
        };
        if moves {
            self.key(plain(code));
        }
    }

    /// A left click at `at`. Returns true when it picked a row that a
    /// double-click opens.
    fn click(&mut self, at: Position) -> bool {
        if self.help {
            // Like any key, a click closes the help.
            self.help = false;
            self.help_scroll = 0;
            return false;
        }
        match self.hits.at(at) {
            Some(Target::Key(key)) => {
                self.key(key);
                return false;
            }
            Some(Target::Pick(index)) => return self.pick(index),
            Some(Target::Part(part)) => {
                if let Screen::Plan(s) = &mut self.screen {
                    super::review::go_to_part(s, part);
                }
                return false;
            }
            None => {}
        }
        let popup = self.hits.popup;
        let steps = self.hits.steps;
        let Screen::Plan(s) = &mut self.screen else {
            return false;
        };
        match &s.popup {
            None if s.review.is_none() => {
                let (picked, press) = click_step_screen(s, steps, at);
                if let Some(key) = press {
                    self.key(key);
                }
                picked
            }
            None => false,
            Some(Popup::Row { .. }) => {
                if let Some(key) = click_row_popup(s, at) {
                    self.key(key);
                }
                false
            }
            // Outside a popup that only shows something (and holds nothing
            // typed), a click closes it as Esc does.
            Some(p) if !popup.contains(at) && closes_on_click_outside(p) => {
                self.key(plain(KeyCode::Esc));
                false
            }
            Some(_) => false,
        }
    }

    /// Selects item `index` of the list shown; true when a double-click
    /// opens it.
    fn pick(&mut self, index: usize) -> bool {
        match &mut self.screen {
            Screen::Start(start) => {
                if start.typing() || start.confirm_delete.is_some() {
                    return false;
                }
                let Some(entry) = start.entries.get(index) else {
                    return false;
                };
                let is_plan = matches!(entry, Entry::Plan { .. });
                start.cursor = index;
                if !is_plan {
                    // New plan, the example, open by path, quit: commands,
                    // done on one click.
                    self.key(plain(KeyCode::Enter));
                }
                is_plan
            }
            Screen::Plan(s) => match &mut s.popup {
                Some(Popup::Catalogue(picker)) => {
                    picker.cursor = index;
                    true
                }
                Some(Popup::Padre(view)) => {
                    view.cursor = index;
                    true
                }
                Some(Popup::Search) => match &mut s.search {
                    Some(search) if index < search.hits.len() => {
                        search.selected = index;
                        true
                    }
                    _ => false,
                },
                _ => false,
            },
        }
    }
}

/// Whether a click outside popup `p` closes it: only popups that show
/// something and hold nothing typed. A row being edited, a question, the
/// catalogue with a search typed stay open.
fn closes_on_click_outside(p: &Popup) -> bool {
    match p {
        Popup::Problems { .. } | Popup::Padre(_) | Popup::Export | Popup::Search => true,
        Popup::Catalogue(picker) => picker.query.value().is_empty(),
        Popup::Row { .. }
        | Popup::ConfirmDelete { .. }
        | Popup::DiscardRow(_)
        | Popup::Conflict { .. }
        | Popup::QuitFailed { .. }
        | Popup::Recovery(_)
        | Popup::EditorError { .. } => false,
    }
}

/// A click on the step screen: a step of the list, a field, a table row.
/// Returns whether it picked a row (a double-click opens it), and the key
/// the click presses on the field (see [`press_on`]).
fn click_step_screen(s: &mut Session, list: Rect, at: Position) -> (bool, Option<KeyEvent>) {
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
        return (false, None);
    }
    let step = s.step;
    let form = s.form();
    let was_focused = s.focus == Focus::Form;
    let Some(state) = s.forms.get_mut(&step) else {
        return (false, None);
    };
    let Some((field, row, at)) = form_hit(state, &form, &s.file.plan, at) else {
        return (false, None);
    };
    let again = was_focused && state.focus == field;
    if !again {
        state.focus_on(&form, field);
    }
    if let Some(row) = row {
        state.rows.insert(field, row);
    }
    state.place_caret(&form, &mut s.file.plan, field, at, again);
    s.focus = Focus::Form;
    (row.is_some(), press_on(&form, field, again))
}

/// The key a click on field `field` presses once it has the focus: a
/// checkbox is ticked at once, a choice moves to its next option when it
/// already had the focus (the first click only selects it), the Done button
/// of a row popup is pressed.
fn press_on(form: &Form, field: usize, again: bool) -> Option<KeyEvent> {
    match form.field(field)?.kind {
        Kind::Check(_) => Some(plain(KeyCode::Char(' '))),
        Kind::Choice(_) if again => Some(plain(KeyCode::Char(' '))),
        Kind::Done => Some(plain(KeyCode::Enter)),
        _ => None,
    }
}

/// A click inside the row popup focuses the field clicked; returns the key
/// the click then presses there (see [`press_on`]).
fn click_row_popup(s: &mut Session, at: Position) -> Option<KeyEvent> {
    let Some(Popup::Row {
        field, ctx, state, ..
    }) = &s.popup
    else {
        return None;
    };
    let form = table_row_form(s, *field, *ctx)?;
    let (clicked, row, at) = form_hit(state, &form, &s.file.plan, at)?;
    let again = state.focus == clicked;
    if let Some(Popup::Row { state, .. }) = &mut s.popup {
        if !again {
            state.focus_on(&form, clicked);
        }
        if let Some(row) = row {
            state.rows.insert(clicked, row);
        }
        state.place_caret(&form, &mut s.file.plan, clicked, at, again);
    }
    press_on(&form, clicked, again)
}

/// The field of a form under `at`, as the form was last drawn, and the
/// table row there when the field is a table.
fn form_hit(
    state: &FormState,
    form: &Form,
    plan: &crate::plan::Plan,
    at: Position,
) -> Option<(usize, Option<usize>, Position)> {
    let area = state.last_view();
    if !area.contains(at) {
        return None;
    }
    let (vx, vy) = (at.x - area.x, at.y - area.y + state.scroll);
    let (field, r) = state
        .placed
        .iter()
        .copied()
        .find(|(_, r)| r.contains(Position::new(vx, vy)))?;
    let row = match form.field(field).map(|f| &f.kind) {
        // A table: its border and header take two rows, then the rows shown.
        Some(Kind::Table(spec)) if vy >= r.y + 2 => {
            let n = state.table_top(field) + (vy - r.y - 2) as usize;
            (n < (spec.len)(plan, form.ctx)).then_some(n)
        }
        // A list of its own (the gap table) says which row is on which line
        // inside its border.
        Some(Kind::Custom(custom)) if vy > r.y && vy + 1 < r.bottom() => custom.row_at(
            plan,
            form.ctx,
            r.height.saturating_sub(2),
            state.row(field),
            vy - r.y - 1,
        ),
        _ => None,
    };
    Some((field, row, Position::new(vx, vy)))
}
