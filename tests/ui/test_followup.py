"""Back for another session: the follow-up visit on the kiosk, by taps."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Label

from kiosk.content.model import ContentError, load_content
from kiosk.settings import Settings
from kiosk.store.dayfiles.store import CheckInStore
from screens.app import make_app
from tests.support.clock import FIXED_NOW, fake_clock
from tests.support.qrimage import decode, text_to_image
from tests.support.visit import FOLLOWUP_VISIT, answer_all, tap, wait_for, wait_for_screen


async def test_a_follow_up_by_taps_is_stored_as_answered_and_flags_worse(
    settings: Settings,
) -> None:
    app = make_app(settings, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#follow-up")), "two ways in")
        assert "Back for another session" in str(app.screen.query_one("#follow-up").label)
        await answer_all(pilot, FOLLOWUP_VISIT, follow_up=True)
        # Straight to the questions: no walkthrough for a client back again.
        assert [screen.id for screen in app.screen_stack] == ["welcome", "questionnaire"]
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        assert "Welcome back" in str(app.screen.query_one("#checked-in").render())
        assert "You're checked in" in str(app.screen.query_one("#why").render())
        assert not app.screen.query("#recommendation")
        assert not app.screen.query("#notice"), "worse is for the desk, not a health notice"
        url = app.screen.query_one("#aftercare-url", Label).content
        assert url == "https://www.example.com/aftercare/medical#at-home"
        qr = app.screen.query_one("#qr")
        assert decode(text_to_image(qr.lines)) == url

    [record] = CheckInStore(settings.data_dir).all()
    assert record["answers"] == FOLLOWUP_VISIT
    assert record["visit"] == "follow-up"
    assert record["recommendation"]["type"] == "medical"
    assert [flag["id"] for flag in record["flags"]] == ["worse_since_last"]
    assert record["flags"][0]["kind"] == "desk"
    assert record["created_at"] == FIXED_NOW.isoformat(timespec="seconds")
    assert "series" not in record, "the kiosk never links a visit: staff do"


async def test_a_health_answer_on_a_follow_up_flags_as_on_a_first_visit(
    settings: Settings,
) -> None:
    app = make_app(settings, clock=fake_clock())
    visit = {**FOLLOWUP_VISIT, "since_last": "better", "health": ["recent_surgery"]}
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, visit, follow_up=True)
        await tap(pilot, "#next")
        await wait_for_screen(pilot, "result")
        assert app.screen.query("#notice"), "a health flag asks the client to see the desk"
    [record] = CheckInStore(settings.data_dir).all()
    assert [flag["id"] for flag in record["flags"]] == ["clearance_surgery"]


async def test_left_idle_on_a_follow_up_it_asks_then_forgets(settings: Settings) -> None:
    app = make_app(settings, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_all(pilot, FOLLOWUP_VISIT, stop_at="at_home", follow_up=True)
        app.clock.advance(settings.idle_seconds - 1)
        await app.reset_if_idle()
        assert app.screen.id == "questionnaire", "asked before the idle time was up"
        app.clock.advance(2)
        await wait_for_screen(pilot, "still-there")
        app.clock.advance(settings.idle_warning_seconds)
        await wait_for_screen(pilot, "welcome")
        assert [screen.id for screen in app.screen_stack] == ["welcome"]
    assert CheckInStore(settings.data_dir).all() == []


async def test_without_followup_toml_welcome_offers_the_first_visit_only(
    tmp_path: Path, data_dir: Path,
) -> None:
    from kiosk.settings import load_settings

    content = tmp_path / "content"
    source = load_content().folder
    content.mkdir()
    for name in ("walkthrough.toml", "questionnaire.toml", "rules.toml"):
        (content / name).write_bytes((source / name).read_bytes())
    settings = load_settings(data_dir=data_dir, environ={})
    settings = replace(settings, content_dir=content)
    app = make_app(settings, clock=fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#start")), "welcome")
        assert not app.screen.query("#follow-up")


def test_a_follow_up_question_may_not_change_a_first_visit_kind(tmp_path: Path) -> None:
    source = load_content().folder
    for name in ("walkthrough.toml", "questionnaire.toml", "rules.toml", "followup.toml",
                 "consent/treatment.md", "consent/privacy.md"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes((source / name).read_bytes())
    followup = tmp_path / "followup.toml"
    followup.write_text(followup.read_text().replace(
        'id = "focus"\nkind = "multi"', 'id = "focus"\nkind = "single"', 1))
    try:
        load_content(tmp_path)
    except ContentError as error:
        assert "followup.toml" in str(error)
        assert "question 'focus' is a 'single' here but a 'multi'" in str(error)
    else:
        raise AssertionError("a changed kind was accepted")
