//! Screens that give the room to what matters: the guidance panel never
//! squeezes the content, the gap table keeps its columns by priority and its
//! KPI names readable, text fields show that there is more, the wizard keeps
//! rows for the step, and the weekly review shows each KPI's recent values.

mod common;

use common::*;

use ratatui::crossterm::event::KeyCode;
use rumbo::plan::Date;
use rumbo::store;
use rumbo::tui::theme::Theme;
use rumbo::tui::view::{CONTENT_MIN_ROWS, GuidePlace, guide_place};

/// The screen's rows without the quotes `TestBackend` puts around them.
fn rows(shown: &str) -> Vec<Vec<char>> {
    shown
        .lines()
        .map(|l| l.trim_matches('"').chars().collect())
        .collect()
}

/// The rows inside the step's frame (`┌ Step n · …` down to its `└`).
fn content_rows(shown: &str) -> usize {
    let rows = rows(shown);
    let (top, x) = rows
        .iter()
        .enumerate()
        .find_map(|(y, r)| {
            let s: String = r.iter().collect();
            let i = s.find("┌ Step ")?;
            Some((y, s[..i].chars().count()))
        })
        .unwrap_or_else(|| panic!("no step frame in\n{shown}"));
    let bottom = (top + 1..rows.len())
        .find(|&y| rows[y].get(x) == Some(&'└'))
        .unwrap_or_else(|| panic!("the step frame has no bottom in\n{shown}"));
    bottom - top - 1
}

#[test]
fn step_7_at_120x40_gives_the_gap_table_its_columns_and_whole_names() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '7');
    let shown = screen(&mut app, 120, 40);
    let header = line_with(&shown, "Status");
    // No side panel of prose next to the table.
    assert!(!header.contains("Guidance"), "{shown}");
    // The columns in order of priority down to the forecast.
    for col in ["KPI", "Owner", "Current", "Target", "Deadline", "Forecast"] {
        assert!(header.contains(col), "no {col} column in\n{shown}");
    }
    // Every KPI name keeps at least 24 columns: short names whole, long
    // ones cut no earlier than that.
    for kpi in &session(&app).plan().kpis {
        let keep: String = kpi.name.chars().take(24).collect();
        let keep = if kpi.name.chars().count() > 24 {
            keep.chars().take(23).collect::<String>()
        } else {
            keep
        };
        assert!(shown.contains(&keep), "{} is cut in\n{shown}", kpi.name);
    }
    assert!(shown.contains("Customer lifetime value "), "{shown}");
}

#[test]
fn the_gap_table_drops_the_least_important_columns_first_when_narrow() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '7');
    // 100 columns: the table is 66 wide.
    let shown = screen(&mut app, 100, 30);
    let header = line_with(&shown, "Status");
    for col in ["KPI", "Owner", "Current", "Target"] {
        assert!(header.contains(col), "no {col} column in\n{shown}");
    }
    // Lower in priority than those kept: gone.
    for col in ["Baseline", "Progress", "Gap "] {
        assert!(
            !header.contains(col),
            "{col} kept over the owner in\n{shown}"
        );
    }
    assert!(shown.contains("Monthly recurring revenue"), "{shown}");
}

#[test]
fn the_guidance_goes_beside_the_content_only_where_the_content_keeps_90_columns() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '7');
    // 160 columns: the content keeps 98 beside the panel.
    let wide = screen(&mut app, 160, 40);
    assert!(
        line_with(&wide, "┌ Step 7").contains("┌ Guidance"),
        "{wide}"
    );
    // 120 columns: the panel goes under the content, full width.
    let shown = screen(&mut app, 120, 40);
    assert!(
        !line_with(&shown, "┌ Step 7").contains("Guidance"),
        "{shown}"
    );
    assert!(shown.contains("┌ Guidance"), "{shown}");
    assert_eq!(
        guide_place(true, ratatui::layout::Rect::new(26, 1, 94, 38)),
        GuidePlace::Bottom
    );
    assert_eq!(
        guide_place(true, ratatui::layout::Rect::new(26, 1, 126, 38)),
        GuidePlace::Side
    );
}

#[test]
fn f3_folds_the_guidance_into_one_line_and_brings_it_back() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '7');
    press(&mut app, KeyCode::F(3));
    let shown = screen(&mut app, 120, 40);
    assert!(!shown.contains("┌ Guidance"), "{shown}");
    let line = line_with(&shown, "F3 shows the guidance in full");
    assert!(line.contains("Guidance: "), "{shown}");
    // The folded line gives the rows back to the content.
    press(&mut app, KeyCode::F(3));
    let back = screen(&mut app, 120, 40);
    assert!(back.contains("┌ Guidance"), "{back}");
    assert!(content_rows(&shown) > content_rows(&back));
}

