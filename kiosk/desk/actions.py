"""Staff actions, one function each, shared by the command line and the staff
screen: export to a file, erase, move a check-in along. Each is audited."""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kiosk.access.audit import AuditLog
from kiosk.checkin.record import series_of
from kiosk.content.kinds import Question
from kiosk.desk.fhir import FhirContext
from kiosk.desk.rows import export_text
from kiosk.files import write_atomically
from kiosk.store.contract import Store

if TYPE_CHECKING:
    from kiosk.desk.report import ReportSetup

ExportFormat = Literal["csv", "json", "fhir"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "json", "fhir")


class ExportExists(FileExistsError):
    """The export's file is there already, and replacing it was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.EEXIST, "already exists", str(path))
        self.path = path

    def __str__(self) -> str:
        return f"{self.path} already exists: nothing was written (--force replaces it)"


def export_bytes(records: Sequence[Mapping[str, Any]], questions: Sequence[Question],
                 kind: ExportFormat, fhir: FhirContext | None = None) -> bytes:
    """The export file's bytes. A CSV starts with a byte-order mark, which
    tells a spreadsheet it is UTF-8. FHIR is one R4 Bundle (`fhir` says
    whose)."""
    if kind == "fhir":
        if fhir is None:
            raise ValueError("a FHIR export needs the clinic's questions and base URL")
        return fhir.bundle_text(records).encode("utf-8")
    text = export_text(records, questions, kind)
    return text.encode("utf-8-sig" if kind == "csv" else "utf-8")


def export_to_file(
    records: Sequence[Mapping[str, Any]],
    questions: Sequence[Question],
    kind: ExportFormat,
    path: Path,
    audit: AuditLog,
    *,
    force: bool = False,
    fhir: FhirContext | None = None,
) -> int:
    """Write check-ins to `path` (health data: mode 0600, this user only);
    returns how many.

    The file is written whole beside its target and then moved into place,
    so nobody ever reads half an export. An existing file (or a symlink: it
    is never followed) is replaced only with `force`.

    Raises:
        ExportExists: if `path` exists and `force` is not given.
        OSError: if the folder can't be written.
    """
    write_private(path, export_bytes(records, questions, kind, fhir), force=force)
    audit.record("export", count=len(records))
    return len(records)


def write_private(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write a file of health data: mode 0600, written whole beside its name
    and moved into place, never over an existing file (or a symlink: it is
    never followed) unless `force`. Raises `ExportExists` or OSError."""
    if not force and os.path.lexists(path):
        raise ExportExists(path)
    try:
        write_atomically(path, data, replace=force)
    except FileExistsError:
        raise ExportExists(path) from None


def write_report(store: Store, audit: AuditLog, series_id: str, setup: ReportSetup, *,
                 made: datetime, path: Path | None = None, force: bool = False) -> tuple[int, Path]:
    """A series' progress report (`kiosk.desk.report`) to `path` (default: in
    the export folder), 0600, audited; returns how many sessions, and where.
    `UnknownCheckIn` for no such series."""
    from kiosk.desk.report import report_html
    from kiosk.i18n import words
    from kiosk.store.contract import UnknownCheckIn

    records = store.series(series_id)
    if not records:
        raise UnknownCheckIn(f"no series {series_id[:40]!r}")
    path = path or setup.default_path(series_id, made)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private(path, report_html(records, setup.questions, setup.rule, clinic=setup.clinic,
                                    words=words(setup.language), made=made).encode("utf-8"),
                  force=force)
    audit.record("report", series=series_id, count=len(records))
    return len(records), path


def erase(store: Store, audit: AuditLog, checkin_id: str) -> bool:
    """Erase one check-in for good; False if there was none with that id."""
    erased = store.delete(checkin_id)
    if erased:
        audit.record("erase", checkin_id=checkin_id)
    return erased


def set_status(store: Store, audit: AuditLog, checkin_id: str, status: str) -> bool:
    """Move a check-in along; False if it is gone."""
    changed = store.set_status(checkin_id, status)
    if changed:
        audit.record(f"status-{status}", checkin_id=checkin_id)
    return changed


