//! The weekly review: what in a plan needs attention now, and what a review
//! changed. The pure half of the review screen (`tui::review`).
//!
//! - The month a review asks figures for is the latest *closed* month: the
//!   month before today's, or today's own month when today is its last day.
//!   Its value is stored dated the month's last day, as the plan's actuals
//!   are; metrics.md counts only actuals dated on or before today, so a value
//!   dated the end of the month still running would not count until then.
//! - "Due this week" means due in the seven days from today on.
//!
//! No I/O and no text here: results are indexes, statuses and dates that the
//! screen turns into words.

use std::collections::HashMap;

use crate::metrics::{self, Status};
use crate::plan::{ActionStatus, Date, Plan, Remedy};

/// A calendar month: its first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub first: Date,
    pub last: Date,
}

impl Month {
    pub fn contains(self, date: Date) -> bool {
        self.first <= date && date <= self.last
    }
}

/// The latest month that has ended by `today` (today's month when today is
/// its last day).
pub fn review_month(today: Date) -> Month {
    let last = if today == today.end_of_month() {
        today
    } else {
        let first = Date(today.0.first_of_month());
        Date(first.0.yesterday().expect("a month before year -9999"))
    };
    Month {
        first: Date(last.0.first_of_month()),
        last,
    }
}

/// KPIs (indexes into `plan.kpis`) with no actual dated in `month`, in file
/// order. A KPI whose baseline comes after the month is not measured yet.
pub fn kpis_missing_value(plan: &Plan, month: Month) -> Vec<usize> {
    plan.kpis
        .iter()
        .enumerate()
        .filter(|(_, k)| {
            k.baseline.date <= month.last && !k.actuals.iter().any(|a| month.contains(a.date))
        })
        .map(|(i, _)| i)
        .collect()
}

/// A KPI that is overdue, off track or at risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lagging {
    /// Index into `plan.kpis`.
    pub kpi: usize,
    pub status: Status,
}

/// Overdue, off-track and at-risk KPIs, worst first (gap-table order).
pub fn lagging_kpis(plan: &Plan, today: Date) -> Vec<Lagging> {
    let Ok(table) = metrics::gap_table(plan, today, None) else {
        return Vec::new();
    };
    table
        .rows
        .iter()
        .filter(|r| r.metrics.status.is_lagging())
        .map(|r| Lagging {
            kpi: r.index,
            status: r.metrics.status,
        })
        .collect()
}

/// An action that is late or due within the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueAction {
    /// Index into `plan.actions`.
    pub action: usize,
    pub overdue: bool,
}

/// Open actions (to do or doing) that are overdue or due in the seven days
/// from `today` on: late ones first, each group by due date.
pub fn actions_due(plan: &Plan, today: Date) -> Vec<DueAction> {
    let week_end = Date(today.0.saturating_add(jiff::Span::new().days(6)));
    let mut out: Vec<(Date, DueAction)> = plan
        .actions
        .iter()
        .enumerate()
        .filter(|(_, a)| matches!(a.status, ActionStatus::Todo | ActionStatus::Doing))
        .filter_map(|(i, a)| {
            let due = a.due?;
            (due <= week_end).then_some((
                due,
                DueAction {
                    action: i,
                    overdue: due < today,
                },
            ))
        })
        .collect();
    out.sort_by_key(|(due, a)| (!a.overdue, *due, a.action));
    out.into_iter().map(|(_, a)| a).collect()
}

/// A goal whose SMART check fails.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalIssue {
    /// Index into `plan.goals`.
    pub goal: usize,
    /// The failing letters, in S-M-A-R-T order.
    pub failing: Vec<char>,
    /// Why, letter by letter (locale keys under `smart.`).
    pub reasons: Vec<(char, &'static str)>,
}

