//! Turning a `Plan` back into text.
//!
//! A new file gets the stable layout of the format spec: the order of the
//! steps, one key per line, `[[kpis]]` arrays of tables, small tables such as
//! `baseline` inline, actuals as a multi-line array. A file that already
//! exists is *merged*: its document is updated value by value, so comments,
//! blank lines, key order and formatting stay wherever a value did not change,
//! and rendering an unchanged plan gives back the same bytes.
//!
//! The file's own conventions are kept too: its line endings (a CRLF file
//! stays CRLF; in a mixed file every line that is still there keeps its
//! ending and new lines take the ending most lines have), a missing final
//! newline, and a byte-order mark.

use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

use super::load::skip_string;
use crate::plan::Plan;

/// Keys whose tables are written inline (`baseline = { value = …, date = … }`).
const INLINE_TABLES: &[&str] = &["baseline", "target", "forecast"];
/// Keys whose lists of tables are written as multi-line arrays of inline tables.
const INLINE_ARRAYS: &[&str] = &["actuals", "values", "channels"];

/// The text of `plan`: merged into `existing` when there is one.
pub fn render(existing: Option<&str>, plan: &Plan) -> String {
    render_value(existing, plan)
}

/// [`render`] for any part of a plan (big plans are saved element by element).
pub(crate) fn render_value<T: serde::Serialize>(existing: Option<&str>, value: &T) -> String {
    let newline = existing.map_or(Newline::Lf, Newline::of);
    render_value_as(existing, value, newline)
}

/// [`render_value`] with the line ending new lines get (a part of a big file
/// follows the ending of the whole file).
pub(crate) fn render_value_as<T: serde::Serialize>(
    existing: Option<&str>,
    value: &T,
    newline: Newline,
) -> String {
    const BOM: char = '\u{feff}';
    let mut fresh = layout_of(value);
    if newline == Newline::Crlf {
        one_line_strings(fresh.as_table_mut());
    }
    match existing.and_then(|text| text.parse::<DocumentMut>().ok().map(|d| (text, d))) {
        Some((text, mut doc)) => {
            merge_table(doc.as_table_mut(), fresh.as_table());
            let out = keep_line_endings(text, doc.to_string(), newline);
            let out = keep_final_newline(text, out);
            // The parser accepts a byte-order mark but does not write it back.
            if text.starts_with(BOM) && !out.starts_with(BOM) {
                format!("{BOM}{out}")
            } else {
                out
            }
        }
        None => keep_line_endings("", fresh.to_string(), newline),
    }
}

// ---------------------------------------------------------------------------
// Line endings and the end of the file.

/// The line ending of a file: the one most of its lines have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Newline {
    Lf,
    Crlf,
}

impl Newline {
    /// The ending most lines of `text` have; LF when there is a tie (so an
    /// LF file never gets a CR).
    pub(crate) fn of(text: &str) -> Newline {
        // Most files have no CR at all: a fast scan says so.
        if !text.as_bytes().contains(&b'\r') {
            return Newline::Lf;
        }
        let all = text.bytes().filter(|&b| b == b'\n').count();
        let crlf = text.matches("\r\n").count();
        if crlf > all - crlf {
            Newline::Crlf
        } else {
            Newline::Lf
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Newline::Lf => "\n",
            Newline::Crlf => "\r\n",
        }
    }
}

/// The offsets of the line breaks (`\n`) of TOML `text` that end a line:
/// not those inside a multi-line string, which are part of its value.
fn line_breaks(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(i);
                i += 1;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' | b'\'' => i = skip_string(b, i),
            _ => i += 1,
        }
    }
    out
}

/// The lines of `text` that end with a line break: their text (without
/// the ending) and whether the ending is CRLF.
fn ended_lines(text: &str) -> Vec<(&str, bool)> {
    let mut from = 0;
    line_breaks(text)
        .into_iter()
        .map(|at| {
            let line = &text[from..at];
            from = at + 1;
            match line.strip_suffix('\r') {
                Some(content) => (content, true),
                None => (line, false),
            }
        })
        .collect()
}

/// How far ahead a line of the output is looked for among the original
/// lines (only in files that mix endings).
const LOOKAHEAD: usize = 256;

