//! `rumbo`: parse the command line, install the error hooks, hand over.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use rumbo::cli::say;

use rumbo::cli::{self, Cli, Command, Context};
use rumbo::i18n::{self, tf};
use rumbo::store::paths::{self, PlanRef};
use rumbo::tui::{self, App, theme};

fn main() -> ExitCode {
    survive_file_size_limit();
    i18n::init(cli::early_lang(std::env::args_os()));
    // clap's own messages quote the bad argument: shown made safe.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return cli::clap_error(&e),
    };
    i18n::init(cli::choose_lang(cli.lang.as_deref()));
    // These need no data directory (they run at install time).
    match &cli.command {
        Some(Command::Completions { shell }) => return cli::completions(*shell),
        Some(Command::Man) => return cli::man_page(),
        _ => {}
    }
    let ctx = match Context::from_cli(&cli) {
        Ok(ctx) => ctx,
        Err(e) => {
            say(&format!("rumbo: {e}"));
            return ExitCode::from(1);
        }
    };
    if let (Some(word), Some(_)) = (&cli.plan, &cli.command) {
        // `rumbo acme list`: a plan and a command at once is a slip.
        eprintln!("rumbo: {}", cli::neither_plan_nor_command(&ctx, word));
        return ExitCode::from(2);
    }
    match &cli.command {
        // `rumbo acme`: the plan, when there is one by that name or path.
        None if cli.plan.is_some() => {
            let word = cli.plan.as_deref().unwrap_or_default();
            match ctx.resolve(word) {
                Ok(plan) if plan.path().exists() => wizard(&ctx, Some(word), false),
                _ => {
                    eprintln!("rumbo: {}", cli::neither_plan_nor_command(&ctx, word));
                    ExitCode::from(2)
                }
            }
        }
        None => wizard(&ctx, None, false),
        Some(Command::Open { plan }) => wizard(&ctx, Some(plan), false),
        Some(Command::Review { plan }) => wizard(&ctx, Some(plan), true),
        Some(command) => cli::run(&ctx, command),
    }
}

/// Under a file size limit (`ulimit -f`), a write past it raises SIGXFSZ,
/// whose default action kills the process on the spot, with no word about
/// the plan. With the signal caught (by a handler that does nothing), the
/// write fails with `EFBIG` instead, and the usual error path says that the
/// plan was not changed.
fn survive_file_size_limit() {
    #[cfg(unix)]
    {
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, flag);
    }
}

/// Opens the wizard on the start screen, or on `plan` (in its weekly review
/// when `review`).
fn wizard(ctx: &Context, plan: Option<&str>, review: bool) -> ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("rumbo: {e}");
    }
    // Remembered choices (F3, F6, F9) come after explicit ones and before
    // what rumbo would guess.
    let prefs_path = rumbo::store::prefs::default_path();
    let prefs = prefs_path
        .as_deref()
        .map(rumbo::store::prefs::read)
        .unwrap_or_default();
    if !ctx.lang_explicit
        && let Some(lang) = prefs.lang.as_deref().and_then(i18n::Lang::from_tag)
    {
        i18n::init(lang);
    }
    let theme = theme::choose(
        ctx.theme,
        !ctx.color,
        |name| {
            std::env::var(name).ok().or_else(|| {
                (name == "RUMBO_THEME")
                    .then(|| prefs.theme.clone())
                    .flatten()
            })
        },
        || {
            let tty = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
            tty.then(theme::query_background).flatten()
        },
    );
    let mut app = App::new(ctx.data_dir.clone(), ctx.today, theme);
    app.prefs = prefs;
    app.prefs_path = prefs_path;
    app.journal =
        rumbo::store::journal::Journal::default_dir().map(rumbo::store::journal::Journal::new);
    // The user's keys; a bad config.toml means the defaults and a message.
    let (_, config) = rumbo::config::load_default();
    app.set_config(&config);
    if let Some(arg) = plan {
        let plan_ref = match ctx.resolve(arg) {
            Ok(r) => r,
            Err(e) => {
                say(&format!("rumbo: {e}"));
                return ExitCode::from(1);
            }
        };
        if !plan_ref.path().exists() {
            match &plan_ref {
                // Nothing to review in a plan that does not exist yet.
                PlanRef::Named(_, path) if review => {
                    say(&format!(
                        "rumbo: {}",
                        tf("cli.no_such_file", &[("path", &path.display())])
                    ));
                    return ExitCode::from(1);
                }
                PlanRef::Named(name, path) => {
                    if !ask_to_create(name, path) {
                        return ExitCode::from(1);
                    }
                    if let Err(e) = tui::app::create_plan(&ctx.data_dir, name, false, ctx.today) {
                        say(&format!("rumbo: {e}"));
                        return ExitCode::from(1);
                    }
                }
                PlanRef::Path(path) => {
                    say(&format!(
                        "rumbo: {}",
                        tf("cli.no_such_file", &[("path", &path.display())])
                    ));
                    return ExitCode::from(1);
                }
            }
        }
        if let Err(e) = app.open(plan_ref.path()) {
            eprint!("{}", rumbo::store::diag::visible_text(&e.to_string()));
            return ExitCode::from(2);
        }
        if review && let Some(s) = app.session_mut() {
            tui::review::start(s);
        }
    }
    if let Some(problem) = &app.keymap_problem {
        app.message = Some((true, problem.clone()));
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!("rumbo: {}", i18n::t("cli.needs_terminal"));
        return ExitCode::from(1);
    }
    match tui::run(app) {
        Ok(message) => {
            if let Some(m) = message {
                say(&m);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            say(&format!("rumbo: {e:?}"));
            ExitCode::from(1)
        }
    }
}

/// Asks on the terminal before creating a plan that `rumbo open` names.
fn ask_to_create(name: &str, path: &std::path::Path) -> bool {
    if !std::io::stdin().is_terminal() {
        say(&format!(
            "rumbo: {}",
            tf(
                "cli.create_needs_terminal",
                &[("path", &path.display()), ("name", &name)]
            )
        ));
        return false;
    }
    eprint!(
        "{}",
        rumbo::store::diag::visible(&tf(
            "cli.create_prompt",
            &[("name", &name), ("path", &path.display())]
        ))
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    let yes = matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "s" | "si" | "sí"
    );
    if !yes {
        eprintln!("{}", i18n::t("cli.not_created"));
    }
    let _ = paths::ensure_dir;
    yes
}
