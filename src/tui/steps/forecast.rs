//! Step 6 — forecasts and the reverse funnel: per KPI a chart of actuals,
//! forecast (per scenario) and target with a table of the projected values;
//! the scenarios; and the funnel calculator, inputs on the left and results,
//! recomputed on every keystroke, on the right.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, LegendPosition, Paragraph, Widget, Wrap};

use crate::i18n::{date, t, tf};
use crate::metrics::{self, Granularity};
use crate::plan::{Date, Funnel, Plan, SalesEffort, Scenario, Sla};
use crate::tui::form::{
    Ctx, Custom, Field, Form, Kind, NumUnit, Outcome, Section, Slot, TableSpec, format_number,
};
use crate::tui::gapview::{NOT_SET_SYMBOL, status_symbol};
use crate::tui::theme::Theme;

use super::kpis::{METHOD, growth_rate, method_key};
use super::{remove, swap};

pub fn form(plan: &Plan, today: Date, selected_row: &dyn Fn(usize) -> usize) -> Form {
    let item = selected_row(0).min(plan.kpis.len().saturating_sub(1));
    let mut sections = vec![Section::new(
        "section.forecast_kpis",
        vec![Field::new("f.forecast_kpis", Kind::Table(&KPI_FORECASTS))],
    )];
    if plan.kpis.is_empty() {
        sections.push(Section::note(
            "section.chart",
            t("table.add_kpi_first").to_string(),
        ));
    } else {
        sections.push(Section::new(
            "section.chart",
            vec![
                Field::new("f.chart", Kind::Custom(&ForecastChart)),
                Field::new("f.forecast_method", Kind::Choice(METHOD)),
                Field::new("f.monthly_rate", Kind::Number(growth_rate, NumUnit::Growth)),
            ],
        ));
    }
    sections.push(Section::new(
        "section.scenarios",
        vec![Field::new("f.scenarios", Kind::Table(&SCENARIOS))],
    ));
    sections.push(Section::side_by_side(
        "section.funnel",
        vec![
            funnel_inputs(),
            vec![Field::new("f.funnel_results", Kind::Custom(&FunnelResults))],
        ],
    ));
    sections.push(Section::new("section.definitions", definitions()));
    Form {
        sections,
        ctx: Ctx {
            item,
            ..Ctx::new(today)
        },
    }
}

/// The funnel, created empty the first time a value is typed into it.
fn f(p: &mut Plan) -> &mut Funnel {
    p.funnel.get_or_insert_with(Funnel::default)
}

fn sales(p: &mut Plan) -> &mut SalesEffort {
    f(p).sales.get_or_insert_with(SalesEffort::default)
}

fn sla(p: &mut Plan) -> &mut Sla {
    f(p).sla.get_or_insert_with(Sla::default)
}

