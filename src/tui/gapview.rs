//! How a KPI status looks: its colour and its symbol (the symbol keeps it
//! readable without colour).

use crate::metrics::Status;
use crate::tui::theme::Theme;

pub fn status_style(theme: &Theme, status: Status) -> ratatui::style::Style {
    match status {
        Status::Overdue | Status::OffTrack => theme.error(),
        Status::AtRisk | Status::NoForecast => theme.warning(),
        Status::OnTrack | Status::Met => theme.ok(),
    }
}

pub fn status_symbol(status: Status) -> &'static str {
    match status {
        Status::Overdue => "‼",
        Status::OffTrack => "✗",
        Status::AtRisk => "!",
        Status::NoForecast => "?",
        Status::OnTrack => "→",
        Status::Met => "✓",
    }
}

/// The symbol of a KPI whose baseline or target is not set: it has no
/// status ("target not set").
pub const NOT_SET_SYMBOL: &str = "·";
