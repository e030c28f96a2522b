"""Soak: many visits in one kiosk process, and what memory keeps growing.

Each visit goes Welcome → walkthrough → questionnaire (answered) → review →
saved → result with its QR code → Welcome, in one process through Pilot.
After a warm-up, it measures the growth of the resident set (RSS) and of
the live objects Python tracks. Beside it, in the same run, a bare Textual
app pushes and pops a one-label screen as many times: the baseline.
Target: RSS growth after warm-up <= 5 MiB.

    python bench/soak.py [--visits 1000] [--warmup 100]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Label

from kiosk.clock import FakeClock
from kiosk.settings import load_settings

MIB = 1024 * 1024
VISIT = {
    "name": {"first": "Soak", "last_initial": "T"},
    "reasons": ["chronic_pain"], "injury": "none", "referral": "no", "focus": ["neck"],
    "avoid": ["nothing"], "pain": 6, "pressure": "medium", "experience": "before",
    "health": ["none"], "consent": True,
}


def rss() -> int:
    """This process's resident set, in bytes, once the C allocator has given
    back what it holds free (glibc keeps freed memory of finished threads)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # Not glibc: all of it counts.
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@dataclass
class Growth:
    rss: int
    objects: int
    cpu: float = 0.0
    """CPU seconds (this process's) per step, after warm-up."""
    kinds: list[tuple[str, int]] | None = None
    """The types whose live objects grew most."""


def _census() -> dict[str, int]:
    counts: dict[str, int] = {}
    for thing in gc.get_objects():
        name = type(thing).__qualname__
        counts[name] = counts.get(name, 0) + 1
    return counts


async def _growth(step: Callable[[], Awaitable[None]], count: int, warmup: int) -> Growth:
    """What `count` more steps leave behind, once `warmup` steps have run."""
    for _ in range(warmup):
        await step()
    gc.collect()
    start = Growth(rss(), len(gc.get_objects()))
    before = _census()
    cpu = time.process_time()
    for _ in range(count):
        await step()
    cpu = (time.process_time() - cpu) / max(count, 1)
    gc.collect()
    after = _census()
    kinds = sorted(((name, after[name] - before.get(name, 0)) for name in after),
                   key=lambda pair: -pair[1])[:8]
    return Growth(rss() - start.rss, len(gc.get_objects()) - start.objects, cpu, kinds)


POLL_S = 0.002
"""How often a condition is looked at while the app runs."""


async def _until(app: App[None], condition: Callable[[], object], what: str) -> None:
    """Let the app run until `condition` holds (10 s at most): its own
    timers draw the frames, as in a kiosk.

    Not `Pilot.pause`: each pause waits with a 30-second timeout, and
    asyncio keeps a finished wait's timer in its queue until those 30 s
    are up, with the context it was made in, which holds the screens of
    that moment. Visits in a loop would keep the last 30 seconds' screens
    alive: memory that grows and shrinks with the pace of the visits, not
    with anything the kiosk keeps.
    """
    deadline = time.monotonic() + 10
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}; screens {[s.id for s in app.screen_stack]}")
        await asyncio.sleep(POLL_S)


def _shown(app: App[None], screen_id: str, selector: str = "*") -> bool:
    """The screen is up with `selector` on it, as a client would see it:
    every widget on it mounted."""
    screen = app.screen
    return screen.id == screen_id and bool(screen.query(selector)) and all(
        widget.is_mounted for widget in screen.walk_children(with_self=True))


async def kiosk_visits(visits: int, warmup: int, data_dir: Path, *,
                       keyboard: bool = True) -> Growth:
    """Growth over `visits` after `warmup` visits, in one kiosk process (with
    the on-screen keyboard, as `kiosk run` has it, unless `keyboard` is off)."""
    from screens.app import make_app
    from screens.questionnaire import QuestionnaireScreen
    from screens.welcome import WelcomeScreen

    settings = replace(load_settings(data_dir=data_dir, environ={}), touch_keyboard=keyboard)
    # A clock that stands still: no visit is left idle, whatever the pace.
    clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
    app = make_app(settings, clock=clock)
    async with app.run_test(size=(80, 24)):
        async def visit() -> None:
            app.on_welcome_screen_start_pressed(WelcomeScreen.StartPressed("first"))
            await _until(app, lambda: _shown(app, "walkthrough"), "walkthrough")
            app.on_walkthrough_screen_finished()
            await _until(app, lambda: _shown(app, "questionnaire"), "questionnaire")
            screen = app.screen
            assert isinstance(screen, QuestionnaireScreen)
            await _until(app, lambda: _shown(app, "questionnaire", "#question-name"), "question 1")
            screen.answers.update(VISIT)
            screen.index = len(screen.questions)
            await _until(app, lambda: _shown(app, "questionnaire", "#review"), "review")
            screen._next()
            await _until(app, lambda: _shown(app, "result"), "result")
            await app.on_result_screen_done()
            await _until(app, lambda: _shown(app, "welcome"), "welcome")
            # Welcome waits, idle, for the next client: a callback a screen
            # left for "after the next refresh" (Textual hands it to the
            # screen current at the time) runs then. Here too, so a loop of
            # visits faster than any client doesn't keep them queued.
            await _until(app, lambda: not app.screen._callbacks, "welcome idle")
            # Each visit on a day of its own: a day file that grows with the
            # day's check-ins is data, not memory the program keeps.
            clock.advance(24 * 60 * 60, wall_only=True)

        return await _growth(visit, visits, warmup)


class _Page(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Label("A page")


class _Bare(App[None]):
    pass


async def bare_pages(pages: int, warmup: int) -> Growth:
    """The baseline: a bare Textual app pushing and popping a simple screen."""
    app = _Bare()
    async with app.run_test(size=(80, 24)):
        async def page() -> None:
            shown = _Page()
            await app.push_screen(shown)
            await _until(app, lambda: shown.is_current and not shown._callbacks, "the page")
            await app.pop_screen()
            await _until(app, lambda: not app.screen._callbacks, "the screen below")

        return await _growth(page, pages, warmup)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1000)
    # RSS climbs for the first hundred visits or so (glibc keeps the stacks
    # and arenas of the save workers' threads), then stays: warm up past it.
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--ours-only", action="store_true",
                        help="print only our RSS growth in bytes (for the suite's soak test)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ours = asyncio.run(kiosk_visits(args.visits, args.warmup, Path(folder) / "data"))
    if args.ours_only:
        print(ours.rss, ours.objects)
        print(ours.kinds)
        print(f"CPU {ours.cpu * 1000:.0f} ms a visit")
        return
    base = asyncio.run(bare_pages(args.visits, args.warmup))
    print(f"{args.visits} visits after {args.warmup} to warm up, one process, 80x24 Pilot")
    print(f"{'':34}{'RSS growth':>12}{'live objects':>14}{'CPU a step':>12}")
    print(f"{'baseline: bare app, a screen a time':34}{base.rss / MIB:>10.2f}MiB"
          f"{base.objects:>14}{base.cpu * 1000:>10.1f}ms")
    print(f"{'ours: kiosk visits':34}{ours.rss / MIB:>10.2f}MiB{ours.objects:>14}"
          f"{ours.cpu * 1000:>10.1f}ms")
    # The baseline's growth is often zero pages: the ratio is against at least 1 MiB.
    ratio = ours.rss / max(base.rss, MIB)
    print(f"{'ratio (RSS growth, per MiB of it)':34}{ratio:>11.2f}x   target: ours <= 5 MiB "
          f"({'met' if ours.rss <= 5 * MIB else 'NOT met'})")


if __name__ == "__main__":
    main()
