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
from kiosk.desk.rows import printable
from kiosk.desk.schedule import DeskSchedule, stale_lines
from kiosk.files import StoreError
from kiosk.schedule.day import Expected, expected
from kiosk.store.contract import Store
from screens.desk.live import LiveDeskScreen

STATES = {"due": "due", "late": "⚠ LATE", "no-show": "✗ did not show"}
"""Each state in words and a mark: never by colour alone."""


class ExpectedScreen(LiveDeskScreen):
    """Closed with Esc, 5 or Back."""

    BINDINGS = [Binding("escape,5", "close", "Back")]

    def __init__(self, store: Store, clock: Clock, schedule: DeskSchedule,
                 practitioner: str | None = None) -> None:
        super().__init__(store, clock, id="expected")
        self.schedule = schedule
        self.practitioner = practitioner
        """Only this practitioner's bookings (None: everyone's)."""
        self.rows: list[Expected] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="staff-bar"):
            yield Label("Expected today: not arrived yet", id="staff-title")
            yield Label("", id="staff-count")
        yield Static("", id="staff-problems", markup=False)
        table: DataTable[Text] = DataTable(id="expected-table", cursor_type="row",
                                           zebra_stripes=True)
        for label, key in (("Time", "time"), ("Client", "client"),
                           ("Practitioner", "practitioner"), ("Service", "service"),
                           ("State", "state")):
            table.add_column(label, key=key)
        yield table
        with Horizontal(id="staff-actions"):
            yield Button("Back to the queue", id="close", variant="primary")

    @work(thread=True, exclusive=True, group="expected")
    def _load(self) -> None:
        now = self.clock.now()
        today = now.astimezone().date()
        try:
            rows = expected(self.store.appointments(today), self.store.today(), now,
                            late_after=self.schedule.late_after, window=self.schedule.window)
            problems = stale_lines(self.store.schedule_states())
        except StoreError as error:
            rows, problems = [], [str(error)]
        if self.practitioner is not None:
            rows = [row for row in rows if row.appointment.practitioner == self.practitioner]
        self.app.call_from_thread(self._show, rows, problems)

    def _show(self, rows: list[Expected], problems: list[str]) -> None:
        self.rows = rows
        table = self.query_one("#expected-table", DataTable)
        table.clear()
        for row in rows:
            booking = row.appointment
            table.add_row(
                Text(f"{booking.starts_at.astimezone():%H:%M}"),
                Text(printable(booking.client, 30) or "(no name)"),
                Text(printable(booking.practitioner, 20)), Text(printable(booking.service, 30)),
                Text(STATES[row.state], style="bold" if row.state != "due" else ""),
                key=booking.id)
        late = sum(row.state == "late" for row in rows)
        whose = f" · with {printable(self.practitioner, 20)}" if self.practitioner else ""
        self.query_one("#staff-count", Label).update(
            Text(f"{len(rows)} expected, {late} late{whose}"))
        shown = self.query_one("#staff-problems", Static)
        shown.update(Text("⚠ " + "; ".join(problems)) if problems else Text(""))
        shown.display = bool(problems)
