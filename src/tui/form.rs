//! The form engine: one set of field widgets used by every step and popup.
//!
//! A step describes its form as data — sections of fields, each field a label
//! and a *lens* into the plan (a function that finds the value it edits) — and
//! this module does the rest: focus, editing, validation of typed numbers and
//! dates, tables with row popups, scrolling, and drawing. Edits are written to
//! the plan at once; a typed value that does not parse is kept as a draft next
//! to the field, with its problem shown, and never written as if it were valid.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};
use tui_input::{Input, InputRequest};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::i18n::number::Read;
use crate::i18n::{t, tf};
use crate::plan::{Date, Plan};

use super::text::{safe, truncate, wrap};
use super::theme::Theme;

/// Which item and row a lens looks at (e.g. the selected persona, a table row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ctx {
    pub item: usize,
    pub row: usize,
    /// The date figures are computed for (`--today`, or the clock).
    pub today: Date,
}

impl Ctx {
    pub fn new(today: Date) -> Ctx {
        Ctx {
            item: 0,
            row: 0,
            today,
        }
    }
}

/// A typed value in the plan: optional (`Option<T>`) or required (`T`).
pub enum Slot<'a, T> {
    Opt(&'a mut Option<T>),
    Req(&'a mut T),
}

impl<T: Copy> Slot<'_, T> {
    pub fn get(&self) -> Option<T> {
        match self {
            Slot::Opt(v) => **v,
            Slot::Req(v) => Some(**v),
        }
    }

    /// Stores `v`; a required value cannot be emptied.
    pub fn set(self, v: Option<T>) -> Result<(), String> {
        match (self, v) {
            (Slot::Opt(slot), v) => {
                *slot = v;
                Ok(())
            }
            (Slot::Req(slot), Some(v)) => {
                *slot = v;
                Ok(())
            }
            (Slot::Req(_), None) => Err(t("form.required").to_string()),
        }
    }
}

pub type TextLens = for<'a> fn(&'a mut Plan, Ctx) -> Option<&'a mut String>;
pub type NumLens = for<'a> fn(&'a mut Plan, Ctx) -> Option<Slot<'a, f64>>;
pub type IntLens = for<'a> fn(&'a mut Plan, Ctx) -> Option<Slot<'a, u64>>;
pub type DateLens = for<'a> fn(&'a mut Plan, Ctx) -> Option<Slot<'a, Date>>;
pub type BoolLens = for<'a> fn(&'a mut Plan, Ctx) -> Option<&'a mut bool>;

/// What a number means: the unit shown beside it, how what is typed is read
/// and kept in the plan, and the values it refuses or warns about.
///
/// Every rate and share is typed and shown as a percentage (`2`, `2 %` and
/// `2%` all mean 2 %), whatever the file keeps (`share_pct = 60`, but a
/// funnel rate of 3 % is `0.03`, as `plan-format.md` says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumUnit {
    Plain,
    Currency,
    /// A share kept as a percentage (`share_pct = 60`): 0 to 100 %.
    Percent,
    Months,
    /// A conversion rate kept as a fraction (`0.03` for 3 %): above 0 and
    /// at most 100 %.
    Rate,
    /// A monthly growth rate kept as a fraction (`0.02` for 2 % a month):
    /// above −100 % and at most 1000 %; over 100 % gets a warning.
    Growth,
    /// A scenario multiplier (`× 0.7`): not negative; a large one gets a
    /// warning.
    Factor,
    /// A KPI's figure in the KPI's own unit (`Ctx::item` is the KPI): a
    /// percent KPI's field shows `%` and takes `1.5`, `1.5 %` or `1.5%`,
    /// kept as `1.5` as the file keeps it.
    Kpi,
    /// A figure that is itself a number of percent (what [`NumUnit::Kpi`]
    /// is for a percent KPI): `%` shown and taken, any value.
    PercentFigure,
}

impl NumUnit {
    /// The unit in force for the field at `ctx`: a KPI figure takes its
    /// KPI's unit.
    pub fn resolve(self, plan: &Plan, ctx: Ctx) -> NumUnit {
        use crate::plan::Unit;
        match self {
            NumUnit::Kpi => match plan.kpis.get(ctx.item).and_then(|k| k.unit) {
                Some(Unit::Percent) => NumUnit::PercentFigure,
                Some(Unit::Currency) => NumUnit::Currency,
                _ => NumUnit::Plain,
            },
            unit => unit,
        }
    }

    /// How a typed figure of this unit is read.
    fn read(self) -> Read {
        match self {
            NumUnit::Percent | NumUnit::PercentFigure => Read::Percent,
            NumUnit::Rate | NumUnit::Growth => Read::Fraction,
            _ => Read::Plain,
        }
    }

    /// A kept value as the field shows it (and takes it back): a fraction
    /// as a percentage.
    pub fn shown(self, v: f64) -> String {
        match self {
            NumUnit::Rate | NumUnit::Growth => crate::i18n::number::input(v * 100.0, 4),
            _ => input_number(v),
        }
    }

    /// Why a typed value is refused (kept as typed, never stored).
    fn refusal(self, v: f64) -> Option<String> {
        use crate::plan::validate::GROWTH_MAX;
        let bad = match self {
            NumUnit::Rate => !(v > 0.0 && v <= 1.0),
            NumUnit::Percent => !(0.0..=100.0).contains(&v),
            NumUnit::Growth => !(v > -1.0 && v <= GROWTH_MAX),
            NumUnit::Factor => v < 0.0,
            _ => false,
        };
        let key = match self {
            NumUnit::Rate => "form.bad_rate",
            NumUnit::Percent => "form.bad_share",
            NumUnit::Growth => "form.bad_growth",
            _ => "form.bad_factor",
        };
        bad.then(|| t(key).to_string())
    }

    /// What is shown beside a kept value that is legal but rarely meant
    /// (or that the file holds though the field would refuse it).
    pub fn warning(self, v: f64) -> Option<String> {
        use crate::plan::validate::{GROWTH_WARN, multiplier_warning};
        if let Some(refused) = self.refusal(v) {
            return Some(refused);
        }
        match self {
            NumUnit::Growth if v > GROWTH_WARN => Some(tf(
                "form.growth_high",
                &[("pct", &crate::i18n::number::input(v * 100.0, 0))],
            )),
            NumUnit::Factor => multiplier_warning(v),
            _ => None,
        }
    }
}

/// A choice among values; `""` means "not set".
#[derive(Clone, Copy)]
pub struct Choice {
    /// `(value, label)` pairs, in cycling order.
    pub options: fn(&Plan) -> Vec<(String, String)>,
    pub get: fn(&Plan, Ctx) -> String,
    pub set: fn(&mut Plan, Ctx, &str),
}

/// A key on a one-line input whose whole text is selected (the focus has
/// just arrived, as in a web form): a character replaces the text (the input
/// is emptied and the request returned to insert it), a deleting key clears
/// it (`None`: nothing more to do), a caret move drops the selection (Left
/// to its start, Right to its end).
pub fn over_selection(input: &mut Input, request: InputRequest) -> Option<InputRequest> {
    match request {
        InputRequest::InsertChar(_) => {
            *input = Input::default();
            Some(request)
        }
        InputRequest::DeletePrevChar
        | InputRequest::DeleteNextChar
        | InputRequest::DeletePrevWord
        | InputRequest::DeleteNextWord
        | InputRequest::DeleteLine
        | InputRequest::DeleteFromStart
        | InputRequest::DeleteTillEnd => {
            *input = Input::default();
            None
        }
        InputRequest::GoToPrevChar | InputRequest::GoToPrevWord => Some(InputRequest::GoToStart),
        InputRequest::GoToNextChar | InputRequest::GoToNextWord => Some(InputRequest::GoToEnd),
        other => Some(other),
    }
}

/// What a key does in a one-line text input (form fields, prompts, the
/// search box): typing, deleting, moving; `None` for any other key.
pub fn line_request(key: KeyEvent) -> Option<InputRequest> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char(c) if !ctrl || key.modifiers.contains(KeyModifiers::ALT) => {
            InputRequest::InsertChar(c)
        }
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char('u') if ctrl => InputRequest::DeleteFromStart,
        KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Backspace if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete if ctrl => InputRequest::DeleteNextWord,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left if ctrl => InputRequest::GoToPrevWord,
        KeyCode::Right if ctrl => InputRequest::GoToNextWord,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

impl Choice {
    /// The options, built once per version of the plan (a choice among ten
    /// thousand KPIs is drawn on every frame).
    pub fn cached_options(&self, plan: &Plan) -> std::rc::Rc<Vec<(String, String)>> {
        let id = self.options as usize as u64;
        super::cache::memo_undated("choice_options", id, plan, || (self.options)(plan))
    }

