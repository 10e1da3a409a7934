//! Durable atomic replacement of a file, behind a small seam a test can break.
//!
//! [`replace`] writes the new bytes to a temporary file in the target's own
//! directory (`.<filename>.rumbo-tmp-<pid>-<n>`), fsyncs it, gives it the
//! permissions (and, where allowed, the owner) of the file it replaces —
//! owner-only `0600` for a new file on Unix — renames it over the target and
//! fsyncs the directory. A symlink is followed: its target is replaced and
//! the link is kept.
//!
//! The contract: when `replace` returns an error, the target is
//! byte-identical to what it was and the temporary file is gone; when it
//! returns `Ok`, the target holds the new bytes. The one step after the
//! rename, the directory fsync, cannot be undone, so its failure is not an
//! error: the new content is in place and complete, and on a power loss the
//! directory shows either the whole old file or the whole new one.
//!
//! Every effect on the disk goes through [`Fs`] and [`TempFile`], so a test
//! double can fail at any step or byte ([`RealFs`] is the real one).

use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use crate::i18n::t;

/// What a temporary file's name holds after `.<filename>`.
const TMP_MARK: &str = ".rumbo-tmp-";

/// The file-system operations a replace needs.
pub trait Fs {
    /// Creates `path`, which must not exist yet, for writing (owner-only on
    /// Unix). Fails with `AlreadyExists` when it does.
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn TempFile + '_>>;
    /// Renames `from` over `to`, atomically.
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Makes the directory's entries durable (a no-op where unsupported).
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;
    /// Removes a file.
    fn remove_file(&self, path: &Path) -> io::Result<()>;
    /// Gives the file `from` a second name `to`; fails with `AlreadyExists`
    /// when `to` exists (this is how a new file appears only complete).
    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()>;
    /// Writes `bytes` into the existing file `path` itself (same inode, so
    /// its other hard links see them), cuts it to their length and syncs.
    fn overwrite(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
}

/// A temporary file being written.
pub trait TempFile: Write {
    /// Flushes the file's data to the disk (`fsync`).
    fn sync(&mut self) -> io::Result<()>;
    /// Gives the file the permissions of `like` (and on Unix its owner and
    /// group, as far as this process may).
    fn copy_metadata(&mut self, like: &Metadata) -> io::Result<()>;
}

/// The real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealFs;

struct RealFile(fs::File);

impl Write for RealFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl TempFile for RealFile {
    fn sync(&mut self) -> io::Result<()> {
        self.0.sync_all()
    }

    fn copy_metadata(&mut self, like: &Metadata) -> io::Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let mine = self.0.metadata()?;
            if mine.uid() != like.uid() || mine.gid() != like.gid() {
                // Only root may give a file away; a group we belong to is
                // allowed. Neither is an error: the mode below still applies.
                if std::os::unix::fs::fchown(&self.0, Some(like.uid()), Some(like.gid())).is_err() {
                    let _ = std::os::unix::fs::fchown(&self.0, None, Some(like.gid()));
                }
            }
        }
        self.0.set_permissions(like.permissions())
    }
}

impl Fs for RealFs {
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn TempFile + '_>> {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        Ok(Box::new(RealFile(options.open(path)?)))
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        #[cfg(unix)]
        {
            fs::File::open(dir)?.sync_all()
        }
        #[cfg(not(unix))]
        {
            // Windows cannot open a directory as a file; its rename is
            // already durable once the call returns (MOVEFILE_WRITE_THROUGH
            // is what std uses for replace semantics where available).
            let _ = dir;
            Ok(())
        }
    }

    fn remove_file(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }

    fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::hard_link(from, to)
    }

    fn overwrite(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let mut file = fs::OpenOptions::new().write(true).open(path)?;
        file.write_all(bytes)?;
        file.set_len(bytes.len() as u64)?;
        file.sync_all()
    }
}

