//! A plan at a glance (for `rumbo list` and the start screen) and the advice
//! `rumbo check` gives beyond hard errors: SMART checks that fail, KPIs with
//! no owner or no forecast.

use crate::i18n::{t, tf};
use crate::metrics::{self, Status};
use crate::plan::{self, Date, PathSeg, Plan, Problem, Severity};
use crate::store::{Diagnostic, PlanFile};

/// Completeness and KPI status counts of a plan.
pub struct PlanSummary {
    pub complete_steps: usize,
    pub summary: metrics::Summary,
}

impl PlanSummary {
    pub fn of(plan: &Plan, today: Date) -> PlanSummary {
        let steps = metrics::completeness(plan, today);
        let summary = metrics::gap_table(plan, today, None)
            .map(|t| t.summary)
            .unwrap_or_default();
        PlanSummary {
            complete_steps: metrics::complete_steps(&steps),
            summary,
        }
    }

    pub fn completeness_text(&self) -> String {
        format!("{}/10", self.complete_steps)
    }

    /// `2 off track, 1 at risk, 3 on track` (only the statuses present).
    pub fn status_text(&self) -> String {
        let parts: Vec<String> = Status::ALL
            .iter()
            .filter(|s| self.summary.count(**s) > 0)
            .map(|s| crate::i18n::count(self.summary.count(*s), t(&format!("status.{}", s.key()))))
            .collect();
        if parts.is_empty() {
            t("summary.no_kpis").to_string()
        } else {
            parts.join(", ")
        }
    }
}

fn key(k: &str) -> PathSeg {
    PathSeg::Key(k.to_string())
}

/// Warnings about goals that are not SMART and KPIs nobody owns or forecasts.
pub fn advice(file: &PlanFile, today: Date) -> Vec<Diagnostic> {
    let plan = &file.plan;
    let mut problems = Vec::new();
    for (i, goal) in plan.goals.iter().enumerate() {
        let check = metrics::smart_check(goal, plan, today);
        for (letter, criterion) in check.letters() {
            for reason in &criterion.reasons {
                problems.push(Problem {
                    severity: Severity::Warning,
                    path: vec![key("goals"), PathSeg::Index(i), key("id")],
                    message: tf(
                        "advice.smart",
                        &[
                            ("letter", &letter),
                            ("goal", &goal.id),
                            ("reason", &t(&format!("smart.{}", reason.key()))),
                        ],
                    ),
                });
            }
        }
    }
    for (i, kpi) in plan.kpis.iter().enumerate() {
        if kpi.owner.is_empty() {
            problems.push(Problem {
                severity: Severity::Warning,
                path: vec![key("kpis"), PathSeg::Index(i), key("id")],
                message: tf("advice.no_owner", &[("kpi", &kpi.id)]),
            });
        }
        if matches!(kpi.forecast, None | Some(plan::Forecast::None)) {
            problems.push(Problem {
                severity: Severity::Warning,
                path: vec![key("kpis"), PathSeg::Index(i), key("id")],
                message: tf("advice.no_forecast", &[("kpi", &kpi.id)]),
            });
        }
    }
    if problems.is_empty() {
        return Vec::new();
    }
    crate::store::load::locate_all(&file.path, &file.text, &problems)
}
