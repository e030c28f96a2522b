"""Each arrival matched to its booking at the kiosk, in Pilot: one match,
two picked by time, none; no other client's name on any page."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Label

from kiosk.schedule.model import Appointment
from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from screens.app import make_app
from tests.support.clock import FIXED_NOW, fake_clock
from tests.support.schedule import ics_source
from tests.support.visit import SPA_VISIT, answer_all, tap, wait_for

TODAY = FIXED_NOW.date()


def booking(minutes: int, first: str = "", last: str = "", who: str = "Maya", *,
            phone: str = "") -> Appointment:
    start = FIXED_NOW + timedelta(minutes=minutes)
    return Appointment(f"b{minutes}{first}{who}", start, start + timedelta(hours=1), who,
                       "Sports massage", first, last, phone_last4=phone, source="clinic.ics")


@pytest.fixture
def scheduled(settings: Settings, tmp_path: Path) -> Settings:
    """A kiosk whose clinic set a schedule (the bookings are put in directly)."""
    path = tmp_path / "clinic.ics"
    path.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    return replace(settings, schedule=(ics_source(path),), touch_keyboard=False)


def put(settings: Settings, *bookings: Appointment) -> None:
    CheckInStore(settings.data_dir).put_appointments("clinic.ics", TODAY, TODAY, list(bookings))


def page_text(app) -> str:
    """Every label and answer on the page, and the page as drawn."""
    from screens.widgets.choice import Choice
    from tests.support.staff import screen_lines

    said = [str(label.render()) for label in app.screen.query(Label)]
    said += [choice.label for choice in app.screen.query(Choice)]
    # Times are written as Babel writes them: "2:30 PM" with a narrow space.
    return "\n".join([*said, *screen_lines(app)]).replace("\u202f", " ")


async def visit(settings: Settings, on_booking, name=("Ann", "B")) -> dict:
    app = make_app(settings, clock=fake_clock())
    seen: list[str] = []

    async def booking_step(pilot) -> None:
        if on_booking is not None:
            await wait_for(pilot, lambda: bool(app.screen.query("#appointment")), "the booking")
            seen.append(page_text(app))
            await on_booking(pilot)

    answers = {**SPA_VISIT, "name": {"first": name[0], "last_initial": name[1]}}
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, answers, booking=booking_step)
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: app.screen.id == "result", "the result")
    (record,) = CheckInStore(settings.data_dir).all()
    record["_seen"] = seen
    return record


async def test_one_match_is_linked_and_says_the_time_and_practitioner(scheduled) -> None:
    put(scheduled, booking(0, "Ann", "Brown"), booking(15, "Zed", "Quinn", "Sam"))

    async def confirm(pilot) -> None:
        await tap(pilot, "#next")

    record = await visit(scheduled, confirm)
    assert "Your 2:30 PM appointment with Maya" in record["_seen"][0]
    assert "Zed" not in record["_seen"][0] and "Quinn" not in record["_seen"][0]
    assert record["appointment"]["id"] == booking(0, "Ann", "Brown").id
    assert record["appointment"]["matched_by"] == "kiosk"


async def test_two_matches_are_picked_by_time_and_practitioner_only(scheduled) -> None:
    put(scheduled, booking(0, "Ann", "Brown"), booking(20, "Ann", "Bell", "Sam"))

    async def pick_the_second(pilot) -> None:
        await tap(pilot, "#choice-appointment-1")
        await tap(pilot, "#next")

    record = await visit(scheduled, pick_the_second)
    shown = record["_seen"][0]
    assert "2:30 PM with Maya" in shown and "2:50 PM with Sam" in shown
    assert "Brown" not in shown and "Bell" not in shown, "never a name, even the client's own"
    assert record["appointment"]["id"] == booking(20, "Ann", "Bell", "Sam").id


async def test_the_second_identifier_settles_it(scheduled) -> None:
    put(scheduled, booking(0, "Ann", "Brown", phone="4321"),
        booking(20, "Ann", "Bell", "Sam", phone="9876"))

    async def give_the_phone(pilot) -> None:
        await tap(pilot, "#second-id")
        await pilot.press(*"9876")
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: bool(pilot.app.screen.query("#appointment-found")),
                       "the one found")
        await tap(pilot, "#next")

    record = await visit(scheduled, give_the_phone)
    assert record["appointment"]["id"] == booking(20, "Ann", "Bell", "Sam").id


async def test_no_match_goes_on_and_is_marked_for_the_desk(scheduled) -> None:
    put(scheduled, booking(0, "Zed", "Quinn"))
    record = await visit(scheduled, None)
    assert record["appointment"] == {"id": "", "matched_by": "none"}


async def test_none_of_these_and_a_feed_without_names(scheduled) -> None:
    put(scheduled, booking(0), booking(10, who="Sam"))

    async def none_of_these(pilot) -> None:
        await tap(pilot, "#choice-appointment-none")
        await tap(pilot, "#next")

    record = await visit(scheduled, none_of_these)
    assert "2:30 PM with Maya" in record["_seen"][0] and "2:40 PM with Sam" in record["_seen"][0]
    assert record["appointment"] == {"id": "", "matched_by": "none"}


async def test_without_a_schedule_there_is_no_step_and_no_field(settings: Settings) -> None:
    record = await visit(replace(settings, touch_keyboard=False), None)
    assert "appointment" not in record


async def test_the_step_speaks_the_visits_language(scheduled) -> None:
    from tests.support.visit import answer_by_taps

    put(scheduled, booking(0, "Ann", "Brown"))
    app = make_app(replace(scheduled, languages=("en", "es", "zh")), clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "#language-es")
        await wait_for(pilot, lambda: app.language == "es", "Spanish")
        await tap(pilot, "#start")
        await tap(pilot, "#skip")
        await wait_for(pilot, lambda: bool(app.screen.query("#question-name")), "the name")
        await answer_by_taps(pilot, "name", {"first": "Ann", "last_initial": "B"})
        await wait_for(pilot, lambda: bool(app.screen.query("#appointment")), "the booking")
        seen = page_text(app)
    assert "Su cita de las 14:30 con Maya" in seen
    assert "Your" not in seen and "Maya\n" not in seen.replace("con Maya", "")


OTHERS = [booking(5, "Xerxes", "Quill"), booking(15, "Yolanda", "Vex", "Sam"),
          booking(25, "Zebulon", "Wick")]
"""Other clients booked in the same window, with names that can't appear by chance."""


