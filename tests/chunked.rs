//! Big plans are parsed in parts (`store::chunk`); the parts must give
//! exactly the plan a whole-file parse gives, or nothing (and the loader then
//! parses the whole file). These tests compare the two on real, generated,
//! hostile and randomly damaged plans.

#[path = "../benches/fixtures/mod.rs"]
mod fixtures;

use rumbo::plan::Plan;
use rumbo::store::chunk;

/// `chunk::split` done with TOML's own lexer: where it cuts must be where
/// the lexer says headers start.
fn split_by_lexer(text: &str) -> chunk::Split {
    use toml_parser::Source;
    use toml_parser::lexer::TokenKind;
    #[derive(Clone, Copy, PartialEq)]
    enum Segment {
        Rest,
        Piece(usize),
    }
    let source = Source::new(text);
    let mut tokens = source.lex().peekable();
    let mut starts: Vec<(usize, Segment)> = vec![(0, Segment::Rest)];
    let mut current = Segment::Rest;
    let mut depth = 0usize;
    let mut line_start = true;
    while let Some(token) = tokens.next() {
        match token.kind() {
            TokenKind::Eof => break,
            TokenKind::Newline => {
                if depth == 0 {
                    line_start = true;
                }
            }
            TokenKind::Whitespace | TokenKind::Comment if line_start => {}
            TokenKind::LeftSquareBracket if line_start => {
                let at = token.span().start();
                let (mut double, mut first, mut dotted, mut seen_key, mut closed) =
                    (false, None, false, false, false);
                if let Some(next) = tokens.peek()
                    && next.kind() == TokenKind::LeftSquareBracket
                    && next.span().start() == token.span().end()
                {
                    double = true;
                    tokens.next();
                }
                while let Some(t) = tokens.peek() {
                    match t.kind() {
                        TokenKind::Newline | TokenKind::Eof => break,
                        TokenKind::RightSquareBracket => closed = true,
                        TokenKind::Dot if !closed => dotted = true,
                        TokenKind::Atom if !closed && !seen_key => {
                            seen_key = true;
                            let raw = &text[t.span().start()..t.span().end()];
                            dotted |= raw.contains('.');
                            let head = raw.split('.').next().unwrap_or("");
                            let bare = head
                                .bytes()
                                .take_while(|b| {
                                    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')
                                })
                                .count();
                            first = Some(&head[..bare]);
                        }
                        TokenKind::BasicString | TokenKind::LiteralString if !seen_key => {
                            seen_key = true;
                        }
                        _ => {}
                    }
                    tokens.next();
                }
                let array = first.and_then(|f| chunk::ARRAYS.iter().position(|a| *a == f));
                let element = double && !dotted;
                let next = match (array, current) {
                    (Some(a), _) if element => Segment::Piece(a),
                    (Some(a), Segment::Piece(c)) if a == c => current,
                    _ => Segment::Rest,
                };
                if next != current || (array.is_some() && element) {
                    starts.push((at, next));
                    current = next;
                }
                line_start = false;
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => {
                depth += 1;
                line_start = false;
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                depth = depth.saturating_sub(1);
                line_start = false;
            }
            _ => line_start = false,
        }
    }
    let mut split = chunk::Split {
        pieces: Vec::new(),
        rest: Vec::new(),
    };
    for (n, (start, segment)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(text.len(), |(s, _)| *s);
        match segment {
            Segment::Rest => split.rest.push(*start..end),
            Segment::Piece(a) => split.pieces.push((*a, *start..end)),
        }
    }
    split
}

/// The parts agree with the whole: same plan, or the parts give up. On
/// valid TOML the scanner cuts exactly where TOML's lexer says headers are.
fn agrees(text: &str, what: &str) {
    if text.parse::<toml::Table>().is_ok() {
        assert_eq!(
            chunk::split(text),
            split_by_lexer(text),
            "{what}: the scanner and the lexer disagree"
        );
    }
    let whole = toml::from_str::<Plan>(text);
    // Giving up (`None`) is always safe: the loader then parses the whole file.
    if let Some(parts) = chunk::parse_parts(text) {
        match whole {
            // Debug, not ==, so that NaN compares equal to itself.
            Ok(whole) => assert!(
                format!("{parts:?}") == format!("{whole:?}"),
                "{what}: the parts give another plan"
            ),
            Err(e) => panic!("{what}: the parts parse a file the whole refuses: {e}"),
        }
    }
}

#[test]
fn the_example_and_the_medium_plan_parse_the_same_in_parts() {
    let example = fixtures::text(fixtures::Size::S);
    let parts = chunk::parse_parts(example).expect("the example parses in parts");
    assert_eq!(parts, toml::from_str::<Plan>(example).expect("valid"));
    let medium = fixtures::text(fixtures::Size::M);
    assert!(medium.len() > chunk::MIN_BYTES);
    let parts = chunk::parse(medium).expect("M parses in parts");
    assert_eq!(parts.kpis.len(), 1_000);
    assert_eq!(parts.actions.len(), 2_000);
    assert!(parts == toml::from_str::<Plan>(medium).expect("valid"));
    agrees(medium, "M");
}

#[test]
fn the_nasty_corpus_parses_the_same_in_parts_or_not_at_all() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nasty");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("the corpus") {
        let path = entry.expect("an entry").path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        agrees(&text, &path.display().to_string());
        seen += 1;
    }
    assert!(seen > 20);
}

