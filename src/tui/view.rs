//! Drawing: the start screen, and the step screen with its header, step list,
//! form, guidance panel, key-hint bar, popups and the help overlay.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::i18n::{t, tf};
use crate::metrics::StepState;
use crate::plan::Severity;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;

use super::app::{App, Focus, Popup, Screen, Session, table_row_form};
use super::help;
use super::mouse::{Hits, plain};
use super::steps::Step;
use super::text::{safe, truncate, wrap};
use super::theme::Theme;

/// Below this size only a "too small" message is drawn.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn draw(app: &mut App, frame: &mut Frame) {
    draw_screen(app, frame);
    let theme = app.theme;
    let area = frame.area();
    theme.finish(area, frame.buffer_mut());
}

fn draw_screen(app: &mut App, frame: &mut Frame) {
    let area = frame.area();
    let theme = app.theme;
    // What this frame draws where, for the mouse (mouse.rs).
    let mut hits = Hits::default();
    app.hits = Hits::default();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = tf(
            "ui.too_small",
            &[
                ("w", &area.width),
                ("h", &area.height),
                ("min_w", &MIN_WIDTH),
                ("min_h", &MIN_HEIGHT),
            ],
        );
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .style(theme.warning())
            .render(area, frame.buffer_mut());
        return;
    }
    let [body, hint_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let hints = help::hints(app);
    let takes_text = help::takes_text(app);
    let message = app.message.clone();
    let today = app.today;
    // The header names the problems key in force (F2 unless rebound).
    let problems_key = app.keymap.first(crate::keymap::Action::Problems);
    let guide_key = app.keymap.first(crate::keymap::Action::Guide);
    let mut cursor = match &mut app.screen {
        Screen::Start(start) => {
            super::start::draw(start, body, frame.buffer_mut(), &theme, &mut hits)
        }
        Screen::Plan(session) => draw_session(
            session,
            body,
            frame.buffer_mut(),
            &theme,
            today,
            (problems_key.as_deref(), guide_key.as_deref()),
            &mut hits,
        ),
    };
    draw_hints(
        &hints,
        message.as_ref(),
        hint_area,
        frame.buffer_mut(),
        &theme,
        (takes_text, &mut hits),
    );
    app.hits = hits;
    if app.help {
        app.help_scroll = help::draw(app, area, frame.buffer_mut(), &theme);
        cursor = None;
    }
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
}

/// The hint bar: the keys of the place, each one a button for its key
/// (mouse.rs), except typing keys where typing goes into a field.
fn draw_hints(
    hints: &[(String, String)],
    message: Option<&(bool, String)>,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    (takes_text, hits): (bool, &mut Hits),
) {
    if let Some((error, text)) = message {
        let style = if *error { theme.error() } else { theme.ok() };
        Line::styled(truncate(text, area.width as usize), style).render(area, buf);
        return;
    }
    let mut spans = Vec::new();
    let mut width = 0;
    for (key, what) in hints {
        let w = key.width() + what.width() + 3;
        if width + w > area.width as usize {
            break;
        }
        spans.push(Span::styled(key.clone(), theme.hint_key()));
        spans.push(Span::styled(format!(" {what}  "), theme.dim()));
        if let Some(k) = hint_key(key)
            && !(takes_text && crate::keymap::Key::of(&k).is_typing())
        {
            let rect = Rect::new(area.x + width as u16, area.y, (w - 2) as u16, 1);
            hits.key(rect, k);
        }
        width += w;
    }
    Line::from(spans).render(area, buf);
}

/// The key a hint's label names (`Ctrl-S`, `F2`, `Enter`, the first of
/// `y/Enter`); none for labels such as `↑↓` or `1…9 0`.
fn hint_key(label: &str) -> Option<KeyEvent> {
    let first = label.split('/').next()?;
    let key = crate::keymap::Key::parse(first)?;
    Some(KeyEvent::new(key.code, key.mods))
}

/// A rectangle of at most `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The frame of a popup that takes the keyboard (a list, a form, the help):
/// the focused border, `title` on top and its `keys` in the bottom border.
/// Clears `rect`; returns the inside.
pub fn keyed_popup_frame(
    rect: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    title: &str,
    keys: &str,
) -> Rect {
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border())
        .title(Line::styled(format!(" {title} "), theme.title()))
        .title_bottom(Line::styled(format!(" {keys} "), theme.dim()));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// Clears `rect` and draws a popup's bordered frame with its title; returns
