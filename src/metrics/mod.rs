//! Pure computations on a plan: KPI gaps and status, forecasts and their
//! chart series, the reverse funnel, SMART checks and step completeness.
//!
//! Every rule of `shared/spec/metrics.md` is a plain function here. Nothing in
//! this module reads files, looks at the clock or holds user-visible text:
//! `today` is always a parameter, and results are numbers, enums and structs
//! that the UI, the CLI and the exports turn into words.

pub mod completeness;
pub mod funnel;
pub mod kpi;
pub mod series;
pub mod smart;

pub use completeness::{
    Check, StepCompleteness, StepState, complete_steps, completeness, step_completeness,
};
pub use funnel::{
    FunnelInput, FunnelInputProblem, FunnelMissing, FunnelResult, InputProblem, SlaGaps,
    StageCounts, reverse_funnel,
};
pub use kpi::{
    BASE_SCENARIO, DAYS_PER_MONTH, GapRow, GapTable, GapsReport, KpiGapJson, KpiMetrics, NotSetRow,
    Projection, Status, Summary, UnknownScenario, apply_scenario, ceil_count, counted_actuals,
    current_observation, gap_table, gaps_json, gaps_json_pretty, gaps_report, kpi_metrics, months,
    scenario_multiplier, scenario_names, sign,
};
pub use series::{Granularity, KpiChart, SeriesPoint, forecast_series, kpi_chart, period_ends};
pub use smart::{
    Criterion, KpiIndex, SmartCheck, SmartReason, recent_trend, smart_check, smart_check_indexed,
};

/// Concise builders for test plans and KPIs, shared by the submodules' tests.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::plan::{Actual, Date, Direction, Forecast, Kpi, Observation, Plan};

    /// A date from `YYYY-MM-DD`; panics on a typo in a test.
    pub fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    /// Asserts `a` is within `tol` of `b`.
    #[track_caller]
    pub fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol, "expected {b} ± {tol}, got {a}");
    }

    /// Asserts an optional number is present and within `tol` of `b`.
    #[track_caller]
    pub fn close_some(a: Option<f64>, b: f64, tol: f64) {
        match a {
            Some(a) => close(a, b, tol),
            None => panic!("expected {b} ± {tol}, got None"),
        }
    }

    /// An increasing KPI: `kpi("mrr", 10.0, "2026-01-01", 20.0, "2026-12-31")`.
    pub fn kpi(id: &str, baseline: f64, from: &str, target: f64, deadline: &str) -> Kpi {
        Kpi {
            id: id.to_string(),
            catalogue: String::new(),
            name: format!("{id} name"),
            unit: None,
            direction: Direction::Increase,
            owner: String::new(),
            goal: String::new(),
            baseline: Observation {
                value: Some(baseline),
                date: d(from),
            },
            target: Observation {
                value: Some(target),
                date: d(deadline),
            },
            actuals: Vec::new(),
            forecast: None,
        }
    }

    /// Chainable tweaks on a test KPI.
    pub trait KpiExt {
        fn decreasing(self) -> Self;
        fn actuals(self, list: &[(&str, f64)]) -> Self;
        fn forecast(self, f: Forecast) -> Self;
        fn owner(self, owner: &str) -> Self;
    }

    impl KpiExt for Kpi {
        fn decreasing(mut self) -> Kpi {
            self.direction = Direction::Decrease;
            self
        }
        fn actuals(mut self, list: &[(&str, f64)]) -> Kpi {
            self.actuals = points(list);
            self
        }
        fn forecast(mut self, f: Forecast) -> Kpi {
            self.forecast = Some(f);
            self
        }
        fn owner(mut self, owner: &str) -> Kpi {
            self.owner = owner.to_string();
            self
        }
    }

    /// `[(date, value)]` as a list of actuals (or manual forecast values).
    pub fn points(list: &[(&str, f64)]) -> Vec<Actual> {
        list.iter()
            .map(|&(date, value)| Actual {
                date: d(date),
                value,
            })
            .collect()
    }

    /// The worked example KPI of metrics.md (linear forecast).
    pub fn mrr_example() -> Kpi {
        kpi("mrr", 10000.0, "2026-01-01", 20000.0, "2026-12-31")
            .actuals(&[
                ("2026-01-31", 10800.0),
                ("2026-02-28", 11500.0),
                ("2026-03-31", 12100.0),
                ("2026-04-30", 12900.0),
            ])
            .forecast(Forecast::Linear)
    }

    /// A plan holding these KPIs and nothing else.
    pub fn plan_with(kpis: Vec<Kpi>) -> Plan {
        let mut plan = Plan::new("Test plan", None);
        plan.kpis = kpis;
        plan
    }
}
