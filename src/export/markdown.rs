//! Escaping plan text for Markdown (CommonMark with GitHub tables), used by
//! the `md` and `md_text` template filters.
//!
//! The goal is that plan text reads as the literal text it is: a `|` does
//! not break a table, a `*` or `_` does not start emphasis, a `<script>` is
//! not raw HTML, a line starting with `#` or `- ` is not a heading or a
//! list. Escapes are backslashes (valid CommonMark for any ASCII
//! punctuation), added only where a character could start markup, so the
//! raw file stays readable (`churn_rate` keeps its underscore as it is).

/// Text split into paragraphs (at blank lines), each a list of trimmed
/// lines; empty paragraphs are dropped.
pub fn paragraph_lines(s: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in s.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Paragraphs with their lines joined by spaces (for HTML, and for one-line
/// Markdown).
pub fn paragraphs(s: &str) -> Vec<String> {
    paragraph_lines(s)
        .into_iter()
        .map(|lines| lines.join(" "))
        .collect()
}

/// True when `rest` (the text after a `&`) makes it an entity such as
/// `&amp;` or `&#39;`.
fn looks_like_entity(rest: &str) -> bool {
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    !name.is_empty() && rest[name.len()..].starts_with(';')
}

/// Escapes the characters of one line that could start inline markup.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut byte = 0;
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '|' | '~' => true,
            // Inside a word (`churn_rate`) an underscore is never emphasis.
            '_' => !(word(prev) && word(next)),
            '&' => looks_like_entity(&line[byte + 1..]),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        byte += c.len_utf8();
    }
    // A closing run of `#` would be taken off a heading.
    if out.ends_with('#') {
        out.insert(out.len() - 1, '\\');
    }
    out
}

/// Escapes what would make a line start a block: a heading, a quote, a
/// list item, a setext underline or a thematic break.
fn escape_line_start(line: String) -> String {
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return line;
    };
    let second = chars.next();
    match first {
        '#' | '>' => format!("\\{line}"),
        '-' | '+' | '=' if second.is_none_or(|c| c == ' ' || c == first) => {
            format!("\\{line}")
        }
        d if d.is_ascii_digit() => {
            // `12. ` or `3) ` starts an ordered list.
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let rest = &line[digits..];
            let mut r = rest.chars();
            match (r.next(), r.next()) {
                (Some(p @ ('.' | ')')), None | Some(' ')) => {
                    format!("{}\\{}{}", &line[..digits], p, &rest[1..])
                }
                _ => line,
            }
        }
        _ => line,
    }
}

/// Plan text as one line of Markdown: a table cell, a list item, a heading.
/// Lines of a paragraph are joined by spaces, paragraphs by `<br>`.
pub fn md_inline(s: &str) -> String {
    let paras: Vec<String> = paragraphs(s).iter().map(|p| escape_inline(p)).collect();
    escape_line_start(paras.join("<br>"))
}

/// Plan text as Markdown paragraphs: lines kept (they render as one
/// paragraph), paragraphs separated by a blank line, every line escaped.
pub fn md_block(s: &str) -> String {
    paragraph_lines(s)
        .into_iter()
        .map(|lines| {
            lines
                .into_iter()
                .map(|l| escape_line_start(escape_inline(l)))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A label followed by a colon, unless it already ends in punctuation
/// (`Price or quality?` stays as it is).
pub fn with_colon(label: &str) -> String {
    let label = label.trim_end();
    if label.ends_with(['?', ':', '!', '.', '…']) {
        label.to_string()
    } else {
        format!("{label}:")
    }
}

/// Tidies rendered Markdown: no trailing spaces, at most one blank line in
/// a row, no blank lines at the start, one newline at the end.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_keep_pipes_backslashes_and_newlines_harmless() {
        assert_eq!(md_inline("a | b"), "a \\| b");
        assert_eq!(md_inline(r"C:\temp"), r"C:\\temp");
        assert_eq!(
            md_inline("first line\nsecond line\n\nnext paragraph"),
            "first line second line<br>next paragraph"
        );
        assert_eq!(md_inline("  padded  "), "padded");
    }

    #[test]
    fn markup_characters_are_escaped_but_words_stay_readable() {
        assert_eq!(md_inline("churn_rate"), "churn_rate");
        assert_eq!(md_inline("_stress_ *bold*"), "\\_stress\\_ \\*bold\\*");
        assert_eq!(
            md_inline("<script>alert(1)</script>"),
            "\\<script>alert(1)\\</script>"
        );
        assert_eq!(md_inline("[link](x)"), "\\[link\\](x)");
        assert_eq!(md_inline("Sales & marketing"), "Sales & marketing");
        assert_eq!(md_inline("&amp; and &#39;"), "\\&amp; and \\&#39;");
        assert_eq!(md_inline("`code`"), "\\`code\\`");
        assert_eq!(md_inline("Plan #"), "Plan \\#");
        assert_eq!(md_inline("Plan #1"), "Plan #1");
        assert_eq!(md_inline("Título ñ"), "Título ñ");
    }

    #[test]
    fn block_starts_are_escaped() {
        assert_eq!(md_inline("# not a heading"), "\\# not a heading");
        assert_eq!(md_inline("- not a list"), "\\- not a list");
        assert_eq!(md_inline("-5 %"), "-5 %");
        assert_eq!(md_inline("2026. A year"), "2026\\. A year");
        assert_eq!(md_inline("2026.5"), "2026.5");
        assert_eq!(md_inline("> quote"), "\\> quote");
        assert_eq!(md_inline("---"), "\\---");
        assert_eq!(
            md_block("Intro\n# one\n- two\n\n  1) three\n==="),
            "Intro\n\\# one\n\\- two\n\n1\\) three\n\\==="
        );
    }

    #[test]
    fn tidy_collapses_blank_lines() {
        assert_eq!(tidy("\n\n# A  \n\n\n\ntext\n\n\n"), "# A\n\ntext\n");
    }
}
