"""Check-ins in PostgreSQL: the `Store` the staff app, export, erase, purge,
search, status and series use when a clinic's machines share a database.

Each check-in is one row: `record` holds it whole, as the TinyDB store keeps
it; the columns beside it (time, site, status, name, series) are read from
it, for finding and sorting. A change updates both in one statement.

One connection per store, used by one thread at a time. A connection that
breaks is opened again on the next call; a call that fails raises
`StoreError` naming the server (never its password) and never an answer.
"""

from __future__ import annotations

import errno
import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kiosk.access.audit import AuditLog
from kiosk.access.pin import PIN_FILE_PROBLEM, PLACES, PinResult, StaffPin, _hash, _place_ok
from kiosk.checkin.record import (
    STATUSES,
    BadRecord,
    Questions,
    check_record,
    client_name,
    name_key,
    series_of,
)
from kiosk.clock import WallClock, utc_now
from kiosk.files import StoreError
from kiosk.settings import without_password
from kiosk.store.dayfiles.store import (
    CheckInStore,
    Inspection,
    Record,
    Recovery,
    Store,
    UnknownCheckIn,
    created,
    placements,
    search_bound,
    stored_document,
    touched_series,
)
from kiosk.store.postgres.schema import (
    CONNECT_SECONDS,
    STATEMENT_SECONDS,
    DatabaseError,
    connected,
    driver,
    reason,
)

if TYPE_CHECKING:
    import psycopg

    from kiosk.content.kinds import Question
    from kiosk.settings import Settings

_T = TypeVar("_T")

_INSERT = """
    INSERT INTO checkins (id, site, created_at, status, flagged, name, name_key, series,
                          session, record)
    VALUES (%(id)s, %(site)s, %(created_at)s, %(status)s, %(flagged)s, %(name)s,
            %(name_key)s, %(series)s, %(session)s, %(record)s)
"""
INSERT_NEW = _INSERT + "ON CONFLICT DO NOTHING"
"""A check-in's row, unless its id is there already: all a kiosk's
delivery needs (and all its role may do)."""
_UPSERT = _INSERT + """
    ON CONFLICT (id) DO UPDATE SET
        site = EXCLUDED.site, created_at = EXCLUDED.created_at, status = EXCLUDED.status,
        flagged = EXCLUDED.flagged, name = EXCLUDED.name, name_key = EXCLUDED.name_key,
        series = EXCLUDED.series, session = EXCLUDED.session, record = EXCLUDED.record
    RETURNING (xmax = 0) AS inserted
"""


def row_of(record: Record, site: str) -> dict[str, Any]:
    """The columns of a check-in's row."""
    from psycopg.types.json import Jsonb

    linked = series_of(record)
    record = {**record, "site": str(record.get("site") or site)}  # Every row names its site.
    return {
        "id": record["id"],
        "site": record["site"],
        "created_at": created(record),
        "status": record["status"],
        "flagged": bool(record.get("flags")),
        "name": client_name(record).casefold(),
        "name_key": name_key(record),
        "series": linked[0] if linked else None,
        "session": linked[1] if linked else None,
        "record": Jsonb(record),
    }