#[test]
fn element_order_sub_tables_and_interleaving_are_kept() {
    let text = r#"schema_version = 1
[plan]
name = "Order"

[[kpis]]
id = "a"
name = "A"
direction = "increase"
[kpis.baseline]
value = 1.0
date = 2026-01-31
[kpis.target]
value = 2.0
date = 2026-12-31

[[actions]]
id = "first"
title = "first"

[[kpis]]
id = "b"
name = "B"
direction = "decrease"
baseline = { value = 5.0, date = 2026-01-31 }
target = { value = 1.0, date = 2026-12-31 }

[team]
[[team.members]]
id = "ana"
name = "Ana"

[[actions]]
id = "second"
title = "second"
"#;
    if let Err(e) = toml::from_str::<Plan>(text) {
        panic!("the whole file: {e}");
    }
    let parts = chunk::parse_parts(text).expect("parses in parts");
    let ids: Vec<&str> = parts.kpis.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(parts.actions.len(), 2);
    assert_eq!(parts.team.members.len(), 1);
    agrees(text, "interleaved");
}

#[test]
fn definitions_the_whole_file_refuses_are_refused_in_parts() {
    let base = "schema_version = 1\n[plan]\nname = \"x\"\n";
    for (what, tail) in [
        (
            "array twice",
            "kpis = []\n[[kpis]]\nid = \"a\"\nname = \"A\"\n",
        ),
        (
            "late sub-table",
            "[[kpis]]\nid = \"a\"\nname = \"A\"\n[team]\n[kpis.forecast]\nmethod = \"linear\"\n",
        ),
        (
            "duplicate key",
            "[[kpis]]\nid = \"a\"\nid = \"b\"\nname = \"A\"\n",
        ),
        (
            "table as array",
            "[[kpis]]\nid = \"a\"\nname = \"A\"\n[kpis]\n",
        ),
        ("unknown array", "[[kpiz]]\nid = \"a\"\n"),
        ("unterminated", "[[kpis]]\nid = \"a\nname = \"A\"\n"),
    ] {
        let text = format!("{base}{tail}");
        agrees(&text, what);
        assert!(toml::from_str::<Plan>(&text).is_err() || what == "late sub-table");
    }
}

/// xorshift64*, so the damage is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn randomly_damaged_plans_parse_the_same_in_parts_or_not_at_all() {
    let example = fixtures::text(fixtures::Size::S);
    let lines: Vec<&str> = example.lines().collect();
    let snippets = [
        "[[kpis]]",
        "[kpis.forecast]",
        "[[actions]]",
        "\"\"\"",
        "'''",
        "[",
        "]",
        "{",
        "}",
        "#",
        "kpis = []",
        "[team]",
        "x = \"",
        "[[goals]]\nid = \"g\"",
    ];
    let mut rng = Rng(0x00c0_ffee);
    for round in 0..400 {
        let mut damaged: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(damaged.len());
            match rng.below(4) {
                0 => {
                    damaged.remove(at);
                }
                1 => {
                    let line = damaged[rng.below(damaged.len())].clone();
                    damaged.insert(at, line);
                }
                2 => damaged.insert(at, snippets[rng.below(snippets.len())].to_string()),
                _ => {
                    let line = &mut damaged[at];
                    let cut = rng.below(line.len() + 1);
                    if line.is_char_boundary(cut) {
                        line.insert_str(cut, snippets[rng.below(snippets.len())]);
                    }
                }
            }
        }
        let text = damaged.join("\n");
        agrees(&text, &format!("round {round}"));
    }
}

