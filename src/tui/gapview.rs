//! Step 7 as a read-only view: the KPI-gap table, worst first.

use ratatui::text::Line;

use crate::i18n::{t, tf};
use crate::metrics::{self, Status};
use crate::plan::{Date, Plan};
use crate::tui::form::format_number;
use crate::tui::text::{safe, truncate};
use crate::tui::theme::Theme;

fn num(v: Option<f64>) -> String {
    v.map_or_else(
        || "—".to_string(),
        |v| format_number((v * 10.0).round() / 10.0),
    )
}

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

/// The gap table as lines (one per KPI), with today's date in the heading.
pub fn gap_lines(
    plan: &Plan,
    theme: &Theme,
    today: Date,
    width: u16,
    out: &mut Vec<Line<'static>>,
) {
    // Fixed numeric columns; the KPI name gets what is left.
    let name_w = (width as usize).saturating_sub(63).max(8);
    out.push(Line::styled(
        tf("view.gaps_heading", &[("today", &today)]),
        theme.title(),
    ));
    let Ok(table) = metrics::gap_table(plan, today, None) else {
        return;
    };
    if table.rows.is_empty() {
        out.push(Line::styled(
            format!("  {}", t("view.nothing_yet")),
            theme.placeholder(),
        ));
        return;
    }
    out.push(Line::styled(
        format!(
            "  {:<name_w$} {:>8} {:>8} {:>8} {:>8} {:>8}  {}",
            truncate(t("col.kpi"), name_w),
            truncate(t("col.current"), 8),
            truncate(t("col.target"), 8),
            truncate(t("col.gap"), 8),
            truncate(t("col.progress"), 8),
            truncate(t("col.forecast"), 8),
            t("col.status")
        ),
        theme.label(),
    ));
    for row in &table.rows {
        let m = &row.metrics;
        let status = m.status;
        out.push(Line::styled(
            format!(
                "  {:<name_w$} {:>8} {:>8} {:>8} {:>8} {:>8}  {} {}",
                truncate(&safe(&row.name), name_w),
                num(Some(m.current)),
                num(Some(row.target)),
                num(Some(m.gap)),
                m.progress_pct
                    .map_or("—".to_string(), |p| format!("{} %", p.round())),
                num(m.forecast),
                status_symbol(status),
                t(&format!("status.{}", status.key())),
            ),
            status_style(theme, status),
        ));
    }
}
