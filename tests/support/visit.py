"""Helpers that drive the kiosk with Pilot as a client would."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, assert_never

from textual.pilot import Pilot
from textual.widgets import Button

# How long a condition may take before a test gives up: a safety net for a
# hung app, not a pause; every wait returns as soon as its condition holds.
WAIT_LIMIT_S = 10.0

# A visit that flags and leads to medical massage, tapped in this order.
MEDICAL_VISIT = {
    "name": {"first": "Ann", "last_initial": "B"},
    "reasons": ["tight_muscles", "chronic_pain"],
    "injury": "car_accident",
    "referral": "yes",
    "focus": ["neck", "lower_back"],
    "avoid": ["nothing"],
    "pain": 7,
    "pressure": "medium",
    "experience": "before",
    "health": ["blood_thinners"],
    "consent": True,
}

# A relaxing visit with no flags: spa massage.
SPA_VISIT = {
    "name": {"first": "Bo", "last_initial": "C"},
    "reasons": ["relaxation"],
    "injury": "none",
    "referral": "no",
    "focus": ["shoulders"],
    "avoid": ["nothing"],
    "pain": 0,
    "pressure": "light",
    "experience": "first",
    "health": ["none"],
    "consent": True,
}


# A client back for another session, feeling worse: flagged for the desk.
FOLLOWUP_VISIT = {
    "name": {"first": "Ann", "last_initial": "B"},
    "pain": 6,
    "since_last": "worse",
    "at_home": "some",
    "focus": ["lower_back"],
    "health": ["none"],
    "consent": True,
}


async def wait_for(pilot: Pilot, condition: Callable[[], bool], what: str) -> None:
    """Let the app run until `condition` holds."""
    deadline = time.monotonic() + WAIT_LIMIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.01)


async def wait_for_screen(pilot: Pilot, screen_id: str) -> None:
    await wait_for(pilot, lambda: pilot.app.screen.id == screen_id, f"screen {screen_id}")


async def tap(pilot: Pilot, selector: str) -> None:
    """Click a control once it is on screen and ready for another press."""

    def ready() -> bool:
        found = pilot.app.screen.query(selector)
        if not found:
            return False
        widget = found.first()
        return not (isinstance(widget, Button) and (widget.has_class("-active") or widget.disabled))

    await wait_for(pilot, ready, f"{selector} to be ready")
    widget = pilot.app.screen.query(selector).first()
    if not pilot.app.screen.region.contains_region(widget.region):
        # Below the fold (the large-text layout): bring it up, as the ▼
        # control would; test_kiosk_mode taps ▼ itself.
        widget.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
    assert await pilot.click(selector), f"{selector} was not clicked"
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


async def answer_by_taps(pilot: Pilot, question_id: str, answer: Any) -> None:
    """Answer the question on screen by tapping (typing only for the name)."""
    question = pilot.app.content.question(question_id)  # type: ignore[attr-defined]
    match question.kind:
        case "name":
            await tap(pilot, "#first-name")
            await type_text(pilot, answer["first"])
            await tap(pilot, "#last-initial")
            await type_text(pilot, answer["last_initial"])
        case "consent":
            await tap(pilot, f"#choice-{question_id}-yes")
        case "single" | "multi" | "scale":
            for value in answer if isinstance(answer, list) else [answer]:
                await tap(pilot, f"#choice-{question_id}-{value}")
        case _:
            assert_never(question.kind)
    await tap(pilot, "#next")


async def answer_all(pilot: Pilot, visit: dict, stop_at: str | None = None, *,
                     follow_up: bool = False,
                     booking: Callable[[Pilot], Any] | None = None) -> None:
    """From Welcome, skip the walkthrough (or tap "Back for another session")
    and answer by taps up to the review page, or until the question
    `stop_at` is on screen. `booking`: what to do on the page after the name
    that finds the client's appointment."""
    if follow_up:
        await tap(pilot, "#follow-up")
    else:
        await tap(pilot, "#start")
        await tap(pilot, "#skip")
    for question_id, answer in visit.items():
        await wait_for(
            pilot, lambda q=question_id: bool(pilot.app.screen.query(f"#question-{q}")), question_id
        )
        if question_id == stop_at:
            return
        await answer_by_taps(pilot, question_id, answer)
        if question_id == "name" and booking is not None:
            await booking(pilot)
    await wait_for(pilot, lambda: bool(pilot.app.screen.query("#review")), "review")


async def jump_to(pilot: Pilot, visit: dict, stop_at: str | None = None, *,
                  follow_up: bool = False) -> None:
    """As `answer_all`, but the answers before `stop_at` are put in place
    rather than tapped page by page (each tap waits for the app to idle):
    for tests of how a page looks, where those taps are not what is tested.
    The page before is drawn with its answer, and Next is tapped, so the
    page itself comes up exactly as a client's tap brings it.

    A first visit starts as the walkthrough's end starts it, without the
    walkthrough built first (a quarter of a snapshot's CPU): the questions
    come up the same, but Back from the first goes to Welcome, not to the
    walkthrough."""
    if follow_up:
        await tap(pilot, "#follow-up")
    else:
        pilot.app.on_walkthrough_screen_finished()
    await wait_for(pilot, lambda: pilot.app.screen.id == "questionnaire", "the questionnaire")
    screen: Any = pilot.app.screen
    ids = [question.id for question in screen.questions]
    await wait_for(pilot, lambda: bool(screen.query(f"#question-{ids[0]}")), ids[0])
    target = len(ids) if stop_at in (None, "review", "result") else ids.index(stop_at)
    if target > 0:
        # Answered in place, the last of them drawn with its answer, scrolled
        # as its taps would have scrolled it; then Next is tapped.
        for question_id in ids[:target]:
            screen.answers[question_id] = visit[question_id]
        last = ids[target - 1]
        screen.set_reactive(type(screen).index, target - 1)
        await screen._show(target - 1)
        await pilot.pause()
        answer = visit[last]
        for value in answer if isinstance(answer, list) else [answer]:
            option = "yes" if value is True else value  # Consent's one option.
            for widget in screen.query(f"#choice-{last}-{option}"):
                if not screen.region.contains_region(widget.region):
                    widget.scroll_visible(animate=False, immediate=True)
                    await pilot.pause()
        await tap(pilot, "#next")
    if target == len(ids):
        await wait_for(pilot, lambda: bool(screen.query("#review")), "review")
    else:
        await wait_for(pilot, lambda: bool(screen.query(f"#question-{stop_at}")), str(stop_at))
