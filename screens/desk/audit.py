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
from kiosk.i18n import ENGLISH, N_, Words

ACTIONS = {
    "sign-in-staff": N_("Signed in at the staff terminal"),
    "sign-in-kiosk": N_("Signed in on the kiosk"),
    "pin-failed": N_("Wrong PIN"),
    "pin-locked": N_("PIN entry locked for a minute"),
    "pin-refused-locked": N_("PIN tried while locked"),
    "pin-set": N_("Staff PIN set"),
    "status-waiting": N_("Status: waiting"),
    "status-with_therapist": N_("Status: with therapist"),
    "status-done": N_("Status: done"),
    "status-no_show": N_("Status: no-show"),
    "export": N_("Exported"),
    "erase": N_("Erased a check-in"),
    "purge": N_("Purged old check-ins"),
    "retention": N_("Retention: erased old check-ins"),
    "pending-saved": N_("Stored check-ins from failed saves"),
    "legacy-imported": N_("Moved an earlier version's check-ins"),
    "kiosk-exit": N_("Kiosk closed by staff"),
    "link": N_("Linked to a series"),
    "unlink": N_("Taken out of a series"),
    "link-undone": N_("A link or unlink undone"),
    "appointment-matched": N_("Matched to an appointment by hand"),
    "appointment-undone": N_("A match to an appointment undone"),
    "report": N_("Wrote a progress report"),
    "pin-file-damaged": N_("The PIN file was damaged: sign-in refused"),
    "pin-state-damaged": N_("The PIN's lock state was damaged: moved aside, locked"),
}


def _when(entry: dict[str, Any], words: Words) -> str:
    """When, to the second, in figures as the desk's language writes them."""
    try:
        return words.stamp(datetime.fromisoformat(entry["at"]).astimezone())
    except (KeyError, TypeError, ValueError):
        return "?"


class AuditScreen(Screen[None]):
    """A read-only table of the audit log."""

    CSS_PATH = "../dialogs.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, audit: AuditLog, words: Words = ENGLISH) -> None:
        super().__init__(id="audit")
        self.audit = audit
        self.words = words

    def compose(self) -> ComposeResult:
        _ = self.words._
        yield Label(_("Audit log (newest first): times, actions and check-in ids only"),
                    id="audit-title")
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(classes="nav"):
            yield Button(_("Close"), id="audit-close", variant="primary")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        entries = self.audit.entries()
        # A shared database says which role wrote each entry; a file has no roles.
        by_role = any("role" in entry for entry in entries)
        _ = self.words._
        table.add_columns(_("When"), _("What"), _("Check-in"), _("Count"),
                          *([_("By")] if by_role else []))
        for entry in reversed(entries):
            action = str(entry.get("action", ""))
            count = entry.get("count")
            cells = [
                Text(_when(entry, self.words)),
                Text(_(ACTIONS[action]) if action in ACTIONS else printable(action, 40)),
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