/// How many names (hard links) the file has; 1 where that cannot be known.
fn links(meta: &Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

/// True when the file's owner made it read-only: no write permission bit
/// is set (as `chmod a-w` or `0444` leave it). Checked on the mode, not by
/// trying to open it: root could write it anyway.
pub fn write_protected(meta: &Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o222 == 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file() && meta.permissions().readonly()
    }
}

/// The file a write to `path` really changes: symlinks followed (also
/// dangling ones, whose target is then created), other paths unchanged.
pub fn resolve_target(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // The same bound as the kernel's ELOOP.
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = if link.is_absolute() {
                    link
                } else {
                    current.parent().unwrap_or(Path::new("")).join(link)
                };
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(t("store.reliability.symlink_loop")))
}

/// The directory and file name of a target.
fn split(target: &Path) -> io::Result<(PathBuf, OsString)> {
    let name = target
        .file_name()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                t("store.reliability.not_a_file"),
            )
        })?
        .to_os_string();
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name))
}

/// The prefix of every temporary file of `name`: `.<name>.rumbo-tmp-`.
fn temp_prefix(name: &std::ffi::OsStr) -> OsString {
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(TMP_MARK);
    prefix
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Creates a new temporary file for `name` in `dir`.
fn create_temp<'a>(
    fs: &'a dyn Fs,
    dir: &Path,
    name: &std::ffi::OsStr,
) -> io::Result<(PathBuf, Box<dyn TempFile + 'a>)> {
    let prefix = temp_prefix(name);
    let pid = std::process::id();
    let mut attempts = 0;
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut temp_name = prefix.clone();
        temp_name.push(format!("{pid}-{n}"));
        let temp = dir.join(temp_name);
        match fs.create_new(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => {
                attempts += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Creates `path` holding `bytes`, only if nothing is there yet, and only
/// complete: the bytes go to a synced temporary file first, which is then
/// linked to `path` (a link fails if the name was taken meanwhile) and
/// removed. On an error nothing is left at `path` (nor any temporary file)
/// and a later attempt starts afresh. Where the file system has no hard
/// links, the temporary file is renamed into place if the name is free.
pub fn create(fs: &dyn Fs, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = resolve_target(path)?;
    let (dir, name) = split(&target)?;
    if fs::symlink_metadata(&target).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    let (temp, mut file) = create_temp(fs, &dir, &name)?;
    let written = (|| {
        file.write_all(bytes)?;
        file.flush()?;
        file.sync()
    })();
    drop(file);
    let placed = written.and_then(|()| match fs.hard_link(&temp, &target) {
        Ok(()) => Ok(()),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::Unsupported | io::ErrorKind::PermissionDenied
            ) && fs::symlink_metadata(&target).is_err() =>
        {
            fs.rename(&temp, &target)
        }
        Err(e) => Err(e),
    });
    if let Err(e) = placed {
        let _ = fs.remove_file(&temp);
        return Err(e);
    }
    // Complete and in place: the second name goes (failing to remove it
    // only leaves a temporary file the next save cleans up).
    let _ = fs.remove_file(&temp);
    let _ = fs.sync_dir(&dir);
    Ok(())
}

/// Replaces `path` with `bytes` through `fs`. See the module documentation
/// for the contract.
pub fn replace(fs: &dyn Fs, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = resolve_target(path)?;
    let (dir, name) = split(&target)?;
    let existing = match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                t("store.reliability.not_a_file"),
            ));
        }
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };

    let (temp, mut file) = create_temp(fs, &dir, &name)?;

    let written = (|| {
        file.write_all(bytes)?;
        file.flush()?;
        if let Some(meta) = &existing {
            file.copy_metadata(meta)?;
        }
        file.sync()
    })();
    drop(file);
    if let Err(e) = written {
        let _ = fs.remove_file(&temp);
        return Err(e);
    }
    if existing.as_ref().is_some_and(|m| links(m) > 1) {
        return overwrite_linked(fs, &target, &temp, bytes);
    }
    if let Err(e) = fs.rename(&temp, &target) {
        let _ = fs.remove_file(&temp);
        return Err(e);
    }
    // Past the rename the new content is in place; see the module docs.
    let _ = fs.sync_dir(&dir);
    Ok(())
}

