"""How long a save takes as history grows: this store beside plain TinyDB.

    python bench/store.py [--samples 40]

For 0, 10,000 and 100,000 check-ins of history (spread over the 365 days
before today), times `add()` of one more check-in in this store and
`table.insert()` in plain TinyDB with its default JSONStorage, both on the
same disk in the same run, and prints p50 and p95 with their ratios.
Target: this store's p50 at 100,000 within 1.5x of its p50 at 0, and under
20 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tinydb import TinyDB

from kiosk.checkin.record import clean_answers, new_record
from kiosk.checkin.rules import flags, recommend
from kiosk.content.model import load_content
from kiosk.store.dayfiles.store import CheckInStore

HISTORY = (0, 10_000, 100_000)
CONTENT = load_content()
NAMES = ("Ann", "Bo", "Zoë", "Marguerite", "Sven", "Aiyana", "José", "Li")


def make_checkin(chance: random.Random, when: datetime) -> dict:
    """A check-in with every question answered, as the kiosk saves it."""
    raw: dict = {}
    for question in CONTENT.questions:
        options = [option.id for option in question.options]
        if question.kind == "name":
            raw[question.id] = {"first": chance.choice(NAMES), "last_initial": "K"}
        elif question.kind == "single":
            raw[question.id] = chance.choice(options)
        elif question.kind == "multi":
            plain = [o for o in options if o not in question.exclusive]
            raw[question.id] = chance.sample(plain, chance.randint(1, min(3, len(plain))))
        elif question.kind == "scale":
            raw[question.id] = chance.randint(question.minimum, question.maximum)
        else:
            raw[question.id] = True
    answers = clean_answers(CONTENT.questions, raw)
    rules = CONTENT.rules
    return new_record(answers, recommend(rules, answers), flags(rules, answers), when)


def history(chance: random.Random, count: int, now: datetime) -> list[dict]:
    """`count` check-ins at random times in the 365 days before today."""
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return [make_checkin(chance, today - timedelta(seconds=chance.uniform(1, 365 * 86400)))
            for _ in range(count)]


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def time_ours(folder: Path, past: list[dict], new: list[dict]) -> list[float]:
    store = CheckInStore(folder / "ours")
    store.import_records(past)
    store.add(make_checkin(random.Random(0), datetime.now(UTC)))  # Warm: imports, caches.
    times = []
    for record in new:
        start = time.perf_counter()
        store.add(record)
        times.append(time.perf_counter() - start)
    assert len(store.today()) == len(new) + 1
    return times


def time_plain(folder: Path, past: list[dict], new: list[dict]) -> list[float]:
    path = folder / "plain.json"
    # TinyDB's own file layout, written directly: inserting 100,000 one by
    # one would take about two days.
    table = {str(number): record for number, record in enumerate(past, 1)}
    path.write_text(json.dumps({"checkins": table}, ensure_ascii=False), encoding="utf-8")
    times = []
    with TinyDB(path, encoding="utf-8", ensure_ascii=False) as db:
        checkins = db.table("checkins")
        checkins.insert(make_checkin(random.Random(0), datetime.now(UTC)))  # Warm, as ours.
        for record in new:
            start = time.perf_counter()
            checkins.insert(record)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=40, help="saves timed per row (ours)")
    args = parser.parse_args()
    chance = random.Random(2026)
    now = datetime.now(UTC)
    rows = []
    for count in HISTORY:
        past = history(chance, count, now)
        new = [make_checkin(chance, now) for _ in range(args.samples)]
        # Plain TinyDB takes ~2 s a save at 100,000: fewer samples there.
        plain_samples = max(5, args.samples // (1 + count // 5000))
        with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as folder:
            ours = percentiles(time_ours(Path(folder), past, new))
            plain = percentiles(time_plain(Path(folder), past, new[:plain_samples]))
        rows.append((count, ours, plain))
        print(f"  measured {count:,} of history", flush=True)
    base = rows[0][1][0]
    print()
    print("history    | this store p50   p95 | vs p50 at 0 | plain TinyDB p50     p95 "
          "| TinyDB / ours")
    print("---------- | -------------------- | ----------- | ------------------------ "
          "| -------------")
    for count, (p50, p95), (plain50, plain95) in rows:
        print(f"{count:>10,} | {p50 * 1000:8.2f} ms {p95 * 1000:6.2f} ms | "
              f"{p50 / base:10.2f}x | {plain50 * 1000:10.1f} ms {plain95 * 1000:9.1f} ms "
              f"| {plain50 / p50:12.1f}x")
    top = rows[-1][1][0]
    verdict = "met" if top <= 1.5 * base and top < 0.020 else "NOT met"
    print(f"\ntarget (p50 at 100,000 <= 1.5x p50 at 0, and < 20 ms): {verdict}")


if __name__ == "__main__":
    main()
