//! Named actions and the keys that trigger them: the defaults shipped in
//! `assets/keymap.toml`, a preset laid over them, and the user's `[keys]`
//! from `config.toml` (see [`crate::config`]).
//!
//! This is the one place that says which key does which app-level command;
//! the TUI asks it for the action of a key, and the hint bar and the help
//! overlay ask it for the keys of an action. Text-field editing keys (arrows,
//! Backspace, Home/End, Enter, Tab) are never here and can never be bound.
//! Nothing here reads files or draws.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::{t, tf};
use crate::plan::Severity;
use crate::store::Diagnostic;

/// The shipped defaults and presets.
pub const ASSET: &str = include_str!("../assets/keymap.toml");

/// The presets a config can pick (`preset = "vim"`).
pub const PRESETS: [&str; 2] = ["default", "vim"];

/// A command a key can be bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Save,
    Quit,
    NextStep,
    PrevStep,
    StepList,
    Help,
    Problems,
    Guide,
    Padre,
    Export,
    Theme,
    Language,
    Review,
    Undo,
    Redo,
    Search,
    Copy,
    /// Open the focused text field in the user's editor ($VISUAL/$EDITOR).
    EditField,
    /// Open the whole plan file in the user's editor.
    EditPlan,
    /// Go to step `n` (0-based).
    Step(u8),
    AddRow,
    DeleteRow,
    ChangeView,
    RowDown,
    RowUp,
    FirstRow,
    LastRow,
    PageDown,
    PageUp,
}

impl Action {
    /// Every action, in the order the help lists them.
    pub fn all() -> Vec<Action> {
        let mut v = vec![
            Action::Save,
            Action::Quit,
            Action::NextStep,
            Action::PrevStep,
            Action::StepList,
            Action::Help,
            Action::Problems,
            Action::Guide,
            Action::Padre,
            Action::Export,
            Action::Theme,
            Action::Language,
            Action::Review,
            Action::Undo,
            Action::Redo,
            Action::Search,
            Action::Copy,
            Action::EditField,
            Action::EditPlan,
        ];
        v.extend((0..10).map(Action::Step));
        v.extend([
            Action::AddRow,
            Action::DeleteRow,
            Action::ChangeView,
            Action::RowDown,
            Action::RowUp,
            Action::FirstRow,
            Action::LastRow,
            Action::PageDown,
            Action::PageUp,
        ]);
        v
    }

