"""The staff PIN: a salted scrypt hash in the data folder, with a lockout.

Five wrong PINs lock entry, and each lockout in a row lasts longer: 60 s,
5 min, 30 min, then twice as long each time, until a right PIN. The count
and the lock are kept per place (the kiosk's pad, the staff terminal), so a
client tapping at the kiosk never locks the front desk out. They live in a
file beside the hash, so restarting the app doesn't lift them, and change
under a file lock, so two terminals can't race past the limit. A state file
that can't be read is moved aside and counts as a lock: it fails closed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.access.audit import AuditLog
from kiosk.clock import WallClock, utc_now
from kiosk.files import data_lock, make_dirs, move_aside, write_atomically
from kiosk.i18n import Msg, msg

PIN_FILE = "staff_pin.json"
STATE_FILE = "pin_state.json"
PIN_LOCK = ".pin.lock"
MAX_TRIES = 5
LOCK_STEPS = (60, 5 * 60, 30 * 60)
"""The first lockouts in a row; each after those is twice the one before."""
LOCK_SECONDS = LOCK_STEPS[0]
MOST_LOCK_SECONDS = 24 * 60 * 60
PIN_DIGITS = (4, 12)
# scrypt costs: 16 MiB and about 50 ms a try on these machines.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def lock_seconds(lockouts: int) -> int:
    """How long the `lockouts`-th lockout in a row lasts (1 is the first)."""
    if lockouts <= len(LOCK_STEPS):
        return LOCK_STEPS[max(lockouts, 1) - 1]
    doublings = min(lockouts - len(LOCK_STEPS), 16)  # Past a day it stops growing.
    return min(LOCK_STEPS[-1] << doublings, MOST_LOCK_SECONDS)


def pin_problem(pin: str) -> str | None:
    """Why this can't be a PIN, or None."""
    low, high = PIN_DIGITS
    if not pin.isdigit() or not pin.isascii():
        return "A PIN is digits only."
    if not low <= len(pin) <= high:
        return f"A PIN is {low} to {high} digits."
    return None


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024,
                          dklen=32)


@dataclass(frozen=True)
class PinResult:
    """What a PIN attempt came to."""

    ok: bool
    tries_left: int = MAX_TRIES
    locked_seconds: int = 0
    """Seconds until entry opens again; 0 if it is not locked."""
    problem: Msg | None = None
    """Why no PIN can be checked at all (its file is missing or damaged)."""


