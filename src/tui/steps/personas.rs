//! Step 2 — the ideal customer profile: a list of personas, and for the
//! chosen one its demographics and psychographics side by side, needs below.

use crate::plan::{Date, Persona, Plan};
use crate::tui::form::{Ctx, Field, Form, Kind, Section, TableSpec};

use super::{remove, swap};

/// The form; `selected_row(0)` is the persona chosen in the list (field 0).
pub fn form(plan: &Plan, today: Date, selected_row: &dyn Fn(usize) -> usize) -> Form {
    let item = selected_row(0).min(plan.personas.len().saturating_sub(1));
    let mut sections = vec![Section::new(
        "section.personas",
        vec![Field::new("f.personas", Kind::Table(&PERSONAS))],
    )];
    match plan.personas.get(item) {
        None => sections.push(Section::note(
            "section.persona_details",
            crate::i18n::t("table.add_persona_first").to_string(),
        )),
        Some(_) => {
            sections.push(Section::side_by_side(
                "section.persona_profile",
                vec![demographics(), psychographics()],
            ));
            sections.push(Section::new("section.needs", needs()));
        }
    }
    Form {
        sections,
        ctx: Ctx {
            item,
            ..Ctx::new(today)
        },
    }
}

fn p(plan: &mut Plan, item: usize) -> Option<&mut Persona> {
    plan.personas.get_mut(item)
}

fn demographics() -> Vec<Field> {
    vec![
        Field::new(
            "f.who",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.demographics.who)),
        ),
        Field::new(
            "f.location",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.demographics.location)),
        ),
        Field::new(
            "f.occupation",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.demographics.occupation)),
        ),
        Field::new(
            "f.age_group",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.demographics.age_group)),
        ),
        Field::new(
            "f.income",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.demographics.income)),
        ),
    ]
}

fn psychographics() -> Vec<Field> {
    vec![
        Field::new(
            "f.beliefs",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.psychographics.beliefs)),
        ),
        Field::new(
            "f.motivations",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.psychographics.motivations)),
        ),
        Field::new(
            "f.values_and_boycotts",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.psychographics.values_and_boycotts)),
        ),
        Field::new(
            "f.price_vs_quality",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.psychographics.price_vs_quality)),
        ),
        Field::new(
            "f.advice_sources",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.psychographics.advice_sources)),
        ),
        Field::new(
            "f.life_priority",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.psychographics.life_priority)),
        ),
        Field::new(
            "f.free_time",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.psychographics.free_time)),
        ),
        Field::new(
            "f.novelty",
            Kind::Text(|pl, x| Some(&mut p(pl, x.item)?.psychographics.novelty)),
        ),
    ]
}

fn needs() -> Vec<Field> {
    vec![
        Field::new(
            "f.pains",
            Kind::Multi(|pl, x| Some(&mut p(pl, x.item)?.needs.pains)),
        ),
        Field::new(
            "f.persona_channels",
            Kind::Multi(|pl, x| Some(&mut p(pl, x.item)?.needs.channels)),
        ),
        Field::new(
            "f.message",
            Kind::Multi(|pl, x| Some(&mut p(pl, x.item)?.needs.message)),
        ),
    ]
}

static PERSONAS: TableSpec = TableSpec {
    columns: &[("col.id", 2), ("col.name", 4), ("col.who", 5)],
    len: |p, _| p.personas.len(),
    cell: |p, _, row, col| {
        let persona = &p.personas[row];
        match col {
            0 => persona.id.clone(),
            1 => persona.name.clone(),
            _ => persona.demographics.who.clone(),
        }
    },
    add: |p, _| {
        let mut n = p.personas.len() + 1;
        while p.persona(&format!("persona-{n}")).is_some() {
            n += 1;
        }
        p.personas.push(Persona {
            id: format!("persona-{n}"),
            ..Persona::default()
        });
        p.personas.len() - 1
    },
    remove: |p, _, i| remove(&mut p.personas, i),
    swap: |p, _, a, b| swap(&mut p.personas, a, b),
    row_fields: persona_fields,
    toggle: None,
    footer: None,
    extra: None,
    order: None,
    views: &[],
    tone: None,
    empty: "table.no_personas",
};

fn persona_fields() -> Vec<Field> {
    vec![
        Field::new(
            "f.persona_name",
            Kind::Text(|pl, x| Some(&mut p(pl, x.row)?.name)),
        ),
        Field::new(
            "f.persona_id",
            Kind::Id(|pl, x| Some(&mut p(pl, x.row)?.id)),
        ),
        Field::new("f.done", Kind::Done),
    ]
}
