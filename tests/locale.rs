//! Every text key the code asks for exists in the English locale, the
//! Spanish locale has exactly the same keys and placeholders, and the
//! language is chosen from `--lang`, `RUMBO_LANG`, `LC_ALL`, `LC_MESSAGES`
//! and `LANG`, in that order.

use std::path::Path;

use rumbo::i18n::{self, Lang};

/// Prefixes of locale keys as they appear in string literals in the code.
const PREFIXES: &[&str] = &[
    "advice.",
    "cli.",
    "col.",
    "diag.",
    "f.",
    "form.",
    "help.",
    "keys.",
    "load.",
    "msg.",
    "paths.",
    "problem.",
    "section.",
    "start.",
    "store.",
    "summary.",
    "table.",
    "ui.",
    "view.",
    "forecast.",
    "number.",
    "date.",
    "decode.",
];

fn literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

fn scan(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scan(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for lit in literals(&text) {
                let is_key = PREFIXES.iter().any(|p| lit.starts_with(p))
                    && lit.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                    })
                    && !lit.ends_with('.');
                if is_key {
                    found.push((path.display().to_string(), lit));
                }
            }
        }
    }
}

#[test]
fn every_key_in_the_code_has_an_english_text() {
    let mut found = Vec::new();
    scan(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path(),
        &mut found,
    );
    assert!(
        found.len() > 100,
        "the scan finds the keys ({})",
        found.len()
    );
    let missing: Vec<String> = found
        .into_iter()
        .filter(|(_, key)| {
            // Field keys are looked up as `<key>.label`.
            let is_field = key.starts_with("f.") && key.matches('.').count() == 1;
            let key = if is_field {
                format!("{key}.label")
            } else {
                key.clone()
            };
            // A plural key (`i18n::tn`) is a table of `one` and `other`.
            let plural = i18n::has(&format!("{key}.one")) && i18n::has(&format!("{key}.other"));
            !(i18n::has(&key) || plural)
        })
        .map(|(file, key)| format!("{file}: {key}"))
        .collect();
    assert!(
        missing.is_empty(),
        "missing locale keys:\n{}",
        missing.join("\n")
    );
}

#[test]
fn keys_built_at_run_time_have_english_texts() {
    use rumbo::metrics::Status;
    use rumbo::plan::{SourceKind, Stage};
    use rumbo::tui::steps::Step;
    let mut keys = Vec::new();
    for s in Stage::ALL {
        keys.push(format!("stage.{}", s.key()));
    }
    for k in SourceKind::ALL {
        keys.push(format!("source_kind.{}", k.key()));
        if k != SourceKind::Other {
            keys.push(format!("suggest.{}", k.key()));
        }
    }
    for s in Status::ALL {
        keys.push(format!("status.{}", s.key()));
    }
    for step in Step::ALL {
        for part in ["title", "short", "guide"] {
            keys.push(format!("{}.{part}", step.key()));
        }
    }
    for s in ["todo", "doing", "done", "dropped"] {
        keys.push(format!("action_status.{s}"));
    }
    for s in ["evaluating", "adopted", "rejected"] {
        keys.push(format!("tool_status.{s}"));
    }
    for s in ["marketing", "sales", "other"] {
        keys.push(format!("team_kind.{s}"));
    }
    for s in [
        "collateral",
        "analytics-utm",
        "campaign",
        "call-script",
        "enablement-tools",
        "upsells",
    ] {
        keys.push(format!("example_action.{s}"));
    }
    for s in [
        "more-sqls",
        "cut-churn",
        "faster-sales",
        "raise-ltv",
        "new-region",
        "pricing-conversion",
    ] {
        keys.push(format!("example_goal.{s}.title"));
        keys.push(format!("example_goal.{s}.specific"));
    }
    for m in ["none", "linear", "growth", "manual"] {
        keys.push(format!("method.{m}"));
    }
    for u in rumbo::plan::Unit::ALL {
        keys.push(format!("unit.{}", u.key()));
    }
    for r in ["hire", "budget", "tactics", "new_channel", "other"] {
        keys.push(format!("remedy.{r}"));
    }
    for r in [
        "specific_empty",
        "specific_no_verb",
        "specific_no_object",
        "specific_not_concrete",
        "no_kpi",
        "kpi_unknown",
        "achievable_empty",
        "required_far_beyond_trend",
        "relevant_missing",
        "no_start",
        "no_end",
        "end_before_start",
    ] {
        keys.push(format!("smart.{r}"));
    }
    for m in 1..=12 {
        keys.push(format!("date.month_name.{m}"));
        keys.push(format!("date.month_abbr.{m}"));
    }
    let missing: Vec<&String> = keys.iter().filter(|k| !i18n::has(k)).collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
}

