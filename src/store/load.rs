//! Reading a plan file: text → TOML → `Plan`, with every problem located.
//!
//! A file that is not UTF-8, not TOML or not a rumbo plan is refused with one
//! located message (and nothing is ever written to it). A plan whose values
//! have problems loads anyway; the problems come back as diagnostics.

use std::io::Read;
use std::path::{Path, PathBuf};

use toml_edit::{Document, Item, Value};

use crate::i18n::{t, tf};
use crate::plan::{self, PathSeg, Plan, Problem, SCHEMA_VERSION, Severity};

use super::diag::Diagnostic;
use super::migrate::{self, MIGRATIONS, Migrated, Migration};

/// Why a file could not be opened as a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The file could not be read at all.
    Io(Diagnostic),
    /// Not UTF-8 or not valid TOML.
    Syntax(Diagnostic),
    /// Valid TOML, but not a rumbo plan (no or an unknown schema version).
    NotAPlan(Diagnostic),
    /// A rumbo plan whose shape is wrong: an unknown key, a wrong type, a
    /// missing required key. The model cannot be built.
    Shape(Diagnostic),
}

impl LoadError {
    pub fn diagnostic(&self) -> &Diagnostic {
        match self {
            LoadError::Io(d)
            | LoadError::Syntax(d)
            | LoadError::NotAPlan(d)
            | LoadError::Shape(d) => d,
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.diagnostic())
    }
}

impl std::error::Error for LoadError {}

/// A plan read from text, with its value problems.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub plan: Plan,
    pub problems: Vec<Diagnostic>,
    /// Set when the file was written for an older schema version and was
    /// migrated in memory: the version it had and the migrated text (what a
    /// save merges into). The file itself is unchanged.
    pub migrated: Option<Migrated>,
}

impl Parsed {
    /// The schema version the file had, when it was migrated.
    pub fn migrated_from(&self) -> Option<i64> {
        self.migrated.as_ref().map(|m| m.from)
    }
}

/// The largest plan file rumbo reads: a plan is text a person writes; past
/// this it is not a plan, and reading it could exhaust memory.
pub const MAX_PLAN_BYTES: usize = 64 * 1024 * 1024;

/// Deeper nesting of arrays and inline tables than this is refused before
/// parsing (the parser itself stops at 80, with a less clear message).
pub const MAX_NESTING: usize = 64;

/// Keys (and table headers) of more dotted parts than this are refused
/// before parsing (the parser stops at 80, without a location).
pub const MAX_KEY_PARTS: usize = 64;

/// Reads and parses the plan at `path`.
pub fn read(path: &Path) -> Result<(String, Parsed), LoadError> {
    read_with(path, MIGRATIONS)
}

/// [`read`] with a given set of migrations (tests use synthetic ones).
pub fn read_with(path: &Path, migrations: &[Migration]) -> Result<(String, Parsed), LoadError> {
    let io_error = |e: std::io::Error| {
        LoadError::Io(Diagnostic::whole_file(
            Severity::Error,
            path,
            tf("load.io", &[("error", &e)]),
        ))
    };
    // Only a regular file (a FIFO would hang, a device never end), and
    // never more than the limit in memory, even for a file that grows.
    let mut bytes = Vec::new();
    open_regular(path)
        .and_then(|f| f.take(MAX_PLAN_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(io_error)?;
    if bytes.len() > MAX_PLAN_BYTES {
        return Err(too_big(path));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return Err(LoadError::Syntax(Diagnostic::at(
                Severity::Error,
                path,
                &lossy,
                offset,
                t("load.not_utf8").to_string(),
            )));
        }
    };
    let parsed = parse_with(path, &text, migrations)?;
    Ok((text, parsed))
}

/// Opens `path` for reading if, and only if, it is a regular file (or a
/// link to one): a directory, a FIFO, a device or a socket is refused at
/// once with a clear error, never waited on or read forever. Checked before
/// opening, and again on the open file (`fstat`), so a file swapped in
/// between is caught too; the open itself does not block (`O_NONBLOCK`,
/// which does nothing to a regular file).
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let refuse = |meta: &std::fs::Metadata| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, not_regular(meta))
    };
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading then returns at once instead of
        // waiting for a writer.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refuse(&meta));
    }
    Ok(file)
}

