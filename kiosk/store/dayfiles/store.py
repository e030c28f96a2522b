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

import json
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
    data_lock,
    fsync_dir,
    make_dirs,
    parse_tinydb,
)
from kiosk.store.contract import (
    HOME_SITE,
    Inspection,
    Record,
    Recovery,
    SiteView,
)
from kiosk.store.dayfiles import health
from kiosk.store.dayfiles import series as day_series
from kiosk.store.dayfiles.layout import (
    LEGACY_FILE,
    PART_SIZE,
    PARTITIONS,
    TABLE,
    DayFolder,
    atomic_storage,
    day_of,
    open_table,
    part_number,
    quarantine,
    replace_saved,
)
from kiosk.store.dayfiles.name_index import LinkIndex, Member, index_entries
from kiosk.store.dayfiles.parts import Part, PartCache, collector_paused
from kiosk.store.dayfiles.pending import PendingSaves
from kiosk.store.shared import (
    SharedStore,
    created,
    made,
    name_needle,
    search_bound,
    utc,
)

if TYPE_CHECKING:
    from tinydb.table import Table

    from kiosk.content.kinds import Question

__all__ = ["CheckInStore", "atomic_storage"]

JOURNAL_FILE = "series-journal.json"

_T = TypeVar("_T")


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
        self.days = DayFolder(self.partitions_dir)
        self.pending = PendingSaves(self.data_dir, self.questions, self._locked)
        """Check-ins whose save failed, waiting to be stored."""
        self.pending_path = self.pending.path
        self.journal_path = self.data_dir / JOURNAL_FILE
        """A renumbering across day files under way: what each should hold."""
        self.clock: WallClock = clock or utc_now
        # `self._reads` (per thread) also says whether this thread holds the lock.
        self._parts = PartCache()
        self.links = LinkIndex(self.data_dir)
        """Where series and same-name check-ins are found without reading
        every day file."""

    # -- Files ------------------------------------------------------------

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
            for path in self.days.holding(parts[:-1], new):
                with open_table(path) as table:
                    replace_saved(table, new)
            path = parts[-1]
            part = part_number(path)
            while new:
                with open_table(path) as table:
                    replace_saved(table, new)
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
                for path in self.days.holding(self._partitions(), ids):
                    other = date.fromisoformat(day_of(path))
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
            for path in self.days.holding(self._day_parts(day), ids):
                with open_table(path) as table:
                    table.remove(Query().id.one_of(list(ids)))
                    empty = len(table) == 0
                if empty:
                    path.unlink()
                    fsync_dir(path.parent)

    def _index_locked(self, documents: list[Record]) -> None:
        names, series = index_entries((doc, created(doc).date().isoformat())
                                       for doc in documents)
        self.links.add_names((key, entry) for key, entries in names.items()
                             for entry in entries)
        for series_id, members in series.items():
            self.links.add_members(series_id, members)

    def _flush_pending_locked(self) -> int:
        pending = self.pending.take_locked()
        if not pending:
            return 0
        added = self._insert_locked(pending.values())
        self.pending.stored_locked(self.data_dir)
        return added

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
            self.pending.keep(document)
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
                with open_table(path) as table:
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
                        date.fromisoformat(day_of(path)), time())) + timedelta(days=1)
                    with open_table(path) as table:
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
        with collector_paused():
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

    def _parsed_part(self, path: Path) -> Part:
        """A day file's documents as parsed, kept while the file is the same
        (see `parts`)."""
        try:
            return self._parts.part(path, lambda path: list(self._raw(path).values()))
        except OSError as error:
            raise self._error("read", error) from None

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
    def _series_change(self, action: str) -> Iterator[day_series.DaySeries]:
        try:
            with self._locked():
                day_series.index_locked_ready(self)
                yield day_series.DaySeries(self)
        except OSError as error:
            raise self._error(action, error) from None


    def mend_duplicates(self) -> int:
        """Take out older copies of a check-in stored twice (see `health`)."""
        return health.mend_duplicates(self)

    def repair_index(self) -> bool:
        return health.repair_index(self)

    # -- Start-up and health ------------------------------------------------

    def recover(self) -> Recovery:
        """At start: store pending check-ins, import a legacy single-file store,
        and clear temporary files left by a crash. Does nothing (and creates
        nothing) for a folder that holds no data yet."""
        report = Recovery()
        legacy = self.data_dir / LEGACY_FILE
        if not (self.partitions_dir.exists() or self.pending.waiting() or legacy.exists()):
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
            quarantine(legacy)
            return 0
        documents = [self._document(doc) for doc in parsed.get(TABLE, {}).values()]
        added = self._insert_locked(documents)
        legacy.unlink()  # Every record is now durable in the day files.
        fsync_dir(self.data_dir)
        return added

    def quarantined(self) -> list[Path]:
        """Files moved aside because they did not parse."""
        return health.quarantined(self)

    def damaged_count(self) -> int:
        return len(self.quarantined())

    def held_in_memory(self) -> int:
        return len(self.pending.memory)

    def retry(self) -> int:
        if not self.pending.waiting():
            return 0
        try:
            return self.recover().saved_pending
        except StoreError:
            # The day files still can't be written: the pending file, at
            # least, lets `kiosk doctor` and the desk see them, and survives
            # a restart.
            for document in list(self.pending.memory.values()):
                self.pending.keep(document)
            return 0

    def pending_count(self) -> int:
        """Check-ins whose save failed and that are not stored yet."""
        return self.pending.count()

    def inspect(self) -> Inspection:
        """Check the data folder (see `health`): slow, for `kiosk doctor`."""
        return health.inspect(self)


def _shown_name(key: str) -> str:
    """A name key as a name search reads it: what `client_name` shows, case
    folded ("zoë k.")."""
    first, _, initial = key.partition("|")
    return f"{first} {initial}." if initial else first


