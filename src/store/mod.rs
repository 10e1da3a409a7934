//! Plan files on disk: paths, loading with located errors, format-preserving
//! and atomic saving.
//!
//! Promises kept here: a file that cannot be read as a plan is never written;
//! a save replaces the file atomically and durably (temp file in the same
//! directory, fsync, rename, fsync of the directory) and keeps its mode; new
//! files are readable by their owner only.

pub mod atomic;
pub mod chunk;
pub mod diag;
pub mod journal;
pub mod load;
pub mod lock;
pub mod merge;
pub mod migrate;
pub mod paths;
pub mod prefs;
pub mod recent;
pub mod save;
pub mod trash;

use std::path::{Path, PathBuf};

pub use diag::Diagnostic;
pub use load::LoadError;

use crate::i18n::{t, tf};
use crate::plan::Plan;

/// The bundled example plan.
pub const EXAMPLE: &str = include_str!("../../assets/examples/example.toml");

/// A plan and the file it lives in.
#[derive(Debug, Clone)]
pub struct PlanFile {
    pub path: PathBuf,
    pub plan: Plan,
    /// The file's text as last read or written: what a save merges into
    /// (unless the plan was migrated).
    pub text: std::sync::Arc<str>,
    /// Set while the file on disk is an older schema version that was
    /// migrated in memory: its version and the migrated text, which is what
    /// a save merges into. The first save writes a `.bak` copy of the file
    /// first, and clears this.
    pub migrated: Option<migrate::Migrated>,
    /// For a big file, the plan as parsed from `text`: saving then copies
    /// unchanged elements as they are instead of re-reading the whole file
    /// (see `chunk::render`).
    pub base: Option<std::sync::Arc<Plan>>,
}

/// A loaded plan with its value problems.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub file: PlanFile,
    pub problems: Vec<Diagnostic>,
}

/// Reads the plan at `path`.
pub fn open(path: &Path) -> Result<Loaded, LoadError> {
    open_with(path, migrate::MIGRATIONS)
}

/// Reads the plan at `path` only to look at it (reports, exports): what a
/// later save of a big plan would need is not kept.
pub fn open_to_read(path: &Path) -> Result<Loaded, LoadError> {
    open_inner(path, migrate::MIGRATIONS, false)
}

/// [`open`] with a given set of migrations (tests use synthetic ones).
pub fn open_with(path: &Path, migrations: &[migrate::Migration]) -> Result<Loaded, LoadError> {
    open_inner(path, migrations, true)
}

fn open_inner(
    path: &Path,
    migrations: &[migrate::Migration],
    for_saving: bool,
) -> Result<Loaded, LoadError> {
    let (text, parsed) = load::read_with(path, migrations)?;
    let base = (for_saving && text.len() >= chunk::MIN_BYTES && parsed.migrated.is_none())
        .then(|| std::sync::Arc::new(parsed.plan.clone()));
    Ok(Loaded {
        file: PlanFile {
            path: path.to_path_buf(),
            plan: parsed.plan,
            text: text.into(),
            base,
            migrated: parsed.migrated,
        },
        problems: parsed.problems,
    })
}

/// A failed write; the file on disk is unchanged.
#[derive(Debug)]
pub struct SaveError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}",
            tf(
                "store.save_failed",
                &[("path", &self.path.display()), ("error", &self.error)]
            )
        )
    }
}

impl std::error::Error for SaveError {}

/// What [`PlanFile::save_checked`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveOutcome {
    /// Written (or there was nothing to write).
    Saved,
    /// The file had been changed by another program; its changes and this
    /// plan's were merged and written. Where the outside changes were.
    Merged(Vec<String>),
    /// Not written: the file was changed by another program (when asked
    /// only to report it).
    Changed,
    /// Not written: both changed the same values (empty when the versions
    /// could not be compared value by value).
    Conflicts(Vec<merge::Conflict>),
    /// Not written: the file on disk cannot be read as a plan (a half-done
    /// edit?); the located error.
    Unreadable(String),
}