#[test]
fn guidance_differs_by_stage_for_the_first_steps() {
    for step in ["step.research", "step.customers", "step.situation"] {
        let pre = i18n::t(&format!("{step}.guide_pre_revenue"));
        let growth = i18n::t(&format!("{step}.guide_growth"));
        assert_ne!(pre, growth);
        assert!(!pre.starts_with("step."), "{step} has pre-revenue guidance");
    }
}

#[test]
fn spanish_and_english_have_exactly_the_same_keys() {
    let en = i18n::keys(Lang::En);
    let es = i18n::keys(Lang::Es);
    let only_en: Vec<&&str> = en
        .iter()
        .filter(|k| i18n::t_in(Lang::Es, k).is_none())
        .collect();
    let only_es: Vec<&&str> = es
        .iter()
        .filter(|k| i18n::t_in(Lang::En, k).is_none())
        .collect();
    assert!(
        only_en.is_empty(),
        "keys missing from assets/locales/es.toml:\n{only_en:#?}"
    );
    assert!(
        only_es.is_empty(),
        "keys in es.toml that en.toml does not have:\n{only_es:#?}"
    );
    assert!(es.len() > 900, "the Spanish locale is whole ({})", es.len());
}

#[test]
fn spanish_texts_keep_the_placeholders_of_english() {
    let mut wrong = Vec::new();
    for key in i18n::keys(Lang::En) {
        let (Some(en), Some(es)) = (i18n::t_in(Lang::En, key), i18n::t_in(Lang::Es, key)) else {
            continue;
        };
        let (a, b) = (i18n::placeholders(en), i18n::placeholders(es));
        if a != b {
            wrong.push(format!("{key}: English {a:?}, Spanish {b:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "placeholders differ:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn spanish_texts_are_written_in_spanish() {
    // Words that are the same in both languages (names, codes, key names).
    let same: &[&str] = &[
        "app.name",
        "start.title",
        "cli.col_name",
        "gaps.kpi",
        "col.kpi",
        "col.id",
        "col.smart",
        "form.no",
        "form.unit_rate",
        "f.persona_id.label",
        "f.goal_id.label",
        "f.kpi_id.label",
        "f.member_id.label",
        "f.action_id.label",
        "f.action_kpi.label",
        "f.def_lead.label",
        "diag.error",
        "export.none",
        "export.no",
        "export.money",
        "export.period",
        "export.checks",
        "export.smart_ok",
        "export.smart_reason",
        "export.chart_caption",
        "export.col.total",
        "export.stage.leads",
        "export.team.marketing",
        "export.unit_value.percent",
        "export.unit_value.hours",
        "export.col.now",
        "export.col.planned",
        "goal_team.marketing",
        "team_kind.marketing",
        "keys.export_md",
        "keys.export_html",
        "keys.export_json",
        "keys.export_csv",
        "unit.ratio",
        "table.share_total",
        "section.kpis",
        "f.kpis.label",
        "f.forecast_kpis.label",
        "view.kpis",
        "step.kpis.short",
        "col.total",
        "smart.no_kpi",
        "chart.monthly",
        "number.thousands",
        "padre.members",
        "date.month_year_short",
        // Counts whose word is the same in both languages.
        "ui.errors.one",
        "funnel.sqls.one",
        "funnel.mqls.one",
        "funnel.leads.one",
        "funnel.leads.other",
    ];
    let untranslated: Vec<&str> = i18n::keys(Lang::En)
        .into_iter()
        .filter(|k| !same.contains(k))
        .filter(|k| i18n::t_in(Lang::En, k) == i18n::t_in(Lang::Es, k))
        .filter(|k| i18n::t_in(Lang::En, k).is_some_and(|t| t.chars().any(char::is_alphabetic)))
        .collect();
    assert!(
        untranslated.len() <= 12,
        "texts that read the same in Spanish as in English:\n{untranslated:#?}"
    );
}

#[test]
fn both_locales_say_how_numbers_are_written() {
    assert_eq!(i18n::t_in(Lang::Es, "number.decimal"), Some(","));
    assert_eq!(i18n::t_in(Lang::Es, "number.thousands"), Some("."));
    assert_eq!(i18n::t_in(Lang::Es, "export.number.decimal"), Some(","));
    assert_eq!(i18n::t_in(Lang::En, "number.decimal"), Some("."));
}

mod command_line {
    use std::path::Path;

    use assert_cmd::Command;

    const TODAY: &str = "2026-11-15";

    /// `rumbo` with no language set anywhere, and the example plan.
    fn rumbo(dir: &Path) -> Command {
        let mut cmd = Command::cargo_bin("rumbo").unwrap();
        cmd.env("NO_COLOR", "1")
            .env_remove("RUMBO_LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG")
            .env_remove("RUMBO_TODAY")
            .arg("--data-dir")
            .arg(dir)
            .arg("--today")
            .arg(TODAY);
        cmd
    }

    fn example(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("ejemplo.toml");
        std::fs::write(&path, rumbo::store::EXAMPLE).unwrap();
        path
    }

    fn gaps_heading(cmd: &mut Command, path: &Path) -> String {
        let out = cmd.arg("gaps").arg(path).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    }

    /// Environment variables, arguments, and the language expected.
    type Case = (
        &'static [(&'static str, &'static str)],
        &'static [&'static str],
        &'static str,
    );

    #[test]
    fn the_language_comes_from_the_flag_then_rumbo_lang_then_the_locale_variables() {
        let dir = tempfile::tempdir().unwrap();
        let path = example(dir.path());
        let english = "KPI gaps";
        let spanish = "Brechas de KPI";
        assert!(gaps_heading(&mut rumbo(dir.path()), &path).starts_with(english));
        let cases: &[Case] = &[
            (&[("LANG", "es_ES.UTF-8")], &[], spanish),
            (&[("LANG", "es_MX")], &[], spanish),
            (&[("LANG", "fr_FR.UTF-8")], &[], english),
            (
                &[("LC_MESSAGES", "es_ES.UTF-8"), ("LANG", "en_GB.UTF-8")],
                &[],
                spanish,
            ),
            (
                &[("LC_ALL", "en_US.UTF-8"), ("LANG", "es_ES.UTF-8")],
                &[],
                english,
            ),
            (
                &[("RUMBO_LANG", "es"), ("LC_ALL", "en_US.UTF-8")],
                &[],
                spanish,
            ),
            (&[("RUMBO_LANG", "es")], &["--lang", "en"], english),
            (&[("LANG", "en_US.UTF-8")], &["--lang", "es"], spanish),
        ];
        for (env, args, want) in cases {
            let mut cmd = rumbo(dir.path());
            for (k, v) in *env {
                cmd.env(k, v);
            }
            cmd.args(*args);
            let heading = gaps_heading(&mut cmd, &path);
            assert!(heading.starts_with(want), "{env:?} {args:?}: {heading}");
        }
    }

    #[test]
    fn rumbo_gaps_in_spanish_shows_spanish_figures_and_json_stays_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = example(dir.path());
        let out = rumbo(dir.path())
            .args(["--lang", "es", "gaps"])
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let mrr = text.lines().find(|l| l.starts_with("mrr")).unwrap();
        assert!(mrr.contains("28.180") && mrr.contains("30.484,4"), "{mrr}");
        assert!(mrr.contains("en ruta"), "{mrr}");
        // Dates as Spanish writes them, day first.
        assert!(mrr.contains("31/12/2026"), "{mrr}");
        assert!(
            text.lines().next().unwrap().contains("15/11/2026"),
            "{text}"
        );
        assert!(!text.contains("2026-12-31"), "{text}");
        assert!(text.contains("100.000 visitas"), "{text}");
        let json = |lang: &str| {
            rumbo(dir.path())
                .args(["--lang", lang, "gaps", "--json"])
                .arg(&path)
                .output()
                .unwrap()
                .stdout
        };
        assert_eq!(
            json("es"),
            json("en"),
            "JSON does not depend on the language"
        );
    }

    #[test]
    fn exports_in_spanish_have_spanish_headings_and_data_exports_stay_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = example(dir.path());
        let export = |lang: &str, format: &str| {
            let out = rumbo(dir.path())
                .args(["--lang", lang, "export", "--format", format])
                .arg(&path)
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
            String::from_utf8(out.stdout).unwrap()
        };
        let md = export("es", "markdown");
        for heading in [
            "# Plan de marketing: ",
            "## Marketing mix: las 5 P",
            "# Plan de ventas: ",
            "## KPI y brechas",
        ] {
            assert!(md.contains(heading), "{heading} in\n{md}");
        }
        assert!(md.contains("30.000 EUR"), "{md}");
        assert!(!md.contains("Marketing plan"), "{md}");
        // Dates day first (dd/mm/aaaa), never ISO, in the documents.
        assert!(md.contains("15/11/2026"), "today, in the subtitle: {md}");
        assert!(md.contains("31/12/2026"), "a deadline: {md}");
        assert!(md.contains("01/12/2025"), "the plan's creation: {md}");
        let iso = regex_like_iso(&md);
        assert!(iso.is_empty(), "ISO dates in the Spanish Markdown: {iso:?}");
        let html = export("es", "html");
        assert!(html.contains("lang=\"es\""), "{html}");
        assert!(html.contains("Plan de ventas"), "{html}");
        assert!(html.contains("31/12/2026"), "{html}");
        assert!(
            html.contains("dic. 2026") || html.contains("sept. 2026"),
            "{html}"
        );
        // Data exports keep ISO dates whatever the language.
        let json = export("es", "json");
        assert!(json.contains("\"2026-12-31\""), "{json}");
        assert!(!json.contains("31/12/2026"), "{json}");
        assert_eq!(json, export("en", "json"));
        let csv = export("es", "csv");
        assert!(csv.contains(",2026-12-31,"), "{csv}");
        assert!(!csv.contains("31/12/2026"), "{csv}");
        assert_eq!(csv, export("en", "csv"));
    }

    /// The `YYYY-MM-DD` dates in `text`.
    fn regex_like_iso(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
        (0..chars.len())
            .filter(|&i| {
                (0..4).all(|k| digit(i + k))
                    && chars.get(i + 4) == Some(&'-')
                    && digit(i + 5)
                    && digit(i + 6)
                    && chars.get(i + 7) == Some(&'-')
                    && digit(i + 8)
                    && digit(i + 9)
            })
            .map(|i| chars[i..i + 10].iter().collect())
            .collect()
    }

    #[test]
    fn errors_come_out_in_spanish() {
        let dir = tempfile::tempdir().unwrap();
        let out = rumbo(dir.path())
            .args(["--lang", "es", "check"])
            .arg(dir.path().join("nada.toml"))
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("no se puede leer"), "{said}");
        // A bad argument, before the arguments are even parsed.
        let out = Command::cargo_bin("rumbo")
            .unwrap()
            .env_remove("RUMBO_LANG")
            .env_remove("RUMBO_TODAY")
            .args(["--lang", "es", "--today", "2026-02-30", "list"])
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("no es una fecha que exista"), "{err}");
    }
}

#[test]
fn counts_use_plural_forms_not_an_s_in_brackets() {
    // "1 reps needed", "3 error(s)": a count is said with the locale's
    // `one` / `other` forms (`i18n::tn`). The exported documents' texts
    // (`export.`) have their own plurals.
    let mut bracketed = Vec::new();
    for lang in Lang::ALL {
        for key in i18n::keys(lang) {
            let text = i18n::t_in(lang, key).unwrap_or_default();
            if !key.starts_with("export.")
                && ["(s)", "(es)", "(S)"].iter().any(|s| text.contains(s))
            {
                bracketed.push(format!("{lang:?} {key}: {text}"));
            }
        }
    }
    assert!(bracketed.is_empty(), "{bracketed:#?}");
    // Every plural key has both forms.
    for key in i18n::english_keys() {
        if let Some(stem) = key.strip_suffix(".one") {
            assert!(
                i18n::has(&format!("{stem}.other")),
                "{stem} has no other form"
            );
        }
    }
}
