"""Stopping on a signal: SIGTERM, SIGHUP or SIGINT wipe what is on screen,
give the terminal back, and exit 0; a second one during that exits at once."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from kiosk.tty import clear_terminal, exit_now

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
GRACE_SECONDS = 3.0

class SignalStop:
    """Installs the handlers on the app's own event loop (call `install` from
    `on_mount`); `stop` wipes and exits."""

    def __init__(self, stop: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self._stop = stop
        self.signal: int | None = None
        """The signal that stopped the app, if one did."""

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            loop.add_signal_handler(signum, self._received, signum)

    def _received(self, signum: int) -> None:
        if self.signal is not None:
            # A second signal while closing: no waiting for anything more.
            clear_terminal()
            os._exit(0)
        self.signal = signum
        # Closing must never hang a stopped kiosk: if the app has not ended
        # in a few seconds (seen under load: the driver's input thread held
        # its exit), the terminal is given back and the process ends anyway.
        watchdog = threading.Timer(GRACE_SECONDS, exit_now)
        watchdog.daemon = True
        watchdog.start()
        asyncio.get_running_loop().create_task(self._stop())
