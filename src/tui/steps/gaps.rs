//! Step 7 — the live KPI-gap table, worst first, with the funnel gap under
//! it and, for the chosen KPI, the remedy the team settled on.

use std::rc::Rc;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::i18n::{date, t, tf};
use crate::metrics::{self, GapRow, NotSetRow, Status};
use crate::plan::{Date, Plan, Remedy, RemedyOption};
use crate::tui::cache;
use crate::tui::form::{Choice, Ctx, Custom, Field, Form, Kind, Outcome, Section, format_number};
use crate::tui::gapview::{NOT_SET_SYMBOL, status_style, status_symbol};
use crate::tui::text::truncate;
use crate::tui::theme::Theme;

pub fn form(plan: &Plan, today: Date, selected_row: &dyn Fn(usize) -> usize) -> Form {
    // The remedy fields edit the KPI of the selected row of the table.
    let item = cache::gap_table(plan, today)
        .as_ref()
        .as_ref()
        .and_then(|table| {
            let row = selected_row(0).min(shown_len(table).saturating_sub(1));
            kpi_at(table, row)
        })
        .unwrap_or(0);
    let mut sections = vec![
        Section::new(
            "section.gap_table",
            vec![Field::new("f.gap_table", Kind::Custom(&GapTable))],
        ),
        Section::new(
            "section.funnel_gap",
            vec![Field::new("f.funnel_gap", Kind::Custom(&FunnelGap))],
        ),
    ];
    if plan.kpis.is_empty() {
        sections.push(Section::note(
            "section.remedy",
            t("table.add_kpi_first").to_string(),
        ));
    } else {
        sections.push(Section::new(
            "section.remedy",
            vec![
                Field::new("f.remedy_kpi", Kind::Custom(&RemedyFor)),
                Field::new("f.remedy_option", Kind::Choice(REMEDY)),
                Field::new("f.remedy_note", Kind::Multi(remedy_note)),
            ],
        ));
    }
    Form {
        sections,
        ctx: Ctx {
            item,
            ..Ctx::new(today)
        },
    }
}

const OPTIONS: [RemedyOption; 5] = [
    RemedyOption::Hire,
    RemedyOption::Budget,
    RemedyOption::Tactics,
    RemedyOption::NewChannel,
    RemedyOption::Other,
];

fn option_key(o: RemedyOption) -> &'static str {
    match o {
        RemedyOption::Hire => "hire",
        RemedyOption::Budget => "budget",
        RemedyOption::Tactics => "tactics",
        RemedyOption::NewChannel => "new_channel",
        RemedyOption::Other => "other",
    }
}

fn remedy_index(p: &Plan, item: usize) -> Option<usize> {
    let id = &p.kpis.get(item)?.id;
    p.remedies.iter().position(|r| &r.kpi == id)
}

/// The remedy of the chosen KPI; choosing an option creates it.
const REMEDY: Choice = Choice {
    options: |_| super::enum_options(&OPTIONS, option_key, "remedy"),
    get: |p, x| {
        remedy_index(p, x.item)
            .and_then(|i| p.remedies[i].option)
            .map(|o| option_key(o).to_string())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        let option = OPTIONS.iter().copied().find(|o| option_key(*o) == v);
        match remedy_index(p, x.item) {
            Some(i) => {
                p.remedies[i].option = option;
                if option.is_none() && p.remedies[i].note.is_empty() {
                    p.remedies.remove(i);
                }
            }
            None => {
                if let (Some(option), Some(kpi)) = (option, p.kpis.get(x.item)) {
                    p.remedies.push(Remedy {
                        kpi: kpi.id.clone(),
                        option: Some(option),
                        note: String::new(),
                    });
                }
            }
        }
    },
};

/// The note of the chosen KPI's remedy (there once an option is chosen).
fn remedy_note(p: &mut Plan, x: Ctx) -> Option<&mut String> {
    let i = remedy_index(p, x.item)?;
    Some(&mut p.remedies[i].note)
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(
        || "—".to_string(),
        |v| format_number((v * 10.0).round() / 10.0),
    )
}

