"""A very busy day: saving a check-in, and seeing it arrive at the desk.

    python bench/busyday.py [--busy 50000] [--usual 100] [--samples 15]

Two data folders in the same run: one whose day already holds `--usual`
check-ins (the baseline: an ordinary clinic day), one whose day holds
`--busy`. For each, times
- the kiosk's save of one more check-in (`add()`), and
- its arrival at the desk: from the start of that save until a staff
  process (one store kept across polls, as the staff app keeps it; polling
  every millisecond rather than the app's half second) has seen the
  version change and read today's queue with it in.
Prints p50 and p95 of both, and the busy day's p50 as a ratio of the
ordinary day's. Target: arrival on the busy day within 2x of the ordinary
day's, and under the staff app's half-second poll.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store import make_checkin

from kiosk.clock import FakeClock
from kiosk.store.dayfiles.store import CheckInStore

# Noon UTC, so that the machine's local day is the same day wherever it runs.
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def p50_p95(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def desk(folder: str, ready: Connection, arrivals: Connection) -> None:
    """The staff screen's reading, in a process of its own as at the desk:
    poll the version; on a change, read today's queue and report its newest
    check-in and when it was read."""
    clock = FakeClock(NOW)
    store = CheckInStore(Path(folder), clock.now)
    seen = store.version()
    store.today()  # The desk has the queue on screen already.
    ready.send(True)
    while not arrivals.poll():
        version = store.version()
        if version == seen:
            time.sleep(0.001)  # The app polls every 0.5 s; here, as soon as can be.
            continue
        seen = version
        queue = store.today()
        arrivals.send((queue[-1]["id"], time.perf_counter()))


def measure(folder: Path, already: int, samples: int) -> tuple[list[float], list[float]]:
    """Save and arrival times (seconds) on a day already holding `already`."""
    chance = random.Random(already)
    clock = FakeClock(NOW)
    kiosk = CheckInStore(folder, clock.now)
    start = NOW - timedelta(hours=11)
    kiosk.import_records(make_checkin(chance, start + timedelta(seconds=0.5 * n))
                         for n in range(already))
    os.sync()  # The seeding's writes, flushed now, not by the first save's fsync.
    ready, ready_there = Pipe()
    arrivals, arrivals_there = Pipe()
    staff = Process(target=desk, args=(str(folder), ready_there, arrivals_there))
    staff.start()
    ready.recv()
    saves, arrived = [], []
    try:
        for _ in range(samples):
            record = make_checkin(chance, NOW)
            began = time.perf_counter()
            new_id = kiosk.add(record)
            saves.append(time.perf_counter() - began)
            while True:
                if not arrivals.poll(30):
                    raise AssertionError("the desk never saw the new check-in")
                newest, when = arrivals.recv()
                if newest == new_id:
                    break
            arrived.append(when - began)
            clock.advance(1)
    finally:
        arrivals.send("stop")
        staff.join(30)
    return saves, arrived


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", type=int, default=50_000)
    parser.add_argument("--usual", type=int, default=100)
    parser.add_argument("--samples", type=int, default=15)
    args = parser.parse_args()
    results = {}
    for label, count in (("usual", args.usual), ("busy", args.busy)):
        with tempfile.TemporaryDirectory() as folder:
            results[label] = measure(Path(folder) / "data", count, args.samples)
    print(f"A day of {args.busy:,} check-ins against one of {args.usual:,} "
          f"({args.samples} saves each)")
    print(f"{'':36}{'p50 ms':>9}{'p95 ms':>9}{'p50 ratio':>11}")
    for what, index in (("save", 0), ("arrival at the desk", 1)):
        usual = p50_p95(results["usual"][index])
        busy = p50_p95(results["busy"][index])
        print(f"{what + f' ({args.usual:,}, baseline)':36}{usual[0] * 1000:>9.1f}"
              f"{usual[1] * 1000:>9.1f}{1:>10.2f}x")
        print(f"{what + f' ({args.busy:,})':36}{busy[0] * 1000:>9.1f}"
              f"{busy[1] * 1000:>9.1f}{busy[0] / usual[0]:>10.2f}x")


if __name__ == "__main__":
    main()
