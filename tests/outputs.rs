//! Outputs that never harm (issue 11, cases 4, 13, 15, 16, 18, 19):
//! `export -o` onto pipes, devices, `/dev/stdout` and other plans; FIFOs,
//! devices and directories refused as plans at once; plans with errors
//! (`gaps` exits 1, `export` writes a draft); no `NaN`/`inf`; duplicate rows
//! in an import; no control, bidi or zero-width character in any output;
//! no spreadsheet formula in a CSV export.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{TODAY, rumbo_on, write_plan};
use rumbo::store::diag::is_hidden;

/// A valid plan: one KPI, owned by a team member.
const PLAN: &str = r#"schema_version = 1

[plan]
name = "Acme"

[[team.members]]
id = "ana"
name = "Ana"

[[kpis]]
id = "mrr"
name = "Monthly recurring revenue"
unit = "currency"
direction = "increase"
owner = "ana"
baseline = { value = 10000.0, date = 2026-01-01 }
target = { value = 20000.0, date = 2026-12-31 }
actuals = [{ date = 2026-10-31, value = 15000.0 }]
forecast = { method = "linear" }
"#;

/// [`PLAN`] with an error: the KPI's owner is nobody in the team (line 15).
fn plan_with_an_error() -> String {
    PLAN.replace("owner = \"ana\"", "owner = \"bob\"")
}

/// `rumbo` on `dir`, killed (and the test failed) after ten seconds: a
/// command that hangs on a FIFO fails instead of hanging the suite.
fn rumbo(dir: &Path) -> assert_cmd::Command {
    let mut cmd = rumbo_on(dir, TODAY);
    cmd.timeout(Duration::from_secs(10));
    cmd
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

/// The text, asserting that no control (but newline and tab), DEL, C1,
/// bidi or zero-width character is in it.
fn assert_clean(what: &str, bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).unwrap_or_else(|e| panic!("{what}: {e}"));
    if let Some(c) = text
        .chars()
        .find(|&c| is_hidden(c) && c != '\n' && c != '\t')
    {
        panic!("{what}: {c:?} in\n{text}");
    }
    text
}

// ---------------------------------------------------------------------------
// Case 4: `export -o` onto what is already there.

#[test]
fn export_into_a_fifo_streams_and_leaves_the_fifo() {
    let (dir, plan) = write_plan("acme.toml", PLAN);
    let fifo = dir.path().join("out.md");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(&fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    rumbo(dir.path())
        .args(["export", "--format", "markdown", "-o"])
        .arg(&fifo)
        .arg(&plan)
        .assert()
        .success();
    // (Checked first: were it replaced, the reader would wait forever.)
    assert!(is_fifo(&fifo), "the FIFO is still a FIFO");
    let text = reader.join().unwrap();
    assert!(text.starts_with("# "), "{text}");
    assert!(text.contains("Monthly recurring revenue"));
}

#[test]
fn export_into_dev_null_keeps_the_device() {
    let (dir, plan) = write_plan("acme.toml", PLAN);
    rumbo(dir.path())
        .args(["export", "--format", "json", "-o", "/dev/null"])
        .arg(&plan)
        .assert()
        .success();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(meta.file_type().is_char_device());
    }
}

#[test]
fn export_onto_another_plan_is_refused_and_leaves_it() {
    let (dir, plan) = write_plan("acme.toml", PLAN);
    let other = dir.path().join("other.toml");
    let other_text = PLAN.replace("Acme", "Other");
    std::fs::write(&other, &other_text).unwrap();
    // A broken plan is still a plan, and so is a link to one.
    let broken = dir.path().join("broken.toml");
    let broken_text = format!("{other_text}\nthis is = = not toml\n");
    std::fs::write(&broken, &broken_text).unwrap();
    let link = dir.path().join("link.md");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&other, &link).unwrap();
    for target in [&other, &broken, &link] {
        let out = rumbo(dir.path())
            .args(["export", "--format", "markdown", "-o"])
            .arg(target)
            .arg(&plan)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", target.display());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("name a different path"), "{stderr}");
    }
    assert_eq!(std::fs::read_to_string(&other).unwrap(), other_text);
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), broken_text);
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
}

