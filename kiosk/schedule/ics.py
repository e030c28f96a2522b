"""iCalendar (RFC 5545) files and feeds into appointments.

icalendar parses the file; recurring-ical-events expands recurring bookings
(RRULE, RDATE, EXDATE, and occurrences moved with RECURRENCE-ID) across
time zones. All-day events and cancelled ones are not appointments.

Which field holds what is the source's setting (`summary`): the client's
name ("Ann Brown", "Ann Brown - Sports massage", "Ann Brown (Sports
massage)"), the service (the client then is the first attendee), or nothing
personal at all. A summary such as "Appointment" or "Busy" is no name. The
practitioner is the source's own `practitioner`, else the organizer's name.

Errors name the file and the line or the event's number, never what a
client is called: a summary is a name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from kiosk.schedule.model import MOST_EVENTS, Appointment, ScheduleError, Source, clean_text

DEFAULT_LENGTH = timedelta(minutes=60)
"""An event with a start and neither end nor duration."""
NOT_A_NAME = {"appointment", "appt", "booked", "booking", "busy", "reserved", "private",
              "unavailable", "blocked", "client", "patient", "session"}
"""Summaries that say a slot is taken without saying by whom."""

_CONTENT_LINE = re.compile(rb"[A-Za-z0-9-]+(;[^:]*)?:")
_SEPARATORS = re.compile(r"\s+[-–—|:]\s+|\s*:\s+")


def check_lines(data: bytes, where: str) -> None:
    """The file is lines of iCalendar content, BEGIN and END in step:
    `ScheduleError` naming the first line that is not."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        raise ScheduleError(f"{where}: is not an iCalendar file (it must begin BEGIN:VCALENDAR)")
    stack: list[bytes] = []
    events = 0
    number = 0
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip() or raw[:1] in (b" ", b"\t"):
            continue  # A blank line, or a folded one going on from the last.
        if not _CONTENT_LINE.match(raw):
            raise ScheduleError(f"{where}: line {number} is not an iCalendar line "
                                "(NAME:value)")
        name, _, value = raw.partition(b":")
        name = name.split(b";")[0].upper()
        if name == b"BEGIN":
            stack.append(value.strip().upper())
            if stack[-1] == b"VEVENT":
                events += 1
                if events > MOST_EVENTS:
                    raise ScheduleError(
                        f"{where}: holds more than {MOST_EVENTS:,} events (line {number}); "
                        "export a shorter range of dates")
        elif name == b"END" and (not stack or stack.pop() != value.strip().upper()):
            raise ScheduleError(f"{where}: line {number} ends a block that was not begun")
    if stack or number == 0:
        raise ScheduleError(f"{where}: ends before its calendar does (no END:VCALENDAR)")


def _event_lines(data: bytes) -> list[int]:
    """The line each VEVENT begins on, in order."""
    return [number for number, raw in enumerate(data.splitlines(), start=1)
            if raw.strip().upper() == b"BEGIN:VEVENT"]


def read_ics(data: bytes, where: str, source: Source, first: date, last: date
             ) -> list[Appointment]:
    """The appointments on the local days `first`..`last` (inclusive)."""
    import icalendar
    import recurring_ical_events

    check_lines(data, where)
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError):
        raise ScheduleError(f"{where}: could not be read as iCalendar") from None
    lines = _event_lines(data)
    masters: dict[str, Any] = {}
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        at = f"event {number}" + (f" (line {lines[number - 1]})" if number <= len(lines) else "")
        _check_event(event, where, at)
        if "RECURRENCE-ID" not in event:
            masters.setdefault(str(event.get("UID", "")), event)
    start = datetime.combine(first, datetime.min.time()).astimezone()
    end = datetime.combine(last + timedelta(days=1), datetime.min.time()).astimezone()
    try:
        occurrences = list(recurring_ical_events.of(calendar, skip_bad_series=False)
                           .between(start, end))
    except Exception:
        raise ScheduleError(f"{where}: a recurring event's rule could not be read") from None
    found: dict[str, Appointment] = {}
    for occurrence in occurrences:
        appointment = _appointment(occurrence, masters, source)
        if appointment is not None and first <= appointment.starts_at.astimezone().date() <= last:
            found[appointment.id] = appointment
    return sorted(found.values(), key=lambda a: (a.starts_at, a.id))


