"""Charts on fixed scales, made of Textual's own ProgressBar: one labelled bar
a row. Every figure is also written beside its bar, so no chart carries
meaning by length or colour alone."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ProgressBar

Bar = tuple[str, float | None, str]
"""One bar: its label, its value (None: no value), and the value as text."""


class BarRow(Horizontal):
    """A label, a bar on a fixed scale, and the value in figures."""

    DEFAULT_CSS = """
    BarRow {
        height: 1;
    }
    BarRow .bar-label {
        width: 14;
    }
    BarRow ProgressBar {
        width: auto;
    }
    BarRow .bar-value {
        width: auto;
        margin-left: 1;
    }
    """

    def __init__(self, bar: Bar, scale: float) -> None:
        super().__init__()
        self.bar = bar
        self.scale = scale

    def compose(self) -> ComposeResult:
        label, value, shown = self.bar
        yield Label(label, classes="bar-label", markup=False)
        progress = ProgressBar(total=self.scale, show_eta=False, show_percentage=False)
        progress.progress = value or 0
        yield progress
        yield Label(shown, classes="bar-value", markup=False)

    def show(self, bar: Bar, scale: float) -> None:
        """Draw another bar in this row (cheaper than a new row)."""
        self.bar, self.scale = bar, scale
        if not self.is_mounted or not self.query(ProgressBar):
            return  # compose() draws it.
        label, value, shown = bar
        self.query_one(".bar-label", Label).update(label)
        self.query_one(ProgressBar).update(total=scale, progress=value or 0)
        self.query_one(".bar-value", Label).update(shown)


class BarChart(Vertical):
    """Bars, one a row, all on the same scale from 0 to `scale`: the scale is
    given, never fitted to the data, so a flat line looks flat."""

    DEFAULT_CSS = """
    BarChart {
        height: auto;
    }
    BarChart > .chart-title {
        color: $text-muted;
    }
    """

    def __init__(self, title: str, rows: Sequence[Bar], scale: float, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.rows = list(rows)
        self.scale = scale

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="chart-title", markup=False)
        for bar in self.rows:
            yield BarRow(bar, self.scale)

    def show(self, title: str, rows: Sequence[Bar], scale: float) -> None:
        """Draw other bars, reusing the rows already made."""
        self.title, self.rows, self.scale = title, list(rows), scale
        self.query_one(".chart-title", Label).update(title)
        made = list(self.query_children(BarRow))
        for row, bar in zip(made, rows, strict=False):
            row.show(bar, scale)
            row.display = True
        for row in made[len(rows):]:
            row.display = False
        if len(rows) > len(made):
            self.mount_all(BarRow(bar, scale) for bar in rows[len(made):])
