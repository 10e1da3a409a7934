//! The forecast series behind the step-6 chart and the exports: a KPI's
//! projected value at every month end (or quarter end) from its baseline date
//! to its deadline, plus the actuals and the target to draw with it.
//!
//! Choices (metrics.md defines only the value at the deadline):
//! - The value at a date `d` uses the same method as the deadline forecast
//!   ([`Projection`]): the least-squares line at `d`; compound growth from
//!   the current observation to `d` (backwards too, for dates before it);
//!   the manual entry with the latest date ≤ `d`, so the series is a step
//!   function and has no point before the first manual entry.
//! - A scenario multiplier `m` scales the predicted change only for dates
//!   after the current observation: `current + m × (value − current)`. On and
//!   before `current_date` the series shows the method's own value.
//! - The grid is the baseline date, then every period end strictly between
//!   the baseline date and the deadline, then the deadline itself (which need
//!   not be a period end). The last point therefore equals
//!   `kpi_metrics(...).forecast` whenever that is defined.
//! - Quarterly points are the values at quarter ends (31 March, 30 June,
//!   30 September, 31 December): a stock value at the end of each quarter,
//!   not a sum, because KPIs are levels (MRR, churn rate), not flows.

use serde::Serialize;

use crate::plan::{Date, Kpi};

use super::kpi::{Projection, apply_scenario, counted_actuals, current_observation};

/// A value at a date, ready to plot.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SeriesPoint {
    pub date: Date,
    pub value: f64,
}

/// How often the series has a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Monthly,
    Quarterly,
}

impl Granularity {
    fn months(self) -> i8 {
        match self {
            Granularity::Monthly => 1,
            Granularity::Quarterly => 3,
        }
    }
}

/// The end of the period (month or quarter) that contains `date`.
fn period_end(date: Date, granularity: Granularity) -> Date {
    let step = granularity.months();
    let month = date.month();
    let last_month = ((month - 1) / step + 1) * step;
    Date::new(date.year(), last_month, 1)
        .expect("months 1..=12 exist")
        .end_of_month()
}

/// The day after `date`, `None` at the end of the calendar.
fn next_day(date: Date) -> Option<Date> {
    date.0.tomorrow().ok().map(Date)
}

/// The chart's x grid: `from`, every period end strictly between `from` and
/// `to`, then `to`. Only `[to]` when `to ≤ from` (an invalid KPI).
pub fn period_ends(from: Date, to: Date, granularity: Granularity) -> Vec<Date> {
    if to <= from {
        return vec![to];
    }
    let mut dates = vec![from];
    let mut end = period_end(from, granularity);
    if end == from {
        end = match next_day(end) {
            Some(next) => period_end(next, granularity),
            None => return dates,
        };
    }
    while end < to {
        dates.push(end);
        end = match next_day(end) {
            Some(next) => period_end(next, granularity),
            None => break,
        };
    }
    dates.push(to);
    dates
}

/// The projected values of `kpi` on the grid of [`period_ends`] from its
/// baseline date to its deadline, under scenario multiplier `multiplier`.
/// Empty when the KPI has no forecast (no method, or too few points).
pub fn forecast_series(
    kpi: &Kpi,
    today: Date,
    multiplier: f64,
    granularity: Granularity,
) -> Vec<SeriesPoint> {
    let projection = Projection::of(kpi, today);
    if projection == Projection::None {
        return Vec::new();
    }
    let Some((current, current_date)) = current_observation(kpi, today) else {
        return Vec::new();
    };
    period_ends(kpi.baseline.date, kpi.target.date, granularity)
        .into_iter()
        .filter_map(|date| {
            let raw = projection.at(date)?;
            let value = if date > current_date {
                apply_scenario(current, raw, multiplier)
            } else {
                raw
            };
            value.is_finite().then_some(SeriesPoint { date, value })
        })
        .collect()
}

/// Everything a KPI chart draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiChart {
    pub baseline: SeriesPoint,
    /// The actuals that count (dated on or before `today`), by date; of two
    /// on the same date only the later in the file, as for `current`.
    pub actuals: Vec<SeriesPoint>,
    pub forecast: Vec<SeriesPoint>,
    /// The target value at the deadline.
    pub target: SeriesPoint,
}