#[test]
fn problems_in_a_big_plan_are_located_where_a_whole_read_puts_them() {
    use rumbo::plan::{PathSeg, Problem, Severity};
    let medium = fixtures::text(fixtures::Size::M);
    let plan = chunk::parse(medium).expect("M parses in parts");
    let mut problems = rumbo::plan::validate(&plan);
    let key = |k: &str| PathSeg::Key(k.to_string());
    for i in (0..plan.kpis.len()).step_by(7) {
        problems.push(Problem {
            severity: Severity::Warning,
            path: vec![key("kpis"), PathSeg::Index(i), key("forecast")],
            message: format!("kpi {i}"),
        });
    }
    // Deeper paths, and ones outside the arrays.
    for path in [
        vec![
            key("kpis"),
            PathSeg::Index(999),
            key("target"),
            key("value"),
        ],
        vec![
            key("kpis"),
            PathSeg::Index(3),
            key("actuals"),
            PathSeg::Index(5),
            key("date"),
        ],
        vec![key("actions"), PathSeg::Index(1999), key("owner")],
        vec![key("team"), key("members"), PathSeg::Index(0), key("id")],
        vec![key("plan"), key("name")],
        vec![key("kpis"), PathSeg::Index(5000)],
    ] {
        problems.push(Problem {
            severity: Severity::Error,
            path,
            message: "made up".to_string(),
        });
    }
    let path = std::path::Path::new("m.toml");
    let cut = rumbo::store::load::locate_all(path, medium, &problems);
    let whole = rumbo::store::load::locate_all_whole(path, medium, &problems);
    assert_eq!(cut.len(), whole.len());
    for (c, w) in cut.iter().zip(&whole) {
        assert_eq!(
            (c.line, c.col, &c.source_line),
            (w.line, w.col, &w.source_line),
            "{}",
            w.message
        );
    }
}

/// Saving a big plan element by element gives the plan back, keeps every
/// unchanged element's text byte for byte, and gives what merging the whole
/// file gives.
#[test]
fn a_big_plan_is_saved_element_by_element() {
    let crlf = fixtures::text(fixtures::Size::M).replace('\n', "\r\n");
    for text in [fixtures::text(fixtures::Size::M), crlf.as_str()] {
        saved_element_by_element(text);
    }
}

