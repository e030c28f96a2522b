"""Run an app in a pty and write the moment its first screen is ready.

Usage: python bench/_probe.py OUT_FILE kiosk|bare
       python bench/_probe.py OUT_FILE staff|staff-idle|bare-idle [DATA_DIR]

"staff" writes the moment today's queue is on screen (signed in: the PIN is
not what is measured). The "-idle" modes write it and keep running, for
measuring idle CPU.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

OUT = Path(sys.argv[1])
MODE = sys.argv[2]


def _ready(self: App, event: events.Ready) -> None:
    # Ready is posted once the first screen has been drawn and takes input.
    OUT.write_text(repr(time.time()))
    if not MODE.endswith("-idle"):
        self.exit()


if not MODE.startswith("staff"):
    App.on_ready = _ready  # every App subclass dispatches the base's handler too


class Bare(App[None]):
    """The baseline: a Textual app with one line of text."""

    def compose(self) -> ComposeResult:
        yield Static("Hello")


if MODE.startswith("bare"):
    Bare().run()
elif MODE.startswith("staff"):
    import gc

    gc.disable()  # As `kiosk staff` starts it (kiosk/cli/apps.py), until the first screen.
    from kiosk.settings import load_settings
    from screens.desk.queue import StaffScreen
    from screens.staff_app import StaffApp, load_content

    shown = StaffScreen._show

    def _queue_shown(self: StaffScreen, view: object, loaded: object) -> None:
        shown(self, view, loaded)
        if self.records and not OUT.exists():
            # After this refresh the rows are drawn: measure when it lands.
            self.call_after_refresh(lambda: OUT.write_text(repr(time.time())))
            if MODE == "staff":
                self.call_after_refresh(self.app.exit)

    StaffScreen._show = _queue_shown
    settings = load_settings(data_dir=Path(sys.argv[3]))
    app = StaffApp(settings, load_content(settings.content_folder), signed_in=True)
    app.collector_held = True
    app.run()
else:
    from kiosk.cli import main

    sys.exit(main(["demo"]))
