//! `rumbo export --format csv`: the KPI-gap table, one row per KPI in
//! gap-table order (worst first), for spreadsheets.
//!
//! The columns are those of `rumbo gaps --json`, under the same snake_case
//! names. Numbers are not rounded (Rust's shortest round-trip form, never an
//! exponent); an undefined number, a missing unit or owner is an empty
//! field; quoting follows RFC 4180 (the csv crate quotes a field holding a
//! comma, a quote or a line break, and doubles quotes).
//!
//! A text field that a spreadsheet would run as a formula (it starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, as
//! OWASP recommends against CSV injection; numbers stay plain numbers (a
//! negative one is `-5`).

use crate::metrics::{self, KpiGapJson};
use crate::plan::{Date, Plan};

/// The header row.
pub const COLUMNS: [&str; 17] = [
    "id",
    "name",
    "unit",
    "direction",
    "owner",
    "baseline",
    "current",
    "current_date",
    "target",
    "deadline",
    "gap",
    "progress_pct",
    "months_left",
    "required_per_month",
    "forecast",
    "forecast_gap",
    "status",
];

fn number(v: f64) -> String {
    if v.is_finite() {
        v.to_string()
    } else {
        String::new()
    }
}

/// A text field that no spreadsheet runs as a formula.
pub fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(number).unwrap_or_default()
}

fn record(k: &KpiGapJson) -> [String; 17] {
    [
        text(&k.id),
        text(&k.name),
        k.unit.map(|u| u.key().to_string()).unwrap_or_default(),
        k.direction.key().to_string(),
        text(k.owner.as_deref().unwrap_or_default()),
        number(k.baseline),
        number(k.current),
        k.current_date.to_string(),
        number(k.target),
        k.deadline.to_string(),
        number(k.gap),
        opt(k.progress_pct),
        number(k.months_left),
        opt(k.required_per_month),
        opt(k.forecast),
        opt(k.forecast_gap),
        k.status.key().to_string(),
    ]
}

/// The CSV text (header row, then one row per KPI; CRLF-free, `\n` ends).
pub fn render(plan: &Plan, today: Date) -> Result<String, csv::Error> {
    let (kpis, not_set) = metrics::gaps_report(plan, today, None)
        .map(|r| (r.kpis, r.not_set))
        .unwrap_or_default();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for k in &kpis {
        writer.write_record(record(k))?;
    }
    // Last, the KPIs whose baseline or target is not set: what they have,
    // empty figures, and `not_set` for a status.
    for r in &not_set {
        let k = &plan.kpis[r.index];
        let mut row: [String; 17] = Default::default();
        row[0] = r.id.clone();
        row[1] = r.name.clone();
        row[2] = k.unit.map(|u| u.key().to_string()).unwrap_or_default();
        row[3] = k.direction.key().to_string();
        row[4] = k.owner.clone();
        row[5] = opt(r.baseline);
        row[8] = opt(r.target);
        row[9] = r.deadline.to_string();
        row[16] = "not_set".to_string();
        writer.write_record(row)?;
    }
    writer.flush()?;
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_in_text_are_neutralised_and_numbers_stay_numbers() {
        for s in [
            "=1+1",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"x\")",
        ] {
            assert_eq!(text(s), format!("'{s}"), "{s:?}");
        }
        for s in ["mrr", "", "a=b", " =1", "'x"] {
            assert_eq!(text(s), s);
        }
        assert_eq!(number(-5.0), "-5");
        assert_eq!(number(f64::NAN), "");
        assert_eq!(number(f64::NEG_INFINITY), "");
    }
}
