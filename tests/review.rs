//! The weekly review driven by keys on the example plan, with a fixed today.

mod common;

use common::{app_on, ctrl, press, screen, session};

use std::path::PathBuf;

use ratatui::crossterm::event::KeyCode;
use rumbo::plan::{ActionStatus, Date};
use rumbo::store;
use rumbo::tui::App;
use rumbo::tui::review::Item;
use rumbo::tui::theme::Theme;
use tempfile::TempDir;

/// A Monday in December: November is the month to fill in.
fn today() -> Date {
    "2026-12-07".parse().unwrap()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// An app with a copy of the example plan open (no colours), on this file's
/// [`today`].
fn example_app() -> (TempDir, PathBuf, App) {
    app_on("example.toml", store::EXAMPLE, today(), Theme::new(false))
}

fn item(app: &App) -> Option<Item> {
    session(app).review.as_ref().expect("review open").item()
}

fn kpi_index(app: &App, id: &str) -> usize {
    session(app)
        .plan()
        .kpis
        .iter()
        .position(|k| k.id == id)
        .unwrap()
}

/// The value box reads figures as English writes them: `6,700` is six
/// thousand seven hundred (it was 6.7); `2,5` could only be a Spanish
/// decimal, so it is refused with how to type it, and nothing is recorded.
#[test]
fn the_review_value_box_reads_a_thousands_comma_and_refuses_a_decimal_comma() {
    let (_dir, _path, mut app) = example_app();
    press(&mut app, KeyCode::F(7));
    let mrr = kpi_index(&app, "mrr");
    assert_eq!(item(&app), Some(Item::Value(mrr)));
    app.type_text("6,700");
    press(&mut app, KeyCode::Enter);
    let nov = d("2026-11-30");
    let value_of = |app: &App, id: &str| {
        session(app)
            .plan()
            .kpis
            .iter()
            .find(|k| k.id == id)
            .unwrap()
            .actuals
            .iter()
            .find(|a| a.date == nov)
            .map(|a| a.value)
    };
    assert_eq!(value_of(&app, "mrr"), Some(6700.0));
    let churn = kpi_index(&app, "churn_rate");
    assert_eq!(item(&app), Some(Item::Value(churn)));
    app.type_text("2,5");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        item(&app),
        Some(Item::Value(churn)),
        "it stays on the value"
    );
    assert_eq!(value_of(&app, "churn_rate"), None);
    let shown = screen(&mut app, 120, 30);
    assert!(shown.contains("type 2.5"), "{shown}");
    // A percent KPI takes its value with or without the sign.
    ctrl(&mut app, 'u');
    app.type_text("2.5%");
    press(&mut app, KeyCode::Enter);
    assert_eq!(value_of(&app, "churn_rate"), Some(2.5));
}

