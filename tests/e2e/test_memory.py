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


async def test_the_soak_keeps_no_screen_of_a_finished_visit_alive(tmp_path, monkeypatch) -> None:
    """Before: the soak waited with `Pilot.pause`, whose finished 30-second
    timeouts stay in asyncio's queue with the screens of their moment, so
    each visit's walkthrough stayed alive for 30 s, and the growth the soak
    measured swung with the pace of the visits (+117,576 objects and
    7.03 MiB in one loaded run)."""
    import importlib.util

    from screens.walkthrough import WalkthroughScreen

    spec = importlib.util.spec_from_file_location("soak", ROOT / "bench" / "soak.py")
    assert spec is not None and spec.loader is not None
    soak = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "soak", soak)  # Its dataclasses look themselves up.
    spec.loader.exec_module(soak)
    alive: list[int] = []

    async def visits(step, count: int, warmup: int):
        for _ in range(6):
            await step()
        gc.collect()
        alive.append(sum(1 for thing in gc.get_objects() if isinstance(thing, WalkthroughScreen)))
        return soak.Growth(0, 0)

    monkeypatch.setattr(soak, "_growth", visits)
    await soak.kiosk_visits(6, 0, tmp_path / "data")
    assert alive == [0], f"{alive[0]} walkthroughs of finished visits alive"
