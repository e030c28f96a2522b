"""What both stores decide the same way, written once: a record's checks on
the way in and out, when `started_at` is set, today and all, and how a
series is numbered. Each store below only reads and writes."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol

from kiosk.checkin.record import STATUSES, BadRecord, Questions, check_record, series_of
from kiosk.clock import WallClock
from kiosk.files import StoreError
from kiosk.schedule.day import arrived_ids
from kiosk.schedule.matching import SecondKind, Slot, Window, open_slots, second_matches
from kiosk.schedule.model import Appointment
from kiosk.store.contract import HOME_SITE, ArchiveDamaged, ConsentText, Record, SiteView

Place = tuple[str, int] | None
"""Where a check-in sits: its series and session number, or in none."""


def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def created(record: Mapping[str, Any]) -> datetime:
    """When a check-in was made, in UTC."""
    return utc(datetime.fromisoformat(record["created_at"]))


def made(record: Mapping[str, Any], fallback: datetime) -> datetime:
    """When a check-in was made, or `fallback` if its time can't be read."""
    try:
        return created(record)
    except (KeyError, TypeError, ValueError):
        return fallback


def stored_document(record: Mapping[str, Any], clock: WallClock,
                    questions: Questions | None = None) -> Record:
    """The check-in as a store keeps it: with an id (a new uuid) and
    `created_at` (now) if it has none, checked against the schema, and proved
    storable as JSON, before anything is written. `StoreError` otherwise."""
    document = dict(record)
    document.setdefault("id", str(uuid.uuid4()))
    document.setdefault("created_at", clock().isoformat(timespec="seconds"))
    try:
        check_record(document, questions)
    except BadRecord as error:
        raise StoreError(f"refused a check-in: {error}") from None
    # A round trip through JSON proves the record is storable before
    # anything is written, so a bad record never leaves half a file.
    stored: Record = json.loads(json.dumps(document, ensure_ascii=False))
    return stored


def status_fields(record: Mapping[str, Any], status: str, stamp: str) -> dict[str, str]:
    """The fields a move to `status` at `stamp` sets on this check-in.
    `started_at` (when the wait ended, for "Today at a glance") is set the
    first time a client goes in with their therapist, and never again."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    fields = {"status": status, "status_at": stamp}
    if status == "with_therapist" and "started_at" not in record:
        fields["started_at"] = stamp
    return fields


def touched_series(records: Iterable[Record], changes: Mapping[str, str | None]) -> set[str]:
    """The series a regrouping changes: those joined, and those left."""
    touched = {series for series in changes.values() if series}
    return touched | {linked[0] for linked in map(series_of, records) if linked}


def placements(records: Mapping[str, Record], changes: Mapping[str, str | None],
               touched: Iterable[str]) -> dict[str, Place]:
    """Where each check-in ends up when `changes` move check-ins between
    series (None: out of any): every member of a touched series (all in
    `records`) numbered in the order the visits were made."""
    final: dict[str, Place] = {}
    for series in touched:
        members = sorted(
            (record for checkin_id, record in records.items()
             if changes.get(checkin_id, (series_of(record) or (None,))[0]) == series),
            key=lambda record: (created(record), record["id"]))
        for number, record in enumerate(members, start=1):
            final[record["id"]] = (series, number)
    for checkin_id in changes:
        final.setdefault(checkin_id, None)
    return final


def local_start(day: date) -> datetime:
    """The start of a calendar day in the machine's time zone, in UTC: the
    first moment whose local date is `day`. Not always midnight: where the
    clocks jump forward at midnight (Santiago, Havana) the day starts at
    01:00, and local midnight read naively lands in the day before."""
    noon = utc(datetime.combine(day, time(12)).astimezone())
    start = noon - timedelta(hours=12)
    # Every zone's offsets and changes fall on a quarter hour.
    step = timedelta(minutes=15)
    while start.astimezone().date() >= day:
        start -= step
    while start.astimezone().date() < day:
        start += step
    return start


def search_bound(value: date | datetime | None, *, end: bool) -> datetime | None:
    """A search's `since` or `until` as a UTC moment (a date: that whole
    local day, `until` included); None for no bound."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return utc(value)
    try:
        return local_start(value + timedelta(days=1) if end else value)
    except (OverflowError, ValueError):
        # At the calendar's very ends: its last day has no end; its first
        # day has no start before it, nor anything after the last.
        if value.year == 1:
            return None
        return None if end else datetime.max.replace(tzinfo=UTC)


