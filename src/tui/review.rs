//! The weekly review screen: `F7` on any step, `r` on a plan of the start
//! screen, or `rumbo review PLAN`. It walks only what needs attention, one
//! item at a time — this month's figures, lagging KPIs, actions due, goals
//! that are not SMART — then marks the plan reviewed and shows what changed.
//!
//! What needs attention and what changed are worked out in
//! [`crate::review`]; this module turns keys into those calls and draws.
//! Every change to the plan goes through `Session::edited`, like any edit.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
use tui_input::Input;
use unicode_width::UnicodeWidthStr;

use crate::i18n::{date, t, tf};
use crate::metrics::{self, Status};
use crate::plan::{Date, Plan, Unit};
use crate::review::{self, Changes, DueAction, GoalIssue, Lagging, Month};

use super::app::Session;
use super::form::{format_number, parse_kpi_value};
use super::gapview::{status_style, status_symbol};
use super::mouse::{Hits, Target};
use super::text::{safe, truncate, wrap};
use super::theme::Theme;
use super::undo::{List, Scope};

/// The four parts of a review, in the order they are walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Values,
    Lagging,
    Actions,
    Goals,
}

impl Part {
    const ALL: [Part; 4] = [Part::Values, Part::Lagging, Part::Actions, Part::Goals];

    fn key(self) -> &'static str {
        match self {
            Part::Values => "review.part_values",
            Part::Lagging => "review.part_lagging",
            Part::Actions => "review.part_actions",
            Part::Goals => "review.part_goals",
        }
    }
}

/// One thing the review shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A KPI with no value for the review month (index into `plan.kpis`).
    Value(usize),
    Lagging(Lagging),
    Action(DueAction),
    Goal(GoalIssue),
}

/// A review in progress, or its summary once it is done.
pub struct Review {
    /// The plan when the review began, to tell what changed.
    before: Box<Plan>,
    /// The `reviewed` date before this review.
    pub previous: Option<Date>,
    pub month: Month,
    values: Vec<usize>,
    lagging: Vec<Lagging>,
    /// A value was entered since `lagging` was worked out.
    lagging_stale: bool,
    actions: Vec<DueAction>,
    goals: Vec<GoalIssue>,
    /// The item shown (an index into [`Review::items`]).
    pub pos: usize,
    input: Input,
    /// The value already recorded is selected: the first key replaces it.
    selected: bool,
    error: Option<String>,
    /// What changed, once the review is done.
    pub summary: Option<Changes>,
    scroll: u16,
}

impl Review {
    /// A review of `plan` as of `today`.
    pub fn new(plan: &Plan, today: Date) -> Review {
        let month = review::review_month(today);
        let mut r = Review {
            before: Box::new(plan.clone()),
            previous: plan.plan.reviewed,
            month,
            values: review::kpis_missing_value(plan, month),
            lagging: review::lagging_kpis(plan, today),
            lagging_stale: false,
            actions: review::actions_due(plan, today),
            goals: review::goals_not_smart(plan, today),
            pos: 0,
            input: Input::default(),
            selected: false,
            error: None,
            summary: None,
            scroll: 0,
        };
        r.load_input(plan);
        r
    }

    /// Every item, part by part.
    pub fn items(&self) -> Vec<Item> {
        let mut out: Vec<Item> = self.values.iter().map(|i| Item::Value(*i)).collect();
        out.extend(self.lagging.iter().map(|l| Item::Lagging(*l)));
        out.extend(self.actions.iter().map(|a| Item::Action(*a)));
        out.extend(self.goals.iter().cloned().map(Item::Goal));
        out
    }

    fn len(&self) -> usize {
        self.values.len() + self.lagging.len() + self.actions.len() + self.goals.len()
    }

    /// The item shown, `None` on the summary.
    pub fn item(&self) -> Option<Item> {
        if self.summary.is_some() {
            return None;
        }
        self.items().into_iter().nth(self.pos)
    }

