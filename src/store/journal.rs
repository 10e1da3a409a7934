//! The recovery journal: unsaved edits kept outside the plan's directory.
//!
//! While a plan has unsaved edits, the wizard writes the text it would save
//! to a recovery file in the platform state directory (`recovery/` under
//! `$XDG_STATE_HOME/rumbo` on Linux, the local data directory elsewhere;
//! `RUMBO_STATE_DIR` overrides it). One file per plan, named by a hash of the
//! plan's canonical path, holding a small JSON document: a format version,
//! the plan's path, a hash of the plan file as it was loaded, when it was
//! written, and the text. Files are written atomically and are owner-only
//! (`0600`, directory `0700`): they hold the same confidential figures as
//! the plan. A recovery file that cannot be read is ignored, never a panic.
//!
//! The journal never touches the plan file itself.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, TryLockError};

use serde::{Deserialize, Serialize};

use super::atomic;

/// The format version of recovery files.
const VERSION: i64 = 1;
/// A recovery file larger than this is not read (a plan is at most 64 MB).
const MAX_RECOVERY_BYTES: u64 = 160 * 1024 * 1024;

/// Where recovery files live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    dir: PathBuf,
}

/// A plan's unsaved text, as found in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// The plan it belongs to (canonical path).
    pub plan_path: PathBuf,
    /// [`hash`] of the plan file's text when it was loaded: if the file on
    /// disk still has this hash, the recovery is a pure continuation of it.
    pub loaded_hash: u64,
    pub written_at: jiff::Timestamp,
    /// The whole plan text the wizard would have saved.
    pub text: String,
}

/// The document in a recovery file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    version: i64,
    plan_path: String,
    /// Hexadecimal: JSON numbers above 2^53 do not survive every reader.
    loaded_hash: String,
    written_at: String,
    text: String,
}

/// FNV-1a, 64 bits: a hash that is the same in every run and every build
/// (std's `DefaultHasher` is not).
pub fn hash(text: &str) -> u64 {
    hash_bytes(text.as_bytes())
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h
}

/// The path that names a plan for the journal: symlinks and `..` resolved,
/// also when the file does not exist yet.
pub fn canonical(plan: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(plan) {
        return p;
    }
    let abs = std::path::absolute(plan).unwrap_or_else(|_| plan.to_path_buf());
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => fs::canonicalize(parent)
            .map(|p| p.join(name))
            .unwrap_or(abs),
        _ => abs,
    }
}

fn now() -> jiff::Timestamp {
    jiff::Timestamp::try_from(std::time::SystemTime::now()).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

impl Journal {
    /// A journal in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> Journal {
        Journal { dir: dir.into() }
    }

    /// `recovery/` in `RUMBO_STATE_DIR`, else in the platform state
    /// directory, else in the local data directory.
    pub fn default_dir() -> Option<PathBuf> {
        super::paths::state_dir().map(|dir| dir.join("recovery"))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The recovery file of `plan`.
    pub fn recovery_path(&self, plan: &Path) -> PathBuf {
        let key = canonical(plan);
        self.dir.join(format!(
            "{:016x}.json",
            hash_bytes(key.as_os_str().as_encoded_bytes())
        ))
    }

    /// Records `text` as the unsaved state of `plan`, replacing any earlier
    /// record, and removes temporary files a killed run left in the journal.
    pub fn write(&self, plan: &Path, loaded_hash: u64, text: &str) -> io::Result<()> {
        atomic::clean_stale_temps(&self.recovery_path(plan));
        self.write_now(plan, loaded_hash, text)
    }

    /// Like [`Journal::write`], for a panic hook or a signal-handling thread:
    /// it takes no lock of any kind (no mutex, no file lock), waits on
    /// nothing but the file system, and never panics.
    pub fn write_now(&self, plan: &Path, loaded_hash: u64, text: &str) -> io::Result<()> {
        let recovery = Recovery {
            plan_path: canonical(plan),
            loaded_hash,
            written_at: now(),
            text: text.to_string(),
        };
        let bytes = encode(&recovery).map_err(io::Error::other)?;
        self.ensure_dir()?;
        let path = self.recovery_path(plan);
        atomic::replace(&atomic::RealFs, &path, &bytes)?;
        owner_only(&path, 0o600);
        Ok(())
    }

    fn ensure_dir(&self) -> io::Result<()> {
        if self.dir.is_dir() {
            return Ok(());
        }
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&self.dir)
    }

    /// The recovery of `plan`, if there is a readable one.
    pub fn read(&self, plan: &Path) -> Option<Recovery> {
        let recovery = read_file(&self.recovery_path(plan))?;
        // A hash collision, or a file copied from elsewhere: not this plan's.
        let wanted = canonical(plan).to_string_lossy().into_owned();
        (recovery.plan_path.to_string_lossy() == wanted).then_some(recovery)
    }

    /// Forgets the recovery of `plan` (after a save, or when the person
    /// discards it). Not having one is not an error.
    pub fn discard(&self, plan: &Path) -> io::Result<()> {
        match fs::remove_file(self.recovery_path(plan)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Every readable recovery in the journal, newest first.
    pub fn list(&self) -> Vec<Recovery> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut out: Vec<Recovery> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .filter_map(|p| read_file(&p))
            .collect();
        out.sort_by_key(|r| std::cmp::Reverse(r.written_at));
        out
    }
}

fn owner_only(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o777 != mode) {
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode));
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

