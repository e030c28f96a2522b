"""The bar along the top of every kiosk screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label

from kiosk.i18n import ENGLISH, Words


class TopBar(Horizontal):
    """Clinic name on the left; where the client is, and DEMO, on the right."""

    DEFAULT_CSS = """
    TopBar {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    TopBar #clinic-name {
        width: 1fr;
        text-style: bold;
    }
    TopBar #step {
        width: auto;
    }
    TopBar #demo-mark {
        width: auto;
        margin-left: 2;
        padding: 0 1;
        background: $warning;
        color: $background;
        text-style: bold;
    }
    """

    step: reactive[str] = reactive("")
    """Where the client is, such as "Question 3 of 11"."""

    def __init__(self, clinic_name: str, *, demo: bool = False, words: Words = ENGLISH) -> None:
        super().__init__()
        self.clinic_name = clinic_name
        self.demo = demo
        self.words = words

    def compose(self) -> ComposeResult:
        yield Label(self.clinic_name, id="clinic-name", markup=False)
        yield Label("", id="step", markup=False)
        if self.demo:
            yield Label(self.words._("DEMO · ctrl+q quits"), id="demo-mark")

    def watch_step(self, step: str) -> None:
        self.query_one("#step", Label).update(step)