/// `out`, the merge of `original`, with `original`'s line endings: in a file
/// with one kind of ending every line gets `newline`; in a mixed file a line
/// that is still there keeps its ending and every other line gets `newline`.
/// Line breaks inside multi-line strings are part of their values and are
/// never touched.
pub(crate) fn keep_line_endings(original: &str, out: String, newline: Newline) -> String {
    if newline == Newline::Lf && !original.contains('\r') && !out.contains('\r') {
        return out;
    }
    let original = original.strip_prefix('\u{feff}').unwrap_or(original);
    let old = ended_lines(original);
    let crlf = newline == Newline::Crlf;
    let uniform = old.iter().all(|(_, c)| *c == crlf);
    let breaks = line_breaks(&out);
    let mut result = String::with_capacity(out.len() + if crlf { breaks.len() } else { 0 });
    let (mut from, mut next) = (0, 0);
    for at in breaks {
        let line = &out[from..at];
        let content = line.strip_suffix('\r').unwrap_or(line);
        let ending_crlf = if uniform {
            crlf
        } else {
            let found = if old.get(next).is_some_and(|(c, _)| *c == content) {
                Some(next)
            } else if content.trim().is_empty() {
                None
            } else {
                (next + 1..(next + LOOKAHEAD).min(old.len())).find(|&q| old[q].0 == content)
            };
            match found {
                Some(q) => {
                    next = q + 1;
                    old[q].1
                }
                None => crlf,
            }
        };
        result.push_str(content);
        result.push_str(if ending_crlf { "\r\n" } else { "\n" });
        from = at + 1;
    }
    result.push_str(&out[from..]);
    result
}

/// `out` without a final line break when `original` had none.
pub(crate) fn keep_final_newline(original: &str, mut out: String) -> String {
    if !original.trim_start_matches('\u{feff}').is_empty()
        && !original.ends_with('\n')
        && out.ends_with('\n')
    {
        out.pop();
        if out.ends_with('\r') {
            out.pop();
        }
    }
    out
}

/// Writes every text with a line break in it as a one-line string with
/// escapes (`"a\nb"`): in a CRLF file, a line break inside a multi-line
/// string would either be a bare LF or add a CR to the value.
fn one_line_strings(table: &mut Table) {
    for (_, item) in table.iter_mut() {
        match item {
            Item::Value(v) => one_line_value(v),
            Item::Table(t) => one_line_strings(t),
            Item::ArrayOfTables(a) => a.iter_mut().for_each(one_line_strings),
            Item::None => {}
        }
    }
}

