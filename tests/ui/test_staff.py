"""The front desk: the staff app, its PIN, exports, erasing, and the kiosk's
hidden way in. Client text is data everywhere it shows."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Button, DataTable, Input, Label

from kiosk.access.audit import AuditLog
from kiosk.access.pin import StaffPin
from kiosk.cli import main
from kiosk.clock import SYSTEM_CLOCK
from kiosk.desk.rows import printable, spreadsheet_safe
from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from screens.app import make_app
from tests.support.clock import FIXED_NOW, fake_clock
from tests.support.records import checkin
from tests.support.staff import (  # noqa: F401
    CAR_ACCIDENT,
    CONTENT,
    HOSTILE,
    PIN,
    PREGNANT,
    detail,
    enter_pin,
    names,
    open_staff,
    pin_message,
    screen_lines,
    seed,
    staff_app,
    table_rows,
    tap_clinic_name,
)
from tests.support.visit import tap, wait_for, wait_for_screen

# Answers that the real rules flag: for the health screen, and for the desk.

# What a client, or a tampered file, might put where a name goes.


@pytest.fixture
def staff_settings(settings: Settings, tmp_path: Path) -> Settings:
    return replace(settings, export_dir=tmp_path / "exports")
















async def test_todays_queue_flags_in_words_and_the_detail_flagged_first(
    staff_settings: Settings,
) -> None:
    seed(CheckInStore(staff_settings.data_dir))
    app = staff_app(staff_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_staff(pilot)
        rows = table_rows(app)
        assert [row[:2] for row in rows] == [
            ["13:40", "Ann K."], ["14:00", "Zoë K."], ["14:20", "Bo K."], ["14:25", "Cy K."]]
        assert [row[3] for row in rows] == ["", "⚠ Health", "⚠ Health ! Desk", ""]
        assert [row[4] for row in rows] == ["Waiting", "Waiting", "Waiting", "Done"]
        assert rows[0][2] == "Spa"
        await pilot.press("down", "down")
        await wait_for(pilot, lambda: detail(app).startswith("Bo K."), "Bo's detail")
        lines = detail(app).splitlines()
        # Flagged answers come first, each under what staff must know.
        assert lines[2:6] == [
            "! Desk: Accident: an insurance claim usually needs a referral and a claim number.",
            "Injury or accident: Yes, a car accident",
            "⚠ Health: Pregnancy: adapt technique and positioning; tell the therapist.",
            "Health: Pregnancy"]
        assert "Name: Bo K." in lines[6:]
        assert len(lines) == 2 + 11 + 2


async def test_status_by_key_and_by_tap_is_saved_and_audited(staff_settings: Settings) -> None:
    store = CheckInStore(staff_settings.data_dir)
    ids = seed(store)
    app = staff_app(staff_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_staff(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: store.get(ids["ann"])["status"] == "with_therapist", "t")
        await wait_for(pilot, lambda: table_rows(app)[0][4] == "With therapist", "shown")
        await pilot.press("down")
        await tap(pilot, "#status-no_show")
        await wait_for(pilot, lambda: store.get(ids["zoe"])["status"] == "no_show", "tap")
        await tap(pilot, "#status-done")
        await wait_for(pilot, lambda: store.get(ids["zoe"])["status"] == "done", "done")
        await pilot.press("w")
        await wait_for(pilot, lambda: store.get(ids["zoe"])["status"] == "waiting", "w")
    log = [(e["action"], e.get("id")) for e in AuditLog(staff_settings.data_dir).entries()]
    assert log[-4:] == [("status-with_therapist", ids["ann"]), ("status-no_show", ids["zoe"]),
                        ("status-done", ids["zoe"]), ("status-waiting", ids["zoe"])]


async def test_filters_and_a_name_search_across_all_history(staff_settings: Settings) -> None:
    seed(CheckInStore(staff_settings.data_dir))
    app = staff_app(staff_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_staff(pilot)
        await tap(pilot, "#filter-flagged")
        await wait_for(pilot, lambda: names(app) == ["Zoë K.", "Bo K."], "flagged")
        assert str(app.screen.query_one("#filter-flagged", Button).label) == "● Flagged"
        await tap(pilot, "#filter-waiting")
        await wait_for(pilot, lambda: names(app) == ["Ann K.", "Zoë K.", "Bo K."], "waiting")
        await pilot.press("4")
        await wait_for(pilot, lambda: len(names(app)) == 5, "all history")
        assert names(app)[-1] == "Annabel K." and table_rows(app)[-1][0] == "2026-10-18"
        await pilot.press("1")
        await wait_for(pilot, lambda: len(names(app)) == 4, "today")
        await pilot.press("slash")
        await pilot.press("a", "n", "N")
        await wait_for(pilot, lambda: names(app) == ["Ann K.", "Annabel K."], "search")
        assert "“anN”" in str(app.screen.query_one("#staff-count", Label).render())
        await pilot.press("enter")
        assert app.focused is app.screen.query_one("#staff-table")
        await tap(pilot, "#filter-today")
        await wait_for(pilot, lambda: len(names(app)) == 4, "back to today")
        assert app.screen.query_one("#staff-search", Input).value == ""


async def test_live_a_save_in_another_process_and_a_change_elsewhere_show_up(
    staff_settings: Settings,
) -> None:
    app = staff_app(staff_settings, clock=SYSTEM_CLOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, "staff")
        await wait_for(pilot, lambda: "0 today" in str(
            app.screen.query_one("#staff-count", Label).render()), "an empty queue")
        # A kiosk process saves a check-in now.
        code = (
            "import sys\nfrom tests.support.records import checkin\n"
            "from kiosk.store.dayfiles.store import CheckInStore\n"
            "from datetime import datetime, UTC\n"
            "print(CheckInStore(sys.argv[1]).add(checkin('Live', datetime.now(UTC))))\n"
        )
        saved = subprocess.run([sys.executable, "-c", code, str(staff_settings.data_dir)],
                               capture_output=True, text=True, check=True, cwd=Path.cwd())
        live_id = saved.stdout.strip()
        await wait_for(pilot, lambda: names(app) == ["Live K."], "the new check-in")
        # Another staff terminal changes its status.
        CheckInStore(staff_settings.data_dir).set_status(live_id, "with_therapist")
        await wait_for(pilot, lambda: table_rows(app)[0][4] == "With therapist", "the change")


async def test_the_live_check_reads_nothing_while_nothing_changes(
    staff_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(CheckInStore(staff_settings.data_dir))
    loads = []
    original = CheckInStore.search

    def counted(self, *args, **kwargs):
        loads.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(CheckInStore, "search", counted)
    app = staff_app(staff_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_staff(pilot)
        before = len(loads)
        for _ in range(5):  # Five polls' worth of idling, polled by hand.
            app.screen.poll()
            await pilot.pause()
        assert len(loads) == before
        seed_more = CheckInStore(staff_settings.data_dir)
        seed_more.add(checkin("Dee", FIXED_NOW))
        app.screen.poll()  # ...and a change is seen at the next poll.
        await wait_for(pilot, lambda: len(loads) == before + 1, "one reload")


async def test_export_from_the_app(staff_settings: Settings) -> None:
    seed(CheckInStore(staff_settings.data_dir))
    # A folder name that would be markup: the notice must show it as it is.
    staff_settings = replace(staff_settings,
                             export_dir=staff_settings.export_dir.parent / "[b]exports")
    app = staff_app(staff_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_staff(pilot)
        await pilot.press("e")
        await wait_for_screen(pilot, "choice")
        await tap(pilot, "#choice-csv")
        await wait_for(pilot, lambda: any(staff_settings.export_dir.glob("*.csv")), "the file")
        await wait_for(pilot, lambda: [note for note in app._notifications
                                        if "[b]exports" in note.message], "the notice")
        [note] = [note for note in app._notifications if "[b]exports" in note.message]
        assert note.markup is False, "a folder named [b]... is text, not markup"
    [path] = staff_settings.export_dir.glob("*.csv")
    assert path.name == "checkins-20261127-143000.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row[2] for row in rows[1:]] == ["Ann K.", "Zoë K.", "Bo K.", "Cy K."]
    assert AuditLog(staff_settings.data_dir).entries()[-1] == {
        "at": "2026-11-27T14:30:00+00:00", "action": "export", "count": 4}


async def test_erase_asks_first(staff_settings: Settings) -> None:
    store = CheckInStore(staff_settings.data_dir)
    ids = seed(store)
    app = staff_app(staff_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_staff(pilot)
        await tap(pilot, "#erase")
        await wait_for_screen(pilot, "choice")
        assert "Ann K., arrived 13:40" in str(app.screen.query_one("#choice-text").render())
        await tap(pilot, "#choice-keep")
        await wait_for_screen(pilot, "staff")
        assert store.get(ids["ann"]) is not None
        await pilot.press("x")
        await wait_for_screen(pilot, "choice")
        await tap(pilot, "#choice-erase")
        await wait_for(pilot, lambda: store.get(ids["ann"]) is None, "erased")
        await wait_for(pilot, lambda: "Ann K." not in names(app), "gone from the table")
    entry = AuditLog(staff_settings.data_dir).entries()[-1]
    assert (entry["action"], entry["id"]) == ("erase", ids["ann"])
    assert "Ann" not in (staff_settings.data_dir / "audit.jsonl").read_text()


async def test_the_audit_log_is_viewable(staff_settings: Settings) -> None:
    store = CheckInStore(staff_settings.data_dir)
    ids = seed(store)
    app = staff_app(staff_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_staff(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: store.get(ids["ann"])["status"] == "done", "done")
        await pilot.press("l")
        await wait_for_screen(pilot, "audit")
        table = app.screen.query_one("#audit-table", DataTable)
        assert [str(c) for c in table.get_row_at(0)][1:3] == ["Status: done", ids["ann"]]
        await pilot.press("escape")
        await wait_for_screen(pilot, "staff")


# -- The PIN ---------------------------------------------------------------------






async def test_staff_sign_in_and_a_lockout_that_survives_a_restart(
    staff_settings: Settings,
) -> None:
    StaffPin(staff_settings.data_dir).set(PIN)
    clock = fake_clock()
    app = staff_app(staff_settings, signed_in=False, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, "pin-pad")
        for tries_left in (4, 3, 2, 1):
            await enter_pin(pilot, "1111")
            await wait_for(pilot, lambda t=tries_left: f"{t} tr" in pin_message(app), "tries")
        await pilot.press("9", "9", "9", "9", "enter")
        await wait_for(pilot, lambda: "Try again in 60 s" in pin_message(app), "the lock")
        assert app.screen.query_one("#pin-ok", Button).disabled
    # A restart doesn't lift it: the right PIN is refused while locked.
    clock.advance(30)
    assert StaffPin(staff_settings.data_dir, clock.now).check(PIN).locked_seconds == 30
    app = staff_app(staff_settings, signed_in=False, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Try again in 30 s" in pin_message(app), "still locked")
        clock.advance(31)
        await wait_for(pilot, lambda: not app.screen.query_one("#pin-ok").disabled, "open")
        await enter_pin(pilot, PIN)
        await wait_for_screen(pilot, "staff")
    actions = [entry["action"] for entry in AuditLog(staff_settings.data_dir).entries()]
    assert actions == ["pin-set", *["pin-failed"] * 5, "pin-locked", "pin-refused-locked",
                       "sign-in-staff"]
    assert PIN not in (staff_settings.data_dir / "audit.jsonl").read_text()


def test_the_pin_is_a_salted_scrypt_hash(staff_settings: Settings) -> None:
    StaffPin(staff_settings.data_dir).set(PIN)
    saved = json.loads((staff_settings.data_dir / "staff_pin.json").read_text())
    assert set(saved) == {"n", "r", "p", "salt", "hash"} and PIN not in json.dumps(saved)
    assert stat.S_IMODE((staff_settings.data_dir / "staff_pin.json").stat().st_mode) == 0o600
    StaffPin(staff_settings.data_dir).set(PIN)
    again = json.loads((staff_settings.data_dir / "staff_pin.json").read_text())
    assert again["salt"] != saved["salt"] and again["hash"] != saved["hash"]
    for bad in ("12", "12ab", "１２３４", "1234567890123"):
        with pytest.raises(ValueError):
            StaffPin(staff_settings.data_dir).set(bad)


def run_cli(args: list[str], data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk", *args, "--data-dir", str(data_dir)],
                          input=stdin, capture_output=True, text=True, check=False)


def test_set_pin_from_a_script_and_staff_without_a_pin(data_dir: Path) -> None:
    done = run_cli(["staff"], data_dir)
    assert done.returncode == 2 and "kiosk set-pin" in done.stderr
    assert "Traceback" not in done.stderr
    done = run_cli(["set-pin"], data_dir, stdin="12x4\n")
    assert done.returncode == 2 and "digits only" in done.stderr
    done = run_cli(["set-pin"], data_dir, stdin=f"{PIN}\n")
    assert done.returncode == 0, done.stderr
    assert StaffPin(data_dir).check(PIN).ok


# -- Exports and erasing from the command line -------------------------------------


NASTY_NAMES = ["Smith, Jo", 'Jo "JJ"', "Line\nbreak", "Zoë Ø", "=1+2", "+SUM(A1)", "-2", "@cmd",
               "\tTab"]


def test_export_round_trips_with_hostile_names(data_dir: Path) -> None:
    store = CheckInStore(data_dir)
    records = []
    for n, name in enumerate(NASTY_NAMES):
        record = checkin("X", FIXED_NOW - timedelta(days=n))
        record["answers"]["name"] = {"first": name, "last_initial": "Q"}
        store.add(record)
        records.append(store.get(record["id"]))
    records.reverse()  # Oldest first.

    as_json = run_cli(["export", "--format", "json"], data_dir)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == records

    done = subprocess.run([sys.executable, "-m", "kiosk", "export", "--data-dir", str(data_dir)],
                          capture_output=True, check=False)
    rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8"), newline="")))
    assert rows[0][:6] == ["id", "created_at", "client", "recommendation", "flags", "status"]
    assert len(set(rows[0])) == len(rows[0]), "every column name once"
    exported = {row[0]: row[2] for row in rows[1:]}
    for record in records:
        name = record["answers"]["name"]["first"] + " Q."
        assert exported[record["id"]] == spreadsheet_safe(name)
    assert exported[records[-5]["id"]] == "'=1+2 Q."
    assert all(not cell.startswith(("=", "+", "-", "@", "\t")) for row in rows for cell in row)

    out = data_dir.parent / "out.csv"
    done = run_cli(["export", "--since", "2026-11-20", "--until", "2026-11-26",
                    "--output", str(out)], data_dir)
    assert done.returncode == 0 and "Exported 7 check-ins" in done.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(list(csv.reader(io.StringIO(out.read_text("utf-8-sig"), newline="")))) == 8
    bad = run_cli(["export", "--since", "yesterday"], data_dir)
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_erase_from_the_command_line(data_dir: Path) -> None:
    store = CheckInStore(data_dir)
    kept, gone = store.add(checkin("Kept")), store.add(checkin("Gone"))
    done = run_cli(["erase", gone], data_dir)
    assert done.returncode == 2 and "--yes" in done.stderr and store.get(gone)
    done = run_cli(["erase", gone, "--yes"], data_dir)
    assert done.returncode == 0 and "Erased the check-in of Gone K." in done.stdout
    assert store.get(gone) is None and store.get(kept)
    assert AuditLog(data_dir).entries()[-1]["id"] == gone
    done = run_cli(["erase", gone, "--yes"], data_dir)
    assert done.returncode == 1 and "no check-in has the id" in done.stderr


# -- From the kiosk ------------------------------------------------------------------




async def test_five_taps_on_the_clinic_name_open_the_pin_pad(staff_settings: Settings) -> None:
    StaffPin(staff_settings.data_dir).set(PIN)
    seed(CheckInStore(staff_settings.data_dir))
    app = make_app(staff_settings, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await tap_clinic_name(pilot, 4)
        await pilot.pause()
        assert app.screen.id == "welcome"
        await tap_clinic_name(pilot, 1)
        await wait_for_screen(pilot, "pin-pad")
        # A wrong PIN goes straight back to Welcome.
        await enter_pin(pilot, "1357")
        await wait_for_screen(pilot, "welcome")
        await tap_clinic_name(pilot, 5)
        await wait_for_screen(pilot, "pin-pad")
        await enter_pin(pilot, PIN)
        await wait_for_screen(pilot, "staff-menu")
        await tap(pilot, "#menu-review")
        await open_staff(pilot)
        assert names(app) == ["Ann K.", "Zoë K.", "Bo K.", "Cy K."]
        await tap(pilot, "#close")
        await wait_for_screen(pilot, "welcome")
        assert len(app.screen_stack) == 1
        await tap_clinic_name(pilot, 5)
        await enter_pin(pilot, PIN)
        await tap(pilot, "#menu-exit")
        await wait_for(pilot, lambda: app.return_code is not None, "the kiosk to close")
    actions = [e["action"] for e in AuditLog(staff_settings.data_dir).entries()]
    assert actions[-4:] == ["pin-failed", "sign-in-kiosk", "sign-in-kiosk", "kiosk-exit"]


async def test_the_pin_pad_and_staff_screens_on_the_kiosk_close_when_left(
    staff_settings: Settings,
) -> None:
    StaffPin(staff_settings.data_dir).set(PIN)
    app = make_app(staff_settings, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await tap_clinic_name(pilot, 5)
        await wait_for_screen(pilot, "pin-pad")
        app.clock.advance(app.PIN_IDLE_SECONDS)
        app.screen.tick()
        await pilot.pause()
        assert app.screen.id == "pin-pad", "gave up before its time"
        app.clock.advance(1)
        await wait_for_screen(pilot, "welcome")  # No tap for half a minute.
        await tap_clinic_name(pilot, 5)
        await enter_pin(pilot, PIN)
        await tap(pilot, "#menu-review")
        await wait_for_screen(pilot, "staff")
        app.clock.advance(app.STAFF_IDLE_SECONDS)
        await app.reset_if_idle()
        await pilot.pause()
        assert app.screen.id == "staff", "closed before its time"
        app.clock.advance(1)
        await wait_for_screen(pilot, "welcome")  # Left alone: back to Welcome.
        assert len(app.screen_stack) == 1


async def test_without_a_pin_the_gesture_says_how_to_set_one(staff_settings: Settings) -> None:
    app = make_app(staff_settings, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await tap_clinic_name(pilot, 5)
        await wait_for_screen(pilot, "choice")
        assert "kiosk set-pin" in str(app.screen.query_one("#choice-text").render())
        await tap(pilot, "#choice-ok")
        await wait_for_screen(pilot, "welcome")


# -- Client text is data ----------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_printable_shows_text_literally_and_safely(name: str) -> None:
    shown = printable(name)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in shown)
    assert "\u202e" not in shown
    if name.isprintable():
        assert shown == name
    assert len(printable(name, 20)) <= 20


async def test_hostile_client_text_in_the_table_detail_and_exports(
    staff_settings: Settings,
) -> None:
    store = CheckInStore(staff_settings.data_dir)
    ids = []
    for n, name in enumerate(HOSTILE):
        record = checkin("X", FIXED_NOW - timedelta(minutes=60 - n))
        record["answers"]["name"] = {"first": name, "last_initial": "Q"}
        ids.append(store.add(record))
    # Not even a known option: such an answer is never shown (it is skipped,
    # as damaged, by a desk that knows the questions), whatever it holds.
    odd = checkin("Odd", FIXED_NOW - timedelta(minutes=1))
    odd["answers"]["pressure"] = HOSTILE[0]
    store.add(odd)
    app = staff_app(staff_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff(pilot)
        shown = names(app)
        assert shown == [printable(f"{name} Q.", 20) for name in HOSTILE]
        assert shown[0] == "[bold]Bold[/bold] Q."
        assert shown[1] == "[@click=app.quit]x[…"
        assert "␛[2J" in shown[2]
        drawn = screen_lines(app)
        # Drawn literally, and no line pushed wider than the terminal.
        assert "[bold]Bold[/bold] Q." in "\n".join(drawn)
        assert "[@click=app.quit]x[…" in "\n".join(drawn)
        assert [cell_len(line) for line in drawn] == [80] * 24
        for n, name in enumerate(HOSTILE):
            await wait_for(pilot, lambda n=n: app.screen.selected == ids[n], f"row {n}")
            text = detail(app)
            assert text.startswith(printable(f"{name} Q.")), n
            await pilot.pause()
            assert [cell_len(line) for line in screen_lines(app)] == [80] * 24, n
            await pilot.press("down")
        # Nothing ran: the app is still here, on the same screen.
        assert app.is_running and app.screen.id == "staff"
        await pilot.press("e")
        await tap(pilot, "#choice-json")
        await wait_for(pilot, lambda: any(staff_settings.export_dir.glob("*.json")), "export")
    [path] = staff_settings.export_dir.glob("*.json")
    exported = json.loads(path.read_text("utf-8"))
    assert [r["answers"]["name"]["first"] for r in exported] == HOSTILE


def test_since_and_until_cover_whole_local_days(data_dir: Path) -> None:
    store = CheckInStore(data_dir)
    store.add(checkin("In", datetime(2026, 11, 20, 12, tzinfo=UTC)))
    store.add(checkin("Out", datetime(2026, 11, 22, 12, tzinfo=UTC)))
    found = store.search(since=date(2026, 11, 20), until=date(2026, 11, 21))
    assert [r["answers"]["name"]["first"] for r in found] == ["In"]


def test_the_staff_command_has_help() -> None:
    for command in ("staff", "set-pin", "export", "erase"):
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0
    assert os.environ.get("KIOSK_CONFIG") is None


# -- Staff actions: one function each, the same from the command line and the app --------


async def test_the_app_and_the_command_line_export_the_same_bytes(
    staff_settings: Settings,
) -> None:
    seed(CheckInStore(staff_settings.data_dir))
    for kind in ("csv", "json"):
        app = staff_app(staff_settings)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_staff(pilot)
            await pilot.press("e")
            await wait_for_screen(pilot, "choice")
            await tap(pilot, f"#choice-{kind}")
            await wait_for(pilot, lambda k=kind: any(staff_settings.export_dir.glob(f"*.{k}")),
                           "the file")
        [from_app] = staff_settings.export_dir.glob(f"*.{kind}")
        from_cli = staff_settings.export_dir / f"cli.{kind}"
        done = run_cli(["export", "--format", kind, "--since", "2026-11-27", "--until",
                        "2026-11-27", "--output", str(from_cli)], staff_settings.data_dir)
        assert done.returncode == 0, done.stderr
        assert from_app.read_bytes() == from_cli.read_bytes()
        modes = {stat.S_IMODE(path.stat().st_mode) for path in (from_app, from_cli)}
        assert modes == {0o600}


def test_an_export_never_replaces_a_file_unasked_nor_follows_a_link(
    data_dir: Path, tmp_path: Path
) -> None:
    seed(CheckInStore(data_dir))
    existing = tmp_path / "checkins.csv"
    existing.write_text("the clinic's own notes\n")
    existing.chmod(0o644)
    done = run_cli(["export", "--output", str(existing)], data_dir)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "--force" in done.stderr
    assert existing.read_text() == "the clinic's own notes\n", "nothing was written"
    done = run_cli(["export", "--output", str(existing), "--force"], data_dir)
    assert done.returncode == 0, done.stderr
    assert existing.read_bytes().startswith(b'\xef\xbb\xbf"id"')
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600, "replaced, not kept at 0644"
    # A symlink where the export goes: never followed, with or without --force.
    target = tmp_path / "elsewhere.txt"
    target.write_text("not yours\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert run_cli(["export", "--output", str(link)], data_dir).returncode == 2
    assert run_cli(["export", "--output", str(link), "--force"], data_dir).returncode == 0
    assert target.read_text() == "not yours\n" and not link.is_symlink()
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"


def test_every_csv_column_has_its_own_name() -> None:
    from kiosk.content.model import Question
    from kiosk.desk.rows import export_columns

    header = export_columns(CONTENT.questions)
    assert len(set(header)) == len(header), header
    assert header.count("name") == 1, "the name question's column, once"
    # A clinic's question may share its id with one of the record's own columns.
    clash = (*CONTENT.questions, Question("status", "single", "Status", "Status?"))
    header = export_columns(clash)
    assert len(set(header)) == len(header) and header[-1] == "answer:status"


async def test_when_the_chosen_checkin_is_erased_elsewhere_no_key_acts_on_another(
    staff_settings: Settings,
) -> None:
    """Before: another desk erased the selected row, the cursor slid to the
    next client, and the next key changed that client's status."""
    store = CheckInStore(staff_settings.data_dir)
    ids = seed(store)
    app = staff_app(staff_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_staff(pilot)
        await pilot.press("down", "down")
        await wait_for(pilot, lambda: detail(app).startswith("Bo K."), "Bo chosen")
        store.delete(ids["bo"])  # At another desk.
        app.screen.poll()
        await wait_for(pilot, lambda: "gone from this list" in detail(app), "the notice")
        await pilot.press("d", "n", "t")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert {r["id"]: r["status"] for r in store.all() if r["id"] != ids["old"]} == {
            ids["ann"]: "waiting", ids["zoe"]: "waiting", ids["cy"]: "done"}
        await pilot.press("enter")  # Choosing again makes the keys work again.
        await wait_for(pilot, lambda: "gone" not in detail(app), "a new choice")
        chosen = app.screen.selected
        await pilot.press("t")
        await wait_for(pilot, lambda: store.get(chosen)["status"] == "with_therapist",
                       "the status")


async def test_a_day_of_more_checkins_than_the_table_holds_shows_the_newest(
    staff_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: with 50,000 check-ins in one day the queue showed the oldest
    500, so a new arrival never appeared. (Here 30 and a limit of 20.)"""
    import kiosk.desk.queue

    monkeypatch.setattr(kiosk.desk.queue, "MOST_ROWS", 20)
    store = CheckInStore(staff_settings.data_dir)
    store.import_records([checkin(f"N{n:02d}", FIXED_NOW - timedelta(minutes=60 - n))
                          for n in range(30)])
    app = staff_app(staff_settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_staff(pilot)
        assert names(app)[0] == "N10 K." and names(app)[-1] == "N29 K."
        assert "newest 20 of 30" in str(app.screen.query_one("#staff-count", Label).render())
        store.add(checkin("Newest", FIXED_NOW))
        app.screen.poll()
        await wait_for(pilot, lambda: names(app)[-1] == "Newest K.", "the new arrival")
        assert "newest 20 of 31" in str(app.screen.query_one("#staff-count", Label).render())


def test_the_lockout_escalates_and_is_kept_per_place(staff_settings: Settings) -> None:
    """Before: anyone at the kiosk could lock the front desk out for 60 s
    with six seconds of tapping, again and again, and it never grew."""
    from kiosk.access.pin import lock_seconds

    clock = fake_clock()
    pin = StaffPin(staff_settings.data_dir, clock.now)
    pin.set(PIN)
    expected = [60, 5 * 60, 30 * 60, 60 * 60, 2 * 60 * 60]
    assert [lock_seconds(n) for n in range(1, 6)] == expected
    for seconds in expected:
        for _ in range(4):
            assert not pin.check("1111", where="kiosk").ok
        assert pin.check("1111", where="kiosk").locked_seconds == seconds
        assert pin.locked_seconds("kiosk") == seconds
        assert pin.locked_seconds("staff") == 0, "the desk is never locked by the kiosk"
        clock.advance(seconds)
    assert pin.check(PIN, where="staff").ok
    assert pin.check(PIN, where="kiosk").ok  # A right PIN ends the kiosk's run of lockouts.
    for _ in range(5):
        pin.check("1111", where="kiosk")
    assert pin.locked_seconds("kiosk") == 60


@pytest.mark.parametrize("content", [b"not json", b"[1]", b'{"staff": 3}',
                                     b'{"staff": {"locked_until": "soon"}}'])
def test_a_damaged_lock_file_fails_closed(staff_settings: Settings, content: bytes) -> None:
    """Before: a non-JSON pin_state.json silently lifted the lockout, and one
    of the wrong shape crashed the pad."""
    clock = fake_clock()
    pin = StaffPin(staff_settings.data_dir, clock.now)
    pin.set(PIN)
    (staff_settings.data_dir / "pin_state.json").write_bytes(content)
    assert pin.locked_seconds("staff") == 60
    assert not pin.check(PIN).ok, "locked, not reset"
    assert [p.read_bytes() for p in staff_settings.data_dir.glob("pin_state.json.corrupt-*")
            ] == [content]
    clock.advance(60)
    assert pin.check(PIN).ok


@pytest.mark.parametrize("content", [None, b"", b"{}", b'{"hash": "zz", "salt": "00"}'])
async def test_a_missing_or_damaged_pin_file_is_said_not_crashed_on(
    staff_settings: Settings, content: bytes | None
) -> None:
    StaffPin(staff_settings.data_dir).set(PIN)
    pin_file = staff_settings.data_dir / "staff_pin.json"
    app = staff_app(staff_settings, signed_in=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, "pin-pad")
        if content is None:
            pin_file.unlink()
        else:
            pin_file.write_bytes(content)
        await enter_pin(pilot, PIN)
        await wait_for(pilot, lambda: "kiosk set-pin" in pin_message(app), "the problem")
        assert app.screen.id == "pin-pad" and PIN not in pin_message(app)


async def test_a_pin_on_a_folder_that_cannot_be_written_is_refused_with_a_reason(
    staff_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: with the data folder full or read-only, any PIN on the kiosk
    crashed it, and Textual's crash screen showed the PIN as typed."""
    import errno

    import kiosk.access.pin

    StaffPin(staff_settings.data_dir).set(PIN)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(kiosk.access.pin, "data_lock", read_only)
    app = make_app(staff_settings, clock=fake_clock())
    app.contain_crashes = True
    async with app.run_test(size=(80, 24)) as pilot:
        await tap_clinic_name(pilot, 5)
        await enter_pin(pilot, PIN)
        await wait_for(pilot, lambda: "can't be checked" in pin_message(app), "the reason")
        assert app.screen.id == "pin-pad" and app.crash_log is None
        assert PIN not in "\n".join(screen_lines(app))


async def test_a_load_that_finishes_as_the_desk_closes_has_nowhere_to_go(
    staff_settings: Settings,
) -> None:
    """Seen on a fresh clone: the desk closed while a worker's load was on
    its way; its hand-back found no table, and the worker failed with
    NoMatches. A load that arrives after the table has gone is dropped."""
    from kiosk.desk.queue import Loaded

    seed(CheckInStore(staff_settings.data_dir))
    app = staff_app(staff_settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff(pilot)
        screen = app.screen
        await screen.query_one("#staff-table").remove()
        screen._show(screen.view, Loaded([], 0, ""))  # As the closing desk's worker did.
        await pilot.pause()
        assert app.is_running


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_key_hint_shows_whole(settings: Settings, size: tuple[int, int]) -> None:
    """At 80 columns the keys' line was cut after "e export": erase and the
    log were off the edge. It now takes the lines it needs, and never parts
    a key from what it does."""
    from screens.desk.queue import KEY_HINTS

    seed(CheckInStore(settings.data_dir))
    app = staff_app(settings)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: len(names(app)) == 4, "the queue")
        await pilot.pause()
        hints = " ".join(" ".join(line.split()) for line in screen_lines(app)[-2:])
        for hint in KEY_HINTS:
            assert hint in hints, (hint, screen_lines(app)[-2:])
        assert all(cell_len(line) <= size[0] for line in screen_lines(app))
