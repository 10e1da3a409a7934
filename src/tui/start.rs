//! The start screen: recent plans, a new plan, the bundled example.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

use crate::store;

/// A line of the start screen's list.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Plan {
        name: String,
        path: PathBuf,
        /// Plan title and stage, or why it cannot be read.
        detail: Result<(String, Option<crate::plan::Stage>), ()>,
    },
    New,
    Example,
    Quit,
}

/// What the start screen asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartAction {
    None,
    Open(PathBuf),
    Create { name: String, example: bool },
    OpenExample,
    Quit,
}

/// Typing the name of a new plan.
pub struct NewPlan {
    pub input: Input,
    pub example: bool,
}

pub struct StartScreen {
    pub entries: Vec<Entry>,
    pub cursor: usize,
    pub new_plan: Option<NewPlan>,
    pub error: Option<String>,
    pub data_dir: PathBuf,
}

impl StartScreen {
    pub fn new(data_dir: &Path) -> StartScreen {
        let mut paths: Vec<(String, PathBuf)> = Vec::new();
        for path in store::recent::read(data_dir) {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("?")
                .to_string();
            paths.push((name, path));
        }
        if let Ok(list) = store::paths::list(data_dir) {
            for (name, path) in list {
                let real = std::fs::canonicalize(&path).unwrap_or(path.clone());
                if !paths.iter().any(|(_, p)| *p == real || *p == path) {
                    paths.push((name, path));
                }
            }
        }
        let mut entries: Vec<Entry> = paths
            .into_iter()
            .map(|(name, path)| {
                let detail = store::open(&path)
                    .map(|l| (l.file.plan.plan.name.clone(), l.file.plan.plan.stage))
                    .map_err(|_| ());
                Entry::Plan { name, path, detail }
            })
            .collect();
        entries.extend([Entry::New, Entry::Example, Entry::Quit]);
        StartScreen {
            entries,
            cursor: 0,
            new_plan: None,
            error: None,
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// True while a name is being typed (so `?` is text, not help).
    pub fn typing(&self) -> bool {
        self.new_plan.is_some()
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(new) = &mut self.new_plan {
            for c in text.chars().filter(|c| !c.is_control()) {
                new.input.handle(InputRequest::InsertChar(c));
            }
        }
    }

    pub fn key(&mut self, key: KeyEvent) -> StartAction {
        self.error = None;
        if let Some(new) = &mut self.new_plan {
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            match key.code {
                KeyCode::Esc => self.new_plan = None,
                KeyCode::Tab | KeyCode::BackTab => new.example = !new.example,
                KeyCode::Enter => {
                    let name = new.input.value().trim().to_string();
                    match store::paths::check_name(&name) {
                        Ok(name) => {
                            let example = new.example;
                            self.new_plan = None;
                            return StartAction::Create { name, example };
                        }
                        Err(e) => self.error = Some(e),
                    }
                }
                KeyCode::Char(c) if !ctrl => {
                    new.input.handle(InputRequest::InsertChar(c));
                }
                KeyCode::Backspace => {
                    new.input.handle(InputRequest::DeletePrevChar);
                }
                KeyCode::Delete => {
                    new.input.handle(InputRequest::DeleteNextChar);
                }
                KeyCode::Left => {
                    new.input.handle(InputRequest::GoToPrevChar);
                }
                KeyCode::Right => {
                    new.input.handle(InputRequest::GoToNextChar);
                }
                KeyCode::Home => {
                    new.input.handle(InputRequest::GoToStart);
                }
                KeyCode::End => {
                    new.input.handle(InputRequest::GoToEnd);
                }
                _ => {}
            }
            return StartAction::None;
        }
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.cursor = (self.cursor + 1).min(self.entries.len() - 1);
            }
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.entries.len() - 1,
            KeyCode::Char('n') => self.begin_new(),
            KeyCode::Char('e') => return StartAction::OpenExample,
            KeyCode::Char('q') | KeyCode::Esc => return StartAction::Quit,
            KeyCode::Enter => match &self.entries[self.cursor] {
                Entry::Plan { path, .. } => return StartAction::Open(path.clone()),
                Entry::New => self.begin_new(),
                Entry::Example => return StartAction::OpenExample,
                Entry::Quit => return StartAction::Quit,
            },
            _ => {}
        }
        StartAction::None
    }

    fn begin_new(&mut self) {
        self.new_plan = Some(NewPlan {
            input: Input::default(),
            example: false,
        });
    }
}
