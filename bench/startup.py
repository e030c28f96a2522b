"""Benchmark: process start to the first interactive screen.

`kiosk demo` against a bare Textual app, run alternately in the same session
in a real pseudo-terminal (80x24); prints the medians and their ratio.
Target: kiosk / bare <= 1.3.

    python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"bare": [], "kiosk": []}
    time_once("bare"), time_once("kiosk")  # warm the file cache
    for _ in range(args.runs):
        for which in times:  # alternate, so drift hits both alike
            times[which].append(time_once(which))
    bare = statistics.median(times["bare"])
    kiosk = statistics.median(times["kiosk"])
    print(f"startup to first interactive screen, median of {args.runs} runs each, 80x24 pty")
    print(f"{'':24}{'median':>10}{'min':>10}{'max':>10}")
    for name, label in (("bare", "baseline: bare Textual"), ("kiosk", "ours: kiosk demo")):
        values = times[name]
        print(f"{label:24}{statistics.median(values) * 1000:>8.0f}ms"
              f"{min(values) * 1000:>8.0f}ms{max(values) * 1000:>8.0f}ms")
    print(f"ratio kiosk / bare: {kiosk / bare:.2f}x (target <= 1.30x)")


if __name__ == "__main__":
    main()