/// What a checked save does when the file changed since it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnChange {
    /// Write nothing, say so ([`SaveOutcome::Changed`]).
    Report,
    /// Merge; write only when nothing conflicts.
    Merge,
    /// Merge and keep this plan's values where both changed the same
    /// ones; an unreadable file is replaced (the person was asked).
    KeepMine,
}

impl PlanFile {
    /// Saves, holding the plan's write lock ([`lock::write_lock`]) from
    /// comparing the file with the text it was read as to the rename, so
    /// that no change made meanwhile by another program is ever written
    /// over: a changed file is merged with this plan (`on_change`), and the
    /// merged plan is written into the file's new text (its comments and
    /// layout stay). After a merge, `plan` and `text` are the merged ones.
    pub fn save_checked(&mut self, on_change: OnChange) -> Result<SaveOutcome, SaveError> {
        let fail = |error| SaveError {
            path: self.path.clone(),
            error,
        };
        check_writable(&self.path).map_err(fail)?;
        let _lock = lock::write_lock(&self.path).map_err(fail)?;
        let disk = match std::fs::read(&self.path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(fail(e)),
        };
        let Some(bytes) = disk.filter(|b| *b != self.text.as_bytes()) else {
            self.save()?;
            return Ok(SaveOutcome::Saved);
        };
        if on_change == OnChange::Report {
            return Ok(SaveOutcome::Changed);
        }
        let keep_mine = on_change == OnChange::KeepMine;
        let theirs = String::from_utf8(bytes)
            .map_err(|_| t("load.not_utf8").to_string())
            .and_then(|text| {
                load::parse(&self.path, &text)
                    .map(|parsed| (text, parsed))
                    .map_err(|e| e.to_string())
            });
        let (text, parsed) = match theirs {
            Ok(theirs) => theirs,
            Err(_) if keep_mine => {
                self.save()?;
                return Ok(SaveOutcome::Saved);
            }
            Err(e) => return Ok(SaveOutcome::Unreadable(e)),
        };
        let base = match &self.base {
            Some(base) => Some((**base).clone()),
            None => load::parse(&self.path, &self.text).ok().map(|p| p.plan),
        };
        let merged = base.and_then(|base| merge::merge(&base, &self.plan, &parsed.plan).ok());
        let merged = match merged {
            Some(m) if m.conflicts.is_empty() || keep_mine => m,
            Some(m) => return Ok(SaveOutcome::Conflicts(m.conflicts)),
            None if keep_mine => {
                self.save()?;
                return Ok(SaveOutcome::Saved);
            }
            None => return Ok(SaveOutcome::Conflicts(Vec::new())),
        };
        // From here the file's text is theirs: even if the write fails, a
        // later save merges into it and loses none of their changes.
        self.base = (text.len() >= chunk::MIN_BYTES && parsed.migrated.is_none())
            .then(|| std::sync::Arc::new(parsed.plan));
        self.text = text.into();
        self.migrated = parsed.migrated;
        self.plan = merged.plan;
        self.save()?;
        Ok(SaveOutcome::Merged(merged.taken))
    }

    /// The text a save would write now.
    pub fn rendered(&self) -> String {
        if self.migrated.is_none()
            && let Some(base) = &self.base
            && let Some(text) = chunk::render(&self.text, base, &self.plan)
        {
            return text;
        }
        let base: &str = self.migrated.as_ref().map_or(&self.text, |m| &m.text);
        save::render(Some(base), &self.plan)
    }

    /// The schema version of the file on disk, when it is older than this
    /// program's and was migrated in memory.
    pub fn migrated_from(&self) -> Option<i64> {
        self.migrated.as_ref().map(|m| m.from)
    }

    /// True when the plan differs from what is on disk.
    pub fn is_dirty(&self) -> bool {
        *self.rendered() != *self.text
    }

    /// Writes the plan, merged into the file's text, atomically. The first
    /// save of a migrated plan first keeps the original as `<file>.bak`.
    pub fn save(&mut self) -> Result<(), SaveError> {
        let text = self.rendered();
        if *text == *self.text && self.path.exists() {
            return Ok(());
        }
        self.write_file(&text)?;
        self.base =
            (text.len() >= chunk::MIN_BYTES).then(|| std::sync::Arc::new(self.plan.clone()));
        self.text = text.into();
        self.migrated = None;
        Ok(())
    }

