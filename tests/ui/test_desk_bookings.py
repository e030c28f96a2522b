"""The desk with the day's bookings, in Pilot: each check-in's booking in
the queue, Expected and late marking on the fake clock, a match by hand and
its undo, the practitioner filter, the bell, and today at a glance."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, Label, OptionList, Static

from kiosk.access.audit import AuditLog
from kiosk.schedule.matching import Slot
from kiosk.schedule.model import Appointment
from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.clock import FIXED_NOW, fake_clock
from tests.support.records import checkin
from tests.support.schedule import ics_source
from tests.support.staff import names, open_staff, staff_app, table_rows
from tests.support.visit import tap, wait_for, wait_for_screen

TODAY = FIXED_NOW.date()


def booking(minutes: int, first: str, last: str, who: str = "Maya") -> Appointment:
    start = FIXED_NOW + timedelta(minutes=minutes)
    return Appointment(f"b{minutes}{first}", start, start + timedelta(hours=1), who,
                       "Sports massage", first, last, source="clinic.ics")


ANN = booking(-10, "Ann", "Brown")
BO = booking(5, "Bo", "Chen", "Sam")
CY = booking(20, "Cy", "Diaz")


@pytest.fixture
def desk(settings: Settings, tmp_path: Path) -> Settings:
    path = tmp_path / "clinic.ics"
    path.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    scheduled = replace(settings, schedule=(ics_source(path),), export_dir=tmp_path / "exports")
    store = CheckInStore(scheduled.data_dir)
    store.put_appointments("clinic.ics", TODAY, TODAY, [ANN, BO, CY])
    store.add(checkin("Ann", FIXED_NOW - timedelta(minutes=8),
                      appointment=Slot.of(ANN).to_record("kiosk")))
    store.add(checkin("Dee", FIXED_NOW - timedelta(minutes=4),
                      appointment={"id": "", "matched_by": "none"}))
    return scheduled


def expected_rows(app) -> list[list[str]]:
    table = app.screen.query_one("#expected-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def test_the_queue_shows_each_booking_and_expected_marks_late(desk: Settings) -> None:
    clock = fake_clock()
    app = staff_app(desk, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_staff(pilot)
        rows = {row[1]: row for row in table_rows(app)}
        assert rows["Ann K."][2] == "14:20 Maya · Sports massage"
        assert rows["Dee K."][2] == "No appointment found"
        await pilot.press("5")
        await wait_for_screen(pilot, "expected")
        await wait_for(pilot, lambda: len(expected_rows(app)) == 2, "two not arrived")
        assert [row[:3] + row[4:] for row in expected_rows(app)] == [
            ["14:35", "Bo C.", "Sam", "due"], ["14:50", "Cy D.", "Maya", "due"]]
        clock.advance(16 * 60)  # 14:46: Bo's 14:35 plus ten minutes has passed.
        app.screen.poll()
        await wait_for(pilot, lambda: expected_rows(app)[0][4] == "⚠ LATE", "late")
        assert expected_rows(app)[1][4] == "due"
        assert "2 expected, 1 late" in str(app.screen.query_one("#staff-count", Label).render())
        await pilot.press("escape")
        await wait_for_screen(pilot, "staff")


async def test_a_match_by_hand_its_undo_and_the_audit(desk: Settings) -> None:
    app = staff_app(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_staff(pilot)
        screen = app.screen
        dee = next(i for i, r in screen.records.items() if r["answers"]["name"]["first"] == "Dee")
        table = screen.query_one("#staff-table", DataTable)
        table.move_cursor(row=table.get_row_index(dee))
        await wait_for(pilot, lambda: screen.selected == dee, "Dee chosen")
        await tap(pilot, "#booking")
        await wait_for(pilot, lambda: bool(screen.query("#booking-panel"))
                       and screen.query_one("#booking-panel").display, "the booking panel")
        choices = screen.query_one("#booking-choices", OptionList)
        assert choices.option_count == 2, "only the bookings nobody arrived for"
        choices.highlighted = [o.id for o in choices.options].index(CY.id)
        await pilot.press("enter")
        store = CheckInStore(desk.data_dir)
        await wait_for(pilot, lambda: store.get(dee)["appointment"].get("id") == CY.id,
                       "matched")
        assert store.get(dee)["appointment"]["matched_by"] == "desk"
        await wait_for(pilot, lambda: "14:50 Maya" in {r[1]: r for r in table_rows(app)}
                       .get("Dee K.", ["", "", ""])[2], "the row")
        await pilot.press("u")
        await wait_for(pilot, lambda: store.get(dee)["appointment"].get("id") == "", "undone")
    actions = [entry["action"] for entry in AuditLog(desk.data_dir).entries()]
    assert actions[-2:] == ["appointment-matched", "appointment-undone"]


async def test_the_queue_filtered_by_practitioner(desk: Settings) -> None:
    CheckInStore(desk.data_dir).add(checkin("Bo", FIXED_NOW - timedelta(minutes=2),
                                            appointment=Slot.of(BO).to_record("kiosk")))
    app = staff_app(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_staff(pilot)
        assert sorted(names(app)) == ["Ann K.", "Bo K.", "Dee K."]
        await pilot.press("p")
        await wait_for(pilot, lambda: names(app) == ["Ann K."], "Maya's")
        assert "with Maya" in str(app.screen.query_one("#staff-count", Label).render())
        await pilot.press("p")
        await wait_for(pilot, lambda: names(app) == ["Bo K."], "Sam's")
        await pilot.press("p")
        await wait_for(pilot, lambda: len(names(app)) == 3, "everyone's")


async def test_the_bell_at_an_arrival_with_a_booking(desk: Settings) -> None:
    app = staff_app(replace(desk, notify_bell=True))
    rang: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.bell = lambda: rang.append("bell")  # type: ignore[method-assign]
        await open_staff(pilot)
        assert rang == [], "not for those already here"
        CheckInStore(desk.data_dir).add(checkin("Bo", FIXED_NOW,
                                                appointment=Slot.of(BO).to_record("kiosk")))
        app.screen.poll()
        await wait_for(pilot, lambda: rang == ["bell"], "the bell")
        said = [notification.message for notification in app._notifications]
        assert any("Bo K. has arrived for 2:35" in text.replace("\u202f", " ")
                   for text in said), said


async def test_today_at_a_glance_against_the_bookings(desk: Settings) -> None:
    app = staff_app(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_staff(pilot)
        await pilot.press("g")
        await wait_for_screen(pilot, "glance")

        def words() -> str:
            rendered = app.screen.query_one("#glance-words", Static).render()
            return rendered.plain if isinstance(rendered, Text) else str(rendered)

        await wait_for(pilot, lambda: "Against the bookings" in words(), "the figures")
        assert ("Against the bookings: 1 arrived on time, 0 late, 2 not here yet, "
                "0 did not show.") in words()
