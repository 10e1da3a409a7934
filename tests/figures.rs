//! Figures read as people type them (issue 11, cases 7, 8 and 14): the
//! thousands and decimal marks of each language in the TUI, rates and
//! shares typed as percentages, and non-finite or absurd numbers refused
//! wherever rumbo reads them (file, command line, TUI).

mod common;

use common::*;

use ratatui::crossterm::event::KeyCode;
use rumbo::i18n::{self, Lang};
use rumbo::plan::Plan;

fn plan(app: &rumbo::tui::App) -> &Plan {
    session(app).plan()
}

/// Empties the focused line field.
fn clear(app: &mut rumbo::tui::App) {
    ctrl(app, 'u');
    press(app, KeyCode::End);
    for _ in 0..30 {
        press(app, KeyCode::Backspace);
    }
}

// ---------------------------------------------------------------------------
// Case 7: thousands and decimal marks.

#[test]
fn a_budget_typed_60_000_in_english_is_sixty_thousand() {
    i18n::with_lang(Lang::En, || {
        let (_dir, path, mut app) = empty_app();
        ctrl(&mut app, 'n');
        ctrl(&mut app, 'n'); // step 3
        focus(&mut app, "f.budget");
        clear(&mut app);
        app.type_text("60,000");
        assert_eq!(plan(&app).marketing_mix.promotion.budget, Some(60_000.0));
        // A decimal comma is Spanish: refused with the English way, and the
        // budget keeps the last figure that was read.
        clear(&mut app);
        app.type_text("1234,5");
        let shown = screen(&mut app, 220, 50);
        assert!(shown.contains("type 1234.5"), "{shown}");
        assert_ne!(plan(&app).marketing_mix.promotion.budget, Some(1234.5));
        clear(&mut app);
        app.type_text("1,234,567.5");
        assert_eq!(plan(&app).marketing_mix.promotion.budget, Some(1_234_567.5));
        // Malformed grouping is refused.
        clear(&mut app);
        app.type_text("1,23,4");
        let shown = screen(&mut app, 220, 50);
        assert!(shown.contains("groups of three"), "{shown}");
        let budget = plan(&app).marketing_mix.promotion.budget;
        assert!(
            budget != Some(1234.0) && budget != Some(1.234),
            "{budget:?}"
        );
        clear(&mut app);
        app.type_text("60,000");
        ctrl(&mut app, 's');
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("budget = 60000.0"), "{text}");
    });
}

#[test]
fn spanish_reads_a_thousands_dot_and_refuses_an_english_decimal_dot() {
    i18n::with_lang(Lang::Es, || {
        let (_dir, _path, mut app) = empty_app();
        ctrl(&mut app, 'n');
        ctrl(&mut app, 'n');
        focus(&mut app, "f.budget");
        clear(&mut app);
        app.type_text("60.000");
        assert_eq!(plan(&app).marketing_mix.promotion.budget, Some(60_000.0));
        clear(&mut app);
        app.type_text("12.500,75");
        assert_eq!(plan(&app).marketing_mix.promotion.budget, Some(12_500.75));
        clear(&mut app);
        app.type_text("6.75");
        let shown = screen(&mut app, 220, 50);
        assert!(shown.contains("escribe 6,75"), "{shown}");
        assert_eq!(plan(&app).marketing_mix.promotion.budget, Some(6.0));
        // `6,700` reads as 6,7 in Spanish but 6700 in English: refused.
        clear(&mut app);
        app.type_text("6,700");
        let shown = screen(&mut app, 220, 50);
        assert!(line_with(&shown, "✗").contains("ambiguo"), "{shown}");
        assert_ne!(plan(&app).marketing_mix.promotion.budget, Some(6700.0));
    });
}

// ---------------------------------------------------------------------------
// Case 8: rates and shares are typed as percentages.

