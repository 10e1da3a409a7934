//! One KPI's gap, progress, forecast and status, and the gap table built from
//! all of them — the rules of `metrics.md`, "One KPI", to the letter.
//!
//! Also the typed shape of `rumbo gaps --json`. No I/O, no clock: `today` is
//! a parameter everywhere.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::plan::{Actual, Date, Direction, Forecast, Kpi, Plan, Unit};

use super::funnel::{FunnelResult, reverse_funnel};

/// Days in an average month: 365.25 / 12.
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// The scenario that always exists and never changes a forecast.
pub const BASE_SCENARIO: &str = "base";

/// `months(a, b) = (b − a in days) / 30.4375`; fractional, negative when `b`
/// is earlier than `a`.
pub fn months(a: Date, b: Date) -> f64 {
    a.days_until(b) as f64 / DAYS_PER_MONTH
}

/// `ceil(x − 1e-9)`: a whole count that float noise cannot push up by one
/// (`1000.0000000000001` counts as 1000). Negative and NaN give 0; values
/// beyond `u64::MAX` saturate.
pub fn ceil_count(x: f64) -> u64 {
    let c = (x - 1e-9).ceil();
    if c.is_nan() || c <= 0.0 {
        0
    } else {
        // `as` saturates at u64::MAX, which is what we want for absurd inputs.
        c as u64
    }
}

/// `s`: +1 when higher is better, −1 when lower is better.
pub fn sign(direction: Direction) -> f64 {
    match direction {
        Direction::Increase => 1.0,
        Direction::Decrease => -1.0,
    }
}

/// Where a KPI stands; the first rule of metrics.md that applies wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    OnTrack,
    AtRisk,
    OffTrack,
    Overdue,
    NoForecast,
}

impl Status {
    /// Every status, in gap-table order (worst first).
    pub const ALL: [Status; 6] = [
        Status::Overdue,
        Status::OffTrack,
        Status::AtRisk,
        Status::NoForecast,
        Status::OnTrack,
        Status::Met,
    ];

    /// The snake_case name used in JSON, on the command line and as the
    /// locale key suffix.
    pub fn key(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::Overdue => "overdue",
            Status::NoForecast => "no_forecast",
        }
    }

    /// The status named by `key` (`"off_track"`), e.g. for `--fail-on`.
    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Position in the gap table: 0 for overdue (shown first) … 5 for met.
    pub fn rank(self) -> u8 {
        match self {
            Status::Overdue => 0,
            Status::OffTrack => 1,
            Status::AtRisk => 2,
            Status::NoForecast => 3,
            Status::OnTrack => 4,
            Status::Met => 5,
        }
    }

    /// Overdue, off track or at risk: the statuses that call for a remedy.
    pub fn is_lagging(self) -> bool {
        matches!(self, Status::Overdue | Status::OffTrack | Status::AtRisk)
    }
}

/// Orders statuses the way the gap table sorts them (worst first).
impl Ord for Status {
    fn cmp(&self, other: &Status) -> Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl PartialOrd for Status {
    fn partial_cmp(&self, other: &Status) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Everything metrics.md derives for one KPI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KpiMetrics {
    /// The latest actual with `date ≤ today`, else the baseline value.
    pub current: f64,
    pub current_date: Date,
    /// `s × (target − current)`: positive means still to go.
    pub gap: f64,
    /// Not clamped; `None` when target equals baseline.
    pub progress_pct: Option<f64>,
    /// Never negative.
    pub months_left: f64,
    /// In the KPI's own sign convention; `None` when a gap remains and no
    /// time does.
    pub required_per_month: Option<f64>,
    /// The value predicted at the deadline, after the scenario multiplier.
    pub forecast: Option<f64>,
    pub forecast_gap: Option<f64>,
    pub status: Status,
}

/// The actuals that count: those dated on or before `today`, in file order.
pub fn counted_actuals(kpi: &Kpi, today: Date) -> impl Iterator<Item = &Actual> {
    kpi.actuals.iter().filter(move |a| a.date <= today)
}

/// The entry with the latest date, a later one in the list winning ties.
fn latest<'a>(list: impl Iterator<Item = &'a Actual>) -> Option<&'a Actual> {
    list.fold(None, |best: Option<&Actual>, a| match best {
        Some(b) if b.date > a.date => Some(b),
        _ => Some(a),
    })
}

/// `(current, current_date)`: the latest counted actual (ties: later in the
/// file), or the baseline when no actual counts; `None` when no actual
/// counts and the baseline value is not set.
pub fn current_observation(kpi: &Kpi, today: Date) -> Option<(f64, Date)> {
    match latest(counted_actuals(kpi, today)) {
        Some(a) => Some((a.value, a.date)),
        None => kpi.baseline.value.map(|v| (v, kpi.baseline.date)),
    }
}

/// How a KPI's forecast method projects its value at any date, before any
/// scenario multiplier. Built once, then asked for the deadline (the
/// forecast) or for every period end (the chart series).
#[derive(Debug, Clone, PartialEq)]
pub enum Projection {
    /// No method, `method = "none"`, or too few points for a line.
    None,
    /// `value(x) = intercept + slope × x`, `x` = days since `origin` (the
    /// baseline date), fitted by least squares.
    Linear {
        origin: Date,
        intercept: f64,
        slope_per_day: f64,
    },
    /// `value(d) = current × (1 + r) ^ months(current_date, d)`.
    Growth {
        current: f64,
        current_date: Date,
        monthly_rate: f64,
    },
    /// A step function: the manual value with the latest date ≤ the date asked.
    Manual { values: Vec<Actual> },
}

impl Projection {
    /// The projection of `kpi`'s forecast method as of `today`.
    pub fn of(kpi: &Kpi, today: Date) -> Projection {
        match &kpi.forecast {
            None | Some(Forecast::None) => Projection::None,
            Some(Forecast::Linear) => linear_fit(kpi, today),
            Some(Forecast::Growth { monthly_rate }) => {
                // Outside its domain (r ≤ −1) the formula has no real value;
                // validation reports the rate, the forecast stays undefined.
                match current_observation(kpi, today) {
                    Some((current, current_date))
                        if *monthly_rate > -1.0 && monthly_rate.is_finite() =>
                    {
                        Projection::Growth {
                            current,
                            current_date,
                            monthly_rate: *monthly_rate,
                        }
                    }
                    _ => Projection::None,
                }
            }
            Some(Forecast::Manual { values }) => Projection::Manual {
                values: values.clone(),
            },
        }
    }

