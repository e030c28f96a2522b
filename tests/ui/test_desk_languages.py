"""The front desk in the clinic's own language: every desk screen, drawn at
80x24 and 120x40 in Spanish and Chinese, shows no English program word, cuts
no word and runs past no edge; so does the staff menu on the kiosk."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from textual.widgets import DataTable

from kiosk.access.pin import StaffPin
from kiosk.content.model import load_content
from kiosk.schedule.matching import Slot
from kiosk.schedule.model import Appointment
from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from screens.app import make_app
from screens.staff_app import StaffApp
from tests.support.clock import FIXED_NOW, fake_clock
from tests.support.languages import check_screen
from tests.support.schedule import ics_source
from tests.support.series import visit
from tests.support.staff import PIN, enter_pin, open_staff
from tests.support.visit import tap, wait_for, wait_for_screen

LANGUAGES = ("es", "zh")
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
TODAY = FIXED_NOW.date()


def _booking(minutes: int, first: str, last: str, who: str) -> Appointment:
    start = FIXED_NOW + timedelta(minutes=minutes)
    return Appointment(f"b{minutes}{first}", start, start + timedelta(hours=1), who,
                       "Sports massage", first, last, source="clinic.ics")


def _clinic(settings: Settings, tmp_path: Path, language: str) -> tuple[Settings, str]:
    """A clinic in `language` with a schedule, and a day: Ann B.'s series of
    three (pain 8, 6, 3), arrivals with a health flag, one matched to its
    booking, two bookings nobody has arrived for, and a PIN (audited).
    Returns the settings and the id of Ann B.'s third session."""
    ics = tmp_path / "clinic.ics"
    ics.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    clinic = replace(settings, language=language, schedule=(ics_source(ics),),
                     export_dir=tmp_path / "exports")
    content = load_content(clinic.content_folder)
    store = CheckInStore(clinic.data_dir)
    ann, bo, cy = (_booking(-10, "Ann", "Brown", "Maya"), _booking(5, "Bo", "Chen", "Sam"),
                   _booking(20, "Cy", "Diaz", "Maya"))
    store.put_appointments("clinic.ics", TODAY, TODAY, [ann, bo, cy])
    ids = [store.add(visit("Ann", "B", days, pain, follow_up=days < 14, content=content))
           for days, pain in ((14, 8), (7, 6), (0.01, 3))]
    for checkin_id in ids[1:]:
        store.link(checkin_id, to=ids[0])
    flagged = visit("Dee", "E", 0.02, 7, follow_up=False, content=content)
    flagged["answers"]["health"] = ["pregnancy"]
    from kiosk.checkin.rules import flags

    _, rules = content.visit("first")
    flagged["flags"] = [flag.__dict__ for flag in flags(rules, flagged["answers"])]
    store.add(flagged)
    matched = visit("Ann", "B", 0.005, 3, content=content)
    matched["appointment"] = Slot.of(ann).to_record("kiosk")
    store.add(matched)
    seen = store.add(visit("Cy", "D", 0.1, 2, follow_up=False, content=content))
    store.set_status(seen, "with_therapist")
    StaffPin(clinic.data_dir).set(PIN)
    return clinic, ids[-1]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_desk_screen_holds_in_the_clinics_language(
        settings: Settings, tmp_path: Path, language: str, size: str) -> None:
    clinic, third = _clinic(settings, tmp_path, language)
    app = StaffApp(clinic, load_content(clinic.content_folder), fake_clock())
    check = partial(check_screen, app, language, every_widget=True, touch=False,
                    data=[clinic.clinic_name, "Sports massage", str(clinic.export_dir)])

    async def back() -> None:
        await pilot.press("escape")
        await wait_for_screen(pilot, "staff")

    async with app.run_test(size=SIZES[size]) as pilot:
        await wait_for_screen(pilot, "pin-pad")
        check("PIN pad")
        await enter_pin(pilot, PIN)
        await open_staff(pilot)
        table = app.screen.query_one("#staff-table", DataTable)
        table.move_cursor(row=table.get_row_index(third))  # Ann B.'s third session.
        await wait_for(pilot, lambda: bool(app.screen.query_one("#series").display),
                       "the series")
        await pilot.pause()
        check("queue, a series")
        await pilot.press("k")
        await wait_for(pilot, lambda: bool(app.screen.query("#link-panel")) and bool(
            app.screen.query_one("#link-panel").display), "the link panel")
        check("link panel")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.screen.query_one("#link-panel").display,
                       "the queue")
        await tap(pilot, "#booking")
        await wait_for(pilot, lambda: bool(app.screen.query("#booking-panel")) and bool(
            app.screen.query_one("#booking-panel").display), "the booking panel")
        check("booking panel")
        await pilot.press("escape")
        for key in ("e", "x"):  # Export's formats; erase a check-in.
            await pilot.press(key)
            await wait_for(pilot, lambda: bool(app.screen.query("#choice-title")), key)
            check(f"dialog of {key}")
            await pilot.press("escape")
            await wait_for_screen(pilot, "staff")
        await tap(pilot, "#erase-series")
        await wait_for(pilot, lambda: bool(app.screen.query("#choice-title")), "erase series")
        check("erase a series")
        await back()
        for key, screen_id in (("5", "expected"), ("g", "glance"), ("l", "audit")):
            await pilot.press(key)
            await wait_for_screen(pilot, screen_id)
            if screen_id == "expected":
                await wait_for(pilot, lambda: app.screen.query_one(DataTable).row_count > 0,
                               "the bookings")
            await pilot.pause()
            check(screen_id)
            await back()
        await pilot.press("2")  # Flagged.
        await wait_for(pilot, lambda: len(app.screen.records) == 1, "the flagged one")
        await pilot.pause()
        check("flagged, a health flag")
        await pilot.press("slash")
        await pilot.press(*"ann")
        await wait_for(pilot, lambda: app.screen.view.search == "ann" and bool(
            app.screen.records), "the search")
        await pilot.pause()
        check("a search")
        await app.recover()
        await wait_for(pilot, lambda: bool(app.screen.query("#crash-text")), "the calm word")
        await pilot.pause()
        check("something went wrong")


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
async def test_the_staff_menu_on_the_kiosk_is_in_the_clinics_language(
        settings: Settings, language: str) -> None:
    clinic = replace(settings, language=language)
    CheckInStore(clinic.data_dir).add(
        visit("Ann", "B", 0.01, 4, follow_up=False, content=load_content(clinic.content_folder)))
    StaffPin(clinic.data_dir).set(PIN)
    app = make_app(clinic, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, "welcome")
        for _ in range(5):
            await pilot.click("#welcome-clinic")
        await wait_for_screen(pilot, "pin-pad")
        await enter_pin(pilot, PIN)
        await wait_for_screen(pilot, "staff-menu")
        check_screen(app, language, "the staff menu", data=[clinic.clinic_name])
        await tap(pilot, "#menu-review")
        await open_staff(pilot)
        await pilot.pause()
        check_screen(app, language, "the queue on the kiosk", every_widget=True, touch=False,
                     data=[clinic.clinic_name])
