//! The application state and what each key does to it.
//!
//! `App::handle` takes one terminal event and changes the state; `App::draw`
//! draws the state. Nothing here sleeps or reads the terminal, so tests drive
//! the whole program by calling `handle` and drawing into a `TestBackend`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::i18n::{t, tf};
use crate::keymap::{Action, Key, KeyMap};
use crate::plan::{self, Date, Plan, Severity};
use crate::store::journal::{self, Journal};
use crate::store::{self, Diagnostic, PlanFile};

use super::form::{Ctx, Field, Form, FormState, Kind, Outcome, TableCommand};
use super::start::StartScreen;
use super::steps::{self, Step};
use super::theme::Theme;

/// Where the keyboard focus is on a step screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Steps,
    Form,
}

/// A dialog over the step screen.
pub enum Popup {
    /// Editing one row of a table in its own form.
    Row {
        field: usize,
        ctx: Ctx,
        state: Box<FormState>,
        /// The plan before the popup opened: Esc goes back to it.
        snapshot: Box<Plan>,
    },
    /// Esc in a row popup with typed content: keep it or throw it away?
    /// Holds the row popup (`Popup::Row`) it goes back to.
    DiscardRow(Box<Popup>),
    ConfirmDelete {
        field: usize,
        row: usize,
    },
    /// The file changed on disk since it was read, and the change cannot
    /// be merged with the unsaved edits: keep which version?
    Conflict {
        quitting: bool,
        /// The values both changed, with both versions (empty when the
        /// versions could not be compared value by value).
        conflicts: Vec<store::merge::Conflict>,
        /// Set when the file on disk cannot be read as a plan: its located
        /// error.
        unreadable: Option<String>,
    },
    /// Quitting, but the save failed: what now?
    QuitFailed {
        error: String,
    },
    /// The list of problems found in the plan's values.
    Problems {
        scroll: u16,
    },
    /// The KPI catalogue (step 5).
    Catalogue(Box<super::catalogue_view::Picker>),
    /// The PADRE lens on the whole plan.
    Padre(super::padre::PadreView),
    /// Choosing an export format.
    Export,
    /// Unsaved edits from an earlier run were found for this plan.
    Recovery(Box<Recovering>),
    /// Ctrl-F: the search prompt (its state is `Session::search`).
    Search,
    /// The whole plan came back from the editor and cannot be read: back
    /// to the editor with the same file, or discard the edit.
    EditorError {
        error: String,
        request: Box<super::external::Request>,
    },
}

/// The recovery popup's edits, read once (not on every frame: on a big plan
/// reading them takes a good part of a second).
pub struct Recovering {
    pub rec: journal::Recovery,
    /// The kept edits as a plan, or why they cannot be read.
    pub parsed: Result<Plan, String>,
    /// How they differ from the plan open now (the first few).
    pub diffs: Vec<String>,
    /// The file changed since those edits were made.
    pub file_changed: bool,
    /// The revision of the open plan `diffs` and `file_changed` are for.
    revision: u64,
}

impl Recovering {
    pub fn new(rec: journal::Recovery, s: &Session) -> Recovering {
        let parsed = store::load::parse(&s.file.path, &rec.text)
            .map(|p| p.plan)
            .map_err(|e| e.to_string());
        let mut r = Recovering {
            rec,
            parsed,
            diffs: Vec::new(),
            file_changed: false,
            revision: 0,
        };
        r.compare(s);
        r
    }

    /// Compares again if the open plan changed (it was reloaded).
    pub fn refresh(&mut self, s: &Session) {
        if self.revision != s.revision {
            self.compare(s);
        }
    }

    fn compare(&mut self, s: &Session) {
        self.diffs = match &self.parsed {
            Ok(plan) => plan::diff::differences(&s.file.plan, plan, 8)
                .iter()
                .map(|path| super::labels::describe(&s.file.plan, path))
                .collect(),
            Err(_) => Vec::new(),
        };
        self.file_changed = journal::hash(&s.file.text) != self.rec.loaded_hash;
        self.revision = s.revision;
    }
}

/// One open plan.
pub struct Session {
    pub file: PlanFile,
    pub problems: Vec<Diagnostic>,
    /// The problems `problems` were located for: locating re-reads the
    /// text, so it is redone only when the set of problems changes.
    validated: Vec<plan::Problem>,
    pub dirty: bool,
    pub step: Step,
    pub focus: Focus,
    pub list_cursor: usize,
    pub forms: HashMap<Step, FormState>,
    pub popup: Option<Popup>,
    /// Undo and redo (`undo.rs`); the mark is the step a row popup opened at.
    pub history: super::undo::History,
    pub row_popup_mark: u64,
    /// The last search (Ctrl-F opens it again on the next match).
    pub search: Option<Box<super::search::Search>>,
    pub show_guide: bool,
    /// A new number on every edit (`cache::bump`); derived figures are
    /// cached against it.
    pub revision: u64,
    /// The revision the problems and step completeness were last worked out
    /// for. On a big plan they are brought up to date when typing pauses
    /// (see [`Session::checks_stale`]); on others, at once.
    pub checked: u64,
    /// A plan big enough that plan-wide checks wait for a pause in typing,
    /// and that is saved and journaled off the UI thread.
    pub big: bool,
    /// A save or journal write running on another thread.
    job: Option<Job>,
    pub derived: Option<(u64, super::Derived)>,
    /// The date figures are computed for.
    pub today: Date,
    /// Size and modification time of the file as last read or written, to
    /// notice changes made by others (an editor, `git pull`).
    pub stamp: Option<FileStamp>,
    /// Where unsaved edits are kept a couple of seconds after each change.
    pub journal: Option<Journal>,
    /// `journal::hash` of the file's text when read or last saved.
    pub loaded_hash: u64,
    /// When the plan was last edited, and the revision last journaled.
    last_edit: Option<std::time::Instant>,
    journaled: u64,
    /// Held while the plan is open; `None` when another rumbo has it open
    /// and this session is read-only.
    pub lock: Option<store::lock::PlanLock>,
    pub read_only: bool,
    /// Read-only because the user made the file read-only (no write
    /// permission), not because another rumbo has it open.
    pub write_protected: bool,
    /// The weekly review, while it shows (F7); it takes the keys after popups.
    pub review: Option<Box<super::review::Review>>,
    /// A field or the whole plan waiting to be opened in the user's editor
    /// (external.rs); the event loop runs it.
    pub editor: Option<Box<super::external::Request>>,
}

/// Which kind of write runs off the UI thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JobKind {
    Save,
    Journal,
}

/// The plan a background write writes: whole, or as its changes against
/// the plan the file held (cheaper to take on the UI thread).
enum Source {
    Whole(Box<crate::plan::Plan>),
    Delta(std::sync::Arc<crate::plan::Plan>, Box<store::chunk::Delta>),
}

/// A write running on another thread, and the revision it writes.
struct Job {
    kind: JobKind,
    revision: u64,
    rx: std::sync::mpsc::Receiver<JobDone>,
}

/// What the writing thread hands back: the file as written (its text and
/// the plan that text holds) and the text's hash.
struct JobDone {
    outcome: Result<(), String>,
    /// A save found the file changed by another program and wrote nothing.
    changed: bool,
    file: store::PlanFile,
    hash: u64,
    /// For a journal write: the text written to the journal.
    journal_text: Option<String>,
}

/// What identifies a version of a file on disk, cheaply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
}

impl FileStamp {
    pub fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// What a save attempt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveAttempt {
    Saved(String),
    Failed(String),
    /// The file changed on disk: a popup now asks what to do.
    Asking,
}

