"""Telling the practitioner a client has arrived: a notice, from an outbox in
the data folder, to the clinic's webhook (a JSON POST: a self-hosted ntfy
server, their chat tool), retried until it goes.

A notice carries the booking's time, the practitioner, and the client's
first name and last initial: nothing of what they answered. A flagged
check-in's notice says "see the desk first", and no more.

Putting a notice in the outbox is one small durable file; the client's
result never waits for the network. A notice still unsent an hour after
the booking's start is dropped: it would tell nobody anything.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.clock import WallClock
from kiosk.files import fsync_dir, make_dirs, move_aside, write_atomically

OUTBOX = "outbox"
STATE_FILE = "notices.json"
SEND_SECONDS = 5.0
"""How long the webhook may take to answer."""
LONGEST_WAIT = 60.0
STALE_AFTER = timedelta(hours=1)
"""A notice not sent this long after its booking's start is dropped."""
MOST_ANSWER = 64 * 1024
"""The most of the webhook's answer read (then ignored)."""


@dataclass(frozen=True)
class Notice:
    """An arrival, as the practitioner is told of it."""

    starts_at: datetime
    time: str
    """The booking's time as the clinic writes it ("2:30 PM")."""
    practitioner: str
    client: str
    """First name and last initial: "Ann B."."""
    see_desk_first: bool
    text: str
    """The sentence, in the clinic's language."""

    def payload(self) -> dict[str, Any]:
        return {"text": self.text, "message": self.text, "time": self.time,
                "starts_at": self.starts_at.astimezone(UTC).isoformat(),
                "practitioner": self.practitioner, "client": self.client,
                "see_desk_first": self.see_desk_first}


class Outbox:
    """Notices waiting in `data_dir/outbox`, and the sender that posts them."""

    def __init__(self, data_dir: Path, url: str, clock: WallClock) -> None:
        self.folder = Path(data_dir) / OUTBOX
        self.state_path = Path(data_dir) / STATE_FILE
        self.url = url
        self.clock = clock
        self.wake = threading.Event()
        """Set when a notice is put in: send it now."""
        self.stop = threading.Event()

    def put(self, notice: Notice) -> None:
        """Keep a notice until it is sent (durable: raises OSError if not)."""
        make_dirs(self.folder)
        stamp = self.clock().astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.json"
        write_atomically(path, json.dumps(notice.payload(), ensure_ascii=False).encode())
        self.wake.set()

    def waiting(self) -> list[Path]:
        try:
            return sorted(self.folder.glob("*.json"))
        except OSError:
            return []

    def send_waiting(self, post: Callable[[str, bytes], None] | None = None) -> int:
        """Post every notice waiting, oldest first; returns how many went.
        Raises OSError for the first that can't be sent (the rest wait)."""
        post = post or send
        sent = 0
        for path in self.waiting():
            try:
                payload = json.loads(path.read_bytes())
                starts = datetime.fromisoformat(payload["starts_at"])
            except (OSError, ValueError, KeyError, TypeError):
                with suppress(OSError):
                    move_aside(path)  # Not a notice any more: kept for a look.
                continue
            if self.clock() - starts > STALE_AFTER:
                self._drop(path)
                self._note(dropped=True)
                continue
            post(self.url, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
            self._drop(path)
            sent += 1
            self._note(sent=True)
        return sent

    def _drop(self, path: Path) -> None:
        with suppress(FileNotFoundError):
            path.unlink()
        fsync_dir(path.parent)

    def _note(self, *, sent: bool = False, dropped: bool = False,
              error: str | None = None) -> None:
        state = self.state()
        now = self.clock().astimezone(UTC).isoformat(timespec="seconds")
        if sent:
            state["last_sent"], state["last_error"] = now, None
        if dropped:
            state["dropped"] = int(state.get("dropped") or 0) + 1
        if error is not None:
            state["last_error"] = f"{now}: {error}"
        with suppress(OSError):
            write_atomically(self.state_path, json.dumps(state).encode("utf-8"))

    def state(self) -> dict[str, Any]:
        """The last notice sent, the last error, and how many were dropped."""
        try:
            data = json.loads(self.state_path.read_bytes())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def run(self, sleep: Callable[[threading.Event, float], bool] | None = None) -> None:
        """Send until `stop` is set: at once when woken, after a failure a
        little later each time (up to a minute)."""
        wait = 1.0
        pause = sleep or (lambda event, seconds: event.wait(seconds))
        while not self.stop.is_set():
            self.wake.clear()
            try:
                self.send_waiting()
                wait = 1.0
            except OSError as error:
                self._note(error=reason(error))
                wait = min(wait * 2, LONGEST_WAIT)
            pause(self.wake, wait if wait > 1.0 else 30.0)


def reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"the webhook answered {error.code}"
    cause = getattr(error, "reason", None) or getattr(error, "strerror", None) or error
    text = "".join(char for char in str(cause) if char.isprintable())
    return f"the webhook could not be reached ({text[:80]})"


def send(url: str, body: bytes) -> None:
    """One POST of a JSON body; OSError unless the answer is 2xx."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "clinic-kiosk"})
    with urllib.request.urlopen(request, timeout=SEND_SECONDS) as answer:
        answer.read(MOST_ANSWER)


def arrival_notice_for(record: Mapping[str, Any], language: str) -> Notice | None:
    """The notice for a saved check-in matched to a booking, in the clinic's
    language; None for one with no booking. Only the time, the practitioner
    and the name as the kiosk asked it: no answer, no flag's words."""
    from kiosk.checkin.record import client_name
    from kiosk.i18n import words

    appointment = record.get("appointment")
    if not isinstance(appointment, Mapping) or not appointment.get("id"):
        return None
    said = words(language)
    starts = datetime.fromisoformat(str(appointment["starts_at"]))
    time = said.time(starts.astimezone())
    practitioner = str(appointment.get("practitioner", ""))
    client = client_name(record)
    flagged = bool(record.get("flags"))
    text = (said._("{client} has arrived for {time} with {practitioner}", client=client,
                   time=time, practitioner=practitioner) if practitioner else
            said._("{client} has arrived for {time}", client=client, time=time))
    if flagged:
        text = said._("{arrival}: see the desk first", arrival=text)
    return Notice(starts_at=starts, time=time, practitioner=practitioner, client=client,
                  see_desk_first=flagged, text=text)
