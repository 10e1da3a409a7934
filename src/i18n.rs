//! User-visible text, looked up by key in `assets/locales/<lang>.toml`.
//!
//! The locale files are embedded in the binary and flattened into dotted keys
//! (`[step.research] title = "…"` becomes `step.research.title`). Code never
//! holds user-visible sentences; it asks for them here. Both languages are
//! loaded, and the one in force can change while rumbo runs (`set_lang`, F9
//! in the wizard), so callers ask on every draw and never keep a text. A key
//! missing from the chosen language falls back to English, and a key missing
//! from English shows itself, so a gap is visible instead of silent (tests
//! keep English whole and both languages in step).
//!
//! Numbers and dates are shown per language too: see [`number`] and
//! [`date`]; serde's messages about a plan file's shape are said again from
//! the locale in [`decode`].

pub mod date;
pub mod decode;
pub mod number;

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt::Display;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU8, Ordering};

const EN: &str = include_str!("../assets/locales/en.toml");
const ES: &str = include_str!("../assets/locales/es.toml");

/// A language rumbo can speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    /// Every language, in the order F9 cycles through them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// Reads `en`, `es`, `es_ES.UTF-8`, …; `None` when not one we know.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['_', '-', '.', '@']).next().unwrap_or("");
        match primary {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The ISO 639-1 code (`en`, `es`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language after this one.
    pub fn next(self) -> Lang {
        match self {
            Lang::En => Lang::Es,
            Lang::Es => Lang::En,
        }
    }

    fn from_u8(v: u8) -> Lang {
        if v == 1 { Lang::Es } else { Lang::En }
    }

    fn as_u8(self) -> u8 {
        match self {
            Lang::En => 0,
            Lang::Es => 1,
        }
    }
}

/// The language of the whole program (English until `init`).
static CURRENT: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A language for this thread only, set by [`with_lang`]: tests run in
    /// parallel threads and must not change each other's language.
    static OVERRIDE: Cell<Option<Lang>> = const { Cell::new(None) };
}

static ENGLISH: LazyLock<HashMap<String, String>> = LazyLock::new(|| parse_locale(EN));
static SPANISH: LazyLock<HashMap<String, String>> = LazyLock::new(|| parse_locale(ES));

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => flatten(&full, t, out),
            toml::Value::String(s) => {
                out.insert(full, s.clone());
            }
            other => {
                out.insert(full, other.to_string());
            }
        }
    }
}

fn parse_locale(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    // The locale files are ours and tested; a broken one is a bug.
    let table: toml::Table = toml::from_str(text).expect("embedded locale file is valid TOML");
    flatten("", &table, &mut out);
    out
}

fn table(lang: Lang) -> &'static HashMap<String, String> {
    match lang {
        Lang::En => &ENGLISH,
        Lang::Es => &SPANISH,
    }
}

/// Chooses the language at start-up.
pub fn init(lang: Lang) {
    set_lang(lang);
}

/// Changes the language in force: for the whole program, or only for this
/// thread inside [`with_lang`].
pub fn set_lang(lang: Lang) {
    if OVERRIDE.with(Cell::get).is_some() {
        OVERRIDE.with(|o| o.set(Some(lang)));
    } else {
        CURRENT.store(lang.as_u8(), Ordering::Relaxed);
    }
}

/// The language in force.
pub fn lang() -> Lang {
    OVERRIDE
        .with(Cell::get)
        .unwrap_or_else(|| Lang::from_u8(CURRENT.load(Ordering::Relaxed)))
}

/// Runs `f` with `lang` in force on this thread only (for tests and tools);
/// the thread's previous language comes back afterwards, even on a panic.
pub fn with_lang<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            OVERRIDE.with(|o| o.set(self.0));
        }
    }
    let _restore = Restore(OVERRIDE.with(|o| o.replace(Some(lang))));
    f()
}

/// The text for `key`.
pub fn t(key: &str) -> &'static str {
    let lang = lang();
    if lang != Lang::En
        && let Some(s) = table(lang).get(key)
    {
        return s.as_str();
    }
    match ENGLISH.get(key) {
        Some(s) => s.as_str(),
        None => {
            // Visible, never a panic: the key itself.
            let leaked: &'static str = Box::leak(key.to_string().into_boxed_str());
            leaked
        }
    }
}

/// The text for `key` in `lang`, if that locale has it (no fallback).
pub fn t_in(lang: Lang, key: &str) -> Option<&'static str> {
    table(lang).get(key).map(String::as_str)
}

/// True when English has `key`.
pub fn has(key: &str) -> bool {
    ENGLISH.contains_key(key)
}

/// The text for `key` with `{name}` placeholders filled in.
pub fn tf(key: &str, args: &[(&str, &dyn Display)]) -> String {
    fill(t(key), args)
}

