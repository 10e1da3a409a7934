//! Step 1 — gather data: the plan's header, market trends, competitors and
//! the data sources checklist (whose suggestions depend on the stage).

use crate::i18n::t;
use crate::plan::Date;
use crate::plan::{Competitor, Plan, Source, SourceKind, Stage};
use crate::tui::form::{Choice, Ctx, Extra, Field, Form, Kind, Section, Slot, TableSpec};

use super::{enum_options, remove, swap};

pub fn form(today: Date) -> Form {
    Form {
        ctx: Ctx::new(today),
        sections: vec![
            Section::new(
                "section.plan",
                vec![
                    Field::new("f.plan_name", Kind::Text(|p, _| Some(&mut p.plan.name))),
                    Field::new("f.company", Kind::Text(|p, _| Some(&mut p.plan.company))),
                    Field::new("f.currency", Kind::Text(|p, _| Some(&mut p.plan.currency))),
                    Field::new("f.stage", Kind::Choice(STAGE)),
                    Field::new("f.north_star", Kind::Choice(NORTH_STAR)),
                    Field::new(
                        "f.created",
                        Kind::Date(|p, _| Some(Slot::Opt(&mut p.plan.created))),
                    ),
                    Field::new(
                        "f.reviewed",
                        Kind::Date(|p, _| Some(Slot::Opt(&mut p.plan.reviewed))),
                    ),
                ],
            ),
            Section::new(
                "section.trends",
                vec![
                    Field::new(
                        "f.industry_trends",
                        Kind::Multi(|p, _| Some(&mut p.research.industry_trends)),
                    ),
                    Field::new(
                        "f.consumer_behaviour",
                        Kind::Multi(|p, _| Some(&mut p.research.consumer_behaviour)),
                    ),
                    Field::new(
                        "f.psychographics",
                        Kind::Multi(|p, _| Some(&mut p.research.psychographics)),
                    ),
                    Field::new(
                        "f.channel_effectiveness",
                        Kind::Multi(|p, _| Some(&mut p.research.channel_effectiveness)),
                    ),
                    Field::new(
                        "f.adjacent_trends",
                        Kind::Multi(|p, _| Some(&mut p.research.adjacent_trends)),
                    ),
                ],
            ),
            Section::new(
                "section.competitors",
                vec![Field::new("f.competitors", Kind::Table(&COMPETITORS))],
            ),
            Section::new(
                "section.sources",
                vec![Field::new("f.sources", Kind::Table(&SOURCES))],
            ),
        ],
    }
}

const STAGE: Choice = Choice {
    options: |_| enum_options(&Stage::ALL, Stage::key, "stage"),
    get: |p, _| {
        p.plan
            .stage
            .map(|s| s.key().to_string())
            .unwrap_or_default()
    },
    set: |p, _, v| p.plan.stage = Stage::ALL.iter().copied().find(|s| s.key() == v),
};

const NORTH_STAR: Choice = Choice {
    options: |p| {
        p.kpis
            .iter()
            .map(|k| (k.id.clone(), format!("{} ({})", k.name, k.id)))
            .collect()
    },
    get: |p, _| p.plan.north_star.clone(),
    set: |p, _, v| p.plan.north_star = v.to_string(),
};

static COMPETITORS: TableSpec = TableSpec {
    columns: &[
        ("col.name", 3),
        ("col.positioning", 4),
        ("col.pricing", 3),
        ("col.strengths", 4),
    ],
    len: |p, _| p.research.competitors.len(),
    cell: |p, _, row, col| {
        let c = &p.research.competitors[row];
        match col {
            0 => c.name.clone(),
            1 => c.positioning.clone(),
            2 => c.pricing.clone(),
            _ => c.strengths.clone(),
        }
    },
    add: |p, _| {
        p.research.competitors.push(Competitor::default());
        p.research.competitors.len() - 1
    },
    remove: |p, _, i| remove(&mut p.research.competitors, i),
    swap: |p, _, a, b| swap(&mut p.research.competitors, a, b),
    row_fields: competitor_fields,
    toggle: None,
    footer: None,
    extra: None,
    order: None,
    views: &[],
    tone: None,
    empty: "table.no_competitors",
};

