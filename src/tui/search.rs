//! Search (`Ctrl-F`): find text anywhere in the plan and jump to the step,
//! field and table row that hold it.
//!
//! The index is built from the steps' own forms, so every text a person can
//! edit is found exactly where they would edit it, and a new field is
//! searchable without a line here: each text field of each step (for every
//! persona, goal and KPI of the steps that show one at a time) and each text
//! field of each table row's popup. It is built once when the search opens,
//! on a copy of the plan (some lenses create an empty section when asked),
//! and matched case- and accent-insensitively as the query is typed.
//! Nothing here draws or reads keys but [`Search`]'s small prompt.

use std::collections::HashSet;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use crate::i18n::{t, tf};
use crate::plan::{Date, Plan};

use super::app::{Popup, Session};
use super::form::{Ctx, Field, Kind};
use super::mouse::Hits;
use super::steps::{self, Step};
use super::text::{safe, truncate};
use super::theme::Theme;
use super::view::{centered, popup_frame};

/// Where a text lives: enough to show it in the wizard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub step: Step,
    /// The row of the step's first table that picks the item shown (the
    /// persona, goal or KPI), in steps that show one at a time.
    pub item: Option<usize>,
    /// The field of the step's form.
    pub field: usize,
    /// The row, when the text is in a table row.
    pub row: Option<usize>,
}

/// One searchable text.
#[derive(Debug, Clone)]
pub struct Entry {
    pub place: Place,
    /// "Step 5 · Actual values" style: where it is, for people.
    pub label: String,
    pub text: String,
    folded: Vec<char>,
}

/// A match: the entry, and where in its text (in chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub entry: usize,
    pub at: usize,
}

/// Lower case without accents, one char per char (so positions match).
pub fn fold_char(c: char) -> char {
    let c = c.to_lowercase().next().unwrap_or(c);
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

pub fn fold(s: &str) -> Vec<char> {
    s.chars().map(fold_char).collect()
}

/// Every occurrence of `query` in the entries, in entry order.
pub fn find(entries: &[Entry], query: &str) -> Vec<Hit> {
    let q = fold(query.trim());
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if e.folded.len() < q.len() {
            continue;
        }
        let mut at = 0;
        while at + q.len() <= e.folded.len() {
            if e.folded[at..at + q.len()] == q[..] {
                hits.push(Hit { entry: i, at });
                at += q.len();
            } else {
                at += 1;
            }
        }
    }
    hits
}

/// A line of about `width` chars around the match, on one line.
pub fn snippet(text: &str, at: usize, len: usize, width: usize) -> String {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let before = width.saturating_sub(len) / 3;
    let start = at.saturating_sub(before);
    let end = (start + width).min(chars.len());
    let mut s: String = chars[start..end].iter().collect();
    if start > 0 {
        s.insert(0, '…');
    }
    if end < chars.len() {
        s.push('…');
    }
    s
}

/// How many items a step shows one at a time (its first table's rows).
fn items(step: Step, plan: &Plan) -> Option<usize> {
    match step {
        Step::Customers => Some(plan.personas.len()),
        Step::Goals => Some(plan.goals.len()),
        Step::Kpis | Step::Forecast | Step::Gaps => Some(plan.kpis.len()),
        _ => None,
    }
}

fn label(key: &str) -> &'static str {
    t(&format!("{key}.label"))
}

/// The text a field holds, if it holds text.
fn text_of(field: &Field, plan: &mut Plan, ctx: Ctx) -> Option<(usize, String)> {
    match &field.kind {
        Kind::Text(lens) | Kind::Id(lens) | Kind::Multi(lens) => {
            let s = lens(plan, ctx)?;
            Some((s as *const String as usize, s.clone()))
        }
        _ => None,
    }
}