/// "not a regular file: it is a named pipe (FIFO)".
fn not_regular(meta: &std::fs::Metadata) -> String {
    let kind = meta.file_type();
    let mut key = if kind.is_dir() {
        "load.kind_dir"
    } else {
        "load.kind_other"
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            key = "load.kind_fifo";
        } else if kind.is_char_device() {
            key = "load.kind_char";
        } else if kind.is_block_device() {
            key = "load.kind_block";
        } else if kind.is_socket() {
            key = "load.kind_socket";
        }
    }
    tf("load.not_regular", &[("kind", &t(key))])
}

/// Whether the regular file at `path` is a rumbo plan, to refuse writing
/// anything else over it: a `schema_version = …` line and a `[plan]`
/// table (or `plan.` keys), read line by line so that a plan with a syntax
/// error still counts. Unreadable or oversized files are not plans.
pub fn looks_like_a_plan(path: &Path) -> bool {
    let mut bytes = Vec::new();
    if open_regular(path)
        .and_then(|f| f.take(MAX_PLAN_BYTES as u64 + 1).read_to_end(&mut bytes))
        .is_err()
        || bytes.len() > MAX_PLAN_BYTES
    {
        return false;
    }
    let text = String::from_utf8_lossy(&bytes);
    let key_is = |line: &str, key: &str| {
        line.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    let mut version = false;
    let mut plan = false;
    for line in text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim())
    {
        version |= key_is(line, "schema_version");
        plan |= line.starts_with("[plan]")
            || line.starts_with("[plan.")
            || line.starts_with("plan.")
            || key_is(line, "plan");
        if version && plan {
            return true;
        }
    }
    false
}

fn too_big(path: &Path) -> LoadError {
    LoadError::Io(
        Diagnostic::whole_file(
            Severity::Error,
            path,
            tf(
                "store.reliability.too_big",
                &[("limit", &(MAX_PLAN_BYTES / (1024 * 1024)))],
            ),
        )
        .with_hint(Some(t("store.reliability.too_big_hint").to_string())),
    )
}

/// Parses plan text; `path` is only used in messages.
pub fn parse(path: &Path, text: &str) -> Result<Parsed, LoadError> {
    parse_with(path, text, MIGRATIONS)
}

/// [`parse`] with a given set of migrations (tests use synthetic ones).
pub fn parse_with(path: &Path, text: &str, migrations: &[Migration]) -> Result<Parsed, LoadError> {
    if text.len() > MAX_PLAN_BYTES {
        return Err(too_big(path));
    }
    check_nesting(path, text)?;
    // The common case, a valid plan of the current version, in one pass
    // straight into the model. Anything else takes the located path below,
    // which also finds what is wrong and where.
    let fast = super::chunk::parse(text).or_else(|| toml::from_str::<Plan>(text).ok());
    if let Some(plan) = fast
        && plan.schema_version == SCHEMA_VERSION
    {
        let problems = plan::validate(&plan);
        let problems = if problems.is_empty() {
            Vec::new()
        } else {
            locate_all(path, text, &problems)
        };
        return Ok(Parsed {
            plan,
            problems,
            migrated: None,
        });
    }
    let doc = Document::parse(text.to_string()).map_err(|e| {
        let message = tf("load.syntax", &[("detail", &first_line(e.message()))]);
        LoadError::Syntax(match e.span() {
            Some(span) => Diagnostic::at(Severity::Error, path, text, span.start, message),
            None => Diagnostic::whole_file(Severity::Error, path, message),
        })
    })?;
    let version = check_version(path, text, &doc, migrations)?;
    let (plan, migrated) = if version == SCHEMA_VERSION {
        (deserialize(path, text, doc)?, None)
    } else {
        let mut doc = doc.into_mut();
        migrate::migrate(&mut doc, version, migrations).map_err(|_| {
            // check_version found a chain; this cannot happen, but a plain
            // refusal is better than a panic.
            bad_version(path, text, 0)
        })?;
        let migrated = doc.to_string();
        let plan = match Document::parse(migrated.clone()) {
            Ok(doc) => deserialize(path, &migrated, doc)
                .map_err(|e| relocate(path, text, &migrated, version, e))?,
            Err(e) => {
                return Err(LoadError::Shape(
                    Diagnostic::whole_file(
                        Severity::Error,
                        path,
                        tf("load.syntax", &[("detail", &first_line(e.message()))]),
                    )
                    .with_hint(Some(migrated_hint(version))),
                ));
            }
        };
        (
            plan,
            Some(Migrated {
                from: version,
                text: migrated,
            }),
        )
    };
    let problems = plan::validate(&plan);
    // Problems are located in the file as written (by key path), also when
    // it was migrated.
    let problems = if problems.is_empty() {
        Vec::new()
    } else {
        locate_all(path, text, &problems)
    };
    Ok(Parsed {
        plan,
        problems,
        migrated,
    })
}

