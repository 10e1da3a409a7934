//! User-visible text, looked up by key in `assets/locales/<lang>.toml`.
//!
//! The locale files are embedded in the binary and flattened into dotted keys
//! (`[step.research] title = "…"` becomes `step.research.title`). Code never
//! holds user-visible sentences; it asks for them here. A key missing from the
//! chosen language falls back to English, and a key missing from English shows
//! itself, so a gap is visible instead of silent (a test keeps English whole).

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

const EN: &str = include_str!("../assets/locales/en.toml");

/// A language rumbo can speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
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
}

struct Texts {
    lang: Lang,
    chosen: HashMap<String, String>,
    english: HashMap<String, String>,
}

static TEXTS: OnceLock<Texts> = OnceLock::new();

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

fn locale_source(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::En => Some(EN),
        // The Spanish locale is not written yet: English is used meanwhile.
        Lang::Es => None,
    }
}

fn build(lang: Lang) -> Texts {
    let english = parse_locale(EN);
    let chosen = match locale_source(lang) {
        Some(src) if lang != Lang::En => parse_locale(src),
        _ => HashMap::new(),
    };
    Texts {
        lang,
        chosen,
        english,
    }
}

/// Chooses the language once, at start-up. Later calls are ignored.
pub fn init(lang: Lang) {
    let _ = TEXTS.set(build(lang));
}

fn texts() -> &'static Texts {
    TEXTS.get_or_init(|| build(Lang::En))
}

/// The language in force.
pub fn lang() -> Lang {
    texts().lang
}

/// The text for `key`.
pub fn t(key: &str) -> &'static str {
    let texts = texts();
    if let Some(s) = texts.chosen.get(key) {
        return s.as_str();
    }
    match texts.english.get(key) {
        Some(s) => s.as_str(),
        None => {
            // Visible, never a panic: the key itself.
            let leaked: &'static str = Box::leak(key.to_string().into_boxed_str());
            leaked
        }
    }
}

/// True when English has `key`.
pub fn has(key: &str) -> bool {
    texts().english.contains_key(key)
}

/// The text for `key` with `{name}` placeholders filled in.
pub fn tf(key: &str, args: &[(&str, &dyn Display)]) -> String {
    fill(t(key), args)
}

/// Fills `{name}` placeholders of `template`.
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// Every key of the English locale (for tests and tooling).
pub fn english_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = texts().english.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_read_from_lang_variables() {
        assert_eq!(Lang::from_tag("es_ES.UTF-8"), Some(Lang::Es));
        assert_eq!(Lang::from_tag("en"), Some(Lang::En));
        assert_eq!(Lang::from_tag("C"), None);
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill("{a} and {b}", &[("a", &1), ("b", &"two")]),
            "1 and two"
        );
    }
}