    fn part_of(&self, pos: usize) -> Part {
        let bounds = [
            self.values.len(),
            self.lagging.len(),
            self.actions.len(),
            self.goals.len(),
        ];
        let mut start = 0;
        for (part, n) in Part::ALL.into_iter().zip(bounds) {
            if pos < start + n {
                return part;
            }
            start += n;
        }
        Part::Goals
    }

    /// True while a value is being typed (so `?` is text, not help).
    pub fn typing(&self) -> bool {
        matches!(self.item(), Some(Item::Value(_)))
    }

    /// `(keys, what they do)` for the hint bar and the help.
    pub fn keys(&self) -> &'static [(&'static str, &'static str)] {
        match self.item() {
            None => &[
                ("Enter/Esc", "review.key_close"),
                ("Ctrl-S", "keys.save"),
                ("↑↓", "keys.scroll"),
            ],
            Some(Item::Value(_)) => &[
                ("Enter", "review.key_record"),
                ("Tab", "review.key_skip"),
                ("Shift-Tab", "review.key_back"),
                ("Esc", "review.key_leave"),
            ],
            Some(Item::Action(_)) => &[
                ("Space", "review.key_status"),
                ("Enter/Tab", "review.key_next"),
                ("Shift-Tab", "review.key_back"),
                ("Esc", "review.key_leave"),
            ],
            Some(_) => &[
                ("Enter/Tab", "review.key_next"),
                ("Shift-Tab", "review.key_back"),
                ("Esc", "review.key_leave"),
            ],
        }
    }

    /// Puts the value already recorded for the month (if any) in the field.
    fn load_input(&mut self, plan: &Plan) {
        self.error = None;
        let text = match self.item() {
            Some(Item::Value(k)) => plan
                .kpis
                .get(k)
                .and_then(|k| k.actuals.iter().rev().find(|a| a.date == self.month.last))
                .map(|a| super::form::input_number(a.value))
                .unwrap_or_default(),
            _ => String::new(),
        };
        self.selected = !text.is_empty();
        self.input = Input::new(text);
    }

    /// True on the last item (the next move ends the review).
    pub fn on_last_item(&self) -> bool {
        self.summary.is_none() && self.pos + 1 >= self.len()
    }

    /// Where part `part` (an index into [`Part::ALL`]) starts among the
    /// items, and how many it has.
    fn part_bounds(&self, part: usize) -> (usize, usize) {
        let counts = [
            self.values.len(),
            self.lagging.len(),
            self.actions.len(),
            self.goals.len(),
        ];
        let start = counts.iter().take(part).sum();
        (start, counts.get(part).copied().unwrap_or(0))
    }

    /// Moves to item `pos` (the summary when past the end). Entering the
    /// lagging KPIs after values were recorded works them out again, so
    /// they reflect this month's figures.
    fn go(&mut self, pos: usize, plan: &Plan, today: Date) {
        let into_lagging = pos >= self.values.len() && self.pos < self.values.len();
        if into_lagging && self.lagging_stale {
            self.lagging = review::lagging_kpis(plan, today);
            self.lagging_stale = false;
        }
        self.pos = pos.min(self.len());
        self.load_input(plan);
    }
}

/// Starts a review of the session's plan (F7). When nothing needs
/// attention it is done at once: the summary shows.
pub fn start(s: &mut Session) {
    let mut r = Box::new(Review::new(&s.file.plan, s.today));
    if r.len() == 0 {
        finish(s, &mut r);
    }
    s.review = Some(r);
}

