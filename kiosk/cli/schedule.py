"""The schedule commands: `schedule import [FILE]`, `schedule show [--date D]`,
and `schedule check FILE`."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kiosk.cli.parser import EXIT_BAD_INPUT
from kiosk.settings import Settings

STATE_WORDS = {"due": "expected", "late": "LATE", "no-show": "did not show"}


def _source_for_file(path: Path, settings: Settings) -> Any:
    """The configured source this file is, or one made for it: an .ics as
    the defaults read it; a CSV with the columns of the configured CSV
    source (a CSV's columns live in kiosk.toml)."""
    from kiosk.desk.schedule import source_for
    from kiosk.schedule.model import ScheduleError, Source

    resolved = str(path.expanduser().resolve())
    known = source_for(resolved, settings.schedule)
    if known is not None:
        return known
    if resolved.lower().endswith(".csv"):
        template = next((source for source in settings.schedule if source.kind == "csv"), None)
        if template is None:
            raise ScheduleError(f"{resolved}: a CSV needs its columns: add it to 'schedule' in "
                                "kiosk.toml with columns = { date = ..., start = ..., ... }")
        return Source(location=resolved, kind="csv", columns=template.columns,
                      date_format=template.date_format, time_format=template.time_format,
                      zone=template.zone)
    return Source(location=resolved, kind="ics")


def schedule_command(settings: Settings, args: dict[str, Any]) -> int:
    from kiosk.files import StoreError
    from kiosk.schedule.model import ScheduleError

    action = args["schedule_command"]
    try:
        if action == "check":
            return _check(settings, args["file"])
        if action == "import":
            return _import(settings, args.get("file"))
        return _show(settings, args.get("date"))
    except ScheduleError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreError as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1


def _today() -> date:
    return datetime.now().astimezone().date()


def _check(settings: Settings, path: Path) -> int:
    from kiosk.desk.schedule import read

    source = _source_for_file(path, settings)
    found = read(source, _today())
    named = sum(1 for appointment in found if appointment.named)
    span = (f", {found[0].starts_at.astimezone():%Y-%m-%d} to "
            f"{found[-1].starts_at.astimezone():%Y-%m-%d}" if found else "")
    print(f"{source.name}: {len(found):,} appointment(s){span}; {named:,} with a client's "
          f"name, {len(found) - named:,} without")
    return 0


def _import(settings: Settings, path: Path | None) -> int:
    from kiosk.desk.schedule import import_source, refresh
    from kiosk.store.choose import open_desk_store

    store = open_desk_store(settings)
    if path is None:
        if not settings.schedule:
            print("kiosk: no schedule is set: add schedule = [...] to kiosk.toml, or give "
                  "a FILE", file=sys.stderr)
            return EXIT_BAD_INPUT
        failed = refresh(store, settings.schedule, _today(), only_feeds=False)
        for line in failed:
            print(f"kiosk: {line}", file=sys.stderr)
        done = len(settings.schedule) - len(failed)
        print(f"Read {done} of {len(settings.schedule)} schedule source(s).")
        return EXIT_BAD_INPUT if failed else 0
    source = _source_for_file(path, settings)
    imported = import_source(store, source, _today(), track=source in settings.schedule)
    print(f"Imported {imported.count:,} appointment(s) from {imported.source} "
          f"({imported.first} to {imported.last}).")
    return 0


def _show(settings: Settings, day: date | None) -> int:
    from kiosk.desk.rows import printable
    from kiosk.desk.schedule import desk_schedule, stale_lines
    from kiosk.schedule.day import expectation
    from kiosk.schedule.matching import booked, minutes_late
    from kiosk.schedule.model import Source
    from kiosk.store.choose import open_desk_store

    store = open_desk_store(settings)
    day = day or _today()
    bookings = store.appointments(day)
    arrivals = {str(appointment["id"]): record for record in store.search(since=day, until=day)
                if (appointment := booked(record)) is not None}
    schedule = desk_schedule(settings) or desk_schedule(replace(
        settings, schedule=(Source(location="", kind="ics"),)))
    assert schedule is not None
    now = datetime.now().astimezone()
    print(f"{day:%A %Y-%m-%d}: {len(bookings)} appointment(s)")
    for booking in bookings:
        record = arrivals.get(booking.id)
        if record is not None:
            late = minutes_late(record) or 0
            state = (f"arrived {datetime.fromisoformat(record['created_at']).astimezone():%H:%M}"
                     + (f", {late} min late" if late > 0 else ""))
        elif day == now.date():
            state = STATE_WORDS[expectation(booking, now, late_after=schedule.late_after,
                                            window=schedule.window)]
        else:
            state = "no arrival"
        print(f"  {booking.starts_at.astimezone():%H:%M}  {printable(booking.client, 24):<24}  "
              f"{printable(booking.practitioner, 16):<16}  {printable(booking.service, 24):<24}"
              f"  {state}")
    for line in stale_lines(store.schedule_states()):
        print(f"warning: {line}")
    return 0
