"""A client's series in the staff detail: the change in words, a table of
sessions, and pain per session on the fixed 0-10 scale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Label

from kiosk.content import Question
from kiosk.progress import PAIN_SCALE, pain_change, sessions
from screens.widgets.charts import BarChart


class SeriesView(Vertical):
    """Built from the series' check-ins in session order."""

    DEFAULT_CSS = """
    SeriesView {
        height: auto;
    }
    """

    def __init__(self, records: Sequence[Mapping[str, Any]],
                 questions: Sequence[Question]) -> None:
        super().__init__(id="series")
        self.rows = sessions(records, questions)

    def compose(self) -> ComposeResult:
        first = self.rows[0].day if self.rows else "?"
        yield Label(f"Series since {first}: {pain_change(self.rows)}", id="series-summary",
                    markup=False)
        table: DataTable[Text] = DataTable(id="series-table", cursor_type="none",
                                           zebra_stripes=True)
        for label in ("Session", "Date", "Pain", "Since last", "At home", "Status"):
            table.add_column(label)
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in (
                str(row.number), row.day, "—" if row.pain is None else str(row.pain),
                row.since_last, row.at_home, row.status)))
        yield table
        low, high = PAIN_SCALE
        yield BarChart(
            f"Pain per session, on the {low}–{high} scale",
            [(f"{row.number:>2}  {row.day[:6].strip()}", row.pain,
              "no score" if row.pain is None else f"{row.pain}/{high}")
             for row in self.rows], high, id="series-chart")
