"""A client's series in the staff detail: the change in words, a table of
sessions, and pain per session on the fixed 0-10 scale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static

from kiosk.content.model import Question
from kiosk.desk.progress import PAIN_SCALE, Session, pain_change, sessions
from screens.widgets.charts import Bar, BarChart

COLUMNS = ("Session", "Date", "Pain", "Since last", "At home", "Status")


def _bars(rows: Sequence[Session]) -> list[Bar]:
    _, high = PAIN_SCALE
    return [(f"{row.number:>2}  {row.day[:6].strip()}", row.pain,
             "no score" if row.pain is None else f"{row.pain}/{high}") for row in rows]


def _title() -> str:
    low, high = PAIN_SCALE
    return f"Pain per session, on the {low}–{high} scale"


class SeriesView(Vertical):
    """Made once; `show` draws a series in it, reusing its rows."""

    DEFAULT_CSS = """
    SeriesView {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = "series") -> None:
        super().__init__(id=id)
        self.rows: list[Session] = []

    def compose(self) -> ComposeResult:
        yield Label("", id="series-summary", markup=False)
        # Read-only: one Static drawing one table redraws in one update.
        yield Static("", id="series-table")
        yield BarChart(_title(), [], PAIN_SCALE[1], id="series-chart")

    def show(self, records: Sequence[Mapping[str, Any]], questions: Sequence[Question]) -> None:
        """Draw these check-ins (a series, in session order)."""
        self.rows = sessions(records, questions)
        first = self.rows[0].day if self.rows else "?"
        self.query_one("#series-summary", Label).update(
            f"Series since {first}: {pain_change(self.rows)}")
        table = Table(*COLUMNS, box=None, padding=(0, 2, 0, 0), header_style="bold",
                      show_edge=False)
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in (
                str(row.number), row.day, "—" if row.pain is None else str(row.pain),
                row.since_last, row.at_home, row.status)))
        self.query_one("#series-table", Static).update(table)
        self.query_one("#series-chart", BarChart).show(_title(), _bars(self.rows),
                                                       PAIN_SCALE[1])