impl Session {
    pub fn new(file: PlanFile, problems: Vec<Diagnostic>, today: Date) -> Session {
        let revision = super::cache::bump();
        let big = is_big(&file);
        Session {
            file,
            problems,
            validated: Vec::new(),
            dirty: false,
            step: Step::Research,
            focus: Focus::Form,
            list_cursor: 0,
            forms: HashMap::new(),
            popup: None,
            history: Default::default(),
            row_popup_mark: 0,
            search: None,
            show_guide: true,
            revision,
            checked: revision,
            big,
            job: None,
            derived: None,
            today,
            stamp: None,
            journal: None,
            loaded_hash: 0,
            last_edit: None,
            journaled: 0,
            lock: None,
            read_only: false,
            write_protected: false,
            review: None,
            editor: None,
        }
    }

    pub fn plan(&self) -> &Plan {
        &self.file.plan
    }

    /// The form of the current step, if it has one.
    pub fn form(&self) -> Form {
        let state = self.forms.get(&self.step);
        steps::form(self.step, &self.file.plan, self.today, &|field| {
            state.map_or(0, |s| s.row(field))
        })
    }

    pub fn state(&mut self) -> &mut FormState {
        self.forms.entry(self.step).or_default()
    }

    /// The focused field of the current step's form.
    pub fn focused_field<R>(&self, f: impl FnOnce(&Field) -> R) -> Option<R> {
        let form = self.form();
        let focus = self.forms.get(&self.step).map_or(0, |s| s.focus);
        form.field(focus).map(f)
    }

    /// Every change to the plan ends here: a new revision, unsaved, journaled,
    /// and a step in the undo history. Call `prepare_edit` (undo.rs) with what
    /// the edit may touch before making it; without, the history is cleared.
    pub(crate) fn edited(&mut self) {
        self.history.record(&self.file.plan);
        self.changed();
    }

    /// A new revision of the plan (an edit, an undo or a redo).
    pub(crate) fn changed(&mut self) {
        self.dirty = true;
        self.revision = super::cache::bump();
        self.last_edit = Some(std::time::Instant::now());
        self.keep_pending();
        if !self.big {
            self.refresh_checks();
        }
    }

    /// Whether the problems and step completeness shown are from before the
    /// latest edit (only ever on a big plan, while the user types).
    pub fn checks_stale(&self) -> bool {
        self.checked != self.revision
    }

    /// Validates the plan and works out step completeness for the latest
    /// revision.
    pub fn refresh_checks(&mut self) {
        self.relocate_problems();
        self.derived = None;
        super::derived(self, self.today);
        self.checked = self.revision;
    }

    /// Validates the plan and, when the problems changed, locates them.
    /// Until the next save, they point at the file as it is on disk, which
    /// is where a person would fix them by hand.
    fn relocate_problems(&mut self) {
        let problems = plan::validate(&self.file.plan);
        if problems == self.validated && !self.validated.is_empty() {
            return;
        }
        self.problems = if problems.is_empty() {
            Vec::new()
        } else {
            store::load::locate_all(&self.file.path, &self.file.text, &problems)
        };
        self.validated = problems;
    }

    /// The plan was replaced or changed under the open editors (undo, a
    /// reload, a recovery, a hand edit): editors and drafts were made from
    /// the plan as it was, so they are dropped and made again from it now.
    pub(crate) fn editors_stale(&mut self) {
        for state in self.forms.values_mut() {
            state.reset_editor();
            state.drafts.clear();
        }
        if let Some(Popup::Row { state, .. }) = &mut self.popup {
            state.reset_editor();
            state.drafts.clear();
        }
    }

    /// After a change of language: the texts kept from the plan (problems,
    /// numbers in open editors) are made again in the language now in force.
    pub fn language_changed(&mut self) {
        self.validated.clear();
        self.relocate_problems();
        for state in self.forms.values_mut() {
            state.reset_editor();
        }
        if let Some(Popup::Row { state, .. }) = &mut self.popup {
            state.reset_editor();
        }
    }

    pub fn go_to(&mut self, step: Step) {
        if self.step != step {
            self.step = step;
            let state = self.state();
            state.focus = 0;
            state.reset_editor();
            state.focus_arrived();
        }
        self.list_cursor = step.index();
        self.focus = Focus::Form;
    }

    /// Shows KPI `index` in step 5, with its first detail field focused.
    pub fn open_kpi(&mut self, index: usize) {
        self.go_to(Step::Kpis);
        let state = self.state();
        state.rows.insert(0, index);
        state.focus = 1;
        state.reset_editor();
        state.focus_arrived();
    }

    /// Opens a popup asked for by a form (by name).
    pub fn open_popup(&mut self, name: &str) {
        if name == "catalogue" {
            let picker = super::catalogue_view::Picker::for_plan(&self.file.plan);
            self.popup = Some(Popup::Catalogue(Box::new(picker)));
        }
    }

    pub fn error_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    /// Saves; returns the message to show.
    /// True when the file on disk is no longer what was read or written.
    pub fn changed_on_disk(&self) -> bool {
        // The same size and modification time as when last read or written:
        // nobody wrote it since (a write, even of the same size, moves the
        // time). Otherwise the contents decide.
        if self.stamp.is_some() && FileStamp::of(&self.file.path) == self.stamp {
            return false;
        }
        self.differs_on_disk()
    }

    /// Whether the file's contents differ from what was last read or written.
    fn differs_on_disk(&self) -> bool {
        match std::fs::read(&self.file.path) {
            Ok(bytes) => bytes != self.file.text.as_bytes(),
            // Deleted or unreadable: saving recreates it, nothing to lose.
            Err(_) => false,
        }
    }

    /// Saves; a change someone made to the file since it was read is
    /// merged with the edits here, and only when both changed the same
    /// values (or the file cannot be read) a popup asks.
    pub fn try_save(&mut self, quitting: bool) -> SaveAttempt {
        if self.read_only {
            let why = if self.write_protected {
                "msg.write_protected"
            } else {
                "msg.read_only"
            };
            return SaveAttempt::Failed(t(why).to_string());
        }
        // One writer at a time: a save or journal write still running ends
        // first (its result is taken in).
        let earlier = self.finish_job(true);
        if matches!(self.popup, Some(Popup::Conflict { .. })) {
            // That save found a change on disk it could not merge.
            return SaveAttempt::Asking;
        }
        if self.big && !quitting && self.file.migrated.is_none() {
            if !self.dirty && self.file.path.exists() {
                return SaveAttempt::Saved(earlier.map_or_else(
                    || tf("msg.saved", &[("path", &self.file.path.display())]),
                    |(_, m)| m,
                ));
            }
            self.start_job(JobKind::Save);
            return SaveAttempt::Saved(t("msg.saving").to_string());
        }
        self.save_now(quitting, store::OnChange::Merge)
    }

    /// Saves on this thread under the plan's write lock: the file is
    /// compared with what was read, and a change made meanwhile is merged
    /// (see [`store::PlanFile::save_checked`]); conflicts and an unreadable
    /// file open the conflict popup instead.
    pub fn save_now(&mut self, quitting: bool, on_change: store::OnChange) -> SaveAttempt {
        use store::SaveOutcome;
        self.finish_job(true);
        let before = self.file.text.clone();
        let result = self.file.save_checked(on_change);
        let merged_in = !std::sync::Arc::ptr_eq(&before, &self.file.text);
        let saved = tf("msg.saved", &[("path", &self.file.path.display())]);
        match result {
            Ok(SaveOutcome::Saved) => {
                self.written(journal::hash(&self.file.text), true);
                SaveAttempt::Saved(saved)
            }
            Ok(SaveOutcome::Merged(taken)) => {
                self.plan_merged();
                self.written(journal::hash(&self.file.text), true);
                SaveAttempt::Saved(merged_message(&self.file.plan, &saved, &taken))
            }
            Ok(SaveOutcome::Conflicts(mut conflicts)) => {
                // Each place said as the wizard labels it.
                for c in &mut conflicts {
                    c.path = super::labels::describe(&self.file.plan, &c.path);
                }
                self.popup = Some(Popup::Conflict {
                    quitting,
                    conflicts,
                    unreadable: None,
                });
                SaveAttempt::Asking
            }
            Ok(SaveOutcome::Unreadable(error)) => {
                self.popup = Some(Popup::Conflict {
                    quitting,
                    conflicts: Vec::new(),
                    unreadable: Some(error),
                });
                SaveAttempt::Asking
            }
            Ok(SaveOutcome::Changed) => {
                self.popup = Some(Popup::Conflict {
                    quitting,
                    conflicts: Vec::new(),
                    unreadable: None,
                });
                SaveAttempt::Asking
            }
            Err(e) => {
                if merged_in {
                    // Merged but not written: the plan here holds both.
                    self.plan_merged();
                }
                SaveAttempt::Failed(e.to_string())
            }
        }
    }

