//! Editing in the user's own editor (`$VISUAL`, else `$EDITOR`, else `vi`):
//! the focused text field (Ctrl-O) or the whole plan file (Ctrl-G).
//!
//! A key only asks ([`Session::edit_field_outside`], [`Session::edit_plan_outside`]):
//! the text goes into a private temporary file (mode 0600) and a [`Request`]
//! waits in the session. The event loop (`tui/mod.rs`) gives the terminal to
//! the editor, takes it back, and hands the result to
//! [`Session::back_from_editor`], which applies it:
//!
//! - a field gets the text as an ordinary edit (undoable, unsaved);
//! - the whole plan is read and checked like a file from disk. When it reads,
//!   it replaces the plan and is written as it is — the user's comments and
//!   layout included — as Ctrl-S would (Ctrl-Z still takes the plan back).
//!   When it does not, a popup shows the located error and offers going back
//!   to the editor with the edit, or discarding it; the plan is untouched.

use std::io::Write;
use std::path::Path;

use super::app::{Popup, Session};
use super::form::{Ctx, Kind};
use super::steps::Step;
use crate::i18n::{t, tf};
use crate::store;

/// What goes back from the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Text field `focus` of the step's form, or (`popup: Some(table)`) of
    /// the row popup of that table field.
    Field {
        step: Step,
        popup: Option<usize>,
        focus: usize,
        ctx: Ctx,
        /// A one-line field: line breaks become spaces.
        one_line: bool,
        /// The value ended with a line break (kept then, else dropped).
        line_end: bool,
    },
    /// The whole plan file.
    Plan,
}

/// A file waiting to be edited, and what it is for.
#[derive(Debug)]
pub struct Request {
    pub target: Target,
    /// Deleted when the request is dropped (done, or discarded).
    pub file: tempfile::NamedTempFile,
    /// The text as it was handed out: unchanged means nothing to do.
    pub original: String,
}

impl Request {
    fn new(target: Target, text: String, suffix: &str) -> Result<Request, String> {
        let fail = |e: std::io::Error| tf("editor.temp_failed", &[("error", &e)]);
        // tempfile creates it readable by its owner only.
        let mut file = tempfile::Builder::new()
            .prefix("rumbo-")
            .suffix(suffix)
            .tempfile()
            .map_err(fail)?;
        file.write_all(text.as_bytes()).map_err(fail)?;
        file.as_file().sync_all().map_err(fail)?;
        Ok(Request {
            target,
            file,
            original: text,
        })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }
}

/// The editor command: `$VISUAL`, else `$EDITOR`, else `vi`. It may carry
/// arguments (`code --wait`).
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Runs the editor on `path` and waits for it. The terminal must already be
/// given back (see `tui/mod.rs`). `Err` says why nothing should be read.
pub fn run_editor(path: &Path) -> Result<(), String> {
    let cmd = editor_command();
    #[cfg(unix)]
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{cmd} \"$1\""))
        .arg("sh")
        .arg(path)
        .status();
    #[cfg(not(unix))]
    let status = {
        let mut words = cmd.split_whitespace();
        let program = words.next().unwrap_or("notepad");
        std::process::Command::new(program)
            .args(words)
            .arg(path)
            .status()
    };
    match status {
        Err(e) => Err(tf(
            "editor.could_not_start",
            &[("cmd", &cmd), ("error", &e)],
        )),
        // `sh` says 127 when it cannot find the command.
        Ok(s) if s.code() == Some(127) => Err(tf(
            "editor.could_not_start",
            &[("cmd", &cmd), ("error", &s)],
        )),
        Ok(s) if !s.success() => Err(tf("editor.exited", &[("cmd", &cmd), ("status", &s)])),
        Ok(_) => Ok(()),
    }
}