@pytest.mark.parametrize("language", ["en", "es", "zh"])
async def test_no_other_clients_name_on_any_client_screen(scheduled, language: str) -> None:
    from tests.support.staff import screen_lines
    from tests.support.visit import answer_by_taps

    put(scheduled, booking(0, "Ann", "Brown"), booking(10, "Ann", "Bell", "Sam"), *OTHERS)
    app = make_app(replace(scheduled, languages=("en", "es", "zh")), clock=fake_clock())
    drawn: list[str] = []

    def look() -> None:
        drawn.append("\n".join(screen_lines(app)))

    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, f"#language-{language}")
        await wait_for(pilot, lambda: app.language == language, "the language")
        look()
        await tap(pilot, "#start")
        await tap(pilot, "#skip")
        for question_id, answer in {**SPA_VISIT,
                                    "name": {"first": "Ann", "last_initial": "B"}}.items():
            await wait_for(pilot, lambda q=question_id: bool(app.screen.query(f"#question-{q}")),
                           question_id)
            look()
            await answer_by_taps(pilot, question_id, answer)
            if question_id == "name":
                await wait_for(pilot, lambda: bool(app.screen.query("#appointment")), "booking")
                look()
                await tap(pilot, "#choice-appointment-0")
                await tap(pilot, "#next")
        await wait_for(pilot, lambda: bool(app.screen.query("#review")), "review")
        look()
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: app.screen.id == "result", "the result")
        look()
    seen = "\n".join(drawn)
    for other in [*OTHERS, booking(0, "Ann", "Brown"), booking(10, "Ann", "Bell")]:
        for name in (other.first_name, other.last_name):
            if name != "Ann":
                assert name not in seen, f"{name} on a client screen in {language}"
    assert len(drawn) == len(SPA_VISIT) + 4


async def test_a_follow_up_is_matched_too(scheduled) -> None:
    from tests.support.visit import FOLLOWUP_VISIT

    put(scheduled, booking(0, "Ann", "Brown"))
    app = make_app(scheduled, clock=fake_clock())

    async def confirm(pilot) -> None:
        await wait_for(pilot, lambda: bool(app.screen.query("#appointment")), "the booking")
        await tap(pilot, "#next")

    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, FOLLOWUP_VISIT, follow_up=True, booking=confirm)
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: app.screen.id == "result", "the result")
    (record,) = CheckInStore(scheduled.data_dir).all()
    assert record["visit"] == "follow-up"
    assert record["appointment"]["id"] == booking(0, "Ann", "Brown").id


def test_exports_carry_the_booking_and_how_late() -> None:
    import csv
    import io

    from kiosk.desk.rows import export_text
    from kiosk.schedule.matching import Slot
    from tests.support.records import CONTENT, checkin

    late = booking(-25, "Ann", "Brown")
    records = [checkin("Ann", appointment=Slot.of(late).to_record("kiosk")),
               checkin("Bo", appointment={"id": "", "matched_by": "none"}), checkin("Cy")]
    rows = list(csv.DictReader(io.StringIO(export_text(records, CONTENT.questions, "csv"))))
    assert [(r["appointment"], r["practitioner"], r["arrival"], r["minutes_late"])
            for r in rows] == [(late.id, "Maya", "late", "25"), ("", "", "none found", ""),
                               ("", "", "", "")]
