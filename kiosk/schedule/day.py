"""The day against its bookings: who is expected and not here yet, who is
late, who did not show, and how punctual the day has been."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from kiosk.schedule.matching import Window, booked, minutes_late
from kiosk.schedule.model import Appointment

LATE_AFTER = timedelta(minutes=10)
"""`late_after`: past its start by this much, a booking nobody has arrived
for is marked late, and an arrival counts as late."""

Expectation = Literal["due", "late", "no-show"]


@dataclass(frozen=True)
class Expected:
    """A booking of today with no arrival yet."""

    appointment: Appointment
    state: Expectation
    """"due" (its time has not come, or only just), "late" (past its start
    plus `late_after`), "no-show" (its arrival window has closed)."""


def arrived_ids(records: Iterable[Mapping[str, Any]]) -> set[str]:
    """The bookings these check-ins were matched to."""
    return {str(appointment["id"]) for record in records
            if (appointment := booked(record)) is not None}


def expectation(appointment: Appointment, now: datetime, *, late_after: timedelta,
                window: Window) -> Expectation:
    if now > appointment.starts_at + window.after and now > appointment.starts_at + late_after:
        return "no-show"
    if now > appointment.starts_at + late_after:
        return "late"
    return "due"


def expected(appointments: Iterable[Appointment], records: Iterable[Mapping[str, Any]],
             now: datetime, *, late_after: timedelta = LATE_AFTER,
             window: Window | None = None) -> list[Expected]:
    """Today's bookings nobody has arrived for, by start."""
    window = window or Window()
    here = arrived_ids(records)
    return [Expected(appointment, expectation(appointment, now, late_after=late_after,
                                              window=window))
            for appointment in sorted(appointments, key=lambda a: (a.starts_at, a.id))
            if appointment.id not in here]


@dataclass(frozen=True)
class Punctuality:
    """Today at a glance, against the bookings."""

    on_time: int
    late: int
    not_yet: int
    no_show: int
    median_late_minutes: float | None
    """The median of how late the late arrivals were; None if none was."""


def punctuality(appointments: Sequence[Appointment], records: Iterable[Mapping[str, Any]],
                now: datetime, *, late_after: timedelta = LATE_AFTER,
                window: Window | None = None) -> Punctuality:
    records = list(records)
    lateness = [minutes for record in records
                if (minutes := minutes_late(record)) is not None]
    limit = late_after.total_seconds() / 60
    late = [minutes for minutes in lateness if minutes > limit]
    waiting = expected(appointments, records, now, late_after=late_after, window=window)
    return Punctuality(
        on_time=len(lateness) - len(late), late=len(late),
        not_yet=sum(1 for item in waiting if item.state != "no-show"),
        no_show=sum(1 for item in waiting if item.state == "no-show"),
        median_late_minutes=statistics.median(late) if late else None)
