"""The whole visit through Pilot: by taps alone and by keyboard alone."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label

from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from screens.app import make_app
from screens.review import ReviewItem
from screens.widgets import ChoiceGrid
from tests.support.clock import FIXED_NOW
from tests.support.kiosk_app import kiosk
from tests.support.visit import (
    MEDICAL_VISIT,
    SPA_VISIT,
    answer_all,
    answer_by_taps,
    tap,
    type_text,
    wait_for,
    wait_for_screen,
)


async def tap_through_walkthrough(pilot) -> None:
    await tap(pilot, "#start")
    await wait_for_screen(pilot, "walkthrough")
    for page in range(1, 7):
        await wait_for(pilot, lambda p=page: pilot.app.screen.page == p - 1, f"page {page}")
        await tap(pilot, "#next")
    await wait_for_screen(pilot, "questionnaire")


async def test_visit_by_taps_saves_exactly_the_answers(settings: Settings) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap_through_walkthrough(pilot)
        for question_id, answer in MEDICAL_VISIT.items():
            await wait_for(
                pilot,
                lambda q=question_id: bool(pilot.app.screen.query(f"#question-{q}")),
                f"question {question_id}",
            )
            await answer_by_taps(pilot, question_id, answer)
        await wait_for(pilot, lambda: bool(pilot.app.screen.query("#review")), "review")
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")

        assert app.screen.query_one("#recommendation", Label).content == "Medical massage"
        assert app.screen.query("#notice"), "a health flag shows the front-desk notice"

    [record] = CheckInStore(settings.data_dir).all()
    expected_answers = dict(MEDICAL_VISIT)
    # Saved in the questionnaire's order, whatever order they were tapped in.
    expected_answers["reasons"] = ["tight_muscles", "chronic_pain"]
    assert record["answers"] == expected_answers
    assert record["recommendation"]["type"] == "medical"
    assert [flag["id"] for flag in record["flags"]] == ["blood_thinners", "accident_claim"]
    assert record["status"] == "waiting"
    assert record["created_at"] == FIXED_NOW.isoformat(timespec="seconds")


async def test_visit_by_keyboard_alone(settings: Settings) -> None:
    """Tab, Enter, Space and arrows only: no clicks anywhere."""
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:

        async def enter_when_ready() -> None:
            await wait_for(
                pilot,
                lambda: not pilot.app.focused.has_class("-active"),
                "the focused control to be ready",
            )
            await pilot.press("enter")

        await enter_when_ready()  # First visit has the focus
        await wait_for_screen(pilot, "walkthrough")
        for _ in range(6):
            await enter_when_ready()  # Next, and finally "Start check-in"
        await wait_for_screen(pilot, "questionnaire")

        async def on_question(question_id: str) -> None:
            await wait_for(
                pilot,
                lambda: bool(pilot.app.screen.query(f"#question-{question_id}"))
                and pilot.app.focused is not None
                and pilot.app.focused.id != "next",
                question_id,
            )

        await on_question("name")
        await type_text(pilot, "Bo")
        await pilot.press("enter")  # to the initial
        await type_text(pilot, "c")
        await pilot.press("enter")  # and on

        # (question, arrow presses to reach the answer, Space/Enter to pick)
        moves = {
            "reasons": ["space"],
            "injury": ["enter"],  # "No" is first
            "referral": ["right", "enter"],
            "focus": ["right", "space"],
            "avoid": ["enter"],
            "pain": ["enter"],  # 0
            "pressure": ["enter"],  # Light
            "experience": ["enter"],
            "health": ["down", "down", "right", "right", "enter"],  # None of these
            "consent": ["space"],
        }
        for question_id, keys in moves.items():
            await on_question(question_id)
            assert isinstance(pilot.app.focused, ChoiceGrid)
            await pilot.press(*keys)
            # Past Back to Next (a page longer than the screen has ▲ ▼ between).
            for _ in range(4):
                await pilot.press("tab")
                if pilot.app.focused.id == "next":
                    break
            assert pilot.app.focused.id == "next"
            await enter_when_ready()
        await wait_for(pilot, lambda: bool(pilot.app.screen.query("#review")), "review")
        for _ in range(len(app.content.questions) + 4):  # the answers, Back (▲ ▼), Next
            await pilot.press("tab")
            if pilot.app.focused.id == "next":
                break
        assert pilot.app.focused.id == "next"
        await enter_when_ready()
        await wait_for_screen(pilot, "result")
        assert app.screen.query_one("#recommendation", Label).content == "Spa massage"
        assert not app.screen.query("#notice")
        await enter_when_ready()  # Done has the focus
        await wait_for_screen(pilot, "welcome")

    [record] = CheckInStore(settings.data_dir).all()
    assert record["answers"] == SPA_VISIT
    assert record["flags"] == []


async def test_required_answers_cannot_be_skipped(settings: Settings) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "#start")
        await tap(pilot, "#skip")
        await wait_for_screen(pilot, "questionnaire")
        await tap(pilot, "#next")
        problem = app.screen.query_one(".problem", Label)
        assert "first name" in str(problem.content)
        assert app.screen.query("#question-name")
        await answer_by_taps(pilot, "name", {"first": "Ann", "last_initial": "B"})
        await wait_for(pilot, lambda: bool(app.screen.query("#question-reasons")), "reasons")
        await tap(pilot, "#next")
        assert "at least one" in str(app.screen.query_one(".problem", Label).content)
        assert app.screen.query("#question-reasons"), "still on the same question"


async def test_consent_is_never_assumed(settings: Settings) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, SPA_VISIT, stop_at="consent")
        await tap(pilot, "#next")
        assert "consent" in str(app.screen.query_one(".problem", Label).content)
        assert app.screen.query("#question-consent")
        # Tapping twice takes the consent back.
        await tap(pilot, "#choice-consent-yes")
        await tap(pilot, "#choice-consent-yes")
        await tap(pilot, "#next")
        assert app.screen.query("#question-consent")
    assert CheckInStore(settings.data_dir).all() == []


async def test_review_changes_an_answer_and_returns(settings: Settings) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, SPA_VISIT)
        item = app.screen.query_one("#review-pressure", ReviewItem)
        assert item.answer_text == "Light"
        await tap(pilot, "#review-pressure")
        await wait_for(pilot, lambda: bool(app.screen.query("#question-pressure")), "pressure")
        assert "Back to review" in str(app.screen.query_one("#next").label)
        await tap(pilot, "#choice-pressure-deep")
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: bool(app.screen.query("#review")), "review again")
        assert app.screen.query_one("#review-pressure", ReviewItem).answer_text == "Deep"
        # Back from a question keeps what was typed.
        await tap(pilot, "#review-name")
        await wait_for(pilot, lambda: bool(app.screen.query("#first-name")), "name")
        assert app.screen.query_one("#first-name", Input).value == "Bo"


@pytest.mark.parametrize("screen_id", ["walkthrough", "questionnaire"])
async def test_back_from_the_first_page_returns(settings: Settings, screen_id: str) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "#start")
        if screen_id == "questionnaire":
            await tap(pilot, "#skip")
        await wait_for_screen(pilot, screen_id)
        await tap(pilot, "#back")
        expected = "welcome" if screen_id == "walkthrough" else "walkthrough"
        await wait_for_screen(pilot, expected)


@pytest.fixture
def blocked_data_dir(data_dir):
    """A file where the data folder should be: every save fails until it goes."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.write_text("a file where the data folder should be")
    return data_dir


