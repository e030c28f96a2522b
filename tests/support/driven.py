"""What the end-to-end tests need of any screen they drive, terminal or
browser: read its text, find text on it, tap there, and wait for a change."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress

from rich.cells import cell_len

from tests.support.wait import wait_until


class NotOnScreen(AssertionError):
    """The text to tap is not on the screen."""


class DrivenScreen:
    """Subclasses give `lines()` and `tap_cell(column, row)` (0-based)."""

    wait_limit_s = 20.0

    def lines(self) -> list[str]:
        raise NotImplementedError

    def tap_cell(self, column: int, row: int) -> None:
        raise NotImplementedError

    def text(self) -> str:
        return "\n".join(self.lines())

    def find(self, text: str) -> tuple[int, int]:
        """0-based column and row of the middle of `text`, in cells: a
        Chinese character is one character of a line but two cells wide."""
        for row, line in enumerate(self.lines()):
            column = line.find(text)
            if column >= 0:
                return cell_len(line[:column]) + cell_len(text) // 2, row
        raise NotOnScreen(f"{text!r} is not on screen:\n{self.text()}")

    def tap(self, text: str) -> None:
        """Touch the screen on the middle of `text`."""
        self.tap_cell(*self.find(text))

    def wait_until(self, condition: Callable[[str], bool], what: str,
                   limit: float | None = None) -> str:
        """Read the screen until `condition` holds for it."""
        try:
            def shown() -> str:
                screen = self.text()
                return screen if condition(screen) else ""

            return wait_until(shown, what, limit or self.wait_limit_s)
        except AssertionError as error:
            raise AssertionError(f"{error}; the screen:\n{self.text()}") from None

    def wait_for(self, text: str) -> str:
        return self.wait_until(lambda screen: text in screen, repr(text))

    def tap_until(self, text: str, condition: Callable[[str], bool], what: str) -> str:
        """Tap `text` until the screen shows `condition`.

        A button ignores a second press for a moment after the first (so a
        double tap can't skip a page); like a person, tap again.
        """
        deadline = time.monotonic() + self.wait_limit_s
        while True:
            screen = self.text()
            if condition(screen):
                return screen
            # The first tap may still be at work (a slow save): tap again only
            # while the control is there to be tapped. It may go between this
            # read and the tap's own (the page moved on): then read on.
            if text in screen:
                with suppress(NotOnScreen):
                    self.tap(text)
            retry = time.monotonic() + 0.5
            while time.monotonic() < min(retry, deadline):
                screen = self.text()
                if condition(screen):
                    return screen
                time.sleep(0.05)
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{self.text()}")

    def scroll_to(self, label: str) -> None:
        """Tap ▼ until `label` is on screen, as a person reads down a page
        longer than the screen (a consent document, say)."""
        deadline = time.monotonic() + self.wait_limit_s
        while label not in self.text() and time.monotonic() < deadline:
            if "▼" not in self.text():
                time.sleep(0.05)  # The page is still being drawn.
                continue
            before = self.text()
            self.tap("▼")
            while self.text() == before and time.monotonic() < deadline:
                time.sleep(0.05)

    def pick(self, label: str) -> str:
        """Tap an answer (○ or ☐ before its label) until it shows picked
        (◉ or ☑). A tap that lands while the page is still settling is lost,
        as a finger's would be: tap again, but only after a wait long enough
        that a slow first tap is not undone by a second."""
        self.scroll_to(label)
        mark = "☐" if f"☐ {label}" in self.text() else "○"
        picked = f"{'☑' if mark == '☐' else '◉'} {label}"
        deadline = time.monotonic() + self.wait_limit_s
        while True:
            screen = self.text()
            if picked in screen:
                return screen
            if f"{mark} {label}" in screen:
                self.tap(f"{mark} {label}")
            retry = time.monotonic() + 2.0
            while time.monotonic() < min(retry, deadline):
                screen = self.text()
                if picked in screen:
                    return screen
                time.sleep(0.05)
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out picking {label!r}; the screen:\n{screen}")
