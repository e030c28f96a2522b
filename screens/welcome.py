"""Welcome: the attract screen a waiting client taps to begin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Label

from kiosk.clock import Clock
from kiosk.settings import Settings
from screens.widgets import TopBar

if TYPE_CHECKING:
    # Welcome shows before the content is read: its module is not imported
    # for a name used only in annotations.
    from kiosk.content import VisitKind


class WelcomeScreen(Screen[None]):
    """The clinic's name and two big ways in: a first visit, or back for
    another session of a series."""

    class StartPressed(Message):
        """A client tapped one of the ways in."""

        def __init__(self, visit: VisitKind) -> None:
            super().__init__()
            self.visit: VisitKind = visit

    class StaffGesture(Message):
        """Someone tapped the clinic name five times within three seconds."""

    GESTURE_TAPS = 5
    GESTURE_SECONDS = 3.0

    def __init__(self, settings: Settings, clock: Clock, *, followup: bool = True) -> None:
        """`followup`: offer "Back for another session" (the content has a
        follow-up questionnaire)."""
        super().__init__(id="welcome")
        self.settings = settings
        self.clock = clock
        self.followup = followup
        self._taps: list[float] = []

    def compose(self) -> ComposeResult:
        yield TopBar(self.settings.clinic_name, demo=self.settings.demo)
        with Vertical(id="welcome-body"):
            yield Label("Welcome to", id="welcome-to")
            yield Label(self.settings.clinic_name, id="welcome-clinic", markup=False)
            yield Label("Here for a massage? Check in on this screen.", id="welcome-lead")
            with Horizontal(id="ways-in"):
                yield Button("First visit", id="start", variant="primary")
                if self.followup:
                    yield Button("Back for another session", id="follow-up", variant="primary")

    def on_screen_resume(self) -> None:
        self.query_one("#start", Button).focus()

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