#[test]
fn at_80x24_every_step_keeps_at_least_12_rows_and_short_screens_fold_the_guidance() {
    let (_dir, _path, mut app) = example_app();
    for _ in 0..10 {
        let shown = screen(&mut app, 80, 24);
        assert!(content_rows(&shown) >= CONTENT_MIN_ROWS as usize, "{shown}");
        // 80×20: no room for the panel; the guidance folds into its line.
        let short = screen(&mut app, 80, 20);
        assert!(content_rows(&short) >= CONTENT_MIN_ROWS as usize, "{short}");
        assert!(!short.contains("┌ Guidance"), "{short}");
        assert!(short.contains("Guidance: "), "{short}");
        ctrl(&mut app, 'n');
    }
    // The smallest screen drawn keeps the rows too.
    let smallest = screen(&mut app, 60, 16);
    assert!(
        content_rows(&smallest) >= CONTENT_MIN_ROWS as usize,
        "{smallest}"
    );
}

/// The persona's "who they are" made longer than its box.
fn long_persona_app() -> (tempfile::TempDir, std::path::PathBuf, rumbo::tui::App) {
    let (dir, path, mut app) = example_app();
    ctrl(&mut app, 'n');
    press(&mut app, KeyCode::Tab);
    (dir, path, app)
}

#[test]
fn a_focused_one_line_field_marks_the_text_beyond_its_edges() {
    let (_dir, _path, mut app) = long_persona_app();
    // "Who they are" is focused with its caret at the end: the start is
    // scrolled out of view on the left.
    let who = session(&app).plan().personas[0].demographics.who.clone();
    let shown = screen(&mut app, 120, 40);
    let row = line_with(&shown, "daily planning");
    assert!(
        row.contains('‹'),
        "no mark of the text on the left in\n{shown}"
    );
    // At its start, the mark moves to the right edge.
    press(&mut app, KeyCode::Home);
    let shown = screen(&mut app, 120, 40);
    // (The persona table above shows the same text, cut shorter.)
    let start: String = who.chars().take(42).collect();
    let row = line_with(&shown, &start);
    assert!(
        row.contains('›'),
        "no mark of the text on the right in\n{shown}"
    );
    assert!(!row.contains('‹'), "{shown}");
}

#[test]
fn a_focused_multi_line_field_shows_its_whole_text() {
    let (_dir, _path, mut app) = example_app();
    alt(&mut app, '3');
    let long: String = (1..=16)
        .map(|i| format!("Line {i} of what the product offers."))
        .collect::<Vec<_>>()
        .join("\n");
    session_mut(&mut app).file.plan.situation.performance = long;
    focus(&mut app, "f.performance");
    let shown = screen(&mut app, 120, 40);
    for i in 1..=16 {
        assert!(
            shown.contains(&format!("Line {i} of what")),
            "line {i} is hidden in\n{shown}"
        );
    }
    // Unfocused, it is cut with a mark that there is more.
    press(&mut app, KeyCode::Tab);
    let shown = screen(&mut app, 120, 40);
    assert!(!shown.contains("Line 16 of what"), "{shown}");
    assert!(
        shown.contains("Line 6 of what the product offers.…"),
        "{shown}"
    );
}

/// A Monday in December: November's figures are asked for.
fn review_day() -> Date {
    "2026-12-07".parse().unwrap()
}

#[test]
fn the_review_shows_the_kpis_recent_values_its_target_and_what_the_month_needs() {
    let (_dir, _path, mut app) = app_on(
        "example.toml",
        store::EXAMPLE,
        review_day(),
        Theme::new(false),
    );
    press(&mut app, KeyCode::F(7));
    let shown = screen(&mut app, 120, 40);
    // MRR: its ten values before November, as bars over month and value.
    assert!(shown.contains("The last 10 values"), "{shown}");
    let months = line_with(&shown, "2026-01  2026-02");
    assert!(months.contains("2026-10"), "{shown}");
    let values = line_with(&shown, "18650");
    assert!(values.contains("28180"), "{shown}");
    assert!(shown.contains('█'), "no bars in\n{shown}");
    assert!(shown.contains("Target: 30000 EUR by 2026-12-31"), "{shown}");
    // The metrics' needed per month as of October's end: a gap of 1820
    // over the two months left.
    let kpi = session(&app)
        .plan()
        .kpis
        .iter()
        .find(|k| k.id == "mrr")
        .unwrap()
        .clone();
    let m = rumbo::metrics::kpi_metrics(&kpi, "2026-10-31".parse().unwrap(), 1.0).unwrap();
    let per_month = m.required_per_month.unwrap();
    let needed = line_with(&shown, "To stay on track");
    assert!(
        needed.contains(&format!(
            "{} EUR a month",
            rumbo::tui::form::format_number((per_month * 10.0).round() / 10.0)
        )),
        "{needed}"
    );
    assert!(
        needed.contains(&format!(
            "{} EUR for 2026-11",
            rumbo::tui::form::format_number(((28180.0 + per_month) * 10.0).round() / 10.0)
        )),
        "{needed}"
    );
    // At 80×24 the latest values that fit, still with what the month needs.
    let small = screen(&mut app, 80, 24);
    assert!(line_with(&small, "28180  ").contains("28180"), "{small}");
    assert!(small.contains("To stay on track"), "{small}");
}
