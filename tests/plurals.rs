//! Counts are said with the word in the right number, in English and in
//! Spanish, wherever the TUI and the CLI print one: "1 sales rep needed" /
//! "1 comercial necesario", "1 error, 1 warning", "1 match", "1 problem".

mod common;

use common::*;
use ratatui::crossterm::event::KeyCode;
use rumbo::i18n::{self, Lang};
use rumbo::store;

/// The example plan with a funnel that needs exactly one sales rep.
fn one_rep_plan() -> String {
    let text = store::EXAMPLE.replace(
        "calls_per_rep_per_month = 300.0",
        "calls_per_rep_per_month = 1000000.0",
    );
    assert_ne!(text, store::EXAMPLE);
    text
}

/// The example plan with exactly one error (and the example's one warning).
fn one_error_plan() -> String {
    let text = store::EXAMPLE.replace(
        "calls_per_rep_per_month = 300.0",
        "calls_per_rep_per_month = -5.0",
    );
    assert_ne!(text, store::EXAMPLE);
    text
}

fn run(lang: &str, args: &[&str], plan: &std::path::Path) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = rumbo_on(dir.path(), TODAY)
        .env("RUMBO_LANG", lang)
        .args(args)
        .arg(plan)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn rumbo_gaps_says_one_sales_rep_in_both_languages() {
    let (_dir, path) = write_plan("one.toml", &one_rep_plan());
    let (out, _) = run("en", &["gaps"], &path);
    assert!(
        out.contains("Sales effort: 700 meetings, 4200 calls, 1 sales rep needed"),
        "{out}"
    );
    assert!(!out.contains("1 sales reps"), "{out}");
    let (out, _) = run("es", &["gaps"], &path);
    assert!(out.contains("1 comercial necesario"), "{out}");
    assert!(!out.contains("1 comerciales"), "{out}");
    // Many still read as many.
    let (_dir, path) = write_plan("example.toml", store::EXAMPLE);
    let (out, _) = run("en", &["gaps"], &path);
    assert!(out.contains("2 sales reps needed"), "{out}");
    assert!(out.contains("customers ← "), "{out}");
}

#[test]
fn rumbo_check_counts_one_error_and_one_warning_in_the_singular() {
    let (_dir, path) = write_plan("bad.toml", &one_error_plan());
    let (_, err) = run("en", &["check"], &path);
    assert!(err.contains(": 1 error, 1 warning"), "{err}");
    assert!(!err.contains("error(s)"), "{err}");
    let (_, err) = run("es", &["check"], &path);
    assert!(err.contains(": 1 error, 1 aviso"), "{err}");
    let (_dir, path) = write_plan("example.toml", &one_rep_plan());
    let (_, err) = run("en", &["check"], &path);
    assert!(err.contains(": 0 errors, 1 warning"), "{err}");
}

#[test]
fn the_funnel_step_says_one_sales_rep_in_both_languages() {
    for (lang, one, many) in [
        (Lang::En, "1 sales rep needed", "1 sales reps"),
        (Lang::Es, "1 comercial necesario", "1 comerciales"),
    ] {
        i18n::with_lang(lang, || {
            let (_dir, _path, mut app) = app_with("one.toml", &one_rep_plan());
            alt(&mut app, '6');
            // The funnel's results are at the foot of the step.
            let mut shown = String::new();
            for _ in 0..60 {
                shown = screen(&mut app, 120, 40);
                if shown.contains(one) {
                    break;
                }
                press(&mut app, KeyCode::Tab);
            }
            assert!(shown.contains(one), "{lang:?}\n{shown}");
            assert!(!shown.contains(many), "{shown}");
        });
    }
}

#[test]
fn the_wizard_counts_one_problem_and_one_error_in_the_singular() {
    i18n::with_lang(Lang::En, || {
        // One error when read: the opening message says so.
        let (_dir, _path, mut app) = app_with("bad.toml", &one_error_plan());
        let message = app.message.as_ref().unwrap().1.clone();
        assert!(
            message.starts_with("This plan has 1 problem: press") && message.ends_with("see it."),
            "{message}"
        );
        // The header counts the one error (and no warning: zero is plural).
        let shown = screen(&mut app, 120, 40);
        assert!(shown.contains("1 error, 0 warnings"), "{shown}");
    });
    i18n::with_lang(Lang::Es, || {
        let (_dir, _path, mut app) = app_with("bad.toml", &one_error_plan());
        let message = app.message.as_ref().unwrap().1.clone();
        assert!(
            message.starts_with("Este plan tiene 1 problema: pulsa") && message.ends_with("verlo."),
            "{message}"
        );
        let shown = screen(&mut app, 120, 40);
        assert!(shown.contains("1 error, 0 avisos"), "{shown}");
    });
}

#[test]
fn the_plan_search_says_one_match() {
    for (lang, one) in [(Lang::En, "1 match:"), (Lang::Es, "1 coincidencia:")] {
        i18n::with_lang(lang, || {
            let (_dir, _path, mut app) = example_app();
            ctrl(&mut app, 'f');
            app.type_text("Tramora Software SL");
            let shown = screen(&mut app, 120, 40);
            assert_eq!(session(&app).search.as_ref().unwrap().hits.len(), 1);
            assert!(shown.contains(one), "{lang:?}\n{shown}");
        });
    }
}
