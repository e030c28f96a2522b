"""Waiting for a condition, never for a fixed time: the one polling loop the
tests share."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

_T = TypeVar("_T")

WAIT_LIMIT_S = 30.0
"""How long a condition may take before the test fails: long enough for a
loaded CI machine, and never waited out by a passing test."""


def wait_until(condition: Callable[[], _T], what: str, limit: float = WAIT_LIMIT_S,
               every: float = 0.05) -> _T:
    """Ask `condition` every `every` seconds until it returns something
    true, and return that; fail naming `what` after `limit` seconds."""
    deadline = time.monotonic() + limit
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {limit:g} s waiting for {what}")
        time.sleep(every)