    /// The name used in `keymap.toml` and `config.toml`.
    pub fn name(self) -> String {
        match self {
            Action::Save => "save".into(),
            Action::Quit => "quit".into(),
            Action::NextStep => "next_step".into(),
            Action::PrevStep => "prev_step".into(),
            Action::StepList => "step_list".into(),
            Action::Help => "help".into(),
            Action::Problems => "problems".into(),
            Action::Guide => "guide".into(),
            Action::Padre => "padre".into(),
            Action::Export => "export".into(),
            Action::Theme => "theme".into(),
            Action::Language => "language".into(),
            Action::Review => "review".into(),
            Action::Undo => "undo".into(),
            Action::Redo => "redo".into(),
            Action::Search => "search".into(),
            Action::Copy => "copy".into(),
            Action::EditField => "edit_field".into(),
            Action::EditPlan => "edit_plan".into(),
            Action::Step(n) => format!("step_{}", n + 1),
            Action::AddRow => "add_row".into(),
            Action::DeleteRow => "delete_row".into(),
            Action::ChangeView => "change_view".into(),
            Action::RowDown => "row_down".into(),
            Action::RowUp => "row_up".into(),
            Action::FirstRow => "first_row".into(),
            Action::LastRow => "last_row".into(),
            Action::PageDown => "page_down".into(),
            Action::PageUp => "page_up".into(),
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::all().into_iter().find(|a| a.name() == name)
    }

    /// Actions of tables and lists: they fire only when the focus is on one,
    /// so they never take a key from a text field.
    pub fn in_lists(self) -> bool {
        matches!(
            self,
            Action::AddRow
                | Action::DeleteRow
                | Action::ChangeView
                | Action::RowDown
                | Action::RowUp
                | Action::FirstRow
                | Action::LastRow
                | Action::PageDown
                | Action::PageUp
        )
    }

    /// For a move in a list: the key that list already understands.
    pub fn as_move(self) -> Option<KeyCode> {
        Some(match self {
            Action::RowDown => KeyCode::Down,
            Action::RowUp => KeyCode::Up,
            Action::FirstRow => KeyCode::Home,
            Action::LastRow => KeyCode::End,
            Action::PageDown => KeyCode::PageDown,
            Action::PageUp => KeyCode::PageUp,
            _ => return None,
        })
    }
}

/// A key with its modifiers, as bound: Shift is folded into the character
/// (`G`, `?`), and a Ctrl letter is lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                let shifted = mods.contains(KeyModifiers::SHIFT);
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else if shifted {
                    KeyCode::Char(c.to_uppercase().next().unwrap_or(c))
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    pub fn of(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// Parses a key name: `ctrl-s`, `alt-1`, `f2`, `esc`, `delete`, `?`, `G`.
    pub fn parse(name: &str) -> Option<Key> {
        let mut rest = name.trim();
        let mut mods = KeyModifiers::NONE;
        'prefixes: loop {
            for (prefix, m) in [
                ("ctrl-", KeyModifiers::CONTROL),
                ("alt-", KeyModifiers::ALT),
                ("shift-", KeyModifiers::SHIFT),
            ] {
                if rest.len() > prefix.len()
                    && rest.is_char_boundary(prefix.len())
                    && rest[..prefix.len()].eq_ignore_ascii_case(prefix)
                {
                    mods |= m;
                    rest = &rest[prefix.len()..];
                    continue 'prefixes;
                }
            }
            break;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() && c != ' ' => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "esc" | "escape" => KeyCode::Esc,
                "enter" | "return" => KeyCode::Enter,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "space" => KeyCode::Char(' '),
                f if f.len() >= 2 && f.starts_with('f') => {
                    let n: u8 = f[1..].parse().ok()?;
                    if !(1..=12).contains(&n) {
                        return None;
                    }
                    KeyCode::F(n)
                }
                _ => return None,
            },
        };
        Some(Key::new(code, mods))
    }

    /// Without Ctrl or Alt, a character (or Delete/Insert) is typing: such a
    /// binding acts only where the focus is not in a text field.
    pub fn is_typing(&self) -> bool {
        let chord = self
            .mods
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        !chord
            && matches!(
                self.code,
                KeyCode::Char(_) | KeyCode::Delete | KeyCode::Insert
            )
    }

    /// Keys that move between and inside fields: never bindable.
    fn is_reserved(&self) -> bool {
        let plain = !self
            .mods
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match self.code {
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Enter | KeyCode::Backspace => true,
            KeyCode::Up | KeyCode::Down => {
                !self.mods.contains(KeyModifiers::CONTROL)
                    || self.mods.contains(KeyModifiers::SHIFT)
            }
            KeyCode::Left
            | KeyCode::Right
            | KeyCode::Home
            | KeyCode::End
            | KeyCode::PageUp
            | KeyCode::PageDown => true,
            KeyCode::Char(' ') => plain,
            _ => false,
        }
    }

    /// Letters and digits that steps (table extras, the chart), the step
    /// list and the start screen use for their own commands. A list action
    /// acts only in tables and lists, so it may take the start screen's.
    fn belongs_to_steps(&self, in_lists: bool) -> bool {
        let taken = if in_lists { "sxcqm" } else { "sxcqmneordjk" };
        self.is_typing()
            && matches!(self.code, KeyCode::Char(c) if taken.contains(c) || c.is_ascii_digit())
    }

