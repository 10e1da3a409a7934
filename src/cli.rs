//! The command line: clap types and the subcommands that need no terminal UI.
//!
//! Thin by design: each subcommand resolves its arguments, calls `store` /
//! `metrics`, and prints. Errors a user can cause become one clear message on
//! stderr and an exit status from `shared/spec/cli.md`, never a panic.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::i18n::number::Use::Screen;
use crate::i18n::{self, t, tf};
use crate::plan::{Date, Severity};
use crate::store::{self, LoadError, paths};
use crate::tui::theme::ThemeKind;

/// rumbo — build a sales and marketing plan in ten steps, and keep it alive.
///
/// With no subcommand, opens the full-screen wizard.
#[derive(Debug, Parser)]
#[command(name = "rumbo", version, about, long_about = None)]
pub struct Cli {
    /// A plan to open (as `rumbo open PLAN` does, for a plan that exists)
    #[arg(value_name = "PLAN")]
    pub plan: Option<String>,

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

    /// Colour theme of the wizard (also RUMBO_THEME; default: from the
    /// terminal's background, else dark)
    #[arg(long, global = true, value_enum, value_name = "THEME")]
    pub theme: Option<ThemeKind>,

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
    /// Open the wizard on a plan's weekly review: this month's figures,
    /// lagging KPIs, actions due, goals that are not SMART
    Review {
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
    /// Check config.toml (the key map) and print the keys in force
    CheckConfig,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; view it with `rumbo man | man -l -`)
    Man,
}

#[derive(Debug, Subcommand)]
pub enum ActualsCommand {
    /// Record one actual value
    Add {
        plan: String,
        kpi: String,
        /// The value, written plainly in every language: 12500.75 or -3
        #[arg(allow_hyphen_values = true, value_parser = parse_value)]
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

/// VALUE of `actuals add`: plain (`12500.75`), finite and at most 10^15
/// either way; `-inf` is a value refused here, never taken for a flag.
fn parse_value(s: &str) -> Result<f64, String> {
    crate::i18n::number::parse_plain(s).map_err(|e| e.message(s))
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// Settings every subcommand shares.
pub struct Context {
    pub data_dir: PathBuf,
    pub today: Date,
    pub color: bool,
    /// `--theme`, when given (the wizard picks otherwise).
    pub theme: Option<ThemeKind>,
    /// `--lang` or `RUMBO_LANG` chose the language (else the wizard may use
    /// the language it remembers).
    pub lang_explicit: bool,
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
            theme: cli.theme,
            lang_explicit: cli.lang.is_some(),
        })
    }

    pub fn resolve(&self, plan: &str) -> Result<paths::PlanRef, String> {
        paths::resolve(plan, &self.data_dir)
    }
}

/// What `rumbo WORD` says when WORD is neither a plan that exists nor a
/// subcommand: the plans there are and the subcommands, so a typo of either
/// is easy to mend.
pub fn neither_plan_nor_command(ctx: &Context, word: &str) -> String {
    use clap::CommandFactory;
    let plans: Vec<String> = paths::list(&ctx.data_dir)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, _)| store::diag::visible(&name))
        .collect();
    let commands: Vec<String> = Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect();
    let plans = if plans.is_empty() {
        t("cli.no_plans_yet").to_string()
    } else {
        plans.join(", ")
    };
    tf(
        "cli.neither_plan_nor_command",
        &[
            ("word", &store::diag::visible(word)),
            ("plans", &plans),
            ("commands", &commands.join(", ")),
        ],
    )
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

/// The language `choose_lang` will pick, read from the raw arguments before
/// clap parses them, so that messages about bad arguments (a date that does
/// not exist) already come out in that language.
pub fn early_lang(args: impl IntoIterator<Item = std::ffi::OsString>) -> i18n::Lang {
    let mut args = args.into_iter().map(|a| a.to_string_lossy().into_owned());
    let mut explicit = None;
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        } else if arg == "--lang" {
            explicit = args.next();
        } else if let Some(v) = arg.strip_prefix("--lang=") {
            explicit = Some(v.to_string());
        }
    }
    let explicit = explicit.or_else(|| std::env::var("RUMBO_LANG").ok());
    choose_lang(explicit.as_deref())
}