/// the inside.
pub fn popup_frame(
    rect: Rect,
    buf: &mut Buffer,
    title: &str,
    border: ratatui::style::Style,
    title_style: ratatui::style::Style,
) -> Rect {
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Line::styled(format!(" {title} "), title_style));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// Writes a popup's contents from the top down: word-wrapped text, and rows
/// of choices, each one a button for its key (recorded for the mouse).
pub struct Flow<'a> {
    area: Rect,
    y: u16,
    buf: &'a mut Buffer,
    hits: &'a mut Hits,
}

impl<'a> Flow<'a> {
    pub fn new(area: Rect, buf: &'a mut Buffer, hits: &'a mut Hits) -> Flow<'a> {
        Flow {
            area,
            y: area.y,
            buf,
            hits,
        }
    }

    fn room(&self) -> bool {
        self.y < self.area.bottom()
    }

    /// Text wrapped at words to the width.
    pub fn text(&mut self, text: &str, style: Style) {
        for l in wrap(text, self.area.width as usize) {
            self.line(Line::styled(l, style));
        }
    }

    /// One line as it is (cut at the edge).
    pub fn line(&mut self, line: Line) {
        if self.room() {
            let row = Rect::new(self.area.x, self.y, self.area.width, 1);
            line.render(row, self.buf);
        }
        self.y += 1;
    }

    /// Choices side by side with ` · ` between them (the next row when one
    /// does not fit); a click on one presses its key.
    pub fn choices(&mut self, choices: &[(&str, KeyEvent)], style: Style) {
        let width = self.area.width;
        let mut x = 0u16;
        for (label, key) in choices {
            let w = (label.width() as u16).min(width);
            if x > 0 && x + 3 + w > width {
                self.y += 1;
                x = 0;
            }
            if !self.room() {
                return;
            }
            if x > 0 {
                Span::styled(" · ", style)
                    .render(Rect::new(self.area.x + x, self.y, 3, 1), self.buf);
                x += 3;
            }
            let rect = Rect::new(self.area.x + x, self.y, w, 1);
            Span::styled(truncate(label, w as usize), style).render(rect, self.buf);
            self.hits.key(rect, *key);
            x += w;
        }
        self.y += 1;
    }
}

/// A key with a letter, as a popup's choice names it.
fn letter(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// The letter that answers "yes" in the language in force: `y` in English,
/// `s` (sí) in Spanish. Every yes/no question shows this one.
pub fn yes_key() -> char {
    t("ui.yes_key").chars().next().unwrap_or('y')
}

/// Whether `key` answers "yes" to a yes/no question: `Enter`, the
/// language's yes letter ([`yes_key`]) or, in any language, `y` (so a hand
/// used to English is never refused), either case, without Ctrl or Alt.
pub fn is_yes(key: &KeyEvent) -> bool {
    use ratatui::crossterm::event::KeyModifiers;
    match key.code {
        KeyCode::Enter => true,
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            let c = c.to_ascii_lowercase();
            c == 'y' || c == yes_key()
        }
        _ => false,
    }
}

