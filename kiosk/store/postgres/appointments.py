"""The day's appointments in PostgreSQL: one import for every machine of a
site. Staff and the commands read and write the table; a kiosk's role can't
read it, and asks the kiosk's functions instead (`KioskBookings`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kiosk.files import StoreError
from kiosk.schedule.matching import SecondKind, Slot, Window
from kiosk.schedule.model import Appointment, ScheduleError, appointment_from_json, clean_text
from kiosk.store.contract import EVERY_SITE, HOME_SITE, SiteView, SourceState
from kiosk.store.postgres import DatabaseError
from kiosk.store.postgres.schema import connected

if TYPE_CHECKING:
    import psycopg

MOST_ERROR = 200


def local_day(moment: datetime) -> date:
    return moment.astimezone().date()


class PostgresAppointments:
    """A `PostgresStore`'s appointments (its site's, unless a read asks)."""

    site: str
    home: str | None
    _db: Callable[[str], AbstractContextManager[psycopg.Connection[Any]]]
    _count_skipped: Callable[[int], None]

    def put_appointments(self, source: str, first: date, last: date,
                         appointments: Sequence[Appointment]) -> int:
        from psycopg.types.json import Jsonb

        rows = [{"site": self.site, "id": a.id, "day": local_day(a.starts_at),
                 "starts_at": a.starts_at, "source": source, "name_key": a.key,
                 "record": Jsonb(a.to_json())}
                for a in appointments if first <= local_day(a.starts_at) <= last]
        with self._db("save") as db, db.cursor() as cursor:
            cursor.execute("DELETE FROM appointments WHERE site = %s AND source = %s "
                           "AND day BETWEEN %s AND %s", (self.site, source, first, last))
            cursor.executemany(
                "INSERT INTO appointments (site, id, day, starts_at, source, name_key, record) "
                "VALUES (%(site)s, %(id)s, %(day)s, %(starts_at)s, %(source)s, %(name_key)s, "
                "%(record)s) ON CONFLICT (site, id) DO UPDATE SET day = EXCLUDED.day, "
                "starts_at = EXCLUDED.starts_at, source = EXCLUDED.source, "
                "name_key = EXCLUDED.name_key, record = EXCLUDED.record", rows)
        return len(rows)

    def appointments(self, first: date, last: date | None = None, *,
                     site: SiteView = HOME_SITE) -> list[Appointment]:
        chosen = self.home if site is HOME_SITE else None if site is EVERY_SITE else site
        clause, values = ("site = %s", [chosen]) if chosen is not None else ("TRUE", [])
        with self._db("read") as db:
            rows = db.execute(
                f"SELECT record FROM appointments WHERE {clause} AND day BETWEEN %s AND %s "
                "ORDER BY starts_at, id", [*values, first, last or first]).fetchall()
        found, bad = [], 0
        for (record,) in rows:
            try:
                found.append(appointment_from_json(record))
            except ScheduleError:
                bad += 1
        self._count_skipped(bad)
        return found

    def schedule_states(self) -> list[SourceState]:
        with self._db("read") as db:
            rows = db.execute("SELECT source, last_good, error, error_at FROM schedule_sources "
                              "WHERE site = %s ORDER BY source", (self.site,)).fetchall()
        return [SourceState(source, last_good, error, error_at)
                for source, last_good, error, error_at in rows]

    def note_schedule_read(self, source: str, error: str | None) -> None:
        now = datetime.now(UTC)
        with self._db("save") as db:
            if error is None:
                db.execute(
                    "INSERT INTO schedule_sources (site, source, last_good) VALUES (%s, %s, %s) "
                    "ON CONFLICT (site, source) DO UPDATE SET last_good = EXCLUDED.last_good, "
                    "error = NULL, error_at = NULL", (self.site, source, now))
            else:
                db.execute(
                    "INSERT INTO schedule_sources (site, source, error, error_at) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (site, source) DO UPDATE SET "
                    "error = EXCLUDED.error, error_at = EXCLUDED.error_at",
                    (self.site, source, clean_text(error)[:MOST_ERROR], now))

    def _erase_appointments_before(self, db: psycopg.Connection[Any], day: date) -> None:
        db.execute("DELETE FROM appointments WHERE day < %s", (day,))


class KioskBookings:
    """What a kiosk's role may ask of the shared appointments: the bookings
    open now with a given name key (or no name), without names; and which of
    a few carry a second identifier. Each is one function call."""

    def __init__(self, url: str, site: str) -> None:
        self.url = url
        self.site = site

    def open_slots(self, key: str, now: datetime, window: Window) -> list[Slot]:
        earliest, latest = window.span(now)
        try:
            with connected(self.url) as db:
                rows = db.execute(
                    "SELECT * FROM kiosk_open_appointments(%s, %s, %s, %s)",
                    (self.site, earliest, latest, key)).fetchall()
        except DatabaseError as error:
            raise StoreError(f"could not read the schedule: {error}") from None
        return [Slot(str(id_), starts, ends, str(practitioner), str(service), bool(named),
                     bool(phone), bool(birth))
                for id_, starts, ends, practitioner, service, named, phone, birth in rows]

    def second_matches(self, ids: Sequence[str], kind: SecondKind, value: str) -> set[str]:
        try:
            with connected(self.url) as db:
                rows = db.execute("SELECT * FROM kiosk_second_matches(%s, %s, %s, %s)",
                                  (self.site, list(ids)[:20], kind, value)).fetchall()
        except DatabaseError as error:
            raise StoreError(f"could not read the schedule: {error}") from None
        return {str(row[0]) for row in rows}