fn saved_element_by_element(text: &str) {
    let is_crlf = text.contains('\r');
    let base = chunk::parse(text).expect("M parses in parts");
    assert_eq!(
        chunk::render(text, &base, &base).as_deref(),
        Some(text),
        "an unchanged plan is written back as it was"
    );
    type Edit = fn(&mut Plan);
    let edits: [(&str, Edit); 8] = [
        ("rename a KPI", |p| p.kpis[10].name.push_str(" (renamed)")),
        ("add an actual", |p| {
            let last = *p.kpis[3].actuals.last().expect("actuals");
            p.kpis[3].actuals.push(rumbo::plan::Actual {
                date: "2030-01-31".parse().expect("date"),
                value: last.value + 1.0,
            });
        }),
        ("remove an action", |p| {
            p.actions.remove(7);
        }),
        ("add a KPI", |p| {
            let mut k = p.kpis[0].clone();
            k.id = "brand-new".into();
            k.name = "Brand new".into();
            p.kpis.push(k);
        }),
        ("swap two goals", |p| p.goals.swap(1, 2)),
        ("rename the plan", |p| p.plan.name.push_str(" v2")),
        ("change a team member", |p| {
            p.team.members[0].role = "Chief".into()
        }),
        ("many at once", |p| {
            p.plan.name.push('!');
            p.kpis[999].target.value = p.kpis[999].target.value.map(|v| v + 1.0);
            p.actions[0].title.push('!');
            p.tools.clear();
        }),
    ];
    for (what, edit) in edits {
        let mut plan = base.clone();
        edit(&mut plan);
        let Some(out) = chunk::render(text, &base, &plan) else {
            // Allowed (the whole file is merged then), but not for these.
            panic!("{what}: not saved element by element");
        };
        if is_crlf {
            assert_eq!(bare_lfs(&out), 0, "{what}: a line ends in a bare LF");
        } else {
            assert!(!out.contains('\r'), "{what}: a CR in an LF file");
        }
        let back = toml::from_str::<Plan>(&out).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            back == plan,
            "{what}: the saved file reads back as another plan"
        );
        let whole = rumbo::store::save::render(Some(text), &plan);
        // Edits inside elements and of the rest come out exactly as a merge of
        // the whole file; added and moved rows may differ in blank lines.
        if !matches!(what, "many at once" | "swap two goals" | "add a KPI") {
            let first_diff = out.lines().zip(whole.lines()).position(|(a, b)| a != b);
            assert!(
                out == whole,
                "{what}: differs from merging the whole file at line {first_diff:?}"
            );
        }
        // Unchanged KPIs keep their text.
        let untouched = &text[chunk::split(text).element("kpis", 500).expect("kpi 500")];
        assert!(
            out.contains(untouched),
            "{what}: an unchanged KPI was rewritten"
        );
    }
}

/// Line breaks that are a bare LF.
fn bare_lfs(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() - text.matches("\r\n").count()
}

/// The medium plan with a KPI added by hand at the very end of the file,
/// after the tools, with a comment above it.
fn with_a_late_kpi(ending: &str) -> String {
    let late = "\n# Added in March by hand: tracked apart from the others.\n\
                [[kpis]]\n\
                id = \"late\"\n\
                name = \"Late KPI\"  # keep me\n\
                direction = \"increase\"\n\
                baseline = { value = 1, date = 2026-01-31 }\n\
                target = { value = 2, date = 2026-12-31 }\n";
    format!("{}{late}", fixtures::text(fixtures::Size::M)).replace('\n', ending)
}

/// An element of a root array that stands apart from the others in the file
/// stays where it is, with its comment, whatever else is edited; removed, it
/// takes its comment along; a new element goes after it (issue 11, case 5).
#[test]
fn a_kpi_standing_apart_keeps_its_place_and_its_comment() {
    for ending in ["\n", "\r\n"] {
        let text = with_a_late_kpi(ending);
        let base = chunk::parse(&text).expect("parses in parts");
        assert_eq!(base.kpis.last().map(|k| k.id.as_str()), Some("late"));
        assert_eq!(
            chunk::render(&text, &base, &base).as_deref(),
            Some(text.as_str())
        );

        // Edit KPI 10 and the late one: only those two values change.
        let mut plan = base.clone();
        let old_name = plan.kpis[10].name.clone();
        plan.kpis[10].name.push_str(" (renamed)");
        plan.kpis.last_mut().expect("late").target.value = Some(3.0);
        let out = chunk::render(&text, &base, &plan).expect("saved element by element");
        let ten = chunk::split(&text).element("kpis", 10).expect("KPI 10");
        let ten_now = text[ten.clone()].replacen(
            &format!("name = \"{old_name}\""),
            &format!("name = \"{old_name} (renamed)\""),
            1,
        );
        let expected = format!("{}{ten_now}{}", &text[..ten.start], &text[ten.end..]).replacen(
            "target = { value = 2, date = 2026-12-31 }",
            "target = { value = 3.0, date = 2026-12-31 }",
            1,
        );
        assert!(expected != text);
        if out != expected {
            let at = out.bytes().zip(expected.bytes()).position(|(a, b)| a != b);
            let at = at.unwrap_or(out.len().min(expected.len()));
            panic!(
                "{ending:?}: bytes outside the edited values changed at {at}:\n{:?}\nexpected\n{:?}",
                &out[at.saturating_sub(200)..(at + 200).min(out.len())],
                &expected[at.saturating_sub(200)..(at + 200).min(expected.len())],
            );
        }
        assert_eq!(toml::from_str::<Plan>(&out).expect("reads back"), plan);

        // Removed, it takes its comment along, and the blank lines above it
        // (as a whole-file merge does): the file is as it was before the
        // KPI was added, but for the blank line it ended with.
        let mut plan = base.clone();
        plan.kpis.pop();
        let out = chunk::render(&text, &base, &plan).expect("saved element by element");
        let m = fixtures::text(fixtures::Size::M);
        let before = format!("{}\n", m.trim_end()).replace('\n', ending);
        assert!(
            out == before,
            "{ending:?}: removing the late KPI left something behind: {:?}",
            &out[before.len().min(out.len()).saturating_sub(300)..]
        );

        // A new KPI goes after the last one, the late one keeps its comment.
        let mut plan = base.clone();
        let mut new = plan.kpis[0].clone();
        new.id = "newest".into();
        plan.kpis.push(new);
        let out = chunk::render(&text, &base, &plan).expect("saved element by element");
        let comment = out
            .find("# Added in March by hand")
            .expect("the comment is kept");
        let late = out.find("id = \"late\"").expect("late");
        let newest = out.find("id = \"newest\"").expect("newest");
        assert!(comment < late && late < newest, "{ending:?}");
        assert!(out.starts_with(&text), "{ending:?}: an old byte changed");
        assert_eq!(toml::from_str::<Plan>(&out).expect("reads back"), plan);
        if ending == "\r\n" {
            assert_eq!(bare_lfs(&out), 0);
        }
    }
}