/// The confirm-delete choices (a table row here, a plan on the start screen).
pub fn yes_no() -> [(&'static str, KeyEvent); 2] {
    [
        (t("ui.confirm_yes"), letter(yes_key())),
        (t("ui.confirm_no"), plain(KeyCode::Esc)),
    ]
}

fn draw_session(
    s: &mut Session,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    today: crate::plan::Date,
    (problems_key, guide_key): (Option<&str>, Option<&str>),
    hits: &mut Hits,
) -> Option<Position> {
    let [header, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    draw_header(s, header, buf, theme, problems_key);

    let compact = body.width < 90;
    let list_w = if compact { 7 } else { 26 };
    let [list_area, main] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(10)]).areas(body);
    let (main, guide_area, guide_line) = match guide_place(s.show_guide, main) {
        GuidePlace::Side => {
            let [m, g] = Layout::horizontal([Constraint::Min(10), Constraint::Length(GUIDE_WIDTH)])
                .areas(main);
            (m, Some(g), None)
        }
        GuidePlace::Bottom => {
            let [m, g] =
                Layout::vertical([Constraint::Min(5), Constraint::Length(GUIDE_ROWS)]).areas(main);
            (m, Some(g), None)
        }
        GuidePlace::Line => {
            let [m, l] = Layout::vertical([Constraint::Min(5), Constraint::Length(1)]).areas(main);
            (m, None, Some(l))
        }
        GuidePlace::Nowhere => (main, None, None),
    };

    let derived = super::derived(s, today);
    draw_step_list(s, &derived.steps, compact, list_area, buf, theme);
    hits.steps = list_area;

    let title = format!(
        " {} · {} ",
        tf("ui.step_n", &[("n", &(s.step.index() + 1))]),
        t(&format!("{}.title", s.step.key()))
    );
    let focused = s.focus == Focus::Form && s.popup.is_none();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.focus_border()
        } else {
            theme.border()
        })
        .title(Line::styled(title, theme.title()));
    let inner = block.inner(main);
    block.render(main, buf);

    let currency = s.file.plan.plan.currency.clone();
    let form = s.form();
    let step = s.step;
    let state = s.forms.entry(step).or_default();
    let mut cursor = state.render(
        &form,
        &mut s.file.plan,
        inner,
        buf,
        theme,
        focused,
        &currency,
    );
    if let Some(g) = guide_area {
        draw_guide(s, g, buf, theme);
    }
    if let Some(l) = guide_line {
        draw_guide_line(s, l, buf, theme, guide_key);
    }
    if let Some(review) = &s.review {
        cursor = super::review::draw(s, review, body, buf, theme, hits);
    }
    if s.popup.is_some() {
        // Only the popup is clicked while it shows.
        hits.spots.clear();
        cursor = draw_popup(s, body, buf, theme, &currency, hits);
    }
    cursor
}

fn draw_header(
    s: &Session,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    problems_key: Option<&str>,
) {
    buf.set_style(area, theme.header());
    let plan = &s.file.plan.plan;
    let mut parts = vec![format!(" rumbo · {}", safe(&plan.name))];
    if !plan.company.is_empty() {
        parts.push(safe(&plan.company));
    }
    if let Some(stage) = plan.stage {
        parts.push(t(&format!("stage.{}", stage.key())).to_string());
    }
    let left = parts.join(" · ");
    let mut right = if s.write_protected {
        format!("🔒 {}", t("ui.read_only_file"))
    } else if s.read_only {
        format!("🔒 {}", t("ui.read_only"))
    } else if s.dirty {
        format!("● {}", t("ui.unsaved"))
    } else {
        format!("✓ {}", t("ui.saved"))
    };
    let errors = s.error_count();
    let warnings = s.problems.len() - errors;
    if errors + warnings > 0 {
        right = format!(
            "⚠ {} · {right} ",
            tf(
                "ui.problems",
                &[
                    (
                        "errors",
                        &crate::i18n::tn("ui.errors", errors as u64, &[("n", &errors)])
                    ),
                    (
                        "warnings",
                        &crate::i18n::tn("ui.warnings", warnings as u64, &[("n", &warnings)])
                    ),
                    (
                        "key",
                        &problems_key.map(|k| format!(" ({k})")).unwrap_or_default()
                    )
                ]
            )
        );
    } else {
        right.push(' ');
    }
    let rw = right.width() as u16;
    let lw = area.width.saturating_sub(rw + 1);
    Line::styled(truncate(&left, lw as usize), theme.header())
        .render(Rect::new(area.x, area.y, lw, 1), buf);
    Line::styled(right, theme.header()).render(
        Rect::new(
            area.x + area.width.saturating_sub(rw),
            area.y,
            rw.min(area.width),
            1,
        ),
        buf,
    );
}

