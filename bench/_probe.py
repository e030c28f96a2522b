"""Run an app in a pty and write the moment its first screen is ready.

Usage: python bench/_probe.py OUT_FILE kiosk|bare
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

OUT = Path(sys.argv[1])


def _ready(self: App, event: events.Ready) -> None:
    # Ready is posted once the first screen has been drawn and takes input.
    OUT.write_text(repr(time.time()))
    self.exit()


App.on_ready = _ready  # every App subclass dispatches the base's handler too


class Bare(App[None]):
    """The baseline: a Textual app with one line of text."""

    def compose(self) -> ComposeResult:
        yield Static("Hello")


if sys.argv[2] == "bare":
    Bare().run()
else:
    from kiosk.cli import main

    sys.exit(main(["demo"]))
