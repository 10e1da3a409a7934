//! Column widths of the document tables, as shares of the table's width.
//!
//! The HTML tables use a fixed layout (`table-layout: fixed; width: 100%`),
//! so a table never grows past the page, whatever it holds; these shares
//! decide how the room is split. They follow the text the cells hold,
//! measured with rough glyph widths (in ems of the table's font):
//! - a number or a date wants its whole value on one line, and a number
//!   can at worst put its unit on a second line (`30,000` / `EUR`);
//! - a text column (names, notes) needs at least its longest word (capped:
//!   a longer word is broken) and would like its longest cell on one line
//!   (capped too: past that, wrapping reads fine);
//! - a header needs its longest word.
//!
//! When everything fits, columns grow with what they would like; when not,
//! numbers and dates keep their room first and text columns share the rest
//! in proportion to what they would like, so names get the room and numbers
//! stay narrow.

/// What a column holds, which decides how it may wrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Words: wraps between words, breaks a word that is too long.
    Text,
    /// A figure, maybe with a unit: wraps only between figure and a unit
    /// that is a word (`EUR`, `days`; never `%`).
    Number,
    /// A date: never wraps.
    Date,
}

/// A cell's padding and border, in ems.
const PADDING: f64 = 1.1;
/// A word longer than this breaks rather than widening its column.
const LONGEST_WORD: f64 = 7.5;
/// Past this, a text column's cells wrap rather than take more room.
const LONGEST_LINE: f64 = 40.0;
/// Headers are bold: a little wider.
const BOLD: f64 = 1.12;

/// The rough width of `text` in ems, after DejaVu Sans (Linux's usual
/// sans-serif and one of the widest), so narrower fonts have room to spare.
pub fn ems(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            ' ' => 0.32,
            'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.4,
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.9,
            '0'..='9' => 0.64,
            'A'..='Z' => 0.74,
            c if c.is_ascii() => 0.62,
            // Accented letters, symbols and other scripts: roughly a letter,
            // wide characters (CJK) two.
            c if (c as u32) >= 0x1100 && !c.is_alphabetic() => 0.9,
            c if (c as u32) >= 0x2E80 => 1.0,
            _ => 0.62,
        })
        .sum()
}

/// The words of `text`: split at spaces, and after hyphens and slashes
/// (where a browser may break a line too).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .flat_map(|w| w.split_inclusive(['-', '/', '—', '–']))
}

fn longest_word(text: &str) -> f64 {
    words(text).map(ems).fold(0.0, f64::max)
}

fn longest_line(text: &str) -> f64 {
    text.lines().map(ems).fold(0.0, f64::max)
}

/// What one column needs at the least (`min`: its longest word, a number
/// without its unit), for its text on two lines (`half`), for its numbers
/// whole (`whole`) and for its longest cell on one line (`want`), in ems.
#[derive(Debug, Clone, Copy)]
struct Need {
    min: f64,
    half: f64,
    whole: f64,
    want: f64,
}

fn need(label: &str, kind: Kind, cells: &[&str]) -> Need {
    let widest = |f: fn(&str) -> f64| cells.iter().map(|c| f(c)).fold(0.0, f64::max);
    let header = (longest_word(label) * BOLD).min(LONGEST_WORD);
    let need = match kind {
        Kind::Date => {
            let w = widest(longest_line);
            Need {
                min: w,
                half: w,
                whole: w,
                want: w,
            }
        }
        Kind::Number => {
            let whole = widest(longest_line);
            // A figure and its unit, unless the unit is a long word: `2 %`
            // never splits, `1,820` / `EUR` may.
            let word = widest(|c| {
                let short_unit = c
                    .rsplit_once(' ')
                    .is_some_and(|(_, unit)| unit.chars().count() <= 2);
                if short_unit {
                    longest_line(c)
                } else {
                    longest_word(c)
                }
            });
            Need {
                min: word,
                half: word,
                whole,
                want: whole,
            }
        }
        Kind::Text => {
            let word = widest(longest_word).min(LONGEST_WORD);
            let line = widest(longest_line).min(LONGEST_LINE).max(word);
            // Half, and a little more: lines break between words.
            let half = (line * 0.55).max(word);
            Need {
                min: word,
                half,
                whole: half,
                want: line,
            }
        }
    };
    let pad = |w: f64| w.max(header) + PADDING;
    Need {
        min: pad(need.min),
        half: pad(need.half),
        whole: pad(need.whole),
        want: pad(need.want),
    }
}

