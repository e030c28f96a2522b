"""Series: staff link a client's visits; the store keeps the links and an
index so neither a series nor the link suggestions read every day file."""

from __future__ import annotations

import json
import random
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.access.audit import AuditLog
from kiosk.cli import main
from kiosk.desk import actions
from kiosk.desk.rows import export_text
from kiosk.desk.upkeep import doctor
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.clock import fixed_clock
from tests.support.processes import WORKER, _complete_lines
from tests.support.series import CONTENT, visit


@pytest.fixture
def store(data_dir: Path) -> CheckInStore:
    return CheckInStore(data_dir, clock=fixed_clock)


def sessions(store: CheckInStore, series: str) -> list[tuple[int, int]]:
    return [(record["session"], record["answers"]["pain"]) for record in store.series(series)]


def test_records_from_before_series_are_indexed_on_first_use(
    store: CheckInStore, data_dir: Path,
) -> None:
    """No migration: a folder with no index gets one the first time a series
    or suggestions are asked for (and at start-up)."""
    old = store.add(visit("Ann", "B", 5, 7))
    now = store.add(visit("Ann", "B", 0, 4))
    index = data_dir / "index"
    assert not index.exists(), "an index only once it is asked for"
    record = store.get(now)
    assert record is not None
    assert [found["id"] for found in store.suggestions(record)] == [old]
    assert (index / "manifest.json").exists()
    # Every later save keeps it up to date.
    newer = store.add(visit("Ann", "B", -1, 2))
    later = store.get(newer)
    assert later is not None
    assert [found["id"] for found in store.suggestions(later)] == [now, old]


