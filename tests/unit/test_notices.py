"""Notices to practitioners: from the outbox to a local HTTP receiver the
test starts, carrying only the time, the practitioner and the name."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.clock import FakeClock
from kiosk.notices import Outbox, arrival_notice_for
from kiosk.schedule.matching import Slot
from kiosk.schedule.model import Appointment
from tests.support.clock import FIXED_NOW
from tests.support.records import checkin
from tests.support.wait import wait_until
from tests.support.webhook import Receiver

BOOKED = Appointment("b1", FIXED_NOW, FIXED_NOW + timedelta(hours=1), "Maya", "Sports massage",
                     "Ann", "Brown")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver()
    yield started
    started.server.shutdown()


def arrival(**answers: object) -> dict:
    return checkin("Ann", answers=answers or None,
                   appointment=Slot.of(BOOKED).to_record("kiosk"))


def test_a_notice_carries_the_time_the_practitioner_and_the_name_only(
        tmp_path: Path, receiver: Receiver) -> None:
    clock = FakeClock(FIXED_NOW)
    outbox = Outbox(tmp_path, receiver.url, clock.now)
    flagged = arrival(health=["blood_clots"], focus=["neck"])
    notice = arrival_notice_for(flagged, "en")
    assert notice is not None
    outbox.put(notice)
    assert outbox.send_waiting() == 1 and outbox.waiting() == []
    (body,) = receiver.bodies
    assert body["text"].replace("\u202f", " ") == (
        "Ann K. has arrived for 2:30 PM with Maya: see the desk first")
    assert body["practitioner"] == "Maya" and body["client"] == "Ann K."
    said = json.dumps(body).lower()
    for private in ("clot", "neck", "health", "pain", "flag", "brown"):
        assert private not in said, private


def test_no_booking_no_notice_and_the_clinics_language() -> None:
    assert arrival_notice_for(checkin("Ann"), "en") is None
    assert arrival_notice_for(checkin("Ann", appointment={"id": "", "matched_by": "none"}),
                              "en") is None
    spanish = arrival_notice_for(arrival(), "es")
    assert spanish is not None and spanish.text == (
        "Ann K. ha llegado para su cita de las 14:30 con Maya")


def test_a_refusing_webhook_is_retried_and_a_stale_notice_dropped(
        tmp_path: Path, receiver: Receiver) -> None:
    clock = FakeClock(FIXED_NOW)
    outbox = Outbox(tmp_path, receiver.url, clock.now)
    outbox.put(arrival_notice_for(arrival(), "en"))  # type: ignore[arg-type]
    receiver.refuse = True
    with pytest.raises(OSError):
        outbox.send_waiting()
    assert len(outbox.waiting()) == 1, "kept for the next try"
    receiver.refuse = False
    waits: list[float] = []
    runner = threading.Thread(target=outbox.run, kwargs={
        "sleep": lambda event, seconds: waits.append(seconds) or event.wait(0.05)})
    runner.start()
    wait_until(lambda: receiver.bodies, "the retried notice")
    outbox.stop.set()
    runner.join()
    assert outbox.state()["last_sent"]
    outbox.put(arrival_notice_for(arrival(), "en"))  # type: ignore[arg-type]
    clock.advance(2 * 3600)
    assert outbox.send_waiting() == 0 and outbox.waiting() == []
    assert outbox.state()["dropped"] == 1


def test_an_unreachable_webhook_is_a_line(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path, "http://127.0.0.1:9/hook", FakeClock(FIXED_NOW).now)
    outbox.put(arrival_notice_for(arrival(), "en"))  # type: ignore[arg-type]
    stop = threading.Event()
    outbox.stop = stop
    outbox.run(sleep=lambda event, seconds: stop.set() or True)
    assert "the webhook could not be reached" in outbox.state()["last_error"]
    assert len(outbox.waiting()) == 1
