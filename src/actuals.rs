//! Recording actual KPI values: the pure half of `rumbo actuals add` and
//! `rumbo actuals import`.
//!
//! Rules (shared/spec/cli.md):
//! - A value for a KPI on a date that KPI already has an actual for
//!   *replaces* that actual's value (the last one in the file with that date,
//!   which is the one the metrics count); otherwise it is appended at the end
//!   of the KPI's `actuals`, so a format-preserving save changes only the new
//!   lines.
//! - An import is all or nothing: [`parse_csv`] checks every row (date, KPI,
//!   finite number) before anything is applied, and reports every bad row
//!   with its line number in the file.
//!
//! No I/O here: `cli` reads the files, calls these functions and saves.

use crate::i18n::{t, tf};
use crate::plan::{Actual, Date, Plan};

/// One value to record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewActual<'a> {
    pub kpi: &'a str,
    pub date: Date,
    pub value: f64,
}

/// What recording one value did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// A new actual at the end of the KPI's list.
    Added,
    /// The KPI already had an actual on that date; this was its value.
    Replaced { old: f64 },
}

/// Why a value cannot be recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordError {
    /// The plan has no KPI with this id; `suggestion` is a close id.
    UnknownKpi {
        id: String,
        suggestion: Option<String>,
    },
    /// NaN or infinite.
    NotFinite { value: f64 },
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::UnknownKpi { id, suggestion } => {
                write!(f, "{}", tf("actuals.unknown_kpi", &[("kpi", id)]))?;
                if let Some(s) = suggestion {
                    write!(f, "; {}", tf("actuals.did_you_mean", &[("kpi", s)]))?;
                }
                Ok(())
            }
            RecordError::NotFinite { value } => {
                write!(f, "{}", tf("actuals.not_finite", &[("value", value)]))
            }
        }
    }
}

impl std::error::Error for RecordError {}

/// The index of the KPI `id` in `plan.kpis`, or why there is none.
pub fn find_kpi(plan: &Plan, id: &str) -> Result<usize, RecordError> {
    let id = id.trim();
    plan.kpis
        .iter()
        .position(|k| k.id == id)
        .ok_or_else(|| RecordError::UnknownKpi {
            id: id.to_string(),
            suggestion: suggest_kpi(plan, id),
        })
}

/// A KPI id close to `id`: the same id in other case, a KPI whose name is
/// `id`, or the nearest id by edit distance when it is close enough.
pub fn suggest_kpi(plan: &Plan, id: &str) -> Option<String> {
    let wanted = id.trim().to_lowercase();
    if wanted.is_empty() {
        return None;
    }
    if let Some(k) = plan
        .kpis
        .iter()
        .find(|k| k.id.to_lowercase() == wanted || k.name.trim().to_lowercase() == wanted)
    {
        return Some(k.id.clone());
    }
    let normalized = wanted.replace(['-', ' '], "_");
    let (distance, best) = plan
        .kpis
        .iter()
        .map(|k| (edit_distance(&normalized, &k.id.replace('-', "_")), &k.id))
        .min()?;
    let limit = 2.max(wanted.chars().count() / 3);
    (distance <= limit && distance < wanted.chars().count()).then(|| best.clone())
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Records one value in `plan` (replacing, or appending; see the module
/// doc).
pub fn record(plan: &mut Plan, new: NewActual<'_>) -> Result<Change, RecordError> {
    if !new.value.is_finite() {
        return Err(RecordError::NotFinite { value: new.value });
    }
    let index = find_kpi(plan, new.kpi)?;
    Ok(record_at(plan, index, new.date, new.value))
}

/// Records a checked value for the KPI at `index`.
fn record_at(plan: &mut Plan, index: usize, date: Date, value: f64) -> Change {
    let actuals = &mut plan.kpis[index].actuals;
    match actuals.iter_mut().rev().find(|a| a.date == date) {
        Some(existing) => {
            let old = existing.value;
            existing.value = value;
            Change::Replaced { old }
        }
        None => {
            actuals.push(Actual { date, value });
            Change::Added
        }
    }
}

/// How many values an import recorded, and how many of them replaced one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub recorded: usize,
    pub replaced: usize,
}

impl Summary {
    /// "12 values recorded (3 replaced)".
    pub fn text(&self) -> String {
        let key = if self.recorded == 1 {
            "actuals.summary_one"
        } else {
            "actuals.summary"
        };
        tf(key, &[("n", &self.recorded), ("m", &self.replaced)])
    }
}

/// One checked row of an import file.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The line of the file the row starts on (1-based).
    pub line: u64,
    pub kpi: String,
    pub date: Date,
    pub value: f64,
}