/// A count with its label, in the language's order: `2 overdue` in English,
/// `vencido: 2` in Spanish (so the label agrees with any number).
pub fn count(n: impl Display, what: &str) -> String {
    tf("ui.count", &[("n", &n), ("what", &what)])
}

/// The text for a count: `key.one` when `n` is 1, `key.other` otherwise
/// (English and Spanish both use the singular for exactly one), with `{n}`
/// and the other `{name}` placeholders filled in. A `("n", …)` in `args`
/// wins over the plain `n`, so a caller can pass a formatted number. When
/// the language lacks the form, English's is used; when English lacks it
/// too, the missing key shows itself (as with [`t`]).
pub fn tn(key: &str, n: u64, args: &[(&str, &dyn Display)]) -> String {
    let form = if n == 1 { "one" } else { "other" };
    let text = fill(t(&format!("{key}.{form}")), args);
    fill(&text, &[("n", &n)])
}

/// Fills `{name}` placeholders of `template`.
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// Every key of `lang`'s locale file, sorted (for tests and tooling).
pub fn keys(lang: Lang) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = table(lang).keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// Every key of the English locale (for tests and tooling).
pub fn english_keys() -> Vec<&'static str> {
    keys(Lang::En)
}

/// The `{name}` placeholders of a text, sorted and without repeats.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push(name);
        }
        rest = &after[close + 1..];
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_read_from_lang_variables() {
        assert_eq!(Lang::from_tag("es_ES.UTF-8"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("en"), Some(Lang::En));
        assert_eq!(Lang::from_tag("C"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill("{a} and {b}", &[("a", &1), ("b", &"two")]),
            "1 and two"
        );
    }

    #[test]
    fn plural_keys_choose_one_for_exactly_one_and_other_otherwise() {
        for lang in Lang::ALL {
            with_lang(lang, || {
                let one = t("search.count.one");
                let other = t("search.count.other");
                assert_ne!(one, other, "{lang:?}");
                assert_eq!(tn("search.count", 1, &[("n", &1)]), one.replace("{n}", "1"));
                for n in [0, 2, 5, 21] {
                    assert_eq!(
                        tn("search.count", n, &[("n", &n)]),
                        other.replace("{n}", &n.to_string()),
                        "{lang:?} {n}"
                    );
                }
            });
        }
        with_lang(Lang::En, || {
            assert!(tn("search.count", 1, &[("n", &1)]).starts_with("1 match:"));
            assert!(tn("search.count", 3, &[("n", &3)]).starts_with("3 matches:"));
        });
    }

    #[test]
    fn placeholders_are_found() {
        assert_eq!(placeholders("{b} to {a}, {b} {} {x y}"), vec!["a", "b"]);
    }

    #[test]
    fn the_language_switches_at_run_time_on_this_thread_only() {
        with_lang(Lang::En, || {
            assert_eq!(t("form.yes"), "yes");
            set_lang(Lang::Es);
            assert_eq!(lang(), Lang::Es);
            assert_eq!(t("form.yes"), "sí");
            // Another thread still has the program's language.
            let other = std::thread::spawn(|| OVERRIDE.with(Cell::get)).join();
            assert_eq!(other.unwrap(), None);
            with_lang(Lang::En, || assert_eq!(t("form.yes"), "yes"));
            assert_eq!(t("form.yes"), "sí");
        });
    }

    #[test]
    fn counts_choose_the_singular_for_one_and_the_plural_otherwise() {
        with_lang(Lang::En, || {
            assert_eq!(tn("export.late_count", 1, &[]), "1 action is overdue.");
            assert_eq!(tn("export.late_count", 3, &[]), "3 actions are overdue.");
            assert_eq!(tn("export.late_count", 0, &[]), "0 actions are overdue.");
            // A formatted number passed by the caller wins over the plain one.
            assert_eq!(
                tn("export.late_count", 1200, &[("n", &"1,200")]),
                "1,200 actions are overdue."
            );
            assert_eq!(tn("no.such.count", 2, &[]), "no.such.count.other");
        });
        with_lang(Lang::Es, || {
            assert_eq!(tn("export.late_count", 1, &[]), "1 acción está atrasada.");
            assert_eq!(
                tn("export.late_count", 2, &[]),
                "2 acciones están atrasadas."
            );
        });
    }

    #[test]
    fn a_key_spanish_lacks_falls_back_to_english_and_an_unknown_key_shows_itself() {
        with_lang(Lang::Es, || {
            assert_eq!(t("no.such.key"), "no.such.key");
            assert_eq!(t_in(Lang::Es, "no.such.key"), None);
            assert_eq!(t("app.name"), "rumbo");
        });
    }
}
