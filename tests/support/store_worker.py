"""A separate process that hammers a check-in store, for the crash and
concurrency tests.

    python tests/support/store_worker.py crash DATA_DIR
        adds check-ins until killed, printing each id once add() returned
    python tests/support/store_worker.py share DATA_DIR INDEX COUNT
        adds COUNT check-ins with known ids, and sets the status of each of the
        next worker's check-ins as they appear; prints "done" at the end
    python tests/support/store_worker.py linker DATA_DIR ANCHOR
        adds check-ins and links each to ANCHOR's series until killed,
        printing each id once link() returned
    python tests/support/store_worker.py regroup DATA_DIR SERIES ID...
        takes each ID out of SERIES and puts it back, over and over, until
        killed (each a renumbering across day files); prints "ready" first
    python tests/support/store_worker.py link DATA_DIR ANCHOR ID...
        links each ID to ANCHOR's series; prints "done" at the end
"""

from __future__ import annotations

import sys
import time
import uuid

from kiosk.store.dayfiles.store import CheckInStore

NAMESPACE = uuid.UUID("6f1c3f40-9a57-4f0e-8f8e-4c1f8a0f7a11")
WORKERS = 3
STATUS_CYCLE = ("with_therapist", "done", "no_show")


def shared_id(worker: int, number: int) -> str:
    """The id worker `worker` gives its check-in number `number`."""
    return str(uuid.uuid5(NAMESPACE, f"{worker}-{number}"))


def status_for(number: int) -> str:
    """The status the previous worker sets on check-in number `number`."""
    return STATUS_CYCLE[number % len(STATUS_CYCLE)]


def _record(first: str, checkin_id: str | None = None) -> dict:
    record = {"answers": {"name": {"first": first, "last_initial": "Q"}},
              "recommendation": {"type": "spa", "name": "Spa massage", "why": "To relax."},
              "flags": [], "status": "waiting"}
    if checkin_id:
        record["id"] = checkin_id
    return record


def regroup(data_dir: str, series: str, ids: list[str]) -> None:
    store = CheckInStore(data_dir)
    print("ready", flush=True)
    while True:
        for checkin_id in ids:
            store.unlink(checkin_id)
            store.rejoin(checkin_id, series)


def crash(data_dir: str) -> None:
    store = CheckInStore(data_dir)
    print("ready", flush=True)
    number = 0
    while True:
        number += 1
        checkin_id = store.add(_record(f"Crash{number}"))
        print(checkin_id, flush=True)


def share(data_dir: str, worker: int, count: int) -> None:
    store = CheckInStore(data_dir)
    neighbour = (worker + 1) % WORKERS
    todo = list(range(count))
    for number in range(count):
        store.add(_record(f"P{worker}n{number}", shared_id(worker, number)))
        # Move along whichever of the neighbour's check-ins exist by now.
        todo = [n for n in todo if not store.set_status(shared_id(neighbour, n), status_for(n))]
    deadline = time.monotonic() + 300
    while todo and time.monotonic() < deadline:
        todo = [n for n in todo if not store.set_status(shared_id(neighbour, n), status_for(n))]
    print("done" if not todo else f"gave up on {len(todo)}", flush=True)


def linker(data_dir: str, anchor: str) -> None:
    store = CheckInStore(data_dir)
    print("ready", flush=True)
    number = 0
    while True:
        number += 1
        checkin_id = store.add(_record("Linked"))
        store.link(checkin_id, to=anchor)
        print(checkin_id, flush=True)


def link(data_dir: str, anchor: str, ids: list[str]) -> None:
    store = CheckInStore(data_dir)
    for checkin_id in ids:
        store.link(checkin_id, to=anchor)
    print("done", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "crash":
        crash(sys.argv[2])
    elif sys.argv[1] == "linker":
        linker(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "link":
        link(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif sys.argv[1] == "regroup":
        regroup(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        share(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
