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

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from kiosk.checkin.record import (
    BadRecord,
    check_record,
    series_of,
)
from kiosk.files import (
    DamagedFile,
    StoreError,
    fsync_dir,
)
from kiosk.schedule.model import Appointment
from kiosk.store.contract import (
    HOME_SITE,
    ConsentText,
    Inspection,
    Record,
    Recovery,
    SiteView,
    SourceState,
)
from kiosk.store.dayfiles import health, lookups, saving
from kiosk.store.dayfiles import series as day_series
from kiosk.store.dayfiles.folder import DataFolder
from kiosk.store.dayfiles.layout import (
    atomic_storage,
    open_table,
)
from kiosk.store.shared import (
    SharedStore,
    name_needle,
    search_bound,
    utc,
)

if TYPE_CHECKING:
    from tinydb.table import Table


__all__ = ["CheckInStore", "atomic_storage"]

JOURNAL_FILE = "series-journal.json"

_T = TypeVar("_T")


class CheckInStore(DataFolder, SharedStore):
    """Check-ins saved as TinyDB documents, keyed by their uuid `id`.

    Every method opens the files afresh, so kiosk and staff processes on the
    same folder see each other's writes. Methods raise `StoreError` (never an
    error naming an answer) when the folder can't be read or written.
    """

    # -- Saving -------------------------------------------------------------

    def _flush_pending_locked(self) -> int:
        pending = self.pending.take_locked()
        if not pending:
            return 0
        added = saving.insert_locked(self, pending.values())
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
                saving.insert_locked(self, [document])
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
                return saving.insert_locked(self, documents)
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
                    saving.unindex_locked(self, [found[1]])
            except (OSError, DamagedFile):
                pass  # The record is gone; readers pass over the stale entry.
        return removed

    def purge(self, older_than_days: int) -> int:
        """Erase check-ins made more than this many days ago; returns how many."""
        if older_than_days < 0:
            raise ValueError("older_than_days must not be negative")
        try:
            cutoff = utc(self.clock()) - timedelta(days=older_than_days)
        except OverflowError:
            return 0  # Older than the calendar goes: nothing is that old.
        if not self.partitions_dir.exists():
            return 0
        try:
            with self._locked():
                removed = saving.purge_locked(self, cutoff)
            # The bookings of those days go with them: they hold names too.
            self.book.erase_before(cutoff.astimezone().date())
            return removed
        except OSError as error:
            raise self._error("purge", error) from None

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
        return lookups.search(self, search_bound(since, end=False),
                              search_bound(until, end=True), status, flagged, name_needle(text))

    # -- Series ---------------------------------------------------------------

    def series(self, series_id: str) -> list[Record]:
        self._settled()
        members = self._from_index(lambda links: links.members(series_id))
        records = [record for record in lookups.fetch(self, members).values()
                   if (series_of(record) or ("", 0))[0] == series_id]
        return sorted(records, key=lambda record: (record["session"], record["created_at"]))

    def suggestions(self, record: Mapping[str, Any], most: int = 20, *,
                    site: SiteView = HOME_SITE) -> list[Record]:
        return lookups.suggestions(self, record, most)

    def find_names(self, text: str, *, limit: int, offset: int = 0,
                   site: SiteView = HOME_SITE) -> tuple[list[Record], int]:
        """From the index (one folder is one site's: `site` changes nothing)."""
        return lookups.find_names(self, text, limit=limit, offset=offset)

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

    # -- Appointments (see `appointments`) -------------------------------------

    def put_appointments(self, source: str, first: date, last: date,
                         appointments: Sequence[Appointment]) -> int:
        try:
            return self.book.put(source, first, last, appointments)
        except OSError as error:
            raise self._error("save", error) from None

    def appointments(self, first: date, last: date | None = None, *,
                     site: SiteView = HOME_SITE) -> list[Appointment]:
        found, bad = self.book.on(first, last or first)
        self._count_skipped(bad)
        return found

    def schedule_states(self) -> list[SourceState]:
        return self.book.states()

    def note_schedule_read(self, source: str, error: str | None) -> None:
        try:
            self.book.note(source, self.clock(), error)
        except OSError as error_:
            raise self._error("save", error_) from None

    def keep_consent_text(self, text: ConsentText) -> None:
        try:
            self.consents.keep(text)
        except OSError as error:
            raise self._error("save", error) from None

    def consent_text(self, version: str) -> ConsentText | None:
        try:
            return self.consents.get(version)
        except OSError as error:
            raise self._error("read", error) from None

    # -- Start-up and health ------------------------------------------------

    def recover(self) -> Recovery:
        """At start: store pending check-ins, import a legacy single-file store,
        and clear temporary files left by a crash (see `health`)."""
        return health.recover(self)

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