/// Handles a key while the review shows; returns a message for the hint bar.
pub fn key(s: &mut Session, key: KeyEvent) -> Option<(bool, String)> {
    let mut r = s.review.take()?;
    let today = s.today;
    let shift_tab = key.code == KeyCode::BackTab
        || (key.code == KeyCode::Tab && key.modifiers.contains(KeyModifiers::SHIFT));
    let mut message = None;

    if r.summary.is_some() {
        match key.code {
            KeyCode::Enter | KeyCode::Esc => return None,
            KeyCode::Up => r.scroll = r.scroll.saturating_sub(1),
            KeyCode::Down => r.scroll = r.scroll.saturating_add(1),
            _ => {}
        }
        s.review = Some(r);
        return None;
    }

    if key.code == KeyCode::Esc {
        return Some((false, t("review.left").to_string()));
    }
    let item = r.item();
    let next = r.pos + 1;
    let back = r.pos.saturating_sub(1);
    match (&item, key.code) {
        (_, _) if shift_tab => r.go(back, &s.file.plan, today),
        (_, KeyCode::Up) => r.go(back, &s.file.plan, today),
        (_, KeyCode::Tab | KeyCode::Down) => r.go(next, &s.file.plan, today),
        (Some(Item::Value(k)), KeyCode::Enter) => match parse_kpi_value(
            r.input.value(),
            s.file.plan.kpis.get(*k).and_then(|kpi| kpi.unit),
        ) {
            Ok(Some(v)) => {
                // Each value is one step of undo (Ctrl-Z after the review).
                s.prepare_labelled(
                    Scope::list(List::Kpis),
                    t("msg.undo_review_value").to_string(),
                );
                if review::record_value(&mut s.file.plan, *k, r.month, v) {
                    s.edited();
                    r.lagging_stale = true;
                }
                r.go(next, &s.file.plan, today);
            }
            Ok(None) => r.go(next, &s.file.plan, today),
            Err(e) => r.error = Some(e),
        },
        (Some(Item::Value(_)), _) => {
            let request = super::form::line_request(key);
            if let Some(request) = request {
                // Typing over the value already recorded replaces it.
                let request = if std::mem::take(&mut r.selected) {
                    super::form::over_selection(&mut r.input, request)
                } else {
                    Some(request)
                };
                if let Some(request) = request {
                    r.input.handle(request);
                }
                r.error = None;
            }
        }
        (Some(Item::Action(a)), KeyCode::Char(' ')) => {
            s.prepare_labelled(
                Scope::list(List::Actions),
                t("msg.undo_review_status").to_string(),
            );
            if let Some(action) = s.file.plan.actions.get_mut(a.action) {
                action.status = action.status.next();
                s.edited();
            }
        }
        (Some(_), KeyCode::Enter) => r.go(next, &s.file.plan, today),
        _ => {}
    }
    if r.pos >= r.len() {
        finish(s, &mut r);
        message = Some((false, t("review.done_message").to_string()));
    }
    s.review = Some(r);
    message
}

/// Goes to the first item of part `part` of the review (a click on the
/// progress line), the way the keys move: nothing is recorded on the way.
pub fn go_to_part(s: &mut Session, part: usize) {
    let today = s.today;
    let Some(r) = s.review.as_mut() else {
        return;
    };
    if r.summary.is_some() {
        return;
    }
    // Leaving the values works the lagging KPIs out again first (as `go`
    // does), so the part starts where it will be drawn.
    if part > 0 && r.pos < r.values.len() && r.lagging_stale {
        r.lagging = review::lagging_kpis(&s.file.plan, today);
        r.lagging_stale = false;
    }
    let (start, n) = r.part_bounds(part);
    if n > 0 {
        r.go(start, &s.file.plan, today);
    }
}

/// Marks the plan reviewed today and works out what changed.
fn finish(s: &mut Session, r: &mut Review) {
    if s.file.plan.plan.reviewed != Some(s.today) {
        s.prepare_labelled(Scope::all(), t("msg.undo_review_done").to_string());
        review::mark_reviewed(&mut s.file.plan, s.today);
        s.edited();
    }
    r.summary = Some(review::changes(&r.before, &s.file.plan, s.today));
}

// ---------------------------------------------------------------------------
// Drawing

/// A value with its unit: `29500 EUR`, `2.4 %`, `32 days`.
/// A baseline or target value, or "(not set)" while it has none.
fn set_value_text(v: Option<f64>, unit: Option<Unit>, currency: &str) -> String {
    v.map_or_else(
        || t("form.not_set").to_string(),
        |v| value_text(v, unit, currency),
    )
}

