"""What test_powercut.py traces: a clinic's day on one data folder, through
the public API, saying on standard output what was acknowledged and when.

    python -m tests.support.powercut_workload FOLDER TAG
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

from kiosk.access.audit import AuditLog
from kiosk.access.pin import StaffPin
from kiosk.clock import FakeClock
from kiosk.desk import actions
from kiosk.desk.upkeep import purge
from kiosk.store.dayfiles.store import CheckInStore
from tests.support.clock import FIXED_NOW
from tests.support.records import checkin

PIN = "246810"


def ack(**what: object) -> None:
    """Tell the test this was acknowledged (one write to a pipe, in order)."""
    os.write(1, (json.dumps(what) + "\n").encode())


def audited(audit: AuditLog, before: int) -> int:
    """Acknowledge each entry the last operation added to the audit log."""
    entries = audit.entries()
    for entry in entries[before:]:
        ack(op="audit", action=entry["action"])
    return len(entries)


def day(folder: Path, tag: str) -> None:
    clock = FakeClock(FIXED_NOW)
    store, audit = CheckInStore(folder, clock.now), AuditLog(folder, clock.now)
    logged = audited(audit, 0)  # What an earlier day left is acknowledged too.
    store.recover()
    made = []
    for number in range(3):
        when = FIXED_NOW - timedelta(minutes=30 - number)
        made.append(store.add(checkin(f"{tag}{number}", when)))
        ack(op="add", id=made[-1])
    old = store.add(checkin(f"{tag}Old", FIXED_NOW - timedelta(days=400)))
    ack(op="add", id=old)
    assert actions.set_status(store, audit, made[0], "with_therapist")
    ack(op="status", id=made[0], status="with_therapist")
    logged = audited(audit, logged)
    change = actions.join(store, audit, made[1], made[0])
    ack(op="series", ids=[made[0], made[1]], series=change.series)
    logged = audited(audit, logged)
    # A visit from the day before joins: a renumbering across two day files.
    early = store.add(checkin(f"{tag}Early", FIXED_NOW - timedelta(days=1)))
    ack(op="add", id=early)
    change = actions.join(store, audit, early, made[0])
    ack(op="series", ids=[early, made[0], made[1]], series=change.series)
    logged = audited(audit, logged)
    assert actions.unlink(store, audit, made[1])  # Then one leaves it again.
    ack(op="series", ids=[made[1]], series=None)
    logged = audited(audit, logged)
    assert actions.erase(store, audit, made[2])
    ack(op="erase", id=made[2])
    logged = audited(audit, logged)
    purge(store, audit, 365)
    ack(op="erase", id=old)
    logged = audited(audit, logged)
    pin = StaffPin(folder, clock.now)
    pin.set(PIN)
    ack(op="pin", pin=PIN)
    logged = audited(audit, logged)
    audit.record("export", count=0)  # Something between: the set's cleared count is seen.
    logged = audited(audit, logged)
    assert not pin.check("000000", where="staff").ok
    ack(op="pin-failures", count=1)
    logged = audited(audit, logged)
    audit.record("kiosk-exit")
    logged = audited(audit, logged)


if __name__ == "__main__":
    day(Path(sys.argv[1]), sys.argv[2])