    /// The projected value at `date`; `None` when the method gives none
    /// there (or the arithmetic is not finite).
    pub fn at(&self, date: Date) -> Option<f64> {
        let value = match self {
            Projection::None => return None,
            Projection::Linear {
                origin,
                intercept,
                slope_per_day,
            } => intercept + slope_per_day * origin.days_until(date) as f64,
            Projection::Growth {
                current,
                current_date,
                monthly_rate,
            } => current * (1.0 + monthly_rate).powf(months(*current_date, date)),
            Projection::Manual { values } => {
                latest(values.iter().filter(|v| v.date <= date))?.value
            }
        };
        value.is_finite().then_some(value)
    }
}

/// Ordinary least squares over the baseline (when its value is set) and
/// the counted actuals.
fn linear_fit(kpi: &Kpi, today: Date) -> Projection {
    let origin = kpi.baseline.date;
    let points: Vec<(f64, f64)> = kpi
        .baseline
        .value
        .map(|v| (0.0, v))
        .into_iter()
        .chain(counted_actuals(kpi, today).map(|a| (origin.days_until(a.date) as f64, a.value)))
        .collect();
    if points.len() < 2 {
        return Projection::None;
    }
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    // x values are whole days, so Sxx is zero exactly when they all coincide:
    // fewer than two distinct x values.
    if sxx == 0.0 {
        return Projection::None;
    }
    let slope = sxy / sxx;
    Projection::Linear {
        origin,
        intercept: mean_y - slope * mean_x,
        slope_per_day: slope,
    }
}

/// `current + m × (value − current)`: a scenario scales the change a forecast
/// predicts. With `m = 1` the value is returned untouched (no float noise).
pub fn apply_scenario(current: f64, value: f64, multiplier: f64) -> f64 {
    if multiplier == 1.0 {
        value
    } else {
        current + multiplier * (value - current)
    }
}

/// Turns `-0.0` into `0.0` so that JSON never shows a negative zero.
fn no_negative_zero(x: f64) -> f64 {
    x + 0.0
}

/// Every figure of metrics.md for one KPI, with the scenario multiplier `m`
/// (1 for base); `None` while its baseline or target value is not set
/// ("target not set": no gap, no progress, no status).
pub fn kpi_metrics(kpi: &Kpi, today: Date, multiplier: f64) -> Option<KpiMetrics> {
    let s = sign(kpi.direction);
    let baseline = kpi.baseline.value?;
    let target = kpi.target.value?;
    let deadline = kpi.target.date;
    let (current, current_date) = current_observation(kpi, today)?;

    let gap = no_negative_zero(s * (target - current));
    let span = target - baseline;
    let progress_pct = (span != 0.0).then(|| 100.0 * (current - baseline) / span);
    let months_left = months(today, deadline).max(0.0);
    let required_per_month = if gap <= 0.0 {
        Some(0.0)
    } else if months_left > 0.0 {
        Some(gap / months_left)
    } else {
        None
    };

    let forecast = Projection::of(kpi, today)
        .at(deadline)
        .map(|f| apply_scenario(current, f, multiplier))
        .filter(|f| f.is_finite());
    let forecast_gap = forecast.map(|f| no_negative_zero(s * (target - f)));

    let status = if gap <= 0.0 {
        Status::Met
    } else if today > deadline {
        Status::Overdue
    } else {
        match (forecast, forecast_gap) {
            (Some(f), Some(fg)) => {
                if fg <= 0.0 {
                    Status::OnTrack
                } else if span != 0.0 && (f - baseline) / span >= 0.9 {
                    Status::AtRisk
                } else {
                    Status::OffTrack
                }
            }
            _ => Status::NoForecast,
        }
    };

    Some(KpiMetrics {
        current,
        current_date,
        gap,
        progress_pct,
        months_left,
        required_per_month,
        forecast,
        forecast_gap,
        status,
    })
}

/// A scenario name the plan does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownScenario {
    pub name: String,
}

/// The plan's scenario names, `"base"` first, then the others in file order
/// (without duplicates or empty names).
pub fn scenario_names(plan: &Plan) -> Vec<String> {
    let mut names = vec![BASE_SCENARIO.to_string()];
    for s in &plan.scenarios {
        if !s.name.is_empty() && !names.contains(&s.name) {
            names.push(s.name.clone());
        }
    }
    names
}

/// The multiplier of scenario `name`: always 1 for `"base"` (even when the
/// plan lists base with another value); the first entry of that name
/// otherwise.
pub fn scenario_multiplier(plan: &Plan, name: &str) -> Result<f64, UnknownScenario> {
    if name == BASE_SCENARIO {
        return Ok(1.0);
    }
    plan.scenarios
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.multiplier)
        .ok_or_else(|| UnknownScenario {
            name: name.to_string(),
        })
}

/// One line of the gap table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapRow {
    /// Position of the KPI in `plan.kpis`, to jump to it.
    pub index: usize,
    pub id: String,
    pub name: String,
    pub unit: Option<Unit>,
    pub direction: Direction,
    /// A team member id; empty when the KPI has no owner.
    pub owner: String,
    pub baseline: f64,
    pub target: f64,
    pub deadline: Date,
    /// `current`, `current_date`, gap, forecast, status… live here.
    pub metrics: KpiMetrics,
}

/// A KPI left out of the gap table: its baseline or target value is not
/// set yet ("target not set"), so it has no figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotSetRow {
    /// Position of the KPI in `plan.kpis`, to jump to it.
    #[serde(skip)]
    pub index: usize,
    pub id: String,
    pub name: String,
    /// `null` when not set.
    pub baseline: Option<f64>,
    /// `null` when not set.
    pub target: Option<f64>,
    pub deadline: Date,
}

/// How many KPIs have each status (field order = the JSON shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    pub met: usize,
    pub on_track: usize,
    pub at_risk: usize,
    pub off_track: usize,
    pub overdue: usize,
    pub no_forecast: usize,
}

impl Summary {
    pub fn count(&self, status: Status) -> usize {
        match status {
            Status::Met => self.met,
            Status::OnTrack => self.on_track,
            Status::AtRisk => self.at_risk,
            Status::OffTrack => self.off_track,
            Status::Overdue => self.overdue,
            Status::NoForecast => self.no_forecast,
        }
    }

    fn add(&mut self, status: Status) {
        let slot = match status {
            Status::Met => &mut self.met,
            Status::OnTrack => &mut self.on_track,
            Status::AtRisk => &mut self.at_risk,
            Status::OffTrack => &mut self.off_track,
            Status::Overdue => &mut self.overdue,
            Status::NoForecast => &mut self.no_forecast,
        };
        *slot += 1;
    }