fn value_text(v: f64, unit: Option<Unit>, currency: &str) -> String {
    let n = format_number(v);
    match unit {
        Some(Unit::Currency) if !currency.is_empty() => format!("{n} {}", safe(currency)),
        Some(Unit::Percent) => format!("{n} %"),
        Some(Unit::Days) => format!("{n} {}", t("unit.days")),
        Some(Unit::Hours) => format!("{n} {}", t("unit.hours")),
        _ => n,
    }
}

fn owner_line(plan: &Plan, owner: &str, theme: &Theme) -> Line<'static> {
    match review::owner_name(plan, owner) {
        Some(name) => Line::from(vec![
            Span::styled(format!("{}: ", t("review.owner")), theme.label()),
            Span::raw(safe(name)),
        ]),
        None => Line::styled(t("review.no_owner").to_string(), theme.warning()),
    }
}

/// Draws the review over `area`; returns where the cursor goes. The parts
/// of the progress line are recorded in `hits` (a click goes to a part).
pub fn draw(
    s: &Session,
    r: &Review,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    hits: &mut Hits,
) -> Option<Position> {
    Clear.render(area, buf);
    let title = format!(" {} · {} ", t("review.title"), date::format(s.today));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border())
        .title(Line::styled(title, theme.title()));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 || inner.width == 0 {
        return None;
    }
    let plan = &s.file.plan;
    let mut lines: Vec<Line> = Vec::new();
    let (progress, parts) = progress_line(r, theme);
    lines.push(progress);
    if r.summary.is_none() {
        // The line is not scrolled; a part that fits on its first row (it
        // may wrap) can be clicked.
        for (x, w, part) in parts {
            if x + w <= inner.width {
                hits.spots
                    .push((Rect::new(inner.x + x, inner.y, w, 1), Target::Part(part)));
            }
        }
    }
    lines.push(Line::raw(""));
    let mut cursor_line = None;
    match r.item() {
        None => summary_lines(s, r, theme, &mut lines),
        Some(Item::Value(k)) => {
            if let Some(kpi) = plan.kpis.get(k) {
                let unit = kpi.unit;
                let cur = &plan.plan.currency;
                lines.push(Line::styled(
                    format!("{} ({})", safe(&kpi.name), safe(&kpi.id)),
                    theme.title(),
                ));
                lines.push(owner_line(plan, &kpi.owner, theme));
                let last = kpi
                    .actuals
                    .iter()
                    .filter(|a| a.date < r.month.first)
                    .max_by_key(|a| a.date);
                lines.push(Line::raw(match last {
                    Some(a) => tf(
                        "review.last_value",
                        &[
                            ("value", &value_text(a.value, unit, cur)),
                            ("date", &date::format(a.date)),
                        ],
                    ),
                    None => tf(
                        "review.baseline_value",
                        &[
                            ("value", &set_value_text(kpi.baseline.value, unit, cur)),
                            ("date", &date::format(kpi.baseline.date)),
                        ],
                    ),
                }));
                lines.push(Line::raw(tf(
                    "review.target",
                    &[
                        ("value", &set_value_text(kpi.target.value, unit, cur)),
                        ("date", &date::format(kpi.target.date)),
                    ],
                )));
                lines.push(Line::raw(""));
                lines.push(Line::styled(
                    tf(
                        "review.value_prompt",
                        &[
                            ("month", &date::month(r.month.first)),
                            ("date", &date::format(r.month.last)),
                        ],
                    ),
                    theme.focus_label(),
                ));
                cursor_line = Some(lines.len());
            }
        }
        Some(Item::Lagging(l)) => {
            // A lagging KPI has figures (a KPI with no target has no status).
            if let Some(kpi) = plan.kpis.get(l.kpi)
                && let Some(m) = metrics::kpi_metrics(kpi, s.today, 1.0)
            {
                let unit = kpi.unit;
                let cur = &plan.plan.currency;
                lines.push(Line::from(vec![
                    Span::styled(
                        format!(
                            "{} {} ",
                            status_symbol(m.status),
                            t(&format!("status.{}", m.status.key()))
                        ),
                        status_style(theme, m.status),
                    ),
                    Span::styled(
                        format!("· {} ({})", safe(&kpi.name), safe(&kpi.id)),
                        theme.title(),
                    ),
                ]));
                lines.push(owner_line(plan, &kpi.owner, theme));
                lines.push(Line::raw(tf(
                    "review.now",
                    &[
                        ("value", &value_text(m.current, unit, cur)),
                        ("date", &date::format(m.current_date)),
                    ],
                )));
                lines.push(Line::raw(tf(
                    "review.target",
                    &[
                        ("value", &set_value_text(kpi.target.value, unit, cur)),
                        ("date", &date::format(kpi.target.date)),
                    ],
                )));
                if let Some(f) = m.forecast {
                    lines.push(Line::raw(tf(
                        "review.forecast",
                        &[("value", &value_text(f, unit, cur))],
                    )));
                }
                lines.push(Line::raw(""));
                let remedies = review::remedies_for(plan, &kpi.id);
                if remedies.is_empty() {
                    lines.push(Line::styled(
                        t("review.no_remedy").to_string(),
                        theme.warning(),
                    ));
                }
                for rem in remedies {
                    let option = rem
                        .option
                        .map(|o| t(&format!("remedy.{}", remedy_key(o))).to_string())
                        .unwrap_or_default();
                    let text = match (option.is_empty(), rem.note.trim().is_empty()) {
                        (false, false) => format!("{option} — {}", safe(&rem.note)),
                        (false, true) => option,
                        _ => safe(&rem.note),
                    };
                    lines.push(Line::from(vec![
                        Span::styled(format!("{}: ", t("review.remedy")), theme.label()),
                        Span::raw(text),
                    ]));
                }
            }
        }
        Some(Item::Action(a)) => {
            if let Some(action) = plan.actions.get(a.action) {
                let due = date::format_opt(action.due);
                let (text, style) = if a.overdue {
                    (
                        format!("⚠ {}", tf("review.overdue_since", &[("date", &due)])),
                        theme.error(),
                    )
                } else {
                    (tf("review.due_on", &[("date", &due)]), theme.warning())
                };
                lines.push(Line::styled(text, style));
                lines.push(Line::styled(safe(&action.title), theme.title()));
                lines.push(owner_line(plan, &action.owner, theme));
                lines.push(Line::from(vec![
                    Span::styled(format!("{}: ", t("review.status")), theme.label()),
                    Span::styled(
                        t(&format!(
                            "action_status.{}",
                            super::steps::status::action_status_key(action.status)
                        ))
                        .to_string(),
                        theme.selected(),
                    ),
                    Span::styled(format!("  {}", t("review.space_cycles")), theme.dim()),
                ]));
            }
        }
        Some(Item::Goal(g)) => {
            if let Some(goal) = plan.goals.get(g.goal) {
                let letters: Vec<String> = g.failing.iter().map(|c| c.to_string()).collect();
                lines.push(Line::styled(
                    format!("{} ({})", safe(&goal.title), safe(&goal.id)),
                    theme.title(),
                ));
                lines.push(owner_line(plan, &goal.owner, theme));
                lines.push(Line::styled(
                    tf("review.not_smart", &[("letters", &letters.join(", "))]),
                    theme.warning(),
                ));
                for (letter, reason) in &g.reasons {
                    lines.push(Line::raw(format!(
                        "  {letter}: {}",
                        t(&format!("smart.{reason}"))
                    )));
                }
                lines.push(Line::raw(""));
                lines.push(Line::styled(
                    t("review.fix_in_step4").to_string(),
                    theme.dim(),
                ));
            }
        }
    }
    let scroll = if r.summary.is_some() {
        let max = (lines.len() as u16).saturating_sub(inner.height);
        r.scroll.min(max)
    } else {
        0
    };
    let mut cursor = None;
    if let Some(line) = cursor_line
        && (line as u16) < inner.height
    {
        let y = inner.y + line as u16;
        let width = inner.width.saturating_sub(2).clamp(1, 24);
        Span::styled("▸ ", theme.focus_label()).render(Rect::new(inner.x, y, 2, 1), buf);
        let field = Rect::new(inner.x + 2, y, width, 1);
        let view = r.input.visual_scroll(width.saturating_sub(1) as usize);
        let style = if r.selected {
            theme.selected()
        } else {
            theme.selected_unfocused()
        };
        Paragraph::new(safe(r.input.value()))
            .scroll((0, view as u16))
            .style(style)
            .render(field, buf);
        let x = (r.input.visual_cursor().saturating_sub(view)) as u16;
        cursor = Some(Position::new(field.x + x.min(width - 1), y));
    }
    // The field is drawn apart, on its own line: above it lines are not
    // wrapped, so that line is where the field goes.
    let mut text = Paragraph::new(lines).scroll((scroll, 0));
    if cursor_line.is_none() {
        text = text.wrap(Wrap { trim: false });
    }
    text.render(
        Rect::new(
            inner.x,
            inner.y,
            inner.width,
            cursor_line.map_or(inner.height, |l| (l as u16).min(inner.height)),
        ),
        buf,
    );
    if let Some(line) = cursor_line {
        // What follows the field (an error) goes below it.
        let mut below = (line as u16 + 1).min(inner.height);
        if let Some(e) = &r.error
            && below < inner.height
        {
            Paragraph::new(Line::styled(safe(e), theme.error()))
                .wrap(Wrap { trim: false })
                .render(
                    Rect::new(inner.x, inner.y + below, inner.width, inner.height - below),
                    buf,
                );
            below += wrap(&safe(e), inner.width as usize).len() as u16;
        }
        // Then the KPI's recent values and what the month needs.
        below += 1;
        if let Some(Item::Value(k)) = r.item()
            && let Some(kpi) = plan.kpis.get(k)
            && below < inner.height
        {
            draw_history(
                kpi,
                r.month,
                &plan.plan.currency,
                Rect::new(inner.x, inner.y + below, inner.width, inner.height - below),
                buf,
                theme,
            );
        }
    }
    cursor
}

