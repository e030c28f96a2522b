"""Delivery: a kiosk's check-ins, saved to its own data folder first, sent on
to the clinic's PostgreSQL database in the background.

The client's result never waits for the network: the kiosk saves locally,
exactly as without a database, and this worker sends what is waiting, oldest
first, in batches. A batch is one transaction of inserts that do nothing for
an id already there, so sending a check-in twice (a crash after the commit,
before it was marked here) stores it once. Only then is it marked delivered,
in `delivered.json` beside the day files. A database that is down, slow or
refusing is retried with growing waits (up to a minute), and never reaches
the screen: `kiosk doctor` reports it. A delivered check-in's local copy is
erased `local_keep_days` after its delivery.

Only INSERT is needed on the database: the kiosk's role can't read the
clinic's history (README: "Several machines").
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.clock import WallClock
from kiosk.files import StoreError, data_lock, move_aside, write_atomically
from kiosk.store.contract import ArchiveDamaged, ConsentText, Record
from kiosk.store.dayfiles.store import CheckInStore
from kiosk.store.postgres import DatabaseError
from kiosk.store.shared import created

LEDGER_FILE = "delivered.json"
"""Check-in id to when it was delivered."""
STATE_FILE = "delivery.json"
"""The last delivery and the last error, for `kiosk doctor`."""
BATCH = 200
"""Check-ins sent in one transaction."""
LONGEST_WAIT = 60.0
"""The longest wait between tries while the database fails, in seconds."""



@dataclass
class DeliveryReport:
    """Where a kiosk's deliveries stand, for `kiosk doctor`."""

    waiting: int = 0
    oldest: str | None = None
    """When the oldest check-in still waiting was made (UTC, ISO)."""
    last_delivery: str | None = None
    last_error: str | None = None
    """The last failure, one line, and when (cleared by a delivery)."""

    def lines(self) -> list[str]:
        said = [f"deliveries: {self.waiting} check-in(s) waiting"
                + (f", the oldest made {self.oldest}" if self.oldest else "")]
        said.append(f"last delivery: {self.last_delivery or 'none yet'}")
        if self.last_error:
            said.append(f"last delivery error: {self.last_error}")
        return said


class Delivery:
    """Sends the check-ins in `store`'s folder to the database at `url`."""

    def __init__(self, store: CheckInStore, url: str, *, site: str, keep_days: int,
                 clock: WallClock) -> None:
        self.store = store
        self.url = url
        self.site = site
        self.keep_days = keep_days
        self.clock = clock
        self.ledger_path = store.data_dir / LEDGER_FILE
        self.state_path = store.data_dir / STATE_FILE
        self.wake = threading.Event()
        """Set after a save: deliver now rather than at the next try."""
        self.stop = threading.Event()

    # -- What is delivered ------------------------------------------------------

    def _read(self, path: Path, *, times: bool = True) -> dict[str, str]:
        """A table of text (`times`: each an ISO time). A file that doesn't
        read as that is moved aside, its bytes kept, and read as empty: for
        the ledger, every check-in here is sent again, and the database keeps
        the one it has."""
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return {}
        except ValueError:
            data = None
        try:
            if not isinstance(data, dict):
                raise ValueError("not a table")
            for value in data.values():
                if times:
                    datetime.fromisoformat(value)
                elif not isinstance(value, str):
                    raise TypeError("not text")
        except (TypeError, ValueError):
            with suppress(OSError):
                move_aside(path)
            return {}
        return data

    def _now(self) -> str:
        return self.clock().astimezone(UTC).isoformat(timespec="seconds")

    def waiting(self) -> list[Record]:
        """The check-ins not delivered yet, oldest first."""
        delivered = self._read(self.ledger_path)
        return [record for record in self.store.all() if record["id"] not in delivered]

    def _mark(self, ids: list[str]) -> None:
        with data_lock(self.store.data_dir, ".delivery.lock"):
            ledger = self._read(self.ledger_path)
            stamp = self._now()
            ledger.update((checkin_id, stamp) for checkin_id in ids)
            write_atomically(self.ledger_path, json.dumps(ledger).encode("utf-8"))

    def _note(self, **state: str | None) -> None:
        known = self._read(self.state_path, times=False)
        known.update({key: value for key, value in state.items() if value is not None})
        for key, value in state.items():
            if value is None:
                known.pop(key, None)
        # A full disk: the report is stale; the check-ins are not lost.
        with suppress(OSError):
            write_atomically(self.state_path, json.dumps(known).encode("utf-8"))

    # -- Sending ----------------------------------------------------------------

    def deliver(self) -> int:
        """Send everything waiting, a batch at a time; returns how many were
        sent. Raises `DatabaseError` or `StoreError` when it can't."""
        from kiosk.store.postgres.store import insert_new

        sent = 0
        while True:
            batch = self.waiting()[:BATCH]
            if not batch:
                break
            insert_new(self.url, batch, self.site, self._texts_of(batch))
            # Committed. A crash before the next line sends them again, and
            # the database keeps the first.
            self._mark([record["id"] for record in batch])
            sent += len(batch)
            self._note(last_delivery=self._now(), last_error=None)
        self.erase_delivered()
        return sent

    def _texts_of(self, batch: list[Record]) -> list[ConsentText]:
        """The texts a batch points to (consent documents, the questions
        asked), from this folder's archive, sent with it: the desk reads the
        exact words where the check-ins are."""
        versions = {agreed["version"] for record in batch
                    for agreed in record.get("consents", [])}
        versions |= {record["questionnaire"] for record in batch
                     if isinstance(record.get("questionnaire"), str)}
        texts = []
        for version in sorted(versions):
            with suppress(ArchiveDamaged):
                kept = self.store.consent_text(version)
                if kept is not None:
                    texts.append(kept)
        return texts

    def erase_delivered(self) -> int:
        """Erase local copies delivered more than `keep_days` ago."""
        ledger = self._read(self.ledger_path)
        cutoff = self.clock().astimezone(UTC) - timedelta(days=self.keep_days)
        old = [checkin_id for checkin_id, when in ledger.items()
               if datetime.fromisoformat(when) < cutoff]
        for checkin_id in old:
            self.store.delete(checkin_id)
        if old:
            with data_lock(self.store.data_dir, ".delivery.lock"):
                ledger = self._read(self.ledger_path)
                for checkin_id in old:
                    ledger.pop(checkin_id, None)
                write_atomically(self.ledger_path, json.dumps(ledger).encode("utf-8"))
        return len(old)

    def run(self, sleep: Callable[[threading.Event, float], bool] | None = None) -> None:
        """Deliver until `stop` is set: at once after a save (`wake`), else
        every few seconds; after a failure, wait longer each time."""
        wait = 1.0
        pause = sleep or (lambda event, seconds: event.wait(seconds))
        while not self.stop.is_set():
            self.wake.clear()
            try:
                self.deliver()
                wait = 1.0
            except (DatabaseError, StoreError, OSError) as error:
                self._note(last_error=f"{self._now()}: {error}")
                wait = min(wait * 2, LONGEST_WAIT)
            pause(self.wake, wait if wait > 1.0 else 5.0)

    def report(self) -> DeliveryReport:
        report = DeliveryReport()
        try:
            waiting = self.waiting()
            state = self._read(self.state_path, times=False)
        except (StoreError, OSError) as error:
            report.last_error = str(error)
            return report
        report.waiting = len(waiting)
        if waiting:
            report.oldest = created(waiting[0]).isoformat(timespec="seconds")
        report.last_delivery = state.get("last_delivery")
        report.last_error = state.get("last_error")
        return report
