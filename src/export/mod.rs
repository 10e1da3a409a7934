//! Exports of a plan: the marketing plan and the sales plan as documents
//! (Markdown, printable HTML), the whole plan with its derived figures
//! (JSON), and the KPI-gap table (CSV).
//!
//! Pure: a plan and a date in, text out; `cli` (and the TUI) decide where
//! the text goes. The document content is built once as a format-neutral
//! tree ([`document`]) and rendered by two minijinja templates embedded from
//! `assets/templates/`; the HTML template is auto-escaped, the Markdown one
//! escapes plan text with the `md` / `md_text` filters ([`markdown`]).
//!
//! Two rules hold for every format, whatever the destination:
//! - no control character (but newline and tab), DEL, C1, bidi override or
//!   zero-width character from the plan is written raw: Markdown, HTML and
//!   CSV show it as a visible symbol (`store::diag::visible_text`), JSON
//!   escapes it (`\u202e`, `store::diag::json_safe`) and keeps the text;
//! - a plan with errors (problems of severity error) is exported as a
//!   *draft*: the documents open with "Draft — N open problems" and their
//!   list, the JSON has `"draft": true` and `"problems"`; the CSV table
//!   has no room for it (the command lists them on stderr).

pub mod csv_table;
pub mod document;
pub mod fmt;
pub mod json;
pub mod markdown;
pub mod svg;
pub mod widths;

use minijinja::{Environment, UndefinedBehavior, context};

use serde::Serialize;

use crate::i18n::{self, tf};
use crate::plan::{Date, Plan, Severity};
use crate::store::diag::{json_safe, visible_text};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Html,
    Json,
    Csv,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Markdown, Format::Html, Format::Json, Format::Csv];

    /// The usual file extension (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// Why an export failed: a bug in a template or an encoder, never something
/// in the plan; the message says which.
#[derive(Debug)]
pub struct ExportError {
    pub format: Format,
    pub detail: String,
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}",
            tf(
                "export.failed",
                &[
                    ("format", &self.format.extension()),
                    ("error", &self.detail)
                ]
            )
        )
    }
}

impl std::error::Error for ExportError {}

/// An error the plan still has, as a draft export lists it: where (the key
/// path, as the file spells it: `kpis[2].baseline`) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenProblem {
    pub path: String,
    pub message: String,
}

impl OpenProblem {
    /// `kpis[2].baseline: the baseline is missing`.
    pub fn text(&self) -> String {
        tf(
            "export.draft_item",
            &[("path", &self.path), ("message", &self.message)],
        )
    }
}

/// The errors of `plan` (warnings are not open problems): when there are
/// any, an export is a draft.
pub fn open_problems(plan: &Plan) -> Vec<OpenProblem> {
    crate::plan::validate(plan)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| OpenProblem {
            path: p.path_text(),
            message: p.message,
        })
        .collect()
}

/// What the documents say at the top of a draft.
#[derive(Debug, Serialize)]
struct Draft {
    heading: String,
    problems: Vec<String>,
}

fn draft(plan: &Plan) -> Option<Draft> {
    let problems = open_problems(plan);
    if problems.is_empty() {
        return None;
    }
    let heading = i18n::tn("export.draft", problems.len() as u64, &[]);
    Some(Draft {
        heading,
        problems: problems.iter().map(OpenProblem::text).collect(),
    })
}

const MARKDOWN_TEMPLATE: &str = include_str!("../../assets/templates/plan.md.j2");
const HTML_TEMPLATE: &str = include_str!("../../assets/templates/plan.html.j2");

/// The template environment: both templates, the escaping filters, strict
/// about undefined values so a typo in a template fails the tests.
fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Auto-escaping follows the name: HTML for `.html.j2`, none for `.md.j2`.
    env.set_auto_escape_callback(minijinja::default_auto_escape_callback);
    env.add_filter("md", |s: String| markdown::md_inline(&s));
    env.add_filter("md_text", |s: String| markdown::md_block(&s));
    env.add_filter("paragraphs", |s: String| markdown::paragraphs(&s));
    env.add_filter("colon", |s: String| markdown::with_colon(&s));
    env.add_template("plan.md.j2", MARKDOWN_TEMPLATE)?;
    env.add_template("plan.html.j2", HTML_TEMPLATE)?;
    Ok(env)
}

fn render(template: &str, plan: &Plan, today: Date, format: Format) -> Result<String, ExportError> {
    let fail = |e: minijinja::Error| ExportError {
        format,
        detail: format!("{e:#}"),
    };
    let env = environment().map_err(fail)?;
    let documents = document::documents(plan, today);
    let title = documents
        .iter()
        .map(|d| d.title.as_str())
        .collect::<Vec<_>>()
        .join(" · ");
    let lang = match i18n::lang() {
        i18n::Lang::En => "en",
        i18n::Lang::Es => "es",
    };
    env.get_template(template)
        .and_then(|tpl| {
            tpl.render(context! {
                documents => documents,
                title => title,
                lang => lang,
                draft => draft(plan),
            })
        })
        .map_err(fail)
}

/// The Markdown documents: the marketing plan, then the sales plan.
pub fn markdown(plan: &Plan, today: Date) -> Result<String, ExportError> {
    let text = render("plan.md.j2", plan, today, Format::Markdown)?;
    Ok(visible_text(&markdown::tidy(&text)))
}

/// The same documents as one self-contained, printable HTML page.
pub fn html(plan: &Plan, today: Date) -> Result<String, ExportError> {
    let text = render("plan.html.j2", plan, today, Format::Html)?;
    // Drop the blank lines the template's control lines leave behind.
    let mut out: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    Ok(visible_text(&out))
}

/// The whole plan and its derived figures as pretty JSON (see [`json`]).
pub fn json(plan: &Plan, today: Date) -> Result<String, ExportError> {
    let export = json::build(plan, today);
    let mut text = serde_json::to_string_pretty(&export).map_err(|e| ExportError {
        format: Format::Json,
        detail: e.to_string(),
    })?;
    text.push('\n');
    Ok(json_safe(&text))
}

/// The KPI-gap table as CSV (see [`csv_table`]).
pub fn csv(plan: &Plan, today: Date) -> Result<String, ExportError> {
    csv_table::render(plan, today)
        .map(|text| visible_text(&text))
        .map_err(|e| ExportError {
            format: Format::Csv,
            detail: e.to_string(),
        })
}

/// The plan as of `today` in `format`.
pub fn export(plan: &Plan, today: Date, format: Format) -> Result<String, ExportError> {
    match format {
        Format::Markdown => markdown(plan, today),
        Format::Html => html(plan, today),
        Format::Json => json(plan, today),
        Format::Csv => csv(plan, today),
    }
}
