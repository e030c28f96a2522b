"""PostgreSQL, shared by a clinic's machines: settings, connecting, and the
schema's migrations, against a real server on 127.0.0.1 (tests/support/postgres.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from kiosk.cli import main
from kiosk.settings import SettingsError, load_settings
from kiosk.store.postgres import DatabaseError
from kiosk.store.postgres import schema as database
from tests.support.postgres import PASSWORD, Server, running_server


@pytest.fixture
def pg_url(pg_blank_url: str) -> str:
    """Here, a database never migrated."""
    return pg_blank_url


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_url_comes_from_the_file_or_the_environment_and_is_checked(tmp_path: Path) -> None:
    path = config(tmp_path, 'database_url = "postgresql://staff:pw@db.example/kiosk"\n'
                            'site = "Northside"\nlocal_keep_days = 14\n')
    settings = load_settings(config=path, environ={})
    assert settings.database_url == "postgresql://staff:pw@db.example/kiosk"
    assert (settings.site, settings.local_keep_days) == ("Northside", 14)
    from_env = load_settings(config=path, environ={
        "KIOSK_DATABASE_URL": "postgresql://other@db2/kiosk"})
    assert from_env.database_url == "postgresql://other@db2/kiosk"
    assert load_settings(environ={}).database_url is None, "none set: the data folder alone"
    for bad, why in [('"http://db/kiosk"', "must start with postgresql://"),
                     ('"postgresql://db"', "names no database"),
                     ('"postgresql://db:port/kiosk"', "is not a URL"),
                     ('"postgresql://db/kiosk x"', "must not hold spaces")]:
        with pytest.raises(SettingsError, match=why) as raised:
            load_settings(config=config(tmp_path, f"database_url = {bad}\n"), environ={})
        assert str(raised.value).startswith(f"{tmp_path / 'kiosk.toml'}: 'database_url'")
    with pytest.raises(SettingsError, match=r"^\$KIOSK_DATABASE_URL must start"):
        load_settings(environ={"KIOSK_DATABASE_URL": "mysql://db/kiosk"})
    with pytest.raises(SettingsError, match="'site' must be a name"):
        load_settings(config=config(tmp_path, 'site = "   "\n'), environ={})


def test_config_never_prints_a_password(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_DATABASE_URL", raising=False)
    path = config(tmp_path, 'database_url = "postgresql://staff:s3cret-pw@db.example:5432/'
                            'kiosk?sslmode=verify-full&password=s3cret-pw"\n')
    code, out, _ = run(capsys, "config", "--config", str(path))
    assert code == 0
    assert "s3cret-pw" not in out
    assert ("database_url = postgresql://staff:***@db.example:5432/kiosk"
            "?sslmode=verify-full&password=***") in out, "TLS settings are shown; passwords not"


def test_migrate_creates_the_schema_once_and_status_shows_it(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KIOSK_DATABASE_URL", pg_url)
    shown = pg_url.replace(PASSWORD, "***")
    code, out, _ = run(capsys, "db", "status")
    assert (code, out) == (0, f"{shown}: schema version 0; this program needs "
                              f"{database.SCHEMA_VERSION} (run `kiosk db migrate`)\n")
    with pytest.raises(DatabaseError, match="run `kiosk db migrate`"):
        database.require_current(pg_url)
    code, out, _ = run(capsys, "db", "migrate")
    assert (code, out) == (0, f"{shown}: schema migrated from version 0 to "
                              f"{database.SCHEMA_VERSION}\n")
    code, out, _ = run(capsys, "db", "migrate")
    assert (code, out) == (0, f"{shown}: schema already at version "
                              f"{database.SCHEMA_VERSION}; nothing to do\n")
    code, out, _ = run(capsys, "db", "status")
    assert out.endswith("(up to date)\n")
    database.require_current(pg_url)
    with psycopg.connect(pg_url) as connection:
        tables = {row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        assert {"kiosk_schema", "checkins"} <= tables
        assert connection.execute("SELECT count(*) FROM kiosk_schema").fetchone() == (
            database.SCHEMA_VERSION,), "each migration recorded once"


def test_a_schema_newer_than_the_program_is_refused(pg_url: str) -> None:
    database.migrate(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as connection:
        connection.execute("INSERT INTO kiosk_schema (version) VALUES (%s)",
                           (database.SCHEMA_VERSION + 1,))
    with pytest.raises(DatabaseError, match="newer than this program's"):
        database.require_current(pg_url)
    with pytest.raises(DatabaseError, match="upgrade clinic-kiosk"):
        database.migrate(pg_url)


def test_bad_connections_are_one_line_and_exit_2(
    server: Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = server.url(password="not-the-password")
    monkeypatch.setenv("KIOSK_DATABASE_URL", wrong)
    code, out, err = run(capsys, "db", "migrate")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "not-the-password" not in err
    assert err.startswith(f"kiosk: could not connect to postgresql://kiosk_admin:***@127.0.0.1:"
                          f"{server.port}/kiosk: ")
    assert "password authentication failed" in err
    monkeypatch.setenv("KIOSK_DATABASE_URL", server.url(database="no_such_database"))
    code, _, err = run(capsys, "db", "status")
    assert code == 2 and 'database "no_such_database" does not exist' in err
    # A port where nothing listens.
    nothing = server.url().replace(f":{server.port}/", ":1/")
    monkeypatch.setenv("KIOSK_DATABASE_URL", nothing)
    code, _, err = run(capsys, "db", "status")
    assert code == 2 and err.startswith("kiosk: could not connect to") and err.count("\n") == 1
    monkeypatch.delenv("KIOSK_DATABASE_URL")
    code, _, err = run(capsys, "db", "status", "--config", "/dev/null")
    assert (code, err) == (2, "kiosk: no database is set: set database_url in kiosk.toml, "
                              "or $KIOSK_DATABASE_URL\n")


def test_without_the_extra_it_says_what_installs_it(tmp_path: Path) -> None:
    """A URL set, psycopg not installed: the command that installs it, exit 2."""
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys; sys.modules['psycopg'] = None; from kiosk.cli import main; "
         "sys.exit(main(['db', 'status']))"],
        capture_output=True, text=True, check=False,
        env={"KIOSK_DATABASE_URL": "postgresql://staff:pw@127.0.0.1:1/kiosk",
             "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 2, done.stderr
    assert done.stderr == ("kiosk: database_url is set, but PostgreSQL support is not "
                           "installed: pip install 'clinic-kiosk[postgres]'\n")


@pytest.mark.needs("postgresql", "openssl")
def test_tls_works_through_libpq_sslmode(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """sslmode in the URL is libpq's: the connection is encrypted."""
    from kiosk.store.postgres.store import PostgresStore
    from tests.support.records import checkin

    with running_server(tls=True) as server:
        pg_url = server.url() + "?sslmode=require"
        monkeypatch.setenv("KIOSK_DATABASE_URL", pg_url)
        assert run(capsys, "db", "migrate")[0] == 0
        with psycopg.connect(pg_url) as connection:
            assert connection.execute(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone() == (True,)
        store = PostgresStore(pg_url)
        saved = store.add(checkin("Tess"))
        assert store.get(saved) is not None
        store.close()
        plain = server.url() + "?sslmode=disable"
        with psycopg.connect(plain) as connection:
            assert connection.execute(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone() == (False,)


def test_kiosk_staff_on_a_bad_database_is_one_line_and_exit_2(
    server: Server, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before the staff app takes the terminal: a schema not migrated, a
    wrong password, a malformed URL."""
    from kiosk.access.pin import StaffPin

    data = tmp_path / "desk"
    StaffPin(data).set("2468")
    for bad, says in [
        (pg_url, "run `kiosk db migrate`"),
        (server.url(password="not-the-pw"), "password authentication failed"),
        ("postgresql://127.0.0.1:5432", "names no database"),
    ]:
        monkeypatch.setenv("KIOSK_DATABASE_URL", bad)
        code, out, err = run(capsys, "staff", "--data-dir", str(data))
        assert (code, out) == (2, ""), err
        assert err.startswith("kiosk: ") and err.count("\n") == 1 and says in err
        assert "not-the-pw" not in err, "never a password"


def test_a_database_error_never_carries_a_row_s_values(pg_url: str) -> None:
    """Before: reason() kept the server's DETAIL, which can quote a whole
    row ("Failing row contains (…)"), names and all, into messages and
    the delivery's notes."""
    from kiosk.store.postgres.schema import reason

    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("CREATE TABLE people (name text CHECK (length(name) < 3))")
        with pytest.raises(psycopg.Error) as failed:
            db.execute("INSERT INTO people VALUES ('Marguerite')")
    assert "Marguerite" in str(failed.value), "the server does quote it"
    said = reason(failed.value)
    assert "Marguerite" not in said and "violates check constraint" in said
