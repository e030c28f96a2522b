"""The `store` fixture: every test in this folder that takes it runs once on
the day files and once on PostgreSQL (a real server on 127.0.0.1), the way
TinyDB's own suite runs each test over its memory and JSON storages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.clock import FakeClock
from kiosk.content.kinds import Question
from kiosk.store.contract import Store
from kiosk.store.dayfiles.store import CheckInStore
from kiosk.store.postgres.store import PostgresStore
from tests.support.clock import FIXED_NOW


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FIXED_NOW)


@pytest.fixture(params=["dayfiles", "postgres"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path,
               clock: FakeClock) -> Iterator[Callable[..., Any]]:
    """Opens the store under test (`questions=`: the content's)."""
    opened: list[PostgresStore] = []

    def make(questions: Iterable[Question] = ()) -> Store:
        if request.param == "dayfiles":
            return CheckInStore(tmp_path / "data", clock=clock.now, questions=questions)
        store = PostgresStore(request.getfixturevalue("pg_url"), clock=clock.now,
                              site="Northside", questions=questions)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: Callable[..., Any]) -> Any:
    return make_store()
