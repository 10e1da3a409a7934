//! The two documents the method ends with — the marketing plan and the sales
//! plan — as a small format-neutral tree: documents, sections, and blocks of
//! text, label/value fields, tables, lists, notes and charts.
//!
//! The Markdown and HTML templates only walk this tree, so what goes into a
//! document, in which order, and what is left out is decided once, here:
//! - every text is plan text or comes from the locale (`export.*` and the
//!   wizard's own labels), already formatted for reading (numbers rounded,
//!   units and currency added; see `fmt`);
//! - an empty block is never built, and a section with no blocks and no
//!   subsections is dropped, so no document shows a heading over nothing;
//! - table columns that are empty in every row are dropped (the first column
//!   always stays).
//!
//! Escaping is the templates' job: the tree holds raw plan text.

use serde::Serialize;

use crate::i18n::{t, tf, tn};
use crate::metrics::{self, GapTable, Granularity, SmartCheck, Status};
use crate::plan::{
    ActionStatus, Date, Forecast, Goal, Kpi, Plan, SourceKind, TeamKind, ToolStatus,
};

use super::fmt;
use super::svg;
use super::widths;

/// One document: a title, a line under it, a few facts, then sections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub title: String,
    pub subtitle: String,
    pub intro: Vec<Field>,
    pub sections: Vec<Section>,
}

/// A heading with its blocks, then its subsections (one level deep).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
    pub subsections: Vec<Section>,
}

/// A label and its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub label: String,
    pub value: String,
}

/// A table column; numeric columns are right-aligned, dates never wrap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub label: String,
    pub numeric: bool,
    pub date: bool,
    /// Its share of the table's width, in percent (see [`widths`]).
    pub width: f64,
}

/// A piece of a section. Empty strings mean "none" (no label, no title).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// Free text (paragraphs separated by blank lines), with a label above.
    Text {
        label: String,
        text: String,
    },
    /// Label/value pairs.
    Fields {
        title: String,
        fields: Vec<Field>,
    },
    /// `dense`: so many columns that print sets them in a smaller font.
    Table {
        title: String,
        dense: bool,
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
        note: String,
    },
    List {
        title: String,
        items: Vec<String>,
    },
    /// A sentence that stands on its own (a total, a warning).
    Note {
        text: String,
    },
    /// A chart as inline SVG, already escaped (HTML only; Markdown skips it).
    Chart {
        caption: String,
        svg: String,
    },
}

impl Section {
    fn new(title: impl Into<String>) -> Section {
        Section {
            title: title.into(),
            blocks: Vec::new(),
            subsections: Vec::new(),
        }
    }

    fn push(&mut self, block: Option<Block>) {
        if let Some(b) = block {
            self.blocks.push(b);
        }
    }

    fn sub(&mut self, section: Section) {
        if !section.is_empty() {
            self.subsections.push(section);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty() && self.subsections.iter().all(Section::is_empty)
    }
}

impl Document {
    fn push(&mut self, section: Section) {
        if !section.is_empty() {
            self.sections.push(section);
        }
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// A text block; `None` when the text is blank.
fn text(label: &str, text: &str) -> Option<Block> {
    (!blank(text)).then(|| Block::Text {
        label: label.to_string(),
        text: text.trim().to_string(),
    })
}

fn field(label: &str, value: impl Into<String>) -> Field {
    Field {
        label: label.to_string(),
        value: value.into(),
    }
}

/// A fields block without the blank values; `None` when none is left.
fn fields(title: &str, list: Vec<Field>) -> Option<Block> {
    let list: Vec<Field> = list
        .into_iter()
        .filter(|f| !blank(&f.value))
        .map(|f| Field {
            value: f.value.trim().to_string(),
            ..f
        })
        .collect();
    (!list.is_empty()).then(|| Block::Fields {
        title: title.to_string(),
        fields: list,
    })
}

fn col(label: &str) -> Column {
    Column {
        label: label.to_string(),
        numeric: false,
        date: false,
        width: 0.0,
    }
}

fn num_col(label: &str) -> Column {
    Column {
        numeric: true,
        ..col(label)
    }
}

fn date_col(label: &str) -> Column {
    Column {
        date: true,
        ..col(label)
    }
}

/// A table without the columns that are empty in every row (the first
/// stays); `None` without rows.
fn table(title: &str, columns: Vec<Column>, rows: Vec<Vec<String>>, note: String) -> Option<Block> {
    if rows.is_empty() {
        return None;
    }
    let keep: Vec<bool> = (0..columns.len())
        .map(|c| c == 0 || rows.iter().any(|r| r.get(c).is_some_and(|v| !blank(v))))
        .collect();
    let pick = |cells: Vec<String>| -> Vec<String> {
        cells
            .into_iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(v, _)| v.trim().to_string())
            .collect()
    };
    let mut columns: Vec<Column> = columns
        .into_iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c)
        .collect();
    let rows: Vec<Vec<String>> = rows.into_iter().map(pick).collect();
    let kinds: Vec<(&str, widths::Kind)> = columns
        .iter()
        .map(|c| {
            let kind = match (c.numeric, c.date) {
                (true, _) => widths::Kind::Number,
                (false, true) => widths::Kind::Date,
                (false, false) => widths::Kind::Text,
            };
            (c.label.as_str(), kind)
        })
        .collect();
    let shares = widths::shares(&kinds, &rows, widths::page_ems(columns.len()));
    for (c, share) in columns.iter_mut().zip(shares) {
        c.width = share;
    }
    Some(Block::Table {
        title: title.to_string(),
        dense: columns.len() >= widths::DENSE_COLUMNS,
        columns,
        rows,
        note,
    })
}

fn list(title: &str, items: &[String]) -> Option<Block> {
    let items: Vec<String> = items
        .iter()
        .filter(|s| !blank(s))
        .map(|s| s.trim().to_string())
        .collect();
    (!items.is_empty()).then(|| Block::List {
        title: title.to_string(),
        items,
    })
}

fn note(text: String) -> Option<Block> {
    (!blank(&text)).then_some(Block::Note { text })
}

/// The key of a team kind, for `export.team.*`.
fn team_key(team: TeamKind) -> &'static str {
    match team {
        TeamKind::Marketing => "marketing",
        TeamKind::Sales => "sales",
        TeamKind::Other => "other",
    }
}

