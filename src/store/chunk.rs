//! Big plans, fast: a plan file is mostly long arrays of tables (`[[kpis]]`,
//! `[[actions]]`, …). Parsing a 50 MB file in one piece builds the whole
//! token stream and tree in memory at once, and most of the time goes into
//! the kernel handing out fresh pages. Here the file is cut, with TOML's own
//! lexer (so strings and comments are never cut), into the elements of the
//! root arrays of tables and "the rest"; elements are parsed in batches of
//! about a megabyte, on as many threads as there are cores, and appended in
//! file order.
//!
//! The result is the same plan a whole-file parse gives. Whenever that
//! cannot be guaranteed (a syntax error anywhere, an array defined both ways,
//! a sub-table of an element that is not right after it), [`parse`] returns
//! `None` and the caller parses the whole file, which also finds and locates
//! what is wrong.

use std::ops::Range;

use serde::Deserialize;

use super::load::skip_string;
use super::save::Newline;
use crate::plan::{Action, Actual, Date, Goal, Kpi, Persona, Plan, Remedy, Scenario, Tool};

/// Below this size a file is parsed whole: cutting it gains nothing.
pub const MIN_BYTES: usize = 256 * 1024;

/// How many bytes of elements one batch parses at once.
const BATCH_BYTES: usize = 1024 * 1024;

/// The root arrays of tables of the plan format.
pub const ARRAYS: [&str; 7] = [
    "personas",
    "goals",
    "kpis",
    "scenarios",
    "remedies",
    "actions",
    "tools",
];

/// A file cut into elements of root arrays and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Elements of the root arrays, in file order: (index into [`ARRAYS`],
    /// byte range, from the `[[name]]` header to just before the next
    /// header that does not belong to the element).
    pub pieces: Vec<(usize, Range<usize>)>,
    /// Everything else, in file order.
    pub rest: Vec<Range<usize>>,
}

impl Split {
    /// The range of element `index` of array `name`.
    pub fn element(&self, name: &str, index: usize) -> Option<Range<usize>> {
        let array = ARRAYS.iter().position(|a| *a == name)?;
        self.pieces
            .iter()
            .filter(|(a, _)| *a == array)
            .nth(index)
            .map(|(_, r)| r.clone())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    Rest,
    Piece(usize),
}

/// Cuts `text` at the headers of root array elements. Any text can be cut
/// (cutting never fails); whether the parts parse is for [`parse`] to find.
///
/// A byte scanner that knows exactly what TOML's lexer knows here: strings
/// (basic, literal, multi-line, with escapes), comments, and the brackets
/// and braces of values, so a header is only seen at the start of a line
/// outside any value. The tests compare it with `toml_parser`'s lexer.
pub fn split(text: &str) -> Split {
    let bytes = text.as_bytes();
    let mut starts: Vec<(usize, Segment)> = vec![(0, Segment::Rest)];
    let mut current = Segment::Rest;
    let mut depth = 0usize;
    let mut line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                if depth == 0 {
                    line_start = true;
                }
            }
            b' ' | b'\t' | b'\r' if line_start => {}
            b'#' => {
                i = skip_line(bytes, i);
                continue;
            }
            b'"' | b'\'' => {
                line_start = false;
                i = skip_string(bytes, i);
                continue;
            }
            b'[' if line_start => {
                let at = i;
                let header = read_header(bytes, i);
                i = header.end;
                let array = header
                    .first
                    .and_then(|f| ARRAYS.iter().position(|a| a.as_bytes() == f));
                let element = header.double && !header.dotted;
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
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                line_start = false;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                line_start = false;
            }
            _ => line_start = false,
        }
        i += 1;
    }
    let mut split = Split {
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

/// The index of the newline ending the line at `i` (or the end).
fn skip_line(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' {
        i += 1;
    }
    i
}

struct Header<'a> {
    /// `[[…]]` rather than `[…]`.
    double: bool,
    /// The first key when it is bare (a quoted one never names an element).
    first: Option<&'a [u8]>,
    /// More than one key.
    dotted: bool,
    /// Where the header's line ends (its newline, or the end).
    end: usize,
}