def _check_event(event: Any, where: str, at: str) -> None:
    errors = {name for name, _ in getattr(event, "errors", [])}
    for name in ("DTSTART", "DTEND", "DURATION", "RRULE", "EXDATE", "RDATE", "RECURRENCE-ID"):
        if name in errors:
            raise ScheduleError(f"{where}: {at} has a {name} that is not a date or time")
    if "DTSTART" not in event:
        raise ScheduleError(f"{where}: {at} has no start (DTSTART)")
    if not str(event.get("UID", "")).strip():
        raise ScheduleError(f"{where}: {at} has no UID")


def _appointment(event: Any, masters: dict[str, Any], source: Source) -> Appointment | None:
    start = event["DTSTART"].dt
    if not isinstance(start, datetime):
        return None  # All day: a holiday or a note, not a booking.
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    start = start if start.tzinfo else start.astimezone()  # Floating: the clinic's time.
    if "DTEND" in event and isinstance(event["DTEND"].dt, datetime):
        end = event["DTEND"].dt
        end = end if end.tzinfo else end.astimezone()
    elif "DURATION" in event:
        end = start + event["DURATION"].dt
    else:
        end = start + DEFAULT_LENGTH
    uid = str(event.get("UID", ""))
    master = masters.get(uid, event)
    occurrence = event.get("RECURRENCE-ID")
    moment = occurrence.dt if occurrence is not None else start
    stamp = moment.astimezone(UTC).isoformat() if isinstance(moment, datetime) else str(moment)
    identity = hashlib.sha256(f"{source.name}\n{uid}\n{stamp}".encode()).hexdigest()[:24]
    first, last, service = _people(event, master, source)
    return Appointment(
        id=identity, starts_at=start.astimezone(UTC), ends_at=max(end, start).astimezone(UTC),
        practitioner=clean_text(source.practitioner or _name_of(event.get("ORGANIZER"))
                                or _name_of(master.get("ORGANIZER"))),
        service=clean_text(service), first_name=first, last_name=last, source=source.name)


def _name_of(address: Any) -> str:
    if address is None:
        return ""
    params = getattr(address, "params", {}) or {}
    return str(params.get("CN", "")).strip()


def _attendees(event: Any) -> Iterator[str]:
    attendees = event.get("ATTENDEE")
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        name = _name_of(attendee)
        if name:
            yield name


def _people(event: Any, master: Any, source: Source) -> tuple[str, str, str]:
    """The client's first and last name, and the service, as the source says."""
    summary = clean_text(event.get("SUMMARY", master.get("SUMMARY", "")))
    if source.summary == "none":
        return "", "", ""
    if source.summary == "service":
        client = next(_attendees(event), "") or next(_attendees(master), "")
        first, last = split_name(client)
        return first, last, summary
    name, service = summary, ""
    bracket = re.fullmatch(r"(.*?)\s*\((.*)\)\s*", summary)
    if bracket:
        name, service = bracket[1], bracket[2]
    else:
        parts = _SEPARATORS.split(summary, maxsplit=1)
        if len(parts) == 2:
            name, service = parts
    first, last = split_name(name)
    return first, last, service


def split_name(name: str) -> tuple[str, str]:
    """"Ann Brown" → ("Ann", "Brown"); initials alone ("A.B.", "AB") and
    words that are no name ("Appointment") → ("", "")."""
    words = [word for word in clean_text(name).split() if word]
    if not words or " ".join(words).casefold().strip(".") in NOT_A_NAME:
        return "", ""
    first = words[0]
    dotted = "." in first and all(len(part) <= 1 for part in first.split("."))
    if dotted or len(first.strip(".")) <= 1 or (
            first.isupper() and len(first) <= 3 and len(words) == 1):
        return "", ""  # Initials only: not a first name to match on.
    return first, words[-1].strip(".,") if len(words) > 1 else ""