/// The model from a parsed document, with a located error.
fn deserialize(path: &Path, text: &str, doc: Document<String>) -> Result<Plan, LoadError> {
    toml_edit::de::from_document(doc).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let message = first_line(e.message());
        let hint = did_you_mean(&message);
        // serde writes English; say it in the language in force.
        let message = crate::i18n::decode::message(&message);
        LoadError::Shape(
            Diagnostic::at(Severity::Error, path, text, offset, message).with_hint(hint),
        )
    })
}

fn migrated_hint(from: i64) -> String {
    tf(
        "store.reliability.migrated_hint",
        &[("from", &from), ("known", &SCHEMA_VERSION)],
    )
}

/// An error located in the migrated text, pointed at the same line of the
/// file as written (migrations keep most lines as they were); the whole
/// file when that line is not in it.
fn relocate(path: &Path, original: &str, migrated: &str, from: i64, e: LoadError) -> LoadError {
    let LoadError::Shape(d) = e else {
        return e;
    };
    let hint = Some(match &d.hint {
        Some(h) => format!("{h} ({})", migrated_hint(from)),
        None => migrated_hint(from),
    });
    let found = (d.line > 0)
        .then(|| migrated.lines().nth(d.line - 1))
        .flatten()
        .and_then(|line| {
            let mut offset = 0;
            for l in original.split_inclusive('\n') {
                if l.trim_end_matches(['\n', '\r']) == line {
                    return Some(offset);
                }
                offset += l.len();
            }
            None
        });
    let mut out = match found {
        Some(line_start) => {
            let col_bytes: usize = d
                .source_line
                .chars()
                .take(d.col.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            Diagnostic::at(
                d.severity,
                path,
                original,
                line_start + col_bytes,
                d.message.clone(),
            )
        }
        None => Diagnostic::whole_file(d.severity, path, d.message.clone()),
    };
    out.hint = hint;
    LoadError::Shape(out)
}

/// Refuses, before the parser sees them, arrays and inline tables nested
/// deeper than [`MAX_NESTING`] and keys of more than [`MAX_KEY_PARTS`]
/// dotted parts, with a located message (the parser's own limit is lower
/// and its message less clear, or not located). A cheap scan of brackets,
/// braces and dots outside strings and comments.
fn check_nesting(path: &Path, text: &str) -> Result<(), LoadError> {
    let refuse = |at: usize, key: &str, limit: usize| {
        LoadError::Syntax(
            Diagnostic::at(
                Severity::Error,
                path,
                text,
                at,
                tf(key, &[("limit", &limit)]),
            )
            .with_hint(Some(t("store.reliability.too_deep_hint").to_string())),
        )
    };
    let bytes = text.as_bytes();
    // The open brackets and braces, innermost last (never longer than the
    // limit: the scan stops there).
    let mut open: Vec<u8> = Vec::new();
    // Whether a key is expected here: at the start of a line outside any
    // value, or after `{` or `,` in an inline table.
    let mut in_key = true;
    let mut dots = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' if open.is_empty() => {
                in_key = true;
                dots = 0;
            }
            b'\n' => {}
            b' ' | b'\t' | b'\r' => {}
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                i = skip_string(bytes, i);
                continue;
            }
            b'[' if open.is_empty() && in_key => {
                // A table header: count its dotted parts to the line's end.
                let start = i;
                let mut parts = 0;
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'#' {
                    match bytes[i] {
                        b'"' | b'\'' => {
                            i = skip_string(bytes, i);
                            continue;
                        }
                        b'.' => parts += 1,
                        _ => {}
                    }
                    i += 1;
                }
                if parts >= MAX_KEY_PARTS {
                    return Err(refuse(
                        start,
                        "store.reliability.key_too_deep",
                        MAX_KEY_PARTS,
                    ));
                }
                in_key = false;
                continue;
            }
            b @ (b'[' | b'{') => {
                if open.len() >= MAX_NESTING {
                    return Err(refuse(i, "store.reliability.too_deep", MAX_NESTING));
                }
                open.push(b);
                in_key = b == b'{';
                dots = 0;
            }
            b']' | b'}' => {
                open.pop();
                in_key = false;
            }
            b'=' => in_key = false,
            b',' => {
                in_key = open.last() == Some(&b'{');
                dots = 0;
            }
            b'.' if in_key => {
                dots += 1;
                if dots >= MAX_KEY_PARTS {
                    return Err(refuse(i, "store.reliability.key_too_deep", MAX_KEY_PARTS));
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// The index just past the string starting at `start` (or the end of the
/// line for an unterminated one: the parser will report it).
pub(crate) fn skip_string(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let triple = bytes.len() >= start + 3 && bytes[start + 1] == quote && bytes[start + 2] == quote;
    let mut i = start + if triple { 3 } else { 1 };
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\\' && quote == b'"' {
            i += 2;
            continue;
        }
        if b == b'\n' && !triple {
            return i;
        }
        if b == quote {
            if !triple {
                return i + 1;
            }
            if bytes.len() >= i + 3 && bytes[i + 1] == quote && bytes[i + 2] == quote {
                // Up to two more quotes may belong to the string: `""""`.
                let mut end = i + 3;
                while end < bytes.len() && end < i + 5 && bytes[end] == quote {
                    end += 1;
                }
                return end;
            }
        }
        i += 1;
    }
    i
}