    /// The label of the option with this value (looked up, not searched:
    /// the field is drawn on every frame).
    pub fn label_of(&self, plan: &Plan, value: &str) -> Option<String> {
        let id = self.options as usize as u64;
        let labels = super::cache::memo_undated("choice_labels", id, plan, || {
            let mut labels = std::collections::HashMap::new();
            for (v, l) in self.cached_options(plan).iter() {
                labels.entry(v.clone()).or_insert_with(|| l.clone());
            }
            labels
        });
        labels.get(value).cloned()
    }
}

/// A line under a table: its text, and whether it is a warning.
pub type Footer = fn(&Plan, Ctx) -> Option<(String, bool)>;
/// An extra key on a table: the key, its hint (locale key), and what it does.
pub type ExtraKey = (char, &'static str, fn(&mut Plan, Ctx) -> Extra);

/// What a table's extra key did.
pub enum Extra {
    /// Rows were added (how many); the selection moves to `select` if given.
    Added(usize, Option<usize>),
    /// The app should open a named popup (e.g. the KPI catalogue).
    Open(&'static str),
}

/// A field drawn and driven by its own code: computed results, a chart, the
/// gap table. It is boxed under its label like a multi-line field.
pub trait Custom: Sync {
    /// Rows it needs inside its box at this inner width.
    fn height(&self, plan: &Plan, ctx: Ctx, width: u16) -> u16;
    /// Draws it; `selected` is the field's remembered row (for lists).
    #[allow(clippy::too_many_arguments)]
    fn draw(
        &self,
        plan: &Plan,
        ctx: Ctx,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        focus: bool,
        selected: usize,
    );
    /// Whether Tab stops here (read-only results do not).
    fn focusable(&self) -> bool {
        false
    }
    /// Its keys for the hint bar and help: `(keys, locale key of what they do)`.
    fn keys(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// For a list: the row drawn on line `y` of its box (inside the border,
    /// `height` lines tall) when `selected` is the remembered row.
    fn row_at(
        &self,
        _plan: &Plan,
        _ctx: Ctx,
        _height: u16,
        _selected: usize,
        _y: u16,
    ) -> Option<usize> {
        None
    }
    /// Handles a key while focused; `selected` is its remembered row.
    fn key(&self, _plan: &mut Plan, _ctx: Ctx, _key: KeyEvent, _selected: &mut usize) -> Outcome {
        Outcome::Ignored
    }
}

/// An editable list of rows (competitors, sources, strengths, …).
pub struct TableSpec {
    /// Column header keys (locale) and relative widths.
    pub columns: &'static [(&'static str, u16)],
    pub len: fn(&Plan, Ctx) -> usize,
    pub cell: fn(&Plan, Ctx, usize, usize) -> String,
    /// Adds a row and returns its index.
    pub add: fn(&mut Plan, Ctx) -> usize,
    pub remove: fn(&mut Plan, Ctx, usize),
    pub swap: fn(&mut Plan, Ctx, usize, usize),
    /// The fields of the popup form for one row (`Ctx::row` is the row).
    pub row_fields: fn() -> Vec<Field>,
    /// `Space` on a row toggles this (a checklist's done flag).
    pub toggle: Option<fn(&mut Plan, Ctx, usize)>,
    /// A line under the table (a total, a warning).
    pub footer: Option<Footer>,
    /// An extra key on the table: (key char, hint key, action).
    pub extra: Option<ExtraKey>,
    /// The order rows are shown in, per view (display row → list index);
    /// `None` shows the list as it is.
    pub order: Option<RowOrder>,
    /// The names (locale keys) of the views `v` cycles through.
    pub views: &'static [&'static str],
    /// How a row (by list index) is coloured.
    pub tone: Option<fn(&Plan, Ctx, usize) -> Tone>,
    /// Shown when the table is empty (locale key).
    pub empty: &'static str,
}

/// The display order of a table's view: view index → list indices.
pub type RowOrder = fn(&Plan, Ctx, usize) -> Vec<usize>;

/// The colour of a table row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Normal,
    Warning,
    Error,
    Dim,
}

pub enum Kind {
    Text(TextLens),
    /// An id: a slug, checked as typed.
    Id(TextLens),
    Multi(TextLens),
    Number(NumLens, NumUnit),
    Int(IntLens, NumUnit),
    Date(DateLens),
    Choice(Choice),
    Check(BoolLens),
    Table(&'static TableSpec),
    Custom(&'static dyn Custom),
    /// The closing button of a popup form.
    Done,
}

/// One field: a label (locale key; `<key>.hint` is its hint) and what it edits.
pub struct Field {
    pub key: &'static str,
    pub kind: Kind,
}

impl Field {
    pub fn new(key: &'static str, kind: Kind) -> Field {
        Field { key, kind }
    }

    pub fn label(&self) -> &'static str {
        t(&format!("{}.label", self.key))
    }

    /// The hint of the field, if the locale has one.
    pub fn hint(&self) -> Option<&'static str> {
        let key = format!("{}.hint", self.key);
        crate::i18n::has(&key).then(|| t(&key))
    }

    fn is_line(&self) -> bool {
        matches!(
            self.kind,
            Kind::Text(_) | Kind::Id(_) | Kind::Number(..) | Kind::Int(..) | Kind::Date(_)
        )
    }

    /// Whether Tab stops on this field.
    pub fn focusable(&self) -> bool {
        match &self.kind {
            Kind::Custom(c) => c.focusable(),
            _ => true,
        }
    }

    /// Drawn on one row as `label  value` (no box).
    fn is_one_row(&self) -> bool {
        self.is_line() || matches!(self.kind, Kind::Choice(_) | Kind::Check(_) | Kind::Done)
    }

    /// True when keys typed here are text (so `?` is not help).
    pub fn takes_text(&self) -> bool {
        self.is_line() || matches!(self.kind, Kind::Multi(_))
    }
}

/// A titled group of fields, in one column or side by side.
pub struct Section {
    pub title: &'static str,
    pub columns: Vec<Vec<Field>>,
    /// Fields here edit the item chosen by this table field (flat index),
    /// e.g. the persona picked in step 2's list.
    pub note: Option<String>,
}

impl Section {
    pub fn new(title: &'static str, fields: Vec<Field>) -> Section {
        Section {
            title,
            columns: vec![fields],
            note: None,
        }
    }

    pub fn side_by_side(title: &'static str, columns: Vec<Vec<Field>>) -> Section {
        Section {
            title,
            columns,
            note: None,
        }
    }

    /// A section with no fields that says why (e.g. "add a persona first").
    pub fn note(title: &'static str, note: String) -> Section {
        Section {
            title,
            columns: Vec::new(),
            note: Some(note),
        }
    }
}

/// A whole form.
pub struct Form {
    pub sections: Vec<Section>,
    pub ctx: Ctx,
}

impl Form {
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.sections
            .iter()
            .flat_map(|s| s.columns.iter().flat_map(|c| c.iter()))
    }

    pub fn len(&self) -> usize {
        self.fields().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn field(&self, index: usize) -> Option<&Field> {
        self.fields().nth(index)
    }
}

/// The text editor of the focused field.
pub enum Editor {
    Line(Input),
    Area(Box<TextArea<'static>>),
}

/// A typed value that does not parse yet, with its problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub text: String,
    pub error: String,
}

/// Where the focus is in a form, and what is being typed.
#[derive(Default)]
pub struct FormState {
    pub focus: usize,
    pub scroll: u16,
    pub editor: Option<Editor>,
    /// The (field, ctx) the editor was made for.
    editor_for: Option<(usize, Ctx)>,
    /// Selected row of each table field.
    pub rows: HashMap<usize, usize>,
    /// Table first visible row, per table field.
    table_top: HashMap<usize, usize>,
    /// The view each table field shows (`v` cycles).
    views: HashMap<usize, usize>,
    pub drafts: HashMap<(usize, Ctx), Draft>,
    /// The screen area the form was last drawn in (for cursor placement).
    last_view: Rect,
    /// Where each field was last drawn, in form coordinates (y from the top
    /// of the form, before scrolling): for mouse clicks.
    pub placed: Vec<(usize, Rect)>,
    /// Where each text field's text was last drawn, inside its field's
    /// rectangle: a click there puts the caret on the character clicked.
    texts: Vec<(usize, Rect)>,
    /// A key went to the focused field since the focus arrived. Until then
    /// a one-line field's whole text is selected, as in a web form: the
    /// first character typed replaces it, Backspace or Delete clears it, and
    /// a caret move only drops the selection.
    touched: bool,
    /// Something was typed or changed through this form since it was made
    /// (a row popup asks before Esc throws it away).
    edited: bool,
}

/// A table command bound in the key map (add_row, delete_row, change_view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableCommand {
    Add,
    Delete,
    ChangeView,
}

