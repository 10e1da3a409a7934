//! The KPI catalogue popup of step 5: search as you type, browse by
//! objective or by question, read the definition, and Enter adds the KPI.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use tui_input::{Input, InputRequest};

use crate::catalogue::{self, Entry};
use crate::i18n::{t, tf};
use crate::plan::{Date, Plan};

use super::mouse::Hits;
use super::text::{safe, truncate};
use super::theme::Theme;
use super::view::{centered, keyed_popup_frame};

/// How the list is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    All,
    Objective,
    Question,
}

/// A line of the list: a group heading or a KPI.
enum Row {
    Heading(String),
    Kpi(&'static Entry),
}

pub struct Picker {
    pub query: Input,
    pub grouping: Grouping,
    /// Index into the KPI rows (headings are skipped).
    pub cursor: usize,
    /// The catalogue ids of the KPIs the plan already has (marked in the
    /// list; adding one again asks first).
    pub in_plan: std::collections::HashSet<String>,
    /// A KPI already in the plan that Enter picked once: a second Enter
    /// adds it again, any other key forgets it.
    pub confirm: Option<&'static Entry>,
}

/// What a key did in the picker.
pub enum PickerOutcome {
    Stay,
    Close,
    /// Add this catalogue entry to the plan.
    Pick(&'static Entry),
}

impl Default for Picker {
    fn default() -> Picker {
        Picker::new()
    }
}

impl Picker {
    pub fn new() -> Picker {
        Picker {
            query: Input::default(),
            grouping: Grouping::All,
            cursor: 0,
            in_plan: Default::default(),
            confirm: None,
        }
    }

    /// The picker for `plan`: it knows which catalogue KPIs the plan has (by
    /// id, or by name in any language).
    pub fn for_plan(plan: &Plan) -> Picker {
        let mut picker = Picker::new();
        let ids: std::collections::HashSet<String> = plan
            .kpis
            .iter()
            .flat_map(|k| [k.catalogue.clone(), k.id.replace('-', "_")])
            .filter(|id| !id.is_empty())
            .collect();
        let names: std::collections::HashSet<String> = plan
            .kpis
            .iter()
            .map(|k| k.name.trim().to_lowercase())
            .collect();
        for lang in crate::i18n::Lang::ALL {
            for e in &catalogue::catalogue_in(lang).kpis {
                if ids.contains(&e.id) || names.contains(&e.name.trim().to_lowercase()) {
                    picker.in_plan.insert(e.id.clone());
                }
            }
        }
        picker
    }

    /// Puts the cursor on the best match of the search, wherever the view
    /// shows it (a grouped view may list another KPI first).
    fn select_best_match(&mut self) {
        let best = catalogue::search(self.query.value()).first().copied();
        let rows = self.rows();
        self.cursor = best
            .and_then(|b| Self::entries(&rows).iter().position(|e| e.id == b.id))
            .unwrap_or(0);
    }

    fn rows(&self) -> Vec<Row> {
        let found = catalogue::search(self.query.value());
        let cat = catalogue::catalogue();
        let mut rows = Vec::new();
        match self.grouping {
            Grouping::All => rows.extend(found.into_iter().map(Row::Kpi)),
            Grouping::Objective => {
                for g in &cat.objectives {
                    let members: Vec<&'static Entry> = found
                        .iter()
                        .copied()
                        .filter(|e| e.objectives.contains(&g.id))
                        .collect();
                    if !members.is_empty() {
                        rows.push(Row::Heading(g.name.clone()));
                        rows.extend(members.into_iter().map(Row::Kpi));
                    }
                }
            }
            Grouping::Question => {
                for q in &cat.questions {
                    let members: Vec<&'static Entry> = found
                        .iter()
                        .copied()
                        .filter(|e| e.questions.contains(&q.id))
                        .collect();
                    if !members.is_empty() {
                        rows.push(Row::Heading(q.question.clone()));
                        rows.extend(members.into_iter().map(Row::Kpi));
                    }
                }
            }
        }
        rows
    }

    fn entries(rows: &[Row]) -> Vec<&'static Entry> {
        rows.iter()
            .filter_map(|r| match r {
                Row::Kpi(e) => Some(*e),
                Row::Heading(_) => None,
            })
            .collect()
    }

    pub fn key(&mut self, key: KeyEvent) -> PickerOutcome {
        let count = Self::entries(&self.rows()).len();
        let confirm = self.confirm.take();
        match key.code {
            KeyCode::Esc => return PickerOutcome::Close,
            KeyCode::Enter => {
                let rows = self.rows();
                if let Some(e) = Self::entries(&rows).get(self.cursor) {
                    // A KPI the plan has is added again only on a second Enter.
                    if self.in_plan.contains(&e.id) && confirm.is_none_or(|c| c.id != e.id) {
                        self.confirm = Some(e);
                        return PickerOutcome::Stay;
                    }
                    return PickerOutcome::Pick(e);
                }
            }
            KeyCode::Tab => {
                self.grouping = match self.grouping {
                    Grouping::All => Grouping::Objective,
                    Grouping::Objective => Grouping::Question,
                    Grouping::Question => Grouping::All,
                };
                self.select_best_match();
            }
            KeyCode::BackTab => {
                self.grouping = match self.grouping {
                    Grouping::All => Grouping::Question,
                    Grouping::Objective => Grouping::All,
                    Grouping::Question => Grouping::Objective,
                };
                self.select_best_match();
            }
            KeyCode::Up => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down => self.cursor = (self.cursor + 1).min(count.saturating_sub(1)),
            KeyCode::PageUp => self.cursor = self.cursor.saturating_sub(10),
            KeyCode::PageDown => self.cursor = (self.cursor + 10).min(count.saturating_sub(1)),
            // The search line is a text field like any other: the same
            // editing keys (Ctrl-W, Ctrl-U, Ctrl-K, ←→, Home, End…).
            _ => {
                if let Some(request) = super::form::line_request(key)
                    && self
                        .query
                        .handle(request)
                        .is_some_and(|change| change.value)
                {
                    self.select_best_match();
                }
            }
        }
        PickerOutcome::Stay
    }