class StaffPin:
    """The staff PIN of one data folder."""

    def __init__(self, data_dir: Path | str, clock: WallClock | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / PIN_FILE
        self.state_path = self.data_dir / STATE_FILE
        self.clock = clock or utc_now
        self.audit = AuditLog(self.data_dir, self.clock)

    def is_set(self) -> bool:
        return self.path.is_file()

    # -- Where the PIN and its lock state are kept (the database's PIN, in
    # kiosk.store.postgres.store, keeps them in a table instead) -------------------------

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        """Hold the PIN's lock while its hash and state are read and changed."""
        make_dirs(self.data_dir)
        with data_lock(self.data_dir, PIN_LOCK):
            yield

    def _write_saved(self, saved: dict[str, Any]) -> None:
        write_atomically(self.path, json.dumps(saved).encode())

    def _read_saved(self) -> Any:
        return json.loads(self.path.read_bytes())

    def set(self, pin: str) -> None:
        """Store a new PIN (raises ValueError if it isn't one); clears any lock."""
        problem = pin_problem(pin)
        if problem:
            raise ValueError(problem)
        salt = secrets.token_bytes(16)
        saved = {**_SCRYPT, "salt": salt.hex(), "hash": _hash(pin, salt, **_SCRYPT).hex()}
        with self._guarded():
            self._write_saved(saved)
            self._save_state({})
        self.audit.record("pin-set")

    def _state(self) -> dict[str, Any]:
        """Every place's count and lock. A file that does not read as that is
        moved aside (its bytes kept) and every place counts as locked."""
        try:
            data = self.state_path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError:
            return {place: self._damaged_lock() for place in PLACES}
        try:
            state = json.loads(data)
            if not isinstance(state, dict) or not all(
                    place in PLACES and _place_ok(entry) for place, entry in state.items()):
                raise ValueError("not a lock state")
        except ValueError:
            state = {place: self._damaged_lock() for place in PLACES}
            with suppress(OSError):
                move_aside(self.state_path)
                self.audit.record("pin-state-damaged")
                self._save_state(state)
            return state
        return state

    def _damaged_lock(self) -> dict[str, Any]:
        until = self.clock() + timedelta(seconds=LOCK_STEPS[0])
        return {"failures": 0, "lockouts": 1, "locked_until": until.isoformat()}

    def _save_state(self, state: dict[str, Any]) -> None:
        write_atomically(self.state_path, json.dumps(state).encode())

    def _locked_seconds(self, entry: dict[str, Any]) -> int:
        until = entry.get("locked_until")
        if not until:
            return 0
        left = (datetime.fromisoformat(until) - self.clock()).total_seconds()
        return max(0, int(left + 0.999))

    def locked_seconds(self, where: str = "staff") -> int:
        """Seconds until PIN entry opens again at this place; 0 if it is open."""
        return self._locked_seconds(self._state().get(where, {}))

    def _saved_hash(self) -> dict[str, Any] | None:
        try:
            saved = self._read_saved()
            bytes.fromhex(saved["hash"]), bytes.fromhex(saved["salt"])
            if not all(isinstance(saved[k], int) and 0 < saved[k] < 2**21
                       for k in ("n", "r", "p")):
                raise ValueError("bad costs")
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return saved if isinstance(saved, dict) else None

    def check(self, pin: str, *, where: str = "staff") -> PinResult:
        """Try a PIN at a place ("staff" or "kiosk"). Every attempt is in the
        audit log, never the PIN."""
        if where not in PLACES:
            raise ValueError(f"unknown place {where!r}")
        with self._guarded():
            state = self._state()
            entry = dict(state.get(where, {}))
            locked = self._locked_seconds(entry)
            if locked:
                self.audit.record("pin-refused-locked")
                return PinResult(False, 0, locked)
            saved = self._saved_hash()
            if saved is None:
                self.audit.record("pin-file-damaged")
                return PinResult(False, 0, 0, problem=PIN_FILE_PROBLEM)
            given = _hash(pin, bytes.fromhex(saved["salt"]), saved["n"], saved["r"], saved["p"])
            if hmac.compare_digest(given, bytes.fromhex(saved["hash"])):
                state.pop(where, None)
                self._save_state(state)
                self.audit.record(f"sign-in-{where}")
                return PinResult(True)
            failures = int(entry.get("failures", 0)) + 1
            self.audit.record("pin-failed")
            if failures >= MAX_TRIES:
                lockouts = int(entry.get("lockouts", 0)) + 1
                seconds = lock_seconds(lockouts)
                until = self.clock() + timedelta(seconds=seconds)
                state[where] = {"failures": 0, "lockouts": lockouts,
                                "locked_until": until.isoformat()}
                self._save_state(state)
                self.audit.record("pin-locked", count=seconds)
                return PinResult(False, 0, seconds)
            state[where] = {**entry, "failures": failures}
            self._save_state(state)
            return PinResult(False, MAX_TRIES - failures)


PLACES = ("staff", "kiosk")
PIN_FILE_PROBLEM = msg("The staff PIN file is missing or damaged. Set the PIN again at this "
                       "machine's terminal with: {command}", command="kiosk set-pin")
PIN_UNWRITABLE = msg("The PIN can't be checked now: the data folder can't be written. "
                     "Run {command} at this machine's terminal.", command="kiosk doctor")


def _place_ok(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    try:
        if "locked_until" in entry:
            datetime.fromisoformat(entry["locked_until"])
        return all(isinstance(entry.get(k, 0), int) for k in ("failures", "lockouts"))
    except (TypeError, ValueError):
        return False