fn draw_step_list(
    s: &Session,
    states: &[crate::metrics::StepCompleteness; 10],
    compact: bool,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let focused = s.focus == Focus::Steps && s.popup.is_none();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.focus_border()
        } else {
            theme.border()
        })
        .title(Line::styled(
            if compact {
                String::new()
            } else {
                format!(" {} ", t("ui.steps"))
            },
            theme.title(),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    for (i, step) in Step::ALL.iter().enumerate() {
        if i as u16 >= inner.height {
            break;
        }
        let mark = match states[i].state() {
            StepState::Complete => "●",
            StepState::Partial => "◐",
            StepState::Empty => "○",
        };
        let text = if compact {
            format!("{:>2} {mark}", i + 1)
        } else {
            format!(
                "{:>2} {mark} {}",
                i + 1,
                truncate(
                    t(&format!("{}.short", step.key())),
                    inner.width.saturating_sub(6) as usize
                )
            )
        };
        // The cursor is the one selected row; the open step stays marked
        // apart from it, so Enter's target is never ambiguous.
        let style = if focused && i == s.list_cursor {
            theme.selected()
        } else if *step == s.step && focused {
            theme.selected_unfocused()
        } else if *step == s.step {
            theme.focus_label()
        } else {
            theme.normal()
        };
        Line::styled(text, style)
            .render(Rect::new(inner.x, inner.y + i as u16, inner.width, 1), buf);
    }
    let done = states
        .iter()
        .filter(|c| c.state() == StepState::Complete)
        .count();
    if !compact && inner.height > 11 {
        Line::styled(tf("ui.steps_done", &[("n", &done)]), theme.dim())
            .render(Rect::new(inner.x, inner.y + 11, inner.width, 1), buf);
    }
}

/// The guidance panel's width beside the content.
pub const GUIDE_WIDTH: u16 = 36;
/// The guidance panel's height under the content.
pub const GUIDE_ROWS: u16 = 6;
/// The content (a step's form, its tables) keeps at least this many columns
/// beside a side panel: below that, long names would be cut to make room
/// for prose.
pub const CONTENT_MIN_WIDTH: u16 = 90;
/// The content keeps at least this many rows (inside its frame) under a
/// guidance panel or line.
pub const CONTENT_MIN_ROWS: u16 = 12;

/// Where the guidance goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuidePlace {
    /// The full panel beside the content.
    Side,
    /// The full panel under the content.
    Bottom,
    /// Folded into one line under the content (F3 brings the panel back).
    Line,
    /// No room even for the line.
    Nowhere,
}

/// Where the guidance goes in `main` (the room right of the step list):
/// the content comes first. The full panel (while `shown`, F3) goes beside
/// the content when the content keeps [`CONTENT_MIN_WIDTH`] columns, else
/// under it when the content keeps [`CONTENT_MIN_ROWS`] rows; otherwise, or
/// when hidden with F3, it folds into a one-line hint, when the content
/// keeps its rows with it.
pub fn guide_place(shown: bool, main: Rect) -> GuidePlace {
    // The content's frame takes two rows.
    let rows_left = |taken: u16| main.height.saturating_sub(taken + 2);
    if shown && main.width >= CONTENT_MIN_WIDTH + GUIDE_WIDTH {
        GuidePlace::Side
    } else if shown && rows_left(GUIDE_ROWS) >= CONTENT_MIN_ROWS {
        GuidePlace::Bottom
    } else if rows_left(1) >= CONTENT_MIN_ROWS {
        GuidePlace::Line
    } else {
        GuidePlace::Nowhere
    }
}

/// The guidance folded into one line: the focused field's hint (else the
/// step's guidance) cut to the line, and the key that shows it in full.
fn draw_guide_line(s: &Session, area: Rect, buf: &mut Buffer, theme: &Theme, key: Option<&str>) {
    let field_hint = if s.focus == Focus::Form {
        s.focused_field(|f| f.hint()).flatten()
    } else {
        None
    };
    let text = field_hint.unwrap_or_else(|| t(&format!("{}.guide", s.step.key())));
    let more = key
        .map(|k| format!(" {} ", tf("ui.guide_folded", &[("key", &k)])))
        .unwrap_or_default();
    let more_w = (more.width() as u16).min(area.width);
    let text_w = area
        .width
        .saturating_sub(more_w + t("ui.guide").width() as u16 + 3);
    Line::from(vec![
        Span::styled(format!("{}: ", t("ui.guide")), theme.label()),
        Span::styled(truncate(text, text_w as usize), theme.dim()),
    ])
    .render(Rect::new(area.x, area.y, area.width - more_w, 1), buf);
    Line::styled(more, theme.hint_key()).render(
        Rect::new(area.x + area.width - more_w, area.y, more_w, 1),
        buf,
    );
}

