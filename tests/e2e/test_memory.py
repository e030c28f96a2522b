"""Memory over a kiosk's long day: what many visits leave behind."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest
from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Label

import screens  # noqa: F401  (applies screens.textual_fixes, as the apps do)
from tests.support.paths import ROOT

MIB = 1024 * 1024


class _Page(Screen[None]):
    def compose(self) -> ComposeResult:
        yield from (Label(f"line {n}") for n in range(20))


async def test_screens_that_are_gone_leave_no_rendered_lines_behind() -> None:
    """Before (Textual 8.2.8, Textualize/textual#6665): every widget ever
    drawn was kept, with its rendered lines, by an lru_cache keyed on its
    StylesCache, up to 1,024 of them."""
    app: App[None] = App()
    async with app.run_test(size=(40, 24)) as pilot:
        for _ in range(30):
            await app.push_screen(_Page())
            await pilot.pause()
            await app.pop_screen()
            await pilot.pause()
        gc.collect()
        alive = sum(1 for thing in gc.get_objects() if isinstance(thing, StylesCache))
        widgets = sum(1 for _ in app.screen.walk_children()) + 2
    assert alive <= widgets * 2, f"{alive} StylesCache objects alive for {widgets} widgets"


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_two_hundred_visits_in_one_process_grow_memory_by_at_most_5_mib() -> None:
    """The soak, in the suite: 200 visits through Pilot after 100 to warm up
    (as the benchmark does: Textual's caches fill over the first hundred or
    so), in a process of their own (bench/soak.py), measured as the
    benchmark measures it. Target: resident set growth <= 5 MiB."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "soak.py"), "--visits", "200", "--warmup", "100",
         "--ours-only"], capture_output=True, text=True, timeout=1400, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    rss, objects = map(int, done.stdout.split("\n")[0].split())
    print(f"200 visits after 100: RSS grew {rss / MIB:.2f} MiB, live objects by {objects}, "
          f"{done.stdout.splitlines()[-1]}")
    assert rss <= 5 * MIB, f"RSS grew {rss / MIB:.2f} MiB over 200 visits; kinds {done.stdout}"