fn competitor_fields() -> Vec<Field> {
    fn c(p: &mut Plan, row: usize) -> Option<&mut Competitor> {
        p.research.competitors.get_mut(row)
    }
    vec![
        Field::new(
            "f.competitor_name",
            Kind::Text(|p, x| Some(&mut c(p, x.row)?.name)),
        ),
        Field::new(
            "f.competitor_positioning",
            Kind::Multi(|p, x| Some(&mut c(p, x.row)?.positioning)),
        ),
        Field::new(
            "f.competitor_pricing",
            Kind::Text(|p, x| Some(&mut c(p, x.row)?.pricing)),
        ),
        Field::new(
            "f.competitor_channels",
            Kind::Text(|p, x| Some(&mut c(p, x.row)?.channels)),
        ),
        Field::new(
            "f.competitor_strengths",
            Kind::Multi(|p, x| Some(&mut c(p, x.row)?.strengths)),
        ),
        Field::new(
            "f.competitor_weaknesses",
            Kind::Multi(|p, x| Some(&mut c(p, x.row)?.weaknesses)),
        ),
        Field::new(
            "f.competitor_performance",
            Kind::Multi(|p, x| Some(&mut c(p, x.row)?.performance)),
        ),
        Field::new(
            "f.competitor_notes",
            Kind::Multi(|p, x| Some(&mut c(p, x.row)?.notes)),
        ),
        Field::new("f.done", Kind::Done),
    ]
}

static SOURCES: TableSpec = TableSpec {
    columns: &[
        ("col.done", 1),
        ("col.source", 5),
        ("col.kind", 3),
        ("col.note", 5),
    ],
    len: |p, _| p.research.sources.len(),
    cell: |p, _, row, col| {
        let s = &p.research.sources[row];
        match col {
            0 => if s.done { "[x]" } else { "[ ]" }.to_string(),
            1 => s.name.clone(),
            2 => s
                .kind
                .map(|k| t(&format!("source_kind.{}", k.key())).to_string())
                .unwrap_or_default(),
            _ => s.note.clone(),
        }
    },
    add: |p, _| {
        p.research.sources.push(Source::default());
        p.research.sources.len() - 1
    },
    remove: |p, _, i| remove(&mut p.research.sources, i),
    swap: |p, _, a, b| swap(&mut p.research.sources, a, b),
    row_fields: source_fields,
    toggle: Some(|p, _, row| {
        if let Some(s) = p.research.sources.get_mut(row) {
            s.done = !s.done;
        }
    }),
    footer: Some(|p, _| {
        let done = p.research.sources.iter().filter(|s| s.done).count();
        Some((
            crate::i18n::tf(
                "table.sources_footer",
                &[("done", &done), ("total", &p.research.sources.len())],
            ),
            false,
        ))
    }),
    extra: Some(('s', "keys.suggest_sources", add_suggested_sources)),
    order: None,
    views: &[],
    tone: None,
    empty: "table.no_sources",
};

const SOURCE_KIND: Choice = Choice {
    options: |_| enum_options(&SourceKind::ALL, SourceKind::key, "source_kind"),
    get: |p, x| {
        p.research
            .sources
            .get(x.row)
            .and_then(|s| s.kind)
            .map(|k| k.key().to_string())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(s) = p.research.sources.get_mut(x.row) {
            s.kind = SourceKind::ALL.iter().copied().find(|k| k.key() == v);
        }
    },
};

fn source_fields() -> Vec<Field> {
    fn s(p: &mut Plan, row: usize) -> Option<&mut Source> {
        p.research.sources.get_mut(row)
    }
    vec![
        Field::new(
            "f.source_name",
            Kind::Text(|p, x| Some(&mut s(p, x.row)?.name)),
        ),
        Field::new("f.source_kind", Kind::Choice(SOURCE_KIND)),
        Field::new(
            "f.source_done",
            Kind::Check(|p, x| Some(&mut s(p, x.row)?.done)),
        ),
        Field::new(
            "f.source_note",
            Kind::Multi(|p, x| Some(&mut s(p, x.row)?.note)),
        ),
        Field::new("f.done", Kind::Done),
    ]
}

/// The sources worth looking at for the plan's stage.
pub fn suggested_sources(stage: Option<Stage>) -> &'static [SourceKind] {
    match stage {
        Some(Stage::Growth) => &[
            SourceKind::BalanceSheet,
            SourceKind::ProfitAndLoss,
            SourceKind::Budget,
            SourceKind::PreviousPlan,
            SourceKind::IndustryReport,
            SourceKind::CompetitorReport,
        ],
        _ => &[
            SourceKind::IndustryReport,
            SourceKind::MarketStudy,
            SourceKind::Interview,
            SourceKind::CaseStudy,
            SourceKind::CompetitorReport,
        ],
    }
}

/// Adds the suggested sources the list does not have yet.
fn add_suggested_sources(p: &mut Plan, _: Ctx) -> Extra {
    let mut added = 0;
    for kind in suggested_sources(p.plan.stage) {
        if p.research.sources.iter().any(|s| s.kind == Some(*kind)) {
            continue;
        }
        p.research.sources.push(Source {
            name: t(&format!("suggest.{}", kind.key())).to_string(),
            kind: Some(*kind),
            done: false,
            note: String::new(),
        });
        added += 1;
    }
    Extra::Added(added, None)
}
