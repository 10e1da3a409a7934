//! Step 8 — team and stakeholders: members, headcount, how the teams work,
//! stakeholders, the SLA's reporting answer, and who owns which KPI.

use crate::i18n::{t, tf};
use crate::plan::{Date, Headcount, Member, Plan, Stakeholder, TeamKind};
use crate::tui::form::{Choice, Ctx, Field, Form, Kind, NumUnit, Section, Slot, TableSpec, Tone};

use super::{enum_options, member_options, remove, swap, unique_id};

pub fn form(today: Date) -> Form {
    Form {
        ctx: Ctx::new(today),
        sections: vec![
            Section::new(
                "section.members",
                vec![Field::new("f.members", Kind::Table(&MEMBERS))],
            ),
            Section::new(
                "section.ownership",
                vec![Field::new("f.ownership", Kind::Table(&OWNERSHIP))],
            ),
            Section::new(
                "section.headcount",
                vec![Field::new("f.headcount", Kind::Table(&HEADCOUNT))],
            ),
            Section::new(
                "section.team_answers",
                vec![
                    Field::new(
                        "f.communication",
                        Kind::Multi(|p, _| Some(&mut p.team.communication)),
                    ),
                    Field::new(
                        "f.performance_review",
                        Kind::Multi(|p, _| Some(&mut p.team.performance_review)),
                    ),
                    Field::new(
                        "f.team_challenges",
                        Kind::Multi(|p, _| Some(&mut p.team.challenges)),
                    ),
                    Field::new(
                        "f.expansion_triggers",
                        Kind::Multi(|p, _| Some(&mut p.team.expansion_triggers)),
                    ),
                ],
            ),
            Section::new(
                "section.stakeholders",
                vec![Field::new("f.stakeholders", Kind::Table(&STAKEHOLDERS))],
            ),
            Section::new(
                "section.sla",
                vec![Field::new(
                    "f.sla_reporting",
                    Kind::Multi(|p, _| {
                        Some(
                            &mut p
                                .funnel
                                .get_or_insert_with(Default::default)
                                .sla
                                .get_or_insert_with(Default::default)
                                .reporting,
                        )
                    }),
                )],
            ),
        ],
    }
}

pub(crate) const TEAM_KINDS: [TeamKind; 3] =
    [TeamKind::Marketing, TeamKind::Sales, TeamKind::Other];

pub(crate) fn team_key(t: TeamKind) -> &'static str {
    match t {
        TeamKind::Marketing => "marketing",
        TeamKind::Sales => "sales",
        TeamKind::Other => "other",
    }
}

fn team_text(t: Option<TeamKind>) -> String {
    t.map(|t| crate::i18n::t(&format!("team_kind.{}", team_key(t))).to_string())
        .unwrap_or_default()
}

/// How many KPIs `member` owns (counted once per version of the plan).
fn owned(p: &Plan, member: &str) -> usize {
    let counts = owner_counts(p);
    counts.get(member).copied().unwrap_or(0)
}

fn owner_counts(p: &Plan) -> std::rc::Rc<std::collections::HashMap<String, usize>> {
    crate::tui::cache::memo_undated("kpi_owners", 0, p, || {
        let mut counts = std::collections::HashMap::new();
        for k in &p.kpis {
            *counts.entry(k.owner.clone()).or_insert(0) += 1;
        }
        counts
    })
}

/// Whether `owner` names a member of the team.
fn is_member(p: &Plan, owner: &str) -> bool {
    let members = crate::tui::cache::memo_undated("member_ids", 0, p, || {
        p.team
            .members
            .iter()
            .map(|m| m.id.clone())
            .collect::<std::collections::HashSet<String>>()
    });
    members.contains(owner)
}

fn m(p: &mut Plan, row: usize) -> Option<&mut Member> {
    p.team.members.get_mut(row)
}

