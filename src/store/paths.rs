//! Where plans live: the data directory and how a `PLAN` argument names a file.

use std::path::{Path, PathBuf};

use crate::i18n::tf;
use crate::plan::{is_slug, slugify};

/// The directory of plans: `--data-dir` / `RUMBO_DATA_DIR`, else the platform
/// data directory (`~/.local/share/rumbo/plans` on Linux).
pub fn data_dir(explicit: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(dir) = explicit {
        return Ok(dir.to_path_buf());
    }
    directories::ProjectDirs::from("", "", "rumbo")
        .map(|dirs| dirs.data_dir().join("plans"))
        .ok_or_else(|| crate::i18n::t("paths.no_home").to_string())
}

/// How a `PLAN` argument was understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanRef {
    /// A path given by the user.
    Path(PathBuf),
    /// A name in the data directory, with its file.
    Named(String, PathBuf),
}

impl PlanRef {
    pub fn path(&self) -> &Path {
        match self {
            PlanRef::Path(p) | PlanRef::Named(_, p) => p,
        }
    }
}

/// A path when the argument holds `/` or ends in `.toml`, else a plan name.
pub fn resolve(arg: &str, dir: &Path) -> Result<PlanRef, String> {
    if arg.contains('/') || arg.contains('\\') || arg.ends_with(".toml") {
        return Ok(PlanRef::Path(PathBuf::from(arg)));
    }
    let name = check_name(arg)?;
    Ok(PlanRef::Named(
        name.clone(),
        dir.join(format!("{name}.toml")),
    ))
}

/// A plan name must be a slug, so it can never leave the data directory.
pub fn check_name(name: &str) -> Result<String, String> {
    if is_slug(name) && name != "." && name != ".." {
        Ok(name.to_string())
    } else {
        let suggestion = slugify(name);
        Err(if suggestion.is_empty() {
            tf("paths.bad_name", &[("name", &name)])
        } else {
            tf(
                "paths.bad_name_suggest",
                &[("name", &name), ("suggestion", &suggestion)],
            )
        })
    }
}

/// Creates the data directory (owner-only) if it is missing.
pub fn ensure_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// The plan files of the data directory, sorted by name.
pub fn list(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "toml") && is_slug(stem) && path.is_file() {
            out.push((stem.to_string(), path.clone()));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_could_escape_the_directory_are_refused() {
        let dir = Path::new("/data");
        assert!(resolve("..", dir).is_err());
        assert!(resolve("a b", dir).is_err());
        assert!(check_name("Acme Co").unwrap_err().contains("acme-co"));
        assert_eq!(
            resolve("acme", dir).unwrap(),
            PlanRef::Named("acme".into(), PathBuf::from("/data/acme.toml"))
        );
        assert_eq!(
            resolve("../x.toml", dir).unwrap(),
            PlanRef::Path(PathBuf::from("../x.toml"))
        );
    }
}