    /// The plan was merged with a change made outside: what was worked out
    /// from it is stale, and undo would take the outside change back out.
    fn plan_merged(&mut self) {
        self.revision = super::cache::bump();
        self.derived = None;
        self.big = is_big(&self.file);
        self.history.clear();
        self.validated.clear();
        self.editors_stale();
        self.refresh_checks();
    }

    /// Re-reads the plan from disk (after a change made elsewhere).
    pub fn reload(&mut self) -> Result<(), String> {
        self.finish_job(true);
        let loaded = store::open(&self.file.path).map_err(|e| e.to_string())?;
        self.file = loaded.file;
        self.problems = loaded.problems;
        self.dirty = false;
        self.revision = super::cache::bump();
        self.checked = self.revision;
        self.derived = None;
        self.big = is_big(&self.file);
        self.stamp = FileStamp::of(&self.file.path);
        self.loaded_hash = journal::hash(&self.file.text);
        self.history.clear();
        self.editors_stale();
        Ok(())
    }

    /// Called now and then: picks up a change on disk when nothing here is
    /// unsaved. Returns a message when it reloaded.
    pub fn tick(&mut self) -> Option<(bool, String)> {
        self.journal_if_idle(std::time::Duration::from_secs(2));
        // With unsaved edits, the change is left for the save to merge: the
        // stamp stays that of the version read, so it is still seen as new.
        if self.dirty {
            return None;
        }
        let now = FileStamp::of(&self.file.path);
        if now.is_none() || now == self.stamp {
            return None;
        }
        self.stamp = now;
        if !self.differs_on_disk() {
            return None;
        }
        Some(match self.reload() {
            Ok(()) => (false, t("msg.reloaded").to_string()),
            Err(e) => (true, tf("msg.reload_failed", &[("error", &e)])),
        })
    }

    /// Exports the plan next to its file (`plan.md`, `plan.html`, …).
    pub fn export(&self, format: crate::export::Format) -> Result<PathBuf, String> {
        let text = crate::export::export(&self.file.plan, self.today, format)
            .map_err(|e| e.to_string())?;
        let path = self.file.path.with_extension(format.extension());
        store::write_atomic(&path, text.as_bytes()).map_err(|e| {
            tf(
                "msg.export_failed",
                &[("path", &path.display()), ("error", &e)],
            )
        })?;
        Ok(path)
    }

    /// Keeps what a signal or panic handler would write up to date. For a
    /// plan of ordinary size that is every edit; for a huge one the idle
    /// journal write does it (rendering it on every key would be too slow).
    fn keep_pending(&self) {
        const EVERY_EDIT_UP_TO: usize = 2 * 1024 * 1024;
        let Some(j) = &self.journal else {
            return;
        };
        if self.read_only || self.file.text.len() > EVERY_EDIT_UP_TO {
            return;
        }
        // A snapshot now, rendered only if a signal or a panic needs it.
        let file = self.file.clone();
        journal::set_pending(Some(journal::Pending {
            journal: j.clone(),
            plan: self.file.path.clone(),
            loaded_hash: self.loaded_hash,
            text: journal::PendingText::Later(Box::new(move || file.rendered())),
        }));
    }

    /// Writes unsaved edits to the recovery journal once nothing was typed
    /// for `idle`.
    pub fn journal_if_idle(&mut self, idle: std::time::Duration) {
        let waited = self.last_edit.is_some_and(|t| t.elapsed() >= idle);
        if self.dirty && self.revision != self.journaled && waited && !self.read_only {
            if !self.big {
                let _ = self.write_journal();
            } else if self.job.is_none() && self.journal.is_some() {
                // A big plan is rendered and written on another thread.
                self.start_job(JobKind::Journal);
            }
        }
    }

    /// Writes unsaved edits to the recovery journal now.
    pub fn write_journal(&mut self) -> std::io::Result<()> {
        if self.journal.is_none() || !self.dirty || self.read_only {
            return Ok(());
        }
        self.finish_job(true);
        let Some(j) = &self.journal else {
            return Ok(());
        };
        let text = self.file.rendered();
        j.write(&self.file.path, self.loaded_hash, &text)?;
        journal::set_pending(Some(journal::Pending {
            journal: j.clone(),
            plan: self.file.path.clone(),
            loaded_hash: self.loaded_hash,
            text: text.into(),
        }));
        self.journaled = self.revision;
        Ok(())
    }

    /// Writes this session's version of the plan next to the file, without
    /// touching the file itself; returns the new file's path.
    pub fn save_copy(&self) -> Result<PathBuf, String> {
        let path = free_sibling(&self.file.path, "mine");
        store::create(&path, &self.file.rendered()).map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// Starts a save or a journal write of the plan as it is now on another
    /// thread, so that typing goes on while a big file is written. Its result
    /// is taken in by [`Session::finish_job`].
    fn start_job(&mut self, kind: JobKind) {
        // Only what changed since the file was read is copied here; the
        // thread rebuilds the whole plan from the file's plan.
        let source = match &self.file.base {
            Some(base) => Source::Delta(
                base.clone(),
                Box::new(store::chunk::Delta::new(base, &self.file.plan)),
            ),
            None => Source::Whole(Box::new(self.file.plan.clone())),
        };
        let mut copy = store::PlanFile {
            path: self.file.path.clone(),
            plan: crate::plan::Plan::default(),
            text: self.file.text.clone(),
            base: self.file.base.clone(),
            migrated: None,
        };
        let journal = self.journal.clone();
        let loaded_hash = self.loaded_hash;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            copy.plan = match source {
                Source::Whole(plan) => *plan,
                Source::Delta(base, delta) => delta.apply(&base),
            };
            let mut journal_text = None;
            let mut changed = false;
            let outcome = match kind {
                // Under the write lock, and only if nobody changed the file:
                // a change is merged on the UI thread (see `finish_job`).
                JobKind::Save => match copy.save_checked(store::OnChange::Report) {
                    Ok(store::SaveOutcome::Changed) => {
                        changed = true;
                        Ok(())
                    }
                    Ok(_) => Ok(()),
                    Err(e) => Err(e.to_string()),
                },
                JobKind::Journal => {
                    let text = copy.rendered();
                    let r = match &journal {
                        Some(j) => j.write(&copy.path, loaded_hash, &text),
                        None => Ok(()),
                    };
                    journal_text = Some(text);
                    r.map_err(|e| e.to_string())
                }
            };
            let hash = journal::hash(&copy.text);
            let _ = tx.send(JobDone {
                outcome,
                changed,
                file: copy,
                hash,
                journal_text,
            });
        });
        self.job = Some(Job {
            kind,
            revision: self.revision,
            rx,
        });
    }

    /// Takes in the result of a finished save or journal write (waiting for
    /// it when `wait`). Returns whether it failed, and a message to show.
    pub fn finish_job(&mut self, wait: bool) -> Option<(bool, String)> {
        let job = self.job.as_ref()?;
        let done = if wait {
            job.rx.recv().ok()
        } else {
            match job.rx.try_recv() {
                Ok(done) => Some(done),
                Err(std::sync::mpsc::TryRecvError::Empty) => return None,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
            }
        };
        let job = self.job.take()?;
        let Some(done) = done else {
            return Some((true, t("msg.save_thread_failed").to_string()));
        };
        if let Err(e) = done.outcome {
            return Some((true, e));
        }
        if done.changed {
            // Someone changed the file: merge and save here.
            return match self.save_now(false, store::OnChange::Merge) {
                SaveAttempt::Saved(m) => Some((false, m)),
                SaveAttempt::Failed(e) => Some((true, e)),
                SaveAttempt::Asking => None,
            };
        }
        match job.kind {
            JobKind::Save => {
                self.file.text = done.file.text;
                self.file.base = done.file.base;
                // Edits made while it was written are still unsaved.
                self.written(done.hash, self.revision == job.revision);
                Some((
                    false,
                    tf("msg.saved", &[("path", &self.file.path.display())]),
                ))
            }
            JobKind::Journal => {
                if let Some(j) = &self.journal {
                    journal::set_pending(Some(journal::Pending {
                        journal: j.clone(),
                        plan: self.file.path.clone(),
                        loaded_hash: self.loaded_hash,
                        text: done.journal_text.unwrap_or_default().into(),
                    }));
                }
                self.journaled = job.revision;
                None
            }
        }
    }

    /// Whether a save or journal write is running.
    pub fn job_running(&self) -> bool {
        self.job.is_some()
    }

    /// After `file.text` (whose `journal::hash` is `hash`) was written to the
    /// file: problems are located in the new text and, when that text is the
    /// plan as it is now (`up_to_date`), nothing is unsaved and the journal
    /// is dropped.
    pub(crate) fn written(&mut self, hash: u64, up_to_date: bool) {
        self.stamp = FileStamp::of(&self.file.path);
        self.loaded_hash = hash;
        if up_to_date {
            self.dirty = false;
            self.journaled = self.revision;
            if let Some(j) = &self.journal {
                let _ = j.discard(&self.file.path);
            }
            journal::set_pending(None);
        }
        self.validated.clear();
        self.relocate_problems();
    }
}

