"""One contract, two stores: the TinyDB day files and PostgreSQL (a real
server on 127.0.0.1) answer every call the apps make the same way."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from kiosk.clock import FakeClock
from kiosk.files import StoreError
from kiosk.store.contract import UnknownCheckIn
from kiosk.store.dayfiles.store import CheckInStore
from kiosk.store.postgres.store import PostgresStore
from tests.conftest import FIXED_NOW
from tests.postgres import PASSWORD, Server
from tests.test_store import checkin


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FIXED_NOW)


@pytest.fixture(params=["tinydb", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Any]:
    if request.param == "tinydb":
        yield CheckInStore(tmp_path / "data", clock=clock.now)
        return
    pg_url = request.getfixturevalue("pg_url")
    opened = PostgresStore(pg_url, clock=clock.now, site="Northside")
    yield opened
    opened.close()


def ids(records: list[dict]) -> list[str]:
    return [record["id"] for record in records]


def test_save_read_search_change_and_erase(store: Any, clock: FakeClock) -> None:
    ann = store.add(checkin("Ann", FIXED_NOW - timedelta(minutes=20)))
    bo = store.add(checkin("Bo", FIXED_NOW - timedelta(minutes=10),
                           answers={"health": ["blood_clots"]}))
    old = store.add(checkin("Anna", FIXED_NOW - timedelta(days=40)))
    assert ids(store.today()) == [ann, bo]
    assert ids(store.all()) == [old, ann, bo]
    assert ids(store.search(text="ANN")) == [old, ann], "a name, ignoring case"
    assert ids(store.search(flagged=True)) == [bo]
    assert ids(store.search(since=(FIXED_NOW - timedelta(days=41)).date(),
                            until=(FIXED_NOW - timedelta(days=39)).date())) == [old]
    assert store.get(ann)["id"] == ann and store.get(str(uuid.uuid4())) is None
    assert store.get("not an id") is None
    version = store.version()
    assert store.set_status(ann, "with_therapist")
    assert store.version() != version
    first = store.get(ann)
    assert (first["status"], first["started_at"]) == ("with_therapist", first["status_at"])
    clock.advance(60)
    store.set_status(ann, "done")
    store.set_status(ann, "with_therapist")
    assert store.get(ann)["started_at"] == first["started_at"], "when the wait ended: once"
    assert ids(store.search(status="waiting")) == [old, bo]
    assert not store.set_status(str(uuid.uuid4()), "done")
    with pytest.raises(ValueError):
        store.set_status(ann, "lost")
    assert store.delete(bo) and not store.delete(bo) and store.get(bo) is None
    assert store.purge(30) == 1 and ids(store.all()) == [ann]


def test_a_save_again_replaces_the_first_and_a_bad_record_is_refused(store: Any) -> None:
    record = checkin("Cy")
    first = store.add(record)
    assert store.add({**record, "id": first}) == first
    assert ids(store.all()) == [first], "one visit, one check-in"
    assert store.import_records([{**record, "id": first}, checkin("Di")]) == 1
    with pytest.raises(StoreError, match="refused a check-in: check-in field 'recommendation'") as refused:
        store.add({**checkin("Ed"), "recommendation": "spa"})
    assert "Ed" not in str(refused.value)
    assert len(store.all()) == 2


def test_a_save_again_on_another_day_replaces_the_first_wherever_it_is(store: Any) -> None:
    """Before: an id saved again with another `created_at` (a save that
    failed on a full disk, tried again after midnight) landed in a second
    day file; `all()` and the export had it twice."""
    record = checkin("Cy", FIXED_NOW - timedelta(days=1, minutes=5))
    first = store.add(record)
    for day in range(1, 4):  # The next day, and across parts of a busy one.
        again = {**record, "id": first,
                 "created_at": (FIXED_NOW + timedelta(days=day)).isoformat(timespec="seconds")}
        assert store.add(again) == first
        assert ids(store.all()) == [first], "one visit, one check-in"
        assert store.get(first)["created_at"] == again["created_at"]
    assert store.import_records([{**record, "id": first}]) == 0
    assert ids(store.all()) == [first]
    assert len(store.search(text="Cy")) == 1


def test_series_link_unlink_rejoin_and_suggestions(store: Any) -> None:
    visits = [store.add(checkin("Fay", FIXED_NOW - timedelta(days=days)))
              for days in (30, 20, 10)]
    store.add(checkin("Gus", FIXED_NOW - timedelta(days=15)))
    later = checkin("Fay", FIXED_NOW)
    assert ids(store.suggestions(later)) == visits[::-1], "same name, newest first"
    assert ids(store.suggestions(later, most=1)) == [visits[2]]
    series = store.link(visits[2], visits[0])
    assert store.link(visits[1], visits[2]) == series
    assert [(r["id"], r["session"]) for r in store.series(series)] == [
        (visits[0], 1), (visits[1], 2), (visits[2], 3)], "numbered in the order made"
    assert store.unlink(visits[1]) and not store.unlink(visits[1])
    assert [(r["id"], r["session"]) for r in store.series(series)] == [
        (visits[0], 1), (visits[2], 2)]
    store.rejoin(visits[1], series)
    assert [r["session"] for r in store.series(series)] == [1, 2, 3]
    alone = store.link(visits[1])
    assert alone != series and ids(store.series(alone)) == [visits[1]]
    with pytest.raises(UnknownCheckIn):
        store.link(str(uuid.uuid4()), visits[0])
    with pytest.raises(ValueError):
        store.link(visits[0], visits[0])
    assert store.series(str(uuid.uuid4())) == []


@pytest.mark.parametrize("answer", ["lots", 11, -1, True, "neck", ["neck"], {"first": "x"}])
def test_an_answer_its_question_does_not_allow_is_refused_and_skipped_when_read(
    answer: object, request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock,
) -> None:
    """Before: `{"pain": "lots"}` was stored, and the desk and the CSV read
    "lots out of 10". Now a store given the content's questions refuses it,
    and one that finds it on disk (a hand edit, another program) skips it,
    counted, as it does any record not of the stored shape. Both stores."""
    from tests.test_store import CONTENT

    questions = CONTENT.all_questions()
    for kind in ("tinydb", "postgres"):
        if kind == "tinydb":
            store: Any = CheckInStore(tmp_path / kind, clock=clock.now, questions=questions)
        else:
            store = PostgresStore(request.getfixturevalue("pg_url"), clock=clock.now,
                                  questions=questions)
        with pytest.raises(StoreError, match=r"answers\.pain' is not an answer"):
            store.add(checkin("Badrow", answers={"pain": 4}) | {
                "answers": {**checkin("Badrow")["answers"], "pain": answer}})
        good = store.add(checkin("Hal", answers={"pain": 4}))
        bad = store.add(checkin("Ida", answers={"pain": 5}))
        if kind == "tinydb":
            day = next((tmp_path / kind / "checkins").glob("*.json"))
            day.write_text(day.read_text().replace('"pain": 5', f'"pain": {json.dumps(answer)}'))
        else:
            with psycopg.connect(request.getfixturevalue("pg_url"), autocommit=True) as db:
                db.execute("UPDATE checkins SET record = jsonb_set(record, '{answers,pain}', "
                           "%s::jsonb) WHERE id = %s", (json.dumps(answer), bad))
        assert ids(store.today()) == [good] and store.skipped() == 1, kind
        assert store.get(bad) is None, kind
        assert store.delete(bad), "erasure is never blocked by a bad answer"
        if kind == "postgres":
            store.close()


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


def test_a_name_search_pages_newest_first_and_counts_every_match(
        store: Any, clock: FakeClock) -> None:
    """`find_names`: a page of the newest matches and how many match in all,
    from the name index on the day files and the trigram index on PostgreSQL."""
    made = []
    for n, name in enumerate(["Ann", "Bo", "Joanne", "Ann", "Bo", "Ann", "Hannah", "Ann", "Li"]):
        made.append((name, store.add(checkin(name, FIXED_NOW - timedelta(days=9 - n)))))
    matching = [checkin_id for name, checkin_id in made if "ann" in name.casefold()][::-1]
    assert len(matching) == 6
    assert store.find_names("ANN", limit=4) == (
        [store.get(checkin_id) for checkin_id in matching[:4]], 6)
    page, total = store.find_names("ann", limit=4, offset=4)
    assert (ids(page), total) == (matching[4:], 6), "the next page: the older two"
    assert store.find_names("ann", limit=4, offset=8) == ([], 6)
    assert store.find_names("nobody", limit=4) == ([], 0)
    assert ids(store.find_names("k.", limit=10)[0]) == [i for _, i in made][::-1], (
        "the last initial as the desk shows it")
    store.delete(matching[0])
    assert ids(store.find_names("ann", limit=2)[0]) == matching[1:3]
    assert store.find_names("ann", limit=2)[1] == 5, "an erased check-in is not counted"
    with pytest.raises(ValueError):
        store.find_names("ann", limit=-1)


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


def _until(condition: Any, what: str, seconds: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}")
        time.sleep(0.01)


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
        _until(machine._listener.listening.is_set, "the desks listening")
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
    _until(lambda: desk.version() != seen, "the desk hearing of the new check-in")
    assert ids(desk.today()) == [new]
    # Two desks change the same check-in: the last change wins, both see it.
    seen, theirs = desk.version(), other.version()
    desk.set_status(new, "done")
    other.set_status(new, "with_therapist")
    _until(lambda: desk.version() != seen, "the desk hearing of it")
    assert desk.get(new)["status"] == other.get(new)["status"] == "with_therapist"
    _until(lambda: other.version() != theirs, "the other desk hearing of it")
    desk.close()
    other.close()