#[test]
fn f7_walks_the_review_and_values_land_in_the_right_kpis_and_dates() {
    let (_dir, path, mut app) = example_app();
    press(&mut app, KeyCode::F(7));
    assert!(session(&app).review.is_some());
    insta::assert_snapshot!("review_first_value", screen(&mut app, 100, 30));

    // The example's seven KPIs, in file order, all lack November.
    let ids: Vec<String> = session(&app)
        .plan()
        .kpis
        .iter()
        .map(|k| k.id.clone())
        .collect();
    let values = [
        ("mrr", Some("29600")),
        ("churn_rate", Some("2.15 %")),
        ("mqls", Some("74")),
        ("sqls", None), // skipped with Tab
        ("lead_conversion", Some("2.8")),
        ("sales_cycle_length", Some("31")),
        ("cac", Some("1150")),
        ("ltv", Some("10400")),
    ];
    for (id, value) in values {
        assert_eq!(item(&app), Some(Item::Value(kpi_index(&app, id))), "{id}");
        assert!(ids.contains(&id.to_string()));
        match value {
            Some(v) => {
                app.type_text(v);
                press(&mut app, KeyCode::Enter);
            }
            None => press(&mut app, KeyCode::Tab),
        }
    }
    let plan = session(&app).plan();
    let nov = d("2026-11-30");
    let value_of = |id: &str| {
        plan.kpis
            .iter()
            .find(|k| k.id == id)
            .unwrap()
            .actuals
            .iter()
            .find(|a| a.date == nov)
            .map(|a| a.value)
    };
    assert_eq!(value_of("mrr"), Some(29600.0));
    assert_eq!(value_of("churn_rate"), Some(2.15));
    assert_eq!(value_of("mqls"), Some(74.0));
    assert_eq!(value_of("sqls"), None);
    assert_eq!(value_of("lead_conversion"), Some(2.8));
    assert_eq!(value_of("cac"), Some(1150.0));
    assert!(session(&app).dirty);

    // Next: the lagging KPIs, with owner and remedy.
    assert!(matches!(item(&app), Some(Item::Lagging(_))));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Owner: "), "{shown}");
    insta::assert_snapshot!("review_lagging", shown);
    while matches!(item(&app), Some(Item::Lagging(_))) {
        press(&mut app, KeyCode::Enter);
    }

    // Then the actions due: Space cycles the status in place.
    let Some(Item::Action(first)) = item(&app) else {
        panic!("expected an action, got {:?}", item(&app));
    };
    let was = session(&app).plan().actions[first.action].status;
    press(&mut app, KeyCode::Char(' '));
    let now = session(&app).plan().actions[first.action].status;
    assert_eq!(now, was.next());
    insta::assert_snapshot!("review_action", screen(&mut app, 100, 30));
    while matches!(item(&app), Some(Item::Action(_))) {
        press(&mut app, KeyCode::Tab);
    }
    while matches!(item(&app), Some(Item::Goal(_))) {
        press(&mut app, KeyCode::Enter);
    }

    // The summary: reviewed today, and what changed.
    assert_eq!(item(&app), None);
    assert_eq!(session(&app).plan().plan.reviewed, Some(today()));
    let summary = session(&app)
        .review
        .as_ref()
        .unwrap()
        .summary
        .clone()
        .unwrap();
    assert_eq!(summary.values.len(), 7);
    assert!(summary.values.iter().all(|v| v.date == nov));
    assert_eq!(summary.actions.len(), 1);
    assert_eq!(summary.actions[0].to, now);
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Values entered (7)"), "{shown}");
    assert!(shown.contains("Actions updated (1)"), "{shown}");
    assert!(shown.contains("2026-11-02"), "the previous review: {shown}");
    insta::assert_snapshot!("review_summary", shown);

    // Saved the usual way; Enter goes back to the plan.
    ctrl(&mut app, 's');
    assert!(!session(&app).dirty);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("reviewed = 2026-12-07"), "{text}");
    assert!(
        text.contains("{ date = 2026-11-30, value = 29600.0 }"),
        "{text}"
    );
    press(&mut app, KeyCode::Enter);
    assert!(session(&app).review.is_none());
}

#[test]
fn esc_leaves_the_review_without_marking_it_done() {
    let (_dir, _path, mut app) = example_app();
    press(&mut app, KeyCode::F(7));
    app.type_text("29600");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    let s = session(&app);
    assert!(s.review.is_none());
    assert_eq!(s.plan().plan.reviewed, Some(d("2026-11-02")));
    // What was entered stays, as any edit does.
    assert_eq!(
        s.plan().kpis[0].actuals.last().unwrap().date,
        d("2026-11-30")
    );
}

#[test]
fn a_value_that_does_not_parse_stays_and_says_why() {
    let (_dir, _path, mut app) = example_app();
    press(&mut app, KeyCode::F(7));
    app.type_text("lots");
    press(&mut app, KeyCode::Enter);
    assert_eq!(item(&app), Some(Item::Value(0)));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("lots"), "{shown}");
    assert!(!session(&app).dirty);
}

#[test]
fn shift_tab_goes_back_and_shows_the_value_just_entered() {
    let (_dir, _path, mut app) = example_app();
    press(&mut app, KeyCode::F(7));
    app.type_text("29600");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(item(&app), Some(Item::Value(0)));
    // Typing over it replaces the value for the month: still one actual.
    press(&mut app, KeyCode::End);
    app.type_text("1");
    press(&mut app, KeyCode::Enter);
    let actuals = &session(&app).plan().kpis[0].actuals;
    let nov: Vec<_> = actuals
        .iter()
        .filter(|a| a.date == d("2026-11-30"))
        .collect();
    assert_eq!(nov.len(), 1);
    assert_eq!(nov[0].value, 296001.0);
}

