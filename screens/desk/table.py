"""The queue's table: one row a check-in, keyed by its id."""

from __future__ import annotations

from collections.abc import Iterable, Set
from datetime import date

from rich.text import Text
from textual.widgets import DataTable

from kiosk.desk.rows import FLAG_MARKS, queue_row
from kiosk.i18n import ENGLISH, N_, Words
from kiosk.store.contract import Record

COLUMNS = ((N_("Time"), "time"), (N_("Name"), "name"), (N_("Massage"), "type"),
           (N_("Flags"), "flags"), (N_("Status"), "status"), (N_("Visit"), "visit"))
BOOKING_COLUMN = (N_("Appointment"), "booking")
"""With a schedule: each check-in's booking, after the name."""


class QueueTable(DataTable[Text]):
    """Rows are rebuilt on each load; the chosen check-in keeps the cursor."""

    def __init__(self, *, bookings: bool = False, words: Words = ENGLISH) -> None:
        super().__init__(id="staff-table", cursor_type="row", zebra_stripes=True)
        self.bookings = bookings
        self.words = words
        self.worse: Set[str] = frozenset()
        """The rows flagged for a meaningful worsening at the last fill."""
        columns = list(COLUMNS)
        if bookings:
            columns.insert(2, BOOKING_COLUMN)
        for label, key in columns:
            self.add_column(words._(label), key=key)

    def fill(self, records: Iterable[Record], today: date, keep: str | None,
             worse: Set[str] = frozenset()) -> None:
        """Show these check-ins, the cursor on `keep` if it is among them;
        `worse`: those whose series is meaningfully worse (a desk flag)."""
        self.worse = worse
        # Rebuilding the table moves its cursor: that is not staff choosing.
        with self.prevent(DataTable.RowHighlighted):
            self.clear()
            for record in records:
                row = queue_row(record, today, words=self.words)
                flags = row.flags
                desk = self.words._(FLAG_MARKS["desk"])
                if row.id in worse and desk not in flags:
                    flags = f"{flags} {desk}".strip()
                cells = [Text(row.arrived), Text(row.name), Text(row.type),
                         Text(flags, style="bold" if flags else ""), Text(row.status),
                         Text(row.visit)]
                if self.bookings:
                    cells.insert(2, Text(row.booking))
                self.add_row(*cells, key=row.id)
            if keep is not None and keep in self.rows:
                self.move_cursor(row=self.get_row_index(keep), animate=False)
