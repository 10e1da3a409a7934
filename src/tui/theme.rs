//! Colours and text styles: every style the UI draws with comes from here.
//!
//! Three palettes — dark (the default), light and high contrast — chosen by
//! `--theme`, `RUMBO_THEME` or the terminal's background, and switchable with
//! `F6`. With colour off (`--no-color`, `NO_COLOR`) no cell gets a colour at
//! all, and focus, selection, statuses and problems stay visible through
//! bold, reverse video, underline, italics and the symbols the views draw.
//! Nothing outside this module names a `Color`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};

use crate::i18n::{t, tf};

/// The palettes rumbo ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ThemeKind {
    /// Light text on a dark background
    #[default]
    Dark,
    /// Dark text on a light background
    Light,
    /// White and bright colours on black, whatever the terminal's background
    HighContrast,
}

impl ThemeKind {
    pub const ALL: [ThemeKind; 3] = [ThemeKind::Dark, ThemeKind::Light, ThemeKind::HighContrast];

    /// The name used by `--theme` and `RUMBO_THEME`.
    pub fn key(self) -> &'static str {
        match self {
            ThemeKind::Dark => "dark",
            ThemeKind::Light => "light",
            ThemeKind::HighContrast => "high-contrast",
        }
    }

    /// Reads a theme name leniently (`High_Contrast`, `highcontrast`, …).
    pub fn from_name(name: &str) -> Option<ThemeKind> {
        let squashed: String = name
            .trim()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        ThemeKind::ALL
            .into_iter()
            .find(|k| k.key().replace('-', "") == squashed)
    }

    /// The next palette, in the order `F6` walks them.
    pub fn next(self) -> ThemeKind {
        match self {
            ThemeKind::Dark => ThemeKind::Light,
            ThemeKind::Light => ThemeKind::HighContrast,
            ThemeKind::HighContrast => ThemeKind::Dark,
        }
    }
}

/// The colours of one palette. `base` is painted under everything (only the
/// high-contrast palette owns the background).
struct Palette {
    base: Option<(Color, Color)>,
    title: Color,
    focus: Color,
    label: Color,
    dim: Color,
    selected: (Color, Color),
    selected_unfocused: (Color, Color),
    error: Color,
    warning: Color,
    ok: Color,
    header: (Color, Color),
    hint_key: Color,
}

/// The terminal's own 16 colours: they follow the user's terminal palette.
const DARK: Palette = Palette {
    base: None,
    title: Color::Cyan,
    focus: Color::Yellow,
    label: Color::Gray,
    dim: Color::DarkGray,
    selected: (Color::White, Color::Blue),
    selected_unfocused: (Color::Reset, Color::DarkGray),
    error: Color::Red,
    warning: Color::Yellow,
    ok: Color::Green,
    header: (Color::White, Color::Blue),
    hint_key: Color::Cyan,
};

/// Fixed 256-colour shades dark enough to read on white (the 16 named
/// colours are tuned for dark backgrounds in most terminals: yellow on white
/// is invisible).
const LIGHT: Palette = Palette {
    base: None,
    title: Color::Indexed(25),
    focus: Color::Indexed(90),
    label: Color::Indexed(238),
    dim: Color::Indexed(244),
    selected: (Color::Indexed(231), Color::Indexed(25)),
    selected_unfocused: (Color::Reset, Color::Indexed(253)),
    error: Color::Indexed(160),
    warning: Color::Indexed(130),
    ok: Color::Indexed(28),
    header: (Color::Indexed(231), Color::Indexed(25)),
    hint_key: Color::Indexed(25),
};

/// Pure white and bright colours on pure black: every pair at least 7:1.
const HIGH_CONTRAST: Palette = Palette {
    base: Some((Color::Indexed(231), Color::Indexed(16))),
    title: Color::Indexed(231),
    focus: Color::Indexed(226),
    label: Color::Indexed(231),
    dim: Color::Indexed(250),
    selected: (Color::Indexed(16), Color::Indexed(226)),
    selected_unfocused: (Color::Indexed(231), Color::Indexed(238)),
    error: Color::Indexed(210),
    warning: Color::Indexed(214),
    ok: Color::Indexed(120),
    header: (Color::Indexed(16), Color::Indexed(231)),
    hint_key: Color::Indexed(51),
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub kind: ThemeKind,
    /// False under `--no-color` / `NO_COLOR`: no colour anywhere.
    pub color: bool,
}

