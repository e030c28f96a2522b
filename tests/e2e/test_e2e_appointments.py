"""The day's appointments end to end, in tmux at 80x24: three bookings, two
sharing a first name and initial. The client picks hers by time and
practitioner; the desk shows the check-in against it and Expected lists the
other two; the practitioner's webhook gets one notice, with no health answer."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.i18n import ENGLISH
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.e2e import TAPS, env_for
from tests.support.schedule import Booking, calendar
from tests.support.terminal import Terminal
from tests.support.wait import wait_until
from tests.support.webhook import Receiver

pytestmark = [pytest.mark.e2e, pytest.mark.needs("tmux")]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver()
    yield started
    started.server.shutdown()


def test_an_arrival_matched_to_its_booking_the_desk_and_the_practitioner(
        tmp_path: Path, receiver: Receiver) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    # All three today, whenever the test runs: late in the day, the bookings
    # began a little while ago (still inside the arrival window).
    sign = -1 if now.astimezone().hour == 23 else 1
    mine = now + sign * timedelta(minutes=10)
    (tmp_path / "clinic.ics").write_bytes(calendar([
        Booking(mine, summary="Ann Brown - Sports massage", practitioner="Maya"),
        Booking(now + sign * timedelta(minutes=20), summary="Ann Bell - Deep tissue",
                practitioner="Sam"),
        Booking(now + sign * timedelta(minutes=25), summary="Zed Quinn - Relaxation",
                practitioner="Maya"),
    ]))
    config = tmp_path / "kiosk.toml"
    config.write_text(f'schedule = [{{ file = "clinic.ics" }}]\n'
                      f'notify_webhook = "{receiver.url}"\n')
    data_dir = tmp_path / "data"
    flags = ["--config", str(config), "--data-dir", str(data_dir)]
    imported = subprocess.run([sys.executable, "-m", "kiosk", "schedule", "import",
                               str(tmp_path / "clinic.ics"), *flags],
                              capture_output=True, text=True, check=False)
    assert imported.returncode == 0, imported.stderr
    subprocess.run([sys.executable, "-m", "kiosk", "set-pin", *flags], input="2468\n",
                   text=True, capture_output=True, check=True)
    # As the terminal shows it: Babel's narrow space before PM is a space there.
    label = f"{ENGLISH.time(mine.astimezone())} with Maya · Sports massage".replace(
        "\u202f", " ")

    kiosk, staff = Terminal(tmp_path / "kiosk.sock"), Terminal(tmp_path / "staff.sock")
    env = env_for(tmp_path)
    try:
        kiosk.start([sys.executable, "-m", "kiosk", "run", *flags], env)
        kiosk.wait_for("First visit")
        kiosk.tap_until("First visit", lambda s: "Difference 1 of 6" in s, "walkthrough")
        kiosk.tap_until("Skip to check-in", lambda s: "Question 1 of 11" in s, "questions")
        kiosk.tap("e.g. Maria")
        kiosk.type("Ann")
        kiosk.wait_for("Ann")
        kiosk.tap("e.g. K")
        kiosk.type("b")
        booking_page = kiosk.tap_until("Next ▶", lambda s: "Which is your appointment?" in s,
                                       "the booking page")
        assert "Brown" not in booking_page and "Bell" not in booking_page
        assert "Zed" not in booking_page and "Quinn" not in booking_page
        assert "with Sam" in booking_page, "both of this name's bookings, by time"
        kiosk.pick(label)
        kiosk.tap_until("Next ▶", lambda s: "Question 2 of 11" in s, "question 2")
        for number, (prompt, labels) in enumerate(TAPS, start=2):
            if number > 2:
                kiosk.tap_until("Next ▶", lambda s, n=number, p=prompt:
                                f"Question {n} of 11" in s and p in s, prompt)
            for answer in labels:
                kiosk.pick(answer)
        kiosk.tap_until("Review ▶", lambda s: "Please check your answers" in s, "review")
        saved = time.monotonic()
        kiosk.tap_until("Check me in ✓", lambda s: "Scan for your aftercare guide" in s,
                        "the result")

        # The practitioner is told: one notice, no health answer in it.
        bodies = wait_until(lambda: receiver.bodies, "the notice")
        print(f"result screen -> webhook: {time.monotonic() - saved:.2f} s")
        (body,) = bodies
        assert body["practitioner"] == "Maya" and body["client"] == "Ann B."
        assert body["see_desk_first"] is True  # Pregnancy: a flag, never its words.
        for private in ("pregnan", "accident", "neck", "pain", "brown"):
            assert private not in json.dumps(body).lower(), private

        (record,) = CheckInStore(data_dir).all()
        assert record["appointment"]["practitioner"] == "Maya"

        staff.start([sys.executable, "-m", "kiosk", "staff", *flags], env)
        staff.wait_for("Staff PIN")
        staff.type("2468")
        staff.tap_until("OK", lambda s: "Front desk" in s, "the desk")
        screen = staff.wait_for("1 today")
        row = next(line for line in screen.splitlines() if "Ann B." in line)
        assert f"{mine.astimezone():%H:%M} Maya" in row, row
        expected = staff.tap_until("Expected", lambda s: "Expected today" in s
                                   and "Zed Q." in s, "Expected")
        assert "Ann B." in expected and "Sam" in expected, "the other Ann, still expected"
        assert "2 expected" in expected
        assert len(receiver.bodies) == 1, "exactly one notice"
    finally:
        kiosk.stop()
        staff.stop()
