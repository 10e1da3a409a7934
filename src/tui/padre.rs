//! The PADRE lens: the same plan regrouped under Position, Acquire, Deploy,
//! Run, Expand, Product, People and Money, showing what the plan already
//! says for each and what is still empty. Read-only; Enter jumps to the step
//! where an item is edited.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::i18n::{t, tf};
use crate::metrics;
use crate::plan::{Plan, ToolStatus};

use super::form::format_number;
use super::mouse::Hits;
use super::steps::Step;
use super::text::{safe, truncate};
use super::theme::Theme;
use super::view::centered;

/// One thing the plan says (or not) under a PADRE heading.
pub struct Item {
    pub label: &'static str,
    pub step: Step,
    /// What the plan says, in one line; `None` when it is still empty.
    pub summary: Option<String>,
}

fn text(s: &str) -> Option<String> {
    let first = s.lines().find(|l| !l.trim().is_empty())?;
    Some(first.trim().to_string())
}

fn item(label: &'static str, step: Step, summary: Option<String>) -> Item {
    Item {
        label,
        step,
        summary,
    }
}

/// [`padre`] as of the plan's latest revision: worked out once, not on every
/// frame and key (it reads every goal and KPI).
fn cached(plan: &Plan, today: crate::plan::Date) -> std::rc::Rc<Vec<(&'static str, Vec<Item>)>> {
    super::cache::memo("padre", 0, plan, today, || padre(plan, today))
}

