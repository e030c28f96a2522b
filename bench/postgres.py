"""The shared database beside the day files, in one run, on a server this
script starts (tests/support/postgres.py: initdb and pg_ctl, 127.0.0.1, a temporary
folder).

    python bench/postgres.py [--rows 1000000] [--local 100000] [--runs 7]

History: `--rows` check-ins in PostgreSQL over ten years (a chain's ten
clinics' worth), and `--local` in the TinyDB day files over one year: the
same number a day in both, so a day's queue is the same size. Clients'
names come from a large pool (as a real clinic's do), so a name search
finds a few dozen, not a tenth of all history.

Prints, medians of `--runs`, each with its ratio:
- the staff queue: today's, read again after an arrival (each store kept,
  as the staff app keeps its own), PostgreSQL with `--rows` against the
  day files with `--local`. Target <= 1x.
- a name search over all history, the same stores. Target <= 0.25x (a
  trigram index: migration 2).
- delivery: 1,000 check-ins waiting at one kiosk, sent; check-ins a second.
- a saved check-in's arrival at another machine's desk: from the kiosk's
  save until a desk store (polling its version every 10 ms, where the app
  polls every 0.5 s) has read it in today's queue; p50 and p95 of 40.
- the kiosk's save, with the database free and then stuck behind a lock
  held on its table (the delivery waits; the save must not).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store import make_checkin

from kiosk.checkin.record import client_name, name_key
from kiosk.clock import utc_now
from kiosk.delivery import Delivery
from kiosk.store.dayfiles.store import CheckInStore
from kiosk.store.postgres import schema as database
from kiosk.store.postgres.store import PostgresStore
from tests.support.postgres import running_server

SYLLABLES = ("an", "be", "co", "da", "el", "fi", "go", "ha", "is", "jo", "ka", "li", "mo",
             "na", "or", "pe", "ra", "si", "tu", "vi", "wa", "ye", "zo", "lu", "mi")
SEARCHED = "Kalimo"
"""A first name the search looks for (a few in each history)."""


def a_name(chance: random.Random) -> dict[str, str]:
    first = "".join(chance.choice(SYLLABLES) for _ in range(3)).capitalize()
    return {"first": first, "last_initial": chance.choice("ABCDEFGHIJKLMNOPRSTW")}


def templates(chance: random.Random, count: int) -> list[dict]:
    """Check-ins with every question answered, to vary by id, time and name."""
    return [make_checkin(chance, utc_now()) for _ in range(count)]


def history(chance: random.Random, shapes: list[dict], count: int, days: int,
            now: datetime) -> list[dict]:
    start_of_today = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    today = max(1, count // days)  # As many today as on any day.
    records = []
    for n in range(count):
        record = json.loads(json.dumps(chance.choice(shapes)))
        record["id"] = f"{chance.getrandbits(128):032x}"
        record["id"] = (f"{record['id'][:8]}-{record['id'][8:12]}-4{record['id'][13:16]}-"
                        f"a{record['id'][17:20]}-{record['id'][20:32]}")
        when = start_of_today - timedelta(seconds=chance.uniform(1, days * 86400))
        if n < today:
            elapsed = max((now - start_of_today).total_seconds(), 60)
            when = start_of_today + timedelta(seconds=chance.uniform(0, elapsed))
        record["created_at"] = when.isoformat(timespec="seconds")
        record["answers"]["name"] = ({"first": SEARCHED, "last_initial": "Q"}
                                     if n % 25_000 == 7 else a_name(chance))
        records.append(record)
    return records


def seed_postgres(url: str, records: list[dict]) -> None:
    """COPY, as a bulk load would: far faster than a million inserts."""
    import psycopg

    with psycopg.connect(url) as db, db.cursor() as cursor:
        with cursor.copy("COPY checkins (id, site, created_at, status, flagged, name, "
                         "name_key, record) FROM STDIN") as copy:
            for record in records:
                copy.write_row((record["id"], "main", record["created_at"], record["status"],
                                bool(record["flags"]), client_name(record).casefold(),
                                name_key(record), json.dumps(record)))
        db.commit()
        db.execute("ANALYZE checkins")
        db.commit()


def median_ms(work, runs: int) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        found = len(work())
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--local", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    chance = random.Random(14)
    now = utc_now()
    shapes = templates(chance, 400)
    days_local = 365
    days_shared = max(1, round(days_local * args.rows / args.local))
    with tempfile.TemporaryDirectory() as folder, running_server() as server:
        url = server.url()
        database.migrate(url)
        began = time.perf_counter()
        seed_postgres(url, history(chance, shapes, args.rows, days_shared, now))
        print(f"seeded {args.rows:,} rows over {days_shared:,} days in "
              f"{time.perf_counter() - began:.0f} s")
        local = Path(folder) / "data"
        CheckInStore(local).import_records(history(chance, shapes, args.local, days_local, now))

        # Each store kept, as the staff app keeps its own; each queue read
        # follows an arrival, as the app's reload does.
        kept_local = CheckInStore(local)
        kept_shared = PostgresStore(url)

        def after_an_arrival(store):
            def work() -> list[dict]:
                store.add(make_checkin(chance, utc_now()))  # Not timed: before.
                started = time.perf_counter()
                found = store.today()
                work.took = time.perf_counter() - started  # type: ignore[attr-defined]
                return found
            return work

        def timed(work, runs: int) -> tuple[float, int]:
            times, found = [], 0
            for _ in range(runs):
                found = len(work())
                times.append(work.took)
            return statistics.median(times) * 1000, found

        print(f"{'measure':58}{'day files':>11}{'database':>11}{'ratio':>8}")
        queue_local, found_local = timed(after_an_arrival(kept_local), args.runs)
        queue_shared, found_shared = timed(after_an_arrival(kept_shared), args.runs)
        label = f"today's queue after an arrival (ms): {found_local:,} / {found_shared:,}"
        print(f"{label:58}{queue_local:>11.1f}{queue_shared:>11.1f}"
              f"{queue_shared / queue_local:>7.2f}x  target <= 1x")
        search_local, found_local = median_ms(lambda: kept_local.search(text=SEARCHED),
                                              args.runs)
        search_shared, found_shared = median_ms(lambda: kept_shared.search(text=SEARCHED),
                                                args.runs)
        label = f"a name search over all history (ms): {found_local:,} / {found_shared:,}"
        print(f"{label:58}{search_local:>11.1f}{search_shared:>11.1f}"
              f"{search_shared / search_local:>7.2f}x  target <= 0.25x")
        kept_shared.close()

        # Delivery: 1,000 waiting at one kiosk.
        kiosk = CheckInStore(Path(folder) / "kiosk")
        kiosk.import_records(history(chance, shapes, 1000, 1, now))
        sender = Delivery(kiosk, url, site="bench", keep_days=7, clock=utc_now)
        began = time.perf_counter()
        sent = sender.deliver()
        took = time.perf_counter() - began
        print(f"delivery: {sent:,} waiting check-ins sent in {took * 1000:.0f} ms "
              f"({sent / took:,.0f} a second)")

        # Arrival at another machine's desk.
        desk = PostgresStore(url, only_site="bench")
        desk.version()
        while desk._listener is None or not desk._listener.listening.is_set():
            time.sleep(0.01)
        runner = threading.Thread(target=sender.run, daemon=True)
        runner.start()
        arrivals = []
        for _ in range(40):
            record = make_checkin(chance, datetime.now(UTC))
            seen = desk.version()
            began = time.perf_counter()
            new_id = kiosk.add(record)
            sender.wake.set()
            while True:
                if desk.version() != seen:
                    seen = desk.version()
                    if any(row["id"] == new_id for row in desk.today()):
                        break
                time.sleep(0.01)
            arrivals.append(time.perf_counter() - began)
        # A slow database: a lock held on the table, so every delivery waits.
        # The kiosk's save (what the client's result waits for) is timed with
        # the database free and then stuck.
        import psycopg

        def saves() -> list[float]:
            times = []
            for _ in range(30):
                record = make_checkin(chance, datetime.now(UTC))
                began = time.perf_counter()
                kiosk.add(record)
                sender.wake.set()
                times.append(time.perf_counter() - began)
            return times

        free = saves()
        with psycopg.connect(url) as holder:
            holder.execute("LOCK TABLE checkins IN ACCESS EXCLUSIVE MODE")
            stuck = saves()
            holder.rollback()
        sender.stop.set()
        sender.wake.set()
        print(f"the kiosk's save, database free: p50 {statistics.median(free) * 1000:.1f} ms; "
              f"database stuck behind a lock: p50 {statistics.median(stuck) * 1000:.1f} ms "
              f"({statistics.median(stuck) / statistics.median(free):.2f}x)")
        arrivals.sort()
        print(f"a saved check-in at another machine's desk: p50 "
              f"{statistics.median(arrivals) * 1000:.0f} ms, p95 "
              f"{arrivals[int(len(arrivals) * 0.95) - 1] * 1000:.0f} ms (40 saves)")
        desk.close()


if __name__ == "__main__":
    main()