fn one_line_value(v: &mut Value) {
    match v {
        Value::String(s) if s.value().contains('\n') => {
            let decor = s.decor().clone();
            let mut quoted = String::with_capacity(s.value().len() + 8);
            quoted.push('"');
            for c in s.value().chars() {
                match c {
                    '"' => quoted.push_str("\\\""),
                    '\\' => quoted.push_str("\\\\"),
                    '\n' => quoted.push_str("\\n"),
                    '\t' => quoted.push_str("\\t"),
                    '\r' => quoted.push_str("\\r"),
                    c if c.is_control() && (c as u32) < 0x80 => {
                        quoted.push_str(&format!("\\u{:04X}", c as u32));
                    }
                    c => quoted.push(c),
                }
            }
            quoted.push('"');
            if let Ok(mut parsed) = quoted.parse::<Value>() {
                *parsed.decor_mut() = decor;
                *v = parsed;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(one_line_value),
        Value::InlineTable(t) => t.iter_mut().for_each(|(_, v)| one_line_value(v)),
        _ => {}
    }
}

/// The stable layout of a new file.
pub fn layout(plan: &Plan) -> DocumentMut {
    layout_of(plan)
}

fn layout_of<T: serde::Serialize>(value: &T) -> DocumentMut {
    // Serializing our own types cannot fail: every field is TOML-representable.
    let mut doc = toml_edit::ser::to_document(value).expect("a plan always serializes to TOML");
    shape_table(doc.as_table_mut(), 0);
    doc
}

/// Applies the layout rules below a table.
fn shape_table(table: &mut Table, depth: usize) {
    for (key, item) in table.iter_mut() {
        let taken = std::mem::take(item);
        *item = shape_item(key.get(), taken, depth + 1);
    }
    table.retain(|_, item| !item.is_none());
    // A table holding only sub-tables needs no `[header]` of its own.
    let only_tables = !table.is_empty()
        && table
            .iter()
            .all(|(_, i)| i.is_table() || i.is_array_of_tables());
    table.set_implicit(only_tables);
}

fn shape_item(key: &str, item: Item, depth: usize) -> Item {
    match item {
        Item::Value(Value::InlineTable(t)) => {
            if t.is_empty() {
                return Item::None;
            }
            if INLINE_TABLES.contains(&key) {
                let mut t = t;
                t.fmt();
                return Item::Value(Value::InlineTable(t));
            }
            let mut table = t.into_table();
            shape_table(&mut table, depth);
            if table.is_empty() {
                Item::None
            } else {
                Item::Table(table)
            }
        }
        Item::Value(Value::Array(a)) if !a.is_empty() && a.iter().all(Value::is_inline_table) => {
            if INLINE_ARRAYS.contains(&key) {
                let mut array = Array::new();
                for v in a.into_iter() {
                    let mut v = v;
                    if let Value::InlineTable(t) = &mut v {
                        t.fmt();
                    }
                    array.push(v);
                }
                multiline(&mut array);
                return Item::Value(Value::Array(array));
            }
            let mut out = ArrayOfTables::new();
            for v in a.into_iter() {
                if let Value::InlineTable(t) = v {
                    let mut table = t.into_table();
                    shape_table(&mut table, depth);
                    table.set_implicit(false);
                    out.push(table);
                }
            }
            Item::ArrayOfTables(out)
        }
        Item::Value(Value::Array(mut a)) => {
            if a.is_empty() {
                return Item::None;
            }
            // Lists of text (strengths, weaknesses) read best one per line.
            if a.iter().any(Value::is_str) && a.len() > 1 {
                multiline(&mut a);
            }
            Item::Value(Value::Array(a))
        }
        Item::Table(mut t) => {
            shape_table(&mut t, depth);
            if t.is_empty() {
                Item::None
            } else {
                Item::Table(t)
            }
        }
        other => other,
    }
}

/// One element per line, with a trailing comma.
fn multiline(array: &mut Array) {
    for v in array.iter_mut() {
        v.decor_mut().set_prefix("\n  ");
        v.decor_mut().set_suffix("");
    }
    array.set_trailing_comma(true);
    array.set_trailing("\n");
}

// ---------------------------------------------------------------------------
// Merging a fresh layout into an existing document.

/// Updates `old` so it holds the values of `fresh`, keeping `old`'s
/// formatting wherever a value is unchanged.
fn merge_table(old: &mut Table, fresh: &Table) {
    let had: Vec<String> = old.iter().map(|(k, _)| k.to_string()).collect();
    for (key, fresh_item) in fresh.iter() {
        match old.get_mut(key) {
            Some(old_item) if !old_item.is_none() => merge_item(old_item, fresh_item),
            _ => {
                let mut item = fresh_item.clone();
                match &mut item {
                    Item::Table(t) => clear_positions(t),
                    Item::ArrayOfTables(a) => a.iter_mut().for_each(clear_positions),
                    _ => {}
                }
                old.insert(key, item);
            }
        }
    }
    let gone: Vec<String> = old
        .iter()
        .filter(|(k, item)| !fresh.contains_key(k) && !is_empty_value(item))
        .map(|(k, _)| k.to_string())
        .collect();
    for key in gone {
        old.remove(&key);
    }
    place_new_keys(old, fresh, &had);
}

/// Moves keys the program added to where the fresh layout has them: right
/// after the nearest key before them that the file already had. Keys that
/// were there keep their order.
fn place_new_keys(old: &mut Table, fresh: &Table, had: &[String]) {
    if old.iter().all(|(k, _)| had.iter().any(|h| h == k)) {
        return;
    }
    // Kept keys rank (their old index + 1, 0); a new key ranks just after
    // the last kept key before it in the fresh layout, or first of all.
    let mut rank: std::collections::HashMap<String, (usize, usize)> = had
        .iter()
        .enumerate()
        .map(|(i, k)| (k.clone(), (i + 1, 0)))
        .collect();
    let mut anchor = 0;
    let mut seq = 0;
    for (k, _) in fresh.iter() {
        match had.iter().position(|h| h == k) {
            Some(i) => {
                anchor = i + 1;
                seq = 0;
            }
            None => {
                seq += 1;
                rank.insert(k.to_string(), (anchor, seq));
            }
        }
    }
    old.sort_values_by(|k1, _, k2, _| {
        let r = |k: &str| rank.get(k).copied().unwrap_or((usize::MAX, 0));
        r(k1.get()).cmp(&r(k2.get()))
    });
}

fn merge_inline(old: &mut InlineTable, fresh: &InlineTable) {
    for (key, fresh_value) in fresh.iter() {
        match old.get_mut(key) {
            Some(old_value) => merge_value(old_value, fresh_value),
            None => {
                old.insert(key, fresh_value.clone());
            }
        }
    }
    let gone: Vec<String> = old
        .iter()
        .filter(|(k, v)| !fresh.contains_key(k) && !is_empty(v))
        .map(|(k, _)| k.to_string())
        .collect();
    for key in gone {
        old.remove(&key);
    }
}

/// Values the program leaves out of the file because they are the default:
/// a person may still write them, and they are kept when unchanged.
const DEFAULT_TEXT: &[&str] = &["todo", "evaluating"];

/// A value a person may write that the program leaves out: `""`, `[]`, `{}`,
/// `false`, `0`, and a default status. Keeping it when the plan has nothing
/// there avoids churn.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::String(s) => s.value().is_empty() || DEFAULT_TEXT.contains(&s.value().as_str()),
        Value::Integer(i) => *i.value() == 0,
        Value::Array(a) => a.is_empty(),
        Value::InlineTable(t) => t.is_empty(),
        Value::Boolean(b) => !*b.value(),
        _ => false,
    }
}

