//! The start screen: your plans at a glance (stage, last review, steps
//! complete, KPI statuses), a new plan (empty or from the example), a plan
//! opened by path, the weekly review of a plan, and deleting a plan (to the
//! trash folder of the data directory, never unlinked).
//!
//! Each plan file is read once, when the screen opens; one that cannot be
//! read or is gone shows a short note instead of figures.

use std::path::{Path, PathBuf};

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
use tui_input::{Input, InputRequest};
use unicode_width::UnicodeWidthStr;

use crate::i18n::number::{Use, integer};
use crate::i18n::{t, tf};
use crate::plan::{Date, Stage};
use crate::store;
use crate::summary::PlanSummary;

use super::mouse::{Hits, plain};
use super::text::{safe, truncate};
use super::theme::Theme;
use super::view::{Flow, centered, popup_frame, yes_no};

/// What the start screen knows of a plan, read when it opened.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanInfo {
    pub title: String,
    pub stage: Option<Stage>,
    pub reviewed: Option<Date>,
    pub complete_steps: usize,
    pub summary: crate::metrics::Summary,
}

/// Why a plan shows no figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    Unreadable,
    Missing,
    /// Not read yet: plans are read when the screen is first shown (not
    /// when rumbo opens a plan straight away).
    Pending,
}

/// A line of the start screen's list.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Plan {
        name: String,
        path: PathBuf,
        detail: Result<PlanInfo, Note>,
    },
    New,
    Example,
    OpenPath,
    Quit,
}

/// What the start screen asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartAction {
    None,
    Open(PathBuf),
    /// Open the plan and start its weekly review.
    Review(PathBuf),
    Create {
        name: String,
        example: bool,
    },
    OpenExample,
    Quit,
}

/// Typing the name of a new plan.
pub struct NewPlan {
    pub input: Input,
    pub example: bool,
}

pub struct StartScreen {
    pub entries: Vec<Entry>,
    pub cursor: usize,
    pub new_plan: Option<Box<NewPlan>>,
    /// Typing the path (or name) of a plan to open.
    pub open_path: Option<Box<Input>>,
    /// Asking before moving the plan of this entry to the trash.
    pub confirm_delete: Option<usize>,
    pub error: Option<String>,
    /// A calm message (a plan moved to the trash).
    pub notice: Option<String>,
    pub data_dir: PathBuf,
    /// The date the plans' figures are worked out for.
    today: Date,
}

/// Reads one plan for the list.
fn plan_info(path: &Path, today: Date) -> Result<PlanInfo, Note> {
    if !path.exists() {
        return Err(Note::Missing);
    }
    let loaded = store::open_to_read(path).map_err(|_| Note::Unreadable)?;
    let plan = &loaded.file.plan;
    let summary = PlanSummary::of(plan, today);
    Ok(PlanInfo {
        title: plan.plan.name.clone(),
        stage: plan.plan.stage,
        reviewed: plan.plan.reviewed,
        complete_steps: summary.complete_steps,
        summary: summary.summary,
    })
}

impl StartScreen {
    /// Recent plans first, then the other plans of the data directory.
    pub fn new(data_dir: &Path, today: Date) -> StartScreen {
        let mut paths: Vec<(String, PathBuf)> = Vec::new();
        for path in store::recent::read_all(data_dir) {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("?")
                .to_string();
            paths.push((name, path));
        }
        if let Ok(list) = store::paths::list(data_dir) {
            for (name, path) in list {
                let real = std::fs::canonicalize(&path).unwrap_or(path.clone());
                if !paths.iter().any(|(_, p)| *p == real || *p == path) {
                    paths.push((name, path));
                }
            }
        }
        let mut entries: Vec<Entry> = paths
            .into_iter()
            .map(|(name, path)| Entry::Plan {
                name,
                path,
                detail: Err(Note::Pending),
            })
            .collect();
        entries.extend([Entry::New, Entry::Example, Entry::OpenPath, Entry::Quit]);
        StartScreen {
            entries,
            cursor: 0,
            new_plan: None,
            open_path: None,
            confirm_delete: None,
            error: None,
            notice: None,
            data_dir: data_dir.to_path_buf(),
            today,
        }
    }

    /// Reads the plans whose figures are not known yet (done when the
    /// screen is drawn, so opening a plan directly reads nothing else).
    pub fn read_plans(&mut self) {
        for entry in &mut self.entries {
            if let Entry::Plan { path, detail, .. } = entry
                && *detail == Err(Note::Pending)
            {
                *detail = plan_info(path, self.today);
            }
        }
    }