async def submit_into_failure(pilot) -> None:
    await answer_all(pilot, SPA_VISIT)
    await tap(pilot, "#next")
    await wait_for(pilot, lambda: pilot.app.screen.id == "save-failed", "the failure dialog")


async def test_failed_save_sends_client_to_desk_and_keeps_answers(
    settings: Settings, blocked_data_dir
) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await submit_into_failure(pilot)
        text = str(app.screen.query_one("#save-failed-text").render())
        assert "front desk" in text
        assert "Traceback" not in text
        await tap(pilot, "#keep")
        await wait_for_screen(pilot, "questionnaire")
        assert app.screen.query_one("#review-name", ReviewItem).answer_text == "Bo C."
        assert not app.screen.query_one("#next").disabled
        # The folder comes back; "Check me in" again now saves.
        blocked_data_dir.unlink()
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
    [record] = CheckInStore(settings.data_dir).all()
    assert record["answers"] == SPA_VISIT


async def test_try_again_from_the_failure_dialog(settings: Settings, blocked_data_dir) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await submit_into_failure(pilot)
        blocked_data_dir.unlink()
        await tap(pilot, "#retry")
        await wait_for_screen(pilot, "result")
    assert len(CheckInStore(settings.data_dir).all()) == 1


async def test_done_and_timeout_return_to_welcome_with_nothing_left(settings: Settings) -> None:
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, MEDICAL_VISIT)
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        # No button pressed: the result screen times out by itself.
        app.clock.advance(settings.result_seconds)
        await wait_for_screen(pilot, "welcome")
        assert [type(s).__name__ for s in app.screen_stack] == ["WelcomeScreen"]
        await tap(pilot, "#start")
        await tap(pilot, "#skip")
        await wait_for(pilot, lambda: bool(app.screen.query("#first-name")), "name")
        assert app.screen.query_one("#first-name", Input).value == ""