/// "Saved …; merged with N changes made outside rumbo: where".
fn merged_message(plan: &Plan, saved: &str, taken: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut places: Vec<String> = taken
        .iter()
        .take(SHOWN)
        .map(|path| super::labels::describe(plan, path))
        .collect();
    if taken.len() > SHOWN {
        places.push("…".to_string());
    }
    let merged = match taken.len() {
        0 => t("msg.merged_layout").to_string(),
        1 => tf("msg.merged_one", &[("where", &places.join(", "))]),
        n => tf(
            "msg.merged_many",
            &[("n", &n), ("where", &places.join(", "))],
        ),
    };
    format!("{saved} · {merged}")
}

/// Plans from this size on check themselves when typing pauses rather than
/// on every key: validating and scoring a plan with thousands of KPIs and a
/// million actuals takes longer than a frame.
const BIG_ITEMS: usize = 2_000;
const BIG_BYTES: usize = 1024 * 1024;

pub(crate) fn is_big(file: &PlanFile) -> bool {
    let p = &file.plan;
    let actuals: usize = p.kpis.iter().map(|k| k.actuals.len()).sum();
    file.text.len() >= BIG_BYTES
        || p.kpis.len() + p.goals.len() + p.actions.len() + actuals >= BIG_ITEMS * 10
        || p.kpis.len() + p.actions.len() >= BIG_ITEMS
}

/// Which screen is showing.
pub enum Screen {
    Start(StartScreen),
    Plan(Box<Session>),
}

/// The whole program's state.
pub struct App {
    pub theme: Theme,
    pub today: Date,
    pub data_dir: PathBuf,
    pub screen: Screen,
    pub help: bool,
    pub should_quit: bool,
    /// A one-line message in the hint bar until the next key.
    pub message: Option<(bool, String)>,
    /// Printed after the terminal is restored.
    pub exit_message: Option<String>,
    /// Where unsaved edits are kept (none in tests unless set).
    pub journal: Option<Journal>,
    /// Which key does which command: the defaults, or `config.toml`'s.
    pub keymap: KeyMap,
    /// Why the user's key settings were not used, shown in the help.
    pub keymap_problem: Option<String>,
    /// Where the last frame drew what a click can hit (mouse.rs).
    pub hits: super::mouse::Hits,
    /// Where and when a click last picked a row: a second click there soon
    /// after opens it (mouse.rs).
    pub last_click: Option<(ratatui::layout::Position, std::time::Instant)>,
    /// How far the help overlay is scrolled (the wheel scrolls it).
    pub help_scroll: u16,
    /// What the wizard remembers between runs (guidance, theme, language)
    /// and where; nothing is written without a path (tests).
    pub prefs: store::prefs::Prefs,
    pub prefs_path: Option<PathBuf>,
}

impl App {
    /// The start screen.
    pub fn new(data_dir: PathBuf, today: Date, theme: Theme) -> App {
        let start = StartScreen::new(&data_dir, today);
        App {
            theme,
            today,
            data_dir,
            screen: Screen::Start(start),
            help: false,
            should_quit: false,
            message: None,
            exit_message: None,
            journal: None,
            prefs: Default::default(),
            prefs_path: None,
            keymap: KeyMap::default(),
            keymap_problem: None,
            hits: Default::default(),
            last_click: None,
            help_scroll: 0,
        }
    }

    /// Uses the key map of a config file; its first problem, if any, is
    /// shown at once and kept in the help (the defaults are then in force).
    pub fn set_config(&mut self, config: &crate::config::Config) {
        self.keymap = config.keymap.clone();
        self.keymap_problem = config.problems.first().map(|d| {
            tf(
                "keymap.not_used",
                &[("problem", &crate::store::diag::visible(&d.headline()))],
            )
        });
        if let Some(p) = &self.keymap_problem {
            self.message = Some((true, p.clone()));
        }
    }

    /// The first key of an action, for messages (`Ctrl-S`).
    pub fn key_label(&self, action: Action) -> String {
        self.keymap
            .first(action)
            .unwrap_or_else(|| t("keymap.unbound").to_string())
    }