fn read_header(bytes: &[u8], start: usize) -> Header<'_> {
    let double = bytes.get(start + 1) == Some(&b'[');
    let mut i = start + if double { 2 } else { 1 };
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    let key_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-')) {
        i += 1;
    }
    let first = (i > key_start).then(|| &bytes[key_start..i]);
    let mut dotted = false;
    let mut closed = false;
    while i < bytes.len() && bytes[i] != b'\n' {
        match bytes[i] {
            b'"' | b'\'' => {
                i = skip_string(bytes, i);
                continue;
            }
            b'#' => {
                return Header {
                    double,
                    first,
                    dotted,
                    end: skip_line(bytes, i),
                };
            }
            b'.' if !closed => dotted = true,
            b']' => closed = true,
            _ => {}
        }
        i += 1;
    }
    Header {
        double,
        first,
        dotted,
        end: i,
    }
}

/// The elements of one batch of pieces.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Arrays {
    #[serde(default)]
    personas: Vec<Persona>,
    #[serde(default)]
    goals: Vec<Goal>,
    #[serde(default)]
    kpis: Vec<Kpi>,
    #[serde(default)]
    scenarios: Vec<Scenario>,
    #[serde(default)]
    remedies: Vec<Remedy>,
    #[serde(default)]
    actions: Vec<Action>,
    #[serde(default)]
    tools: Vec<Tool>,
}

impl Arrays {
    fn append_to(self, plan: &mut Plan) {
        plan.personas.extend(self.personas);
        plan.goals.extend(self.goals);
        plan.kpis.extend(self.kpis);
        plan.scenarios.extend(self.scenarios);
        plan.remedies.extend(self.remedies);
        plan.actions.extend(self.actions);
        plan.tools.extend(self.tools);
    }
}

