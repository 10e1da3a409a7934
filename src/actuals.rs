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
//!   with its line number in the file. Two rows for the same KPI and date
//!   are an error naming both lines (which value is right is the user's
//!   call, not the last row's).
//! - An import takes time linear in its rows (a million rows in seconds):
//!   rows are checked once, duplicates found with a hash map, and [`apply`]
//!   finds a KPI's actual on a date through an index built once per KPI.
//!
//! No I/O here: `cli` reads the files, calls these functions and saves.

use std::collections::HashMap;

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
    /// NaN, infinite, or beyond 10^15 either way.
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
    if !new.value.is_finite() || new.value.abs() > crate::plan::validate::MAX_MAGNITUDE {
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
        crate::i18n::tn(
            "actuals.summary",
            self.recorded as u64,
            &[("n", &self.recorded), ("m", &self.replaced)],
        )
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
    /// Finite, but beyond what rumbo takes for a figure (10^15).
    TooLarge {
        text: String,
    },
    /// A second row for a KPI and date; `first` is the line of the first.
    Duplicate {
        kpi: String,
        date: Date,
        first: u64,
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
            ImportProblem::TooLarge { text } => tf("number.plain.too_large", &[("text", text)]),
            ImportProblem::Duplicate { kpi, date, first } => tf(
                "actuals.csv_duplicate",
                &[("kpi", kpi), ("date", date), ("first", first)],
            ),
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
    parse_csv_with(text, plan, &mut |_| {})
}

/// How often [`parse_csv_with`] reports progress, in rows.
pub const PROGRESS_EVERY: u64 = 4096;

/// [`parse_csv`], calling `progress` with the number of rows read every
/// [`PROGRESS_EVERY`] rows (the caller decides whether to show it).
pub fn parse_csv_with(
    text: &str,
    plan: &Plan,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<Row>, Vec<ImportError>> {
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
    // The first line each (KPI, date) is on; KPIs by their index.
    let ids = kpi_index(plan);
    let mut seen: HashMap<(usize, Date), u64> = HashMap::new();
    let mut read = 0u64;
    for record in records {
        read += 1;
        if read.is_multiple_of(PROGRESS_EVERY) {
            progress(read);
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                // The reader cannot go on after a syntax error.
                errors.push(csv_error(&e));
                break;
            }
        };
        // The csv crate starts a record after blank lines at the first
        // blank line: count them to the record's own line.
        let line = record.position().map_or(0, |p| {
            let blank = text.as_bytes()[(p.byte() as usize).min(text.len())..]
                .iter()
                .take_while(|&&b| b == b'\n')
                .count();
            p.line() + blank as u64
        });
        if record.iter().all(str::is_empty) {
            continue;
        }
        match check_row(&record, plan) {
            Ok((kpi, date, value)) => {
                // check_row found the KPI in this plan.
                let index = ids.get(kpi.as_str()).copied().unwrap_or(usize::MAX);
                match seen.entry((index, date)) {
                    std::collections::hash_map::Entry::Occupied(first) => {
                        errors.push(ImportError {
                            line,
                            problem: ImportProblem::Duplicate {
                                kpi,
                                date,
                                first: *first.get(),
                            },
                        });
                    }
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(line);
                        rows.push(Row {
                            line,
                            kpi,
                            date,
                            value,
                        });
                    }
                }
            }
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
    // The plain form in every language (`12500.75`), finite and sane.
    let value = crate::i18n::number::parse_plain(value_text).map_err(|e| {
        let text = value_text.to_string();
        match e {
            crate::i18n::number::PlainError::NotPlain => ImportProblem::BadNumber { text },
            crate::i18n::number::PlainError::NotFinite => ImportProblem::NotFinite { text },
            crate::i18n::number::PlainError::TooLarge => ImportProblem::TooLarge { text },
        }
    })?;
    Ok((kpi.to_string(), date, value))
}

/// Each KPI id's index in `plan.kpis` (the first KPI with it, as
/// [`Plan::kpi`] finds).
fn kpi_index(plan: &Plan) -> HashMap<&str, usize> {
    let mut ids = HashMap::with_capacity(plan.kpis.len());
    for (i, k) in plan.kpis.iter().enumerate() {
        ids.entry(k.id.as_str()).or_insert(i);
    }
    ids
}

/// Records checked rows in file order, as [`record`] would one by one (a
/// row for a date the KPI already has replaces that actual's value, and
/// counts as a replacement), in time linear in the rows and the actuals:
/// each KPI's actuals are indexed by date once, when a row first names it.
pub fn apply(plan: &mut Plan, rows: &[Row]) -> Summary {
    let mut summary = Summary::default();
    let ids = kpi_index(plan);
    // Per KPI: the position of the last actual on each date.
    let mut by_date: Vec<Option<HashMap<Date, usize>>> = vec![None; plan.kpis.len()];
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        // parse_csv checked every id against this plan.
        found.push(ids.get(row.kpi.as_str()).copied());
    }
    for (row, index) in rows.iter().zip(found) {
        let Some(index) = index else {
            continue;
        };
        let actuals = &mut plan.kpis[index].actuals;
        let dates = by_date[index].get_or_insert_with(|| {
            actuals
                .iter()
                .enumerate()
                .map(|(i, a)| (a.date, i))
                .collect()
        });
        summary.recorded += 1;
        match dates.get(&row.date) {
            Some(&at) => {
                actuals[at].value = row.value;
                summary.replaced += 1;
            }
            None => {
                dates.insert(row.date, actuals.len());
                actuals.push(Actual {
                    date: row.date,
                    value: row.value,
                });
            }
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Kpi;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn kpi(id: &str, name: &str) -> Kpi {
        let mut k = crate::metrics::test_support::kpi(id, 1.0, "2026-01-01", 2.0, "2026-12-31");
        k.name = name.to_string();
        k.actuals = vec![Actual {
            date: d("2026-01-31"),
            value: 1.1,
        }];
        k
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
    fn import_values_are_plain_finite_and_within_ten_to_the_fifteen() {
        let text = "date,kpi,value\n\
                    2026-01-31,mrr,-1.7e308\n\
                    2026-02-28,mrr,1e16\n\
                    2026-03-31,mrr,NaN\n\
                    2026-04-30,mrr,-inf\n\
                    2026-05-31,mrr,\"1,234\"\n\
                    2026-06-30,mrr,12500.75\n\
                    2026-07-31,mrr,-1e15\n";
        let errors = crate::i18n::with_lang(crate::i18n::Lang::En, || {
            parse_csv(text, &plan()).unwrap_err()
        });
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6]);
        assert!(matches!(errors[0].problem, ImportProblem::TooLarge { .. }));
        assert!(matches!(errors[1].problem, ImportProblem::TooLarge { .. }));
        assert!(matches!(errors[2].problem, ImportProblem::NotFinite { .. }));
        assert!(matches!(errors[3].problem, ImportProblem::NotFinite { .. }));
        assert!(matches!(errors[4].problem, ImportProblem::BadNumber { .. }));
        let shown = crate::i18n::with_lang(crate::i18n::Lang::En, || errors[0].to_string());
        assert!(shown.contains("10^15"), "{shown}");
        let mut plan = plan();
        let big = record(
            &mut plan,
            NewActual {
                kpi: "mrr",
                date: d("2026-02-28"),
                value: -1.7e308,
            },
        );
        assert!(matches!(big, Err(RecordError::NotFinite { .. })));
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
    fn apply_counts_replacements_of_existing_dates() {
        let mut plan = plan();
        plan.kpis[0].actuals.push(Actual {
            date: d("2026-01-31"),
            value: 1.3,
        });
        let text = "date,kpi,value\n2026-01-31,mrr,3\n2026-02-28,mrr,4\n2026-02-28,churn_rate,5\n";
        let rows = parse_csv(text, &plan).unwrap();
        let summary = apply(&mut plan, &rows);
        assert_eq!(
            summary,
            Summary {
                recorded: 3,
                replaced: 1
            }
        );
        // Of two actuals on one date, the last (the one metrics count) is
        // replaced, as `record` does.
        let values: Vec<f64> = plan.kpis[0].actuals.iter().map(|a| a.value).collect();
        assert_eq!(values, vec![1.1, 3.0, 4.0]);
        // Importing again replaces every value.
        let again = apply(&mut plan, &rows);
        assert_eq!(again.replaced, 3);
        assert_eq!(plan.kpis[0].actuals.len(), 3);
        assert_eq!(summary.text(), "3 values recorded (1 replaced)");
    }

    #[test]
    fn the_import_summary_says_one_value_in_the_singular() {
        use crate::i18n::{Lang, with_lang};
        let one = Summary {
            recorded: 1,
            replaced: 1,
        };
        let none = Summary::default();
        with_lang(Lang::En, || {
            assert_eq!(one.text(), "1 value recorded (1 replaced)");
            assert_eq!(none.text(), "0 values recorded (0 replaced)");
        });
        with_lang(Lang::Es, || {
            assert_eq!(one.text(), "1 valor registrado (sustituidos: 1)");
            assert_eq!(none.text(), "0 valores registrados (sustituidos: 0)");
        });
    }

    #[test]
    fn the_same_kpi_and_date_twice_is_an_error_naming_both_lines() {
        let text =
            "date,kpi,value\n2026-02-28,mrr,4\n2026-02-28,churn_rate,4\n\n\n2026-02-28, mrr ,5\n";
        let errors = parse_csv(text, &plan()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 6, "blank lines are counted");
        assert_eq!(
            errors[0].problem,
            ImportProblem::Duplicate {
                kpi: "mrr".into(),
                date: d("2026-02-28"),
                first: 2
            }
        );
        let message = errors[0].to_string();
        assert!(
            message.contains("line 2") && message.contains("mrr"),
            "{message}"
        );
    }

    #[test]
    fn a_large_import_is_linear_in_its_rows() {
        // 200,000 rows into two KPIs: with a scan of the KPI's actuals per
        // row (as before), this is 10^10 comparisons, minutes; linear, it
        // takes well under a second in release and a few in debug.
        let mut plan = plan();
        let mut text = String::from("date,kpi,value\n");
        let start: Date = d("2030-01-01");
        let n = 200_000;
        for i in 0..n {
            let date = start.0.checked_add(jiff::Span::new().days(i / 2)).unwrap();
            let kpi = if i % 2 == 0 { "mrr" } else { "churn_rate" };
            text.push_str(&format!("{date},{kpi},{i}\n"));
        }
        let mut calls = 0;
        let rows = parse_csv_with(&text, &plan, &mut |_| calls += 1).unwrap();
        assert_eq!(rows.len(), n as usize);
        assert_eq!(calls, n as u64 / PROGRESS_EVERY);
        let began = std::time::Instant::now();
        let summary = apply(&mut plan, &rows);
        assert_eq!(summary.recorded, n as usize);
        assert_eq!(plan.kpis[0].actuals.len(), 1 + n as usize / 2);
        assert!(
            began.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            began.elapsed()
        );
    }
}
