"""The one clock: wall time for records and screens, monotonic time for timeouts.

Everything that reads the time takes a `Clock` (the apps and screens) or a
`WallClock` (the domain: store, audit log, PIN), so tests and snapshots run
on a `FakeClock` they move by hand instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

WallClock = Callable[[], datetime]
"""Gives the current time, aware, for what is stored and shown."""


def utc_now() -> datetime:
    """The real wall clock, in UTC."""
    return datetime.now(UTC)


class Clock(Protocol):
    """Both clocks the apps need."""

    def now(self) -> datetime:
        """The wall time, aware."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back: for idle time and timeouts."""
        ...


class SystemClock:
    """The machine's clocks."""

    def now(self) -> datetime:
        return utc_now()

    def monotonic(self) -> float:
        return time.monotonic()


SYSTEM_CLOCK = SystemClock()


class FakeClock:
    """A clock that moves only when told: `advance(61)` is a minute gone by."""

    def __init__(self, start: datetime, monotonic: float = 1000.0) -> None:
        self._now = start
        self._monotonic = monotonic

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, seconds: float, *, wall_only: bool = False) -> None:
        """Move both clocks on by this many seconds (only the wall clock, as a
        change of day or time zone would, with `wall_only`)."""
        self._now += timedelta(seconds=seconds)
        if not wall_only:
            self._monotonic += seconds