/// What an editor wrote, as field text: Windows line ends made plain, the
/// one line break editors add at the end dropped (unless the value had one,
/// `line_end`), control characters other than line breaks and tabs removed;
/// a one-line field gets one line.
pub fn field_text(written: &str, one_line: bool, line_end: bool) -> String {
    let text = written.replace("\r\n", "\n").replace('\r', "\n");
    let text = match text.strip_suffix('\n') {
        Some(rest) if !line_end => rest,
        _ => &text,
    };
    let clean: String = text
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect();
    if one_line {
        clean
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        clean
    }
}

impl Session {
    /// Ctrl-O: the focused field (of the row popup when one is open) goes to
    /// the editor, if it holds text. Returns a message when it cannot.
    pub fn edit_field_outside(&mut self, plan_key: &str) -> Option<(bool, String)> {
        if self.read_only {
            return Some((true, t("msg.read_only").to_string()));
        }
        let not_text = || Some((true, tf("editor.not_text", &[("key", &plan_key)])));
        let (form, focus, popup) = match &self.popup {
            Some(Popup::Row {
                field, ctx, state, ..
            }) => (
                super::app::table_row_form(self, *field, *ctx)?,
                state.focus,
                Some(*field),
            ),
            Some(_) => return None,
            None if self.focus == super::app::Focus::Steps => return not_text(),
            None => (
                self.form(),
                self.forms.get(&self.step).map_or(0, |s| s.focus),
                None,
            ),
        };
        let Some(field) = form.field(focus) else {
            return not_text();
        };
        let (lens, one_line) = match field.kind {
            Kind::Text(lens) => (lens, true),
            Kind::Multi(lens) => (lens, false),
            _ => return not_text(),
        };
        let Some(value) = lens(&mut self.file.plan, form.ctx).map(|s| s.clone()) else {
            return not_text();
        };
        let target = Target::Field {
            step: self.step,
            popup,
            focus,
            ctx: form.ctx,
            one_line,
            line_end: value.ends_with('\n'),
        };
        // A trailing line break, as editors like files to end.
        let text = if value.is_empty() || value.ends_with('\n') {
            value
        } else {
            format!("{value}\n")
        };
        match Request::new(target, text, ".md") {
            Ok(r) => {
                self.editor = Some(Box::new(r));
                None
            }
            Err(e) => Some((true, e)),
        }
    }

    /// Ctrl-G: the whole plan, as a save would write it now (unsaved edits
    /// included), goes to the editor.
    pub fn edit_plan_outside(&mut self) -> Option<(bool, String)> {
        if self.read_only {
            return Some((true, t("msg.read_only").to_string()));
        }
        self.finish_job(true);
        let text = self.file.rendered();
        match Request::new(Target::Plan, text, ".toml") {
            Ok(r) => {
                self.editor = Some(Box::new(r));
                None
            }
            Err(e) => Some((true, e)),
        }
    }

    /// The editor ended (`ran`: whether it ran and ended well). Applies what
    /// it wrote; returns the message to show.
    pub fn back_from_editor(
        &mut self,
        request: Request,
        ran: Result<(), String>,
    ) -> Option<(bool, String)> {
        if let Err(e) = ran {
            return Some((true, e));
        }
        let written = match read_limited(request.path()) {
            Ok(text) => text,
            Err(e) => return Some((true, tf("editor.read_failed", &[("error", &e)]))),
        };
        match request.target {
            Target::Field {
                step,
                popup,
                focus,
                ctx,
                one_line,
                line_end,
            } => {
                let text = field_text(&written, one_line, line_end);
                self.field_back(step, popup, focus, ctx, text)
            }
            Target::Plan => self.plan_back(request, written),
        }
    }