fn funnel_inputs() -> Vec<Field> {
    vec![
        Field::new(
            "f.revenue_goal",
            Kind::Number(
                |p, _| Some(Slot::Opt(&mut f(p).revenue_goal)),
                NumUnit::Currency,
            ),
        ),
        Field::new(
            "f.funnel_months",
            Kind::Int(|p, _| Some(Slot::Opt(&mut f(p).months)), NumUnit::Months),
        ),
        Field::new(
            "f.deal_value",
            Kind::Number(
                |p, _| Some(Slot::Opt(&mut f(p).average_deal_value)),
                NumUnit::Currency,
            ),
        ),
        Field::new(
            "f.visit_to_lead",
            Kind::Number(
                |p, _| Some(Slot::Opt(&mut f(p).rates.visit_to_lead)),
                NumUnit::Rate,
            ),
        ),
        Field::new(
            "f.lead_to_mql",
            Kind::Number(
                |p, _| Some(Slot::Opt(&mut f(p).rates.lead_to_mql)),
                NumUnit::Rate,
            ),
        ),
        Field::new(
            "f.mql_to_sql",
            Kind::Number(
                |p, _| Some(Slot::Opt(&mut f(p).rates.mql_to_sql)),
                NumUnit::Rate,
            ),
        ),
        Field::new(
            "f.sql_to_customer",
            Kind::Number(
                |p, _| Some(Slot::Opt(&mut f(p).rates.sql_to_customer)),
                NumUnit::Rate,
            ),
        ),
        Field::new(
            "f.meetings_per_sql",
            Kind::Number(
                |p, _| Some(Slot::Opt(&mut sales(p).meetings_per_sql)),
                NumUnit::Plain,
            ),
        ),
        Field::new(
            "f.calls_per_meeting",
            Kind::Number(
                |p, _| Some(Slot::Opt(&mut sales(p).calls_per_meeting)),
                NumUnit::Plain,
            ),
        ),
        Field::new(
            "f.calls_per_rep",
            Kind::Number(
                |p, _| Some(Slot::Opt(&mut sales(p).calls_per_rep_per_month)),
                NumUnit::Plain,
            ),
        ),
        Field::new(
            "f.sla_mqls",
            Kind::Int(
                |p, _| Some(Slot::Opt(&mut sla(p).mql_per_month)),
                NumUnit::Plain,
            ),
        ),
        Field::new(
            "f.sla_sqls",
            Kind::Int(
                |p, _| Some(Slot::Opt(&mut sla(p).sql_per_month)),
                NumUnit::Plain,
            ),
        ),
        Field::new(
            "f.follow_up_hours",
            Kind::Int(
                |p, _| Some(Slot::Opt(&mut sla(p).follow_up_hours)),
                NumUnit::Plain,
            ),
        ),
    ]
}

fn definitions() -> Vec<Field> {
    vec![
        Field::new(
            "f.def_lead",
            Kind::Multi(|p, _| Some(&mut f(p).definitions.lead)),
        ),
        Field::new(
            "f.def_mql",
            Kind::Multi(|p, _| Some(&mut f(p).definitions.mql)),
        ),
        Field::new(
            "f.def_sql",
            Kind::Multi(|p, _| Some(&mut f(p).definitions.sql)),
        ),
        Field::new(
            "f.sla_reporting",
            Kind::Multi(|p, _| Some(&mut sla(p).reporting)),
        ),
    ]
}

static KPI_FORECASTS: TableSpec = TableSpec {
    columns: &[
        ("col.kpi", 5),
        ("col.method", 3),
        ("col.forecast", 2),
        ("col.target", 2),
        ("col.status", 3),
    ],
    len: |p, _| p.kpis.len(),
    cell: |p, x, row, col| {
        let kpi = &p.kpis[row];
        match col {
            0 => kpi.name.clone(),
            1 => t(&format!("method.{}", method_key(kpi.forecast.as_ref()))).to_string(),
            2 => metrics::kpi_metrics(kpi, x.today, 1.0)
                .and_then(|m| m.forecast)
                .map_or("—".to_string(), |v| {
                    format_number((v * 10.0).round() / 10.0)
                }),
            3 => kpi
                .target
                .value
                .map_or_else(|| t("status.not_set").to_string(), format_number),
            _ => match metrics::kpi_metrics(kpi, x.today, 1.0) {
                Some(m) => format!(
                    "{} {}",
                    status_symbol(m.status),
                    t(&format!("status.{}", m.status.key()))
                ),
                None => format!("{} {}", NOT_SET_SYMBOL, t("status.not_set")),
            },
        }
    },
    // KPIs are added in step 5; here `a` adds one too, for convenience.
    add: |p, x| {
        let id = super::unique_id("kpi", |id| p.kpi(id).is_some());
        p.kpis
            .push(super::kpis::new_kpi(&id, t("table.new_kpi_name"), x.today));
        p.kpis.len() - 1
    },
    remove: |p, _, i| remove(&mut p.kpis, i),
    swap: |p, _, a, b| swap(&mut p.kpis, a, b),
    row_fields: || {
        vec![
            Field::new("f.forecast_method", Kind::Choice(METHOD_ROW)),
            Field::new("f.done", Kind::Done),
        ]
    },
    toggle: None,
    footer: None,
    extra: None,
    order: None,
    views: &[],
    tone: None,
    empty: "table.no_kpis",
};