    /// Opens the plan at `path` (the start screen stays if it cannot be read).
    pub fn open(&mut self, path: &Path) -> Result<(), String> {
        // Reopening the same plan must not find our own lock.
        if let Screen::Plan(s) = &mut self.screen
            && std::fs::canonicalize(&s.file.path).ok() == std::fs::canonicalize(path).ok()
        {
            s.lock = None;
        }
        match store::open(path) {
            Ok(loaded) => {
                store::recent::touch(&self.data_dir, path);
                let problems = loaded.problems.len();
                let stamp = FileStamp::of(path);
                let mut session = Session::new(loaded.file, loaded.problems, self.today);
                session.stamp = stamp;
                session.loaded_hash = journal::hash(&session.file.text);
                session.journal = self.journal.clone();
                session.show_guide = self.prefs.guide.unwrap_or(true);
                let protected =
                    std::fs::metadata(path).is_ok_and(|m| store::atomic::write_protected(&m));
                match store::lock::try_lock(path) {
                    // A file the user made read-only is only looked at.
                    _ if protected => {
                        session.read_only = true;
                        session.write_protected = true;
                    }
                    Ok(Some(lock)) => {
                        // Temp files a killed run left next to the plan.
                        store::atomic::clean_stale_temps(path);
                        session.lock = Some(lock);
                    }
                    Ok(None) => session.read_only = true,
                    // No lock file possible (read-only directory): carry on.
                    Err(_) => {}
                }
                if !session.read_only
                    && let Some(rec) = self.journal.as_ref().and_then(|j| j.read(path))
                {
                    session.popup = Some(Popup::Recovery(Box::new(Recovering::new(rec, &session))));
                }
                self.screen = Screen::Plan(Box::new(session));
                let migrated = self.session().and_then(|s| s.file.migrated_from());
                self.message = if self.session().is_some_and(|s| s.write_protected) {
                    Some((true, t("msg.opened_write_protected").to_string()))
                } else if self.session().is_some_and(|s| s.read_only) {
                    Some((true, t("msg.opened_read_only").to_string()))
                } else if let Some(from) = migrated {
                    Some((false, tf("msg.migrated", &[("from", &from)])))
                } else {
                    let key = self.key_label(Action::Problems);
                    (problems > 0).then(|| {
                        (
                            true,
                            crate::i18n::tn(
                                "msg.opened_with_problems",
                                problems as u64,
                                &[("n", &problems), ("key", &key)],
                            ),
                        )
                    })
                };
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn session(&self) -> Option<&Session> {
        match &self.screen {
            Screen::Plan(s) => Some(s),
            Screen::Start(_) => None,
        }
    }

    pub fn session_mut(&mut self) -> Option<&mut Session> {
        match &mut self.screen {
            Screen::Plan(s) => Some(s),
            Screen::Start(_) => None,
        }
    }

    /// Handles one terminal event.
    pub fn handle(&mut self, event: Event) {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                // A key between two clicks makes them no double-click.
                self.last_click = None;
                self.key(key)
            }
            Event::Paste(text) => self.paste(&text),
            Event::Mouse(m) => self.mouse(m),
            _ => {}
        }
    }

    /// Types a string, one key per character (for tests).
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    fn paste(&mut self, text: &str) {
        if let Screen::Plan(s) = &mut self.screen {
            s.history.unprepare();
        }
        let Screen::Plan(s) = &mut self.screen else {
            if let Screen::Start(start) = &mut self.screen {
                start.paste(text);
            }
            return;
        };
        let outcome = match s.popup.take() {
            Some(Popup::Row {
                field,
                ctx,
                mut state,
                snapshot,
            }) => {
                let outcome = match table_row_form(s, field, ctx) {
                    Some(form) => {
                        s.prepare_for(&form, state.focus, None, Some(field));
                        state.paste(&form, &mut s.file.plan, text)
                    }
                    None => Outcome::Ignored,
                };
                s.popup = Some(Popup::Row {
                    field,
                    ctx,
                    state,
                    snapshot,
                });
                outcome
            }
            Some(Popup::Search) => {
                if let Some(search) = &mut s.search {
                    search.paste(text);
                }
                s.popup = Some(Popup::Search);
                Outcome::Ignored
            }
            Some(Popup::Catalogue(mut picker)) => {
                picker.paste(text);
                s.popup = Some(Popup::Catalogue(picker));
                Outcome::Ignored
            }
            Some(other) => {
                s.popup = Some(other);
                Outcome::Ignored
            }
            None if s.focus == Focus::Form => {
                let form = s.form();
                let focus = s.forms.get(&s.step).map_or(0, |st| st.focus);
                s.prepare_for(&form, focus, None, None);
                let state = s.forms.entry(s.step).or_default();
                state.paste(&form, &mut s.file.plan, text)
            }
            None => Outcome::Ignored,
        };
        if outcome == Outcome::Edited {
            s.edited();
        }
    }

    /// Handles one key press. In a read-only session every edit is undone
    /// at once (the plan is open in another rumbo).
    pub fn key(&mut self, key: KeyEvent) {
        let before = match &self.screen {
            Screen::Plan(s) if s.read_only => Some(s.file.plan.clone()),
            _ => None,
        };
        if let Screen::Plan(s) = &mut self.screen {
            // A copy for undo is made per key, for that key only.
            s.history.unprepare();
        }
        self.key_inner(key);
        if let (Some(before), Screen::Plan(s)) = (before, &mut self.screen)
            && s.file.plan != before
        {
            s.file.plan = before;
            s.dirty = false;
            s.history.clear();
            s.revision = super::cache::bump();
            s.editors_stale();
            self.message = Some((true, t("msg.read_only").to_string()));
        }
    }

    /// Records a choice to remember between runs (F3, F6, F9); a failure
    /// to write it is not worth interrupting anyone for.
    pub fn remember(&mut self, choose: impl FnOnce(&mut store::prefs::Prefs)) {
        choose(&mut self.prefs);
        if let Some(path) = &self.prefs_path {
            let _ = store::prefs::write(path, &self.prefs);
        }
    }

    /// F9: the next language (English ⇄ Spanish), from the next frame on.
    pub fn switch_language(&mut self) {
        crate::i18n::set_lang(crate::i18n::lang().next());
        let tag = crate::i18n::lang().code().to_string();
        self.remember(|p| p.lang = Some(tag));
        if let Screen::Plan(s) = &mut self.screen {
            s.language_changed();
        }
        let key = self.key_label(Action::Language);
        self.message = Some((false, tf("msg.language", &[("key", &key)])));
    }

    /// Help, theme and language: the commands that work on every screen.
    fn everywhere(&mut self, action: Option<Action>) -> bool {
        match action {
            Some(Action::Help) => self.help = true,
            Some(Action::Theme) => {
                self.message = Some(self.theme.switch());
                let key = self.theme.kind.key().to_string();
                self.remember(|p| p.theme = Some(key));
            }
            Some(Action::Language) => self.switch_language(),
            _ => return false,
        }
        true
    }

    fn key_inner(&mut self, key: KeyEvent) {
        self.message = None;
        if self.help {
            // Any key closes the help.
            self.help = false;
            self.help_scroll = 0;
            return;
        }
        let mut key = key;
        let action = self.keymap.action(&key);
        // A binding without Ctrl or Alt (`?`, `j`) is typing wherever text
        // is typed: it acts only where the focus is not in a text field.
        let typing = Key::of(&key).is_typing();
        if !typing && self.everywhere(action) {
            return;
        }
        if let Screen::Start(start) = &self.screen {
            let naming = start.typing();
            if action == Some(Action::Quit) && !typing {
                self.should_quit = true;
                return;
            }
            if typing && !naming && self.everywhere(action) {
                return;
            }
            if let Screen::Start(start) = &mut self.screen {
                let next = start.key(key);
                self.start_action(next);
            }
            return;
        }
        let Screen::Plan(s) = &mut self.screen else {
            return;
        };

        // Popups take every key first.
        if s.popup.is_some() {
            // List moves (vim's j/k) work in the popups that are lists.
            if let Some(code) = action.and_then(Action::as_move)
                && matches!(s.popup, Some(Popup::Padre(_) | Popup::Problems { .. }))
            {
                key = KeyEvent::new(code, KeyModifiers::NONE);
            }
            let message = popup_key(
                s,
                key,
                &self.keymap,
                &mut self.should_quit,
                &mut self.exit_message,
            );
            if let Some(m) = message {
                self.message = Some(m);
            }
            return;
        }

        // The weekly review takes every key but saving and quitting.
        let saves_or_quits = !typing && matches!(action, Some(Action::Save | Action::Quit));
        if s.review.is_some() && !saves_or_quits {
            if typing
                && action == Some(Action::Help)
                && !s.review.as_ref().is_some_and(|r| r.typing())
            {
                self.help = true;
                return;
            }
            self.message = super::review::key(s, key);
            return;
        }

        // The commands of the key map. Typing keys act only outside text
        // fields (a `?` in a name is a question mark).
        if let Some(a) = action.filter(|a| !a.in_lists()) {
            let free = !typing
                || s.focus == Focus::Steps
                || !s.focused_field(Field::takes_text).unwrap_or(false);
            if free {
                match a {
                    Action::Save => {
                        self.message = match s.try_save(false) {
                            SaveAttempt::Saved(m) => Some((false, m)),
                            SaveAttempt::Failed(e) => Some((true, e)),
                            SaveAttempt::Asking => None,
                        };
                    }
                    Action::Quit => self.quit(),
                    Action::NextStep => {
                        let next = s.step.next();
                        s.go_to(next);
                    }
                    Action::PrevStep => {
                        let prev = s.step.prev();
                        s.go_to(prev);
                    }
                    Action::Step(n) => s.go_to(Step::from_index(n as usize)),
                    Action::Problems => s.popup = Some(Popup::Problems { scroll: 0 }),
                    Action::Guide => {
                        s.show_guide = !s.show_guide;
                        let shown = s.show_guide;
                        self.remember(|p| p.guide = Some(shown));
                    }
                    Action::Padre => s.popup = Some(Popup::Padre(Default::default())),
                    Action::Review => super::review::start(s),
                    Action::Undo => self.message = Some(s.undo()),
                    Action::Redo => self.message = Some(s.redo()),
                    Action::Search => s.open_search(),
                    // The focused field, or step 7's gap table (clipboard.rs).
                    Action::Copy => self.message = Some(s.copy_to_clipboard()),
                    Action::EditField => {
                        let key = self.keymap.first(Action::EditPlan).unwrap_or_default();
                        self.message = s.edit_field_outside(&key);
                    }
                    Action::EditPlan => self.message = s.edit_plan_outside(),
                    Action::Export => s.popup = Some(Popup::Export),
                    Action::StepList => {
                        s.focus = Focus::Steps;
                        s.list_cursor = s.step.index();
                    }
                    other => {
                        self.everywhere(Some(other));
                    }
                }
                return;
            }
        }
        // Table and list commands, where the focus is on a table or list;
        // elsewhere the key goes on to the field.
        let mut table_command = None;
        if let Some(a) = action.filter(|a| a.in_lists()) {
            let in_list = s.focus == Focus::Steps
                || s.focused_field(|f| matches!(f.kind, Kind::Table(_) | Kind::Custom(_)))
                    .unwrap_or(false);
            if in_list {
                match a {
                    Action::AddRow => table_command = Some(TableCommand::Add),
                    Action::DeleteRow => table_command = Some(TableCommand::Delete),
                    Action::ChangeView => table_command = Some(TableCommand::ChangeView),
                    moving => {
                        if let Some(code) = moving.as_move() {
                            key = KeyEvent::new(code, KeyModifiers::NONE);
                        }
                    }
                }
            }
        }

        if s.focus == Focus::Steps {
            match key.code {
                KeyCode::Up | KeyCode::Char('k') => {
                    s.list_cursor = s.list_cursor.saturating_sub(1);
                }
                KeyCode::Down | KeyCode::Char('j') => {
                    s.list_cursor = (s.list_cursor + 1).min(9);
                }
                KeyCode::Home => s.list_cursor = 0,
                KeyCode::End => s.list_cursor = 9,
                KeyCode::Enter | KeyCode::Right | KeyCode::Tab | KeyCode::Char(' ') => {
                    let step = Step::from_index(s.list_cursor);
                    s.go_to(step);
                }
                KeyCode::Char(c @ '1'..='9') => {
                    let step = Step::from_index(c as usize - '1' as usize);
                    s.go_to(step);
                }
                KeyCode::Char('0') => s.go_to(Step::Tools),
                _ => {}
            }
            return;
        }

        // The step's own keys.
        let form = s.form();
        let step = s.step;
        let focus = s.forms.get(&step).map_or(0, |st| st.focus);
        // A table command (add, delete) may edit whatever its key is.
        s.prepare_for(
            &form,
            focus,
            table_command.map_or(Some(key), |_| None),
            None,
        );
        let mark = s.history.mark();
        let state = s.forms.entry(step).or_default();
        let outcome = match table_command {
            Some(command) => state.table_command(&form, &mut s.file.plan, command),
            None => state.handle_key(&form, &mut s.file.plan, key),
        };
        drop(form);
        match outcome {
            Outcome::Edited => s.edited(),
            Outcome::EditRow { field, row, added } => {
                if added {
                    s.edited();
                }
                // Esc in the popup goes back to here, and forgets its steps.
                s.row_popup_mark = mark;
                let form = s.form();
                let ctx = Ctx { row, ..form.ctx };
                s.popup = Some(Popup::Row {
                    field,
                    ctx,
                    state: Box::new(FormState::new()),
                    snapshot: Box::new(if added {
                        // Cancelling a new row removes it.
                        let mut before = s.file.plan.clone();
                        if let Some(Field {
                            kind: Kind::Table(spec),
                            ..
                        }) = form.field(field)
                        {
                            (spec.remove)(&mut before, form.ctx, row);
                        }
                        before
                    } else {
                        s.file.plan.clone()
                    }),
                });
            }
            Outcome::ConfirmDelete { field, row } => {
                s.popup = Some(Popup::ConfirmDelete { field, row });
            }
            Outcome::OpenKpi(index) => s.open_kpi(index),
            Outcome::Open(name) => s.open_popup(name),
            Outcome::Handled | Outcome::Ignored | Outcome::Done | Outcome::Invalid(_) => {}
        }
    }

    /// Ctrl-Q / Ctrl-C: save if needed, then quit; ask if the save fails.
    pub fn quit(&mut self) {
        let Screen::Plan(s) = &mut self.screen else {
            self.should_quit = true;
            return;
        };
        if !s.dirty {
            self.should_quit = true;
            return;
        }
        match s.try_save(true) {
            SaveAttempt::Saved(m) => {
                self.exit_message = Some(m);
                self.should_quit = true;
            }
            SaveAttempt::Failed(error) => s.popup = Some(Popup::QuitFailed { error }),
            SaveAttempt::Asking => {}
        }
    }

    /// Whether something waits for a pause in typing ([`App::idle`]).
    pub fn idle_work(&self) -> bool {
        matches!(&self.screen, Screen::Plan(s) if s.checks_stale() || s.job_running())
    }

    /// Called when no key came for a short while: brings plan-wide checks up
    /// to date after typing on a big plan.
    pub fn idle(&mut self) {
        if let Screen::Plan(s) = &mut self.screen {
            if let Some(m) = s.finish_job(false) {
                self.message = Some(m);
            }
            if s.checks_stale() {
                s.refresh_checks();
            }
        }
    }

    /// Called about once a second when no key comes.
    pub fn tick(&mut self) {
        if let Screen::Plan(s) = &mut self.screen
            && s.popup.is_none()
            && let Some(m) = s.tick()
        {
            self.message = Some(m);
        }
    }

    fn start_action(&mut self, action: super::start::StartAction) {
        use super::start::StartAction;
        match action {
            StartAction::None => {}
            StartAction::Quit => self.should_quit = true,
            StartAction::Review(path) => match self.open(&path) {
                Ok(()) => {
                    if let Screen::Plan(s) = &mut self.screen {
                        super::review::start(s);
                    }
                }
                Err(e) => {
                    if let Screen::Start(start) = &mut self.screen {
                        start.error = Some(e);
                    }
                }
            },
            StartAction::Open(path) => {
                if let Err(e) = self.open(&path)
                    && let Screen::Start(start) = &mut self.screen
                {
                    start.error = Some(e);
                }
            }
            StartAction::Create { name, example } => {
                let result = create_plan(&self.data_dir, &name, example, self.today);
                match result {
                    Ok(path) => {
                        if let Err(e) = self.open(&path)
                            && let Screen::Start(start) = &mut self.screen
                        {
                            start.error = Some(e);
                        }
                    }
                    Err(e) => {
                        if let Screen::Start(start) = &mut self.screen {
                            start.error = Some(e);
                        }
                    }
                }
            }
            StartAction::OpenExample => {
                let path = self.data_dir.join("example.toml");
                if !path.exists()
                    && let Err(e) = store::create(&path, store::EXAMPLE)
                {
                    if let Screen::Start(start) = &mut self.screen {
                        start.error = Some(e.to_string());
                    }
                    return;
                }
                if let Err(e) = self.open(&path)
                    && let Screen::Start(start) = &mut self.screen
                {
                    start.error = Some(e);
                }
            }
        }
    }

    pub fn draw(&mut self, frame: &mut Frame) {
        if let Screen::Start(start) = &mut self.screen {
            start.read_plans();
        }
        super::view::draw(self, frame);
    }
}

/// A file name next to `plan` that is not taken: `plan-TAG.toml`, else
/// `plan-TAG-2.toml`, `plan-TAG-3.toml`…
fn free_sibling(plan: &Path, tag: &str) -> PathBuf {
    let dir = plan.parent().unwrap_or(Path::new("."));
    let stem = plan.file_stem().and_then(|s| s.to_str()).unwrap_or("plan");
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{stem}-{tag}.toml")),
            n => dir.join(format!("{stem}-{tag}-{n}.toml")),
        })
        .find(|p| !p.exists())
        .expect("some name is free")
}

