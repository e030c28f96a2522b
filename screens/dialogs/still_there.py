"""Are you still there? Asked mid-visit after a while without a tap."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from kiosk.clock import Clock
from kiosk.i18n import ENGLISH, Words


class StillThereScreen(ModalScreen[bool]):
    """Dismissed with True on any tap or key, False when the countdown ends
    (and the kiosk then wipes the visit)."""

    CSS_PATH = "still_there.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    def __init__(self, seconds: int, clock: Clock, words: Words = ENGLISH) -> None:
        super().__init__(id="still-there")
        self.words = words
        self.seconds = seconds
        self.clock = clock
        self._ends = clock.monotonic() + seconds
        self._inputs = 0

        self.countdown = Label("", id="still-there-countdown")
        self.button = Button(words._("I'm still here"), id="still-here", variant="primary")

    def compose(self) -> ComposeResult:
        _ = self.words._
        with Vertical(id="still-there-box"):
            yield Label(_("Are you still there?"), id="still-there-title")
            yield self.countdown
            yield Label(_("If not, your answers will be cleared for your privacy."),
                        id="still-there-why")
            yield self.button

    def on_mount(self) -> None:
        self._inputs = getattr(self.app, "inputs", 0)  # Any input after this is an answer.
        self.button.focus()
        self._timer = self.set_interval(0.25, self.tick)
        self.tick()

    def _answer(self, still_here: bool) -> None:
        self._timer.stop()
        self.dismiss(still_here)

    def tick(self) -> None:
        """Any input answers yes; the end of the countdown answers no. Runs four
        times a second (tests call it after moving the clock)."""
        if not self.is_current:
            return
        if getattr(self.app, "inputs", 0) != self._inputs:
            self._answer(True)  # Any tap or key anywhere means someone is here.
            return
        left = max(0, round(self._ends - self.clock.monotonic()))
        self.countdown.update(self.words.n_(
            "Starting over in {count} second.", "Starting over in {count} seconds.", left))
        if self.clock.monotonic() >= self._ends:
            self._answer(False)

    @on(Button.Pressed, "#still-here")
    def _still_here(self) -> None:
        if self.is_current:
            self._answer(True)
