//! The full-screen wizard: the event loop and terminal set-up.
//!
//! The terminal is always given back as it was: on quit, on error and on
//! panic (raw mode, the alternate screen, bracketed paste and mouse capture).

pub mod app;
pub mod cache;
pub mod catalogue_view;
pub mod clipboard;
pub mod external;
pub mod form;
pub mod gapview;
pub mod help;
pub mod labels;
pub mod mouse;
pub mod padre;
pub mod review;
pub mod search;
pub mod start;
pub mod steps;
pub mod text;
pub mod theme;
pub mod undo;
pub mod view;

use std::io::stdout;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;

use crate::metrics::{self, StepCompleteness};
use crate::plan::Date;

pub use app::App;

/// Figures derived from the plan, cached until the next edit.
#[derive(Debug, Clone)]
pub struct Derived {
    pub steps: [StepCompleteness; 10],
}

/// The derived figures of a session, recomputed only after an edit.
pub fn derived(s: &mut app::Session, today: Date) -> Derived {
    // A big plan keeps the figures of its last check while the user types
    // (`Session::refresh_checks` renews them when typing pauses).
    if let Some((rev, d)) = &s.derived
        && (*rev == s.revision || s.big)
    {
        return d.clone();
    }
    let d = Derived {
        steps: metrics::completeness(&s.file.plan, today),
    };
    s.derived = Some((s.revision, d.clone()));
    d
}

/// Runs the wizard until the user quits; returns a message to print after.
///
/// Whatever ends the run — a quit, an error reading the terminal (it was
/// closed), SIGTERM, SIGHUP or a panic — unsaved edits go to the recovery
/// journal first, and the terminal is restored.
pub fn run(mut app: App) -> color_eyre::Result<Option<String>> {
    // Undo bracketed paste too if we panic (ratatui's hook restores the rest),
    // and write what the journal last held: never blocking, never the plan.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture);
        let _ = crate::store::journal::flush_pending();
        previous(info);
    }));
    watch_signals();
    let result = ratatui::run(|terminal| {
        execute!(stdout(), EnableBracketedPaste, EnableMouseCapture)?;
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            event_loop(&mut app, terminal)
        }));
        let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture);
        match r {
            Ok(r) => r,
            Err(panic) => {
                // The plan in memory is intact: keep its latest state.
                keep_unsaved(&mut app);
                std::panic::resume_unwind(panic)
            }
        }
    });
    if result.is_err() {
        keep_unsaved(&mut app);
    }
    result?;
    Ok(app.exit_message.take())
}

/// SIGTERM or SIGHUP (the terminal was closed): keep the unsaved edits in
/// the recovery journal, give the terminal back, and end. A thread does it,
/// because the main one may be blocked reading a terminal that is gone.
fn watch_signals() {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _ = crate::store::journal::flush_pending();
            let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture);
            ratatui::restore();
            std::process::exit(128 + signal);
        }
    });
}

/// Writes unsaved edits to the recovery journal (when there are any).
fn keep_unsaved(app: &mut App) {
    if let app::Screen::Plan(s) = &mut app.screen
        && s.dirty
        && s.write_journal().is_ok()
        && s.journal.is_some()
    {
        app.exit_message = Some(crate::i18n::t("msg.quit_journaled").to_string());
    }
}

/// A mouse that only moves (the terminal reports every move while the mouse
/// is captured): nothing to handle, nothing to draw again.
fn only_moves(event: &event::Event) -> bool {
    matches!(
        event,
        event::Event::Mouse(m) if matches!(m.kind, event::MouseEventKind::Moved)
    )
}

fn event_loop(app: &mut App, terminal: &mut DefaultTerminal) -> color_eyre::Result<()> {
    let mut redraw = true;
    loop {
        if redraw {
            terminal.draw(|frame| app.draw(frame))?;
        }
        redraw = true;
        // Wake up now and then to notice changes made to the file elsewhere,
        // and soon after typing stops when plan-wide checks wait for it.
        let wait = if app.idle_work() { 150 } else { 1000 };
        if !event::poll(std::time::Duration::from_millis(wait))? {
            if app.idle_work() {
                app.idle();
            } else {
                app.tick();
            }
            continue;
        }
        let event = event::read()?;
        let mut moves_only = only_moves(&event);
        app.handle(event);
        // Drain what is already queued before drawing again (fast typing,
        // paste), but not forever: a closed terminal is always "ready".
        for _ in 0..256 {
            if app.should_quit || !event::poll(std::time::Duration::ZERO)? {
                break;
            }
            let event = event::read()?;
            moves_only &= only_moves(&event);
            app.handle(event);
        }
        if moves_only {
            redraw = false;
            continue;
        }
        // A copy to the clipboard is an escape sequence for the terminal.
        if let Some(seq) = clipboard::take() {
            use std::io::Write;
            let mut out = stdout();
            let _ = out.write_all(seq.as_bytes());
            let _ = out.flush();
        }
        if app.should_quit {
            return Ok(());
        }
        // A field or the plan to edit in the user's editor: it gets the
        // terminal until it ends.
        if let app::Screen::Plan(s) = &mut app.screen
            && let Some(request) = s.editor.take()
        {
            let ran = with_terminal_released(terminal, || external::run_editor(request.path()))?;
            app.message = s.back_from_editor(*request, ran);
        }
    }
}

/// Gives the terminal back as it was before rumbo (main screen, cooked mode,
/// no mouse or paste reporting) while `f` runs — an editor — then takes it
/// again and redraws everything.
fn with_terminal_released<R>(
    terminal: &mut DefaultTerminal,
    f: impl FnOnce() -> R,
) -> std::io::Result<R> {
    use ratatui::crossterm::cursor::Show;
    use ratatui::crossterm::terminal::{
        EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
    };
    execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        Show
    )?;
    disable_raw_mode()?;
    let r = f();
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        EnableMouseCapture
    )?;
    terminal.clear()?;
    Ok(r)
}