#[test]
fn export_onto_any_other_file_replaces_it() {
    let (dir, plan) = write_plan("acme.toml", PLAN);
    let old = dir.path().join("old.md");
    // A file that mentions a schema_version but is no plan is replaced.
    std::fs::write(&old, "# last week's export\nschema_version = 1 was read\n").unwrap();
    rumbo(dir.path())
        .args(["export", "--format", "markdown", "-o"])
        .arg(&old)
        .arg(&plan)
        .assert()
        .success();
    let text = std::fs::read_to_string(&old).unwrap();
    assert!(text.contains("Monthly recurring revenue"));
    assert!(!text.contains("last week"));
    // A directory is refused.
    let out = rumbo(dir.path())
        .args(["export", "--format", "markdown", "-o"])
        .arg(dir.path())
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("directory"));
    assert!(dir.path().is_dir());
}

/// The `rumbo` binary with its usual test environment, as one shell word.
fn shell_rumbo(dir: &Path) -> String {
    format!(
        "NO_COLOR=1 RUMBO_LANG=en '{}' --data-dir '{}' --today {TODAY}",
        assert_cmd::cargo::cargo_bin("rumbo").display(),
        dir.display()
    )
}

#[test]
fn export_to_dev_stdout_appends_to_a_file_opened_for_appending() {
    let (dir, plan) = write_plan("acme.toml", PLAN);
    let log = dir.path().join("log.md");
    std::fs::write(&log, "before\n").unwrap();
    for target in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
        if !Path::new(target).exists() {
            continue;
        }
        let script = format!(
            "{} export '{}' --format csv -o {target} >> '{}'",
            shell_rumbo(dir.path()),
            plan.display(),
            log.display()
        );
        let out = std::process::Command::new("sh")
            .args(["-c", &script])
            .output()
            .unwrap();
        assert!(out.status.success(), "{target}: {out:?}");
    }
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.starts_with("before\nid,name,"), "{text}");
    assert!(text.matches("id,name,").count() >= 2, "{text}");
}

#[test]
fn export_to_dev_stdout_works_in_a_pipe() {
    let (dir, plan) = write_plan("acme.toml", PLAN);
    let script = format!(
        "{} export '{}' --format csv -o /dev/stdout | cat",
        shell_rumbo(dir.path()),
        plan.display()
    );
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("id,name,"), "{text}");
    assert!(text.contains("mrr,Monthly recurring revenue"));
}

// ---------------------------------------------------------------------------
// Case 13: a FIFO, a device or a directory is no plan, and says so at once.

#[test]
fn a_fifo_a_device_or_a_directory_is_refused_at_once_by_every_command() {
    let (dir, plan) = write_plan("acme.toml", PLAN);
    let fifo = dir.path().join("fifo.toml");
    mkfifo(&fifo);
    let folder = dir.path().join("folder.toml");
    std::fs::create_dir(&folder).unwrap();
    let csv = dir.path().join("rows.csv");
    std::fs::write(&csv, "date,kpi,value\n2026-11-01,mrr,1\n").unwrap();
    let targets: Vec<PathBuf> = vec![fifo.clone(), PathBuf::from("/dev/null"), folder];
    for target in &targets {
        let commands: Vec<Vec<std::ffi::OsString>> = vec![
            vec!["check".into(), target.into()],
            vec!["gaps".into(), target.into()],
            vec![
                "export".into(),
                target.into(),
                "--format".into(),
                "markdown".into(),
            ],
            vec!["open".into(), target.into()],
            vec![
                "actuals".into(),
                "add".into(),
                target.into(),
                "mrr".into(),
                "1".into(),
            ],
            vec![
                "actuals".into(),
                "import".into(),
                target.into(),
                csv.clone().into(),
            ],
        ];
        for args in commands {
            let out = rumbo(dir.path()).args(&args).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            assert!(!out.status.success(), "{args:?}");
            assert!(
                stderr.contains("not a regular file") || stdout.contains("not a regular file"),
                "{args:?}: {stdout}{stderr}"
            );
        }
    }
    // The CSV of an import, too.
    let out = rumbo(dir.path())
        .args(["actuals", "import"])
        .arg(&plan)
        .arg(&fifo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
    assert!(is_fifo(&fifo));
    assert_eq!(std::fs::read_to_string(&plan).unwrap(), PLAN);
}

#[test]
fn the_loader_names_what_the_file_is() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("p.toml");
    mkfifo(&fifo);
    for (path, kind) in [
        (fifo.as_path(), "named pipe"),
        (Path::new("/dev/null"), "character device"),
        (dir.path(), "directory"),
    ] {
        let err = rumbo::store::load::read(path).unwrap_err();
        assert!(err.to_string().contains(kind), "{err}");
    }
}

