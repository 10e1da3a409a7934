//! Schema migrations: a plan written for an older `schema_version` is
//! brought up to date as a document, through `toml_edit`, so its comments,
//! blank lines and key order survive.
//!
//! Each [`Migration`] moves a document from version `from` to `from + 1`;
//! [`migrate`] chains them and then sets `schema_version` (keeping the
//! spacing and comment around it). Loading migrates in memory only; the
//! file is rewritten when the person saves, after a `.bak` copy of the
//! original is written next to it (see `PlanFile::save`).

use toml_edit::{DocumentMut, Item, Key, Value};

use crate::plan::SCHEMA_VERSION;

/// One step: turns a version-`from` document into a version-`from + 1` one.
#[derive(Clone, Copy)]
pub struct Migration {
    pub from: i64,
    pub apply: fn(&mut DocumentMut),
}

impl std::fmt::Debug for Migration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Migration")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// The migrations of the real schema, oldest first. Empty: version 1 is the
/// first. Version 2 adds `Migration { from: 1, apply: … }` here.
pub const MIGRATIONS: &[Migration] = &[];

/// No chain of steps leads from this version to the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoPath {
    /// The version for which no step exists.
    pub at: i64,
}

/// A plan that was migrated: where it came from and the migrated text,
/// which is what a save merges into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    pub from: i64,
    pub text: String,
}

/// True when `steps` lead from `from` to the current schema version.
pub fn can_migrate(from: i64, steps: &[Migration]) -> bool {
    from < SCHEMA_VERSION && (from..SCHEMA_VERSION).all(|v| steps.iter().any(|m| m.from == v))
}

/// Applies the steps from `from` up to the current schema version, in
/// order, and sets `schema_version`. Returns the new version. The document
/// is left unchanged when no complete chain exists.
pub fn migrate(doc: &mut DocumentMut, from: i64, steps: &[Migration]) -> Result<i64, NoPath> {
    migrate_to(doc, from, SCHEMA_VERSION, steps)
}

/// [`migrate`] to an explicit version.
pub fn migrate_to(
    doc: &mut DocumentMut,
    from: i64,
    to: i64,
    steps: &[Migration],
) -> Result<i64, NoPath> {
    let mut chain = Vec::new();
    let mut version = from;
    while version < to {
        let step = steps
            .iter()
            .find(|m| m.from == version)
            .ok_or(NoPath { at: version })?;
        chain.push(step);
        version += 1;
    }
    for step in chain {
        (step.apply)(doc);
    }
    set_version(doc, version);
    Ok(version)
}

/// Renames key `from` of the table (standard or inline) at `item` to `to`,
/// keeping its place, its value and the comments around it. For use in
/// migrations. False when there is no `from` or `to` exists already.
pub fn rename_key(item: &mut Item, from: &str, to: &str) -> bool {
    fn renamed(key: &Key, to: &str) -> Key {
        let mut new_key = Key::new(to);
        *new_key.leaf_decor_mut() = key.leaf_decor().clone();
        *new_key.dotted_decor_mut() = key.dotted_decor().clone();
        new_key
    }
    let rank = |keys: Vec<String>| {
        move |k: &Key| {
            let k = if k.get() == to { from } else { k.get() };
            keys.iter().position(|o| o == k).unwrap_or(usize::MAX)
        }
    };
    match item {
        Item::Table(t) => {
            if t.contains_key(to) {
                return false;
            }
            let rank = rank(t.iter().map(|(k, _)| k.to_string()).collect());
            let Some((key, value)) = t.remove_entry(from) else {
                return false;
            };
            t.insert_formatted(&renamed(&key, to), value);
            t.sort_values_by(|a, _, b, _| rank(a).cmp(&rank(b)));
            true
        }
        Item::Value(Value::InlineTable(t)) => {
            if t.contains_key(to) {
                return false;
            }
            let rank = rank(t.iter().map(|(k, _)| k.to_string()).collect());
            let Some((key, value)) = t.remove_entry(from) else {
                return false;
            };
            t.insert_formatted(&renamed(&key, to), value);
            t.sort_values_by(|a, _, b, _| rank(a).cmp(&rank(b)));
            true
        }
        _ => false,
    }
}

