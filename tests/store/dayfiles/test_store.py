"""The check-in store: day files, crashes, rival processes, damage, failed writes."""

from __future__ import annotations

import errno
import json
import os
import random
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import kiosk.store.dayfiles.pending
import kiosk.store.dayfiles.saving
import kiosk.store.dayfiles.store
from kiosk.access.audit import AuditLog
from kiosk.cli import main
from kiosk.desk.upkeep import doctor, prepare_store
from kiosk.files import StoreError
from kiosk.settings import load_settings
from kiosk.store.dayfiles.layout import atomic_storage as _atomic_storage
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.clock import FIXED_NOW, fixed_clock
from tests.support.processes import WORKER, _complete_lines
from tests.support.records import CONTENT, checkin  # noqa: F401
from tests.support.store_worker import WORKERS, shared_id, status_for

REC = "'recommendation': {'type': 'spa', 'name': 'Spa massage', 'why': 'To relax.'}, 'flags': [], 'status': 'waiting'"
"""The rest of a minimal check-in, as Python source for a child process."""


@pytest.fixture
def store(data_dir: Path) -> CheckInStore:
    return CheckInStore(data_dir, clock=fixed_clock)


def day_files(store: CheckInStore) -> list[Path]:
    return sorted(store.partitions_dir.glob("*.json"))