fn draw_guide(s: &Session, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(format!(" {} ", t("ui.guide")), theme.title()));
    let inner = block.inner(area);
    block.render(area, buf);
    let stage = s.file.plan.plan.stage.map_or("pre_revenue", |st| st.key());
    let mut text = Text::default();
    let field_hint = if s.focus == Focus::Form {
        s.focused_field(|f| f.hint()).flatten()
    } else {
        None
    };
    if let Some(hint) = field_hint {
        text.push_line(Line::styled(hint.to_string(), theme.normal()));
        text.push_line(Line::raw(""));
    }
    text.push_line(Line::styled(
        t(&format!("{}.guide", s.step.key())).to_string(),
        theme.dim(),
    ));
    let stage_key = format!("{}.guide_{stage}", s.step.key());
    if crate::i18n::has(&stage_key) {
        text.push_line(Line::raw(""));
        text.push_line(Line::styled(t(&stage_key).to_string(), theme.dim()));
    }
    Paragraph::new(text)
        .wrap(Wrap { trim: true })
        .render(inner, buf);
}

fn draw_popup(
    s: &mut Session,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    currency: &str,
    hits: &mut Hits,
) -> Option<Position> {
    let popup = s.popup.take()?;
    let mut cursor = None;
    let popup = match popup {
        Popup::Row {
            field,
            ctx,
            mut state,
            snapshot,
        } => {
            if let Some(form) = table_row_form(s, field, ctx) {
                let form_of_step = s.form();
                let spec = form_of_step.field(field);
                let label = spec.map(|f| t(&format!("{}.label", f.key))).unwrap_or("");
                // The row is named by its first cell (the KPI, the persona…);
                // by its number while that is empty.
                let name = spec
                    .and_then(|f| match &f.kind {
                        crate::tui::form::Kind::Table(table)
                            if (table.len)(s.plan(), ctx) > ctx.row =>
                        {
                            Some((table.cell)(s.plan(), ctx, ctx.row, 0))
                        }
                        _ => None,
                    })
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .unwrap_or_else(|| tf("ui.row_n", &[("n", &(ctx.row + 1))]));
                let rect = centered(
                    area,
                    area.width.saturating_sub(8).min(90),
                    area.height.saturating_sub(2),
                );
                hits.popup = rect;
                let title = format!("{} · {}", label, truncate(&name, 48));
                let inner = keyed_popup_frame(rect, buf, theme, &title, t("ui.popup_keys"));
                cursor = state.render(&form, &mut s.file.plan, inner, buf, theme, true, currency);
            }
            Popup::Row {
                field,
                ctx,
                state,
                snapshot,
            }
        }
        Popup::DiscardRow(row_popup) => {
            // The row as typed, under the question.
            s.popup = Some(*row_popup);
            draw_popup(s, area, buf, theme, currency, hits);
            let row_popup = s.popup.take().expect("drawn and put back");
            let what = match &row_popup {
                Popup::Row { field, ctx, .. } => super::app::row_words(s, *field, *ctx).0,
                _ => String::new(),
            };
            let rect = centered(area, 56, 7);
            hits.popup = rect;
            let inner = popup_frame(
                rect,
                buf,
                t("ui.discard_title"),
                theme.warning(),
                theme.warning(),
            );
            let mut flow = Flow::new(inner, buf, hits);
            flow.text(&tf("ui.discard_text", &[("row", &what)]), Style::default());
            flow.line(Line::raw(""));
            flow.choices(
                &[
                    (t("ui.discard_keep"), letter(yes_key())),
                    (t("ui.discard_drop"), letter('n')),
                    (t("ui.discard_back"), plain(KeyCode::Esc)),
                ],
                Style::default(),
            );
            Popup::DiscardRow(Box::new(row_popup))
        }
        Popup::ConfirmDelete { field, row } => {
            let rect = centered(area, 56, 5);
            hits.popup = rect;
            let inner = popup_frame(
                rect,
                buf,
                t("ui.confirm_title"),
                theme.error(),
                theme.error(),
            );
            let mut flow = Flow::new(inner, buf, hits);
            flow.text(
                &tf("ui.confirm_delete", &[("n", &(row + 1))]),
                Style::default(),
            );
            flow.choices(&yes_no(), theme.dim());
            Popup::ConfirmDelete { field, row }
        }
        Popup::Conflict {
            quitting,
            conflicts,
            unreadable,
        } => {
            // Up to this many conflicting values are listed, two lines each.
            const LISTED: usize = 4;
            let listed = conflicts.len().min(LISTED);
            let more = usize::from(conflicts.len() > LISTED);
            let extra = match &unreadable {
                Some(error) => 2 + wrap(error.lines().next().unwrap_or_default(), 72).len() as u16,
                None if listed > 0 => 1 + 2 * listed as u16 + more as u16,
                None => 0,
            };
            let rect = centered(area, 76, 11 + extra);
            hits.popup = rect;
            let inner = popup_frame(
                rect,
                buf,
                t("ui.conflict_title"),
                theme.error(),
                theme.error(),
            );
            let mut flow = Flow::new(inner, buf, hits);
            let path = s.file.path.display();
            match &unreadable {
                Some(error) => {
                    flow.text(
                        &tf("ui.conflict_unreadable", &[("path", &path)]),
                        Style::default(),
                    );
                    flow.line(Line::raw(""));
                    // The located headline (the file's lines are not shown).
                    let headline = error.lines().next().unwrap_or_default();
                    flow.text(&crate::store::diag::visible(headline), theme.error());
                }
                None if conflicts.is_empty() => flow.text(
                    &tf("ui.conflict_text", &[("path", &path)]),
                    Style::default(),
                ),
                None => {
                    flow.text(
                        &crate::i18n::tn(
                            "ui.conflict_fields",
                            conflicts.len() as u64,
                            &[("path", &path), ("n", &conflicts.len())],
                        ),
                        Style::default(),
                    );
                    for c in conflicts.iter().take(LISTED) {
                        let shown = |v: Option<&serde_json::Value>| {
                            crate::store::diag::visible(
                                &crate::store::merge::show(v)
                                    .unwrap_or_else(|| t("ui.conflict_removed").to_string()),
                            )
                        };
                        flow.line(Line::styled(
                            format!("• {}", crate::store::diag::visible(&c.path)),
                            theme.title(),
                        ));
                        flow.line(Line::raw(format!(
                            "  {}: {}  ·  {}: {}",
                            t("ui.conflict_mine"),
                            shown(c.mine.as_ref()),
                            t("ui.conflict_theirs"),
                            shown(c.theirs.as_ref()),
                        )));
                    }
                    if more > 0 {
                        flow.line(Line::styled(
                            tf("ui.conflict_more", &[("n", &(conflicts.len() - LISTED))]),
                            theme.dim(),
                        ));
                    }
                }
            }
            flow.line(Line::raw(""));
            let keep = if unreadable.is_some() {
                "ui.conflict_keep_unreadable"
            } else if conflicts.is_empty() {
                "ui.conflict_keep"
            } else {
                "ui.conflict_keep_fields"
            };
            for (key, c) in [
                (keep, 'k'),
                ("ui.conflict_reload", 'r'),
                ("ui.conflict_save_as", 'a'),
            ] {
                flow.choices(&[(t(key), letter(c))], Style::default());
            }
            flow.choices(
                &[(t("ui.conflict_cancel"), plain(KeyCode::Esc))],
                theme.dim(),
            );
            Popup::Conflict {
                quitting,
                conflicts,
                unreadable,
            }
        }
        Popup::QuitFailed { error } => {
            let rect = centered(area, 70, 9);
            hits.popup = rect;
            let inner = popup_frame(
                rect,
                buf,
                t("ui.quit_failed_title"),
                theme.error(),
                theme.error(),
            );
            let mut flow = Flow::new(inner, buf, hits);
            flow.text(&error, theme.error());
            flow.line(Line::raw(""));
            flow.choices(
                &[
                    (t("ui.quit_failed_retry"), letter('r')),
                    (t("ui.quit_failed_discard"), letter('d')),
                    (t("ui.quit_failed_back"), plain(KeyCode::Esc)),
                ],
                Style::default(),
            );
            Popup::QuitFailed { error }
        }
        Popup::Recovery(mut rec) => {
            rec.refresh(s);
            let rect = centered(area, 80, 20);
            hits.popup = rect;
            let inner = popup_frame(
                rect,
                buf,
                t("ui.recovery_title"),
                theme.warning(),
                theme.warning(),
            );
            let written = rec.rec.written_at.to_zoned(jiff::tz::TimeZone::system());
            let when = format!(
                "{} {}",
                crate::i18n::date::format(crate::plan::Date(written.date())),
                written.strftime("%H:%M")
            );
            let mut flow = Flow::new(inner, buf, hits);
            flow.text(
                &tf("ui.recovery_text", &[("when", &when)]),
                Style::default(),
            );
            flow.line(Line::raw(""));
            match &rec.parsed {
                Ok(_) if rec.diffs.is_empty() => flow.text(t("ui.recovery_same"), theme.dim()),
                Ok(_) => {
                    flow.text(t("ui.recovery_differs"), theme.label());
                    for d in &rec.diffs {
                        flow.text(&format!("• {d}"), Style::default());
                    }
                }
                Err(_) => flow.text(t("ui.recovery_unreadable"), theme.error()),
            }
            if rec.file_changed {
                flow.text(t("ui.recovery_file_changed"), theme.warning());
            }
            flow.line(Line::raw(""));
            flow.choices(
                &[
                    (t("ui.recovery_recover"), letter('r')),
                    (t("ui.recovery_discard"), letter('d')),
                    (t("ui.recovery_save"), letter('s')),
                ],
                Style::default(),
            );
            Popup::Recovery(rec)
        }
        Popup::EditorError { error, request } => {
            let rect = centered(
                area,
                area.width.saturating_sub(6).min(90),
                area.height.saturating_sub(4).min(16),
            );
            hits.popup = rect;
            let inner = popup_frame(
                rect,
                buf,
                t("editor.error_title"),
                theme.error(),
                theme.error(),
            );
            let mut flow = Flow::new(inner, buf, hits);
            flow.text(t("editor.error_text"), Style::default());
            flow.line(Line::raw(""));
            // As it is, not wrapped: the caret under the line must line up.
            for l in error.lines() {
                flow.line(Line::styled(safe(l), theme.error()));
            }
            flow.line(Line::raw(""));
            flow.choices(
                &[
                    (t("editor.error_again"), letter('e')),
                    (t("editor.error_discard"), letter('d')),
                ],
                Style::default(),
            );
            Popup::EditorError { error, request }
        }
        Popup::Export => {
            let rect = centered(area, 60, 9);
            hits.popup = rect;
            let inner = popup_frame(
                rect,
                buf,
                t("ui.export_title"),
                theme.focus_border(),
                theme.title(),
            );
            let stem = s.file.path.with_extension("");
            let mut flow = Flow::new(inner, buf, hits);
            flow.text(
                &tf("ui.export_where", &[("path", &stem.display())]),
                Style::default(),
            );
            flow.line(Line::raw(""));
            // One format a line; a click on one exports it, as its key does.
            for (key, c) in [
                ("ui.export_md", 'm'),
                ("ui.export_html", 'h'),
                ("ui.export_json", 'j'),
                ("ui.export_csv", 'c'),
            ] {
                flow.choices(&[(t(key), letter(c))], Style::default());
            }
            Popup::Export
        }
        Popup::Padre(view) => {
            view.draw(&s.file.plan, s.today, area, buf, theme, hits);
            Popup::Padre(view)
        }
        Popup::Catalogue(picker) => {
            cursor = picker.draw(area, buf, theme, hits);
            Popup::Catalogue(picker)
        }
        Popup::Search => {
            cursor = super::search::draw(s, area, buf, theme, hits);
            Popup::Search
        }
        Popup::Problems { scroll } => {
            let rect = centered(
                area,
                area.width.saturating_sub(6),
                area.height.saturating_sub(2),
            );
            hits.popup = rect;
            let inner =
                keyed_popup_frame(rect, buf, theme, t("ui.problems_title"), t("ui.close_keys"));
            let mut lines = Vec::new();
            if s.problems.is_empty() {
                lines.push(Line::styled(t("ui.no_problems").to_string(), theme.ok()));
            }
            for p in &s.problems {
                let style = match p.severity {
                    Severity::Error => theme.error(),
                    Severity::Warning => theme.warning(),
                };
                for (i, l) in wrap(&p.headline(), inner.width as usize)
                    .into_iter()
                    .enumerate()
                {
                    lines.push(Line::styled(
                        if i == 0 { l } else { format!("  {l}") },
                        style,
                    ));
                }
            }
            let max = (lines.len() as u16).saturating_sub(inner.height);
            let scroll = scroll.min(max);
            Paragraph::new(lines).scroll((scroll, 0)).render(inner, buf);
            Popup::Problems { scroll }
        }
    };
    s.popup = Some(popup);
    cursor
}