fn read_file(path: &Path) -> Option<Recovery> {
    let mut bytes = Vec::new();
    fs::File::open(path)
        .ok()?
        .take(MAX_RECOVERY_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > MAX_RECOVERY_BYTES {
        return None;
    }
    decode(&bytes)
}

/// The bytes of a recovery file holding `recovery`.
pub fn encode(recovery: &Recovery) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&Doc {
        version: VERSION,
        plan_path: recovery.plan_path.to_string_lossy().into_owned(),
        loaded_hash: format!("{:016x}", recovery.loaded_hash),
        written_at: recovery.written_at.to_string(),
        text: recovery.text.clone(),
    })
}

/// The recovery a recovery file's bytes hold; `None` for anything that is
/// not one (damaged, another version, not JSON).
pub fn decode(bytes: &[u8]) -> Option<Recovery> {
    let doc: Doc = serde_json::from_slice(bytes).ok()?;
    if doc.version != VERSION || doc.loaded_hash.len() != 16 {
        return None;
    }
    Some(Recovery {
        plan_path: PathBuf::from(doc.plan_path),
        loaded_hash: u64::from_str_radix(&doc.loaded_hash, 16).ok()?,
        written_at: doc.written_at.parse().ok()?,
        text: doc.text,
    })
}

// ---------------------------------------------------------------------------
// The last unsaved state, for a panic hook.

/// What a panic hook should write if the program dies now.
pub struct Pending {
    pub journal: Journal,
    pub plan: PathBuf,
    pub loaded_hash: u64,
    pub text: PendingText,
}

/// The unsaved text: already rendered, or rendered only if it is ever
/// needed (a snapshot of the plan kept per key is far cheaper than
/// rendering the whole file on every key).
pub enum PendingText {
    Ready(String),
    Later(Box<dyn Fn() -> String + Send>),
}

impl From<String> for PendingText {
    fn from(text: String) -> PendingText {
        PendingText::Ready(text)
    }
}

impl From<&str> for PendingText {
    fn from(text: &str) -> PendingText {
        PendingText::Ready(text.to_string())
    }
}

impl PendingText {
    /// The text, rendering it now if it was kept for later.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            PendingText::Ready(text) => std::borrow::Cow::Borrowed(text),
            PendingText::Later(render) => std::borrow::Cow::Owned(render()),
        }
    }
}

static PENDING: Mutex<Option<Pending>> = Mutex::new(None);

/// Sets (or with `None` clears) the state a panic hook would write. Called
/// from normal code, e.g. after each edit or each journal write.
pub fn set_pending(pending: Option<Pending>) {
    let mut slot = PENDING.lock().unwrap_or_else(|e| e.into_inner());
    *slot = pending;
}

