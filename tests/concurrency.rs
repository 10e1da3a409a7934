//! Several writers on one plan (issue 11, cases 1, 2, 3, 6 and 17): the
//! wizard with unsaved edits while the command line or an editor changes
//! the file, parallel `rumbo actuals add`, read-only and hard-linked plans,
//! a full disk or a file size limit while creating or saving.

mod common;

use common::*;

use std::path::Path;
use std::process::Command;

use ratatui::crossterm::event::KeyCode;
use rumbo::store;
use rumbo::tui::app::Popup;

/// `rumbo actuals add PLAN KPI VALUE --date DATE` as another program would
/// run it, while the test's app has the plan open.
fn add_actual(dir: &Path, plan: &Path, kpi: &str, value: &str, date: &str) {
    rumbo_on(dir, TODAY)
        .args(["actuals", "add"])
        .arg(plan)
        .args([kpi, value, "--date", date])
        .assert()
        .success();
}

/// The example plan open, one character typed into a field and not saved.
fn example_with_one_unsaved_char() -> (tempfile::TempDir, std::path::PathBuf, rumbo::tui::App) {
    let (dir, path, mut app) = example_app();
    press(&mut app, KeyCode::Tab);
    app.type_text("X");
    assert!(session(&app).dirty);
    (dir, path, app)
}

/// Lets the periodic check run as it would while the person looks away.
fn ticks(app: &mut rumbo::tui::App) {
    // Past the file-time granularity and the one-second tick.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    for _ in 0..3 {
        app.tick();
    }
}

#[test]
fn an_actual_added_by_the_cli_while_edits_are_unsaved_survives_ctrl_s() {
    let (dir, path, mut app) = example_with_one_unsaved_char();
    let company = session(&app).plan().plan.company.clone();
    assert!(company.ends_with('X'), "{company}");
    add_actual(dir.path(), &path, "mrr", "4242", "2026-11-30");
    ticks(&mut app);
    ctrl(&mut app, 's');
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("4242"), "the outside change is kept");
    assert!(text.contains(&company), "and so is the edit");
    assert!(session(&app).popup.is_none(), "nothing to ask");
    assert!(!session(&app).dirty);
    let shown = draw(&mut app);
    assert!(
        shown.contains("merged with 1 change made outside rumbo"),
        "{shown}"
    );
    let mrr_name = session(&app).plan().kpi("mrr").unwrap().name.clone();
    assert!(
        shown.contains(&format!("KPIs › {}", &mrr_name[..12.min(mrr_name.len())])),
        "said in the wizard's words: {shown}"
    );
    // The plan shown is the merged one.
    let mrr = session(&app).plan().kpi("mrr").unwrap();
    assert!(mrr.actuals.iter().any(|a| a.value == 4242.0));
    // A later edit and save keep it too.
    app.type_text("Y");
    ctrl(&mut app, 's');
    assert!(std::fs::read_to_string(&path).unwrap().contains("4242"));
}

#[test]
fn an_actual_added_by_the_cli_while_edits_are_unsaved_survives_ctrl_q() {
    let (dir, path, mut app) = example_with_one_unsaved_char();
    let company = session(&app).plan().plan.company.clone();
    add_actual(dir.path(), &path, "mrr", "4242", "2026-11-30");
    ticks(&mut app);
    ctrl(&mut app, 'q');
    assert!(app.should_quit);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("4242"));
    assert!(text.contains(&company));
    let said = app.exit_message.clone().unwrap_or_default();
    assert!(said.contains("merged with 1 change"), "{said}");
}

#[test]
fn a_hand_edit_elsewhere_keeps_its_comments_and_is_merged() {
    let (_dir, path, mut app) = example_with_one_unsaved_char();
    let company = session(&app).plan().plan.company.clone();
    let theirs = std::fs::read_to_string(&path)
        .unwrap()
        .replace("currency = \"EUR\"", "# changed in vim\ncurrency = \"USD\"");
    std::fs::write(&path, &theirs).unwrap();
    ticks(&mut app);
    ctrl(&mut app, 's');
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("# changed in vim\ncurrency = \"USD\""),
        "{text}"
    );
    assert!(text.contains(&company));
    assert_eq!(session(&app).plan().plan.currency, "USD");
    assert!(draw(&mut app).contains("(Currency)"));
}

