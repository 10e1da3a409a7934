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

/// Control characters shown as visible placeholders, never sent raw: the one
/// rule for every output (terminal, piped output, exported files, the
/// clipboard). On one line: a newline is shown too (`␊`); see
/// [`visible_text`] for text of several lines.
pub fn visible(s: &str) -> String {
    shown(s, false)
}

/// [`visible`] for text of several lines: newlines (and tabs) stay, a CRLF
/// line end becomes a newline, every other control character is shown.
pub fn visible_text(s: &str) -> String {
    shown(s, true)
}

/// Whether `c` must never reach an output raw: C0 controls (but tab and
/// newline, which the caller decides on), DEL, C1 controls, the bidi
/// overrides, embeddings, isolates and marks (which reorder what a reader
/// sees: "Trojan Source") and the zero-width characters.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
        )
}

fn shown(s: &str, keep_newlines: bool) -> String {
    if !s.chars().any(is_hidden) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push(c),
            '\n' if keep_newlines => out.push(c),
            // A CRLF line end is a line end.
            '\r' if keep_newlines && chars.peek() == Some(&'\n') => {}
            // C0: the Unicode control pictures (␛ for ESC, ␇ for BEL…).
            '\0'..='\u{1F}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}')),
            '\u{7F}' => out.push('\u{2421}'),
            // C1, bidi and zero-width characters have no picture: their code.
            c if is_hidden(c) => {
                out.push_str(&format!("\u{27E8}U+{:04X}\u{27E9}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// JSON text made safe: every character [`is_hidden`] that serde_json
/// leaves raw inside strings (DEL, C1, bidi and zero-width characters) is
/// written as a `\uXXXX` escape, so the JSON means exactly the same text
/// and holds no such byte. Newlines and tabs outside strings (the pretty
/// layout) stay; serde_json already escapes them inside strings.
pub fn json_safe(json: &str) -> String {
    if !json.chars().any(|c| is_hidden(c) && c != '\n' && c != '\t') {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_hidden(c) && c != '\n' && c != '\t' {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
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
        assert_eq!(
            visible("a\u{7f}\u{9b}b\tc\n"),
            "a\u{2421}\u{27E8}U+009B\u{27E9}b\tc\u{240A}"
        );
        assert_eq!(visible_text("a\r\nb\rc"), "a\nb\u{240D}c");
        assert_eq!(
            visible("évil\u{202E}txt\u{200B}"),
            "évil⟨U+202E⟩txt⟨U+200B⟩"
        );
        assert_eq!(visible("plain ñ 👍"), "plain ñ 👍");
    }

    #[test]
    fn no_hidden_character_survives_any_output_form() {
        let all: String = (0u32..0x110000)
            .filter_map(char::from_u32)
            .filter(|c| is_hidden(*c))
            .collect();
        for c in [
            '\u{1b}', '\u{7}', '\u{7f}', '\u{85}', '\u{9b}', '\u{202E}', '\u{2066}', '\u{061C}',
            '\u{FEFF}', '\u{2060}', '\u{200D}', '\u{200E}',
        ] {
            assert!(all.contains(c), "{c:?}");
        }
        assert!(visible(&all).chars().all(|c| !is_hidden(c) || c == '\t'));
        assert!(
            visible_text(&all)
                .chars()
                .all(|c| !is_hidden(c) || c == '\n' || c == '\t')
        );
        let json = serde_json::to_string(&all).unwrap();
        let safe = json_safe(&json);
        assert!(!safe.chars().any(is_hidden), "{safe}");
        assert!(safe.contains("\\u202e") && safe.contains("\\u007f") && safe.contains("\\u009b"));
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, all, "JSON keeps the text exactly");
    }
}
