"""On the kiosk, after the staff PIN: review check-ins, or close the kiosk."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Label


class StaffMenuScreen(Screen[str]):
    """Dismissed with "review", "exit" or "back"."""

    CSS_PATH = "dialogs.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    def __init__(self) -> None:
        super().__init__(id="staff-menu")

    def compose(self) -> ComposeResult:
        with Vertical(id="staff-menu-box"):
            yield Label("Staff", id="staff-menu-title")
            yield Button("Review check-ins", id="menu-review", variant="primary")
            yield Button("Close the kiosk", id="menu-exit", variant="error")
            yield Button("Back to Welcome", id="menu-back")

    def on_mount(self) -> None:
        self.query_one("#menu-review", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("menu-"))