/// Each column's share of the table's width, in percent (they add up to
/// 100), for columns `(label, kind)` and `rows` of cells, in a table whose
/// font fits `page` ems across the page (see [`page_ems`]).
///
/// The room goes in this order: every column its longest word (numbers
/// without their unit); text columns enough for their longest cell on two
/// lines; numbers whole; then every column towards its longest cell on one
/// line. The first of these steps that does not fit all shares what is left
/// in proportion to what each column still wants.
pub fn shares(columns: &[(&str, Kind)], rows: &[Vec<String>], page: f64) -> Vec<f64> {
    if columns.is_empty() {
        return Vec::new();
    }
    let needs: Vec<Need> = columns
        .iter()
        .enumerate()
        .map(|(i, (label, kind))| {
            let cells: Vec<&str> = rows
                .iter()
                .filter_map(|r| r.get(i).map(String::as_str))
                .collect();
            need(label, *kind, &cells)
        })
        .collect();
    let steps: [fn(&Need) -> f64; 4] = [|n| n.min, |n| n.half, |n| n.whole, |n| n.want];
    let total = |step: fn(&Need) -> f64| needs.iter().map(step).sum::<f64>();
    let widths: Vec<f64> = if total(steps[0]) >= page {
        // Too many columns for a page: each gives in proportion.
        needs.iter().map(steps[0]).collect()
    } else if total(steps[3]) <= page {
        // Room for everything: each grows in proportion.
        needs.iter().map(steps[3]).collect()
    } else {
        let reached = (0..3).rev().find(|&i| total(steps[i]) <= page).unwrap_or(0);
        let (from, to) = (steps[reached], steps[reached + 1]);
        let spare = page - total(from);
        let wanted = total(to) - total(from);
        needs
            .iter()
            .map(|n| {
                let more = to(n) - from(n);
                from(n)
                    + if wanted > 0.0 {
                        spare * more / wanted
                    } else {
                        0.0
                    }
            })
            .collect()
    };
    let sum: f64 = widths.iter().sum();
    widths
        .iter()
        .map(|w| (w / sum * 1000.0).round() / 10.0)
        .collect()
}

/// Tables with this many columns or more are set in a smaller font.
pub const DENSE_COLUMNS: usize = 9;

/// The width of the page, in ems of the font of a table of `columns`
/// columns: A4's 180 mm between 15 mm margins (Letter's is a little wider)
/// at 8 pt, or 7 pt for a dense table.
pub fn page_ems(columns: usize) -> f64 {
    let points = 180.0 / 25.4 * 72.0;
    let font = if columns >= DENSE_COLUMNS { 7.0 } else { 8.0 };
    // A little under, for rounding and borders.
    points / font * 0.97
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn shares_add_up_to_the_whole_table() {
        let cols = [("KPI", Kind::Text), ("Target", Kind::Number)];
        let s = shares(&cols, &[row(&["Churn", "2 %"])], page_ems(2));
        assert!((s.iter().sum::<f64>() - 100.0).abs() < 0.2, "{s:?}");
        assert!(shares(&[], &[], 60.0).is_empty());
    }

    #[test]
    fn names_get_the_room_and_numbers_stay_narrow() {
        // The gap table: eleven columns, more than a page holds whole.
        let cols = [
            ("KPI", Kind::Text),
            ("Owner", Kind::Text),
            ("Current", Kind::Number),
            ("Measured on", Kind::Date),
            ("Target", Kind::Number),
            ("Deadline", Kind::Date),
            ("Gap", Kind::Number),
            ("Progress", Kind::Number),
            ("Forecast", Kind::Number),
            ("Needed a month", Kind::Number),
            ("Status", Kind::Text),
        ];
        let rows = [
            row(&[
                "Customer acquisition cost",
                "Inés Navarro",
                "1,170 EUR",
                "2026-10-31",
                "1,100 EUR",
                "2026-12-31",
                "70 EUR",
                "80 %",
                "1,090 EUR",
                "73.47 EUR",
                "→ on track",
            ]),
            row(&[
                "Monthly recurring revenue",
                "Lucía Ferrer",
                "28,180 EUR",
                "2026-10-31",
                "30,000 EUR",
                "2026-12-31",
                "1,820 EUR",
                "85 %",
                "30,484 EUR",
                "1,910 EUR",
                "‼ overdue",
            ]),
        ];
        let s = shares(&cols, &rows, page_ems(cols.len()));
        let kpi = s[0];
        for (i, share) in s.iter().enumerate().skip(1) {
            assert!(kpi > *share, "the KPI name has the most room: {s:?} ({i})");
        }
        // "Needed a month" is no wider than the figures it heads need.
        assert!(s[9] < s[2] + 1.0, "{s:?}");
        // A date keeps its whole width: about 6.5 ems of 62.
        assert!(s[3] >= 9.5, "{s:?}");
    }

    #[test]
    fn a_long_prose_column_does_not_take_everything() {
        let cols = [("KPI", Kind::Text), ("Note", Kind::Text)];
        let rows = [row(&["Customer churn rate", &"word ".repeat(200)])];
        let s = shares(&cols, &rows, page_ems(cols.len()));
        assert!(s[0] >= 20.0, "{s:?}");
    }

    #[test]
    fn an_unbreakable_word_is_capped() {
        let cols = [
            ("KPI", Kind::Text),
            ("Owner", Kind::Text),
            ("Target", Kind::Number),
        ];
        let url = "https://analytics.example.com/dashboards/sales-cycle-length";
        let rows = [row(&[&"x".repeat(300), url, "12"])];
        let s = shares(&cols, &rows, page_ems(cols.len()));
        assert!(s.iter().all(|v| *v > 5.0), "{s:?}");
    }
}