/// Waits (by the app's idle hook, as the event loop does) until the
/// background save or journal write has finished.
fn settle(app: &mut rumbo::tui::App) {
    let start = std::time::Instant::now();
    while app.session().is_some_and(|s| s.job_running()) {
        assert!(
            start.elapsed().as_secs() < 120,
            "the background write never ended"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        app.idle();
    }
}

#[test]
fn a_big_plan_saves_in_the_background_while_typing_goes_on() {
    use ratatui::crossterm::event::KeyCode;
    let (_dir, mut app) = fixtures::open_app(fixtures::Size::M);
    let path = app.session().expect("open").file.path.clone();
    assert!(app.session().expect("open").big, "M counts as a big plan");
    fixtures::go_to_step(&mut app, 5);
    fixtures::focus(&mut app, "f.kpi_name");
    fixtures::press(&mut app, KeyCode::End);
    fixtures::press(&mut app, KeyCode::Char('!'));
    fixtures::ctrl(&mut app, 's');
    // Typing goes on while the file is written.
    fixtures::press(&mut app, KeyCode::Char('?'));
    let name = app.session().expect("open").plan().kpis[0].name.clone();
    assert!(name.ends_with("!?"), "{name}");
    settle(&mut app);
    let on_disk = std::fs::read_to_string(&path).expect("the saved file");
    let saved = toml::from_str::<Plan>(&on_disk).expect("a valid plan");
    assert_eq!(
        saved.kpis[0].name,
        name.trim_end_matches('?'),
        "the save holds what was there at Ctrl-S"
    );
    let s = app.session().expect("open");
    assert!(s.dirty, "the key typed during the save is still unsaved");
    // A second save takes it in; then nothing is unsaved.
    fixtures::ctrl(&mut app, 's');
    settle(&mut app);
    let on_disk = std::fs::read_to_string(&path).expect("the saved file");
    let saved = toml::from_str::<Plan>(&on_disk).expect("a valid plan");
    assert_eq!(saved.kpis[0].name, name);
    assert!(!app.session().expect("open").dirty);
    // Only the edited KPI's lines changed.
    let before = fixtures::text(fixtures::Size::M);
    let changed: Vec<_> = before
        .lines()
        .zip(on_disk.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(before.lines().count(), on_disk.lines().count());
}

/// The strict reader of actuals and TOML agree on every entry shape: the
/// usual one, and numbers, dates, keys, comments and separators it must
/// leave to TOML (or refuse the way TOML does).
#[test]
fn actuals_read_directly_are_the_actuals_toml_reads() {
    let head = "schema_version = 1\n[plan]\nname = \"x\"\n\n[[kpis]]\nid = \"k\"\nname = \"K\"\ndirection = \"increase\"\nbaseline = { value = 1.0, date = 2026-01-31 }\ntarget = { value = 2.0, date = 2026-12-31 }\n";
    let tail = "\n[[kpis]]\nid = \"k2\"\nname = \"K2\"\ndirection = \"increase\"\nbaseline = { value = 1.0, date = 2026-01-31 }\ntarget = { value = 2.0, date = 2026-12-31 }\n";
    let dates = [
        "2026-01-31",
        "2026-02-29",
        "2024-02-29",
        "2026-13-01",
        "2026-1-31",
        "\"2026-01-31\"",
        "2026-01-31T10:00:00",
        "2026-01-31 10:00:00",
        "2026-01-31Z",
        "1979-05-27",
    ];
    let values = [
        "12",
        "-3",
        "0",
        "-0",
        "00",
        "012",
        "1.5",
        "-0.0",
        "1.",
        ".5",
        "1e3",
        "1_000",
        "+4",
        "inf",
        "nan",
        "123456789012345",
        "1234567890123456",
        "99999999999999999999",
        "3.14159",
        "\"7\"",
    ];
    let seps = [
        ", ",
        ",",
        " , ",
        "\t,\t",
        ",\n  ",
        ",\r\n",
        " # note\n,",
        ",\n# c\n",
        "",
    ];
    let mut rng = Rng(0x0ac7_0a15);
    for round in 0..600 {
        let mut entries = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let d = dates[rng.below(dates.len())];
            let v = values[rng.below(values.len())];
            let entry = match rng.below(6) {
                0 => format!("{{ value = {v}, date = {d} }}"),
                1 => format!("{{date={d},value={v}}}"),
                2 => format!("{{ date = {d} }}"),
                3 => format!("{{ date = {d}, value = {v}, value = {v} }}"),
                4 => format!("{{ date = {d}, value = {v}, }}"),
                _ => format!("{{ date = {d}, value = {v} }}"),
            };
            entries.push(entry);
        }
        let mut list = String::from("[\n  ");
        for (n, e) in entries.iter().enumerate() {
            list.push_str(e);
            if n + 1 < entries.len() {
                list.push_str(seps[rng.below(seps.len())]);
            }
        }
        list.push_str(["\n]", ",\n]", " ]", "\n# end\n]"][rng.below(4)]);
        let text = format!("{head}actuals = {list}\n{tail}");
        agrees(&text, &format!("actuals round {round}: {list}"));
        // The usual shape is read directly, and right.
        if round % 50 == 0 {
            let usual = format!(
                "{head}actuals = [\n  {{ date = 2026-01-31, value = 10.5 }},\n  {{ date = 2026-02-28, value = -3 }},\n]\n{tail}"
            );
            let plan = chunk::parse_parts(&usual).expect("parses in parts");
            assert_eq!(plan.kpis[0].actuals.len(), 2);
            assert_eq!(plan.kpis[0].actuals[1].value, -3.0);
        }
    }
}

/// Random edits of the example (it has comments above and between its
/// elements), in LF and CRLF, with a KPI standing apart at the end, saved
/// element by element: the file reads back as the plan, keeps its line
/// ending, keeps every unchanged element's text and, when nothing was
/// removed, every comment in order (issue 11, case 5).
#[test]
fn random_edits_saved_element_by_element_keep_the_layout() {
    let late = "\n# Tracked apart.\n[[kpis]]\nid = \"late\"\nname = \"Late\"\ndirection = \"increase\"\nbaseline = { value = 1, date = 2026-01-31 }\ntarget = { value = 2, date = 2026-12-31 }\n";
    let example = fixtures::text(fixtures::Size::S);
    let mut rng = Rng(0x5eed_0005);
    for variant in 0..4 {
        let lf = if variant % 2 == 0 {
            example.to_string()
        } else {
            format!("{example}{late}")
        };
        let text = if variant < 2 {
            lf
        } else {
            lf.replace('\n', "\r\n")
        };
        let crlf = variant >= 2;
        let base = chunk::parse_parts(&text).expect("parses in parts");
        let comments: Vec<&str> = text
            .split_inclusive('\n')
            .filter(|l| l.trim_start().starts_with('#'))
            .collect();
        for round in 0..60 {
            let mut plan = base.clone();
            let mut removed = false;
            for _ in 0..1 + rng.below(3) {
                match rng.below(8) {
                    0 => {
                        let k = rng.below(plan.kpis.len());
                        plan.kpis[k].name.push_str(" (edited)");
                    }
                    1 if plan.kpis.len() > 1 => {
                        plan.kpis.remove(rng.below(plan.kpis.len()));
                        removed = true;
                    }
                    2 => {
                        let mut k = plan.kpis[rng.below(plan.kpis.len())].clone();
                        k.id = format!("new-{round}-{}", rng.below(1000));
                        k.name = "Two lines\nof name".into();
                        let at = rng.below(plan.kpis.len() + 1);
                        plan.kpis.insert(at, k);
                    }
                    3 if plan.actions.len() > 1 => {
                        let (a, b) = (rng.below(plan.actions.len()), rng.below(plan.actions.len()));
                        plan.actions.swap(a, b);
                    }
                    4 => {
                        let a = rng.below(plan.actions.len());
                        plan.actions[a].title = format!("Call \"them\" #{round}");
                    }
                    5 => plan.plan.name.push_str(" v2"),
                    6 => {
                        let k = rng.below(plan.kpis.len());
                        plan.kpis[k].target.value = plan.kpis[k].target.value.map(|v| v + 1.5);
                    }
                    _ => {
                        let g = rng.below(plan.goals.len());
                        plan.goals[g].title.push('!');
                    }
                }
            }
            let what = format!("variant {variant}, round {round}");
            let Some(out) = chunk::render(&text, &base, &plan) else {
                panic!("{what}: not saved element by element");
            };
            let back = toml::from_str::<Plan>(&out).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(back == plan, "{what}: reads back as another plan");
            if crlf {
                assert_eq!(bare_lfs(&out), 0, "{what}: a bare LF\n{out}");
            } else {
                assert!(!out.contains('\r'), "{what}: a CR");
            }
            // Unchanged KPIs keep their text, header to last line.
            let split = chunk::split(&text);
            for (i, kpi) in base.kpis.iter().enumerate() {
                if plan.kpis.contains(kpi) {
                    // Without the blank and comment lines at its end: they
                    // belong to what follows.
                    let piece = &text[split.element("kpis", i).expect("piece")];
                    let mut lines: Vec<&str> = piece.split_inclusive('\n').collect();
                    while lines.last().is_some_and(|l| {
                        let l = l.trim();
                        l.is_empty() || l.starts_with('#')
                    }) {
                        lines.pop();
                    }
                    let body = lines.concat();
                    assert!(out.contains(&body), "{what}: KPI {} rewritten", kpi.id);
                }
            }
            if !removed {
                let mut at = 0;
                for c in &comments {
                    match out[at..].find(c) {
                        Some(i) => at += i + c.len(),
                        None => panic!("{what}: comment {c:?} lost or moved\n{out}"),
                    }
                }
            }
        }
    }
}

/// A big CRLF plan opened from disk has nothing to save before an edit, and
/// a save through the program rewrites only the edited line, in CRLF (issue
/// 11, case 5).
#[test]
fn a_big_crlf_plan_opens_clean_and_a_save_changes_one_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("big.toml");
    let text = with_a_late_kpi("\r\n");
    std::fs::write(&path, &text).expect("written");
    let mut file = rumbo::store::open(&path).expect("opens").file;
    assert!(file.base.is_some(), "saved element by element");
    assert!(!file.is_dirty(), "nothing to save before an edit");
    file.plan.kpis[3].name.push_str(" (renamed)");
    file.save().expect("saves");
    let on_disk = std::fs::read_to_string(&path).expect("read back");
    assert_eq!(bare_lfs(&on_disk), 0);
    let (before, after): (Vec<&str>, Vec<&str>) = (
        text.split_inclusive('\n').collect(),
        on_disk.split_inclusive('\n').collect(),
    );
    assert_eq!(before.len(), after.len());
    let changed: Vec<&str> = after
        .iter()
        .zip(&before)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| *a)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].ends_with(" (renamed)\"\r\n"), "{changed:?}");
}
