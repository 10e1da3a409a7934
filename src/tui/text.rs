//! Text helpers for drawing: word wrapping by display width, truncation,
//! and making control characters visible.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Plan text made safe for the terminal: control characters become visible
/// placeholders (␛ for ESC), so no plan can send escape sequences.
pub fn safe(s: &str) -> String {
    crate::store::diag::visible(s)
}

/// Word-wraps `text` to `width` display columns (long words are split).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let para = safe(para.trim_end_matches('\r'));
        if para.is_empty() {
            out.push(String::new());
            continue;
        }
        let mut line = String::new();
        let mut line_w = 0;
        for word in para.split_inclusive(' ') {
            let w = word.width();
            if line_w + w.saturating_sub(trailing_space(word)) > width && !line.is_empty() {
                out.push(line.trim_end().to_string());
                line = String::new();
                line_w = 0;
            }
            if w > width {
                for c in word.chars() {
                    let cw = c.width().unwrap_or(0);
                    if line_w + cw > width {
                        out.push(std::mem::take(&mut line));
                        line_w = 0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            } else {
                line.push_str(word);
                line_w += w;
            }
        }
        out.push(line.trim_end().to_string());
    }
    out
}

fn trailing_space(word: &str) -> usize {
    usize::from(word.ends_with(' '))
}

/// Cuts `s` to at most `width` columns, ending with `…` when cut.
pub fn truncate(s: &str, width: usize) -> String {
    let s = safe(s);
    let s = s.split('\n').next().unwrap_or("");
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_words_and_keeps_blank_lines() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("a\n\nb", 5), vec!["a", "", "b"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
    }

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("héllo wörld", 6), "héllo…");
        assert_eq!(truncate("日本語です", 5), "日本…");
    }
}