fn joined(text: &str, ranges: impl Iterator<Item = Range<usize>>) -> String {
    let mut out = String::new();
    for r in ranges {
        out.push_str(&text[r]);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Parses a big plan in parts; `None` when the parts do not give exactly
/// what a whole-file parse would (the caller then parses the whole file).
pub fn parse(text: &str) -> Option<Plan> {
    if text.len() < MIN_BYTES {
        return None;
    }
    parse_parts(text)
}

/// [`parse`] at any size (tests compare it with a whole-file parse).
pub fn parse_parts(text: &str) -> Option<Plan> {
    let split = split(text);
    if split.pieces.is_empty() {
        return None;
    }
    let rest = joined(text, split.rest.iter().cloned());
    let table: toml::Table = toml::from_str(&rest).ok()?;
    // An array given both as elements and in the rest would be a duplicate
    // key in the whole file.
    for (a, _) in &split.pieces {
        if table.contains_key(ARRAYS[*a]) {
            return None;
        }
    }
    let mut plan: Plan = table.try_into().ok()?;

    // Batches of about BATCH_BYTES, shared out to the threads in order.
    let mut batches: Vec<Range<usize>> = Vec::new();
    let (mut from, mut bytes) = (0, 0);
    for (i, (_, r)) in split.pieces.iter().enumerate() {
        bytes += r.len();
        if bytes >= BATCH_BYTES {
            batches.push(from..i + 1);
            (from, bytes) = (i + 1, 0);
        }
    }
    if from < split.pieces.len() {
        batches.push(from..split.pieces.len());
    }
    let kpis = ARRAYS.iter().position(|a| *a == "kpis");
    let parse_batch = |b: &Range<usize>| -> Option<Arrays> {
        // A KPI's actuals, the bulk of a big plan, are read by a strict
        // reader of their usual shape; the element's other keys by TOML.
        let mut batch = String::new();
        let mut actuals: Vec<Option<Vec<Actual>>> = Vec::new();
        for (a, r) in &split.pieces[b.clone()] {
            let piece = &text[r.clone()];
            let fast = (Some(*a) == kpis).then(|| fast_actuals(piece)).flatten();
            match &fast {
                Some((value, _)) => {
                    batch.push_str(&piece[..value.start]);
                    batch.push_str("[]");
                    batch.push_str(&piece[value.end..]);
                }
                None => batch.push_str(piece),
            }
            if !batch.ends_with('\n') {
                batch.push('\n');
            }
            if Some(*a) == kpis {
                actuals.push(fast.map(|(_, list)| list));
            }
        }
        let mut arrays: Arrays = toml::from_str(&batch).ok()?;
        if arrays.kpis.len() != actuals.len() {
            return None;
        }
        for (kpi, list) in arrays.kpis.iter_mut().zip(actuals) {
            if let Some(list) = list {
                kpi.actuals = list;
            }
        }
        Some(arrays)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(batches.len());
    let results: Vec<Option<Arrays>> = if threads <= 1 {
        batches.iter().map(parse_batch).collect()
    } else {
        let per = batches.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = batches
                .chunks(per)
                .map(|chunk| scope.spawn(move || chunk.iter().map(parse_batch).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|_| vec![None]))
                .collect()
        })
    };
    for arrays in results {
        arrays?.append_to(&mut plan);
    }
    Some(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (Vec<(&str, &str)>, Vec<&str>) {
        let s = split(text);
        (
            s.pieces
                .iter()
                .map(|(a, r)| (ARRAYS[*a], &text[r.clone()]))
                .collect(),
            s.rest.iter().map(|r| &text[r.clone()]).collect(),
        )
    }

    #[test]
    fn elements_are_cut_at_their_headers_with_their_sub_tables() {
        let text = "schema_version = 1\n[plan]\nname = \"x\"\n\n[[kpis]]\nid = \"a\"\n[kpis.forecast]\nmethod = \"linear\"\n\n[[kpis]]\nid = \"b\"\n[team]\n[[team.members]]\nid = \"m\"\n[[actions]]\ntitle = \"t\"\n";
        let (pieces, rest) = parts(text);
        assert_eq!(
            pieces,
            vec![
                (
                    "kpis",
                    "[[kpis]]\nid = \"a\"\n[kpis.forecast]\nmethod = \"linear\"\n\n"
                ),
                ("kpis", "[[kpis]]\nid = \"b\"\n"),
                ("actions", "[[actions]]\ntitle = \"t\"\n"),
            ]
        );
        assert_eq!(
            rest,
            vec![
                "schema_version = 1\n[plan]\nname = \"x\"\n\n",
                "[team]\n[[team.members]]\nid = \"m\"\n"
            ]
        );
    }

    #[test]
    fn headers_inside_strings_and_arrays_are_not_headers() {
        let text = "[[kpis]]\nnotes = \"\"\"\n[[actions]]\n\"\"\"\nx = '''\n[[tools]]'''\nactuals = [\n[1, 2],\n]\n# [[goals]]\n  [[goals]] # a comment\nid = 'g'\n";
        let (pieces, rest) = parts(text);
        assert_eq!(rest, vec![""]);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].0, "kpis");
        assert!(pieces[0].1.ends_with("# [[goals]]\n  "));
        assert_eq!(pieces[1], ("goals", "[[goals]] # a comment\nid = 'g'\n"));
    }

    #[test]
    fn the_usual_actuals_are_read_directly_and_the_rest_left_to_toml() {
        let piece = "[[kpis]]\nid = \"k\"\nactuals = [\n  { date = 2026-01-31, value = 18650.0 },\n  # a note\n  { date = 2026-02-28, value = -4 },\n]\nowner = \"x\"\n";
        let (range, list) = fast_actuals(piece).expect("the usual shape");
        assert_eq!(&piece[range.end..range.end + 1], "\n");
        assert!(piece[range].starts_with('['));
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].value, 18650.0);
        assert_eq!(list[1].date.to_string(), "2026-02-28");
        for odd in [
            "[[kpis]]\nactuals = [ { date = 2026-01-31, value = 1e3 } ]\n",
            "[[kpis]]\nactuals = [ { date = \"2026-01-31\", value = 1 } ]\n",
            "[[kpis]]\n[kpis.forecast]\nactuals = []\n",
            "[[kpis]]\nnotes = \"\"\"\nactuals = [ { date = 2026-01-31, value = 1 } ]\n\"\"\"\n",
        ] {
            assert!(fast_actuals(odd).is_none(), "{odd}");
        }
    }

    /// The comment above an element is found by reading the file as TOML
    /// does: the end of a multi-line string that looks like a comment is not
    /// one (issue 11, case 5).
    #[test]
    fn a_comment_above_an_element_is_told_from_the_end_of_a_multi_line_string() {
        let b = "[[goals]]\nid = \"b\"\ntitle = \"B\"\n";
        let c = "\n# \"quoted\" comment about c\n[[goals]]\nid = \"c\"\ntitle = \"C\"\n";
        let text = format!(
            "schema_version = 1\n[plan]\nname = \"x\"\n\n[[goals]]\nid = \"a\"\ntitle = \"\"\"\n# not a comment: \"\"\"\n{b}{c}"
        );
        let base = parse_parts(&text).expect("parses in parts");
        assert_eq!(base.goals[0].title, "# not a comment: ");
        assert_eq!(render(&text, &base, &base).as_deref(), Some(text.as_str()));
        for (gone, piece) in [(1, b), (2, c)] {
            let mut plan = base.clone();
            plan.goals.remove(gone);
            let out = render(&text, &base, &plan).expect("saved in parts");
            assert_eq!(out, text.replacen(piece, "", 1), "goal {gone} removed");
        }
        let mut plan = base.clone();
        plan.goals.swap(1, 2);
        let out = render(&text, &base, &plan).expect("saved in parts");
        assert!(out.contains(c.trim_start()), "{out}");
        assert_eq!(parse_parts(&out), Some(plan));
    }

    #[test]
    fn quoted_dotted_and_spaced_headers_stay_in_the_rest() {
        for header in ["[[\"kpis\"]]", "[[kpis.x]]", "[ [kpis]]", "[[ kpis . y ]]"] {
            let text = format!("a = 1\n{header}\nid = 'x'\n");
            let (pieces, _) = parts(&text);
            assert!(pieces.is_empty(), "{header}");
        }
    }
}

