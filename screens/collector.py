"""The garbage collector's pace, for a Textual app that runs all day.

Each frame Textual draws makes thousands of short-lived objects (lines of
cells and their small caches). With Python's default pace (a middle-aged
collection every 10 young ones), many of them live just long enough to be
moved to the oldest generation, and the collector then walks the whole heap
again and again: measured over a visit, those full collections were about
a third of the kiosk's CPU time, a tenth of a second each, in the middle of
a client's taps.

Collecting the middle generation less often lets those objects die young.
Nothing is kept that would have been freed: every generation is still
collected, only the middle one at a slower pace.

Start-up is different: what it builds (modules, classes, styles, the first
screen) lives all day, so a collection then frees almost nothing. `kiosk
run` and `kiosk staff` turn the collector off before Textual loads
(`kiosk.cli.apps`), which took about a twentieth off the first screen's
time (`bench/startup.py`), and `CollectsOnceDrawn` turns it back on once the
first screen is drawn.
"""

from __future__ import annotations

import gc

MIDDLE_PACE = 50
"""Young collections between two of the middle generation (Python's
default is 10)."""


class CollectsOnceDrawn:
    """For an `App`: set `collector_held` when the process turned the
    collector off for start-up, and it is turned back on once the first
    screen is drawn (Textual's `Ready`). Off by default: a test's process
    keeps its own collector as it is."""

    collector_held = False

    def on_ready(self) -> None:
        if self.collector_held:
            self.collector_held = False
            gc.enable()


def pace_for_a_long_day() -> None:
    """Collect the middle generation every `MIDDLE_PACE` young collections
    (once per process; the young and old thresholds are left as they are)."""
    young, middle, old = gc.get_threshold()
    if middle < MIDDLE_PACE:
        gc.set_threshold(young, MIDDLE_PACE, old)
