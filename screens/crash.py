"""Crash containment: an unexpected error never shows a traceback (Textual's
own crash screen prints every local variable: names, health answers, a PIN
as typed). It is logged without them, the screen calms down, and the app goes
on, or, if it can't, closes with a non-zero status."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Label

from kiosk.clock import Clock
from kiosk.errorlog import log_error
from kiosk.tty import exit_now

MOST_IN_A_ROW = 3
"""Errors within `RESET_SECONDS` of each other before the app gives up."""
RESET_SECONDS = 60.0
RECOVER_SECONDS = 5.0
"""How long recovery may take before the process ends instead."""


class CrashScreen(Screen[None]):
    """Something went wrong: a calm word, nothing else, then back to the start."""

    CSS_PATH = "dialogs.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    class Done(Message):
        """Tapped, or shown long enough."""

    def __init__(self, text: str, button: str, *, clock: Clock, seconds: float) -> None:
        super().__init__(id="crash")
        # `text` and `button` come already in the client's language.
        self.text = text
        self.button = button
        self.clock = clock
        self.seconds = seconds
        self._shown = clock.monotonic()

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Label(self.text, id="crash-text", markup=False)
            yield Button(self.button, id="crash-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#crash-ok", Button).focus()
        self._timer = self.set_interval(0.25, self.tick)

    def tick(self) -> None:
        """Runs four times a second (tests call it after moving the clock)."""
        if self.clock.monotonic() - self._shown >= self.seconds:
            self._timer.stop()
            self.post_message(self.Done())

    @on(Button.Pressed, "#crash-ok")
    def _ok(self) -> None:
        self._timer.stop()
        self.post_message(self.Done())


class CrashContainment:
    """For an `App`: turn on `contain_crashes` and unexpected errors go to
    `recover()` instead of Textual's crash screen. Off by default, so a test
    that meets a bug sees it."""

    contain_crashes = False
    crash_log: Path | None = None
    """Where the last error was logged, once one was."""
    gave_up = False
    """An error the app could not recover from: it closed with status 1."""

    def _crash_setup(self, data_dir: Path, where: str, clock: Clock) -> None:
        self._crash_dir = data_dir
        self._crash_where = where
        self._crash_clock = clock
        self._crash_times: list[float] = []

    def recover(self) -> Coroutine[Any, Any, None]:
        """Put the app back on its feet (each app says how)."""
        raise NotImplementedError

    # Textual has no public hook for an unhandled error: this replaces its
    # App._handle_exception, whose crash screen prints every local variable.
    def _handle_exception(self, error: Exception) -> None:
        app = self
        assert isinstance(app, App)
        if not self.contain_crashes:
            App._handle_exception(app, error)
            return
        # log_error is imported with the app, never here: an error such as "too
        # many open files" would make the import fail inside this handler.
        self.crash_log = log_error(self._crash_dir, self._crash_where, error) or self.crash_log
        now = self._crash_clock.monotonic()
        self._crash_times = [t for t in self._crash_times if now - t < RESET_SECONDS] + [now]
        if len(self._crash_times) > MOST_IN_A_ROW or not app.is_running:
            self._give_up()
            return
        done = threading.Event()

        def too_late() -> None:
            # The app itself could not run the recovery (its own loop is what
            # failed): end the process rather than hang on a broken screen.
            if not done.is_set() and app.is_running:
                exit_now(1)

        watchdog = threading.Timer(RECOVER_SECONDS, too_late)
        watchdog.daemon = True
        watchdog.start()

        async def recover() -> None:
            try:
                await asyncio.wait_for(self.recover(), RECOVER_SECONDS)
            except Exception:
                self._give_up()
            finally:
                done.set()
                watchdog.cancel()

        app.call_later(recover)

    def _give_up(self) -> None:
        app = self
        assert isinstance(app, App)
        self.gave_up = True
        app.exit(return_code=1)

        def stuck() -> None:
            # The app's own loop is what failed: nothing read that exit.
            if app.is_running:
                exit_now(1)

        watchdog = threading.Timer(RECOVER_SECONDS, stuck)
        watchdog.daemon = True
        watchdog.start()
