"""Schedules in, as booking systems export them; matching arrivals; the day
against its bookings."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.schedule.day import expected, punctuality
from kiosk.schedule.matching import Slot, Window, match, open_slots, second_matches
from kiosk.schedule.model import (
    Appointment,
    ScheduleError,
    appointment_from_json,
    birth_day_month,
)
from kiosk.schedule.sources import read_source
from tests.support.schedule import (
    CSV_COLUMNS,
    Booking,
    calendar,
    csv_source,
    ics_source,
    spreadsheet_csv,
)

NEW_YORK = ZoneInfo("America/New_York")


def _read(tmp_path: Path, data: bytes, first: date, last: date, **options) -> list[Appointment]:
    path = tmp_path / "clinic.ics"
    path.write_bytes(data)
    return read_source(ics_source(path, **options), first, last)


def test_a_weekly_booking_with_an_exception_and_a_moved_one_across_a_dst_change(
        tmp_path: Path) -> None:
    """New York's clocks go back on 2026-11-01: a 14:30 booking stays 14:30
    there, so it moves an hour in UTC. One week is off (EXDATE), one moved."""
    weekly = Booking(datetime(2026, 10, 19, 14, 30, tzinfo=NEW_YORK), summary="Ann Brown",
                     uid="weekly@test", rrule={"freq": "weekly", "count": 6},
                     exdates=(datetime(2026, 11, 9, 14, 30, tzinfo=NEW_YORK),))
    moved = Booking(datetime(2026, 11, 3, 9, 0, tzinfo=NEW_YORK), summary="Ann Brown",
                    uid="weekly@test")
    data = calendar([weekly], moved=[(moved, datetime(2026, 11, 2, 14, 30, tzinfo=NEW_YORK))])
    found = _read(tmp_path, data, date(2026, 10, 1), date(2026, 12, 31))
    local = [a.starts_at.astimezone(NEW_YORK).strftime("%m-%d %H:%M") for a in found]
    assert local == ["10-19 14:30", "10-26 14:30", "11-03 09:00", "11-16 14:30", "11-23 14:30"]
    assert [a.starts_at.astimezone(UTC).hour for a in found] == [18, 18, 14, 19, 19], "DST"
    assert {a.first_name for a in found} == {"Ann"} and {a.last_name for a in found} == {"Brown"}
    assert len({a.id for a in found}) == 5, "each occurrence its own id"
    again = _read(tmp_path, data, date(2026, 10, 1), date(2026, 12, 31))
    assert [a.id for a in again] == [a.id for a in found], "ids stable across reads"


def test_cancelled_and_all_day_events_are_not_appointments(tmp_path: Path) -> None:
    start = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    data = calendar([Booking(start, summary="Bo Chen"),
                     Booking(start, summary="Cy Diaz", status="CANCELLED"),
                     Booking(start, summary="Holiday", all_day=date(2026, 11, 27))])
    found = _read(tmp_path, data, date(2026, 11, 27), date(2026, 11, 27))
    assert [a.first_name for a in found] == ["Bo"]


def test_a_zone_other_than_the_machines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine in Madrid, the feed in New York: the booking falls on the
    Madrid day it starts in."""
    monkeypatch.setenv("TZ", "Europe/Madrid")
    time.tzset()
    late = datetime(2026, 11, 27, 19, 30, tzinfo=NEW_YORK)  # 01:30 on the 28th in Madrid.
    data = calendar([Booking(late, summary="Ann Brown")])
    assert _read(tmp_path, data, date(2026, 11, 27), date(2026, 11, 27)) == []
    found = _read(tmp_path, data, date(2026, 11, 28), date(2026, 11, 28))
    assert found[0].starts_at == late.astimezone(UTC)


@pytest.mark.parametrize(("summary", "setting", "first", "last", "service"), [
    ("Ann Brown", "client", "Ann", "Brown", ""),
    ("Ann Brown - Sports massage", "client", "Ann", "Brown", "Sports massage"),
    ("Ann Brown (Deep tissue)", "client", "Ann", "Brown", "Deep tissue"),
    ("Appointment", "client", "", "", ""),
    ("A.B.", "client", "", "", ""),
    ("Ann Brown", "none", "", "", ""),
    ("Sports massage", "service", "", "", "Sports massage"),
])
def test_what_a_summary_holds(tmp_path: Path, summary: str, setting: str, first: str,
                              last: str, service: str) -> None:
    data = calendar([Booking(datetime(2026, 11, 27, 10, 0, tzinfo=UTC), summary=summary)])
    (found,) = _read(tmp_path, data, date(2026, 11, 27), date(2026, 11, 27), summary=setting)
    assert (found.first_name, found.last_name, found.service) == (first, last, service)
    assert found.practitioner == "Maya"


