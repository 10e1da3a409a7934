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

/// rumbo's state directory (what it keeps between runs that is not a plan:
/// the recovery journal, remembered choices): `RUMBO_STATE_DIR`, else the
/// platform state directory (`~/.local/state/rumbo` on Linux), else the
/// local data directory.
pub fn state_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("RUMBO_STATE_DIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let dirs = directories::ProjectDirs::from("", "", "rumbo")?;
    Some(
        dirs.state_dir()
            .map_or_else(|| dirs.data_local_dir().to_path_buf(), Path::to_path_buf),
    )
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

/// A path when the argument holds `/` or ends in `.toml`, else a plan name:
/// the plan file of that exact name when there is one (`MyPlan` finds
/// `MyPlan.toml`), else the file of its slug (`DentaFlow 2026` names
/// `dentaflow-2026.toml`).
pub fn resolve(arg: &str, dir: &Path) -> Result<PlanRef, String> {
    if arg.contains('/') || arg.contains('\\') || arg.ends_with(".toml") {
        return Ok(PlanRef::Path(PathBuf::from(arg)));
    }
    if !arg.starts_with('.') && !arg.is_empty() {
        let exact = dir.join(format!("{arg}.toml"));
        if exact.is_file() {
            return Ok(PlanRef::Named(arg.to_string(), exact));
        }
    }
    let name = check_name(arg)?;
    Ok(PlanRef::Named(
        name.clone(),
        dir.join(format!("{name}.toml")),
    ))
}

/// The file name (without `.toml`) for a plan called `name`: the name itself
/// when it is a slug, else its slug (`DentaFlow 2026` → `dentaflow-2026`),
/// so it can never leave the data directory. An error only when nothing of
/// the name can make a file name.
pub fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if is_slug(name) && name != "." && name != ".." {
        return Ok(name.to_string());
    }
    // Something that looks like a path is refused rather than quietly
    // turned into a name: `../evil` or `acme.toml` are mistakes to point out.
    if name.contains(['/', '\\']) || name.starts_with('.') || name.ends_with(".toml") {
        return Err(tf("paths.name_is_path", &[("name", &name)]));
    }
    let slug = slugify(name);
    if slug.is_empty() {
        Err(tf("paths.bad_name", &[("name", &name)]))
    } else {
        Ok(slug)
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
        // Every plan file, whatever its name (`MyPlan.toml`, `plan año.toml`);
        // hidden files (locks, temporary files) are not plans.
        if path.extension().is_some_and(|e| e == "toml") && !stem.starts_with('.') && path.is_file()
        {
            out.push((stem.to_string(), path.clone()));
        }
    }
    // As a person sorts names: `acme` before `MyPlan` before `zeta`.
    out.sort_by_cached_key(|(name, _)| (name.to_lowercase(), name.clone()));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_could_escape_the_directory_are_refused() {
        let dir = Path::new("/data");
        assert!(resolve("..", dir).is_err());
        assert!(resolve("...", dir).is_err());
        assert!(check_name("¿?").is_err());
        assert_eq!(check_name("Acme Co").unwrap(), "acme-co");
        assert_eq!(
            resolve("DentaFlow 2026", dir).unwrap(),
            PlanRef::Named(
                "dentaflow-2026".into(),
                PathBuf::from("/data/dentaflow-2026.toml")
            )
        );
        assert_eq!(
            resolve("acme", dir).unwrap(),
            PlanRef::Named("acme".into(), PathBuf::from("/data/acme.toml"))
        );
        assert_eq!(
            resolve("../x.toml", dir).unwrap(),
            PlanRef::Path(PathBuf::from("../x.toml"))
        );
    }

    #[test]
    fn every_toml_file_is_listed_and_found_by_its_own_name() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "MyPlan.toml",
            "plan año.toml",
            "acme.toml",
            ".acme.toml.lock",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        std::fs::write(dir.path().join(".hidden.toml"), "").unwrap();
        let names: Vec<String> = list(dir.path())
            .unwrap()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["acme", "MyPlan", "plan año"]);
        assert_eq!(
            resolve("MyPlan", dir.path()).unwrap().path(),
            dir.path().join("MyPlan.toml")
        );
        assert_eq!(
            resolve("plan año", dir.path()).unwrap().path(),
            dir.path().join("plan año.toml")
        );
    }
}
