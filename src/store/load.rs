//! Reading a plan file: text → TOML → `Plan`, with every problem located.
//!
//! A file that is not UTF-8, not TOML or not a rumbo plan is refused with one
//! located message (and nothing is ever written to it). A plan whose values
//! have problems loads anyway; the problems come back as diagnostics.

use std::path::{Path, PathBuf};

use toml_edit::{Document, Item, Value};

use crate::i18n::{t, tf};
use crate::plan::{self, PathSeg, Plan, Problem, SCHEMA_VERSION, Severity};

use super::diag::Diagnostic;

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
}

/// Reads and parses the plan at `path`.
pub fn read(path: &Path) -> Result<(String, Parsed), LoadError> {
    let bytes = std::fs::read(path).map_err(|e| {
        LoadError::Io(Diagnostic::whole_file(
            Severity::Error,
            path,
            tf("load.io", &[("error", &e)]),
        ))
    })?;
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
    let parsed = parse(path, &text)?;
    Ok((text, parsed))
}

/// Parses plan text; `path` is only used in messages.
pub fn parse(path: &Path, text: &str) -> Result<Parsed, LoadError> {
    let doc = Document::parse(text.to_string()).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        LoadError::Syntax(Diagnostic::at(
            Severity::Error,
            path,
            text,
            offset,
            tf("load.syntax", &[("detail", &first_line(e.message()))]),
        ))
    })?;
    check_version(path, text, &doc)?;
    let plan: Plan = toml_edit::de::from_document(doc).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let message = first_line(e.message());
        let hint = did_you_mean(&message);
        LoadError::Shape(
            Diagnostic::at(Severity::Error, path, text, offset, message).with_hint(hint),
        )
    })?;
    let problems = plan::validate(&plan);
    let problems = if problems.is_empty() {
        Vec::new()
    } else {
        locate_all(path, text, &problems)
    };
    Ok(Parsed { plan, problems })
}

fn first_line(s: &str) -> String {
    s.trim().lines().next().unwrap_or("").trim().to_string()
}

fn check_version(path: &Path, text: &str, doc: &Document<String>) -> Result<(), LoadError> {
    let Some(item) = doc.get("schema_version") else {
        let mut d = Diagnostic::whole_file(Severity::Error, path, t("load.no_version").to_string());
        d.hint = Some(tf("load.no_version_hint", &[("version", &SCHEMA_VERSION)]));
        return Err(LoadError::NotAPlan(d));
    };
    let offset = item.span().map_or(0, |s| s.start);
    let version = item.as_integer();
    match version {
        Some(SCHEMA_VERSION) => Ok(()),
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
        _ => Err(LoadError::NotAPlan(Diagnostic::at(
            Severity::Error,
            path,
            text,
            offset,
            tf("load.bad_version", &[("known", &SCHEMA_VERSION)]),
        ))),
    }
}

/// Locates each value problem in the text.
pub fn locate_all(path: &Path, text: &str, problems: &[Problem]) -> Vec<Diagnostic> {
    let doc = Document::parse(text.to_string()).ok();
    problems
        .iter()
        .map(|p| {
            let offset = doc
                .as_ref()
                .and_then(|d| locate(d.as_item(), &p.path))
                .unwrap_or(0);
            if doc.is_some() {
                Diagnostic::at(p.severity, path, text, offset, p.message.clone())
            } else {
                Diagnostic::whole_file(p.severity, path, p.message.clone())
            }
        })
        .collect()
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