fn first_line(s: &str) -> String {
    s.trim().lines().next().unwrap_or("").trim().to_string()
}

/// The plan's schema version: the current one, or an older one that
/// `migrations` can bring up to date. Anything else is refused: no version
/// (saying what to add), a newer one, or one that is not a known version.
fn check_version(
    path: &Path,
    text: &str,
    doc: &Document<String>,
    migrations: &[Migration],
) -> Result<i64, LoadError> {
    let Some(item) = doc.get("schema_version") else {
        let mut d = Diagnostic::whole_file(Severity::Error, path, t("load.no_version").to_string());
        d.hint = Some(tf("load.no_version_hint", &[("version", &SCHEMA_VERSION)]));
        return Err(LoadError::NotAPlan(d));
    };
    let offset = item.span().map_or(0, |s| s.start);
    let version = item.as_integer();
    match version {
        Some(SCHEMA_VERSION) => Ok(SCHEMA_VERSION),
        Some(v) if v > SCHEMA_VERSION => Err(LoadError::NotAPlan(
            Diagnostic::at(
                Severity::Error,
                path,
                text,
                offset,
                tf(
                    "load.too_new",
                    &[("version", &v), ("known", &SCHEMA_VERSION)],
                ),
            )
            .with_hint(Some(t("load.too_new_hint").to_string())),
        )),
        Some(v) if migrate::can_migrate(v, migrations) => Ok(v),
        _ => Err(bad_version(path, text, offset)),
    }
}

fn bad_version(path: &Path, text: &str, offset: usize) -> LoadError {
    LoadError::NotAPlan(Diagnostic::at(
        Severity::Error,
        path,
        text,
        offset,
        tf("load.bad_version", &[("known", &SCHEMA_VERSION)]),
    ))
}

/// Locates each value problem in the text.
///
/// In time linear in the text and the number of problems (a plan of 100,000
/// actuals may have as many warnings), and in bounded memory: past
/// [`SOURCE_BUDGET`] bytes of quoted source lines, further diagnostics keep
/// their line and column but quote no source line.
pub fn locate_all(path: &Path, text: &str, problems: &[Problem]) -> Vec<Diagnostic> {
    locate_all_with(path, text, problems, text.len() >= super::chunk::MIN_BYTES)
}

/// [`locate_all`] reading the whole file with spans, at any size (the tests
/// compare the two ways).
#[doc(hidden)]
pub fn locate_all_whole(path: &Path, text: &str, problems: &[Problem]) -> Vec<Diagnostic> {
    locate_all_with(path, text, problems, false)
}

