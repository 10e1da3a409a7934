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
