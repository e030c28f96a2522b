"""The check-in store: TinyDB files, one per day, safe against crashes and rivals.

The data folder holds:

    checkins/YYYY-MM-DD.json   one TinyDB file per UTC day of `created_at`
    checkins/*.corrupt-<UTC>   a day file that did not parse, moved aside intact
    pending.json               check-ins whose save failed, retried on the next
    series-journal.json        a renumbering across day files under way, finished
                               by the next to take the lock or read
    .lock                      taken (fcntl.flock) around every change

Every change takes the lock, opens the day file afresh (so it sees every other
process's writes, and TinyDB's in-memory id counter is never shared), and
writes through `AtomicJSONStorage`: a temporary file, fsync, `os.replace`, and
an fsync of the folder. A kill at any moment leaves the old or the new file.
Readers need no lock: they only ever see a whole file.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from kiosk.checkin.record import (
    BadRecord,
    Questions,
    check_record,
    client_name,
    name_key,
    series_of,
)
from kiosk.clock import WallClock, utc_now
from kiosk.files import (
    DamagedFile,
    StoreError,
    TinyDBData,
    data_lock,
    fsync_dir,
    make_dirs,
    move_aside,
    parse_tinydb,
    read_tinydb,
    write_atomically,
)
from kiosk.store.contract import (
    HOME_SITE,
    Inspection,
    Record,
    Recovery,
    SiteView,
    UnknownCheckIn,
)
from kiosk.store.dayfiles.name_index import LinkIndex, Member, NameEntry
from kiosk.store.shared import (
    Place,
    SharedStore,
    created,
    made,
    name_needle,
    search_bound,
    utc,
)

if TYPE_CHECKING:
    from tinydb.storages import Storage
    from tinydb.table import Table

    from kiosk.content.kinds import Question

__all__ = ["CheckInStore"]

PARTITIONS = "checkins"
PENDING_FILE = "pending.json"
JOURNAL_FILE = "series-journal.json"
LEGACY_FILE = "checkins.json"
TABLE = "checkins"
_DAY_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.([1-9]\d{0,5}))?\.json")
"""A day file's name: `YYYY-MM-DD.json`, then `YYYY-MM-DD.N.json` for its
further parts."""
PART_SIZE = 1_000
"""Check-ins in one part of a day. A busy day is split into parts, so that a
save rewrites only the newest part, not the whole day."""
_CACHED_RECORDS = 60_000
"""How many parsed check-ins a store keeps between reads (the staff
screen's queue on a very busy day), so that a poll parses only the parts
that changed."""
_CORRUPT = ".corrupt-"

_T = TypeVar("_T")


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _index_entries(
    records: Iterable[tuple[Record, str]],
) -> tuple[dict[str, list[NameEntry]], dict[str, list[Member]]]:
    """What the link index holds for these (record, day file date) pairs: the
    entries under each name key, and the members of each series."""
    names: dict[str, list[NameEntry]] = {}
    series: dict[str, list[Member]] = {}
    for record, day in records:
        key = name_key(record)
        if key:
            names.setdefault(key, []).append((record["id"], day, created(record).isoformat()))
        linked = series_of(record)
        if linked:
            series.setdefault(linked[0], []).append((record["id"], day))
    return names, series


class _Part:
    """A day file's documents as parsed, with what reading them found out,
    filled in as readers need it."""

    __slots__ = ("moments", "records", "verdicts")

    def __init__(self, records: list[Record]) -> None:
        self.records = records
        self.verdicts: list[bool | None] = [None] * len(records)
        """Whether each is of the stored shape (None: not checked yet)."""
        self.moments: list[datetime | None] = [None] * len(records)
        """When each was made (None: not read yet)."""


def _replace(table: Table, new: dict[str, Record]) -> None:
    """Store the documents in `new` already in this table over their first
    saves, taking them out of `new`."""
    from tinydb import Query

    if new:
        for stored in table.search(Query().id.one_of(list(new))):
            table.update(new.pop(stored["id"]), doc_ids=[stored.doc_id])


def _day_of(path: Path) -> str:
    """The UTC day (ISO) of a day file or of one of its parts."""
    return path.name[:10]


def _part_number(path: Path) -> int:
    named = _DAY_FILE.fullmatch(path.name)
    return int(named[2] or 0) if named else 0


class CheckInStore(SharedStore):
    """Check-ins saved as TinyDB documents, keyed by their uuid `id`.

    Every method opens the files afresh, so kiosk and staff processes on the
    same folder see each other's writes. Methods raise `StoreError` (never an
    error naming an answer) when the folder can't be read or written.
    """

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
        self.pending_path = self.data_dir / PENDING_FILE
        """Check-ins whose save failed, waiting to be stored."""
        self.journal_path = self.data_dir / JOURNAL_FILE
        """A renumbering across day files under way: what each should hold."""
        self.clock: WallClock = clock or utc_now
        self._pending: dict[str, Record] = {}
        # `self._reads` (per thread) also says whether this thread holds the lock.
        self._parts_seen: dict[date, int] = {}
        self._parsed: dict[Path, tuple[tuple[int, ...], _Part]] = {}
        self._parsed_lock = threading.Lock()
        self.links = LinkIndex(self.data_dir)
        """Where series and same-name check-ins are found without reading
        every day file."""
        # Check-ins that could not even go to the pending file: kept in
        # memory until a save works.

    # -- Files ------------------------------------------------------------

    def partition_path(self, day: date, part: int = 0) -> Path:
        """The file holding the check-ins made on this UTC day (its first
        part; a busy day's later parts are `part` 1, 2, …)."""
        suffix = f".{part}" if part else ""
        return self.partitions_dir / f"{day.isoformat()}{suffix}.json"

    def _partitions(self, first: date | None = None, last: date | None = None) -> list[Path]:
        """Day files, newest first (a day's later parts before its earlier),
        limited to the UTC days first..last."""
        low = first.isoformat() if first else ""
        high = last.isoformat() if last else "~"
        found: list[tuple[str, int, Path]] = []
        try:
            with os.scandir(self.partitions_dir) as entries:
                for entry in entries:
                    named = _DAY_FILE.fullmatch(entry.name)
                    if named and low <= named[1] <= high:
                        found.append((named[1], int(named[2] or 0), Path(entry.path)))
        except FileNotFoundError:
            return []
        except OSError as error:
            raise self._error("read", error) from None
        found.sort(key=lambda item: item[:2], reverse=True)
        return [path for _, _, path in found]

    def _day_parts(self, day: date) -> list[Path]:
        """One day's files, its first part first."""
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
                    self._replay_locked()
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

    def _replay_locked(self) -> None:
        """Apply what the journal says every day file it names should hold,
        then drop it. Safe to do twice; a journal that can't be read is from
        a write cut short before it was whole, when nothing had moved yet."""
        try:
            journal = json.loads(self.journal_path.read_bytes())
            by_day = {date.fromisoformat(day): {
                str(checkin_id): None if place is None else (str(place[0]), int(place[1]))
                for checkin_id, place in places.items()} for day, places in journal.items()}
        except (ValueError, TypeError, AttributeError, IndexError, KeyError):
            by_day = {}
        self._apply_places_locked(by_day)
        self.journal_path.unlink()
        fsync_dir(self.data_dir)

    def _apply_places_locked(
            self, by_day: Mapping[date, Mapping[str, tuple[str, int] | None]]) -> None:
        for made_on, places in by_day.items():
            for path in self._holding(self._day_parts(made_on), places):
                self._place_locked(path, places)

    def version(self) -> tuple[int, ...]:
        """Changes whenever any check-in is added, changed or erased: every
        write replaces a day file (a new inode, and a new folder mtime). A few
        stats, so a staff screen can poll it cheaply."""
        try:
            folder = self.partitions_dir.stat()
        except FileNotFoundError:
            return ()
        try:
            newest = self._newest_part(utc(self.clock()).date()).stat()
        except FileNotFoundError:
            return (folder.st_mtime_ns,)
        return (folder.st_mtime_ns, newest.st_ino, newest.st_mtime_ns)

    def _newest_part(self, day: date) -> Path:
        """The part of this day that saves go to, found with a stat or two
        from the one seen last."""
        seen = self._parts_seen.get(day, 0)
        while self.partition_path(day, seen + 1).exists():
            seen += 1
        self._parts_seen = {day: seen}
        return self.partition_path(day, seen)

    @contextmanager
    def _table(self, path: Path) -> Iterator[Table]:
        """A day file's table, opened afresh; call only inside `_locked`.

        A file that doesn't parse is moved aside first, so the new data never
        overwrites what couldn't be read.
        """
        # Imported here so that the kiosk's start-up doesn't wait for TinyDB.
        from tinydb import TinyDB

        db = TinyDB(path, storage=_atomic_storage())
        try:
            db.storage.read()
        except DamagedFile:
            self._quarantine_locked(path)
        try:
            yield db.table(TABLE)
        finally:
            db.close()

    def _quarantine_locked(self, path: Path) -> Path | None:
        try:
            read_tinydb(path)
            return None  # Another process replaced it with a good file.
        except DamagedFile:
            pass
        return move_aside(path)  # Same bytes, new name: nothing is lost.

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
                    self._quarantine_locked(path)
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
        needle = json.dumps(checkin_id).encode("utf-8")
        for path in self._partitions():
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            except OSError as error:
                raise self._error("read", error) from None
            if needle not in data:
                continue  # A quick look at the bytes saves parsing every day.
            for record in self._raw(path).values():
                if record.get("id") == checkin_id:
                    return path, record
        return None

    # -- Saving -------------------------------------------------------------

    def _insert_locked(self, documents: Iterable[Record]) -> int:
        by_day: dict[date, list[Record]] = {}
        for document in documents:
            by_day.setdefault(created(document).date(), []).append(document)
        # Read before the index moves them: earlier saves of these ids on
        # other days, taken out once the new ones are written.
        stale = self._saved_elsewhere(by_day)
        if self.links.built():
            # The index first: an entry whose record a crash kept from the
            # day file is passed over by readers; a record missing from the
            # index could never be suggested.
            self._index_locked([doc for group in by_day.values() for doc in group])
        added = 0
        for day, group in by_day.items():
            new = {doc["id"]: doc for doc in group}
            parts = self._day_parts(day) or [self.partition_path(day)]
            # A save tried again (after a failure, or one that in fact
            # worked) replaces its first attempt, in whichever part of the
            # day it is: one visit, one check-in.
            for path in self._holding(parts[:-1], new):
                with self._table(path) as table:
                    _replace(table, new)
            path = parts[-1]
            part = _part_number(path)
            while new:
                with self._table(path) as table:
                    _replace(table, new)
                    room = list(new)[:max(0, PART_SIZE - len(table))]
                    if room:
                        table.insert_multiple(new.pop(checkin_id) for checkin_id in room)
                        added += len(room)
                part += 1  # This part is full: the next one.
                path = self.partition_path(day, part)
        self._take_out_locked(stale)
        return added - sum(len(ids) for ids in stale.values())

    def _saved_elsewhere(self, by_day: Mapping[date, list[Record]]) -> dict[date, set[str]]:
        """The days other than its own where each id was saved before (a save
        tried again after midnight), found through the name index."""
        stale: dict[date, set[str]] = {}
        if not self.links.built():
            # No index yet (a new folder, until a start, a link or the desk's
            # first suggestions build it): a look at the day files' bytes.
            for day, group in by_day.items():
                ids = {document["id"] for document in group}
                for path in self._holding(self._partitions(), ids):
                    other = date.fromisoformat(_day_of(path))
                    if other != day:
                        data = path.read_bytes()
                        stale.setdefault(other, set()).update(
                            i for i in ids if json.dumps(i).encode() in data)
            return stale
        for day, group in by_day.items():
            for document in group:
                key = name_key(document)
                try:
                    entries = self.links.names(key) if key else []
                except DamagedFile:
                    continue  # Rebuilt by the next read; doctor finds any copy left.
                for checkin_id, elsewhere, _ in entries:
                    if checkin_id == document["id"] and elsewhere != day.isoformat():
                        with suppress(ValueError):
                            stale.setdefault(date.fromisoformat(elsewhere), set()).add(
                                checkin_id)
        return stale

    def _take_out_locked(self, stale: Mapping[date, set[str]]) -> None:
        """Remove earlier saves of these ids from these days' files (after
        the new saves are durable: a crash between leaves two, which doctor
        finds, never none)."""
        from tinydb import Query

        for day, ids in stale.items():
            for path in self._holding(self._day_parts(day), ids):
                with self._table(path) as table:
                    table.remove(Query().id.one_of(list(ids)))
                    empty = len(table) == 0
                if empty:
                    path.unlink()
                    fsync_dir(path.parent)

    def _holding(self, paths: Iterable[Path], ids: Iterable[str]) -> list[Path]:
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

    def _index_locked(self, documents: list[Record]) -> None:
        names, series = _index_entries((doc, created(doc).date().isoformat())
                                       for doc in documents)
        self.links.add_names((key, entry) for key, entries in names.items()
                             for entry in entries)
        for series_id, members in series.items():
            self.links.add_members(series_id, members)

    def _load_pending(self) -> dict[str, Record]:
        pending = dict(self._pending)
        try:
            data = self.pending_path.read_bytes()
        except FileNotFoundError:
            return pending
        try:
            saved = json.loads(data)
        except ValueError:
            raise DamagedFile(self.pending_path) from None
        if not isinstance(saved, list):
            raise DamagedFile(self.pending_path)
        good = []
        for document in saved:
            try:
                check_record(document, self.questions)
            except BadRecord:
                raise DamagedFile(self.pending_path) from None
            good.append(document)
        for document in good:
            pending.setdefault(document["id"], document)
        return pending

    def _flush_pending_locked(self) -> int:
        try:
            pending = self._load_pending()
        except DamagedFile:
            salvaged = self._salvage_pending()
            self._quarantine_pending_locked()
            pending = {**salvaged, **self._pending}
        if not pending:
            return 0
        added = self._insert_locked(pending.values())
        with suppress(FileNotFoundError):
            self.pending_path.unlink()
            fsync_dir(self.data_dir)
        self._pending.clear()
        return added

    def _salvage_pending(self) -> dict[str, Record]:
        """The good check-ins of a pending file that is not all good."""
        try:
            saved = json.loads(self.pending_path.read_bytes())
        except (OSError, ValueError):
            return {}
        good = {}
        for document in saved if isinstance(saved, list) else []:
            try:
                check_record(document, self.questions)
            except BadRecord:
                continue
            good[document["id"]] = document
        return good

    def _quarantine_pending_locked(self) -> None:
        move_aside(self.pending_path)

    def _keep_pending(self, document: Record) -> None:
        """Keep a check-in whose save failed: on disk if possible, else in memory."""
        self._pending[document["id"]] = document
        try:
            with self._locked():
                pending = self._load_pending()
                write_atomically(self.pending_path, json.dumps(
                    list(pending.values()), ensure_ascii=False).encode("utf-8"))
        except (OSError, StoreError):
            return  # Stays in memory, retried by the next save.
        self._pending.clear()

    def add(self, record: Mapping[str, Any]) -> str:
        """Save a check-in; returns its id once it is on disk.

        A record without an id gets a uuid, one without `created_at` gets now.
        Check-ins from earlier failed saves are stored first. If this save
        fails, the check-in is kept as pending and `StoreError` is raised.
        """
        document = self._document(record)
        try:
            with self._locked():
                self._flush_pending_locked()
                self._insert_locked([document])
        except OSError as error:
            self._keep_pending(document)
            raise self._error("save", error) from None
        return str(document["id"])

    def import_records(self, records: Iterable[Mapping[str, Any]]) -> int:
        """Save many check-ins at once (each day file written once); returns how
        many were new."""
        documents = [self._document(record) for record in records]
        try:
            with self._locked():
                return self._insert_locked(documents)
        except OSError as error:
            raise self._error("save", error) from None

    def _change(self, checkin_id: str, work: Callable[[Table, Any], bool],
                found: tuple[Path, Record] | None = None) -> bool:
        """Apply `work` to the check-in's day file under the lock (`found`:
        where it is, if the caller has looked already)."""
        from tinydb import Query

        found = found or self._find(checkin_id)
        if found is None:
            return False
        path = found[0]
        try:
            with self._locked():
                if not path.exists():
                    return False
                with self._table(path) as table:
                    changed = work(table, Query().id == checkin_id)
                    empty = len(table) == 0
                if empty:
                    path.unlink()  # No empty day files left behind.
                    fsync_dir(path.parent)
        except OSError as error:
            raise self._error("change", error) from None
        return changed

    def _change_record(self, checkin_id: str, action: str,
                       change: Callable[[Record], Mapping[str, Any]]) -> bool:
        def update(document: MutableMapping[Any, Any]) -> None:
            document.update(change(cast(Record, dict(document))))

        return self._change(checkin_id, lambda table, query: bool(table.update(update, query)))

    def delete(self, checkin_id: str) -> bool:
        """Erase a check-in; False if there is no such check-in."""
        found = self._find(checkin_id)
        removed = self._change(checkin_id, lambda table, query: bool(table.remove(query)),
                               found)
        if removed and found is not None:
            try:
                with self._locked():
                    self._unindex_locked([found[1]])
            except (OSError, DamagedFile):
                pass  # The record is gone; readers pass over the stale entry.
        return removed

    def _unindex_locked(self, records: list[Record]) -> None:
        """Take erased check-ins out of the index (after their day files)."""
        if not self.links.built():
            return
        self.links.drop_names((name_key(record), str(record.get("id"))) for record in records)
        gone = {str(record.get("id")) for record in records}
        changes: dict[str, list[Member]] = {}
        for record in records:
            linked = series_of(record)
            if linked and linked[0] not in changes:
                changes[linked[0]] = [member for member in self.links.members(linked[0])
                                      if member[0] not in gone]
        if changes:
            self.links.set_members(changes)

    def purge(self, older_than_days: int) -> int:
        """Erase check-ins made more than this many days ago; returns how many."""
        if older_than_days < 0:
            raise ValueError("older_than_days must not be negative")
        try:
            cutoff = utc(self.clock()) - timedelta(days=older_than_days)
        except OverflowError:
            return 0  # Older than the calendar goes: nothing is that old.
        removed = 0
        gone: list[Record] = []
        if not self.partitions_dir.exists():
            return 0
        try:
            with self._locked():
                for path in self._partitions(last=cutoff.date()):
                    # A record whose date can't be read is dated by its day
                    # file, as if made at the end of that day: retention is
                    # never blocked by a bad date, and never takes a record
                    # that could be younger than the cutoff.
                    end_of_day = utc(datetime.combine(
                        date.fromisoformat(_day_of(path)), time())) + timedelta(days=1)
                    with self._table(path) as table:
                        old = [document for document in table.all()
                               if made(document, end_of_day) < cutoff]
                        if old:
                            removed += len(table.remove(doc_ids=[doc.doc_id for doc in old]))
                            gone.extend(cast(Record, dict(document)) for document in old)
                        empty = len(table) == 0
                    if empty and path.exists():
                        path.unlink()
                fsync_dir(self.partitions_dir)
                try:
                    self._unindex_locked(gone)
                except DamagedFile:
                    self._build_index_locked()
        except OSError as error:
            raise self._error("purge", error) from None
        return removed

    # -- Reading ------------------------------------------------------------

    def get(self, checkin_id: str) -> Record | None:
        """The check-in with this id, or None (also for one not of the stored
        shape, which only `delete` still reaches)."""
        self._settled()
        found = self._find(checkin_id)
        if found is None:
            return None
        try:
            check_record(found[1], self.questions)
        except BadRecord:
            return None
        return cast(Record, dict(found[1]))

    def search(
        self,
        text: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        status: str | None = None,
        flagged: bool | None = None,
        *,
        site: SiteView = HOME_SITE,
    ) -> list[Record]:
        """Check-ins matching every condition given, oldest first (one
        folder is one site's: `site` changes nothing).

        `text` is looked for in the client's name, ignoring case. `since` and
        `until` are inclusive; a date means that whole local day.
        """
        self._settled()
        self._start_read()
        start, end = search_bound(since, end=False), search_bound(until, end=True)
        paths = self._partitions(
            start.date() if start else None, end.date() if end else None)
        needle = name_needle(text)
        found: list[tuple[datetime, Record]] = []
        # Parsing years of day files makes millions of objects; the cyclic
        # garbage collector would scan them over and over (2.4 s → 0.8 s for
        # 100,000 check-ins with it paused). JSON makes no cycles.
        with _collector_paused():
            # Oldest first: check-ins made in the same second keep the
            # order they were saved in.
            for path in reversed(paths):
                found.extend(self._matching(path, start, end, status, flagged, needle))
        found.sort(key=lambda pair: pair[0])
        return [record for _, record in found]

    def _matching(
        self,
        path: Path,
        start: datetime | None,
        end: datetime | None,
        status: str | None,
        flagged: bool | None,
        needle: str,
    ) -> Iterator[tuple[datetime, Record]]:
        part = self._parsed_part(path)
        records, verdicts, moments = part.records, part.verdicts, part.moments
        for number, record in enumerate(records):
            moment = moments[number]
            try:
                # The cheap conditions first, on the record as it is: only
                # a record they keep is checked against the whole schema
                # (a search for a name checks that name's check-ins, not a
                # year of them). A record too damaged for them is checked,
                # and counted, below.
                if status is not None and record.get("status") != status:
                    continue
                if flagged is not None and bool(record.get("flags")) != flagged:
                    continue
                if needle and needle not in client_name(record).casefold():
                    continue
                if start or end:
                    if moment is None:
                        moment = moments[number] = created(record)
                    if (start and moment < start) or (end and moment >= end):
                        continue
            except (AttributeError, KeyError, TypeError, ValueError):
                pass
            if verdicts[number] is None:
                try:
                    check_record(record, self.questions)
                    verdicts[number] = True
                except BadRecord:
                    verdicts[number] = False
            if not verdicts[number]:
                self._reads.skipped = getattr(self._reads, "skipped", 0) + 1
                continue
            if moment is None:
                moment = moments[number] = created(record)
            yield moment, record

    def _parsed_part(self, path: Path) -> _Part:
        """A day file's documents as parsed. Kept while the file is the same
        (its inode, mtime and size), up to `_CACHED_RECORDS`: on a very busy
        day, a staff screen's poll parses only the part a save changed."""
        try:
            seen = path.stat()
        except FileNotFoundError:
            return _Part([])
        except OSError as error:
            raise self._error("read", error) from None
        # Taken before reading: a file replaced meanwhile is read again next time.
        key = (seen.st_ino, seen.st_mtime_ns, seen.st_size)
        with self._parsed_lock:
            cached = self._parsed.pop(path, None)
            if cached is not None and cached[0] == key:
                self._parsed[path] = cached  # Read last, so evicted last.
                return cached[1]
        parsed = _Part(list(self._raw(path).values()))
        with self._parsed_lock:
            self._parsed[path] = (key, parsed)
            held = sum(len(entry[1].records) for entry in self._parsed.values())
            while held > _CACHED_RECORDS and len(self._parsed) > 1:
                oldest = next(iter(self._parsed))  # The longest unread goes first.
                held -= len(self._parsed.pop(oldest)[1].records)
        return parsed

    # -- Series ---------------------------------------------------------------

    def _pluck(self, path: Path, ids: Iterable[str]) -> dict[str, Record]:
        """The good records with these ids in one day file, without parsing
        the rest of it: a record is written with its id first, so it starts
        at `{"id": "<id>"`, and only it is decoded."""
        try:
            text = path.read_bytes().decode("utf-8", "replace")
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise self._error("read", error) from None
        decoder = json.JSONDecoder()
        found: dict[str, Record] = {}
        whole: dict[str, Record] | None = None
        for checkin_id in ids:
            quoted = json.dumps(checkin_id)
            at = text.find('{"id": ' + quoted)
            record: Any = None
            if at >= 0:
                with suppress(ValueError):
                    record = decoder.raw_decode(text, at)[0]
            elif quoted in text:
                # Written some other way (by hand, or by another tool).
                if whole is None:
                    whole = {str(doc.get("id")): doc for doc in self._raw(path).values()}
                record = whole.get(checkin_id)
            if record is None:
                continue
            try:
                check_record(record, self.questions)
            except BadRecord:
                continue
            if record.get("id") == checkin_id:
                found[checkin_id] = record
        return found

    def _fetch(self, entries: Iterable[tuple[str, str]]) -> dict[str, Record]:
        """Records by (id, day file date), reading each day file once."""
        by_day: dict[str, list[str]] = {}
        for checkin_id, day in entries:
            by_day.setdefault(day, []).append(checkin_id)
        found: dict[str, Record] = {}
        for day, ids in by_day.items():
            try:
                paths = self._day_parts(date.fromisoformat(day))
            except ValueError:
                continue  # Not a date: a damaged entry, passed over.
            for path in paths:
                found.update(self._pluck(path, [i for i in ids if i not in found]))
        return found

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
        self.links.build(*_index_entries(self._every_record()))

    def _every_record(self) -> Iterator[tuple[Record, str]]:
        with _collector_paused():
            for path in self._partitions():
                for record in self._read(path):
                    yield record, _day_of(path)

    def _from_index(self, read: Callable[[LinkIndex], _T]) -> _T:
        """Read the index, built first if it never was, rebuilt if damaged."""
        try:
            return read(self._index())
        except DamagedFile:
            self._rebuild_index()
            return read(self.links)

    def series(self, series_id: str) -> list[Record]:
        self._settled()
        members = self._from_index(lambda links: links.members(series_id))
        records = [record for record in self._fetch(members).values()
                   if (series_of(record) or ("", 0))[0] == series_id]
        return sorted(records, key=lambda record: (record["session"], record["created_at"]))

    def suggestions(self, record: Mapping[str, Any], most: int = 20, *,
                    site: SiteView = HOME_SITE) -> list[Record]:
        key = name_key(record)
        if not key:
            return []
        entries = self._from_index(lambda links: links.names(key))
        mine = made(record, datetime.max.replace(tzinfo=UTC))
        # Index times are UTC ISO text, so text order is time order.
        before = mine.isoformat()
        own = record.get("id")
        candidates = [entry for entry in entries if entry[2] < before and entry[0] != own]
        # Newest first; a few more than asked are read, as some may have gone.
        candidates.sort(key=itemgetter(2), reverse=True)
        found: list[Record] = []
        for start in range(0, len(candidates), most):
            chunk = candidates[start:start + most]
            fetched = self._fetch((entry[0], entry[1]) for entry in chunk)
            for entry in chunk:
                earlier = fetched.get(entry[0])
                if earlier is not None and name_key(earlier) == key and created(earlier) < mine:
                    found.append(earlier)
            if len(found) >= most:
                break
        return found[:most]

    def find_names(self, text: str, *, limit: int, offset: int = 0,
                   site: SiteView = HOME_SITE) -> tuple[list[Record], int]:
        """From the index: the keys that match (`keys.json`), the entries
        under them, and only the page's records read from the day files."""
        if limit < 0 or offset < 0:
            raise ValueError("a page's limit and offset can't be negative")
        self._settled()
        self._start_read()
        needle = name_needle(text)
        counts = self._from_index(lambda links: links.key_counts())
        keys = [key for key in counts if needle in _shown_name(key)]
        entries = self._from_index(lambda links: links.entries_under(keys))
        # Index times are UTC ISO text, so text order is time order.
        entries.sort(key=lambda entry: (entry[2], entry[0]), reverse=True)
        page: list[Record] = []
        at = offset
        while len(page) < limit and at < len(entries):
            # A few more than asked are read, as some entries may be stale.
            chunk = entries[at:at + limit - len(page) + 4]
            at += len(chunk)
            fetched = self._fetch((entry[0], entry[1]) for entry in chunk)
            for entry in chunk:
                record = fetched.get(entry[0])
                if record is not None and needle in client_name(record).casefold():
                    page.append(record)
        return page[:limit], sum(counts[key] for key in keys)

    def _rebuild_index(self) -> None:
        try:
            with self._locked():
                self._build_index_locked()
        except OSError as error:
            raise self._error("index", error) from None

    @contextmanager
    def _series_change(self, action: str) -> Iterator[_DaySeries]:
        try:
            with self._locked():
                self._index_locked_ready()
                yield _DaySeries(self)
        except OSError as error:
            raise self._error(action, error) from None

    def _index_locked_ready(self) -> None:
        try:
            if self.links.built():
                self.links.all_series()  # Raises if it is damaged.
                return
        except DamagedFile:
            pass
        self._build_index_locked()

    def _locate_locked(self, checkin_id: str) -> Record:
        found = self._find(checkin_id)
        if found is None:
            raise UnknownCheckIn(f"no check-in {checkin_id} in {self.data_dir}")
        try:
            check_record(found[1], self.questions)
        except BadRecord:
            raise UnknownCheckIn(f"check-in {checkin_id} is not of the stored shape") from None
        return found[1]

    def _write_places_locked(self, records: Mapping[str, Record],
                             final: Mapping[str, Place], touched: set[str]) -> None:
        """Write a regrouping: the index first for every series a check-in
        joins (see `name_index`), then each day file changed."""

        def day(record: Record) -> str:
            return created(record).date().isoformat()

        joined = {series: [(record["id"], day(record)) for record in records.values()
                           if (final.get(record["id"]) or ("",))[0] == series]
                  for series in touched}
        for series, entries in joined.items():
            self.links.add_members(series, entries)
        by_day: dict[date, dict[str, Place]] = {}
        for checkin_id, place in final.items():
            if series_of(records[checkin_id]) != place:
                by_day.setdefault(created(records[checkin_id]).date(), {})[checkin_id] = place
        if len(by_day) > 1:
            # Several day files, written one at a time: the journal first,
            # so a crash between them is finished by the next one to hold
            # the lock (or read), and readers see all of it or none.
            write_atomically(self.journal_path, json.dumps(
                {day.isoformat(): places for day, places in by_day.items()}).encode())
            self._apply_places_locked(by_day)
            self.journal_path.unlink()
            fsync_dir(self.data_dir)
        else:
            self._apply_places_locked(by_day)
        self.links.set_members(joined)

    def _place_locked(self, path: Path, places: Mapping[str, tuple[str, int] | None]) -> None:
        """Set (or clear) the series and session of check-ins in one day file,
        in one write: a kill leaves all of them changed or none."""
        from tinydb import Query

        def change(document: MutableMapping[Any, Any]) -> None:
            place = places[document["id"]]
            if place is None:
                document.pop("series", None)
                document.pop("session", None)
            else:
                document["series"], document["session"] = place

        with self._table(path) as table:
            table.update(change, Query().id.one_of(list(places)))

    def mend_duplicates(self) -> int:
        """Take out every copy of a check-in but the one in its newest day
        file (what a save tried again on a later day, before this was
        prevented, left behind); returns how many copies went."""
        from tinydb import Query

        try:
            with self._locked():
                where: dict[str, list[Path]] = {}
                for path in self._partitions():  # Newest first.
                    for record in self._raw(path).values():
                        if isinstance(record.get("id"), str):
                            where.setdefault(record["id"], []).append(path)
                extra: dict[Path, list[str]] = {}
                for checkin_id, paths in where.items():
                    for path in paths[1:]:
                        extra.setdefault(path, []).append(checkin_id)
                for path, ids in extra.items():
                    with self._table(path) as table:
                        table.remove(Query().id.one_of(ids))
                        empty = len(table) == 0
                    if empty:
                        path.unlink()
                        fsync_dir(path.parent)
                if extra:
                    self._build_index_locked()
        except OSError as error:
            raise self._error("mend", error) from None
        return sum(len(ids) for ids in extra.values())

    def repair_index(self) -> bool:
        try:
            with self._locked():
                names, series = _index_entries(self._every_record())
                try:
                    on_disk = self.links.snapshot() if self.links.built() else None
                except DamagedFile:
                    on_disk = None
                agrees = on_disk == (
                    {key: set(entries) for key, entries in names.items()},
                    {key: set(members) for key, members in series.items()})
                if not agrees:
                    self.links.build(names, series)  # From the same reading.
        except OSError as error:
            raise self._error("index", error) from None
        return not agrees

    # -- Start-up and health ------------------------------------------------

    def recover(self) -> Recovery:
        """At start: store pending check-ins, import a legacy single-file store,
        and clear temporary files left by a crash. Does nothing (and creates
        nothing) for a folder that holds no data yet."""
        report = Recovery()
        legacy = self.data_dir / LEGACY_FILE
        if not (self.partitions_dir.exists() or self.pending_path.exists()
                or legacy.exists() or self._pending):
            return report
        try:
            with self._locked():
                for temporary in self.partitions_dir.glob(".*.tmp"):
                    temporary.unlink()  # Only a crashed writer leaves these.
                    report.removed_temporary += 1
                report.saved_pending = self._flush_pending_locked()
                if legacy.exists():
                    report.imported_legacy = self._import_legacy_locked(legacy)
                if not self.links.built():
                    # Check-ins from before series existed: indexed once.
                    self._build_index_locked()
        except OSError as error:
            raise self._error("recover", error) from None
        return report

    def _import_legacy_locked(self, legacy: Path) -> int:
        try:
            parsed = parse_tinydb(legacy, legacy.read_bytes()) or {}
        except DamagedFile:
            self._quarantine_locked(legacy)
            return 0
        documents = [self._document(doc) for doc in parsed.get(TABLE, {}).values()]
        added = self._insert_locked(documents)
        legacy.unlink()  # Every record is now durable in the day files.
        fsync_dir(self.data_dir)
        return added

    def quarantined(self) -> list[Path]:
        """Files moved aside because they did not parse."""
        found = [*self.partitions_dir.glob(f"*{_CORRUPT}*"),
                 *self.data_dir.glob(f"*{_CORRUPT}*")]
        return sorted(path for path in found if path.is_file())

    def damaged_count(self) -> int:
        return len(self.quarantined())

    def held_in_memory(self) -> int:
        return len(self._pending)

    def retry(self) -> int:
        if not self._pending and not self.pending_path.exists():
            return 0
        try:
            return self.recover().saved_pending
        except StoreError:
            # The day files still can't be written: the pending file, at
            # least, lets `kiosk doctor` and the desk see them, and survives
            # a restart.
            for document in list(self._pending.values()):
                self._keep_pending(document)
            return 0

    def pending_count(self) -> int:
        """Check-ins whose save failed and that are not stored yet."""
        try:
            return len(self._load_pending())
        except (DamagedFile, OSError):
            return len(self._pending)

    def inspect(self) -> Inspection:
        """Check the data folder; reading every day file also moves aside any
        that doesn't parse."""
        report = Inspection(str(self.data_dir), exists=self.data_dir.exists())
        problems = report.problems
        if not report.exists:
            return report  # Nothing saved yet; the first save makes it.
        problems.extend(_privacy_problems(self.data_dir))
        probe_dir = self.partitions_dir if self.partitions_dir.exists() else self.data_dir
        if not os.access(probe_dir, os.W_OK | os.X_OK):
            problems.append(f"{probe_dir} is not writable: check-ins can't be saved")
        with suppress(OSError):
            report.free_bytes = shutil.disk_usage(self.data_dir).free
        paths = self._partitions() if self.partitions_dir.exists() else []
        for path in paths:
            try:
                documents = self._raw(path)
            except StoreError as error:
                problems.append(str(error))
                continue
            for key, document in documents.items():
                try:
                    check_record(document, self.questions)
                except BadRecord as error:
                    report.bad_records.append(f"{path} record {key}: {error}")
                else:
                    report.checkins += 1
        report.files = len(self._partitions()) if paths else 0
        report.pending = self.pending_count()
        with suppress(DamagedFile, OSError):
            report.pending_ids = sorted(self._load_pending())
        report.damaged = [str(path) for path in self.quarantined()]
        if (self.data_dir / LEGACY_FILE).exists():
            problems.append(f"{self.data_dir / LEGACY_FILE} is from an earlier version: "
                            "start the kiosk once to move it into the day files")
        return report


def _shown_name(key: str) -> str:
    """A name key as a name search reads it: what `client_name` shows, case
    folded ("zoë k.")."""
    first, _, initial = key.partition("|")
    return f"{first} {initial}." if initial else first


class _DaySeries:
    """The day files' series, held under the store's lock for one change."""

    def __init__(self, store: CheckInStore) -> None:
        self.store = store

    def locate(self, checkin_id: str) -> Record:
        return self.store._locate_locked(checkin_id)

    def members(self, series: str) -> Iterable[Record]:
        return self.store._fetch(self.store.links.members(series)).values()

    def place(self, records: Mapping[str, Record], final: Mapping[str, Place],
              touched: set[str]) -> None:
        self.store._write_places_locked(records, final, touched)


def _privacy_problems(data_dir: Path) -> list[str]:
    """What lets others read the data folder, judged by what each path is
    (lstat, never following a link), not by its name: every folder 0700,
    every file 0600, no links and nothing but files and folders in it."""
    problems: list[str] = []

    def judge(path: Path, info: os.stat_result) -> bool:
        mode = info.st_mode
        if stat.S_ISLNK(mode):
            problems.append(f"{path} is a symbolic link: the data folder must hold its own "
                            "files, never links to others (replace it with the file)")
            return False
        if stat.S_ISDIR(mode):
            wanted, what = 0o700, "folder"
        elif stat.S_ISREG(mode):
            wanted, what = 0o600, "file"
        else:
            problems.append(f"{path} is not a file or a folder: remove it")
            return False
        if mode & 0o077:
            problems.append(f"{path} is readable by others (mode {mode & 0o777:04o}, "
                            f"should be {wanted:04o} for a {what}): chmod {wanted:o} it")
        return stat.S_ISDIR(mode)

    try:
        if not judge(data_dir, os.lstat(data_dir)):
            return problems
        for folder, names, files in os.walk(data_dir):
            for name in [*names, *files]:
                path = Path(folder) / name
                with suppress(FileNotFoundError):
                    judge(path, os.lstat(path))
    except OSError as error:
        problems.append(f"{data_dir} can't be read: {error.strerror or type(error).__name__}")
    return problems


def _atomic_storage() -> type[Storage]:
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