#[test]
fn a_conversion_rate_typed_2_percent_is_kept_as_the_fraction_the_file_uses() {
    i18n::with_lang(Lang::En, || {
        let (_dir, path, mut app) = example_app();
        alt(&mut app, '6');
        focus(&mut app, "f.visit_to_lead");
        let shown = screen(&mut app, 160, 60);
        let line = line_with(&shown, "Visit → lead rate");
        // The example keeps 0.025: shown as 2.5 with its unit.
        assert!(line.contains(" 2.5 ") && line.contains('%'), "{line}");
        for typed in ["2 %", "2%", "2"] {
            clear(&mut app);
            app.type_text(typed);
            let rate = plan(&app).funnel.as_ref().unwrap().rates.visit_to_lead;
            assert_eq!(rate, Some(0.02), "{typed}");
        }
        ctrl(&mut app, 's');
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("visit_to_lead = 0.02"), "{text}");
    });
}

#[test]
fn a_growth_rate_of_150_percent_is_kept_with_a_warning_beside_it_and_in_check() {
    i18n::with_lang(Lang::En, || {
        let (dir, path, mut app) = example_app();
        alt(&mut app, '6');
        focus(&mut app, "f.monthly_rate");
        clear(&mut app);
        app.type_text("2");
        assert_eq!(
            plan(&app).kpis[0].forecast,
            Some(rumbo::plan::Forecast::Growth { monthly_rate: 0.02 })
        );
        let shown = screen(&mut app, 160, 60);
        assert!(!shown.contains("⚠ 2 % a month"), "{shown}");
        clear(&mut app);
        app.type_text("150 %");
        assert_eq!(
            plan(&app).kpis[0].forecast,
            Some(rumbo::plan::Forecast::Growth { monthly_rate: 1.5 })
        );
        let shown = screen(&mut app, 160, 60);
        assert!(
            shown.contains("⚠ 150 % a month more than doubles"),
            "{shown}"
        );
        // Beyond 1000 % a month, or at -100 %, nothing is kept.
        clear(&mut app);
        app.type_text("5000");
        assert_ne!(
            plan(&app).kpis[0].forecast,
            Some(rumbo::plan::Forecast::Growth { monthly_rate: 50.0 })
        );
        let shown = screen(&mut app, 160, 60);
        assert!(
            shown.contains("✗ a monthly growth rate is above"),
            "{shown}"
        );
        clear(&mut app);
        app.type_text("150");
        ctrl(&mut app, 's');
        let out = rumbo_on(dir.path(), TODAY)
            .arg("check")
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let all = format!("{stdout}{stderr}");
        let warning = all
            .lines()
            .find(|l| l.contains("a growth of 150 % a month"))
            .unwrap_or_else(|| panic!("{all}"));
        assert!(warning.contains(": warning: "), "{warning}");
        assert!(
            warning.starts_with(&format!("{}:", path.display())),
            "{warning}"
        );
    });
}

#[test]
fn a_channel_share_and_a_multiplier_show_their_units() {
    i18n::with_lang(Lang::En, || {
        let (_dir, _path, mut app) = example_app();
        ctrl(&mut app, 'n');
        ctrl(&mut app, 'n'); // step 3
        focus(&mut app, "f.channels");
        press(&mut app, KeyCode::Enter); // the first channel's popup
        press(&mut app, KeyCode::Tab); // its share
        clear(&mut app);
        app.type_text("55 %");
        assert_eq!(
            plan(&app).marketing_mix.place.channels[0].share_pct,
            Some(55.0)
        );
        clear(&mut app);
        app.type_text("55");
        let shown = screen(&mut app, 220, 50);
        assert!(line_with(&shown, "Share of sales").contains('%'), "{shown}");
        clear(&mut app);
        app.type_text("160");
        let shown = screen(&mut app, 220, 50);
        assert!(shown.contains("a share is between 0 and 100 %"), "{shown}");
        assert_eq!(
            plan(&app).marketing_mix.place.channels[0].share_pct,
            Some(16.0)
        );
    });
}