/// Goals that are not SMART, in file order.
pub fn goals_not_smart(plan: &Plan, today: Date) -> Vec<GoalIssue> {
    let index = metrics::KpiIndex::new(plan);
    plan.goals
        .iter()
        .enumerate()
        .filter_map(|(i, g)| {
            let check = metrics::smart_check_indexed(g, plan, today, &index);
            let failing: Vec<char> = check
                .letters()
                .iter()
                .filter(|(_, c)| !c.ok)
                .map(|(l, _)| *l)
                .collect();
            if failing.is_empty() {
                return None;
            }
            let reasons = check
                .letters()
                .iter()
                .flat_map(|(l, c)| c.reasons.iter().map(move |r| (*l, r.key())))
                .collect();
            Some(GoalIssue {
                goal: i,
                failing,
                reasons,
            })
        })
        .collect()
}

/// The name of the team member `id`, else the id itself; `None` when empty.
pub fn owner_name<'a>(plan: &'a Plan, id: &'a str) -> Option<&'a str> {
    if id.trim().is_empty() {
        return None;
    }
    Some(plan.member(id).map_or(id, |m| m.name.as_str()))
}

/// The remedies the plan records for KPI `id`.
pub fn remedies_for<'a>(plan: &'a Plan, id: &str) -> Vec<&'a Remedy> {
    plan.remedies.iter().filter(|r| r.kpi == id).collect()
}

/// Records `value` as KPI `kpi`'s actual for `month` (dated its last day);
/// a value already dated that day is replaced. `false` for a value that is
/// not a finite number, or a KPI that does not exist (nothing changes).
pub fn record_value(plan: &mut Plan, kpi: usize, month: Month, value: f64) -> bool {
    if !value.is_finite() {
        return false;
    }
    let Some(k) = plan.kpis.get_mut(kpi) else {
        return false;
    };
    match k.actuals.iter_mut().rev().find(|a| a.date == month.last) {
        Some(existing) => existing.value = value,
        None => k.actuals.push(crate::plan::Actual {
            date: month.last,
            value,
        }),
    }
    true
}

/// A KPI whose status moved during the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMove {
    pub kpi: String,
    pub name: String,
    pub from: Status,
    pub to: Status,
}

/// An actual that is new, or holds a new value.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueEntered {
    pub kpi: String,
    pub name: String,
    pub date: Date,
    pub value: f64,
    /// The value it replaced, if any.
    pub old: Option<f64>,
}

/// An action whose status changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionMove {
    pub id: String,
    pub title: String,
    pub from: ActionStatus,
    pub to: ActionStatus,
}

/// What a review changed: the plan when it started against the plan now.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Changes {
    pub statuses: Vec<StatusMove>,
    pub values: Vec<ValueEntered>,
    pub actions: Vec<ActionMove>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.statuses.is_empty() && self.values.is_empty() && self.actions.is_empty()
    }
}

/// Compares `before` and `after` (the same plan, some time apart) as of
/// `today`. KPIs and actions are matched by id; ones added or removed in
/// between are not reported.
pub fn changes(before: &Plan, after: &Plan, today: Date) -> Changes {
    let mut out = Changes::default();
    let statuses = |p: &Plan| -> HashMap<String, Status> {
        metrics::gap_table(p, today, None)
            .map(|t| {
                t.rows
                    .into_iter()
                    .map(|r| (r.id, r.metrics.status))
                    .collect()
            })
            .unwrap_or_default()
    };
    let old = statuses(before);
    let new = statuses(after);
    let mut seen = std::collections::HashSet::new();
    for k in &after.kpis {
        if let (Some(&from), Some(&to)) = (old.get(&k.id), new.get(&k.id))
            && from != to
            && seen.insert(k.id.as_str())
        {
            out.statuses.push(StatusMove {
                kpi: k.id.clone(),
                name: k.name.clone(),
                from,
                to,
            });
        }
    }
    // Lookups by id and date, so a plan with thousands of KPIs, actuals
    // and actions is compared in linear time. The first of equal ids wins,
    // as `Plan::kpi` finds it.
    let mut kpis_before: HashMap<&str, &crate::plan::Kpi> = HashMap::new();
    for k in &before.kpis {
        kpis_before.entry(k.id.as_str()).or_insert(k);
    }
    for k in &after.kpis {
        let Some(was) = kpis_before.get(k.id.as_str()) else {
            continue;
        };
        if was.actuals == k.actuals {
            continue;
        }
        // The value the metrics read for each date: the last one in the file.
        let old_values: HashMap<Date, f64> =
            was.actuals.iter().map(|a| (a.date, a.value)).collect();
        for a in &k.actuals {
            let old = old_values.get(&a.date).copied();
            if old == Some(a.value) {
                continue;
            }
            out.values.push(ValueEntered {
                kpi: k.id.clone(),
                name: k.name.clone(),
                date: a.date,
                value: a.value,
                old,
            });
        }
    }
    let mut actions_before: HashMap<&str, ActionStatus> = HashMap::new();
    for a in &before.actions {
        actions_before.entry(a.id.as_str()).or_insert(a.status);
    }
    for a in &after.actions {
        if let Some(&was) = actions_before.get(a.id.as_str())
            && was != a.status
        {
            out.actions.push(ActionMove {
                id: a.id.clone(),
                title: a.title.clone(),
                from: was,
                to: a.status,
            });
        }
    }
    out
}