/// Creates a new plan in the data directory; returns its path.
pub fn create_plan(dir: &Path, name: &str, example: bool, today: Date) -> Result<PathBuf, String> {
    let file_name = store::paths::check_name(name)?;
    let path = dir.join(format!("{file_name}.toml"));
    if path.exists() {
        return Err(tf("cli.exists", &[("path", &path.display())]));
    }
    // The plan keeps the name as typed; the file is named by its slug.
    let text = crate::cli::new_plan_text(name.trim(), example, today);
    store::create(&path, &text).map_err(|e| e.to_string())?;
    Ok(path)
}

fn popup_key(
    s: &mut Session,
    key: KeyEvent,
    keymap: &KeyMap,
    should_quit: &mut bool,
    exit_message: &mut Option<String>,
) -> Option<(bool, String)> {
    // Popups type letters: only Ctrl, Alt and function keys act here.
    let action = keymap.action(&key).filter(|_| !Key::of(&key).is_typing());
    let popup = s.popup.take().expect("checked by the caller");
    match popup {
        Popup::Catalogue(mut picker) => {
            use super::catalogue_view::{PickerOutcome, add_to_plan};
            match picker.key(key) {
                PickerOutcome::Stay => s.popup = Some(Popup::Catalogue(picker)),
                PickerOutcome::Close => {}
                PickerOutcome::Pick(entry) => {
                    s.prepare_labelled(
                        super::undo::Scope::list(super::undo::List::Kpis),
                        tf("msg.undo_kpi_added", &[("name", &entry.name)]),
                    );
                    let index = add_to_plan(&mut s.file.plan, entry, s.today);
                    s.edited();
                    s.open_kpi(index);
                    return Some((false, tf("msg.kpi_added", &[("name", &entry.name)])));
                }
            }
        }
        Popup::Recovery(rec) => match key.code {
            KeyCode::Char('r') => match &rec.parsed {
                Ok(plan) => {
                    s.prepare_labelled(
                        super::undo::Scope::all(),
                        t("msg.undo_recovered").to_string(),
                    );
                    s.file.plan = plan.clone();
                    s.edited();
                    s.editors_stale();
                    let key = keymap
                        .first(Action::Save)
                        .unwrap_or_else(|| t("keymap.unbound").to_string());
                    return Some((false, tf("msg.recovered", &[("key", &key)])));
                }
                Err(e) => {
                    let e = e.clone();
                    s.popup = Some(Popup::Recovery(rec));
                    return Some((true, e));
                }
            },
            KeyCode::Char('d') => {
                if let Some(j) = &s.journal {
                    let _ = j.discard(&s.file.path);
                }
                return Some((false, t("msg.recovery_discarded").to_string()));
            }
            KeyCode::Char('s') => {
                let path = free_sibling(&s.file.path, "recovered");
                if let Err(e) = store::create(&path, &rec.rec.text) {
                    s.popup = Some(Popup::Recovery(rec));
                    return Some((true, e.to_string()));
                }
                if let Some(j) = &s.journal {
                    let _ = j.discard(&s.file.path);
                }
                return Some((
                    false,
                    tf("msg.recovery_saved_as", &[("path", &path.display())]),
                ));
            }
            _ => s.popup = Some(Popup::Recovery(rec)),
        },
        Popup::Search => {
            // The search key, whatever it is bound to, works in the popup as
            // Ctrl-F does (search.rs).
            let key = match action {
                Some(Action::Search) => KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL),
                _ => key,
            };
            return s.search_key(key);
        }
        Popup::EditorError { error, request } => match key.code {
            KeyCode::Char('e') | KeyCode::Enter => s.edit_again(request),
            KeyCode::Char('d') | KeyCode::Esc => {
                return Some((false, t("editor.discarded").to_string()));
            }
            _ => s.popup = Some(Popup::EditorError { error, request }),
        },
        Popup::Export => {
            use crate::export::Format;
            let format = match key.code {
                KeyCode::Char('m') => Format::Markdown,
                KeyCode::Char('h') => Format::Html,
                KeyCode::Char('j') => Format::Json,
                KeyCode::Char('c') => Format::Csv,
                KeyCode::Esc => return None,
                _ => {
                    s.popup = Some(Popup::Export);
                    return None;
                }
            };
            return Some(match s.export(format) {
                Ok(path) => (false, tf("msg.exported", &[("path", &path.display())])),
                Err(e) => (true, e),
            });
        }
        Popup::Padre(mut view) => {
            use super::padre::PadreOutcome;
            match view.key(key, &s.file.plan, s.today) {
                PadreOutcome::Stay => s.popup = Some(Popup::Padre(view)),
                PadreOutcome::Close => {}
                PadreOutcome::Jump(step) => s.go_to(step),
            }
        }
        Popup::Problems { scroll } => match key.code {
            KeyCode::Up => {
                s.popup = Some(Popup::Problems {
                    scroll: scroll.saturating_sub(1),
                })
            }
            KeyCode::Down => s.popup = Some(Popup::Problems { scroll: scroll + 1 }),
            _ => {}
        },
        Popup::DiscardRow(row_popup) => {
            let Popup::Row {
                field,
                ctx,
                mut state,
                snapshot,
            } = *row_popup
            else {
                return None;
            };
            match key.code {
                _ if super::view::is_yes(&key) => {}
                KeyCode::Char('n') => return Some(discard_row(s, field, *snapshot)),
                _ => {
                    // Esc (or any other key): back to the row, as it was.
                    s.popup = Some(Popup::Row {
                        field,
                        ctx,
                        state,
                        snapshot,
                    });
                    return None;
                }
            }
            // Keep: as Done, which waits for a value that does not parse.
            let refused = table_row_form(s, field, ctx).and_then(|form| state.refuse_done(&form));
            if let Some(message) = refused {
                s.popup = Some(Popup::Row {
                    field,
                    ctx,
                    state,
                    snapshot,
                });
                return Some((true, message));
            }
            let row = keep_row(s, field, ctx, &snapshot);
            return Some((false, tf("msg.row_kept", &[("row", &row)])));
        }
        Popup::ConfirmDelete { field, row } => match key.code {
            _ if super::view::is_yes(&key) => {
                let form = s.form();
                let step = s.step;
                let (name, table) = row_words(s, field, Ctx { row, ..form.ctx });
                s.prepare_labelled(
                    super::undo::Scope::for_step(step, true, form.ctx.item, row),
                    tf("msg.undo_row_deleted", &[("row", &name), ("table", &table)]),
                );
                let state = s.forms.entry(step).or_default();
                state.delete_row(&form, &mut s.file.plan, field, row);
                s.edited();
                return Some((false, t("msg.row_deleted").to_string()));
            }
            _ => {}
        },
        Popup::Conflict {
            quitting,
            conflicts,
            unreadable,
        } => match key.code {
            // Mine where both changed a value; their other changes stay.
            KeyCode::Char('k') => match s.save_now(quitting, store::OnChange::KeepMine) {
                SaveAttempt::Saved(m) if quitting => {
                    *exit_message = Some(m);
                    *should_quit = true;
                }
                SaveAttempt::Saved(m) => return Some((false, m)),
                SaveAttempt::Failed(error) => s.popup = Some(Popup::QuitFailed { error }),
                SaveAttempt::Asking => {}
            },
            KeyCode::Char('r') => {
                // Nothing is lost: this version goes to a copy first.
                let copy = match s.save_copy() {
                    Ok(p) => p,
                    Err(e) => return Some((true, e)),
                };
                if let Err(e) = s.reload() {
                    return Some((true, e));
                }
                let m = tf("msg.reloaded_kept", &[("path", &copy.display())]);
                if quitting {
                    *exit_message = Some(m);
                    *should_quit = true;
                    return None;
                }
                return Some((false, m));
            }
            KeyCode::Char('a') => {
                let copy = match s.save_copy() {
                    Ok(p) => p,
                    Err(e) => return Some((true, e)),
                };
                // Continue on the copy; the changed file stays as it is.
                match store::open(&copy) {
                    Ok(loaded) => {
                        s.file = loaded.file;
                        s.problems = loaded.problems;
                        s.dirty = false;
                        s.history.clear();
                        s.revision = super::cache::bump();
                        s.checked = s.revision;
                        s.derived = None;
                        s.stamp = FileStamp::of(&copy);
                    }
                    Err(e) => return Some((true, e.to_string())),
                }
                let m = tf("msg.saved_as", &[("path", &copy.display())]);
                if quitting {
                    *exit_message = Some(m);
                    *should_quit = true;
                    return None;
                }
                return Some((false, m));
            }
            KeyCode::Esc => {}
            _ => {
                s.popup = Some(Popup::Conflict {
                    quitting,
                    conflicts,
                    unreadable,
                })
            }
        },
        Popup::QuitFailed { error } => match key.code {
            KeyCode::Char('r') => match s.try_save(true) {
                SaveAttempt::Saved(m) => {
                    *exit_message = Some(m);
                    *should_quit = true;
                }
                SaveAttempt::Failed(error) => s.popup = Some(Popup::QuitFailed { error }),
                SaveAttempt::Asking => {}
            },
            KeyCode::Char('d') => {
                // Not written to the plan, but kept in the recovery journal.
                *exit_message = Some(match s.write_journal() {
                    Ok(()) if s.journal.is_some() => t("msg.quit_journaled").to_string(),
                    _ => t("msg.quit_unsaved").to_string(),
                });
                *should_quit = true;
            }
            KeyCode::Esc => {}
            _ => s.popup = Some(Popup::QuitFailed { error }),
        },
        Popup::Row {
            field,
            ctx,
            mut state,
            snapshot,
        } => {
            let form = table_row_form(s, field, ctx)?;
            match key.code {
                KeyCode::Esc if state.has_edits() => {
                    // Typed content is never thrown away without asking.
                    s.popup = Some(Popup::DiscardRow(Box::new(Popup::Row {
                        field,
                        ctx,
                        state,
                        snapshot,
                    })));
                    return None;
                }
                KeyCode::Esc => return Some(discard_row(s, field, *snapshot)),
                _ if action == Some(Action::Save) => {
                    s.popup = Some(Popup::Row {
                        field,
                        ctx,
                        state,
                        snapshot,
                    });
                    return match s.try_save(false) {
                        SaveAttempt::Saved(m) => Some((false, m)),
                        SaveAttempt::Failed(e) => Some((true, e)),
                        SaveAttempt::Asking => None,
                    };
                }
                _ if action == Some(Action::Quit) => {
                    // Keep the row as typed, then quit as usual.
                    if let Some(st) = s.forms.get_mut(&s.step) {
                        st.reset_editor();
                    }
                    if s.dirty {
                        match s.try_save(true) {
                            SaveAttempt::Saved(m) => {
                                *exit_message = Some(m);
                                *should_quit = true;
                            }
                            SaveAttempt::Failed(error) => {
                                s.popup = Some(Popup::QuitFailed { error });
                            }
                            SaveAttempt::Asking => {}
                        }
                    } else {
                        *should_quit = true;
                    }
                    return None;
                }
                _ if action == Some(Action::EditField) => {
                    s.popup = Some(Popup::Row {
                        field,
                        ctx,
                        state,
                        snapshot,
                    });
                    let key = keymap.first(Action::EditPlan).unwrap_or_default();
                    return s.edit_field_outside(&key);
                }
                _ if matches!(action, Some(Action::Undo | Action::Redo)) => {
                    // Only the popup's own steps: the rest waits until it closes.
                    let message = s.undo_in_row_popup(action == Some(Action::Undo));
                    state.reset_editor();
                    state.drafts.clear();
                    s.popup = Some(Popup::Row {
                        field,
                        ctx,
                        state,
                        snapshot,
                    });
                    return Some(message);
                }
                _ => {}
            }
            s.prepare_for(&form, state.focus, Some(key), Some(field));
            let outcome = state.handle_key(&form, &mut s.file.plan, key);
            match outcome {
                Outcome::Done => {
                    keep_row(s, field, ctx, &snapshot);
                    return None;
                }
                Outcome::Edited => s.edited(),
                Outcome::Invalid(message) => {
                    s.popup = Some(Popup::Row {
                        field,
                        ctx,
                        state,
                        snapshot,
                    });
                    return Some((true, message));
                }
                _ => {}
            }
            s.popup = Some(Popup::Row {
                field,
                ctx,
                state,
                snapshot,
            });
        }
    }
    None
}

