"""Schedules as booking systems write them: iCalendar made with icalendar,
and CSV as a spreadsheet exports it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar

from kiosk.schedule.model import Source
from kiosk.schedule.sources import source_from_setting


@dataclass
class Booking:
    """One event to write."""

    start: datetime
    minutes: int = 60
    summary: str = "Appointment"
    practitioner: str = "Maya"
    uid: str = ""
    rrule: dict[str, Any] | None = None
    exdates: tuple[datetime, ...] = ()
    status: str = ""
    all_day: date | None = None


def calendar(bookings: Iterable[Booking], moved: Iterable[tuple[Booking, datetime]] = ()
             ) -> bytes:
    """An iCalendar file: each booking an event (`moved`: an occurrence of a
    recurring booking, given by its original start, moved to another time)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//clinic-kiosk tests//")
    cal.add("version", "2.0")
    for number, booking in enumerate(bookings):
        cal.add_component(_event(booking, booking.uid or f"booking-{number}@test"))
    for booking, original in moved:
        event = _event(booking, booking.uid)
        event.add("recurrence-id", original)
        cal.add_component(event)
    return cal.to_ical()


def _event(booking: Booking, uid: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("summary", booking.summary)
    if booking.all_day is not None:
        event.add("dtstart", booking.all_day)
        return event
    event.add("dtstart", booking.start)
    event.add("dtend", booking.start + timedelta(minutes=booking.minutes))
    organizer = icalendar.vCalAddress(f"mailto:{booking.practitioner.lower()}@clinic.test")
    organizer.params["cn"] = booking.practitioner
    event["organizer"] = organizer
    if booking.rrule:
        event.add("rrule", booking.rrule)
    for exdate in booking.exdates:
        event.add("exdate", exdate)
    if booking.status:
        event.add("status", booking.status)
    return event


CSV_COLUMNS = {"date": "Date", "start": "Start", "end": "End", "first_name": "First name",
               "last_name": "Last name", "practitioner": "Practitioner", "service": "Service",
               "phone": "Mobile"}


def spreadsheet_csv(rows: Iterable[dict[str, str]], columns: dict[str, str] = CSV_COLUMNS
                    ) -> bytes:
    """A CSV as a European spreadsheet saves it: a byte-order mark, ";"
    between fields, every field in quotes, CRLF."""
    names = list(columns.values())
    lines = [";".join(f'"{name}"' for name in names)]
    for row in rows:
        lines.append(";".join('"' + row.get(field, "").replace('"', '""') + '"'
                              for field in columns))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def ics_source(path: Path, **options: Any) -> Source:
    return source_from_setting({"file": str(path), **options}, "test", path.parent)


def csv_source(path: Path, columns: dict[str, str] = CSV_COLUMNS, **options: Any) -> Source:
    return source_from_setting({"file": str(path), "columns": columns, **options}, "test",
                               path.parent)