/// The eight headings (locale keys) with their items.
pub fn padre(plan: &Plan, today: crate::plan::Date) -> Vec<(&'static str, Vec<Item>)> {
    let mix = &plan.marketing_mix;
    let first_persona = plan.personas.first();
    let funnel = plan
        .funnel
        .as_ref()
        .and_then(|f| metrics::reverse_funnel(f).ok());
    let late = plan
        .actions
        .iter()
        .filter(|a| {
            a.due.is_some_and(|d| d < today)
                && matches!(
                    a.status,
                    crate::plan::ActionStatus::Todo | crate::plan::ActionStatus::Doing
                )
        })
        .count();
    let retention: Vec<String> = plan
        .kpis
        .iter()
        .filter(|k| {
            let c = k.catalogue.as_str();
            matches!(
                c,
                "churn_rate"
                    | "retention_rate"
                    | "lifetime_value"
                    | "lifetime_spend"
                    | "repeat_customers"
            ) || ["churn", "retention", "ltv"]
                .iter()
                .any(|w| k.id.contains(w))
        })
        .map(|k| {
            let status = metrics::kpi_metrics(k, today, 1.0)
                .map_or("status.not_set".to_string(), |m| {
                    format!("status.{}", m.status.key())
                });
            format!("{} ({})", k.name, t(&status))
        })
        .collect();
    let adopted_cost: f64 = plan
        .tools
        .iter()
        .filter(|tool| tool.status == ToolStatus::Adopted)
        .filter_map(|tool| tool.monthly_cost)
        .sum();
    let smart = plan
        .goals
        .iter()
        .filter(|g| metrics::smart_check(g, plan, today).is_smart())
        .count();
    let count = |n: usize, key: &str| (n > 0).then(|| tf(key, &[("n", &n)]));
    // The same for a plural key ("1 member", "3 members").
    let counted =
        |n: usize, key: &str| (n > 0).then(|| crate::i18n::tn(key, n as u64, &[("n", &n)]));
    vec![
        (
            "padre.position",
            vec![
                item(
                    "padre.trends",
                    Step::Research,
                    text(&plan.research.industry_trends),
                ),
                item(
                    "padre.channels",
                    Step::Research,
                    text(&plan.research.channel_effectiveness),
                ),
                item("padre.reach", Step::Situation, text(&mix.promotion.reach)),
                item(
                    "padre.funnel",
                    Step::Forecast,
                    funnel.as_ref().map(|r| {
                        tf(
                            "padre.funnel_summary",
                            &[
                                ("visits", &figure(r.visits)),
                                ("leads", &figure(r.leads)),
                                ("customers", &figure(r.customers)),
                            ],
                        )
                    }),
                ),
                item(
                    "padre.definitions",
                    Step::Forecast,
                    plan.funnel.as_ref().and_then(|f| text(&f.definitions.mql)),
                ),
            ],
        ),
        (
            "padre.acquire",
            vec![
                item(
                    "padre.personas",
                    Step::Customers,
                    (!plan.personas.is_empty()).then(|| {
                        plan.personas
                            .iter()
                            .map(|p| p.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }),
                ),
                item(
                    "padre.pains",
                    Step::Customers,
                    first_persona.and_then(|p| text(&p.needs.pains)),
                ),
                item(
                    "padre.message",
                    Step::Customers,
                    first_persona.and_then(|p| text(&p.needs.message)),
                ),
                item(
                    "padre.conversion",
                    Step::Situation,
                    text(&mix.promotion.conversion),
                ),
            ],
        ),
        (
            "padre.deploy",
            vec![
                item(
                    "padre.availability",
                    Step::Situation,
                    text(&mix.place.availability),
                ),
                item(
                    "padre.follow_up",
                    Step::Forecast,
                    plan.funnel
                        .as_ref()
                        .and_then(|f| f.sla.as_ref())
                        .and_then(|s| s.follow_up_hours)
                        .map(|h| tf("padre.follow_up_summary", &[("hours", &h)])),
                ),
                item(
                    "padre.actions",
                    Step::Actions,
                    (!plan.actions.is_empty()).then(|| {
                        crate::i18n::tn(
                            "padre.actions_summary",
                            plan.actions.len() as u64,
                            &[("n", &plan.actions.len()), ("late", &late)],
                        )
                    }),
                ),
            ],
        ),
        (
            "padre.run",
            vec![
                item(
                    "padre.benefits",
                    Step::Situation,
                    text(&mix.product.benefits),
                ),
                item(
                    "padre.performance",
                    Step::Situation,
                    text(&plan.situation.performance),
                ),
                item(
                    "padre.communication",
                    Step::Team,
                    text(&plan.team.communication),
                ),
            ],
        ),
        (
            "padre.expand",
            vec![
                item(
                    "padre.retention",
                    Step::Kpis,
                    (!retention.is_empty()).then(|| retention.join(", ")),
                ),
                item(
                    "padre.remedies",
                    Step::Gaps,
                    count(plan.remedies.len(), "padre.remedies_summary"),
                ),
                item(
                    "padre.goals",
                    Step::Goals,
                    (!plan.goals.is_empty()).then(|| {
                        crate::i18n::tn(
                            "padre.goals_summary",
                            plan.goals.len() as u64,
                            &[("n", &plan.goals.len()), ("smart", &smart)],
                        )
                    }),
                ),
            ],
        ),
        (
            "padre.product",
            vec![
                item("padre.offer", Step::Situation, text(&mix.product.offer)),
                item("padre.usp", Step::Situation, text(&mix.product.usp)),
                item(
                    "padre.better_ways",
                    Step::Situation,
                    text(&plan.situation.better_ways),
                ),
                item(
                    "padre.adjacent",
                    Step::Research,
                    text(&plan.research.adjacent_trends),
                ),
            ],
        ),
        (
            "padre.people",
            vec![
                item("padre.who_markets", Step::Situation, text(&mix.people.who)),
                item(
                    "padre.members",
                    Step::Team,
                    counted(plan.team.members.len(), "padre.members_summary"),
                ),
                item(
                    "padre.headcount",
                    Step::Team,
                    (!plan.team.headcount.is_empty()).then(|| {
                        let now: u64 = plan.team.headcount.iter().map(|h| h.now).sum();
                        let planned: u64 = plan.team.headcount.iter().map(|h| h.planned).sum();
                        tf(
                            "padre.headcount_summary",
                            &[("now", &now), ("planned", &planned)],
                        )
                    }),
                ),
                item("padre.hiring", Step::Situation, text(&mix.people.hiring)),
            ],
        ),
        (
            "padre.money",
            vec![
                item(
                    "padre.price",
                    Step::Situation,
                    text(&mix.price.model).or_else(|| mix.price.price_point.map(format_number)),
                ),
                item(
                    "padre.budget",
                    Step::Situation,
                    mix.promotion
                        .budget
                        .map(|b| format!("{} {}", format_number(b), plan.plan.currency)),
                ),
                item(
                    "padre.revenue_goal",
                    Step::Forecast,
                    plan.funnel
                        .as_ref()
                        .and_then(|f| f.revenue_goal)
                        .map(|g| format!("{} {}", format_number(g), plan.plan.currency)),
                ),
                item(
                    "padre.tools_cost",
                    Step::Tools,
                    (!plan.tools.is_empty()).then(|| {
                        tf(
                            "padre.tools_cost_summary",
                            &[
                                ("total", &format_number(adopted_cost)),
                                ("currency", &plan.plan.currency),
                            ],
                        )
                    }),
                ),
                item(
                    "padre.break_even",
                    Step::Situation,
                    mix.price
                        .break_even_months
                        .map(|m| crate::i18n::tn("padre.break_even_summary", m, &[("n", &m)])),
                ),
            ],
        ),
    ]
}

/// The PADRE popup's state: which item is chosen.
#[derive(Default)]
pub struct PadreView {
    pub cursor: usize,
}

pub enum PadreOutcome {
    Stay,
    Close,
    Jump(Step),
}

impl PadreView {
    pub fn key(&mut self, key: KeyEvent, plan: &Plan, today: crate::plan::Date) -> PadreOutcome {
        let padre = cached(plan, today);
        let items: Vec<&Item> = padre.iter().flat_map(|(_, i)| i).collect();
        let last = items.len().saturating_sub(1);
        match key.code {
            KeyCode::Esc | KeyCode::F(4) => return PadreOutcome::Close,
            KeyCode::Up => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down => self.cursor = (self.cursor + 1).min(last),
            KeyCode::PageUp => self.cursor = self.cursor.saturating_sub(8),
            KeyCode::PageDown => self.cursor = (self.cursor + 8).min(last),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = last,
            KeyCode::Enter => {
                if let Some(i) = items.get(self.cursor) {
                    return PadreOutcome::Jump(i.step);
                }
            }
            _ => {}
        }
        PadreOutcome::Stay
    }

    pub fn draw(
        &self,
        plan: &Plan,
        today: crate::plan::Date,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        hits: &mut Hits,
    ) {
        let rect = centered(
            area,
            area.width.saturating_sub(4).min(110),
            area.height.saturating_sub(2),
        );
        hits.popup = rect;
        let inner =
            super::view::keyed_popup_frame(rect, buf, theme, t("padre.title"), t("padre.keys"));
        let mut lines = Vec::new();
        let mut cursor_line = 0;
        // The line of each item (a click picks it).
        let mut item_lines = Vec::new();
        let mut n = 0;
        let mut filled = 0;
        let mut total = 0;
        for (heading, items) in cached(plan, today).iter() {
            lines.push(Line::from(vec![
                Span::styled(t(&format!("{heading}.name")).to_string(), theme.title()),
                Span::styled(format!("  {}", t(&format!("{heading}.about"))), theme.dim()),
            ]));
            for it in items {
                total += 1;
                let selected = n == self.cursor;
                if selected {
                    cursor_line = lines.len();
                }
                item_lines.push(lines.len());
                let step_no = it.step.index() + 1;
                let (mark, body, style) = match &it.summary {
                    Some(s) => {
                        filled += 1;
                        ("✓", safe(s), theme.normal())
                    }
                    None => ("○", t("padre.missing").to_string(), theme.warning()),
                };
                let text = format!(
                    "  {mark} {} ({}) — {body}",
                    t(it.label),
                    tf("padre.step", &[("n", &step_no)])
                );
                let text = truncate(&text, inner.width as usize);
                lines.push(Line::styled(
                    text,
                    if selected { theme.selected() } else { style },
                ));
                n += 1;
            }
        }
        lines.insert(
            0,
            Line::styled(
                tf("padre.summary", &[("filled", &filled), ("total", &total)]),
                theme.dim(),
            ),
        );
        let scroll = (cursor_line as u16 + 1).saturating_sub(inner.height.saturating_sub(1));
        Paragraph::new(lines).scroll((scroll, 0)).render(inner, buf);
        // The summary line went in first, one line above each item's.
        for (item, line) in item_lines.into_iter().enumerate() {
            let y = (line as u16 + 1).checked_sub(scroll);
            if let Some(y) = y.filter(|y| *y < inner.height) {
                hits.pick(Rect::new(inner.x, inner.y + y, inner.width, 1), item);
            }
        }
    }
}

/// A count as the language shows figures on screen (`100.000` in Spanish).
fn figure(n: u64) -> String {
    crate::i18n::number::integer(n, crate::i18n::number::Use::Screen)
}
