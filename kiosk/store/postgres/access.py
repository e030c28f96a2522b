"""The staff PIN and the audit log in the shared database: one for every
machine of a clinic, reached by the desk's role, and by the kiosk's only
through the functions that check a PIN (README: "Several machines")."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.access.audit import AuditLog
from kiosk.access.pin import PIN_FILE_PROBLEM, PLACES, PinResult, StaffPin, _hash, _place_ok
from kiosk.clock import WallClock
from kiosk.store.postgres import DatabaseError
from kiosk.store.postgres.schema import connected


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
