"""On the kiosk, after the staff PIN: review check-ins, or close the kiosk."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Label

from kiosk.plural import plural


class StaffMenuScreen(Screen[str]):
    """Dismissed with "review", "exit" or "back"."""

    CSS_PATH = "../dialogs.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    def __init__(self, *, held: int = 0, shared: bool = False) -> None:
        """`held`: check-ins this kiosk could not write anywhere yet.
        `shared`: the kiosk delivers to a shared database, where the desk
        reviews check-ins; its own copies are not the record, so it offers
        no review of them."""
        super().__init__(id="staff-menu")
        self.held = held
        self.shared = shared

    def compose(self) -> ComposeResult:
        with Vertical(id="staff-menu-box"):
            yield Label("Staff", id="staff-menu-title")
            if self.held:
                yield Label(
                    f"⚠ {plural(self.held)} could not be saved anywhere and "
                    f"{'is' if self.held == 1 else 'are'} held in this kiosk's memory: the "
                    "data folder can't be written. Keep the kiosk running (it tries again "
                    "every few seconds) and run kiosk doctor at its terminal.",
                    id="staff-menu-held", markup=False)
            if self.shared:
                yield Label(
                    "This kiosk sends its check-ins to the shared database. Review them, "
                    "change their status or erase them at the front desk (kiosk staff).",
                    id="staff-menu-shared")
            else:
                yield Button("Review check-ins", id="menu-review", variant="primary")
            yield Button("Close the kiosk", id="menu-exit", variant="error")
            yield Button("Back to Welcome", id="menu-back")

    def on_mount(self) -> None:
        self.query_one("#menu-back" if self.shared else "#menu-review", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("menu-"))