/// A file with several names (hard links) is written in place, so that
/// every name keeps showing the plan (as vim's `backupcopy=auto` does): the
/// complete new text is already synced in `temp`; it is copied into the file
/// itself; on a failure the old text is put back. `temp` is removed once the
/// file holds one whole version; only if even putting the old text back
/// fails is it kept, and the error says where the complete new text is.
fn overwrite_linked(fs: &dyn Fs, target: &Path, temp: &Path, bytes: &[u8]) -> io::Result<()> {
    let old = match fs::read(target) {
        Ok(old) => old,
        Err(e) => {
            let _ = fs.remove_file(temp);
            return Err(e);
        }
    };
    match fs.overwrite(target, bytes) {
        Ok(()) => {
            let _ = fs.remove_file(temp);
            Ok(())
        }
        Err(e) => {
            if fs.overwrite(target, &old).is_ok() {
                let _ = fs.remove_file(temp);
                Err(e)
            } else {
                Err(io::Error::new(
                    e.kind(),
                    crate::i18n::tf(
                        "store.reliability.linked_half_written",
                        &[("error", &e), ("temp", &temp.display())],
                    ),
                ))
            }
        }
    }
}

/// Removes the temporary files that a killed run left next to `path`: ours
/// (`.<filename>.rumbo-tmp-<pid>-<n>`, when process `<pid>` is gone) and
/// those of the `atomic-write-file` crate earlier versions used
/// (`.<filename>.XXXXXX`, six random letters and digits, older than a
/// minute). Only regular files are removed; failures are ignored.
pub fn clean_stale_temps(path: &Path) {
    let Ok(target) = resolve_target(path) else {
        return;
    };
    let Ok((dir, name)) = split(&target) else {
        return;
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let entry_name = entry.file_name();
        if is_stale_temp(&name, &entry_name, &entry.path())
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// True when `entry` is a temporary file of `name` that nobody will finish.
fn is_stale_temp(name: &std::ffi::OsStr, entry: &std::ffi::OsStr, path: &Path) -> bool {
    let (Some(name), Some(entry)) = (name.to_str(), entry.to_str()) else {
        return false;
    };
    let Some(rest) = entry
        .strip_prefix('.')
        .and_then(|r| r.strip_prefix(name))
        .and_then(|r| r.strip_prefix('.'))
    else {
        return false;
    };
    if let Some(id) = rest.strip_prefix(&TMP_MARK[1..]) {
        let Some(pid) = id.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            return false;
        };
        return pid != std::process::id() && !process_alive(pid, path);
    }
    // atomic-write-file: `.<name>.` and six random ASCII letters or digits.
    // A name of six lowercase letters could be a person's own (`.backup`).
    rest.len() == 6
        && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        && rest
            .bytes()
            .any(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        && older_than(path, Duration::from_secs(60))
}

/// Whether process `pid` may still be writing. Where that cannot be known
/// (no `/proc`), a temporary file younger than ten minutes is left alone.
fn process_alive(pid: u32, path: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        proc.join(pid.to_string()).exists()
    } else {
        !older_than(path, Duration::from_secs(600))
    }
}

fn older_than(path: &Path, age: Duration) -> bool {
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_some_and(|d| d >= age)
}

/// The temporary files of `path` present now (for tests and diagnostics).
pub fn temps_of(path: &Path) -> Vec<PathBuf> {
    let Ok(target) = resolve_target(path) else {
        return Vec::new();
    };
    let Ok((dir, name)) = split(&target) else {
        return Vec::new();
    };
    let prefix = temp_prefix(&name);
    let Some(prefix) = prefix.to_str() else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(prefix))
        })
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// The real file system, failing at operation number `fail_at` (every
    /// call to the file system and every byte written counts as one), or
    /// never. Writes go through at most `chunk` bytes at a time.
    struct Faulty {
        fail_at: Option<usize>,
        ops: Cell<usize>,
        chunk: usize,
    }

    impl Faulty {
        fn new(fail_at: Option<usize>, chunk: usize) -> Faulty {
            Faulty {
                fail_at,
                ops: Cell::new(0),
                chunk,
            }
        }

        /// Counts one operation; fails if it is the chosen one.
        fn step(&self, what: &str) -> io::Result<()> {
            let n = self.ops.get();
            self.ops.set(n + 1);
            if Some(n) == self.fail_at {
                Err(io::Error::other(format!(
                    "injected failure at {what} (op {n})"
                )))
            } else {
                Ok(())
            }
        }
    }

    struct FaultyFile<'a> {
        fs: &'a Faulty,
        inner: Box<dyn TempFile + 'a>,
    }

    impl Write for FaultyFile<'_> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let take = buf.len().min(self.fs.chunk);
            // Each byte is an operation: fail in the middle of a write.
            for i in 0..take {
                if let Err(e) = self.fs.step("write") {
                    if i == 0 {
                        return Err(e);
                    }
                    // A partial write, then the failure on the next call.
                    self.fs.ops.set(self.fs.ops.get() - 1);
                    return self.inner.write(&buf[..i]);
                }
            }
            self.inner.write(&buf[..take])
        }

        fn flush(&mut self) -> io::Result<()> {
            self.fs.step("flush")?;
            self.inner.flush()
        }
    }

    impl TempFile for FaultyFile<'_> {
        fn sync(&mut self) -> io::Result<()> {
            self.fs.step("fsync")?;
            self.inner.sync()
        }

        fn copy_metadata(&mut self, like: &Metadata) -> io::Result<()> {
            self.fs.step("copy_metadata")?;
            self.inner.copy_metadata(like)
        }
    }

    impl Fs for Faulty {
        fn create_new(&self, path: &Path) -> io::Result<Box<dyn TempFile + '_>> {
            self.step("create")?;
            let inner = RealFs.create_new(path)?;
            Ok(Box::new(FaultyFile { fs: self, inner }))
        }

        fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
            self.step("rename")?;
            RealFs.rename(from, to)
        }

        fn sync_dir(&self, dir: &Path) -> io::Result<()> {
            self.step("fsync_dir")?;
            RealFs.sync_dir(dir)
        }

        fn remove_file(&self, path: &Path) -> io::Result<()> {
            // Cleaning up is not counted: it must always be attempted.
            RealFs.remove_file(path)
        }

        fn hard_link(&self, from: &Path, to: &Path) -> io::Result<()> {
            self.step("hard_link")?;
            RealFs.hard_link(from, to)
        }

        fn overwrite(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
            if let Err(e) = self.step("overwrite") {
                // A copy that fails half-way: half the bytes land first.
                let _ = RealFs.overwrite(path, &bytes[..bytes.len() / 2]);
                return Err(e);
            }
            RealFs.overwrite(path, bytes)
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_failure_at_any_step_or_byte_leaves_the_original_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.toml");
        let old = b"schema_version = 1\n# the original\n".to_vec();
        let new: Vec<u8> = (0..300u32).map(|i| b'a' + (i % 26) as u8).collect();
        for chunk in [1, 7, usize::MAX] {
            fs::write(&path, &old).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
            }
            // A clean run counts the operations.
            let clean = Faulty::new(None, chunk);
            replace(&clean, &path, &new).unwrap();
            let total = clean.ops.get();
            assert!(total > new.len(), "every byte counts: {total}");
            assert_eq!(fs::read(&path).unwrap(), new);
            fs::write(&path, &old).unwrap();

            for k in 0..total {
                let faulty = Faulty::new(Some(k), chunk);
                let result = replace(&faulty, &path, &new);
                let last = k + 1 == total;
                if last {
                    // The directory fsync comes after the rename: the new
                    // content is complete and in place.
                    result.unwrap();
                    assert_eq!(fs::read(&path).unwrap(), new, "k = {k}");
                    fs::write(&path, &old).unwrap();
                } else {
                    let err = result.expect_err("an injected failure is reported");
                    assert!(err.to_string().contains("injected"), "{err}");
                    assert_eq!(fs::read(&path).unwrap(), old, "k = {k}, chunk {chunk}");
                }
                assert_eq!(names(dir.path()), vec!["plan.toml"], "k = {k}");
                #[cfg(unix)]
                assert_eq!(mode(&path), 0o640, "k = {k}");
            }
        }
    }

    #[test]
    fn a_failure_creating_a_new_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.toml");
        for k in 0..4 {
            let faulty = Faulty::new(Some(k), usize::MAX);
            assert!(replace(&faulty, &path, b"x = 1\n").is_err());
            assert!(names(dir.path()).is_empty(), "k = {k}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn modes_are_kept_and_new_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.toml");
        replace(&RealFs, &path, b"a").unwrap();
        assert_eq!(mode(&path), 0o600);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        replace(&RealFs, &path, b"b").unwrap();
        assert_eq!(mode(&path), 0o644);
        assert_eq!(fs::read(&path).unwrap(), b"b");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real_dir = dir.path().join("real");
        fs::create_dir(&real_dir).unwrap();
        let real = real_dir.join("plan.toml");
        fs::write(&real, b"old").unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink("real/plan.toml", &link).unwrap();
        // A chain of two links.
        let link2 = dir.path().join("link2.toml");
        std::os::unix::fs::symlink(&link, &link2).unwrap();

        replace(&RealFs, &link2, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            fs::symlink_metadata(&link2)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
        // The temporary file lived next to the target, and is gone.
        assert_eq!(names(&real_dir), vec!["plan.toml"]);
        assert_eq!(names(dir.path()), vec!["link.toml", "link2.toml", "real"]);

        // A dangling link: its target is created, the link stays.
        let dangling = dir.path().join("dangling.toml");
        std::os::unix::fs::symlink("real/fresh.toml", &dangling).unwrap();
        replace(&RealFs, &dangling, b"fresh").unwrap();
        assert!(
            fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(real_dir.join("fresh.toml")).unwrap(), b"fresh");

        // A loop is an error, not a hang.
        let a = dir.path().join("a.toml");
        let b = dir.path().join("b.toml");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        assert!(replace(&RealFs, &a, b"x").is_err());
    }

    #[test]
    fn a_directory_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("plan.toml");
        fs::create_dir(&sub).unwrap();
        assert!(replace(&RealFs, &sub, b"x").is_err());
        assert!(sub.is_dir());
        assert_eq!(names(dir.path()), vec!["plan.toml"]);
    }

    #[test]
    fn stale_temps_of_dead_runs_are_cleaned_and_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.toml");
        fs::write(&path, b"x").unwrap();
        let me = std::process::id();
        // A pid far above any pid_max: a run that is gone.
        let dead = dir.path().join(".plan.toml.rumbo-tmp-4294967295-3");
        let mine = dir.path().join(format!(".plan.toml.rumbo-tmp-{me}-99"));
        let other_plan = dir.path().join(".other.toml.rumbo-tmp-4294967295-1");
        let own_backup = dir.path().join(".plan.toml.backup");
        let lock = dir.path().join(".plan.toml.lock");
        for p in [&dead, &mine, &other_plan, &own_backup, &lock] {
            fs::write(p, b"partial").unwrap();
        }
        // A fresh atomic-write-file temp is left (it may be in use)...
        let awf = dir.path().join(".plan.toml.a1B2c3");
        fs::write(&awf, b"partial").unwrap();
        clean_stale_temps(&path);
        assert!(!dead.exists());
        for p in [&mine, &other_plan, &own_backup, &lock, &awf] {
            assert!(p.exists(), "{} kept", p.display());
        }
        // ...and an old one is removed.
        let old = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(&awf)
            .unwrap()
            .set_modified(old)
            .unwrap();
        clean_stale_temps(&path);
        assert!(!awf.exists());
        assert_eq!(temps_of(&path), vec![mine.clone()]);
    }

    #[test]
    fn temp_names_follow_the_documented_pattern() {
        assert!(is_stale_temp(
            "p.toml".as_ref(),
            ".p.toml.rumbo-tmp-4294967295-0".as_ref(),
            Path::new("/nonexistent")
        ));
        assert!(!is_stale_temp(
            "p.toml".as_ref(),
            ".p.toml.rumbo-tmp-x-0".as_ref(),
            Path::new("/nonexistent")
        ));
        assert!(!is_stale_temp(
            "p.toml".as_ref(),
            "p.toml.rumbo-tmp-4294967295-0".as_ref(),
            Path::new("/nonexistent")
        ));
    }

    #[test]
    fn a_new_file_appears_complete_or_not_at_all_and_a_retry_works() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.toml");
        let bytes: Vec<u8> = (0..200u32).map(|i| b'a' + (i % 26) as u8).collect();
        let clean = Faulty::new(None, 7);
        create(&clean, &path, &bytes).unwrap();
        let total = clean.ops.get();
        assert_eq!(fs::read(&path).unwrap(), bytes);
        assert!(create(&RealFs, &path, b"other").is_err(), "never replaces");
        assert_eq!(fs::read(&path).unwrap(), bytes);
        fs::remove_file(&path).unwrap();
        for k in 0..total {
            let faulty = Faulty::new(Some(k), 7);
            match create(&faulty, &path, &bytes) {
                // The directory fsync comes last: the file is complete.
                Ok(()) => assert_eq!(fs::read(&path).unwrap(), bytes, "k = {k}"),
                Err(e) => {
                    assert!(e.to_string().contains("injected"), "{e}");
                    assert!(names(dir.path()).is_empty(), "k = {k}: nothing left");
                }
            }
            // A retry works.
            let _ = fs::remove_file(&path);
            create(&RealFs, &path, &bytes).unwrap();
            assert_eq!(fs::read(&path).unwrap(), bytes);
            assert_eq!(names(dir.path()), vec!["new.toml"]);
            fs::remove_file(&path).unwrap();
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_file_with_hard_links_keeps_them_and_fails_whole() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.toml");
        let other = dir.path().join("other-name.toml");
        let old = b"schema_version = 1\n# old\n".to_vec();
        let new: Vec<u8> = (0..100u32).map(|i| b'a' + (i % 26) as u8).collect();
        fs::write(&path, &old).unwrap();
        fs::hard_link(&path, &other).unwrap();
        let clean = Faulty::new(None, usize::MAX);
        replace(&clean, &path, &new).unwrap();
        let total = clean.ops.get();
        assert_eq!(fs::read(&other).unwrap(), new, "the other name sees it");
        assert_eq!(fs::metadata(&path).unwrap().nlink(), 2);
        assert_eq!(names(dir.path()), vec!["other-name.toml", "plan.toml"]);
        for k in 0..total {
            fs::write(&path, &old).unwrap();
            let faulty = Faulty::new(Some(k), usize::MAX);
            assert!(replace(&faulty, &path, &new).is_err(), "k = {k}");
            assert_eq!(fs::read(&other).unwrap(), old, "k = {k}");
            assert_eq!(fs::metadata(&path).unwrap().nlink(), 2);
            assert_eq!(names(dir.path()), vec!["other-name.toml", "plan.toml"]);
        }
    }
}