/// The chart data of one KPI; `None` while its baseline or target value is
/// not set (there is nothing to draw a line from or to).
pub fn kpi_chart(
    kpi: &Kpi,
    today: Date,
    multiplier: f64,
    granularity: Granularity,
) -> Option<KpiChart> {
    let (Some(baseline), Some(target)) = (kpi.baseline.value, kpi.target.value) else {
        return None;
    };
    let mut actuals: Vec<SeriesPoint> = Vec::new();
    let mut counted: Vec<_> = counted_actuals(kpi, today).collect();
    // Stable sort: same-date actuals stay in file order, the last one wins.
    counted.sort_by_key(|a| a.date);
    for a in counted {
        let point = SeriesPoint {
            date: a.date,
            value: a.value,
        };
        match actuals.last_mut() {
            Some(last) if last.date == a.date => *last = point,
            _ => actuals.push(point),
        }
    }
    Some(KpiChart {
        baseline: SeriesPoint {
            date: kpi.baseline.date,
            value: baseline,
        },
        actuals,
        forecast: forecast_series(kpi, today, multiplier, granularity),
        target: SeriesPoint {
            date: kpi.target.date,
            value: target,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::kpi::{kpi_metrics, months};
    use crate::metrics::test_support::*;
    use crate::plan::Forecast;

    fn today() -> Date {
        d("2026-05-31")
    }

    fn dates(list: &[&str]) -> Vec<Date> {
        list.iter().map(|s| d(s)).collect()
    }

    #[test]
    fn monthly_grid_runs_from_baseline_through_month_ends_to_deadline() {
        assert_eq!(
            period_ends(d("2026-01-15"), d("2026-05-10"), Granularity::Monthly),
            dates(&[
                "2026-01-15",
                "2026-01-31",
                "2026-02-28",
                "2026-03-31",
                "2026-04-30",
                "2026-05-10"
            ])
        );
        // A baseline on a month end is not repeated; a deadline on one neither.
        assert_eq!(
            period_ends(d("2026-01-31"), d("2026-04-30"), Granularity::Monthly),
            dates(&["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"])
        );
        assert_eq!(
            period_ends(d("2027-12-31"), d("2028-03-01"), Granularity::Monthly),
            dates(&["2027-12-31", "2028-01-31", "2028-02-29", "2028-03-01"])
        );
    }

    #[test]
    fn quarterly_grid_uses_quarter_ends() {
        assert_eq!(
            period_ends(d("2026-01-01"), d("2026-12-31"), Granularity::Quarterly),
            dates(&[
                "2026-01-01",
                "2026-03-31",
                "2026-06-30",
                "2026-09-30",
                "2026-12-31"
            ])
        );
        assert_eq!(
            period_ends(d("2026-11-20"), d("2027-05-01"), Granularity::Quarterly),
            dates(&["2026-11-20", "2026-12-31", "2027-03-31", "2027-05-01"])
        );
    }

    #[test]
    fn inverted_dates_give_only_the_deadline() {
        assert_eq!(
            period_ends(d("2026-05-01"), d("2026-05-01"), Granularity::Monthly),
            dates(&["2026-05-01"])
        );
        assert_eq!(
            period_ends(d("2026-05-01"), d("2026-03-01"), Granularity::Quarterly),
            dates(&["2026-03-01"])
        );
    }

    #[test]
    fn series_ends_at_the_deadline_forecast() {
        for f in [
            Forecast::Linear,
            Forecast::Growth { monthly_rate: 0.06 },
            Forecast::Manual {
                values: points(&[("2026-03-01", 11000.0), ("2026-12-31", 19000.0)]),
            },
        ] {
            let k = mrr_example().forecast(f);
            for m in [1.0, 0.7, 1.3] {
                for g in [Granularity::Monthly, Granularity::Quarterly] {
                    let s = forecast_series(&k, today(), m, g);
                    let last = s.last().unwrap();
                    assert_eq!(last.date, d("2026-12-31"));
                    close(
                        last.value,
                        kpi_metrics(&k, today(), m).unwrap().forecast.unwrap(),
                        1e-9,
                    );
                }
            }
        }
    }

    #[test]
    fn linear_series_follows_the_fitted_line_at_month_ends() {
        let s = forecast_series(&mrr_example(), today(), 1.0, Granularity::Monthly);
        assert_eq!(s.len(), 13); // 2026-01-01, 11 month ends Jan…Nov, 2026-12-31
        assert_eq!(s[0].date, d("2026-01-01"));
        assert_eq!(s[1].date, d("2026-01-31"));
        // Slope and intercept from the worked example fit.
        let slope = (18743.859092 - s[0].value) / 364.0;
        close(s[6].value, s[0].value + slope * 180.0, 1e-3); // 2026-06-30 is day 180
        assert!(s.windows(2).all(|w| w[1].value > w[0].value));
    }

    #[test]
    fn scenario_only_changes_points_after_the_current_observation() {
        let k = mrr_example();
        let base = forecast_series(&k, today(), 1.0, Granularity::Monthly);
        let pess = forecast_series(&k, today(), 0.7, Granularity::Monthly);
        assert_eq!(base.len(), pess.len());
        for (b, p) in base.iter().zip(&pess) {
            if b.date <= d("2026-04-30") {
                assert_eq!(b.value, p.value, "{}", b.date);
            } else {
                close(p.value, 12900.0 + 0.7 * (b.value - 12900.0), 1e-9);
            }
        }
    }

    #[test]
    fn growth_series_compounds_from_the_current_observation() {
        let k = mrr_example().forecast(Forecast::Growth { monthly_rate: 0.06 });
        let s = forecast_series(&k, today(), 1.0, Granularity::Quarterly);
        let at = |date: &str| s.iter().find(|p| p.date == d(date)).unwrap().value;
        close(
            at("2026-06-30"),
            12900.0 * 1.06f64.powf(months(d("2026-04-30"), d("2026-06-30"))),
            1e-9,
        );
        // Before the current observation it discounts backwards.
        assert!(at("2026-03-31") < 12900.0);
        close(at("2026-12-31"), 20619.77, 0.005);
    }

    #[test]
    fn manual_series_is_a_step_function_starting_at_the_first_entry() {
        let k = mrr_example().forecast(Forecast::Manual {
            values: points(&[("2026-06-15", 14000.0), ("2026-09-30", 17000.0)]),
        });
        let s = forecast_series(&k, today(), 1.0, Granularity::Monthly);
        assert_eq!(s[0].date, d("2026-06-30"));
        let values: Vec<f64> = s.iter().map(|p| p.value).collect();
        assert_eq!(
            values,
            [
                14000.0, 14000.0, 14000.0, 17000.0, 17000.0, 17000.0, 17000.0
            ]
        );
    }

    #[test]
    fn no_forecast_means_an_empty_series() {
        let mut k = mrr_example();
        k.forecast = None;
        assert!(forecast_series(&k, today(), 1.0, Granularity::Monthly).is_empty());
        let k = k.forecast(Forecast::None);
        assert!(forecast_series(&k, today(), 1.0, Granularity::Monthly).is_empty());
        let k = kpi("k", 1.0, "2026-01-01", 2.0, "2026-12-31").forecast(Forecast::Linear);
        assert!(forecast_series(&k, today(), 1.0, Granularity::Monthly).is_empty());
    }

    #[test]
    fn chart_keeps_counted_actuals_sorted_with_ties_to_the_later_entry() {
        let k = mrr_example().actuals(&[
            ("2026-03-31", 12100.0),
            ("2026-01-31", 10800.0),
            ("2026-03-31", 12200.0),
            ("2026-07-31", 50000.0), // after today
        ]);
        let c = kpi_chart(&k, today(), 1.0, Granularity::Monthly).unwrap();
        assert_eq!(
            c.actuals,
            vec![
                SeriesPoint {
                    date: d("2026-01-31"),
                    value: 10800.0
                },
                SeriesPoint {
                    date: d("2026-03-31"),
                    value: 12200.0
                },
            ]
        );
        assert_eq!(c.baseline.value, 10000.0);
        assert_eq!(c.target.date, d("2026-12-31"));
        assert_eq!(c.forecast.first().unwrap().date, d("2026-01-01"));
    }
}