/// What a key did in a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The key was not for the form.
    Ignored,
    /// Handled; nothing in the plan changed.
    Handled,
    /// Handled and the plan changed.
    Edited,
    /// Open the row popup of table field `field` at `row`.
    EditRow {
        field: usize,
        row: usize,
        added: bool,
    },
    /// Ask before deleting `row` of table field `field`.
    ConfirmDelete { field: usize, row: usize },
    /// The popup's Done button was pressed.
    Done,
    /// Done was refused: a typed value does not parse (the message says
    /// which); the focus is on that field.
    Invalid(String),
    /// Open the KPI at this index of `plan.kpis` (for editing).
    OpenKpi(usize),
    /// Open a named popup.
    Open(&'static str),
}

impl FormState {
    pub fn new() -> FormState {
        FormState::default()
    }

    /// The first row a table field shows (for mouse clicks).
    pub fn table_top(&self, field: usize) -> usize {
        self.table_top.get(&field).copied().unwrap_or(0)
    }

    /// The screen area the form was last drawn in.
    pub fn last_view(&self) -> Rect {
        self.last_view
    }

    /// The selected row of a table field.
    pub fn row(&self, field: usize) -> usize {
        self.rows.get(&field).copied().unwrap_or(0)
    }

    /// Drops the editor so it is rebuilt from the plan (after an outside change).
    pub fn reset_editor(&mut self) {
        self.editor = None;
        self.editor_for = None;
    }

    /// The focus arrived at a field (by Tab, arrow, click or a new form):
    /// its text is selected until the next key.
    pub fn focus_arrived(&mut self) {
        self.touched = false;
    }

    /// Whether the focused field's whole text is selected (the editor of a
    /// one-line field, with some text, untouched since the focus arrived).
    pub fn all_selected(&self) -> bool {
        !self.touched && matches!(&self.editor, Some(Editor::Line(i)) if !i.value().is_empty())
    }

    /// The first form field (by focus order) whose typed value does not
    /// parse in this form's context, with its problem.
    pub fn first_invalid(&self, form: &Form) -> Option<(usize, &Draft)> {
        self.drafts
            .iter()
            .filter(|((_, ctx), _)| *ctx == form.ctx)
            .map(|((i, _), d)| (*i, d))
            .min_by_key(|(i, _)| *i)
    }

    /// Before a popup form closes keeping what it holds: when a typed value
    /// does not parse, the focus goes to it and the message says why the
    /// form cannot close yet; `None` when it can.
    pub fn refuse_done(&mut self, form: &Form) -> Option<String> {
        let (index, draft) = self.first_invalid(form)?;
        let label = form.field(index).map_or("", Field::label);
        let message = tf(
            "form.done_refused",
            &[("field", &label), ("error", &draft.error)],
        );
        self.focus_on(form, index);
        Some(message)
    }

    pub fn focus_next(&mut self, form: &Form) {
        self.step_focus(form, 1);
    }

    pub fn focus_prev(&mut self, form: &Form) {
        self.step_focus(form, -1);
    }

    /// Moves the focus by `dir` to the next field Tab stops on.
    fn step_focus(&mut self, form: &Form, dir: isize) {
        let n = form.len() as isize;
        for _ in 0..n {
            self.focus = (self.focus as isize + dir).rem_euclid(n.max(1)) as usize;
            if form.field(self.focus).is_some_and(Field::focusable) {
                break;
            }
        }
        self.reset_editor();
        self.focus_arrived();
    }

    /// Puts the focus on `index`, or the first focusable field after it.
    pub fn focus_on(&mut self, form: &Form, index: usize) {
        self.focus = index;
        if !form.field(index).is_some_and(Field::focusable) {
            self.focus_next(form);
        }
        self.reset_editor();
        self.focus_arrived();
    }

    /// A click at `at` (form coordinates, as `placed`) on text field
    /// `field`, which has the focus now: the caret goes to the character
    /// drawn there. `was_focused`: the field had the focus (and its editor,
    /// scrolled as drawn) before the click; otherwise its value was drawn
    /// from its first character.
    pub fn place_caret(
        &mut self,
        form: &Form,
        plan: &mut Plan,
        field: usize,
        at: Position,
        was_focused: bool,
    ) {
        let find = |v: &[(usize, Rect)]| v.iter().find(|(i, _)| *i == field).map(|(_, r)| *r);
        let (Some(r), Some(text)) = (find(&self.placed), find(&self.texts)) else {
            return;
        };
        let inside = Position::new(at.x.saturating_sub(r.x), at.y.saturating_sub(r.y));
        if !text.contains(inside) {
            return;
        }
        let (col, row) = ((inside.x - text.x) as usize, (inside.y - text.y) as usize);
        self.sync_editor(form, plan);
        // A click on the text puts the caret there: nothing stays selected.
        self.touched = true;
        match &mut self.editor {
            Some(Editor::Line(input)) => {
                let scroll = if was_focused {
                    input.visual_scroll((text.width as usize).saturating_sub(1))
                } else {
                    0
                };
                let target = scroll + col;
                let (mut width, mut chars) = (0, 0);
                for c in input.value().chars() {
                    let w = c.width().unwrap_or(0);
                    if width + w > target {
                        break;
                    }
                    width += w;
                    chars += 1;
                }
                *input = input.clone().with_cursor(chars);
            }
            Some(Editor::Area(area)) => {
                if !was_focused {
                    // A new editor knows its wrapping only once drawn: draw
                    // it from the top, as the value was shown.
                    area.move_cursor(CursorMove::Jump(0, 0));
                    let mut scratch = Buffer::empty(Rect::new(0, 0, text.width, text.height));
                    (&**area).render(scratch.area, &mut scratch);
                }
                let (top, left) = area.scroll_offset();
                let to = area.screen_to_data(row + top as usize, col + left as usize);
                area.move_cursor(CursorMove::Jump(
                    to.0.min(u16::MAX as usize) as u16,
                    to.1.min(u16::MAX as usize) as u16,
                ));
            }
            None => {}
        }
    }

    /// Makes sure the editor matches the focused field and its current value.
    pub fn sync_editor(&mut self, form: &Form, plan: &mut Plan) {
        let n = form.len();
        if n == 0 {
            self.focus = 0;
            self.reset_editor();
            return;
        }
        if self.focus >= n {
            self.focus = n - 1;
        }
        if !form.field(self.focus).is_some_and(Field::focusable) {
            self.focus_next(form);
        }
        let key = (self.focus, form.ctx);
        if self.editor_for == Some(key) && self.editor.is_some() {
            return;
        }
        let field = form.field(self.focus).expect("focus below len");
        let draft = self.drafts.get(&key).map(|d| d.text.clone());
        self.editor = match &field.kind {
            Kind::Text(lens) => {
                let v = lens(plan, form.ctx).map(|s| s.clone()).unwrap_or_default();
                Some(Editor::Line(Input::new(v)))
            }
            Kind::Id(lens) => {
                let v = draft
                    .unwrap_or_else(|| lens(plan, form.ctx).map(|s| s.clone()).unwrap_or_default());
                Some(Editor::Line(Input::new(v)))
            }
            Kind::Number(lens, unit) => {
                let v = draft.unwrap_or_else(|| {
                    lens(plan, form.ctx)
                        .and_then(|v| v.get())
                        .map(|v| unit.resolve(plan, form.ctx).shown(v))
                        .unwrap_or_default()
                });
                Some(Editor::Line(Input::new(v)))
            }
            Kind::Int(lens, _) => {
                let v = draft.unwrap_or_else(|| {
                    lens(plan, form.ctx)
                        .and_then(|v| v.get())
                        .map(|v| v.to_string())
                        .unwrap_or_default()
                });
                Some(Editor::Line(Input::new(v)))
            }
            Kind::Date(lens) => {
                let v = draft.unwrap_or_else(|| {
                    lens(plan, form.ctx)
                        .and_then(|v| v.get())
                        .map(crate::i18n::date::format)
                        .unwrap_or_default()
                });
                Some(Editor::Line(Input::new(v)))
            }
            Kind::Multi(lens) => {
                let v = lens(plan, form.ctx).map(|s| s.clone()).unwrap_or_default();
                let lines: Vec<String> = v.split('\n').map(str::to_string).collect();
                let mut area = TextArea::new(lines);
                area.set_wrap_mode(WrapMode::WordOrGlyph);
                area.set_cursor_line_style(Style::new());
                area.move_cursor(CursorMove::Bottom);
                area.move_cursor(CursorMove::End);
                Some(Editor::Area(Box::new(area)))
            }
            _ => None,
        };
        self.editor_for = Some(key);
    }

    /// Whether anything was typed or changed through this form since it was
    /// made, including a typed value that does not parse.
    pub fn has_edits(&self) -> bool {
        self.edited || !self.drafts.is_empty()
    }

    /// A field of this form was changed from outside it (the external
    /// editor): it counts as typed content.
    pub fn mark_edited(&mut self) {
        self.edited = true;
    }

    /// Handles a key for the form. Global keys never arrive here.
    pub fn handle_key(&mut self, form: &Form, plan: &mut Plan, key: KeyEvent) -> Outcome {
        let outcome = self.key_in_form(form, plan, key);
        if outcome == Outcome::Edited {
            self.edited = true;
        }
        outcome
    }

