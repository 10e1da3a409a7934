//! `rumbo export --format json`: the whole plan plus every figure rumbo
//! derives from it, for other tools.
//!
//! The shape is typed, so keys always come in this order (serde_json sorts
//! the keys of an untyped `Value`; typed structs keep field order):
//!
//! ```text
//! {
//!   "rumbo_export": 1,            // version of this shape
//!   "today": "2026-11-15",        // the date the figures are computed for
//!   "draft": true,                // only when the plan has errors, with
//!   "problems": [ {"path", "message"} ],  // them (else both are left out)
//!   "plan": { … },                // the plan as stored (keys as in the file;
//!                                 //   empty texts and lists are left out)
//!   "derived": {
//!     "gaps": { "scenario", "summary", "kpis": [ … ],     // as `rumbo gaps --json`
//!               "not_set": [ {"id", "name", "baseline", "target", "deadline"} ] },
//!     "funnel": { … } | null,                             // as `rumbo gaps --json`
//!     "funnel_problems": [ {"input", "problem"} ],        // why funnel is null
//!     "completeness": { "complete_steps", "steps": [ {"step", "state",
//!                       "filled", "required", "missing": [ … ]} ] },
//!     "smart": [ {"goal", "is_smart", "s", "m", "a", "r", "t"} ],
//!     "budget": { "currency", "promotion_budget", "adopted_tools_monthly" }
//!   }
//! }
//! ```
//!
//! Numbers are not rounded; an undefined number is `null`; dates are
//! `"YYYY-MM-DD"` strings. Text is kept exactly; control, bidi and
//! zero-width characters in it are `\u` escapes (see `export::json`).

use serde::Serialize;

use crate::metrics::{
    self, Check, Criterion, FunnelInputProblem, FunnelResult, KpiGapJson, NotSetRow, StepState,
    Summary,
};
use crate::plan::{Date, Plan, ToolStatus};

use super::OpenProblem;

/// The version of this JSON shape; bumped when a key changes meaning.
pub const EXPORT_VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct JsonExport<'a> {
    pub rumbo_export: u32,
    pub today: Date,
    /// Present (and true) only when the plan has errors: the export is a
    /// draft, and `problems` lists them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<OpenProblem>,
    pub plan: &'a Plan,
    pub derived: Derived,
}

#[derive(Debug, Serialize)]
pub struct Derived {
    pub gaps: Gaps,
    pub funnel: Option<FunnelResult>,
    pub funnel_problems: Vec<FunnelInputProblem>,
    pub completeness: Completeness,
    pub smart: Vec<GoalSmart>,
    pub budget: Budget,
}

#[derive(Debug, Serialize)]
pub struct Gaps {
    pub scenario: String,
    pub summary: Summary,
    /// In gap-table order (worst first).
    pub kpis: Vec<KpiGapJson>,
    /// KPIs whose baseline or target is not set (`null`): no figures.
    pub not_set: Vec<NotSetRow>,
}

#[derive(Debug, Serialize)]
pub struct Completeness {
    pub complete_steps: usize,
    pub steps: Vec<Step>,
}

#[derive(Debug, Serialize)]
pub struct Step {
    pub step: u8,
    pub state: StepState,
    pub filled: usize,
    pub required: usize,
    pub missing: Vec<Check>,
}

#[derive(Debug, Serialize)]
pub struct GoalSmart {
    pub goal: String,
    pub is_smart: bool,
    pub s: Criterion,
    pub m: Criterion,
    pub a: Criterion,
    pub r: Criterion,
    pub t: Criterion,
}

#[derive(Debug, Serialize)]
pub struct Budget {
    /// `null` when the plan has no currency.
    pub currency: Option<String>,
    /// The promotion budget as written in the plan (its period is the
    /// plan's own; the format does not fix one).
    pub promotion_budget: Option<f64>,
    /// The sum of the monthly costs of adopted tools.
    pub adopted_tools_monthly: f64,
}

/// The export of `plan` as of `today`.
pub fn build(plan: &Plan, today: Date) -> JsonExport<'_> {
    let report = metrics::gaps_report(plan, today, None).ok();
    let gaps = match report {
        Some(r) => Gaps {
            scenario: r.scenario,
            summary: r.summary,
            kpis: r.kpis,
            not_set: r.not_set,
        },
        None => Gaps {
            scenario: metrics::BASE_SCENARIO.to_string(),
            summary: Summary::default(),
            kpis: Vec::new(),
            not_set: Vec::new(),
        },
    };
    let (funnel, funnel_problems) = match plan.funnel.as_ref().map(metrics::reverse_funnel) {
        None => (None, Vec::new()),
        Some(Ok(f)) => (Some(f), Vec::new()),
        Some(Err(missing)) => (None, missing.problems),
    };
    let steps = metrics::completeness(plan, today);
    let completeness = Completeness {
        complete_steps: metrics::complete_steps(&steps),
        steps: steps
            .iter()
            .map(|s| Step {
                step: s.step,
                state: s.state(),
                filled: s.filled,
                required: s.required,
                missing: s.missing.clone(),
            })
            .collect(),
    };
    let smart = plan
        .goals
        .iter()
        .map(|g| {
            let check = metrics::smart_check(g, plan, today);
            GoalSmart {
                goal: g.id.clone(),
                is_smart: check.is_smart(),
                s: check.s,
                m: check.m,
                a: check.a,
                r: check.r,
                t: check.t,
            }
        })
        .collect();
    let currency = plan.plan.currency.trim();
    let budget = Budget {
        currency: (!currency.is_empty()).then(|| currency.to_string()),
        promotion_budget: plan.marketing_mix.promotion.budget,
        adopted_tools_monthly: plan
            .tools
            .iter()
            .filter(|tool| tool.status == ToolStatus::Adopted)
            .filter_map(|tool| tool.monthly_cost)
            .sum(),
    };
    let problems = super::open_problems(plan);
    JsonExport {
        rumbo_export: EXPORT_VERSION,
        today,
        draft: !problems.is_empty(),
        problems,
        plan,
        derived: Derived {
            gaps,
            funnel,
            funnel_problems,
            completeness,
            smart,
            budget,
        },
    }
}
