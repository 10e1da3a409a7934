//! Fuzzes the export writers: the example plan with texts and numbers taken
//! from the input, written as Markdown, HTML, CSV and JSON.
//!
//! Never a panic, and no control character leaves rumbo: no C0 byte but
//! newline and tab, no DEL and no C1 character in any document (issue 11,
//! case 18). The input is cut at `0xFF` bytes (never part of UTF-8): the
//! pieces become the plan's texts in turn, the first eight bytes of each
//! piece a number too (when finite).

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use rumbo::export::{self, Format};
use rumbo::plan::{Date, Plan};
use rumbo::store::{EXAMPLE, load};

static PLAN: LazyLock<Plan> = LazyLock::new(|| {
    load::parse(Path::new("example.toml"), EXAMPLE)
        .expect("the example loads")
        .plan
});

/// The places a piece of input goes, in turn.
type SetText = fn(&mut Plan, String);
const TEXTS: &[SetText] = &[
    |p, s| p.plan.name = s,
    |p, s| p.kpis[0].name = s,
    |p, s| p.plan.company = s,
    |p, s| p.plan.currency = s,
    |p, s| p.research.industry_trends = s,
    |p, s| p.research.competitors[0].name = s,
    |p, s| p.research.competitors[0].notes = s,
    |p, s| p.actions[0].title = s,
    |p, s| p.goals[0].title = s,
    |p, s| p.team.members[0].name = s,
    |p, s| p.tools[0].name = s,
    |p, s| p.personas[0].name = s,
    |p, s| p.situation.strengths[0] = s,
    |p, s| p.marketing_mix.product.usp = s,
    |p, s| p.kpis[1].id = s,
    |p, s| p.scenarios[0].name = s,
];

type SetNumber = fn(&mut Plan, f64);
const NUMBERS: &[SetNumber] = &[
    |p, x| p.kpis[0].target.value = Some(x),
    |p, x| p.kpis[0].actuals[0].value = x,
    |p, x| p.kpis[1].baseline.value = Some(x),
    |p, x| p.marketing_mix.promotion.budget = Some(x),
    |p, x| p.scenarios[0].multiplier = x,
    |p, x| p.tools[0].monthly_cost = Some(x),
];

/// The first control character of `text` that must not be there.
fn control(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|(_, c)| {
        let c = *c as u32;
        (c < 0x20 && c != 0x0a && c != 0x09) || (0x7f..=0x9f).contains(&c)
    })
}

fuzz_target!(|data: &[u8]| {
    let mut plan = PLAN.clone();
    for (i, piece) in data.split(|&b| b == 0xff).enumerate() {
        let text = String::from_utf8_lossy(piece).into_owned();
        TEXTS[i % TEXTS.len()](&mut plan, text);
        if let Some(bytes) = piece.get(..8) {
            let x = f64::from_le_bytes(bytes.try_into().expect("eight bytes"));
            if x.is_finite() {
                NUMBERS[i % NUMBERS.len()](&mut plan, x);
            }
        }
    }
    let today = Date::new(2026, 11, 15).expect("a date");
    let mut found = Vec::new();
    for format in [Format::Markdown, Format::Html, Format::Csv, Format::Json] {
        let Ok(out) = export::export(&plan, today, format) else {
            continue;
        };
        if let Some((at, c)) = control(&out) {
            let from = out.floor_char_boundary(at.saturating_sub(40));
            let to = out.ceil_char_boundary((at + 40).min(out.len()));
            found.push(format!(
                "{format:?}: control character U+{:04X} at byte {at}: {:?}",
                c as u32,
                &out[from..to]
            ));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
});
