"""A power cut at any moment loses nothing acknowledged.

kill -9 keeps the page cache, so no kill test sees a power cut. Here the
file operations of a clinic's day (adds, a status, a link, an erasure, a
purge, the PIN, audit entries) are recorded with strace, on a new data
folder and on one already in use, and every state a power cut could leave
is rebuilt (tests/support/powercut.py): only fsynced data, only fsynced folder
entries, and the last write torn. In each, the store must open, and every
check-in, erasure, status, series, PIN and audit entry acknowledged before
the cut must be as acknowledged. The check is proved able to fail: with any
one fsync that changes what a cut keeps left out, some state breaks it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.access.audit import AuditLog
from kiosk.access.pin import StaffPin
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.powercut import State, Trace

pytestmark = pytest.mark.needs("strace")


_JUDGED: dict[str, list[str]] = {}


def _violations(state: State, scratch: Path) -> list[str]:
    """What a state breaks of what was acknowledged before it (each state
    judged once: most recur when one fsync is left out)."""
    key = state.key()
    if key not in _JUDGED:
        _JUDGED[key] = _judge(state, scratch)
    return _JUDGED[key]


def _judge(state: State, scratch: Path) -> list[str]:
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(mode=0o700)
    state.write_to(scratch)
    folder = scratch / "data"
    wrong: list[str] = []
    try:
        store = CheckInStore(folder)
        store.recover()
        present: dict[str, dict] = {}
        for fact in state.acknowledged:
            op = fact["op"]
            if op == "add":
                present[str(fact["id"])] = {}
            elif op == "erase":
                present.pop(str(fact["id"]), None)
            elif op == "status":
                present[str(fact["id"])]["status"] = fact["status"]
            elif op == "series":
                for checkin_id in fact["ids"]:  # type: ignore[union-attr]
                    present[str(checkin_id)]["series"] = fact["series"]
        # The operation under way may have happened, in part or not at all:
        # what it touches is held to nothing but what came before.
        unsure = {str(fact["id"]) for fact in state.in_flight if fact["op"] in ("add", "erase")}
        unsure_fields = {(str(fact["id"]), "status") for fact in state.in_flight
                         if fact["op"] == "status"} | {
            (str(i), "series") for fact in state.in_flight if fact["op"] == "series"
            for i in fact["ids"]}  # type: ignore[union-attr]
        unsure_series = {str(fact["series"]) for fact in state.in_flight if "series" in fact}
        for fact in state.acknowledged:
            if fact["op"] == "erase" and store.get(str(fact["id"])) is not None:
                wrong.append(f"erased {fact['id']} is back")
        for checkin_id, expected in present.items():
            record = store.get(checkin_id)
            if checkin_id in unsure:
                continue
            if record is None:
                wrong.append(f"check-in {checkin_id} is lost")
                continue
            for key, value in expected.items():
                if (checkin_id, key) not in unsure_fields and record.get(key) != value:
                    wrong.append(f"{checkin_id}: {key} is {record.get(key)!r}, not {value!r}")
        for series in {str(fact["series"]) for fact in state.acknowledged
                       if fact["op"] == "series" and fact["series"]} - unsure_series:
            moving = unsure | {i for i, field in unsure_fields if field == "series"}
            members = [record["id"] for record in store.series(series) if record["id"] not in moving]
            wanted = [i for i in present if present[i].get("series") == series and i not in moving]
            if sorted(members) != sorted(wanted):
                wrong.append(f"series {series} has {members}, not {wanted}")
            numbers = [record["session"] for record in store.series(series)]
            if numbers != list(range(1, len(numbers) + 1)):
                wrong.append(f"series {series} is numbered {numbers}")
        for checkin_id in present:  # The name index finds every one kept.
            record = store.get(checkin_id)
            if record is None or checkin_id in unsure:
                continue
            probe = {**record, "id": "probe", "created_at": "2999-01-01T00:00:00+00:00"}
            if checkin_id not in [earlier["id"] for earlier in store.suggestions(probe)]:
                wrong.append(f"the name index has lost {checkin_id}")
        ids = [record["id"] for record in store.all()]
        if len(ids) != len(set(ids)):
            wrong.append("a check-in is stored twice")
        audit = AuditLog(folder)
        wanted_actions = Counter(str(fact["action"]) for fact in state.acknowledged
                                 if fact["op"] == "audit")
        seen = Counter(str(entry.get("action")) for entry in audit.entries())
        for action, count in wanted_actions.items():
            if seen[action] < count:
                wrong.append(f"audit: {count} {action} acknowledged, {seen[action]} kept")
        audit.record("after-the-cut")  # The next append after a torn line is readable.
        if [entry.get("action") for entry in audit.entries()][-1:] != ["after-the-cut"]:
            wrong.append("audit: the first entry after the cut can't be read")
        failures = StaffPin(folder)._state().get("staff", {}).get("failures", 0)
        counted = None  # The wrong tries acknowledged since the PIN was set.
        for fact in state.acknowledged:
            if fact["op"] == "pin":
                counted = 0
            elif fact["op"] == "pin-failures":
                counted = int(str(fact["count"]))
        pin_busy = any(fact["op"].startswith("pin") for fact in state.in_flight)
        if counted is not None and not pin_busy and failures != counted:
            wrong.append(f"{counted} wrong PIN tries acknowledged, {failures} kept")
        for fact in state.acknowledged:
            if fact["op"] == "pin" and fact not in state.in_flight and not StaffPin(folder).check(str(fact["pin"])).ok:
                wrong.append("the PIN set is not the PIN")
    except Exception as error:  # The store must open whatever the cut left.
        wrong.append(f"{type(error).__name__}: {error}")
    return wrong


def _record(tmp_path: Path, used_before: bool) -> Trace:
    root = tmp_path / "root"
    root.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [sys.executable, "-m", "tests.support.powercut_workload", str(root / "data")]
    if used_before:  # A folder with a day behind it, on disk as a cut would find it.
        import subprocess

        subprocess.run([*command, "Before"], env=env, check=True, capture_output=True)
    trace, _ = Trace.record(root, [*command, "Cut"], env)
    return trace


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """Where each state is laid out: memory, where it can (the checks
    fsync, and a disk's fsyncs would make this minutes, not seconds)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(dir=shm, prefix="kiosk-powercut-"))
        yield folder / "state"
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield tmp_path / "state"


@pytest.fixture(scope="module", params=["a new folder", "a folder in use"])
def trace(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Trace:
    return _record(tmp_path_factory.mktemp("powercut"), request.param == "a folder in use")


def test_every_state_a_power_cut_leaves_keeps_what_was_acknowledged(
    trace: Trace, scratch: Path,
) -> None:
    states = 0
    for state in trace.states():
        states += 1
        wrong = _violations(state, scratch)
        assert not wrong, f"a power cut {state.where} breaks: {wrong}"
    assert states > 50, f"only {states} states: the trace is not the workload's"
    assert any(fact["op"] == "audit" for fact in state.acknowledged)


def _what_it_protects(trace: Trace, skip: int) -> set[str]:
    """The paths whose state at some acknowledgement changes when this
    fsync is left out: empty for one that a later fsync covers before any
    acknowledgement (one fsync of a folder keeps every name made in it)."""
    changed: set[str] = set()
    for with_it, without in zip(trace.acknowledged_states(), trace.acknowledged_states(skip),
                                strict=True):
        changed |= {path for path in with_it.keys() | without.keys()
                    if _meaning(with_it.get(path, b"-")) != _meaning(without.get(path, b"-"))
                    and not Path(path).name.endswith((".lock", ".tmp"))}  # Empty, or unread.
    return changed


def _meaning(data: bytes | None) -> object:
    """A file as the program reads it: an emptied day file or lock state
    (`{}`, `{"checkins": {}}`) means the same as none."""
    if data is None or data == b"-":
        return data
    try:
        parsed = json.loads(data)
    except ValueError:
        return data
    if isinstance(parsed, dict) and not any(parsed.values()):
        return b"-"
    return data


def test_the_check_fails_with_any_one_fsync_left_out(trace: Trace, scratch: Path) -> None:
    """Every fsync that protects something acknowledged is needed: without
    it, some state a cut can leave loses an acknowledged change, and the
    check says so. Passed by: an fsync a later one covers before anything is
    acknowledged, and one that protects only the link index, which is
    rebuilt from the day files when it is missing or damaged (the check
    confirms every series and name is still found through it)."""
    fsyncs = trace.fsyncs()
    assert len(fsyncs) > 20
    missed, proved = [], 0
    for position in fsyncs:
        protects = _what_it_protects(trace, position)
        if not protects or all(path.startswith("data/index") for path in protects):
            continue
        proved += 1
        if not any(_violations(state, scratch) for state in trace.states(skip=position)):
            event = trace.events[position]
            missed.append(f"{event.kind} of {event.path or event.args[0]} at event {position}, "
                          f"protecting {sorted(protects)}")
    assert not missed, f"leaving these out breaks nothing: {missed}"
    assert proved >= 10, f"only {proved} fsyncs protect anything: the workload is too small"
