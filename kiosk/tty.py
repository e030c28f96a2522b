"""Giving the terminal back: what a stopped kiosk leaves on it is nothing."""

from __future__ import annotations

import sys
from contextlib import suppress

# Leave the alternate screen, stop mouse reports, show the cursor, clear.
RESTORE_TERMINAL = ("\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"
                    "\x1b[?2004l\x1b[?1049l\x1b[?25h\x1b[2J\x1b[3J\x1b[H")


_SAVED: list[object] = []


def remember_terminal() -> None:
    """Keep the terminal's mode as it is before an app changes it, so even a
    hurried exit can put it back."""
    import termios

    try:
        _SAVED[:] = [termios.tcgetattr(sys.__stdin__.fileno())]  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError, termios.error):
        _SAVED.clear()


def clear_terminal() -> None:
    """What the screen showed is gone, and the terminal is as it was."""
    import termios

    if _SAVED:
        with suppress(AttributeError, OSError, ValueError, termios.error):
            termios.tcsetattr(sys.__stdin__.fileno(), termios.TCSANOW,  # type: ignore[union-attr]
                              _SAVED[0])  # type: ignore[arg-type]
    try:
        sys.__stdout__.write(RESTORE_TERMINAL)  # type: ignore[union-attr]
        sys.__stdout__.flush()  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):
        pass  # No terminal to give back.


def exit_now(code: int = 0) -> None:
    """After a stop signal, once the app has wiped and closed: give the
    terminal back and end the process without waiting on anything more
    (a thread still reading the terminal would hold Python's own exit)."""
    import os

    clear_terminal()
    for stream in (sys.__stdout__, sys.__stderr__):
        with suppress(AttributeError, OSError, ValueError):
            stream.flush()  # type: ignore[union-attr]
    os._exit(code)
