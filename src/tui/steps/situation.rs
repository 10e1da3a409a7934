//! Step 3 — the current situation: the self-assessment, strengths and
//! weaknesses, and the marketing mix (the 5 Ps).

use crate::i18n::tf;
use crate::plan::Date;
use crate::plan::{Plan, SalesChannel};
use crate::tui::form::{Ctx, Field, Form, Kind, NumUnit, Section, Slot, TableSpec};

use super::{persona_choice, remove, swap};

pub fn form(today: Date) -> Form {
    Form {
        ctx: Ctx::new(today),
        sections: vec![
            Section::new(
                "section.assessment",
                vec![
                    Field::new(
                        "f.performance",
                        Kind::Multi(|p, _| Some(&mut p.situation.performance)),
                    ),
                    Field::new(
                        "f.versus_estimates",
                        Kind::Multi(|p, _| Some(&mut p.situation.versus_estimates)),
                    ),
                    Field::new(
                        "f.market_alignment",
                        Kind::Multi(|p, _| Some(&mut p.situation.market_alignment)),
                    ),
                    Field::new(
                        "f.where_customers_look",
                        Kind::Multi(|p, _| Some(&mut p.situation.where_customers_look)),
                    ),
                    Field::new(
                        "f.challenges",
                        Kind::Multi(|p, _| Some(&mut p.situation.challenges)),
                    ),
                    Field::new(
                        "f.better_ways",
                        Kind::Multi(|p, _| Some(&mut p.situation.better_ways)),
                    ),
                ],
            ),
            Section::side_by_side(
                "section.swot",
                vec![
                    vec![Field::new("f.strengths", Kind::Table(&STRENGTHS))],
                    vec![Field::new("f.weaknesses", Kind::Table(&WEAKNESSES))],
                ],
            ),
            Section::new(
                "section.product",
                vec![
                    Field::new(
                        "f.offer",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.product.offer)),
                    ),
                    Field::new(
                        "f.differentiation",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.product.differentiation)),
                    ),
                    Field::new(
                        "f.benefits",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.product.benefits)),
                    ),
                    Field::new(
                        "f.usp",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.product.usp)),
                    ),
                ],
            ),
            Section::new(
                "section.place",
                vec![
                    Field::new(
                        "f.availability",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.place.availability)),
                    ),
                    Field::new("f.channels", Kind::Table(&CHANNELS)),
                ],
            ),
            Section::new(
                "section.price",
                vec![
                    Field::new(
                        "f.price_model",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.price.model)),
                    ),
                    Field::new(
                        "f.price_point",
                        Kind::Number(
                            |p, _| Some(Slot::Opt(&mut p.marketing_mix.price.price_point)),
                            NumUnit::Currency,
                        ),
                    ),
                    Field::new(
                        "f.margin",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.price.margin)),
                    ),
                    Field::new(
                        "f.break_even_months",
                        Kind::Int(
                            |p, _| Some(Slot::Opt(&mut p.marketing_mix.price.break_even_months)),
                            NumUnit::Months,
                        ),
                    ),
                ],
            ),
            Section::new(
                "section.promotion",
                vec![
                    Field::new(
                        "f.promotion_persona",
                        Kind::Choice(persona_choice(
                            |p, _| p.marketing_mix.promotion.persona.clone(),
                            |p, _, v| p.marketing_mix.promotion.persona = v.to_string(),
                        )),
                    ),
                    Field::new(
                        "f.reach",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.promotion.reach)),
                    ),
                    Field::new(
                        "f.conversion",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.promotion.conversion)),
                    ),
                    Field::new(
                        "f.promotion_channels",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.promotion.channels)),
                    ),
                    Field::new(
                        "f.budget",
                        Kind::Number(
                            |p, _| Some(Slot::Opt(&mut p.marketing_mix.promotion.budget)),
                            NumUnit::Currency,
                        ),
                    ),
                    Field::new(
                        "f.tracking",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.promotion.tracking)),
                    ),
                ],
            ),
            Section::new(
                "section.people",
                vec![
                    Field::new(
                        "f.people_who",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.people.who)),
                    ),
                    Field::new(
                        "f.hiring",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.people.hiring)),
                    ),
                    Field::new(
                        "f.first_hire",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.people.first_hire)),
                    ),
                    Field::new(
                        "f.responsibilities",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.people.responsibilities)),
                    ),
                    Field::new(
                        "f.reviews",
                        Kind::Multi(|p, _| Some(&mut p.marketing_mix.people.reviews)),
                    ),
                ],
            ),
        ],
    }
}

/// A table over a list of strings (strengths, weaknesses).
macro_rules! string_list {
    ($name:ident, $field:ident, $label:literal, $empty:literal) => {
        static $name: TableSpec = TableSpec {
            columns: &[("col.item", 1)],
            len: |p, _| p.situation.$field.len(),
            cell: |p, _, row, _| p.situation.$field[row].clone(),
            add: |p, _| {
                p.situation.$field.push(String::new());
                p.situation.$field.len() - 1
            },
            remove: |p, _, i| remove(&mut p.situation.$field, i),
            swap: |p, _, a, b| swap(&mut p.situation.$field, a, b),
            row_fields: || {
                vec![
                    Field::new($label, Kind::Text(|p, x| p.situation.$field.get_mut(x.row))),
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

string_list!(STRENGTHS, strengths, "f.strength", "table.no_strengths");
string_list!(WEAKNESSES, weaknesses, "f.weakness", "table.no_weaknesses");

static CHANNELS: TableSpec = TableSpec {
    columns: &[("col.channel", 4), ("col.share", 2)],
    len: |p, _| p.marketing_mix.place.channels.len(),
    cell: |p, _, row, col| {
        let c = &p.marketing_mix.place.channels[row];
        match col {
            0 => c.name.clone(),
            _ => c
                .share_pct
                .map(|s| format!("{} %", crate::tui::form::format_number(s)))
                .unwrap_or_default(),
        }
    },
    add: |p, _| {
        p.marketing_mix.place.channels.push(SalesChannel::default());
        p.marketing_mix.place.channels.len() - 1
    },
    remove: |p, _, i| remove(&mut p.marketing_mix.place.channels, i),
    swap: |p, _, a, b| swap(&mut p.marketing_mix.place.channels, a, b),
    row_fields: channel_fields,
    toggle: None,
    footer: Some(|p, _| {
        let channels = &p.marketing_mix.place.channels;
        if channels.iter().all(|c| c.share_pct.is_none()) {
            return None;
        }
        let total: f64 = channels.iter().filter_map(|c| c.share_pct).sum();
        let off = (total - 100.0).abs() > 0.01;
        let key = if off {
            "table.share_total_off"
        } else {
            "table.share_total"
        };
        Some((
            tf(key, &[("total", &crate::tui::form::format_number(total))]),
            off,
        ))
    }),
    extra: None,
    order: None,
    views: &[],
    tone: None,
    empty: "table.no_channels",
};

fn channel_fields() -> Vec<Field> {
    fn c(p: &mut Plan, row: usize) -> Option<&mut SalesChannel> {
        p.marketing_mix.place.channels.get_mut(row)
    }
    vec![
        Field::new(
            "f.channel_name",
            Kind::Text(|p, x| Some(&mut c(p, x.row)?.name)),
        ),
        Field::new(
            "f.channel_share",
            Kind::Number(
                |p, x| Some(Slot::Opt(&mut c(p, x.row)?.share_pct)),
                NumUnit::Percent,
            ),
        ),
        Field::new("f.done", Kind::Done),
    ]
}
