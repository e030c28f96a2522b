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

import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, cast

from kiosk.checkin.record import BadRecord, check_record, client_name, name_key, series_of
from kiosk.clock import WallClock, utc_now
from kiosk.files import StoreError
from kiosk.settings import without_password
from kiosk.store.contract import (
    EVERY_SITE,
    HOME_SITE,
    ConsentText,
    Inspection,
    Record,
    SiteView,
    UnknownCheckIn,
)
from kiosk.store.postgres import DatabaseError
from kiosk.store.postgres.appointments import PostgresAppointments
from kiosk.store.postgres.consents import PostgresConsents, keep_texts
from kiosk.store.postgres.schema import (
    CONNECT_SECONDS,
    STATEMENT_SECONDS,
    connected,
    driver,
    reason,
)
from kiosk.store.shared import (
    Place,
    SharedStore,
    created,
    name_needle,
    search_bound,
)

if TYPE_CHECKING:
    import psycopg

    from kiosk.checkin.record import Questions
    from kiosk.content.kinds import Question

_T = TypeVar("_T")

_INSERT = """
    INSERT INTO checkins (id, site, created_at, status, flagged, name, name_key, series,
                          session, record)
    VALUES (%(id)s, %(site)s, %(created_at)s, %(status)s, %(flagged)s, %(name)s,
            %(name_key)s, %(series)s, %(session)s, %(record)s)
"""
_INSERT_NEW = _INSERT + "ON CONFLICT DO NOTHING"
"""A check-in's row, unless its id is there already: all a kiosk's
delivery needs (and all its role may do)."""
_UPSERT = _INSERT + """
    ON CONFLICT (id) DO UPDATE SET
        site = EXCLUDED.site, created_at = EXCLUDED.created_at, status = EXCLUDED.status,
        flagged = EXCLUDED.flagged, name = EXCLUDED.name, name_key = EXCLUDED.name_key,
        series = EXCLUDED.series, session = EXCLUDED.session, record = EXCLUDED.record
    RETURNING (xmax = 0) AS inserted
"""


def _row_of(record: Record, site: str) -> dict[str, Any]:
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


def insert_new(url: str, records: Iterable[Record], site: str,
               texts: Iterable[ConsentText] = ()) -> None:
    """Insert these check-ins, in one transaction, but for any whose id is
    there already, with the consent texts they point to: all a kiosk's
    delivery needs, and all its role may do. Raises `DatabaseError`."""
    with connected(url) as db, db.transaction(), db.cursor() as cursor:
        keep_texts(cursor, texts)
        cursor.executemany(_INSERT_NEW, [_row_of(record, site) for record in records])


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