    /// True while a name or path is being typed (so `?` is text, not help).
    pub fn typing(&self) -> bool {
        self.new_plan.is_some() || self.open_path.is_some()
    }

    fn input(&mut self) -> Option<&mut Input> {
        if let Some(new) = &mut self.new_plan {
            return Some(&mut new.input);
        }
        self.open_path.as_deref_mut()
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(input) = self.input() {
            for c in text.chars().filter(|c| !c.is_control()) {
                input.handle(InputRequest::InsertChar(c));
            }
        }
    }

    /// The plan under the cursor, if the cursor is on one.
    fn selected_plan(&self) -> Option<&PathBuf> {
        match self.entries.get(self.cursor) {
            Some(Entry::Plan { path, .. }) => Some(path),
            _ => None,
        }
    }

    pub fn key(&mut self, key: KeyEvent) -> StartAction {
        // Keys act on what the screen shows (a missing plan is only forgotten).
        self.read_plans();
        self.error = None;
        self.notice = None;
        if let Some(index) = self.confirm_delete.take() {
            if super::view::is_yes(&key) {
                self.delete(index);
            }
            return StartAction::None;
        }
        if self.new_plan.is_some() || self.open_path.is_some() {
            match key.code {
                KeyCode::Esc => {
                    self.new_plan = None;
                    self.open_path = None;
                }
                KeyCode::Tab | KeyCode::BackTab => {
                    if let Some(new) = &mut self.new_plan {
                        new.example = !new.example;
                    }
                }
                KeyCode::Enter => return self.submit(),
                _ => {
                    let request = super::form::line_request(key);
                    if let (Some(request), Some(input)) = (request, self.input()) {
                        input.handle(request);
                    }
                }
            }
            return StartAction::None;
        }
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.cursor = (self.cursor + 1).min(self.entries.len() - 1);
            }
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.entries.len() - 1,
            KeyCode::Char('n') => self.begin_new(),
            KeyCode::Char('e') => return StartAction::OpenExample,
            KeyCode::Char('o') => self.open_path = Some(Box::default()),
            KeyCode::Char('r') if self.selected_plan().is_some() => {
                return StartAction::Review(self.selected_plan().cloned().unwrap_or_default());
            }
            KeyCode::Char('d') | KeyCode::Delete if self.selected_plan().is_some() => {
                self.confirm_delete = Some(self.cursor);
            }
            KeyCode::Char('q') | KeyCode::Esc => return StartAction::Quit,
            KeyCode::Enter => match &self.entries[self.cursor] {
                Entry::Plan { path, .. } => return StartAction::Open(path.clone()),
                Entry::New => self.begin_new(),
                Entry::Example => return StartAction::OpenExample,
                Entry::OpenPath => self.open_path = Some(Box::default()),
                Entry::Quit => return StartAction::Quit,
            },
            _ => {}
        }
        StartAction::None
    }

    /// Enter in the name or path prompt.
    fn submit(&mut self) -> StartAction {
        if let Some(new) = &self.new_plan {
            let name = new.input.value().trim().to_string();
            match store::paths::check_name(&name) {
                Ok(_) => {
                    let example = new.example;
                    self.new_plan = None;
                    return StartAction::Create { name, example };
                }
                Err(e) => self.error = Some(e),
            }
            return StartAction::None;
        }
        let Some(input) = &self.open_path else {
            return StartAction::None;
        };
        let typed = input.value().trim();
        if typed.is_empty() {
            return StartAction::None;
        }
        let expanded = match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
            (Some(rest), Some(home)) => Path::new(&home).join(rest).display().to_string(),
            _ => typed.to_string(),
        };
        match store::paths::resolve(&expanded, &self.data_dir) {
            Ok(plan) if plan.path().is_file() => {
                self.open_path = None;
                StartAction::Open(plan.path().to_path_buf())
            }
            Ok(plan) => {
                self.error = Some(tf(
                    "start.no_such_plan",
                    &[("path", &plan.path().display())],
                ));
                StartAction::None
            }
            Err(e) => {
                self.error = Some(e);
                StartAction::None
            }
        }
    }

    /// Moves the plan of entry `index` to the trash (a missing one is only
    /// taken off the list).
    fn delete(&mut self, index: usize) {
        let Some(Entry::Plan { path, detail, .. }) = self.entries.get(index).cloned() else {
            return;
        };
        if detail != Err(Note::Missing) {
            // A plan open in another rumbo stays where it is.
            let lock = match store::lock::try_lock(&path) {
                Ok(None) => {
                    self.error = Some(t("start.delete_open_elsewhere").to_string());
                    return;
                }
                Ok(Some(lock)) => Some(lock),
                Err(_) => None,
            };
            match store::trash::move_to_trash(&self.data_dir, &path) {
                Ok(to) => {
                    self.notice = Some(tf("start.deleted", &[("path", &to.display())]));
                }
                Err(e) => {
                    self.error = Some(tf(
                        "start.delete_failed",
                        &[("path", &path.display()), ("error", &e)],
                    ));
                    return;
                }
            }
            drop(lock);
        } else {
            self.notice = Some(t("start.forgotten").to_string());
        }
        store::recent::remove(&self.data_dir, &path);
        self.entries.remove(index);
        self.cursor = self.cursor.min(self.entries.len() - 1);
    }

    fn begin_new(&mut self) {
        self.new_plan = Some(Box::new(NewPlan {
            input: Input::default(),
            example: false,
        }));
    }
}