/// How undo and messages name row `ctx.row` of table field `field` of the
/// step's form: (`“Acme”` — or `row 3` when its first column is empty —,
/// the table's label).
pub fn row_words(s: &Session, field: usize, ctx: Ctx) -> (String, String) {
    let form = s.form();
    let Some(f) = form.field(field) else {
        return (String::new(), String::new());
    };
    let name = match &f.kind {
        Kind::Table(spec) if ctx.row < (spec.len)(&s.file.plan, ctx) => {
            (spec.cell)(&s.file.plan, ctx, ctx.row, 0)
        }
        _ => String::new(),
    };
    let name = super::text::safe(name.trim());
    let row = if name.is_empty() {
        tf("ui.row_n", &[("n", &(ctx.row + 1))])
    } else {
        tf("msg.undo_row_name", &[("name", &name)])
    };
    (row, super::text::safe(f.label()))
}

/// Whether the row popup over table field `field` is for a row it added
/// (the table is longer than in the plan as it was when it opened).
fn row_was_added(s: &Session, field: usize, snapshot: &Plan) -> bool {
    let form = s.form();
    match form.field(field).map(|f| &f.kind) {
        Some(Kind::Table(spec)) => {
            (spec.len)(snapshot, form.ctx) < (spec.len)(&s.file.plan, form.ctx)
        }
        _ => false,
    }
}

