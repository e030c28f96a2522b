"""A client's series in the staff detail: the change in words, a table of
sessions, and pain per session on the fixed 0-10 scale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static

from kiosk.content.model import Meaningful, Question
from kiosk.desk.progress import (
    PAIN_SCALE,
    Session,
    change_sentence,
    crossed,
    pain_change,
    pain_trend,
    sessions,
    worse,
)
from screens.widgets.charts import Bar, BarChart

COLUMNS = ("Session", "Date", "Pain", "Since last", "At home", "Status")


MARK = "◆"
"""Beside a session whose pain is a meaningful change from the first: a
mark and words, never colour alone."""


def _bars(rows: Sequence[Session], marked: Set[int] = frozenset()) -> list[Bar]:
    _, high = PAIN_SCALE
    return [(f"{row.number:>2}  {row.day[:6].strip()}", row.pain,
             "no score" if row.pain is None else
             f"{row.pain}/{high}" + (f" {MARK}" if row.number in marked else ""))
            for row in rows]


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

    def __init__(self, *, id: str | None = "series",
                 meaningful: Meaningful | None = None) -> None:
        """`meaningful`: the content's rule for a change that matters (None:
        no verdict is said, only the change)."""
        super().__init__(id=id)
        self.rows: list[Session] = []
        self.meaningful = meaningful

    def compose(self) -> ComposeResult:
        yield Label("", id="series-summary", markup=False)
        # Read-only: one Static drawing one table redraws in one update.
        yield Static("", id="series-table")
        yield BarChart(_title(), [], PAIN_SCALE[1], id="series-chart")

    def show(self, records: Sequence[Mapping[str, Any]], questions: Sequence[Question]) -> None:
        """Draw these check-ins (a series, in session order)."""
        self.rows = sessions(records, questions)
        first = self.rows[0].day if self.rows else "?"
        summary = f"Series since {first}: {pain_change(self.rows)}"
        marked: set[int] = set()
        if self.meaningful is not None:
            change = pain_trend(self.rows, self.meaningful)
            if change is not None:
                flag = "! Desk: " if worse(change) else ""
                summary += f"\n{flag}{change_sentence(change)}"
            marked = crossed(self.rows, self.meaningful)
        self.query_one("#series-summary", Label).update(summary)
        table = Table(*COLUMNS, box=None, padding=(0, 2, 0, 0), header_style="bold",
                      show_edge=False)
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in (
                str(row.number), row.day, "—" if row.pain is None else str(row.pain),
                row.since_last, row.at_home, row.status)))
        self.query_one("#series-table", Static).update(table)
        title = _title() + (f"; {MARK} a meaningful change from session 1" if marked else "")
        self.query_one("#series-chart", BarChart).show(title, _bars(self.rows, marked),
                                                       PAIN_SCALE[1])