/// What a copy that rumbo made beside a plan is, by its name: `acme-mine`
/// (kept during a conflict) or `acme-recovered` (saved from the recovery
/// journal), also with a number (`acme-mine-2`).
fn copy_kind(name: &str) -> Option<&'static str> {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let base = if base.len() < name.len() {
        base.strip_suffix('-')?
    } else {
        name
    };
    if base.ends_with("-mine") {
        Some("start.copy_mine")
    } else if base.ends_with("-recovered") {
        Some("start.copy_recovered")
    } else {
        None
    }
}

/// A plan's name on its line, with what it is when rumbo made it as a copy.
fn plan_name(name: &str) -> String {
    match copy_kind(name) {
        Some(key) => format!("{} {}", safe(name), t(key)),
        None => safe(name),
    }
}

/// One plan's line: name, stage, last review, steps, KPI statuses.
fn plan_columns(name: &str, detail: &Result<PlanInfo, Note>) -> [String; 5] {
    let name = &plan_name(name);
    match detail {
        Ok(info) => {
            let statuses = PlanSummary {
                complete_steps: info.complete_steps,
                summary: info.summary,
            }
            .status_text();
            [
                name.clone(),
                info.stage.map_or("-".to_string(), |s| {
                    t(&format!("stage.{}", s.key())).to_string()
                }),
                info.reviewed
                    .map_or(t("start.never").to_string(), crate::i18n::date::format),
                format!(
                    "{}/{}",
                    integer(info.complete_steps as u64, Use::Screen),
                    integer(10u64, Use::Screen)
                ),
                statuses,
            ]
        }
        Err(note) => [
            name.clone(),
            match note {
                Note::Unreadable => t("start.unreadable").to_string(),
                Note::Missing => t("start.missing").to_string(),
                Note::Pending => String::new(),
            },
            String::new(),
            String::new(),
            String::new(),
        ],
    }
}

fn pad(s: &str, w: usize) -> String {
    let s = truncate(s, w);
    let fill = w.saturating_sub(s.width());
    format!("{s}{}", " ".repeat(fill))
}

