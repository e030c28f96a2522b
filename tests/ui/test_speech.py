"""Read aloud through Pilot, with a recording stand-in for espeak-ng: the
text handed to the engine on each kind of page in en, es and zh; the
private rule; Repeat, Stop and Volume; a new page stopping the last; and no
control at all where espeak-ng is missing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Button

from kiosk.settings import Settings
from kiosk.speech import spoken
from screens.app import KioskApp
from tests.support.clock import fake_clock
from tests.support.speech import RecordingSpeaker
from tests.support.visit import MEDICAL_VISIT, answer_by_taps, jump_to, tap, wait_for

LANGUAGES = ("en", "es", "zh")


def speaking_app(settings: Settings, *, private: bool = False
                 ) -> tuple[KioskApp, RecordingSpeaker]:
    speaker = RecordingSpeaker()
    app = KioskApp(replace(settings, read_aloud=True, speech_private=private,
                           languages=LANGUAGES, touch_keyboard=False),
                   None, fake_clock(), speaker=speaker)
    return app, speaker


async def welcome_in(pilot, language: str) -> None:
    """The visit over, Welcome again; then the language tapped."""
    app = pilot.app
    await app.back_to_welcome()
    await wait_for(pilot, lambda: app.screen.id == "welcome" and app.screen.query("#start"),
                   "Welcome")
    await pilot.pause()
    if language != "en":
        await tap(pilot, f"#language-{language}")
        await wait_for(pilot, lambda: app.language == language, language)


async def read(pilot, speaker: RecordingSpeaker) -> str:
    """Tap Read aloud; what the engine was handed."""
    before = len(speaker.said)
    await tap(pilot, "#read-aloud")
    await wait_for(pilot, lambda: len(speaker.said) > before, "speech")
    text, language, _volume = speaker.said[-1]
    assert language == pilot.app.language
    return text


async def stop(pilot) -> None:
    await tap(pilot, "#speech-stop")
    await wait_for(pilot, lambda: not pilot.app.screen.query_one("#speech-bar").display,
                   "the page's controls back")


@pytest.mark.parametrize("language", LANGUAGES)
async def test_each_kind_of_page_is_read_in_the_visits_language(settings: Settings,
                                                                language: str) -> None:
    app, speaker = speaking_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        if language != "en":
            await tap(pilot, f"#language-{language}")
            await wait_for(pilot, lambda: app.language == language, language)
        words = app.words
        welcome = await read(pilot, speaker)
        assert settings.clinic_name in welcome and words._("First visit") in welcome
        await stop(pilot)
        # The walkthrough's first page: its title, both sides, the controls.
        await tap(pilot, "#start")
        await wait_for(pilot, lambda: app.screen.id == "walkthrough", "the walkthrough")
        page = app.screen.walkthrough.pages[0]
        said = await read(pilot, speaker)
        for part in (page.title, words._("Spa massage"), words._("Medical massage"),
                     words._("Skip to check-in")):
            assert part in said
        assert " ".join(page.spa.split()) in said and " ".join(page.medical.split()) in said
        await stop(pilot)
        # Each kind of question: name, multi, single, scale, consent.
        for question_id in ("name", "reasons", "injury", "pain", "consent"):
            await welcome_in(pilot, language)
            await jump_to(pilot, MEDICAL_VISIT, stop_at=question_id)
            await wait_for(pilot, lambda q=question_id: bool(app.screen.query(f"#question-{q}")),
                           question_id)
            question = next(q for q in app.screen.questions if q.id == question_id)
            said = await read(pilot, speaker)
            assert question.prompt in said, (question_id, said)
            for option in question.options:
                assert option.label in said, (question_id, option.label)
            for document in question.documents:
                assert document.title in said
            if question.kind == "scale":
                assert words._("Choices: {low} to {high}.", low=0, high=10) in said
            next_label = str(app.screen.query_one("#next", Button).label)
            assert words._("Buttons: {names}.", names=", ".join(
                [spoken(words._("◀ Back")), spoken(next_label)])) in said
            await stop(pilot)
        # The review, then the result.
        await welcome_in(pilot, language)
        await jump_to(pilot, MEDICAL_VISIT, stop_at="review")
        said = await read(pilot, speaker)
        assert words._("Please check your answers") in said
        for question in app.screen.questions:
            assert question.short in said
        await stop(pilot)
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: app.screen.id == "result", "the result")
        said = await read(pilot, speaker)
        assert words._("Please take a seat.") in said and words._("Done") in said


@pytest.mark.parametrize("private", [False, True])
async def test_nothing_private_is_said_unless_the_clinic_allows_it(settings: Settings,
                                                                   private: bool) -> None:
    app, speaker = speaking_app(settings, private=private)
    async with app.run_test(size=(80, 24)) as pilot:
        await jump_to(pilot, MEDICAL_VISIT, stop_at="name")
        await answer_by_taps(pilot, "name", {"first": "Zelda", "last_initial": "Q"})
        await tap(pilot, "#back")  # Back to the name, typed.
        await wait_for(pilot, lambda: bool(app.screen.query("#question-name")), "the name")
        said = await read(pilot, speaker)
        assert ("Zelda" in said) is private
        await stop(pilot)
        await welcome_in(pilot, "en")
        await jump_to(pilot, MEDICAL_VISIT, stop_at="health")
        await answer_by_taps(pilot, "health", ["blood_thinners"])
        await tap(pilot, "#back")  # The health page again, with its answer.
        await wait_for(pilot, lambda: bool(app.screen.query("#question-health")), "health")
        said = await read(pilot, speaker)
        lowered = said.lower()
        assert ("blood thinners: chosen" in lowered) is private
        assert ("not chosen" in lowered) is private
        assert "blood thinners" in lowered  # Offered, whatever was picked.
        await stop(pilot)
        await welcome_in(pilot, "en")
        await jump_to(pilot, MEDICAL_VISIT, stop_at="review")
        said = await read(pilot, speaker)
        assert ("Ann B" in said) is private
        assert ("blood thinners" in said.lower()) is private
        await stop(pilot)
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: app.screen.id == "result", "the result")
        said = await read(pilot, speaker)
        assert ("Medical massage" in said) is private
        assert ("Before your session" in said) is private
        # Done: nothing of the visit is kept by the voice.
        await tap(pilot, "#done")
        await wait_for(pilot, lambda: app.screen.id == "welcome", "Welcome")
        await wait_for(pilot, lambda: speaker.last is None, "the voice to forget")


async def test_repeat_stop_and_volume(settings: Settings) -> None:
    app, speaker = speaking_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await jump_to(pilot, MEDICAL_VISIT, stop_at="pain")
        await wait_for(pilot, lambda: bool(app.screen.query("#question-pain")), "pain")
        first = await read(pilot, speaker)
        bar = app.screen.query_one("#speech-bar")
        assert bar.display and bar.region.height == 3
        for button in bar.query(Button).results(Button):
            assert button.region.height == 3 and button.region.width >= 10
            assert app.screen.region.contains_region(button.region)
        await tap(pilot, "#speech-repeat")
        await wait_for(pilot, lambda: len(speaker.said) == 2, "said again")
        assert speaker.said[1] == (first, "en", 100)
        await tap(pilot, "#speech-louder")
        await wait_for(pilot, lambda: len(speaker.said) == 3, "louder")
        assert speaker.said[2] == (first, "en", 125)
        for _ in range(2):
            await tap(pilot, "#speech-softer")
        await wait_for(pilot, lambda: len(speaker.said) == 5, "softer")
        assert speaker.said[4][2] == 75
        stops = speaker.stops
        await stop(pilot)
        assert speaker.stops > stops and not speaker.speaking
        # A new page stops the last page's speech, and gives back its controls.
        await welcome_in(pilot, "en")
        await tap(pilot, "#start")
        await wait_for(pilot, lambda: app.screen.id == "walkthrough", "the walkthrough")
        await read(pilot, speaker)
        stops = speaker.stops
        await pilot.press("right")  # The next difference, from the keyboard.
        await wait_for(pilot, lambda: app.screen.page == 1, "page 2")
        await wait_for(pilot, lambda: speaker.stops > stops, "the speech stopped")
        assert not app.screen.query_one("#speech-bar").display
        await read(pilot, speaker)
    # The kiosk closing while it speaks: the voice stops and forgets.
    assert not speaker.speaking and speaker.last is None


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_control_is_three_rows_and_within_reach_at_80_by_24(
        settings: Settings, language: str) -> None:
    app, _speaker = speaking_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        if language != "en":
            await tap(pilot, f"#language-{language}")
            await wait_for(pilot, lambda: app.language == language, language)
        for where in ("welcome", "walkthrough", "questionnaire", "result"):
            if where == "walkthrough":
                await tap(pilot, "#start")
            elif where == "questionnaire":
                await tap(pilot, "#skip")
            elif where == "result":
                await welcome_in(pilot, language)
                await jump_to(pilot, MEDICAL_VISIT, stop_at="review")
                await tap(pilot, "#next")
            await wait_for(pilot, lambda w=where: app.screen.id == w, where)
            button = app.screen.query_one("#read-aloud", Button)
            await wait_for(pilot, lambda b=button: b.region.height == 3, "drawn")
            assert button.region.width >= 10
            assert app.screen.region.contains_region(button.region)
            # Nothing else of the page's controls is hidden behind it or cut.
            for other in app.screen.query(".nav Button, #result-buttons Button").results(Button):
                if other is not button and other.display:
                    assert not other.region.overlaps(button.region), (where, other.label)
                    assert app.screen.region.contains_region(other.region), other.label
                    assert other.region.width >= cell_len(str(other.label)) + 2, other.label


async def test_without_espeak_ng_there_is_no_control(settings: Settings, tmp_path: Path,
                                                     monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # No espeak-ng on it.
    app = KioskApp(replace(settings, read_aloud=True), None, fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.id == "welcome", "Welcome")
        assert app.speaker is None
        assert not app.screen.query("#read-aloud")
        await tap(pilot, "#start")
        await wait_for(pilot, lambda: app.screen.id == "walkthrough", "the walkthrough")
        assert not app.screen.query("#read-aloud")


@pytest.mark.parametrize("bar", [False, True], ids=["read_aloud", "speech_bar"])
def test_how_read_aloud_looks_at_80_by_24(snap_compare, settings: Settings, bar: bool) -> None:
    app, _speaker = speaking_app(settings)

    async def run_before(pilot) -> None:
        await jump_to(pilot, MEDICAL_VISIT, stop_at="pain")
        await wait_for(pilot, lambda: bool(app.screen.query("#question-pain")), "pain")
        if bar:
            await tap(pilot, "#read-aloud")
            await wait_for(pilot, lambda: app.screen.query_one("#speech-bar").display, "the bar")
        await pilot.pause()
        await wait_for(pilot, lambda: not app.screen.query(".-active"), "pressed look")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_the_failed_save_dialog_reads_aloud_too(settings: Settings) -> None:
    settings.data_dir.parent.mkdir(parents=True, exist_ok=True)
    settings.data_dir.write_text("a file where the data folder should be")  # Saves fail.
    app, speaker = speaking_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await jump_to(pilot, MEDICAL_VISIT, stop_at="review")
        await tap(pilot, "#next")
        await wait_for(pilot, lambda: app.screen.id == "save-failed", "the failure dialog")
        button = app.screen.query_one("#read-aloud", Button)
        await wait_for(pilot, lambda: button.region.height == 3, "drawn")
        assert app.screen.region.contains_region(button.region)
        said = await read(pilot, speaker)
        assert "We couldn't save your check-in" in said and "front desk" in said
        assert "Buttons: Try again, Back to my answers." in said
        await stop(pilot)
        await tap(pilot, "#keep")
        await wait_for(pilot, lambda: app.screen.id == "questionnaire", "the answers")


class SlowToStop(RecordingSpeaker):
    """A stop that takes a while to begin, as a busy machine's thread can."""

    def stop(self) -> None:
        import time

        time.sleep(0.05)
        super().stop()


