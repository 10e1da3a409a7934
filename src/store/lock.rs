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
use std::time::{Duration, Instant};

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
    try_lock_at(lock_path(plan)?)
}

/// Takes the lock held on `path` (a lock file): see [`try_lock`].
fn try_lock_at(path: PathBuf) -> io::Result<Option<PlanLock>> {
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

/// The write lock of a plan: `.<filename>.write.lock` beside its real file.
pub fn write_lock_path(plan: &Path) -> io::Result<PathBuf> {
    let mut path = lock_path(plan)?;
    path.set_extension("write.lock");
    Ok(path)
}

/// How long a writer waits for another writer of the same plan, unless
/// `RUMBO_WRITE_LOCK_WAIT_MS` says otherwise.
pub const WRITE_LOCK_WAIT: Duration = Duration::from_secs(10);

/// Takes the *write lock* of `plan`, waiting while another writer holds it
/// (at most [`WRITE_LOCK_WAIT`]).
///
/// Every writer of a plan — `rumbo actuals add` and `import`, the wizard's
/// save — holds it from reading the file to renaming the new one into
/// place, so no writer ever replaces a version it did not read. It is a
/// lock apart from the session lock of [`try_lock`], which an open wizard
/// holds for as long as it runs, and is only ever held for one write.
/// A writer that cannot have it in time fails with `TimedOut` and a message
/// saying the plan was not changed.
pub fn write_lock(plan: &Path) -> io::Result<PlanLock> {
    let wait = std::env::var("RUMBO_WRITE_LOCK_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(WRITE_LOCK_WAIT, Duration::from_millis);
    let path = write_lock_path(plan)?;
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        if let Some(lock) = try_lock_at(path.clone())? {
            return Ok(lock);
        }
        if start.elapsed() >= wait {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                crate::i18n::tf("store.write_lock_busy", &[("seconds", &wait.as_secs_f32())]),
            ));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(50));
    }
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

    #[test]
    fn the_write_lock_waits_for_the_writer_before_and_is_separate() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("plan.toml");
        fs::write(&plan, b"").unwrap();
        // An open wizard's session lock does not stop a writer.
        let _session = try_lock(&plan).unwrap().unwrap();
        let first = write_lock(&plan).unwrap();
        assert_eq!(first.path(), dir.path().join(".plan.toml.write.lock"));
        let (tx, rx) = std::sync::mpsc::channel();
        let p = plan.clone();
        let waiter = std::thread::spawn(move || {
            let second = write_lock(&p).unwrap();
            tx.send(()).unwrap();
            drop(second);
        });
        std::thread::sleep(Duration::from_millis(150));
        assert!(rx.try_recv().is_err(), "the second writer waits");
        drop(first);
        rx.recv_timeout(Duration::from_secs(5))
            .expect("then it gets in");
        waiter.join().unwrap();
    }
}