fn locate_all_with(path: &Path, text: &str, problems: &[Problem], cut: bool) -> Vec<Diagnostic> {
    let Some(offsets) = offsets_of(text, problems, cut) else {
        return problems
            .iter()
            .map(|p| Diagnostic::whole_file(p.severity, path, p.message.clone()))
            .collect();
    };
    let places = places(text, &offsets);
    let mut budget = SOURCE_BUDGET;
    problems
        .iter()
        .zip(places)
        .map(|(p, place)| {
            let line_text = &text[place.line_start..place.line_end];
            let source_line = if line_text.len() <= budget {
                budget -= line_text.len();
                line_text.trim_end_matches('\r').to_string()
            } else {
                String::new()
            };
            Diagnostic {
                severity: p.severity,
                file: path.to_path_buf(),
                line: place.line,
                col: place.col,
                message: p.message.clone(),
                source_line,
                hint: None,
            }
        })
        .collect()
}

/// Where each problem is in `text` (its byte offset), or `None` when the
/// text is not a TOML document. In a big file a problem inside an element
/// of a root array (`kpis[7].target`) is looked for in that element alone,
/// so locating a few thousand problems does not mean re-reading the whole
/// file with spans.
fn offsets_of(text: &str, problems: &[Problem], cut: bool) -> Option<Vec<usize>> {
    use super::chunk;
    use std::collections::HashMap;
    let split = cut.then(|| chunk::split(text));
    let mut elements: HashMap<&str, Vec<std::ops::Range<usize>>> = HashMap::new();
    if let Some(split) = &split {
        for (a, range) in &split.pieces {
            elements
                .entry(chunk::ARRAYS[*a])
                .or_default()
                .push(range.clone());
        }
    }
    let mut parsed: HashMap<std::ops::Range<usize>, Option<Document<String>>> = HashMap::new();
    let mut whole: Option<Option<Document<String>>> = None;
    let mut offsets = Vec::with_capacity(problems.len());
    for p in problems {
        if let [PathSeg::Key(array), PathSeg::Index(i), rest @ ..] = p.path.as_slice()
            && let Some(range) = elements.get(array.as_str()).and_then(|e| e.get(*i))
        {
            let doc = parsed
                .entry(range.clone())
                .or_insert_with(|| Document::parse(text[range.clone()].to_string()).ok());
            if let Some(doc) = doc {
                let mut inner = vec![PathSeg::Key(array.clone()), PathSeg::Index(0)];
                inner.extend(rest.iter().cloned());
                offsets.push(range.start + locate(doc.as_item(), &inner).unwrap_or(0));
                continue;
            }
        }
        let doc = whole.get_or_insert_with(|| Document::parse(text.to_string()).ok());
        offsets.push(locate(doc.as_ref()?.as_item(), &p.path).unwrap_or(0));
    }
    Some(offsets)
}

/// How many bytes of source lines the diagnostics of one load may quote.
pub const SOURCE_BUDGET: usize = 8 * 1024 * 1024;

/// A byte offset's line (1-based), column (1-based, in characters) and the
/// bounds of its line: what `diag::line_col` computes, for many offsets in
/// one pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Place {
    line: usize,
    col: usize,
    line_start: usize,
    line_end: usize,
}

fn places(text: &str, offsets: &[usize]) -> Vec<Place> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![Place::default(); offsets.len()];
    let (mut pos, mut line, mut line_start, mut col) = (0usize, 1usize, 0usize, 1usize);
    let mut line_end: Option<usize> = None;
    for i in order {
        let mut offset = offsets[i].min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        for (j, c) in text[pos..offset].char_indices() {
            if c == '\n' {
                line += 1;
                line_start = pos + j + 1;
                col = 1;
                line_end = None;
            } else {
                col += 1;
            }
        }
        pos = offset;
        let end = *line_end
            .get_or_insert_with(|| text[offset..].find('\n').map_or(text.len(), |n| offset + n));
        out[i] = Place {
            line,
            col,
            line_start,
            line_end: end,
        };
    }
    out
}

