//! A located message about a plan file: `FILE:LINE:COL: error: …`, the source
//! line with a caret under the spot, and an optional hint.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::i18n::t;
use crate::plan::Severity;

/// One located message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    /// 1-based line; 0 when the message is about the whole file.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    pub message: String,
    /// The text of the line the message points at.
    pub source_line: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A message about the whole file (no line to point at).
    pub fn whole_file(severity: Severity, file: &Path, message: String) -> Diagnostic {
        Diagnostic {
            severity,
            file: file.to_path_buf(),
            line: 0,
            col: 0,
            message,
            source_line: String::new(),
            hint: None,
        }
    }

    /// A message at byte `offset` of `text`.
    pub fn at(
        severity: Severity,
        file: &Path,
        text: &str,
        offset: usize,
        message: String,
    ) -> Diagnostic {
        let (line, col, source_line) = line_col(text, offset);
        Diagnostic {
            severity,
            file: file.to_path_buf(),
            line,
            col,
            message,
            source_line,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: Option<String>) -> Diagnostic {
        self.hint = hint;
        self
    }

    /// `FILE:LINE:COL: error: message` on one line.
    pub fn headline(&self) -> String {
        let sev = match self.severity {
            Severity::Error => t("diag.error"),
            Severity::Warning => t("diag.warning"),
        };
        if self.line == 0 {
            format!("{}: {sev}: {}", self.file.display(), self.message)
        } else {
            format!(
                "{}:{}:{}: {sev}: {}",
                self.file.display(),
                self.line,
                self.col,
                self.message
            )
        }
    }
}

impl Diagnostic {
    /// The source line with a caret under the spot (empty for a message
    /// about the whole file):
    ///
    /// ```text
    ///    |
    /// 12 | owner = "bob"
    ///    |         ^
    /// ```
    pub fn snippet(&self) -> Vec<String> {
        if self.line == 0 {
            return Vec::new();
        }
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        let shown = visible(&self.source_line);
        let caret_pad: String = shown
            .chars()
            .take(self.col.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        vec![
            format!("{pad} |"),
            format!("{number} | {shown}"),
            format!("{pad} | {caret_pad}^"),
        ]
    }
}

impl fmt::Display for Diagnostic {
    /// The headline, the source line with a caret, and the hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.headline())?;
        for line in self.snippet() {
            writeln!(f, "{line}")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{}: {hint}", t("diag.hint"))?;
        }
        Ok(())
    }
}

/// Control characters shown as visible placeholders, never sent raw.
pub fn visible(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')
            } else {
                c
            }
        })
        .collect()
}

/// 1-based line and column (in characters) of a byte offset, and the line.
pub fn line_col(text: &str, offset: usize) -> (usize, usize, String) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..offset].chars().count() + 1;
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let source_line = text[line_start..line_end]
        .trim_end_matches('\r')
        .to_string();
    (line, col, source_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns_in_characters() {
        let text = "a = 1\nñame = 2\n";
        let (line, col, src) = line_col(text, text.find('=').unwrap());
        assert_eq!((line, col, src.as_str()), (1, 3, "a = 1"));
        let second = text.rfind('=').unwrap();
        assert_eq!(line_col(text, second).0, 2);
        assert_eq!(line_col(text, second).1, 6);
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(visible("a\u{1b}[31m"), "a\u{241b}[31m");
    }
}