/// How many of a KPI's latest values the review shows.
pub const HISTORY: usize = 12;

/// Under the value asked for: the KPI's last [`HISTORY`] actuals before the
/// month, as bars over a small table of month and value (as many as fit),
/// and the value the month needs to stay on track to the target (from the
/// metrics' needed per month, as of the day before the month).
fn draw_history(
    kpi: &crate::plan::Kpi,
    month: Month,
    currency: &str,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let mut before: Vec<&crate::plan::Actual> = kpi
        .actuals
        .iter()
        .filter(|a| a.date < month.first)
        .collect();
    before.sort_by_key(|a| a.date);
    let values: Vec<(String, String, f64)> = before
        .iter()
        .rev()
        .take(HISTORY)
        .rev()
        .map(|a| {
            (
                date::month_short(a.date),
                format_number((a.value * 10.0).round() / 10.0),
                a.value,
            )
        })
        .collect();
    let mut y = area.y;
    let bottom = area.bottom();
    let put = |line: Line, y: &mut u16, buf: &mut Buffer| {
        if *y < bottom {
            line.render(Rect::new(area.x, *y, area.width, 1), buf);
        }
        *y += 1;
    };
    if values.is_empty() {
        put(
            Line::styled(t("review.no_history").to_string(), theme.dim()),
            &mut y,
            buf,
        );
    } else {
        // One column a month, as wide as its longest label, as many of the
        // latest as fit.
        let col = values
            .iter()
            .map(|(m, v, _)| m.width().max(v.width()))
            .max()
            .unwrap_or(1)
            + 2;
        let fit = (area.width as usize / col).max(1);
        let shown = &values[values.len().saturating_sub(fit)..];
        put(
            Line::styled(tf("review.history", &[("n", &shown.len())]), theme.label()),
            &mut y,
            buf,
        );
        // Bars: each value's height between the lowest and the highest.
        const BAR_ROWS: u16 = 3;
        let lo = shown.iter().map(|v| v.2).fold(f64::INFINITY, f64::min);
        let hi = shown.iter().map(|v| v.2).fold(f64::NEG_INFINITY, f64::max);
        let levels = u64::from(BAR_ROWS) * 8;
        let data: Vec<u64> = shown
            .iter()
            .flat_map(|(_, _, v)| {
                let h = if hi > lo {
                    1 + ((v - lo) / (hi - lo) * (levels - 1) as f64).round() as u64
                } else {
                    levels / 2
                };
                std::iter::repeat_n(h, col - 2)
                    .chain(std::iter::once(0))
                    .chain(std::iter::once(0))
            })
            .collect();
        let rows = BAR_ROWS.min(bottom.saturating_sub(y));
        if rows > 0 {
            ratatui::widgets::Sparkline::default()
                .data(&data)
                .max(levels)
                .style(theme.title())
                .render(Rect::new(area.x, y, area.width, rows), buf);
        }
        y += BAR_ROWS;
        let cells = |pick: &dyn Fn(&(String, String, f64)) -> &str| {
            shown
                .iter()
                .map(|v| {
                    let text = pick(v);
                    format!("{}{text}  ", " ".repeat(col - 2 - text.width()))
                })
                .collect::<String>()
        };
        put(Line::styled(cells(&|v| &v.0), theme.dim()), &mut y, buf);
        put(Line::raw(cells(&|v| &v.1)), &mut y, buf);
    }
    // What the month needs: the metrics as of the day before it.
    let as_of = month.first.0.yesterday().map(Date).unwrap_or(month.first);
    y += 1;
    let needed = metrics::kpi_metrics(kpi, as_of, 1.0).map(|m| {
        let unit = kpi.unit;
        match m.required_per_month {
            Some(per_month) if m.gap > 0.0 => {
                let value = m.current + metrics::kpi::sign(kpi.direction) * per_month;
                Line::styled(
                    tf(
                        "review.needed",
                        &[
                            (
                                "value",
                                &value_text((value * 10.0).round() / 10.0, unit, currency),
                            ),
                            ("month", &date::month(month.first)),
                            (
                                "per_month",
                                &value_text((per_month * 10.0).round() / 10.0, unit, currency),
                            ),
                        ],
                    ),
                    theme.focus_label(),
                )
            }
            Some(_) => Line::styled(t("review.needed_met").to_string(), theme.ok()),
            None => Line::styled(t("review.needed_late").to_string(), theme.warning()),
        }
    });
    put(
        needed.unwrap_or_else(|| Line::styled(t("review.needed_unset").to_string(), theme.dim())),
        &mut y,
        buf,
    );
}