const METHOD_ROW: crate::tui::form::Choice = crate::tui::form::Choice {
    options: METHOD.options,
    get: |p, x| (METHOD.get)(p, Ctx { item: x.row, ..x }),
    set: |p, x, v| (METHOD.set)(p, Ctx { item: x.row, ..x }, v),
};

static SCENARIOS: TableSpec = TableSpec {
    columns: &[("col.scenario", 3), ("col.multiplier", 2)],
    len: |p, _| p.scenarios.len() + 1,
    cell: |p, _, row, col| {
        // Row 0 is the base scenario, which always exists.
        let (name, m) = if row == 0 {
            ("base".to_string(), 1.0)
        } else {
            let s = &p.scenarios[row - 1];
            (s.name.clone(), s.multiplier)
        };
        match col {
            0 => name,
            _ => format!("× {}", format_number(m)),
        }
    },
    add: |p, _| {
        let name = super::unique_id("scenario", |n| p.scenarios.iter().any(|s| s.name == n));
        p.scenarios.push(Scenario {
            name,
            multiplier: 1.0,
        });
        p.scenarios.len()
    },
    remove: |p, _, i| {
        if i > 0 {
            remove(&mut p.scenarios, i - 1);
        }
    },
    swap: |p, _, a, b| {
        if a > 0 && b > 0 {
            swap(&mut p.scenarios, a - 1, b - 1);
        }
    },
    row_fields: || {
        vec![
            Field::new(
                "f.scenario_name",
                Kind::Text(|p, x| Some(&mut p.scenarios.get_mut(x.row.checked_sub(1)?)?.name)),
            ),
            Field::new(
                "f.multiplier",
                Kind::Number(
                    |p, x| {
                        Some(Slot::Req(
                            &mut p.scenarios.get_mut(x.row.checked_sub(1)?)?.multiplier,
                        ))
                    },
                    NumUnit::Factor,
                ),
            ),
            Field::new("f.done", Kind::Done),
        ]
    },
    toggle: None,
    footer: Some(|_, _| Some((t("table.scenarios_footer").to_string(), false))),
    extra: None,
    order: None,
    views: &[],
    tone: None,
    empty: "table.no_kpis",
};

/// The chart of the chosen KPI, with its projected values beside it.
/// Space switches the table between months and quarters.
struct ForecastChart;

const CHART_HEIGHT: u16 = 14;

impl Custom for ForecastChart {
    fn height(&self, _plan: &Plan, _ctx: Ctx, _width: u16) -> u16 {
        CHART_HEIGHT
    }

    fn focusable(&self) -> bool {
        true
    }