async def test_a_stop_asked_before_read_aloud_is_carried_out_before_it(
        settings: Settings) -> None:
    """Read aloud tapped the moment a page's stop was asked: the voice must
    end up speaking, never stopped by the stop that came first."""
    speaker = SlowToStop()
    app = KioskApp(replace(settings, read_aloud=True, touch_keyboard=False), None, fake_clock(),
                   speaker=speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#read-aloud")), "Read aloud")
        for _ in range(5):
            app.screen.stop_speech()
            app.screen.query_one("#read-aloud", Button).press()  # At once, as a quick finger.
            await wait_for(pilot, lambda: speaker.speaking, "speaking")
            await pilot.pause(0.1)  # Time for a late stop to land, if one were coming.
            assert speaker.speaking


async def test_an_espeak_ng_that_does_not_run_takes_read_aloud_away(
        settings: Settings, tmp_path: Path, monkeypatch) -> None:
    broken = tmp_path / "espeak-ng"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    app = KioskApp(replace(settings, read_aloud=True), None, fake_clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.id == "welcome", "Welcome")
        await wait_for(pilot, lambda: app.speaker is None, "the engine found not to run")
        await wait_for(pilot, lambda: not app.screen.query("#read-aloud"), "no control")
        await tap(pilot, "#start")
        await wait_for(pilot, lambda: app.screen.id == "walkthrough", "the walkthrough")
        assert not app.screen.query("#read-aloud")