// ---------------------------------------------------------------------------
// Case 15: plans with errors; never NaN or inf.

#[test]
fn gaps_on_a_plan_with_errors_exits_1_with_the_located_errors() {
    let (dir, plan) = write_plan("acme.toml", &plan_with_an_error());
    for json in [false, true] {
        let mut cmd = rumbo(dir.path());
        cmd.arg("gaps").arg(&plan);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty(), "no figures for a plan with errors");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("acme.toml:15:9: error: there is no team member with the id `bob`"),
            "{stderr}"
        );
        assert!(stderr.contains("15 | owner = \"bob\""), "{stderr}");
    }
    // The same plan without the error: figures, exit 0.
    let (dir, plan) = write_plan("acme.toml", PLAN);
    rumbo(dir.path()).arg("gaps").arg(&plan).assert().success();
}

#[test]
fn export_of_a_plan_with_errors_is_a_draft_that_lists_them() {
    let (dir, plan) = write_plan("acme.toml", &plan_with_an_error());
    let export = |format: &str| {
        let out = rumbo(dir.path())
            .args(["export", "--format", format])
            .arg(&plan)
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("acme.toml:15:9: error:"), "{stderr}");
        assert!(stderr.contains("draft"), "{stderr}");
        String::from_utf8(out.stdout).unwrap()
    };
    let md = export("markdown");
    assert!(md.starts_with("> **Draft — 1 open problem**"), "{md}");
    assert!(
        md.contains("> - kpis\\[0\\].owner: there is no team member with the id"),
        "{md}"
    );
    let html = export("html");
    assert!(html.contains("<aside class=\"draft\">"));
    assert!(html.contains("<strong>Draft — 1 open problem</strong>"));
    assert!(html.contains("<li>kpis[0].owner: there is no team member with the id"));
    let json: serde_json::Value = serde_json::from_str(&export("json")).unwrap();
    assert_eq!(json["draft"], true);
    assert_eq!(json["problems"][0]["path"], "kpis[0].owner");
    let csv = export("csv");
    assert!(csv.starts_with("id,name,"), "CSV: the table only");
    // A plan without errors is no draft.
    let (dir, plan) = write_plan("acme.toml", PLAN);
    let out = rumbo(dir.path())
        .args(["export", "--format", "json"])
        .arg(&plan)
        .output()
        .unwrap();
    assert!(out.stderr.is_empty());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.get("draft").is_none() && json.get("problems").is_none());
    let md = rumbo(dir.path())
        .args(["export", "--format", "markdown"])
        .arg(&plan)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&md.stdout).contains("Draft"));
}

/// Words of `text` that spell a non-finite number.
fn non_finite_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            let w = w.to_lowercase();
            w == "nan" || w == "inf" || w == "infinity"
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn figures_that_overflow_never_print_nan_or_inf() {
    use rumbo::export::{Format, export};
    let parsed = rumbo::store::load::parse(Path::new("p.toml"), PLAN).unwrap();
    let mut plan = parsed.plan;
    // Finite inputs whose gaps, rates and forecasts overflow.
    plan.kpis[0].baseline.value = Some(-f64::MAX);
    plan.kpis[0].target.value = Some(f64::MAX);
    plan.kpis[0].actuals[0].value = f64::MAX / 3.0;
    let today = TODAY.parse().unwrap();
    for format in Format::ALL {
        let text = export(&plan, today, format).unwrap();
        assert_eq!(non_finite_words(&text), Vec::<String>::new(), "{format:?}");
    }
    let table = rumbo::metrics::gap_table(&plan, today, None).unwrap();
    let m = &table.rows[0].metrics;
    assert!(
        !m.gap.is_finite() || m.progress_pct.is_some_and(|p| !p.is_finite()),
        "the figures do overflow: {m:?}"
    );
    let mut out = Vec::new();
    rumbo::cli::write_gap_table(&mut out, &plan, &table, today, false).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(non_finite_words(&text), Vec::<String>::new(), "{text}");
}

// ---------------------------------------------------------------------------
// Case 16: the same KPI and date twice in an import.

