//! Step 9 — action items: who does what by when. Views by due date (late
//! ones first, flagged), by owner and by team; Space moves an action to its
//! next status; `x` adds the example actions.

use crate::i18n::{date, t, tf};
use crate::plan::{Action, ActionStatus, Date, Plan};
use crate::tui::form::{Choice, Ctx, Extra, Field, Form, Kind, Section, Slot, TableSpec, Tone};

use super::team::{TEAM_KINDS, team_key};
use super::{enum_options, goal_options, kpi_options, member_options, remove, swap, unique_id};

pub fn form(today: Date) -> Form {
    Form {
        ctx: Ctx::new(today),
        sections: vec![Section::new(
            "section.actions",
            vec![Field::new("f.actions", Kind::Table(&ACTIONS))],
        )],
    }
}

const STATUSES: [ActionStatus; 4] = [
    ActionStatus::Todo,
    ActionStatus::Doing,
    ActionStatus::Done,
    ActionStatus::Dropped,
];

fn status_key(s: ActionStatus) -> &'static str {
    super::status::action_status_key(s)
}

/// Late: due before today and still to do or in progress.
pub fn is_overdue(a: &Action, today: Date) -> bool {
    a.due.is_some_and(|d| d < today) && matches!(a.status, ActionStatus::Todo | ActionStatus::Doing)
}

fn a(p: &mut Plan, row: usize) -> Option<&mut Action> {
    p.actions.get_mut(row)
}

/// The display order of each view: as listed, by due date, by owner, by team.
/// The display order of a view, remembered until the plan changes.
fn order(p: &Plan, x: Ctx, view: usize) -> Vec<usize> {
    crate::tui::cache::memo("actions_order", view as u64, p, x.today, || {
        sorted(p, x, view)
    })
    .as_ref()
    .clone()
}

fn sorted(p: &Plan, x: Ctx, view: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..p.actions.len()).collect();
    let due = |i: usize| {
        let act = &p.actions[i];
        (!is_overdue(act, x.today), act.due.is_none(), act.due)
    };
    match view {
        1 => idx.sort_by_key(|i| due(*i)),
        2 => idx.sort_by_cached_key(|i| {
            let owner = &p.actions[*i].owner;
            (owner.is_empty(), owner.clone(), due(*i))
        }),
        3 => idx.sort_by_key(|i| {
            let team = p.actions[*i].team.map(team_key).unwrap_or("~");
            (team, due(*i))
        }),
        _ => {}
    }
    idx
}

