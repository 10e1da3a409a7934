//! One rumbo at a time on a plan: an advisory lock on a separate lock file.
//!
//! The lock is taken on `.<filename>.lock` next to the plan (next to the
//! symlink's target when the plan is a link, so two paths to one file share
//! one lock), with std's `File::try_lock`: an OS lock the kernel drops when
//! the process ends, however it ends, so a killed rumbo never leaves a plan
//! locked. The plan file itself is never locked or opened for this.
//!
//! While held, the lock file holds the holder's process id (for messages).
//! On release it is removed before the lock is let go, and a new holder
//! checks after locking that the file it locked is still the one at the
//! path; so removing it can never let two holders in.

use std::fs::{self, File, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::atomic::resolve_target;

/// A held lock on a plan; released when dropped.
#[derive(Debug)]
pub struct PlanLock {
    file: File,
    path: PathBuf,
}

impl PlanLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for PlanLock {
    fn drop(&mut self) {
        // Remove first, unlock second (closing the file unlocks it); and
        // only our own file, should someone have replaced it meanwhile.
        if same_file(&self.file, &self.path) {
            let _ = fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

/// The lock file of a plan: `.<filename>.lock` beside the plan's real file.
pub fn lock_path(plan: &Path) -> io::Result<PathBuf> {
    let target = resolve_target(plan)?;
    let name = target.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            crate::i18n::t("store.reliability.not_a_file"),
        )
    })?;
    let mut lock_name = std::ffi::OsString::from(".");
    lock_name.push(name);
    lock_name.push(".lock");
    Ok(target.with_file_name(lock_name))
}

/// Takes the lock of `plan`: `Ok(None)` when another process (or another
/// lock in this one) holds it; an error when the lock file cannot be made
/// (for example a read-only directory).
pub fn try_lock(plan: &Path) -> io::Result<Option<PlanLock>> {
    let path = lock_path(plan)?;
    // A few rounds at most: each retry means a holder just released it.
    for _ in 0..8 {
        let mut options = fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => return Err(e),
        }
        if !same_file(&file, &path) {
            // The holder removed it between our open and our lock.
            continue;
        }
        let mut lock = PlanLock { file, path };
        let _ = lock.file.set_len(0);
        let _ = writeln!(lock.file, "{}", std::process::id());
        return Ok(Some(lock));
    }
    Ok(None)
}

/// The process id written in the lock file of `plan`, if any. Only a hint
/// for messages ("open in process 1234"): the lock itself is what counts.
pub fn holder(plan: &Path) -> Option<u32> {
    let path = lock_path(plan).ok()?;
    fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// True when `file` is still the file at `path`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        // Windows does not let a file that is open be removed the way Unix
        // does (std opens with FILE_SHARE_DELETE, but the name stays until
        // the last handle closes), so the path still names our file.
        let _ = file;
        path.exists()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_plan_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("plan.toml");
        fs::write(&plan, b"schema_version = 1\n").unwrap();
        let first = try_lock(&plan).unwrap().expect("free at first");
        assert_eq!(first.path(), dir.path().join(".plan.toml.lock"));
        assert_eq!(holder(&plan), Some(std::process::id()));
        // File locks belong to the open file: a second open is refused.
        assert!(try_lock(&plan).unwrap().is_none());
        drop(first);
        assert!(!dir.path().join(".plan.toml.lock").exists());
        let again = try_lock(&plan).unwrap();
        assert!(again.is_some());
        // The plan itself was never touched.
        assert_eq!(fs::read(&plan).unwrap(), b"schema_version = 1\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_and_its_target_share_one_lock() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("plan.toml");
        fs::write(&plan, b"").unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&plan, &link).unwrap();
        let _held = try_lock(&link).unwrap().unwrap();
        assert!(try_lock(&plan).unwrap().is_none());
    }

    #[test]
    fn a_lock_file_left_behind_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("plan.toml");
        fs::write(dir.path().join(".plan.toml.lock"), b"12345\n").unwrap();
        let lock = try_lock(&plan).unwrap();
        assert!(lock.is_some(), "a stale file without an OS lock is free");
    }
}
