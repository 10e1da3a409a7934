//! `rumbo export`: golden files of every format for the bundled example plan
//! (as of 2026-11-15), escaping of hostile plan text, empty sections, `-o`,
//! and errors.

mod common;

use common::*;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// `rumbo` on the data directory `dir`, with [`TODAY`] as today.
fn rumbo(dir: &Path) -> Command {
    rumbo_on(dir, TODAY)
}

fn example_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/example.toml")
}

/// Runs `rumbo export PLAN --format FORMAT` and returns stdout.
fn export(plan: &Path, format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = rumbo(dir.path())
        .arg("export")
        .arg(plan)
        .arg("--format")
        .arg(format)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "export {format} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "nothing on stderr without -o");
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `rumbo export PLAN --format FORMAT` on a plan with errors: it
/// succeeds, and lists them on stderr. Returns stdout and stderr.
fn export_draft(plan: &Path, format: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = rumbo(dir.path())
        .arg("export")
        .arg(plan)
        .arg("--format")
        .arg(format)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "export {format} failed: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

/// A plan file in a temporary directory.
fn plan_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    write_plan("plan.toml", text)
}

/// Every Markdown heading is followed by content, not by another heading
/// of the same or a higher level, nor by the end of the file.
fn assert_no_empty_headings(md: &str) {
    let lines: Vec<&str> = md.lines().filter(|l| !l.trim().is_empty()).collect();
    let level = |l: &str| {
        let n = l.chars().take_while(|c| *c == '#').count();
        (n > 0 && l[n..].starts_with(' ')).then_some(n)
    };
    for (i, line) in lines.iter().enumerate() {
        let Some(l) = level(line) else { continue };
        match lines.get(i + 1) {
            None => panic!("heading at the end: {line}"),
            Some(next) => {
                if let Some(n) = level(next) {
                    assert!(n > l, "empty section: {line:?} followed by {next:?}");
                }
            }
        }
    }
}

// --- Golden files of the example plan ----------------------------------

#[test]
fn markdown_of_the_example_plan() {
    let md = export(&example_path(), "markdown");
    assert_no_empty_headings(&md);
    let marketing = md.find("# Marketing plan:").unwrap();
    let sales = md.find("# Sales plan:").unwrap();
    assert!(marketing < sales, "marketing plan first");
    insta::assert_snapshot!("example_markdown", md);
}

#[test]
fn html_of_the_example_plan() {
    let html = export(&example_path(), "html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@media print"));
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no URLs"
    );
    assert!(!html.contains("src="), "nothing loaded from elsewhere");
    // One chart per KPI, with actuals, forecast, target and axis labels.
    assert_eq!(html.matches("<svg ").count(), 8);
    assert!(html.contains("<polyline"));
    assert!(html.contains("target 30,000 EUR"));
    assert!(html.contains(">2026-12-31</text>"));
    insta::assert_snapshot!("example_html", html);
}

