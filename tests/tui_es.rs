//! The wizard in Spanish, driven by keys and drawn into a `TestBackend`.
//!
//! Every test runs inside `i18n::with_lang`, which sets the language for its
//! own thread only: tests run in parallel and must not change each other's.

mod common;

use common::*;

use ratatui::crossterm::event::KeyCode;
use rumbo::i18n::{self, Lang};
use rumbo::store;
use rumbo::tui::App;
use rumbo::tui::app::Screen;

fn plan(app: &App) -> &rumbo::plan::Plan {
    match &app.screen {
        Screen::Plan(s) => s.plan(),
        Screen::Start(_) => panic!("no plan open"),
    }
}

#[test]
fn steps_in_spanish_at_100x30() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, _path, mut app) = example_app();
        insta::assert_snapshot!("es_step01_100x30", screen(&mut app, 100, 30));
        alt(&mut app, '5');
        insta::assert_snapshot!("es_step05_100x30", screen(&mut app, 100, 30));
        alt(&mut app, '7');
        insta::assert_snapshot!("es_step07_100x30", screen(&mut app, 100, 30));
    });
}

#[test]
fn the_padre_view_and_the_help_in_spanish() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, _path, mut app) = example_app();
        press(&mut app, KeyCode::F(4));
        insta::assert_snapshot!("es_padre", screen(&mut app, 100, 30));
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::F(1));
        let shown = screen(&mut app, 100, 30);
        assert!(shown.contains("Teclas"), "{shown}");
        assert!(shown.contains("F9"), "{shown}");
        assert!(shown.contains("in English"), "{shown}");
    });
}

#[test]
fn the_gap_table_shows_a_decimal_comma_and_spanish_statuses() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, _path, mut app) = example_app();
        alt(&mut app, '7');
        let shown = screen(&mut app, 160, 60);
        // mrr: thousands grouped with a dot, one decimal after a comma.
        let row = line_with(&shown, "Monthly recurring");
        assert!(row.contains("28.180") && row.contains("30.000"), "{row}");
        assert!(row.contains("30.484,4") && row.contains("en ruta"), "{row}");
        assert!(!shown.contains("on track"), "{shown}");
        assert!(
            ["en ruta", "en riesgo", "desviado", "vencido", "cumplido"]
                .iter()
                .any(|s| shown.contains(s)),
            "{shown}"
        );
    });
}

#[test]
fn f9_switches_the_language_while_the_plan_is_open() {
    i18n::with_lang(Lang::En, || {
        let (_dir, _path, mut app) = example_app();
        assert!(screen(&mut app, 100, 30).contains("Market research"));
        press(&mut app, KeyCode::F(9));
        assert_eq!(i18n::lang(), Lang::Es);
        let shown = screen(&mut app, 100, 30);
        assert!(shown.contains("Estudio de mercado"), "{shown}");
        assert!(shown.contains("Idioma: español"), "{shown}");
        press(&mut app, KeyCode::F(9));
        assert_eq!(i18n::lang(), Lang::En);
        assert!(screen(&mut app, 100, 30).contains("Market research"));
    });
}

#[test]
fn f9_works_on_the_start_screen_too() {
    i18n::with_lang(Lang::En, || {
        let dir = tempfile::tempdir().unwrap();
        let mut app = new_app(dir.path());
        assert!(screen(&mut app, 100, 30).contains("Your plans"));
        press(&mut app, KeyCode::F(9));
        let shown = screen(&mut app, 100, 30);
        assert!(shown.contains("Tus planes"), "{shown}");
    });
}

#[test]
fn number_fields_take_a_decimal_comma_and_show_one_in_spanish() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, _path, mut app) = example_app();
        alt(&mut app, '6');
        // The first KPI is mrr, with a growth rate of 0.04: shown as 4 %.
        focus(&mut app, "f.monthly_rate");
        let shown = screen(&mut app, 160, 60);
        let line = line_with(&shown, "Tasa de crecimiento mensual");
        assert!(line.contains(" 4 ") && line.contains('%'), "{line}");
        for _ in 0..6 {
            press(&mut app, KeyCode::Backspace);
        }
        app.type_text("1,5");
        assert_eq!(
            plan(&app).kpis[0].forecast,
            Some(rumbo::plan::Forecast::Growth {
                monthly_rate: 0.015
            })
        );
        // Thousands as Spanish writes them: the funnel's revenue goal.
        focus(&mut app, "f.revenue_goal");
        for _ in 0..12 {
            press(&mut app, KeyCode::Backspace);
        }
        app.type_text("1.250.000");
        let funnel = plan(&app).funnel.as_ref().unwrap();
        assert_eq!(funnel.revenue_goal, Some(1_250_000.0));
    });
}

