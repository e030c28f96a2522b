"""The day's appointments, the same contract on both stores: kept per
source and day, matched once, linked by hand, and gone with retention."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from kiosk.clock import FakeClock
from kiosk.schedule.matching import Slot, Window, match
from kiosk.schedule.model import Appointment
from tests.support.clock import FIXED_NOW
from tests.support.records import checkin

TODAY = FIXED_NOW.date()


def booking(minutes: int, first: str = "", last: str = "", who: str = "Maya", *,
            source: str = "feed-a", phone: str = "", days: int = 0) -> Appointment:
    start = FIXED_NOW + timedelta(minutes=minutes, days=days)
    return Appointment(f"{source}-{minutes}-{days}-{first}", start, start + timedelta(hours=1),
                       who, "Sports massage", first, last, phone_last4=phone, source=source)


def test_kept_per_source_and_day_and_imported_again_unchanged(store: Any) -> None:
    mine = [booking(0, "Ann", "Brown"), booking(60, "Bo", "Chen", "Sam")]
    theirs = [booking(30, "Cy", "Diaz", source="feed-b")]
    assert store.put_appointments("feed-a", TODAY, TODAY, mine) == 2
    store.put_appointments("feed-b", TODAY, TODAY, theirs)
    assert store.appointments(TODAY) == sorted([*mine, *theirs], key=lambda a: a.starts_at)
    version = store.version()
    store.put_appointments("feed-a", TODAY, TODAY, mine)
    assert store.appointments(TODAY) == sorted([*mine, *theirs], key=lambda a: a.starts_at)
    # A booking cancelled in the source is gone from it; the other source's stay.
    store.put_appointments("feed-a", TODAY, TODAY, mine[:1])
    assert [a.first_name for a in store.appointments(TODAY)] == ["Ann", "Cy"]
    assert store.version() is not None and version is not None


def test_a_day_is_the_local_day_and_a_range_reads_several(store: Any) -> None:
    days = [booking(0, "Ann", "B", days=-1), booking(0, "Bo", "C"), booking(0, "Cy", "D", days=1)]
    store.put_appointments("feed-a", TODAY - timedelta(days=1), TODAY + timedelta(days=1), days)
    assert [a.first_name for a in store.appointments(TODAY)] == ["Bo"]
    assert [a.first_name for a in store.appointments(TODAY - timedelta(days=1),
                                                     TODAY + timedelta(days=1))] == [
        "Ann", "Bo", "Cy"]


def test_an_appointment_is_matched_once(store: Any, clock: FakeClock) -> None:
    ann = booking(10, "Ann", "Brown")
    other = booking(40, "Ann", "Bell", "Sam", phone="9876")
    nameless = booking(20)
    store.put_appointments("feed-a", TODAY, TODAY, [ann, other, nameless])
    slots = store.open_slots("ann|b", FIXED_NOW, Window())
    assert {slot.id for slot in slots} == {ann.id, other.id, nameless.id}
    assert all(isinstance(slot, Slot) for slot in slots)
    assert match(slots).kind == "ask"
    assert store.second_matches([ann.id, other.id], "phone", "9876") == {other.id}
    store.add(checkin("Ann", appointment=Slot.of(ann).to_record("kiosk")))
    left = store.open_slots("ann|b", FIXED_NOW, Window())
    assert ann.id not in {slot.id for slot in left}, "never matched twice"
    assert store.open_slots("zed|q", FIXED_NOW, Window()) == [Slot.of(nameless)], \
        "another name: only the bookings without names"


def test_a_match_by_hand_and_its_undo(store: Any) -> None:
    ann = booking(10, "Ann", "Brown")
    store.put_appointments("feed-a", TODAY, TODAY, [ann])
    checkin_id = store.add(checkin("Ann", appointment={"id": "", "matched_by": "none"}))
    assert store.set_appointment(checkin_id, Slot.of(ann).to_record("desk"))
    assert store.get(checkin_id)["appointment"]["id"] == ann.id
    assert store.open_slots("ann|k", FIXED_NOW, Window()) == []
    assert store.set_appointment(checkin_id, None)
    assert store.get(checkin_id)["appointment"] == {"id": "", "matched_by": "none"}
    assert not store.set_appointment("00000000-0000-4000-8000-000000000000", None)


def test_each_sources_state(store: Any, clock: FakeClock) -> None:
    store.note_schedule_read("feed-a", None)
    clock.advance(900)
    store.note_schedule_read("feed-a", "the feed answered 503")
    (state,) = store.schedule_states()
    assert state.source == "feed-a" and state.failing and state.error == "the feed answered 503"
    assert state.last_good is not None
    store.note_schedule_read("feed-a", None)
    assert not store.schedule_states()[0].failing


def test_retention_takes_old_bookings_too(store: Any) -> None:
    store.put_appointments("feed-a", TODAY - timedelta(days=40), TODAY,
                           [booking(0, "Old", "O", days=-40), booking(0, "Ann", "B")])
    store.purge(30)
    assert [a.first_name for a in store.appointments(
        TODAY - timedelta(days=41), TODAY)] == ["Ann"]


def test_a_check_in_keeps_its_booking_through_a_status_change(store: Any) -> None:
    ann = booking(10, "Ann", "Brown")
    checkin_id = store.add(checkin("Ann", appointment=Slot.of(ann).to_record("kiosk")))
    store.set_status(checkin_id, "with_therapist")
    kept = store.get(checkin_id)["appointment"]
    assert kept["practitioner"] == "Maya" and kept["matched_by"] == "kiosk"
    assert datetime.fromisoformat(kept["starts_at"]) == ann.starts_at
    assert date.fromisoformat(kept["starts_at"][:10]) == TODAY