fn is_empty_value(item: &Item) -> bool {
    match item {
        Item::Value(v) => is_empty(v),
        Item::Table(t) => t.iter().all(|(_, i)| is_empty_value(i)),
        Item::ArrayOfTables(a) => a.is_empty(),
        Item::None => true,
    }
}

fn merge_item(old: &mut Item, fresh: &Item) {
    match (&mut *old, fresh) {
        (Item::Table(o), Item::Table(f)) => merge_table(o, f),
        (Item::Table(o), Item::Value(Value::InlineTable(f))) => {
            // The person wrote it as a `[table]`: keep that shape.
            merge_table(o, &f.clone().into_table());
        }
        (Item::Value(Value::InlineTable(o)), Item::Table(f)) => {
            merge_inline(o, &f.clone().into_inline_table());
        }
        (Item::Value(o), Item::Value(f)) => merge_value(o, f),
        (Item::ArrayOfTables(o), Item::ArrayOfTables(f)) => merge_tables(o, f),
        (Item::ArrayOfTables(o), Item::Value(Value::Array(f))) => {
            let tables: Vec<Table> = f
                .iter()
                .filter_map(|v| v.as_inline_table().map(|t| t.clone().into_table()))
                .collect();
            let mut fresh_aot = ArrayOfTables::new();
            for t in tables {
                fresh_aot.push(t);
            }
            merge_tables(o, &fresh_aot);
        }
        (Item::Value(Value::Array(o)), Item::ArrayOfTables(f)) => {
            let mut fresh_array = Array::new();
            for t in f.iter() {
                fresh_array.push(Value::InlineTable(t.clone().into_inline_table()));
            }
            merge_array(o, &fresh_array);
        }
        _ => *old = fresh.clone(),
    }
}

fn merge_value(old: &mut Value, fresh: &Value) {
    match (&mut *old, fresh) {
        (Value::InlineTable(o), Value::InlineTable(f)) => merge_inline(o, f),
        (Value::Array(o), Value::Array(f)) => merge_array(o, f),
        (o, f) if same_scalar(o, f) => {}
        (o, f) => {
            let decor = o.decor().clone();
            *o = f.clone();
            *o.decor_mut() = decor;
        }
    }
}

/// Equal values, whatever their spelling (`14` and `14.0`, quotes, escapes).
fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.value() == y.value(),
        (Value::Integer(x), Value::Integer(y)) => x.value() == y.value(),
        (Value::Float(x), Value::Float(y)) => {
            x.value() == y.value() || (x.value().is_nan() && y.value().is_nan())
        }
        (Value::Integer(x), Value::Float(y)) | (Value::Float(y), Value::Integer(x)) => {
            (*x.value() as f64) == *y.value()
        }
        (Value::Boolean(x), Value::Boolean(y)) => x.value() == y.value(),
        (Value::Datetime(x), Value::Datetime(y)) => x.value() == y.value(),
        _ => false,
    }
}