/// A row popup closes keeping the row: what it did since it opened is one
/// step of undo, named after the row. Returns how the row is named.
fn keep_row(s: &mut Session, field: usize, ctx: Ctx, snapshot: &Plan) -> String {
    let (row, table) = row_words(s, field, ctx);
    let key = if row_was_added(s, field, snapshot) {
        "msg.undo_row_added"
    } else {
        "msg.undo_row_edited"
    };
    let label = tf(key, &[("row", &row), ("table", &table)]);
    s.history.join_since(s.row_popup_mark, label);
    if let Some(st) = s.forms.get_mut(&s.step) {
        st.reset_editor();
    }
    row
}

/// A row popup closes throwing its changes away: back to the plan as it
/// was when the popup opened (a new row is removed); the steps recorded
/// since are dropped with it.
fn discard_row(s: &mut Session, field: usize, snapshot: Plan) -> (bool, String) {
    let added = row_was_added(s, field, &snapshot);
    s.history.forget_since(s.row_popup_mark);
    s.file.plan = snapshot;
    s.changed();
    if let Some(st) = s.forms.get_mut(&s.step) {
        st.reset_editor();
    }
    let key = if added {
        "msg.row_discarded"
    } else {
        "msg.row_cancelled"
    };
    (false, t(key).to_string())
}

/// The popup form of row `ctx.row` of table field `field`.
pub fn table_row_form(s: &Session, field: usize, ctx: Ctx) -> Option<Form> {
    let form = s.form();
    let Kind::Table(spec) = &form.field(field)?.kind else {
        return None;
    };
    Some(Form {
        sections: vec![super::form::Section::new("", (spec.row_fields)())],
        ctx,
    })
}
