//! The ten steps: their order, names, and the form or view of each.

mod actions;
mod forecast;
mod gaps;
mod goals;
mod kpis;
mod personas;
mod research;
mod situation;
pub(crate) mod status;
mod team;
mod tools;

use crate::plan::{Date, Plan};

use super::form::{Choice, Ctx, Form};

/// A step of the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Research,
    Customers,
    Situation,
    Goals,
    Kpis,
    Forecast,
    Gaps,
    Team,
    Actions,
    Tools,
}

impl Step {
    pub const ALL: [Step; 10] = [
        Step::Research,
        Step::Customers,
        Step::Situation,
        Step::Goals,
        Step::Kpis,
        Step::Forecast,
        Step::Gaps,
        Step::Team,
        Step::Actions,
        Step::Tools,
    ];

    pub fn index(self) -> usize {
        Step::ALL
            .iter()
            .position(|s| *s == self)
            .expect("every step is in ALL")
    }

    pub fn from_index(i: usize) -> Step {
        Step::ALL[i.min(9)]
    }

    pub fn next(self) -> Step {
        Step::ALL[(self.index() + 1) % 10]
    }

    pub fn prev(self) -> Step {
        Step::ALL[(self.index() + 9) % 10]
    }

    /// The locale key prefix of this step (`step.research`).
    pub fn key(self) -> &'static str {
        match self {
            Step::Research => "step.research",
            Step::Customers => "step.customers",
            Step::Situation => "step.situation",
            Step::Goals => "step.goals",
            Step::Kpis => "step.kpis",
            Step::Forecast => "step.forecast",
            Step::Gaps => "step.gaps",
            Step::Team => "step.team",
            Step::Actions => "step.actions",
            Step::Tools => "step.tools",
        }
    }

    /// True for the steps that are edited in forms (all of them now).
    pub fn is_form(self) -> bool {
        true
    }
}

/// The form of a step; `selected_row(field)` is the row chosen in a table
/// field (the persona of step 2, the goal of step 4, the KPI of steps 5–7).
pub fn form(step: Step, plan: &Plan, today: Date, selected_row: &dyn Fn(usize) -> usize) -> Form {
    match step {
        Step::Research => research::form(today),
        Step::Customers => personas::form(plan, today, selected_row),
        Step::Situation => situation::form(today),
        Step::Goals => goals::form(plan, today, selected_row),
        Step::Kpis => kpis::form(plan, today, selected_row),
        Step::Forecast => forecast::form(plan, today, selected_row),
        Step::Gaps => gaps::form(plan, today, selected_row),
        Step::Team => team::form(today),
        Step::Actions => actions::form(today),
        Step::Tools => tools::form(today),
    }
}

/// Cycles an optional enum through its values (for choice fields).
pub(crate) fn enum_options<E: Copy>(
    all: &[E],
    key: fn(E) -> &'static str,
    prefix: &str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|e| {
            let k = key(*e);
            (
                k.to_string(),
                crate::i18n::t(&format!("{prefix}.{k}")).to_string(),
            )
        })
        .collect()
}

/// A text choice whose options are the plan's personas.
pub(crate) fn persona_choice(
    get: fn(&Plan, Ctx) -> String,
    set: fn(&mut Plan, Ctx, &str),
) -> Choice {
    Choice {
        options: |plan| {
            plan.personas
                .iter()
                .map(|p| (p.id.clone(), format!("{} ({})", p.name, p.id)))
                .collect()
        },
        get,
        set,
    }
}

/// Swaps two rows of a list if both exist.
pub(crate) fn swap<T>(list: &mut [T], a: usize, b: usize) {
    if a < list.len() && b < list.len() {
        list.swap(a, b);
    }
}

/// Removes a row if it exists.
pub(crate) fn remove<T>(list: &mut Vec<T>, i: usize) {
    if i < list.len() {
        list.remove(i);
    }
}

/// The team members as choice options.
pub(crate) fn member_options(plan: &Plan) -> Vec<(String, String)> {
    plan.team
        .members
        .iter()
        .map(|m| (m.id.clone(), format!("{} ({})", m.name, m.id)))
        .collect()
}

/// The KPIs as choice options.
pub(crate) fn kpi_options(plan: &Plan) -> Vec<(String, String)> {
    plan.kpis
        .iter()
        .map(|k| (k.id.clone(), format!("{} ({})", k.name, k.id)))
        .collect()
}

/// The goals as choice options.
pub(crate) fn goal_options(plan: &Plan) -> Vec<(String, String)> {
    plan.goals
        .iter()
        .map(|g| (g.id.clone(), format!("{} ({})", g.title, g.id)))
        .collect()
}

/// An id not used yet in a list: `base`, else `base-2`, `base-3`, …
pub(crate) fn unique_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .expect("some number is free")
}