/// Draws the start screen; returns where the cursor goes. Each entry's line
/// is recorded in `hits` (a click picks it), or, while a prompt shows, the
/// prompt's own spots.
pub fn draw(
    start: &StartScreen,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    hits: &mut Hits,
) -> Option<Position> {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(
            format!(" {} ", t("start.title")),
            theme.title(),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let width = inner.width.saturating_sub(2) as usize;
    let mut lines = vec![
        Line::styled(t("start.tagline").to_string(), theme.normal()),
        Line::raw(""),
        Line::styled(t("start.plans").to_string(), theme.title()),
    ];
    let rows: Vec<(usize, [String; 5])> = start
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Entry::Plan { name, detail, .. } => Some((i, plan_columns(name, detail))),
            _ => None,
        })
        .collect();
    if rows.is_empty() {
        lines.push(Line::styled(
            format!("  {}", t("start.no_plans")),
            theme.placeholder(),
        ));
    }
    // Column widths: as wide as the widest cell (and heading), capped.
    let headings = [
        t("start.col_plan"),
        t("start.col_stage"),
        t("start.col_reviewed"),
        t("start.col_steps"),
        t("start.col_kpis"),
    ];
    // Names get the room the other columns leave (at least 20 columns, as
    // a wide terminal should not cut `acme-mine (your copy…)`).
    let name_cap = width.saturating_sub(14 + 10 + 6 + 8 + 30).clamp(20, 48);
    let caps = [name_cap, 14, 10, 6, usize::MAX];
    let mut widths = [0usize; 5];
    for c in 0..4 {
        widths[c] = rows
            .iter()
            .filter(|(_, cols)| c == 0 || !cols[2].is_empty())
            .map(|(_, cols)| cols[c].width())
            .chain([headings[c].width()])
            .max()
            .unwrap_or(0)
            .min(caps[c]);
    }
    let line_of = |cols: &[String; 5]| -> String {
        if cols[2].is_empty() {
            // A note instead of figures: name, then the note.
            return format!("{}  {}", pad(&cols[0], widths[0]), cols[1]);
        }
        let mut s = String::new();
        for c in 0..4 {
            s.push_str(&pad(&cols[c], widths[c]));
            s.push_str("  ");
        }
        s.push_str(&cols[4]);
        s
    };
    if !rows.is_empty() {
        let heading: [String; 5] = headings.map(|h| h.to_string());
        lines.push(Line::styled(
            format!("  {}", truncate(&line_of(&heading), width)),
            theme.dim(),
        ));
    }
    let mut cursor_line = 0;
    let mut entry_lines = Vec::with_capacity(start.entries.len());
    for (i, entry) in start.entries.iter().enumerate() {
        if matches!(entry, Entry::New) {
            lines.push(Line::raw(""));
        }
        let text = match entry {
            Entry::Plan { .. } => rows
                .iter()
                .find(|(j, _)| *j == i)
                .map(|(_, cols)| line_of(cols))
                .unwrap_or_default(),
            Entry::New => t("start.new").to_string(),
            Entry::Example => t("start.example").to_string(),
            Entry::OpenPath => t("start.open_path").to_string(),
            Entry::Quit => t("start.quit").to_string(),
        };
        let selected = i == start.cursor;
        if selected {
            cursor_line = lines.len();
        }
        entry_lines.push(lines.len());
        let marker = if selected { "▶ " } else { "  " };
        let style = match entry {
            _ if selected => theme.selected(),
            Entry::Plan { detail: Err(_), .. } => theme.dim(),
            _ => theme.normal(),
        };
        lines.push(Line::styled(
            format!("{marker}{}", truncate(&text, width)),
            style,
        ));
    }
    lines.push(Line::raw(""));
    // The selected plan's title and file.
    if let Some(Entry::Plan { path, detail, .. }) = start.entries.get(start.cursor) {
        let title = detail.as_ref().map(|i| safe(&i.title)).unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(truncate(&title, width), theme.label()),
            Span::styled(
                format!("  {}", safe(&path.display().to_string())),
                theme.dim(),
            ),
        ]));
    }
    lines.push(Line::styled(
        tf("start.where", &[("dir", &start.data_dir.display())]),
        theme.dim(),
    ));
    if let Some(notice) = &start.notice {
        lines.push(Line::styled(safe(notice), theme.ok()));
    }
    if let Some(error) = &start.error
        && start.new_plan.is_none()
        && start.open_path.is_none()
    {
        lines.push(Line::raw(""));
        for l in error.lines() {
            lines.push(Line::styled(safe(l), theme.error()));
        }
    }
    let scroll = (cursor_line as u16).saturating_sub(inner.height.saturating_sub(3));
    Paragraph::new(lines).scroll((scroll, 0)).render(inner, buf);
    for (i, line) in entry_lines.into_iter().enumerate() {
        let y = (line as u16).checked_sub(scroll);
        if let Some(y) = y.filter(|y| *y < inner.height) {
            hits.pick(Rect::new(inner.x, inner.y + y, inner.width, 1), i);
        }
    }
    if start.confirm_delete.is_some() || start.typing() {
        // Only the prompt is clicked while it shows.
        hits.spots.clear();
    }

    if let Some(index) = start.confirm_delete {
        draw_confirm(start, index, area, buf, theme, hits);
        return None;
    }
    if let Some(input) = &start.open_path {
        return draw_prompt(
            area,
            buf,
            theme,
            (t("start.open_title"), t("start.open_label")),
            input,
            None,
            None,
            start.error.as_deref(),
            t("start.open_help"),
            hits,
        );
    }
    let new = start.new_plan.as_ref()?;
    // The file the name makes, shown before it is created.
    let typed = new.input.value().trim();
    let file = store::paths::check_name(typed)
        .ok()
        .filter(|slug| slug != typed)
        .map(|slug| tf("start.file_will_be", &[("file", &format!("{slug}.toml"))]));
    draw_prompt(
        area,
        buf,
        theme,
        (t("start.new_title"), t("start.new_name")),
        &new.input,
        Some(new.example),
        file.as_deref(),
        start.error.as_deref(),
        t("start.new_help"),
        hits,
    )
}

