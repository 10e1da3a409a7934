//! Fuzzes the big-plan path (`store::chunk`) at any size: any text read in
//! parts, then saved element by element.
//!
//! Never a panic, and:
//! - a text read in parts gives exactly the plan a whole-file parse gives;
//! - an unchanged plan is written back byte for byte;
//! - after edits driven by the input (rename, remove, add, move elements,
//!   change the rest), the saved text reads back as the edited plan, and a
//!   file without CR never gets one.

#![no_main]

use libfuzzer_sys::{Corpus, fuzz_target};
use rumbo::plan::Plan;
use rumbo::store::chunk;

/// NaN is not equal to itself: compare the debug forms.
fn same(a: &Plan, b: &Plan) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fuzz_target!(|data: &[u8]| -> Corpus {
    let Ok(text) = std::str::from_utf8(data) else {
        return Corpus::Reject;
    };
    let Some(base) = chunk::parse_parts(text) else {
        return Corpus::Keep;
    };
    let whole: Plan = toml::from_str(text)
        .unwrap_or_else(|e| panic!("read in parts, but the whole file does not parse: {e}"));
    assert!(same(&whole, &base), "the parts give another plan");
    assert_eq!(
        chunk::render(text, &base, &base).as_deref(),
        Some(text),
        "an unchanged plan is not written back as it was"
    );

    let mut plan = base.clone();
    let edits = data.last().copied().unwrap_or(0);
    if edits & 1 != 0
        && let Some(k) = plan.kpis.first_mut()
    {
        k.name.push_str(" (renamed)\nover two lines");
    }
    if edits & 2 != 0 && !plan.kpis.is_empty() {
        plan.kpis.remove(plan.kpis.len() / 2);
    }
    if edits & 4 != 0
        && let Some(mut k) = plan.kpis.last().cloned()
    {
        k.id.push_str("-new");
        plan.kpis.push(k);
    }
    if edits & 8 != 0 && plan.actions.len() > 1 {
        plan.actions.swap(0, 1);
    }
    if edits & 16 != 0 {
        plan.plan.name.push_str(" v2");
    }
    if edits & 32 != 0 && !plan.goals.is_empty() {
        plan.goals.remove(0);
    }
    if edits & 64 != 0
        && let Some(a) = plan.actions.last_mut()
    {
        a.title = "Call \"them\" # now".into();
    }
    if let Some(out) = chunk::render(text, &base, &plan) {
        let back: Plan = toml::from_str(&out)
            .unwrap_or_else(|e| panic!("the saved text does not parse: {e}\n{out}"));
        assert!(
            same(&back, &plan),
            "the saved text reads back as another plan\n{out}"
        );
        if !text.contains('\r') {
            assert!(!out.contains('\r'), "a CR in a file that had none");
        }
    }
    Corpus::Keep
});