/// A KPI's figures are in the KPI's unit: a percent KPI (churn) shows `%`
/// and takes `2.5 %`, kept as 2.5 as the file keeps it; a money KPI
/// refuses a `%`.
#[test]
fn a_percent_kpi_takes_its_figures_with_the_sign_and_a_money_kpi_refuses_it() {
    i18n::with_lang(Lang::En, || {
        let (_dir, _path, mut app) = example_app();
        alt(&mut app, '5');
        let churn = plan(&app)
            .kpis
            .iter()
            .position(|k| k.id == "churn_rate")
            .unwrap();
        for _ in 0..churn {
            press(&mut app, KeyCode::Down);
        }
        focus(&mut app, "f.baseline_value");
        clear(&mut app);
        app.type_text("2.5 %");
        assert_eq!(plan(&app).kpis[churn].baseline.value, Some(2.5));
        let shown = screen(&mut app, 160, 60);
        let line = line_with(&shown, "Baseline value");
        assert!(line.contains(" 2.5 ") && line.contains(" %"), "{line}");
        // mrr (money): a % is refused and nothing is kept.
        focus(&mut app, "f.kpis");
        for _ in 0..churn {
            press(&mut app, KeyCode::Up);
        }
        focus(&mut app, "f.baseline_value");
        let shown = screen(&mut app, 160, 60);
        let line = line_with(&shown, "Baseline value");
        assert!(line.contains(" EUR"), "{line}");
        clear(&mut app);
        app.type_text("2 %");
        let shown = screen(&mut app, 160, 60);
        assert!(shown.contains("not a percentage"), "{shown}");
        // Only the 2 typed before the sign was read.
        assert_eq!(plan(&app).kpis[0].baseline.value, Some(2.0));
    });
}

// ---------------------------------------------------------------------------
// Case 14: non-finite and absurd numbers.

#[test]
fn a_huge_month_count_typed_in_the_funnel_is_refused() {
    i18n::with_lang(Lang::En, || {
        let (_dir, _path, mut app) = example_app();
        alt(&mut app, '6');
        focus(&mut app, "f.funnel_months");
        clear(&mut app);
        app.type_text("9223372036854775807");
        // Typed key by key: the last figure that was sane is kept.
        let months = plan(&app).funnel.as_ref().unwrap().months.unwrap();
        assert!(months <= 1200, "{months}");
        let shown = screen(&mut app, 160, 60);
        assert!(shown.contains("✗ "), "{shown}");
        clear(&mut app);
        app.type_text("1,201");
        assert_eq!(plan(&app).funnel.as_ref().unwrap().months, Some(1));
        let shown = screen(&mut app, 160, 60);
        assert!(shown.contains("at most 1200 months"), "{shown}");
        clear(&mut app);
        app.type_text("24");
        assert_eq!(plan(&app).funnel.as_ref().unwrap().months, Some(24));
    });
}

fn example_plan(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("p.toml");
    std::fs::write(&path, rumbo::store::EXAMPLE).unwrap();
    path
}

#[test]
fn actuals_add_refuses_infinities_and_absurd_values_without_taking_them_for_flags() {
    let dir = tempfile::tempdir().unwrap();
    let path = example_plan(dir.path());
    let before = std::fs::read(&path).unwrap();
    for (value, says) in [
        ("-inf", "is not a finite number"),
        ("inf", "is not a finite number"),
        ("NaN", "is not a finite number"),
        ("-1.7e308", "too large"),
        ("1e16", "too large"),
        ("60,000", "not a plain number"),
    ] {
        let out = rumbo_on(dir.path(), TODAY)
            .args(["actuals", "add"])
            .arg(&path)
            .args(["mrr", value, "--date", "2026-11-30"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{value}: {stderr}");
        assert!(stderr.contains(says), "{value}: {stderr}");
        assert!(!stderr.contains("unexpected argument"), "{value}: {stderr}");
        assert!(!stderr.contains("Recorded"), "{value}: {stderr}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{value}");
    }
    // A negative value is a value, before or after --date.
    for args in [
        ["mrr", "-5", "--date", "2026-11-30"],
        ["mrr", "--date", "2026-11-29", "-7.5"],
    ] {
        rumbo_on(dir.path(), TODAY)
            .args(["actuals", "add"])
            .arg(&path)
            .args(args)
            .assert()
            .success();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("value = -5.0"), "{text}");
    assert!(text.contains("value = -7.5"), "{text}");
}

fn check(text: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    std::fs::write(&path, text).unwrap();
    let out = rumbo_on(dir.path(), TODAY)
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), all)
}

