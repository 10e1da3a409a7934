//! The command line: clap types and the subcommands that need no terminal UI.
//!
//! Thin by design: each subcommand resolves its arguments, calls `store` /
//! `metrics`, and prints. Errors a user can cause become one clear message on
//! stderr and an exit status from `shared/spec/cli.md`, never a panic.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::i18n::{self, t, tf};
use crate::plan::{Date, Severity};
use crate::store::{self, LoadError, paths};

/// rumbo — build a sales and marketing plan in ten steps, and keep it alive.
///
/// With no subcommand, opens the full-screen wizard.
#[derive(Debug, Parser)]
#[command(name = "rumbo", version, about, long_about = None)]
pub struct Cli {
    /// Directory that holds the plans (default: the platform data directory)
    #[arg(long, global = true, env = "RUMBO_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// The date to compute gaps and forecasts for (default: today)
    #[arg(long, global = true, env = "RUMBO_TODAY", value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,

    /// Language of the interface: en or es (default: from LANG)
    #[arg(long, global = true, env = "RUMBO_LANG", value_name = "LANG")]
    pub lang: Option<String>,

    /// Do not use colours (also honoured: the NO_COLOR variable)
    #[arg(long, global = true)]
    pub no_color: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the wizard on a plan (a name in the data directory, or a path)
    Open {
        /// Plan name or path to a .toml file
        plan: String,
    },
    /// Create a plan and print its path
    New {
        /// Name of the new plan (lowercase letters, digits, - and _)
        name: String,
        /// Start from a copy of the bundled example plan
        #[arg(long)]
        example: bool,
    },
    /// List the plans in the data directory
    List,
    /// Validate a plan and print every problem as FILE:LINE:COL
    Check {
        /// Plan name or path to a .toml file
        plan: String,
    },
    /// Show the KPI-gap table and the funnel
    Gaps {
        /// Plan name or path to a .toml file
        plan: String,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Forecast scenario to use (default: base)
        #[arg(long, value_name = "NAME")]
        scenario: Option<String>,
        /// Exit with status 3 when any KPI has one of these statuses
        #[arg(long, value_name = "STATUS[,STATUS]", value_delimiter = ',')]
        fail_on: Vec<String>,
    },
    /// Export the plan as documents or data
    Export {
        /// Plan name or path to a .toml file
        plan: String,
        /// Output format
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file instead of standard output
        #[arg(short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Record actual KPI values
    #[command(subcommand)]
    Actuals(ActualsCommand),
}

#[derive(Debug, Subcommand)]
pub enum ActualsCommand {
    /// Record one actual value
    Add {
        plan: String,
        kpi: String,
        value: f64,
        /// Date of the value (default: today)
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
    },
    /// Record many values from a CSV file with the header date,kpi,value
    Import { plan: String, file: PathBuf },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Html,
    Json,
    Csv,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// Settings every subcommand shares.
pub struct Context {
    pub data_dir: PathBuf,
    pub today: Date,
    pub color: bool,
}

impl Context {
    pub fn from_cli(cli: &Cli) -> Result<Context, String> {
        let data_dir = paths::data_dir(cli.data_dir.as_deref())?;
        let today = cli.today.unwrap_or_else(local_today);
        let color = !cli.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Ok(Context {
            data_dir,
            today,
            color,
        })
    }