/// The gap table: windowed, selectable, Enter opens the KPI in step 5.
struct GapTable;

/// The KPI name keeps at least this many columns (names are rarely
/// shorter; "Sales-qualified leads pe…" still reads).
const NAME_MIN: usize = 24;

/// The columns (indexes in [`COLUMNS`]) from the most to the least
/// important: status, KPI, owner, current, target, deadline, forecast,
/// needed per month, gap, progress, baseline.
const PRIORITY: [usize; 11] = [10, 0, 1, 3, 4, 5, 8, 9, 6, 7, 2];

const COLUMNS: [(&str, usize); 11] = [
    ("col.kpi", 0),
    ("col.owner", 8),
    ("col.baseline", 9),
    ("col.current", 9),
    ("col.target", 9),
    ("col.deadline", 10),
    ("col.gap", 9),
    ("col.progress", 8),
    ("col.forecast", 9),
    ("col.required", 9),
    ("col.status", 13),
];

fn rows(plan: &Plan, today: Date) -> Rc<Option<metrics::GapTable>> {
    cache::gap_table(plan, today)
}

/// Rows the table shows: the KPIs with figures, then those whose target is
/// not set (no figures, no status, not in the summary).
fn shown_len(table: &metrics::GapTable) -> usize {
    table.rows.len() + table.not_set.len()
}

/// The KPI (index in `plan.kpis`) shown on row `row`.
fn kpi_at(table: &metrics::GapTable, row: usize) -> Option<usize> {
    match table.rows.get(row) {
        Some(r) => Some(r.index),
        None => table.not_set.get(row - table.rows.len()).map(|r| r.index),
    }
}

impl GapTable {
    /// Which columns fit in `width`, and the KPI name's width. The name
    /// keeps at least [`NAME_MIN`] columns (less only when no name is that
    /// long); the other columns come in [`PRIORITY`] order while they fit, so
    /// the least important go first when the table is narrow, and the name
    /// takes what is left.
    fn layout(width: u16, longest_name: usize) -> (Vec<usize>, usize) {
        let width = width as usize;
        let name_min = longest_name.clamp(3, NAME_MIN);
        let mut chosen = vec![0];
        let mut used = name_min + 1;
        for &c in &PRIORITY {
            if c == 0 {
                continue;
            }
            let w = COLUMNS[c].1 + 1;
            if used + w > width {
                break;
            }
            chosen.push(c);
            used += w;
        }
        chosen.sort_unstable();
        (chosen, name_min + width.saturating_sub(used))
    }

    fn cells(row: &GapRow, plan: &Plan) -> [String; 11] {
        let m = &row.metrics;
        let owner = if row.owner.is_empty() {
            "—".to_string()
        } else {
            plan.member(&row.owner)
                .map_or(row.owner.clone(), |mb| mb.name.clone())
        };
        [
            row.name.clone(),
            owner,
            num(Some(row.baseline)),
            num(Some(m.current)),
            num(Some(row.target)),
            date::format(row.deadline),
            num(Some(m.gap)),
            m.progress_pct
                .map_or("—".to_string(), |p| format!("{} %", p.round())),
            num(m.forecast),
            num(m.required_per_month),
            format!(
                "{} {}",
                status_symbol(m.status),
                t(&format!("status.{}", m.status.key()))
            ),
        ]
    }

    /// A KPI whose baseline or target is not set: what it has, and "target
    /// not set" where the figures would be.
    fn not_set_cells(row: &NotSetRow, plan: &Plan) -> [String; 11] {
        let owner = plan
            .kpis
            .get(row.index)
            .map(|k| k.owner.clone())
            .unwrap_or_default();
        let owner = if owner.is_empty() {
            "—".to_string()
        } else {
            plan.member(&owner)
                .map_or(owner.clone(), |mb| mb.name.clone())
        };
        let none = || "—".to_string();
        [
            row.name.clone(),
            owner,
            num(row.baseline),
            none(),
            num(row.target),
            date::format(row.deadline),
            none(),
            none(),
            none(),
            none(),
            format!("{} {}", NOT_SET_SYMBOL, t("status.not_set")),
        ]
    }