    fn keys(&self) -> &'static [(&'static str, &'static str)] {
        &[("Space", "keys.months_quarters")]
    }

    fn key(&self, _plan: &mut Plan, _ctx: Ctx, key: KeyEvent, selected: &mut usize) -> Outcome {
        match key.code {
            KeyCode::Char(' ') | KeyCode::Char('q') | KeyCode::Char('m') => {
                *selected = usize::from(*selected == 0);
                Outcome::Handled
            }
            _ => Outcome::Ignored,
        }
    }

    fn draw(
        &self,
        plan: &Plan,
        ctx: Ctx,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        _focus: bool,
        selected: usize,
    ) {
        let Some(kpi) = plan.kpis.get(ctx.item) else {
            return;
        };
        // Nothing to draw from or to until the baseline and target are set.
        let (Some(chart), Some(target)) = (
            metrics::kpi_chart(kpi, ctx.today, 1.0, Granularity::Monthly),
            kpi.target.value,
        ) else {
            Paragraph::new(Line::styled(
                format!("{} {}", NOT_SET_SYMBOL, t("kpi.not_set")),
                theme.warning(),
            ))
            .wrap(Wrap { trim: true })
            .render(area, buf);
            return;
        };
        let granularity = if selected == 0 {
            Granularity::Monthly
        } else {
            Granularity::Quarterly
        };
        let table_w = if area.width >= 52 { 24 } else { 0 };
        let [chart_area, table_area] =
            Layout::horizontal([Constraint::Min(10), Constraint::Length(table_w)]).areas(area);
        let base = kpi.baseline.date;
        let x = |d: Date| base.days_until(d) as f64;
        let actual_pts: Vec<(f64, f64)> = std::iter::once(&chart.baseline)
            .chain(chart.actuals.iter())
            .map(|p| (x(p.date), p.value))
            .collect();
        let forecast_pts: Vec<(f64, f64)> = chart
            .forecast
            .iter()
            .map(|p| (x(p.date), p.value))
            .collect();
        let end_x = x(kpi.target.date).max(1.0);
        let target_pts = vec![(0.0, target), (end_x, target)];
        let mut scenario_sets: Vec<(String, Vec<(f64, f64)>)> = Vec::new();
        for s in &plan.scenarios {
            if s.name == "base" {
                continue;
            }
            let series =
                metrics::forecast_series(kpi, ctx.today, s.multiplier, Granularity::Monthly);
            scenario_sets.push((
                s.name.clone(),
                series.iter().map(|p| (x(p.date), p.value)).collect(),
            ));
        }
        let all_y = actual_pts
            .iter()
            .chain(forecast_pts.iter())
            .chain(target_pts.iter())
            .chain(scenario_sets.iter().flat_map(|(_, v)| v.iter()))
            .map(|p| p.1)
            .filter(|v| v.is_finite());
        let (mut lo, mut hi) =
            all_y.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        if lo > hi {
            (lo, hi) = (0.0, 1.0);
        }
        let pad = ((hi - lo) * 0.05).max(0.5);
        let (lo, hi) = (lo - pad, hi + pad);
        let style = |s: Style| if theme.color { s } else { Style::new() };
        let mut datasets = vec![
            Dataset::default()
                .name(t("chart.target").to_string())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(style(theme.warning()))
                .data(&target_pts),
            Dataset::default()
                .name(t("chart.forecast").to_string())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(style(theme.title()))
                .data(&forecast_pts),
        ];
        for (name, pts) in &scenario_sets {
            datasets.push(
                Dataset::default()
                    .name(name.clone())
                    .marker(Marker::Braille)
                    .graph_type(GraphType::Line)
                    .style(theme.dim())
                    .data(pts),
            );
        }
        datasets.push(
            Dataset::default()
                .name(t("chart.actuals").to_string())
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(style(theme.ok()))
                .data(&actual_pts),
        );
        let y_labels = vec![
            Span::raw(format_number((lo * 10.0).round() / 10.0)),
            Span::raw(format_number((hi * 10.0).round() / 10.0)),
        ];
        let x_labels = vec![
            Span::raw(date::format(base)),
            Span::raw(date::format(kpi.target.date)),
        ];
        Chart::new(datasets)
            .legend_position(Some(LegendPosition::TopLeft))
            .hidden_legend_constraints((Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)))
            .x_axis(
                Axis::default()
                    .bounds([0.0, end_x])
                    .labels(x_labels)
                    .style(theme.dim()),
            )
            .y_axis(
                Axis::default()
                    .bounds([lo, hi])
                    .labels(y_labels)
                    .style(theme.dim()),
            )
            .render(chart_area, buf);

        if table_w > 0 {
            let series = metrics::forecast_series(kpi, ctx.today, 1.0, granularity);
            let mut lines = vec![Line::styled(
                if selected == 0 {
                    t("chart.monthly")
                } else {
                    t("chart.quarterly")
                }
                .to_string(),
                theme.label(),
            )];
            let room = table_area.height.saturating_sub(1) as usize;
            // Keep the deadline in view: show the last rows when too many.
            let skip = series.len().saturating_sub(room);
            for p in series.iter().skip(skip) {
                lines.push(Line::raw(format!(
                    " {}  {:>10}",
                    date::format(p.date),
                    format_number((p.value * 10.0).round() / 10.0)
                )));
            }
            Paragraph::new(lines).render(table_area, buf);
        }
    }
}

/// The funnel's results with a line of explanation each.
struct FunnelResults;