#[test]
fn an_import_with_a_kpi_and_date_twice_names_both_lines_and_writes_nothing() {
    let (dir, plan) = write_plan("acme.toml", PLAN);
    let csv = dir.path().join("rows.csv");
    std::fs::write(
        &csv,
        "date,kpi,value\n2026-11-01,mrr,1\n2026-11-02,mrr,2\n2026-11-01,mrr,3\n",
    )
    .unwrap();
    let out = rumbo(dir.path())
        .args(["actuals", "import"])
        .arg(&plan)
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("rows.csv:4: error: mrr on 2026-11-01 is also on line 2"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&plan).unwrap(), PLAN);
}

// ---------------------------------------------------------------------------
// Case 18: no control, bidi or zero-width character leaves rumbo.

/// Every kind of character that must not reach an output raw, as TOML
/// escapes: C0 (ESC with an OSC title and a screen clear, BEL, BS, CR), DEL,
/// C1 (NEL, CSI), bidi overrides, isolates and marks, zero-width ones.
const NASTY_TOML: &str = r"\u001B]0;pwned\u0007\u001B[2J\u0008\r\u007F\u0085\u009B\u202E\u202A\u2066\u2069\u200E\u200F\u061C\u200B\u200C\u200D\u2060\uFEFF";

fn nasty_text() -> String {
    let value: toml::Value = toml::from_str(&format!("v = \"{NASTY_TOML}\"")).unwrap();
    value["v"].as_str().unwrap().to_string()
}

fn nasty_plan() -> String {
    PLAN.replace(
        "name = \"Acme\"",
        &format!("name = \"Acme {NASTY_TOML} plan\"\ncompany = \"x{NASTY_TOML}y\""),
    )
    .replace(
        "name = \"Monthly recurring revenue\"",
        &format!("name = \"MRR {NASTY_TOML} end\""),
    )
    .replace("name = \"Ana\"", &format!("name = \"Ana{NASTY_TOML}\""))
}

#[test]
fn no_control_bidi_or_zero_width_character_reaches_any_output() {
    let nasty = nasty_text();
    assert!(nasty.contains('\u{1b}') && nasty.contains('\u{202e}'));
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("acme.toml");
    std::fs::write(&plan, nasty_plan()).unwrap();
    let run = |args: &[&str], with_plan: bool| {
        let mut cmd = rumbo(dir.path());
        cmd.args(args);
        if with_plan {
            cmd.arg(&plan);
        }
        let out = cmd.output().unwrap();
        let what = format!("rumbo {args:?}");
        assert_clean(&format!("{what} stderr"), &out.stderr);
        (
            out.status,
            assert_clean(&format!("{what} stdout"), &out.stdout),
        )
    };
    for format in ["markdown", "html", "json", "csv"] {
        let (status, text) = run(&["export", "--format", format], true);
        assert!(status.success(), "{format}");
        assert!(text.contains("MRR"), "{format}");
        // Also into a file.
        let file = dir.path().join(format!("out.{format}"));
        let (status, _) = run(
            &["export", "--format", format, "-o", file.to_str().unwrap()],
            true,
        );
        assert!(status.success());
        let written = assert_clean(format, &std::fs::read(&file).unwrap());
        if format == "json" {
            // JSON keeps the text exactly, as escapes.
            assert!(written.contains("\\u202e") && written.contains("\\u001b"));
            let json: serde_json::Value = serde_json::from_str(&written).unwrap();
            assert_eq!(
                json["plan"]["plan"]["name"].as_str().unwrap(),
                format!("Acme {nasty} plan")
            );
            assert_eq!(
                json["plan"]["kpis"][0]["name"].as_str().unwrap(),
                format!("MRR {nasty} end")
            );
        } else {
            assert!(
                written.contains("⟨U+202E⟩") && written.contains("␛"),
                "{format}"
            );
        }
    }
    let (status, text) = run(&["gaps"], true);
    assert!(status.success());
    assert!(text.contains("⟨U+202E⟩"));
    let (status, text) = run(&["gaps", "--json"], true);
    assert!(status.success());
    assert!(text.contains("\\u202e"));
    let _ = run(&["check"], true);
    let (status, text) = run(&["list"], false);
    assert!(status.success());
    assert!(text.contains("acme"));
    // Arguments echoed in messages: a plan path, a scenario, a bad option.
    let bad = format!("{}/x{nasty}.toml", dir.path().display());
    let _ = run(&["check", &bad], false);
    let _ = run(&["gaps", "--scenario", &nasty], true);
    let _ = run(&["export", "--format", &nasty], true);
    let _ = run(&["--today", &nasty, "list"], false);
    let _ = run(&["actuals", "add", &bad, "mrr", "1"], false);
}