    pub fn total(&self) -> usize {
        Status::ALL.iter().map(|s| self.count(*s)).sum()
    }
}

/// The KPI-gap table of step 7 and `rumbo gaps`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapTable {
    pub scenario: String,
    pub multiplier: f64,
    /// Sorted by status (overdue first … met last), then by KPI id.
    pub rows: Vec<GapRow>,
    pub summary: Summary,
    /// The KPIs whose baseline or target is not set, in file order: not in
    /// `rows` and not counted in `summary`.
    pub not_set: Vec<NotSetRow>,
}

/// The gap table of every KPI under `scenario` (`None` = base).
pub fn gap_table(
    plan: &Plan,
    today: Date,
    scenario: Option<&str>,
) -> Result<GapTable, UnknownScenario> {
    let scenario = scenario.unwrap_or(BASE_SCENARIO);
    let multiplier = scenario_multiplier(plan, scenario)?;
    let mut rows: Vec<GapRow> = Vec::with_capacity(plan.kpis.len());
    let mut not_set = Vec::new();
    for (index, k) in plan.kpis.iter().enumerate() {
        match (
            k.baseline.value,
            k.target.value,
            kpi_metrics(k, today, multiplier),
        ) {
            (Some(baseline), Some(target), Some(metrics)) => rows.push(GapRow {
                index,
                id: k.id.clone(),
                name: k.name.clone(),
                unit: k.unit,
                direction: k.direction,
                owner: k.owner.clone(),
                baseline,
                target,
                deadline: k.target.date,
                metrics,
            }),
            (baseline, target, _) => not_set.push(NotSetRow {
                index,
                id: k.id.clone(),
                name: k.name.clone(),
                baseline,
                target,
                deadline: k.target.date,
            }),
        }
    }
    // Stable: KPIs sharing status and id (invalid, but possible) keep file order.
    rows.sort_by(|a, b| {
        a.metrics
            .status
            .cmp(&b.metrics.status)
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut summary = Summary::default();
    for r in &rows {
        summary.add(r.metrics.status);
    }
    Ok(GapTable {
        scenario: scenario.to_string(),
        multiplier,
        rows,
        summary,
        not_set,
    })
}

/// One KPI in `rumbo gaps --json`; field order is the documented key order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiGapJson {
    pub id: String,
    pub name: String,
    /// `null` when the KPI has no unit.
    pub unit: Option<Unit>,
    pub direction: Direction,
    /// `null` when the KPI has no owner.
    pub owner: Option<String>,
    pub baseline: f64,
    pub current: f64,
    pub current_date: Date,
    pub target: f64,
    pub deadline: Date,
    pub gap: f64,
    pub progress_pct: Option<f64>,
    pub months_left: f64,
    pub required_per_month: Option<f64>,
    pub forecast: Option<f64>,
    pub forecast_gap: Option<f64>,
    pub status: Status,
}

impl From<&GapRow> for KpiGapJson {
    fn from(r: &GapRow) -> KpiGapJson {
        let m = &r.metrics;
        KpiGapJson {
            id: r.id.clone(),
            name: r.name.clone(),
            unit: r.unit,
            direction: r.direction,
            owner: (!r.owner.is_empty()).then(|| r.owner.clone()),
            baseline: r.baseline,
            current: m.current,
            current_date: m.current_date,
            target: r.target,
            deadline: r.deadline,
            gap: m.gap,
            progress_pct: m.progress_pct,
            months_left: m.months_left,
            required_per_month: m.required_per_month,
            forecast: m.forecast,
            forecast_gap: m.forecast_gap,
            status: m.status,
        }
    }
}

/// The whole of `rumbo gaps --json`, typed; serializing it keeps the
/// documented key order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapsReport {
    pub plan: String,
    pub today: Date,
    pub scenario: String,
    pub kpis: Vec<KpiGapJson>,
    pub summary: Summary,
    /// KPIs whose baseline or target is not set (`null`): no figures.
    pub not_set: Vec<NotSetRow>,
    /// `null` when the plan has no funnel, or one too incomplete to compute.
    pub funnel: Option<FunnelResult>,
}

/// The report behind `rumbo gaps --json`.
pub fn gaps_report(
    plan: &Plan,
    today: Date,
    scenario: Option<&str>,
) -> Result<GapsReport, UnknownScenario> {
    let table = gap_table(plan, today, scenario)?;
    Ok(GapsReport {
        plan: plan.plan.name.clone(),
        today,
        scenario: table.scenario.clone(),
        kpis: table.rows.iter().map(KpiGapJson::from).collect(),
        summary: table.summary,
        not_set: table.not_set.clone(),
        funnel: plan.funnel.as_ref().and_then(|f| reverse_funnel(f).ok()),
    })
}

/// The report as a JSON value. Note: without serde_json's `preserve_order`
/// feature a `Value`'s objects sort their keys; to print the documented key
/// order use [`gaps_json_pretty`] (or serialize [`gaps_report`] directly).
pub fn gaps_json(
    plan: &Plan,
    today: Date,
    scenario: Option<&str>,
) -> Result<serde_json::Value, UnknownScenario> {
    let report = gaps_report(plan, today, scenario)?;
    // Plain structs of numbers, strings and dates: serializing cannot fail.
    Ok(serde_json::to_value(&report).expect("gaps report serializes"))
}

