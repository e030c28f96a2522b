"""On the kiosk, after the staff PIN: review check-ins, or close the kiosk."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Label

from kiosk.i18n import ENGLISH, Words


class StaffMenuScreen(Screen[str]):
    """Dismissed with "review", "exit" or "back"."""

    CSS_PATH = "../dialogs.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    def __init__(self, *, held: int = 0, shared: bool = False,
                 words: Words = ENGLISH) -> None:
        """`held`: check-ins this kiosk could not write anywhere yet.
        `shared`: the kiosk delivers to a shared database, where the desk
        reviews check-ins; its own copies are not the record, so it offers
        no review of them."""
        super().__init__(id="staff-menu")
        self.words = words
        """Staff's: the clinic's language, whichever a client picked last."""
        self.held = held
        self.shared = shared

    def compose(self) -> ComposeResult:
        _ = self.words._
        with Vertical(id="staff-menu-box"):
            yield Label(_("Staff"), id="staff-menu-title")
            if self.held:
                yield Label("⚠ " + self.words.n_(
                    "{count} check-in could not be saved anywhere and is held in this kiosk's "
                    "memory: the data folder can't be written. Keep the kiosk running (it "
                    "tries again every few seconds) and run kiosk doctor at its terminal.",
                    "{count} check-ins could not be saved anywhere and are held in this "
                    "kiosk's memory: the data folder can't be written. Keep the kiosk running "
                    "(it tries again every few seconds) and run kiosk doctor at its terminal.",
                    self.held), id="staff-menu-held", markup=False)
            if self.shared:
                yield Label(
                    _("This kiosk sends its check-ins to the shared database. Review them, "
                      "change their status or erase them at the front desk (kiosk staff)."),
                    id="staff-menu-shared", markup=False)
            else:
                yield Button(_("Review check-ins"), id="menu-review", variant="primary")
            yield Button(_("Close the kiosk"), id="menu-exit", variant="error")
            yield Button(_("Back to Welcome"), id="menu-back")

    def on_mount(self) -> None:
        self.query_one("#menu-back" if self.shared else "#menu-review", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("menu-"))
