"""Welcome: the attract screen a waiting client taps to begin."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Label

from kiosk.clock import Clock
from kiosk.settings import Settings
from screens.widgets import TopBar


class WelcomeScreen(Screen[None]):
    """The clinic's name and one big control to start."""

    class StartPressed(Message):
        """A client tapped "Tap to start"."""

    class StaffGesture(Message):
        """Someone tapped the clinic name five times within three seconds."""

    GESTURE_TAPS = 5
    GESTURE_SECONDS = 3.0

    def __init__(self, settings: Settings, clock: Clock) -> None:
        super().__init__(id="welcome")
        self.settings = settings
        self.clock = clock
        self._taps: list[float] = []

    def compose(self) -> ComposeResult:
        yield TopBar(self.settings.clinic_name, demo=self.settings.demo)
        with Vertical(id="welcome-body"):
            yield Label("Welcome to", id="welcome-to")
            yield Label(self.settings.clinic_name, id="welcome-clinic", markup=False)
            yield Label(
                "Here for a massage? Check in on this screen: it takes about two minutes.",
                id="welcome-lead",
            )
            with Center():
                yield Button("Tap to start", id="start", variant="primary")

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
        self.post_message(self.StartPressed())
