"""Every file the program reads, fuzzed: whatever bytes are in it, only the
documented error comes out (StoreError, SettingsError, ContentError), or the
file is passed over, never a traceback."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.access.audit import AuditLog
from kiosk.access.pin import StaffPin
from kiosk.content.model import default_content_dir, load_content
from kiosk.content.tomltable import ContentError
from kiosk.desk.upkeep import doctor
from kiosk.files import StoreError
from kiosk.settings import SettingsError, load_settings
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.clock import FIXED_NOW, fixed_clock
from tests.support.records import checkin

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=15)
GOOD = checkin("Fuzz")


@st.composite
def records(draw: st.DrawFn) -> dict:
    """A check-in with some of its fields replaced by anything at all."""
    record = dict(GOOD)
    for field in draw(st.lists(st.sampled_from([*GOOD, "extra"]), max_size=3)):
        if draw(st.booleans()):
            record[field] = draw(JSON)
        else:
            record.pop(field, None)
    return record


def day_files() -> st.SearchStrategy[bytes]:
    tinydb = st.dictionaries(st.text(max_size=4), records(), max_size=4).map(
        lambda docs: json.dumps({"checkins": docs}).encode())
    return st.binary(max_size=200) | JSON.map(lambda v: json.dumps(v).encode()) | tinydb


@contextmanager
def folder() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="kiosk-fuzz-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@FUZZ
@given(data=day_files(), pending=day_files())
def test_any_day_file_and_pending_file(data: bytes, pending: bytes) -> None:
    with folder() as root:
        store = CheckInStore(root / "data", clock=fixed_clock)
        store.partitions_dir.mkdir(parents=True)
        store.partition_path(FIXED_NOW.date()).write_bytes(data)
        store.pending_path.write_bytes(pending)
        for read in (store.all, store.today, store.pending_count, store.damaged_count,
                     lambda: doctor(store, AuditLog(store.data_dir)),
                     lambda: store.purge(1), store.recover, lambda: store.get(GOOD["id"]),
                     lambda: store.delete(GOOD["id"]), lambda: store.add(checkin("Next"))):
            with suppress(StoreError):
                read()
        assert all(isinstance(r, dict) and r["id"] for r in store.all())


@FUZZ
@given(state=st.binary(max_size=120) | JSON.map(lambda v: json.dumps(v).encode()),
       pin=st.binary(max_size=120) | JSON.map(lambda v: json.dumps(v).encode()))
def test_any_pin_files(state: bytes, pin: bytes) -> None:
    with folder() as root:
        staff = StaffPin(root, fixed_clock)
        (root / "pin_state.json").write_bytes(state)
        (root / "staff_pin.json").write_bytes(pin)
        staff.locked_seconds("staff")
        result = staff.check("2468", where="kiosk")
        assert not result.ok or result.problem is None
        AuditLog(root).entries()


@FUZZ
@given(text=st.text(max_size=200) | JSON.map(lambda v: f"clinic_name = {json.dumps(v)}\n"))
def test_any_settings_file(text: str) -> None:
    with folder() as root:
        config = root / "kiosk.toml"
        config.write_text(text, encoding="utf-8")
        with suppress(SettingsError):
            load_settings(config=config, environ={})


@FUZZ
@given(file=st.sampled_from(["walkthrough.toml", "questionnaire.toml", "rules.toml"]),
       cut=st.integers(0, 4000), junk=st.text(max_size=40))
def test_any_content_file(file: str, cut: int, junk: str) -> None:
    with folder() as root:
        content = root / "content"
        shutil.copytree(default_content_dir(), content)
        path = content / file
        text = path.read_text(encoding="utf-8")
        path.write_text(text[:cut] + junk + text[cut + len(junk):], encoding="utf-8")
        with suppress(ContentError):
            load_content(content)


@FUZZ
@given(data=st.binary(max_size=300))
def test_any_audit_log(data: bytes) -> None:
    with folder() as root:
        (root / "audit.jsonl").write_bytes(data)
        assert all(isinstance(entry, dict) for entry in AuditLog(root).entries())


def test_doctor_never_prints_a_control_character_from_a_file(tmp_path: Path) -> None:
    store = CheckInStore(tmp_path / "data", clock=fixed_clock)
    store.partitions_dir.mkdir(parents=True)
    hostile = {**GOOD, "\x1b]0;pwned\x07": 1, "answers": {"\x1b[2J": 3.5}}
    store.partition_path(FIXED_NOW.date()).write_text(json.dumps({"checkins": {"1": hostile}}))
    lines = doctor(store, AuditLog(store.data_dir)).lines()
    assert any("record 1" in line for line in lines)
    assert not any(ch in line for line in lines for ch in "\x1b\x07")
