"""Series on both stores: staff link a client's visits, sessions are numbered
in the order of the visits, and suggestions are earlier visits of the name."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.access.audit import AuditLog
from kiosk.desk import actions
from kiosk.store.contract import Store, UnknownCheckIn
from tests.support.clock import fixed_clock
from tests.support.series import visit


def sessions(store: Store, series: str) -> list[tuple[int, int]]:
    return [(record["session"], record["answers"]["pain"]) for record in store.series(series)]


def test_link_a_new_series_join_it_unlink_and_undo(store: Store, data_dir: Path) -> None:
    first = store.add(visit("Ann", "B", 14, 8, follow_up=False))
    second = store.add(visit("Ann", "B", 7, 6))
    third = store.add(visit("Ann", "B", 0, 3))
    audit = AuditLog(data_dir, fixed_clock)

    started = actions.link(store, audit, second, to=first)  # Neither in a series yet.
    assert sessions(store, started.series) == [(1, 8), (2, 6)]
    joined = actions.link(store, audit, third, to=second)
    assert joined.series == started.series
    assert sessions(store, started.series) == [(1, 8), (2, 6), (3, 3)]
    record = store.get(third)
    assert record is not None and (record["series"], record["session"]) == (joined.series, 3)

    # Unlinking the middle one renumbers the rest in the order of the visits.
    change = actions.unlink(store, audit, second)
    assert change is not None
    assert sessions(store, started.series) == [(1, 8), (2, 3)]
    assert "series" not in (store.get(second) or {})
    actions.undo_link(store, audit, change)
    assert sessions(store, started.series) == [(1, 8), (2, 6), (3, 3)]

    # Undoing the link that started the series leaves nothing linked.
    actions.undo_link(store, audit, joined)
    actions.undo_link(store, audit, started)
    assert store.series(started.series) == []
    assert all("series" not in record for record in store.all())

    # A series of one, started from None.
    alone = store.link(third)
    assert sessions(store, alone) == [(1, 3)]
    assert actions.unlink(store, audit, first) is None  # In no series: nothing to undo.

    logged = [(entry["action"], entry.get("id")) for entry in audit.entries()]
    assert logged == [("link", second), ("link", first), ("link", third), ("unlink", second),
                      ("link-undone", second), ("link-undone", third), ("link-undone", second),
                      ("link-undone", first)]
    assert all("series" in entry for entry in audit.entries()
               if entry["action"] in ("link", "unlink"))


def test_linking_checks_its_arguments(store: Store) -> None:
    one = store.add(visit("Ann", "B", 1, 5))
    with pytest.raises(ValueError, match="itself"):
        store.link(one, to=one)
    with pytest.raises(UnknownCheckIn):
        store.link("00000000-0000-4000-8000-000000000000")
    with pytest.raises(UnknownCheckIn):
        store.link(one, to="00000000-0000-4000-8000-000000000000")
    with pytest.raises(ValueError):
        store.rejoin(one, "not-a-uuid")


def test_suggestions_are_earlier_visits_of_the_same_name_and_initial(
    store: Store,
) -> None:
    ids = {
        "ann-b-old": store.add(visit("Ann", "B", 30, 8, follow_up=False)),
        "ann-b-mid": store.add(visit("ANN", "b", 10, 6)),  # Case does not matter.
        "ann-c": store.add(visit("Ann", "C", 9, 6)),
        "anna-b": store.add(visit("Anna", "B", 8, 6)),
        "bob-b": store.add(visit("Bob", "B", 7, 6)),
        "ann-b-now": store.add(visit("Ann", "B", 0, 3)),
        "ann-b-later": store.add(visit("Ann", "B", -1, 3)),  # After: not "earlier".
    }
    record = store.get(ids["ann-b-now"])
    assert record is not None
    found = [suggested["id"] for suggested in store.suggestions(record)]
    assert found == [ids["ann-b-mid"], ids["ann-b-old"]], "newest first, same name only"
    assert store.suggestions(record, most=1) == [store.get(ids["ann-b-mid"])]
    store.delete(ids["ann-b-mid"])
    assert [suggested["id"] for suggested in store.suggestions(record)] == [ids["ann-b-old"]]


@pytest.mark.parametrize("count", [1, 2, 20])
def test_a_series_of_1_2_and_20_sessions_reads_in_session_order(
    store: Store, count: int,
) -> None:
    ids = store.import_records(visit("Ann", "B", 100 - 5 * n, 9 - n % 10) for n in range(count))
    assert ids == count
    records = sorted(store.all(), key=lambda record: record["created_at"])
    series = store.link(records[0]["id"])
    for record in records[1:]:
        store.link(record["id"], to=records[0]["id"])
    assert [record["session"] for record in store.series(series)] == list(range(1, count + 1))
    assert [record["id"] for record in store.series(series)] == [r["id"] for r in records]