    pub fn paste(&mut self, text: &str) {
        for c in text.chars().filter(|c| !c.is_control()) {
            self.query.handle(InputRequest::InsertChar(c));
        }
        self.select_best_match();
    }

    /// Draws the popup; returns the caret position in the search line.
    pub fn draw(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        hits: &mut Hits,
    ) -> Option<Position> {
        let rect = centered(
            area,
            area.width.saturating_sub(6).min(110),
            area.height.saturating_sub(2),
        );
        hits.popup = rect;
        let grouping = match self.grouping {
            Grouping::All => t("catalogue.all"),
            Grouping::Objective => t("catalogue.by_objective"),
            Grouping::Question => t("catalogue.by_question"),
        };
        let title = format!("{} · {grouping}", t("catalogue.title"));
        let inner = keyed_popup_frame(rect, buf, theme, &title, t("catalogue.keys"));
        if inner.height < 4 || inner.width < 10 {
            return None;
        }
        let [search, list_and_detail] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
        let prompt = format!("{} ", t("catalogue.search"));
        let prompt_w = prompt.chars().count() as u16;
        Line::from(vec![
            Span::styled(prompt, theme.label()),
            Span::raw(safe(self.query.value())),
        ])
        .render(Rect::new(search.x, search.y, search.width, 1), buf);
        let wide = list_and_detail.width >= 70;
        let (list, detail) = if wide {
            let [l, d] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .spacing(1)
                    .areas(list_and_detail);
            (l, d)
        } else {
            let [l, d] = Layout::vertical([Constraint::Min(3), Constraint::Length(6)])
                .areas(list_and_detail);
            (l, d)
        };
        let rows = self.rows();
        let entries = Self::entries(&rows);
        let cursor = self.cursor.min(entries.len().saturating_sub(1));
        // Index of the selected KPI among all rows, to keep it in view.
        let mut seen = 0;
        let mut selected_row = 0;
        for (i, r) in rows.iter().enumerate() {
            if let Row::Kpi(_) = r {
                if seen == cursor {
                    selected_row = i;
                }
                seen += 1;
            }
        }
        let height = list.height as usize;
        let top = (selected_row + 1).saturating_sub(height);
        if entries.is_empty() {
            Line::styled(t("catalogue.none").to_string(), theme.placeholder())
                .render(Rect::new(list.x, list.y, list.width, 1), buf);
        }
        // The number of each KPI row among the KPIs (what the cursor counts).
        let mut kpi_number = Vec::with_capacity(rows.len());
        let mut kpis = 0;
        for row in &rows {
            kpi_number.push(kpis);
            if let Row::Kpi(_) = row {
                kpis += 1;
            }
        }
        for (i, row) in rows.iter().skip(top).take(height).enumerate() {
            let y = list.y + i as u16;
            let r = Rect::new(list.x, y, list.width, 1);
            match row {
                Row::Heading(h) => {
                    Line::styled(truncate(h, list.width as usize), theme.title()).render(r, buf);
                }
                Row::Kpi(e) => {
                    let style = if top + i == selected_row {
                        theme.selected()
                    } else {
                        theme.normal()
                    };
                    let text = if self.in_plan.contains(&e.id) {
                        format!(" {} {}", e.name, t("catalogue.in_plan"))
                    } else {
                        format!(" {}", e.name)
                    };
                    Line::styled(truncate(&text, list.width as usize), style).render(r, buf);
                    hits.pick(r, kpi_number[top + i]);
                }
            }
        }
        if let Some(e) = entries.get(cursor) {
            let mut lines = Vec::new();
            if self.confirm.is_some_and(|c| c.id == e.id) {
                lines.push(Line::styled(
                    tf("catalogue.add_again", &[("name", &e.name)]),
                    theme.error(),
                ));
            }
            lines.extend([
                Line::styled(e.name.clone(), theme.title()),
                Line::raw(e.definition.clone()),
                Line::styled(
                    tf(
                        "catalogue.meta",
                        &[
                            ("unit", &t(&format!("unit.{}", e.unit.key()))),
                            ("direction", &t(&format!("direction.{}", e.direction.key()))),
                        ],
                    ),
                    theme.dim(),
                ),
            ]);
            if let Some(f) = &e.formula {
                lines.push(Line::styled(
                    tf("catalogue.formula", &[("formula", f)]),
                    theme.dim(),
                ));
            }
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .render(detail, buf);
        }
        let x = search.x + prompt_w + self.query.visual_cursor() as u16;
        (x < search.x + search.width).then(|| Position::new(x, search.y))
    }
}

/// Adds a catalogue KPI to the plan; returns its index.
pub fn add_to_plan(plan: &mut Plan, entry: &Entry, today: Date) -> usize {
    let id = super::steps::unique_id(&entry.id.replace('_', "-"), |id| plan.kpi(id).is_some());
    plan.kpis.push(entry.to_kpi(&id, today));
    plan.kpis.len() - 1
}
