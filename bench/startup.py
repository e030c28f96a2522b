"""Benchmark: the real `kiosk run` command to its first screen, beside a bare
Textual app, run alternately in one process tree in a real pseudo-terminal
(80x24); prints the medians and their ratio, twice:

- with bytecode written, as after a real install (PYTHONDONTWRITEBYTECODE
  unset, after one warm-up run of each);
- without (PYTHONDONTWRITEBYTECODE=1, as these machines set it), where every
  start compiles the project's modules again.

A start is timed from spawning the process to its first screen's text in the
terminal's output ("First visit"; "Hello" for the bare app): the console
script, the command line and the settings are all inside the figure.
Target: kiosk / bare <= 1.2 with bytecode written. A third line starts the
kiosk offering three languages (`languages = ["en", "es", "zh"]`, the picker on
Welcome): catalogs load when a language is picked, so its ratio should be
the same as the one-language kiosk's.

    python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import atexit
import fcntl
import os
import pty
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

PROBE = Path(__file__).with_name("_probe.py")
BARE = Path(__file__).with_name("_bare.py")
ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")


def scratch_folder(prefix: str) -> Path:
    """A folder of the benchmark's own, removed when it ends (the other
    benchmarks use it too)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def time_once(which: str, *extra: str) -> float:
    """Seconds from spawning the process to its first screen being ready
    (for "staff", to today's queue being on screen)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "ready"
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "TMPDIR": folder}
        started = time.time()
        child = subprocess.Popen(
            [sys.executable, str(PROBE), str(out), which, *extra],
            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
        )
        os.close(slave)

        def drain() -> None:  # the app blocks if nobody reads its output
            try:
                while os.read(master, 65536):
                    pass
            except OSError:
                pass

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        child.wait(timeout=60)
        os.close(master)
        if not out.exists():
            raise SystemExit(f"{which}: the app exited without becoming ready")
        return float(out.read_text()) - started


def time_command(argv: list[str], marker: bytes, env: dict[str, str]) -> float:
    """Seconds from spawning `argv` in an 80x24 pty until `marker` is drawn."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                             close_fds=True, start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise SystemExit(f"{argv}: ended before drawing {marker!r}")
            seen += chunk
            if marker in ANSI.sub(b"", seen[-8192:]):
                return time.perf_counter() - started
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        os.close(master)


def _measure(runs: int, bytecode: bool) -> dict[str, list[float]]:
    folder = scratch_folder("kiosk-startup-")
    (folder / "kiosk.toml").write_text("# The defaults: no machine's own settings.\n")
    (folder / "languages.toml").write_text('languages = ["en", "es", "zh"]\n')
    env = {**os.environ, "TERM": "xterm-256color", "KIOSK_DATA_DIR": str(folder / "data"),
           "KIOSK_CONFIG": str(folder / "kiosk.toml")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    kiosk = str(Path(sys.executable).parent / "kiosk")  # The console script itself.
    commands = {"bare": ([sys.executable, str(BARE)], b"Hello", env),
                "kiosk": ([kiosk, "run"], b"First visit", env),
                "languages": ([kiosk, "run"], b"Espa",
                              {**env, "KIOSK_CONFIG": str(folder / "languages.toml")})}
    for argv, marker, command_env in commands.values():
        time_command(argv, marker, command_env)  # Warm the file cache (and write bytecode).
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, marker, command_env) in commands.items():  # Alternate: drift hits all.
            times[name].append(time_command(argv, marker, command_env))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"`kiosk run` to its first screen vs a bare Textual app, median of {args.runs} "
          "alternating runs, 80x24 pty")
    print(f"{'':34}{'median':>9}{'min':>9}{'max':>9}")
    for bytecode in (True, False):
        times = _measure(args.runs, bytecode)
        how = "bytecode written" if bytecode else "no bytecode"
        for name, label in (("bare", "baseline: bare Textual"), ("kiosk", "ours: kiosk run"),
                            ("languages", "ours: 3 languages")):
            values = times[name]
            print(f"{label + ' (' + how + ')':34}{statistics.median(values) * 1000:>7.0f}ms"
                  f"{min(values) * 1000:>7.0f}ms{max(values) * 1000:>7.0f}ms")
        ratio = statistics.median(times["kiosk"]) / statistics.median(times["bare"])
        target = " (target <= 1.20x)" if bytecode else ""
        print(f"{'ratio, ' + how:34}{ratio:>8.2f}x{target}")
        ratio = statistics.median(times["languages"]) / statistics.median(times["bare"])
        print(f"{'ratio, 3 languages, ' + how:34}{ratio:>8.2f}x")


if __name__ == "__main__":
    main()