def test_round_trip_in_day_files_private_at_rest(store: CheckInStore) -> None:
    assert store.all() == [] and store.today() == [] and store.get(str(uuid.uuid4())) is None
    assert not store.data_dir.exists(), "reading must not create the folder"
    records = [checkin("Zoë"), checkin("Bo"), checkin("Cy", FIXED_NOW - timedelta(days=40))]
    ids = [store.add(record) for record in records]
    assert [r["id"] for r in store.all()] == [ids[2], ids[0], ids[1]]
    assert store.get(ids[1]) == records[1]
    assert [path.name for path in day_files(store)] == ["2026-10-18.json", "2026-11-27.json"]
    assert "Zoë" in store.partition_path(FIXED_NOW.date()).read_text(encoding="utf-8")
    for folder in (store.data_dir, store.partitions_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in [*day_files(store), store.data_dir / ".lock"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_non_ascii_names_survive_a_c_locale(data_dir: Path) -> None:
    code = (
        "import sys\n"
        "from kiosk.store.dayfiles.store import CheckInStore\n"
        "store = CheckInStore(sys.argv[1])\n"
        "i = store.add({'answers': {'name': {'first': 'Zo\\u00eb', 'last_initial': 'K'}}, "
        f"{REC}}})\n"
        "print(ascii(store.get(i)['answers']['name']['first']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-X", "utf8=0", "-c", code, str(data_dir)],
        capture_output=True, text=True, check=False,
        env={**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "'Zo\\xeb'"


def test_a_save_reads_and_writes_only_its_own_day(store: CheckInStore) -> None:
    # A damaged file for an old day: any read of it would move it aside.
    old = store.add(checkin(when=FIXED_NOW - timedelta(days=100)))
    old_day = day_files(store)[0]
    old_day.write_bytes(b"{ damaged")
    store.add(checkin("Today"))
    assert [client["answers"]["name"]["first"] for client in store.today()] == ["Today"]
    assert old_day.read_bytes() == b"{ damaged", "add() or today() touched another day"
    assert old not in [r["id"] for r in store.all()]  # Reading all history finds it.
    assert not old_day.exists() and store.quarantined()[0].read_bytes() == b"{ damaged"


@pytest.fixture
def pacific(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_today_is_the_clinics_local_day(data_dir: Path, pacific: None) -> None:
    now = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)  # 21:00 on 27 Nov in California.
    store = CheckInStore(data_dir, clock=lambda: now)
    times = {
        "Before": datetime(2026, 11, 27, 7, 59, tzinfo=UTC),  # 23:59 on the 26th
        "Early": datetime(2026, 11, 27, 8, 0, tzinfo=UTC),  # midnight
        "Late": datetime(2026, 11, 28, 4, 59, tzinfo=UTC),  # 20:59, a UTC day later
    }
    for name, when in times.items():
        store.add(checkin(name, when))
    names = [record["answers"]["name"]["first"] for record in store.today()]
    assert names == ["Early", "Late"]
    on_26th = store.search(since=date(2026, 11, 26), until=date(2026, 11, 26))
    assert [r["answers"]["name"]["first"] for r in on_26th] == ["Before"]


def test_purge_and_retention_report_how_many(data_dir: Path, store: CheckInStore,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # 30.2 and 29.9 days ago share a day file, either side of the cutoff.
    for days in (400, 31, 30.2, 29.9, 29, 0):
        store.add(checkin(f"D{days}", FIXED_NOW - timedelta(days=days)))
    assert store.purge(30) == 3
    assert [r["answers"]["name"]["first"] for r in store.all()] == ["D29.9", "D29", "D0"]
    assert len(day_files(store)) == 3, "whole days older than the cutoff are deleted"
    settings = load_settings(data_dir=data_dir, environ={})
    settings = type(settings)(**{**settings.__dict__, "retention_days": 1})
    assert prepare_store(store, AuditLog(data_dir), settings) == [
        "removed 2 check-ins older than 1 day"]
    assert [e["action"] for e in AuditLog(data_dir).entries()] == ["retention"]
    assert AuditLog(data_dir).entries()[0]["count"] == 2
    # `kiosk purge` runs on the real clock.
    cli_dir = data_dir.parent / "cli"
    real = CheckInStore(cli_dir)
    now = datetime.now(UTC)
    real.add(checkin("Recent", now - timedelta(hours=1)))
    real.add(checkin("Older", now - timedelta(days=2)))
    assert main(["purge", "--older-than", "1", "--data-dir", str(cli_dir)]) == 0
    assert capsys.readouterr().out == "Removed 1 check-in older than 1 day.\n"
    assert main(["purge", "--older-than", "3", "--data-dir", str(cli_dir)]) == 0
    assert capsys.readouterr().out == "Removed 0 check-ins older than 3 days.\n"
    assert [r["answers"]["name"]["first"] for r in real.all()] == ["Recent"]
    assert [e.get("count") for e in AuditLog(cli_dir).entries()] == [1, 0]


def test_retention_setting_is_checked(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("retention_days = 365\n")
    assert load_settings(config=config, environ={}).retention_days == 365
    for bad in ("0", '"a year"', "1.5"):
        config.write_text(f"retention_days = {bad}\n")
        with pytest.raises(Exception, match="retention_days"):
            load_settings(config=config, environ={})


def test_a_damaged_day_file_is_moved_aside_and_saving_goes_on(
    store: CheckInStore, capsys: pytest.CaptureFixture[str]
) -> None:
    today = store.partition_path(FIXED_NOW.date())
    store.add(checkin("Lost"))
    damaged = today.read_bytes()[:-7]  # Cut short, as a failing disk might.
    today.write_bytes(damaged)
    kept = store.add(checkin("Next"))
    assert [r["id"] for r in store.all()] == [kept]
    [aside] = store.quarantined()
    assert aside.name.startswith("2026-11-27.json.corrupt-2")
    assert aside.read_bytes() == damaged, "the damaged bytes are kept as they were"
    health = doctor(store, AuditLog(store.data_dir))
    assert not health.ok and health.inspection.damaged == [str(aside)]
    assert main(["doctor", "--data-dir", str(store.data_dir)]) == 1
    out = capsys.readouterr().out
    assert "moved aside (did not parse): 1" in out and str(aside) in out
    assert "Lost" not in out


@pytest.mark.parametrize("content", [b"[1, 2]", b'{"checkins": [1]}', b"\xff\xfe{", b"null"])
def test_any_file_that_is_not_a_tinydb_file_is_kept(store: CheckInStore, content: bytes) -> None:
    store.partitions_dir.mkdir(parents=True)
    store.partition_path(FIXED_NOW.date()).write_bytes(content)
    store.add(checkin())
    assert len(store.all()) == 1
    assert [path.read_bytes() for path in store.quarantined()] == [content]


def test_a_failed_write_keeps_the_checkin_pending(
    store: CheckInStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    first, second = checkin("Pending"), checkin("After")
    with monkeypatch.context() as patch:
        patch.setattr(_atomic_storage(), "write", disk_full)
        with pytest.raises(StoreError) as caught:
            store.add(first)
    assert "No space left on device" in str(caught.value)
    assert "Pending" not in str(caught.value)
    assert store.get(first["id"]) is None
    assert stat.S_IMODE(store.pending_path.stat().st_mode) == 0o600
    assert doctor(store, AuditLog(store.data_dir)).inspection.pending == 1
    store.add(second)  # The next save stores the pending one first.
    assert [r["id"] for r in store.all()] == [first["id"], second["id"]]
    assert not store.pending_path.exists() and doctor(store, AuditLog(store.data_dir)).ok


def test_when_even_the_pending_file_fails_the_checkin_waits_in_memory(
    store: CheckInStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    first = checkin("Memory")
    with monkeypatch.context() as patch:
        patch.setattr(_atomic_storage(), "write", disk_full)
        patch.setattr(kiosk.store.dayfiles.pending, "write_atomically", disk_full)
        with pytest.raises(StoreError):
            store.add(first)
        with pytest.raises(StoreError):
            store.add(first)  # Tried again while the disk is still full.
    assert not store.pending_path.exists() and store.pending_count() == 1
    report = store.recover()  # At start, or on the next save.
    assert report.saved_pending == 1
    assert [r["id"] for r in store.all()] == [first["id"]]


def test_pending_checkins_are_stored_at_start(data_dir: Path) -> None:
    data_dir.mkdir()
    kept = checkin("Waiting")
    (data_dir / "pending.json").write_text(json.dumps([kept]))
    store = CheckInStore(data_dir, clock=fixed_clock)
    assert prepare_store(store, AuditLog(data_dir),
                         load_settings(data_dir=data_dir, environ={})) == [
        "stored 1 check-in kept from failed saves"]
    assert store.get(kept["id"]) == kept and store.pending_count() == 0


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder another user can reach (pytest's own folder is root's only)."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-test-"))
    folder.chmod(0o711)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o700)
    shutil.rmtree(folder)


def test_a_read_only_folder(open_dir: Path) -> None:
    """Really read-only: a child process that is not root (root ignores modes)."""
    store = CheckInStore(open_dir / "data", clock=fixed_clock)
    kept = store.add(checkin("Kept"))
    store.data_dir.chmod(0o500)
    store.partitions_dir.chmod(0o500)
    if os.geteuid() == 0:
        for path in [store.data_dir, *store.data_dir.rglob("*")]:
            os.chown(path, 65534, 65534)
    code = (
        "import os, sys, tinydb, kiosk.store.dayfiles.store\n"
        "from kiosk.store.dayfiles.store import CheckInStore, StoreError\n"
        "if os.geteuid() == 0:  # Python itself lives where nobody can't read.\n"
        "    os.setgid(65534); os.setuid(65534)\n"
        "store = CheckInStore(sys.argv[1])\n"
        "print(len(store.all()))\n"
        "try:\n"
        f"    store.add({{'answers': {{'name': {{'first': 'Secret', 'last_initial': 'S'}}}}, {REC}}})\n"
        "except StoreError as error:\n"
        "    print(error)\n"
        "print(store.pending_count())\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(store.data_dir)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    count, error, pending = done.stdout.splitlines()
    assert count == "1", "a read-only store can still be read"
    assert error.startswith("could not save check-ins in") and "Permission denied" in error
    assert "Secret" not in error and pending == "1"
    assert [r["id"] for r in store.all()] == [kept]


def test_doctor_reports_loose_permissions(store: CheckInStore,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--data-dir", str(store.data_dir)]) == 0
    assert "not made yet" in capsys.readouterr().out
    store.add(checkin())
    assert main(["doctor", "--data-dir", str(store.data_dir)]) == 0
    assert "stored: 1 check-in in 1 day file" in capsys.readouterr().out
    store.data_dir.chmod(0o755)
    day_files(store)[0].chmod(0o644)
    assert main(["doctor", "--data-dir", str(store.data_dir)]) == 1
    out = capsys.readouterr().out
    assert "mode 0755, should be 0700" in out and "mode 0644, should be 0600" in out


def test_an_earlier_versions_single_file_is_moved_into_day_files(data_dir: Path) -> None:
    data_dir.mkdir()
    old = [checkin("Legacy"), checkin("Older", FIXED_NOW - timedelta(days=3))]
    legacy = {"checkins": {str(n): record for n, record in enumerate(old, 1)}}
    (data_dir / "checkins.json").write_text(json.dumps(legacy))
    store = CheckInStore(data_dir)
    assert store.recover().imported_legacy == 2
    assert [r["id"] for r in store.all()] == [old[1]["id"], old[0]["id"]]
    assert not (data_dir / "checkins.json").exists()


def test_temporary_files_from_a_crash_are_cleared_at_start(store: CheckInStore) -> None:
    store.add(checkin())
    leftover = store.partitions_dir / ".2026-11-27.json.abc123.tmp"
    leftover.write_text('{"checkins": {')
    assert store.recover().removed_temporary == 1 and not leftover.exists()
    assert len(store.all()) == 1


def test_kill_9_at_random_moments_loses_nothing(data_dir: Path) -> None:
    """A child adds check-ins in a loop and prints each id once add() returns;
    it is killed with SIGKILL at random moments, 60 times. After every kill
    each day file parses and every printed id is stored."""
    chance = random.Random(20261127)
    promised: set[str] = set()
    store = CheckInStore(data_dir)
    for _ in range(60):
        child = subprocess.Popen([sys.executable, str(WORKER), "crash", str(data_dir)],
                                 stdout=subprocess.PIPE)
        assert child.stdout is not None
        assert child.stdout.readline() == b"ready\n"
        for _ in range(chance.randrange(0, 12)):
            promised.add(child.stdout.readline().decode().strip())
        # Kill at a random moment (up to 5 ms on) of the save under way, or as
        # its id is printed, whichever comes first: kills land at every step.
        select.select([child.stdout], [], [], chance.uniform(0, 0.005))
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
        child.wait()
        child.stdout.close()
        promised.update(_complete_lines(rest))
        for path in store.partitions_dir.glob("*.json"):
            json.loads(path.read_bytes())  # Every day file parses...
        assert not store.quarantined()
        stored = {record["id"] for record in store.all()}
        assert promised <= stored, "an id printed after add() returned was lost"
    assert len(promised) > 100
    store.recover()
    assert not list(store.partitions_dir.glob(".*.tmp"))


def test_three_processes_share_one_store(data_dir: Path) -> None:
    """3 processes x 200 adds, each setting the status of the next one's
    check-ins as they appear: every check-in is stored once, every status
    change is applied."""
    count = 200
    workers = [
        subprocess.Popen([sys.executable, str(WORKER), "share", str(data_dir), str(n), str(count)],
                         stdout=subprocess.PIPE, text=True)
        for n in range(WORKERS)
    ]
    outputs = [worker.communicate(timeout=600)[0] for worker in workers]
    assert outputs == ["done\n"] * WORKERS
    records = CheckInStore(data_dir).all()
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids)) == WORKERS * count
    statuses = {record["id"]: record["status"] for record in records}
    for worker in range(WORKERS):
        for number in range(count):
            assert statuses[shared_id(worker, number)] == status_for(number)


# -- A very busy day, in parts ---------------------------------------------------


def _stamps(paths: list[Path]) -> dict[str, tuple[int, int]]:
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in paths}


def test_a_busy_day_is_split_into_parts_and_a_save_rewrites_only_the_newest(
    store: CheckInStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: with 50,000 check-ins in one day, every save rewrote the whole
    day (1.7 s), and the desk parsed all of it for each arrival. (Here parts
    of 4.)"""
    monkeypatch.setattr(kiosk.store.dayfiles.saving, "PART_SIZE", 4)
    day = FIXED_NOW.date().isoformat()
    ids = [store.add(checkin(f"N{n:02d}", FIXED_NOW - timedelta(minutes=30 - n)))
           for n in range(10)]
    assert [path.name for path in day_files(store)] == [
        f"{day}.1.json", f"{day}.2.json", f"{day}.json"]
    assert [r["id"] for r in store.today()] == ids, "one queue, oldest first"
    before = _stamps(day_files(store))
    version = store.version()
    newest = store.add(checkin("Newest", FIXED_NOW))
    after = _stamps(day_files(store))
    assert store.version() != version
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {f"{day}.2.json"}, "only the newest part is written"
    # Eleven and twelve fill it; the thirteenth starts another.
    store.add(checkin("Twelve", FIXED_NOW))
    store.add(checkin("Thirteen", FIXED_NOW))
    assert (store.partitions_dir / f"{day}.3.json").exists()
    assert store.today()[-3]["id"] == newest and len(store.today()) == 13


def test_every_door_finds_a_check_in_in_any_part(
    store: CheckInStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kiosk.store.dayfiles.saving, "PART_SIZE", 2)
    records = [checkin(f"P{n}", FIXED_NOW - timedelta(minutes=10 - n)) for n in range(7)]
    ids = [store.add(record) for record in records]
    first = ids[0]  # In the day's first part.
    assert store.get(first)["id"] == first
    assert store.set_status(first, "done") and store.get(first)["status"] == "done"
    # A save tried again, after its first attempt landed in an earlier part:
    # still one check-in.
    store.add(records[1])
    assert [r["id"] for r in store.today()].count(ids[1]) == 1
    assert len(store.today()) == 7
    # Series across parts.
    series = store.link(ids[5], ids[0])
    store.link(ids[3], ids[0])
    assert [r["id"] for r in store.series(series)] == [ids[0], ids[3], ids[5]]
    assert [r["session"] for r in store.series(series)] == [1, 2, 3]
    assert store.unlink(ids[3]) and [r["id"] for r in store.series(series)] == [ids[0], ids[5]]
    later = checkin("P4", FIXED_NOW + timedelta(days=1))
    assert [r["id"] for r in store.suggestions(later)] == [ids[4]]
    assert store.search(text="p3")[0]["id"] == ids[3]
    assert store.delete(ids[2]) and store.get(ids[2]) is None
    report = store.inspect()
    assert report.checkins == 6 and not report.bad_records
    assert store.repair_index() is False, "the index agrees with the parts"
    store.clock = lambda: FIXED_NOW + timedelta(days=3)
    assert store.purge(1) == 6
    assert day_files(store) == []


def test_a_reader_that_keeps_parsed_parts_sees_every_change(
    store: CheckInStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk's store keeps the parts it parsed, and reads again only
    those that changed since: a status change in an early part, an
    erasure, a new part and a record damaged by hand all show."""
    monkeypatch.setattr(kiosk.store.dayfiles.saving, "PART_SIZE", 3)
    ids = [store.add(checkin(f"R{n}", FIXED_NOW - timedelta(minutes=10 - n))) for n in range(7)]
    desk = CheckInStore(store.data_dir, clock=fixed_clock)
    assert [r["id"] for r in desk.today()] == ids
    store.set_status(ids[0], "with_therapist")
    assert desk.today()[0]["status"] == "with_therapist"
    store.delete(ids[4])
    assert ids[4] not in [r["id"] for r in desk.today()]
    new = store.add(checkin("R7", FIXED_NOW))
    assert desk.today()[-1]["id"] == new
    first_part = store.partition_path(FIXED_NOW.date())
    data = json.loads(first_part.read_text())
    key = next(iter(data["checkins"]))
    data["checkins"][key]["created_at"] = "not a date"
    first_part.write_text(json.dumps(data))
    shown = desk.today()
    assert len(shown) == 6 and desk.skipped() == 1
    assert len(desk.today()) == 6 and desk.skipped() == 1, "counted again on every read"


def test_doctor_finds_and_mends_a_check_in_stored_twice(store: CheckInStore) -> None:
    """Before, a save tried again after midnight left the check-in in two
    day files, and doctor said OK. Such a pair already on disk is found,
    the copy in the older day file taken out, and said so, once."""
    record = checkin("Cy", FIXED_NOW - timedelta(days=1))
    first = store.add(record)
    older = next(store.partitions_dir.glob("*.json"))
    later = {**record, "id": first, "created_at": FIXED_NOW.isoformat(timespec="seconds"),
             "status": "done"}
    store.partition_path(FIXED_NOW.date()).write_text(json.dumps(
        {"checkins": {"1": later}}))  # As the earlier version left it.
    store.partition_path(FIXED_NOW.date()).chmod(0o600)
    assert [r["id"] for r in store.all()] == [first, first]
    health = doctor(store, AuditLog(store.data_dir))
    assert not health.ok and any("stored twice" in p for p in health.problems)
    assert [r["status"] for r in store.all()] == ["done"], "the newest copy is kept"
    assert not older.exists(), "the older day file held only the copy"
    assert doctor(store, AuditLog(store.data_dir)).ok, "mended once is enough"


def test_doctor_judges_privacy_by_what_each_path_is(store: CheckInStore, tmp_path: Path) -> None:
    """Before, doctor looked only at the day files, the pending file and the
    lock, by name, following links: a link to a file anyone can read, an
    audit log or index open to others, and a data folder that is itself a
    link all passed."""
    store.add(checkin("Ann"))
    AuditLog(store.data_dir).record("export", count=1)
    outside = tmp_path / "elsewhere.json"
    outside.write_text("{}")
    outside.chmod(0o644)
    (store.partitions_dir / "2020-01-01.json").symlink_to(outside)
    (store.data_dir / "audit.jsonl").chmod(0o644)
    store.recover()
    (store.data_dir / "index").chmod(0o755)
    problems = doctor(store, AuditLog(store.data_dir)).problems
    said = "\n".join(problems)
    assert "2020-01-01.json is a symbolic link" in said
    assert "audit.jsonl is readable by others (mode 0644, should be 0600" in said
    assert "index is readable by others (mode 0755, should be 0700" in said
    linked = tmp_path / "linked-data"
    linked.symlink_to(store.data_dir)
    assert any("linked-data is a symbolic link" in problem
               for problem in doctor(CheckInStore(linked), AuditLog(linked)).problems)


@pytest.mark.parametrize("zone", [
    "Pacific/Kiritimati",  # UTC+14: its whole morning is the UTC day before.
    "Pacific/Pago_Pago",  # UTC-11.
    "America/Santiago",  # Its clocks change at midnight: some days start at 01:00.
    "Asia/Kathmandu",  # UTC+5:45.
    "Australia/Lord_Howe",  # A half-hour daylight saving.
    "America/St_Johns",  # UTC-3:30, with daylight saving.
])
def test_a_day_is_the_local_calendar_day_in_any_zone_on_any_date(
    zone: str, tmp_path: Path,
) -> None:
    """Check-ins just after midnight, at noon and just before the next
    midnight, local, on every day of a leap year: a day's search and
    `today()` hold exactly those three, in zones far from UTC and through
    every daylight-saving change."""
    done = subprocess.run([sys.executable, "-m", "tests.support.localday_worker", str(tmp_path / "d"),
                           "2028"], env={**os.environ, "TZ": zone,
                                         "PYTHONPATH": os.pathsep.join(sys.path)},
                          capture_output=True, text=True, check=False, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok", done.stdout[:2000]


def test_an_erased_clients_day_file_is_not_left_behind_empty(store: CheckInStore) -> None:
    old = store.add(checkin("Old", FIXED_NOW - timedelta(days=5)))
    new = store.add(checkin("New"))
    assert store.delete(old)
    assert day_files(store) == [store.partition_path(FIXED_NOW.date())]
    assert [record["id"] for record in store.all()] == [new]