    fn line(cells: &[String; 11], chosen: &[usize], name_w: usize) -> String {
        let mut out = String::new();
        for &c in chosen {
            let w = if c == 0 { name_w } else { COLUMNS[c].1 };
            let text = truncate(&cells[c], w);
            let pad = " ".repeat(w.saturating_sub(text.width()));
            let numeric = (2..=9).contains(&c) && c != 5;
            if numeric {
                out.push_str(&pad);
                out.push_str(&text);
            } else {
                out.push_str(&text);
                out.push_str(&pad);
            }
            out.push(' ');
        }
        out
    }
}

impl Custom for GapTable {
    fn keys(&self) -> &'static [(&'static str, &'static str)] {
        &[("↑↓", "keys.rows"), ("Enter", "keys.open_kpi")]
    }

    fn height(&self, plan: &Plan, _ctx: Ctx, _width: u16) -> u16 {
        // Header, rows (at most 12 shown at once), summary.
        (plan.kpis.len() as u16).clamp(1, 12) + 2
    }

    fn focusable(&self) -> bool {
        true
    }

    fn row_at(&self, plan: &Plan, ctx: Ctx, height: u16, selected: usize, y: u16) -> Option<usize> {
        // As `draw` lays them out: the header, `room` rows, the summary.
        let len = cache::gap_table(plan, ctx.today)
            .as_ref()
            .as_ref()
            .map_or(0, shown_len);
        let room = height.saturating_sub(2) as usize;
        let top = (selected.min(len.saturating_sub(1)) + 1).saturating_sub(room);
        let line = (y as usize).checked_sub(1).filter(|l| *l < room)?;
        Some(top + line).filter(|r| *r < len)
    }

    fn key(&self, plan: &mut Plan, ctx: Ctx, key: KeyEvent, selected: &mut usize) -> Outcome {
        let len = plan.kpis.len();
        let last = len.saturating_sub(1);
        match key.code {
            KeyCode::Up => *selected = selected.saturating_sub(1),
            KeyCode::Down => *selected = (*selected + 1).min(last),
            KeyCode::PageUp => *selected = selected.saturating_sub(10),
            KeyCode::PageDown => *selected = (*selected + 10).min(last),
            KeyCode::Home => *selected = 0,
            KeyCode::End => *selected = last,
            KeyCode::Enter if len > 0 => {
                let table = rows(plan, ctx.today);
                let kpi = table
                    .as_ref()
                    .as_ref()
                    .and_then(|t| kpi_at(t, (*selected).min(last)));
                return match kpi {
                    Some(index) => Outcome::OpenKpi(index),
                    None => Outcome::Handled,
                };
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Handled
    }

    fn draw(
        &self,
        plan: &Plan,
        ctx: Ctx,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        focus: bool,
        selected: usize,
    ) {
        let table = cache::gap_table(plan, ctx.today);
        let Some(table) = table.as_ref() else {
            return;
        };
        let longest = table
            .rows
            .iter()
            .map(|r| &r.name)
            .chain(table.not_set.iter().map(|r| &r.name))
            .map(|n| n.width())
            .max()
            .unwrap_or(0);
        let (chosen, name_w) = Self::layout(area.width, longest);
        let header: [String; 11] = COLUMNS.map(|(k, _)| t(k).to_string());
        Line::styled(Self::line(&header, &chosen, name_w), theme.label())
            .render(Rect::new(area.x, area.y, area.width, 1), buf);
        let room = area.height.saturating_sub(2) as usize;
        let len = shown_len(table);
        if len == 0 {
            Line::styled(t("table.no_kpis").to_string(), theme.placeholder())
                .render(Rect::new(area.x, area.y + 1, area.width, 1), buf);
        }
        let selected = selected.min(len.saturating_sub(1));
        let top = (selected + 1).saturating_sub(room);
        for i in 0..room.min(len.saturating_sub(top)) {
            let shown = top + i;
            let y = area.y + 1 + i as u16;
            let (cells, tone) = match table.rows.get(shown) {
                Some(row) => (
                    Self::cells(row, plan),
                    status_style(theme, row.metrics.status),
                ),
                None => (
                    Self::not_set_cells(&table.not_set[shown - table.rows.len()], plan),
                    theme.warning(),
                ),
            };
            let line = Self::line(&cells, &chosen, name_w);
            let style = if shown == selected && focus {
                theme.selected()
            } else if shown == selected {
                theme.selected_unfocused()
            } else {
                tone
            };
            Line::styled(line, style).render(Rect::new(area.x, y, area.width, 1), buf);
        }
        let s = &table.summary;
        let counts: Vec<String> = Status::ALL
            .iter()
            .filter(|st| s.count(**st) > 0)
            .map(|st| {
                format!(
                    "{} {}",
                    status_symbol(*st),
                    crate::i18n::count(s.count(*st), t(&format!("status.{}", st.key())))
                )
            })
            .collect();
        let mut counts = counts;
        if !table.not_set.is_empty() {
            // Apart from the statuses: these KPIs have none.
            counts.push(format!(
                "{} {}",
                NOT_SET_SYMBOL,
                crate::i18n::count(table.not_set.len(), t("status.not_set"))
            ));
        }
        let mut summary = counts.join(" · ");
        if len > room {
            summary = format!("{summary}   ({}/{})", selected + 1, len);
        }
        Line::styled(summary, theme.dim()).render(
            Rect::new(
                area.x,
                area.y + area.height.saturating_sub(1),
                area.width,
                1,
            ),
            buf,
        );
    }
}

/// What marketing commits to against what the funnel needs.
struct FunnelGap;

impl FunnelGap {
    fn lines(plan: &Plan, theme: &Theme) -> Vec<Line<'static>> {
        let short = t("gaps.short_by");
        let short = short.split(' ').next().unwrap_or(short);
        crate::cli::funnel_lines(plan)
            .into_iter()
            .map(|line| {
                let style = if line.contains(short) {
                    theme.warning()
                } else {
                    theme.normal()
                };
                Line::styled(line, style)
            })
            .collect()
    }
}