// --- actuals, fast ----------------------------------------------------------

/// The `actuals = [ … ]` of a `[[kpis]]` element, read directly when it has
/// the shape rumbo writes (`{ date = 2026-01-31, value = 123.45 }` entries,
/// comments and blank lines between them): the range of the array in
/// `piece` and its entries. `None` for anything else — quoted or dotted
/// keys, other number forms (exponents, underscores, `inf`), dates with a
/// time, strings — which TOML's own parser then reads, so every file reads
/// the same either way (the tests compare the two on damaged files).
fn fast_actuals(piece: &str) -> Option<(Range<usize>, Vec<Actual>)> {
    let b = piece.as_bytes();
    // Skip the element's own header line.
    let mut i = skip_line(b, 0);
    let mut depth = 0usize;
    let mut line_start = true;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                if depth == 0 {
                    line_start = true;
                }
                i += 1;
            }
            b' ' | b'\t' | b'\r' if line_start => i += 1,
            // A sub-table: the element's own keys are over.
            b'[' if line_start => return None,
            b'a' if line_start && b[i..].starts_with(b"actuals") => {
                let mut j = skip_spaces(b, i + b"actuals".len());
                if b.get(j) != Some(&b'=') {
                    return None;
                }
                j = skip_spaces(b, j + 1);
                if b.get(j) != Some(&b'[') {
                    return None;
                }
                let (list, end) = read_actuals(b, j)?;
                return Some((j..end, list));
            }
            b'#' => i = skip_line(b, i),
            b'"' | b'\'' => {
                line_start = false;
                i = skip_string(b, i);
            }
            b'[' | b'{' => {
                depth += 1;
                line_start = false;
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                line_start = false;
                i += 1;
            }
            _ => {
                line_start = false;
                i += 1;
            }
        }
    }
    None
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// Spaces, line breaks and comments between array entries. `None` for a
/// character TOML does not allow in a comment.
fn skip_blank(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\n' => i += 1,
            b'\r' if b.get(i + 1) == Some(&b'\n') => i += 2,
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    if (b[i] < 0x20 && b[i] != b'\t' && b[i] != b'\r') || b[i] == 0x7f {
                        return None;
                    }
                    if b[i] == b'\r' && b.get(i + 1) != Some(&b'\n') {
                        return None;
                    }
                    i += 1;
                }
            }
            _ => return Some(i),
        }
    }
    Some(i)
}