/// The report as pretty-printed JSON text, keys in the documented order.
pub fn gaps_json_pretty(
    plan: &Plan,
    today: Date,
    scenario: Option<&str>,
) -> Result<String, UnknownScenario> {
    let report = gaps_report(plan, today, scenario)?;
    Ok(serde_json::to_string_pretty(&report).expect("gaps report serializes"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::test_support::*;
    use crate::plan::{Funnel, FunnelRates, Scenario, Sla};
    use proptest::prelude::*;

    const T: f64 = 0.005;

    /// The figures of a KPI whose baseline and target are set.
    fn km(kpi: &Kpi, today: Date, multiplier: f64) -> KpiMetrics {
        kpi_metrics(kpi, today, multiplier).expect("baseline and target set")
    }

    fn today() -> Date {
        d("2026-05-31")
    }

    // --- months and ceil_count -------------------------------------------

    #[test]
    fn months_divides_days_by_average_month() {
        close(months(d("2026-05-31"), d("2026-12-31")), 7.0308, 0.00005);
        close(months(d("2026-12-31"), d("2026-05-31")), -7.0308, 0.00005);
        assert_eq!(months(d("2026-01-01"), d("2027-01-01")), 365.0 / 30.4375);
        assert_eq!(months(d("2026-01-01"), d("2026-01-01")), 0.0);
    }

    #[test]
    fn ceil_count_ignores_float_noise_but_rounds_real_fractions_up() {
        assert_eq!(ceil_count(1000.0000000000001), 1000);
        assert_eq!(ceil_count(21.0 / 0.7), 30); // 30.000000000000004
        assert_eq!(ceil_count(1000.001), 1001);
        assert_eq!(ceil_count(3333.3333333333335), 3334);
        assert_eq!(ceil_count(0.0), 0);
        assert_eq!(ceil_count(-5.0), 0);
        assert_eq!(ceil_count(f64::NAN), 0);
        assert_eq!(ceil_count(0.5), 1);
    }

    // --- status order ------------------------------------------------------

    #[test]
    fn status_keys_round_trip_and_match_serde() {
        for s in Status::ALL {
            assert_eq!(Status::from_key(s.key()), Some(s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::Value::String(s.key().to_string())
            );
        }
        assert_eq!(Status::from_key("late"), None);
        assert_eq!(Status::OffTrack.key(), "off_track");
        assert_eq!(Status::NoForecast.key(), "no_forecast");
    }

    #[test]
    fn status_sorts_worst_first() {
        let mut all = vec![
            Status::Met,
            Status::OnTrack,
            Status::AtRisk,
            Status::OffTrack,
            Status::Overdue,
            Status::NoForecast,
        ];
        all.sort();
        assert_eq!(all, Status::ALL.to_vec());
        assert_eq!(
            all.iter().map(|s| s.key()).collect::<Vec<_>>(),
            [
                "overdue",
                "off_track",
                "at_risk",
                "no_forecast",
                "on_track",
                "met"
            ]
        );
        assert!(Status::Overdue < Status::Met);
        assert!(Status::NoForecast < Status::OnTrack);
    }

    #[test]
    fn lagging_statuses_are_the_three_that_need_a_remedy() {
        let lagging: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_lagging()).collect();
        assert_eq!(lagging, [Status::Overdue, Status::OffTrack, Status::AtRisk]);
    }

    fn any_status() -> impl Strategy<Value = Status> {
        (0usize..6).prop_map(|i| Status::ALL[i])
    }

    proptest! {
        #[test]
        fn status_order_is_a_total_order(a in any_status(), b in any_status(), c in any_status()) {
            // Antisymmetric, consistent with equality, transitive, total.
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b);
            if a <= b && b <= c {
                prop_assert!(a <= c);
            }
            prop_assert!(a <= b || b <= a);
            prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
        }

        #[test]
        fn gap_sign_agrees_with_direction(
            baseline in -1e6f64..1e6,
            target in -1e6f64..1e6,
            current in -1e6f64..1e6,
            decrease in any::<bool>(),
        ) {
            let mut k = kpi("k", baseline, "2026-01-01", target, "2026-12-31")
                .actuals(&[("2026-03-01", current)]);
            if decrease {
                k = k.decreasing();
            }
            let m = km(&k, today(), 1.0);
            // Still to go ⇔ the current value is on the wrong side of the target.
            let still_to_go = if decrease { current > target } else { current < target };
            prop_assert_eq!(m.gap > 0.0, still_to_go);
            prop_assert_eq!(m.status == Status::Met, !still_to_go);
            prop_assert!((m.gap.abs() - (target - current).abs()).abs() < 1e-6);
        }
    }

    // --- the worked example ------------------------------------------------

    #[test]
    fn worked_example_linear_reproduces_metrics_md() {
        let m = km(&mrr_example(), today(), 1.0);
        assert_eq!(m.current, 12900.0);
        assert_eq!(m.current_date, d("2026-04-30"));
        assert_eq!(m.gap, 7100.0);
        close_some(m.progress_pct, 29.0, T);
        close(m.months_left, 7.0308, 0.00005);
        close_some(m.required_per_month, 1009.84, T);
        close_some(m.forecast, 18743.86, T);
        close_some(m.forecast_gap, 1256.14, T);
        assert_eq!(m.status, Status::OffTrack);
        // forecast progress = 0.8744 < 0.9
        close((m.forecast.unwrap() - 10000.0) / 10000.0, 0.8744, 0.00005);
    }

    #[test]
    fn worked_example_growth_is_on_track() {
        let k = mrr_example().forecast(Forecast::Growth { monthly_rate: 0.06 });
        let m = km(&k, today(), 1.0);
        close_some(m.forecast, 20619.77, T);
        close_some(m.forecast_gap, 20000.0 - 20619.77, T);
        assert_eq!(m.status, Status::OnTrack);
    }

    #[test]
    fn worked_example_parsed_from_toml_gives_the_same_figures() {
        let text = r#"
schema_version = 1
[plan]
name = "Acme Analytics"
[[kpis]]
id = "mrr"
name = "Monthly recurring revenue"
unit = "currency"
direction = "increase"
baseline = { value = 10000.0, date = 2026-01-01 }
target = { value = 20000.0, date = 2026-12-31 }
actuals = [
  { date = 2026-01-31, value = 10800.0 },
  { date = 2026-02-28, value = 11500.0 },
  { date = 2026-03-31, value = 12100.0 },
  { date = 2026-04-30, value = 12900.0 },
]
forecast = { method = "linear" }
"#;
        let plan: Plan = toml::from_str(text).unwrap();
        let m = km(&plan.kpis[0], today(), 1.0);
        close_some(m.forecast, 18743.86, T);
        assert_eq!(m.status, Status::OffTrack);
    }

    // --- current -------------------------------------------------------------

    #[test]
    fn actuals_after_today_are_ignored() {
        let k = mrr_example().actuals(&[
            ("2026-04-30", 12900.0),
            ("2026-06-30", 30000.0), // future: does not count
        ]);
        let m = km(&k, today(), 1.0);
        assert_eq!(m.current, 12900.0);
        assert_eq!(m.current_date, d("2026-04-30"));
        assert_eq!(m.status, Status::OffTrack);
    }

    #[test]
    fn an_actual_dated_today_counts() {
        let k = mrr_example().actuals(&[("2026-05-31", 13000.0)]);
        assert_eq!(km(&k, today(), 1.0).current, 13000.0);
    }

    #[test]
    fn without_counted_actuals_current_is_the_baseline() {
        let k = mrr_example().actuals(&[("2026-07-01", 15000.0)]);
        let m = km(&k, today(), 1.0);
        assert_eq!((m.current, m.current_date), (10000.0, d("2026-01-01")));
        assert_eq!(m.progress_pct, Some(0.0));
        assert_eq!(m.gap, 10000.0);
    }

    #[test]
    fn same_date_tie_goes_to_the_later_actual_in_the_file() {
        let k = mrr_example().actuals(&[
            ("2026-04-30", 12000.0),
            ("2026-02-01", 11000.0),
            ("2026-04-30", 12500.0),
        ]);
        assert_eq!(
            current_observation(&k, today()),
            Some((12500.0, d("2026-04-30")))
        );
    }

    #[test]
    fn actuals_in_any_order_pick_the_latest_date() {
        let k = mrr_example().actuals(&[
            ("2026-04-30", 12900.0),
            ("2026-01-31", 10800.0),
            ("2026-03-31", 12100.0),
        ]);
        assert_eq!(
            current_observation(&k, today()),
            Some((12900.0, d("2026-04-30")))
        );
    }

    // --- gap, progress, required ---------------------------------------------

    #[test]
    fn decreasing_kpi_counts_a_drop_as_progress() {
        // churn from 8 % to 4 %; now 6 %.
        let k = kpi("churn", 8.0, "2026-01-01", 4.0, "2026-12-31")
            .decreasing()
            .actuals(&[("2026-04-30", 6.0)]);
        let m = km(&k, today(), 1.0);
        assert_eq!(m.gap, 2.0);
        close_some(m.progress_pct, 50.0, 1e-9);
        close_some(m.required_per_month, 2.0 / (214.0 / 30.4375), 1e-9);
    }

    #[test]
    fn decreasing_kpi_below_target_is_met() {
        let k = kpi("churn", 8.0, "2026-01-01", 4.0, "2026-12-31")
            .decreasing()
            .actuals(&[("2026-04-30", 3.5)]);
        let m = km(&k, today(), 1.0);
        assert_eq!(m.gap, -0.5);
        assert_eq!(m.required_per_month, Some(0.0));
        close_some(m.progress_pct, 112.5, 1e-9);
        assert_eq!(m.status, Status::Met);
    }

    #[test]
    fn progress_is_not_clamped() {
        let k = kpi("k", 100.0, "2026-01-01", 200.0, "2026-12-31").actuals(&[("2026-03-01", 50.0)]);
        close_some(km(&k, today(), 1.0).progress_pct, -50.0, 1e-9);
        let k =
            kpi("k", 100.0, "2026-01-01", 200.0, "2026-12-31").actuals(&[("2026-03-01", 250.0)]);
        close_some(km(&k, today(), 1.0).progress_pct, 150.0, 1e-9);
    }

    #[test]
    fn exactly_at_target_is_met_with_zero_gap() {
        let k =
            kpi("k", 100.0, "2026-01-01", 200.0, "2026-12-31").actuals(&[("2026-03-01", 200.0)]);
        let m = km(&k, today(), 1.0);
        assert_eq!(m.gap, 0.0);
        assert!(m.gap.is_sign_positive());
        assert_eq!(m.required_per_month, Some(0.0));
        assert_eq!(m.status, Status::Met);
        // a decreasing KPI exactly at target: gap is +0, not −0
        let k = k.decreasing();
        assert!(km(&k, today(), 1.0).gap.is_sign_positive());
    }

    #[test]
    fn target_equal_to_baseline_has_no_progress_and_skips_at_risk() {
        // Keep churn at 5 %: now 5.5 %, the forecast says 5.2 %.
        let k = kpi("churn", 5.0, "2026-01-01", 5.0, "2026-12-31")
            .decreasing()
            .actuals(&[("2026-04-30", 5.5)])
            .forecast(Forecast::Manual {
                values: points(&[("2026-12-31", 5.2)]),
            });
        let m = km(&k, today(), 1.0);
        assert_eq!(m.progress_pct, None);
        close(m.gap, 0.5, 1e-9);
        close_some(m.forecast_gap, 0.2, 1e-9);
        // would be at risk by the 0.9 rule if it were computed; it is not.
        assert_eq!(m.status, Status::OffTrack);
    }

    #[test]
    fn months_left_never_goes_negative_and_required_is_null_after_deadline() {
        let k = mrr_example();
        let m = km(&k, d("2027-02-01"), 1.0);
        assert_eq!(m.months_left, 0.0);
        assert_eq!(m.required_per_month, None);
        assert_eq!(m.status, Status::Overdue);
    }

    #[test]
    fn on_the_deadline_itself_a_gap_has_no_required_rate_but_is_not_overdue() {
        let k = mrr_example();
        let m = km(&k, d("2026-12-31"), 1.0);
        assert_eq!(m.months_left, 0.0);
        assert_eq!(m.required_per_month, None);
        assert_ne!(m.status, Status::Overdue);
    }

    #[test]
    fn met_wins_over_overdue() {
        let k = mrr_example().actuals(&[("2026-12-01", 21000.0)]);
        let m = km(&k, d("2027-03-01"), 1.0);
        assert_eq!(m.status, Status::Met);
        assert_eq!(m.required_per_month, Some(0.0));
    }

    // --- forecasts -------------------------------------------------------

    #[test]
    fn no_method_or_none_method_has_no_forecast() {
        let mut k = mrr_example();
        k.forecast = None;
        let m = km(&k, today(), 1.0);
        assert_eq!((m.forecast, m.forecast_gap), (None, None));
        assert_eq!(m.status, Status::NoForecast);
        let k = k.forecast(Forecast::None);
        assert_eq!(km(&k, today(), 1.0).status, Status::NoForecast);
    }

    #[test]
    fn linear_needs_two_distinct_days() {
        // Only the baseline: one point.
        let k = kpi("k", 10.0, "2026-01-01", 20.0, "2026-12-31").forecast(Forecast::Linear);
        assert_eq!(km(&k, today(), 1.0).forecast, None);
        // An actual on the baseline date: two points, one x.
        let k = k.actuals(&[("2026-01-01", 12.0)]);
        let m = km(&k, today(), 1.0);
        assert_eq!(m.forecast, None);
        assert_eq!(m.status, Status::NoForecast);
        // A later actual makes a line: 10 → 12 in 30 days, at day 364.
        let k = k.actuals(&[("2026-01-31", 12.0)]);
        close_some(
            km(&k, today(), 1.0).forecast,
            10.0 + 2.0 / 30.0 * 364.0,
            1e-9,
        );
    }

    #[test]
    fn linear_ignores_actuals_after_today() {
        let with_future = mrr_example().actuals(&[
            ("2026-01-31", 10800.0),
            ("2026-02-28", 11500.0),
            ("2026-03-31", 12100.0),
            ("2026-04-30", 12900.0),
            ("2026-06-30", 99999.0),
        ]);
        close_some(km(&with_future, today(), 1.0).forecast, 18743.86, T);
    }

    #[test]
    fn linear_with_a_falling_trend_on_a_decreasing_kpi() {
        // Cost per lead 50 → 30: 50, 48, 46 at days 0, 31, 59.
        // x̄ = 30, ȳ = 48, Sxx = 1742, Sxy = −118.
        let k = kpi("cpl", 50.0, "2026-01-01", 30.0, "2026-12-31")
            .decreasing()
            .actuals(&[("2026-02-01", 48.0), ("2026-03-01", 46.0)])
            .forecast(Forecast::Linear);
        let slope = -118.0 / 1742.0;
        let expected = 48.0 - slope * 30.0 + slope * 364.0;
        let m = km(&k, today(), 1.0);
        close_some(m.forecast, expected, 1e-9);
        close_some(m.forecast, 25.3754, 0.00005);
        close_some(m.forecast_gap, -(30.0 - expected), 1e-9);
        assert_eq!(m.gap, 16.0);
        assert_eq!(m.status, Status::OnTrack);
        // A slower fall (50, 49, 48) misses: (forecast − 50) / (30 − 50) < 0.9.
        let slow = k.actuals(&[("2026-02-01", 49.0), ("2026-03-01", 48.0)]);
        let m = km(&slow, today(), 1.0);
        let f = m.forecast.unwrap();
        assert!(f > 32.0 && f < 40.0, "forecast {f}");
        assert!(m.forecast_gap.unwrap() > 0.0);
        assert_eq!(m.status, Status::OffTrack);
    }

    #[test]
    fn growth_compounds_from_the_current_observation() {
        let k = kpi("k", 100.0, "2026-01-01", 150.0, "2026-12-31")
            .actuals(&[("2026-04-30", 110.0)])
            .forecast(Forecast::Growth { monthly_rate: 0.02 });
        let expected = 110.0 * 1.02f64.powf(245.0 / 30.4375);
        close_some(km(&k, today(), 1.0).forecast, expected, 1e-9);
    }

    #[test]
    fn negative_growth_shrinks_the_value() {
        let k = kpi("churn", 8.0, "2026-01-01", 4.0, "2026-12-31")
            .decreasing()
            .actuals(&[("2026-04-30", 6.0)])
            .forecast(Forecast::Growth {
                monthly_rate: -0.05,
            });
        let m = km(&k, today(), 1.0);
        let f = 6.0 * 0.95f64.powf(245.0 / 30.4375);
        close_some(m.forecast, f, 1e-9); // ≈ 3.96
        assert!(f < 4.0);
        assert_eq!(m.status, Status::OnTrack);
    }

    #[test]
    fn growth_outside_its_domain_has_no_forecast() {
        let k = mrr_example().forecast(Forecast::Growth { monthly_rate: -1.0 });
        assert_eq!(km(&k, today(), 1.0).forecast, None);
        let k = mrr_example().forecast(Forecast::Growth {
            monthly_rate: f64::NAN,
        });
        assert_eq!(km(&k, today(), 1.0).forecast, None);
    }

    #[test]
    fn manual_takes_the_latest_value_up_to_the_deadline() {
        let k = mrr_example().forecast(Forecast::Manual {
            values: points(&[
                ("2026-09-30", 15000.0),
                ("2027-01-31", 25000.0), // after the deadline: ignored
                ("2026-12-31", 19500.0),
                ("2026-06-30", 13000.0),
            ]),
        });
        let m = km(&k, today(), 1.0);
        assert_eq!(m.forecast, Some(19500.0));
        assert_eq!(m.forecast_gap, Some(500.0));
        // 0.95 ≥ 0.9
        assert_eq!(m.status, Status::AtRisk);
    }

    #[test]
    fn manual_ties_go_to_the_later_entry() {
        let k = mrr_example().forecast(Forecast::Manual {
            values: points(&[("2026-12-31", 21000.0), ("2026-12-31", 17000.0)]),
        });
        assert_eq!(km(&k, today(), 1.0).forecast, Some(17000.0));
    }

    #[test]
    fn manual_without_values_up_to_the_deadline_has_no_forecast() {
        let k = mrr_example().forecast(Forecast::Manual { values: vec![] });
        assert_eq!(km(&k, today(), 1.0).status, Status::NoForecast);
        let k = mrr_example().forecast(Forecast::Manual {
            values: points(&[("2027-01-01", 30000.0)]),
        });
        assert_eq!(km(&k, today(), 1.0).forecast, None);
    }

    #[test]
    fn at_risk_threshold_is_inclusive_at_ninety_percent() {
        let at = |value: f64| {
            let k = mrr_example().forecast(Forecast::Manual {
                values: points(&[("2026-12-31", value)]),
            });
            km(&k, today(), 1.0).status
        };
        assert_eq!(at(19000.0), Status::AtRisk); // exactly 0.9
        assert_eq!(at(18999.0), Status::OffTrack);
        assert_eq!(at(20000.0), Status::OnTrack); // forecast_gap = 0
        assert_eq!(at(9000.0), Status::OffTrack);
    }

    #[test]
    fn at_risk_works_for_decreasing_kpis() {
        // 8 → 4; forecast 4.3: (4.3 − 8) / (4 − 8) = 0.925
        let k = kpi("churn", 8.0, "2026-01-01", 4.0, "2026-12-31")
            .decreasing()
            .actuals(&[("2026-04-30", 6.0)])
            .forecast(Forecast::Manual {
                values: points(&[("2026-12-31", 4.3)]),
            });
        assert_eq!(km(&k, today(), 1.0).status, Status::AtRisk);
    }

    #[test]
    fn overdue_wins_over_forecast_rules() {
        let k = mrr_example().forecast(Forecast::Manual {
            values: points(&[("2026-12-31", 25000.0)]),
        });
        assert_eq!(km(&k, d("2027-01-01"), 1.0).status, Status::Overdue);
    }

    // --- scenarios --------------------------------------------------------------

    #[test]
    fn scenario_scales_the_predicted_change_only() {
        let base = km(&mrr_example(), today(), 1.0).forecast.unwrap();
        let m = km(&mrr_example(), today(), 0.7);
        let expected = 12900.0 + 0.7 * (base - 12900.0);
        close_some(m.forecast, expected, 1e-9);
        close_some(m.forecast, 16990.70, T);
        close_some(m.forecast_gap, 20000.0 - expected, 1e-9);
        assert_eq!(m.status, Status::OffTrack);
        // Gap, progress and required are not scenario figures.
        assert_eq!(m.gap, 7100.0);
        let opt = km(
            &mrr_example().forecast(Forecast::Growth { monthly_rate: 0.06 }),
            today(),
            0.5,
        );
        close_some(opt.forecast, 12900.0 + 0.5 * (20619.766297 - 12900.0), 1e-4);
        assert_eq!(opt.status, Status::OffTrack);
    }

    #[test]
    fn multiplier_one_leaves_the_forecast_bit_for_bit() {
        let k = mrr_example();
        let raw = Projection::of(&k, today()).at(k.target.date).unwrap();
        assert_eq!(km(&k, today(), 1.0).forecast, Some(raw));
        assert_eq!(apply_scenario(3.0, 7.0, 2.0), 11.0);
        assert_eq!(apply_scenario(3.0, 7.0, 0.0), 3.0);
    }

    fn scenario_plan() -> Plan {
        let mut plan = plan_with(vec![mrr_example()]);
        plan.scenarios = vec![
            Scenario {
                name: "pessimistic".into(),
                multiplier: 0.7,
            },
            Scenario {
                name: "base".into(),
                multiplier: 1.5,
            },
            Scenario {
                name: "optimistic".into(),
                multiplier: 1.3,
            },
            Scenario {
                name: "pessimistic".into(),
                multiplier: 0.1,
            },
        ];
        plan
    }

    #[test]
    fn scenario_names_start_with_base_without_duplicates() {
        assert_eq!(
            scenario_names(&scenario_plan()),
            ["base", "pessimistic", "optimistic"]
        );
        assert_eq!(scenario_names(&plan_with(vec![])), ["base"]);
    }

    #[test]
    fn base_is_always_one_and_unknown_is_an_error() {
        let plan = scenario_plan();
        assert_eq!(scenario_multiplier(&plan, "base"), Ok(1.0));
        assert_eq!(scenario_multiplier(&plan, "pessimistic"), Ok(0.7));
        assert_eq!(scenario_multiplier(&plan, "optimistic"), Ok(1.3));
        assert_eq!(
            scenario_multiplier(&plan, "wild"),
            Err(UnknownScenario {
                name: "wild".into()
            })
        );
        assert_eq!(
            gap_table(&plan, today(), Some("Base")).unwrap_err().name,
            "Base"
        );
        let base = gap_table(&plan, today(), None).unwrap();
        assert_eq!(base.scenario, "base");
        assert_eq!(base.multiplier, 1.0);
        close_some(base.rows[0].metrics.forecast, 18743.86, T);
        let pess = gap_table(&plan, today(), Some("pessimistic")).unwrap();
        assert_eq!(pess.multiplier, 0.7);
        close_some(pess.rows[0].metrics.forecast, 16990.70, T);
    }

    // --- the gap table ----------------------------------------------------------

    fn mixed_plan() -> Plan {
        let met =
            kpi("b-met", 0.0, "2026-01-01", 10.0, "2026-12-31").actuals(&[("2026-02-01", 11.0)]);
        let overdue = kpi("z-late", 0.0, "2026-01-01", 10.0, "2026-03-31");
        let none = kpi("a-none", 0.0, "2026-01-01", 10.0, "2026-12-31");
        let off = mrr_example().owner("ana");
        let on = kpi("c-on", 0.0, "2026-01-01", 10.0, "2026-12-31").forecast(Forecast::Manual {
            values: points(&[("2026-12-01", 12.0)]),
        });
        let off2 = kpi("a-off", 0.0, "2026-01-01", 10.0, "2026-12-31").forecast(Forecast::Manual {
            values: points(&[("2026-12-01", 1.0)]),
        });
        plan_with(vec![met, overdue, none, off, on, off2])
    }

    #[test]
    fn a_kpi_without_baseline_or_target_value_has_no_figures_and_is_not_counted() {
        let mut plan = mixed_plan();
        let counted = gap_table(&plan, today(), None).unwrap().summary.total();
        let mut unset = kpi("new", 0.0, "2026-01-01", 0.0, "2026-12-31");
        unset.baseline.value = None;
        unset.target.value = None;
        // Never "met" (0 against 0): no metrics at all.
        assert_eq!(kpi_metrics(&unset, today(), 1.0), None);
        let mut half = kpi("half", 5.0, "2026-01-01", 0.0, "2026-12-31");
        half.target.value = None;
        assert_eq!(kpi_metrics(&half, today(), 1.0), None);
        plan.kpis.push(unset);
        plan.kpis.push(half);
        let t = gap_table(&plan, today(), None).unwrap();
        assert_eq!(t.summary.total(), counted);
        assert!(t.rows.iter().all(|r| r.id != "new" && r.id != "half"));
        let ids: Vec<_> = t.not_set.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["new", "half"]);
        assert_eq!(
            (t.not_set[1].baseline, t.not_set[1].target),
            (Some(5.0), None)
        );
        let json = gaps_json(&plan, today(), None).unwrap();
        assert!(json["not_set"][0]["target"].is_null());
        assert!(!json.to_string().contains("NaN"));
    }

    #[test]
    fn gap_table_sorts_by_status_then_id_and_counts() {
        let t = gap_table(&mixed_plan(), today(), None).unwrap();
        let order: Vec<(&str, Status)> = t
            .rows
            .iter()
            .map(|r| (r.id.as_str(), r.metrics.status))
            .collect();
        assert_eq!(
            order,
            [
                ("z-late", Status::Overdue),
                ("a-off", Status::OffTrack),
                ("mrr", Status::OffTrack),
                ("a-none", Status::NoForecast),
                ("c-on", Status::OnTrack),
                ("b-met", Status::Met),
            ]
        );
        assert_eq!(
            t.summary,
            Summary {
                met: 1,
                on_track: 1,
                at_risk: 0,
                off_track: 2,
                overdue: 1,
                no_forecast: 1
            }
        );
        assert_eq!(t.summary.total(), 6);
        assert_eq!(t.summary.count(Status::OffTrack), 2);
        let mrr = &t.rows[2];
        assert_eq!(mrr.index, 3);
        assert_eq!(mrr.owner, "ana");
        assert_eq!((mrr.baseline, mrr.target), (10000.0, 20000.0));
        assert_eq!(mrr.deadline, d("2026-12-31"));
    }

    // --- JSON -------------------------------------------------------------------

    fn example_plan() -> Plan {
        let mut k = mrr_example().owner("ana");
        k.name = "Monthly recurring revenue".into();
        k.unit = Some(Unit::Currency);
        let mut plan = plan_with(vec![k]);
        plan.plan.name = "Acme Analytics".into();
        plan.funnel = Some(Funnel {
            revenue_goal: Some(1_000_000.0),
            months: Some(12),
            average_deal_value: Some(5000.0),
            rates: FunnelRates {
                visit_to_lead: Some(0.02),
                lead_to_mql: Some(0.4),
                mql_to_sql: Some(0.3),
                sql_to_customer: Some(0.2),
            },
            sales: Some(crate::plan::SalesEffort {
                meetings_per_sql: Some(2.0),
                calls_per_meeting: Some(5.0),
                calls_per_rep_per_month: Some(400.0),
            }),
            sla: Some(Sla {
                mql_per_month: Some(250),
                follow_up_hours: Some(24),
                ..Sla::default()
            }),
            ..Funnel::default()
        });
        plan
    }

    #[test]
    fn gaps_json_has_the_documented_shape_and_values() {
        let v = gaps_json(&example_plan(), today(), None).unwrap();
        assert_eq!(v["plan"], "Acme Analytics");
        assert_eq!(v["today"], "2026-05-31");
        assert_eq!(v["scenario"], "base");
        let k = &v["kpis"][0];
        assert_eq!(k["id"], "mrr");
        assert_eq!(k["name"], "Monthly recurring revenue");
        assert_eq!(k["unit"], "currency");
        assert_eq!(k["direction"], "increase");
        assert_eq!(k["owner"], "ana");
        assert_eq!(k["baseline"], 10000.0);
        assert_eq!(k["current"], 12900.0);
        assert_eq!(k["current_date"], "2026-04-30");
        assert_eq!(k["target"], 20000.0);
        assert_eq!(k["deadline"], "2026-12-31");
        assert_eq!(k["gap"], 7100.0);
        close(k["progress_pct"].as_f64().unwrap(), 29.0, T);
        close(k["months_left"].as_f64().unwrap(), 7.0308, 0.00005);
        // not rounded
        assert_eq!(k["months_left"].as_f64().unwrap(), 214.0 / 30.4375);
        close(k["required_per_month"].as_f64().unwrap(), 1009.84, T);
        close(k["forecast"].as_f64().unwrap(), 18743.86, T);
        close(k["forecast_gap"].as_f64().unwrap(), 1256.14, T);
        assert_eq!(k["status"], "off_track");
        assert_eq!(k.as_object().unwrap().len(), 17);
        assert_eq!(
            v["summary"],
            serde_json::json!({"met": 0, "on_track": 0, "at_risk": 0, "off_track": 1,
                               "overdue": 0, "no_forecast": 0})
        );
        assert_eq!(
            v["funnel"],
            serde_json::json!({
                "customers": 200, "sqls": 1000, "mqls": 3334, "leads": 8335, "visits": 416750,
                "per_month": {"customers": 17, "sqls": 84, "mqls": 278, "leads": 695, "visits": 34730},
                "meetings": 2000, "calls": 10000, "reps_needed": 3,
                "sla": {"mql_gap_per_month": 28, "sql_gap_per_month": null, "follow_up_hours": 24}
            })
        );
    }

    #[test]
    fn gaps_json_text_keeps_the_documented_key_order() {
        let text = gaps_json_pretty(&example_plan(), today(), None).unwrap();
        let keys = [
            "\"plan\"",
            "\"today\"",
            "\"scenario\"",
            "\"kpis\"",
            "\"id\"",
            "\"name\"",
            "\"unit\"",
            "\"direction\"",
            "\"owner\"",
            "\"baseline\"",
            "\"current\"",
            "\"current_date\"",
            "\"target\"",
            "\"deadline\"",
            "\"gap\"",
            "\"progress_pct\"",
            "\"months_left\"",
            "\"required_per_month\"",
            "\"forecast\"",
            "\"forecast_gap\"",
            "\"status\"",
            "\"summary\"",
            "\"met\"",
            "\"on_track\"",
            "\"at_risk\"",
            "\"off_track\"",
            "\"overdue\"",
            "\"no_forecast\"",
            "\"funnel\"",
            "\"customers\"",
            "\"per_month\"",
            "\"meetings\"",
            "\"calls\"",
            "\"reps_needed\"",
            "\"sla\"",
            "\"mql_gap_per_month\"",
            "\"sql_gap_per_month\"",
            "\"follow_up_hours\"",
        ];
        let mut from = 0;
        for key in keys {
            let at = text[from..]
                .find(key)
                .unwrap_or_else(|| panic!("{key} missing or out of order in {text}"));
            from += at + key.len();
        }
    }

    #[test]
    fn gaps_json_writes_null_for_undefined_values() {
        let mut plan = plan_with(vec![
            kpi("k", 5.0, "2026-01-01", 5.0, "2026-03-31").actuals(&[("2026-02-01", 4.0)]),
        ]);
        plan.funnel = None;
        let v = gaps_json(&plan, today(), None).unwrap();
        let k = &v["kpis"][0];
        for key in [
            "unit",
            "owner",
            "progress_pct",
            "required_per_month",
            "forecast",
            "forecast_gap",
        ] {
            assert!(k[key].is_null(), "{key} should be null: {k}");
        }
        assert_eq!(k["status"], "overdue");
        assert!(v["funnel"].is_null());
        // An incomplete funnel cannot be computed: null too.
        plan.funnel = Some(Funnel::default());
        assert!(gaps_json(&plan, today(), None).unwrap()["funnel"].is_null());
    }

    #[test]
    fn gaps_json_reports_the_scenario_or_refuses_an_unknown_one() {
        let plan = scenario_plan();
        let v = gaps_json(&plan, today(), Some("pessimistic")).unwrap();
        assert_eq!(v["scenario"], "pessimistic");
        close(v["kpis"][0]["forecast"].as_f64().unwrap(), 16990.70, T);
        assert_eq!(
            gaps_json(&plan, today(), Some("nope")).unwrap_err(),
            UnknownScenario {
                name: "nope".into()
            }
        );
    }
}