# -- Series: staff link a client's visits ----------------------------------------


@dataclass(frozen=True)
class LinkChange:
    """What a link or unlink changed, so it can be undone: each check-in it
    moved, and the series each was in before (None: in none)."""

    before: tuple[tuple[str, str | None], ...]
    series: str | None
    """The series the check-in is in now (None after an unlink)."""


def _places(store: Store, ids: list[str]) -> tuple[tuple[str, str | None], ...]:
    places = []
    for checkin_id in ids:
        record = store.get(checkin_id)
        linked = series_of(record) if record is not None else None
        places.append((checkin_id, linked[0] if linked else None))
    return tuple(places)


def link(store: Store, audit: AuditLog, checkin_id: str, to: str | None = None) -> LinkChange:
    """Put a check-in in a series (see `Store.link`), audited."""
    return _link(store, audit, checkin_id, to, _places(store, [checkin_id, *([to] if to else [])]))


def _link(store: Store, audit: AuditLog, checkin_id: str, to: str | None,
          before: tuple[tuple[str, str | None], ...]) -> LinkChange:
    series = store.link(checkin_id, to)
    for moved, was in before:
        if was != series:
            audit.record("link", checkin_id=moved, series=series)
    return LinkChange(before, series)


def join(store: Store, audit: AuditLog, checkin_id: str, earlier: str) -> LinkChange:
    """Put a check-in and an earlier one in one series, as staff pick it
    from the suggestions: the earlier one's series if it has one; else, if
    this one is in a series, the earlier one joins it; else a new series."""
    before = _places(store, [checkin_id, earlier])
    (_, mine), (_, theirs) = before
    if theirs is None and mine is not None:
        return _link(store, audit, earlier, checkin_id, before[::-1])
    return _link(store, audit, checkin_id, earlier, before)


def unlink(store: Store, audit: AuditLog, checkin_id: str) -> LinkChange | None:
    """Take a check-in out of its series, audited; None if it was in none."""
    before = _places(store, [checkin_id])
    if not store.unlink(checkin_id):
        return None
    audit.record("unlink", checkin_id=checkin_id, series=before[0][1])
    return LinkChange(before, None)


def undo_link(store: Store, audit: AuditLog, change: LinkChange) -> None:
    """Put every check-in a link or unlink moved back where it was, audited."""
    for (checkin_id, series), (_, now) in zip(
            change.before, _places(store, [checkin_id for checkin_id, _ in change.before]),
            strict=True):
        if now != series:  # The check-in linked *to* may not have moved.
            store.rejoin(checkin_id, series)
            audit.record("link-undone", checkin_id=checkin_id, series=series)


def erase_series(store: Store, audit: AuditLog, series_id: str) -> int:
    """Erase every check-in of a series for good, one audit entry each;
    returns how many were erased."""
    return sum(erase(store, audit, record["id"]) for record in store.series(series_id))


# -- Bookings: staff match a check-in to its appointment ----------------------------


@dataclass(frozen=True)
class BookingChange:
    """What a match by hand changed, so it can be undone."""

    checkin_id: str
    before: Mapping[str, str] | None
    """The booking it had (None: none)."""


def match_booking(store: Store, audit: AuditLog, checkin_id: str,
                  appointment: Mapping[str, str] | None) -> BookingChange | None:
    """Match a check-in to a booking (as `Slot.to_record("desk")` keeps it),
    or to none (a wrong match undone); audited. None if it is gone."""
    record = store.get(checkin_id)
    if record is None:
        return None
    before = record.get("appointment")
    if not store.set_appointment(checkin_id, appointment):
        return None
    audit.record("appointment-matched" if appointment else "appointment-unmatched",
                 checkin_id=checkin_id)
    return BookingChange(checkin_id, dict(before) if isinstance(before, Mapping) else None)


def undo_booking(store: Store, audit: AuditLog, change: BookingChange) -> None:
    """Put a check-in's booking back as it was, audited."""
    before = change.before if change.before and change.before.get("id") else None
    store.set_appointment(change.checkin_id, before)
    audit.record("appointment-undone", checkin_id=change.checkin_id)