static MEMBERS: TableSpec = TableSpec {
    columns: &[
        ("col.id", 2),
        ("col.name", 4),
        ("col.role", 4),
        ("col.team", 2),
        ("col.kpis_owned", 2),
    ],
    len: |p, _| p.team.members.len(),
    cell: |p, _, row, col| {
        let mb = &p.team.members[row];
        match col {
            0 => mb.id.clone(),
            1 => mb.name.clone(),
            2 => mb.role.clone(),
            3 => team_text(mb.team),
            _ => match owned(p, &mb.id) {
                0 => format!("⚠ {}", t("view.owns_nothing")),
                n => n.to_string(),
            },
        }
    },
    add: |p, _| {
        let id = unique_id("member", |id| p.member(id).is_some());
        p.team.members.push(Member {
            id,
            ..Member::default()
        });
        p.team.members.len() - 1
    },
    remove: |p, _, i| remove(&mut p.team.members, i),
    swap: |p, _, a, b| swap(&mut p.team.members, a, b),
    row_fields: || {
        vec![
            Field::new(
                "f.member_name",
                Kind::Text(|p, x| Some(&mut m(p, x.row)?.name)),
            ),
            Field::new("f.member_id", Kind::Id(|p, x| Some(&mut m(p, x.row)?.id))),
            Field::new("f.role", Kind::Text(|p, x| Some(&mut m(p, x.row)?.role))),
            Field::new("f.member_team", Kind::Choice(MEMBER_TEAM)),
            Field::new(
                "f.member_responsibilities",
                Kind::Multi(|p, x| Some(&mut m(p, x.row)?.responsibilities)),
            ),
            Field::new("f.done", Kind::Done),
        ]
    },
    toggle: None,
    footer: Some(|p, _| {
        crate::tui::cache::memo_undated("idle_members", 0, p, || {
            let idle: Vec<&str> = p
                .team
                .members
                .iter()
                .filter(|mb| owned(p, &mb.id) == 0)
                .map(|mb| mb.name.as_str())
                .collect();
            (!idle.is_empty()).then(|| {
                (
                    tf(
                        "table.owns_nothing",
                        &[("names", &super::tools::shortened(&idle, 20))],
                    ),
                    true,
                )
            })
        })
        .as_ref()
        .clone()
    }),
    extra: None,
    order: None,
    views: &[],
    tone: Some(|p, _, row| {
        if owned(p, &p.team.members[row].id) == 0 {
            Tone::Warning
        } else {
            Tone::Normal
        }
    }),
    empty: "table.no_members",
};

const MEMBER_TEAM: Choice = Choice {
    options: |_| enum_options(&TEAM_KINDS, team_key, "team_kind"),
    get: |p, x| {
        p.team
            .members
            .get(x.row)
            .and_then(|mb| mb.team)
            .map(|t| team_key(t).to_string())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(mb) = p.team.members.get_mut(x.row) {
            mb.team = TEAM_KINDS.iter().copied().find(|t| team_key(*t) == v);
        }
    },
};

/// Every KPI with its owner; assigning an owner here updates the KPI.
static OWNERSHIP: TableSpec = TableSpec {
    columns: &[("col.kpi", 5), ("col.owner", 4)],
    len: |p, _| p.kpis.len(),
    cell: |p, _, row, col| {
        let kpi = &p.kpis[row];
        match col {
            0 => kpi.name.clone(),
            _ if kpi.owner.is_empty() => format!("⚠ {}", t("view.nobody")),
            _ => p
                .member(&kpi.owner)
                .map_or_else(|| format!("⚠ {}", kpi.owner), |mb| mb.name.clone()),
        }
    },
    add: |p, x| {
        let id = unique_id("kpi", |id| p.kpi(id).is_some());
        p.kpis
            .push(super::kpis::new_kpi(&id, t("table.new_kpi_name"), x.today));
        p.kpis.len() - 1
    },
    remove: |p, _, i| remove(&mut p.kpis, i),
    swap: |p, _, a, b| swap(&mut p.kpis, a, b),
    row_fields: || {
        vec![
            Field::new("f.kpi_owner", Kind::Choice(KPI_OWNER)),
            Field::new("f.done", Kind::Done),
        ]
    },
    toggle: None,
    footer: Some(|p, _| {
        let unowned = *crate::tui::cache::memo_undated("unowned", 0, p, || {
            p.kpis
                .iter()
                .filter(|k| k.owner.is_empty() || !is_member(p, &k.owner))
                .count()
        });
        (unowned > 0).then(|| {
            (
                crate::i18n::tn("table.unowned", unowned as u64, &[("n", &unowned)]),
                true,
            )
        })
    }),
    extra: None,
    order: None,
    views: &[],
    tone: Some(|p, _, row| {
        let kpi = &p.kpis[row];
        if kpi.owner.is_empty() || !is_member(p, &kpi.owner) {
            Tone::Warning
        } else {
            Tone::Normal
        }
    }),
    empty: "table.no_kpis",
};

