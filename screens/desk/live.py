"""A desk screen that stays live, as the queue does: it reads again when a
kiosk or another desk changes the store, or the minute turns (what is late,
and the figures of the day, move with the clock)."""

from __future__ import annotations

from collections.abc import Hashable

from textual import on
from textual.screen import Screen
from textual.widgets import Button

from kiosk.clock import Clock
from kiosk.i18n import ENGLISH, Words
from kiosk.store.contract import Store

POLL_SECONDS = 0.5


class LiveDeskScreen(Screen[None]):
    """Closed with Back (`#close`) or its key; `_load` reads it again, in a worker."""

    CSS_PATH = "staff.tcss"

    def __init__(self, store: Store, clock: Clock, *, id: str, words: Words = ENGLISH) -> None:
        """`words`: the desk's, in the clinic's language."""
        super().__init__(id=id)
        self.words = words
        self.store = store
        self.clock = clock
        self._seen: Hashable | None = None

    def on_mount(self) -> None:
        self.poll()
        self.set_interval(POLL_SECONDS, self.poll)

    def poll(self) -> None:
        """Read again when the store or the minute changed (tests call it
        after moving the clock)."""
        now = self.clock.now()
        seen = (self.store.version(), now.replace(second=0, microsecond=0))
        if seen != self._seen:
            self._seen = seen
            self._load()

    def _load(self) -> object:
        """Read the screen's figures again (a thread worker in each screen)."""
        raise NotImplementedError

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss()