/// What is wrong with an import file.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportProblem {
    /// The file has no header line.
    Empty,
    /// The first line is not `date,kpi,value`.
    Header {
        found: String,
    },
    /// Not readable as CSV here (e.g. an unclosed quote).
    Syntax {
        detail: String,
    },
    /// A row without exactly three fields.
    FieldCount {
        found: usize,
    },
    BadDate {
        text: String,
        detail: String,
    },
    UnknownKpi {
        id: String,
        suggestion: Option<String>,
    },
    BadNumber {
        text: String,
    },
    NotFinite {
        text: String,
    },
}

/// One problem, with the line it is on (0 when it is about the whole file).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    pub line: u64,
    pub problem: ImportProblem,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match &self.problem {
            ImportProblem::Empty => t("actuals.csv_empty").to_string(),
            ImportProblem::Header { found } => tf("actuals.csv_header", &[("found", found)]),
            ImportProblem::Syntax { detail } => tf("actuals.csv_syntax", &[("detail", detail)]),
            ImportProblem::FieldCount { found } => tf("actuals.csv_fields", &[("found", found)]),
            ImportProblem::BadDate { detail, .. } => tf("actuals.csv_date", &[("detail", detail)]),
            ImportProblem::UnknownKpi { id, suggestion } => {
                let mut s = tf("actuals.unknown_kpi", &[("kpi", id)]);
                if let Some(best) = suggestion {
                    s.push_str("; ");
                    s.push_str(&tf("actuals.did_you_mean", &[("kpi", best)]));
                }
                s
            }
            ImportProblem::BadNumber { text } => tf("actuals.csv_number", &[("text", text)]),
            ImportProblem::NotFinite { text } => tf("actuals.not_finite", &[("value", text)]),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for ImportError {}

/// The header an import file must start with.
pub const HEADER: [&str; 3] = ["date", "kpi", "value"];

/// Reads and checks an import file (`date,kpi,value`, then one row per
/// value) against `plan`. Spaces around fields and a UTF-8 byte-order mark
/// are allowed; lines that are empty, or whose fields are all empty, are
/// skipped. Every problem is returned, in file order, so the user can fix
/// them all at once; `Ok` means every row can be recorded.
pub fn parse_csv(text: &str, plan: &Plan) -> Result<Vec<Row>, Vec<ImportError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The csv crate counts a CRLF record's line one short (the LF is read
    // as the start of the next record): plain LF keeps line numbers right.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();

    let header = match records.next() {
        None => {
            return Err(vec![ImportError {
                line: 0,
                problem: ImportProblem::Empty,
            }]);
        }
        Some(Err(e)) => return Err(vec![csv_error(&e)]),
        Some(Ok(h)) => h,
    };
    let header_ok = header.len() == HEADER.len()
        && header
            .iter()
            .zip(HEADER)
            .all(|(found, wanted)| found.eq_ignore_ascii_case(wanted));
    if !header_ok {
        return Err(vec![ImportError {
            line: header.position().map_or(1, |p| p.line()),
            problem: ImportProblem::Header {
                found: header.iter().collect::<Vec<_>>().join(","),
            },
        }]);
    }

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                // The reader cannot go on after a syntax error.
                errors.push(csv_error(&e));
                break;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        match check_row(&record, plan) {
            Ok((kpi, date, value)) => rows.push(Row {
                line,
                kpi,
                date,
                value,
            }),
            Err(problem) => errors.push(ImportError { line, problem }),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn csv_error(e: &csv::Error) -> ImportError {
    let line = e.position().map_or(0, |p| p.line());
    let detail = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => t("actuals.csv_not_utf8").to_string(),
        _ => e.to_string(),
    };
    ImportError {
        line,
        problem: ImportProblem::Syntax { detail },
    }
}

/// Checks the fields of one row, in column order: the first problem wins.
fn check_row(
    record: &csv::StringRecord,
    plan: &Plan,
) -> Result<(String, Date, f64), ImportProblem> {
    if record.len() != HEADER.len() {
        return Err(ImportProblem::FieldCount {
            found: record.len(),
        });
    }
    let (date_text, kpi, value_text) = (&record[0], &record[1], &record[2]);
    let date: Date = date_text
        .parse()
        .map_err(|e: crate::plan::DateParseError| ImportProblem::BadDate {
            text: date_text.to_string(),
            detail: e.0,
        })?;
    if plan.kpi(kpi).is_none() {
        return Err(ImportProblem::UnknownKpi {
            id: kpi.to_string(),
            suggestion: suggest_kpi(plan, kpi),
        });
    }
    let value: f64 = value_text.parse().map_err(|_| ImportProblem::BadNumber {
        text: value_text.to_string(),
    })?;
    if !value.is_finite() {
        return Err(ImportProblem::NotFinite {
            text: value_text.to_string(),
        });
    }
    Ok((kpi.to_string(), date, value))
}

/// Records checked rows in file order (a later row for the same KPI and
/// date replaces an earlier one, and counts as a replacement).
pub fn apply(plan: &mut Plan, rows: &[Row]) -> Summary {
    let mut summary = Summary::default();
    for row in rows {
        let Some(index) = plan.kpis.iter().position(|k| k.id == row.kpi) else {
            // parse_csv checked every id against this plan.
            continue;
        };
        summary.recorded += 1;
        if let Change::Replaced { .. } = record_at(plan, index, row.date, row.value) {
            summary.replaced += 1;
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Direction, Kpi, Observation};

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn kpi(id: &str, name: &str) -> Kpi {
        Kpi {
            id: id.to_string(),
            catalogue: String::new(),
            name: name.to_string(),
            unit: None,
            direction: Direction::Increase,
            owner: String::new(),
            goal: String::new(),
            baseline: Observation {
                value: Some(1.0),
                date: d("2026-01-01"),
            },
            target: Observation {
                value: Some(2.0),
                date: d("2026-12-31"),
            },
            actuals: vec![Actual {
                date: d("2026-01-31"),
                value: 1.1,
            }],
            forecast: None,
        }
    }

    fn plan() -> Plan {
        let mut plan = Plan::new("Test", None);
        plan.kpis = vec![
            kpi("mrr", "Monthly recurring revenue"),
            kpi("churn_rate", "Churn"),
        ];
        plan
    }

    #[test]
    fn a_new_date_is_appended() {
        let mut plan = plan();
        let change = record(
            &mut plan,
            NewActual {
                kpi: "mrr",
                date: d("2026-02-28"),
                value: 1.2,
            },
        )
        .unwrap();
        assert_eq!(change, Change::Added);
        assert_eq!(plan.kpis[0].actuals.len(), 2);
        assert_eq!(plan.kpis[0].actuals[1].value, 1.2);
    }

    #[test]
    fn the_same_date_replaces_the_value() {
        let mut plan = plan();
        let change = record(
            &mut plan,
            NewActual {
                kpi: "mrr",
                date: d("2026-01-31"),
                value: 9.0,
            },
        )
        .unwrap();
        assert_eq!(change, Change::Replaced { old: 1.1 });
        assert_eq!(plan.kpis[0].actuals.len(), 1);
        assert_eq!(plan.kpis[0].actuals[0].value, 9.0);
    }

    #[test]
    fn of_two_same_date_actuals_the_last_is_replaced() {
        let mut plan = plan();
        plan.kpis[0].actuals.push(Actual {
            date: d("2026-01-31"),
            value: 1.3,
        });
        record(
            &mut plan,
            NewActual {
                kpi: "mrr",
                date: d("2026-01-31"),
                value: 5.0,
            },
        )
        .unwrap();
        let values: Vec<f64> = plan.kpis[0].actuals.iter().map(|a| a.value).collect();
        assert_eq!(values, vec![1.1, 5.0]);
    }

    #[test]
    fn unknown_kpis_and_bad_numbers_are_refused() {
        let mut plan = plan();
        let err = record(
            &mut plan,
            NewActual {
                kpi: "mmr",
                date: d("2026-02-28"),
                value: 1.0,
            },
        )
        .unwrap_err();
        assert_eq!(
            err,
            RecordError::UnknownKpi {
                id: "mmr".into(),
                suggestion: Some("mrr".into())
            }
        );
        assert!(err.to_string().contains("did you mean `mrr`"), "{err}");
        let err = record(
            &mut plan,
            NewActual {
                kpi: "mrr",
                date: d("2026-02-28"),
                value: f64::NAN,
            },
        )
        .unwrap_err();
        assert!(matches!(err, RecordError::NotFinite { .. }));
        assert_eq!(plan, self::plan(), "nothing changed");
    }

    #[test]
    fn suggestions_are_close_ids_or_names() {
        let plan = plan();
        assert_eq!(suggest_kpi(&plan, "MRR"), Some("mrr".into()));
        assert_eq!(suggest_kpi(&plan, "churn"), Some("churn_rate".into()));
        assert_eq!(suggest_kpi(&plan, "churn-rate"), Some("churn_rate".into()));
        assert_eq!(
            suggest_kpi(&plan, "monthly recurring revenue"),
            Some("mrr".into())
        );
        assert_eq!(suggest_kpi(&plan, "website_sessions"), None);
        assert_eq!(suggest_kpi(&plan, ""), None);
    }

    #[test]
    fn a_good_file_parses_with_bom_spaces_and_blank_lines() {
        let text = "\u{feff}Date , KPI, value\r\n2026-02-28, mrr , 1.5\n\n,,\n2026-03-31,churn_rate,-2e1\n";
        let rows = parse_csv(text, &plan()).unwrap();
        assert_eq!(
            rows,
            vec![
                Row {
                    line: 2,
                    kpi: "mrr".into(),
                    date: d("2026-02-28"),
                    value: 1.5
                },
                Row {
                    line: 5,
                    kpi: "churn_rate".into(),
                    date: d("2026-03-31"),
                    value: -20.0
                },
            ]
        );
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let text = "date,kpi,value\n\
                    2026-02-30,mrr,1\n\
                    2026-02-28,mmr,1\n\
                    2026-02-28,mrr,abc\n\
                    2026-02-28,mrr,inf\n\
                    2026-02-28,mrr\n\
                    2026-02-28,mrr,2\n";
        let errors = parse_csv(text, &plan()).unwrap_err();
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6]);
        assert!(matches!(errors[0].problem, ImportProblem::BadDate { .. }));
        assert_eq!(
            errors[1].problem,
            ImportProblem::UnknownKpi {
                id: "mmr".into(),
                suggestion: Some("mrr".into())
            }
        );
        assert!(matches!(errors[2].problem, ImportProblem::BadNumber { .. }));
        assert!(matches!(errors[3].problem, ImportProblem::NotFinite { .. }));
        assert_eq!(errors[4].problem, ImportProblem::FieldCount { found: 2 });
        assert!(
            errors[0].to_string().contains("calendar date"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn line_numbers_are_right_with_crlf_line_ends() {
        let text = "date,kpi,value\r\n2026-02-28,mrr,1\r\n2026-02-28,mmr,1\r\n";
        let errors = parse_csv(text, &plan()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
    }

    #[test]
    fn other_headers_and_empty_files_are_refused() {
        let errors = parse_csv("kpi,date,value\n2026-02-28,mrr,1\n", &plan()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].to_string().contains("kpi,date,value"));
        let errors = parse_csv("", &plan()).unwrap_err();
        assert_eq!(errors[0].problem, ImportProblem::Empty);
        let errors = parse_csv("date,kpi,value,note\n", &plan()).unwrap_err();
        assert!(matches!(errors[0].problem, ImportProblem::Header { .. }));
    }

    #[test]
    fn an_unclosed_quote_is_a_syntax_error() {
        let errors = parse_csv("date,kpi,value\n2026-02-28,\"mrr,1\n", &plan());
        // The csv crate reads an unclosed quote to the end of the input: the
        // row then has too few fields, or is a syntax error; either way bad.
        assert!(errors.is_err());
    }

    #[test]
    fn apply_counts_replacements_including_repeats_in_the_file() {
        let mut plan = plan();
        let text = "date,kpi,value\n2026-01-31,mrr,3\n2026-02-28,mrr,4\n2026-02-28,mrr,5\n";
        let rows = parse_csv(text, &plan).unwrap();
        let summary = apply(&mut plan, &rows);
        assert_eq!(
            summary,
            Summary {
                recorded: 3,
                replaced: 2
            }
        );
        let values: Vec<f64> = plan.kpis[0].actuals.iter().map(|a| a.value).collect();
        assert_eq!(values, vec![3.0, 5.0]);
        // Importing again replaces every value.
        let again = apply(&mut plan, &rows);
        assert_eq!(again.replaced, 3);
        assert_eq!(plan.kpis[0].actuals.len(), 2);
        assert_eq!(summary.text(), "3 values recorded (2 replaced)");
    }
}
