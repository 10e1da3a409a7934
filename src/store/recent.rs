//! The list of recently opened plans, newest first, kept in the data
//! directory as `.recent` (one path per line). Losing it loses nothing.

use std::path::{Path, PathBuf};

const FILE: &str = ".recent";
const KEEP: usize = 20;

/// Recently opened plans that still exist, newest first.
pub fn read(dir: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(dir.join(FILE)) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect()
}

/// Every path of the list, newest first, whether the file exists or not
/// (the start screen shows a missing one with a note).
pub fn read_all(dir: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(dir.join(FILE)) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .collect()
}

/// Takes `plan` off the list (it was deleted). Failures are ignored.
pub fn remove(dir: &Path, plan: &Path) {
    let real = std::fs::canonicalize(plan).unwrap_or_else(|_| plan.to_path_buf());
    let mut list = read_all(dir);
    let before = list.len();
    list.retain(|p| p != plan && p != &real);
    if list.len() != before {
        write(dir, &list);
    }
}

/// Puts `plan` first in the list. Failures are ignored: it is a convenience.
pub fn touch(dir: &Path, plan: &Path) {
    let plan = std::fs::canonicalize(plan).unwrap_or_else(|_| plan.to_path_buf());
    let mut list = read(dir);
    list.retain(|p| p != &plan);
    list.insert(0, plan);
    list.truncate(KEEP);
    write(dir, &list);
}

fn write(dir: &Path, list: &[PathBuf]) {
    let text: String = list
        .iter()
        .filter_map(|p| p.to_str())
        .map(|p| format!("{p}\n"))
        .collect();
    let path = dir.join(FILE);
    if super::paths::ensure_dir(dir).is_ok() && super::write_atomic(&path, text.as_bytes()).is_ok()
    {
        // It lists where the plans are: owner-only, like the plans.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
        }
    }
}