static ACTIONS: TableSpec = TableSpec {
    columns: &[
        ("col.title", 6),
        ("col.owner", 3),
        ("col.due", 3),
        ("col.status", 2),
        ("col.team", 2),
        ("col.link", 3),
    ],
    len: |p, _| p.actions.len(),
    cell: |p, x, row, col| {
        let act = &p.actions[row];
        match col {
            0 => act.title.clone(),
            1 => p
                .member(&act.owner)
                .map_or_else(|| act.owner.clone(), |m| m.name.clone()),
            2 => match act.due {
                Some(d) if is_overdue(act, x.today) => format!("⚠ {}", date::format(d)),
                Some(d) => date::format(d),
                None => String::new(),
            },
            3 => t(&format!("action_status.{}", status_key(act.status))).to_string(),
            4 => act
                .team
                .map(|tm| t(&format!("team_kind.{}", team_key(tm))).to_string())
                .unwrap_or_default(),
            _ => [act.goal.as_str(), act.kpi.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · "),
        }
    },
    add: |p, x| {
        let id = unique_id("action", |id| p.actions.iter().any(|a| a.id == id));
        p.actions.push(Action {
            id,
            due: Some(x.today),
            ..Action::default()
        });
        p.actions.len() - 1
    },
    remove: |p, _, i| remove(&mut p.actions, i),
    swap: |p, _, a, b| swap(&mut p.actions, a, b),
    row_fields: || {
        vec![
            Field::new(
                "f.action_title",
                Kind::Text(|p, x| Some(&mut a(p, x.row)?.title)),
            ),
            Field::new("f.action_id", Kind::Id(|p, x| Some(&mut a(p, x.row)?.id))),
            Field::new("f.action_owner", Kind::Choice(OWNER)),
            Field::new(
                "f.due",
                Kind::Date(|p, x| Some(Slot::Opt(&mut a(p, x.row)?.due))),
            ),
            Field::new("f.action_status", Kind::Choice(STATUS)),
            Field::new("f.action_team", Kind::Choice(TEAM)),
            Field::new("f.action_goal", Kind::Choice(GOAL)),
            Field::new("f.action_kpi", Kind::Choice(KPI)),
            Field::new("f.done", Kind::Done),
        ]
    },
    // Space moves an action along: to do → doing → done → dropped → to do.
    toggle: Some(|p, _, row| {
        if let Some(act) = p.actions.get_mut(row) {
            act.status = act.status.next();
        }
    }),
    footer: Some(|p, x| {
        crate::tui::cache::memo("actions_footer", 0, p, x.today, || {
            actions_footer(p, x.today)
        })
        .as_ref()
        .clone()
    }),
    extra: Some(('x', "keys.example_actions", add_examples)),
    order: Some(order),
    views: &[
        "view.as_listed",
        "view.by_due",
        "view.by_owner",
        "view.by_team",
    ],
    tone: Some(|p, x, row| {
        let act = &p.actions[row];
        if is_overdue(act, x.today) {
            Tone::Error
        } else if matches!(act.status, ActionStatus::Done | ActionStatus::Dropped) {
            Tone::Dim
        } else {
            Tone::Normal
        }
    }),
    empty: "table.no_actions",
};

const OWNER: Choice = Choice {
    options: member_options,
    get: |p, x| {
        p.actions
            .get(x.row)
            .map(|a| a.owner.clone())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(act) = p.actions.get_mut(x.row) {
            act.owner = v.to_string();
        }
    },
};

const GOAL: Choice = Choice {
    options: goal_options,
    get: |p, x| {
        p.actions
            .get(x.row)
            .map(|a| a.goal.clone())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(act) = p.actions.get_mut(x.row) {
            act.goal = v.to_string();
        }
    },
};

const KPI: Choice = Choice {
    options: kpi_options,
    get: |p, x| {
        p.actions
            .get(x.row)
            .map(|a| a.kpi.clone())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(act) = p.actions.get_mut(x.row) {
            act.kpi = v.to_string();
        }
    },
};

const STATUS: Choice = Choice {
    options: |_| enum_options(&STATUSES, status_key, "action_status"),
    get: |p, x| {
        p.actions
            .get(x.row)
            .map(|a| status_key(a.status).to_string())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let (Some(act), Some(s)) = (
            p.actions.get_mut(x.row),
            STATUSES.iter().copied().find(|s| status_key(*s) == v),
        ) {
            act.status = s;
        }
    },
};

const TEAM: Choice = Choice {
    options: |_| enum_options(&TEAM_KINDS, team_key, "team_kind"),
    get: |p, x| {
        p.actions
            .get(x.row)
            .and_then(|a| a.team)
            .map(|tm| team_key(tm).to_string())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(act) = p.actions.get_mut(x.row) {
            act.team = TEAM_KINDS.iter().copied().find(|tm| team_key(*tm) == v);
        }
    },
};

/// The example actions, in the order `x` adds them: (id, team, days to do it).
pub const EXAMPLE_ACTIONS: [(&str, crate::plan::TeamKind, i64); 6] = [
    ("collateral", crate::plan::TeamKind::Marketing, 21),
    ("analytics-utm", crate::plan::TeamKind::Marketing, 14),
    ("campaign", crate::plan::TeamKind::Marketing, 30),
    ("call-script", crate::plan::TeamKind::Sales, 14),
    ("enablement-tools", crate::plan::TeamKind::Sales, 30),
    ("upsells", crate::plan::TeamKind::Sales, 60),
];

/// Adds the example actions the plan does not have yet.
fn add_examples(p: &mut Plan, x: Ctx) -> Extra {
    let mut added = 0;
    for (id, team, days) in EXAMPLE_ACTIONS {
        if p.actions.iter().any(|a| a.id == id) {
            continue;
        }
        let due = jiff::civil::Date::checked_add(x.today.0, jiff::Span::new().days(days))
            .map(Date)
            .ok();
        p.actions.push(Action {
            id: id.to_string(),
            title: t(&format!("example_action.{id}")).to_string(),
            team: Some(team),
            due,
            ..Action::default()
        });
        added += 1;
    }
    Extra::Added(added, None)
}

/// The totals under the actions table: how many in each status, and how
/// many are overdue.
fn actions_footer(p: &Plan, today: Date) -> Option<(String, bool)> {
    if p.actions.is_empty() {
        return None;
    }
    let mut parts: Vec<String> = STATUSES
        .iter()
        .map(|s| {
            let n = p.actions.iter().filter(|a| a.status == *s).count();
            crate::i18n::count(n, t(&format!("action_status.{}", status_key(*s))))
        })
        .collect();
    let late = p.actions.iter().filter(|a| is_overdue(a, today)).count();
    if late > 0 {
        parts.push(format!("⚠ {}", tf("table.overdue", &[("n", &late)])));
    }
    Some((parts.join(" · "), late > 0))
}