impl FunnelResults {
    fn lines(plan: &Plan, theme: &Theme) -> Vec<Line<'static>> {
        let Some(funnel) = &plan.funnel else {
            return vec![Line::styled(
                t("funnel.empty").to_string(),
                theme.placeholder(),
            )];
        };
        let r = match metrics::reverse_funnel(funnel) {
            Ok(r) => r,
            Err(missing) => {
                let mut lines = vec![Line::styled(
                    t("funnel.missing").to_string(),
                    theme.warning(),
                )];
                for p in &missing.problems {
                    lines.push(Line::styled(
                        format!(
                            "  • {}",
                            t(&format!("funnel_input.{}", p.input.key().replace('.', "_")))
                        ),
                        theme.warning(),
                    ));
                }
                return lines;
            }
        };
        let mut lines = Vec::new();
        let mut result = |value: String, key: &str, args: &[(&str, &dyn std::fmt::Display)]| {
            lines.push(Line::from(vec![Span::styled(value, theme.title())]));
            lines.push(Line::styled(format!("  {}", tf(key, args)), theme.dim()));
        };
        let pm = &r.per_month;
        // Counts as the language shows figures on screen (`2.500` in Spanish).
        let n = |v: u64| crate::i18n::number::integer(v, crate::i18n::number::Use::Screen);
        // A count with its word in the right number ("1 customer"); "—"
        // when it cannot be computed.
        let counted = |key: &str, v: Option<u64>| match v {
            Some(v) => crate::i18n::tn(key, v, &[("n", &n(v))]),
            None => crate::i18n::tn(key, 0, &[("n", &"—")]),
        };
        let a_month = |key: &str, total: u64, month: u64| {
            tf(
                "funnel.a_month",
                &[("count", &counted(key, Some(total))), ("m", &n(month))],
            )
        };
        result(
            a_month("funnel.customers", r.customers, pm.customers),
            "funnel.customers_why",
            &[],
        );
        result(
            a_month("funnel.sqls", r.sqls, pm.sqls),
            "funnel.sqls_why",
            &[],
        );
        result(
            a_month("funnel.mqls", r.mqls, pm.mqls),
            "funnel.mqls_why",
            &[],
        );
        result(
            a_month("funnel.leads", r.leads, pm.leads),
            "funnel.leads_why",
            &[],
        );
        result(
            a_month("funnel.visits", r.visits, pm.visits),
            "funnel.visits_why",
            &[],
        );
        let opt = |v: Option<u64>| v.map_or("—".to_string(), n);
        if r.meetings.is_some() || r.calls.is_some() {
            result(
                tf(
                    "funnel.effort",
                    &[
                        ("meetings", &counted("funnel.meetings", r.meetings)),
                        ("calls", &counted("funnel.calls", r.calls)),
                    ],
                ),
                "funnel.effort_why",
                &[],
            );
            result(
                counted("funnel.reps", r.reps_needed),
                "funnel.reps_why",
                &[("calls", &opt(r.calls_per_month))],
            );
        }
        if let Some(sla) = &r.sla {
            for (label, gap) in [
                ("MQL", sla.mql_gap_per_month),
                ("SQL", sla.sql_gap_per_month),
            ] {
                let Some(gap) = gap else { continue };
                let (text, style) = if gap > 0 {
                    (
                        tf("funnel.sla_short", &[("stage", &label), ("n", &gap)]),
                        theme.error(),
                    )
                } else {
                    (
                        tf("funnel.sla_ok", &[("stage", &label), ("n", &(-gap))]),
                        theme.ok(),
                    )
                };
                lines.push(Line::styled(text, style));
            }
            if let Some(h) = sla.follow_up_hours {
                lines.push(Line::styled(
                    tf("gaps.follow_up", &[("hours", &h)]),
                    theme.dim(),
                ));
            }
        }
        lines
    }
}

impl Custom for FunnelResults {
    fn height(&self, plan: &Plan, _ctx: Ctx, width: u16) -> u16 {
        let lines = Self::lines(plan, &Theme::new(false));
        lines
            .iter()
            .map(|l| (l.width() as u16).div_ceil(width.max(1)).max(1))
            .sum::<u16>()
            .clamp(3, 40)
    }

    fn draw(
        &self,
        plan: &Plan,
        _ctx: Ctx,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        _focus: bool,
        _selected: usize,
    ) {
        Paragraph::new(Self::lines(plan, theme))
            .wrap(Wrap { trim: false })
            .render(area, buf);
    }
}
