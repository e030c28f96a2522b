"""The day's appointments in the data folder: one file per local day.

    appointments/YYYY-MM-DD.json   {"appointments": [...]} for that local day
    schedule.json                  each source's last good read, and last error

Written whole (a temporary file, fsync, rename, fsync of the folder) under
the store's lock; read without it, a parsed day kept while its file is the
same. An entry not of the kept shape is passed over and counted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.files import DamagedFile, StoreError, fsync_dir, make_dirs, move_aside, write_atomically
from kiosk.schedule.model import Appointment, ScheduleError, appointment_from_json, clean_text
from kiosk.store.contract import SourceState

FOLDER = "appointments"
STATE_FILE = "schedule.json"
MOST_ERROR = 200


def local_day(moment: datetime) -> date:
    """The clinic's calendar day a booking is on (this machine's zone)."""
    return moment.astimezone().date()


class DayAppointments:
    """The appointment files of one data folder."""

    def __init__(self, data_dir: Path, locked: Callable[[], AbstractContextManager[None]]
                 ) -> None:
        self.folder = data_dir / FOLDER
        self.state_path = data_dir / STATE_FILE
        self._locked = locked
        self._parsed: dict[Path, tuple[tuple[int, ...], list[Appointment], int]] = {}
        self._guard = threading.Lock()

    def path(self, day: date) -> Path:
        return self.folder / f"{day.isoformat()}.json"

    def _days_held(self, first: date, last: date) -> list[date]:
        try:
            names = [path.stem for path in self.folder.glob("????-??-??.json")]
        except OSError:
            return []
        days = []
        for name in names:
            try:
                day = date.fromisoformat(name)
            except ValueError:
                continue
            if first <= day <= last:
                days.append(day)
        return sorted(days)

    def _read(self, day: date) -> tuple[list[Appointment], int]:
        """One day's appointments, parsed once while its file is the same,
        and how many entries it holds that are not of the kept shape."""
        path = self.path(day)
        try:
            seen = path.stat()
        except FileNotFoundError:
            return [], 0
        stamp = (seen.st_ino, seen.st_mtime_ns, seen.st_size)
        with self._guard:
            kept = self._parsed.get(path)
        if kept is not None and kept[0] == stamp:
            return kept[1], kept[2]
        try:
            data: Any = json.loads(path.read_bytes())
        except ValueError:
            with self._locked():
                move_aside(path)
            raise DamagedFile(path) from None
        entries = data.get("appointments") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            with self._locked():
                move_aside(path)
            raise DamagedFile(path)
        found, bad = [], 0
        for entry in entries:
            try:
                found.append(appointment_from_json(entry))
            except ScheduleError:
                bad += 1
        with self._guard:
            if len(self._parsed) > 64:
                self._parsed.clear()
            self._parsed[path] = (stamp, found, bad)
        return found, bad

    def on(self, first: date, last: date) -> tuple[list[Appointment], int]:
        """The bookings on the local days `first`..`last`, by start, and how
        many entries were passed over. A day file that does not parse is set
        aside (doctor says so) and read as empty; the next import writes it
        again."""
        found: list[Appointment] = []
        bad = 0
        for day in self._days_held(first, last) if last > first else [first]:
            try:
                appointments, skipped = self._read(day)
            except DamagedFile:
                continue
            except OSError as error:
                raise StoreError(f"could not read appointments in {self.folder}: "
                                 f"{error.strerror}") from None
            found.extend(appointments)
            bad += skipped
        return sorted(found, key=lambda a: (a.starts_at, a.id)), bad

    def put(self, source: str, first: date, last: date,
            appointments: Sequence[Appointment]) -> int:
        """Replace what `source` said of the days `first`..`last`; returns
        how many of its bookings those days now hold."""
        by_day: dict[date, list[Appointment]] = {}
        for appointment in appointments:
            day = local_day(appointment.starts_at)
            if first <= day <= last:
                by_day.setdefault(day, []).append(appointment)
        with self._locked():
            make_dirs(self.folder)
            for day in sorted(set(self._days_held(first, last)) | set(by_day)):
                try:
                    kept = [a for a in self._read(day)[0] if a.source != source]
                except DamagedFile:
                    kept = []
                new = {a.id: a for a in kept}
                new.update((a.id, a) for a in by_day.get(day, []))
                path = self.path(day)
                if new:
                    ordered = sorted(new.values(), key=lambda a: (a.starts_at, a.id))
                    write_atomically(path, json.dumps(
                        {"appointments": [a.to_json() for a in ordered]},
                        ensure_ascii=False).encode("utf-8"))
                elif path.exists():
                    path.unlink()
                    fsync_dir(self.folder)
        return sum(len(group) for group in by_day.values())

    def erase_before(self, day: date) -> int:
        """Retention: the days before `day` go; returns how many files."""
        gone = 0
        with self._locked():
            for held in self._days_held(date.min, day - timedelta(days=1)):
                self.path(held).unlink()
                gone += 1
            if gone:
                fsync_dir(self.folder)
        return gone

    # -- Each source's state ---------------------------------------------------------

    def states(self) -> list[SourceState]:
        try:
            data: Any = json.loads(self.state_path.read_bytes())
        except FileNotFoundError:
            return []
        except (OSError, ValueError):
            return []  # Written again by the next read of any source.
        states = []
        for source, entry in (data.items() if isinstance(data, dict) else ()):
            if isinstance(source, str) and isinstance(entry, dict):
                states.append(SourceState(
                    source=source, last_good=_moment(entry.get("last_good")),
                    error=entry.get("error") if isinstance(entry.get("error"), str) else None,
                    error_at=_moment(entry.get("error_at"))))
        return sorted(states, key=lambda state: state.source)

    def note(self, source: str, now: datetime, error: str | None) -> None:
        """A read of `source`: good (None) or failed, with one line of why."""
        with self._locked():
            states = {state.source: state for state in self.states()}
            old = states.get(source, SourceState(source))
            states[source] = (SourceState(source, last_good=now) if error is None else
                              SourceState(source, old.last_good, clean_text(error)[:MOST_ERROR],
                                          now))
            write_atomically(self.state_path, json.dumps(
                {name: state.to_json() for name, state in states.items()},
                ensure_ascii=False).encode("utf-8"))


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