#[allow(clippy::too_many_arguments)]
fn draw_prompt(
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    (title, label_text): (&str, &str),
    input: &Input,
    example: Option<bool>,
    note: Option<&str>,
    error: Option<&str>,
    help: &str,
    hits: &mut Hits,
) -> Option<Position> {
    let popup = centered(area, 64, 10);
    hits.popup = popup;
    Clear.render(popup, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border())
        .title(Line::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let [
        label,
        input_area,
        note_area,
        example_area,
        error_area,
        help_area,
    ] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(inner);
    Line::styled(label_text.to_string(), theme.label()).render(label, buf);
    let value = safe(input.value());
    let scroll = input.visual_scroll(input_area.width.saturating_sub(1) as usize);
    Paragraph::new(value)
        .scroll((0, scroll as u16))
        .style(theme.selected_unfocused())
        .render(input_area, buf);
    if let Some(note) = note {
        Line::styled(safe(note), theme.dim()).render(note_area, buf);
    }
    if let Some(example) = example {
        let text = format!(
            "{} {}",
            if example { "[x]" } else { "[ ]" },
            t("start.new_example")
        );
        let w = (text.width() as u16).min(example_area.width);
        Line::styled(text, theme.normal()).render(example_area, buf);
        // A click on the box toggles it, as Tab does.
        hits.key(
            Rect::new(example_area.x, example_area.y, w, 1),
            plain(KeyCode::Tab),
        );
    }
    if let Some(e) = error {
        Paragraph::new(Line::styled(safe(e), theme.error()))
            .wrap(Wrap { trim: true })
            .render(error_area, buf);
    }
    Line::styled(help.to_string(), theme.dim()).render(help_area, buf);
    if input_area.width == 0 {
        return None;
    }
    let x = (input.visual_cursor().saturating_sub(scroll)) as u16;
    Some(Position::new(
        input_area.x + x.min(input_area.width - 1),
        input_area.y,
    ))
}

fn draw_confirm(
    start: &StartScreen,
    index: usize,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    hits: &mut Hits,
) {
    let Some(Entry::Plan { name, detail, .. }) = start.entries.get(index) else {
        return;
    };
    let rect = centered(area, 64, 7);
    hits.popup = rect;
    let inner = popup_frame(
        rect,
        buf,
        t("start.delete_title"),
        theme.error(),
        theme.error(),
    );
    let text = if *detail == Err(Note::Missing) {
        tf("start.forget_text", &[("name", &safe(name))])
    } else {
        tf(
            "start.delete_text",
            &[
                ("name", &safe(name)),
                ("trash", &store::trash::dir(&start.data_dir).display()),
            ],
        )
    };
    let mut flow = Flow::new(inner, buf, hits);
    flow.text(&text, ratatui::style::Style::default());
    flow.choices(&yes_no(), theme.dim());
}

#[cfg(test)]
mod tests {
    use super::copy_kind;

    #[test]
    fn copies_rumbo_made_are_told_apart_by_their_names() {
        assert_eq!(copy_kind("acme-mine"), Some("start.copy_mine"));
        assert_eq!(copy_kind("acme-mine-2"), Some("start.copy_mine"));
        assert_eq!(copy_kind("acme-recovered"), Some("start.copy_recovered"));
        assert_eq!(copy_kind("acme-recovered-12"), Some("start.copy_recovered"));
        assert_eq!(copy_kind("acme"), None);
        assert_eq!(copy_kind("mine"), None);
        assert_eq!(copy_kind("acme-2026"), None);
        assert_eq!(copy_kind("determine"), None);
    }
}