/// Sets `schema_version`, keeping the decor (spacing, trailing comment) of
/// the value that was there.
fn set_version(doc: &mut DocumentMut, version: i64) {
    match doc.get_mut("schema_version") {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = Value::from(version);
            *old.decor_mut() = decor;
        }
        _ => {
            doc.insert("schema_version", toml_edit::value(version));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn title_to_name(doc: &mut DocumentMut) {
        if let Some(plan) = doc.get_mut("plan") {
            rename_key(plan, "title", "name");
        }
    }

    #[test]
    fn steps_apply_in_order_and_the_version_keeps_its_comment() {
        let mut doc: DocumentMut =
            "# top\nschema_version = 0 # old\n\n[plan]\n# the title\ntitle = \"Acme\" # kept\n"
                .parse()
                .unwrap();
        let steps = [Migration {
            from: 0,
            apply: title_to_name,
        }];
        assert!(can_migrate(0, &steps));
        assert!(!can_migrate(-1, &steps));
        assert!(!can_migrate(SCHEMA_VERSION, &steps));
        assert_eq!(migrate(&mut doc, 0, &steps), Ok(SCHEMA_VERSION));
        assert_eq!(
            doc.to_string(),
            "# top\nschema_version = 1 # old\n\n[plan]\n# the title\nname = \"Acme\" # kept\n"
        );
    }

    #[test]
    fn a_renamed_key_keeps_its_place_and_comments() {
        let text = "[plan]\n# one\na = 1\n# the title\ntitle = \"Acme\" # kept\nb = 2\n[x]\ny = { p = 1, title = 2, q = 3 }\n";
        let mut doc: DocumentMut = text.parse().unwrap();
        assert!(rename_key(doc.get_mut("plan").unwrap(), "title", "name"));
        let y = doc["x"].get_mut("y").unwrap();
        assert!(rename_key(y, "title", "t"));
        assert!(!rename_key(y, "missing", "z"));
        assert!(
            !rename_key(y, "p", "q"),
            "an existing key is never overwritten"
        );
        assert_eq!(
            doc.to_string(),
            "[plan]\n# one\na = 1\n# the title\nname = \"Acme\" # kept\nb = 2\n[x]\ny = { p = 1, t = 2, q = 3 }\n"
        );
    }

    #[test]
    fn a_missing_step_changes_nothing() {
        let text = "schema_version = -1\n";
        let mut doc: DocumentMut = text.parse().unwrap();
        let steps = [Migration {
            from: 0,
            apply: title_to_name,
        }];
        assert_eq!(migrate(&mut doc, -1, &steps), Err(NoPath { at: -1 }));
        assert_eq!(doc.to_string(), text);
        assert!(MIGRATIONS.is_empty());
        assert!(!can_migrate(0, MIGRATIONS));
    }

    #[test]
    fn chains_run_every_step() {
        fn mark_a(doc: &mut DocumentMut) {
            doc.insert("a", toml_edit::value(1));
        }
        fn mark_b(doc: &mut DocumentMut) {
            let a = doc.get("a").and_then(Item::as_integer).unwrap_or(0);
            doc.insert("b", toml_edit::value(a + 1));
        }
        let mut doc: DocumentMut = "schema_version = 3\n".parse().unwrap();
        let steps = [
            Migration {
                from: 4,
                apply: mark_b,
            },
            Migration {
                from: 3,
                apply: mark_a,
            },
        ];
        assert_eq!(migrate_to(&mut doc, 3, 5, &steps), Ok(5));
        assert_eq!(doc.to_string(), "schema_version = 5\na = 1\nb = 2\n");
    }
}
