"""The must-show of several machines, in real terminals (tmux, 80x24):
two kiosks with their own data folders and a staff app on a third, all on
one PostgreSQL server on 127.0.0.1. A check-in tapped on either kiosk shows
at the desk; with the server stopped, both kiosks keep taking check-ins;
after it is back, every one arrives, once."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from kiosk.store.postgres import schema as database
from tests.support.e2e import env_for, tap_through_visit
from tests.support.postgres import Server, running_server
from tests.support.terminal import Terminal

pytestmark = [pytest.mark.e2e, pytest.mark.needs("tmux")]


@pytest.fixture
def server() -> Iterator[Server]:
    with running_server() as started:
        database.migrate(started.url())
        yield started


def names_in(url: str) -> list[str]:
    with psycopg.connect(url) as db:
        return [row[0] for row in db.execute(
            "SELECT record->'answers'->'name'->>'first' FROM checkins ORDER BY seq")]


@pytest.mark.slow
def test_two_kiosks_and_a_desk_on_one_database_through_an_outage(
    tmp_path: Path, server: Server,
) -> None:
    url = server.url()
    env = {**env_for(tmp_path), "KIOSK_DATABASE_URL": url}
    desk_data = tmp_path / "desk"
    subprocess.run([sys.executable, "-m", "kiosk", "set-pin", "--data-dir", str(desk_data)],
                   input="2468\n", text=True, capture_output=True, check=True, env=env)
    first, second = Terminal(tmp_path / "k1.sock"), Terminal(tmp_path / "k2.sock")
    staff = Terminal(tmp_path / "staff.sock")
    try:
        for terminal, folder in ((first, "kiosk1"), (second, "kiosk2")):
            terminal.start([sys.executable, "-m", "kiosk", "run", "--data-dir",
                            str(tmp_path / folder)], env)
        staff.start([sys.executable, "-m", "kiosk", "staff", "--data-dir", str(desk_data)], env)
        staff.wait_for("Staff PIN")
        staff.type("2468")
        staff.tap_until("OK", lambda s: "Front desk" in s, "the staff screen")
        staff.wait_for("0 today")

        for terminal, (name, initial) in ((first, ("Maya", "r")), (second, ("Noor", "s"))):
            terminal.wait_for("First visit")
            tap_through_visit(terminal, first=name, initial=initial)
            saved = time.monotonic()
            row = f"{name} {initial.upper()}."
            staff.wait_until(lambda s, r=row: r in s, f"{name} at the desk")
            print(f"{name}: kiosk result -> desk row {time.monotonic() - saved:.2f} s")
            terminal.tap_until("Done", lambda s: "First visit" in s, "welcome")

        server.stop()
        try:
            for terminal, (name, initial) in ((first, ("Omar", "t")), (second, ("Pia", "u"))):
                screen = tap_through_visit(terminal, first=name, initial=initial)
                assert "Scan for your aftercare guide" in screen, "no error for the client"
                terminal.tap_until("Done", lambda s: "First visit" in s, "welcome")
        finally:
            server.start()
        screen = staff.wait_until(lambda s: "Omar T." in s and "Pia U." in s,
                                  "the check-ins made during the outage", limit=90)
        assert "4 today" in screen
    finally:
        for terminal in (first, second, staff):
            terminal.stop()
    made = names_in(url)
    assert sorted(made) == ["Maya", "Noor", "Omar", "Pia"], "every one, once"