#[test]
fn the_same_field_changed_on_both_sides_asks_and_shows_both_values() {
    let (_dir, path, mut app) = empty_app();
    press(&mut app, KeyCode::Tab);
    app.type_text("Mine Co");
    let original = std::fs::read_to_string(&path).unwrap();
    let theirs = original.replace(
        "name = \"Mine\"",
        "name = \"Mine\"\ncompany = \"Their Co\"\ncurrency = \"USD\"",
    );
    assert_ne!(theirs, original);
    std::fs::write(&path, &theirs).unwrap();
    ticks(&mut app);
    ctrl(&mut app, 's');
    assert!(matches!(
        &session(&app).popup,
        Some(Popup::Conflict { conflicts, .. }) if conflicts.len() == 1
    ));
    let shown = screen(&mut app, 100, 30);
    // The place is said as the wizard labels it, not as a path.
    assert!(shown.contains("• Company"), "{shown}");
    assert!(!shown.contains("plan.company"), "{shown}");
    assert!(shown.contains("mine: Mine Co"), "{shown}");
    assert!(shown.contains("theirs: Their Co"), "{shown}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs, "unwritten");
    // Keep mine: my company, their currency.
    press(&mut app, KeyCode::Char('k'));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("company = \"Mine Co\""), "{text}");
    assert!(text.contains("currency = \"USD\""), "{text}");
}

#[test]
fn an_unreadable_outside_edit_is_never_replaced_without_asking() {
    let (_dir, path, mut app) = example_with_one_unsaved_char();
    let half = "schema_version = 1\n[plan\nname = \"half-writ";
    std::fs::write(&path, half).unwrap();
    ticks(&mut app);
    ctrl(&mut app, 's');
    assert!(matches!(
        &session(&app).popup,
        Some(Popup::Conflict {
            unreadable: Some(_),
            ..
        })
    ));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("read as a plan now"), "{shown}");
    assert!(
        shown.contains("example.toml:2:6"),
        "the located error: {shown}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), half);
    press(&mut app, KeyCode::Esc);
    ctrl(&mut app, 'q');
    assert!(!app.should_quit, "quitting asks too");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), half);
}

#[test]
fn a_background_save_of_a_big_plan_merges_an_outside_change_too() {
    let (dir, path, mut app) = example_with_one_unsaved_char();
    let company = session(&app).plan().plan.company.clone();
    // Saved off the UI thread, as plans of thousands of KPIs are.
    session_mut(&mut app).big = true;
    add_actual(dir.path(), &path, "mrr", "4242", "2026-11-30");
    ctrl(&mut app, 's');
    let done = session_mut(&mut app).finish_job(true);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("4242"), "{done:?}");
    assert!(text.contains(&company));
    assert!(done.is_some_and(|(_, m)| m.contains("merged")));
}

