//! The reverse ("smarketing") funnel of metrics.md: from a revenue goal and
//! the stage conversion rates, the customers, SQLs, MQLs, leads and visits
//! needed, in total and per month; the sales effort behind them; and the gap
//! between what the funnel needs and what marketing's SLA commits.
//!
//! Each stage is a whole number derived from the whole number of the stage
//! below it, always through [`ceil_count`] so float noise never adds one.

use serde::Serialize;

use crate::plan::{Funnel, SalesEffort, Sla};

use super::kpi::ceil_count;

/// One input of the funnel, for saying which are missing or invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelInput {
    RevenueGoal,
    Months,
    AverageDealValue,
    VisitToLead,
    LeadToMql,
    MqlToSql,
    SqlToCustomer,
}

impl FunnelInput {
    pub const ALL: [FunnelInput; 7] = [
        FunnelInput::RevenueGoal,
        FunnelInput::Months,
        FunnelInput::AverageDealValue,
        FunnelInput::VisitToLead,
        FunnelInput::LeadToMql,
        FunnelInput::MqlToSql,
        FunnelInput::SqlToCustomer,
    ];

    /// The key's path under `[funnel]` in the plan file.
    pub fn key(self) -> &'static str {
        match self {
            FunnelInput::RevenueGoal => "revenue_goal",
            FunnelInput::Months => "months",
            FunnelInput::AverageDealValue => "average_deal_value",
            FunnelInput::VisitToLead => "rates.visit_to_lead",
            FunnelInput::LeadToMql => "rates.lead_to_mql",
            FunnelInput::MqlToSql => "rates.mql_to_sql",
            FunnelInput::SqlToCustomer => "rates.sql_to_customer",
        }
    }
}

/// What is wrong with one funnel input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputProblem {
    /// Not given.
    Missing,
    /// Given, but outside its range: a negative or non-finite revenue goal,
    /// zero months, a deal value ≤ 0, a rate outside (0, 1].
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct FunnelInputProblem {
    pub input: FunnelInput,
    pub problem: InputProblem,
}

/// Why the funnel cannot be computed: every input that is missing or
/// invalid, in [`FunnelInput::ALL`] order (never empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunnelMissing {
    pub problems: Vec<FunnelInputProblem>,
}

/// The five stages, as whole numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct StageCounts {
    pub customers: u64,
    pub sqls: u64,
    pub mqls: u64,
    pub leads: u64,
    pub visits: u64,
}

/// Marketing's SLA commitments against what the funnel needs per month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SlaGaps {
    /// `mqls per month − sla.mql_per_month`: positive means the commitment
    /// falls short; `None` when the SLA leaves it out.
    pub mql_gap_per_month: Option<i64>,
    pub sql_gap_per_month: Option<i64>,
    /// Sales' promise, copied from the SLA.
    pub follow_up_hours: Option<u64>,
}

/// The computed funnel; field order is the `funnel` object of
/// `rumbo gaps --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FunnelResult {
    pub customers: u64,
    pub sqls: u64,
    pub mqls: u64,
    pub leads: u64,
    pub visits: u64,
    pub per_month: StageCounts,
    /// `None` without `[funnel.sales]` or without `meetings_per_sql`.
    pub meetings: Option<u64>,
    /// Also needs `calls_per_meeting`.
    pub calls: Option<u64>,
    /// Also needs `calls_per_rep_per_month`.
    pub reps_needed: Option<u64>,
    /// `ceil_count(calls / months)`, the step between calls and reps;
    /// shown on screen, not part of the JSON shape.
    #[serde(skip)]
    pub calls_per_month: Option<u64>,
    /// `None` without `[funnel.sla]`.
    pub sla: Option<SlaGaps>,
}

impl FunnelResult {
    /// The totals as one struct.
    pub fn totals(&self) -> StageCounts {
        StageCounts {
            customers: self.customers,
            sqls: self.sqls,
            mqls: self.mqls,
            leads: self.leads,
            visits: self.visits,
        }
    }
}

/// A figure usable as a positive finite multiplier or divisor.
fn positive(v: Option<f64>) -> Option<f64> {
    v.filter(|v| *v > 0.0 && v.is_finite())
}

/// Checks one input: `Ok(value)`, or records what is wrong.
fn take<T: Copy>(
    value: Option<T>,
    valid: impl Fn(T) -> bool,
    input: FunnelInput,
    problems: &mut Vec<FunnelInputProblem>,
) -> Option<T> {
    match value {
        None => {
            problems.push(FunnelInputProblem {
                input,
                problem: InputProblem::Missing,
            });
            None
        }
        Some(v) if !valid(v) => {
            problems.push(FunnelInputProblem {
                input,
                problem: InputProblem::Invalid,
            });
            None
        }
        Some(v) => Some(v),
    }
}

