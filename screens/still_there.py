"""Are you still there? Asked mid-visit after a while without a tap."""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class StillThereScreen(ModalScreen[bool]):
    """Dismissed with True on any tap or key, False when the countdown ends
    (and the kiosk then wipes the visit)."""

    def __init__(self, seconds: int) -> None:
        super().__init__(id="still-there")
        self.seconds = seconds
        self._ends = time.monotonic() + seconds
        self._shown = time.monotonic()

        self.countdown = Label("", id="still-there-countdown")
        self.button = Button("I'm still here", id="still-here", variant="primary")

    def compose(self) -> ComposeResult:
        with Vertical(id="still-there-box"):
            yield Label("Are you still there?", id="still-there-title")
            yield self.countdown
            yield Label("If not, your answers will be cleared for your privacy.",
                        id="still-there-why")
            yield self.button

    def on_mount(self) -> None:
        self.button.focus()
        self._timer = self.set_interval(0.25, self._tick)
        self._tick()

    def _answer(self, still_here: bool) -> None:
        self._timer.stop()
        self.dismiss(still_here)

    def _tick(self) -> None:
        if not self.is_current:
            return
        if getattr(self.app, "last_input", 0.0) > self._shown:
            self._answer(True)  # Any tap or key anywhere means someone is here.
            return
        left = max(0, round(self._ends - time.monotonic()))
        self.countdown.update(
            f"Starting over in {left} second{'s' if left != 1 else ''}.")
        if time.monotonic() >= self._ends:
            self._answer(False)

    @on(Button.Pressed, "#still-here")
    def _still_here(self) -> None:
        if self.is_current:
            self._answer(True)
