//! Step 4 — SMART goals: the list of goals, and for the chosen one its form
//! under a live S/M/A/R/T badge row.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::i18n::t;
use crate::metrics::{self, SmartCheck};
use crate::plan::{Date, Goal, GoalTeam, Plan};
use crate::tui::form::{Choice, Ctx, Custom, Extra, Field, Form, Kind, Section, Slot, TableSpec};
use crate::tui::theme::Theme;

use super::{kpi_options, member_options, remove, swap, unique_id};

pub fn form(plan: &Plan, today: Date, selected_row: &dyn Fn(usize) -> usize) -> Form {
    let item = selected_row(0).min(plan.goals.len().saturating_sub(1));
    let mut sections = vec![Section::new(
        "section.goals",
        vec![Field::new("f.goals", Kind::Table(&GOALS))],
    )];
    if plan.goals.is_empty() {
        sections.push(Section::note(
            "section.goal",
            t("table.add_goal_first").to_string(),
        ));
    } else {
        sections.push(Section::new(
            "section.goal",
            vec![
                Field::new("f.smart", Kind::Custom(&SmartBadges)),
                Field::new(
                    "f.goal_title",
                    Kind::Text(|p, x| Some(&mut g(p, x.item)?.title)),
                ),
                Field::new(
                    "f.specific",
                    Kind::Multi(|p, x| Some(&mut g(p, x.item)?.specific)),
                ),
                Field::new("f.goal_kpi", Kind::Choice(GOAL_KPI)),
                Field::new(
                    "f.achievable",
                    Kind::Multi(|p, x| Some(&mut g(p, x.item)?.achievable)),
                ),
                Field::new(
                    "f.relevant",
                    Kind::Multi(|p, x| Some(&mut g(p, x.item)?.relevant)),
                ),
                Field::new(
                    "f.start",
                    Kind::Date(|p, x| Some(Slot::Opt(&mut g(p, x.item)?.start))),
                ),
                Field::new(
                    "f.end",
                    Kind::Date(|p, x| Some(Slot::Opt(&mut g(p, x.item)?.end))),
                ),
                Field::new("f.goal_owner", Kind::Choice(GOAL_OWNER)),
                Field::new("f.goal_team", Kind::Choice(GOAL_TEAM)),
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

fn g(plan: &mut Plan, item: usize) -> Option<&mut Goal> {
    plan.goals.get_mut(item)
}

const GOAL_KPI: Choice = Choice {
    options: kpi_options,
    get: |p, x| {
        p.goals
            .get(x.item)
            .map(|g| g.kpi.clone())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(g) = p.goals.get_mut(x.item) {
            g.kpi = v.to_string();
        }
    },
};

const GOAL_OWNER: Choice = Choice {
    options: member_options,
    get: |p, x| {
        p.goals
            .get(x.item)
            .map(|g| g.owner.clone())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(g) = p.goals.get_mut(x.item) {
            g.owner = v.to_string();
        }
    },
};

fn team_key(t: GoalTeam) -> &'static str {
    match t {
        GoalTeam::Marketing => "marketing",
        GoalTeam::Sales => "sales",
        GoalTeam::Both => "both",
    }
}

const GOAL_TEAMS: [GoalTeam; 3] = [GoalTeam::Marketing, GoalTeam::Sales, GoalTeam::Both];

const GOAL_TEAM: Choice = Choice {
    options: |_| super::enum_options(&GOAL_TEAMS, team_key, "goal_team"),
    get: |p, x| {
        p.goals
            .get(x.item)
            .and_then(|g| g.team)
            .map(|t| team_key(t).to_string())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(g) = p.goals.get_mut(x.item) {
            g.team = GOAL_TEAMS.iter().copied().find(|t| team_key(*t) == v);
        }
    },
};

/// `✓ SMART`, or the letters that fail: `✗ M·T`.
fn badge_text(check: &SmartCheck) -> String {
    if check.is_smart() {
        "✓ SMART".to_string()
    } else {
        let failing: Vec<String> = check
            .letters()
            .iter()
            .filter(|(_, c)| !c.ok)
            .map(|(l, _)| l.to_string())
            .collect();
        format!("✗ {}", failing.join("·"))
    }
}

static GOALS: TableSpec = TableSpec {
    columns: &[
        ("col.id", 3),
        ("col.title", 6),
        ("col.kpi", 3),
        ("col.owner", 3),
        ("col.smart", 3),
    ],
    len: |p, _| p.goals.len(),
    cell: |p, x, row, col| {
        let goal = &p.goals[row];
        match col {
            0 => goal.id.clone(),
            1 => goal.title.clone(),
            2 => goal.kpi.clone(),
            3 => goal.owner.clone(),
            _ => smart_badges(p, x.today)
                .get(row)
                .cloned()
                .unwrap_or_default(),
        }
    },
    add: |p, _| {
        let id = unique_id("goal", |id| p.goal(id).is_some());
        p.goals.push(Goal {
            id,
            ..Goal::default()
        });
        p.goals.len() - 1
    },
    remove: |p, _, i| remove(&mut p.goals, i),
    swap: |p, _, a, b| swap(&mut p.goals, a, b),
    row_fields: || {
        vec![
            Field::new(
                "f.goal_title",
                Kind::Text(|p, x| Some(&mut g(p, x.row)?.title)),
            ),
            Field::new("f.goal_id", Kind::Id(|p, x| Some(&mut g(p, x.row)?.id))),
            Field::new("f.done", Kind::Done),
        ]
    },
    toggle: None,
    footer: Some(|p, x| {
        let smart = *crate::tui::cache::memo("goals_smart", 0, p, x.today, || {
            let index = metrics::KpiIndex::new(p);
            p.goals
                .iter()
                .filter(|g| metrics::smart_check_indexed(g, p, x.today, &index).is_smart())
                .count()
        });
        Some((
            crate::i18n::tn(
                "table.goals_footer",
                smart as u64,
                &[("smart", &smart), ("total", &p.goals.len())],
            ),
            smart < p.goals.len(),
        ))
    }),
    extra: Some(('x', "keys.example_goal", add_example_goal)),
    order: None,
    views: &[],
    tone: None,
    empty: "table.no_goals",
};

/// The example goal shapes, in the order `x` offers them.
pub const EXAMPLE_GOALS: [(&str, GoalTeam, i64); 6] = [
    ("more-sqls", GoalTeam::Both, 3),
    ("cut-churn", GoalTeam::Sales, 3),
    ("faster-sales", GoalTeam::Sales, 6),
    ("raise-ltv", GoalTeam::Sales, 12),
    ("new-region", GoalTeam::Both, 12),
    ("pricing-conversion", GoalTeam::Marketing, 6),
];

/// Adds the next example goal the plan does not have yet.
fn add_example_goal(p: &mut Plan, x: Ctx) -> Extra {
    let Some((id, team, months)) = EXAMPLE_GOALS
        .iter()
        .find(|(id, _, _)| p.goal(id).is_none())
        .copied()
    else {
        return Extra::Added(0, None);
    };
    let start = x.today;
    let end = add_months(start, months);
    p.goals.push(Goal {
        id: id.to_string(),
        title: t(&format!("example_goal.{id}.title")).to_string(),
        specific: t(&format!("example_goal.{id}.specific")).to_string(),
        start: Some(start),
        end: Some(end),
        team: Some(team),
        ..Goal::default()
    });
    Extra::Added(1, Some(p.goals.len() - 1))
}

/// The last day of the month `months` after `date`'s month.
fn add_months(date: Date, months: i64) -> Date {
    let total = i64::from(date.year()) * 12 + i64::from(date.month()) - 1 + months;
    let year = (total / 12) as i16;
    let month = (total % 12 + 1) as i8;
    Date::new(year, month, 1)
        .map(Date::end_of_month)
        .unwrap_or(date)
}

/// The S/M/A/R/T badge of every goal, worked out once per version of the
/// plan (the goals table draws a few of them on every frame).
fn smart_badges(p: &Plan, today: crate::plan::Date) -> std::rc::Rc<Vec<String>> {
    crate::tui::cache::memo("goal_badges", 0, p, today, || {
        let index = metrics::KpiIndex::new(p);
        p.goals
            .iter()
            .map(|g| badge_text(&metrics::smart_check_indexed(g, p, today, &index)))
            .collect()
    })
}

/// The live S/M/A/R/T row of the chosen goal, with what is missing.
struct SmartBadges;

impl SmartBadges {
    fn lines(plan: &Plan, ctx: Ctx, theme: &Theme) -> Vec<Line<'static>> {
        let Some(goal) = plan.goals.get(ctx.item) else {
            return Vec::new();
        };
        let check = metrics::smart_check(goal, plan, ctx.today);
        let mut badges = Vec::new();
        for (letter, c) in check.letters() {
            let (mark, style) = if c.ok {
                ("✓", theme.ok())
            } else {
                ("✗", theme.error())
            };
            badges.push(Span::styled(format!(" {letter} {mark} "), style));
            badges.push(Span::raw(" "));
        }
        let mut lines = vec![Line::from(badges)];
        for (letter, c) in check.letters() {
            for r in &c.reasons {
                lines.push(Line::styled(
                    format!("✗ {letter}: {}", t(&format!("smart.{}", r.key()))),
                    theme.error(),
                ));
            }
            for w in &c.warnings {
                lines.push(Line::styled(
                    format!("! {letter}: {}", t(&format!("smart.{}", w.key()))),
                    theme.warning(),
                ));
            }
        }
        lines
    }
}

impl Custom for SmartBadges {
    fn height(&self, plan: &Plan, ctx: Ctx, _width: u16) -> u16 {
        Self::lines(plan, ctx, &Theme::new(false)).len().clamp(1, 8) as u16
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
        for (i, line) in Self::lines(plan, ctx, theme).into_iter().enumerate() {
            if i as u16 >= area.height {
                break;
            }
            line.render(Rect::new(area.x, area.y + i as u16, area.width, 1), buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_added_to_month_ends() {
        let d: Date = "2026-11-15".parse().unwrap();
        assert_eq!(add_months(d, 3).to_string(), "2027-02-28");
        assert_eq!(add_months(d, 1).to_string(), "2026-12-31");
    }
}
