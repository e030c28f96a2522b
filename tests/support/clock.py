"""The one moment the tests run at, and clocks fixed to it."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.clock import FakeClock

FIXED_NOW = datetime(2026, 11, 27, 14, 30, tzinfo=UTC)


def fixed_clock() -> datetime:
    """The wall clock the domain's tests run on."""
    return FIXED_NOW


def fake_clock() -> FakeClock:
    """The clocks the apps run on in tests: fixed until a test moves them."""
    return FakeClock(FIXED_NOW)
