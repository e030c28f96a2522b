"""The staff PIN: a salted scrypt hash in the data folder, with a lockout.

Five wrong PINs lock entry for 60 seconds. The count and the lock live in a
file beside the hash, so restarting the app doesn't lift them, and they are
updated under a file lock so two terminals can't race past the limit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.audit import AuditLog
from kiosk.clock import WallClock, utc_now
from kiosk.files import data_lock, write_atomically

PIN_FILE = "staff_pin.json"
STATE_FILE = "pin_state.json"
PIN_LOCK = ".pin.lock"
MAX_TRIES = 5
LOCK_SECONDS = 60
PIN_DIGITS = (4, 12)
# scrypt costs: 16 MiB and about 50 ms a try on these machines.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


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

    def set(self, pin: str) -> None:
        """Store a new PIN (raises ValueError if it isn't one); clears any lock."""
        problem = pin_problem(pin)
        if problem:
            raise ValueError(problem)
        salt = secrets.token_bytes(16)
        saved = {**_SCRYPT, "salt": salt.hex(), "hash": _hash(pin, salt, **_SCRYPT).hex()}
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        with data_lock(self.data_dir, PIN_LOCK):
            write_atomically(self.path, json.dumps(saved).encode())
            self._save_state({})
        self.audit.record("pin-set")

    def _state(self) -> dict[str, Any]:
        try:
            state = json.loads(self.state_path.read_bytes())
        except (FileNotFoundError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _save_state(self, state: dict[str, Any]) -> None:
        write_atomically(self.state_path, json.dumps(state).encode())

    def _locked_seconds(self, state: dict[str, Any]) -> int:
        until = state.get("locked_until")
        if not until:
            return 0
        left = (datetime.fromisoformat(until) - self.clock()).total_seconds()
        return max(0, int(left + 0.999))

    def locked_seconds(self) -> int:
        """Seconds until PIN entry opens again; 0 if it is open."""
        return self._locked_seconds(self._state())

    def check(self, pin: str, *, where: str = "staff") -> PinResult:
        """Try a PIN. Every attempt is in the audit log, never the PIN."""
        with data_lock(self.data_dir, PIN_LOCK):
            state = self._state()
            locked = self._locked_seconds(state)
            if locked:
                self.audit.record("pin-refused-locked")
                return PinResult(False, 0, locked)
            saved = json.loads(self.path.read_bytes())
            expected = bytes.fromhex(saved["hash"])
            given = _hash(pin, bytes.fromhex(saved["salt"]), saved["n"], saved["r"], saved["p"])
            if hmac.compare_digest(given, expected):
                self._save_state({})
                self.audit.record(f"sign-in-{where}")
                return PinResult(True)
            failures = int(state.get("failures", 0)) + 1
            self.audit.record("pin-failed")
            if failures >= MAX_TRIES:
                until = self.clock() + timedelta(seconds=LOCK_SECONDS)
                self._save_state({"failures": 0, "locked_until": until.isoformat()})
                self.audit.record("pin-locked")
                return PinResult(False, 0, LOCK_SECONDS)
            self._save_state({"failures": failures})
            return PinResult(False, MAX_TRIES - failures)