/// Marks the plan reviewed today.
pub fn mark_reviewed(plan: &mut Plan, today: Date) {
    plan.plan.reviewed = Some(today);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, Forecast, Goal};

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn example() -> Plan {
        crate::store::load::parse(std::path::Path::new("example.toml"), crate::store::EXAMPLE)
            .unwrap()
            .plan
    }

    #[test]
    fn the_review_month_is_the_latest_closed_month() {
        let m = review_month(d("2026-12-07"));
        assert_eq!((m.first, m.last), (d("2026-11-01"), d("2026-11-30")));
        // On a month's last day that month has closed.
        let m = review_month(d("2026-11-30"));
        assert_eq!(m.last, d("2026-11-30"));
        // January looks back to December of the year before.
        let m = review_month(d("2027-01-04"));
        assert_eq!((m.first, m.last), (d("2026-12-01"), d("2026-12-31")));
        // February of a leap year ends on the 29th.
        assert_eq!(review_month(d("2028-03-01")).last, d("2028-02-29"));
    }

    #[test]
    fn kpis_with_a_value_in_the_month_are_not_asked_again() {
        let plan = example();
        // The example's actuals run to October 2026.
        let october = review_month(d("2026-11-15"));
        assert!(kpis_missing_value(&plan, october).is_empty());
        let november = review_month(d("2026-12-07"));
        assert_eq!(
            kpis_missing_value(&plan, november),
            (0..plan.kpis.len()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_kpi_that_starts_after_the_month_is_not_asked() {
        let mut plan = example();
        plan.kpis[0].baseline.date = d("2026-12-01");
        let november = review_month(d("2026-12-07"));
        assert!(!kpis_missing_value(&plan, november).contains(&0));
    }

    #[test]
    fn a_value_is_stored_at_the_months_last_day_and_replaces_one_there() {
        let mut plan = example();
        let november = review_month(d("2026-12-07"));
        let before = plan.kpis[0].actuals.len();
        assert!(record_value(&mut plan, 0, november, 29500.0));
        let last = *plan.kpis[0].actuals.last().unwrap();
        assert_eq!((last.date, last.value), (d("2026-11-30"), 29500.0));
        assert!(record_value(&mut plan, 0, november, 29600.0));
        assert_eq!(plan.kpis[0].actuals.len(), before + 1);
        assert_eq!(plan.kpis[0].actuals.last().unwrap().value, 29600.0);
        assert!(!record_value(&mut plan, 0, november, f64::NAN));
        assert!(!record_value(&mut plan, 99, november, 1.0));
    }

    #[test]
    fn lagging_kpis_come_worst_first_and_leave_out_the_rest() {
        let plan = example();
        let today = d("2026-11-15");
        let lagging = lagging_kpis(&plan, today);
        assert!(!lagging.is_empty());
        assert!(lagging.iter().all(|l| l.status.is_lagging()));
        assert!(lagging.windows(2).all(|w| w[0].status <= w[1].status));
        // The example's SQL deadline passed unmet.
        let sqls = plan.kpis.iter().position(|k| k.id == "sqls").unwrap();
        assert_eq!(
            lagging[0],
            Lagging {
                kpi: sqls,
                status: Status::Overdue
            }
        );
    }

    #[test]
    fn actions_due_are_late_ones_then_this_weeks_open_ones() {
        let mut plan = crate::plan::Plan::new("t", None);
        let action = |id: &str, due: &str, status| Action {
            id: id.into(),
            title: id.into(),
            due: Some(d(due)),
            status,
            ..Action::default()
        };
        plan.actions = vec![
            action("later", "2026-11-30", ActionStatus::Todo),
            action("soon", "2026-11-21", ActionStatus::Doing),
            action("week-end", "2026-11-22", ActionStatus::Todo),
            action("late", "2026-11-10", ActionStatus::Todo),
            action("late-done", "2026-11-01", ActionStatus::Done),
            action("today", "2026-11-16", ActionStatus::Todo),
        ];
        let due = actions_due(&plan, d("2026-11-16"));
        let ids: Vec<(&str, bool)> = due
            .iter()
            .map(|a| (plan.actions[a.action].id.as_str(), a.overdue))
            .collect();
        assert_eq!(
            ids,
            [
                ("late", true),
                ("today", false),
                ("soon", false),
                ("week-end", false)
            ]
        );
    }

    #[test]
    fn goals_that_fail_smart_name_their_letters() {
        let mut plan = example();
        let ok = goals_not_smart(&plan, d("2026-11-15"));
        plan.goals.push(Goal {
            id: "vague".into(),
            title: "More customers".into(),
            ..Goal::default()
        });
        let issues = goals_not_smart(&plan, d("2026-11-15"));
        assert_eq!(issues.len(), ok.len() + 1);
        let vague = issues.last().unwrap();
        assert_eq!(vague.goal, plan.goals.len() - 1);
        assert_eq!(vague.failing, ['S', 'M', 'A', 'R', 'T']);
        assert!(vague.reasons.contains(&('M', "no_kpi")));
    }

    #[test]
    fn changes_list_moved_statuses_new_values_and_action_moves() {
        let before = example();
        let today = d("2026-12-07");
        let november = review_month(today);
        let mut after = before.clone();
        assert!(changes(&before, &after, today).is_empty());
        // MRR jumps past its target: met.
        let mrr = after.kpis.iter().position(|k| k.id == "mrr").unwrap();
        record_value(&mut after, mrr, november, 31000.0);
        after.kpis[mrr].forecast = Some(Forecast::Linear);
        after.actions[6].status = ActionStatus::Done;
        let c = changes(&before, &after, today);
        assert_eq!(c.values.len(), 1);
        assert_eq!(c.values[0].kpi, "mrr");
        assert_eq!(c.values[0].date, d("2026-11-30"));
        assert_eq!(c.values[0].old, None);
        let moved = c.statuses.iter().find(|m| m.kpi == "mrr").unwrap();
        assert_eq!(moved.to, Status::Met);
        assert_ne!(moved.from, Status::Met);
        assert_eq!(c.actions.len(), 1);
        assert_eq!(c.actions[0].id, after.actions[6].id);
        assert_eq!(
            (c.actions[0].from, c.actions[0].to),
            (ActionStatus::Todo, ActionStatus::Done)
        );
    }

    #[test]
    fn owners_are_named_by_their_team_member_name() {
        let plan = example();
        let member = &plan.team.members[0];
        assert_eq!(owner_name(&plan, &member.id), Some(member.name.as_str()));
        assert_eq!(owner_name(&plan, "ghost"), Some("ghost"));
        assert_eq!(owner_name(&plan, ""), None);
        assert_eq!(remedies_for(&plan, "sqls").len(), 1);
    }
}