def _uuid(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except (ValueError, TypeError, AttributeError):
        return None


UNHEARD_SECONDS = 2.0
"""While changes can't be heard, how often a reader reads again."""
KEEPALIVE_SECONDS = 30.0
"""How often an idle listening connection checks the server is still there."""


class _Listener(threading.Thread):
    """Listens for the database's announcements of changed check-ins, on a
    connection of its own; counts them in `heard`. Reconnects after a
    failure (a change may have been missed meanwhile: the count moves)."""

    def __init__(self, url: str) -> None:
        super().__init__(name="listen", daemon=True)
        self.url = url
        self.heard = 0
        self.listening = threading.Event()
        self.stop = threading.Event()

    def run(self) -> None:
        psycopg = driver()
        wait = 1.0
        while not self.stop.is_set():
            try:
                with psycopg.connect(self.url, connect_timeout=CONNECT_SECONDS,
                                     autocommit=True) as connection:
                    connection.execute("LISTEN kiosk_checkins")
                    self.heard += 1  # Whatever happened before now is to be read.
                    self.listening.set()
                    wait = 1.0
                    while not self.stop.is_set():
                        for _ in connection.notifies(timeout=KEEPALIVE_SECONDS):
                            self.heard += 1
                            if self.stop.is_set():
                                break
                        connection.execute("SELECT 1")  # The keep-alive.
            except psycopg.Error:
                self.listening.clear()
                self.heard += 1
                self.stop.wait(wait)
                wait = min(wait * 2, 30.0)
        self.listening.clear()


class PostgresStore:
    """Check-ins in the PostgreSQL database at `url` (migrated to this
    program's schema: see `kiosk.store.postgres.schema.require_current`)."""

    def __init__(self, url: str, clock: WallClock | None = None, *, site: str = "main",
                 only_site: str | None = None, questions: Iterable[Question] = ()) -> None:
        self.url = url
        self.questions: Questions = {question.id: question for question in questions}
        """The content's questions: answers are checked against them, as the
        day files do."""
        self.clock: WallClock = clock or utc_now
        self.site = site
        """Stored on a check-in saved here that names no site of its own."""
        self.only_site = only_site
        """Reads see this site's check-ins only; None: every site's."""
        self.where = without_password(url)
        self._connection: psycopg.Connection[Any] | None = None
        self._lock = threading.RLock()
        self._reads = threading.local()
        self._listener: _Listener | None = None
        self._written = 0
        """Changes made through this store: its own are seen at once."""

    # -- The connection -------------------------------------------------------

    @contextmanager
    def _db(self, action: str) -> Iterator[psycopg.Connection[Any]]:
        """The connection, in a transaction, for one call; `StoreError` if the
        server can't be reached or refuses."""
        psycopg = driver()
        with self._lock:
            try:
                if self._connection is None or self._connection.closed:
                    self._connection = psycopg.connect(
                        self.url, connect_timeout=CONNECT_SECONDS, autocommit=True)
                    self._connection.execute(
                        f"SET statement_timeout = '{STATEMENT_SECONDS}s'")
                with self._connection.transaction():
                    yield self._connection
                if action != "read":
                    self._written += 1
            except psycopg.Error as error:
                if self._connection is not None and self._connection.broken:
                    self._connection = None  # Opened again on the next call.
                raise StoreError(
                    f"could not {action} check-ins in {self.where}: {reason(error)}") from None

    def close(self) -> None:
        if self._listener is not None:
            self._listener.stop.set()
            self._listener = None
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _records(self, rows: Iterable[tuple[Any, ...]]) -> list[Record]:
        """The records of rows (record first), those not of the stored shape
        passed over and counted in `skipped`."""
        found = []
        for row in rows:
            record = row[0]
            try:
                check_record(record, self.questions)
            except BadRecord:
                self._reads.skipped = getattr(self._reads, "skipped", 0) + 1
                continue
            found.append(record)
        return found

    def _site_clause(self) -> tuple[str, list[Any]]:
        return ("site = %s", [self.only_site]) if self.only_site is not None else ("TRUE", [])

    # -- Saving ---------------------------------------------------------------

    def add(self, record: Mapping[str, Any]) -> str:
        document = stored_document(record, self.clock, self.questions)
        with self._db("save") as db:
            db.execute(_UPSERT, row_of(document, self.site))
        return str(document["id"])

    def import_records(self, records: Iterable[Mapping[str, Any]]) -> int:
        documents = [stored_document(record, self.clock, self.questions) for record in records]
        added = 0
        with self._db("save") as db, db.cursor() as cursor:
            cursor.executemany(_UPSERT, [row_of(document, self.site) for document in documents],
                               returning=True)
            while True:
                row = cursor.fetchone()
                added += bool(row and row[0])
                if not cursor.nextset():
                    break
        return added

    def set_status(self, checkin_id: str, status: str) -> bool:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        key = _uuid(checkin_id)
        if key is None:
            return False
        stamp = self.clock().astimezone(UTC).isoformat(timespec="seconds")
        started = ("jsonb_build_object('started_at', coalesce(record->'started_at', "
                   "to_jsonb(%(stamp)s::text)))" if status == "with_therapist"
                   else "'{}'::jsonb")
        with self._db("change") as db:
            changed = db.execute(
                f"""UPDATE checkins SET status = %(status)s,
                        record = record || jsonb_build_object(
                            'status', %(status)s::text, 'status_at', %(stamp)s::text)
                            || {started}
                    WHERE id = %(id)s""",
                {"status": status, "stamp": stamp, "id": key}).rowcount
        return bool(changed)

    def delete(self, checkin_id: str) -> bool:
        key = _uuid(checkin_id)
        if key is None:
            return False
        with self._db("erase") as db:
            return bool(db.execute("DELETE FROM checkins WHERE id = %s", (key,)).rowcount)

    def purge(self, older_than_days: int) -> int:
        if older_than_days < 0:
            raise ValueError("older_than_days must not be negative")
        try:
            cutoff = self.clock().astimezone(UTC) - timedelta(days=older_than_days)
        except OverflowError:
            return 0
        with self._db("purge") as db:
            return int(db.execute("DELETE FROM checkins WHERE created_at < %s",
                                  (cutoff,)).rowcount)

    # -- Reading --------------------------------------------------------------

    def get(self, checkin_id: str) -> Record | None:
        key = _uuid(checkin_id)
        if key is None:
            return None
        with self._db("read") as db:
            row = db.execute("SELECT record FROM checkins WHERE id = %s", (key,)).fetchone()
        if row is None:
            return None
        try:
            check_record(row[0], self.questions)
        except BadRecord:
            return None
        return dict(row[0])

    def all(self) -> list[Record]:
        return self.search()

    def today(self) -> list[Record]:
        day = self.clock().astimezone().date()
        return self.search(since=day, until=day)

    def search(
        self,
        text: str | None = None,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
        status: str | None = None,
        flagged: bool | None = None,
    ) -> list[Record]:
        self._reads.skipped = 0
        site, values = self._site_clause()
        where = [site]
        start, end = search_bound(since, end=False), search_bound(until, end=True)
        if start is not None:
            where.append("created_at >= %s")
            values.append(start)
        if end is not None:
            where.append("created_at < %s")
            values.append(end)
        if status is not None:
            where.append("status = %s")
            values.append(status)
        if flagged is not None:
            where.append("flagged = %s")
            values.append(flagged)
        needle = text.casefold().strip() if text else ""
        if needle:
            # LIKE, so that the trigram index serves it; the needle's own
            # wildcards are escaped.
            escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("name LIKE %s")
            values.append(f"%{escaped}%")
        with self._db("read") as db:
            rows = db.execute(
                f"SELECT record FROM checkins WHERE {' AND '.join(where)} "
                "ORDER BY created_at, seq", values).fetchall()
        return self._records(rows)

    def sites(self) -> list[str]:
        with self._db("read") as db:
            return [row[0] for row in db.execute(
                "SELECT DISTINCT site FROM checkins ORDER BY site").fetchall()]

    def version(self) -> Hashable:
        """Changes when any machine changes a check-in. Answered from what
        the database announced (LISTEN) on a connection of its own, so
        polling it sends no query and never waits on the network. While that
        connection is down (starting, or the server unreachable), it changes
        every few seconds: the reader reads again, and says what is wrong."""
        listener = self._listener
        if listener is None:
            listener = self._listener = _Listener(self.url)
            listener.start()
        if listener.listening.is_set():
            return ("heard", listener.heard, self._written)
        return ("unheard", listener.heard, self._written,
                int(time.monotonic() // UNHEARD_SECONDS))

    def skipped(self) -> int:
        return int(getattr(self._reads, "skipped", 0))

    # -- Series -----------------------------------------------------------------

    def series(self, series_id: str) -> list[Record]:
        key = _uuid(series_id)
        if key is None:
            return []
        with self._db("read") as db:
            rows = db.execute("SELECT record FROM checkins WHERE series = %s "
                              "ORDER BY session, created_at", (key,)).fetchall()
        return self._records(rows)

    def suggestions(self, record: Mapping[str, Any], most: int = 20) -> list[Record]:
        key = name_key(record)
        if not key:
            return []
        try:
            mine = created(record)
        except (KeyError, TypeError, ValueError):
            mine = datetime.max.replace(tzinfo=UTC)
        site, values = self._site_clause()
        with self._db("read") as db:
            rows = db.execute(
                f"SELECT record FROM checkins WHERE {site} AND name_key = %s "
                "AND created_at < %s AND id::text <> %s ORDER BY created_at DESC, seq DESC "
                "LIMIT %s", [*values, key, mine, str(record.get("id")), most]).fetchall()
        return self._records(rows)

    def link(self, checkin_id: str, to: str | None = None) -> str:
        if to == checkin_id:
            raise ValueError("a check-in can't be linked to itself")

        def work(db: psycopg.Connection[Any]) -> str:
            self._locate(db, checkin_id)
            changes: dict[str, str | None] = {}
            if to is None:
                series = str(uuid.uuid4())
            else:
                linked = series_of(self._locate(db, to))
                series = linked[0] if linked else str(uuid.uuid4())
                if not linked:
                    changes[to] = series
            changes[checkin_id] = series
            self._regroup(db, changes)
            return series

        return self._in_series_lock("link", work)

    def unlink(self, checkin_id: str) -> bool:
        def work(db: psycopg.Connection[Any]) -> bool:
            if series_of(self._locate(db, checkin_id)) is None:
                return False
            self._regroup(db, {checkin_id: None})
            return True

        return self._in_series_lock("unlink", work)

    def rejoin(self, checkin_id: str, series_id: str | None) -> None:
        if series_id is not None:
            uuid.UUID(series_id)  # ValueError for anything else.

        def work(db: psycopg.Connection[Any]) -> None:
            self._locate(db, checkin_id)
            self._regroup(db, {checkin_id: series_id})

        self._in_series_lock("link", work)

    def _in_series_lock(self, action: str, work: Callable[[Any], _T]) -> _T:
        """Series change one at a time, across machines: a transaction
        holding an advisory lock, so two links never number a series twice."""
        with self._db(action) as db:
            db.execute("SELECT pg_advisory_xact_lock(hashtext('clinic-kiosk series'))")
            return work(db)

    def _locate(self, db: psycopg.Connection[Any], checkin_id: str) -> Record:
        key = _uuid(checkin_id)
        row = None if key is None else db.execute(
            "SELECT record FROM checkins WHERE id = %s FOR UPDATE", (key,)).fetchone()
        if row is None:
            raise UnknownCheckIn(f"no check-in {checkin_id} in {self.where}")
        try:
            check_record(row[0], self.questions)
        except BadRecord:
            raise UnknownCheckIn(f"check-in {checkin_id} is not of the stored shape") from None
        return dict(row[0])

    def _regroup(self, db: psycopg.Connection[Any], changes: Mapping[str, str | None]) -> None:
        """Move check-ins between series (None: out of any), and number every
        series touched in the order its visits were made."""
        records = {checkin_id: self._locate(db, checkin_id) for checkin_id in changes}
        touched = touched_series(records.values(), changes)
        for series in touched:
            for (record,) in db.execute("SELECT record FROM checkins WHERE series = %s "
                                        "FOR UPDATE", (series,)).fetchall():
                records.setdefault(record["id"], record)
        for checkin_id, place in placements(records, changes, touched).items():
            if series_of(records[checkin_id]) == place:
                continue
            if place is None:
                db.execute("UPDATE checkins SET series = NULL, session = NULL, "
                           "record = record - 'series' - 'session' WHERE id = %s",
                           (checkin_id,))
            else:
                db.execute("UPDATE checkins SET series = %s, session = %s, "
                           "record = record || jsonb_build_object('series', %s::text, "
                           "'session', %s::integer) WHERE id = %s",
                           (place[0], place[1], place[0], place[1], checkin_id))

    def repair_index(self) -> bool:
        return False  # The database's indexes are its own to keep.

    # -- Start-up and health ----------------------------------------------------

    def recover(self) -> Recovery:
        return Recovery()  # Nothing is kept aside: a save is one statement.

    def pending_count(self) -> int:
        return 0

    def damaged_count(self) -> int:
        return 0

    def held_in_memory(self) -> int:
        return 0

    def retry(self) -> int:
        return 0

    def inspect(self) -> Inspection:
        report = Inspection(self.where, exists=True, files=1)
        try:
            with self._db("read") as db:
                rows = db.execute("SELECT id, record FROM checkins").fetchall()
        except (StoreError, DatabaseError) as error:
            report.problems.append(str(error))
            return report
        for checkin_id, record in rows:
            try:
                check_record(record, self.questions)
            except BadRecord as error:
                report.bad_records.append(f"{self.where} check-in {checkin_id}: {error}")
            else:
                report.checkins += 1
        return report


def open_desk_store(settings: Settings, clock: WallClock | None = None, *,
                    questions: Iterable[Question] = ()) -> Store:
    """The store staff and the commands read: the shared database when one is
    set (refused, with one line, unless its schema is this program's), else
    this data folder. A kiosk itself always saves to its folder."""
    from kiosk.store.postgres.schema import require_current

    if settings.database_url is None:
        return CheckInStore(settings.data_dir, clock, questions=questions)
    require_current(settings.database_url)
    return PostgresStore(settings.database_url, clock, site=settings.site,
                         only_site=settings.site, questions=questions)


class DatabaseAuditLog(AuditLog):
    """The audit log in the shared database: one log for every machine.
    Entries are as in the file (a time, an action, at most an id, a count
    and a series), with the machine's site."""

    def __init__(self, url: str, clock: WallClock | None = None, *, site: str = "main") -> None:
        super().__init__(Path(), clock)
        self.url = url
        self.site = site

    def record(self, action: str, *, checkin_id: str | None = None,
               count: int | None = None, series: str | None = None) -> None:
        """Append one entry; raises OSError if it can't (as the file does)."""
        from psycopg.types.json import Jsonb

        entry = self.entry(action, checkin_id=checkin_id, count=count, series=series)
        entry["site"] = self.site
        try:
            with connected(self.url) as db:
                db.execute("INSERT INTO staff_audit (entry) VALUES (%s)", (Jsonb(entry),))
        except DatabaseError as error:
            raise OSError(errno.EIO, str(error)) from None

    def entries(self) -> list[dict[str, Any]]:
        try:
            with connected(self.url) as db:
                # `role` is the database's own word on who wrote each entry.
                rows = db.execute("SELECT entry || jsonb_build_object('role', role) "
                                  "FROM staff_audit ORDER BY seq").fetchall()
        except DatabaseError:
            return []
        return [row[0] for row in rows if isinstance(row[0], dict)]


@contextmanager
def pin_connection(url: str) -> Iterator[Any]:
    """A connection for checking the PIN: a database that can't be reached
    is an OSError, so the pad fails closed and says why."""
    try:
        with connected(url) as db:
            yield db
    except DatabaseError as error:
        raise OSError(errno.EIO, str(error)) from None


class DatabasePin(StaffPin):
    """The staff PIN in the shared database: one PIN, and one count and lock
    per place, for every machine. Changed in a transaction holding the
    table's one row (`SELECT ... FOR UPDATE`), so two machines can't race
    past the limit. A database that can't be reached is an OSError: the pad
    fails closed and says why."""

    def __init__(self, url: str, clock: WallClock | None = None, *,
                 audit: AuditLog | None = None) -> None:
        super().__init__(Path(), clock)
        self.url = url
        self.audit = audit or DatabaseAuditLog(url, self.clock)
        self._db: Any = None
        self._known: dict[str, Any] | None = None
        """The lock state last read: the pad's once-a-second countdown reads
        this, never the network (a check reads the database afresh)."""

    def locked_seconds(self, where: str = "staff") -> int:
        # Asked once a second on the UI thread: never the network. A lock
        # not seen yet shows from the first try, which reads it afresh.
        return self._locked_seconds((self._known or {}).get(where, {}))

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        if self._db is not None:
            yield self._db
            return
        with pin_connection(self.url) as db:
            yield db

    def is_set(self) -> bool:
        with self._connection() as db:
            row = db.execute("SELECT saved IS NOT NULL FROM staff_pin").fetchone()
        return bool(row and row[0])

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        try:
            with connected(self.url) as db, db.transaction():
                db.execute("SELECT 1 FROM staff_pin FOR UPDATE")
                self._db = db
                try:
                    yield
                finally:
                    self._db = None
        except DatabaseError as error:
            raise OSError(errno.EIO, str(error)) from None

    def _write_saved(self, saved: dict[str, Any]) -> None:
        from psycopg.types.json import Jsonb

        with self._connection() as db:
            db.execute("UPDATE staff_pin SET saved = %s", (Jsonb(saved),))

    def _read_saved(self) -> Any:
        with self._connection() as db:
            row = db.execute("SELECT saved FROM staff_pin").fetchone()
        return row[0] if row else None

    def _state(self) -> dict[str, Any]:
        """Every place's count and lock; a state that does not read as that
        counts as locked everywhere (fails closed), as the file's does."""
        with self._connection() as db:
            row = db.execute("SELECT state FROM staff_pin").fetchone()
        state = row[0] if row else {}
        if isinstance(state, dict) and all(
                place in PLACES and _place_ok(entry) for place, entry in state.items()):
            self._known = state
            return state
        locked = {place: self._damaged_lock() for place in PLACES}
        with suppress(OSError):
            self._save_state(locked)
            self.audit.record("pin-state-damaged")
        return locked

    def _save_state(self, state: dict[str, Any]) -> None:
        from psycopg.types.json import Jsonb

        with self._connection() as db:
            db.execute("UPDATE staff_pin SET state = %s", (Jsonb(state),))
        self._known = state


class DevicePin(StaffPin):
    """The staff PIN as a kiosk's pad checks it in the shared database,
    with a kiosk's role: it reads only the salt, sends the hash of what was
    typed, and hears yes or no (`kiosk_pin_try`, run as its owner, counts the
    kiosks' failures and writes the audit entries). It can't read the hash,
    set the PIN, or touch the desk's lock."""

    def __init__(self, url: str, clock: WallClock | None = None, *, site: str = "main") -> None:
        super().__init__(Path(), clock)
        self.url = url
        self.site = site
        self._until: datetime | None = None
        """When the lock last heard of ends: the pad's countdown reads it."""

    def _connection(self) -> AbstractContextManager[Any]:
        return pin_connection(self.url)

    def is_set(self) -> bool:
        with self._connection() as db:
            row = db.execute("SELECT kiosk_pin_is_set()").fetchone()
        return bool(row and row[0])

    def set(self, pin: str) -> None:
        raise PermissionError("a kiosk's role can't set the staff PIN: run kiosk set-pin "
                              "at the front desk")

    def locked_seconds(self, where: str = "kiosk") -> int:
        if self._until is None:
            return 0
        return max(0, int((self._until - self.clock()).total_seconds() + 0.999))

    def check(self, pin: str, *, where: str = "kiosk") -> PinResult:
        if where != "kiosk":
            raise ValueError("a kiosk's pad checks the PIN for the kiosks' place only")
        with self._connection() as db:
            row = db.execute("SELECT kiosk_pin_salt()").fetchone()
            saved: Any = row[0] if row else None
            try:
                given = _hash(pin, bytes.fromhex(saved["salt"]), saved["n"], saved["r"],
                              saved["p"]).hex()
            except (TypeError, KeyError, ValueError):
                given = ""  # No PIN, or one that can't be read: the function says which.
            ok, tries_left, locked, no_pin = db.execute(
                "SELECT * FROM kiosk_pin_try(%s, %s)", (given, self.site)).fetchone()
        self._until = self.clock() + timedelta(seconds=locked) if locked else None
        if no_pin:
            return PinResult(False, 0, 0, problem=PIN_FILE_PROBLEM)
        return PinResult(bool(ok), int(tries_left), int(locked))


def kiosk_pin(settings: Settings, clock: WallClock | None = None) -> StaffPin:
    """The staff PIN as the kiosk's own pad checks it: through the shared
    database's functions when one is set, else the data folder's."""
    if settings.database_url is None:
        return StaffPin(settings.data_dir, clock)
    return DevicePin(settings.database_url, clock, site=settings.site)


def desk_audit(settings: Settings, clock: WallClock | None = None) -> AuditLog:
    """The audit log staff and the commands write: the shared database's
    when one is set, else the data folder's."""
    if settings.database_url is None:
        return AuditLog(settings.data_dir, clock)
    return DatabaseAuditLog(settings.database_url, clock, site=settings.site)


def desk_pin(settings: Settings, clock: WallClock | None = None) -> StaffPin:
    """The staff PIN: the shared database's when one is set (every machine,
    kiosks' pads too, has the same), else the data folder's."""
    if settings.database_url is None:
        return StaffPin(settings.data_dir, clock)
    return DatabasePin(settings.database_url, clock,
                       audit=DatabaseAuditLog(settings.database_url, clock, site=settings.site))
