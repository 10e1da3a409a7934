//! `rumbo gaps`: the table, the JSON shape of metrics.md, --scenario, --fail-on.

mod common;

use common::write_plan;

use assert_cmd::Command;

/// The worked examples of metrics.md in one plan.
const WORKED: &str = r#"schema_version = 1

[plan]
name = "Acme Analytics"

[[kpis]]
id = "mrr"
name = "Monthly recurring revenue"
unit = "currency"
direction = "increase"
owner = "ana"
baseline = { value = 10000.0, date = 2026-01-01 }
target = { value = 20000.0, date = 2026-12-31 }
actuals = [
  { date = 2026-01-31, value = 10800.0 },
  { date = 2026-02-28, value = 11500.0 },
  { date = 2026-03-31, value = 12100.0 },
  { date = 2026-04-30, value = 12900.0 },
]
forecast = { method = "linear" }

[[kpis]]
id = "mrr-growth"
name = "MRR with growth"
unit = "currency"
direction = "increase"
baseline = { value = 10000.0, date = 2026-01-01 }
target = { value = 20000.0, date = 2026-12-31 }
actuals = [
  { date = 2026-04-30, value = 12900.0 },
]
forecast = { method = "growth", monthly_rate = 0.06 }

[[scenarios]]
name = "pessimistic"
multiplier = 0.7

[funnel]
revenue_goal = 1000000.0
months = 12
average_deal_value = 5000.0
[funnel.rates]
visit_to_lead = 0.02
lead_to_mql = 0.4
mql_to_sql = 0.3
sql_to_customer = 0.2
[funnel.sales]
meetings_per_sql = 2.0
calls_per_meeting = 5.0
calls_per_rep_per_month = 400.0
[funnel.sla]
mql_per_month = 250
follow_up_hours = 24

[team]
[[team.members]]
id = "ana"
name = "Ana"
"#;

/// [`WORKED`] as the plan `acme.toml` in a data directory of its own.
fn plan_file() -> (tempfile::TempDir, std::path::PathBuf) {
    write_plan("acme.toml", WORKED)
}

fn rumbo(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("rumbo").unwrap();
    cmd.env("NO_COLOR", "1")
        // English whatever the machine's locale.
        .env("RUMBO_LANG", "en")
        .env_remove("RUMBO_TODAY")
        .arg("--data-dir")
        .arg(dir);
    cmd
}

fn close(v: &serde_json::Value, want: f64, tol: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!((got - want).abs() <= tol, "{got} vs {want}");
}