    fn key_in_form(&mut self, form: &Form, plan: &mut Plan, key: KeyEvent) -> Outcome {
        if form.is_empty() {
            return Outcome::Ignored;
        }
        self.sync_editor(form, plan);
        match key.code {
            KeyCode::Tab => {
                self.focus_next(form);
                return Outcome::Handled;
            }
            KeyCode::BackTab => {
                self.focus_prev(form);
                return Outcome::Handled;
            }
            _ => {}
        }
        let field = form.field(self.focus).expect("focus below len");
        let ctx = form.ctx;
        match &field.kind {
            Kind::Text(_) | Kind::Id(_) | Kind::Number(..) | Kind::Int(..) | Kind::Date(_) => {
                self.line_key(form, plan, key)
            }
            Kind::Multi(lens) => self.area_key(*lens, ctx, plan, key),
            Kind::Choice(choice) => match key.code {
                KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') => {
                    let options = choice.cached_options(plan);
                    if options.is_empty() {
                        return Outcome::Handled;
                    }
                    let current = (choice.get)(plan, ctx);
                    let pos = options.iter().position(|(v, _)| *v == current);
                    let next = match (pos, key.code) {
                        (None, KeyCode::Left) => options.len() - 1,
                        (None, _) => 0,
                        (Some(p), KeyCode::Left) => (p + options.len() - 1) % options.len(),
                        (Some(p), _) => (p + 1) % options.len(),
                    };
                    (choice.set)(plan, ctx, &options[next].0);
                    Outcome::Edited
                }
                KeyCode::Delete | KeyCode::Backspace => {
                    (choice.set)(plan, ctx, "");
                    Outcome::Edited
                }
                KeyCode::Enter | KeyCode::Down => {
                    self.focus_next(form);
                    Outcome::Handled
                }
                KeyCode::Up => {
                    self.focus_prev(form);
                    Outcome::Handled
                }
                _ => Outcome::Ignored,
            },
            Kind::Check(lens) => match key.code {
                KeyCode::Char(' ') => {
                    if let Some(b) = lens(plan, ctx) {
                        *b = !*b;
                    }
                    Outcome::Edited
                }
                KeyCode::Enter | KeyCode::Down => {
                    self.focus_next(form);
                    Outcome::Handled
                }
                KeyCode::Up => {
                    self.focus_prev(form);
                    Outcome::Handled
                }
                _ => Outcome::Ignored,
            },
            Kind::Custom(custom) => {
                let mut selected = self.row(self.focus);
                let outcome = custom.key(plan, ctx, key, &mut selected);
                self.rows.insert(self.focus, selected);
                outcome
            }
            Kind::Done => match key.code {
                // A typed value that does not parse is never dropped for
                // the last valid one: Done waits until it is fixed.
                KeyCode::Enter | KeyCode::Char(' ') => match self.refuse_done(form) {
                    Some(message) => Outcome::Invalid(message),
                    None => Outcome::Done,
                },
                KeyCode::Up => {
                    self.focus_prev(form);
                    Outcome::Handled
                }
                _ => Outcome::Ignored,
            },
            Kind::Table(spec) => self.table_key(spec, plan, ctx, key),
        }
    }

    /// The view shown by table field `index` (0 when it has none).
    pub fn view(&self, index: usize) -> usize {
        self.views.get(&index).copied().unwrap_or(0)
    }

    fn table_key(&mut self, spec: &TableSpec, plan: &mut Plan, ctx: Ctx, key: KeyEvent) -> Outcome {
        let index = self.focus;
        let len = (spec.len)(plan, ctx);
        let view = self.view(index);
        let order = spec.order.map(|f| f(plan, ctx, view));
        let to_list = |d: usize| order.as_ref().and_then(|o| o.get(d).copied()).unwrap_or(d);
        let shown = self.row(index).min(len.saturating_sub(1));
        let row = to_list(shown);
        let can_move = order.is_none() || view == 0;
        let moving = key
            .modifiers
            .intersects(KeyModifiers::SHIFT | KeyModifiers::ALT);
        let last = len.saturating_sub(1);
        let select = |s: &mut FormState, d: usize| {
            s.rows.insert(index, d);
            Outcome::Handled
        };
        match key.code {
            KeyCode::Up if moving && can_move && row > 0 => {
                (spec.swap)(plan, ctx, row, row - 1);
                self.rows.insert(index, row - 1);
                Outcome::Edited
            }
            KeyCode::Down if moving && can_move && row + 1 < len => {
                (spec.swap)(plan, ctx, row, row + 1);
                self.rows.insert(index, row + 1);
                Outcome::Edited
            }
            KeyCode::Up => select(self, shown.saturating_sub(1)),
            KeyCode::Down => select(self, (shown + 1).min(last)),
            KeyCode::PageUp => select(self, shown.saturating_sub(8)),
            KeyCode::PageDown => select(self, (shown + 8).min(last)),
            KeyCode::Home => select(self, 0),
            KeyCode::End => select(self, last),
            KeyCode::Enter if len > 0 => Outcome::EditRow {
                field: index,
                row,
                added: false,
            },
            KeyCode::Char(' ') if len > 0 && spec.toggle.is_some() => {
                (spec.toggle.expect("checked above"))(plan, ctx, row);
                Outcome::Edited
            }
            KeyCode::Char(c) if spec.extra.is_some_and(|(k, _, _)| k == c) => {
                let (_, _, action) = spec.extra.expect("checked above");
                match action(plan, ctx) {
                    Extra::Added(0, _) => Outcome::Handled,
                    Extra::Added(_, select) => {
                        if let Some(row) = select {
                            self.rows.insert(index, row);
                        }
                        Outcome::Edited
                    }
                    Extra::Open(name) => Outcome::Open(name),
                }
            }
            KeyCode::Enter => Outcome::Handled,
            _ => Outcome::Ignored,
        }
    }

    /// Adds, deletes or changes the view of the focused table: the key map
    /// decides which keys do these (`crate::keymap`), so `table_key` does not.
    pub fn table_command(
        &mut self,
        form: &Form,
        plan: &mut Plan,
        command: TableCommand,
    ) -> Outcome {
        if form.is_empty() {
            return Outcome::Ignored;
        }
        self.sync_editor(form, plan);
        let Some(Field {
            kind: Kind::Table(spec),
            ..
        }) = form.field(self.focus)
        else {
            return Outcome::Ignored;
        };
        let ctx = form.ctx;
        let index = self.focus;
        let len = (spec.len)(plan, ctx);
        let view = self.view(index);
        match command {
            TableCommand::Add => {
                let new_row = (spec.add)(plan, ctx);
                let shown_at = spec
                    .order
                    .map(|f| f(plan, ctx, view))
                    .and_then(|o| o.iter().position(|r| *r == new_row))
                    .unwrap_or(new_row);
                self.rows.insert(index, shown_at);
                Outcome::EditRow {
                    field: index,
                    row: new_row,
                    added: true,
                }
            }
            TableCommand::Delete if len > 0 => {
                let shown = self.row(index).min(len - 1);
                let row = spec
                    .order
                    .and_then(|f| f(plan, ctx, view).get(shown).copied())
                    .unwrap_or(shown);
                Outcome::ConfirmDelete { field: index, row }
            }
            TableCommand::ChangeView if !spec.views.is_empty() => {
                self.views.insert(index, (view + 1) % spec.views.len());
                self.rows.insert(index, 0);
                Outcome::Handled
            }
            _ => Outcome::Handled,
        }
    }

    /// Deletes a confirmed row and keeps the selection in range.
    pub fn delete_row(&mut self, form: &Form, plan: &mut Plan, field: usize, row: usize) {
        if let Some(Field {
            kind: Kind::Table(spec),
            ..
        }) = form.field(field)
        {
            if row < (spec.len)(plan, form.ctx) {
                (spec.remove)(plan, form.ctx, row);
            }
            let len = (spec.len)(plan, form.ctx);
            self.rows.insert(field, row.min(len.saturating_sub(1)));
        }
        self.reset_editor();
    }

    fn line_key(&mut self, form: &Form, plan: &mut Plan, key: KeyEvent) -> Outcome {
        let request = match key.code {
            KeyCode::Enter | KeyCode::Down => {
                self.focus_next(form);
                return Outcome::Handled;
            }
            KeyCode::Up => {
                self.focus_prev(form);
                return Outcome::Handled;
            }
            _ => match line_request(key) {
                Some(request) => request,
                None => return Outcome::Ignored,
            },
        };
        let selected = self.all_selected();
        self.touched = true;
        let Some(Editor::Line(input)) = &mut self.editor else {
            return Outcome::Ignored;
        };
        let request = if selected {
            match over_selection(input, request) {
                Some(request) => request,
                // The key cleared the text.
                None => return self.write_line(form, plan),
            }
        } else {
            request
        };
        let changed = input.handle(request).is_some_and(|c| c.value);
        if changed {
            self.write_line(form, plan)
        } else {
            Outcome::Handled
        }
    }

    /// Inserts pasted text into the focused field.
    pub fn paste(&mut self, form: &Form, plan: &mut Plan, text: &str) -> Outcome {
        let outcome = self.paste_in_form(form, plan, text);
        if outcome == Outcome::Edited {
            self.edited = true;
        }
        outcome
    }

    fn paste_in_form(&mut self, form: &Form, plan: &mut Plan, text: &str) -> Outcome {
        if form.is_empty() {
            return Outcome::Ignored;
        }
        self.sync_editor(form, plan);
        let field = form.field(self.focus).expect("focus below len");
        let selected = self.all_selected();
        self.touched = true;
        match (&mut self.editor, &field.kind) {
            (Some(Editor::Line(input)), _) => {
                if selected {
                    // Pasting over the selected text replaces it.
                    *input = Input::default();
                }
                // One line only: line breaks become spaces.
                for c in text.chars() {
                    let c = if c == '\n' || c == '\r' { ' ' } else { c };
                    input.handle(InputRequest::InsertChar(c));
                }
                self.write_line(form, plan)
            }
            (Some(Editor::Area(area)), Kind::Multi(lens)) => {
                area.insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
                let value = area.lines().join("\n");
                if let Some(s) = lens(plan, form.ctx) {
                    *s = value;
                }
                Outcome::Edited
            }
            _ => Outcome::Ignored,
        }
    }

    /// Writes the line editor's text to the plan (when it parses).
    fn write_line(&mut self, form: &Form, plan: &mut Plan) -> Outcome {
        let Some(Editor::Line(input)) = &self.editor else {
            return Outcome::Handled;
        };
        let text = input.value().to_string();
        let ctx = form.ctx;
        let key = (self.focus, ctx);
        let field = form.field(self.focus).expect("focus below len");
        let parsed: Result<(), String> = match &field.kind {
            Kind::Text(lens) => {
                if let Some(s) = lens(plan, ctx) {
                    *s = text.clone();
                }
                Ok(())
            }
            Kind::Id(lens) => {
                let trimmed = text.trim();
                if crate::plan::is_slug(trimmed) {
                    if let Some(s) = lens(plan, ctx) {
                        *s = trimmed.to_string();
                    }
                    Ok(())
                } else {
                    Err(t("form.bad_id").to_string())
                }
            }
            Kind::Number(lens, unit) => parse_in_unit(unit.resolve(plan, ctx), &text)
                .and_then(|v| lens(plan, ctx).map_or(Ok(()), |slot| slot.set(v))),
            Kind::Int(lens, unit) => parse_int(&text)
                .and_then(|v| match (unit, v) {
                    (NumUnit::Months, Some(n)) if n > crate::plan::validate::MAX_MONTHS => Err(tf(
                        "form.bad_months",
                        &[("max", &crate::plan::validate::MAX_MONTHS)],
                    )),
                    _ => Ok(v),
                })
                .and_then(|v| lens(plan, ctx).map_or(Ok(()), |slot| slot.set(v))),
            Kind::Date(lens) => {
                let v = crate::i18n::date::parse(&text)
                    .map_err(|_| tf("form.bad_date", &[("text", &text.trim())]));
                v.and_then(|v| lens(plan, ctx).map_or(Ok(()), |slot| slot.set(v)))
            }
            _ => Ok(()),
        };
        match parsed {
            Ok(()) => {
                self.drafts.remove(&key);
                Outcome::Edited
            }
            Err(error) => {
                // Say what the plan holds meanwhile: the last valid value.
                let kept = kept_value(field, plan, ctx);
                let error = match kept {
                    Some(v) => tf("form.kept", &[("error", &error), ("value", &v)]),
                    None => tf("form.kept_empty", &[("error", &error)]),
                };
                self.drafts.insert(key, Draft { text, error });
                Outcome::Handled
            }
        }
    }

    fn area_key(&mut self, lens: TextLens, ctx: Ctx, plan: &mut Plan, key: KeyEvent) -> Outcome {
        let Some(Editor::Area(area)) = &mut self.editor else {
            return Outcome::Ignored;
        };
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let moved = |area: &mut TextArea, m: CursorMove| {
            area.move_cursor(m);
            Outcome::Handled
        };
        let outcome = match key.code {
            KeyCode::Left if ctrl => moved(area, CursorMove::WordBack),
            KeyCode::Right if ctrl => moved(area, CursorMove::WordForward),
            KeyCode::Left => moved(area, CursorMove::Back),
            KeyCode::Right => moved(area, CursorMove::Forward),
            KeyCode::Up => moved(area, CursorMove::Up),
            KeyCode::Down => moved(area, CursorMove::Down),
            KeyCode::Home => moved(area, CursorMove::Head),
            KeyCode::End => moved(area, CursorMove::End),
            KeyCode::PageUp => moved(area, CursorMove::Top),
            KeyCode::PageDown => moved(area, CursorMove::Bottom),
            KeyCode::Backspace if ctrl => {
                area.delete_word();
                Outcome::Edited
            }
            KeyCode::Char('w') if ctrl => {
                area.delete_word();
                Outcome::Edited
            }
            // The same editing keys as a one-line field (`line_request`),
            // acting on the caret's line.
            KeyCode::Char('u') if ctrl => {
                area.delete_line_by_head();
                Outcome::Edited
            }
            KeyCode::Char('k') if ctrl => {
                area.delete_line_by_end();
                Outcome::Edited
            }
            KeyCode::Delete if ctrl => {
                area.delete_next_word();
                Outcome::Edited
            }
            KeyCode::Char('a') if ctrl => moved(area, CursorMove::Head),
            KeyCode::Char('e') if ctrl => moved(area, CursorMove::End),
            KeyCode::Char(c) if !ctrl => {
                area.insert_char(c);
                Outcome::Edited
            }
            KeyCode::Enter | KeyCode::Backspace | KeyCode::Delete => {
                if area.input_without_shortcuts(key) {
                    Outcome::Edited
                } else {
                    Outcome::Handled
                }
            }
            _ => Outcome::Ignored,
        };
        if outcome == Outcome::Edited {
            let value = area.lines().join("\n");
            if let Some(s) = lens(plan, ctx) {
                if *s == value {
                    return Outcome::Handled;
                }
                *s = value;
            }
        }
        outcome
    }

    // -----------------------------------------------------------------------
    // Drawing

    /// Draws the form in `area`; `focused` is false when the focus is elsewhere
    /// (the step list). Returns the cursor position, if the caret is visible.
    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &mut self,
        form: &Form,
        plan: &mut Plan,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        focused: bool,
        currency: &str,
    ) -> Option<Position> {
        self.last_view = area;
        if area.width < 4 || area.height < 1 {
            return None;
        }
        if focused {
            self.sync_editor(form, plan);
        }
        let width = area.width;
        // Lay out every field in virtual coordinates (y from the top of the form).
        let mut placed: Vec<(usize, Rect)> = Vec::new();
        let mut titles: Vec<(u16, &'static str, Option<&String>)> = Vec::new();
        let mut y: u16 = 0;
        let mut index = 0;
        for section in &form.sections {
            if !section.title.is_empty() {
                titles.push((y, section.title, section.note.as_ref()));
                y += 1;
            }
            if let Some(note) = &section.note {
                y += wrap(note, width as usize).len() as u16 + 1;
                continue;
            }
            let cols = section.columns.len().max(1) as u32;
            let rects = Layout::horizontal(
                (0..cols)
                    .map(|_| Constraint::Ratio(1, cols))
                    .collect::<Vec<_>>(),
            )
            .split(Rect::new(0, 0, width, 1));
            let mut bottom = y;
            for (c, column) in section.columns.iter().enumerate() {
                let mut cy = y;
                let col_rect = rects[c];
                for field in column {
                    let h = self.field_height(
                        form,
                        plan,
                        field,
                        index,
                        col_rect.width,
                        focused && index == self.focus,
                    );
                    placed.push((index, Rect::new(col_rect.x, cy, col_rect.width, h)));
                    cy += h;
                    index += 1;
                }
                bottom = bottom.max(cy);
            }
            y = bottom + 1;
        }
        let total = y;
        self.placed = placed.clone();
        self.texts.clear();

        // Scroll so the focused field is in view.
        if let Some((_, r)) = placed.iter().find(|(i, _)| *i == self.focus) {
            let top =
                r.y.saturating_sub(if self.is_first_in_section(form, self.focus) {
                    1
                } else {
                    0
                });
            if top < self.scroll {
                self.scroll = top;
            }
            let bottom = r.y + r.height;
            if bottom > self.scroll + area.height {
                self.scroll = bottom.saturating_sub(area.height).min(r.y);
            }
        }
        self.scroll = self.scroll.min(total.saturating_sub(area.height));

        // Draw into a scratch buffer as tall as the visible window, shifted.
        let scroll = self.scroll;
        let view = Rect::new(0, 0, width, area.height);
        let mut scratch = Buffer::empty(view);
        let mut cursor: Option<Position> = None;
        for (y, title, note) in &titles {
            if *y >= scroll && *y < scroll + area.height {
                let line = Line::styled(t(title).to_string(), theme.title());
                line.render(Rect::new(0, y - scroll, width, 1), &mut scratch);
            }
            if let Some(note) = note {
                for (i, l) in wrap(note, width as usize).iter().enumerate() {
                    let ly = y + 1 + i as u16;
                    if ly >= scroll && ly < scroll + area.height {
                        Line::styled(l.clone(), theme.dim())
                            .render(Rect::new(0, ly - scroll, width, 1), &mut scratch);
                    }
                }
            }
        }
        for (i, r) in &placed {
            if r.y + r.height <= scroll || r.y >= scroll + area.height {
                continue;
            }
            let field = form.field(*i).expect("placed fields exist");
            let is_focus = focused && *i == self.focus;
            // Fields cut by the window edge are drawn whole in their own buffer.
            let mut own = Buffer::empty(Rect::new(0, 0, r.width, r.height));
            let c = self.draw_field(
                form,
                plan,
                field,
                *i,
                Rect::new(0, 0, r.width, r.height),
                &mut own,
                theme,
                is_focus,
                currency,
            );
            for dy in 0..r.height {
                let vy = r.y + dy;
                if vy < scroll || vy >= scroll + area.height {
                    continue;
                }
                for dx in 0..r.width {
                    if let (Some(src), Some(dst)) = (
                        own.cell(Position::new(dx, dy)),
                        scratch.cell_mut(Position::new(r.x + dx, vy - scroll)),
                    ) {
                        *dst = src.clone();
                    }
                }
            }
            if let Some(p) = c {
                let vy = r.y + p.y;
                if vy >= scroll && vy < scroll + area.height {
                    cursor = Some(Position::new(area.x + r.x + p.x, area.y + vy - scroll));
                }
            }
        }
        // Scroll marks on the right edge.
        if scroll > 0
            && let Some(cell) = scratch.cell_mut(Position::new(width - 1, 0))
        {
            cell.set_symbol("▲").set_style(theme.dim());
        }
        if scroll + area.height < total
            && let Some(cell) = scratch.cell_mut(Position::new(width - 1, area.height - 1))
        {
            cell.set_symbol("▼").set_style(theme.dim());
        }
        for dy in 0..area.height {
            for dx in 0..width {
                if let (Some(src), Some(dst)) = (
                    scratch.cell(Position::new(dx, dy)),
                    buf.cell_mut(Position::new(area.x + dx, area.y + dy)),
                ) {
                    *dst = src.clone();
                }
            }
        }
        cursor
    }

    fn is_first_in_section(&self, form: &Form, index: usize) -> bool {
        let mut i = 0;
        for s in &form.sections {
            for c in &s.columns {
                for (j, _) in c.iter().enumerate() {
                    if i == index {
                        return j == 0;
                    }
                    i += 1;
                }
            }
        }
        false
    }

    fn field_height(
        &self,
        form: &Form,
        plan: &mut Plan,
        field: &Field,
        index: usize,
        width: u16,
        focus: bool,
    ) -> u16 {
        let inner = width.saturating_sub(2).max(1) as usize;
        match &field.kind {
            Kind::Multi(lens) => {
                let text = lens(plan, form.ctx).map(|s| s.clone()).unwrap_or_default();
                let lines = wrap(&text, inner).len() as u16;
                if focus {
                    // Focused, it grows to show its whole text (a line more
                    // for the caret), up to the height of the view; longer
                    // text scrolls inside it.
                    let most = self.last_view.height.saturating_sub(2).max(3);
                    (lines + 1).clamp(3, most) + 2
                } else {
                    lines.clamp(1, 6) + 2
                }
            }
            Kind::Custom(custom) => custom.height(plan, form.ctx, width.saturating_sub(2)) + 2,
            Kind::Table(spec) => {
                let len = (spec.len)(plan, form.ctx) as u16;
                let footer = u16::from(spec.footer.and_then(|f| f(plan, form.ctx)).is_some());
                len.clamp(1, 8) + 1 + footer + 2
            }
            _ => {
                // One row (two when the label goes above the value, in narrow
                // columns), plus one for the problem of a typed value.
                // The problem wraps under the value (at most three rows).
                1 + u16::from(stacked(width))
                    + self
                        .drafts
                        .get(&(index, form.ctx))
                        .map(|d| problem_lines(&d.error, width).len() as u16)
                        .unwrap_or_else(|| {
                            u16::from(number_warning(field, plan, form.ctx).is_some())
                        })
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_field(
        &mut self,
        form: &Form,
        plan: &mut Plan,
        field: &Field,
        index: usize,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        focus: bool,
        currency: &str,
    ) -> Option<Position> {
        let ctx = form.ctx;
        let draft = self.drafts.get(&(index, ctx)).cloned();
        let selected = focus && self.all_selected();
        let inner = if field.is_one_row() {
            // `▸ Label ……… value` on one row (or the label above the value in
            // a narrow column); a problem goes on the row below.
            let label_style = if focus {
                theme.focus_label()
            } else {
                theme.label()
            };
            let label = format!("{}{}", if focus { "▸ " } else { "  " }, field.label());
            let value = if stacked(area.width) {
                Line::styled(truncate(&label, area.width as usize), label_style)
                    .render(Rect::new(area.x, area.y, area.width, 1), buf);
                Rect::new(area.x + 2, area.y + 1, area.width.saturating_sub(3), 1)
            } else {
                let label_w = label_width(area.width);
                Line::styled(truncate(&label, label_w as usize), label_style)
                    .render(Rect::new(area.x, area.y, label_w, 1), buf);
                Rect::new(
                    area.x + label_w + 1,
                    area.y,
                    area.width.saturating_sub(label_w + 1),
                    1,
                )
            };
            if focus {
                buf.set_style(value, theme.selected_unfocused());
            }
            if let Some(d) = &draft {
                for (i, line) in problem_lines(&d.error, area.width).iter().enumerate() {
                    let y = value.y + 1 + i as u16;
                    if y < area.y + area.height {
                        Line::styled(line.clone(), theme.error())
                            .render(Rect::new(value.x, y, value.width, 1), buf);
                    }
                }
            } else if let Some(w) = number_warning(field, plan, ctx)
                && area.height > value.y - area.y + 1
            {
                Line::styled(format!("⚠ {w}"), theme.warning())
                    .render(Rect::new(value.x, value.y + 1, value.width, 1), buf);
            }
            value
        } else {
            let title = vec![Span::styled(
                format!(" {}{} ", if focus { "▸ " } else { "" }, field.label()),
                if focus {
                    theme.focus_label()
                } else {
                    theme.label()
                },
            )];
            let border = if focus {
                theme.focus_border()
            } else {
                theme.border()
            };
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(border)
                .title(Line::from(title));
            let inner = block.inner(area);
            block.render(area, buf);
            inner
        };
        if inner.width == 0 || inner.height == 0 {
            return None;
        }
        let empty = t("form.empty");
        if matches!(
            field.kind,
            Kind::Text(_) | Kind::Id(_) | Kind::Date(_) | Kind::Multi(_)
        ) {
            self.texts.push((index, inner));
        }
        match &field.kind {
            Kind::Text(lens) | Kind::Id(lens) => {
                if focus && let Some(Editor::Line(input)) = &self.editor {
                    return Some(draw_input(input, selected, inner, buf, theme));
                }
                let v = match &draft {
                    Some(d) => d.text.clone(),
                    None => lens(plan, ctx).map(|s| s.clone()).unwrap_or_default(),
                };
                draw_value(&v, empty, inner, buf, theme);
            }
            Kind::Number(_, unit) | Kind::Int(_, unit) => {
                let unit = match &field.kind {
                    Kind::Number(_, unit) => unit.resolve(plan, ctx),
                    _ => *unit,
                };
                let unit_text = unit_label(unit, currency);
                let [value_area, unit_area] = Layout::horizontal([
                    Constraint::Min(1),
                    Constraint::Length(unit_text.width() as u16 + 1),
                ])
                .areas(inner);
                Line::styled(format!(" {unit_text}"), theme.dim()).render(unit_area, buf);
                self.texts.push((index, value_area));
                if focus && let Some(Editor::Line(input)) = &self.editor {
                    return Some(draw_input(input, selected, value_area, buf, theme));
                }
                let shown = match (&draft, &field.kind) {
                    (Some(d), _) => d.text.clone(),
                    (None, Kind::Number(l, _)) => l(plan, ctx)
                        .and_then(|v| v.get())
                        .map(|v| unit.shown(v))
                        .unwrap_or_default(),
                    (None, Kind::Int(l, _)) => l(plan, ctx)
                        .and_then(|v| v.get())
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                draw_value(&shown, empty, value_area, buf, theme);
            }
            Kind::Date(lens) => {
                if focus && let Some(Editor::Line(input)) = &self.editor {
                    let c = draw_input(input, selected, inner, buf, theme);
                    if input.value().is_empty() {
                        Line::styled(t("form.date_placeholder"), theme.placeholder())
                            .render(inner, buf);
                    }
                    return Some(c);
                }
                let shown = match &draft {
                    Some(d) => d.text.clone(),
                    None => lens(plan, ctx)
                        .and_then(|v| v.get())
                        .map(crate::i18n::date::format)
                        .unwrap_or_default(),
                };
                draw_value(&shown, t("form.no_date"), inner, buf, theme);
            }
            Kind::Multi(lens) => {
                if focus && let Some(Editor::Area(area)) = &mut self.editor {
                    area.set_style(theme.normal());
                    area.set_cursor_style(theme.selected());
                    (&**area).render(inner, buf);
                    let c = area.screen_cursor();
                    let (top, left) = area.scroll_offset();
                    let row = (c.row as u16).saturating_sub(top);
                    let col = (c.col as u16).saturating_sub(left);
                    if row < inner.height && col < inner.width {
                        return Some(Position::new(inner.x + col, inner.y + row));
                    }
                    return None;
                }
                let v = lens(plan, ctx).map(|s| s.clone()).unwrap_or_default();
                if v.trim().is_empty() {
                    Line::styled(empty.to_string(), theme.placeholder()).render(inner, buf);
                } else {
                    let lines = wrap(&v, inner.width as usize);
                    let shown = inner.height as usize;
                    for (i, l) in lines.iter().take(shown).enumerate() {
                        let text = if i + 1 == shown && lines.len() > shown {
                            format!("{}…", truncate(l, (inner.width as usize).saturating_sub(1)))
                        } else {
                            l.clone()
                        };
                        Line::raw(text)
                            .render(Rect::new(inner.x, inner.y + i as u16, inner.width, 1), buf);
                    }
                }
            }
            Kind::Choice(choice) => {
                let current = (choice.get)(plan, ctx);
                let label = choice.label_of(plan, &current).unwrap_or_else(|| {
                    if current.is_empty() {
                        t("form.not_set").to_string()
                    } else {
                        current.clone()
                    }
                });
                let style = if current.is_empty() {
                    theme.placeholder()
                } else {
                    theme.normal()
                };
                let line = if focus {
                    Line::from(vec![
                        Span::styled("◀ ", theme.hint_key()),
                        Span::styled(safe(&label), style),
                        Span::styled(" ▶", theme.hint_key()),
                    ])
                } else {
                    Line::styled(safe(&label), style)
                };
                line.render(inner, buf);
            }
            Kind::Check(lens) => {
                let on = lens(plan, ctx).is_some_and(|b| *b);
                let mark = if on { "[x]" } else { "[ ]" };
                Line::from(vec![
                    Span::styled(
                        mark,
                        if focus {
                            theme.focus_label()
                        } else {
                            theme.normal()
                        },
                    ),
                    Span::raw(" "),
                    Span::styled(if on { t("form.yes") } else { t("form.no") }, theme.dim()),
                ])
                .render(inner, buf);
            }
            Kind::Done => {
                let style = if focus {
                    theme.selected()
                } else {
                    theme.normal()
                };
                Line::styled(format!("[ {} ]", t("form.done")), style)
                    .centered()
                    .render(inner, buf);
            }
            Kind::Table(spec) => {
                self.draw_table(spec, plan, ctx, index, inner, buf, theme, focus);
            }
            Kind::Custom(custom) => {
                custom.draw(plan, ctx, inner, buf, theme, focus, self.row(index));
            }
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_table(
        &mut self,
        spec: &TableSpec,
        plan: &mut Plan,
        ctx: Ctx,
        index: usize,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        focus: bool,
    ) {
        let len = (spec.len)(plan, ctx);
        let footer = spec.footer.and_then(|f| f(plan, ctx));
        let rows_h = area.height.saturating_sub(1 + u16::from(footer.is_some())) as usize;
        let total_w: u16 = spec.columns.iter().map(|(_, w)| *w).sum::<u16>().max(1);
        let widths: Vec<Constraint> = spec
            .columns
            .iter()
            .map(|(_, w)| Constraint::Ratio(u32::from(*w), u32::from(total_w)))
            .collect();
        // The view and position label sits at the right of the header row.
        let view_name = if spec.views.is_empty() {
            String::new()
        } else {
            format!("{} · ", t(spec.views[self.view(index) % spec.views.len()]))
        };
        let label = if len > 0 && ((len > rows_h && rows_h > 0) || !view_name.is_empty()) {
            format!(" {view_name}{}/{} ", self.row(index).min(len - 1) + 1, len)
        } else {
            String::new()
        };
        let label_w = (label.width() as u16).min(area.width);
        // Headers sit over their columns (laid out as the rows are), cut
        // where the label begins.
        let label_x = area.x + area.width - label_w;
        let cols = Layout::horizontal(widths.clone())
            .spacing(1)
            .split(Rect::new(area.x, area.y, area.width, 1));
        for (c, (key, _)) in spec.columns.iter().enumerate() {
            let mut cell = cols[c];
            cell.width = cell.width.min(label_x.saturating_sub(cell.x));
            Line::styled(truncate(t(key), cell.width as usize), theme.label()).render(cell, buf);
        }
        if len == 0 {
            Line::styled(t(spec.empty).to_string(), theme.placeholder())
                .render(Rect::new(area.x, area.y + 1, area.width, 1), buf);
        } else {
            let selected = self.row(index).min(len - 1);
            // Keep the selection in the window; only visible rows are drawn.
            let mut top = self.table_top.get(&index).copied().unwrap_or(0);
            if selected < top {
                top = selected;
            }
            if rows_h > 0 && selected >= top + rows_h {
                top = selected + 1 - rows_h;
            }
            top = top.min(len.saturating_sub(rows_h.max(1)));
            self.table_top.insert(index, top);
            let order = spec.order.map(|f| f(plan, ctx, self.view(index)));
            for (i, shown) in (top..len).take(rows_h).enumerate() {
                let row = order
                    .as_ref()
                    .and_then(|o| o.get(shown).copied())
                    .unwrap_or(shown);
                let y = area.y + 1 + i as u16;
                let row_area = Rect::new(area.x, y, area.width, 1);
                let tone = spec.tone.map_or(Tone::Normal, |f| f(plan, ctx, row));
                let style = if shown == selected && focus {
                    theme.selected()
                } else if shown == selected {
                    theme.selected_unfocused()
                } else {
                    match tone {
                        Tone::Normal => theme.normal(),
                        Tone::Warning => theme.warning(),
                        Tone::Error => theme.error(),
                        Tone::Dim => theme.dim(),
                    }
                };
                buf.set_style(row_area, style);
                let cells = Layout::horizontal(widths.clone())
                    .spacing(1)
                    .split(row_area);
                for c in 0..spec.columns.len() {
                    let text = (spec.cell)(plan, ctx, row, c);
                    Line::raw(truncate(&text, cells[c].width as usize)).render(cells[c], buf);
                }
            }
            if label_w > 0 {
                Line::styled(label.clone(), theme.dim()).render(
                    Rect::new(area.x + area.width - label_w, area.y, label_w, 1),
                    buf,
                );
            }
        }
        if let Some((text, warn)) = footer {
            let y = area.y + area.height - 1;
            Line::styled(text, if warn { theme.warning() } else { theme.dim() })
                .render(Rect::new(area.x, y, area.width, 1), buf);
        }
    }
}

/// The value the plan holds for a one-line field, as shown in it (`None`:
/// not set).
fn kept_value(field: &Field, plan: &mut Plan, ctx: Ctx) -> Option<String> {
    let shown = match &field.kind {
        Kind::Text(lens) | Kind::Id(lens) => lens(plan, ctx).map(|s| s.clone()),
        Kind::Number(lens, _) => lens(plan, ctx).and_then(|v| v.get()).map(input_number),
        Kind::Int(lens, _) => lens(plan, ctx).and_then(|v| v.get()).map(|v| v.to_string()),
        Kind::Date(lens) => lens(plan, ctx)
            .and_then(|v| v.get())
            .map(crate::i18n::date::format),
        _ => None,
    };
    shown.filter(|v| !v.is_empty()).map(|v| safe(&v))
}

/// The width of a one-row field's value in a column this wide.
fn value_width(width: u16) -> u16 {
    if stacked(width) {
        width.saturating_sub(3)
    } else {
        width.saturating_sub(label_width(width) + 1)
    }
}

/// The problem of a typed value, `✗ …`, wrapped under the value of a field
/// in a column this wide (at most three lines).
fn problem_lines(error: &str, width: u16) -> Vec<String> {
    let mut lines = wrap(&format!("✗ {error}"), value_width(width).max(1) as usize);
    lines.truncate(3);
    lines
}

/// True when a column is too narrow for label and value side by side.
fn stacked(width: u16) -> bool {
    width < 48
}

/// The width of the label column of one-row fields.
fn label_width(width: u16) -> u16 {
    (width * 2 / 5).clamp(10, 34).min(width.saturating_sub(4))
}

/// Draws a one-line editor; `selected`: its whole text is selected (shown
/// highlighted: the next character typed replaces it).
fn draw_input(
    input: &Input,
    selected: bool,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) -> Position {
    let width = area.width.max(1) as usize;
    let scroll = input.visual_scroll(width.saturating_sub(1));
    let shown = safe(input.value());
    let total = shown.width();
    let text = if selected {
        Line::from(Span::styled(shown, theme.selected()))
    } else {
        Line::raw(shown)
    };
    Paragraph::new(text)
        .style(theme.normal())
        .scroll((0, scroll as u16))
        .render(area, buf);
    // Marks at the edges where the text goes on past the box.
    if width > 2 {
        if scroll > 0
            && let Some(cell) = buf.cell_mut(Position::new(area.x, area.y))
        {
            cell.set_symbol(MORE_LEFT).set_style(theme.hint_key());
        }
        if total > scroll + width
            && let Some(cell) = buf.cell_mut(Position::new(area.right() - 1, area.y))
        {
            cell.set_symbol(MORE_RIGHT).set_style(theme.hint_key());
        }
    }
    let x = (input.visual_cursor().saturating_sub(scroll)) as u16;
    Position::new(area.x + x.min(area.width.saturating_sub(1)), area.y)
}

/// The mark at the left edge of a one-line field scrolled past its start.
pub const MORE_LEFT: &str = "‹";
/// The mark at the right edge of a one-line field whose text goes on.
pub const MORE_RIGHT: &str = "›";

fn draw_value(value: &str, empty: &str, area: Rect, buf: &mut Buffer, theme: &Theme) {
    if value.is_empty() {
        Line::styled(empty.to_string(), theme.placeholder()).render(area, buf);
    } else {
        Line::raw(truncate(value, area.width as usize)).render(area, buf);
    }
}

fn unit_label(unit: NumUnit, currency: &str) -> String {
    match unit {
        NumUnit::Plain | NumUnit::Kpi => String::new(),
        NumUnit::Currency => {
            if currency.is_empty() {
                t("form.unit_money").to_string()
            } else {
                currency.to_string()
            }
        }
        NumUnit::Percent | NumUnit::Rate | NumUnit::Growth | NumUnit::PercentFigure => {
            t("form.unit_rate").to_string()
        }
        NumUnit::Months => t("form.unit_months").to_string(),
        NumUnit::Factor => "×".to_string(),
    }
}

/// A number for reading on screen (tables, totals, summaries): no needless
/// `.0`, the marks of the language in force (`12500.75`, `12.500,75`).
pub fn format_number(v: f64) -> String {
    crate::i18n::number::format(v, 2, crate::i18n::number::Use::Screen)
}

/// A number as a person would type it: no needless `.0`, no grouping, the
/// language's decimal mark (`12500,75` in Spanish); it reads back unchanged.
pub fn input_number(v: f64) -> String {
    crate::i18n::number::format(v, 2, crate::i18n::number::Use::Input)
}

/// Parses a typed plain figure as the language in force writes it (see
/// `i18n::number::read_in`: `60,000` is sixty thousand in English, `6,7`
/// is refused there with how to type it); empty means "not set".
pub fn parse_number(text: &str) -> Result<Option<f64>, String> {
    crate::i18n::number::parse(text).map_err(|e| e.message())
}

/// Parses a typed figure of `unit` into what the plan keeps (a rate typed
/// `2 %` is `0.02`), refusing what the unit cannot hold; empty means "not
/// set".
pub fn parse_in_unit(unit: NumUnit, text: &str) -> Result<Option<f64>, String> {
    let v = crate::i18n::number::read(text, unit.read()).map_err(|e| e.message())?;
    match v.and_then(|v| unit.refusal(v)) {
        Some(refused) => Err(refused),
        None => Ok(v),
    }
}

/// Parses a typed KPI figure in the KPI's unit: a percent KPI takes `1.5`,
/// `1.5 %` and `1.5%` alike (kept as `1.5`, as the file keeps it); any
/// other unit refuses a `%`. Empty means "not set".
pub fn parse_kpi_value(text: &str, unit: Option<crate::plan::Unit>) -> Result<Option<f64>, String> {
    let how = if unit == Some(crate::plan::Unit::Percent) {
        Read::Percent
    } else {
        Read::Plain
    };
    crate::i18n::number::read(text, how).map_err(|e| e.message())
}

/// Parses a typed whole number (thousands marks as the language writes
/// them: `1,200` in English, `1.200` in Spanish); empty means "not set".
pub fn parse_int(text: &str) -> Result<Option<u64>, String> {
    let Some(v) = crate::i18n::number::parse(text).map_err(|e| e.message())? else {
        return Ok(None);
    };
    if v < 0.0 || v.fract() != 0.0 {
        return Err(tf("form.bad_int", &[("text", &text.trim())]));
    }
    // At most 10^15 (the parser's bound), so the cast is exact.
    Ok(Some(v as u64))
}

/// The warning beside a number field whose kept value is rarely meant.
fn number_warning(field: &Field, plan: &mut Plan, ctx: Ctx) -> Option<String> {
    match &field.kind {
        Kind::Number(lens, unit) => {
            let unit = unit.resolve(plan, ctx);
            lens(plan, ctx)
                .and_then(|v| v.get())
                .and_then(|v| unit.warning(v))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::i18n::{Lang, with_lang};

    #[test]
    fn numbers_parse_as_english_writes_them() {
        with_lang(Lang::En, || {
            assert_eq!(parse_number("1234.5"), Ok(Some(1234.5)));
            assert_eq!(parse_number("60,000"), Ok(Some(60000.0)));
            assert_eq!(parse_number("1,234.5"), Ok(Some(1234.5)));
            assert_eq!(parse_number(" 10 000 "), Ok(Some(10000.0)));
            assert_eq!(parse_number(""), Ok(None));
            let e = parse_number("1234,5").unwrap_err();
            assert!(e.contains("1234.5"), "{e}");
            assert!(parse_number("12a").is_err());
            assert!(parse_number("inf").is_err());
            assert!(parse_number("NaN").is_err());
        });
    }

    #[test]
    fn whole_numbers_refuse_fractions_and_take_thousands_marks() {
        with_lang(Lang::En, || {
            assert_eq!(parse_int("14"), Ok(Some(14)));
            assert_eq!(parse_int("1,200"), Ok(Some(1200)));
            assert!(parse_int("1.5").is_err());
            assert!(parse_int("-3").is_err());
            assert!(parse_int("9223372036854775807").is_err());
        });
        with_lang(Lang::Es, || assert_eq!(parse_int("1.200"), Ok(Some(1200))));
    }

    #[test]
    fn rates_and_shares_are_typed_as_percentages() {
        with_lang(Lang::En, || {
            for text in ["2", "2 %", "2%"] {
                assert_eq!(
                    parse_in_unit(NumUnit::Growth, text),
                    Ok(Some(0.02)),
                    "{text}"
                );
                assert_eq!(parse_in_unit(NumUnit::Rate, text), Ok(Some(0.02)), "{text}");
                assert_eq!(
                    parse_in_unit(NumUnit::Percent, text),
                    Ok(Some(2.0)),
                    "{text}"
                );
            }
            assert_eq!(parse_in_unit(NumUnit::Growth, "-5"), Ok(Some(-0.05)));
            assert!(parse_in_unit(NumUnit::Growth, "-100").is_err());
            assert!(parse_in_unit(NumUnit::Growth, "1001").is_err());
            assert!(parse_in_unit(NumUnit::Rate, "150").is_err());
            assert!(parse_in_unit(NumUnit::Rate, "0").is_err());
            assert!(parse_in_unit(NumUnit::Percent, "101").is_err());
            assert!(parse_in_unit(NumUnit::Factor, "-1").is_err());
            assert!(parse_in_unit(NumUnit::Currency, "2 %").is_err());
            assert_eq!(NumUnit::Growth.shown(0.015), "1.5");
            assert_eq!(NumUnit::Rate.shown(0.07), "7");
            assert_eq!(NumUnit::Percent.shown(60.0), "60");
            assert!(NumUnit::Growth.warning(1.5).is_some());
            assert!(NumUnit::Growth.warning(0.5).is_none());
            assert!(NumUnit::Factor.warning(12.0).is_some());
            assert!(NumUnit::Factor.warning(1.2).is_none());
        });
    }
}
