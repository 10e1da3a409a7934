//! The user's `config.toml`: where it lives and what it says. Today it holds
//! the key map (`[keys]`, see [`crate::keymap`]).
//!
//! A config that cannot be read or has mistakes never stops rumbo: the
//! defaults are used and the problems are handed back to be shown.

use std::path::{Path, PathBuf};

use crate::keymap::{self, KeyMap};
use crate::plan::Severity;
use crate::store::Diagnostic;

/// The file name inside the config directory.
pub const FILE: &str = "config.toml";

/// The config directory: `RUMBO_CONFIG_DIR`, else the platform's
/// (`~/.config/rumbo` on Linux).
pub fn dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("RUMBO_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "rumbo").map(|d| d.config_dir().to_path_buf())
}

/// The config file, whether or not it exists.
pub fn path() -> Option<PathBuf> {
    dir().map(|d| d.join(FILE))
}

/// What the config file gave.
#[derive(Debug, Clone)]
pub struct Config {
    pub keymap: KeyMap,
    pub problems: Vec<Diagnostic>,
    /// False when there is no config file (the defaults are in force).
    pub found: bool,
}

impl Config {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// Reads the config at `path`; a missing file is the defaults.
pub fn load(path: &Path) -> Config {
    match std::fs::read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config {
            keymap: KeyMap::default(),
            problems: Vec::new(),
            found: false,
        },
        Err(e) => Config {
            keymap: KeyMap::default(),
            problems: vec![Diagnostic::whole_file(Severity::Error, path, e.to_string())],
            found: true,
        },
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let loaded = keymap::from_config(path, text);
            Config {
                keymap: loaded.keymap,
                problems: loaded.problems,
                found: true,
            }
        }
    }
}

/// Reads the config from its usual place.
pub fn load_default() -> (Option<PathBuf>, Config) {
    match path() {
        Some(p) => {
            let config = load(&p);
            (Some(p), config)
        }
        None => (
            None,
            Config {
                keymap: KeyMap::default(),
                problems: Vec::new(),
                found: false,
            },
        ),
    }
}