#[test]
fn json_of_the_example_plan() {
    let json = export(&example_path(), "json");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["today"], TODAY);
    assert_eq!(
        value["plan"]["plan"]["name"],
        "Tramora 2026 sales & marketing plan"
    );
    assert_eq!(value["derived"]["gaps"]["kpis"][0]["id"], "sqls");
    assert_eq!(value["derived"]["gaps"]["kpis"][0]["status"], "overdue");
    assert_eq!(value["derived"]["funnel"]["customers"], 70);
    assert_eq!(
        value["derived"]["completeness"]["steps"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    assert_eq!(value["derived"]["smart"].as_array().unwrap().len(), 5);
    // Documented key order.
    let top: Vec<usize> = ["\"rumbo_export\"", "\"today\"", "\"plan\"", "\"derived\""]
        .iter()
        .map(|k| json.find(k).unwrap())
        .collect();
    assert!(top.windows(2).all(|w| w[0] < w[1]), "key order");
    insta::assert_snapshot!("example_json", json);
}

#[test]
fn csv_of_the_example_plan() {
    let csv = export(&example_path(), "csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 9, "header and one row per KPI");
    assert!(lines[0].starts_with("id,name,unit,direction,owner,baseline,current"));
    // Gap-table order, numbers unrounded, empty when undefined.
    assert!(lines[1].starts_with("sqls,"));
    assert!(lines[1].contains(",22.860613280475008,"), "{}", lines[1]);
    assert!(lines[4].starts_with("ltv,") && lines[4].ends_with(",,,no_forecast"));
    insta::assert_snapshot!("example_csv", csv);
}

#[test]
fn the_library_gives_the_same_text_as_the_command() {
    use rumbo::export::{Format, export as export_text};
    let plan = rumbo::store::open(&example_path()).unwrap().file.plan;
    let today = TODAY.parse().unwrap();
    for (format, name) in [
        (Format::Markdown, "markdown"),
        (Format::Html, "html"),
        (Format::Json, "json"),
        (Format::Csv, "csv"),
    ] {
        let text = export_text(&plan, today, format).unwrap();
        assert_eq!(text, export(&example_path(), name), "{name}");
    }
}

// --- Hostile plan text ----------------------------------------------------

const HOSTILE: &str = r#"schema_version = 1

[plan]
name = "Fish & <Chips> plan"
company = "A & B <script>alert('co')</script>"
currency = "EUR"

[research]
industry_trends = """
Prices | margins are *falling* & <b>fast</b>.
# not a heading
- not a list"""

[[research.competitors]]
name = "Pipe | Co"
notes = "C:\\temp\\x and a\nsecond line"

[[kpis]]
id = "mrr"
name = "<script>alert(\"x\")</script> & revenue"
direction = "increase"
baseline = { value = 10.0, date = 2026-01-01 }
target = { value = 20.0, date = 2026-12-31 }
actuals = [ { date = 2026-02-28, value = 12.0 } ]
forecast = { method = "linear" }
"#;

#[test]
fn html_escapes_every_plan_text() {
    let (_dir, path) = plan_file(HOSTILE);
    let html = export(&path, "html");
    assert!(!html.contains("<script"), "no script tag survives:\n{html}");
    assert!(!html.contains("<b>fast"), "no markup from the plan");
    assert!(!html.contains("<Chips>"));
    assert!(html.contains("&lt;script&gt;alert("), "escaped KPI name");
    assert!(html.contains("Fish &amp; &lt;Chips&gt; plan"));
    assert!(html.contains("A &amp; B"));
    assert!(html.contains("Prices | margins are *falling* &amp; &lt;b&gt;fast&lt;&#x2f;b&gt;."));
    // The chart's title and caption too.
    assert!(html.contains("<title>&lt;script&gt;alert("));
}

#[test]
fn markdown_escapes_plan_text() {
    let (_dir, path) = plan_file(HOSTILE);
    let md = export(&path, "markdown");
    assert_no_empty_headings(&md);
    assert!(md.contains("\\<script>alert"), "{md}");
    assert!(md.contains("Prices \\| margins are \\*falling\\* & \\<b>fast\\</b>."));
    assert!(md.contains("\n\\# not a heading\n"));
    assert!(md.contains("\n\\- not a list"));
    // A table cell: pipe, backslashes and the line break are harmless.
    let row = md
        .lines()
        .find(|l| l.starts_with("| Pipe"))
        .expect("competitor row");
    assert_eq!(row, "| Pipe \\| Co | C:\\\\temp\\\\x and a second line |");
}

#[test]
fn csv_quotes_commas_and_quotes_in_kpi_names() {
    let plan = r#"schema_version = 1
[plan]
name = "Quotes"
[[kpis]]
id = "net"
name = "Revenue, \"net\" of refunds"
unit = "currency"
direction = "increase"
owner = "ana, the boss"
baseline = { value = 1.5, date = 2026-01-01 }
target = { value = 3.0, date = 2026-12-31 }
"#;
    let (_dir, path) = plan_file(plan);
    // The owner is no team member: an error, listed on stderr (a CSV has
    // no room for a draft note).
    let (csv_text, stderr) = export_draft(&path, "csv");
    assert!(
        stderr.contains("plan.toml:9:9: error:") && stderr.contains("draft"),
        "{stderr}"
    );
    assert!(
        csv_text.contains(r#"net,"Revenue, ""net"" of refunds",currency,increase,"ana, the boss",1.5,1.5,2026-01-01,3,2026-12-31,1.5,0,"#),
        "{csv_text}"
    );
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "Revenue, \"net\" of refunds");
    assert_eq!(&row[4], "ana, the boss");
    let forecast = headers.iter().position(|h| h == "forecast").unwrap();
    assert_eq!(&row[forecast], "", "undefined is empty");
    assert_eq!(&row[headers.len() - 1], "no_forecast");
}

// --- Empty plans ----------------------------------------------------------

#[test]
fn an_empty_plan_has_no_empty_sections() {
    let (_dir, path) = plan_file("schema_version = 1\n[plan]\nname = \"Empty\"\n");
    let md = export(&path, "markdown");
    assert_no_empty_headings(&md);
    assert!(!md.contains("\n## "), "no sections at all:\n{md}");
    let html = export(&path, "html");
    assert!(!html.contains("<h2>"));
    let csv_text = export(&path, "csv");
    assert_eq!(csv_text.lines().count(), 1, "only the header");
    let json: serde_json::Value = serde_json::from_str(&export(&path, "json")).unwrap();
    assert_eq!(json["derived"]["funnel"], serde_json::Value::Null);
}

// --- Output to a file, and errors -----------------------------------------

#[test]
fn output_goes_to_a_file_and_its_path_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("plan.md");
    let out = rumbo(dir.path())
        .arg("export")
        .arg(example_path())
        .args(["--format", "markdown", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&target.display().to_string()), "{stderr}");
    let written = std::fs::read_to_string(&target).unwrap();
    assert_eq!(written, export(&example_path(), "markdown"));
    // Again over the existing file: replaced.
    let out = rumbo(dir.path())
        .arg("export")
        .arg(example_path())
        .args(["--format", "csv", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("id,name,")
    );
}

#[test]
fn the_plan_file_is_never_the_output() {
    let (dir, path) = plan_file(HOSTILE);
    let out = rumbo(dir.path())
        .arg("export")
        .arg(&path)
        .args(["--format", "markdown", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), HOSTILE);
}

#[test]
fn an_unreadable_plan_is_a_located_error_not_a_panic() {
    let (dir, path) = plan_file("schema_version = 1\n[plan\nname = \"x\"\n");
    let out = rumbo(dir.path())
        .arg("export")
        .arg(&path)
        .args(["--format", "html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("plan.toml:2:"), "{stderr}");
    assert!(!stderr.contains("panicked"));

    let out = rumbo(dir.path())
        .args(["export", "missing", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn a_missing_output_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = rumbo(dir.path())
        .arg("export")
        .arg(example_path())
        .args(["--format", "json", "-o"])
        .arg(dir.path().join("no/such/dir/out.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("rumbo: could not write"), "{stderr}");
}

// --- Texts ------------------------------------------------------------------

/// Every `export.*` and `actuals.*` key the code names exists in English
/// (tests/locale.rs does not scan these prefixes), and so do the keys
/// built at run time.
#[test]
fn every_export_and_actuals_key_has_an_english_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("actuals.rs"), root.join("cli.rs")];
    for entry in std::fs::read_dir(root.join("export")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let mut keys = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, part) in text.split('"').enumerate() {
            let is_key = i % 2 == 1
                && (part.starts_with("export.") || part.starts_with("actuals."))
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
                && !part.ends_with('.');
            if is_key {
                keys.push(part.to_string());
            }
        }
    }
    assert!(keys.len() > 50, "the scan finds the keys ({})", keys.len());
    for team in ["marketing", "sales", "other"] {
        keys.push(format!("export.team.{team}"));
    }
    for direction in ["increase", "decrease"] {
        keys.push(format!("export.direction.{direction}"));
    }
    // A count's key (`tn`) has its two forms instead of a text.
    let present = |k: &str| {
        rumbo::i18n::has(k)
            || (rumbo::i18n::has(&format!("{k}.one")) && rumbo::i18n::has(&format!("{k}.other")))
    };
    let missing: Vec<&String> = keys.iter().filter(|k| !present(k)).collect();
    assert!(missing.is_empty(), "missing locale keys: {missing:?}");
}