#[test]
fn json_matches_the_worked_examples_of_the_spec() {
    let (dir, path) = plan_file();
    let out = rumbo(dir.path())
        .args(["gaps", "--json", "--today", "2026-05-31"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["plan"], "Acme Analytics");
    assert_eq!(v["today"], "2026-05-31");
    assert_eq!(v["scenario"], "base");
    let mrr = v["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "mrr")
        .unwrap();
    assert_eq!(mrr["current"], 12900.0);
    assert_eq!(mrr["current_date"], "2026-04-30");
    assert_eq!(mrr["deadline"], "2026-12-31");
    assert_eq!(mrr["owner"], "ana");
    close(&mrr["gap"], 7100.0, 1e-9);
    close(&mrr["progress_pct"], 29.0, 1e-9);
    close(&mrr["months_left"], 7.0308, 0.00005);
    close(&mrr["required_per_month"], 1009.84, 0.005);
    close(&mrr["forecast"], 18743.86, 0.005);
    close(&mrr["forecast_gap"], 1256.14, 0.005);
    assert_eq!(mrr["status"], "off_track");
    let growth = v["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "mrr-growth")
        .unwrap();
    close(&growth["forecast"], 20619.77, 0.005);
    assert_eq!(growth["status"], "on_track");
    assert_eq!(growth["owner"], serde_json::Value::Null);
    // Worst first.
    assert_eq!(v["kpis"][0]["id"], "mrr");
    assert_eq!(v["summary"]["off_track"], 1);
    assert_eq!(v["summary"]["on_track"], 1);
    let f = &v["funnel"];
    for (key, want) in [
        ("customers", 200),
        ("sqls", 1000),
        ("mqls", 3334),
        ("leads", 8335),
        ("visits", 416750),
    ] {
        assert_eq!(f[key], want, "{key}");
    }
    for (key, want) in [
        ("customers", 17),
        ("sqls", 84),
        ("mqls", 278),
        ("leads", 695),
        ("visits", 34730),
    ] {
        assert_eq!(f["per_month"][key], want, "per month {key}");
    }
    assert_eq!(f["meetings"], 2000);
    assert_eq!(f["calls"], 10000);
    assert_eq!(f["reps_needed"], 3);
    assert_eq!(f["sla"]["mql_gap_per_month"], 28);
    assert_eq!(f["sla"]["sql_gap_per_month"], serde_json::Value::Null);
    assert_eq!(f["sla"]["follow_up_hours"], 24);
    // Keys come in the spec's order.
    let plan_at = text.find("\"plan\"").unwrap();
    let today_at = text.find("\"today\"").unwrap();
    let kpis_at = text.find("\"kpis\"").unwrap();
    let funnel_at = text.find("\"funnel\"").unwrap();
    assert!(plan_at < today_at && today_at < kpis_at && kpis_at < funnel_at);
}

#[test]
fn the_table_is_plain_in_a_pipe_and_lists_the_funnel() {
    let (dir, path) = plan_file();
    let out = rumbo(dir.path())
        .args(["gaps", "--today", "2026-05-31"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no colour codes in a pipe");
    let mrr = text.lines().find(|l| l.starts_with("mrr ")).unwrap();
    assert!(
        mrr.contains("12900") && mrr.contains("7100") && mrr.contains("off track"),
        "{mrr}"
    );
    assert!(mrr.contains("18743.9") && mrr.contains("1009.8"), "{mrr}");
    assert!(
        text.contains("200 customers ← 1000 SQLs ← 3334 MQLs ← 8335 leads ← 416750 visits"),
        "{text}"
    );
    assert!(text.contains("3 sales reps needed"), "{text}");
    assert!(text.contains("MQLs short by 28"), "{text}");
}

#[test]
fn fail_on_exits_3_when_a_kpi_has_that_status() {
    let (dir, path) = plan_file();
    rumbo(dir.path())
        .args([
            "gaps",
            "--today",
            "2026-05-31",
            "--fail-on",
            "off_track,overdue",
        ])
        .arg(&path)
        .assert()
        .code(3);
    rumbo(dir.path())
        .args(["gaps", "--today", "2026-05-31", "--fail-on", "overdue"])
        .arg(&path)
        .assert()
        .code(0);
    // After the deadline, the unmet KPIs are overdue.
    rumbo(dir.path())
        .args(["gaps", "--today", "2027-02-01", "--fail-on", "overdue"])
        .arg(&path)
        .assert()
        .code(3);
    let out = rumbo(dir.path())
        .args(["gaps", "--fail-on", "late"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("off_track"));
}

#[test]
fn scenarios_scale_the_forecast() {
    let (dir, path) = plan_file();
    let out = rumbo(dir.path())
        .args([
            "gaps",
            "--json",
            "--today",
            "2026-05-31",
            "--scenario",
            "pessimistic",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"], "pessimistic");
    let mrr = v["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "mrr")
        .unwrap();
    close(&mrr["forecast"], 12900.0 + 0.7 * (18743.86 - 12900.0), 0.01);
    let out = rumbo(dir.path())
        .args(["gaps", "--scenario", "rosy"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pessimistic"));
}

#[test]
fn today_comes_from_the_environment_when_not_given() {
    let (dir, path) = plan_file();
    let out = rumbo(dir.path())
        .env("RUMBO_TODAY", "2026-05-31")
        .args(["gaps", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["today"], "2026-05-31");
}