/// Runs a non-interactive subcommand.
pub fn run(ctx: &Context, command: &Command) -> ExitCode {
    match command {
        Command::New { name, example } => new_plan(ctx, name, *example),
        Command::List => list(ctx),
        Command::Check { plan } => check(ctx, plan),
        Command::Gaps {
            plan,
            json,
            scenario,
            fail_on,
        } => gaps(ctx, plan, *json, scenario.as_deref(), fail_on),
        Command::Export {
            plan,
            format,
            output,
        } => export_plan(ctx, plan, *format, output.as_deref()),
        Command::Actuals(command) => actuals(ctx, command),
        Command::Open { .. } | Command::Review { .. } => ExitCode::SUCCESS,
        Command::Completions { shell } => completions(*shell),
        Command::Man => man_page(),
        Command::CheckConfig => check_config(ctx),
    }
}

/// `rumbo completions SHELL`: the completion script, from the clap types.
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    use clap::CommandFactory;
    // Generated into memory: the generators panic on a failed write (a
    // closed pipe), and writing ourselves lets that end quietly.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rumbo", &mut script);
    print_bytes(&script)
}

/// `rumbo man`: the manual page as roff, from the clap types.
pub fn man_page() -> ExitCode {
    use clap::CommandFactory;
    let man = clap_mangen::Man::new(Cli::command());
    let mut page = Vec::new();
    let rendered = (|| {
        man.render_title(&mut page)?;
        man.render_name_section(&mut page)?;
        man.render_synopsis_section(&mut page)?;
        man.render_description_section(&mut page)?;
        man.render_options_section(&mut page)?;
        man.render_subcommands_section(&mut page)?;
        page.extend_from_slice(man_extra_sections().as_bytes());
        man.render_version_section(&mut page)
    })();
    if let Err(e) = rendered {
        return fail(&e.to_string());
    }
    print_bytes(&page)
}

/// What clap does not know: the environment and the exit statuses.
fn man_extra_sections() -> String {
    let mut out = String::new();
    let mut section = |title: &str, items: &[(&str, &str)]| {
        out.push_str(&format!(".SH {}\n", roff_escape(t(title))));
        for (term, key) in items {
            out.push_str(&format!(
                ".TP\n\\fB{}\\fR\n{}\n",
                roff_escape(term),
                roff_escape(t(key))
            ));
        }
    };
    section(
        "man.environment",
        &[
            ("RUMBO_DATA_DIR", "man.env_data_dir"),
            ("RUMBO_TODAY", "man.env_today"),
            ("RUMBO_LANG, LC_ALL, LC_MESSAGES, LANG", "man.env_lang"),
            ("RUMBO_THEME", "man.env_theme"),
            ("COLORFGBG", "man.env_colorfgbg"),
            ("NO_COLOR", "man.env_no_color"),
            ("VISUAL, EDITOR", "man.env_editor"),
        ],
    );
    section(
        "man.exit_status",
        &[
            ("0", "man.exit_0"),
            ("1", "man.exit_1"),
            ("2", "man.exit_2"),
            ("3", "man.exit_3"),
        ],
    );
    out
}