/// Writes the pending state with [`Journal::write_now`]. Never blocks: if
/// the slot is busy (the panic struck while it was being set), nothing is
/// written and `Ok(false)` comes back, as when nothing is pending.
pub fn flush_pending() -> io::Result<bool> {
    let guard = match PENDING.try_lock() {
        Ok(guard) => guard,
        Err(TryLockError::Poisoned(e)) => e.into_inner(),
        Err(TryLockError::WouldBlock) => return Ok(false),
    };
    match guard.as_ref() {
        Some(p) => p
            .journal
            .write_now(&p.plan, p.loaded_hash, &p.text.text())
            .map(|()| true),
        None => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_is_the_published_function() {
        // Test vectors of the FNV reference.
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn a_recovery_round_trips_and_is_discarded() {
        let state = tempfile::tempdir().unwrap();
        let plans = tempfile::tempdir().unwrap();
        let plan = plans.path().join("acme.toml");
        fs::write(&plan, "schema_version = 1\n").unwrap();
        let journal = Journal::new(state.path().join("recovery"));
        assert_eq!(journal.read(&plan), None);
        let text = "schema_version = 1\n[plan]\nname = \"Ñandú \\u001b \u{0}\"\n";
        journal
            .write(&plan, hash("schema_version = 1\n"), text)
            .unwrap();
        let r = journal.read(&plan).expect("written");
        assert_eq!(r.text, text);
        assert_eq!(r.loaded_hash, hash("schema_version = 1\n"));
        assert_eq!(r.plan_path, fs::canonicalize(&plan).unwrap());
        assert!(r.written_at <= now());
        // The same plan through another spelling of its path.
        let other = plans.path().join(".").join("acme.toml");
        assert_eq!(journal.read(&other), Some(r.clone()));
        assert_eq!(journal.list(), vec![r]);
        // Nothing was written next to the plan.
        assert_eq!(fs::read_dir(plans.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(journal.dir()), 0o700);
            assert_eq!(mode(&journal.recovery_path(&plan)), 0o600);
        }
        // A second write replaces the first.
        journal.write(&plan, 7, "second").unwrap();
        assert_eq!(journal.read(&plan).unwrap().text, "second");
        journal.discard(&plan).unwrap();
        assert_eq!(journal.read(&plan), None);
        journal.discard(&plan).unwrap();
    }

    #[test]
    fn a_damaged_recovery_file_is_ignored() {
        let state = tempfile::tempdir().unwrap();
        let journal = Journal::new(state.path());
        let plan = state.path().join("p.toml");
        journal.write(&plan, 1, "text").unwrap();
        let path = journal.recovery_path(&plan);
        let good = fs::read(&path).unwrap();
        let damaged: Vec<Vec<u8>> = vec![
            Vec::new(),
            good[..good.len() / 2].to_vec(),
            b"\xff\xfe garbage".to_vec(),
            b"{\"version\": 2}".to_vec(),
            String::from_utf8(good.clone())
                .unwrap()
                .replace("\"version\":1", "\"version\":99")
                .into_bytes(),
            String::from_utf8(good.clone())
                .unwrap()
                .replace("\"written_at\":\"", "\"written_at\":\"x")
                .into_bytes(),
            b"[]".to_vec(),
            b"null".to_vec(),
        ];
        for bytes in damaged {
            fs::write(&path, &bytes).unwrap();
            assert_eq!(
                journal.read(&plan),
                None,
                "{:?}",
                String::from_utf8_lossy(&bytes)
            );
            assert!(journal.list().is_empty());
        }
        // A recovery written for another plan, copied under this name.
        let other = state.path().join("other.toml");
        journal.write(&other, 1, "other").unwrap();
        fs::copy(journal.recovery_path(&other), &path).unwrap();
        assert_eq!(journal.read(&plan), None);
    }

    #[test]
    fn the_default_directory_honours_the_override() {
        // Read only: other tests may run in parallel, so no set_var here.
        if let Some(v) = std::env::var_os("RUMBO_STATE_DIR").filter(|v| !v.is_empty()) {
            assert_eq!(
                Journal::default_dir(),
                Some(PathBuf::from(v).join("recovery"))
            );
        } else if let Some(dir) = Journal::default_dir() {
            assert!(dir.ends_with("recovery"));
        }
    }

    #[test]
    fn the_pending_state_is_written_by_flush() {
        let state = tempfile::tempdir().unwrap();
        let journal = Journal::new(state.path());
        let plan = state.path().join("hooked.toml");
        set_pending(Some(Pending {
            journal: journal.clone(),
            plan: plan.clone(),
            loaded_hash: 3,
            text: "unsaved".into(),
        }));
        assert!(flush_pending().unwrap());
        assert_eq!(journal.read(&plan).unwrap().text, "unsaved");
        // A text kept for later is rendered when flushed.
        set_pending(Some(Pending {
            journal: journal.clone(),
            plan: plan.clone(),
            loaded_hash: 3,
            text: PendingText::Later(Box::new(|| "rendered late".to_string())),
        }));
        assert!(flush_pending().unwrap());
        assert_eq!(journal.read(&plan).unwrap().text, "rendered late");
        // While the slot is held (as if the panic struck inside set_pending),
        // flushing returns at once instead of waiting.
        let held = PENDING.lock().unwrap();
        assert!(!flush_pending().unwrap());
        drop(held);
        set_pending(None);
        assert!(!flush_pending().unwrap());
    }
}
