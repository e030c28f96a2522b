"""The garbage collector's pace in a process that draws the screens."""

from __future__ import annotations

import gc
import subprocess
import sys

from screens.collector import MIDDLE_PACE, pace_for_a_long_day
from tests.support.paths import ROOT


def _thresholds_after(code: str) -> tuple[int, int, int]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=True, timeout=60)
    young, middle, old = map(int, done.stdout.split())
    return young, middle, old


def test_a_process_that_draws_the_screens_collects_the_middle_generation_less_often() -> None:
    """Before: the default pace (700, 10, 10), under which a visit spent about
    a third of its CPU in full collections of the heap."""
    default = _thresholds_after("import gc; print(*gc.get_threshold())")
    paced = _thresholds_after("import gc, screens; print(*gc.get_threshold())")
    assert paced == (default[0], MIDDLE_PACE, default[2])


def test_the_pace_is_set_once_and_never_made_faster() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(before[0], MIDDLE_PACE * 2, before[2])
        pace_for_a_long_day()
        assert gc.get_threshold() == (before[0], MIDDLE_PACE * 2, before[2])
        gc.set_threshold(before[0], 10, before[2])
        pace_for_a_long_day()
        pace_for_a_long_day()
        assert gc.get_threshold() == (before[0], MIDDLE_PACE, before[2])
    finally:
        gc.set_threshold(*before)
