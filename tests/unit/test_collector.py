"""The garbage collector's pace in a process that draws the screens."""

from __future__ import annotations

import gc
import subprocess
import sys
from types import SimpleNamespace

import pytest

from kiosk.content.model import load_content
from screens.collector import MIDDLE_PACE, pace_for_a_long_day
from screens.staff_app import StaffApp
from tests.support.clock import fake_clock
from tests.support.e2e import set_pin
from tests.support.kiosk_app import kiosk
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


@pytest.mark.parametrize("command", ["run", "staff"])
def test_kiosk_run_and_staff_start_the_app_with_the_collector_held(
        command, settings, monkeypatch) -> None:
    """Before: the collector ran through start-up, about 10 ms of the first
    screen's 210 (bench/startup.py) spent walking what lives all day."""
    import kiosk.cli.apps as apps
    import screens.app
    import screens.staff_app

    seen: dict[str, bool] = {}

    class _App:
        contain_crashes = False
        collector_held = False
        gave_up = False
        return_code = 0
        content_error = None
        signal_stop = SimpleNamespace(signal=None)

        def run(self) -> None:
            seen["collecting"] = gc.isenabled()
            seen["held"] = self.collector_held

    monkeypatch.setattr(apps, "_no_terminal", lambda: None)
    monkeypatch.setattr(screens.app, "make_app", lambda settings: _App())
    monkeypatch.setattr(screens.staff_app, "make_staff_app", lambda settings: _App())
    if command == "staff":
        set_pin(settings.data_dir)  # The desk asks for its PIN first.
    start = apps._run if command == "run" else apps._staff
    try:
        assert start(settings) == 0
    finally:
        gc.enable()
    assert seen == {"collecting": False, "held": True}


@pytest.mark.parametrize("which", ["kiosk", "staff"])
async def test_the_first_screen_drawn_turns_the_collector_back_on(which, settings) -> None:
    app = (kiosk(settings) if which == "kiosk" else
           StaffApp(settings, load_content(settings.content_folder), fake_clock()))
    app.collector_held = True
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert not app.collector_held
    finally:
        gc.enable()


async def test_a_test_s_app_leaves_its_process_collector_alone(settings) -> None:
    gc.disable()
    try:
        async with kiosk(settings).run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert not gc.isenabled()
    finally:
        gc.enable()
