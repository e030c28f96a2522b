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

if TYPE_CHECKING:
    import psycopg

INSTALL = "pip install 'clinic-kiosk[postgres]'"
"""What installs PostgreSQL support."""
CONNECT_SECONDS = 10
STATEMENT_SECONDS = 30


class DatabaseError(Exception):
    """The database can't be used; the message is one line for the user."""


MIGRATIONS: tuple[str, ...] = (
    # 1: check-ins, as the kiosks deliver them. `record` is the check-in
    # itself; the columns beside it are read from it, for finding and sorting.
    """
    CREATE TABLE kiosk_schema (
        version integer NOT NULL,
        migrated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE checkins (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL,
        site text NOT NULL,
        created_at timestamptz NOT NULL,
        status text NOT NULL,
        flagged boolean NOT NULL,
        name text NOT NULL,
        name_key text NOT NULL,
        series uuid,
        session integer,
        record jsonb NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX checkins_by_time ON checkins (created_at, seq);
    CREATE INDEX checkins_by_site_and_time ON checkins (site, created_at);
    CREATE INDEX checkins_by_name ON checkins (name_key, created_at DESC);
    CREATE INDEX checkins_by_series ON checkins (series) WHERE series IS NOT NULL;
    -- One number that changes with every write: what the staff app polls.
    CREATE TABLE checkin_changes (changes bigint NOT NULL);
    INSERT INTO checkin_changes VALUES (0);
    -- As its owner: a kiosk's role, which may only insert, bumps it too.
    CREATE FUNCTION checkins_changed() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public AS $$
    BEGIN
        UPDATE checkin_changes SET changes = changes + 1;
        PERFORM pg_notify('kiosk_checkins', '');
        RETURN NULL;
    END $$;
    CREATE TRIGGER checkins_changed AFTER INSERT OR UPDATE OR DELETE ON checkins
        FOR EACH STATEMENT EXECUTE FUNCTION checkins_changed();
    """,
    # 2: a name search that reads an index, not every row (pg_trgm: trigrams
    # find a name's substrings; a trusted extension, so the database's owner
    # may add it).
    """
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX checkins_by_name_text ON checkins USING gin (name gin_trgm_ops);
    """,
    # 3: one staff PIN (its hash, and each place's count and lock) and one
    # audit log for every machine.
    """
    CREATE TABLE staff_pin (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        saved jsonb,
        state jsonb NOT NULL DEFAULT '{}'
    );
    INSERT INTO staff_pin DEFAULT VALUES;
    CREATE TABLE staff_audit (
        seq bigserial PRIMARY KEY,
        entry jsonb NOT NULL
    );
    """,
    # 4: a kiosk's role reads no secret and changes no shared access state.
    # Its pad asks these functions (run as their owner) for the PIN's salt,
    # then whether a hash is right, for the kiosks' own place only; they
    # count the failures and write the audit entries. Every entry says which
    # role wrote it: set by the database, whatever the writer sent.
    """
    ALTER TABLE staff_audit ADD COLUMN role text NOT NULL DEFAULT session_user;
    CREATE FUNCTION staff_audit_role() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.role := session_user;
        RETURN NEW;
    END $$;
    CREATE TRIGGER staff_audit_role BEFORE INSERT OR UPDATE ON staff_audit
        FOR EACH ROW EXECUTE FUNCTION staff_audit_role();

    CREATE FUNCTION kiosk_pin_is_set() RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = public AS $$
        SELECT saved IS NOT NULL FROM staff_pin
    $$;
    -- The salt and the costs: what hashing a try needs. Not the hash.
    CREATE FUNCTION kiosk_pin_salt() RETURNS jsonb LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = public AS $$
        SELECT CASE WHEN jsonb_typeof(saved) = 'object' THEN jsonb_build_object(
            'salt', saved->'salt', 'n', saved->'n', 'r', saved->'r', 'p', saved->'p')
        END FROM staff_pin
    $$;
    -- One try at the kiosks' pad: yes or no, the tries left, the seconds
    -- locked, and whether there is a PIN to check at all.
    CREATE FUNCTION kiosk_pin_try(given text, site text,
        OUT ok boolean, OUT tries_left integer, OUT locked_seconds integer,
        OUT no_pin boolean)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    DECLARE
        most_tries CONSTANT integer := 5;
        row staff_pin;
        entry jsonb;
        failures integer := 0;
        lockouts integer := 0;
        until timestamptz;
        seconds integer;
    BEGIN
        ok := false; tries_left := 0; locked_seconds := 0; no_pin := false;
        SELECT * INTO row FROM staff_pin FOR UPDATE;
        entry := CASE WHEN jsonb_typeof(row.state) = 'object' THEN row.state->'kiosk' END;
        BEGIN
            IF entry IS NOT NULL THEN
                IF jsonb_typeof(entry) IS DISTINCT FROM 'object' THEN
                    RAISE EXCEPTION 'damaged';
                END IF;
                failures := coalesce((entry->>'failures')::integer, 0);
                lockouts := coalesce((entry->>'lockouts')::integer, 0);
                until := (entry->>'locked_until')::timestamptz;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            -- A state that can't be read fails closed: locked, as a file's does.
            failures := 0; lockouts := 1; until := now() + interval '60 seconds';
        END;
        IF until IS NOT NULL AND until > now() THEN
            locked_seconds := ceil(extract(epoch FROM until - now()))::integer;
            INSERT INTO staff_audit (entry) VALUES (jsonb_build_object(
                'at', now(), 'action', 'pin-refused-locked', 'site', site));
            UPDATE staff_pin SET state = jsonb_set(
                CASE WHEN jsonb_typeof(state) = 'object' THEN state ELSE '{}' END,
                '{kiosk}', jsonb_build_object('failures', failures, 'lockouts', lockouts,
                'locked_until', until));
            RETURN;
        END IF;
        IF jsonb_typeof(row.saved) IS DISTINCT FROM 'object'
                OR jsonb_typeof(row.saved->'hash') IS DISTINCT FROM 'string' THEN
            no_pin := true;
            INSERT INTO staff_audit (entry) VALUES (jsonb_build_object(
                'at', now(), 'action', 'pin-file-damaged', 'site', site));
            RETURN;
        END IF;
        IF given = row.saved->>'hash' THEN
            ok := true; tries_left := most_tries;
            UPDATE staff_pin SET state = state - 'kiosk';
            INSERT INTO staff_audit (entry) VALUES (jsonb_build_object(
                'at', now(), 'action', 'sign-in-kiosk', 'site', site));
            RETURN;
        END IF;
        failures := failures + 1;
        INSERT INTO staff_audit (entry) VALUES (jsonb_build_object(
            'at', now(), 'action', 'pin-failed', 'site', site));
        IF failures >= most_tries THEN
            lockouts := lockouts + 1;
            -- As kiosk.access.pin.lock_seconds: 60 s, 5 min, 30 min, then doubling, a day at most.
            seconds := CASE WHEN lockouts <= 3 THEN (ARRAY[60, 300, 1800])[lockouts]
                            ELSE least(1800::bigint << least(lockouts - 3, 16), 86400) END;
            locked_seconds := seconds;
            failures := 0;
            until := now() + make_interval(secs => seconds);
            INSERT INTO staff_audit (entry) VALUES (jsonb_build_object(
                'at', now(), 'action', 'pin-locked', 'count', seconds, 'site', site));
        ELSE
            tries_left := most_tries - failures;
        END IF;
        UPDATE staff_pin SET state = jsonb_set(
            CASE WHEN jsonb_typeof(state) = 'object' THEN state ELSE '{}' END,
            '{kiosk}', jsonb_strip_nulls(jsonb_build_object('failures', failures,
            'lockouts', lockouts, 'locked_until', until)));
    END $$;
    -- Functions are everyone's to run unless said otherwise: these are
    -- granted by name (the README's roles).
    REVOKE EXECUTE ON FUNCTION kiosk_pin_is_set(), kiosk_pin_salt(),
        kiosk_pin_try(text, text) FROM PUBLIC;
    """,
)
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