    /// Writes `text` — the whole file as the user edited it by hand, already
    /// parsed into `parsed` — atomically in place of the file, and makes it
    /// the plan and the text later saves merge into. Comments and layout of
    /// the hand edit are kept as they are. A migrated plan keeps its `.bak`
    /// promise: the old file is copied first.
    /// Like every save, under the write lock, and only over the version it
    /// was read as: a file changed meanwhile is left alone (an error).
    pub fn replace_text(&mut self, text: String, parsed: load::Parsed) -> Result<(), SaveError> {
        let fail = |error| SaveError {
            path: self.path.clone(),
            error,
        };
        let _lock = lock::write_lock(&self.path).map_err(fail)?;
        match std::fs::read(&self.path) {
            Ok(disk) if disk != self.text.as_bytes() => {
                return Err(fail(std::io::Error::other(t("store.changed_meanwhile"))));
            }
            _ => {}
        }
        self.write_file(&text)?;
        self.base = (text.len() >= chunk::MIN_BYTES && parsed.migrated.is_none())
            .then(|| std::sync::Arc::new(parsed.plan.clone()));
        self.plan = parsed.plan;
        self.text = text.into();
        self.migrated = parsed.migrated;
        Ok(())
    }

    /// Replaces the file with `text`, atomically, after the `.bak` copy that
    /// a migrated plan's first save owes.
    fn write_file(&self, text: &str) -> Result<(), SaveError> {
        let fail = |error| SaveError {
            path: self.path.clone(),
            error,
        };
        check_writable(&self.path).map_err(fail)?;
        if self.migrated.is_some() {
            self.write_backup().map_err(fail)?;
        }
        write_atomic(&self.path, text.as_bytes()).map_err(fail)
    }

    /// Copies the file as it is on disk (as read, if it is gone) to
    /// `<file>.bak`, or `<file>.bak.2`, … when a different `.bak` exists.
    /// Returns the backup's path.
    pub fn write_backup(&self) -> std::io::Result<PathBuf> {
        let original = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => self.text.as_bytes().to_vec(),
            Err(e) => return Err(e),
        };
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".bak");
        for n in 1..100 {
            let mut candidate = name.clone();
            if n > 1 {
                candidate.push(format!(".{n}"));
            }
            let path = self.path.with_file_name(candidate);
            match std::fs::read(&path) {
                Ok(bytes) if bytes == original => return Ok(path),
                Ok(_) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    write_atomic(&path, &original)?;
                    return Ok(path);
                }
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            crate::i18n::t("store.reliability.no_backup_name"),
        ))
    }
}

/// Creates a new plan file from `text`; fails if the file exists. The plan
/// appears complete or not at all (see [`atomic::create`]): a full disk
/// leaves nothing behind, and trying again later works.
pub fn create(path: &Path, text: &str) -> Result<(), SaveError> {
    let fail = |error| SaveError {
        path: path.to_path_buf(),
        error,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        paths::ensure_dir(dir).map_err(fail)?;
    }
    atomic::clean_stale_temps(path);
    atomic::create(&atomic::RealFs, path, text.as_bytes()).map_err(fail)
}

/// Fails with a clear message when the user made the plan's file read-only
/// (no write permission bit): rumbo then never writes it.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if atomic::write_protected(&meta) => Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            tf("store.write_protected", &[("path", &path.display())]),
        )),
        _ => Ok(()),
    }
}

/// Replaces `path` with `bytes` atomically and durably, keeping its mode and
/// writing through a symlink to its target (see [`atomic::replace`]), after
/// removing temporary files a killed run left next to it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    atomic::clean_stale_temps(path);
    atomic::replace(&atomic::RealFs, path, bytes)
}

/// A new, empty plan's text.
pub fn new_plan_text(name: &str, created: Option<crate::plan::Date>) -> String {
    save::render(None, &Plan::new(name, created))
}