    pub fn resolve(&self, plan: &str) -> Result<paths::PlanRef, String> {
        paths::resolve(plan, &self.data_dir)
    }
}

/// Today's local date, from the clock.
pub fn local_today() -> Date {
    Date(jiff::Zoned::now().date())
}

/// Picks the interface language: `--lang`/`RUMBO_LANG`, else `LANG`, else English.
pub fn choose_lang(explicit: Option<&str>) -> i18n::Lang {
    explicit
        .and_then(i18n::Lang::from_tag)
        .or_else(|| {
            ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|v| std::env::var(v).ok())
                .find(|v| !v.is_empty())
                .and_then(|v| i18n::Lang::from_tag(&v))
        })
        .unwrap_or(i18n::Lang::En)
}

/// Runs a non-interactive subcommand.
pub fn run(ctx: &Context, command: &Command) -> ExitCode {
    match command {
        Command::New { name, example } => new_plan(ctx, name, *example),
        Command::List => list(ctx),
        Command::Check { plan } => check(ctx, plan),
        Command::Gaps { .. } => not_yet("gaps"),
        Command::Export { .. } => not_yet("export"),
        Command::Actuals(_) => not_yet("actuals"),
        Command::Open { .. } => ExitCode::SUCCESS,
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("rumbo: {message}");
    ExitCode::from(1)
}

fn not_yet(name: &str) -> ExitCode {
    eprintln!("rumbo: {}", tf("cli.not_yet", &[("command", &name)]));
    ExitCode::from(1)
}

/// The text of a new plan: empty, or the bundled example.
pub fn new_plan_text(name: &str, example: bool, today: Date) -> String {
    if example {
        store::EXAMPLE.to_string()
    } else {
        store::new_plan_text(name, Some(today))
    }
}

fn new_plan(ctx: &Context, name: &str, example: bool) -> ExitCode {
    let name = match paths::check_name(name) {
        Ok(name) => name,
        Err(e) => return fail(&e),
    };
    let path = ctx.data_dir.join(format!("{name}.toml"));
    if path.exists() {
        return fail(&tf("cli.exists", &[("path", &path.display())]));
    }
    match store::create(&path, &new_plan_text(&name, example, ctx.today)) {
        Ok(()) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn list(ctx: &Context) -> ExitCode {
    let plans = match paths::list(&ctx.data_dir) {
        Ok(plans) => plans,
        Err(e) => {
            return fail(&tf(
                "cli.cannot_list",
                &[("dir", &ctx.data_dir.display()), ("error", &e)],
            ));
        }
    };
    if plans.is_empty() {
        eprintln!(
            "{}",
            tf("cli.no_plans", &[("dir", &ctx.data_dir.display())])
        );
        return ExitCode::SUCCESS;
    }
    let mut rows = vec![vec![
        t("cli.col_name").to_string(),
        t("cli.col_stage").to_string(),
        t("cli.col_reviewed").to_string(),
        t("cli.col_complete").to_string(),
        t("cli.col_kpis").to_string(),
    ]];
    for (name, path) in plans {
        rows.push(list_row(ctx, &name, &path));
    }
    let mut out = std::io::stdout().lock();
    let _ = write_columns(&mut out, &rows);
    ExitCode::SUCCESS
}

fn list_row(ctx: &Context, name: &str, path: &Path) -> Vec<String> {
    match store::open(path) {
        Ok(loaded) => {
            let plan = &loaded.file.plan;
            let summary = crate::summary::PlanSummary::of(plan, ctx.today);
            vec![
                name.to_string(),
                plan.plan.stage.map_or("-".to_string(), |s| {
                    t(&format!("stage.{}", s.key())).to_string()
                }),
                plan.plan
                    .reviewed
                    .map_or("-".to_string(), |d| d.to_string()),
                summary.completeness_text(),
                summary.status_text(),
            ]
        }
        Err(_) => vec![
            name.to_string(),
            t("cli.unreadable").to_string(),
            String::new(),
            String::new(),
            String::new(),
        ],
    }
}

/// Writes rows as left-aligned columns.
fn write_columns(out: &mut impl Write, rows: &[Vec<String>]) -> std::io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            line.push_str(&store::diag::visible(cell));
            if c + 1 < row.len() {
                line.push_str(&" ".repeat(widths[c] - cell.width() + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn check(ctx: &Context, plan: &str) -> ExitCode {
    let plan_ref = match ctx.resolve(plan) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("rumbo: {e}");
            return ExitCode::from(2);
        }
    };
    let path = plan_ref.path();
    let color = ctx.color && std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    match store::open(path) {
        Err(err) => {
            let _ = print_diagnostic(&mut out, err.diagnostic(), color);
            match err {
                LoadError::Shape(_) => ExitCode::from(1),
                _ => ExitCode::from(2),
            }
        }
        Ok(loaded) => {
            let mut diagnostics = loaded.problems;
            diagnostics.extend(crate::summary::advice(&loaded.file, ctx.today));
            diagnostics.sort_by_key(|d| (d.line, d.col));
            for d in &diagnostics {
                let _ = print_diagnostic(&mut out, d, color);
            }
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let warnings = diagnostics.len() - errors;
            eprintln!(
                "{}",
                tf(
                    "cli.check_summary",
                    &[
                        ("path", &path.display()),
                        ("errors", &errors),
                        ("warnings", &warnings)
                    ]
                )
            );
            if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn print_diagnostic(
    out: &mut impl Write,
    d: &store::Diagnostic,
    color: bool,
) -> std::io::Result<()> {
    let headline = store::diag::visible(&d.headline());
    if color {
        let code = match d.severity {
            Severity::Error => "31",
            Severity::Warning => "33",
        };
        writeln!(out, "\x1b[1;{code}m{headline}\x1b[0m")?;
    } else {
        writeln!(out, "{headline}")?;
    }
    if let Some(hint) = &d.hint {
        writeln!(out, "  {}: {}", t("diag.hint"), store::diag::visible(hint))?;
    }
    Ok(())
}
