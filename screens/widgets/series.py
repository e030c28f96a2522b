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
    scale_title,
    sessions,
    worse,
)
from kiosk.desk.rows import FLAG_MARKS
from kiosk.i18n import ENGLISH, N_, Words
from screens.widgets.charts import Bar, BarChart

COLUMNS = (N_("Session"), N_("Date"), N_("Pain"), N_("Since last"), N_("At home"), N_("Status"))


MARK = "◆"
"""Beside a session whose pain is a meaningful change from the first: a
mark and words, never colour alone."""


def _bars(rows: Sequence[Session], marked: Set[int], words: Words) -> list[Bar]:
    _, high = PAIN_SCALE
    return [(f"{row.number:>2}  " + (words.day(row.on, year=False) if row.on else row.day),
             row.pain,
             words._("no score") if row.pain is None else
             f"{row.pain}/{high}" + (f" {MARK}" if row.number in marked else ""))
            for row in rows]


class SeriesView(Vertical):
    """Made once; `show` draws a series in it, reusing its rows."""

    DEFAULT_CSS = """
    SeriesView {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = "series",
                 meaningful: Meaningful | None = None, words: Words = ENGLISH) -> None:
        """`meaningful`: the content's rule for a change that matters (None:
        no verdict is said, only the change); `words`: the desk's."""
        super().__init__(id=id)
        self.words = words
        self.rows: list[Session] = []
        self.meaningful = meaningful

    def compose(self) -> ComposeResult:
        yield Label("", id="series-summary", markup=False)
        # Read-only: one Static drawing one table redraws in one update.
        yield Static("", id="series-table")
        yield BarChart(scale_title(self.words), [], PAIN_SCALE[1], id="series-chart")

    def show(self, records: Sequence[Mapping[str, Any]], questions: Sequence[Question]) -> None:
        """Draw these check-ins (a series, in session order)."""
        _ = self.words._
        self.rows = sessions(records, questions, self.words)
        first = self.rows[0].day if self.rows else "?"
        summary = _("Series since {first}: {change}", first=first,
                    change=pain_change(self.rows, self.words))
        marked: set[int] = set()
        if self.meaningful is not None:
            change = pain_trend(self.rows, self.meaningful)
            if change is not None:
                flag = f"{_(FLAG_MARKS['desk'])}: " if worse(change) else ""
                summary += f"\n{flag}{change_sentence(change, self.words)}"
            marked = crossed(self.rows, self.meaningful)
        self.query_one("#series-summary", Label).update(summary)
        table = Table(*(_(column) for column in COLUMNS), box=None, padding=(0, 2, 0, 0),
                      header_style="bold", show_edge=False)
        for row in self.rows:
            table.add_row(*(Text(cell) for cell in (
                str(row.number), row.day, "—" if row.pain is None else str(row.pain),
                row.since_last, row.at_home, row.status)))
        self.query_one("#series-table", Static).update(table)
        title = scale_title(self.words) + (
            _("; {mark} a meaningful change from session 1", mark=MARK) if marked else "")
        self.query_one("#series-chart", BarChart).show(title, _bars(self.rows, marked, self.words),
                                                       PAIN_SCALE[1])
