//! Step 5 — KPIs: the plan's KPIs (from the catalogue or custom), and for the
//! chosen one its editor: units, owner, baseline, target, forecast method,
//! and the actual values as a table. A line on top shows where it stands.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::i18n::{date, t, tf};
use crate::metrics;
use crate::plan::{Actual, Date, Direction, Forecast, Kpi, Observation, Plan, Unit};
use crate::tui::form::{
    Choice, Ctx, Custom, Extra, Field, Form, Kind, NumUnit, Section, Slot, TableSpec, format_number,
};
use crate::tui::gapview::{NOT_SET_SYMBOL, status_style, status_symbol};
use crate::tui::theme::Theme;

use super::{enum_options, goal_options, member_options, remove, swap, unique_id};

pub fn form(plan: &Plan, today: Date, selected_row: &dyn Fn(usize) -> usize) -> Form {
    let item = selected_row(0).min(plan.kpis.len().saturating_sub(1));
    let mut sections = vec![Section::new(
        "section.kpis",
        vec![Field::new("f.kpis", Kind::Table(&KPIS))],
    )];
    if plan.kpis.is_empty() {
        sections.push(Section::note(
            "section.kpi",
            t("table.add_kpi_first").to_string(),
        ));
    } else {
        sections.push(Section::new(
            "section.kpi",
            vec![
                Field::new("f.kpi_status", Kind::Custom(&KpiStanding)),
                Field::new(
                    "f.kpi_name",
                    Kind::Text(|p, x| Some(&mut k(p, x.item)?.name)),
                ),
                Field::new("f.kpi_unit", Kind::Choice(UNIT)),
                Field::new("f.kpi_direction", Kind::Choice(DIRECTION)),
                Field::new("f.kpi_owner", Kind::Choice(OWNER)),
                Field::new("f.kpi_goal", Kind::Choice(GOAL)),
                Field::new(
                    "f.baseline_value",
                    Kind::Number(
                        |p, x| Some(Slot::Opt(&mut k(p, x.item)?.baseline.value)),
                        NumUnit::Kpi,
                    ),
                ),
                Field::new(
                    "f.baseline_date",
                    Kind::Date(|p, x| Some(Slot::Req(&mut k(p, x.item)?.baseline.date))),
                ),
                Field::new(
                    "f.target_value",
                    Kind::Number(
                        |p, x| Some(Slot::Opt(&mut k(p, x.item)?.target.value)),
                        NumUnit::Kpi,
                    ),
                ),
                Field::new(
                    "f.target_date",
                    Kind::Date(|p, x| Some(Slot::Req(&mut k(p, x.item)?.target.date))),
                ),
                Field::new("f.forecast_method", Kind::Choice(METHOD)),
                Field::new("f.monthly_rate", Kind::Number(growth_rate, NumUnit::Growth)),
                Field::new("f.manual_values", Kind::Table(&MANUAL)),
                Field::new("f.actuals", Kind::Table(&ACTUALS)),
            ],
        ));
    }
    Form {
        sections,
        ctx: Ctx {
            item,
            ..Ctx::new(today)
        },
    }
}

pub(crate) fn k(plan: &mut Plan, item: usize) -> Option<&mut Kpi> {
    plan.kpis.get_mut(item)
}

/// The monthly rate of a growth forecast (absent for other methods).
pub(crate) fn growth_rate(p: &mut Plan, x: Ctx) -> Option<Slot<'_, f64>> {
    match &mut k(p, x.item)?.forecast {
        Some(Forecast::Growth { monthly_rate }) => Some(Slot::Req(monthly_rate)),
        _ => None,
    }
}

const UNIT: Choice = Choice {
    options: |_| enum_options(&Unit::ALL, Unit::key, "unit"),
    get: |p, x| {
        p.kpis
            .get(x.item)
            .and_then(|k| k.unit)
            .map(|u| u.key().to_string())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(k) = p.kpis.get_mut(x.item) {
            k.unit = Unit::ALL.iter().copied().find(|u| u.key() == v);
        }
    },
};

const DIRECTIONS: [Direction; 2] = [Direction::Increase, Direction::Decrease];