/// Every text of the plan, where the wizard shows it.
pub fn index(plan: &Plan, today: Date) -> Vec<Entry> {
    let mut copy = plan.clone();
    let plan = &mut copy;
    let mut out = Vec::new();
    // The same string reached twice (a field that does not depend on the
    // item shown) is listed once.
    let mut seen: HashSet<usize> = HashSet::new();
    for step in Step::ALL {
        let title = format!(
            "{} {}",
            step.index() + 1,
            t(&format!("{}.short", step.key()))
        );
        let n = items(step, plan);
        for item in 0..n.unwrap_or(1).max(1) {
            let form = steps::form(step, plan, today, &|f| if f == 0 { item } else { 0 });
            let ctx = form.ctx;
            for (index, field) in form.fields().enumerate() {
                let place = |row| Place {
                    step,
                    item: n.map(|_| item),
                    field: index,
                    row,
                };
                if let Some((addr, text)) = text_of(field, plan, ctx) {
                    if seen.insert(addr) && !text.trim().is_empty() {
                        out.push(Entry {
                            place: place(None),
                            label: format!("{title} · {}", label(field.key)),
                            folded: fold(&text),
                            text,
                        });
                    }
                    continue;
                }
                let Kind::Table(spec) = &field.kind else {
                    continue;
                };
                // The first table of a one-at-a-time step lists the items:
                // its rows are the same whatever item is shown.
                if n.is_some() && index == 0 && item > 0 {
                    continue;
                }
                let row_fields = (spec.row_fields)();
                if !row_fields.iter().any(Field::takes_text) {
                    continue;
                }
                for row in 0..(spec.len)(plan, ctx) {
                    let row_ctx = Ctx { row, ..ctx };
                    for rf in &row_fields {
                        let Some((addr, text)) = text_of(rf, plan, row_ctx) else {
                            continue;
                        };
                        if seen.insert(addr) && !text.trim().is_empty() {
                            out.push(Entry {
                                place: place(Some(row)),
                                label: format!(
                                    "{title} · {} · {}",
                                    label(field.key),
                                    label(rf.key)
                                ),
                                folded: fold(&text),
                                text,
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

/// The search prompt and its results.
pub struct Search {
    pub input: Input,
    pub entries: Vec<Entry>,
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// The plan's revision and the language `entries` were gathered for:
    /// opened again on the same ones, the search does not gather again.
    indexed: (u64, crate::i18n::Lang),
}

/// What a key did in the search.
pub enum SearchOutcome {
    Stay,
    Close,
    Jump(Place),
}

impl Search {
    /// A search of `plan` as of `revision`.
    pub fn new(plan: &Plan, today: Date, revision: u64) -> Search {
        Search {
            input: Input::default(),
            entries: index(plan, today),
            hits: Vec::new(),
            selected: 0,
            indexed: (revision, crate::i18n::lang()),
        }
    }

    /// Opened again (`Ctrl-F` after a jump): the same query, on the plan as
    /// it is now, with the next match selected — so `Ctrl-F Enter` is "next".
    pub fn reopen(&mut self, plan: &Plan, today: Date, revision: u64) {
        let was = self.selected;
        let now = (revision, crate::i18n::lang());
        if self.indexed != now {
            self.entries = index(plan, today);
            self.indexed = now;
        }
        self.hits = find(&self.entries, self.input.value());
        self.selected = if self.hits.is_empty() {
            0
        } else {
            (was + 1) % self.hits.len()
        };
    }

    pub fn key(&mut self, key: KeyEvent) -> SearchOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return SearchOutcome::Close,
            KeyCode::Char('f') if ctrl => return SearchOutcome::Close,
            KeyCode::Enter => {
                return match self.hits.get(self.selected) {
                    Some(hit) => SearchOutcome::Jump(self.entries[hit.entry].place.clone()),
                    None => SearchOutcome::Stay,
                };
            }
            KeyCode::Down | KeyCode::Tab => {
                if !self.hits.is_empty() {
                    self.selected = (self.selected + 1) % self.hits.len();
                }
            }
            KeyCode::Up | KeyCode::BackTab => {
                if !self.hits.is_empty() {
                    self.selected = (self.selected + self.hits.len() - 1) % self.hits.len();
                }
            }
            KeyCode::PageDown => {
                self.selected = (self.selected + 10).min(self.hits.len().saturating_sub(1));
            }
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(10),
            _ => {
                let Some(request) = super::form::line_request(key) else {
                    return SearchOutcome::Stay;
                };
                if self.input.handle(request).is_some_and(|c| c.value) {
                    self.hits = find(&self.entries, self.input.value());
                    self.selected = 0;
                }
            }
        }
        SearchOutcome::Stay
    }

    pub fn paste(&mut self, text: &str) {
        for c in text.chars().filter(|c| !c.is_control()) {
            self.input.handle(InputRequest::InsertChar(c));
        }
        self.hits = find(&self.entries, self.input.value());
        self.selected = 0;
    }

    /// The query's length in chars (to size snippets).
    pub fn query_len(&self) -> usize {
        self.input.value().trim().chars().count()
    }
}

impl Session {
    /// Ctrl-F: opens the search; again after a jump, on the next match.
    pub fn open_search(&mut self) {
        match &mut self.search {
            Some(search) => search.reopen(&self.file.plan, self.today, self.revision),
            None => {
                let search = Search::new(&self.file.plan, self.today, self.revision);
                self.search = Some(Box::new(search));
            }
        }
        self.popup = Some(Popup::Search);
    }

    /// A key in the search popup.
    pub fn search_key(&mut self, key: KeyEvent) -> Option<(bool, String)> {
        let search = self.search.as_mut()?;
        match search.key(key) {
            SearchOutcome::Stay => self.popup = Some(Popup::Search),
            SearchOutcome::Close => {}
            SearchOutcome::Jump(place) => {
                let n = search.hits.len();
                let i = search.selected + 1;
                self.show(&place);
                return Some((false, tf("search.shown", &[("i", &i), ("n", &n)])));
            }
        }
        None
    }

    /// Shows a place: its step, the item it belongs to, the field, the row.
    pub fn show(&mut self, place: &Place) {
        self.go_to(place.step);
        let state = self.state();
        if let Some(item) = place.item {
            state.rows.insert(0, item);
        }
        if let Some(row) = place.row {
            state.rows.insert(place.field, row);
        }
        let form = self.form();
        self.state().focus_on(&form, place.field);
    }
}

/// Draws the search popup over `area`; returns the cursor.
pub fn draw(
    s: &Session,
    area: Rect,
    buf: &mut Buffer,
    theme: &Theme,
    hits: &mut Hits,
) -> Option<Position> {
    let search = s.search.as_ref()?;
    let rect = centered(
        area,
        area.width.saturating_sub(6).min(100),
        area.height.saturating_sub(2),
    );
    hits.popup = rect;
    let inner = popup_frame(
        rect,
        buf,
        t("search.title"),
        theme.focus_border(),
        theme.title(),
    );
    if inner.height < 3 || inner.width < 10 {
        return None;
    }
    let prompt = format!("{} ", t("search.prompt"));
    let pw = prompt.width() as u16;
    Line::styled(prompt, theme.label())
        .render(Rect::new(inner.x, inner.y, pw.min(inner.width), 1), buf);
    let field = Rect::new(inner.x + pw, inner.y, inner.width.saturating_sub(pw), 1);
    buf.set_style(field, theme.selected_unfocused());
    let scroll = search
        .input
        .visual_scroll(field.width.saturating_sub(1) as usize);
    Paragraph::new(safe(search.input.value()))
        .scroll((0, scroll as u16))
        .render(field, buf);
    let query = search.input.value().trim();
    let status = if query.is_empty() {
        t("search.hint").to_string()
    } else if search.hits.is_empty() {
        t("search.none").to_string()
    } else {
        crate::i18n::tn(
            "search.count",
            search.hits.len() as u64,
            &[("n", &search.hits.len())],
        )
    };
    Line::styled(status, theme.dim()).render(Rect::new(inner.x, inner.y + 1, inner.width, 1), buf);
    let rows = inner.height.saturating_sub(2) as usize;
    let top = search.selected.saturating_sub(rows.saturating_sub(1));
    let qlen = search.query_len();
    for (i, hit) in search.hits.iter().enumerate().skip(top).take(rows) {
        let e = &search.entries[hit.entry];
        let y = inner.y + 2 + (i - top) as u16;
        let width = inner.width as usize;
        let label = truncate(&e.label, width * 3 / 5);
        let room = width.saturating_sub(label.width() + 3);
        let line = Line::from(vec![
            Span::styled(label, theme.label()),
            Span::styled(" · ", theme.dim()),
            Span::raw(snippet(&e.text, hit.at, qlen, room)),
        ]);
        let row = Rect::new(inner.x, y, inner.width, 1);
        if i == search.selected {
            buf.set_style(row, theme.selected());
        }
        line.render(row, buf);
        hits.pick(row, i);
    }
    let x = search.input.visual_cursor().saturating_sub(scroll) as u16;
    Some(Position::new(
        field.x + x.min(field.width.saturating_sub(1)),
        field.y,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Plan {
        crate::store::load::parse(std::path::Path::new("example.toml"), crate::store::EXAMPLE)
            .expect("the example parses")
            .plan
    }

    fn today() -> Date {
        "2026-11-15".parse().unwrap()
    }

    #[test]
    fn folding_ignores_case_and_accents_char_for_char() {
        assert_eq!(fold("Lucía ÑANDÚ"), fold("lucia nandu"));
        assert_eq!(fold("Árbol").len(), "Árbol".chars().count());
    }

    #[test]
    fn find_lists_every_occurrence() {
        let entries = vec![Entry {
            place: Place {
                step: Step::Research,
                item: None,
                field: 0,
                row: None,
            },
            label: String::new(),
            text: "Ruta, ruta y RUTA".into(),
            folded: fold("Ruta, ruta y RUTA"),
        }];
        let hits = find(&entries, "rúta");
        assert_eq!(hits.iter().map(|h| h.at).collect::<Vec<_>>(), [0, 6, 13]);
        assert!(find(&entries, "  ").is_empty());
    }

    #[test]
    fn the_index_finds_texts_in_fields_items_and_table_rows() {
        let plan = example();
        let entries = index(&plan, today());
        let one = |q: &str| {
            let hits = find(&entries, q);
            assert!(!hits.is_empty(), "nothing for {q}");
            entries[hits[0].entry].clone()
        };
        // A competitor's name: step 1, a table row.
        let e = one("Fleetmosaic");
        assert_eq!(e.place.step, Step::Research);
        assert_eq!(e.place.row, Some(1));
        // The second persona's panel: step 2, item 1.
        let e = one("Data beats gut feeling");
        assert_eq!((e.place.step, e.place.item), (Step::Customers, Some(1)));
        // An action title, case and accents aside: step 9, its row.
        let e = one("LAUNCH A CUSTOMER REFERRAL PROGRAMMÉ");
        assert_eq!((e.place.step, e.place.row), (Step::Actions, Some(6)));
        // The plan is not changed by indexing (lenses that create sections
        // ran on a copy).
        assert_eq!(plan, example());
    }

    #[test]
    fn snippets_show_the_match_with_context() {
        let s = snippet("The quick brown fox jumps over the lazy dog", 16, 3, 20);
        assert!(s.contains("fox"), "{s}");
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    }
}
