"""How each screen looks, at 80x24 and 120x40 (pytest-textual-snapshot).

After an intended change: `pytest tests/test_snapshots.py --snapshot-update`,
then look at the report before committing the SVGs.
"""

from __future__ import annotations

import pytest

from kiosk.app import make_app
from kiosk.settings import Settings
from tests.conftest import fixed_clock
from tests.visit import MEDICAL_VISIT, SPA_VISIT, answer_all, tap, wait_for, wait_for_screen

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


async def to_question(pilot, question_id: str, visit: dict = MEDICAL_VISIT) -> None:
    await answer_all(pilot, visit, stop_at=question_id)


async def to_result(pilot, visit: dict) -> None:
    await to_question(pilot, "review", visit)
    await tap(pilot, "#next")
    await wait_for_screen(pilot, "result")


async def welcome(pilot) -> None:
    await pilot.pause()


async def walkthrough_first(pilot) -> None:
    await tap(pilot, "#start")
    await wait_for_screen(pilot, "walkthrough")


async def walkthrough_last(pilot) -> None:
    await walkthrough_first(pilot)
    for page in range(1, 6):
        await wait_for(pilot, lambda p=page: pilot.app.screen.page == p - 1, f"page {page}")
        await tap(pilot, "#next")
    await wait_for(pilot, lambda: pilot.app.screen.page == 5, "last page")


async def name_with_problem(pilot) -> None:
    await to_question(pilot, "name")
    await tap(pilot, "#first-name")
    await pilot.press("a", "n", "n", "2")
    await tap(pilot, "#next")


async def reasons_picked(pilot) -> None:
    await to_question(pilot, "reasons")
    await tap(pilot, "#choice-reasons-chronic_pain")


async def injury(pilot) -> None:
    await to_question(pilot, "injury")


async def pain_scale(pilot) -> None:
    await to_question(pilot, "pain")
    await tap(pilot, "#choice-pain-7")


async def health_screen(pilot) -> None:
    await to_question(pilot, "health")


async def consent_missing(pilot) -> None:
    await to_question(pilot, "consent")
    await tap(pilot, "#next")


async def review(pilot) -> None:
    await to_question(pilot, "review")


async def result_medical_flagged(pilot) -> None:
    await to_result(pilot, MEDICAL_VISIT)


async def result_spa(pilot) -> None:
    await to_result(pilot, SPA_VISIT)


async def save_failed(pilot) -> None:
    await to_question(pilot, "review")
    pilot.app.store.data_dir.parent.mkdir(parents=True, exist_ok=True)
    pilot.app.store.data_dir.write_text("in the way")
    await tap(pilot, "#next")
    await wait_for(pilot, lambda: bool(pilot.app.screen.query("#save-failed")), "dialog")


SCREENS = [
    welcome, walkthrough_first, walkthrough_last, name_with_problem, reasons_picked,
    injury, pain_scale, health_screen, consent_missing, review, result_medical_flagged,
    result_spa, save_failed,
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("steps", SCREENS, ids=[s.__name__ for s in SCREENS])
def test_screen(snap_compare, settings: Settings, steps, size: str) -> None:
    app = make_app(settings, clock=fixed_clock)

    async def run_before(pilot) -> None:
        await steps(pilot)
        await pilot.pause()
        # Buttons fade their "pressed" look on a timer: wait for it to end.
        await wait_for(pilot, lambda: not pilot.app.screen.query(".-active"), "pressed look")

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