const DIRECTION: Choice = Choice {
    options: |_| enum_options(&DIRECTIONS, Direction::key, "direction"),
    get: |p, x| {
        p.kpis
            .get(x.item)
            .map(|k| k.direction.key().to_string())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        // A direction is required: "clear" keeps the current one.
        if let (Some(k), Some(d)) = (
            p.kpis.get_mut(x.item),
            DIRECTIONS.iter().copied().find(|d| d.key() == v),
        ) {
            k.direction = d;
        }
    },
};

const OWNER: Choice = Choice {
    options: member_options,
    get: |p, x| {
        p.kpis
            .get(x.item)
            .map(|k| k.owner.clone())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(k) = p.kpis.get_mut(x.item) {
            k.owner = v.to_string();
        }
    },
};

const GOAL: Choice = Choice {
    options: goal_options,
    get: |p, x| {
        p.kpis
            .get(x.item)
            .map(|k| k.goal.clone())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(k) = p.kpis.get_mut(x.item) {
            k.goal = v.to_string();
        }
    },
};

/// The forecast method as a choice; switching keeps what can be kept.
pub(crate) const METHOD: Choice = Choice {
    options: |_| {
        ["none", "linear", "growth", "manual"]
            .iter()
            .map(|m| (m.to_string(), t(&format!("method.{m}")).to_string()))
            .collect()
    },
    get: |p, x| {
        p.kpis
            .get(x.item)
            .map(|k| method_key(k.forecast.as_ref()).to_string())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        let Some(k) = p.kpis.get_mut(x.item) else {
            return;
        };
        if method_key(k.forecast.as_ref()) == v {
            return;
        }
        k.forecast = match v {
            "linear" => Some(Forecast::Linear),
            "growth" => Some(Forecast::Growth { monthly_rate: 0.0 }),
            // Starts from the target, when it has a value.
            "manual" => Some(Forecast::Manual {
                values: k
                    .target
                    .value
                    .map(|value| Actual {
                        date: k.target.date,
                        value,
                    })
                    .into_iter()
                    .collect(),
            }),
            "none" => Some(Forecast::None),
            _ => None,
        };
    },
};

pub(crate) fn method_key(f: Option<&Forecast>) -> &'static str {
    match f {
        None | Some(Forecast::None) => "none",
        Some(Forecast::Linear) => "linear",
        Some(Forecast::Growth { .. }) => "growth",
        Some(Forecast::Manual { .. }) => "manual",
    }
}

fn unit_text(plan: &Plan, kpi: &Kpi) -> String {
    match kpi.unit {
        Some(Unit::Currency) => plan.plan.currency.clone(),
        Some(Unit::Percent) => "%".to_string(),
        Some(u) => t(&format!("unit.{}", u.key())).to_string(),
        None => String::new(),
    }
}

