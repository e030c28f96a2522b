"""Expected: today's bookings nobody has arrived for yet, each marked late
once it is past its start plus `late_after`; live, like the queue."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Label, Static

from kiosk.clock import Clock
from kiosk.desk.rows import NO_NAME, printable
from kiosk.desk.schedule import DeskSchedule, stale_lines
from kiosk.files import StoreError
from kiosk.i18n import ENGLISH, N_, Words
from kiosk.schedule.day import Expected, expected
from kiosk.store.contract import Store
from screens.desk.live import LiveDeskScreen

STATES = {"due": N_("due"), "late": N_("⚠ LATE"), "no-show": N_("✗ did not show")}
"""Each state in words and a mark: never by colour alone."""


class ExpectedScreen(LiveDeskScreen):
    """Closed with Esc, 5 or Back."""

    BINDINGS = [Binding("escape,5", "close", "Back")]

    def __init__(self, store: Store, clock: Clock, schedule: DeskSchedule,
                 practitioner: str | None = None, words: Words = ENGLISH) -> None:
        super().__init__(store, clock, id="expected", words=words)
        self.schedule = schedule
        self.practitioner = practitioner
        """Only this practitioner's bookings (None: everyone's)."""
        self.rows: list[Expected] = []

    def compose(self) -> ComposeResult:
        _ = self.words._
        with Horizontal(id="staff-bar"):
            yield Label(_("Expected today: not arrived yet"), id="staff-title")
            yield Label("", id="staff-count")
        yield Static("", id="staff-problems", markup=False)
        table: DataTable[Text] = DataTable(id="expected-table", cursor_type="row",
                                           zebra_stripes=True)
        for label, key in ((_("Time"), "time"), (_("Client"), "client"),
                           (_("Practitioner"), "practitioner"), (_("Service"), "service"),
                           (_("State"), "state")):
            table.add_column(label, key=key)
        yield table
        with Horizontal(id="staff-actions"):
            yield Button(_("Back to the queue"), id="close", variant="primary")

    @work(thread=True, exclusive=True, group="expected")
    def _load(self) -> None:
        now = self.clock.now()
        today = now.astimezone().date()
        try:
            rows = expected(self.store.appointments(today), self.store.today(), now,
                            late_after=self.schedule.late_after, window=self.schedule.window)
            problems = stale_lines(self.store.schedule_states(), self.words)
        except StoreError as error:
            rows, problems = [], [str(error)]
        if self.practitioner is not None:
            rows = [row for row in rows if row.appointment.practitioner == self.practitioner]
        self.app.call_from_thread(self._show, rows, problems)

    def _show(self, rows: list[Expected], problems: list[str]) -> None:
        self.rows = rows
        _ = self.words._
        table = self.query_one("#expected-table", DataTable)
        table.clear()
        for row in rows:
            booking = row.appointment
            table.add_row(
                Text(self.words.clock(booking.starts_at.astimezone())),
                Text(printable(booking.client, 30) or _(NO_NAME)),
                Text(printable(booking.practitioner, 20)), Text(printable(booking.service, 30)),
                Text(_(STATES[row.state]), style="bold" if row.state != "due" else ""),
                key=booking.id)
        late = sum(row.state == "late" for row in rows)
        whose = (_(" · with {practitioner}", practitioner=printable(self.practitioner, 20))
                 if self.practitioner else "")
        self.query_one("#staff-count", Label).update(
            Text(_("{count} expected, {late} late", count=len(rows), late=late) + whose))
        shown = self.query_one("#staff-problems", Static)
        shown.update(Text("⚠ " + "; ".join(problems)) if problems else Text(""))
        shown.display = bool(problems)
