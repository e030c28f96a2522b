"""The soak benchmark's bound, in the suite: 200 visits in one process, and
the memory after the first hundred does not keep growing (bench/soak.py runs
1,000 beside a baseline)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from soak import MIB, kiosk_visits


def test_two_hundred_visits_leave_no_growing_memory(tmp_path: Path) -> None:
    # Without the on-screen keyboard, whose forty keys make each visit twice
    # as long to draw: the suite's time is shared (the benchmark keeps it).
    growth = asyncio.run(kiosk_visits(visits=100, warmup=100, data_dir=tmp_path / "data",
                                      keyboard=False))
    assert growth.rss <= 5 * MIB, f"RSS grew {growth.rss / MIB:.1f} MiB over 100 visits"