impl Theme {
    /// The dark theme, or no colour.
    pub fn new(color: bool) -> Theme {
        Theme::with(ThemeKind::Dark, color)
    }

    pub fn with(kind: ThemeKind, color: bool) -> Theme {
        Theme { kind, color }
    }

    fn palette(&self) -> &'static Palette {
        match self.kind {
            ThemeKind::Dark => &DARK,
            ThemeKind::Light => &LIGHT,
            ThemeKind::HighContrast => &HIGH_CONTRAST,
        }
    }

    /// The high-contrast theme adds weight where the others rely on hue.
    fn strong(&self) -> Modifier {
        if self.kind == ThemeKind::HighContrast {
            Modifier::BOLD
        } else {
            Modifier::empty()
        }
    }

    /// `colored` with colour on, `mono` without.
    fn pick(&self, colored: impl FnOnce(&Palette) -> Style, mono: Style) -> Style {
        if self.color {
            colored(self.palette())
        } else {
            mono
        }
    }

    pub fn normal(&self) -> Style {
        Style::new()
    }

    pub fn dim(&self) -> Style {
        self.pick(
            |p| Style::new().fg(p.dim),
            Style::new().add_modifier(Modifier::DIM),
        )
    }

    pub fn title(&self) -> Style {
        self.pick(|p| Style::new().fg(p.title), Style::new())
            .add_modifier(Modifier::BOLD)
    }

    pub fn border(&self) -> Style {
        self.dim()
    }

    pub fn focus_border(&self) -> Style {
        self.pick(|p| Style::new().fg(p.focus), Style::new())
            .add_modifier(Modifier::BOLD)
    }

    pub fn label(&self) -> Style {
        self.pick(|p| Style::new().fg(p.label), Style::new())
    }

    pub fn focus_label(&self) -> Style {
        self.pick(|p| Style::new().fg(p.focus), Style::new())
            .add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        self.pick(
            |p| {
                Style::new()
                    .fg(p.selected.0)
                    .bg(p.selected.1)
                    .add_modifier(self.strong())
            },
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    pub fn selected_unfocused(&self) -> Style {
        self.pick(
            |p| {
                Style::new()
                    .fg(p.selected_unfocused.0)
                    .bg(p.selected_unfocused.1)
            },
            Style::new().add_modifier(Modifier::UNDERLINED),
        )
    }

    pub fn error(&self) -> Style {
        self.pick(|p| Style::new().fg(p.error), Style::new())
            .add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.pick(
            |p| Style::new().fg(p.warning).add_modifier(self.strong()),
            Style::new().add_modifier(Modifier::ITALIC),
        )
    }

    pub fn ok(&self) -> Style {
        self.pick(|p| Style::new().fg(p.ok), Style::new())
    }

    pub fn header(&self) -> Style {
        self.pick(
            |p| {
                Style::new()
                    .fg(p.header.0)
                    .bg(p.header.1)
                    .add_modifier(self.strong())
            },
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    pub fn hint_key(&self) -> Style {
        self.pick(|p| Style::new().fg(p.hint_key), Style::new())
            .add_modifier(Modifier::BOLD)
    }

    pub fn placeholder(&self) -> Style {
        self.dim().add_modifier(Modifier::ITALIC)
    }

    /// Paints the palette's own background and text colour wherever the
    /// frame was left at the terminal's default (high contrast only: it must
    /// not depend on what the terminal's background happens to be).
    pub fn finish(&self, area: Rect, buf: &mut Buffer) {
        let Some((fg, bg)) = self.palette().base.filter(|_| self.color) else {
            return;
        };
        let area = area.intersection(buf.area);
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                let cell = &mut buf[(x, y)];
                if cell.fg == Color::Reset {
                    cell.fg = fg;
                }
                if cell.bg == Color::Reset {
                    cell.bg = bg;
                }
            }
        }
    }

    /// Moves to the next palette (`F6`) and says what happened.
    pub fn switch(&mut self) -> (bool, String) {
        if !self.color {
            return (true, t("theme.no_color").to_string());
        }
        self.kind = self.kind.next();
        (
            false,
            tf(
                "theme.switched",
                &[(
                    "name",
                    &t(&format!("theme.name.{}", self.kind.key().replace('-', "_"))),
                )],
            ),
        )
    }
}

/// What the terminal's background looks like, when it can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Background {
    Dark,
    Light,
}