#[test]
fn an_edit_in_spanish_saves_toml_numbers() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, path, mut app) = example_app();
        alt(&mut app, '6');
        focus(&mut app, "f.monthly_rate");
        for _ in 0..6 {
            press(&mut app, KeyCode::Backspace);
        }
        app.type_text("5 %");
        ctrl(&mut app, 's');
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("0.05"), "{text}");
        assert!(!text.contains("0,05"), "{text}");
    });
}

#[test]
fn the_kpi_catalogue_is_in_spanish() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, _path, mut app) = example_app();
        alt(&mut app, '5');
        focus(&mut app, "f.kpis");
        press(&mut app, KeyCode::Char('c'));
        app.type_text("cancelación");
        let shown = screen(&mut app, 120, 40);
        assert!(shown.contains("Catálogo de KPI"), "{shown}");
        assert!(shown.contains("Tasa de cancelación (churn)"), "{shown}");
        // The example already measures churn: Enter asks, a second adds.
        press(&mut app, KeyCode::Enter);
        assert!(screen(&mut app, 120, 40).contains("ya está en el plan"));
        press(&mut app, KeyCode::Enter);
        let added = plan(&app).kpis.last().unwrap();
        assert_eq!(added.name, "Tasa de cancelación (churn)");
    });
}

#[test]
fn date_fields_show_and_take_the_day_first_in_spanish() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, path, mut app) = example_app();
        // Step 1: the plan was last reviewed on 2026-11-02.
        focus(&mut app, "f.reviewed");
        let shown = screen(&mut app, 100, 30);
        assert!(
            line_with(&shown, "Última revisión").contains("02/11/2026"),
            "{shown}"
        );
        // The text offered for editing is the one shown.
        for _ in 0..10 {
            press(&mut app, KeyCode::Backspace);
        }
        let shown = screen(&mut app, 100, 30);
        assert!(
            line_with(&shown, "Última revisión").contains("dd/mm/aaaa"),
            "{shown}"
        );
        assert_eq!(plan(&app).plan.reviewed, None);
        app.type_text("5/1/2027");
        assert_eq!(
            plan(&app).plan.reviewed,
            Some("2027-01-05".parse().unwrap())
        );
        // A day that does not exist is refused and says what to type.
        for _ in 0..8 {
            press(&mut app, KeyCode::Backspace);
        }
        app.type_text("31/04/2027");
        let shown = screen(&mut app, 100, 30);
        assert!(shown.contains("dd/mm/aaaa"), "{shown}");
        assert_eq!(plan(&app).plan.reviewed, None);
        for _ in 0..10 {
            press(&mut app, KeyCode::Backspace);
        }
        app.type_text("2027-04-30");
        assert_eq!(
            plan(&app).plan.reviewed,
            Some("2027-04-30".parse().unwrap())
        );
        press(&mut app, KeyCode::Enter);
        let shown = screen(&mut app, 100, 30);
        assert!(
            line_with(&shown, "Última revisión").contains("30/04/2027"),
            "{shown}"
        );
        // The file keeps TOML's own date.
        ctrl(&mut app, 's');
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("reviewed = 2027-04-30"), "{text}");
        assert!(!text.contains("30/04/2027"), "{text}");
    });
}

#[test]
fn the_review_names_the_month_in_spanish() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, _path, mut app) = example_app();
        press(&mut app, KeyCode::F(7));
        let shown = screen(&mut app, 100, 30);
        assert!(shown.contains("15/11/2026"), "today in the title: {shown}");
        assert!(shown.contains("Cifras de octubre de 2026"), "{shown}");
        assert!(shown.contains("31/10/2026"), "the value's date: {shown}");
        assert!(!shown.contains("2026-1"), "no ISO date on screen: {shown}");
    });
}

#[test]
fn the_start_screen_shows_the_last_review_day_first() {
    i18n::with_lang(Lang::Es, || {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("example.toml"), store::EXAMPLE).unwrap();
        let mut app = new_app(dir.path());
        let shown = screen(&mut app, 120, 30);
        assert!(
            line_with(&shown, "example").contains("02/11/2026"),
            "{shown}"
        );
    });
}

#[test]
fn tables_and_the_gap_table_show_spanish_dates() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, _path, mut app) = example_app();
        alt(&mut app, '7');
        // Wide enough for the deadline column.
        let shown = screen(&mut app, 250, 60);
        let row = line_with(&shown, "Monthly recurring");
        assert!(row.contains("31/12/2026"), "the deadline: {row}");
        alt(&mut app, '9');
        let shown = screen(&mut app, 160, 60);
        assert!(!shown.contains("2026-1"), "no ISO date on screen: {shown}");
        assert!(shown.contains("/2026"), "{shown}");
    });
}
