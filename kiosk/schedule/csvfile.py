"""A booking system's CSV export into appointments.

Read as a spreadsheet writes it: UTF-8 with or without a byte-order mark,
"," or ";" (or a tab) between fields, fields in quotes. Which column holds
what is the source's `columns` table in kiosk.toml; the times are the
clinic's local times (or the source's `timezone`).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from kiosk.schedule.model import (
    MOST_EVENTS,
    Appointment,
    ScheduleError,
    Source,
    birth_day_month,
    clean_text,
    phone_last4,
)

REQUIRED = ("date", "start", "practitioner")
"""Columns every CSV source maps; `end` or `duration` too."""
OPTIONAL = ("end", "duration", "first_name", "last_name", "service", "phone", "birth", "id",
            "status")
COLUMNS = (*REQUIRED, *OPTIONAL)
CANCELLED = {"cancelled", "canceled", "cancelada", "cancelado", "已取消", "取消"}


def read_csv(data: bytes, where: str, source: Source, first: date, last: date
             ) -> list[Appointment]:
    """The appointments on the local days `first`..`last` (inclusive)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScheduleError(f"{where}: is not UTF-8 text (save it as CSV UTF-8)") from None
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        names = [name.strip() for name in next(rows)]
    except StopIteration:
        raise ScheduleError(f"{where}: is empty") from None
    except csv.Error:
        raise ScheduleError(f"{where}: line 1 is not CSV") from None
    columns = _columns(names, source.columns, where)
    found: dict[str, Appointment] = {}
    try:
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if number > MOST_EVENTS + 1:
                raise ScheduleError(f"{where}: holds more than {MOST_EVENTS:,} rows; "
                                    "export a shorter range of dates")
            appointment = _row(row, columns, source, where, number)
            if (appointment is not None
                    and first <= appointment.starts_at.astimezone(source.zone).date() <= last):
                found[appointment.id] = appointment
    except csv.Error:
        raise ScheduleError(f"{where}: line {rows.line_num} is not CSV "
                            "(a quote left open?)") from None
    return sorted(found.values(), key=lambda a: (a.starts_at, a.id))


def _columns(names: list[str], mapping: Mapping[str, str], where: str) -> dict[str, int]:
    """Our field to its column's index, from the source's mapping."""
    folded = {name.casefold(): index for index, name in enumerate(names)}
    columns: dict[str, int] = {}
    for field, name in mapping.items():
        index = folded.get(name.strip().casefold())
        if index is None:
            raise ScheduleError(f"{where}: has no column '{name}' (mapped to '{field}' in the "
                                "source's columns in kiosk.toml)")
        columns[field] = index
    return columns


def _cell(row: list[str], columns: Mapping[str, int], field: str) -> str:
    index = columns.get(field)
    return row[index].strip() if index is not None and index < len(row) else ""


def _row(row: list[str], columns: Mapping[str, int], source: Source, where: str,
         number: int) -> Appointment | None:
    at = f"{where}: line {number}"
    if _cell(row, columns, "status").casefold() in CANCELLED:
        return None
    day = _parse(_cell(row, columns, "date"), source.date_format, at, "date").date()
    start = _when(day, _cell(row, columns, "start"), source, at, "start")
    if "end" in columns and _cell(row, columns, "end"):
        end = _when(day, _cell(row, columns, "end"), source, at, "end")
        if end < start:
            end += timedelta(days=1)  # Past midnight.
    elif "duration" in columns and _cell(row, columns, "duration"):
        minutes = _cell(row, columns, "duration")
        if not minutes.isdigit() or not 0 < int(minutes) <= 24 * 60:
            raise ScheduleError(f"{at}: the duration is not a number of minutes")
        end = start + timedelta(minutes=int(minutes))
    else:
        raise ScheduleError(f"{at}: has neither an end nor a duration")
    first, last = clean_text(_cell(row, columns, "first_name")), clean_text(
        _cell(row, columns, "last_name"))
    practitioner = clean_text(_cell(row, columns, "practitioner"))
    own_id = clean_text(_cell(row, columns, "id"))
    identity = hashlib.sha256("\n".join(
        [source.name, own_id] if own_id else
        [source.name, start.isoformat(), practitioner, first, last]).encode()).hexdigest()[:24]
    return Appointment(
        id=identity, starts_at=start.astimezone(UTC), ends_at=end.astimezone(UTC),
        practitioner=practitioner, service=clean_text(_cell(row, columns, "service")),
        first_name=first.split()[0] if first else "", last_name=last,
        phone_last4=phone_last4(_cell(row, columns, "phone")),
        birth_day_month=birth_day_month(_cell(row, columns, "birth")), source=source.name)


def _parse(value: str, formats: tuple[str, ...], at: str, what: str) -> datetime:
    for form in formats:
        try:
            return datetime.strptime(value, form)
        except ValueError:
            continue
    shown = " or ".join(form.replace("%", "") for form in formats)
    raise ScheduleError(f"{at}: the {what} is not written as {shown}")


def _when(day: date, value: str, source: Source, at: str, what: str) -> datetime:
    clock: time = _parse(value, source.time_format, at, what).time()
    local = datetime.combine(day, clock)
    return local.replace(tzinfo=source.zone) if source.zone is not None else local.astimezone()
