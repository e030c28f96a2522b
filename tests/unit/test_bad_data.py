"""Nothing read from disk is trusted: a record of the wrong shape, a pending
file of the wrong shape, a day file TinyDB can't write to, and numbers too
big for a calendar. Each is one of the faults issue 13 found, reproduced."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.access.audit import AuditLog
from kiosk.desk.upkeep import doctor, prepare_store
from kiosk.files import StoreError
from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.clock import FIXED_NOW, fixed_clock
from tests.support.records import checkin
from tests.support.staff import open_staff, staff_app

# What a hand edit or a bad tool leaves: each breaks one field.
BREAKS = {
    "recommendation as text": lambda r: r.update(recommendation="medical"),
    "no created_at": lambda r: r.pop("created_at"),
    "created_at not ISO": lambda r: r.update(created_at="27/11/2026 14:30"),
    "no id": lambda r: r.pop("id"),
    "answers as a list": lambda r: r.update(answers=["Ann"]),
    "flags as a number": lambda r: r.update(flags=3),
    "unknown status": lambda r: r.update(status="gone"),
}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, check=False)


def plant(store: CheckInStore, *records: dict) -> None:
    """Write records into today's day file behind the store's back."""
    path = store.partition_path(FIXED_NOW.date())
    data = json.loads(path.read_text()) if path.exists() else {"checkins": {}}
    table = data["checkins"]
    for record in records:
        table[str(len(table) + 1)] = record
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def broken(name: str) -> dict:
    record = checkin(f"Bad{len(name)}", FIXED_NOW - timedelta(minutes=1))
    BREAKS[name](record)
    return record


@pytest.mark.parametrize("name", list(BREAKS))
def test_add_refuses_a_record_of_the_wrong_shape_naming_the_field(
    name: str, data_dir: Path
) -> None:
    store = CheckInStore(data_dir, clock=fixed_clock)
    record = broken(name)
    if name in ("no created_at", "no id"):
        return  # The store fills these in: not a fault at the door.
    record["answers"] = record["answers"] if isinstance(record["answers"], list) else {
        **record["answers"], "name": {"first": "Secretname", "last_initial": "Q"}}
    with pytest.raises(StoreError) as caught:
        store.add(record)
    assert "field" in str(caught.value) and "Secretname" not in str(caught.value)
    assert "medical" not in str(caught.value) or name != "recommendation as text"
    assert store.all() == []


async def test_bad_records_on_disk_are_skipped_reported_and_still_erasable(
    settings: Settings, tmp_path: Path
) -> None:
    store = CheckInStore(settings.data_dir, clock=fixed_clock)
    good = store.add(checkin("Good"))
    bad = [broken(name) for name in BREAKS]
    plant(store, *bad)
    # The desk still opens, shows the good one, and says what it passed over.
    app = staff_app(replace(settings, export_dir=tmp_path / "exports"))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_staff(pilot)
        assert list(app.screen.records) == [good]
        warning = str(app.screen.query_one("#staff-problems").render())
        assert f"{len(BREAKS)} damaged check-ins not shown" in warning
    # Export: the good one, and the count on stderr.
    data = str(settings.data_dir)
    done = run_cli("export", "--format", "csv", "--data-dir", data)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert done.stdout.count("\n") == 2  # The header and one check-in.
    assert f"skipped {len(BREAKS)} damaged check-ins" in done.stderr
    # Doctor names each, by file and record key, and exits 1.
    done = run_cli("doctor", "--data-dir", data)
    assert done.returncode == 1
    for key in range(2, 2 + len(BREAKS)):
        assert f"2026-11-27.json record {key}:" in done.stdout
    assert "Bad" not in done.stdout, "no answer in the report"
    # Erase works on a record with a bad date: erasure is never blocked.
    bad_date = next(r for r in bad if r.get("created_at") == "27/11/2026 14:30")
    done = run_cli("erase", bad_date["id"], "--yes", "--data-dir", data)
    assert done.returncode == 0, done.stderr
    assert bad_date["id"] not in store.partition_path(FIXED_NOW.date()).read_text()


def test_purge_and_retention_take_records_with_bad_dates_by_their_day_file(
    data_dir: Path, settings: Settings
) -> None:
    store = CheckInStore(data_dir, clock=fixed_clock)
    old_day = FIXED_NOW - timedelta(days=40)
    store.add(checkin("Old", old_day))
    path = store.partition_path(old_day.date())
    data = json.loads(path.read_text())
    data["checkins"]["2"] = {**checkin("Undated"), "created_at": "sometime"}
    data["checkins"]["3"] = {k: v for k, v in checkin("Nodate").items() if k != "created_at"}
    path.write_text(json.dumps(data))
    store.add(checkin("Today"))
    plant(store, {**checkin("TodayBad"), "created_at": "soon"})
    said = prepare_store(store, AuditLog(data_dir), replace(settings, retention_days=30))
    assert said == ["removed 3 check-ins older than 30 days"]
    assert not path.exists()
    today = store.partition_path(FIXED_NOW.date()).read_text()
    assert "TodayBad" in today, "a bad date in a young file is kept, not guessed old"


@pytest.mark.parametrize("content", ['{"a": 1}', "[1, 2]", '[{"id": "x"}]', '"text"', "null"])
def test_a_pending_file_of_the_wrong_shape_is_kept_aside_and_the_good_saved(
    data_dir: Path, content: str
) -> None:
    data_dir.mkdir(parents=True)
    kept = checkin("Kept")
    pending = data_dir / "pending.json"
    if content.startswith("["):
        content = json.dumps([*json.loads(content), kept])
    pending.write_text(content)
    store = CheckInStore(data_dir, clock=fixed_clock)
    store.recover()
    if content.startswith("["):
        assert store.get(kept["id"]) == kept, "the good check-in in it is saved"
    assert not pending.exists()
    [aside] = data_dir.glob("pending.json.corrupt-*")
    assert aside.read_text() == content, "its bytes are kept as they were"
    assert doctor(store, AuditLog(data_dir)).inspection.damaged == [str(aside)]


def test_a_day_file_whose_keys_are_not_tinydb_ids_is_moved_aside(data_dir: Path) -> None:
    store = CheckInStore(data_dir, clock=fixed_clock)
    path = store.partition_path(FIXED_NOW.date())
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"checkins": {"first": checkin("Keyed")}}))
    saved = store.add(checkin("Next"))  # Every save failed here before.
    assert [r["id"] for r in store.all()] == [saved]
    report = doctor(store, AuditLog(data_dir))
    assert not report.ok and len(report.inspection.damaged) == 1


@pytest.mark.parametrize(("args", "code", "says"), [
    (["purge", "--older-than", "99999999999"], 2, "more than 36500 days"),
    (["purge", "--older-than", "-3"], 2, "--older-than"),
    (["serve", "--port", "99999999999999999999"], 2, "not a port"),
    (["export", "--since", "9999-12-31"], 0, ""),
    (["export", "--until", "9999-12-31"], 0, ""),
    (["export", "--since", "0001-01-01"], 0, ""),
])
def test_huge_numbers_in_flags_give_one_line(args: list[str], code: int, says: str,
                                              data_dir: Path) -> None:
    data_dir.mkdir()
    done = run_cli(*args, "--data-dir", str(data_dir))
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    if says:
        assert says in done.stderr and done.stderr.count("\n") == 1, done.stderr


def test_an_export_from_a_folder_that_is_not_there_says_so_and_makes_nothing(
        tmp_path: Path) -> None:
    """Before: a mistyped --data-dir made the folder, wrote the export into
    its new audit log, and printed an empty export with status 0."""
    typo = tmp_path / "dta"
    done = run_cli("export", "--data-dir", str(typo))
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr == (f"kiosk export: nothing is saved in {typo}: there is no such "
                           "folder (check --data-dir or $KIOSK_DATA_DIR)\n")
    assert not typo.exists()


@pytest.mark.parametrize(("how", "stdin", "env"), [
    ("stdin at /dev/null", subprocess.DEVNULL, {}),
    ("stdin closed", None, {}),
    ("a pipe", subprocess.PIPE, {}),
])
def test_without_a_terminal_kiosk_run_says_so_and_exits_2(
    how: str, stdin: object, env: dict, data_dir: Path
) -> None:
    """Before: /dev/null spun at 100% CPU, and a closed stdin crashed."""
    import os

    code = ("import os, sys\n"
            "os.close(0)\n" if stdin is None else "import sys\n") + (
        "from kiosk.cli import main\nsys.exit(main(['run', '--data-dir', sys.argv[1]]))\n")
    done = subprocess.run(
        [sys.executable, "-c", code, str(data_dir)],
        stdin=subprocess.DEVNULL if stdin is None else stdin, capture_output=True, text=True,
        timeout=20, check=False,
        env={k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"})
    assert done.returncode == 2, (how, done.stderr)
    assert done.stderr.startswith("kiosk: standard input is not a terminal"), done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_a_terminal_type_textual_cannot_drive_is_refused(data_dir: Path) -> None:
    from tests.support.pty_run import run_in_pty

    code, screen = run_in_pty(["run", "--data-dir", str(data_dir)], {"TERM": "dumb"})
    assert code == 2 and "terminal type" in screen and "Traceback" not in screen


@pytest.mark.parametrize(("setting", "says"), [
    ('clinic_name = "Spa\\u001b]0;pwned\\u0007"', "'clinic_name' holds a control character"),
    ('clinic_name = "Spa\\u202eevil"', "'clinic_name' holds a control character"),
    ('aftercare_url = "https://clinic.example/after care"', "must not hold spaces"),
    ('aftercare_url = "https://clinic.example/\\naftercare"', "control character"),
    (f'aftercare_url = "https://clinic.example/{"a" * 3000}"', "too long for a QR code"),
    ('aftercare_url = "javascript:alert(1)"', "must start with https://"),
])
def test_settings_are_checked_like_answers(setting: str, says: str, tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(setting + "\n")
    for command in ("config", "check-content", "run"):
        done = run_cli("--config", str(config), command)
        assert done.returncode == 2, (command, done.stderr)
        assert says in done.stderr and done.stderr.count("\n") == 1, done.stderr
        assert "\x1b" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("file", "old", "new", "says"), [
    ("questionnaire.toml", 'id = "pain"', 'id = "../../x"', "'id' must be lower-case"),
    ("questionnaire.toml", '{ id = "neck", label = "Neck" }',
     '{ id = "neck", label = "Ne\\u001b[2Jck" }', "'label' holds a control character"),
    ("rules.toml", "[types.spa]", '[types."../../x"]', "type id '../../x' must be"),
    ("walkthrough.toml", 'title = "How your', 'title = "\\u009b31mHow your', "control character"),
])
def test_content_ids_and_text_are_checked(file: str, old: str, new: str, says: str,
                                          tmp_path: Path) -> None:
    import shutil

    from kiosk.content.model import default_content_dir

    content = tmp_path / "content"
    shutil.copytree(default_content_dir(), content)
    path = content / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    done = run_cli("check-content", str(content))
    assert done.returncode == 2 and says in done.stderr, done.stderr
    assert str(path) in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", [name for name in BREAKS if name != "no id"])
def test_a_bad_record_is_erasable_once_the_series_index_exists(name: str, data_dir: Path) -> None:
    """Erasing takes a check-in out of the name and series index too: a
    record whose answers are not a table must not stop that."""
    store = CheckInStore(data_dir, clock=fixed_clock)
    store.add(checkin("Good"))
    record = broken(name)
    plant(store, record)
    assert store.repair_index()  # Built now, as at every start.
    assert store.delete(record["id"])
    assert record["id"] not in store.partition_path(FIXED_NOW.date()).read_text()
    assert not store.repair_index(), "the index agrees with what is left"


def test_a_damaged_day_file_met_while_the_index_is_built_never_hangs_the_start(
        data_dir: Path) -> None:
    """A folder from before the index (or with it lost), one day file torn:
    building the index at start met the torn file, and setting it aside
    took the store's lock again from inside the lock, so `kiosk run` hung
    for ever on its first screen. It is set aside and the start goes on."""
    store = CheckInStore(data_dir, clock=fixed_clock)
    kept = store.add(checkin("Good"))
    store.add(checkin("Torn", FIXED_NOW - timedelta(days=3)))
    torn = store.partition_path((FIXED_NOW - timedelta(days=3)).date())
    torn.write_bytes(torn.read_bytes()[:40])
    shutil.rmtree(data_dir / "index", ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from kiosk.store.dayfiles.store import CheckInStore; "
         "print(CheckInStore(sys.argv[1]).recover())", str(data_dir)],
        capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-1000:]
    assert [r["id"] for r in store.all()] == [kept] and store.damaged_count() == 1
