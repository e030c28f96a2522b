"""The PostgreSQL store's own behaviour: damaged rows, sites, a server that
is gone, and changes heard without asking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg
import pytest

from kiosk.files import StoreError
from kiosk.store.postgres.store import PostgresStore
from tests.support.clock import FIXED_NOW
from tests.support.postgres import PASSWORD, Server
from tests.support.records import checkin
from tests.support.wait import wait_until


def ids(records: list[dict]) -> list[str]:
    return [record["id"] for record in records]


def test_postgres_a_damaged_row_is_skipped_counted_and_named(pg_url: str) -> None:
    store = PostgresStore(pg_url, clock=lambda: FIXED_NOW)
    good = store.add(checkin("Hal"))
    bad = store.add(checkin("Ida"))
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("UPDATE checkins SET record = record || '{\"answers\": []}' WHERE id = %s",
                   (bad,))
    assert ids(store.today()) == [good] and store.skipped() == 1
    assert store.get(bad) is None
    report = store.inspect()
    assert report.checkins == 1 and len(report.bad_records) == 1
    assert bad in report.bad_records[0] and "Ida" not in report.bad_records[0]
    assert store.delete(bad), "erasure is never blocked by a bad record"
    store.close()


def test_postgres_records_the_site_and_reads_one_site_or_all(pg_url: str) -> None:
    north = PostgresStore(pg_url, clock=lambda: FIXED_NOW, site="Northside")
    south = PostgresStore(pg_url, clock=lambda: FIXED_NOW, site="Southside",
                          only_site="Southside")
    mine = south.add(checkin("Jo"))
    theirs = north.add(checkin("Jo"))
    assert ids(south.today()) == [mine]
    assert ids(north.today()) == [mine, theirs], "a store for every site"
    with psycopg.connect(pg_url) as db:
        assert dict(db.execute("SELECT id::text, site FROM checkins").fetchall()) == {
            mine: "Southside", theirs: "Northside"}
    north.close()
    south.close()


def test_postgres_the_site_is_an_argument_of_each_read_never_a_shared_setting(
        pg_url: str) -> None:
    """Two site views and a suggestion read at once, through one store (the
    desk's workers do this): none sees another's site."""
    import threading

    from kiosk.store.contract import EVERY_SITE

    north = PostgresStore(pg_url, clock=lambda: FIXED_NOW, site="Northside")
    south = PostgresStore(pg_url, clock=lambda: FIXED_NOW, site="Southside")
    theirs = north.add(checkin("Jo", FIXED_NOW - timedelta(minutes=5)))
    mine = south.add(checkin("Jo", FIXED_NOW - timedelta(minutes=4)))
    newest = south.add(checkin("Jo", FIXED_NOW - timedelta(minutes=1)))
    desk = PostgresStore(pg_url, clock=lambda: FIXED_NOW, site="Northside",
                         only_site="Northside")
    seen: dict[str, set[tuple[str, ...]]] = {"north": set(), "south": set(), "suggest": set()}

    def read(view: str) -> None:
        for _ in range(40):
            if view == "north":
                seen[view].add(tuple(ids(desk.today(site="Northside"))))
            elif view == "south":
                seen[view].add(tuple(ids(desk.today(site="Southside"))))
            else:
                seen[view].add(tuple(ids(desk.suggestions(desk.get(newest), site="Southside"))))

    threads = [threading.Thread(target=read, args=(view,)) for view in seen]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"north": {(theirs,)}, "south": {(mine, newest)}, "suggest": {(mine,)}}
    assert ids(desk.today()) == [theirs], "unasked, the store's own site"
    assert ids(desk.today(site=EVERY_SITE)) == [theirs, mine, newest]
    for opened in (north, south, desk):
        opened.close()


def test_postgres_a_server_that_is_gone_is_a_store_error(server: Server) -> None:
    pg_url = server.url().replace(f":{server.port}/", ":1/")
    store = PostgresStore(pg_url, clock=lambda: FIXED_NOW)
    with pytest.raises(StoreError) as failed:
        store.today()
    message = str(failed.value)
    assert message.startswith("could not read check-ins in postgresql://kiosk_admin:***@")
    assert PASSWORD not in message and "\n" not in message
    with pytest.raises(StoreError, match="could not save"):
        store.add(checkin("Kim"))
    # Before: the staff screen's poll asked the database, and a server that
    # was gone crashed the desk. Now the version never waits or raises.
    assert store.version() is not None and store.version() is not None
    store.close()


def test_postgres_desks_hear_of_changes_without_asking(
    pg_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another machine's change moves this desk's version through LISTEN;
    an idle desk polling its version sends no query at all."""
    desk = PostgresStore(pg_url, clock=lambda: FIXED_NOW)
    other = PostgresStore(pg_url, clock=lambda: FIXED_NOW)
    for machine in (desk, other):
        machine.version()
        assert machine._listener is not None
        wait_until(machine._listener.listening.is_set, "the desks listening", limit=10)
    asked: list[str] = []
    real = PostgresStore._db

    def counting(self: PostgresStore, action: str) -> Any:
        if self is desk:
            asked.append(action)
        return real(self, action)

    monkeypatch.setattr(PostgresStore, "_db", counting)
    seen = desk.version()
    for _ in range(20):
        assert desk.version() == seen
    assert asked == [], "idle: no query"
    new = other.add(checkin("Lee"))
    wait_until(lambda: desk.version() != seen, "the desk hearing of the new check-in", 10)
    assert ids(desk.today()) == [new]
    # Two desks change the same check-in: the last change wins, both see it.
    seen, theirs = desk.version(), other.version()
    desk.set_status(new, "done")
    other.set_status(new, "with_therapist")
    wait_until(lambda: desk.version() != seen, "the desk hearing of it", 10)
    assert desk.get(new)["status"] == other.get(new)["status"] == "with_therapist"
    wait_until(lambda: other.version() != theirs, "the other desk hearing of it", 10)
    desk.close()
    other.close()
