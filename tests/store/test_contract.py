"""One contract, two stores: the TinyDB day files and PostgreSQL (a real
server on 127.0.0.1) answer every call the apps make the same way."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

import psycopg
import pytest

from kiosk.clock import FakeClock
from kiosk.files import StoreError
from kiosk.store.contract import Store, UnknownCheckIn
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.clock import FIXED_NOW
from tests.support.records import CONTENT, checkin


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
    answer: object, make_store: Any, request: pytest.FixtureRequest,
) -> None:
    """Before: `{"pain": "lots"}` was stored, and the desk and the CSV read
    "lots out of 10". Now a store given the content's questions refuses it,
    and one that finds it on disk (a hand edit, another program) skips it,
    counted, as it does any record not of the stored shape."""
    store = make_store(questions=CONTENT.all_questions())
    with pytest.raises(StoreError, match=r"answers\.pain' is not an answer"):
        store.add(checkin("Badrow", answers={"pain": 4}) | {
            "answers": {**checkin("Badrow")["answers"], "pain": answer}})
    good = store.add(checkin("Hal", answers={"pain": 4}))
    bad = store.add(checkin("Ida", answers={"pain": 5}))
    if isinstance(store, CheckInStore):
        day = next(store.partitions_dir.glob("*.json"))
        day.write_text(day.read_text().replace('"pain": 5', f'"pain": {json.dumps(answer)}'))
    else:
        with psycopg.connect(request.getfixturevalue("pg_url"), autocommit=True) as db:
            db.execute("UPDATE checkins SET record = jsonb_set(record, '{answers,pain}', "
                       "%s::jsonb) WHERE id = %s", (json.dumps(answer), bad))
    assert ids(store.today()) == [good] and store.skipped() == 1
    assert store.get(bad) is None
    assert store.delete(bad), "erasure is never blocked by a bad answer"


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


def test_ids_are_uuids_and_a_repeated_save_is_stored_once(store: Store) -> None:
    bare = checkin()
    del bare["id"], bare["created_at"]
    given = store.add(bare)
    assert uuid.UUID(given) and store.get(given)["created_at"] == "2026-11-27T14:30:00+00:00"
    record = checkin()
    assert store.add(record) == store.add(record) == record["id"]
    assert [r["id"] for r in store.all()].count(record["id"]) == 1
    with pytest.raises(StoreError, match="'id' is not a uuid"):
        store.add(checkin(id="7"))


def test_search_by_name_dates_status_and_flags(store: Store) -> None:
    a = store.add(checkin("Anna-Lise", FIXED_NOW - timedelta(days=300)))
    b = store.add(checkin("Zoë", FIXED_NOW - timedelta(days=2), answers={"health": ["pregnancy"]}))
    c = store.add(checkin("ANNABEL", FIXED_NOW))
    store.set_status(c, "done")

    def ids(**query: object) -> list[str]:
        return [record["id"] for record in store.search(**query)]

    assert ids(text="anna") == [a, c]
    assert ids(text="ZOË") == [b]
    assert ids(text="  ") == [a, b, c]
    assert ids(since=date(2026, 11, 25)) == [b, c]
    assert ids(until=date(2026, 11, 25)) == [a, b]
    assert ids(since=FIXED_NOW) == [c]
    assert ids(status="waiting") == [a, b]
    assert ids(flagged=True) == [b] and ids(flagged=False) == [a, c]
    assert ids(text="ann", status="done", since=date(2026, 11, 1)) == [c]


def test_status_changes_and_erasing(store: Store) -> None:
    old = store.add(checkin("Old", FIXED_NOW - timedelta(days=5)))
    new = store.add(checkin("New"))
    assert store.set_status(old, "with_therapist")
    changed = store.get(old)
    assert changed["status"] == "with_therapist"
    assert changed["status_at"] == "2026-11-27T14:30:00+00:00"
    assert store.get(new)["status"] == "waiting"
    assert not store.set_status(str(uuid.uuid4()), "done")
    with pytest.raises(ValueError, match="status"):
        store.set_status(new, "teleported")
    assert store.delete(old) and store.get(old) is None
    assert not store.delete(old)
    assert [record["id"] for record in store.all()] == [new]
