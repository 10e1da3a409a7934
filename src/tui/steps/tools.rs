//! Step 10 — tools and systems: what each tool is for and costs, whether it
//! passes the five checks, and which KPIs it tracks. KPIs that no adopted
//! tool tracks are flagged.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::i18n::{t, tf};
use crate::plan::{Date, Plan, Tool, ToolStatus};
use crate::tui::form::{
    Choice, Ctx, Custom, Field, Form, Kind, NumUnit, Outcome, Section, Slot, TableSpec, Tone,
    format_number,
};
use crate::tui::theme::Theme;

use super::{enum_options, remove, swap};

pub fn form(today: Date) -> Form {
    Form {
        ctx: Ctx::new(today),
        sections: vec![
            Section::new(
                "section.tools",
                vec![Field::new("f.tools", Kind::Table(&TOOLS))],
            ),
            Section::new(
                "section.tracking",
                vec![Field::new("f.untracked", Kind::Custom(&Untracked))],
            ),
        ],
    }
}

const STATUSES: [ToolStatus; 3] = [
    ToolStatus::Evaluating,
    ToolStatus::Adopted,
    ToolStatus::Rejected,
];

fn status_key(s: ToolStatus) -> &'static str {
    super::status::tool_status_key(s)
}

fn score(tool: &Tool) -> usize {
    [
        tool.saves_effort,
        tool.success_stories,
        tool.reliable,
        tool.active_team,
        tool.community,
    ]
    .iter()
    .filter(|b| **b)
    .count()
}

fn tl(p: &mut Plan, row: usize) -> Option<&mut Tool> {
    p.tools.get_mut(row)
}

/// KPIs that no adopted tool tracks.
fn untracked(p: &Plan) -> Vec<&str> {
    let tracked: std::collections::HashSet<&str> = p
        .tools
        .iter()
        .filter(|tool| tool.status == ToolStatus::Adopted)
        .flat_map(|tool| tool.tracks.iter().map(String::as_str))
        .collect();
    p.kpis
        .iter()
        .filter(|k| !tracked.contains(k.id.as_str()))
        .map(|k| k.id.as_str())
        .collect()
}

static TOOLS: TableSpec = TableSpec {
    columns: &[
        ("col.name", 3),
        ("col.status", 2),
        ("col.monthly_cost", 2),
        ("col.score", 1),
        ("col.tracks", 4),
    ],
    len: |p, _| p.tools.len(),
    cell: |p, _, row, col| {
        let tool = &p.tools[row];
        match col {
            0 => tool.name.clone(),
            1 => t(&format!("tool_status.{}", status_key(tool.status))).to_string(),
            2 => tool
                .monthly_cost
                .map(|c| format!("{} {}", format_number(c), p.plan.currency))
                .unwrap_or_default(),
            3 => format!("{}/5", score(tool)),
            _ => tool.tracks.join(", "),
        }
    },
    add: |p, _| {
        p.tools.push(Tool::default());
        p.tools.len() - 1
    },
    remove: |p, _, i| remove(&mut p.tools, i),
    swap: |p, _, a, b| swap(&mut p.tools, a, b),
    row_fields: || {
        vec![
            Field::new(
                "f.tool_name",
                Kind::Text(|p, x| Some(&mut tl(p, x.row)?.name)),
            ),
            Field::new(
                "f.purpose",
                Kind::Multi(|p, x| Some(&mut tl(p, x.row)?.purpose)),
            ),
            Field::new(
                "f.monthly_cost",
                Kind::Number(
                    |p, x| Some(Slot::Opt(&mut tl(p, x.row)?.monthly_cost)),
                    NumUnit::Currency,
                ),
            ),
            Field::new("f.tool_status", Kind::Choice(STATUS)),
            Field::new("f.tracks", Kind::Custom(&TracksChecklist)),
            Field::new(
                "f.saves_effort",
                Kind::Check(|p, x| Some(&mut tl(p, x.row)?.saves_effort)),
            ),
            Field::new(
                "f.success_stories",
                Kind::Check(|p, x| Some(&mut tl(p, x.row)?.success_stories)),
            ),
            Field::new(
                "f.reliable",
                Kind::Check(|p, x| Some(&mut tl(p, x.row)?.reliable)),
            ),
            Field::new(
                "f.active_team",
                Kind::Check(|p, x| Some(&mut tl(p, x.row)?.active_team)),
            ),
            Field::new(
                "f.community",
                Kind::Check(|p, x| Some(&mut tl(p, x.row)?.community)),
            ),
            Field::new("f.done", Kind::Done),
        ]
    },
    // Space moves a tool along: evaluating → adopted → rejected.
    toggle: Some(|p, _, row| {
        if let Some(tool) = p.tools.get_mut(row) {
            let i = STATUSES.iter().position(|s| *s == tool.status).unwrap_or(0);
            tool.status = STATUSES[(i + 1) % STATUSES.len()];
        }
    }),
    footer: Some(|p, _| {
        if p.tools.is_empty() {
            return None;
        }
        let total: f64 = p
            .tools
            .iter()
            .filter(|tool| tool.status == ToolStatus::Adopted)
            .filter_map(|tool| tool.monthly_cost)
            .sum();
        Some((
            tf(
                "table.tools_total",
                &[
                    ("total", &format_number(total)),
                    ("currency", &p.plan.currency),
                ],
            ),
            false,
        ))
    }),
    extra: None,
    order: None,
    views: &[],
    tone: Some(|p, _, row| match p.tools[row].status {
        ToolStatus::Rejected => Tone::Dim,
        _ => Tone::Normal,
    }),
    empty: "table.no_tools",
};

