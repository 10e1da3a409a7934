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
use crate::plan::{Action, Goal, Kpi, Persona, Plan, Remedy, Scenario, Tool};

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
    let parse_batch = |b: &Range<usize>| -> Option<Arrays> {
        let batch = joined(text, split.pieces[b.clone()].iter().map(|(_, r)| r.clone()));
        toml::from_str(&batch).ok()
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
    fn quoted_dotted_and_spaced_headers_stay_in_the_rest() {
        for header in ["[[\"kpis\"]]", "[[kpis.x]]", "[ [kpis]]", "[[ kpis . y ]]"] {
            let text = format!("a = 1\n{header}\nid = 'x'\n");
            let (pieces, _) = parts(&text);
            assert!(pieces.is_empty(), "{header}");
        }
    }
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

/// The new text of array `name`'s elements: an element equal to the one the
/// file held keeps its text byte for byte; a changed one is merged into its
/// old text (comments and layout kept); a new one is laid out afresh.
/// Elements are matched by identity, as the whole-file merge does, or by
/// position when identities are missing or repeated.
fn render_array<T: Element>(
    text: &str,
    name: &'static str,
    pieces: &[Range<usize>],
    old: &[T],
    new: &[T],
) -> Option<String> {
    if pieces.len() != old.len() {
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
    let mut out = String::new();
    for (j, element) in new.iter().enumerate() {
        let matched = if by_identity {
            index.get(element.identity()).copied()
        } else {
            (j < old.len()).then_some(j)
        };
        let piece = match matched {
            Some(i) if old[i] == *element => text[pieces[i].clone()].to_string(),
            Some(i) => {
                super::save::render_value(Some(&text[pieces[i].clone()]), &one(name, element))
            }
            None => {
                let fresh = super::save::render_value(None, &one(name, element));
                if !out.is_empty() && !out.ends_with("\n\n") {
                    out.push('\n');
                }
                fresh
            }
        };
        out.push_str(&piece);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    Some(out)
}

/// Saves a big plan without re-reading the whole file: `text` is the file as
/// last read or written and `base` the plan parsed from it. Unchanged
/// elements of the root arrays are copied as they are, changed ones are
/// merged one by one, and the rest of the file is merged as a whole only when
/// it changed. `None` when that cannot be done safely (the caller then
/// merges the whole file, which gives the same plan).
pub fn render(text: &str, base: &Plan, plan: &Plan) -> Option<String> {
    let split = split(text);
    if split.pieces.is_empty() {
        return None;
    }
    // Every array that has elements now must have had some, so that there is
    // a place for them in the file.
    let mut per_array: Vec<Vec<Range<usize>>> = vec![Vec::new(); ARRAYS.len()];
    for (a, r) in &split.pieces {
        per_array[*a].push(r.clone());
    }
    let lens_now = [
        plan.personas.len(),
        plan.goals.len(),
        plan.kpis.len(),
        plan.scenarios.len(),
        plan.remedies.len(),
        plan.actions.len(),
        plan.tools.len(),
    ];
    for (a, len) in lens_now.iter().enumerate() {
        if *len > 0 && per_array[a].is_empty() {
            return None;
        }
    }

    // The rest, with a marker line where each array's elements were.
    let nonce = super::journal::hash(text);
    let marker = |a: usize| format!("# rumbo-elements-{nonce:016x}-{}\n", ARRAYS[a]);
    let mut segments: Vec<(usize, Option<usize>, Range<usize>)> = split
        .rest
        .iter()
        .map(|r| (r.start, None, r.clone()))
        .chain(
            split
                .pieces
                .iter()
                .map(|(a, r)| (r.start, Some(*a), r.clone())),
        )
        .collect();
    segments.sort_by_key(|s| s.0);
    let mut skeleton = String::with_capacity(text.len() / 8);
    let mut placed = [false; ARRAYS.len()];
    for (_, array, range) in &segments {
        match array {
            None => skeleton.push_str(&text[range.clone()]),
            Some(a) if !placed[*a] => {
                placed[*a] = true;
                if !skeleton.is_empty() && !skeleton.ends_with('\n') {
                    skeleton.push('\n');
                }
                skeleton.push_str(&marker(*a));
            }
            Some(_) => {}
        }
    }
    let rest_now = without_arrays(plan);
    let rest = if rest_now == without_arrays(base) {
        skeleton
    } else {
        super::save::render(Some(&skeleton), &rest_now)
    };

    let arrays = [
        render_array(
            text,
            ARRAYS[0],
            &per_array[0],
            &base.personas,
            &plan.personas,
        ),
        render_array(text, ARRAYS[1], &per_array[1], &base.goals, &plan.goals),
        render_array(text, ARRAYS[2], &per_array[2], &base.kpis, &plan.kpis),
        render_array(
            text,
            ARRAYS[3],
            &per_array[3],
            &base.scenarios,
            &plan.scenarios,
        ),
        render_array(
            text,
            ARRAYS[4],
            &per_array[4],
            &base.remedies,
            &plan.remedies,
        ),
        render_array(text, ARRAYS[5], &per_array[5], &base.actions, &plan.actions),
        render_array(text, ARRAYS[6], &per_array[6], &base.tools, &plan.tools),
    ];
    // Put each array's elements where its marker is; every marker must have
    // survived the merge of the rest exactly once.
    let mut out = String::with_capacity(text.len() + 1024);
    let mut from = 0;
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (a, placed) in placed.iter().enumerate() {
        if !placed {
            continue;
        }
        let m = marker(a);
        let at = rest.find(&m)?;
        if rest[at + m.len()..].contains(&m) {
            return None;
        }
        found.push((at, a));
    }
    found.sort();
    for (at, a) in found {
        out.push_str(&rest[from..at]);
        out.push_str(arrays[a].as_deref()?);
        from = at + marker(a).len();
    }
    out.push_str(&rest[from..]);
    Some(out)
}