def test_a_csv_as_a_spreadsheet_exports_it(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(spreadsheet_csv([
        {"date": "2026-11-27", "start": "14:30", "end": "15:30", "first_name": "Ann",
         "last_name": "Brown", "practitioner": "Maya", "service": 'Deep "tissue"; 60',
         "phone": "+1 (555) 010-4321"},
        {"date": "2026-11-27", "start": "23:30", "end": "00:15", "first_name": "Bo",
         "last_name": "Chen", "practitioner": "Sam", "service": "", "phone": ""},
    ]))
    found = read_source(csv_source(path), date(2026, 11, 27), date(2026, 11, 27))
    assert [(a.first_name, a.service, a.phone_last4) for a in found] == [
        ("Ann", 'Deep "tissue"; 60', "4321"), ("Bo", "", "")]
    assert found[1].ends_at - found[1].starts_at == timedelta(minutes=45), "past midnight"


@pytest.mark.parametrize(("data", "line"), [
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY Ann Brown\r\n"
     b"END:VEVENT\r\nEND:VCALENDAR\r\n", "line 5 is not an iCalendar line"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Ann Brown\r\nEND:VEVENT\r\n"
     b"END:VCALENDAR\r\n", "event 1 (line 2) has no start"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:2026BAD\r\nSUMMARY:Ann Brown\r\n"
     b"END:VEVENT\r\nEND:VCALENDAR\r\n", "event 1 (line 2) has a DTSTART that is not"),
    (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n", "ends before its calendar does"),
    (b"Date,Start\r\n2026-11-27,14:30\r\n", "is not an iCalendar file"),
])
def test_a_broken_ics_gets_one_line_naming_the_place_and_no_name(
        tmp_path: Path, data: bytes, line: str) -> None:
    with pytest.raises(ScheduleError) as raised:
        _read(tmp_path, data, date(2026, 11, 27), date(2026, 11, 27))
    message = str(raised.value)
    assert str(tmp_path / "clinic.ics") in message and line in message
    assert "Ann" not in message and "Brown" not in message and "\n" not in message


def test_too_many_events_in_one_file_is_refused_in_a_line(tmp_path: Path) -> None:
    event = (b"BEGIN:VEVENT\r\nUID:u\r\nDTSTART:20261127T100000Z\r\n"
             b"SUMMARY:Appointment\r\nEND:VEVENT\r\n")
    data = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + event * 100_000 + b"END:VCALENDAR\r\n"
    with pytest.raises(ScheduleError, match="holds more than 50,000 events"):
        _read(tmp_path, data, date(2026, 11, 27), date(2026, 11, 27))


@pytest.mark.parametrize(("rows", "columns", "said"), [
    ([], {**CSV_COLUMNS, "start": "Begins"}, "has no column 'Begins'"),
    ([{"date": "2026-11-27", "start": "", "end": "15:30", "practitioner": "Maya"}],
     CSV_COLUMNS, "line 2: the start is not written as"),
    ([{"date": "27/11/2026", "start": "14:30", "end": "15:30", "practitioner": "Maya"}],
     CSV_COLUMNS, "line 2: the date is not written as"),
])
def test_a_broken_csv_gets_one_line(tmp_path: Path, rows, columns, said: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(spreadsheet_csv(rows, CSV_COLUMNS))
    with pytest.raises(ScheduleError, match=said):
        read_source(csv_source(path, columns), date(2026, 11, 27), date(2026, 11, 27))


def test_an_unreachable_feed_is_a_line_not_a_traceback() -> None:
    from kiosk.schedule.sources import source_from_setting

    source = source_from_setting({"url": "http://127.0.0.1:9/feed.ics?token=s3cret"}, "test",
                                 Path("/"))
    with pytest.raises(ScheduleError) as raised:
        read_source(source, date(2026, 11, 27), date(2026, 11, 27))
    assert "http://127.0.0.1:9/feed.ics: the feed could not be read" in str(raised.value)
    assert "s3cret" not in str(raised.value)


# -- Matching -----------------------------------------------------------------------

NOW = datetime(2026, 11, 27, 14, 20, tzinfo=UTC)


def booking(minute: int, first: str = "", last: str = "", practitioner: str = "Maya", *,
            phone: str = "", day_offset: int = 0) -> Appointment:
    start = datetime(2026, 11, 27, 14, 0, tzinfo=UTC) + timedelta(minutes=minute,
                                                                  days=day_offset)
    return Appointment(f"a{minute}{first}{practitioner}", start, start + timedelta(hours=1),
                       practitioner, "Massage", first, last, phone_last4=phone)


def test_the_window_runs_from_an_hour_before_to_half_an_hour_after() -> None:
    window = Window()
    early, late = booking(81), booking(-11)  # 15:21 and 13:49: 61 and 31 minutes away.
    inside = [booking(80), booking(-10)]  # Exactly 60 before, and 30 after.
    assert open_slots([early, late, *inside], "", NOW, window, set()) == [
        Slot.of(inside[1]), Slot.of(inside[0])]


def test_one_match_several_and_none() -> None:
    ann = booking(10, "Ann", "Brown")
    other_ann = booking(40, "Ann", "Bell", "Sam")
    bob = booking(20, "Bob", "Ng")
    slots = open_slots([ann, bob], "ann|b", NOW, Window(), set())
    assert match(slots).kind == "one" and match(slots).slots[0].id == ann.id
    slots = open_slots([ann, other_ann, bob], "ann|b", NOW, Window(), set())
    picked = match(slots)
    assert picked.kind == "pick" and [s.id for s in picked.slots] == [ann.id, other_ann.id]
    assert match(open_slots([bob], "ann|b", NOW, Window(), set())).kind == "none"
    assert match(open_slots([ann], "ann|b", NOW, Window(), {ann.id})).kind == "none", \
        "never matched twice"


def test_bookings_without_names_are_offered_by_time_and_practitioner() -> None:
    nameless = [booking(10), booking(25, practitioner="Sam")]
    found = match(open_slots(nameless, "ann|b", NOW, Window(), set()))
    assert found.kind == "pick" and all(not slot.named for slot in found.slots)
    assert not any(hasattr(slot, "first_name") for slot in found.slots), "no names at all"


def test_the_second_identifier_is_asked_only_when_names_collide() -> None:
    one = booking(10, "Ann", "Brown", phone="4321")
    two = booking(40, "Ann", "Bell", "Sam", phone="9876")
    assert match(open_slots([one], "ann|b", NOW, Window(), set())).kind == "one"
    slots = open_slots([one, two], "ann|b", NOW, Window(), set())
    asked = match(slots)
    assert asked.kind == "ask" and asked.second == "phone"

    def seconds(ids, kind, value):
        return second_matches([one, two], ids, kind, value)

    answered = match(slots, second=("phone", "9876"), seconds=seconds)
    assert answered.kind == "one" and answered.slots[0].id == two.id
    wrong = match(slots, second=("phone", "0000"), seconds=seconds)
    assert wrong.kind == "pick" and len(wrong.slots) == 2


def test_expected_late_and_no_show_with_the_clock() -> None:
    due, late, gone = booking(30), booking(5), booking(-15)  # 14:30, 14:05, 13:45 at 14:20.
    here = booking(-5, "Ann", "Brown")
    arrived = [{"created_at": "2026-11-27T14:03:00+00:00",
                "appointment": {"id": here.id, "starts_at": here.starts_at.isoformat()}}]
    states = {item.appointment.id: item.state
              for item in expected([due, late, gone, here], arrived, NOW)}
    assert states == {due.id: "due", late.id: "late", gone.id: "no-show"}
    glance = punctuality([due, late, gone, here], arrived, NOW)
    assert (glance.on_time, glance.late, glance.not_yet, glance.no_show) == (1, 0, 2, 1)


def test_a_kept_appointment_reads_back_and_a_bad_one_is_refused() -> None:
    kept = booking(0, "Ann", "Brown", phone="4321")
    assert appointment_from_json(kept.to_json()) == kept
    for broken in ({"id": ""}, {**kept.to_json(), "starts_at": "soon"},
                   {**kept.to_json(), "phone_last4": "12"}, ["not", "a", "table"]):
        with pytest.raises(ScheduleError):
            appointment_from_json(broken)
    assert birth_day_month("1980-03-07") == "03-07" and birth_day_month("07/03") == "03-07"
