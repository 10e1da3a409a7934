//! The start screen: plans at a glance, open by path, review, delete to the
//! trash folder.

mod common;

use common::*;

use std::path::PathBuf;

use ratatui::crossterm::event::KeyCode;
use rumbo::store;
use rumbo::tui::App;
use rumbo::tui::app::Screen;
use rumbo::tui::start::{Entry, StartScreen};
use tempfile::TempDir;

/// A data directory with the example (`acme`), a new plan, a broken file,
/// and a recent list naming acme and a plan that is gone.
fn data_dir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("acme.toml"), store::EXAMPLE).unwrap();
    std::fs::write(
        d.join("mine.toml"),
        store::new_plan_text("Mine", Some(today())),
    )
    .unwrap();
    std::fs::write(d.join("broken.toml"), "schema_version = 1\n[plan\n").unwrap();
    let gone = d.join("elsewhere/gone.toml");
    std::fs::write(
        d.join(".recent"),
        format!("{}\n{}\n", d.join("acme.toml").display(), gone.display()),
    )
    .unwrap();
    dir
}

fn start(app: &App) -> &StartScreen {
    match &app.screen {
        Screen::Start(s) => s,
        Screen::Plan(_) => panic!("a plan is open"),
    }
}

fn plan_names(app: &App) -> Vec<String> {
    start(app)
        .entries
        .iter()
        .filter_map(|e| match e {
            Entry::Plan { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// Moves the cursor to the plan called `name`.
fn select(app: &mut App, name: &str) {
    press(app, KeyCode::Home);
    while !matches!(
        &start(app).entries[start(app).cursor],
        Entry::Plan { name: n, .. } if n == name
    ) {
        let before = start(app).cursor;
        press(app, KeyCode::Down);
        assert_ne!(start(app).cursor, before, "no plan called {name}");
    }
}

#[test]
fn plans_show_stage_review_steps_and_statuses_and_broken_ones_a_note() {
    let dir = data_dir();
    let mut app = new_app(dir.path());
    // Recent first (a missing one too), then the rest of the directory.
    assert_eq!(plan_names(&app), ["acme", "gone", "broken", "mine"]);
    let shown = screen(&mut app, 110, 30);
    let acme = shown.lines().find(|l| l.contains("acme")).unwrap();
    assert!(acme.contains("growth"), "{acme}");
    assert!(acme.contains("2026-11-02"), "{acme}");
    assert!(acme.contains("9/10"), "{acme}");
    assert!(acme.contains("off track"), "{acme}");
    let mine = shown.lines().find(|l| l.contains(" mine ")).unwrap();
    assert!(mine.contains("never"), "{mine}");
    assert!(mine.contains("no KPIs"), "{mine}");
    assert!(shown.contains("cannot be read"), "{shown}");
    assert!(shown.contains("the file is gone"), "{shown}");
    // The temporary directory's name varies: hide it.
    let shown = shown.replace(&dir.path().display().to_string(), "DIR");
    insta::assert_snapshot!("start_screen_with_stats", shown);
}

#[test]
fn delete_asks_then_moves_the_file_to_the_trash_and_off_the_list() {
    let dir = data_dir();
    let d = dir.path();
    let mut app = new_app(d);
    select(&mut app, "acme");
    press(&mut app, KeyCode::Char('d'));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Delete the plan?"), "{shown}");
    // n keeps it.
    press(&mut app, KeyCode::Char('n'));
    assert!(d.join("acme.toml").exists());
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert!(!d.join("acme.toml").exists());
    assert_eq!(
        std::fs::read_to_string(d.join("trash/acme.toml")).unwrap(),
        store::EXAMPLE
    );
    assert!(!plan_names(&app).contains(&"acme".to_string()));
    let recent = std::fs::read_to_string(d.join(".recent")).unwrap();
    assert!(!recent.contains("acme"), "{recent}");
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Moved to"), "{shown}");

    // A second plan of the same name gets a timestamp in the trash.
    std::fs::write(d.join("acme.toml"), "schema_version = 1\n").unwrap();
    let mut app = new_app(d);
    select(&mut app, "acme");
    press(&mut app, KeyCode::Delete);
    press(&mut app, KeyCode::Enter);
    let trashed: Vec<PathBuf> = std::fs::read_dir(d.join("trash"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(trashed.len(), 2, "{trashed:?}");
    assert_eq!(
        std::fs::read_to_string(d.join("trash/acme.toml")).unwrap(),
        store::EXAMPLE,
        "the first one is kept"
    );
}

#[test]
fn a_missing_plan_is_only_taken_off_the_list() {
    let dir = data_dir();
    let mut app = new_app(dir.path());
    select(&mut app, "gone");
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert!(!plan_names(&app).contains(&"gone".to_string()));
    assert!(!dir.path().join("trash").exists());
}

#[test]
fn r_opens_the_selected_plan_in_its_weekly_review() {
    let dir = data_dir();
    let mut app = new_app(dir.path());
    select(&mut app, "acme");
    press(&mut app, KeyCode::Char('r'));
    let Screen::Plan(s) = &app.screen else {
        panic!("the plan did not open");
    };
    assert!(s.review.is_some());
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Weekly review"), "{shown}");
}

#[test]
fn a_plan_opens_by_its_path_and_a_wrong_path_says_so() {
    let dir = data_dir();
    let mut app = new_app(dir.path());
    press(&mut app, KeyCode::Char('o'));
    app.type_text(&dir.path().join("nope.toml").display().to_string());
    press(&mut app, KeyCode::Enter);
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("There is no plan file"), "{shown}");
    // Ctrl-U clears the field; a name in the data directory works too.
    ctrl(&mut app, 'u');
    app.type_text("mine");
    press(&mut app, KeyCode::Enter);
    let Screen::Plan(s) = &app.screen else {
        panic!("the plan did not open");
    };
    assert_eq!(s.plan().plan.name, "Mine");
}

#[test]
fn a_new_plan_takes_any_name_and_shows_its_file_before_creating_it() {
    let dir = data_dir();
    // Plans whatever their file name, and the copies rumbo made, marked.
    std::fs::write(dir.path().join("MyPlan.toml"), store::EXAMPLE).unwrap();
    std::fs::write(dir.path().join("acme-mine.toml"), store::EXAMPLE).unwrap();
    let mut app = new_app(dir.path());
    let names = plan_names(&app);
    assert!(names.contains(&"MyPlan".to_string()), "{names:?}");
    let shown = screen(&mut app, 110, 30);
    assert!(
        line_with(&shown, "acme-mine").contains("(your copy from a conflict)"),
        "{shown}"
    );
    assert!(!line_with(&shown, "MyPlan").contains("copy"), "{shown}");

    press(&mut app, KeyCode::Char('n'));
    for c in "DentaFlow 2026".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let shown = screen(&mut app, 110, 30);
    assert!(shown.contains("Saved as dentaflow-2026.toml"), "{shown}");
    press(&mut app, KeyCode::Enter);
    let path = dir.path().join("dentaflow-2026.toml");
    assert!(path.is_file(), "created as its slug");
    assert_eq!(session(&app).plan().plan.name, "DentaFlow 2026");
}

#[test]
fn guidance_theme_and_language_are_remembered_between_runs() {
    let dir = data_dir();
    let state = tempfile::tempdir().unwrap();
    let prefs_path = state.path().join("prefs.toml");
    let run = |keys: &[KeyCode]| {
        let mut app = App::new(
            dir.path().to_path_buf(),
            today(),
            rumbo::tui::theme::Theme::new(true),
        );
        app.prefs = store::prefs::read(&prefs_path);
        app.prefs_path = Some(prefs_path.clone());
        app.open(&dir.path().join("acme.toml")).unwrap();
        for k in keys {
            press(&mut app, *k);
        }
        app
    };
    let app = run(&[KeyCode::F(3), KeyCode::F(6)]);
    assert!(!session(&app).show_guide);
    let prefs = store::prefs::read(&prefs_path);
    assert_eq!(prefs.guide, Some(false));
    assert_eq!(prefs.theme.as_deref(), Some(app.theme.kind.key()));
    // The next run starts with the guidance hidden.
    let mut app = run(&[]);
    assert!(!session(&app).show_guide);
    press(&mut app, KeyCode::F(3));
    assert_eq!(store::prefs::read(&prefs_path).guide, Some(true));
    // F9 remembers the language (in this thread only: tests run side by side).
    let remembered = rumbo::i18n::with_lang(rumbo::i18n::Lang::En, || {
        press(&mut app, KeyCode::F(9));
        let remembered = store::prefs::read(&prefs_path).lang;
        press(&mut app, KeyCode::F(9));
        remembered
    });
    assert_eq!(remembered.as_deref(), Some("es"));
    assert_eq!(store::prefs::read(&prefs_path).lang.as_deref(), Some("en"));
}
