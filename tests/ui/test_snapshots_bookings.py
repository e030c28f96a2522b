"""How the booking step and the desk's bookings look (pytest-textual-snapshot):
the kiosk's three kinds of booking page, in each language, the queue with
its Appointment column, and Expected."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.schedule.matching import Slot
from kiosk.schedule.model import Appointment
from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from screens.app import make_app
from tests.support.clock import FIXED_NOW, fake_clock
from tests.support.records import checkin
from tests.support.schedule import ics_source
from tests.support.visit import answer_by_taps, tap, wait_for

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
TODAY = FIXED_NOW.date()


def booking(minutes: int, first: str, last: str, who: str = "Maya", phone: str = "") -> Appointment:
    start = FIXED_NOW + timedelta(minutes=minutes)
    return Appointment(f"b{minutes}{first}", start, start + timedelta(hours=1), who,
                       "Sports massage", first, last, phone_last4=phone, source="clinic.ics")


BOOKINGS = {
    "one": [booking(0, "Ann", "Brown")],
    "pick": [booking(0, "Ann", "Brown"), booking(20, "Ann", "Bell", "Sam")],
    "ask": [booking(0, "Ann", "Brown", phone="4321"), booking(20, "Ann", "Bell", "Sam", "9876")],
}


@pytest.fixture
def scheduled(settings: Settings, tmp_path: Path) -> Settings:
    path = tmp_path / "clinic.ics"
    path.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    return replace(settings, schedule=(ics_source(path),), touch_keyboard=False,
                   languages=("en", "es", "zh"))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["en", "es", "zh"])
@pytest.mark.parametrize("kind", BOOKINGS)
def test_the_booking_page(snap_compare, scheduled: Settings, kind: str, language: str,
                          size: str) -> None:
    CheckInStore(scheduled.data_dir).put_appointments("clinic.ics", TODAY, TODAY,
                                                      BOOKINGS[kind])
    app = make_app(scheduled, clock=fake_clock())

    async def run_before(pilot) -> None:
        if language != "en":
            await tap(pilot, f"#language-{language}")
            await wait_for(pilot, lambda: app.language == language, "the language")
        await tap(pilot, "#start")
        await tap(pilot, "#skip")
        await wait_for(pilot, lambda: bool(app.screen.query("#question-name")), "the name")
        await answer_by_taps(pilot, "name", {"first": "Ann", "last_initial": "B"})
        await wait_for(pilot, lambda: bool(app.screen.query("#appointment")), "the booking")
        await pilot.pause()
        await wait_for(pilot, lambda: not app.screen.query(".-active"), "pressed look")

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


def _desk(scheduled: Settings):
    from kiosk.content.model import load_content
    from screens.staff_app import StaffApp

    store = CheckInStore(scheduled.data_dir)
    ann, bo, cy = booking(-10, "Ann", "Brown"), booking(5, "Bo", "Chen", "Sam"), booking(
        20, "Cy", "Diaz")
    store.put_appointments("clinic.ics", TODAY, TODAY, [ann, bo, cy])
    store.add(checkin("Ann", FIXED_NOW - timedelta(minutes=8),
                      id="00000000-0000-4000-8000-0000000000a1",
                      appointment=Slot.of(ann).to_record("kiosk")))
    store.add(checkin("Dee", FIXED_NOW - timedelta(minutes=4),
                      id="00000000-0000-4000-8000-0000000000a2",
                      appointment={"id": "", "matched_by": "none"}))
    clock = fake_clock()
    return StaffApp(scheduled, load_content(), clock, signed_in=True), clock


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", ["queue", "expected", "late"])
def test_the_desk_with_bookings(snap_compare, scheduled: Settings, view: str,
                                size: str) -> None:
    app, clock = _desk(scheduled)

    async def run_before(pilot) -> None:
        await wait_for(pilot, lambda: app.screen.id == "staff", "the desk")
        await wait_for(pilot, lambda: bool(app.screen.records), "the queue")
        if view != "queue":
            await pilot.press("5")
            await wait_for(pilot, lambda: app.screen.id == "expected", "Expected")
            if view == "late":
                clock.advance(16 * 60)
                app.screen.poll()
            await wait_for(pilot, lambda: app.screen.rows, "its rows")
            if view == "late":
                await wait_for(pilot, lambda: app.screen.rows[0].state == "late", "late")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