/// `[ { date = …, value = … }, … ]` from `b[start] == '['`: the entries and
/// the index just past `]`.
fn read_actuals(b: &[u8], start: usize) -> Option<(Vec<Actual>, usize)> {
    let mut out = Vec::new();
    let mut i = start + 1;
    loop {
        i = skip_blank(b, i)?;
        match b.get(i)? {
            b']' => return Some((out, i + 1)),
            b'{' => {}
            _ => return None,
        }
        i += 1;
        let (mut date, mut value) = (None, None);
        loop {
            i = skip_spaces(b, i);
            let is_date = b[i..].starts_with(b"date");
            let is_value = b[i..].starts_with(b"value");
            if !is_date && !is_value {
                return None;
            }
            i = skip_spaces(b, i + if is_date { 4 } else { 5 });
            if b.get(i) != Some(&b'=') {
                return None;
            }
            i = skip_spaces(b, i + 1);
            if is_date {
                if date.is_some() {
                    return None;
                }
                let raw = std::str::from_utf8(b.get(i..i + 10)?).ok()?;
                date = Some(raw.parse::<Date>().ok()?);
                i += 10;
            } else {
                if value.is_some() {
                    return None;
                }
                let (v, end) = read_number(b, i)?;
                value = Some(v);
                i = end;
            }
            i = skip_spaces(b, i);
            match b.get(i)? {
                b',' => i += 1,
                b'}' => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
        out.push(Actual {
            date: date?,
            value: value?,
        });
        i = skip_blank(b, i)?;
        match b.get(i)? {
            b',' => i += 1,
            b']' => return Some((out, i + 1)),
            _ => return None,
        }
    }
}

/// `-12`, `3.25`, `0.5`: an integer of at most 15 digits (read as TOML
/// reads it: an integer, then a number) or a decimal fraction; nothing else.
fn read_number(b: &[u8], start: usize) -> Option<(f64, usize)> {
    let mut i = start;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_len = i - digits;
    // No leading zeros, as in TOML.
    if int_len == 0 || (int_len > 1 && b[digits] == b'0') {
        return None;
    }
    let mut float = false;
    if b.get(i) == Some(&b'.') {
        let frac = i + 1;
        i = frac;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == frac {
            return None;
        }
        float = true;
    }
    // What may follow a number in an entry.
    if !matches!(b.get(i)?, b' ' | b'\t' | b',' | b'}') {
        return None;
    }
    let raw = std::str::from_utf8(&b[start..i]).ok()?;
    let v = if float {
        raw.parse::<f64>().ok()?
    } else {
        if int_len > 15 {
            return None;
        }
        raw.parse::<i64>().ok()? as f64
    };
    Some((v, i))
}

// --- saving a big plan --------------------------------------------------------

/// An element of a root array, as far as saving needs to know it.
trait Element: PartialEq + serde::Serialize {
    /// What identifies it in its list (as the whole-file merge matches rows).
    fn identity(&self) -> &str;
}

macro_rules! element {
    ($($t:ty => $field:ident),* $(,)?) => {
        $(impl Element for $t {
            fn identity(&self) -> &str {
                &self.$field
            }
        })*
    };
}

element!(Persona => id, Goal => id, Kpi => id, Scenario => name, Remedy => kpi, Action => id, Tool => name);

/// One element written as its own little document (`[[kpis]]` and its keys).
#[derive(serde::Serialize)]
struct One<'a, T> {
    #[serde(flatten)]
    map: std::collections::BTreeMap<&'static str, [&'a T; 1]>,
}

fn one<'a, T: serde::Serialize>(array: &'static str, element: &'a T) -> One<'a, T> {
    One {
        map: std::collections::BTreeMap::from([(array, [element])]),
    }
}

/// The plan without its root arrays: what "the rest" of a file holds.
fn without_arrays(plan: &Plan) -> Plan {
    Plan {
        schema_version: plan.schema_version,
        plan: plan.plan.clone(),
        research: plan.research.clone(),
        situation: plan.situation.clone(),
        marketing_mix: plan.marketing_mix.clone(),
        funnel: plan.funnel.clone(),
        team: plan.team.clone(),
        ..Plan::default()
    }
}