const STATUS: Choice = Choice {
    options: |_| enum_options(&STATUSES, status_key, "tool_status"),
    get: |p, x| {
        p.tools
            .get(x.row)
            .map(|tool| status_key(tool.status).to_string())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let (Some(tool), Some(s)) = (
            p.tools.get_mut(x.row),
            STATUSES.iter().copied().find(|s| status_key(*s) == v),
        ) {
            tool.status = s;
        }
    },
};

/// In a tool's form: the plan's KPIs, ticked when the tool tracks them.
struct TracksChecklist;

impl Custom for TracksChecklist {
    fn height(&self, plan: &Plan, _ctx: Ctx, _width: u16) -> u16 {
        (plan.kpis.len() as u16).clamp(1, 8)
    }

    fn focusable(&self) -> bool {
        true
    }

    fn keys(&self) -> &'static [(&'static str, &'static str)] {
        &[("↑↓", "keys.rows"), ("Space", "keys.toggle_row")]
    }

    fn key(&self, plan: &mut Plan, ctx: Ctx, key: KeyEvent, selected: &mut usize) -> Outcome {
        let last = plan.kpis.len().saturating_sub(1);
        match key.code {
            KeyCode::Up => *selected = selected.saturating_sub(1),
            KeyCode::Down => *selected = (*selected + 1).min(last),
            KeyCode::Char(' ') => {
                let (Some(kpi), Some(tool)) = (
                    plan.kpis.get(*selected).map(|k| k.id.clone()),
                    plan.tools.get_mut(ctx.row),
                ) else {
                    return Outcome::Handled;
                };
                match tool.tracks.iter().position(|k| *k == kpi) {
                    Some(i) => {
                        tool.tracks.remove(i);
                    }
                    None => tool.tracks.push(kpi),
                }
                return Outcome::Edited;
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
        let tracks = plan.tools.get(ctx.row).map(|tool| &tool.tracks);
        if plan.kpis.is_empty() {
            Line::styled(t("table.no_kpis").to_string(), theme.placeholder()).render(area, buf);
            return;
        }
        let room = area.height as usize;
        let selected = selected.min(plan.kpis.len() - 1);
        let top = (selected + 1).saturating_sub(room);
        for (i, kpi) in plan.kpis.iter().enumerate().skip(top).take(room) {
            let on = tracks.is_some_and(|tr| tr.contains(&kpi.id));
            let style = if focus && i == selected {
                theme.selected()
            } else {
                theme.normal()
            };
            Line::styled(
                format!(
                    "{} {} ({})",
                    if on { "[x]" } else { "[ ]" },
                    kpi.name,
                    kpi.id
                ),
                style,
            )
            .render(
                Rect::new(area.x, area.y + (i - top) as u16, area.width, 1),
                buf,
            );
        }
    }
}

/// The KPIs no adopted tool tracks.
struct Untracked;

impl Untracked {
    /// How many ids the note names before it says "and N more".
    const SHOWN: usize = 20;

    fn text(plan: &Plan, today: Date) -> std::rc::Rc<(String, bool)> {
        crate::tui::cache::memo("untracked", 0, plan, today, || {
            let missing = untracked(plan);
            if plan.kpis.is_empty() {
                (t("view.nothing_yet").to_string(), false)
            } else if missing.is_empty() {
                (t("table.all_tracked").to_string(), false)
            } else {
                (
                    tf(
                        "table.untracked",
                        &[("ids", &shortened(&missing, Self::SHOWN))],
                    ),
                    true,
                )
            }
        })
    }
}

/// `ids` joined with commas, the first `shown` of them and then "and N more".
pub fn shortened(ids: &[&str], shown: usize) -> String {
    if ids.len() <= shown {
        return ids.join(", ");
    }
    format!(
        "{}, {}",
        ids[..shown].join(", "),
        tf("table.and_more", &[("n", &(ids.len() - shown))])
    )
}

impl Custom for Untracked {
    fn height(&self, plan: &Plan, ctx: Ctx, width: u16) -> u16 {
        let text = &Self::text(plan, ctx.today).0;
        (text.chars().count() as u16).div_ceil(width.max(1)).max(1)
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
        let memo = Self::text(plan, ctx.today);
        let (text, warn) = (&memo.0, memo.1);
        let style = if warn { theme.warning() } else { theme.ok() };
        Paragraph::new(Line::styled(
            format!("{} {text}", if warn { "⚠" } else { "✓" }),
            style,
        ))
        .wrap(Wrap { trim: true })
        .render(area, buf);
    }
}
