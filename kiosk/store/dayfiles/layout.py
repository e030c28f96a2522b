"""Where a day's check-ins are: the day files' names, their parts, and the
TinyDB table each holds, written whole on every change."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.files import DamagedFile, TinyDBData, move_aside, read_tinydb, write_atomically
from kiosk.store.contract import Record

if TYPE_CHECKING:
    from tinydb.storages import Storage
    from tinydb.table import Table

PARTITIONS = "checkins"
LEGACY_FILE = "checkins.json"
"""The single file of earlier versions, moved into the day files at start."""
TABLE = "checkins"
CORRUPT = ".corrupt-"
_DAY_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.([1-9]\d{0,5}))?\.json")
"""A day file's name: `YYYY-MM-DD.json`, then `YYYY-MM-DD.N.json` for its
further parts."""
PART_SIZE = 1_000
"""Check-ins in one part of a day. A busy day is split into parts, so that a
save rewrites only the newest part, not the whole day."""


def day_of(path: Path) -> str:
    """The UTC day (ISO) of a day file or of one of its parts."""
    return path.name[:10]


def part_number(path: Path) -> int:
    named = _DAY_FILE.fullmatch(path.name)
    return int(named[2] or 0) if named else 0


class DayFolder:
    """The folder of day files: one per UTC day of `created_at`, split into
    parts of `PART_SIZE` on a busy day. Only names and stats: what the files
    hold is the store's."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._parts_seen: dict[date, int] = {}

    def path(self, day: date, part: int = 0) -> Path:
        """The file holding the check-ins made on this UTC day (its first
        part; a busy day's later parts are `part` 1, 2, …)."""
        suffix = f".{part}" if part else ""
        return self.folder / f"{day.isoformat()}{suffix}.json"

    def files(self, first: date | None = None, last: date | None = None) -> list[Path]:
        """Day files, newest first (a day's later parts before its earlier),
        limited to the UTC days first..last. Raises OSError but for a folder
        not made yet."""
        low = first.isoformat() if first else ""
        high = last.isoformat() if last else "~"
        found: list[tuple[str, int, Path]] = []
        try:
            with os.scandir(self.folder) as entries:
                for entry in entries:
                    named = _DAY_FILE.fullmatch(entry.name)
                    if named and low <= named[1] <= high:
                        found.append((named[1], int(named[2] or 0), Path(entry.path)))
        except FileNotFoundError:
            return []
        found.sort(key=lambda item: item[:2], reverse=True)
        return [path for _, _, path in found]

    def parts(self, day: date) -> list[Path]:
        """One day's files, its first part first."""
        return self.files(day, day)[::-1]

    def newest_part(self, day: date) -> Path:
        """The part of this day that saves go to, found with a stat or two
        from the one seen last."""
        seen = self._parts_seen.get(day, 0)
        while self.path(day, seen + 1).exists():
            seen += 1
        self._parts_seen = {day: seen}
        return self.path(day, seen)

    @staticmethod
    def holding(paths: Iterable[Path], ids: Iterable[str]) -> list[Path]:
        """The files among `paths` whose bytes hold any of these ids: a quick
        look that saves parsing them all."""
        needles = [json.dumps(checkin_id).encode("utf-8") for checkin_id in ids]
        holding = []
        for path in paths:
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            if any(needle in data for needle in needles):
                holding.append(path)
        return holding


def quarantine(path: Path) -> Path | None:
    """Move a file that does not parse aside, bytes intact (call under the
    store's lock); None if another process has meanwhile replaced it with a
    good one."""
    try:
        read_tinydb(path)
        return None
    except DamagedFile:
        pass
    return move_aside(path)  # Same bytes, new name: nothing is lost.


@contextmanager
def open_table(path: Path) -> Iterator[Table]:
    """A day file's table, opened afresh; call only under the store's lock.
    A file that doesn't parse is moved aside first, so the new data never
    overwrites what couldn't be read."""
    # Imported here so that the kiosk's start-up doesn't wait for TinyDB.
    from tinydb import TinyDB

    db = TinyDB(path, storage=atomic_storage())
    try:
        db.storage.read()
    except DamagedFile:
        quarantine(path)
    try:
        yield db.table(TABLE)
    finally:
        db.close()


def replace_saved(table: Table, new: dict[str, Record]) -> None:
    """Store the documents in `new` already in this table over their first
    saves, taking them out of `new`."""
    from tinydb import Query

    if new:
        for stored in table.search(Query().id.one_of(list(new))):
            table.update(new.pop(stored["id"]), doc_ids=[stored.doc_id])


def atomic_storage() -> type[Storage]:
    """TinyDB's `Storage` for the day files, made when TinyDB is first needed
    (so that the kiosk's start-up doesn't wait for it)."""
    global _ATOMIC_STORAGE
    if _ATOMIC_STORAGE is None:
        from tinydb.storages import Storage

        class AtomicJSONStorage(Storage):
            """JSON on disk, replaced whole on every write so a crash never
            leaves half a file; a file that doesn't parse raises `DamagedFile`
            instead of being treated as empty and written over.

            The file is parsed once per opening: the store opens it afresh for
            each change, inside its lock, so nothing else can change it meanwhile.
            """

            def __init__(self, path: Path | str) -> None:
                self.path = Path(path)
                self._data: TinyDBData | None = None

            def read(self) -> TinyDBData | None:
                if self._data is None:
                    self._data = read_tinydb(self.path)
                return self._data

            def write(self, data: TinyDBData) -> None:
                write_atomically(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
                self._data = data

        _ATOMIC_STORAGE = AtomicJSONStorage
    return _ATOMIC_STORAGE


_ATOMIC_STORAGE: type[Storage] | None = None