#[test]
fn the_review_speaks_spanish_with_a_decimal_comma() {
    rumbo::i18n::with_lang(rumbo::i18n::Lang::Es, || {
        let (_dir, _path, mut app) = example_app();
        press(&mut app, KeyCode::F(7));
        let shown = screen(&mut app, 100, 30);
        assert!(shown.contains("Revisión semanal"), "{shown}");
        // churn_rate: 2,27 % in October.
        press(&mut app, KeyCode::Tab);
        let shown = screen(&mut app, 100, 30);
        assert!(shown.contains("2,27 %"), "{shown}");
        app.type_text("2,1");
        press(&mut app, KeyCode::Enter);
        let churn = &session(&app).plan().kpis[1];
        assert_eq!(churn.actuals.last().unwrap().value, 2.1);
    });
}

#[test]
fn action_statuses_cycle_like_step_9() {
    assert_eq!(ActionStatus::Todo.next(), ActionStatus::Doing);
    assert_eq!(ActionStatus::Dropped.next(), ActionStatus::Todo);
}

// ---------------------------------------------------------------------------
// `rumbo review PLAN` without a terminal: a clear refusal, the plan untouched.

fn rumbo(dir: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("rumbo").unwrap();
    cmd.env_clear()
        .env("RUMBO_DATA_DIR", dir)
        .env("RUMBO_LANG", "en")
        .env("RUMBO_TODAY", "2026-12-07")
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .timeout(std::time::Duration::from_secs(20));
    cmd
}

#[test]
fn rumbo_review_without_a_terminal_refuses_clearly_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acme.toml");
    std::fs::write(&path, store::EXAMPLE).unwrap();
    let out = rumbo(dir.path()).args(["review", "acme"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), store::EXAMPLE);
}

#[test]
fn rumbo_review_of_a_plan_that_does_not_exist_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = rumbo(dir.path())
        .args(["review", "ghost"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("ghost.toml"), "{stderr}");
    assert!(!dir.path().join("ghost.toml").exists());
}

#[test]
fn a_plan_with_nothing_to_review_is_marked_reviewed_at_once() {
    let text = store::new_plan_text("Mine", Some(d("2026-01-01")));
    let (_dir, _path, mut app) = app_on("mine.toml", &text, today(), Theme::new(false));
    press(&mut app, KeyCode::F(7));
    assert_eq!(item(&app), None);
    assert_eq!(session(&app).plan().plan.reviewed, Some(today()));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Nothing needed attention"), "{shown}");
    assert!(shown.contains("first review"), "{shown}");
}

#[test]
fn every_kind_of_item_draws_at_odd_sizes_without_panicking() {
    let (_dir, path, _) = example_app();
    // A goal that is not SMART yet.
    let text = format!(
        "{}\n[[goals]]\nid = \"vague\"\ntitle = \"More customers\"\n",
        store::EXAMPLE
    );
    std::fs::write(&path, text).unwrap();
    let mut app = App::new(
        path.parent().unwrap().to_path_buf(),
        today(),
        Theme::new(false),
    );
    app.open(&path).unwrap();
    press(&mut app, KeyCode::F(7));
    let mut goals = 0;
    app.type_text("12345678901234567890123456789012345");
    let sizes = [(60, 16), (61, 17), (80, 24), (250, 80), (200, 16), (60, 80)];
    loop {
        for (w, h) in sizes {
            screen(&mut app, w, h);
        }
        match item(&app) {
            None => break,
            Some(Item::Goal(g)) => {
                goals += 1;
                assert_eq!(g.failing, ['S', 'M', 'A', 'R', 'T']);
                let shown = screen(&mut app, 100, 30);
                assert!(shown.contains("Not SMART yet: S, M, A, R, T"), "{shown}");
            }
            Some(_) => {}
        }
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(goals, 1);
    for _ in 0..50 {
        press(&mut app, KeyCode::Down);
    }
    for (w, h) in sizes {
        screen(&mut app, w, h);
    }
}

#[test]
fn what_the_review_changed_is_undone_step_by_step_afterwards() {
    let (_dir, _path, mut app) = example_app();
    let before = session(&app).plan().clone();
    press(&mut app, KeyCode::F(7));
    app.type_text("29600");
    press(&mut app, KeyCode::Enter);
    app.type_text("2.1");
    press(&mut app, KeyCode::Enter);
    // Through to the actions; one status moves.
    while !matches!(item(&app), Some(Item::Action(_))) {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Char(' '));
    while item(&app).is_some() {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    assert!(session(&app).review.is_none());
    // reviewed, the action, two values: four steps back to the start.
    for _ in 0..4 {
        ctrl(&mut app, 'z');
    }
    assert_eq!(session(&app).plan(), &before);
}