impl Custom for FunnelGap {
    fn height(&self, plan: &Plan, _ctx: Ctx, width: u16) -> u16 {
        Self::lines(plan, &Theme::new(false))
            .iter()
            .map(|l| (l.width() as u16).div_ceil(width.max(1)).max(1))
            .sum::<u16>()
            .max(1)
    }

    fn draw(
        &self,
        plan: &Plan,
        _ctx: Ctx,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        _focus: bool,
        _selected: usize,
    ) {
        Paragraph::new(Self::lines(plan, theme))
            .wrap(Wrap { trim: false })
            .render(area, buf);
    }
}

/// Which KPI the remedy below is for.
struct RemedyFor;

impl Custom for RemedyFor {
    fn height(&self, _plan: &Plan, _ctx: Ctx, _width: u16) -> u16 {
        1
    }

    fn draw(
        &self,
        plan: &Plan,
        ctx: Ctx,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        _focus: bool,
        _selected: usize,
    ) {
        if let Some(kpi) = plan.kpis.get(ctx.item) {
            let (status, style) = match metrics::kpi_metrics(kpi, ctx.today, 1.0) {
                Some(m) => (
                    t(&format!("status.{}", m.status.key())),
                    status_style(theme, m.status),
                ),
                None => (t("status.not_set"), theme.warning()),
            };
            Line::styled(
                tf(
                    "gaps.remedy_for",
                    &[("kpi", &kpi.name), ("status", &status)],
                ),
                style,
            )
            .render(area, buf);
        }
    }
}
