//! What the wizard remembers between runs: whether the guidance panel shows
//! (F3), the theme (F6) and the language (F9).
//!
//! Kept in `prefs.toml` in the platform state directory
//! (`~/.local/state/rumbo` on Linux; `RUMBO_STATE_DIR` overrides it), beside
//! the recovery journal. A missing or damaged file means the defaults, never
//! an error: these are conveniences, not data. Explicit choices still win:
//! `--theme`/`RUMBO_THEME` and `--lang`/`RUMBO_LANG` override what is
//! remembered, and what is remembered overrides what rumbo would guess (the
//! terminal's background, `LANG`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The remembered choices; `None` where the person never chose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    /// The guidance panel shows (F3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<bool>,
    /// The theme's key (`dark`, `light`, `high-contrast`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// The language's tag (`en`, `es`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// `prefs.toml` in the state directory ([`super::paths::state_dir`]).
pub fn default_path() -> Option<PathBuf> {
    super::paths::state_dir().map(|dir| dir.join("prefs.toml"))
}

/// The preferences at `path`; the defaults when the file is missing, too
/// big or cannot be read.
pub fn read(path: &Path) -> Prefs {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() <= 64 * 1024 => {}
        _ => return Prefs::default(),
    }
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| toml::from_str(&text).ok())
        .unwrap_or_default()
}

/// Writes the preferences atomically (owner-only, directory `0700`).
pub fn write(path: &Path, prefs: &Prefs) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        super::paths::ensure_dir(dir)?;
    }
    let text = toml::to_string(prefs).map_err(std::io::Error::other)?;
    super::write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip_and_a_damaged_file_means_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/prefs.toml");
        assert_eq!(read(&path), Prefs::default());
        let prefs = Prefs {
            guide: Some(false),
            theme: Some("light".into()),
            lang: Some("es".into()),
        };
        write(&path, &prefs).unwrap();
        assert_eq!(read(&path), prefs);
        std::fs::write(&path, "guide = [[[").unwrap();
        assert_eq!(read(&path), Prefs::default());
        std::fs::write(&path, "guide = \"yes\"").unwrap();
        assert_eq!(read(&path), Prefs::default());
    }
}
