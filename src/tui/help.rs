//! The key-hint bar and the F1 help overlay. Both read the same table of
//! keys for the current context, so the help cannot drift from the hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::i18n::t;

use super::app::{App, Focus, Popup, Screen};
use super::form::Kind;
use super::theme::Theme;
use super::view::centered;

/// Where the keys are going, which decides which keys matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Start,
    StartName,
    /// Typing the path of a plan to open (start screen).
    StartPath,
    Steps,
    Text,
    MultiText,
    Choice,
    Check,
    Table,
    /// A field with its own keys (the gap table, the chart).
    Custom(&'static [(&'static str, &'static str)]),
    /// The weekly review (F7): the keys of the item it shows.
    Review(&'static [(&'static str, &'static str)]),
    View,
    RowPopup,
    Confirm,
    Problems,
    QuitFailed,
    Catalogue,
    Padre,
    Conflict,
    Export,
    Recovery,
}

pub fn context(app: &App) -> Context {
    match &app.screen {
        Screen::Start(s) => {
            if s.confirm_delete.is_some() {
                Context::Confirm
            } else if s.open_path.is_some() {
                Context::StartPath
            } else if s.typing() {
                Context::StartName
            } else {
                Context::Start
            }
        }
        Screen::Plan(s) => match &s.popup {
            Some(Popup::Row { .. }) => Context::RowPopup,
            Some(Popup::ConfirmDelete { .. }) => Context::Confirm,
            Some(Popup::Problems { .. }) => Context::Problems,
            Some(Popup::Catalogue(_)) => Context::Catalogue,
            Some(Popup::Padre(_)) => Context::Padre,
            Some(Popup::Export) => Context::Export,
            Some(Popup::Recovery(_)) => Context::Recovery,
            Some(Popup::QuitFailed { .. }) => Context::QuitFailed,
            Some(Popup::Conflict { .. }) => Context::Conflict,
            None if s.review.is_some() => {
                Context::Review(s.review.as_ref().map_or(&[], |r| r.keys()))
            }
            None if s.focus == Focus::Steps => Context::Steps,
            None => s
                .focused_field(|f| match f.kind {
                    Kind::Multi(_) => Context::MultiText,
                    Kind::Choice(_) => Context::Choice,
                    Kind::Check(_) => Context::Check,
                    Kind::Table(_) => Context::Table,
                    Kind::Custom(c) => Context::Custom(c.keys()),
                    _ => Context::Text,
                })
                .unwrap_or(Context::View),
        },
    }
}

/// `(keys, what they do)` for a context: the first few are the hint bar.
pub fn keys(
    context: Context,
    table_extra: Option<(char, &'static str)>,
    table_views: bool,
) -> Vec<(String, String)> {
    let k = |keys: &str, what: &str| (keys.to_string(), t(what).to_string());
    let global = || {
        vec![
            k("Ctrl-S", "keys.save"),
            k("Ctrl-N/P", "keys.next_step"),
            k("Esc", "keys.to_steps"),
            k("F1", "keys.help"),
            k("F7", "keys.review"),
            k("Ctrl-Q", "keys.quit"),
            k("Alt-1…0", "keys.jump"),
            k("F2", "keys.problems"),
            k("F3", "keys.guide"),
            k("F4", "keys.padre"),
            k("Ctrl-E", "keys.export"),
            k("F9", "keys.language"),
            k("Ctrl-Z", "keys.undo"),
            k("Ctrl-Y", "keys.redo"),
        ]
    };
    let mut out = match context {
        Context::Start => vec![
            k("↑↓", "keys.choose"),
            k("Enter", "keys.open"),
            k("r", "keys.review"),
            k("n", "keys.new_plan"),
            k("e", "keys.example"),
            k("o", "keys.open_path"),
            k("d", "keys.delete_plan"),
            k("q", "keys.quit"),
            k("F1", "keys.help"),
            k("F6", "theme.key"),
            k("F9", "keys.language"),
        ],
        Context::StartPath => vec![k("Enter", "keys.open"), k("Esc", "keys.cancel")],
        Context::StartName => vec![
            k("Enter", "keys.create"),
            k("Tab", "keys.toggle_example"),
            k("Esc", "keys.cancel"),
        ],
        Context::Steps => {
            let mut v = vec![
                k("↑↓", "keys.choose"),
                k("Enter", "keys.open_step"),
                k("1…9 0", "keys.jump"),
            ];
            v.extend(global());
            v
        }
        Context::Text => {
            let mut v = vec![
                k("Tab/Shift-Tab", "keys.fields"),
                k("Enter", "keys.next_field"),
            ];
            v.extend(global());
            v.push(k("Ctrl-W", "keys.delete_word"));
            v
        }
        Context::MultiText => {
            let mut v = vec![
                k("Tab/Shift-Tab", "keys.fields"),
                k("Enter", "keys.newline"),
            ];
            v.extend(global());
            v
        }
        Context::Choice => {
            let mut v = vec![
                k("←→/Space", "keys.cycle"),
                k("Tab", "keys.fields"),
                k("Del", "keys.clear_choice"),
            ];
            v.extend(global());
            v
        }
        Context::Check => {
            let mut v = vec![k("Space", "keys.toggle"), k("Tab", "keys.fields")];
            v.extend(global());
            v
        }
        Context::Table => {
            let mut v = vec![
                k("↑↓", "keys.rows"),
                k("Enter", "keys.edit_row"),
                k("a", "keys.add_row"),
                k("Del", "keys.delete_row"),
                k("Tab", "keys.fields"),
                k("Shift-↑↓", "keys.move_row"),
                k("Space", "keys.toggle_row"),
            ];
            if let Some((c, key)) = table_extra {
                v.insert(4, (c.to_string(), t(key).to_string()));
            }
            if table_views {
                v.insert(4, ("v".to_string(), t("keys.views").to_string()));
            }
            v.extend(global());
            v
        }
        Context::Custom(own) => {
            let mut v: Vec<(String, String)> = own.iter().map(|(k2, w)| k(k2, w)).collect();
            v.push(k("Tab/Shift-Tab", "keys.fields"));
            v.extend(global());
            v
        }
        Context::Review(own) => {
            let mut v: Vec<(String, String)> = own.iter().map(|(k2, w)| k(k2, w)).collect();
            v.push(k("Ctrl-S", "keys.save"));
            v.push(k("Ctrl-Q", "keys.quit"));
            v.push(k("F1", "keys.help"));
            v
        }
        Context::View => {
            let mut v = vec![k("↑↓ PgUp/PgDn", "keys.scroll")];
            v.extend(global());
            v
        }
        Context::RowPopup => vec![
            k("Tab/Shift-Tab", "keys.fields"),
            k("Enter", "keys.next_field"),
            k("Esc", "keys.cancel_row"),
            k("Ctrl-S", "keys.save"),
            k("F1", "keys.help"),
            k("Ctrl-Z", "keys.undo"),
            k("Ctrl-Y", "keys.redo"),
        ],
        Context::Confirm => vec![k("y/Enter", "keys.yes_delete"), k("n/Esc", "keys.cancel")],
        Context::Problems => vec![k("↑↓", "keys.scroll"), k("Esc", "keys.close")],
        Context::Recovery => vec![
            k("r", "keys.recover"),
            k("d", "keys.discard_recovery"),
            k("s", "keys.save_recovery"),
        ],
        Context::Export => vec![
            k("m", "keys.export_md"),
            k("h", "keys.export_html"),
            k("j", "keys.export_json"),
            k("c", "keys.export_csv"),
            k("Esc", "keys.cancel"),
        ],
        Context::Conflict => vec![
            k("k", "keys.keep_mine"),
            k("r", "keys.reload_theirs"),
            k("a", "keys.save_as_copy"),
            k("Esc", "keys.cancel"),
        ],
        Context::Padre => vec![
            k("↑↓", "keys.choose"),
            k("Enter", "keys.go_to_step"),
            k("Esc", "keys.close"),
        ],
        Context::Catalogue => vec![
            k(t("keys.type"), "keys.search"),
            k("↑↓", "keys.choose"),
            k("Enter", "keys.add_kpi"),
            k("Tab", "keys.grouping"),
            k("Esc", "keys.close"),
        ],
        Context::QuitFailed => vec![
            k("r", "keys.retry"),
            k("d", "keys.discard_quit"),
            k("Esc", "keys.cancel"),
        ],
    };
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

fn table_extra(app: &App) -> Option<(char, &'static str)> {
    let Screen::Plan(s) = &app.screen else {
        return None;
    };
    s.focused_field(|f| match &f.kind {
        Kind::Table(spec) => spec.extra.map(|(c, key, _)| (c, key)),
        _ => None,
    })
    .flatten()
}

fn table_views(app: &App) -> bool {
    let Screen::Plan(s) = &app.screen else {
        return false;
    };
    s.focused_field(|f| matches!(&f.kind, Kind::Table(spec) if !spec.views.is_empty()))
        .unwrap_or(false)
}

/// The hint bar: the keys of the current context.
pub fn hints(app: &App) -> Vec<(String, String)> {
    keys(context(app), table_extra(app), table_views(app))
}

/// The help overlay: every key of the current screen.
pub fn draw(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let rect = centered(area, 76, area.height.saturating_sub(2));
    Clear.render(rect, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus_border())
        .title(Line::styled(
            format!(" {} ", t("help.title")),
            theme.title(),
        ))
        .title_bottom(Line::styled(format!(" {} ", t("help.close")), theme.dim()));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let mut lines = vec![Line::styled(t("help.here").to_string(), theme.title())];
    for (key, what) in hints(app) {
        lines.push(Line::from(vec![
            Span::styled(format!("  {key:<16}"), theme.hint_key()),
            Span::raw(what),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        t("help.everywhere").to_string(),
        theme.title(),
    ));
    for (key, what) in [
        ("F1 / ?", "keys.help"),
        ("Ctrl-S", "keys.save"),
        ("Ctrl-Q / Ctrl-C", "keys.quit_saving"),
        ("Ctrl-N / Ctrl-P", "keys.next_step"),
        ("Alt-1 … Alt-0", "keys.jump"),
        ("Esc", "keys.to_steps"),
        ("F2", "keys.problems"),
        ("F3", "keys.guide"),
        ("F4", "keys.padre"),
        ("F7", "keys.review"),
        ("Ctrl-E", "keys.export"),
        ("Ctrl-Z", "keys.undo"),
        ("Ctrl-Y", "keys.redo"),
        ("F6", "theme.key"),
        ("F9", "keys.language"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("  {key:<16}"), theme.hint_key()),
            Span::raw(t(what).to_string()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(t("help.note").to_string(), theme.dim()));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