const KPI: &str = "schema_version = 1\n[plan]\nname = \"x\"\n[[kpis]]\nid = \"mrr\"\n\
    name = \"MRR\"\ndirection = \"increase\"\nowner = \"\"\n\
    baseline = { value = 100.0, date = 2026-01-01 }\n\
    target = { value = 200.0, date = 2026-12-31 }\n";

/// The line of `all` that reports `line:col` with `what`.
fn reported(all: &str, place: &str, what: &str) {
    assert!(
        all.lines()
            .any(|l| l.contains(&format!("p.toml:{place}: error: ")) && l.contains(what)),
        "p.toml:{place}: error: …{what}… in\n{all}"
    );
}

#[test]
fn absurd_numbers_in_a_file_are_located_errors() {
    let (code, all) = check(&format!(
        "{KPI}forecast = {{ method = \"growth\", monthly_rate = 1e308 }}\n\
         actuals = [ {{ date = 2026-02-01, value = -1.7e308 }} ]\n\
         [funnel]\nmonths = 9223372036854775807\nrevenue_goal = 1e300\n"
    ));
    assert_eq!(code, Some(1), "{all}");
    reported(&all, "11:48", "more than 1000 % a month");
    reported(&all, "12:42", "at most 10^15");
    reported(&all, "14:10", "at most 1200");
    reported(&all, "15:16", "at most 10^15");
    assert!(!all.contains("inf"), "{all}");
}

#[test]
fn nan_and_infinities_in_a_file_are_located_errors() {
    let (code, all) = check(&format!(
        "{KPI}actuals = [ {{ date = 2026-02-01, value = nan }} ]\n\
         forecast = {{ method = \"growth\", monthly_rate = inf }}\n\
         [[scenarios]]\nname = \"up\"\nmultiplier = -inf\n"
    ));
    assert_eq!(code, Some(1), "{all}");
    reported(&all, "11:42", "must be a real number, not NaN");
    reported(&all, "12:48", "must be a real number, not inf");
    reported(&all, "15:14", "must be a real number, not -inf");
}

#[test]
fn a_growth_rate_typed_as_a_percentage_in_the_file_gets_a_warning() {
    // `monthly_rate = 2` is 200 % a month: legal, but rarely meant.
    let (code, all) = check(&format!(
        "{KPI}forecast = {{ method = \"growth\", monthly_rate = 2 }}\n\
         [[scenarios]]\nname = \"up\"\nmultiplier = 12\n"
    ));
    assert_eq!(code, Some(0), "{all}");
    assert!(
        all.lines()
            .any(|l| l.contains("p.toml:11:48: warning: a growth of 200 % a month")),
        "{all}"
    );
    assert!(
        all.lines()
            .any(|l| l.contains("p.toml:14:14: warning: a multiplier of 12")),
        "{all}"
    );
}

/// The corpus files with NaN, infinities and absurd magnitudes load (the
/// TUI opens them to fix), and `rumbo check` gives a located error on every
/// line that holds one: none is taken silently.
#[test]
fn every_non_finite_or_absurd_value_of_the_nasty_corpus_is_a_located_error() {
    let nasty = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nasty");
    for (name, marked) in [
        (
            "loads-nan-and-infinity.toml",
            (|l: &str| {
                let v = l.to_ascii_lowercase();
                v.contains("nan") || v.contains("inf")
            }) as fn(&str) -> bool,
        ),
        ("loads-absurd-magnitudes.toml", |l: &str| {
            l.contains("# refused")
        }),
    ] {
        let path = nasty.join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = rumbo_on(dir.path(), TODAY)
            .arg("check")
            .arg(&path)
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "{name}: {all}");
        let mut lines = 0;
        for (i, line) in text.lines().enumerate() {
            if !marked(line) || line.trim_start().starts_with('#') {
                continue;
            }
            lines += 1;
            let place = format!("{name}:{}:", i + 1);
            assert!(
                all.lines()
                    .any(|l| l.contains(&place) && l.contains(": error: ")),
                "{place} {line}\n{all}"
            );
        }
        assert!(lines >= 5, "{name}: {lines} marked lines");
    }
}