const KPI_OWNER: Choice = Choice {
    options: member_options,
    get: |p, x| {
        p.kpis
            .get(x.row)
            .map(|k| k.owner.clone())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        if let Some(k) = p.kpis.get_mut(x.row) {
            k.owner = v.to_string();
        }
    },
};

static HEADCOUNT: TableSpec = TableSpec {
    columns: &[("col.team", 3), ("col.now", 2), ("col.planned", 2)],
    len: |p, _| p.team.headcount.len(),
    cell: |p, _, row, col| {
        let h = &p.team.headcount[row];
        match col {
            0 => team_text(Some(h.team)),
            1 => h.now.to_string(),
            _ => h.planned.to_string(),
        }
    },
    add: |p, _| {
        // The first team without a row, else "other".
        let team = TEAM_KINDS
            .iter()
            .copied()
            .find(|t| !p.team.headcount.iter().any(|h| h.team == *t))
            .unwrap_or(TeamKind::Other);
        p.team.headcount.push(Headcount {
            team,
            now: 0,
            planned: 0,
        });
        p.team.headcount.len() - 1
    },
    remove: |p, _, i| remove(&mut p.team.headcount, i),
    swap: |p, _, a, b| swap(&mut p.team.headcount, a, b),
    row_fields: || {
        vec![
            Field::new("f.headcount_team", Kind::Choice(HEADCOUNT_TEAM)),
            Field::new(
                "f.headcount_now",
                Kind::Int(
                    |p, x| Some(Slot::Req(&mut p.team.headcount.get_mut(x.row)?.now)),
                    NumUnit::Plain,
                ),
            ),
            Field::new(
                "f.headcount_planned",
                Kind::Int(
                    |p, x| Some(Slot::Req(&mut p.team.headcount.get_mut(x.row)?.planned)),
                    NumUnit::Plain,
                ),
            ),
            Field::new("f.done", Kind::Done),
        ]
    },
    toggle: None,
    footer: Some(|p, _| {
        if p.team.headcount.is_empty() {
            return None;
        }
        let now: u64 = p.team.headcount.iter().map(|h| h.now).sum();
        let planned: u64 = p.team.headcount.iter().map(|h| h.planned).sum();
        Some((
            tf(
                "table.headcount_total",
                &[("now", &now), ("planned", &planned)],
            ),
            false,
        ))
    }),
    extra: None,
    order: None,
    views: &[],
    tone: None,
    empty: "table.no_headcount",
};

const HEADCOUNT_TEAM: Choice = Choice {
    options: |_| enum_options(&TEAM_KINDS, team_key, "team_kind"),
    get: |p, x| {
        p.team
            .headcount
            .get(x.row)
            .map(|h| team_key(h.team).to_string())
            .unwrap_or_default()
    },
    set: |p, x, v| {
        // A headcount row always has a team: "clear" keeps it.
        if let (Some(h), Some(team)) = (
            p.team.headcount.get_mut(x.row),
            TEAM_KINDS.iter().copied().find(|t| team_key(*t) == v),
        ) {
            h.team = team;
        }
    },
};

static STAKEHOLDERS: TableSpec = TableSpec {
    columns: &[("col.consulted", 1), ("col.name", 5)],
    len: |p, _| p.team.stakeholders.len(),
    cell: |p, _, row, col| {
        let s = &p.team.stakeholders[row];
        match col {
            0 => if s.consulted { "[x]" } else { "[ ]" }.to_string(),
            _ => s.name.clone(),
        }
    },
    add: |p, _| {
        p.team.stakeholders.push(Stakeholder::default());
        p.team.stakeholders.len() - 1
    },
    remove: |p, _, i| remove(&mut p.team.stakeholders, i),
    swap: |p, _, a, b| swap(&mut p.team.stakeholders, a, b),
    row_fields: || {
        vec![
            Field::new(
                "f.stakeholder_name",
                Kind::Text(|p, x| Some(&mut p.team.stakeholders.get_mut(x.row)?.name)),
            ),
            Field::new(
                "f.consulted",
                Kind::Check(|p, x| Some(&mut p.team.stakeholders.get_mut(x.row)?.consulted)),
            ),
            Field::new("f.done", Kind::Done),
        ]
    },
    toggle: Some(|p, _, row| {
        if let Some(s) = p.team.stakeholders.get_mut(row) {
            s.consulted = !s.consulted;
        }
    }),
    footer: None,
    extra: None,
    order: None,
    views: &[],
    tone: None,
    empty: "table.no_stakeholders",
};