static KPIS: TableSpec = TableSpec {
    columns: &[
        ("col.id", 3),
        ("col.name", 6),
        ("col.owner", 2),
        ("col.target", 4),
        ("col.actuals", 2),
        ("col.status", 3),
    ],
    len: |p, _| p.kpis.len(),
    cell: |p, x, row, col| {
        let kpi = &p.kpis[row];
        match col {
            0 => kpi.id.clone(),
            1 => kpi.name.clone(),
            2 => kpi.owner.clone(),
            3 => match kpi.target.value {
                Some(v) => format!(
                    "{} {} · {}",
                    format_number(v),
                    unit_text(p, kpi),
                    date::format(kpi.target.date)
                ),
                None => t("status.not_set").to_string(),
            },
            4 => kpi.actuals.len().to_string(),
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
    add: |p, x| {
        let id = unique_id("kpi", |id| p.kpi(id).is_some());
        p.kpis.push(new_kpi(&id, t("table.new_kpi_name"), x.today));
        p.kpis.len() - 1
    },
    remove: |p, _, i| remove(&mut p.kpis, i),
    swap: |p, _, a, b| swap(&mut p.kpis, a, b),
    row_fields: || {
        vec![
            Field::new(
                "f.kpi_name",
                Kind::Text(|p, x| Some(&mut k(p, x.row)?.name)),
            ),
            Field::new("f.kpi_id", Kind::Id(|p, x| Some(&mut k(p, x.row)?.id))),
            Field::new("f.done", Kind::Done),
        ]
    },
    toggle: None,
    footer: None,
    extra: Some(('c', "keys.catalogue", |_, _| Extra::Open("catalogue"))),
    order: None,
    views: &[],
    tone: None,
    empty: "table.no_kpis",
};

/// A custom KPI with a baseline today and a target at the end of the year.
pub fn new_kpi(id: &str, name: &str, today: Date) -> Kpi {
    let year_end = Date::new(today.year(), 12, 31).expect("December 31 exists");
    let target_date = if year_end > today {
        year_end
    } else {
        Date::new(today.year() + 1, 12, 31).expect("December 31 exists")
    };
    Kpi {
        id: id.to_string(),
        catalogue: String::new(),
        name: name.to_string(),
        unit: Some(Unit::Count),
        direction: Direction::Increase,
        owner: String::new(),
        goal: String::new(),
        // No values until the user types them: "target not set".
        baseline: Observation {
            value: None,
            date: today,
        },
        target: Observation {
            value: None,
            date: target_date,
        },
        actuals: Vec::new(),
        forecast: Some(Forecast::Linear),
    }
}

/// A table of dated values: a KPI's actuals or its manual forecast.
macro_rules! dated_values {
    ($name:ident, $list:expr, $list_mut:expr, $empty:literal, $add:expr) => {
        static $name: TableSpec = TableSpec {
            columns: &[("col.date", 1), ("col.value", 1)],
            len: |p, x| $list(p, x).map_or(0, |v: &Vec<Actual>| v.len()),
            cell: |p, x, row, col| {
                let Some(v) = $list(p, x).and_then(|v: &Vec<Actual>| v.get(row)) else {
                    return String::new();
                };
                match col {
                    0 => date::format(v.date),
                    _ => format_number(v.value),
                }
            },
            add: $add,
            remove: |p, x, i| {
                if let Some(v) = $list_mut(p, x) {
                    remove(v, i);
                }
            },
            swap: |p, x, a, b| {
                if let Some(v) = $list_mut(p, x) {
                    swap(v, a, b);
                }
            },
            row_fields: || {
                vec![
                    Field::new(
                        "f.value_date",
                        Kind::Date(|p, x| {
                            Some(Slot::Req(&mut $list_mut(p, x)?.get_mut(x.row)?.date))
                        }),
                    ),
                    Field::new(
                        "f.value",
                        Kind::Number(
                            |p, x| Some(Slot::Req(&mut $list_mut(p, x)?.get_mut(x.row)?.value)),
                            NumUnit::Kpi,
                        ),
                    ),
                    Field::new("f.done", Kind::Done),
                ]
            },
            toggle: None,
            footer: None,
            extra: None,
            order: None,
            views: &[],
            tone: None,
            empty: $empty,
        };
    };
}

fn actuals(p: &Plan, x: Ctx) -> Option<&Vec<Actual>> {
    p.kpis.get(x.item).map(|k| &k.actuals)
}

fn actuals_mut(p: &mut Plan, x: Ctx) -> Option<&mut Vec<Actual>> {
    p.kpis.get_mut(x.item).map(|k| &mut k.actuals)
}

fn manual(p: &Plan, x: Ctx) -> Option<&Vec<Actual>> {
    match &p.kpis.get(x.item)?.forecast {
        Some(Forecast::Manual { values }) => Some(values),
        _ => None,
    }
}

fn manual_mut(p: &mut Plan, x: Ctx) -> Option<&mut Vec<Actual>> {
    match &mut p.kpis.get_mut(x.item)?.forecast {
        Some(Forecast::Manual { values }) => Some(values),
        _ => None,
    }
}

dated_values!(ACTUALS, actuals, actuals_mut, "table.no_actuals", |p, x| {
    let Some(kpi) = p.kpis.get_mut(x.item) else {
        return 0;
    };
    // The month after the latest value, at its current value.
    let (value, last) = metrics::current_observation(kpi, Date::new(9999, 12, 31).expect("a date"))
        .unwrap_or((0.0, kpi.baseline.date));
    let next = next_month_end(last.max(kpi.baseline.date));
    kpi.actuals.push(Actual { date: next, value });
    kpi.actuals.len() - 1
});

dated_values!(MANUAL, manual, manual_mut, "table.no_manual", |p, x| {
    let Some(kpi) = p.kpis.get_mut(x.item) else {
        return 0;
    };
    let target = kpi.target;
    if !matches!(kpi.forecast, Some(Forecast::Manual { .. })) {
        kpi.forecast = Some(Forecast::Manual { values: Vec::new() });
    }
    let Some(Forecast::Manual { values }) = &mut kpi.forecast else {
        return 0;
    };
    values.push(Actual {
        date: target.date,
        value: target.value.unwrap_or(0.0),
    });
    values.len() - 1
});

/// The last day of the month after `date`'s (or of `date`'s own month when
/// `date` is not a month end).
fn next_month_end(date: Date) -> Date {
    if date != date.end_of_month() {
        return date.end_of_month();
    }
    let (y, m) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    Date::new(y, m, 1).map_or(date, Date::end_of_month)
}

/// The catalogue's definition (and formula) of a KPI picked from it.
fn catalogue_line(id: &str) -> Option<String> {
    let entry = crate::catalogue::entry(id)?;
    Some(match &entry.formula {
        Some(f) => format!(
            "{} {}",
            entry.definition,
            tf("catalogue.formula", &[("formula", f)])
        ),
        None => entry.definition.clone(),
    })
}

/// Where the chosen KPI stands today: current, gap, forecast, status.
struct KpiStanding;

impl KpiStanding {
    fn lines(plan: &Plan, ctx: Ctx, theme: &Theme) -> Vec<Line<'static>> {
        let Some(kpi) = plan.kpis.get(ctx.item) else {
            return Vec::new();
        };
        let Some(m) = metrics::kpi_metrics(kpi, ctx.today, 1.0) else {
            // No figures until both values are typed: say which is missing.
            let mut lines = vec![Line::styled(
                format!("{} {}", NOT_SET_SYMBOL, t("kpi.not_set")),
                theme.warning(),
            )];
            if let Some(entry) = catalogue_line(&kpi.catalogue) {
                lines.push(Line::styled(entry, theme.dim()));
            }
            return lines;
        };
        let n = |v: Option<f64>| {
            v.map_or("—".to_string(), |v| {
                format_number((v * 100.0).round() / 100.0)
            })
        };
        let mut lines = vec![Line::from(vec![
            Span::styled(
                format!(
                    "{} {}",
                    status_symbol(m.status),
                    t(&format!("status.{}", m.status.key()))
                ),
                status_style(theme, m.status),
            ),
            Span::raw("  "),
            Span::raw(tf(
                "kpi.standing",
                &[
                    ("current", &n(Some(m.current))),
                    ("date", &date::format(m.current_date)),
                    ("gap", &n(Some(m.gap))),
                    ("forecast", &n(m.forecast)),
                    ("required", &n(m.required_per_month)),
                ],
            )),
        ])];
        if let Some(entry) = catalogue_line(&kpi.catalogue) {
            lines.push(Line::styled(entry, theme.dim()));
        }
        lines
    }
}

impl Custom for KpiStanding {
    fn height(&self, plan: &Plan, ctx: Ctx, width: u16) -> u16 {
        let lines = Self::lines(plan, ctx, &Theme::new(false));
        let text: u16 = lines
            .iter()
            .map(|l| (l.width() as u16).div_ceil(width.max(1)).max(1))
            .sum();
        text.clamp(1, 6)
    }

    fn draw(
        &self,
        plan: &Plan,
        ctx: Ctx,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        _focus: bool,
        _selected: usize,
    ) {
        Paragraph::new(Self::lines(plan, ctx, theme))
            .wrap(Wrap { trim: true })
            .render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_actual_goes_to_the_following_month_end() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(next_month_end(d("2026-01-31")), d("2026-02-28"));
        assert_eq!(next_month_end(d("2026-12-31")), d("2027-01-31"));
        assert_eq!(next_month_end(d("2026-01-01")), d("2026-01-31"));
    }
}