    fn field_back(
        &mut self,
        step: Step,
        popup: Option<usize>,
        focus: usize,
        ctx: Ctx,
        text: String,
    ) -> Option<(bool, String)> {
        if step != self.step {
            return None;
        }
        let form = match popup {
            Some(table) => super::app::table_row_form(self, table, ctx)?,
            None => self.form(),
        };
        let lens = match form.field(focus)?.kind {
            Kind::Text(lens) | Kind::Multi(lens) => lens,
            _ => return None,
        };
        if lens(&mut self.file.plan, ctx).is_some_and(|v| *v == text) {
            return Some((false, t("editor.unchanged").to_string()));
        }
        // A step of its own in the undo history, not merged with typing.
        let scope = super::undo::Scope::for_step(step, false, ctx.item, ctx.row);
        let field = super::text::safe(form.field(focus)?.label());
        self.prepare_labelled(scope, tf("msg.undo_editor_field", &[("field", &field)]));
        if let Some(v) = lens(&mut self.file.plan, ctx) {
            *v = text;
        }
        self.edited();
        self.state().reset_editor();
        if let Some(Popup::Row { state, .. }) = &mut self.popup {
            state.reset_editor();
            if popup.is_some() {
                state.mark_edited();
            }
        }
        Some((false, t("editor.field_done").to_string()))
    }

    fn plan_back(&mut self, request: Request, written: String) -> Option<(bool, String)> {
        if written == request.original {
            return Some((false, t("editor.unchanged").to_string()));
        }
        let parsed = match store::load::parse(&self.file.path, &written) {
            Ok(parsed) => parsed,
            Err(e) => {
                self.popup = Some(Popup::EditorError {
                    error: e.to_string(),
                    request: Box::new(request),
                });
                return None;
            }
        };
        self.finish_job(true);
        self.prepare_labelled(
            super::undo::Scope::all(),
            t("msg.undo_editor_plan").to_string(),
        );
        let message =
            if self.changed_on_disk() {
                self.file.plan = parsed.plan;
                Some(self.kept_unsaved(request, t("editor.changed_on_disk").to_string()))
            } else {
                let plan = parsed.plan.clone();
                match self.file.replace_text(written, parsed) {
                    Ok(()) => None,
                    Err(e) => {
                        self.file.plan = plan;
                        Some(self.kept_unsaved(
                            request,
                            tf("editor.write_failed", &[("error", &e.error)]),
                        ))
                    }
                }
            };
        self.edited();
        self.big = super::app::is_big(&self.file);
        self.editors_stale();
        match message {
            Some(m) => Some((true, m)),
            None => {
                self.written(crate::store::journal::hash(&self.file.text), true);
                Some((
                    false,
                    tf("editor.plan_saved", &[("path", &self.file.path.display())]),
                ))
            }
        }
    }

    /// The hand edit is applied but not written: its text is kept (the
    /// temporary file is not deleted) so that its comments are not lost.
    fn kept_unsaved(&mut self, request: Request, why: String) -> String {
        let temp = match request.file.keep() {
            Ok((_, path)) => path,
            Err(e) => e.file.path().to_path_buf(),
        };
        tf(
            "editor.kept_unsaved",
            &[("why", &why), ("temp", &temp.display())],
        )
    }

    /// The editor error popup: back to the editor with the same file.
    pub fn edit_again(&mut self, request: Box<Request>) {
        self.editor = Some(request);
    }
}

/// Reads what the editor left, no more than a plan may hold.
fn read_limited(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(store::load::MAX_PLAN_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_text_drops_the_final_line_break_only() {
        assert_eq!(field_text("a\nb\n", false, false), "a\nb");
        assert_eq!(field_text("a\n\n", false, false), "a\n");
        assert_eq!(field_text("a\r\nb\r\n", false, false), "a\nb");
        assert_eq!(field_text("", false, false), "");
        // A value that ended with a line break keeps it.
        assert_eq!(field_text("a\nb\n", false, true), "a\nb\n");
    }

    #[test]
    fn one_line_fields_get_one_line() {
        assert_eq!(field_text("  Acme\n\n Ltd  \n", true, false), "Acme Ltd");
    }

    #[test]
    fn control_characters_are_removed_but_tabs_kept() {
        assert_eq!(
            field_text("a\u{1b}[31mb\tc\u{7}\n", false, false),
            "a[31mb\tc"
        );
    }
}