async def test_typed_markup_is_shown_as_text(settings: Settings) -> None:
    """A name is checked, but whatever reaches the screen is never markup."""
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "#start")
        await tap(pilot, "#skip")
        await wait_for(pilot, lambda: bool(app.screen.query("#first-name")), "name")
        await tap(pilot, "#first-name")
        await type_text(pilot, "[@click=app.quit]x[/]")
        await tap(pilot, "#next")
        assert app.is_running
        field = app.screen.query_one("#first-name", Input)
        assert field.value == "[@click=app.quit]x[/]"
        assert "letters only" in str(app.screen.query_one(".problem", Label).content)


async def test_demo_mark_shows_only_in_demo(settings: Settings) -> None:
    from dataclasses import replace

    for demo in (False, True):
        app = kiosk(replace(settings, demo=demo))
        async with app.run_test(size=(80, 24)):
            assert bool(app.screen.query("#demo-mark")) is demo


async def test_a_full_disk_keeps_the_checkin_pending_and_one_visit_is_one_checkin(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from kiosk.store.dayfiles.layout import atomic_storage as _atomic_storage

    def disk_full(storage, data) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    app = kiosk(settings)
    store = CheckInStore(settings.data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        with monkeypatch.context() as patch:
            patch.setattr(_atomic_storage(), "write", disk_full)
            await submit_into_failure(pilot)
            # Nothing is dropped: the check-in waits in the pending file.
            assert store.pending_count() == 1 and store.all() == []
            await tap(pilot, "#keep")
            await wait_for_screen(pilot, "questionnaire")
            await tap(pilot, "#review-pressure")
            await tap(pilot, "#choice-pressure-deep")
            await tap(pilot, "#next")
            await wait_for(pilot, lambda: bool(app.screen.query("#review")), "review again")
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
    [record] = store.all()
    assert record["answers"]["pressure"] == "deep", "the answers sent last are the ones kept"
    assert store.pending_count() == 0


async def test_start_stores_checkins_kept_from_failed_saves(settings: Settings) -> None:
    import json

    from tests.support.records import checkin

    kept = checkin("Earlier")
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / "pending.json").write_text(json.dumps([kept]))
    app = kiosk(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.store.get(kept["id"]) is not None, "pending stored")
        assert app.screen.id == "welcome"
    assert app.store.pending_count() == 0


async def test_one_visit_is_one_checkin_even_when_its_retry_comes_after_midnight(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's invariant, one id stored once across all day files, held
    against a failing disk and a clock that crosses midnight between tries."""
    import errno
    import json
    from datetime import datetime, timedelta

    from kiosk.clock import FakeClock
    from kiosk.store.dayfiles.layout import atomic_storage as _atomic_storage

    def disk_full(storage, data) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    clock = FakeClock(datetime(2026, 11, 27, 23, 59, 50, tzinfo=FIXED_NOW.tzinfo))
    app = make_app(settings, clock=clock)
    store = CheckInStore(settings.data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        with monkeypatch.context() as patch:
            patch.setattr(_atomic_storage(), "write", disk_full)
            await submit_into_failure(pilot)
        clock.advance(30)  # Now the next day, UTC and local alike.
        await tap(pilot, "#retry")
        await wait_for_screen(pilot, "result")
    ids = []
    for path in store.partitions_dir.glob("*.json"):
        ids += [doc["id"] for doc in json.loads(path.read_text())["checkins"].values()]
    assert len(ids) == len(set(ids)) == 1, ids
    [record] = store.all()
    assert record["created_at"] == "2026-11-27T23:59:50+00:00", "dated by its first try"
    assert store.pending_count() == 0
    assert clock.now() - timedelta(seconds=30) < datetime.fromisoformat(
        record["created_at"]) + timedelta(seconds=1)