/// Where the text that belongs to the header at `header` starts, within the
/// segment that begins at `seg_start` and ends there: the header's own line
/// and the blank and comment lines right above it. That is where the
/// whole-file merge puts them too (in the header's decor): a comment written
/// above an element stays with it, goes when it is removed and moves when
/// it moves.
fn leading_trivia(text: &str, seg_start: usize, header: usize) -> usize {
    let line_of = |at: usize| {
        text[seg_start..at]
            .rfind('\n')
            .map_or(seg_start, |n| seg_start + n + 1)
    };
    // Only blanks stand between the header's line start and its `[`.
    let line = line_of(header);
    let mut from = line;
    while from > seg_start {
        let above = line_of(from - 1);
        let content = &text[above..from - 1];
        let rest = content
            .strip_suffix('\r')
            .unwrap_or(content)
            .trim_start_matches([' ', '\t']);
        // A blank line right above text outside any string is outside any
        // string too; so is a comment line without quotes. A comment line
        // with quotes might be the end of a multi-line string: read the
        // segment from its start to know.
        let comment = rest.starts_with('#');
        if rest.is_empty() || (comment && !rest.contains(['"', '\''])) {
            from = above;
        } else if comment {
            return leading_trivia_read(text, seg_start, line);
        } else {
            break;
        }
    }
    from
}