fn merge_array(old: &mut Array, fresh: &Array) {
    let common = old.len().min(fresh.len());
    for i in 0..common {
        let f = fresh.get(i).expect("index below len");
        merge_value(old.get_mut(i).expect("index below len"), f);
    }
    // Shorter: drop the tail. Longer: new elements copy the look of the last one.
    while old.len() > fresh.len() {
        old.remove(old.len() - 1);
    }
    // New elements look like the last one; of its prefix only the layout
    // after the last line break counts (a comment before it belongs to the
    // element above).
    let model = old.iter().last().map(|v| {
        let mut decor = v.decor().clone();
        if let Some(prefix) = decor.prefix().and_then(|p| p.as_str()).map(str::to_string)
            && let Some(nl) = prefix.rfind('\n')
        {
            decor.set_prefix(prefix[nl..].to_string());
        }
        decor
    });
    // A comment after the last element's comma sits in the array's trailing
    // text; it belongs to that element, so new elements go after it.
    let mut carried = String::new();
    if fresh.len() > old.len() && old.trailing_comma() {
        let trailing = old.trailing().as_str().unwrap_or("").to_string();
        if let Some(nl) = trailing.find('\n')
            && trailing[..nl].contains('#')
        {
            carried = trailing[..nl].to_string();
            old.set_trailing(trailing[nl..].to_string());
        }
    }
    for i in common..fresh.len() {
        let mut v = fresh.get(i).expect("index below len").clone();
        match &model {
            Some(decor) => {
                *v.decor_mut() = decor.clone();
                if !carried.is_empty() {
                    let prefix = decor.prefix().and_then(|p| p.as_str()).unwrap_or("");
                    v.decor_mut().set_prefix(format!("{carried}{prefix}"));
                    carried.clear();
                }
            }
            None => {
                v.decor_mut().set_prefix(if i == 0 { "" } else { " " });
                v.decor_mut().set_suffix("");
            }
        }
        old.push_formatted(v);
    }
}

/// The identity of a table in a list: its `id`, else its `name`, else `kpi`.
fn identity(t: &Table) -> Option<String> {
    ["id", "name", "kpi"]
        .iter()
        .find_map(|k| t.get(k).and_then(|i| i.as_str()).map(str::to_string))
}

/// Merges lists of tables, matching elements by identity when every element
/// has one (so a reordered or deleted row keeps the comments of the others),
/// else by position.
fn merge_tables(old: &mut ArrayOfTables, fresh: &ArrayOfTables) {
    let old_ids: Vec<Option<String>> = old.iter().map(identity).collect();
    let fresh_ids: Vec<Option<String>> = fresh.iter().map(identity).collect();
    let by_identity = old_ids.iter().chain(fresh_ids.iter()).all(Option::is_some);

    let mut old_tables: Vec<Option<Table>> = std::mem::take(old).into_iter().map(Some).collect();
    // Each identity's old positions, first first (ids may repeat in a bad file).
    let mut positions: std::collections::HashMap<&str, std::collections::VecDeque<usize>> =
        std::collections::HashMap::new();
    if by_identity {
        for (j, id) in old_ids.iter().enumerate() {
            if let Some(id) = id {
                positions.entry(id.as_str()).or_default().push_back(j);
            }
        }
    }
    let mut taken_order = Vec::new();
    let mut result: Vec<Table> = Vec::with_capacity(fresh.len());
    for (i, f) in fresh.iter().enumerate() {
        let slot = if by_identity {
            fresh_ids[i]
                .as_deref()
                .and_then(|id| positions.get_mut(id))
                .and_then(|q| q.pop_front())
        } else if i < old_tables.len() {
            Some(i)
        } else {
            None
        };
        match slot.and_then(|j| old_tables[j].take().map(|t| (j, t))) {
            Some((j, mut t)) => {
                merge_table(&mut t, f);
                taken_order.push(j);
                result.push(t);
            }
            None => {
                let mut t = f.clone();
                clear_positions(&mut t);
                result.push(t);
            }
        }
    }
    // When rows were reordered, let them take their place from the list order.
    if taken_order.windows(2).any(|w| w[0] > w[1]) {
        for t in result.iter_mut() {
            clear_positions(t);
        }
    }
    for t in result {
        old.push(t);
    }
}

/// Forgets document positions so a table is written where it now belongs.
fn clear_positions(t: &mut Table) {
    t.set_position(None);
    for (_, item) in t.iter_mut() {
        match item {
            Item::Table(sub) => clear_positions(sub),
            Item::ArrayOfTables(a) => {
                for sub in a.iter_mut() {
                    clear_positions(sub);
                }
            }
            _ => {}
        }
    }
}