// ---------------------------------------------------------------------------
// Case 19: no spreadsheet formula in a CSV export.

#[test]
fn csv_text_cells_never_start_a_formula_and_numbers_stay_numbers() {
    let plan = PLAN
        .replace(
            "name = \"Monthly recurring revenue\"",
            "name = \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"",
        )
        .replace(
            "value = 10000.0, date = 2026-01-01",
            "value = -5.0, date = 2026-01-01",
        );
    let plan = format!(
        "{plan}\n[[kpis]]\nid = \"mqls\"\nname = \"@SUM(A1:A9)\"\ndirection = \"increase\"\nowner = \"ana\"\nbaseline = {{ value = 1.0, date = 2026-01-01 }}\ntarget = {{ value = 2.0, date = 2026-12-31 }}\n\n[[kpis]]\nid = \"sqls\"\nname = \"-2+3\"\ndirection = \"increase\"\nowner = \"ana\"\nbaseline = {{ value = 1.0, date = 2026-01-01 }}\ntarget = {{ value = 2.0, date = 2026-12-31 }}\n\n[[kpis]]\nid = \"visits\"\nname = \"\\tplus\"\ndirection = \"increase\"\nowner = \"ana\"\nbaseline = {{ value = 1.0, date = 2026-01-01 }}\ntarget = {{ value = 2.0, date = 2026-12-31 }}\n"
    );
    let (dir, path) = write_plan("acme.toml", &plan);
    let out = rumbo(dir.path())
        .args(["export", "--format", "csv"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut names = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        names.push(row[col("name")].to_string());
        for (i, field) in row.iter().enumerate() {
            let numeric = matches!(
                headers.get(i),
                Some(
                    "baseline"
                        | "current"
                        | "target"
                        | "gap"
                        | "progress_pct"
                        | "months_left"
                        | "required_per_month"
                        | "forecast"
                        | "forecast_gap"
                )
            );
            if !numeric {
                assert!(
                    !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{field:?}"
                );
            } else if !field.is_empty() {
                field.parse::<f64>().unwrap_or_else(|_| panic!("{field:?}"));
            }
        }
        if &row[col("id")] == "mrr" {
            assert_eq!(&row[col("baseline")], "-5", "a negative number stays -5");
        }
    }
    names.sort();
    assert_eq!(
        names,
        vec![
            "'\tplus",
            "'-2+3",
            "'=HYPERLINK(\"http://x\",\"y\")",
            "'@SUM(A1:A9)",
        ]
    );
}

#[test]
fn a_large_import_shows_progress_only_on_a_terminal() {
    let (dir, plan) = write_plan("acme.toml", PLAN);
    let csv = dir.path().join("rows.csv");
    let mut text = String::from("date,kpi,value\n");
    let start: rumbo::plan::Date = "2030-01-01".parse().unwrap();
    for i in 0..10_000 {
        let date = start.0.checked_add(jiff::Span::new().days(i)).unwrap();
        text.push_str(&format!("{date},mrr,{i}\n"));
    }
    std::fs::write(&csv, &text).unwrap();
    // In a pipe: the summary alone.
    let out = rumbo(dir.path())
        .args(["actuals", "import"])
        .arg(&plan)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "10000 values recorded (0 replaced)\n"
    );
    // On a terminal (`script` gives one): the progress line, rewritten in
    // place with `\r` and wiped before the summary.
    let Ok(script) = which("script") else {
        return;
    };
    std::fs::write(&plan, PLAN).unwrap();
    let command = format!(
        "{} actuals import '{}' '{}'",
        shell_rumbo(dir.path()),
        plan.display(),
        csv.display()
    );
    let out = std::process::Command::new(script)
        .args(["-qec", &command, "/dev/null"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("\rImporting: 4"), "{shown:?}");
    assert!(shown.contains("saving the plan"), "{shown:?}");
    let last = shown
        .split('\r')
        .rfind(|s| !s.trim().is_empty())
        .unwrap_or_default();
    assert!(last.contains("10000 values recorded"), "{shown:?}");
}

fn which(name: &str) -> Result<PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(name))
                .find(|p| p.is_file())
        })
        .ok_or(())
}
