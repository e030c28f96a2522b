"""A follow-up visit tapped through end to end in a real terminal, beside a
first visit in the same run.

    python bench/followup.py [--runs 3]

Each run starts `kiosk demo` in tmux at 80x24 and taps from Welcome to the
result with SGR mouse taps, with the pacing of the end-to-end tests (a tap,
then the screen read until it shows what the tap leads to): once through
"Back for another session", once through "First visit" (walkthrough read
page by page). Prints the median of each, and their ratio.
Target: a follow-up under 45 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.e2e import env_for, tap_through_followup, tap_through_visit
from tests.support.terminal import Terminal


def one(kind: str) -> float:
    with tempfile.TemporaryDirectory(prefix="bench-followup-") as name:
        folder = Path(name)
        terminal = Terminal(folder / "tmux.sock")
        try:
            config = folder / "kiosk.toml"
            config.write_text("touch_keyboard = true\n")  # Taps only, as on the glass.
            terminal.start([sys.executable, "-m", "kiosk", "demo", "--config", str(config)],
                           env_for(folder))
            terminal.wait_for("Back for another session")
            start = time.perf_counter()
            if kind == "follow-up":
                tap_through_followup(terminal)
            else:
                tap_through_visit(terminal, keyboard=True)
            return time.perf_counter() - start
        finally:
            terminal.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"follow-up": [], "first": []}
    for _ in range(args.runs):
        for kind in times:
            times[kind].append(one(kind))
    followup, first = (statistics.median(times[kind]) for kind in ("follow-up", "first"))
    print(f"tapped through at 80x24 (median of {args.runs}), name on the on-screen keyboard:")
    print(f"  first visit (baseline, walkthrough read)  {first:6.1f} s")
    print(f"  back for another session                  {followup:6.1f} s   "
          f"({followup / first:.2f}x the first visit)")
    print("target: a follow-up under 45 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