#[test]
fn twenty_parallel_cli_adds_leave_twenty_values() {
    let (dir, path) = write_plan("plan.toml", store::EXAMPLE);
    // Twenty writers at once: ten on one KPI, ten on another.
    let spawned: Vec<_> = (1..=20)
        .map(|n| {
            let (kpi, prefix, month, i) = if n <= 10 {
                ("mqls", "50", "01", n)
            } else {
                ("sqls", "70", "02", n - 10)
            };
            Command::new(env!("CARGO_BIN_EXE_rumbo"))
                .env("RUMBO_LANG", "en")
                .arg("--data-dir")
                .arg(dir.path())
                .args(["actuals", "add"])
                .arg(&path)
                .args([kpi, &format!("{prefix}{i}"), "--date"])
                .arg(format!("2027-{month}-{i:02}"))
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in spawned {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    let loaded = store::open(&path).unwrap().file.plan;
    for (kpi, prefix, month) in [("mqls", "50", "01"), ("sqls", "70", "02")] {
        let k = loaded.kpi(kpi).unwrap();
        for i in 1..=10 {
            let date = format!("2027-{month}-{i:02}");
            let value: f64 = format!("{prefix}{i}").parse().unwrap();
            assert!(
                k.actuals
                    .iter()
                    .any(|a| a.date.to_string() == date && a.value == value),
                "{kpi} {date} {value} is in the file"
            );
        }
    }
    assert!(store::atomic::temps_of(&path).is_empty());
}

#[test]
fn a_writer_that_cannot_get_the_write_lock_fails_and_says_so() {
    let (dir, path) = write_plan("plan.toml", store::EXAMPLE);
    let held = store::lock::write_lock(&path).unwrap();
    let out = rumbo_on(dir.path(), TODAY)
        .env("RUMBO_WRITE_LOCK_WAIT_MS", "300")
        .args(["actuals", "add"])
        .arg(&path)
        .args(["mrr", "4242", "--date", "2026-11-30"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("busy"), "{stderr}");
    assert!(stderr.contains("not changed"), "{stderr}");
    assert!(!stderr.contains("Recorded"), "{stderr}");
    drop(held);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), store::EXAMPLE);
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_read_only_plan_is_refused_by_the_cli_and_opened_read_only() {
    let (dir, path) = write_plan("plan.toml", store::EXAMPLE);
    set_mode(&path, 0o444);
    let out = rumbo_on(dir.path(), TODAY)
        .args(["actuals", "add"])
        .arg(&path)
        .args(["mrr", "4242", "--date", "2026-11-30"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("read-only"), "{stderr}");
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, "kpi,date,value\nmrr,2026-11-30,4242\n").unwrap();
    rumbo_on(dir.path(), TODAY)
        .args(["actuals", "import"])
        .arg(&path)
        .arg(&csv)
        .assert()
        .failure();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), store::EXAMPLE);

    let mut app = new_app(dir.path());
    app.open(&path).unwrap();
    assert!(session(&app).read_only);
    let shown = draw(&mut app);
    assert!(
        shown.contains("read-only file"),
        "the header says why: {shown}"
    );
    assert!(shown.contains("no write permission"), "{shown}");
    press(&mut app, KeyCode::Tab);
    app.type_text("X");
    ctrl(&mut app, 's');
    assert_eq!(std::fs::read_to_string(&path).unwrap(), store::EXAMPLE);
    set_mode(&path, 0o644);
}

#[cfg(unix)]
#[test]
fn a_plan_with_hard_links_keeps_them() {
    use std::os::unix::fs::MetadataExt;
    let (dir, path) = write_plan("plan.toml", store::EXAMPLE);
    let other = dir.path().join("shared.toml");
    std::fs::hard_link(&path, &other).unwrap();
    add_actual(dir.path(), &path, "mrr", "4242", "2026-11-30");
    assert!(std::fs::read_to_string(&other).unwrap().contains("4242"));
    assert_eq!(std::fs::metadata(&path).unwrap().nlink(), 2);
    // The wizard's save too.
    let mut app = new_app(dir.path());
    app.open(&path).unwrap();
    press(&mut app, KeyCode::Tab);
    app.type_text("Linked");
    ctrl(&mut app, 's');
    assert!(std::fs::read_to_string(&other).unwrap().contains("Linked"));
    assert_eq!(std::fs::metadata(&other).unwrap().nlink(), 2);
}

/// Runs `rumbo ARGS` under `ulimit -f 1` (files of at most 512 bytes).
#[cfg(unix)]
fn under_file_size_limit(dir: &Path, args: &str) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_rumbo"));
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f 1 && exec '{}' --data-dir '{}' {args}",
            bin.display(),
            dir.display()
        ))
        .env("RUMBO_LANG", "en")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_write_past_the_file_size_limit_says_the_plan_was_not_changed() {
    let (dir, path) = write_plan("plan.toml", store::EXAMPLE);
    let out = under_file_size_limit(
        dir.path(),
        &format!(
            "actuals add '{}' mrr 4242 --date 2026-11-30",
            path.display()
        ),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "not killed by a signal: {out:?}"
    );
    assert!(stderr.contains("not changed"), "{stderr}");
    assert!(!stderr.contains("Recorded"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), store::EXAMPLE);
    assert!(store::atomic::temps_of(&path).is_empty());
}

#[cfg(unix)]
#[test]
fn new_on_a_full_disk_leaves_nothing_and_works_once_there_is_room() {
    let dir = tempfile::tempdir().unwrap();
    let out = under_file_size_limit(dir.path(), "new big --example");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr.contains("not changed") || stderr.contains("big"),
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "no half plan, no temp file: {left:?}");
    rumbo_on(dir.path(), TODAY)
        .args(["new", "big", "--example"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("big.toml")).unwrap(),
        store::EXAMPLE
    );
}

#[test]
fn a_hand_edit_is_not_written_over_a_file_changed_meanwhile() {
    let (_dir, path) = write_plan("plan.toml", store::EXAMPLE);
    let mut file = store::open(&path).unwrap().file;
    let theirs = store::EXAMPLE.replace("currency = \"EUR\"", "currency = \"USD\"");
    std::fs::write(&path, &theirs).unwrap();
    let mine = store::EXAMPLE.replace("currency = \"EUR\"", "currency = \"GBP\"");
    let parsed = store::load::parse(&path, &mine).unwrap();
    let err = file.replace_text(mine, parsed).unwrap_err();
    assert!(
        err.to_string().contains("changed by another program"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
}
