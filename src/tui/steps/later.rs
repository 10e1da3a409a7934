//! Steps 8–10 as read-only views: what the plan already holds for the step,
//! under a plain note that editing it here comes in a later version.

use ratatui::text::{Line, Span};

use crate::i18n::{t, tf};
use crate::plan::{Date, Plan};
use crate::tui::form::format_number;
use crate::tui::text::safe;
use crate::tui::theme::Theme;

use super::Step;

fn heading(theme: &Theme, key: &str, count: Option<usize>) -> Line<'static> {
    let text = match count {
        Some(n) => format!("{} ({n})", t(key)),
        None => t(key).to_string(),
    };
    Line::styled(text, theme.title())
}

fn item(text: String) -> Line<'static> {
    Line::raw(format!("  • {}", safe(&text)))
}

fn field(theme: &Theme, key: &str, value: &str) -> Option<Line<'static>> {
    if value.trim().is_empty() {
        return None;
    }
    Some(Line::from(vec![
        Span::styled(format!("  {}: ", t(key)), theme.label()),
        Span::raw(safe(value.lines().next().unwrap_or(""))),
    ]))
}

fn opt_date(d: Option<Date>) -> String {
    d.map_or_else(|| "—".to_string(), |d| d.to_string())
}

fn who(plan: &Plan, id: &str) -> String {
    if id.is_empty() {
        return t("view.nobody").to_string();
    }
    plan.member(id)
        .map_or_else(|| id.to_string(), |m| m.name.clone())
}

/// The lines of a read-only step view.
pub fn later_lines(step: Step, plan: &Plan, theme: &Theme, today: Date) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::styled(
            t(&format!("{}.later", step.key())).to_string(),
            theme.warning(),
        ),
        Line::raw(""),
    ];
    let empty = |out: &mut Vec<Line<'static>>| {
        out.push(Line::styled(
            format!("  {}", t("view.nothing_yet")),
            theme.placeholder(),
        ));
    };
    match step {
        Step::Team => {
            out.push(heading(
                theme,
                "view.members",
                Some(plan.team.members.len()),
            ));
            if plan.team.members.is_empty() {
                empty(&mut out);
            }
            for m in &plan.team.members {
                let owned = plan.kpis.iter().filter(|k| k.owner == m.id).count();
                out.push(item(format!(
                    "{} ({}) — {} · {}",
                    m.name,
                    m.id,
                    m.role,
                    tf("view.kpis_owned", &[("n", &owned)])
                )));
            }
            let unowned: Vec<&str> = plan
                .kpis
                .iter()
                .filter(|k| k.owner.is_empty())
                .map(|k| k.id.as_str())
                .collect();
            if !unowned.is_empty() {
                out.push(Line::styled(
                    format!(
                        "  ⚠ {}",
                        tf("view.unowned", &[("ids", &unowned.join(", "))])
                    ),
                    theme.warning(),
                ));
            }
            out.push(Line::raw(""));
            out.push(heading(theme, "view.team_answers", None));
            out.extend(field(
                theme,
                "f.communication.label",
                &plan.team.communication,
            ));
            out.extend(field(
                theme,
                "f.performance_review.label",
                &plan.team.performance_review,
            ));
            out.extend(field(
                theme,
                "f.team_challenges.label",
                &plan.team.challenges,
            ));
            out.extend(field(
                theme,
                "f.expansion_triggers.label",
                &plan.team.expansion_triggers,
            ));
            out.push(Line::raw(""));
            out.push(heading(
                theme,
                "view.stakeholders",
                Some(plan.team.stakeholders.len()),
            ));
            for s in &plan.team.stakeholders {
                out.push(item(format!(
                    "{} {}",
                    if s.consulted { "[x]" } else { "[ ]" },
                    s.name
                )));
            }
        }
        Step::Actions => {
            out.push(heading(theme, "view.actions", Some(plan.actions.len())));
            if plan.actions.is_empty() {
                empty(&mut out);
            }
            let mut actions: Vec<&crate::plan::Action> = plan.actions.iter().collect();
            actions.sort_by_key(|a| (a.due.is_none(), a.due));
            for a in actions {
                let overdue = a.due.is_some_and(|d| d < today)
                    && matches!(
                        a.status,
                        crate::plan::ActionStatus::Todo | crate::plan::ActionStatus::Doing
                    );
                let status = t(&format!("action_status.{}", action_status_key(a.status)));
                let line = format!(
                    "  {} {} — {} · {} · {}",
                    if overdue { "⚠" } else { "•" },
                    safe(&a.title),
                    opt_date(a.due),
                    status,
                    who(plan, &a.owner)
                );
                out.push(if overdue {
                    Line::styled(line, theme.warning())
                } else {
                    Line::raw(line)
                });
            }
        }
        Step::Tools => {
            out.push(heading(theme, "view.tools", Some(plan.tools.len())));
            if plan.tools.is_empty() {
                empty(&mut out);
            }
            let mut total = 0.0;
            for tool in &plan.tools {
                let status = t(&format!("tool_status.{}", tool_status_key(tool.status)));
                if tool.status == crate::plan::ToolStatus::Adopted {
                    total += tool.monthly_cost.unwrap_or(0.0);
                }
                out.push(item(format!(
                    "{} — {} · {} {}/mo",
                    tool.name,
                    status,
                    tool.monthly_cost.map_or("—".to_string(), format_number),
                    plan.plan.currency
                )));
            }
            out.push(Line::raw(""));
            out.push(Line::raw(tf(
                "view.tools_total",
                &[
                    ("total", &format_number(total)),
                    ("currency", &plan.plan.currency),
                ],
            )));
        }
        // Steps 1–7 are forms.
        _ => {}
    }
    out
}

pub fn action_status_key(s: crate::plan::ActionStatus) -> &'static str {
    match s {
        crate::plan::ActionStatus::Todo => "todo",
        crate::plan::ActionStatus::Doing => "doing",
        crate::plan::ActionStatus::Done => "done",
        crate::plan::ActionStatus::Dropped => "dropped",
    }
}

pub fn tool_status_key(s: crate::plan::ToolStatus) -> &'static str {
    match s {
        crate::plan::ToolStatus::Evaluating => "evaluating",
        crate::plan::ToolStatus::Adopted => "adopted",
        crate::plan::ToolStatus::Rejected => "rejected",
    }
}
