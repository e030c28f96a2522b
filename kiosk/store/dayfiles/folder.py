"""A data folder of day files: their names, the lock, reading a file whole
or a part as parsed, and the index beside them. `CheckInStore` builds the
store's contract on it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kiosk.checkin.record import Questions
from kiosk.clock import WallClock, utc_now
from kiosk.files import DamagedFile, StoreError, data_lock, make_dirs, parse_tinydb
from kiosk.store.contract import Record
from kiosk.store.dayfiles import lookups
from kiosk.store.dayfiles import series as day_series
from kiosk.store.dayfiles.appointments import DayAppointments
from kiosk.store.dayfiles.consents import ConsentArchive
from kiosk.store.dayfiles.layout import PARTITIONS, TABLE, DayFolder, day_of, quarantine
from kiosk.store.dayfiles.name_index import LinkIndex, index_entries
from kiosk.store.dayfiles.parts import Part, PartCache, collector_paused
from kiosk.store.dayfiles.pending import PendingSaves
from kiosk.store.shared import utc

if TYPE_CHECKING:
    from kiosk.content.kinds import Question

JOURNAL_FILE = "series-journal.json"

_T = TypeVar("_T")


class DataFolder:
    """The files of one data folder, read afresh on every call (so processes
    sharing it see each other's writes); errors are `StoreError`s that name
    the folder, never an answer."""

    _reads: threading.local
    """Per thread: what its last read skipped, and whether it holds the lock."""

    _checked: Callable[[Iterable[Record]], list[Record]]
    """Keeps the records of the stored shape, counting the others (`SharedStore`)."""

    def __init__(self, data_dir: Path | str, clock: WallClock | None = None, *,
                 questions: Iterable[Question] = ()) -> None:
        super().__init__()
        self.data_dir = Path(data_dir)
        """The folder the check-ins live in (made on the first save)."""
        self.questions: Questions = {question.id: question for question in questions}
        """The content's questions: an answer of a shape its question's kind
        doesn't allow is refused when saved, and skipped (counted) when read."""
        self.partitions_dir = self.data_dir / PARTITIONS
        """One TinyDB file per day."""
        self.days = DayFolder(self.partitions_dir)
        self.pending = PendingSaves(self.data_dir, self.questions, self._locked)
        """Check-ins whose save failed, waiting to be stored."""
        self.pending_path = self.pending.path
        self.journal_path = self.data_dir / JOURNAL_FILE
        """A renumbering across day files under way: what each should hold."""
        self.clock: WallClock = clock or utc_now
        # `self._reads` (per thread) also says whether this thread holds the lock.
        self._parts = PartCache()
        self.book = DayAppointments(self.data_dir, self._locked)
        self.consents = ConsentArchive(self.data_dir, self._locked)
        """The exact consent texts clients agreed to, by version."""
        """The day's appointments, a file a day."""
        self.links = LinkIndex(self.data_dir)
        """Where series and same-name check-ins are found without reading
        every day file."""

    def partition_path(self, day: date, part: int = 0) -> Path:
        """The file holding the check-ins made on this UTC day (its first
        part; a busy day's later parts are `part` 1, 2, …)."""
        return self.days.path(day, part)

    def _partitions(self, first: date | None = None, last: date | None = None) -> list[Path]:
        try:
            return self.days.files(first, last)
        except OSError as error:
            raise self._error("read", error) from None

    def _day_parts(self, day: date) -> list[Path]:
        return self._partitions(day, day)[::-1]

    def _error(self, action: str, error: OSError) -> StoreError:
        reason = error.strerror or type(error).__name__
        return StoreError(f"could not {action} check-ins in {self.data_dir}: {reason}")

    def _make_folders(self) -> None:
        make_dirs(self.partitions_dir)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the store's exclusive lock (other processes and threads wait).
        A renumbering a crash cut short is finished first."""
        if getattr(self._reads, "locked", False):
            yield  # This thread holds it already (a damaged file met mid-change).
            return
        self._make_folders()
        with data_lock(self.data_dir):
            self._reads.locked = True
            try:
                if self.journal_path.exists():
                    day_series.replay_locked(self)
                yield
            finally:
                self._reads.locked = False

    def _settled(self) -> None:
        """Before a read: a renumbering a crash cut short is finished, so a
        reader never sees half of one (a stat when there is none)."""
        if self.journal_path.exists():
            try:
                with self._locked():
                    pass
            except OSError as error:
                raise self._error("read", error) from None

    def version(self) -> tuple[int, ...]:
        """Changes whenever any check-in is added, changed or erased: every
        write replaces a day file (a new inode, and a new folder mtime). A few
        stats, so a staff screen can poll it cheaply."""
        try:
            folder = self.partitions_dir.stat()
        except FileNotFoundError:
            return ()
        try:
            newest = self.days.newest_part(utc(self.clock()).date()).stat()
        except FileNotFoundError:
            return (folder.st_mtime_ns,)
        return (folder.st_mtime_ns, newest.st_ino, newest.st_mtime_ns)

    def _raw(self, path: Path) -> dict[str, Record]:
        """A day file's documents by TinyDB key, good or bad; a file that does
        not parse is moved aside."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise self._error("read", error) from None
        try:
            parsed = parse_tinydb(path, data)
        except DamagedFile:
            try:
                with self._locked():
                    quarantine(path)
            except OSError as error:
                raise self._error("read", error) from None
            return {}
        return dict((parsed or {}).get(TABLE, {}))

    def _read(self, path: Path) -> list[Record]:
        """The check-ins in one day file that are of the stored shape; the
        others are counted in `skipped`."""
        return self._checked(list(self._raw(path).values()))

    def _find(self, checkin_id: str) -> tuple[Path, Record] | None:
        """The day file and record with this id, searching newest first."""
        return lookups.find(self, checkin_id)

    def _parsed_part(self, path: Path) -> Part:
        """A day file's documents as parsed, kept while the file is the same
        (see `parts`)."""
        try:
            return self._parts.part(path, lambda path: list(self._raw(path).values()))
        except OSError as error:
            raise self._error("read", error) from None

    def _index(self) -> LinkIndex:
        """The index, built first if it never was (or was damaged)."""
        if not self.links.built():
            try:
                with self._locked():
                    if not self.links.built():
                        self._build_index_locked()
            except OSError as error:
                raise self._error("index", error) from None
        return self.links

    def _build_index_locked(self) -> None:
        self.links.build(*index_entries(self._every_record()))

    def _every_record(self) -> Iterator[tuple[Record, str]]:
        with collector_paused():
            for path in self._partitions():
                for record in self._read(path):
                    yield record, day_of(path)

    def _from_index(self, read: Callable[[LinkIndex], _T]) -> _T:
        """Read the index, built first if it never was, rebuilt if damaged."""
        try:
            return read(self._index())
        except DamagedFile:
            self._rebuild_index()
            return read(self.links)

    def _rebuild_index(self) -> None:
        try:
            with self._locked():
                self._build_index_locked()
        except OSError as error:
            raise self._error("index", error) from None
