//! End-to-end tests: the real `rumbo` binary in a real terminal (tmux), driven
//! by keys, on a temporary data directory.
//!
//! Each test has its own tmux server (`tmux -L <unique socket>`), so tests run
//! in parallel; the server is killed when the test ends, pass or fail. When
//! tmux is missing the tests say so and pass.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_rumbo");
/// The bundled example plan, byte for byte.
const EXAMPLE: &str = include_str!("../assets/examples/example.toml");
/// How long to wait for the screen to show something.
const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(50);

fn tmux_available() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("tmux is not available (`tmux -V` failed): skipping this end-to-end test");
    }
    ok
}

/// `'text'` for `sh`.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn quote_path(path: &Path) -> String {
    quote(path.to_str().expect("temporary paths are UTF-8"))
}

/// A scratch area: a data directory and a fake home, removed at the end.
struct Scratch {
    root: TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let root = tempfile::tempdir().expect("a temporary directory");
        std::fs::create_dir(root.path().join("home")).unwrap();
        Scratch { root }
    }

    /// The data directory (not created).
    fn dir(&self) -> PathBuf {
        self.root.path().join("plans")
    }

    fn plan(&self, name: &str) -> PathBuf {
        self.dir().join(format!("{name}.toml"))
    }

    /// A shell command running `rumbo ARGS…` with a clean environment.
    fn rumbo(&self, args: &str) -> String {
        let home = self.root.path().join("home");
        format!(
            "env -u RUMBO_TODAY -u LC_ALL -u LC_MESSAGES -u RUMBO_THEME -u RUMBO_STATE_DIR -u XDG_STATE_HOME NO_COLOR=1 RUMBO_LANG=en \
             RUMBO_DATA_DIR={dir} RUMBO_CONFIG_DIR={config} HOME={home} XDG_DATA_HOME={data} {bin} {args}",
            dir = quote_path(&self.dir()),
            config = quote_path(&home.join(".config/rumbo")),
            home = quote_path(&home),
            data = quote_path(&home.join(".local/share")),
            bin = quote(BIN),
        )
    }

    /// `rumbo new NAME --data-dir DIR`, outside tmux.
    fn new_plan(&self, name: &str) -> PathBuf {
        let out = Command::new(BIN)
            .args(["new", name, "--data-dir"])
            .arg(self.dir())
            .env("NO_COLOR", "1")
            .env("RUMBO_LANG", "en")
            .env("HOME", self.root.path().join("home"))
            .output()
            .expect("rumbo runs");
        assert!(out.status.success(), "rumbo new: {out:?}");
        self.plan(name)
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

static SERVERS: AtomicUsize = AtomicUsize::new(0);

/// A tmux server of our own with one 100×30 session running one command.
/// Dropping it kills the server.
struct Tmux {
    socket: String,
    /// The socket file, removed with the server.
    socket_path: Option<PathBuf>,
    _config: TempDir,
}

const SESSION: &str = "e2e";

impl Tmux {
    /// Starts `command` (a `sh` command line) in a new session.
    fn start(command: &str) -> Tmux {
        let socket = format!(
            "rumbo-e2e-{}-{}",
            std::process::id(),
            SERVERS.fetch_add(1, Ordering::SeqCst)
        );
        let config = tempfile::tempdir().unwrap();
        let conf = config.path().join("tmux.conf");
        // Dead panes stay (to read their exit status and last output), no
        // status line (the program gets all 30 rows), no user config.
        std::fs::write(
            &conf,
            "set -g remain-on-exit on\n\
             set -g default-shell /bin/sh\n\
             set -g status off\n\
             set -g history-limit 2000\n\
             set -s escape-time 0\n",
        )
        .unwrap();
        let mut tmux = Tmux {
            socket,
            socket_path: None,
            _config: config,
        };
        let out = tmux.command(&[
            "-f",
            conf.to_str().unwrap(),
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            "100",
            "-y",
            "30",
            command,
        ]);
        assert!(out.status.success(), "tmux new-session: {out:?}");
        let path = tmux.var("#{socket_path}");
        tmux.socket_path = (!path.is_empty()).then(|| PathBuf::from(path));
        tmux
    }

    /// Runs `tmux -L SOCKET ARGS…`.
    fn command(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-u")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .output()
            .expect("tmux runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.command(args);
        assert!(out.status.success(), "tmux {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Presses keys (tmux key names such as `Tab`, `C-s`).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend(keys);
        self.ok(&args);
    }

    /// Types text literally.
    fn type_text(&self, text: &str) {
        self.ok(&["send-keys", "-t", SESSION, "-l", text]);
    }

    /// Pastes text the way a terminal does (bracketed, when the program
    /// asked for it).
    fn paste(&self, text: &str) {
        self.ok(&["set-buffer", "-b", "e2e", text]);
        self.ok(&["paste-buffer", "-p", "-d", "-b", "e2e", "-t", SESSION]);
    }

    /// The text on screen now.
    fn screen(&self) -> String {
        self.ok(&["capture-pane", "-p", "-t", SESSION])
    }

    /// A pane variable such as `#{alternate_on}`.
    fn var(&self, format: &str) -> String {
        self.ok(&["display-message", "-p", "-t", SESSION, format])
            .trim()
            .to_string()
    }

    /// Waits until the screen satisfies `ok`; returns that screen.
    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until `text` is on screen.
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits for the program started by [`then_report`] to end; returns
    /// its exit status and the screen after it.
    ///
    /// (The shell reports the status: tmux's own `#{pane_dead_status}` is
    /// sometimes never filled in, because tmux 3.3 occasionally leaves the
    /// pane's process unreaped.)
    fn wait_exit(&self) -> (i32, String) {
        let screen = self.wait_until("rumbo to exit", |s| exit_status(s).is_some());
        (exit_status(&screen).unwrap(), screen)
    }
}

/// The status printed by [`then_report`], if it is on `screen`.
fn exit_status(screen: &str) -> Option<i32> {
    screen
        .lines()
        .find_map(|l| l.trim().strip_prefix("EXIT-STATUS="))
        .and_then(|n| n.parse().ok())
}

/// A shell command line: runs `rumbo` (a command line), then prints its
/// exit status and keeps the pane open so its last output can be read.
fn then_report(rumbo: &str) -> String {
    format!(
        "sh -c {}",
        quote(&format!("{rumbo}; echo \"EXIT-STATUS=$?\"; sleep 30"))
    )
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.command(&["kill-server"]);
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

// ---------------------------------------------------------------------------

/// (a) Type into the first field, save with Ctrl-S, quit with Ctrl-Q.
#[test]
fn typed_text_is_saved_with_ctrl_s() {
    if !tmux_available() {
        return;
    }
    let scratch = Scratch::new();
    let path = scratch.new_plan("e2e");
    let tmux = Tmux::start(&then_report(&scratch.rumbo(&format!(
        "--data-dir {} open e2e",
        quote_path(&scratch.dir())
    ))));
    tmux.wait_for("Step 1");
    // The first field (the plan's name) has focus.
    tmux.keys(&["End"]);
    tmux.type_text(" typed in tmux");
    tmux.wait_for("e2e typed in tmux");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Saved");
    // Saved now, not only at quit.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("name = \"e2e typed in tmux\""), "{text}");

    tmux.keys(&["C-q"]);
    let (status, screen) = tmux.wait_exit();
    assert_eq!(status, 0, "{screen}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("name = \"e2e typed in tmux\""), "{text}");
    assert!(text.starts_with("schema_version = 1\n"), "{text}");
    assert_eq!(mode(&path), 0o600, "a save keeps the owner-only mode");
    // The saved file is a valid plan.
    let out = Command::new(BIN)
        .arg("check")
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// (b) A hand-written file keeps its comments and layout; only the edited
/// value changes. Ctrl-Q saves and says so.
#[test]
fn hand_written_comments_survive_an_edit() {
    if !tmux_available() {
        return;
    }
    let scratch = Scratch::new();
    std::fs::create_dir(scratch.dir()).unwrap();
    let original = "\
# keep me: the first line
schema_version = 1

# keep me: above [plan]
[plan]
name = \"Hand plan\"    # keep me: after the name
company = \"Old Co\" # keep me: after the edited value
currency = \"EUR\"

   # keep me: indented, between tables

[research]
# keep me: inside a table
industry_trends = \"\"\"
Trends, written by hand.
# not a comment: inside a string
\"\"\"
# keep me: the last line
";
    let path = scratch.plan("hand");
    std::fs::write(&path, original).unwrap();

    // Opened by path, to exercise that form of PLAN as well.
    let tmux = Tmux::start(&then_report(
        &scratch.rumbo(&format!("open {}", quote_path(&path))),
    ));
    tmux.wait_for("Step 1");
    tmux.keys(&["Tab", "End"]);
    tmux.type_text(" & Sons");
    tmux.wait_for("Old Co & Sons");
    tmux.keys(&["C-q"]);
    let (status, screen) = tmux.wait_exit();
    assert_eq!(status, 0, "{screen}");
    assert!(screen.contains("Saved"), "quitting says it saved: {screen}");

    let saved = std::fs::read_to_string(&path).unwrap();
    for line in original.lines().filter(|l| l.contains("keep me")) {
        if line.starts_with("company") {
            continue;
        }
        assert!(saved.lines().any(|l| l == line), "lost {line:?}:\n{saved}");
    }
    // Only the edited line changed, and it kept its comment.
    let expected = original.replace("company = \"Old Co\" #", "company = \"Old Co & Sons\" #");
    assert_eq!(saved, expected);
}

/// (c) After quitting, the terminal is as it was: cooked mode with echo,
/// the main screen, a visible cursor and no bracketed paste.
#[test]
fn the_terminal_is_restored_after_quit() {
    if !tmux_available() {
        return;
    }
    let scratch = Scratch::new();
    scratch.new_plan("restore");
    let script = format!(
        "{}; s=$?; echo AFTER-EXIT; echo \"EXIT-STATUS=$s\"; \
         stty -a | tr ' ;' '\\n\\n' | grep -E -x -e '-?(icanon|echo|isig)'; \
         echo STTY-DONE; head -n 1 | cat -v; echo PROBE-DONE; sleep 30",
        scratch.rumbo("open restore")
    );
    let tmux = Tmux::start(&format!("sh -c {}", quote(&script)));
    tmux.wait_for("Step 1");
    assert_eq!(
        tmux.var("#{alternate_on}"),
        "1",
        "the wizard is full-screen"
    );
    tmux.keys(&["C-q"]);

    let screen = tmux.wait_for("STTY-DONE");
    assert!(screen.contains("AFTER-EXIT"), "{screen}");
    assert_eq!(exit_status(&screen), Some(0), "{screen}");
    let flags: Vec<&str> = screen
        .lines()
        .map(str::trim)
        .filter(|l| ["icanon", "echo", "isig"].contains(&l.trim_start_matches('-')))
        .collect();
    for flag in ["icanon", "echo", "isig"] {
        assert!(
            flags.contains(&flag),
            "`{flag}` is on again (raw mode undone): {flags:?}\n{screen}"
        );
        assert!(!flags.contains(&format!("-{flag}").as_str()), "{screen}");
    }
    assert_eq!(tmux.var("#{alternate_on}"), "0", "back on the main screen");
    assert_eq!(tmux.var("#{cursor_flag}"), "1", "the cursor is visible");

    // Bracketed paste is off: a paste reaches the shell without markers.
    tmux.paste("PASTE-PROBE");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("PROBE-DONE");
    assert!(screen.contains("PASTE-PROBE"), "{screen}");
    assert!(
        !screen.contains("[200~"),
        "bracketed paste left on:\n{screen}"
    );
}

/// (d) The start screen opens the bundled example with `e`.
#[test]
fn the_start_screen_opens_the_example() {
    if !tmux_available() {
        return;
    }
    let scratch = Scratch::new();
    std::fs::create_dir(scratch.dir()).unwrap();
    // No plan and no subcommand: the start screen (data dir from the env).
    let tmux = Tmux::start(&then_report(&scratch.rumbo("")));
    tmux.wait_until("the start screen", |s| s.contains("example"));
    tmux.keys(&["e"]);
    tmux.wait_for("Tramora");
    tmux.keys(&["C-q"]);
    let (status, screen) = tmux.wait_exit();
    assert_eq!(status, 0, "{screen}");
    let path = scratch.plan("example");
    assert!(path.is_file());
    // Opening and quitting without an edit leaves the copy as bundled.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), EXAMPLE);
    assert_eq!(mode(&path), 0o600);
}

/// Non-ASCII typing and a paste go into the focused field; Ctrl-C quits
/// like Ctrl-Q, saving the edit.
#[test]
fn unicode_typing_and_paste_are_kept_and_ctrl_c_saves() {
    if !tmux_available() {
        return;
    }
    let scratch = Scratch::new();
    let path = scratch.new_plan("uni");
    let tmux = Tmux::start(&then_report(&scratch.rumbo("open uni")));
    tmux.wait_for("Step 1");
    tmux.keys(&["Tab"]);
    tmux.type_text("Ñandú 新");
    tmux.wait_for("Ñandú 新");
    tmux.paste(" & pasted");
    tmux.wait_for("Ñandú 新 & pasted");
    tmux.keys(&["C-c"]);
    let (status, screen) = tmux.wait_exit();
    assert_eq!(status, 0, "{screen}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("company = \"Ñandú 新 & pasted\""),
        "Ctrl-C kept the edit:\n{text}"
    );
}

/// Closing the terminal mid-sentence (SIGHUP) keeps the sentence: the next
/// start offers to recover it, and recovering then quitting saves it.
#[test]
fn a_closed_terminal_loses_no_sentence() {
    if !tmux_available() {
        return;
    }
    let scratch = Scratch::new();
    let path = scratch.new_plan("e2e");
    let before = std::fs::read_to_string(&path).unwrap();
    let command = scratch.rumbo(&format!(
        "--data-dir {} open e2e",
        quote_path(&scratch.dir())
    ));
    {
        let tmux = Tmux::start(&command);
        tmux.wait_for("Step 1");
        tmux.keys(&["Tab"]);
        tmux.type_text("Half a senten");
        tmux.wait_for("Half a senten");
        // The terminal goes away: tmux closes the pane's pty.
        tmux.ok(&["kill-server"]);
    }
    // The edits reach the recovery journal (in the scratch home)...
    let recovery = scratch.root.path().join("home/.local/state/rumbo/recovery");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !std::fs::read_dir(&recovery).is_ok_and(|mut d| d.next().is_some())
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // ...and the file itself was not written.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), before);
    // ...but the next start offers the sentence back.
    let tmux = Tmux::start(&then_report(&command));
    tmux.wait_for("Unsaved edits found");
    tmux.keys(&["r"]);
    tmux.wait_for("Half a senten");
    tmux.keys(&["C-q"]);
    let (status, screen) = tmux.wait_exit();
    assert_eq!(status, 0, "{screen}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("company = \"Half a senten\""), "{text}");
}

/// A second rumbo on the same plan is told, and opens it read-only.
#[test]
fn a_second_rumbo_opens_the_plan_read_only() {
    if !tmux_available() {
        return;
    }
    let scratch = Scratch::new();
    let path = scratch.new_plan("e2e");
    let command = scratch.rumbo(&format!(
        "--data-dir {} open e2e",
        quote_path(&scratch.dir())
    ));
    let first = Tmux::start(&command);
    first.wait_for("Step 1");
    let second = Tmux::start(&then_report(&command));
    second.wait_for("read-only");
    second.keys(&["Tab"]);
    second.type_text("nope");
    second.wait_for("read-only and saves nothing");
    second.keys(&["C-q"]);
    let (status, _) = second.wait_exit();
    assert_eq!(status, 0);
    assert!(!std::fs::read_to_string(&path).unwrap().contains("nope"));
    first.keys(&["C-q"]);
}

/// `rumbo review PLAN` opens straight into the weekly review; a value typed
/// there is saved with Ctrl-S as an actual dated the month's last day.
#[test]
fn rumbo_review_enters_a_value_and_saves_it() {
    if !tmux_available() {
        return;
    }
    let scratch = Scratch::new();
    std::fs::create_dir_all(scratch.dir()).unwrap();
    let path = scratch.plan("acme");
    std::fs::write(&path, EXAMPLE).unwrap();
    let tmux = Tmux::start(&then_report(
        &scratch.rumbo("--today 2026-12-07 review acme"),
    ));
    tmux.wait_for("Weekly review");
    tmux.wait_for("Monthly recurring revenue");
    tmux.type_text("29600");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Monthly customer churn rate");
    tmux.keys(&["Escape"]);
    tmux.wait_for("reviewed date was not changed");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Saved");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("{ date = 2026-11-30, value = 29600.0 }"),
        "{text}"
    );
    tmux.keys(&["C-q"]);
    let (status, screen) = tmux.wait_exit();
    assert_eq!(status, 0, "{screen}");
}

/// Ctrl-O and Ctrl-G hand the terminal to `$VISUAL` and take it back: the
/// field gets the editor's text, the whole plan comes back saved with the
/// comment the editor added, and the screen is drawn again.
#[test]
fn the_editor_edits_a_field_and_the_whole_plan() {
    if !tmux_available() {
        return;
    }
    let scratch = Scratch::new();
    let path = scratch.new_plan("ed");
    // The "editor": a field file gets a sentence; the plan gets a comment.
    let editor = scratch.root.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\n\
         case \"$1\" in\n\
         *.toml) printf '# added by the editor\\n' >> \"$1\" ;;\n\
         *) printf 'Named in the editor\\n' > \"$1\" ;;\n\
         esac\n",
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let tmux = Tmux::start(&then_report(&format!(
        "VISUAL={} {}",
        quote_path(&editor),
        scratch.rumbo("open ed")
    )));
    tmux.wait_for("Step 1");
    // The first field is the plan's name.
    tmux.keys(&["C-o"]);
    tmux.wait_for("now holds your text");
    tmux.wait_for("Named in the editor");
    assert_eq!(tmux.var("#{alternate_on}"), "1", "back on rumbo's screen");
    tmux.keys(&["C-g"]);
    tmux.wait_for("saved to");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("name = \"Named in the editor\""), "{text}");
    assert!(text.ends_with("# added by the editor\n"), "{text}");
    tmux.keys(&["C-q"]);
    let (status, screen) = tmux.wait_exit();
    assert_eq!(status, 0, "{screen}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}
