//! Plan files on disk: paths, loading with located errors, format-preserving
//! and atomic saving.
//!
//! Promises kept here: a file that cannot be read as a plan is never written;
//! a save replaces the file atomically and durably (temp file in the same
//! directory, fsync, rename, fsync of the directory) and keeps its mode; new
//! files are readable by their owner only.

pub mod diag;
pub mod load;
pub mod paths;
pub mod recent;
pub mod save;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use diag::Diagnostic;
pub use load::LoadError;

use crate::i18n::tf;
use crate::plan::Plan;

/// The bundled example plan.
pub const EXAMPLE: &str = include_str!("../../assets/examples/example.toml");

/// A plan and the file it lives in.
#[derive(Debug, Clone)]
pub struct PlanFile {
    pub path: PathBuf,
    pub plan: Plan,
    /// The file's text as last read or written: what a save merges into.
    pub text: String,
}

/// A loaded plan with its value problems.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub file: PlanFile,
    pub problems: Vec<Diagnostic>,
}

/// Reads the plan at `path`.
pub fn open(path: &Path) -> Result<Loaded, LoadError> {
    let (text, parsed) = load::read(path)?;
    Ok(Loaded {
        file: PlanFile {
            path: path.to_path_buf(),
            plan: parsed.plan,
            text,
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

impl PlanFile {
    /// The text a save would write now.
    pub fn rendered(&self) -> String {
        save::render(Some(&self.text), &self.plan)
    }

    /// True when the plan differs from what is on disk.
    pub fn is_dirty(&self) -> bool {
        self.rendered() != self.text
    }

    /// Writes the plan, merged into the file's text, atomically.
    pub fn save(&mut self) -> Result<(), SaveError> {
        let text = self.rendered();
        if text == self.text && self.path.exists() {
            return Ok(());
        }
        write_atomic(&self.path, text.as_bytes()).map_err(|error| SaveError {
            path: self.path.clone(),
            error,
        })?;
        self.text = text;
        Ok(())
    }
}

/// Creates a new plan file from `text`; fails if the file exists.
pub fn create(path: &Path, text: &str) -> Result<(), SaveError> {
    let fail = |error| SaveError {
        path: path.to_path_buf(),
        error,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        paths::ensure_dir(dir).map_err(fail)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)?;
    Ok(())
}

/// Replaces `path` with `bytes` atomically and durably, keeping its mode and
/// writing through a symlink to its target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) => path.to_path_buf(),
    };
    let mut file = atomic_write_file::AtomicWriteFile::options().open(&target)?;
    file.write_all(bytes)?;
    file.commit()
}

/// A new, empty plan's text.
pub fn new_plan_text(name: &str, created: Option<crate::plan::Date>) -> String {
    save::render(None, &Plan::new(name, created))
}
