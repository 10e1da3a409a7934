//! The key-hint bar and the F1 help overlay. Both read the same table of
//! keys for the current context, so the help cannot drift from the hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::i18n::{t, tf};
use crate::keymap::{Action, KeyMap};

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
    /// The search prompt (Ctrl-F).
    Search,
    /// The plan came back from the editor unreadable.
    EditorError,
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
            Some(Popup::ConfirmDelete { .. } | Popup::DiscardRow(_)) => Context::Confirm,
            Some(Popup::Problems { .. }) => Context::Problems,
            Some(Popup::Catalogue(_)) => Context::Catalogue,
            Some(Popup::Padre(_)) => Context::Padre,
            Some(Popup::Export) => Context::Export,
            Some(Popup::Recovery(_)) => Context::Recovery,
            Some(Popup::QuitFailed { .. }) => Context::QuitFailed,
            Some(Popup::Conflict { .. }) => Context::Conflict,
            Some(Popup::Search) => Context::Search,
            Some(Popup::EditorError { .. }) => Context::EditorError,
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
    km: &KeyMap,
) -> Vec<(String, String)> {
    let k = |keys: &str, what: &str| (keys.to_string(), t(what).to_string());
    // The keys in force (defaults, preset, config.toml), never spelled here.
    let ak = |action: Action, what: &str| {
        let key = km
            .first(action)
            .unwrap_or_else(|| t("keymap.unbound").to_string());
        (key, t(what).to_string())
    };
    let rows = match km.pair(Action::RowDown, Action::RowUp) {
        Some(more) => format!("↑↓ {more}"),
        None => "↑↓".to_string(),
    };
    let global = || {
        [
            (km.first(Action::Save), "keys.save"),
            (km.step_pair("/", true), "keys.next_step"),
            (km.first(Action::StepList), "keys.to_steps"),
            (km.first(Action::Help), "keys.help"),
            (km.first(Action::Review), "keys.review"),
            (km.first(Action::Quit), "keys.quit"),
            (km.jump_range(true), "keys.jump"),
            (km.first(Action::Problems), "keys.problems"),
            (km.first(Action::Guide), "keys.guide"),
            (km.first(Action::Padre), "keys.padre"),
            (km.first(Action::Export), "keys.export"),
            (km.first(Action::Language), "keys.language"),
            (km.first(Action::Undo), "keys.undo"),
            (km.first(Action::Redo), "keys.redo"),
            (km.first(Action::Search), "keys.search_plan"),
            (km.first(Action::Copy), "keys.copy"),
            (km.first(Action::EditPlan), "keys.edit_plan"),
        ]
        .into_iter()
        .filter_map(|(key, what)| key.map(|key| (key, t(what).to_string())))
        .collect::<Vec<_>>()
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
            ak(Action::Help, "keys.help"),
            ak(Action::Theme, "theme.key"),
            ak(Action::Language, "keys.language"),
        ],
        Context::StartPath => vec![k("Enter", "keys.open"), k("Esc", "keys.cancel")],
        Context::StartName => vec![
            k("Enter", "keys.create"),
            k("Tab", "keys.toggle_example"),
            k("Esc", "keys.cancel"),
        ],
        Context::Steps => {
            let mut v = vec![
                k(&rows, "keys.choose"),
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
            v.push(ak(Action::EditField, "keys.edit_field"));
            v
        }
        Context::MultiText => {
            let mut v = vec![
                k("Tab/Shift-Tab", "keys.fields"),
                k("Enter", "keys.newline"),
            ];
            v.extend(global());
            // After saving: what the hint bar shows first.
            v.insert(3, ak(Action::EditField, "keys.edit_field"));
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
                k(&rows, "keys.rows"),
                k("Enter", "keys.edit_row"),
                ak(Action::AddRow, "keys.add_row"),
                ak(Action::DeleteRow, "keys.delete_row"),
                k("Tab", "keys.fields"),
                k("Shift-↑↓", "keys.move_row"),
                k("Space", "keys.toggle_row"),
            ];
            if let Some((c, key)) = table_extra {
                v.insert(4, (c.to_string(), t(key).to_string()));
            }
            if table_views {
                v.insert(4, ak(Action::ChangeView, "keys.views"));
            }
            v.extend(global());
            for (pair, what) in [
                (
                    km.pair(Action::FirstRow, Action::LastRow),
                    "keys.first_last",
                ),
                (km.pair(Action::PageDown, Action::PageUp), "keys.page"),
            ] {
                if let Some(pair) = pair {
                    v.push((pair, t(what).to_string()));
                }
            }
            v
        }
        Context::Custom(own) => {
            let mut v: Vec<(String, String)> = own.iter().map(|(k2, w)| k(k2, w)).collect();
            v.push(k("Tab/Shift-Tab", "keys.fields"));
            v.extend(global());
            v
        }
        Context::Review(own) => {
            // Saving is the key map's: its key is added below, as in force.
            let mut v: Vec<(String, String)> = own
                .iter()
                .filter(|(_, w)| *w != "keys.save")
                .map(|(k2, w)| k(k2, w))
                .collect();
            v.push(ak(Action::Save, "keys.save"));
            v.push(ak(Action::Quit, "keys.quit"));
            v.push(ak(Action::Help, "keys.help"));
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
            ak(Action::Save, "keys.save"),
            ak(Action::Help, "keys.help"),
            ak(Action::Undo, "keys.undo"),
            ak(Action::Redo, "keys.redo"),
        ],
        Context::Confirm => vec![
            k(
                &format!("{}/Enter", super::view::yes_key()),
                "keys.yes_delete",
            ),
            k("n/Esc", "keys.cancel"),
        ],
        Context::Problems => vec![k(&rows, "keys.scroll"), k("Esc", "keys.close")],
        Context::Recovery => vec![
            k("r", "keys.recover"),
            k("d", "keys.discard_recovery"),
            k("s", "keys.save_recovery"),
        ],
        Context::Search => vec![
            k(t("keys.type"), "keys.search"),
            k("↑↓", "keys.choose"),
            k("Enter", "keys.go_to_match"),
            ak(Action::Search, "keys.search_again"),
            k("Esc", "keys.close"),
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
            k(&rows, "keys.choose"),
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
        Context::EditorError => vec![
            k("e/Enter", "keys.edit_again"),
            k("d/Esc", "keys.discard_edit"),
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

/// Whether typing goes into a text where the keys are going (a field, a
/// prompt, a search): there a letter in the hint bar is not a button, since
/// pressing it would type it.
pub fn takes_text(app: &App) -> bool {
    match context(app) {
        Context::Text
        | Context::MultiText
        | Context::StartName
        | Context::StartPath
        | Context::Search
        | Context::Catalogue => true,
        Context::RowPopup => match &app.screen {
            Screen::Plan(s) => match &s.popup {
                Some(Popup::Row {
                    field, ctx, state, ..
                }) => super::app::table_row_form(s, *field, *ctx)
                    .and_then(|form| form.field(state.focus).map(super::form::Field::takes_text))
                    .unwrap_or(true),
                _ => true,
            },
            Screen::Start(_) => true,
        },
        Context::Review(_) => match &app.screen {
            Screen::Plan(s) => s.review.as_ref().is_some_and(|r| r.typing()),
            Screen::Start(_) => false,
        },
        _ => false,
    }
}

/// The hint bar: the keys of the current context.
pub fn hints(app: &App) -> Vec<(String, String)> {
    keys(
        context(app),
        table_extra(app),
        table_views(app),
        &app.keymap,
    )
}

/// The help overlay: every key of the current screen, scrolled by
/// `app.help_scroll` (the wheel); returns the scroll used (at most the end).
pub fn draw(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme) -> u16 {
    let rect = centered(area, 76, area.height.saturating_sub(2));
    let inner = super::view::keyed_popup_frame(rect, buf, theme, t("help.title"), t("help.close"));
    let mut lines = Vec::new();
    if let Some(problem) = &app.keymap_problem {
        lines.push(Line::styled(problem.clone(), theme.error()));
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(t("help.here").to_string(), theme.title()));
    // "Here" is the keys of this spot; the keys of every step are listed
    // once, under "Everywhere", so the overlay fits (View's own first entry,
    // the scroll keys, is not one of them).
    let everywhere: Vec<(String, String)> = keys(Context::View, None, false, &app.keymap)
        .into_iter()
        .skip(1)
        .collect();
    let here: Vec<(String, String)> = hints(app)
        .into_iter()
        .filter(|entry| !everywhere.contains(entry))
        .collect();
    for (key, what) in here {
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
    let km = &app.keymap;
    for (key, what) in [
        (km.all_labels(Action::Help), "keys.help"),
        (km.all_labels(Action::Save), "keys.save"),
        (km.all_labels(Action::Quit), "keys.quit_saving"),
        (km.step_pair(" / ", false), "keys.next_step"),
        (km.jump_range(false), "keys.jump"),
        (km.all_labels(Action::StepList), "keys.to_steps"),
        (km.all_labels(Action::Problems), "keys.problems"),
        (km.all_labels(Action::Guide), "keys.guide"),
        (km.all_labels(Action::Padre), "keys.padre"),
        (km.all_labels(Action::Review), "keys.review"),
        (km.all_labels(Action::Export), "keys.export"),
        (km.all_labels(Action::Undo), "keys.undo"),
        (km.all_labels(Action::Redo), "keys.redo"),
        (km.all_labels(Action::Search), "keys.search_plan"),
        (km.all_labels(Action::Copy), "keys.copy"),
        (km.all_labels(Action::EditField), "keys.edit_field_long"),
        (km.all_labels(Action::EditPlan), "keys.edit_plan"),
        (km.all_labels(Action::Theme), "theme.key"),
        (km.all_labels(Action::Language), "keys.language"),
    ] {
        let Some(key) = key else {
            continue;
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {key:<16}"), theme.hint_key()),
            Span::raw(t(what).to_string()),
        ]));
    }
    lines.push(Line::raw(""));
    let save = app
        .keymap
        .first(Action::Save)
        .unwrap_or_else(|| t("keymap.unbound").to_string());
    lines.push(Line::styled(
        tf("help.note", &[("save", &save)]),
        theme.dim(),
    ));
    lines.push(Line::styled(t("help.mouse").to_string(), theme.dim()));
    // How many rows the lines take once wrapped, to stop at the end.
    let rows: usize = lines
        .iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            super::text::wrap(&text, inner.width as usize).len()
        })
        .sum();
    let scroll = app
        .help_scroll
        .min((rows as u16).saturating_sub(inner.height));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(inner, buf);
    scroll
}