fn is_rate(r: f64) -> bool {
    r > 0.0 && r <= 1.0
}

/// Works the funnel backwards from the revenue goal (metrics.md, "The
/// reverse funnel"). Fails, listing every missing or invalid input, when the
/// goal, the period, the deal value or a stage rate is unusable.
pub fn reverse_funnel(f: &Funnel) -> Result<FunnelResult, FunnelMissing> {
    let mut problems = Vec::new();
    let p = &mut problems;
    let revenue = take(
        f.revenue_goal,
        |v: f64| v >= 0.0 && v.is_finite(),
        FunnelInput::RevenueGoal,
        p,
    );
    let months = take(f.months, |m: u64| m > 0, FunnelInput::Months, p);
    let deal = take(
        f.average_deal_value,
        |v: f64| v > 0.0 && v.is_finite(),
        FunnelInput::AverageDealValue,
        p,
    );
    let r = &f.rates;
    let visit_to_lead = take(r.visit_to_lead, is_rate, FunnelInput::VisitToLead, p);
    let lead_to_mql = take(r.lead_to_mql, is_rate, FunnelInput::LeadToMql, p);
    let mql_to_sql = take(r.mql_to_sql, is_rate, FunnelInput::MqlToSql, p);
    let sql_to_customer = take(r.sql_to_customer, is_rate, FunnelInput::SqlToCustomer, p);
    let (
        Some(revenue),
        Some(months),
        Some(deal),
        Some(visit_to_lead),
        Some(lead_to_mql),
        Some(mql_to_sql),
        Some(sql_to_customer),
    ) = (
        revenue,
        months,
        deal,
        visit_to_lead,
        lead_to_mql,
        mql_to_sql,
        sql_to_customer,
    )
    else {
        return Err(FunnelMissing { problems });
    };

    let customers = ceil_count(revenue / deal);
    let sqls = ceil_count(customers as f64 / sql_to_customer);
    let mqls = ceil_count(sqls as f64 / mql_to_sql);
    let leads = ceil_count(mqls as f64 / lead_to_mql);
    let visits = ceil_count(leads as f64 / visit_to_lead);
    let m = months as f64;
    let per = |stage: u64| ceil_count(stage as f64 / m);
    let per_month = StageCounts {
        customers: per(customers),
        sqls: per(sqls),
        mqls: per(mqls),
        leads: per(leads),
        visits: per(visits),
    };

    let effort = sales_effort(f.sales.as_ref(), sqls, m);
    Ok(FunnelResult {
        customers,
        sqls,
        mqls,
        leads,
        visits,
        per_month,
        meetings: effort.meetings,
        calls: effort.calls,
        reps_needed: effort.reps_needed,
        calls_per_month: effort.calls_per_month,
        sla: f.sla.as_ref().map(|s| sla_gaps(s, &per_month)),
    })
}

#[derive(Default)]
struct Effort {
    meetings: Option<u64>,
    calls: Option<u64>,
    calls_per_month: Option<u64>,
    reps_needed: Option<u64>,
}

/// Meetings, calls and reps; each `None` when a figure it depends on is
/// missing (or not a positive number).
fn sales_effort(sales: Option<&SalesEffort>, sqls: u64, months: f64) -> Effort {
    let Some(s) = sales else {
        return Effort::default();
    };
    let meetings = positive(s.meetings_per_sql).map(|m| ceil_count(sqls as f64 * m));
    let calls = meetings
        .zip(positive(s.calls_per_meeting))
        .map(|(meetings, c)| ceil_count(meetings as f64 * c));
    let calls_per_month = calls.map(|c| ceil_count(c as f64 / months));
    let reps_needed = calls_per_month
        .zip(positive(s.calls_per_rep_per_month))
        .map(|(cpm, capacity)| ceil_count(cpm as f64 / capacity));
    Effort {
        meetings,
        calls,
        calls_per_month,
        reps_needed,
    }
}

