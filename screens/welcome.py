"""Welcome: the attract screen a waiting client taps to begin."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Button, Label

from kiosk.clock import Clock
from kiosk.i18n import ENGLISH, Words, language_name
from kiosk.settings import Settings
from screens.speech import Speaks
from screens.widgets import TopBar

if TYPE_CHECKING:
    # Welcome shows before the content is read: its module is not imported
    # for a name used only in annotations.
    from kiosk.content.model import VisitKind


class WelcomeScreen(Speaks[None]):
    """The clinic's name and two big ways in: a first visit, or back for
    another session of a series."""

    class StartPressed(Message):
        """A client tapped one of the ways in."""

        def __init__(self, visit: VisitKind) -> None:
            super().__init__()
            self.visit: VisitKind = visit

    class StaffGesture(Message):
        """Someone tapped the clinic name five times within three seconds."""

    class LanguagePicked(Message):
        """A client tapped a language: the visit goes on in it."""

        def __init__(self, language: str) -> None:
            super().__init__()
            self.language = language

    GESTURE_TAPS = 5
    GESTURE_SECONDS = 3.0

    def __init__(self, settings: Settings, clock: Clock, *, followup: bool = True,
                 words: Words = ENGLISH) -> None:
        """`followup`: offer "Back for another session" (the content has a
        follow-up questionnaire). `words`: the language it speaks."""
        super().__init__(id="welcome")
        self.settings = settings
        self.clock = clock
        self.followup = followup
        self.words = words
        self._taps: list[float] = []
        self._shown = words
        """The words the screen was last composed in."""
        self._recomposing = asyncio.Lock()
        """Held while the screen recomposes: two resets never overlap."""

    def compose(self) -> ComposeResult:
        _ = self.words._
        yield TopBar(self.settings.clinic_name, demo=self.settings.demo, words=self.words)
        with Vertical(id="welcome-body"):
            yield Label(_("Welcome to"), id="welcome-to")
            yield Label(self.settings.clinic_name, id="welcome-clinic", markup=False)
            yield Label(_("Here for a massage? Check in on this screen."), id="welcome-lead")
            with Horizontal(id="ways-in"):
                yield Button(_("First visit"), id="start", variant="primary")
                if self.followup:
                    yield Button(_("Back for another session"), id="follow-up",
                                 variant="primary")
            languages = self.settings.offered_languages
            if len(languages) > 1:
                with Horizontal(id="languages"):
                    for language in languages:
                        # Each language in its own name, whichever is shown.
                        button = Button(language_name(language), id=f"language-{language}",
                                        classes="language")
                        button.set_class(language == self.words.language, "-picked")
                        yield button
        yield from self.read_aloud_row()
        yield from self.speech_bar()

    def speech_parts(self, private: bool) -> list[str]:
        from kiosk.speech import controls

        _ = self.words._
        ways = [str(button.label) for button in self.query("#ways-in Button, #languages Button")
                .results(Button)]
        return [f"{_('Welcome to')} {self.settings.clinic_name}",
                _("Here for a massage? Check in on this screen."), controls(self.words, ways)]

    async def speak(self, words: Words) -> None:
        """Show Welcome in another language (a client picked it, or the
        visit ended and the clinic's own language is back)."""
        self.words = words  # The last asked wins; a reset under way picks it up.
        async with self._recomposing:
            while self._shown is not self.words:
                shown = self.words
                await self.recompose()
                self._shown = shown
            with suppress(NoMatches):  # Closing down: nothing left to focus.
                self.query_one("#start", Button).focus()

    def on_screen_resume(self) -> None:
        self.query_one("#start", Button).focus()

    @on(Button.Pressed, ".language")
    def _language(self, event: Button.Pressed) -> None:
        self.post_message(self.LanguagePicked((event.button.id or "").removeprefix("language-")))

    def on_click(self, event: events.Click) -> None:
        if event.widget is None or event.widget.id != "welcome-clinic":
            return
        now = self.clock.monotonic()
        self._taps = [tap for tap in self._taps if now - tap <= self.GESTURE_SECONDS] + [now]
        if len(self._taps) >= self.GESTURE_TAPS:
            self._taps.clear()
            self.post_message(self.StaffGesture())

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        self.post_message(self.StartPressed("first"))

    @on(Button.Pressed, "#follow-up")
    def _follow_up(self) -> None:
        self.post_message(self.StartPressed("follow-up"))