    /// How the key is shown: `Ctrl-S`, `F1`, `Alt-1`, `Del`, `?`, `G`.
    pub fn label(&self) -> String {
        let mut out = String::new();
        let chord = self
            .mods
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("Space"),
            KeyCode::Char(c) if chord => out.extend(c.to_uppercase()),
            KeyCode::Char(c) => out.push(c),
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            KeyCode::Esc => out.push_str("Esc"),
            KeyCode::Enter => out.push_str("Enter"),
            KeyCode::Tab => out.push_str("Tab"),
            KeyCode::BackTab => out.push_str("Shift-Tab"),
            KeyCode::Backspace => out.push_str("Backspace"),
            KeyCode::Delete => out.push_str("Del"),
            KeyCode::Insert => out.push_str("Ins"),
            KeyCode::Home => out.push_str("Home"),
            KeyCode::End => out.push_str("End"),
            KeyCode::PageUp => out.push_str("PgUp"),
            KeyCode::PageDown => out.push_str("PgDn"),
            KeyCode::Up => out.push('↑'),
            KeyCode::Down => out.push('↓'),
            KeyCode::Left => out.push('←'),
            KeyCode::Right => out.push('→'),
            other => out.push_str(&format!("{other:?}")),
        }
        out
    }
}

/// Which key does which action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMap {
    bindings: BTreeMap<Action, Vec<Key>>,
    by_key: HashMap<Key, Action>,
    preset: String,
}

impl Default for KeyMap {
    /// The shipped defaults: the keys of the key contract.
    fn default() -> KeyMap {
        KeyMap::preset("default").expect("the shipped keymap is valid")
    }
}

/// The bindings of a section of `assets/keymap.toml`.
fn asset_section(name: &str) -> Option<BTreeMap<Action, Vec<Key>>> {
    let doc: toml::Table = toml::from_str(ASSET).expect("assets/keymap.toml is valid TOML");
    let section = doc.get(name)?.as_table()?;
    let mut out = BTreeMap::new();
    for (action, keys) in section {
        let action = Action::from_name(action).expect("assets/keymap.toml names actions");
        let keys = keys
            .as_array()
            .expect("assets/keymap.toml lists keys")
            .iter()
            .map(|k| Key::parse(k.as_str().unwrap_or_default()).expect("a key name"))
            .collect();
        out.insert(action, keys);
    }
    Some(out)
}

impl KeyMap {
    /// The defaults with preset `name` laid over them.
    pub fn preset(name: &str) -> Option<KeyMap> {
        let mut bindings = asset_section("default")?;
        if name != "default" {
            bindings.extend(asset_section(name)?);
        }
        let mut map = KeyMap {
            bindings,
            by_key: HashMap::new(),
            preset: name.to_string(),
        };
        map.index();
        Some(map)
    }

    fn index(&mut self) {
        self.by_key.clear();
        for (action, keys) in &self.bindings {
            for key in keys {
                self.by_key.entry(*key).or_insert(*action);
            }
        }
    }

    pub fn preset_name(&self) -> &str {
        &self.preset
    }

    /// The action bound to a key press, if any.
    pub fn action(&self, key: &KeyEvent) -> Option<Action> {
        self.by_key.get(&Key::of(key)).copied()
    }

    /// The keys bound to an action, first one first.
    pub fn keys(&self, action: Action) -> &[Key] {
        self.bindings.get(&action).map_or(&[], Vec::as_slice)
    }

    /// The first key of an action, as shown in the hint bar.
    pub fn first(&self, action: Action) -> Option<String> {
        self.keys(action).first().map(Key::label)
    }

    /// Every key of an action: `Ctrl-Q / Ctrl-C`.
    pub fn all_labels(&self, action: Action) -> Option<String> {
        let keys = self.keys(action);
        (!keys.is_empty()).then(|| keys.iter().map(Key::label).collect::<Vec<_>>().join(" / "))
    }

    /// Next and previous step together: `Ctrl-N/P` when both are Ctrl and a
    /// letter, else `F8/F7`; `sep` goes between (`/` or ` / `).
    pub fn step_pair(&self, sep: &str, short: bool) -> Option<String> {
        let next = self.keys(Action::NextStep).first();
        let prev = self.keys(Action::PrevStep).first();
        match (next, prev) {
            (Some(n), Some(p)) => {
                let ctrl_letters = n.mods == KeyModifiers::CONTROL
                    && p.mods == KeyModifiers::CONTROL
                    && matches!((n.code, p.code), (KeyCode::Char(_), KeyCode::Char(_)));
                if short && ctrl_letters {
                    let KeyCode::Char(pc) = p.code else {
                        unreachable!("checked above")
                    };
                    Some(format!("{}/{}", n.label(), pc.to_ascii_uppercase()))
                } else {
                    Some(format!("{}{sep}{}", n.label(), p.label()))
                }
            }
            (Some(n), None) => Some(n.label()),
            (None, Some(p)) => Some(p.label()),
            (None, None) => None,
        }
    }