class PostgresStore(PostgresAppointments, PostgresConsents, SharedStore):
    """Check-ins in the PostgreSQL database at `url` (migrated to this
    program's schema: see `kiosk.store.postgres.schema.require_current`)."""

    def __init__(self, url: str, clock: WallClock | None = None, *, site: str = "main",
                 only_site: str | None = None, questions: Iterable[Question] = ()) -> None:
        super().__init__()
        self.url = url
        self.questions: Questions = {question.id: question for question in questions}
        """The content's questions: answers are checked against them, as the
        day files do."""
        self.clock: WallClock = clock or utc_now
        self.site = site
        """Stored on a check-in saved here that names no site of its own."""
        self.home: str | None = only_site
        """The site a read sees unless it asks for another (`HOME_SITE`);
        None: every site's. Set once, when the store is opened."""
        self.where = without_password(url)
        self._connection: psycopg.Connection[Any] | None = None
        self._lock = threading.RLock()
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
        return self._checked(row[0] for row in rows)

    def _site_clause(self, site: SiteView) -> tuple[str, list[Any]]:
        chosen = self.home if site is HOME_SITE else None if site is EVERY_SITE else site
        return ("site = %s", [chosen]) if chosen is not None else ("TRUE", [])

    # -- Saving ---------------------------------------------------------------

    def add(self, record: Mapping[str, Any]) -> str:
        document = self._document(record)
        with self._db("save") as db:
            db.execute(_UPSERT, _row_of(document, self.site))
        return str(document["id"])

    def import_records(self, records: Iterable[Mapping[str, Any]]) -> int:
        documents = [self._document(record) for record in records]
        added = 0
        with self._db("save") as db, db.cursor() as cursor:
            cursor.executemany(_UPSERT, [_row_of(document, self.site) for document in documents],
                               returning=True)
            while True:
                row = cursor.fetchone()
                added += bool(row and row[0])
                if not cursor.nextset():
                    break
        return added

    def _change_record(self, checkin_id: str, action: str,
                       change: Callable[[Record], Mapping[str, Any]]) -> bool:
        from psycopg.types.json import Jsonb

        key = _uuid(checkin_id)
        if key is None:
            return False
        with self._db(action) as db:
            row = db.execute("SELECT record FROM checkins WHERE id = %s FOR UPDATE",
                             (key,)).fetchone()
            if row is None:
                return False
            fields = dict(change(cast(Record, dict(row[0]))))
            db.execute("UPDATE checkins SET status = coalesce(%(status)s, status), "
                       "record = record || %(fields)s WHERE id = %(id)s",
                       {"status": fields.get("status"), "fields": Jsonb(fields), "id": key})
        return True

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
            # The bookings of those days go with them: they hold names too.
            self._erase_appointments_before(db, cutoff.astimezone().date())
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
        return cast(Record, dict(row[0]))

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
        self._start_read()
        clause, values = self._site_clause(site)
        where = [clause]
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
        needle = name_needle(text)
        if needle:
            where.append("name LIKE %s")
            values.append(_like(needle))
        with self._db("read") as db:
            rows = db.execute(
                f"SELECT record FROM checkins WHERE {' AND '.join(where)} "
                "ORDER BY created_at, seq", values).fetchall()
        return self._records(rows)

    def find_names(self, text: str, *, limit: int, offset: int = 0,
                   site: SiteView = HOME_SITE) -> tuple[list[Record], int]:
        if limit < 0 or offset < 0:
            raise ValueError("a page's limit and offset can't be negative")
        needle = name_needle(text)
        self._start_read()
        clause, values = self._site_clause(site)
        with self._db("read") as db:
            # The trigram index finds the matches; the count is of them all.
            rows = db.execute(
                f"SELECT record, count(*) OVER () FROM checkins WHERE {clause} "
                "AND name LIKE %s ORDER BY created_at DESC, seq DESC LIMIT %s OFFSET %s",
                [*values, _like(needle), limit, offset]).fetchall()
            total = int(rows[0][1]) if rows else int(db.execute(
                f"SELECT count(*) FROM checkins WHERE {clause} AND name LIKE %s",
                [*values, _like(needle)]).fetchone()[0])  # type: ignore[index]
        return self._records(rows), total

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

    # -- Series -----------------------------------------------------------------

    def series(self, series_id: str) -> list[Record]:
        key = _uuid(series_id)
        if key is None:
            return []
        with self._db("read") as db:
            rows = db.execute("SELECT record FROM checkins WHERE series = %s "
                              "ORDER BY session, created_at", (key,)).fetchall()
        return self._records(rows)

    def suggestions(self, record: Mapping[str, Any], most: int = 20, *,
                    site: SiteView = HOME_SITE) -> list[Record]:
        key = name_key(record)
        if not key:
            return []
        try:
            mine = created(record)
        except (KeyError, TypeError, ValueError):
            mine = datetime.max.replace(tzinfo=UTC)
        clause, values = self._site_clause(site)
        with self._db("read") as db:
            rows = db.execute(
                f"SELECT record FROM checkins WHERE {clause} AND name_key = %s "
                "AND created_at < %s AND id::text <> %s ORDER BY created_at DESC, seq DESC "
                "LIMIT %s", [*values, key, mine, str(record.get("id")), most]).fetchall()
        return self._records(rows)

    @contextmanager
    def _series_change(self, action: str) -> Iterator[_RowSeries]:
        """Series change one at a time, across machines: a transaction
        holding an advisory lock, so two links never number a series twice."""
        with self._db(action) as db:
            db.execute("SELECT pg_advisory_xact_lock(hashtext('clinic-kiosk series'))")
            yield _RowSeries(self, db)

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
        return cast(Record, dict(row[0]))

    # -- Health -----------------------------------------------------------------

    def inspect(self) -> Inspection:
        report = Inspection(self.where, exists=True)
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


class _RowSeries:
    """The database's series, held by the advisory lock for one change."""

    def __init__(self, store: PostgresStore, db: psycopg.Connection[Any]) -> None:
        self.store, self.db = store, db

    def locate(self, checkin_id: str) -> Record:
        return self.store._locate(self.db, checkin_id)

    def members(self, series: str) -> Iterable[Record]:
        return [record for (record,) in self.db.execute(
            "SELECT record FROM checkins WHERE series = %s FOR UPDATE", (series,)).fetchall()]

    def place(self, records: Mapping[str, Record], final: Mapping[str, Place],
              touched: set[str]) -> None:
        for checkin_id, place in final.items():
            if series_of(records[checkin_id]) == place:
                continue
            if place is None:
                self.db.execute("UPDATE checkins SET series = NULL, session = NULL, "
                                "record = record - 'series' - 'session' WHERE id = %s",
                                (checkin_id,))
            else:
                self.db.execute("UPDATE checkins SET series = %s, session = %s, "
                                "record = record || jsonb_build_object('series', %s::text, "
                                "'session', %s::integer) WHERE id = %s",
                                (place[0], place[1], place[0], place[1], checkin_id))


def _like(needle: str) -> str:
    """A LIKE pattern for text holding `needle` (its own wildcards escaped),
    so that the trigram index serves it."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
