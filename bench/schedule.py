"""The day's appointments: matching an arrival, importing five years of a
clinic's bookings, and an arrival reaching the practitioner's webhook.

    python bench/schedule.py [--runs 15]

Each figure beside a baseline measured in the same run:
- matching after the name question (the bookings open now for a name, and
  the decision), with 2,000 bookings in the day and five years stored in the
  day files, beside the name page being drawn in Pilot at 80x24; target:
  matching within 5 ms;
- importing an ICS file of five years of a ten-practitioner clinic (weekly
  recurring series and single bookings; every occurrence expanded, checked
  and written to the day files), beside reading the same file with icalendar
  alone;
- arrival to the practitioner's webhook on 127.0.0.1: from the check-in's
  save (and its notice put in the outbox) until the receiver has it, beside
  a bare POST of the same notice; target: p50 under 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from startup import scratch_folder

from kiosk.clock import FakeClock
from kiosk.schedule.matching import Slot, Window, match
from kiosk.schedule.model import Appointment
from kiosk.store.dayfiles.store import CheckInStore

PRACTITIONERS = [f"P{n}" for n in range(10)]
NAMES = ["Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lu"]


def _day_of_bookings(day: date, count: int, chance: random.Random) -> list[Appointment]:
    start = datetime.combine(day, datetime.min.time()).astimezone() + timedelta(hours=7)
    found = []
    for n in range(count):
        at = start + timedelta(minutes=chance.randrange(0, 12 * 60, 5))
        first = chance.choice(NAMES)
        found.append(Appointment(f"d{day}-{n}", at.astimezone(UTC),
                                 (at + timedelta(hours=1)).astimezone(UTC),
                                 chance.choice(PRACTITIONERS), "Massage", first,
                                 chance.choice("ABCDEFGHJK"), source="bench"))
    return found


def matching(runs: int) -> tuple[float, float, float]:
    """Median ms: matching, and the name page drawn; p95 of matching."""
    chance = random.Random(3)
    folder = scratch_folder("kiosk-bench-schedule-")
    store = CheckInStore(folder / "data")
    today = datetime.now().astimezone().date()
    five_years = [today - timedelta(days=n) for n in range(1, 5 * 365, 7)]  # A day a week.
    history = [b for day in five_years for b in _day_of_bookings(day, 150, chance)]
    store.put_appointments("bench", five_years[-1], today - timedelta(days=1), history)
    store.put_appointments("bench", today, today, _day_of_bookings(today, 2_000, chance))
    now = datetime.now().astimezone().replace(hour=12, minute=0)
    times = []
    for run in range(runs + 1):
        key = f"{NAMES[run % len(NAMES)].casefold()}|a"
        started = time.perf_counter()
        match(store.open_slots(key, now, Window()), seconds=store.second_matches)
        if run:
            times.append(time.perf_counter() - started)
    drawn = asyncio.run(_name_page(folder, runs))
    times.sort()
    return (statistics.median(times) * 1000, drawn * 1000,
            times[int(0.95 * (len(times) - 1))] * 1000)


async def _name_page(folder: Path, runs: int) -> float:
    from kiosk.settings import load_settings
    from screens.app import make_app

    settings = replace(load_settings(data_dir=folder / "page", environ={}), touch_keyboard=False)
    app = make_app(settings, clock=FakeClock(datetime.now(UTC)))
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#start")
        await pilot.pause()
        await pilot.click("#skip")
        while app.screen.id != "questionnaire":
            await pilot.pause()
        screen = app.screen
        for run in range(runs + 1):
            started = time.perf_counter()
            await screen._show(0)  # type: ignore[attr-defined]
            screen.refresh(layout=True)
            await app._animator.wait_until_complete()
            app.screen._compositor.render_update(full=True)
            if run:
                times.append(time.perf_counter() - started)
    return statistics.median(times)


def clinic_ics() -> bytes:
    """Five years of ten practitioners: weekly series of half a year each
    (15 slots a practitioner), and three single bookings a weekday each."""
    import icalendar

    chance = random.Random(5)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//clinic-kiosk bench//")
    cal.add("version", "2.0")
    first = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(
        days=5 * 365)
    number = 0
    for practitioner in PRACTITIONERS:
        for half_year in range(10):
            for slot in range(15):
                start = first + timedelta(days=half_year * 182 + slot % 5,
                                          hours=slot // 5 * 3)
                number += 1
                event = icalendar.Event()
                event.add("uid", f"series-{number}@bench")
                event.add("summary", f"{chance.choice(NAMES)} Smith - Massage")
                event.add("dtstart", start)
                event.add("dtend", start + timedelta(hours=1))
                event.add("rrule", {"freq": "weekly", "count": 26})
                organizer = icalendar.vCalAddress(f"mailto:{practitioner}@bench")
                organizer.params["cn"] = practitioner
                event["organizer"] = organizer
                cal.add_component(event)
        for day in range(5 * 365):
            when = first + timedelta(days=day)
            if when.weekday() >= 5:
                continue
            for slot in range(3):
                number += 1
                start = when + timedelta(hours=1 + slot * 3, minutes=30)
                event = icalendar.Event()
                event.add("uid", f"single-{number}@bench")
                event.add("summary", f"{chance.choice(NAMES)} Jones (Deep tissue)")
                event.add("dtstart", start)
                event.add("dtend", start + timedelta(minutes=45))
                organizer = icalendar.vCalAddress(f"mailto:{practitioner}@bench")
                organizer.params["cn"] = practitioner
                event["organizer"] = organizer
                cal.add_component(event)
    return cal.to_ical()


def importing() -> tuple[float, float, int, int]:
    """Seconds: our import, icalendar alone; events and occurrences."""
    import icalendar

    from kiosk.desk.schedule import import_source
    from kiosk.schedule.sources import source_from_setting

    data = clinic_ics()
    folder = scratch_folder("kiosk-bench-import-")
    path = folder / "clinic.ics"
    path.write_bytes(data)
    started = time.perf_counter()
    calendar = icalendar.Calendar.from_ical(data)
    events = len(calendar.walk("VEVENT"))
    alone = time.perf_counter() - started
    store = CheckInStore(folder / "data")
    source = source_from_setting({"file": str(path)}, "bench", folder)
    started = time.perf_counter()
    imported = import_source(store, source, datetime.now().astimezone().date())
    ours = time.perf_counter() - started
    return ours, alone, events, imported.count


def webhook(runs: int) -> tuple[float, float, float]:
    """Median and p95 ms from the save to the receiver; a bare POST's median."""
    from kiosk.notices import Outbox, arrival_notice_for, send
    from tests.support.records import checkin
    from tests.support.webhook import Receiver

    receiver = Receiver()
    folder = scratch_folder("kiosk-bench-webhook-")
    store = CheckInStore(folder / "data")
    outbox = Outbox(folder / "data", receiver.url, lambda: datetime.now(UTC))
    threading.Thread(target=outbox.run, daemon=True).start()
    start = datetime.now(UTC)
    booking = Slot("b", start, start + timedelta(hours=1), "Maya", "Massage", True)
    ours, bare = [], []
    for run in range(runs + 1):
        record = checkin("Ann", datetime.now(UTC), appointment=booking.to_record("kiosk"))
        before = len(receiver.bodies)
        started = time.perf_counter()
        store.add(record)
        notice = arrival_notice_for(record, "en")
        assert notice is not None
        outbox.put(notice)
        while len(receiver.bodies) == before:
            time.sleep(0.001)  # a benchmark, not a test: polling for the receiver
        if run:
            ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        send(receiver.url, b'{"text": "bare"}')
        if run:
            bare.append(time.perf_counter() - started)
    outbox.stop.set()
    outbox.wake.set()
    receiver.server.shutdown()
    ours.sort()
    return (statistics.median(ours) * 1000, ours[int(0.95 * (len(ours) - 1))] * 1000,
            statistics.median(bare) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    ours, drawn, p95 = matching(args.runs)
    took, alone, events, occurrences = importing()
    hook, hook95, bare = webhook(args.runs)
    print(f"medians of {args.runs} runs\n")
    print("| measure | baseline | ours | ratio | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    print(f"| matching after the name (2,000 today, 5 years stored) vs the name page drawn "
          f"| {drawn:.1f} ms | {ours:.2f} ms (p95 {p95:.2f}) | {ours / drawn:.2f}x | <= 5 ms |")
    print(f"| importing 5 years, 10 practitioners ({events:,} events, {occurrences:,} "
          f"bookings) vs icalendar alone | {alone:.1f} s | {took:.1f} s | {took / alone:.1f}x "
          "| the figure |")
    print(f"| arrival to the webhook on 127.0.0.1 vs a bare POST | {bare:.1f} ms "
          f"| {hook:.1f} ms (p95 {hook95:.1f}) | {hook / bare:.1f}x | p50 < 1 s |")


if __name__ == "__main__":
    main()
