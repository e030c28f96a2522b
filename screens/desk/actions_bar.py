"""The desk's buttons along the bottom: a status each, Export, Erase, Log
(and Close on the kiosk); status changes and erasure run in workers here."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from kiosk.access.audit import AuditLog
from kiosk.checkin.record import STATUSES, client_name
from kiosk.desk import actions
from kiosk.desk.rows import NO_NAME, arrival, printable
from kiosk.files import StoreError
from kiosk.i18n import ENGLISH, Words
from kiosk.store.contract import Record, Store
from screens.desk.series_actions import tell


class ActionBar(Horizontal):
    """Changes to the chosen check-in; each ends in `Changed` for the queue."""

    class Changed(Message):
        """A check-in changed here: the queue reloads."""

    def __init__(self, store: Store, audit: AuditLog, *, closable: bool,
                 words: Words = ENGLISH) -> None:
        super().__init__(id="staff-actions")
        self.words = words
        self.store = store
        self.audit = audit
        self.closable = closable

    def compose(self) -> ComposeResult:
        _ = self.words._
        for status, shown in STATUSES.items():
            yield Button(self.words.p_("status", shown.button), id=f"status-{status}",
                         classes="status")
        yield Button(_("Export"), id="export")
        yield Button(_("Erase"), id="erase", variant="error")
        yield Button(_("Log"), id="audit")
        if self.closable:
            yield Button(_("Close"), id="close", variant="primary")

    def on_resize(self, event: events.Resize) -> None:
        """One row where every button's words fit a share of the width (the
        desk at 80 columns); two rows of four where one would be cut (the
        kiosk's eight buttons, a longer language)."""
        buttons = list(self.query(Button))
        share = event.size.width // max(len(buttons), 1)
        self.set_class(any(cell_len(str(button.label)) + 2 > share for button in buttons),
                       "-two-rows")

    @work(thread=True, group="change")
    def set_status(self, checkin_id: str, status: str) -> None:
        try:
            changed = actions.set_status(self.store, self.audit, checkin_id, status)
        except (StoreError, OSError) as error:
            tell(self, self.words._("Could not change the status: {error}", error=error),
                 error=True)
            return
        if not changed:
            tell(self, self.words._("That check-in was erased meanwhile."))
        self.post_message(self.Changed())

    def ask_erase(self, record: Record, today: date) -> None:
        """Name the check-in, and erase it if staff confirm."""
        from screens.dialogs.choice import ChoiceScreen

        _ = self.words._
        checkin_id = record["id"]
        who = printable(client_name(record), 40) or _(NO_NAME)
        text = _("{who}, arrived {when}. Everything they answered is erased for good.",
                 who=who, when=arrival(record, today, words=self.words))

        def erase(choice: str | None) -> None:
            if choice == "erase":
                self._erase(checkin_id)

        self.app.push_screen(ChoiceScreen(_("Erase this check-in?"), text, [
            ("keep", _("Keep it"), "primary"), ("erase", _("Erase"), "error")]), erase)

    @work(thread=True, group="change")
    def _erase(self, checkin_id: str) -> None:
        try:
            if actions.erase(self.store, self.audit, checkin_id):
                tell(self, self.words._("Check-in erased."))
        except (StoreError, OSError) as error:
            tell(self, self.words._("Could not erase it: {error}", error=error), error=True)
        self.post_message(self.Changed())
