//! The full-screen wizard: the event loop and terminal set-up.
//!
//! The terminal is always given back as it was: on quit, on error and on
//! panic (raw mode, the alternate screen and bracketed paste).

pub mod app;
pub mod catalogue_view;
pub mod form;
pub mod gapview;
pub mod help;
pub mod padre;
pub mod start;
pub mod steps;
pub mod text;
pub mod theme;
pub mod view;

use std::io::stdout;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
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
    if let Some((rev, d)) = &s.derived
        && *rev == s.revision
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
pub fn run(mut app: App) -> color_eyre::Result<Option<String>> {
    // Undo bracketed paste too if we panic (ratatui's hook restores the rest).
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableBracketedPaste);
        previous(info);
    }));
    let result = ratatui::run(|terminal| {
        execute!(stdout(), EnableBracketedPaste)?;
        let r = event_loop(&mut app, terminal);
        let _ = execute!(stdout(), DisableBracketedPaste);
        r
    });
    result?;
    Ok(app.exit_message.take())
}

fn event_loop(app: &mut App, terminal: &mut DefaultTerminal) -> color_eyre::Result<()> {
    loop {
        terminal.draw(|frame| app.draw(frame))?;
        // Wake up now and then to notice changes made to the file elsewhere.
        if !event::poll(std::time::Duration::from_millis(1000))? {
            app.tick();
            continue;
        }
        let event = event::read()?;
        app.handle(event);
        // Drain what is already queued before drawing again (fast typing, paste).
        while !app.should_quit && event::poll(std::time::Duration::ZERO)? {
            app.handle(event::read()?);
        }
        if app.should_quit {
            return Ok(());
        }
    }
}