fn action_status_key(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Todo => "todo",
        ActionStatus::Doing => "doing",
        ActionStatus::Done => "done",
        ActionStatus::Dropped => "dropped",
    }
}

fn tool_status_key(s: ToolStatus) -> &'static str {
    match s {
        ToolStatus::Evaluating => "evaluating",
        ToolStatus::Adopted => "adopted",
        ToolStatus::Rejected => "rejected",
    }
}

/// `✗ off track`: the same symbols as the terminal, so status reads
/// without colour.
pub fn status_text(status: Status) -> String {
    format!(
        "{} {}",
        crate::tui::gapview::status_symbol(status),
        t(&format!("status.{}", status.key()))
    )
}

/// Everything the two documents are built from.
struct Builder<'a> {
    plan: &'a Plan,
    today: Date,
    gaps: GapTable,
    currency: &'a str,
}

/// Builds both documents, marketing plan first.
pub fn documents(plan: &Plan, today: Date) -> Vec<Document> {
    let gaps = metrics::gap_table(plan, today, None).unwrap_or_else(|_| GapTable {
        scenario: metrics::BASE_SCENARIO.to_string(),
        multiplier: 1.0,
        rows: Vec::new(),
        summary: metrics::Summary::default(),
        not_set: Vec::new(),
    });
    let b = Builder {
        plan,
        today,
        gaps,
        currency: plan.plan.currency.trim(),
    };
    vec![b.marketing_plan(), b.sales_plan()]
}