/// A place in a parsed document: the three shapes toml_edit gives nodes.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Table(&'a toml_edit::Table),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    fn span_start(self) -> Option<usize> {
        match self {
            Node::Item(i) => i.span(),
            Node::Table(t) => t.span(),
            Node::Value(v) => v.span(),
        }
        .map(|s| s.start)
    }

    /// The child at `seg`, and the offset of its key when it has one.
    fn child(self, seg: &PathSeg) -> Option<(Node<'a>, Option<usize>)> {
        match (self, seg) {
            (Node::Item(Item::Table(t)) | Node::Table(t), PathSeg::Key(k)) => {
                let (key, item) = t.get_key_value(k)?;
                Some((Node::Item(item), key.span().map(|s| s.start)))
            }
            (Node::Item(Item::Value(v)) | Node::Value(v), PathSeg::Key(k)) => {
                let (key, value) = v.as_inline_table()?.get_key_value(k)?;
                let node = match value {
                    Item::Value(v) => Node::Value(v),
                    other => Node::Item(other),
                };
                Some((node, key.span().map(|s| s.start)))
            }
            (Node::Item(Item::ArrayOfTables(a)), PathSeg::Index(i)) => {
                Some((Node::Table(a.get(*i)?), None))
            }
            (Node::Item(Item::Value(v)) | Node::Value(v), PathSeg::Index(i)) => {
                Some((Node::Value(v.as_array()?.get(*i)?), None))
            }
            _ => None,
        }
    }
}

/// The byte offset of the value at `path`, or of its nearest existing parent.
fn locate(root: &Item, path: &[PathSeg]) -> Option<usize> {
    let mut node = Node::Item(root);
    let mut best = node.span_start();
    for seg in path {
        let Some((child, key_at)) = node.child(seg) else {
            break;
        };
        best = child.span_start().or(key_at).or(best);
        node = child;
    }
    best
}

/// "did you mean `target`?" for an unknown key or value close to a known one.
fn did_you_mean(message: &str) -> Option<String> {
    let (unknown, rest) = if let Some(rest) = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))
    {
        let end = rest.find('`')?;
        (&rest[..end], &rest[end + 1..])
    } else {
        return None;
    };
    let candidates: Vec<&str> = rest
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s)
        .collect();
    let best = candidates
        .iter()
        .map(|c| (edit_distance(unknown, c), *c))
        .min()?;
    if best.0 <= 3.max(unknown.len() / 3) && best.0 < unknown.len() {
        Some(tf("load.did_you_mean", &[("key", &best.1)]))
    } else {
        None
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The path of the file, for messages about a plan that has none yet.
pub fn unnamed() -> PathBuf {
    PathBuf::from("<plan>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_agree_with_line_col() {
        let text = "a = 1\r\nñame = \"x\"\n\n  b = [1,\n 2]\nlast";
        let offsets: Vec<usize> = (0..=text.len() + 3).rev().collect();
        for (offset, place) in offsets.iter().zip(places(text, &offsets)) {
            let (line, col, source) = super::super::diag::line_col(text, *offset);
            assert_eq!((place.line, place.col), (line, col), "offset {offset}");
            assert_eq!(
                text[place.line_start..place.line_end].trim_end_matches('\r'),
                source
            );
        }
    }

    #[test]
    fn nesting_and_key_limits_ignore_strings_and_comments() {
        let p = Path::new("t.toml");
        let deep = "[".repeat(MAX_NESTING + 1);
        let ok = [
            format!("a = \"{deep}\"\n"),
            format!("a = '{deep}'\n"),
            format!("a = \"\"\"\n{deep}\"\"\"\n"),
            format!("# {deep}\n"),
            format!(
                "a = [{}]\n",
                "[".repeat(MAX_NESTING - 1) + &"]".repeat(MAX_NESTING - 1)
            ),
            format!("\"{}\" = 1\n", ".".repeat(200)),
            format!("a = {}\n", vec!["1.5"; 200].join(" ")),
            "[[x]]\n[[x]]\n[y.z]\n".to_string(),
        ];
        for text in &ok {
            assert!(check_nesting(p, text).is_ok(), "{text}");
        }
        let bad = [
            format!("a = {deep}"),
            format!("a = {}", "{b = ".repeat(MAX_NESTING + 1)),
            format!("{} = 1", vec!["k"; MAX_KEY_PARTS + 1].join(".")),
            format!("[{}]", vec!["k"; MAX_KEY_PARTS + 1].join(".")),
            format!("a = {{ {} = 1 }}", vec!["k"; MAX_KEY_PARTS + 1].join(".")),
        ];
        for text in &bad {
            let err = check_nesting(p, text).expect_err(text);
            assert!(err.diagnostic().line > 0, "located: {err}");
        }
    }
}
