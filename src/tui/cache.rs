//! Figures derived from the whole plan (the gap table, a table's sort
//! order, a footer's totals), computed once per version of the plan and
//! reused by every frame and key until the plan changes.
//!
//! Every change to an open plan takes a new number from [`bump`] (the
//! session's `revision`); a memo remembers the number it was computed at and
//! is recomputed only when the number moved. Drawing a frame therefore costs
//! the same on a plan of ten KPIs and on one of ten thousand: only what is
//! visible is laid out, and nothing plan-wide is recomputed per frame.

use std::any::Any;
use std::cell::Cell;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::plan::{Date, Plan};

/// A new revision number, never used before on this thread (the UI
/// thread): call it on every change to a plan, and when one is opened or
/// reloaded.
pub fn bump() -> u64 {
    REVISION.with(|r| {
        r.set(r.get() + 1);
        r.get()
    })
}

/// The latest revision handed out on this thread.
pub fn current() -> u64 {
    REVISION.with(Cell::get)
}

struct Entry {
    revision: u64,
    /// Texts are remembered in the language they were written in.
    lang: crate::i18n::Lang,
    plan: usize,
    today: Option<Date>,
    value: Rc<dyn Any>,
}

thread_local! {
    static REVISION: Cell<u64> = const { Cell::new(1) };
    static MEMO: RefCell<HashMap<(&'static str, u64), Entry>> = RefCell::new(HashMap::new());
}

/// `compute()` for `plan` as of the latest revision, remembered under
/// `name` and `variant` (a view number, a scenario…) until the plan changes.
pub fn memo<T: 'static>(
    name: &'static str,
    variant: u64,
    plan: &Plan,
    today: Date,
    compute: impl FnOnce() -> T,
) -> Rc<T> {
    memo_at(name, variant, plan, Some(today), compute)
}

/// [`memo`] for a figure that does not depend on the date.
pub fn memo_undated<T: 'static>(
    name: &'static str,
    variant: u64,
    plan: &Plan,
    compute: impl FnOnce() -> T,
) -> Rc<T> {
    memo_at(name, variant, plan, None, compute)
}

fn memo_at<T: 'static>(
    name: &'static str,
    variant: u64,
    plan: &Plan,
    today: Option<Date>,
    compute: impl FnOnce() -> T,
) -> Rc<T> {
    let revision = current();
    let plan_at = plan as *const Plan as usize;
    let hit = MEMO.with(|m| {
        m.borrow().get(&(name, variant)).and_then(|e| {
            (e.revision == revision
                && e.plan == plan_at
                && e.today == today
                && e.lang == crate::i18n::lang())
            .then(|| e.value.clone())
        })
    });
    if let Some(value) = hit.and_then(|v| v.downcast::<T>().ok()) {
        return value;
    }
    let value = Rc::new(compute());
    MEMO.with(|m| {
        m.borrow_mut().insert(
            (name, variant),
            Entry {
                revision,
                lang: crate::i18n::lang(),
                plan: plan_at,
                today,
                value: value.clone(),
            },
        )
    });
    value
}

/// The gap table of step 7 (base scenario), per revision.
pub fn gap_table(plan: &Plan, today: Date) -> Rc<Option<crate::metrics::GapTable>> {
    memo("gap_table", 0, plan, today, || {
        crate::metrics::gap_table(plan, today, None).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_is_reused_until_the_next_revision() {
        let plan = Plan::new("x", None);
        let today: Date = "2026-11-15".parse().expect("a date");
        bump();
        let mut runs = 0;
        let a = memo("test", 0, &plan, today, || {
            runs += 1;
            1
        });
        let b = memo("test", 0, &plan, today, || {
            runs += 1;
            2
        });
        assert_eq!((*a, *b, runs), (1, 1, 1));
        bump();
        let c = memo("test", 0, &plan, today, || {
            runs += 1;
            3
        });
        assert_eq!((*c, runs), (3, 2));
        let other = memo("test", 1, &plan, today, || 4);
        assert_eq!(*other, 4, "variants are remembered apart");
    }
}
