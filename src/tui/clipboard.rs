//! Copy to the clipboard (`Alt-C`) with the OSC 52 escape sequence.
//!
//! The terminal itself puts the text on the clipboard, so it works over SSH
//! and needs no clipboard program. The sequence is `ESC ] 52 ; c ; BASE64
//! BEL`. Inside tmux it is wrapped in tmux's DCS passthrough (`ESC P tmux;
//! … ESC \`, with each ESC inside doubled), which tmux forwards to the outer
//! terminal when `set -g allow-passthrough on`; alternatively, with
//! `set -g set-clipboard on`, tmux takes the plain sequence itself (set
//! `RUMBO_OSC52=plain` to send that one). Terminals that do not support OSC 52
//! ignore it.
//!
//! What to copy is chosen here (the focused field's text; on step 7 the gap
//! table, aligned as `rumbo gaps` prints it); the event loop writes the
//! queued sequence to the terminal after the key ([`take`]), so the app
//! itself never does I/O.

use std::cell::RefCell;

use crate::i18n::t;

use super::app::Session;
use super::form::Kind;
use super::steps::Step;

thread_local! {
    static PENDING: RefCell<Option<String>> = const { RefCell::new(None) };
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The OSC 52 sequence that puts `text` on the clipboard; `tmux` wraps it
/// in tmux's passthrough.
pub fn osc52(text: &str, tmux: bool) -> String {
    let plain = format!("\x1b]52;c;{}\x07", base64(text.as_bytes()));
    if tmux {
        format!("\x1bPtmux;{}\x1b\\", plain.replace('\x1b', "\x1b\x1b"))
    } else {
        plain
    }
}

/// Whether to wrap for tmux: inside tmux, unless `RUMBO_OSC52=plain`.
fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some()
        && std::env::var("RUMBO_OSC52").map_or(true, |v| v != "plain")
}

/// What goes on the clipboard for `text`: control characters (but newline
/// and tab), bidi overrides and zero-width characters shown visibly, as on
/// the screen, so pasting never sends an escape sequence to a terminal nor
/// reorders what a reader sees.
pub fn clipboard_text(text: &str) -> String {
    crate::store::diag::visible_text(text)
}

/// Queues `text` for the clipboard; the event loop writes it.
pub fn copy(text: &str) {
    let seq = osc52(&clipboard_text(text), in_tmux());
    PENDING.with(|p| *p.borrow_mut() = Some(seq));
}

/// The sequence waiting to be written to the terminal, if any.
pub fn take() -> Option<String> {
    PENDING.with(|p| p.borrow_mut().take())
}

impl Session {
    /// `Alt-C`: copies the focused field (on step 7, the gap table).
    /// Returns the message to show.
    pub fn copy_to_clipboard(&mut self) -> (bool, String) {
        let text = if self.step == Step::Gaps {
            gap_table_text(self)
        } else {
            self.focused_text()
        };
        match text {
            Some(text) if !text.is_empty() => {
                copy(&text);
                let chars = text.chars().count();
                (
                    false,
                    crate::i18n::tn("clipboard.copied", chars as u64, &[("n", &chars)]),
                )
            }
            _ => (true, t("clipboard.nothing").to_string()),
        }
    }

    /// The focused field's text as the person sees it.
    fn focused_text(&mut self) -> Option<String> {
        let form = self.form();
        let focus = self.forms.get(&self.step).map_or(0, |s| s.focus);
        let field = form.field(focus)?;
        let plan = &mut self.file.plan;
        let ctx = form.ctx;
        match &field.kind {
            Kind::Text(lens) | Kind::Id(lens) | Kind::Multi(lens) => {
                lens(plan, ctx).map(|s| s.clone())
            }
            Kind::Number(lens, _) => lens(plan, ctx)
                .and_then(|v| v.get())
                .map(super::form::format_number),
            Kind::Int(lens, _) => lens(plan, ctx).and_then(|v| v.get()).map(|v| v.to_string()),
            Kind::Date(lens) => lens(plan, ctx)
                .and_then(|v| v.get())
                .map(crate::i18n::date::format),
            Kind::Choice(choice) => Some((choice.get)(plan, ctx)),
            Kind::Table(spec) => {
                // The table as tab-separated values, header first.
                let mut out: Vec<String> = vec![
                    spec.columns
                        .iter()
                        .map(|(k, _)| t(k).to_string())
                        .collect::<Vec<_>>()
                        .join("\t"),
                ];
                for row in 0..(spec.len)(plan, ctx) {
                    out.push(
                        (0..spec.columns.len())
                            .map(|c| (spec.cell)(plan, ctx, row, c))
                            .collect::<Vec<_>>()
                            .join("\t"),
                    );
                }
                Some(out.join("\n"))
            }
            _ => None,
        }
    }
}

/// The gap table, aligned, as `rumbo gaps` prints it without colour.
fn gap_table_text(s: &Session) -> Option<String> {
    let plan = &s.file.plan;
    let table = crate::metrics::gap_table(plan, s.today, None).ok()?;
    let mut out = Vec::new();
    crate::cli::write_gap_table(&mut out, plan, &table, s.today, false).ok()?;
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
        assert_eq!(base64("ñ".as_bytes()), "w7E=");
    }

    #[test]
    fn osc52_is_plain_or_wrapped_for_tmux() {
        assert_eq!(osc52("hi", false), "\x1b]52;c;aGk=\x07");
        assert_eq!(osc52("hi", true), "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
    }

    #[test]
    fn copy_queues_one_sequence_for_the_terminal() {
        copy("x");
        assert!(take().is_some_and(|s| s.contains("eA==")));
        assert_eq!(take(), None);
    }

    #[test]
    fn no_control_bidi_or_zero_width_character_reaches_the_clipboard() {
        let nasty = "a\u{1b}]0;x\u{7}\u{7f}\u{9b}\u{202e}\u{200b}\r\nb\tc";
        let safe = clipboard_text(nasty);
        assert_eq!(safe, "a␛]0;x␇␡⟨U+009B⟩⟨U+202E⟩⟨U+200B⟩\nb\tc");
        assert!(
            !safe
                .chars()
                .any(|c| crate::store::diag::is_hidden(c) && c != '\n' && c != '\t')
        );
        copy(nasty);
        assert_eq!(take(), Some(osc52(&safe, in_tmux())));
    }
}