/// Text made safe for roff: backslashes and hyphens escaped, and no line
/// that could be read as a request.
fn roff_escape(text: &str) -> String {
    text.replace('\\', "\\e")
        .replace('-', "\\-")
        .lines()
        .map(|l| {
            if l.starts_with('.') || l.starts_with('\'') {
                format!("\\&{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes to stdout; a reader that went away early (`| head`) is no error.
fn print_bytes(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => fail(&e.to_string()),
        _ => ExitCode::SUCCESS,
    }
}

fn fail(message: &str) -> ExitCode {
    say(&format!("rumbo: {message}"));
    ExitCode::from(1)
}

/// Prints a command-line error of clap (or `--help`, `--version`) and
/// gives its exit status. An error quotes the argument the user typed, so it
/// is printed without clap's colours and with every control, bidi and
/// zero-width character shown visibly (`rumbo check $'\e]0;x\a'` cannot set
/// the terminal's title).
pub fn clap_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // Help and version quote nothing the user typed: as clap prints them.
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let text = store::diag::visible_text(&e.render().to_string());
    if e.use_stderr() {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// Writes a message to stderr with every control, bidi and zero-width
/// character shown visibly: messages quote paths, names and arguments the
/// user typed, which must never reach the terminal raw.
pub fn say(message: &str) {
    eprintln!("{}", store::diag::visible_text(message));
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
    let file_name = match paths::check_name(name) {
        Ok(file_name) => file_name,
        Err(e) => return fail(&store::diag::visible(&e)),
    };
    let path = ctx.data_dir.join(format!("{file_name}.toml"));
    if path.exists() {
        return fail(&tf("cli.exists", &[("path", &path.display())]));
    }
    // The plan keeps the name as typed (`DentaFlow 2026`); its file, the slug.
    match store::create(&path, &new_plan_text(name.trim(), example, ctx.today)) {
        Ok(()) => {
            if file_name != name.trim() {
                eprintln!(
                    "{}",
                    tf(
                        "start.file_will_be",
                        &[("file", &format!("{file_name}.toml"))]
                    )
                );
            }
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
        say(&tf("cli.no_plans", &[("dir", &ctx.data_dir.display())]));
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
                    .map_or("-".to_string(), crate::i18n::date::format),
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
                .map(|s| store::diag::visible(s).width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let cell = store::diag::visible(cell);
            line.push_str(&cell);
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
            say(&format!("rumbo: {e}"));
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
            say(&tf(
                "cli.check_summary",
                &[
                    ("path", &path.display()),
                    ("errors", &counted("ui.errors", errors)),
                    ("warnings", &counted("ui.warnings", warnings)),
                ],
            ));
            if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

/// `rumbo check-config`: the problems of config.toml as FILE:LINE:COL, or
/// the keys in force. Exits 1 when it has errors (the wizard then uses the
/// default keys), 2 when there is no config directory.
fn check_config(ctx: &Context) -> ExitCode {
    use crate::keymap::Action;
    let Some(path) = crate::config::path() else {
        eprintln!("rumbo: {}", t("keymap.no_dir"));
        return ExitCode::from(2);
    };
    let config = crate::config::load(&path);
    let color = ctx.color && std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    for d in &config.problems {
        let _ = print_diagnostic(&mut out, d, color);
    }
    if config.has_errors() {
        let errors = config
            .problems
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        say(&i18n::tn(
            "keymap.check_summary",
            errors as u64,
            &[("path", &path.display()), ("errors", &errors)],
        ));
        return ExitCode::from(1);
    }
    let km = &config.keymap;
    let _ = if config.found {
        writeln!(
            out,
            "{}",
            tf(
                "keymap.check_ok",
                &[("path", &path.display()), ("preset", &km.preset_name())]
            )
        )
    } else {
        writeln!(
            out,
            "{}",
            tf("keymap.check_missing", &[("path", &path.display())])
        )
    };
    for action in Action::all() {
        let keys = km
            .all_labels(action)
            .unwrap_or_else(|| t("keymap.unbound").to_string());
        let _ = writeln!(out, "  {:<12} {keys}", action.name());
    }
    ExitCode::SUCCESS
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
    for line in d.snippet() {
        writeln!(out, "{line}")?;
    }
    if let Some(hint) = &d.hint {
        writeln!(out, "{}: {}", t("diag.hint"), store::diag::visible(hint))?;
    }
    Ok(())
}

/// Opens a plan for a read-only subcommand, printing why it cannot be read.
fn open_for_reading(ctx: &Context, plan: &str) -> Result<store::Loaded, ExitCode> {
    open_plan(ctx, plan, false)
}

fn open_plan(ctx: &Context, plan: &str, for_saving: bool) -> Result<store::Loaded, ExitCode> {
    let plan_ref = ctx.resolve(plan).map_err(|e| {
        say(&format!("rumbo: {e}"));
        ExitCode::from(2)
    })?;
    let opened = if for_saving {
        store::open(plan_ref.path())
    } else {
        store::open_to_read(plan_ref.path())
    };
    opened.map_err(|err| {
        let color = ctx.color && std::io::stderr().is_terminal();
        let _ = print_diagnostic(&mut std::io::stderr().lock(), err.diagnostic(), color);
        match err {
            LoadError::Shape(_) => ExitCode::from(1),
            _ => ExitCode::from(2),
        }
    })
}

fn gaps(
    ctx: &Context,
    plan: &str,
    json: bool,
    scenario: Option<&str>,
    fail_on: &[String],
) -> ExitCode {
    use crate::metrics::{self, Status};
    let mut failing = Vec::new();
    for name in fail_on.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match Status::from_key(name) {
            Some(status) => failing.push(status),
            None => {
                let allowed: Vec<&str> = Status::ALL.iter().map(|s| s.key()).collect();
                return fail(&tf(
                    "cli.bad_status",
                    &[("status", &name), ("allowed", &allowed.join(", "))],
                ));
            }
        }
    }
    let loaded = match open_for_reading(ctx, plan) {
        Ok(l) => l,
        Err(code) => return code,
    };
    // Figures of a plan with errors would be figures of the wrong plan:
    // the errors instead, located as `rumbo check` prints them, and 1.
    let errors = print_errors(ctx, &loaded.problems);
    if errors > 0 {
        say(&format!(
            "rumbo: {}",
            i18n::tn(
                "gaps.has_errors",
                errors as u64,
                &[("path", &loaded.file.path.display()), ("errors", &errors)]
            )
        ));
        return ExitCode::from(1);
    }
    let plan = &loaded.file.plan;
    let table = match metrics::gap_table(plan, ctx.today, scenario) {
        Ok(t) => t,
        Err(e) => {
            let known = metrics::scenario_names(plan).join(", ");
            return fail(&tf(
                "cli.unknown_scenario",
                &[("name", &e.name), ("known", &known)],
            ));
        }
    };
    let mut out = std::io::stdout().lock();
    if json {
        let text = metrics::gaps_json_pretty(plan, ctx.today, scenario)
            .expect("the scenario was checked above");
        let _ = writeln!(out, "{}", store::diag::json_safe(&text));
    } else {
        let color = ctx.color && std::io::stdout().is_terminal();
        let _ = write_gap_table(&mut out, plan, &table, ctx.today, color);
    }
    if table
        .rows
        .iter()
        .any(|r| failing.contains(&r.metrics.status))
    {
        return ExitCode::from(3);
    }
    ExitCode::SUCCESS
}

/// The located errors (severity error) of a plan, printed on stderr as
/// `rumbo check` prints them; how many there were.
fn print_errors(ctx: &Context, problems: &[store::Diagnostic]) -> usize {
    let color = ctx.color && std::io::stderr().is_terminal();
    let mut err = std::io::stderr().lock();
    let errors: Vec<&store::Diagnostic> = problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    for d in &errors {
        let _ = print_diagnostic(&mut err, d, color);
    }
    errors.len()
}

/// A number for a table cell: at most one decimal, `—` when undefined or
/// not finite (never `NaN` or `inf`).
fn cell(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => {
            let rounded = (v * 10.0).round() / 10.0;
            let v = if rounded.is_finite() { rounded } else { v };
            crate::i18n::number::format(v, 1, Screen)
        }
        _ => "—".to_string(),
    }
}

pub fn write_gap_table(
    out: &mut impl Write,
    plan: &crate::plan::Plan,
    table: &crate::metrics::GapTable,
    today: Date,
    color: bool,
) -> std::io::Result<()> {
    use crate::metrics::Status;
    writeln!(
        out,
        "{}",
        store::diag::visible(&tf(
            "gaps.heading",
            &[
                ("plan", &plan.plan.name),
                ("today", &crate::i18n::date::format(today)),
                ("scenario", &table.scenario)
            ]
        ))
    )?;
    let mut rows = vec![vec![
        t("gaps.kpi").to_string(),
        t("gaps.owner").to_string(),
        t("gaps.baseline").to_string(),
        t("gaps.current").to_string(),
        t("gaps.target").to_string(),
        t("gaps.deadline").to_string(),
        t("gaps.gap").to_string(),
        t("gaps.progress").to_string(),
        t("gaps.forecast").to_string(),
        t("gaps.required").to_string(),
        t("gaps.status").to_string(),
    ]];
    let mut statuses = vec![None];
    for r in &table.rows {
        let m = &r.metrics;
        rows.push(vec![
            r.id.clone(),
            if r.owner.is_empty() {
                "—".to_string()
            } else {
                r.owner.clone()
            },
            cell(Some(r.baseline)),
            cell(Some(m.current)),
            cell(Some(r.target)),
            crate::i18n::date::format(r.deadline),
            cell(Some(m.gap)),
            m.progress_pct
                .filter(|p| p.is_finite())
                .map_or("—".to_string(), |p| format!("{} %", p.round())),
            cell(m.forecast),
            cell(m.required_per_month),
            format!(
                "{} {}",
                crate::tui::gapview::status_symbol(m.status),
                t(&format!("status.{}", m.status.key()))
            ),
        ]);
        statuses.push(Some(m.status));
    }
    // KPIs whose baseline or target is not set: no figures, no status.
    for r in &table.not_set {
        let owner = plan.kpis.get(r.index).map_or("", |k| k.owner.as_str());
        let none = || "—".to_string();
        rows.push(vec![
            r.id.clone(),
            if owner.is_empty() {
                none()
            } else {
                owner.to_string()
            },
            cell(r.baseline),
            none(),
            cell(r.target),
            crate::i18n::date::format(r.deadline),
            none(),
            none(),
            none(),
            none(),
            format!(
                "{} {}",
                crate::tui::gapview::NOT_SET_SYMBOL,
                t("status.not_set")
            ),
        ]);
        statuses.push(Some(Status::NoForecast));
    }
    // Align, then colour whole lines by status when allowed.
    let mut buffer = Vec::new();
    write_columns_right(&mut buffer, &rows)?;
    let text = String::from_utf8_lossy(&buffer);
    for (line, status) in text.lines().zip(statuses) {
        let code = match status {
            Some(Status::Overdue | Status::OffTrack) => "31",
            Some(Status::AtRisk | Status::NoForecast) => "33",
            Some(Status::OnTrack | Status::Met) => "32",
            None => "1",
        };
        if color {
            writeln!(out, "\x1b[{code}m{line}\x1b[0m")?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    let s = &table.summary;
    let mut counts: Vec<String> = Status::ALL
        .iter()
        .filter(|st| s.count(**st) > 0)
        .map(|st| i18n::count(s.count(*st), t(&format!("status.{}", st.key()))))
        .collect();
    if !table.not_set.is_empty() {
        counts.push(i18n::count(table.not_set.len(), t("status.not_set")));
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        tf("gaps.summary", &[("counts", &counts.join(", "))])
    )?;
    writeln!(out)?;
    for line in funnel_lines(plan) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The funnel summary in a few lines (shared with the wizard's step 7).
pub fn funnel_lines(plan: &crate::plan::Plan) -> Vec<String> {
    use crate::metrics;
    let Some(funnel) = &plan.funnel else {
        return vec![t("gaps.no_funnel").to_string()];
    };
    let r = match metrics::reverse_funnel(funnel) {
        Ok(r) => r,
        Err(missing) => {
            let keys: Vec<String> = missing
                .problems
                .iter()
                .map(|p| format!("funnel.{}", p.input.key()))
                .collect();
            return vec![tf("gaps.funnel_incomplete", &[("keys", &keys.join(", "))])];
        }
    };
    // Counts as the language shows figures on screen (`416.750` in Spanish),
    // each with its word in the right number ("1 customer", "2 customers").
    let n =
        |key: &str, v: u64| i18n::tn(key, v, &[("n", &crate::i18n::number::integer(v, Screen))]);
    let mut lines = vec![
        tf(
            "gaps.funnel_totals",
            &[
                ("customers", &n("funnel.customers", r.customers)),
                ("sqls", &n("funnel.sqls", r.sqls)),
                ("mqls", &n("funnel.mqls", r.mqls)),
                ("leads", &n("funnel.leads", r.leads)),
                ("visits", &n("funnel.visits", r.visits)),
            ],
        ),
        tf(
            "gaps.funnel_month",
            &[
                ("customers", &n("funnel.customers", r.per_month.customers)),
                ("sqls", &n("funnel.sqls", r.per_month.sqls)),
                ("mqls", &n("funnel.mqls", r.per_month.mqls)),
                ("leads", &n("funnel.leads", r.per_month.leads)),
                ("visits", &n("funnel.visits", r.per_month.visits)),
            ],
        ),
    ];
    // A figure that cannot be computed shows as "—" with the plural word.
    let opt = |key: &str, v: Option<u64>| match v {
        Some(v) => n(key, v),
        None => i18n::tn(key, 0, &[("n", &"—")]),
    };
    if r.meetings.is_some() {
        lines.push(tf(
            "gaps.funnel_sales",
            &[
                ("meetings", &opt("funnel.meetings", r.meetings)),
                ("calls", &opt("funnel.calls", r.calls)),
                ("reps", &opt("funnel.reps", r.reps_needed)),
            ],
        ));
    }
    if let Some(sla) = &r.sla {
        let gap = |v: Option<i64>| match v {
            None => t("gaps.no_commitment").to_string(),
            Some(g) if g > 0 => tf(
                "gaps.short_by",
                &[("n", &crate::i18n::number::integer(g, Screen))],
            ),
            Some(g) => tf(
                "gaps.covered",
                &[("n", &crate::i18n::number::integer(-g, Screen))],
            ),
        };
        lines.push(tf(
            "gaps.funnel_sla",
            &[
                ("mql", &gap(sla.mql_gap_per_month)),
                ("sql", &gap(sla.sql_gap_per_month)),
            ],
        ));
        if let Some(h) = sla.follow_up_hours {
            lines.push(tf("gaps.follow_up", &[("hours", &h)]));
        }
    }
    lines
}

/// Like `write_columns`, but numbers (all but the first two and the last
/// column) are right-aligned.
fn write_columns_right(out: &mut impl Write, rows: &[Vec<String>]) -> std::io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| store::diag::visible(s).width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let cell = store::diag::visible(cell);
            let pad = " ".repeat(widths[c].saturating_sub(cell.width()));
            let numeric = c >= 2 && c + 1 < columns && c != 5;
            if numeric {
                line.push_str(&pad);
                line.push_str(&cell);
            } else {
                line.push_str(&cell);
                if c + 1 < row.len() {
                    line.push_str(&pad);
                }
            }
            if c + 1 < row.len() {
                line.push_str("  ");
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// `rumbo export` and `rumbo actuals`

impl From<ExportFormat> for crate::export::Format {
    fn from(f: ExportFormat) -> crate::export::Format {
        match f {
            ExportFormat::Markdown => crate::export::Format::Markdown,
            ExportFormat::Html => crate::export::Format::Html,
            ExportFormat::Json => crate::export::Format::Json,
            ExportFormat::Csv => crate::export::Format::Csv,
        }
    }
}

/// True when `a` and `b` name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn export_plan(ctx: &Context, plan: &str, format: ExportFormat, output: Option<&Path>) -> ExitCode {
    let loaded = match open_for_reading(ctx, plan) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if let Some(path) = output
        && same_file(path, &loaded.file.path)
    {
        return fail(&tf("export.same_as_plan", &[("path", &path.display())]));
    }
    // Text from the plan is made safe inside the exporters, whatever the
    // destination (see `export`): terminal, pipe or file get the same text.
    let text = match crate::export::export(&loaded.file.plan, ctx.today, format.into()) {
        Ok(text) => text,
        Err(e) => return fail(&e.to_string()),
    };
    // A plan with errors is still exported (a draft is worth sharing), and
    // marked as a draft; its errors go to stderr, located.
    let errors = print_errors(ctx, &loaded.problems);
    if errors > 0 {
        say(&format!(
            "rumbo: {}",
            crate::i18n::tn(
                "export.draft_note",
                errors as u64,
                &[("path", &loaded.file.path.display()), ("errors", &errors)]
            )
        ));
    }
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            ExitCode::SUCCESS
        }
        Some(path) => match write_output(path, text.as_bytes()) {
            Ok(Written::Handle) => ExitCode::SUCCESS,
            Ok(Written::Path) => {
                say(&tf("export.written", &[("path", &path.display())]));
                ExitCode::SUCCESS
            }
            Err(e) => fail(&tf(
                "export.write_failed",
                &[("path", &path.display()), ("error", &e)],
            )),
        },
    }
}

/// How [`write_output`] wrote.
#[derive(Debug, PartialEq, Eq)]
enum Written {
    /// To this process's own stdout or stderr (`-o /dev/stdout`).
    Handle,
    /// To the path: streamed into a pipe or device, or a file replaced.
    Path,
}

/// Writes an export to `-o PATH`, never harming what is there:
/// - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: this
///   process's own stream (a file the shell opened for appending is
///   appended to, not replaced; a pipe gets the bytes);
/// - a FIFO or a device: the bytes are streamed into it (it stays what it
///   is);
/// - a directory, or a file that is a rumbo plan: refused;
/// - any other file, or no file yet: replaced atomically.
fn write_output(path: &Path, bytes: &[u8]) -> Result<Written, String> {
    let write_to = |mut w: Box<dyn Write>| w.write_all(bytes).and_then(|()| w.flush());
    if let Some(fd) = own_fd(path) {
        let written = match fd {
            1 => write_to(Box::new(std::io::stdout().lock())),
            2 => write_to(Box::new(std::io::stderr().lock())),
            // Another descriptor of ours: appended to, never truncated.
            _ => std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .and_then(|f| write_to(Box::new(f))),
        };
        return match written {
            Ok(()) => Ok(if fd == 1 || fd == 2 {
                Written::Handle
            } else {
                Written::Path
            }),
            // The reader went away (`| head`): not worth a message.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Written::Handle),
            Err(e) => Err(e.to_string()),
        };
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(t("export.is_a_directory").to_string()),
        Ok(meta) if !meta.is_file() => {
            // A FIFO or a device: stream into it, no truncation, no rename.
            std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|f| write_to(Box::new(f)))
                .map(|()| Written::Path)
                .map_err(|e| e.to_string())
        }
        Ok(_) if store::load::looks_like_a_plan(path) => Err(t("export.is_a_plan").to_string()),
        _ => store::write_atomic(path, bytes)
            .map(|()| Written::Path)
            .map_err(|e| e.to_string()),
    }
}

/// The descriptor number when `path` names one of this process's own open
/// descriptors (`/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1`, …).
fn own_fd(path: &Path) -> Option<u32> {
    let s = path.to_str()?;
    match s {
        "/dev/stdin" => return Some(0),
        "/dev/stdout" => return Some(1),
        "/dev/stderr" => return Some(2),
        _ => {}
    }
    let n = s
        .strip_prefix("/dev/fd/")
        .or_else(|| s.strip_prefix("/proc/self/fd/"))
        .or_else(|| s.strip_prefix("/proc/thread-self/fd/"))
        .or_else(|| {
            let (pid, n) = s.strip_prefix("/proc/")?.split_once("/fd/")?;
            (pid.parse::<u32>().ok()? == std::process::id()).then_some(n)
        })?;
    n.parse().ok()
}

/// Opens a plan to change it: like `open_for_reading`, and a file that
/// cannot be read as a plan is never written, nor one made read-only. The
/// plan's write lock is held from here until the returned lock is dropped
/// (after the save), so no other writer can slip a change in between.
fn open_for_writing(
    ctx: &Context,
    plan: &str,
) -> Result<(store::PlanFile, store::lock::PlanLock), ExitCode> {
    let path = ctx.resolve(plan).map_err(|e| {
        eprintln!("rumbo: {e}");
        ExitCode::from(2)
    })?;
    let path = path.path();
    let not_saved = |error: std::io::Error| {
        fail(&tf(
            "store.save_failed",
            &[("path", &path.display()), ("error", &error)],
        ))
    };
    store::check_writable(path).map_err(|e| fail(&e.to_string()))?;
    let lock = store::lock::write_lock(path).map_err(not_saved)?;
    open_plan(ctx, plan, true).map(|loaded| (loaded.file, lock))
}

fn actuals(ctx: &Context, command: &ActualsCommand) -> ExitCode {
    match command {
        ActualsCommand::Add {
            plan,
            kpi,
            value,
            date,
        } => actuals_add(ctx, plan, kpi, *value, date.unwrap_or(ctx.today)),
        ActualsCommand::Import { plan, file } => actuals_import(ctx, plan, file),
    }
}

/// The unknown-KPI message, with "did you mean" or the list of KPIs.
fn unknown_kpi_message(plan: &crate::plan::Plan, err: &crate::actuals::RecordError) -> String {
    use crate::actuals::RecordError;
    let mut message = err.to_string();
    if let RecordError::UnknownKpi {
        suggestion: None, ..
    } = err
    {
        let ids: Vec<&str> = plan.kpis.iter().map(|k| k.id.as_str()).collect();
        message.push_str("; ");
        if ids.is_empty() {
            message.push_str(t("actuals.no_kpis"));
        } else {
            message.push_str(&tf("actuals.known", &[("ids", &ids.join(", "))]));
        }
    }
    message
}

fn actuals_add(ctx: &Context, plan: &str, kpi: &str, value: f64, date: Date) -> ExitCode {
    use crate::actuals::{self, Change, NewActual};
    let (mut file, _lock) = match open_for_writing(ctx, plan) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let change = match actuals::record(&mut file.plan, NewActual { kpi, date, value }) {
        Ok(change) => change,
        Err(e) => return fail(&unknown_kpi_message(&file.plan, &e)),
    };
    if let Err(e) = file.save() {
        return fail(&e.to_string());
    }
    let kpi = kpi.trim();
    let message = match change {
        Change::Added => tf(
            "actuals.added",
            &[("kpi", &kpi), ("value", &value), ("date", &date)],
        ),
        Change::Replaced { old } => tf(
            "actuals.replaced",
            &[
                ("kpi", &kpi),
                ("value", &value),
                ("date", &date),
                ("old", &old),
            ],
        ),
    };
    say(&message);
    ExitCode::SUCCESS
}

fn actuals_import(ctx: &Context, plan: &str, csv_path: &Path) -> ExitCode {
    use crate::actuals;
    let (mut file, _lock) = match open_for_writing(ctx, plan) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let text = match read_regular(csv_path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                return fail(&tf(
                    "actuals.cannot_read",
                    &[
                        ("path", &csv_path.display()),
                        ("error", &t("actuals.csv_not_utf8")),
                    ],
                ));
            }
        },
        Err(e) => {
            return fail(&tf(
                "actuals.cannot_read",
                &[("path", &csv_path.display()), ("error", &e)],
            ));
        }
    };
    let mut progress = Progress::new();
    let parsed = actuals::parse_csv_with(&text, &file.plan, &mut |n| {
        progress.show(|| {
            let shown = crate::i18n::number::integer(n, Screen);
            i18n::tn("actuals.progress", n, &[("n", &shown)])
        });
    });
    progress.clear();
    let rows = match parsed {
        Ok(rows) => rows,
        Err(errors) => {
            let color = ctx.color && std::io::stderr().is_terminal();
            let mut err = std::io::stderr().lock();
            for e in &errors {
                let place = if e.line == 0 {
                    csv_path.display().to_string()
                } else {
                    format!("{}:{}", csv_path.display(), e.line)
                };
                let line = store::diag::visible(&format!("{place}: {}: {e}", t("diag.error")));
                let _ = if color {
                    writeln!(err, "\x1b[1;31m{line}\x1b[0m")
                } else {
                    writeln!(err, "{line}")
                };
            }
            let _ = writeln!(
                err,
                "rumbo: {}",
                store::diag::visible(&tf(
                    "actuals.nothing_written",
                    &[("path", &file.path.display())]
                ))
            );
            return ExitCode::from(1);
        }
    };
    let summary = actuals::apply(&mut file.plan, &rows);
    if rows.len() as u64 >= actuals::PROGRESS_EVERY {
        let count = rows.len() as u64;
        let n = crate::i18n::number::integer(count, Screen);
        progress.show_now(&i18n::tn("actuals.saving", count, &[("n", &n)]));
    }
    let saved = file.save();
    progress.clear();
    if let Err(e) = saved {
        return fail(&e.to_string());
    }
    eprintln!("{}", summary.text());
    ExitCode::SUCCESS
}

/// Reads a whole file named on the command line, refusing at once what is
/// not a regular file (a FIFO would hang, a device never end).
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    store::load::open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A progress line on stderr, only when stderr is a terminal (never in a
/// pipe or a log): rewritten in place with `\r` at most ten times a second,
/// and wiped by [`Progress::clear`].
struct Progress {
    on: bool,
    last: Option<std::time::Instant>,
    width: usize,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            on: std::io::stderr().is_terminal(),
            last: None,
            width: 0,
        }
    }

    /// Shows `text()` if the last line is a tenth of a second old.
    fn show(&mut self, text: impl FnOnce() -> String) {
        let due = self
            .last
            .is_none_or(|t| t.elapsed() >= std::time::Duration::from_millis(100));
        if self.on && due {
            self.show_now(&text());
        }
    }

    fn show_now(&mut self, text: &str) {
        if !self.on {
            return;
        }
        use unicode_width::UnicodeWidthStr;
        let text = store::diag::visible(text);
        let pad = " ".repeat(self.width.saturating_sub(text.width()));
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{text}{pad}").and_then(|()| err.flush());
        self.width = text.width();
        self.last = Some(std::time::Instant::now());
    }

    /// Wipes the line, so what follows starts on a clean one.
    fn clear(&mut self) {
        if self.on && self.width > 0 {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{}\r", " ".repeat(self.width)).and_then(|()| err.flush());
            self.width = 0;
        }
    }
}

/// "1 error", "3 warnings": a count with its word in the right number, from
/// a plural locale key (`i18n::tn`).
fn counted(key: &str, n: usize) -> String {
    i18n::tn(key, n as u64, &[("n", &n)])
}