fn remedy_key(o: crate::plan::RemedyOption) -> &'static str {
    use crate::plan::RemedyOption::*;
    match o {
        Hire => "hire",
        Budget => "budget",
        Tactics => "tactics",
        NewChannel => "new_channel",
        Other => "other",
    }
}

/// `Values for 2026-11 3/7 · Needs attention 0/3 · …`, the current part
/// marked; with where each part with items is on it (x, width, part).
fn progress_line(r: &Review, theme: &Theme) -> (Line<'static>, Vec<(u16, u16, usize)>) {
    let counts = [
        r.values.len(),
        r.lagging.len(),
        r.actions.len(),
        r.goals.len(),
    ];
    let current = (r.summary.is_none() && r.pos < r.len()).then(|| r.part_of(r.pos));
    let mut start = 0;
    let mut spans = Vec::new();
    let mut places = Vec::new();
    let mut x = 0u16;
    for (index, (part, n)) in Part::ALL.into_iter().zip(counts).enumerate() {
        if !spans.is_empty() {
            spans.push(Span::styled(" · ", theme.dim()));
            x += 3;
        }
        let done = if r.summary.is_some() {
            n
        } else {
            r.pos.saturating_sub(start).min(n)
        };
        let label = if part == Part::Values {
            tf(part.key(), &[("month", &date::month(r.month.first))])
        } else {
            t(part.key()).to_string()
        };
        let n_text =
            |v: usize| crate::i18n::number::integer(v as u64, crate::i18n::number::Use::Screen);
        let text = format!("{label} {}/{}", n_text(done), n_text(n));
        let style: Style = if current == Some(part) {
            theme.selected()
        } else if n == 0 || done == n {
            theme.dim()
        } else {
            theme.normal()
        };
        let w = text.width() as u16;
        if n > 0 {
            places.push((x, w, index));
        }
        x += w;
        spans.push(Span::styled(text, style));
        start += n;
    }
    (Line::from(spans), places)
}

