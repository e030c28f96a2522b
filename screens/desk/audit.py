"""The audit log, newest first: who did what to which check-in, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, DataTable, Label

from kiosk.access.audit import AuditLog
from kiosk.desk.rows import printable

ACTIONS = {
    "sign-in-staff": "Signed in at the staff terminal",
    "sign-in-kiosk": "Signed in on the kiosk",
    "pin-failed": "Wrong PIN",
    "pin-locked": "PIN entry locked for a minute",
    "pin-refused-locked": "PIN tried while locked",
    "pin-set": "Staff PIN set",
    "status-waiting": "Status: waiting",
    "status-with_therapist": "Status: with therapist",
    "status-done": "Status: done",
    "status-no_show": "Status: no-show",
    "export": "Exported",
    "erase": "Erased a check-in",
    "purge": "Purged old check-ins",
    "retention": "Retention: erased old check-ins",
    "pending-saved": "Stored check-ins from failed saves",
    "legacy-imported": "Moved an earlier version's check-ins",
    "kiosk-exit": "Kiosk closed by staff",
}


def _when(entry: dict[str, Any]) -> str:
    try:
        return datetime.fromisoformat(entry["at"]).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except (KeyError, TypeError, ValueError):
        return "?"


class AuditScreen(Screen[None]):
    """A read-only table of the audit log."""

    CSS_PATH = "../dialogs.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, audit: AuditLog) -> None:
        super().__init__(id="audit")
        self.audit = audit

    def compose(self) -> ComposeResult:
        yield Label("Audit log (newest first): times, actions and check-in ids only",
                    id="audit-title")
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="nav"):
            yield Button("Close", id="audit-close", variant="primary")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        entries = self.audit.entries()
        # A shared database says which role wrote each entry; a file has no roles.
        by_role = any("role" in entry for entry in entries)
        table.add_columns("When", "What", "Check-in", "Count", *(["By"] if by_role else []))
        for entry in reversed(entries):
            action = str(entry.get("action", ""))
            count = entry.get("count")
            cells = [
                Text(_when(entry)),
                Text(ACTIONS.get(action, printable(action, 40))),
                Text(printable(entry.get("id", ""), 36)),
                Text("" if count is None else str(count)),
            ]
            if by_role:
                cells.append(Text(printable(entry.get("role", ""), 24)))
            table.add_row(*cells)
        table.focus()

    @on(Button.Pressed, "#audit-close")
    def action_close(self) -> None:
        self.dismiss()