    /// The go-to-step keys together: `Alt-1…0` (short) or `Alt-1 … Alt-0`.
    pub fn jump_range(&self, short: bool) -> Option<String> {
        let first = self.keys(Action::Step(0)).first()?;
        let last = self.keys(Action::Step(9)).first()?;
        let alt_digits = (0..10u8).all(|n| {
            self.keys(Action::Step(n)).first()
                == Some(&Key::new(
                    KeyCode::Char(char::from(b'0' + (n + 1) % 10)),
                    KeyModifiers::ALT,
                ))
        });
        Some(if short && alt_digits {
            "Alt-1…0".to_string()
        } else {
            format!("{} … {}", first.label(), last.label())
        })
    }

    /// Two list moves as one label, `j/k`, if either is bound.
    pub fn pair(&self, a: Action, b: Action) -> Option<String> {
        match (self.first(a), self.first(b)) {
            (Some(x), Some(y)) => Some(format!("{x}/{y}")),
            (x, y) => x.or(y),
        }
    }
}

/// The outcome of reading a `[keys]` table: the key map to use and the
/// problems found. With any error the map is the defaults.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub keymap: KeyMap,
    pub problems: Vec<Diagnostic>,
}

/// Builds the key map from a config file's text. `text` is the whole file
/// (for locations); only its `[keys]` table is read here.
pub fn from_config(path: &Path, text: &str) -> Loaded {
    let mut problems = Vec::new();
    let keymap = build(path, text, &mut problems);
    let failed = problems.iter().any(|p| p.severity == Severity::Error);
    Loaded {
        keymap: if failed {
            KeyMap::default()
        } else {
            keymap.unwrap_or_default()
        },
        problems,
    }
}