/// [`leading_trivia`] by reading the segment from its start, strings and
/// all: `line` is where the header's line starts.
fn leading_trivia_read(text: &str, seg_start: usize, line: usize) -> usize {
    let b = text.as_bytes();
    // Each line's start, and whether it holds only blanks or a comment.
    let mut lines: Vec<(usize, bool)> = Vec::new();
    let (mut i, mut start, mut trivia) = (seg_start, seg_start, true);
    while i < line {
        match b[i] {
            b'\n' => {
                lines.push((start, trivia));
                i += 1;
                (start, trivia) = (i, true);
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'#' => i = skip_line(b, i),
            b'"' | b'\'' => {
                trivia = false;
                i = skip_string(b, i);
            }
            _ => {
                trivia = false;
                i += 1;
            }
        }
    }
    let mut from = line;
    for &(start, trivia) in lines.iter().rev() {
        if !trivia {
            break;
        }
        from = start;
    }
    from
}

/// What goes into the new file at an element's place.
enum Out {
    /// The element's text, unchanged.
    Copy(Range<usize>),
    /// The element merged into its old text.
    Merged(String),
    /// A new element, laid out afresh.
    Fresh(String),
}

/// Decides what goes at each element's place for array `name`: an element
/// equal to the one the file held keeps its text byte for byte; a changed
/// one is merged into its old text (comments and layout kept); a new one is
/// laid out afresh right after the element before it; a removed one leaves
/// nothing, its leading comment included. Elements are matched by identity,
/// as the whole-file merge does, or by position when identities are missing
/// or repeated. When the matched elements are in another order than in the
/// file, they all go at the place of the first one, in their new order.
/// `slots` are the segments of the old elements; `None` when they do not
/// match the old list.
#[allow(clippy::too_many_arguments)]
fn place_array<T: Element>(
    text: &str,
    name: &'static str,
    segments: &[(Option<usize>, Range<usize>)],
    slots: &[usize],
    old: &[T],
    new: &[T],
    newline: Newline,
    places: &mut [Vec<Out>],
) -> Option<()> {
    if slots.len() != old.len() || (!new.is_empty() && slots.is_empty()) {
        return None;
    }
    let ids_ok = |list: &[T]| {
        let mut seen = std::collections::HashSet::new();
        list.iter()
            .all(|e| !e.identity().is_empty() && seen.insert(e.identity()))
    };
    let by_identity = ids_ok(old) && ids_ok(new);
    let index: std::collections::HashMap<&str, usize> = if by_identity {
        old.iter()
            .enumerate()
            .map(|(i, e)| (e.identity(), i))
            .collect()
    } else {
        std::collections::HashMap::new()
    };
    let matched: Vec<Option<usize>> = new
        .iter()
        .enumerate()
        .map(|(j, element)| {
            if by_identity {
                index.get(element.identity()).copied()
            } else {
                (j < old.len()).then_some(j)
            }
        })
        .collect();
    let in_order = matched
        .iter()
        .flatten()
        .collect::<Vec<_>>()
        .windows(2)
        .all(|w| w[0] < w[1]);
    let first = matched.iter().flatten().min().copied().unwrap_or(0);
    let mut slot = slots.first().map(|_| slots[first]).unwrap_or_default();
    for (element, found) in new.iter().zip(&matched) {
        if in_order && let Some(i) = found {
            slot = slots[*i];
        }
        let out = match found {
            Some(i) => {
                let range = segments[slots[*i]].1.clone();
                if old[*i] == *element {
                    Out::Copy(range)
                } else {
                    Out::Merged(super::save::render_value_as(
                        Some(&text[range]),
                        &one(name, element),
                        newline,
                    ))
                }
            }
            None => Out::Fresh(super::save::render_value_as(
                None,
                &one(name, element),
                newline,
            )),
        };
        places[slot].push(out);
    }
    Some(())
}

/// Saves a big plan without re-reading the whole file: `text` is the file as
/// last read or written and `base` the plan parsed from it. Unchanged
/// elements of the root arrays are copied as they are, changed ones are
/// merged one by one, and the rest of the file is merged as a whole only when
/// it changed. Every element stays at its place in the file, with the
/// comment above it; the file's line endings and a missing final newline
/// are kept. `None` when that cannot be done safely (the caller then merges
/// the whole file, which gives the same plan).
pub fn render(text: &str, base: &Plan, plan: &Plan) -> Option<String> {
    let split = split(text);
    if split.pieces.is_empty() {
        return None;
    }
    let newline = Newline::of(text);

    // Every segment in file order; each one (after the first) starts with
    // the blank and comment lines above its header.
    let mut segments: Vec<(Option<usize>, Range<usize>)> = split
        .rest
        .iter()
        .map(|r| (None, r.clone()))
        .chain(split.pieces.iter().map(|(a, r)| (Some(*a), r.clone())))
        .collect();
    segments.sort_by_key(|s| s.1.start);
    for k in 1..segments.len() {
        let (prev, header) = (segments[k - 1].1.start, segments[k].1.start);
        let from = leading_trivia(text, prev, header);
        segments[k - 1].1.end = from;
        segments[k].1.start = from;
    }
    let mut slots: Vec<Vec<usize>> = vec![Vec::new(); ARRAYS.len()];
    for (k, (array, _)) in segments.iter().enumerate() {
        if let Some(a) = array {
            slots[*a].push(k);
        }
    }

    // The rest, with a marker line where each run of elements was.
    let nonce = super::journal::hash(text);
    let marker = |run: usize| format!("# rumbo-elements-{nonce:016x}-{run}");
    let mut skeleton = String::with_capacity(text.len() / 8);
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut in_run = false;
    for (k, (array, range)) in segments.iter().enumerate() {
        match array {
            None if range.is_empty() => {}
            None => {
                skeleton.push_str(&text[range.clone()]);
                in_run = false;
            }
            Some(_) => {
                if !in_run {
                    if !skeleton.is_empty() && !skeleton.ends_with('\n') {
                        skeleton.push_str(newline.as_str());
                    }
                    skeleton.push_str(&marker(runs.len()));
                    skeleton.push_str(newline.as_str());
                    runs.push(Vec::new());
                    in_run = true;
                }
                runs.last_mut()?.push(k);
            }
        }
    }
    let rest_now = without_arrays(plan);
    let rest = if rest_now == without_arrays(base) {
        skeleton
    } else {
        super::save::render_value_as(Some(&skeleton), &rest_now, newline)
    };

    let mut places: Vec<Vec<Out>> = std::iter::repeat_with(Vec::new)
        .take(segments.len())
        .collect();
    let s = &segments;
    let p = &mut places;
    place_array(
        text,
        ARRAYS[0],
        s,
        &slots[0],
        &base.personas,
        &plan.personas,
        newline,
        p,
    )?;
    place_array(
        text,
        ARRAYS[1],
        s,
        &slots[1],
        &base.goals,
        &plan.goals,
        newline,
        p,
    )?;
    place_array(
        text, ARRAYS[2], s, &slots[2], &base.kpis, &plan.kpis, newline, p,
    )?;
    place_array(
        text,
        ARRAYS[3],
        s,
        &slots[3],
        &base.scenarios,
        &plan.scenarios,
        newline,
        p,
    )?;
    place_array(
        text,
        ARRAYS[4],
        s,
        &slots[4],
        &base.remedies,
        &plan.remedies,
        newline,
        p,
    )?;
    place_array(
        text,
        ARRAYS[5],
        s,
        &slots[5],
        &base.actions,
        &plan.actions,
        newline,
        p,
    )?;
    place_array(
        text,
        ARRAYS[6],
        s,
        &slots[6],
        &base.tools,
        &plan.tools,
        newline,
        p,
    )?;

    // Put each run's elements where its marker is; every marker must have
    // survived the merge of the rest exactly once, in order.
    let mut out = String::with_capacity(text.len() + 1024);
    let mut from = 0;
    for (run, members) in runs.iter().enumerate() {
        let m = marker(run);
        let at = from + rest[from..].find(&m)?;
        let mut end = at + m.len();
        if rest[end..].contains(&m) {
            return None;
        }
        end += if rest[end..].starts_with("\r\n") {
            2
        } else {
            usize::from(rest[end..].starts_with('\n'))
        };
        out.push_str(&rest[from..at]);
        for k in members {
            for place in &places[*k] {
                let piece = match place {
                    Out::Copy(range) => &text[range.clone()],
                    Out::Merged(merged) => merged.as_str(),
                    Out::Fresh(fresh) => {
                        if !out.is_empty() && !out.ends_with("\n\n") && !out.ends_with("\n\r\n") {
                            out.push_str(newline.as_str());
                        }
                        fresh.as_str()
                    }
                };
                out.push_str(piece);
                if !out.ends_with('\n') {
                    out.push_str(newline.as_str());
                }
            }
        }
        from = end;
    }
    out.push_str(&rest[from..]);
    Some(super::save::keep_final_newline(text, out))
}

// --- what changed since the file was read --------------------------------------

/// A list's change against the list in the file: the elements that differ
/// (same length), or the whole new list.
enum Patch<T> {
    Elements(Vec<(usize, T)>),
    Whole(Vec<T>),
}

fn patch<T: Clone + PartialEq>(base: &[T], now: &[T]) -> Patch<T> {
    if base.len() != now.len() {
        return Patch::Whole(now.to_vec());
    }
    let changed: Vec<(usize, T)> = now
        .iter()
        .zip(base)
        .enumerate()
        .filter(|(_, (n, b))| n != b)
        .map(|(i, (n, _))| (i, n.clone()))
        .collect();
    if changed.len() > now.len() / 4 {
        Patch::Whole(now.to_vec())
    } else {
        Patch::Elements(changed)
    }
}

fn applied<T: Clone>(patch: Patch<T>, base: &[T]) -> Vec<T> {
    match patch {
        Patch::Whole(list) => list,
        Patch::Elements(changed) => {
            let mut list = base.to_vec();
            for (i, e) in changed {
                list[i] = e;
            }
            list
        }
    }
}

/// A plan as the changes it has against the plan a big file holds: cheap to
/// take on the UI thread (only changed elements are copied), turned back
/// into the whole plan by [`Delta::apply`] on the thread that saves.
pub struct Delta {
    rest: Plan,
    personas: Patch<Persona>,
    goals: Patch<Goal>,
    kpis: Patch<Kpi>,
    scenarios: Patch<Scenario>,
    remedies: Patch<Remedy>,
    actions: Patch<Action>,
    tools: Patch<Tool>,
}

impl Delta {
    pub fn new(base: &Plan, plan: &Plan) -> Delta {
        Delta {
            rest: without_arrays(plan),
            personas: patch(&base.personas, &plan.personas),
            goals: patch(&base.goals, &plan.goals),
            kpis: patch(&base.kpis, &plan.kpis),
            scenarios: patch(&base.scenarios, &plan.scenarios),
            remedies: patch(&base.remedies, &plan.remedies),
            actions: patch(&base.actions, &plan.actions),
            tools: patch(&base.tools, &plan.tools),
        }
    }

    /// The plan again, from the one it was taken against.
    pub fn apply(self, base: &Plan) -> Plan {
        Plan {
            personas: applied(self.personas, &base.personas),
            goals: applied(self.goals, &base.goals),
            kpis: applied(self.kpis, &base.kpis),
            scenarios: applied(self.scenarios, &base.scenarios),
            remedies: applied(self.remedies, &base.remedies),
            actions: applied(self.actions, &base.actions),
            tools: applied(self.tools, &base.tools),
            ..self.rest
        }
    }
}
