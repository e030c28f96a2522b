"""The staff app with 100,000 check-ins of history: how soon today's queue
shows, how fast a name search is, and how much CPU it burns while idle.

    python bench/staff.py [--runs 7] [--idle-seconds 30]

Each figure is printed beside a baseline measured in the same run:
- queue on screen (process start → today's rows drawn, signed in) beside the
  kiosk's own start-up (`kiosk demo` to its first screen); target <= 1.5x;
- a name search's first page (the newest 500 matches, and how many there
  are), on a fresh store, beside the link suggestions' read on the same
  fresh store (both from the name index); target <= 50 ms; and the next
  page beside it, which costs in proportion to the page;
- the whole search (every match, read from the day files) beside the same
  search in one plain TinyDB file holding the same check-ins, for scale: the
  desk never reads it whole, it reads a page at a time from the name index;
- CPU used by `kiosk staff` sitting on its queue for 30 s beside a bare
  Textual app sitting for the same 30 s, side by side.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import random
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from startup import PROBE, time_once
from store import history, make_checkin
from tinydb import Query, TinyDB

from kiosk.store.dayfiles.store import CheckInStore

HISTORY = 100_000
TODAY = 40
PAGE = 500
"""The staff screen's page of search results (kiosk/desk/queue.py MOST_ROWS)."""


def seed(folder: Path) -> None:
    chance = random.Random(7)
    now = datetime.now(UTC)
    records = history(chance, HISTORY, now)
    start_of_day = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = max((now - start_of_day).total_seconds(), 60)
    records += [make_checkin(chance, start_of_day + timedelta(seconds=elapsed * n / TODAY))
                for n in range(TODAY)]
    CheckInStore(folder / "ours").import_records(records)
    table = {str(n): record for n, record in enumerate(records, 1)}
    (folder / "plain.json").write_text(json.dumps({"checkins": table}, ensure_ascii=False),
                                       encoding="utf-8")


def search_times(folder: Path, runs: int) -> tuple[float, float, int]:
    store = CheckInStore(folder / "ours")
    ours, plain = [], []
    found = 0
    for _ in range(runs):
        start = time.perf_counter()
        found = len(store.search(text="ann"))
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        with TinyDB(folder / "plain.json", encoding="utf-8") as db:
            db.table("checkins").search(Query().answers.name.first.test(
                lambda first: "ann" in first.casefold()))
        plain.append(time.perf_counter() - start)
    return statistics.median(ours), statistics.median(plain), found


def first_page_times(folder: Path, runs: int) -> tuple[float, float, float, int]:
    """A fresh store each run (nothing parsed or cached in the process): the
    first page of a name search, its second page, and the link suggestions'
    read, medians in seconds, and how many matched."""
    first, second, suggest = [], [], []
    total = 0
    for _ in range(runs):
        store = CheckInStore(folder / "ours")
        start = time.perf_counter()
        page, total = store.find_names("ann", limit=PAGE)
        first.append(time.perf_counter() - start)
        start = time.perf_counter()
        store.find_names("ann", limit=PAGE, offset=PAGE)
        second.append(time.perf_counter() - start)
        fresh = CheckInStore(folder / "ours")
        start = time.perf_counter()
        fresh.suggestions(page[0])
        suggest.append(time.perf_counter() - start)
        assert len(page) == PAGE
    return statistics.median(first), statistics.median(second), statistics.median(suggest), total


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_cpu(mode: str, data_dir: Path, seconds: float, results: dict[str, float]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "ready"
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        child = subprocess.Popen(
            [sys.executable, str(PROBE), str(out), mode, str(data_dir)],
            stdin=slave, stdout=slave, stderr=slave, close_fds=True,
            env={**os.environ, "TERM": "xterm-256color"})
        os.close(slave)

        def drain() -> None:
            try:
                while os.read(master, 65536):
                    pass
            except OSError:
                pass

        threading.Thread(target=drain, daemon=True).start()
        deadline = time.monotonic() + 120
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # a benchmark, not a test: polling for the app
        time.sleep(2)  # let start-up work settle before the idle window
        before = _cpu_seconds(child.pid)
        time.sleep(seconds)
        results[mode] = (_cpu_seconds(child.pid) - before) / seconds
        child.kill()
        child.wait()
        os.close(master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--idle-seconds", type=float, default=30)
    parser.add_argument("--search-only", action="store_true",
                        help="measure only the name search (skips start-up and idle CPU)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as name:
        folder = Path(name)
        print(f"seeding {HISTORY:,} check-ins over a year, {TODAY} of them today...", flush=True)
        seed(folder)
        data_dir = folder / "ours"

        kiosk, staff = [], []
        results: dict[str, float] = {}
        if not args.search_only:
            time_once("kiosk"), time_once("staff", str(data_dir))  # warm the file cache
            for _ in range(args.runs):
                kiosk.append(time_once("kiosk"))
                staff.append(time_once("staff", str(data_dir)))
        ours_search, plain_search, found = search_times(folder, args.runs)
        first, second, suggest, matched = first_page_times(folder, args.runs)
        if not args.search_only:
            watchers = [threading.Thread(target=idle_cpu, args=(mode, data_dir,
                                                                  args.idle_seconds, results))
                        for mode in ("staff-idle", "bare-idle")]
            for watcher in watchers:
                watcher.start()
            for watcher in watchers:
                watcher.join()

    print(f"\n{HISTORY:,} check-ins of history, {TODAY} today; medians of {args.runs} runs\n")
    print("| measure | baseline | ours | ratio | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    if kiosk:
        k, s = statistics.median(kiosk), statistics.median(staff)
        print(f"| today's queue on screen vs kiosk start-up | {k * 1000:.0f} ms "
              f"| {s * 1000:.0f} ms | {s / k:.2f}x | <= 1.5x |")
    print(f"| name search, first page ({PAGE} of {matched:,}), fresh store vs link "
          f"suggestions' read | {suggest * 1000:.0f} ms | {first * 1000:.0f} ms "
          f"| {first / suggest:.2f}x | <= 50 ms |")
    print(f"| name search, second page vs the first | {first * 1000:.0f} ms "
          f"| {second * 1000:.0f} ms | {second / first:.2f}x | the page's cost |")
    print(f"| name search over all history ({found:,} found) vs one plain TinyDB file "
          f"| {plain_search * 1000:.0f} ms | {ours_search * 1000:.0f} ms "
          f"| {ours_search / plain_search:.2f}x | — (the desk reads pages) |")
    if not results:
        return
    bare_cpu, staff_cpu = results["bare-idle"], results["staff-idle"]
    print(f"| idle CPU over {args.idle_seconds:.0f} s vs a bare Textual app "
          f"| {bare_cpu * 100:.2f}% | {staff_cpu * 100:.2f}% "
          f"| {staff_cpu / bare_cpu if bare_cpu else float('inf'):.2f}x | negligible |")


if __name__ == "__main__":
    main()