fn build(path: &Path, text: &str, problems: &mut Vec<Diagnostic>) -> Option<KeyMap> {
    let err = |offset: usize, message: String| {
        Diagnostic::at(Severity::Error, path, text, offset, message)
    };
    let doc = match toml_edit::Document::parse(text.to_string()) {
        Ok(doc) => doc,
        Err(e) => {
            let detail = e.message().lines().next().unwrap_or_default().to_string();
            let message = tf("load.syntax", &[("detail", &detail)]);
            problems.push(match e.span() {
                Some(span) => err(span.start, message),
                None => Diagnostic::whole_file(Severity::Error, path, message),
            });
            return None;
        }
    };
    let start = |span: Option<std::ops::Range<usize>>| span.map_or(0, |s| s.start);
    let root = doc.as_table();
    for (name, _) in root.iter() {
        if name != "keys" {
            let (key, _) = root.get_key_value(name).expect("iterated");
            problems.push(err(
                start(key.span()),
                tf("keymap.unknown_section", &[("name", &name)]),
            ));
        }
    }
    let Some(item) = root.get("keys") else {
        return Some(KeyMap::default());
    };
    let Some(keys) = item.as_table_like() else {
        problems.push(err(start(item.span()), t("keymap.not_table").to_string()));
        return None;
    };

    // The preset first, wherever it is written.
    let mut map = KeyMap::default();
    if let Some(preset) = keys.get("preset") {
        match preset.as_str() {
            Some(name) if PRESETS.contains(&name) => {
                map = KeyMap::preset(name).expect("a shipped preset");
            }
            _ => {
                let shown = preset
                    .as_str()
                    .map_or_else(|| preset.to_string().trim().to_string(), str::to_string);
                problems.push(err(
                    start(preset.span()),
                    tf("keymap.unknown_preset", &[("name", &shown)]),
                ));
            }
        }
    }

    // The user's bindings, each with where it is written.
    let mut own: Vec<(Action, Key, usize, String)> = Vec::new();
    for (name, value) in keys.iter() {
        if name == "preset" {
            continue;
        }
        let key_at = keys.get_key_value(name).map_or(0, |(k, _)| start(k.span()));
        let Some(action) = Action::from_name(name) else {
            let list = Action::all()
                .iter()
                .map(|a| a.name())
                .collect::<Vec<_>>()
                .join(", ");
            problems.push(
                err(key_at, tf("keymap.unknown_action", &[("name", &name)]))
                    .with_hint(Some(tf("keymap.actions_hint", &[("list", &list)]))),
            );
            continue;
        };
        let strings: Vec<(String, usize)> = if let Some(s) = value.as_str() {
            vec![(s.to_string(), start(value.span()))]
        } else if let Some(array) = value.as_array() {
            let mut v = Vec::new();
            for element in array.iter() {
                match element.as_str() {
                    Some(s) => v.push((s.to_string(), start(element.span()))),
                    None => {
                        problems.push(err(start(element.span()), t("keymap.not_keys").into()));
                    }
                }
            }
            v
        } else {
            problems.push(err(start(value.span()), t("keymap.not_keys").into()));
            continue;
        };
        let mut bound = Vec::new();
        for (name, at) in strings {
            // The caret goes on the name, inside the quotes.
            let at = at + 1;
            let Some(key) = Key::parse(&name) else {
                problems.push(
                    err(at, tf("keymap.unknown_key", &[("key", &name)]))
                        .with_hint(Some(t("keymap.key_hint").to_string())),
                );
                continue;
            };
            if key.is_reserved() {
                problems.push(err(at, tf("keymap.reserved", &[("key", &key.label())])));
                continue;
            }
            if key.belongs_to_steps(action.in_lists()) {
                problems.push(err(at, tf("keymap.step_letter", &[("key", &key.label())])));
                continue;
            }
            if !bound.contains(&key) {
                bound.push(key);
                own.push((action, key, at, name));
            }
        }
        map.bindings.insert(action, bound);
    }

    // A key may do one thing only. The user's bindings are checked against
    // everything else, in the order they are written.
    let mut taken: HashMap<Key, Action> = HashMap::new();
    let users: std::collections::HashSet<(Action, Key)> =
        own.iter().map(|(a, k, _, _)| (*a, *k)).collect();
    for (action, keys) in &map.bindings {
        for key in keys {
            if !users.contains(&(*action, *key)) {
                taken.entry(*key).or_insert(*action);
            }
        }
    }
    for (action, key, at, _) in &own {
        match taken.get(key) {
            Some(other) if other != action => {
                problems.push(
                    err(
                        *at,
                        tf(
                            "keymap.twice",
                            &[
                                ("key", &key.label()),
                                ("first", &other.name()),
                                ("second", &action.name()),
                            ],
                        ),
                    )
                    .with_hint(Some(t("keymap.twice_hint").to_string())),
                );
            }
            _ => {
                taken.insert(*key, *action);
            }
        }
    }
    map.index();
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Loaded {
        from_config(Path::new("config.toml"), text)
    }

    #[test]
    fn the_shipped_keymap_and_presets_have_no_conflicts() {
        for name in PRESETS {
            let map = KeyMap::preset(name).unwrap();
            let total: usize = map.bindings.values().map(Vec::len).sum();
            assert_eq!(map.by_key.len(), total, "a key bound twice in {name}");
            for key in map.by_key.keys() {
                assert!(!key.is_reserved(), "{name} binds {key:?}");
            }
        }
    }

    #[test]
    fn key_names_parse_and_label_round_trip() {
        for (name, label) in [
            ("ctrl-s", "Ctrl-S"),
            ("Ctrl-S", "Ctrl-S"),
            ("alt-0", "Alt-0"),
            ("f12", "F12"),
            ("esc", "Esc"),
            ("delete", "Del"),
            ("?", "?"),
            ("G", "G"),
            ("shift-g", "G"),
            ("ctrl--", "Ctrl--"),
            ("ctrl-alt-x", "Ctrl-Alt-X"),
        ] {
            let key = Key::parse(name).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(key.label(), label);
            assert_eq!(Key::parse(&key.label()), Some(key), "{name}");
        }
        for bad in ["", "ctrl-", "f13", "f0", "hyper-x", "pgup-x", "ab"] {
            assert_eq!(Key::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn events_match_bindings_whatever_the_terminal_sends_with_shift() {
        let map = KeyMap::preset("vim").unwrap();
        let shifted_g = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(map.action(&shifted_g), Some(Action::LastRow));
        let question = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(map.action(&question), Some(Action::Help));
        let ctrl_upper = KeyEvent::new(
            KeyCode::Char('S'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(map.action(&ctrl_upper), Some(Action::Save));
    }

    #[test]
    fn overrides_replace_an_actions_keys_and_a_preset_adds_moves() {
        let loaded = load(
            "[keys]\npreset = \"vim\"\nsave = [\"ctrl-s\", \"f10\"]\nnext_step = \"ctrl-j\"\n",
        );
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let map = loaded.keymap;
        assert_eq!(map.all_labels(Action::Save).unwrap(), "Ctrl-S / F10");
        assert_eq!(map.first(Action::NextStep).unwrap(), "Ctrl-J");
        assert_eq!(
            map.action(&KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(map.first(Action::RowDown).unwrap(), "j");
        assert_eq!(map.preset_name(), "vim");
    }

    fn only_problem(text: &str) -> Diagnostic {
        let loaded = load(text);
        assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
        assert_eq!(loaded.keymap, KeyMap::default(), "errors fall back");
        loaded.problems[0].clone()
    }

    #[test]
    fn each_mistake_is_located() {
        let p = only_problem("[keys]\nsave = \"ctrl-s\"\nsavve = \"f10\"\n");
        assert_eq!((p.line, p.col), (3, 1));
        assert!(p.message.contains("savve"), "{}", p.message);

        let p = only_problem("[keys]\nsave = [\"ctrl-s\", \"ctrl-shoe\"]\n");
        assert_eq!((p.line, p.col), (2, 20));
        assert!(p.message.contains("ctrl-shoe"), "{}", p.message);

        let p = only_problem("[keys]\nsave = \"ctrl-e\"\n");
        assert_eq!((p.line, p.col), (2, 9));
        assert!(p.message.contains("export") && p.message.contains("save"));

        let p = only_problem("[keys]\nsave = \"tab\"\n");
        assert_eq!((p.line, p.col), (2, 9));

        let p = only_problem("[keys]\nsave = \"s\"\n");
        assert_eq!((p.line, p.col), (2, 9));

        let p = only_problem("[keys]\npreset = \"emacs\"\n");
        assert_eq!((p.line, p.col), (2, 10));

        let p = only_problem("[keys]\nsave = 3\n");
        assert_eq!((p.line, p.col), (2, 8));

        let p = only_problem("[colours]\nx = 1\n");
        assert_eq!((p.line, p.col), (1, 2));

        let p = only_problem("[keys]\nsave = \"ctrl-s\n");
        assert_eq!(p.line, 2);
    }

    #[test]
    fn rebinding_both_sides_of_a_swap_is_fine() {
        let loaded = load("[keys]\nexport = \"ctrl-n\"\nnext_step = \"ctrl-e\"\n");
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        assert_eq!(loaded.keymap.first(Action::Export).unwrap(), "Ctrl-N");
    }

    #[test]
    fn hint_labels_of_the_defaults_are_the_familiar_ones() {
        let map = KeyMap::default();
        assert_eq!(map.step_pair("/", true).unwrap(), "Ctrl-N/P");
        assert_eq!(map.step_pair(" / ", false).unwrap(), "Ctrl-N / Ctrl-P");
        assert_eq!(map.jump_range(true).unwrap(), "Alt-1…0");
        assert_eq!(map.jump_range(false).unwrap(), "Alt-1 … Alt-0");
        assert_eq!(map.all_labels(Action::Help).unwrap(), "F1 / ?");
    }
}
