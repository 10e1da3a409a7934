//! Deleting a plan from the start screen: the file is moved to `trash/` in
//! the data directory, never unlinked, so a slip of the finger costs nothing.

use std::io;
use std::path::{Path, PathBuf};

/// The trash folder of a data directory.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("trash")
}

/// Where `file_name` goes in `trash`: its own name, or with `-stamp` before
/// the extension (then `-stamp-2`, …) when that name is taken.
pub fn destination(trash: &Path, file_name: &str, stamp: &str) -> PathBuf {
    let plain = trash.join(file_name);
    if !plain.exists() {
        return plain;
    }
    let (stem, ext) = match file_name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (file_name, String::new()),
    };
    (1..)
        .map(|n| {
            let suffix = if n == 1 {
                stamp.to_string()
            } else {
                format!("{stamp}-{n}")
            };
            trash.join(format!("{stem}-{suffix}{ext}"))
        })
        .find(|p| !p.exists())
        .expect("some name is free")
}

/// Moves `plan` into the trash of `data_dir`; returns its new path.
pub fn move_to_trash(data_dir: &Path, plan: &Path) -> io::Result<PathBuf> {
    let trash = dir(data_dir);
    super::paths::ensure_dir(&trash)?;
    let name = plan
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let stamp = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S").to_string();
    let to = destination(&trash, name, &stamp);
    if std::fs::rename(plan, &to).is_err() {
        // Another file system: copy, and remove the original only once the
        // copy is safely written.
        std::fs::copy(plan, &to)?;
        std::fs::File::open(&to)?.sync_all()?;
        std::fs::remove_file(plan)?;
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_moves_to_the_trash_and_a_clash_gets_a_timestamp() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("acme.toml");
        std::fs::write(&plan, "one").unwrap();
        let to = move_to_trash(dir.path(), &plan).unwrap();
        assert_eq!(to, dir.path().join("trash/acme.toml"));
        assert!(!plan.exists());
        assert_eq!(std::fs::read_to_string(&to).unwrap(), "one");

        std::fs::write(&plan, "two").unwrap();
        let again = move_to_trash(dir.path(), &plan).unwrap();
        let name = again.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            name.starts_with("acme-2") && name.ends_with(".toml"),
            "{name}"
        );
        assert_eq!(std::fs::read_to_string(&to).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(&again).unwrap(), "two");
    }

    #[test]
    fn names_taken_twice_in_one_second_count_up() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.toml", "a-20261207-101010.toml"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        assert_eq!(
            destination(dir.path(), "a.toml", "20261207-101010"),
            dir.path().join("a-20261207-101010-2.toml")
        );
        assert_eq!(
            destination(dir.path(), "b.toml", "x"),
            dir.path().join("b.toml")
        );
    }
}