def name_needle(text: str | None) -> str:
    """What a name search looks for: the text, case folded and trimmed."""
    return text.casefold().strip() if text else ""


class SeriesAccess(Protocol):
    """A store's series, held for one change: no other change runs meanwhile."""

    def locate(self, checkin_id: str) -> Record:
        """The check-in, of the stored shape; `UnknownCheckIn` otherwise."""
        ...

    def members(self, series: str) -> Iterable[Record]:
        """The check-ins now in this series."""
        ...

    def place(self, records: Mapping[str, Record], final: Mapping[str, Place],
              touched: set[str]) -> None:
        """Write where each check-in in `final` now sits (`records` holds
        every member of the `touched` series, as they were)."""
        ...


class SharedStore:
    """The half of a store both backends share. A backend sets `clock` and
    `questions`, and supplies the reads and writes: `search`,
    `_change_record` and `_series_change`."""

    clock: WallClock
    questions: Questions

    def __init__(self) -> None:
        self._reads = threading.local()
        """Per thread: what its last read skipped."""

    # -- Records in and out -------------------------------------------------

    def _document(self, record: Mapping[str, Any]) -> Record:
        return stored_document(record, self.clock, self.questions)

    def _start_read(self) -> None:
        self._reads.skipped = 0

    def _of_shape(self, record: Mapping[str, Any]) -> bool:
        """Whether a record read back is of the stored shape; one that is
        not is counted in `skipped`, never shown."""
        try:
            check_record(record, self.questions)
        except BadRecord:
            self._reads.skipped = getattr(self._reads, "skipped", 0) + 1
            return False
        return True

    def _count_skipped(self, count: int) -> None:
        """Entries a read passed over, beside the records it did."""
        self._reads.skipped = getattr(self._reads, "skipped", 0) + count

    def _checked(self, records: Iterable[Record]) -> list[Record]:
        return [record for record in records if self._of_shape(record)]

    def skipped(self) -> int:
        return int(getattr(self._reads, "skipped", 0))

    # -- Reading --------------------------------------------------------------

    def search(self, text: str | None = None, since: date | datetime | None = None,
               until: date | datetime | None = None, status: str | None = None,
               flagged: bool | None = None, *, site: SiteView = HOME_SITE) -> list[Record]:
        raise NotImplementedError

    def all(self, *, site: SiteView = HOME_SITE) -> list[Record]:
        """Every check-in, oldest first."""
        return self.search(site=site)

    def today(self, *, site: SiteView = HOME_SITE) -> list[Record]:
        """Today's check-ins (the machine's local day), oldest first."""
        day = self.clock().astimezone().date()
        return self.search(since=day, until=day, site=site)

    # -- Changing -------------------------------------------------------------

    def _change_record(self, checkin_id: str, action: str,
                       change: Any) -> bool:
        """Apply `change` (a record to the fields to set on it) to one stored
        check-in, atomically; False if there is no such check-in."""
        raise NotImplementedError

    def set_status(self, checkin_id: str, status: str) -> bool:
        """Move a check-in along; False if there is no such check-in."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        stamp = self.clock().astimezone(UTC).isoformat(timespec="seconds")
        return self._change_record(
            checkin_id, "change", lambda record: status_fields(record, status, stamp))

    # -- Appointments -----------------------------------------------------------

    def appointments(self, first: date, last: date | None = None, *,
                     site: SiteView = HOME_SITE) -> list[Appointment]:
        raise NotImplementedError

    def open_slots(self, key: str, now: datetime, window: Window) -> list[Slot]:
        """The kiosk's view of the bookings open now (see `Store.open_slots`):
        the window's bookings, less those a check-in is matched to already."""
        earliest, latest = window.span(now)
        first, last = _local_days(earliest, latest)
        found = self.appointments(first, last)
        # Matched check-ins are made within the window of their booking.
        checked_in = self.search(since=earliest - window.before, until=latest + window.after)
        return open_slots(found, key, now, window, arrived_ids(checked_in))

    def second_matches(self, ids: Sequence[str], kind: SecondKind, value: str) -> set[str]:
        # The kiosk's open bookings are today's, or its neighbours' (a
        # window may cross midnight).
        today = self.clock().astimezone().date()
        found = self.appointments(today - timedelta(days=1), today + timedelta(days=1))
        return second_matches(found, ids, kind, value)

    def set_appointment(self, checkin_id: str, appointment: Mapping[str, Any] | None) -> bool:
        def fields(record: Record) -> dict[str, Any]:
            if appointment is None:
                return {"appointment": {"id": "", "matched_by": "none"}}
            return {"appointment": dict(appointment)}

        return self._change_record(checkin_id, "change", fields)

    # -- Series ---------------------------------------------------------------

    def _series_change(self, action: str) -> AbstractContextManager[SeriesAccess]:
        """The series, held for one change (across processes and machines)."""
        raise NotImplementedError

    def link(self, checkin_id: str, to: str | None = None) -> str:
        if to == checkin_id:
            raise ValueError("a check-in can't be linked to itself")
        with self._series_change("link") as held:
            held.locate(checkin_id)
            changes: dict[str, str | None] = {}
            if to is None:
                series = str(uuid.uuid4())
            else:
                linked = series_of(held.locate(to))
                series = linked[0] if linked else str(uuid.uuid4())
                if not linked:
                    changes[to] = series
            changes[checkin_id] = series
            self._regroup(held, changes)
        return series

    def unlink(self, checkin_id: str) -> bool:
        with self._series_change("unlink") as held:
            if series_of(held.locate(checkin_id)) is None:
                return False
            self._regroup(held, {checkin_id: None})
        return True

    def rejoin(self, checkin_id: str, series_id: str | None) -> None:
        if series_id is not None:
            uuid.UUID(series_id)  # ValueError for anything else.
        with self._series_change("link") as held:
            held.locate(checkin_id)
            self._regroup(held, {checkin_id: series_id})

    @staticmethod
    def _regroup(held: SeriesAccess, changes: Mapping[str, str | None]) -> None:
        """Move check-ins between series (None: out of any), and number every
        series touched in the order its visits were made."""
        records = {checkin_id: held.locate(checkin_id) for checkin_id in changes}
        touched = touched_series(records.values(), changes)
        for series in touched:
            for record in held.members(series):
                records.setdefault(record["id"], record)
        held.place(records, placements(records, changes, touched), touched)


def _local_days(first: datetime, last: datetime) -> tuple[date, date]:
    return first.astimezone().date(), last.astimezone().date()


def consent_text_from(data: Any, version: str) -> ConsentText:
    """A kept consent text read back, checked: its fields are text, and its
    text is the one whose SHA-256 is `version` (`ArchiveDamaged` otherwise)."""
    import hashlib

    fields = ("version", "document", "language", "title", "text")
    if not isinstance(data, Mapping) or not all(isinstance(data.get(f), str) for f in fields):
        raise ArchiveDamaged(f"consent text {version[:8]} is not of the kept shape")
    kept = ConsentText(*(str(data[f]) for f in fields))
    if kept.version != version or hashlib.sha256(kept.text.encode()).hexdigest() != version:
        raise ArchiveDamaged(f"consent text {version[:8]} does not match its version "
                             "(changed or damaged)")
    return kept


def pages(items: list[Any], limit: int, offset: int) -> Iterator[Any]:
    """`items[offset:offset + limit]`, refusing a negative page."""
    if limit < 0 or offset < 0:
        raise ValueError("a page's limit and offset can't be negative")
    yield from items[offset:offset + limit]