/// Reads `COLORFGBG` (`"15;0"`, `"0;default;15"`: the last field is the
/// background's colour number, as rxvt, Konsole and others set it). Colours
/// 0–6 and 8 are dark; 7 and 9–15 are light, the rule Vim uses.
pub fn background_from_colorfgbg(value: &str) -> Option<Background> {
    let bg: u8 = value.rsplit(';').next()?.trim().parse().ok()?;
    match bg {
        0..=6 | 8 => Some(Background::Dark),
        7 | 9..=15 => Some(Background::Light),
        _ => None,
    }
}

/// Asks the terminal for its background colour (OSC 11), waiting at most
/// half a second. Terminals that do not answer are detected quickly.
pub fn query_background() -> Option<Background> {
    let mut options = terminal_colorsaurus::QueryOptions::default();
    options.timeout = std::time::Duration::from_millis(500);
    match terminal_colorsaurus::theme_mode(options).ok()? {
        terminal_colorsaurus::ThemeMode::Dark => Some(Background::Dark),
        terminal_colorsaurus::ThemeMode::Light => Some(Background::Light),
    }
}

/// Picks the theme: colour off when `--no-color` or a non-empty `NO_COLOR`
/// says so; else `--theme`, else `RUMBO_THEME`, else the background told by
/// `COLORFGBG`, else by `detect` (the terminal, asked), else dark.
///
/// `env` looks up a variable, so tests need not touch the process's own.
pub fn choose(
    flag: Option<ThemeKind>,
    no_color_flag: bool,
    env: impl Fn(&str) -> Option<String>,
    detect: impl FnOnce() -> Option<Background>,
) -> Theme {
    let color = !no_color_flag && env("NO_COLOR").is_none_or(|v| v.is_empty());
    let kind = flag
        .or_else(|| env("RUMBO_THEME").and_then(|v| ThemeKind::from_name(&v)))
        .unwrap_or_else(|| {
            // With colour off the palette is never seen: do not ask the terminal.
            let background = env("COLORFGBG")
                .and_then(|v| background_from_colorfgbg(&v))
                .or_else(|| if color { detect() } else { None });
            match background {
                Some(Background::Light) => ThemeKind::Light,
                _ => ThemeKind::Dark,
            }
        });
    Theme::with(kind, color)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn never() -> Option<Background> {
        panic!("the terminal must not be asked here")
    }

    #[test]
    fn theme_defaults_to_dark_when_nothing_is_known() {
        let theme = choose(None, false, env(&[]), || None);
        assert_eq!(theme, Theme::with(ThemeKind::Dark, true));
    }

    #[test]
    fn theme_flag_beats_rumbo_theme_and_the_background() {
        let vars = [("RUMBO_THEME", "light"), ("COLORFGBG", "0;15")];
        let theme = choose(Some(ThemeKind::HighContrast), false, env(&vars), never);
        assert_eq!(theme.kind, ThemeKind::HighContrast);
    }

    #[test]
    fn theme_rumbo_theme_beats_colorfgbg() {
        let vars = [("RUMBO_THEME", "High_Contrast"), ("COLORFGBG", "0;15")];
        let theme = choose(None, false, env(&vars), never);
        assert_eq!(theme.kind, ThemeKind::HighContrast);
        let vars = [("RUMBO_THEME", "dark"), ("COLORFGBG", "0;15")];
        assert_eq!(choose(None, false, env(&vars), never).kind, ThemeKind::Dark);
    }

    #[test]
    fn theme_unknown_rumbo_theme_is_ignored() {
        let vars = [("RUMBO_THEME", "solarized"), ("COLORFGBG", "0;15")];
        assert_eq!(
            choose(None, false, env(&vars), never).kind,
            ThemeKind::Light
        );
    }

    #[test]
    fn theme_colorfgbg_beats_asking_the_terminal() {
        let vars = [("COLORFGBG", "15;default;0")];
        let theme = choose(None, false, env(&vars), || Some(Background::Light));
        assert_eq!(theme.kind, ThemeKind::Dark);
        let vars = [("COLORFGBG", "0;15")];
        assert_eq!(
            choose(None, false, env(&vars), never).kind,
            ThemeKind::Light
        );
    }

    #[test]
    fn theme_follows_the_terminal_when_colorfgbg_says_nothing() {
        let vars = [("COLORFGBG", "default;default")];
        let theme = choose(None, false, env(&vars), || Some(Background::Light));
        assert_eq!(theme.kind, ThemeKind::Light);
        let theme = choose(None, false, env(&[]), || Some(Background::Dark));
        assert_eq!(theme.kind, ThemeKind::Dark);
    }

    #[test]
    fn theme_no_color_wins_over_every_theme() {
        let vars = [("NO_COLOR", "1"), ("RUMBO_THEME", "light")];
        let theme = choose(Some(ThemeKind::HighContrast), false, env(&vars), never);
        assert!(!theme.color);
        let theme = choose(Some(ThemeKind::Light), true, env(&[]), never);
        assert!(!theme.color);
        // The terminal is not asked when its answer could not matter.
        assert!(!choose(None, true, env(&[]), never).color);
    }

    #[test]
    fn theme_empty_no_color_is_ignored() {
        let vars = [("NO_COLOR", "")];
        assert!(choose(None, false, env(&vars), || None).color);
    }

    #[test]
    fn theme_colorfgbg_reads_the_last_field() {
        assert_eq!(background_from_colorfgbg("15;0"), Some(Background::Dark));
        assert_eq!(background_from_colorfgbg("0;15"), Some(Background::Light));
        assert_eq!(
            background_from_colorfgbg("0;default;7"),
            Some(Background::Light)
        );
        assert_eq!(background_from_colorfgbg("7;8"), Some(Background::Dark));
        assert_eq!(background_from_colorfgbg("default;default"), None);
        assert_eq!(background_from_colorfgbg(""), None);
        assert_eq!(background_from_colorfgbg("0;200"), None);
    }

    #[test]
    fn theme_names_read_as_the_flag_writes_them() {
        for kind in ThemeKind::ALL {
            assert_eq!(ThemeKind::from_name(kind.key()), Some(kind));
            assert_eq!(
                <ThemeKind as clap::ValueEnum>::from_str(kind.key(), false),
                Ok(kind)
            );
        }
        assert_eq!(ThemeKind::from_name(" LIGHT "), Some(ThemeKind::Light));
        assert_eq!(
            ThemeKind::from_name("highcontrast"),
            Some(ThemeKind::HighContrast)
        );
        assert_eq!(ThemeKind::from_name(""), None);
    }

    #[test]
    fn theme_without_colour_styles_carry_no_colour() {
        for kind in ThemeKind::ALL {
            let theme = Theme::with(kind, false);
            for style in [
                theme.dim(),
                theme.title(),
                theme.focus_border(),
                theme.label(),
                theme.focus_label(),
                theme.selected(),
                theme.selected_unfocused(),
                theme.error(),
                theme.warning(),
                theme.ok(),
                theme.header(),
                theme.hint_key(),
                theme.placeholder(),
            ] {
                assert_eq!((style.fg, style.bg), (None, None), "{kind:?}: {style:?}");
            }
            // What must stay visible does, through modifiers.
            assert!(theme.selected().add_modifier.contains(Modifier::REVERSED));
            assert!(theme.error().add_modifier.contains(Modifier::BOLD));
            assert!(theme.focus_border().add_modifier.contains(Modifier::BOLD));
            assert!(!theme.warning().add_modifier.is_empty());
            assert!(!theme.selected_unfocused().add_modifier.is_empty());
            assert_ne!(theme.selected(), theme.selected_unfocused());
        }
    }

    #[test]
    fn theme_statuses_differ_in_every_palette() {
        for kind in ThemeKind::ALL {
            let theme = Theme::with(kind, true);
            assert_ne!(theme.error(), theme.warning(), "{kind:?}");
            assert_ne!(theme.warning(), theme.ok(), "{kind:?}");
            assert_ne!(theme.error(), theme.ok(), "{kind:?}");
            assert_ne!(theme.selected(), theme.normal(), "{kind:?}");
        }
    }

    #[test]
    fn theme_f6_walks_every_palette_and_never_turns_colour_on() {
        let mut theme = Theme::with(ThemeKind::Dark, true);
        let mut seen = vec![theme.kind];
        for _ in 0..3 {
            let (error, _) = theme.switch();
            assert!(!error);
            seen.push(theme.kind);
        }
        assert_eq!(
            seen,
            [
                ThemeKind::Dark,
                ThemeKind::Light,
                ThemeKind::HighContrast,
                ThemeKind::Dark
            ]
        );
        for kind in ThemeKind::ALL {
            let key = format!("theme.name.{}", kind.key().replace('-', "_"));
            assert!(crate::i18n::has(&key), "{key}");
        }
        let mut mono = Theme::with(ThemeKind::Dark, false);
        assert!(mono.switch().0);
        assert_eq!(mono, Theme::with(ThemeKind::Dark, false));
    }
}
