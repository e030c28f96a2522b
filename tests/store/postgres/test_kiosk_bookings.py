"""Two kiosks and one import on PostgreSQL: the desk imports the day's
bookings once for its site; each kiosk's role matches through its two
functions and reads nothing else."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from kiosk.clock import FakeClock
from kiosk.delivery import Delivery
from kiosk.schedule.matching import Slot, Window, match
from kiosk.schedule.model import Appointment
from kiosk.store.dayfiles.store import CheckInStore
from kiosk.store.postgres.appointments import KioskBookings
from kiosk.store.postgres.store import PostgresStore
from tests.support.clock import FIXED_NOW
from tests.support.postgres import Server, readme_roles
from tests.support.records import checkin


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FIXED_NOW)


def booking(minutes: int, first: str, last: str, who: str = "Maya",
            phone: str = "") -> Appointment:
    start = FIXED_NOW + timedelta(minutes=minutes)
    return Appointment(f"b{minutes}{first}", start, start + timedelta(hours=1), who, "Massage",
                       first, last, phone_last4=phone, source="feed")


def test_two_kiosks_one_import_and_a_role_that_reads_no_names(
        tmp_path: Path, server: Server, pg_url: str, clock: FakeClock) -> None:
    readme_roles(pg_url)
    name = pg_url.rsplit("/", 1)[1]
    device = server.url(name, user="kiosk_device", password="device-pw")
    staff = server.url(name, user="kiosk_staff", password="staff-pw")
    desk = PostgresStore(staff, clock=clock.now, site="Northside", only_site="Northside")
    ann = booking(0, "Ann", "Brown", phone="4321")
    other = booking(20, "Ann", "Bell", "Sam", phone="9876")
    desk.put_appointments("feed", FIXED_NOW.date(), FIXED_NOW.date(),
                          [ann, other, booking(5, "Zed", "Quinn")])
    first, second = (KioskBookings(device, "Northside") for _ in range(2))
    slots = first.open_slots("ann|b", FIXED_NOW, Window())
    assert [slot.id for slot in slots] == [ann.id, other.id], "only this name's"
    assert match(slots).kind == "ask"
    assert first.second_matches([ann.id, other.id], "phone", "4321") == {ann.id}
    assert KioskBookings(device, "Southside").open_slots("ann|b", FIXED_NOW, Window()) == []

    # Kiosk one checks Ann in against her booking and delivers it.
    delivery = Delivery(CheckInStore(tmp_path / "one", clock.now), device, site="Northside",
                        keep_days=7, clock=clock.now)
    delivery.store.add(checkin("Ann", appointment=Slot.of(ann).to_record("kiosk")))
    assert delivery.deliver() == 1
    assert [slot.id for slot in second.open_slots("ann|b", FIXED_NOW, Window())] == [
        other.id], "the other kiosk can't match it again"

    for statement in ("SELECT * FROM appointments", "SELECT * FROM schedule_sources",
                      "DELETE FROM appointments", "UPDATE appointments SET day = day"):
        with psycopg.connect(device) as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute(statement)
    with psycopg.connect(device) as db:
        # A span of more than a day: nothing, whatever the name.
        assert db.execute("SELECT * FROM kiosk_open_appointments('Northside', %s, %s, '')",
                          (FIXED_NOW - timedelta(days=30), FIXED_NOW + timedelta(days=30))
                          ).fetchall() == []
    assert [b.first_name for b in desk.appointments(FIXED_NOW.date())] == ["Ann", "Zed", "Ann"]
    desk.close()


def test_delivery_takes_the_consent_texts_with_the_check_ins(
        tmp_path: Path, server: Server, pg_url: str, clock: FakeClock) -> None:
    """The desk reads the exact words where the check-ins are (and the
    questions they answered); the kiosk's role may add a text, never read one."""
    from kiosk.checkin.consents import agreements
    from kiosk.desk.fhir import kept_questions
    from kiosk.store.contract import ConsentText
    from tests.support.records import CONTENT

    readme_roles(pg_url)
    name = pg_url.rsplit("/", 1)[1]
    device = server.url(name, user="kiosk_device", password="device-pw")
    staff = server.url(name, user="kiosk_staff", password="staff-pw")
    local = CheckInStore(tmp_path / "kiosk", clock.now)
    for document in CONTENT.question("consent").documents:
        local.keep_consent_text(ConsentText(document.version, document.id, "en", document.title,
                                            document.text))
    questions = kept_questions(CONTENT.questions, "first", "en")
    local.keep_consent_text(questions)
    made = local.add(checkin("Ann", consents=agreements(CONTENT.questions, {"consent": True},
                                                        "en", FIXED_NOW),
                             questionnaire=questions.version))
    delivery = Delivery(local, device, site="Northside", keep_days=7, clock=clock.now)
    assert delivery.deliver() == 1
    desk = PostgresStore(staff, clock=clock.now, site="Northside", only_site="Northside")
    version = desk.get(made)["consents"][0]["version"]
    kept = desk.consent_text(version)
    assert kept is not None and kept.text.startswith("# Treatment consent")
    assert desk.consent_text(questions.version) == questions
    with psycopg.connect(device) as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("SELECT * FROM consent_texts")
    desk.close()