def test_a_series_is_read_from_its_own_day_files_only(
    store: CheckInStore, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Showing a series opens the day files of its sessions, not the history."""
    store.import_records(visit(f"Other{n}", "Q", n, 5) for n in range(60))
    a = store.add(visit("Ann", "B", 3.5, 6))
    b = store.add(visit("Ann", "B", 0.5, 4))
    series = store.link(b, to=a)
    record = store.get(b)
    assert record is not None
    opened: list[str] = []
    real = Path.read_bytes

    def counting(path: Path) -> bytes:
        opened.append(path.name)
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    assert len(store.series(series)) == 2
    days = [name for name in opened if name[:4].isdigit()]
    assert len(days) == 2, opened
    opened.clear()
    store.suggestions(record)
    assert len([name for name in opened if name[:4].isdigit()]) == 1, opened


def test_erase_a_series_one_audit_entry_each(store: CheckInStore, data_dir: Path) -> None:
    a = store.add(visit("Ann", "B", 3, 6))
    b = store.add(visit("Ann", "B", 2, 5))
    other = store.add(visit("Ann", "B", 1, 4))
    series = store.link(b, to=a)
    audit = AuditLog(data_dir, fixed_clock)
    assert actions.erase_series(store, audit, series) == 2
    assert [record["id"] for record in store.all()] == [other]
    assert [(entry["action"], entry["id"]) for entry in audit.entries()] == [
        ("erase", a), ("erase", b)]
    assert store.series(series) == []
    assert store.suggestions(store.get(other) or {}) == []


def test_erase_series_from_the_command_line(data_dir: Path, capsys) -> None:
    store = CheckInStore(data_dir)
    a = store.add(visit("Ann", "B", 3, 6))
    b = store.add(visit("Ann", "B", 2, 5))
    series = store.link(b, to=a)
    assert main(["erase", "--series", series, "--yes", "--data-dir", str(data_dir)]) == 0
    assert "Erased 2 check-ins of series" in capsys.readouterr().out
    assert store.all() == []
    assert main(["erase", "--series", series, "--yes", "--data-dir", str(data_dir)]) == 1
    assert main(["erase", "--data-dir", str(data_dir)]) == 2
    assert main(["erase", a, "--series", series, "--data-dir", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert "no series has the id" in err
    assert "give a check-in ID or --series ID, not both" in err


def test_export_carries_visit_series_and_session(store: CheckInStore) -> None:
    a = store.add(visit("Ann", "B", 3, 8, follow_up=False))
    b = store.add(visit("Ann", "B", 2, 3))
    loose = store.add(visit("Bo", "C", 1, 2))
    series = store.link(b, to=a)
    text = export_text(store.all(), CONTENT.all_questions(), "csv")
    rows = [line.split('","') for line in text.lstrip("\ufeff").splitlines()]
    header = [cell.strip('"') for cell in rows[0]]
    assert header[6:9] == ["visit", "series", "session"]
    assert {"since_last", "at_home"} <= set(header), "follow-up answers are exported too"
    by_id = {row[0].strip('"'): [cell.strip('"') for cell in row] for row in rows[1:]}
    assert by_id[a][6:9] == ["first", series, "1"]
    assert by_id[b][6:9] == ["follow-up", series, "2"]
    assert by_id[loose][6:9] == ["follow-up", "", ""]
    exported = json.loads(export_text(store.all(), CONTENT.all_questions(), "json"))
    assert [(r.get("series"), r.get("session")) for r in exported] == [
        (series, 1), (series, 2), (None, None)]


def test_doctor_rebuilds_a_deleted_or_damaged_index(store: CheckInStore, data_dir: Path) -> None:
    a = store.add(visit("Ann", "B", 3, 6))
    b = store.add(visit("Ann", "B", 2, 5))
    series = store.link(b, to=a)
    audit = AuditLog(data_dir, fixed_clock)
    health = doctor(store, audit)
    assert not health.index_rebuilt
    assert "series and name index: agrees with the check-ins" in health.lines()

    for damage in ("delete", "garbage", "wrong shape", "stale"):
        index = data_dir / "index"
        if damage == "delete":
            for path in index.iterdir():
                path.unlink()
        elif damage == "garbage":
            (index / "series.json").write_bytes(b"\x00{not json")
        elif damage == "wrong shape":
            shards = sorted(index.glob("names-*.json"))
            for shard in shards:
                shard.write_text(json.dumps({"ann|b": "nope"}))
        else:  # An entry for a check-in that is not in that series.
            (index / "series.json").write_text(json.dumps({series: [[a, "2026-11-24"]]}))
        health = doctor(store, audit)
        assert health.index_rebuilt, damage
        assert any(line.startswith("series and name index: rebuilt") for line in health.lines())
        assert health.ok, health.problems
        assert not doctor(store, audit).index_rebuilt, f"{damage}: rebuilt once is enough"
        assert [record["id"] for record in store.series(series)] == [a, b]


def test_kill_9_while_linking_loses_no_link(data_dir: Path) -> None:
    """A child adds check-ins and links each into one series, printing each
    id once link() returned; it is killed at random moments, 30 times. After
    every kill every file parses and every printed id is in the series."""
    store = CheckInStore(data_dir)
    anchor = store.add(visit("Ann", "B", 1, 5))
    series = store.link(anchor)
    chance = random.Random(20261128)
    promised: set[str] = set()
    for _ in range(30):
        child = subprocess.Popen([sys.executable, str(WORKER), "linker", str(data_dir), anchor],
                                 stdout=subprocess.PIPE)
        assert child.stdout is not None
        assert child.stdout.readline() == b"ready\n"
        for _ in range(chance.randrange(0, 6)):
            promised.add(child.stdout.readline().decode().strip())
        select.select([child.stdout], [], [], chance.uniform(0, 0.01))
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
        child.wait()
        child.stdout.close()
        promised.update(_complete_lines(rest))
        for path in [*store.partitions_dir.glob("*.json"), *(data_dir / "index").glob("*.json")]:
            json.loads(path.read_bytes())
        linked = {record["id"] for record in store.series(series)}
        assert promised <= linked, "an id printed after link() returned is not in the series"
        numbers = [record["session"] for record in store.series(series)]
        assert numbers == list(range(1, len(numbers) + 1))
    assert len(promised) > 20
    store.repair_index()
    assert not store.repair_index(), "after one repair the index agrees"


def _numbered_in_order(records: list[dict], series: str) -> bool:
    members = sorted((r for r in records if r.get("series") == series),
                     key=lambda r: (r["created_at"], r["id"]))
    return [r["session"] for r in members] == list(range(1, len(members) + 1))


def test_kill_9_while_renumbering_across_days_never_leaves_wrong_numbers(
        data_dir: Path) -> None:
    """A 6-visit series over 6 day files; a child takes visits out and puts
    them back, over and over, and is killed at random, 30 times. Before, 16
    of 30 kills left numbers such as [1, 1, 2, 3, 5, 6] for every reader and
    the export, with doctor saying OK: each day file was written on its own."""
    store = CheckInStore(data_dir)
    visits = [store.add(visit("Ann", "B", 6 - n, 5)) for n in range(6)]
    series = store.link(visits[0])
    for later in visits[1:]:
        store.link(later, visits[0])
    assert len(list(store.partitions_dir.glob("*.json"))) == 6
    chance = random.Random(20261204)
    wrong = 0
    for _ in range(30):
        child = subprocess.Popen([sys.executable, str(WORKER), "regroup", str(data_dir), series,
                                  *visits[1:5]], stdout=subprocess.PIPE)
        assert child.stdout is not None
        assert child.stdout.readline() == b"ready\n"
        select.select([child.stdout], [], [], chance.uniform(0.005, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        reader = CheckInStore(data_dir)  # A desk reading just after.
        every = reader.all()
        numbers = [r["session"] for r in reader.series(series)]
        # A kill between an unlink and its rejoin leaves five: numbered 1..5.
        ok = _numbered_in_order(every, series) and numbers == list(range(1, len(numbers) + 1))
        wrong += not ok
    assert wrong == 0, f"{wrong} of 30 kills left a series misnumbered"
    assert not store.journal_path.exists()


def test_two_processes_linking_at_once_lose_neither_link(data_dir: Path) -> None:
    store = CheckInStore(data_dir)
    anchor = store.add(visit("Ann", "B", 10, 8))
    ids = [store.add(visit("Ann", "B", 9 - n / 10, 8 - n % 8)) for n in range(40)]
    series = store.link(anchor)
    workers = [
        subprocess.Popen([sys.executable, str(WORKER), "link", str(data_dir), anchor, *half],
                         stdout=subprocess.PIPE, text=True)
        for half in (ids[0::2], ids[1::2])
    ]
    assert [worker.communicate(timeout=300)[0] for worker in workers] == ["done\n", "done\n"]
    sessions = store.series(series)
    assert [record["id"] for record in sessions] == [anchor, *ids]
    assert [record["session"] for record in sessions] == list(range(1, 42))
    assert not store.repair_index()
