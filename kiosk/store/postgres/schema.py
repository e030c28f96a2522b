"""PostgreSQL, shared by a clinic's machines: connecting, and the schema.

Optional: psycopg is the `[postgres]` extra, imported only when a
`database_url` is set. Every failure is a `DatabaseError` whose message is
one line naming the server (never its password) and what went wrong.

The schema is versioned. `MIGRATIONS[n - 1]` takes a database from version
n - 1 to n, in one transaction; `migrate()` applies those not yet applied,
so running it again does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.settings import without_password
from kiosk.store.postgres import DatabaseError
from kiosk.store.postgres.migrations import MIGRATIONS

if TYPE_CHECKING:
    import psycopg

INSTALL = "pip install 'clinic-kiosk[postgres]'"
"""What installs PostgreSQL support."""
CONNECT_SECONDS = 10
STATEMENT_SECONDS = 30


SCHEMA_VERSION = len(MIGRATIONS)
"""The version this program needs."""


def driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise DatabaseError(
            f"database_url is set, but PostgreSQL support is not installed: {INSTALL}") from None
    return psycopg


def reason(error: Exception) -> str:
    """libpq's own words, on one line, without the connection details it
    repeats (the place is named by the caller), and only the server's main
    message: its DETAIL can quote a row's values, and they stay out of every
    message and log."""
    primary = getattr(getattr(error, "diag", None), "message_primary", None)
    text = " ".join((primary or str(error)).split())
    for marker in ("FATAL:", "ERROR:"):
        if marker in text:
            text = text.rsplit(marker, 1)[1]
    return text.strip() or type(error).__name__


@contextmanager
def connected(url: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection to the database at `url`, closed afterwards."""
    psycopg = driver()
    place = without_password(url)
    try:
        # Autocommit: each `transaction()` block is a transaction of its own.
        connection = psycopg.connect(url, connect_timeout=CONNECT_SECONDS, autocommit=True)
        # A statement stuck behind a lock, or a server that stopped answering,
        # fails instead of holding its caller for ever.
        connection.execute(f"SET statement_timeout = '{STATEMENT_SECONDS}s'")
    except psycopg.Error as error:
        raise DatabaseError(f"could not connect to {place}: {reason(error)}") from None
    try:
        yield connection
    except psycopg.Error as error:
        raise DatabaseError(f"{place}: {reason(error)}") from None
    finally:
        connection.close()


def schema_version(connection: psycopg.Connection[Any]) -> int:
    """The version of the database's schema; 0 for one never migrated."""
    exists = connection.execute("SELECT to_regclass('kiosk_schema') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = connection.execute("SELECT max(version) FROM kiosk_schema").fetchone()
    return int(row[0] or 0) if row else 0


@dataclass
class Migration:
    before: int
    after: int

    @property
    def applied(self) -> int:
        return self.after - self.before


def migrate(url: str) -> Migration:
    """Bring the schema up to `SCHEMA_VERSION`. Safe to run again, and from
    two machines at once: each step holds a lock on the schema table."""
    with connected(url) as connection:
        before = schema_version(connection)
        if before > SCHEMA_VERSION:
            raise DatabaseError(
                f"{without_password(url)}: the schema is version {before}, newer than this "
                f"program's {SCHEMA_VERSION}: upgrade clinic-kiosk")
        connection.execute("SET statement_timeout = 0")  # A migration takes what it takes.
        # One migration at a time across machines: an advisory lock.
        connection.execute("SELECT pg_advisory_lock(hashtext('clinic-kiosk schema'))")
        try:
            current = schema_version(connection)
            for version in range(current + 1, SCHEMA_VERSION + 1):
                with connection.transaction():
                    connection.execute(MIGRATIONS[version - 1])
                    connection.execute("INSERT INTO kiosk_schema (version) VALUES (%s)",
                                       (version,))
        finally:
            connection.execute("SELECT pg_advisory_unlock(hashtext('clinic-kiosk schema'))")
    return Migration(before, SCHEMA_VERSION)


def status(url: str) -> int:
    """The schema's version (0: never migrated)."""
    with connected(url) as connection:
        return schema_version(connection)


def require_current(url: str) -> None:
    """Refuse a database whose schema is older (or newer) than this program's."""
    version = status(url)
    if version < SCHEMA_VERSION:
        raise DatabaseError(
            f"{without_password(url)}: the schema is version {version}, this program needs "
            f"{SCHEMA_VERSION}: run `kiosk db migrate`")
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{without_password(url)}: the schema is version {version}, newer than this "
            f"program's {SCHEMA_VERSION}: upgrade clinic-kiosk")
