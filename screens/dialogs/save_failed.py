"""Save failed: ask the client to see the front desk; their answers stay."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from kiosk.i18n import ENGLISH, Words
from screens.speech import Speaks


class SaveFailedScreen(ModalScreen[bool], Speaks[bool]):
    """Dismissed with True to try the save again, False to go back."""

    CSS_PATH = "save_failed.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    def __init__(self, words: Words = ENGLISH) -> None:
        super().__init__(id="save-failed")
        self.words = words

    def compose(self) -> ComposeResult:
        _ = self.words._
        with Vertical(id="save-failed-box"):
            yield Label(_("We couldn't save your check-in"), id="save-failed-title")
            yield Static(
                _("Please see the front desk: they will check you in. "
                  "Your answers are still here; nothing you entered is lost."),
                id="save-failed-text",
            )
            with Horizontal(classes="nav"):
                yield Button(_("Try again"), id="retry", variant="primary")
                yield Button(_("Back to my answers"), id="keep")
            yield from self.read_aloud_row()
        yield from self.speech_bar()

    def speech_parts(self, private: bool) -> list[str]:
        from kiosk.speech import controls

        _ = self.words._
        return [_("We couldn't save your check-in"),
                _("Please see the front desk: they will check you in. "
                  "Your answers are still here; nothing you entered is lost."),
                controls(self.words, self.controls_said())]

    def on_mount(self) -> None:
        self.query_one("#retry", Button).focus()

    @on(Button.Pressed, "#retry")
    def _retry(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#keep")
    def _keep(self) -> None:
        self.dismiss(False)