fn sla_gaps(sla: &Sla, per_month: &StageCounts) -> SlaGaps {
    let gap = |needed: u64, committed: u64| {
        i64::try_from(i128::from(needed) - i128::from(committed)).unwrap_or(if needed > committed {
            i64::MAX
        } else {
            i64::MIN
        })
    };
    SlaGaps {
        mql_gap_per_month: sla.mql_per_month.map(|c| gap(per_month.mqls, c)),
        sql_gap_per_month: sla.sql_per_month.map(|c| gap(per_month.sqls, c)),
        follow_up_hours: sla.follow_up_hours,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::FunnelRates;
    use proptest::prelude::*;

    fn example() -> Funnel {
        Funnel {
            revenue_goal: Some(1_000_000.0),
            months: Some(12),
            average_deal_value: Some(5000.0),
            rates: FunnelRates {
                visit_to_lead: Some(0.02),
                lead_to_mql: Some(0.4),
                mql_to_sql: Some(0.3),
                sql_to_customer: Some(0.2),
            },
            sales: Some(SalesEffort {
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
        }
    }

    #[test]
    fn worked_example_reproduces_metrics_md() {
        let r = reverse_funnel(&example()).unwrap();
        assert_eq!(
            r.totals(),
            StageCounts {
                customers: 200,
                sqls: 1000,
                mqls: 3334,
                leads: 8335,
                visits: 416750
            }
        );
        assert_eq!(
            r.per_month,
            StageCounts {
                customers: 17,
                sqls: 84,
                mqls: 278,
                leads: 695,
                visits: 34730
            }
        );
        assert_eq!(r.meetings, Some(2000));
        assert_eq!(r.calls, Some(10000));
        assert_eq!(r.calls_per_month, Some(834));
        assert_eq!(r.reps_needed, Some(3));
        assert_eq!(
            r.sla,
            Some(SlaGaps {
                mql_gap_per_month: Some(28),
                sql_gap_per_month: None,
                follow_up_hours: Some(24)
            })
        );
    }

    #[test]
    fn sql_commitment_above_need_gives_a_negative_gap() {
        let mut f = example();
        f.sla = Some(Sla {
            sql_per_month: Some(90),
            ..Sla::default()
        });
        let sla = reverse_funnel(&f).unwrap().sla.unwrap();
        assert_eq!(sla.sql_gap_per_month, Some(84 - 90));
        assert_eq!(sla.mql_gap_per_month, None);
        assert_eq!(sla.follow_up_hours, None);
    }

    #[test]
    fn without_sales_or_sla_those_parts_are_null() {
        let mut f = example();
        f.sales = None;
        f.sla = None;
        let r = reverse_funnel(&f).unwrap();
        assert_eq!((r.meetings, r.calls, r.reps_needed), (None, None, None));
        assert_eq!(r.calls_per_month, None);
        assert_eq!(r.sla, None);
        let v = serde_json::to_value(r).unwrap();
        assert!(v["meetings"].is_null() && v["reps_needed"].is_null() && v["sla"].is_null());
        assert!(v.get("calls_per_month").is_none());
    }

    #[test]
    fn a_missing_sales_figure_nulls_only_what_depends_on_it() {
        let mut f = example();
        f.sales = Some(SalesEffort {
            meetings_per_sql: Some(2.0),
            calls_per_meeting: Some(5.0),
            calls_per_rep_per_month: None,
        });
        let r = reverse_funnel(&f).unwrap();
        assert_eq!(
            (r.meetings, r.calls, r.reps_needed),
            (Some(2000), Some(10000), None)
        );
        f.sales = Some(SalesEffort {
            meetings_per_sql: None,
            calls_per_meeting: Some(5.0),
            calls_per_rep_per_month: Some(400.0),
        });
        let r = reverse_funnel(&f).unwrap();
        assert_eq!((r.meetings, r.calls, r.reps_needed), (None, None, None));
        f.sales = Some(SalesEffort {
            meetings_per_sql: Some(2.0),
            calls_per_meeting: Some(0.0), // invalid: treated as missing
            calls_per_rep_per_month: Some(400.0),
        });
        let r = reverse_funnel(&f).unwrap();
        assert_eq!(
            (r.meetings, r.calls, r.reps_needed),
            (Some(2000), None, None)
        );
    }

    #[test]
    fn float_noise_does_not_add_a_whole_stage_unit() {
        // 21 customers at 0.7 → 21 / 0.7 = 30.000000000000004 SQLs: 30.
        assert!(std::hint::black_box(21.0) / 0.7 > 30.0);
        let mut f = example();
        f.revenue_goal = Some(21_000.0);
        f.average_deal_value = Some(1000.0);
        f.rates.sql_to_customer = Some(0.7);
        f.rates.mql_to_sql = Some(1.0);
        f.rates.lead_to_mql = Some(1.0);
        f.rates.visit_to_lead = Some(1.0);
        f.months = Some(1);
        f.sales = Some(SalesEffort {
            meetings_per_sql: Some(1.0),
            calls_per_meeting: Some(1.0),
            calls_per_rep_per_month: Some(1.0),
        });
        let r = reverse_funnel(&f).unwrap();
        assert_eq!(
            (r.customers, r.sqls, r.mqls, r.leads, r.visits),
            (21, 30, 30, 30, 30)
        );
        assert_eq!(r.per_month.sqls, 30);
        // 25 SQLs × 2.2 meetings = 55.00000000000001 → 55.
        assert!(std::hint::black_box(25.0) * 2.2 > 55.0);
        f.revenue_goal = Some(5000.0);
        f.rates.sql_to_customer = Some(0.2);
        f.sales = Some(SalesEffort {
            meetings_per_sql: Some(2.2),
            calls_per_meeting: Some(1.0),
            calls_per_rep_per_month: Some(100.0),
        });
        let r = reverse_funnel(&f).unwrap();
        assert_eq!(r.sqls, 25);
        assert_eq!(r.meetings, Some(55));
        assert_eq!(r.calls, Some(55));
        assert_eq!(r.reps_needed, Some(1));
    }

    #[test]
    fn a_real_fraction_still_rounds_up() {
        let mut f = example();
        f.revenue_goal = Some(1_000_001.0);
        assert_eq!(reverse_funnel(&f).unwrap().customers, 201);
    }

    #[test]
    fn zero_revenue_needs_nothing() {
        let mut f = example();
        f.revenue_goal = Some(0.0);
        let r = reverse_funnel(&f).unwrap();
        assert_eq!(r.totals(), StageCounts::default());
        assert_eq!(r.reps_needed, Some(0));
        assert_eq!(r.sla.unwrap().mql_gap_per_month, Some(-250));
    }

    #[test]
    fn missing_and_invalid_inputs_are_all_listed_in_order() {
        let err = reverse_funnel(&Funnel::default()).unwrap_err();
        assert_eq!(
            err.problems.iter().map(|p| p.input).collect::<Vec<_>>(),
            FunnelInput::ALL
        );
        assert!(
            err.problems
                .iter()
                .all(|p| p.problem == InputProblem::Missing)
        );

        let mut f = example();
        f.months = Some(0);
        f.rates.lead_to_mql = Some(1.5);
        f.rates.mql_to_sql = Some(0.0);
        f.average_deal_value = None;
        f.revenue_goal = Some(-1.0);
        let err = reverse_funnel(&f).unwrap_err();
        assert_eq!(
            err.problems,
            vec![
                FunnelInputProblem {
                    input: FunnelInput::RevenueGoal,
                    problem: InputProblem::Invalid
                },
                FunnelInputProblem {
                    input: FunnelInput::Months,
                    problem: InputProblem::Invalid
                },
                FunnelInputProblem {
                    input: FunnelInput::AverageDealValue,
                    problem: InputProblem::Missing
                },
                FunnelInputProblem {
                    input: FunnelInput::LeadToMql,
                    problem: InputProblem::Invalid
                },
                FunnelInputProblem {
                    input: FunnelInput::MqlToSql,
                    problem: InputProblem::Invalid
                },
            ]
        );
        assert_eq!(FunnelInput::MqlToSql.key(), "rates.mql_to_sql");
    }

    #[test]
    fn a_rate_of_exactly_one_is_valid() {
        let mut f = example();
        f.rates.visit_to_lead = Some(1.0);
        assert_eq!(reverse_funnel(&f).unwrap().visits, 8335);
    }

    fn rate() -> impl Strategy<Value = f64> {
        prop_oneof![0.0005f64..=1.0, Just(1.0), Just(0.1), Just(0.7), Just(0.3)]
    }

    proptest! {
        #[test]
        fn stages_never_shrink_going_up(
            revenue in 0.0f64..1e9,
            deal in 1.0f64..1e6,
            months in 1u64..60,
            v in rate(), l in rate(), m in rate(), s in rate(),
            meetings in 0.1f64..10.0,
        ) {
            let f = Funnel {
                revenue_goal: Some(revenue),
                months: Some(months),
                average_deal_value: Some(deal),
                rates: FunnelRates {
                    visit_to_lead: Some(v),
                    lead_to_mql: Some(l),
                    mql_to_sql: Some(m),
                    sql_to_customer: Some(s),
                },
                sales: Some(SalesEffort {
                    meetings_per_sql: Some(meetings),
                    calls_per_meeting: Some(3.0),
                    calls_per_rep_per_month: Some(300.0),
                }),
                ..Funnel::default()
            };
            let r = reverse_funnel(&f).unwrap();
            prop_assert!(r.customers <= r.sqls);
            prop_assert!(r.sqls <= r.mqls);
            prop_assert!(r.mqls <= r.leads);
            prop_assert!(r.leads <= r.visits);
            let p = r.per_month;
            prop_assert!(p.customers <= p.sqls && p.sqls <= p.mqls);
            prop_assert!(p.mqls <= p.leads && p.leads <= p.visits);
            // A month never needs more than the whole period, nor less than its share.
            prop_assert!(p.visits <= r.visits.max(1));
            prop_assert!(p.visits as f64 * months as f64 >= r.visits as f64 - 1e-6 * r.visits as f64);
            prop_assert!(r.customers as f64 >= revenue / deal - 1e-6);
        }
    }
}
