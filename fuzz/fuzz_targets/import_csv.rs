//! Fuzzes `actuals import`: any bytes as an actuals CSV against the example
//! plan (`actuals::parse_csv`, then `actuals::apply`).
//!
//! Never a panic, and:
//! - a refusal names at least one problem, and every message renders;
//! - every accepted row names a KPI of the plan and has a finite value;
//! - once applied, every actual of the plan is finite and every row is
//!   counted as recorded.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use libfuzzer_sys::{Corpus, fuzz_target};
use rumbo::actuals;
use rumbo::plan::Plan;
use rumbo::store::{EXAMPLE, load};

static PLAN: LazyLock<Plan> = LazyLock::new(|| {
    load::parse(Path::new("example.toml"), EXAMPLE)
        .expect("the example loads")
        .plan
});

fuzz_target!(|data: &[u8]| -> Corpus {
    let Ok(text) = std::str::from_utf8(data) else {
        // `actuals import` reads the file as UTF-8 text first.
        return Corpus::Reject;
    };
    match actuals::parse_csv(text, &PLAN) {
        Ok(rows) => {
            for row in &rows {
                assert!(row.value.is_finite(), "row {}: {}", row.line, row.value);
                assert!(
                    PLAN.kpis.iter().any(|k| k.id == row.kpi),
                    "row {}: unknown KPI {:?} accepted",
                    row.line,
                    row.kpi
                );
            }
            let mut plan = PLAN.clone();
            let summary = actuals::apply(&mut plan, &rows);
            assert_eq!(summary.recorded, rows.len());
            let _ = summary.text();
            for kpi in &plan.kpis {
                for a in &kpi.actuals {
                    assert!(a.value.is_finite(), "{}: {}", kpi.id, a.value);
                }
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "refused without a reason");
            for e in &errors {
                let _ = e.to_string();
            }
        }
    }
    Corpus::Keep
});