impl Builder<'_> {
    // --- Names of things the plan refers to by id ------------------------

    /// A team member's name; the id when there is no such member.
    fn who(&self, id: &str) -> String {
        if blank(id) {
            return String::new();
        }
        self.plan
            .member(id.trim())
            .map_or_else(|| id.trim().to_string(), |m| m.name.clone())
    }

    fn kpi_name(&self, id: &str) -> String {
        if blank(id) {
            return String::new();
        }
        self.plan
            .kpi(id.trim())
            .map_or_else(|| id.trim().to_string(), |k| k.name.clone())
    }

    fn goal_title(&self, id: &str) -> String {
        if blank(id) {
            return String::new();
        }
        self.plan
            .goal(id.trim())
            .map_or_else(|| id.trim().to_string(), |g| g.title.clone())
    }

    /// The KPI measuring a goal: the one it names, else one naming it.
    fn goal_kpi(&self, goal: &Goal) -> Option<&Kpi> {
        if blank(&goal.kpi) {
            self.plan
                .kpis
                .iter()
                .find(|k| !goal.id.is_empty() && k.goal == goal.id)
        } else {
            self.plan.kpi(goal.kpi.trim())
        }
    }

    fn status_of(&self, kpi_id: &str) -> Option<Status> {
        self.gaps
            .rows
            .iter()
            .find(|r| r.id == kpi_id)
            .map(|r| r.metrics.status)
    }

    fn kpi_value(&self, kpi: &Kpi, v: f64) -> String {
        fmt::value(v, kpi.unit, self.currency)
    }

    /// A baseline or target value, or "not set" (never a made-up 0).
    fn set_value(&self, kpi: &Kpi, v: Option<f64>) -> String {
        v.map_or_else(
            || t("export.not_set").to_string(),
            |v| self.kpi_value(kpi, v),
        )
    }

    fn money(&self, v: f64) -> String {
        fmt::money(v, self.currency)
    }

    // --- Shared pieces ----------------------------------------------------

    fn intro(&self) -> Vec<Field> {
        let h = &self.plan.plan;
        let steps = metrics::complete_steps(&metrics::completeness(self.plan, self.today));
        let list = vec![
            field(t("f.company.label"), h.company.clone()),
            field(
                t("f.stage.label"),
                h.stage
                    .map(|s| t(&format!("stage.{}", s.key())).to_string())
                    .unwrap_or_default(),
            ),
            field(t("f.north_star.label"), self.kpi_name(&h.north_star)),
            field(t("f.currency.label"), h.currency.clone()),
            field(t("f.created.label"), fmt::opt_date(h.created)),
            field(t("f.reviewed.label"), fmt::opt_date(h.reviewed)),
            field(
                t("export.steps_complete"),
                tf("export.steps_of", &[("n", &steps)]),
            ),
        ];
        list.into_iter().filter(|f| !blank(&f.value)).collect()
    }

    fn document(&self, title_key: &str) -> Document {
        let name = self.plan.plan.name.trim();
        Document {
            title: tf(title_key, &[("plan", &name)]),
            subtitle: tf("export.subtitle", &[("today", &fmt::date(self.today))]),
            intro: self.intro(),
            sections: Vec::new(),
        }
    }

    /// `✓ SMART`, or `✗ not SMART: A, T`.
    fn smart_summary(check: &SmartCheck) -> String {
        if check.is_smart() {
            t("export.smart_ok").to_string()
        } else {
            let letters: Vec<String> = check
                .letters()
                .iter()
                .filter(|(_, c)| !c.ok)
                .map(|(l, _)| l.to_string())
                .collect();
            tf("export.smart_not", &[("letters", &letters.join(", "))])
        }
    }

    /// The goals table (objectives), with each goal's SMART status.
    fn goals_table(&self) -> Option<Block> {
        let rows = self
            .plan
            .goals
            .iter()
            .map(|g| {
                let check = metrics::smart_check(g, self.plan, self.today);
                let kpi = self.goal_kpi(g);
                let period = match (g.start, g.end) {
                    (None, None) => String::new(),
                    (s, e) => tf(
                        "export.period",
                        &[("start", &fmt::opt_date(s)), ("end", &fmt::opt_date(e))],
                    ),
                };
                vec![
                    g.title.clone(),
                    kpi.map(|k| k.name.clone()).unwrap_or_else(|| g.kpi.clone()),
                    kpi.map(|k| self.set_value(k, k.target.value))
                        .unwrap_or_default(),
                    self.who(&g.owner),
                    g.team
                        .map(|tm| {
                            t(&format!("goal_team.{}", serde_key(&tm).unwrap_or_default()))
                                .to_string()
                        })
                        .unwrap_or_default(),
                    period,
                    Self::smart_summary(&check),
                ]
            })
            .collect();
        table(
            "",
            vec![
                col(t("export.col.goal")),
                col(t("col.kpi")),
                num_col(t("col.target")),
                col(t("col.owner")),
                col(t("f.goal_team.label")),
                col(t("export.col.period")),
                col(t("col.smart")),
            ],
            rows,
            String::new(),
        )
    }

    /// The members table, optionally for one team only.
    fn members_table(&self, only: Option<TeamKind>) -> Option<Block> {
        let rows: Vec<Vec<String>> = self
            .plan
            .team
            .members
            .iter()
            .filter(|m| only.is_none() || m.team == only)
            .map(|m| {
                let owned: Vec<String> = self
                    .plan
                    .kpis
                    .iter()
                    .filter(|k| k.owner.trim() == m.id)
                    .map(|k| k.name.clone())
                    .collect();
                vec![
                    m.name.clone(),
                    m.role.clone(),
                    m.team
                        .map(|tk| t(&format!("export.team.{}", team_key(tk))).to_string())
                        .unwrap_or_default(),
                    m.responsibilities.clone(),
                    owned.join(", "),
                ]
            })
            .collect();
        let mut columns = vec![
            col(t("col.name")),
            col(t("export.col.role")),
            col(t("f.goal_team.label")),
            col(t("export.col.responsibilities")),
            col(t("export.col.kpis_owned")),
        ];
        let rows = if only.is_some() {
            // One team: its column says nothing.
            columns.remove(2);
            rows.into_iter()
                .map(|mut r| {
                    r.remove(2);
                    r
                })
                .collect()
        } else {
            rows
        };
        table("", columns, rows, String::new())
    }

    /// What adopted tools cost a month.
    fn tools_monthly(&self) -> f64 {
        self.plan
            .tools
            .iter()
            .filter(|tool| tool.status == ToolStatus::Adopted)
            .filter_map(|tool| tool.monthly_cost)
            .filter(|c| c.is_finite())
            .sum()
    }

    fn has_adopted_tools(&self) -> bool {
        self.plan
            .tools
            .iter()
            .any(|tool| tool.status == ToolStatus::Adopted)
    }

    // --- The marketing plan -----------------------------------------------

    fn marketing_plan(&self) -> Document {
        let mut doc = self.document("export.marketing.title");
        doc.push(self.purpose());
        doc.push(self.research());
        doc.push(self.situation());
        doc.push(self.personas());
        doc.push(self.mix());
        doc.push(self.goals());
        doc.push(self.kpis());
        doc.push(self.budget());
        doc.push(self.marketing_team());
        doc
    }

    fn purpose(&self) -> Section {
        let p = &self.plan.marketing_mix.product;
        let mut s = Section::new(t("export.marketing.purpose"));
        s.push(text(t("f.usp.label"), &p.usp));
        let north_star = self.plan.plan.north_star.trim();
        let star = self.plan.kpi(north_star).map(|k| {
            tf(
                "export.north_star_target",
                &[
                    ("kpi", &k.name),
                    ("target", &self.set_value(k, k.target.value)),
                    ("deadline", &fmt::date(k.target.date)),
                ],
            )
        });
        s.push(fields(
            "",
            vec![
                field(t("f.offer.label"), p.offer.clone()),
                field(t("f.differentiation.label"), p.differentiation.clone()),
                field(t("f.benefits.label"), p.benefits.clone()),
                field(
                    t("f.north_star.label"),
                    star.unwrap_or_else(|| north_star.to_string()),
                ),
            ],
        ));
        s
    }

    fn research(&self) -> Section {
        let r = &self.plan.research;
        let mut s = Section::new(t("export.marketing.research"));
        let mut trends = Section::new(t("section.trends"));
        trends.push(text(t("f.industry_trends.label"), &r.industry_trends));
        trends.push(text(t("f.consumer_behaviour.label"), &r.consumer_behaviour));
        trends.push(text(t("f.psychographics.label"), &r.psychographics));
        trends.push(text(
            t("f.channel_effectiveness.label"),
            &r.channel_effectiveness,
        ));
        trends.push(text(t("f.adjacent_trends.label"), &r.adjacent_trends));
        s.sub(trends);

        let mut competitors = Section::new(t("section.competitors"));
        competitors.push(table(
            "",
            vec![
                col(t("f.competitor_name.label")),
                col(t("f.competitor_positioning.label")),
                col(t("f.competitor_pricing.label")),
                col(t("f.competitor_channels.label")),
                col(t("f.competitor_strengths.label")),
                col(t("f.competitor_weaknesses.label")),
                col(t("f.competitor_performance.label")),
                col(t("f.competitor_notes.label")),
            ],
            r.competitors
                .iter()
                .map(|c| {
                    vec![
                        c.name.clone(),
                        c.positioning.clone(),
                        c.pricing.clone(),
                        c.channels.clone(),
                        c.strengths.clone(),
                        c.weaknesses.clone(),
                        c.performance.clone(),
                        c.notes.clone(),
                    ]
                })
                .collect(),
            String::new(),
        ));
        s.sub(competitors);

        let mut sources = Section::new(t("section.sources"));
        let done = r.sources.iter().filter(|src| src.done).count();
        sources.push(table(
            "",
            vec![
                col(t("f.source_name.label")),
                col(t("f.source_kind.label")),
                col(t("f.source_done.label")),
                col(t("f.source_note.label")),
            ],
            r.sources
                .iter()
                .map(|src| {
                    vec![
                        src.name.clone(),
                        src.kind.map(source_kind_text).unwrap_or_default(),
                        if src.done {
                            t("export.yes").to_string()
                        } else {
                            t("export.no").to_string()
                        },
                        src.note.clone(),
                    ]
                })
                .collect(),
            tf(
                "table.sources_footer",
                &[("done", &done), ("total", &r.sources.len())],
            ),
        ));
        s.sub(sources);
        s
    }

    fn situation(&self) -> Section {
        let st = &self.plan.situation;
        let mut s = Section::new(t("export.marketing.situation"));
        s.push(text(t("f.performance.label"), &st.performance));
        s.push(text(t("f.versus_estimates.label"), &st.versus_estimates));
        s.push(text(t("f.market_alignment.label"), &st.market_alignment));
        s.push(text(
            t("f.where_customers_look.label"),
            &st.where_customers_look,
        ));
        s.push(text(t("f.challenges.label"), &st.challenges));
        s.push(text(t("f.better_ways.label"), &st.better_ways));
        s.push(list(t("f.strengths.label"), &st.strengths));
        s.push(list(t("f.weaknesses.label"), &st.weaknesses));
        s
    }

    fn personas(&self) -> Section {
        let mut s = Section::new(t("export.marketing.icp"));
        for p in &self.plan.personas {
            let title = if blank(&p.name) { &p.id } else { &p.name };
            let mut sub = Section::new(title.trim());
            let d = &p.demographics;
            sub.push(fields(
                t("export.demographics"),
                vec![
                    field(t("f.who.label"), d.who.clone()),
                    field(t("f.location.label"), d.location.clone()),
                    field(t("f.occupation.label"), d.occupation.clone()),
                    field(t("f.age_group.label"), d.age_group.clone()),
                    field(t("f.income.label"), d.income.clone()),
                ],
            ));
            let ps = &p.psychographics;
            sub.push(fields(
                t("export.psychographics"),
                vec![
                    field(t("f.beliefs.label"), ps.beliefs.clone()),
                    field(t("f.motivations.label"), ps.motivations.clone()),
                    field(
                        t("f.values_and_boycotts.label"),
                        ps.values_and_boycotts.clone(),
                    ),
                    field(t("f.price_vs_quality.label"), ps.price_vs_quality.clone()),
                    field(t("f.advice_sources.label"), ps.advice_sources.clone()),
                    field(t("f.life_priority.label"), ps.life_priority.clone()),
                    field(t("f.free_time.label"), ps.free_time.clone()),
                    field(t("f.novelty.label"), ps.novelty.clone()),
                ],
            ));
            let n = &p.needs;
            sub.push(fields(
                t("section.needs"),
                vec![
                    field(t("f.pains.label"), n.pains.clone()),
                    field(t("f.persona_channels.label"), n.channels.clone()),
                    field(t("f.message.label"), n.message.clone()),
                ],
            ));
            s.sub(sub);
        }
        s
    }

    fn mix(&self) -> Section {
        let m = &self.plan.marketing_mix;
        let mut s = Section::new(t("export.marketing.mix"));

        let mut product = Section::new(t("section.product"));
        product.push(fields(
            "",
            vec![
                field(t("f.offer.label"), m.product.offer.clone()),
                field(
                    t("f.differentiation.label"),
                    m.product.differentiation.clone(),
                ),
                field(t("f.benefits.label"), m.product.benefits.clone()),
                field(t("f.usp.label"), m.product.usp.clone()),
            ],
        ));
        s.sub(product);

        let mut place = Section::new(t("section.place"));
        place.push(fields(
            "",
            vec![field(
                t("f.availability.label"),
                m.place.availability.clone(),
            )],
        ));
        let shares: Vec<f64> = m
            .place
            .channels
            .iter()
            .filter_map(|c| c.share_pct)
            .collect();
        let total_note = if shares.is_empty() {
            String::new()
        } else {
            let total: f64 = shares.iter().sum();
            let key = if (total - 100.0).abs() < 0.01 {
                "table.share_total"
            } else {
                "table.share_total_off"
            };
            tf(key, &[("total", &fmt::num(total))])
        };
        place.push(table(
            "",
            vec![
                col(t("f.channel_name.label")),
                num_col(t("f.channel_share.label")),
            ],
            m.place
                .channels
                .iter()
                .map(|c| {
                    vec![
                        c.name.clone(),
                        c.share_pct.map(fmt::percent).unwrap_or_default(),
                    ]
                })
                .collect(),
            total_note,
        ));
        s.sub(place);

        let mut price = Section::new(t("section.price"));
        price.push(fields(
            "",
            vec![
                field(t("f.price_model.label"), m.price.model.clone()),
                field(
                    t("f.price_point.label"),
                    m.price
                        .price_point
                        .map(|v| self.money(v))
                        .unwrap_or_default(),
                ),
                field(t("f.margin.label"), m.price.margin.clone()),
                field(
                    t("f.break_even_months.label"),
                    m.price
                        .break_even_months
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                ),
            ],
        ));
        s.sub(price);

        let mut promotion = Section::new(t("section.promotion"));
        let pr = &m.promotion;
        let persona = if blank(&pr.persona) {
            String::new()
        } else {
            self.plan
                .persona(pr.persona.trim())
                .map_or_else(|| pr.persona.clone(), |p| p.name.clone())
        };
        promotion.push(fields(
            "",
            vec![
                field(t("f.promotion_persona.label"), persona),
                field(t("f.reach.label"), pr.reach.clone()),
                field(t("f.conversion.label"), pr.conversion.clone()),
                field(t("f.promotion_channels.label"), pr.channels.clone()),
                field(
                    t("f.budget.label"),
                    pr.budget.map(|v| self.money(v)).unwrap_or_default(),
                ),
                field(t("f.tracking.label"), pr.tracking.clone()),
            ],
        ));
        s.sub(promotion);

        let mut people = Section::new(t("section.people"));
        let pe = &m.people;
        people.push(fields(
            "",
            vec![
                field(t("f.people_who.label"), pe.who.clone()),
                field(t("f.hiring.label"), pe.hiring.clone()),
                field(t("f.first_hire.label"), pe.first_hire.clone()),
                field(t("f.responsibilities.label"), pe.responsibilities.clone()),
                field(t("f.reviews.label"), pe.reviews.clone()),
            ],
        ));
        s.sub(people);
        s
    }

    fn goals(&self) -> Section {
        let mut s = Section::new(t("section.goals"));
        s.push(self.goals_table());
        let mut missing = Vec::new();
        for g in &self.plan.goals {
            let check = metrics::smart_check(g, self.plan, self.today);
            for (letter, c) in check.letters() {
                for reason in &c.reasons {
                    missing.push(tf(
                        "export.smart_reason",
                        &[
                            ("goal", &g.title),
                            ("letter", &letter),
                            ("reason", &t(&format!("smart.{}", reason.key()))),
                        ],
                    ));
                }
                for warning in &c.warnings {
                    missing.push(tf(
                        "export.smart_warning",
                        &[
                            ("goal", &g.title),
                            ("letter", &letter),
                            ("reason", &t(&format!("smart.{}", warning.key()))),
                        ],
                    ));
                }
            }
        }
        s.push(list(t("export.smart_missing"), &missing));
        for g in &self.plan.goals {
            let title = if blank(&g.title) { &g.id } else { &g.title };
            let mut sub = Section::new(title.trim());
            let measure = self.goal_kpi(g).map(|k| {
                tf(
                    "export.measure",
                    &[
                        ("kpi", &k.name),
                        ("baseline", &self.set_value(k, k.baseline.value)),
                        ("target", &self.set_value(k, k.target.value)),
                        ("deadline", &fmt::date(k.target.date)),
                    ],
                )
            });
            sub.push(fields(
                "",
                vec![
                    field(t("f.specific.label"), g.specific.clone()),
                    field(
                        t("f.goal_kpi.label"),
                        measure.unwrap_or_else(|| g.kpi.clone()),
                    ),
                    field(t("f.achievable.label"), g.achievable.clone()),
                    field(t("f.relevant.label"), g.relevant.clone()),
                    field(t("f.start.label"), fmt::opt_date(g.start)),
                    field(t("f.end.label"), fmt::opt_date(g.end)),
                    field(t("f.goal_owner.label"), self.who(&g.owner)),
                ],
            ));
            s.sub(sub);
        }
        s
    }

    fn forecast_text(kpi: &Kpi) -> String {
        match &kpi.forecast {
            None | Some(Forecast::None) => t("forecast.none").to_string(),
            Some(Forecast::Linear) => t("forecast.linear").to_string(),
            Some(Forecast::Growth { monthly_rate }) => tf(
                "forecast.growth",
                &[("rate", &fmt::num(monthly_rate * 100.0))],
            ),
            Some(Forecast::Manual { values }) => tf("forecast.manual", &[("n", &values.len())]),
        }
    }

    fn kpis(&self) -> Section {
        let mut s = Section::new(t("section.kpis"));
        let rows = self
            .plan
            .kpis
            .iter()
            .map(|k| {
                vec![
                    k.name.clone(),
                    k.unit
                        .map(|u| t(&format!("unit.{}", u.key())).to_string())
                        .unwrap_or_default(),
                    t(&format!("export.direction.{}", k.direction.key())).to_string(),
                    self.who(&k.owner),
                    self.goal_title(&k.goal),
                    self.set_value(k, k.baseline.value),
                    self.set_value(k, k.target.value),
                    fmt::date(k.target.date),
                    Self::forecast_text(k),
                ]
            })
            .collect();
        s.push(table(
            "",
            vec![
                col(t("col.kpi")),
                col(t("f.kpi_unit.label")),
                col(t("f.kpi_direction.label")),
                col(t("col.owner")),
                col(t("export.col.goal")),
                num_col(t("col.baseline")),
                num_col(t("col.target")),
                date_col(t("col.deadline")),
                col(t("f.forecast_method.label")),
            ],
            rows,
            String::new(),
        ));
        s
    }

    fn budget(&self) -> Section {
        let mut s = Section::new(t("export.marketing.budget"));
        let promotion = self.plan.marketing_mix.promotion.budget;
        s.push(fields(
            "",
            vec![
                field(
                    t("f.budget.label"),
                    promotion.map(|v| self.money(v)).unwrap_or_default(),
                ),
                field(
                    t("export.tools_monthly"),
                    if self.has_adopted_tools() {
                        tf(
                            "export.per_month",
                            &[("value", &self.money(self.tools_monthly()))],
                        )
                    } else {
                        String::new()
                    },
                ),
            ],
        ));
        let rows = self
            .plan
            .tools
            .iter()
            .filter(|tool| tool.status == ToolStatus::Adopted)
            .map(|tool| {
                vec![
                    tool.name.clone(),
                    tool.purpose.clone(),
                    tool.monthly_cost.map(|c| self.money(c)).unwrap_or_default(),
                ]
            })
            .collect();
        s.push(table(
            t("export.adopted_tools"),
            vec![
                col(t("export.col.tool")),
                col(t("export.col.purpose")),
                num_col(t("export.col.monthly_cost")),
            ],
            rows,
            String::new(),
        ));
        s
    }

    fn marketing_team(&self) -> Section {
        let mut s = Section::new(t("export.marketing.team"));
        s.push(self.members_table(Some(TeamKind::Marketing)));
        if let Some(h) = self
            .plan
            .team
            .headcount
            .iter()
            .find(|h| h.team == TeamKind::Marketing)
        {
            s.push(note(tf(
                "export.headcount_line",
                &[("now", &h.now), ("planned", &h.planned)],
            )));
        }
        s
    }

    // --- The sales plan ---------------------------------------------------

    fn sales_plan(&self) -> Document {
        let mut doc = self.document("export.sales.title");
        let mut objectives = Section::new(t("export.sales.objectives"));
        objectives.push(self.goals_table());
        doc.push(objectives);
        doc.push(self.tactics());
        doc.push(self.timeline());
        doc.push(self.kpi_gaps());
        doc.push(self.funnel());
        doc.push(self.team_structure());
        doc.push(self.tools());
        doc.push(self.trends());
        doc
    }

    fn action_is_late(&self, due: Option<Date>, status: ActionStatus) -> bool {
        matches!(status, ActionStatus::Todo | ActionStatus::Doing)
            && due.is_some_and(|d| d < self.today)
    }

    fn action_status(&self, due: Option<Date>, status: ActionStatus) -> String {
        let text = t(&format!("action_status.{}", action_status_key(status)));
        if self.action_is_late(due, status) {
            tf("export.late", &[("status", &text)])
        } else {
            text.to_string()
        }
    }

    fn tactics(&self) -> Section {
        let mut s = Section::new(t("export.sales.tactics"));
        let rows = self
            .plan
            .actions
            .iter()
            .map(|a| {
                vec![
                    a.title.clone(),
                    a.team
                        .map(|tk| t(&format!("export.team.{}", team_key(tk))).to_string())
                        .unwrap_or_default(),
                    self.who(&a.owner),
                    fmt::opt_date(a.due),
                    self.action_status(a.due, a.status),
                    self.goal_title(&a.goal),
                    self.kpi_name(&a.kpi),
                ]
            })
            .collect();
        let late = self
            .plan
            .actions
            .iter()
            .filter(|a| self.action_is_late(a.due, a.status))
            .count();
        s.push(table(
            "",
            vec![
                col(t("export.col.action")),
                col(t("f.goal_team.label")),
                col(t("col.owner")),
                date_col(t("export.col.due")),
                col(t("col.status")),
                col(t("export.col.goal")),
                col(t("col.kpi")),
            ],
            rows,
            if late > 0 {
                tn("export.late_count", late as u64, &[])
            } else {
                String::new()
            },
        ));
        s
    }

    /// Action due dates, KPI deadlines and goal ends, by date.
    fn timeline(&self) -> Section {
        let mut s = Section::new(t("export.sales.timeline"));
        // (date, order within a day, what, owner, status)
        let mut entries: Vec<(Date, u8, String, String, String)> = Vec::new();
        for a in &self.plan.actions {
            if let Some(due) = a.due {
                entries.push((
                    due,
                    0,
                    tf("export.when.action", &[("title", &a.title)]),
                    self.who(&a.owner),
                    self.action_status(a.due, a.status),
                ));
            }
        }
        for k in &self.plan.kpis {
            entries.push((
                k.target.date,
                1,
                tf(
                    "export.when.kpi",
                    &[
                        ("kpi", &k.name),
                        ("target", &self.set_value(k, k.target.value)),
                    ],
                ),
                self.who(&k.owner),
                self.status_of(&k.id).map(status_text).unwrap_or_default(),
            ));
        }
        for g in &self.plan.goals {
            if let Some(end) = g.end {
                entries.push((
                    end,
                    2,
                    tf("export.when.goal", &[("title", &g.title)]),
                    self.who(&g.owner),
                    String::new(),
                ));
            }
        }
        entries.sort_by_key(|e| (e.0, e.1));
        s.push(table(
            "",
            vec![
                date_col(t("col.date")),
                col(t("export.col.what")),
                col(t("col.owner")),
                col(t("col.status")),
            ],
            entries
                .into_iter()
                .map(|(date, _, what, owner, status)| vec![fmt::date(date), what, owner, status])
                .collect(),
            String::new(),
        ));
        s
    }

    fn kpi_gaps(&self) -> Section {
        let mut s = Section::new(t("export.sales.kpis"));
        if self.gaps.rows.is_empty() && self.gaps.not_set.is_empty() {
            return s;
        }
        let summary = &self.gaps.summary;
        let mut counts: Vec<String> = Status::ALL
            .iter()
            .filter(|st| summary.count(**st) > 0)
            .map(|st| crate::i18n::count(summary.count(*st), t(&format!("status.{}", st.key()))))
            .collect();
        if !self.gaps.not_set.is_empty() {
            counts.push(crate::i18n::count(
                self.gaps.not_set.len(),
                t("status.not_set"),
            ));
        }
        s.push(note(tf(
            "export.gaps_summary",
            &[
                ("today", &fmt::date(self.today)),
                ("counts", &counts.join(", ")),
            ],
        )));
        let rows = self
            .gaps
            .rows
            .iter()
            .map(|r| {
                let m = &r.metrics;
                let v = |x: f64| fmt::value(x, r.unit, self.currency);
                let ov = |x: Option<f64>| fmt::opt_value(x, r.unit, self.currency);
                vec![
                    r.name.clone(),
                    self.who(&r.owner),
                    v(m.current),
                    fmt::date(m.current_date),
                    v(r.target),
                    fmt::date(r.deadline),
                    v(m.gap),
                    m.progress_pct
                        .map_or_else(|| t("export.none").to_string(), |p| fmt::percent(p.round())),
                    ov(m.forecast),
                    ov(m.required_per_month),
                    status_text(m.status),
                ]
            })
            .chain(self.gaps.not_set.iter().map(|r| {
                // No figures until the baseline and target are typed.
                let none = || t("export.none").to_string();
                let kpi = &self.plan.kpis[r.index];
                vec![
                    r.name.clone(),
                    self.who(&kpi.owner),
                    none(),
                    none(),
                    self.set_value(kpi, r.target),
                    fmt::date(r.deadline),
                    none(),
                    none(),
                    none(),
                    none(),
                    t("status.not_set").to_string(),
                ]
            }))
            .collect();
        s.push(table(
            "",
            vec![
                col(t("col.kpi")),
                col(t("col.owner")),
                num_col(t("col.current")),
                date_col(t("export.col.measured")),
                num_col(t("col.target")),
                date_col(t("col.deadline")),
                num_col(t("col.gap")),
                num_col(t("col.progress")),
                num_col(t("col.forecast")),
                num_col(t("export.col.needed")),
                col(t("col.status")),
            ],
            rows,
            String::new(),
        ));
        let remedies = self
            .plan
            .remedies
            .iter()
            .map(|r| {
                vec![
                    self.kpi_name(&r.kpi),
                    self.status_of(r.kpi.trim())
                        .map(status_text)
                        .unwrap_or_default(),
                    r.option
                        .and_then(|o| serde_key(&o))
                        .map(|k| t(&format!("remedy.{k}")).to_string())
                        .unwrap_or_default(),
                    r.note.clone(),
                ]
            })
            .collect();
        s.push(table(
            t("export.remedies"),
            vec![
                col(t("col.kpi")),
                col(t("col.status")),
                col(t("f.remedy_option.label")),
                col(t("col.note")),
            ],
            remedies,
            String::new(),
        ));
        for r in &self.gaps.rows {
            let kpi = &self.plan.kpis[r.index];
            let Some(chart) = metrics::kpi_chart(kpi, self.today, 1.0, Granularity::Monthly) else {
                continue;
            };
            s.push(Some(Block::Chart {
                caption: tf(
                    "export.chart_caption",
                    &[
                        ("kpi", &kpi.name),
                        ("status", &status_text(r.metrics.status)),
                    ],
                ),
                svg: svg::kpi_chart_svg(kpi, &chart, self.today, self.currency),
            }));
        }
        s
    }

    fn funnel(&self) -> Section {
        let mut s = Section::new(t("export.sales.funnel"));
        let Some(f) = &self.plan.funnel else {
            return s;
        };
        s.push(fields(
            t("section.definitions"),
            vec![
                field(t("f.def_lead.label"), f.definitions.lead.clone()),
                field(t("f.def_mql.label"), f.definitions.mql.clone()),
                field(t("f.def_sql.label"), f.definitions.sql.clone()),
            ],
        ));
        let rates = &f.rates;
        s.push(fields(
            t("export.funnel_inputs"),
            vec![
                field(
                    t("f.revenue_goal.label"),
                    f.revenue_goal.map(|v| self.money(v)).unwrap_or_default(),
                ),
                field(
                    t("f.funnel_months.label"),
                    f.months
                        .map(|m| tn("export.months", m, &[]))
                        .unwrap_or_default(),
                ),
                field(
                    t("f.deal_value.label"),
                    f.average_deal_value
                        .map(|v| self.money(v))
                        .unwrap_or_default(),
                ),
                field(
                    t("f.visit_to_lead.label"),
                    rates.visit_to_lead.map(fmt::rate).unwrap_or_default(),
                ),
                field(
                    t("f.lead_to_mql.label"),
                    rates.lead_to_mql.map(fmt::rate).unwrap_or_default(),
                ),
                field(
                    t("f.mql_to_sql.label"),
                    rates.mql_to_sql.map(fmt::rate).unwrap_or_default(),
                ),
                field(
                    t("f.sql_to_customer.label"),
                    rates.sql_to_customer.map(fmt::rate).unwrap_or_default(),
                ),
            ],
        ));
        let mut sla_table_shown = false;
        match metrics::reverse_funnel(f) {
            Err(missing) => {
                let items: Vec<String> = missing
                    .problems
                    .iter()
                    .map(|p| {
                        t(&format!("funnel_input.{}", p.input.key().replace('.', "_"))).to_string()
                    })
                    .collect();
                s.push(list(t("funnel.missing"), &items));
            }
            Ok(r) => {
                let stage = |key: &str, total: u64, month: u64| {
                    vec![
                        t(key).to_string(),
                        fmt::num(total as f64),
                        fmt::num(month as f64),
                    ]
                };
                s.push(table(
                    t("export.funnel_needed"),
                    vec![
                        col(t("export.col.stage")),
                        num_col(t("export.col.total")),
                        num_col(t("export.col.per_month")),
                    ],
                    vec![
                        stage("export.stage.visits", r.visits, r.per_month.visits),
                        stage("export.stage.leads", r.leads, r.per_month.leads),
                        stage("export.stage.mqls", r.mqls, r.per_month.mqls),
                        stage("export.stage.sqls", r.sqls, r.per_month.sqls),
                        stage("export.stage.customers", r.customers, r.per_month.customers),
                    ],
                    String::new(),
                ));
                let opt = |v: Option<u64>| v.map(|n| fmt::num(n as f64)).unwrap_or_default();
                s.push(fields(
                    t("export.sales_effort"),
                    vec![
                        field(t("export.meetings"), opt(r.meetings)),
                        field(t("export.calls"), opt(r.calls)),
                        field(t("export.calls_per_month"), opt(r.calls_per_month)),
                        field(t("export.reps_needed"), opt(r.reps_needed)),
                    ],
                ));
                if let (Some(sla), Some(gaps)) = (&f.sla, &r.sla) {
                    let gap_text = |g: Option<i64>| match g {
                        None => String::new(),
                        Some(g) if g > 0 => tf("gaps.short_by", &[("n", &g)]),
                        Some(g) => tf("gaps.covered", &[("n", &(-g))]),
                    };
                    let mut rows = Vec::new();
                    if let Some(c) = sla.mql_per_month {
                        rows.push(vec![
                            t("export.stage.mqls").to_string(),
                            fmt::num(r.per_month.mqls as f64),
                            fmt::num(c as f64),
                            gap_text(gaps.mql_gap_per_month),
                        ]);
                    }
                    if let Some(c) = sla.sql_per_month {
                        rows.push(vec![
                            t("export.stage.sqls").to_string(),
                            fmt::num(r.per_month.sqls as f64),
                            fmt::num(c as f64),
                            gap_text(gaps.sql_gap_per_month),
                        ]);
                    }
                    sla_table_shown = !rows.is_empty();
                    s.push(table(
                        t("export.sla"),
                        vec![
                            col(t("export.col.stage")),
                            num_col(t("export.col.needed_month")),
                            num_col(t("export.col.committed")),
                            col(t("col.gap")),
                        ],
                        rows,
                        String::new(),
                    ));
                }
            }
        }
        if let Some(sla) = &f.sla {
            s.push(fields(
                if sla_table_shown { "" } else { t("export.sla") },
                vec![
                    field(
                        t("f.follow_up_hours.label"),
                        sla.follow_up_hours
                            .map(|h| tf("gaps.follow_up", &[("hours", &h)]))
                            .unwrap_or_default(),
                    ),
                    field(t("f.sla_reporting.label"), sla.reporting.clone()),
                ],
            ));
        }
        s
    }

    fn team_structure(&self) -> Section {
        let team = &self.plan.team;
        let mut s = Section::new(t("export.sales.team"));
        s.push(self.members_table(None));
        let unowned: Vec<String> = self
            .plan
            .kpis
            .iter()
            .filter(|k| blank(&k.owner))
            .map(|k| k.name.clone())
            .collect();
        if !unowned.is_empty() {
            s.push(note(tf("export.unowned", &[("kpis", &unowned.join(", "))])));
        }
        s.push(table(
            t("export.headcount"),
            vec![
                col(t("f.goal_team.label")),
                num_col(t("export.col.now")),
                num_col(t("export.col.planned")),
                num_col(t("export.col.change")),
            ],
            team.headcount
                .iter()
                .map(|h| {
                    let change = h.planned as i64 - h.now as i64;
                    vec![
                        t(&format!("export.team.{}", team_key(h.team))).to_string(),
                        h.now.to_string(),
                        h.planned.to_string(),
                        if change > 0 {
                            format!("+{change}")
                        } else {
                            change.to_string()
                        },
                    ]
                })
                .collect(),
            String::new(),
        ));
        s.push(fields(
            t("export.how_teams_work"),
            vec![
                field(t("f.communication.label"), team.communication.clone()),
                field(
                    t("f.performance_review.label"),
                    team.performance_review.clone(),
                ),
                field(t("f.team_challenges.label"), team.challenges.clone()),
                field(
                    t("f.expansion_triggers.label"),
                    team.expansion_triggers.clone(),
                ),
            ],
        ));
        s.push(table(
            t("export.stakeholders"),
            vec![
                col(t("export.col.stakeholder")),
                col(t("export.col.consulted")),
            ],
            team.stakeholders
                .iter()
                .map(|st| {
                    vec![
                        st.name.clone(),
                        if st.consulted {
                            t("export.yes").to_string()
                        } else {
                            t("export.no").to_string()
                        },
                    ]
                })
                .collect(),
            String::new(),
        ));
        s
    }

    fn tools(&self) -> Section {
        let mut s = Section::new(t("export.sales.tools"));
        let rows = self
            .plan
            .tools
            .iter()
            .map(|tool| {
                let checks = [
                    tool.saves_effort,
                    tool.success_stories,
                    tool.reliable,
                    tool.active_team,
                    tool.community,
                ]
                .iter()
                .filter(|c| **c)
                .count();
                let tracks: Vec<String> = tool.tracks.iter().map(|id| self.kpi_name(id)).collect();
                vec![
                    tool.name.clone(),
                    tool.purpose.clone(),
                    t(&format!("tool_status.{}", tool_status_key(tool.status))).to_string(),
                    tool.monthly_cost.map(|c| self.money(c)).unwrap_or_default(),
                    tracks.join(", "),
                    tf("export.checks", &[("n", &checks)]),
                ]
            })
            .collect();
        s.push(table(
            "",
            vec![
                col(t("export.col.tool")),
                col(t("export.col.purpose")),
                col(t("col.status")),
                num_col(t("export.col.monthly_cost")),
                col(t("export.col.tracks")),
                num_col(t("export.col.checks")),
            ],
            rows,
            String::new(),
        ));
        let promotion = self.plan.marketing_mix.promotion.budget;
        s.push(fields(
            t("export.resources"),
            vec![
                field(
                    t("export.tools_monthly"),
                    if self.has_adopted_tools() {
                        tf(
                            "export.per_month",
                            &[("value", &self.money(self.tools_monthly()))],
                        )
                    } else {
                        String::new()
                    },
                ),
                field(
                    t("f.budget.label"),
                    promotion.map(|v| self.money(v)).unwrap_or_default(),
                ),
            ],
        ));
        if !self.plan.tools.is_empty() && !self.plan.kpis.is_empty() {
            let untracked: Vec<String> = self
                .plan
                .kpis
                .iter()
                .filter(|k| {
                    !self.plan.tools.iter().any(|tool| {
                        tool.status == ToolStatus::Adopted
                            && tool.tracks.iter().any(|id| id.trim() == k.id)
                    })
                })
                .map(|k| k.name.clone())
                .collect();
            if !untracked.is_empty() {
                s.push(note(tf(
                    "export.untracked",
                    &[("kpis", &untracked.join(", "))],
                )));
            }
        }
        s
    }

    fn trends(&self) -> Section {
        let r = &self.plan.research;
        let mut s = Section::new(t("export.sales.trends"));
        s.push(text(t("f.industry_trends.label"), &r.industry_trends));
        s.push(text(t("f.consumer_behaviour.label"), &r.consumer_behaviour));
        s.push(text(
            t("f.channel_effectiveness.label"),
            &r.channel_effectiveness,
        ));
        s.push(text(t("f.adjacent_trends.label"), &r.adjacent_trends));
        s
    }
}

fn source_kind_text(kind: SourceKind) -> String {
    t(&format!("source_kind.{}", kind.key())).to_string()
}

/// The snake_case name serde gives a unit enum variant (`new_channel`).
fn serde_key<T: Serialize>(value: &T) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}
