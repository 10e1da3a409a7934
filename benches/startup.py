#!/usr/bin/env python3
"""Start-up and whole-process figures for docs/performance.md (issue 7).

Python 3 standard library only. Measures, with the release binary:

1. process start to first frame: `rumbo --data-dir TMP open example` (after
   `rumbo new example --example`) in a pseudo-terminal of 100x30, timed
   until the output contains "Step 1" (the title of the first step's
   panel), then quit with Ctrl-Q; N runs, min / median / max. The harness
   answers the queries a terminal answers (cursor position, background
   colour, device attributes), as rumbo asks for the background at start.
   The same for the L plan (fewer runs), with its peak RSS.
2. `rumbo gaps L.toml --json`: wall time and peak RSS (os.wait4 rusage of
   that one child).

Usage:
    python3 benches/startup.py [--runs 20] [--large-runs 3] [--no-build]
                               [--sizes S,L] [--keep]

It builds the release binary (`cargo build --release`) and writes the L plan
with `cargo bench --bench plangen -- L FILE` unless told not to. Budgets: first
frame "a few tens of ms"; `gaps --json` on L under 1 s.
"""

import argparse
import fcntl
import os
import pty  # noqa: F401  (documents the dependency; openpty is in os)
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "rumbo")
TODAY = "2026-11-15"
MARKER = b"Step 1"
COLS, ROWS = 100, 30


def run(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, check=True, **kw)


def fmt_ms(secs):
    return f"{secs * 1000:.1f} ms"


def set_ctty():
    # Runs in the child after setsid (start_new_session): the pty on fd 0
    # becomes its controlling terminal, so /dev/tty works as in a terminal.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def first_frame(data_dir, plan, timeout=60.0):
    """Starts the wizard on `plan` in a 100x30 pty. Returns
    (seconds to first frame, seconds to exit after Ctrl-Q, peak RSS in KiB)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", RUMBO_LANG="en")
    env.pop("NO_COLOR", None)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [BINARY, "--data-dir", data_dir, "--today", TODAY, "open", plan],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        preexec_fn=set_ctty,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    first = None
    deadline = start + timeout
    try:
        while first is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no first frame within {timeout} s: {seen[-400:]!r}")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                raise RuntimeError(f"rumbo exited before drawing: {seen[-400:]!r}")
            # Answer what a terminal answers: the cursor position, the
            # background colour (OSC 11, asked to pick a light or dark theme)
            # and the device attributes (DA1, which every terminal answers and
            # which tells the program not to wait for replies that won't come).
            if b"\x1b[6n" in chunk:
                os.write(master, b"\x1b[1;1R")
            if b"\x1b]11;?" in chunk:
                os.write(master, b"\x1b]11;rgb:0000/0000/0000\x1b\\")
            if b"\x1b[c" in chunk or b"\x1b[0c" in chunk:
                os.write(master, b"\x1b[?62;22c")
            seen += chunk
            if MARKER in seen:
                first = time.perf_counter() - start
        # Quit (nothing was edited, so nothing is saved), draining the output
        # so that the program never blocks on a full pty.
        quit_at = time.perf_counter()
        os.write(master, b"\x11")
        readable = True
        while True:
            if readable:
                ready, _, _ = select.select([master], [], [], 0.02)
                if ready:
                    try:
                        readable = bool(os.read(master, 65536))
                    except OSError:
                        readable = False
            else:
                time.sleep(0.005)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                proc.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - quit_at > timeout:
                raise TimeoutError("rumbo did not quit on Ctrl-Q")
        exit_secs = time.perf_counter() - quit_at
        return first, exit_secs, usage.ru_maxrss
    finally:
        if proc.returncode is None:
            proc.kill()
            os.wait4(proc.pid, 0)
        os.close(master)


def timed(cmd):
    """Wall time, exit code and peak RSS (KiB) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    return wall, proc.returncode, usage.ru_maxrss, err


def summary(label, values, budget=None):
    values = sorted(values)
    line = (
        f"{label}: min {fmt_ms(values[0])}, median {fmt_ms(statistics.median(values))}, "
        f"max {fmt_ms(values[-1])} ({len(values)} runs)"
    )
    if budget is not None:
        ok = statistics.median(values) <= budget
        line += f" — budget {fmt_ms(budget)}: {'ok' if ok else 'MISSED'}"
    print(line, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20, help="first-frame runs on the example")
    ap.add_argument("--large-runs", type=int, default=3, help="runs on the L plan")
    ap.add_argument("--no-build", action="store_true", help="use the existing binary")
    ap.add_argument("--sizes", default="S,L", help="S (example start-up) and/or L")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    sizes = {s.strip().upper() for s in args.sizes.split(",") if s.strip()}

    if not args.no_build:
        run(["cargo", "build", "--release", "--quiet"])
    tmp = tempfile.mkdtemp(prefix="rumbo-startup-")
    try:
        version = subprocess.run([BINARY, "--version"], capture_output=True, text=True)
        print(f"binary: {BINARY} ({version.stdout.strip()})")
        print(f"cpus: {os.cpu_count()}, pty: {COLS}x{ROWS}, today: {TODAY}\n", flush=True)

        # Bare process start, for reference.
        walls = [timed([BINARY, "--version"])[0] for _ in range(args.runs)]
        summary("`rumbo --version` (process start, for reference)", walls)

        if "S" in sizes:
            run([BINARY, "--data-dir", tmp, "new", "example", "--example"],
                stdout=subprocess.DEVNULL)
            firsts, exits, rss = [], [], []
            for _ in range(args.runs):
                f, e, r = first_frame(tmp, "example")
                firsts.append(f)
                exits.append(e)
                rss.append(r)
            summary("start to first frame, example plan", firsts, budget=0.050)
            summary("Ctrl-Q to exit, example plan", exits)
            print(f"peak RSS, example plan in the wizard: {max(rss) / 1024:.1f} MiB\n",
                  flush=True)

        if "L" in sizes:
            large = os.path.join(tmp, "large.toml")
            run(["cargo", "bench", "--quiet", "--bench", "plangen", "--", "L", large],
                stdout=subprocess.DEVNULL)
            mib = os.path.getsize(large) / (1024 * 1024)
            print(f"L plan: {large} ({mib:.1f} MiB)", flush=True)

            results = [timed([BINARY, "--today", TODAY, "gaps", large, "--json"])
                       for _ in range(args.large_runs)]
            for wall, code, _, err in results:
                if code != 0:
                    print(f"`gaps --json` exited with {code}: {err.strip()[:400]}")
            summary("`rumbo gaps --json` on L (wall)", [r[0] for r in results], budget=1.0)
            print(f"peak RSS, `gaps --json` on L: {max(r[2] for r in results) / 1024:.0f} MiB",
                  flush=True)

            wall, code, rss, err = timed([BINARY, "--today", TODAY, "check", large])
            tail = err.strip().splitlines()[-1] if err.strip() else ""
            print(f"`rumbo check` on L: {fmt_ms(wall)}, peak RSS {rss / 1024:.0f} MiB, "
                  f"exit {code}: {tail}", flush=True)

            firsts, rss = [], []
            for _ in range(args.large_runs):
                f, _, r = first_frame(tmp, large, timeout=300.0)
                firsts.append(f)
                rss.append(r)
            summary("start to first frame, L plan", firsts)
            print(f"peak RSS, L plan in the wizard: {max(rss) / 1024:.0f} MiB", flush=True)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