fn summary_lines(s: &Session, r: &Review, theme: &Theme, lines: &mut Vec<Line<'static>>) {
    let changes = r.summary.clone().unwrap_or_default();
    let plan = &s.file.plan;
    lines.push(Line::styled(
        tf("review.done", &[("date", &date::format(s.today))]),
        theme.ok(),
    ));
    lines.push(Line::raw(match r.previous {
        Some(d) => tf("review.previous", &[("date", &date::format(d))]),
        None => t("review.first").to_string(),
    }));
    lines.push(Line::raw(""));
    if r.len() == 0 {
        lines.push(Line::styled(t("review.all_clear").to_string(), theme.ok()));
    } else if changes.is_empty() {
        lines.push(Line::styled(
            t("review.no_changes").to_string(),
            theme.dim(),
        ));
    }
    let count = |n: usize| crate::i18n::number::integer(n as u64, crate::i18n::number::Use::Screen);
    if !changes.values.is_empty() {
        lines.push(Line::styled(
            tf(
                "review.values_entered",
                &[("n", &count(changes.values.len()))],
            ),
            theme.title(),
        ));
        for v in &changes.values {
            let unit = plan.kpi(&v.kpi).and_then(|k| k.unit);
            let value = value_text(v.value, unit, &plan.plan.currency);
            let text = match v.old {
                Some(old) => tf(
                    "review.value_replaced",
                    &[
                        ("kpi", &safe(&v.name)),
                        ("value", &value),
                        ("old", &value_text(old, unit, &plan.plan.currency)),
                        ("date", &date::format(v.date)),
                    ],
                ),
                None => tf(
                    "review.value_line",
                    &[
                        ("kpi", &safe(&v.name)),
                        ("value", &value),
                        ("date", &date::format(v.date)),
                    ],
                ),
            };
            lines.push(Line::raw(format!("  {text}")));
        }
        lines.push(Line::raw(""));
    }
    if !changes.statuses.is_empty() {
        lines.push(Line::styled(
            tf(
                "review.statuses_moved",
                &[("n", &count(changes.statuses.len()))],
            ),
            theme.title(),
        ));
        for m in &changes.statuses {
            lines.push(Line::from(vec![
                Span::raw(format!("  {}: ", safe(&m.name))),
                status_span(m.from, theme),
                Span::raw(" ⇒ "),
                status_span(m.to, theme),
            ]));
        }
        lines.push(Line::raw(""));
    }
    if !changes.actions.is_empty() {
        lines.push(Line::styled(
            tf(
                "review.actions_moved",
                &[("n", &count(changes.actions.len()))],
            ),
            theme.title(),
        ));
        for a in &changes.actions {
            let name = |st| {
                t(&format!(
                    "action_status.{}",
                    super::steps::status::action_status_key(st)
                ))
            };
            lines.push(Line::raw(format!(
                "  {}: {} ⇒ {}",
                truncate(&safe(&a.title), 60),
                name(a.from),
                name(a.to)
            )));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(t("review.save_hint").to_string(), theme.dim()));
}

fn status_span(status: Status, theme: &Theme) -> Span<'static> {
    Span::styled(
        format!(
            "{} {}",
            status_symbol(status),
            t(&format!("status.{}", status.key()))
        ),
        status_style(theme, status),
    )
}
