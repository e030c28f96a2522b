"""Charts on fixed scales, made of Textual's own ProgressBar: one labelled bar
a row. Every figure is also written beside its bar, so no chart carries
meaning by length or colour alone."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ProgressBar


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

    def __init__(self, label: str, value: float | None, scale: float, shown: str) -> None:
        super().__init__()
        self.label = label
        self.value = value
        self.scale = scale
        self.shown = shown

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="bar-label", markup=False)
        bar = ProgressBar(total=self.scale, show_eta=False, show_percentage=False)
        bar.progress = self.value or 0
        yield bar
        yield Label(self.shown, classes="bar-value", markup=False)


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

    def __init__(self, title: str, rows: Sequence[tuple[str, float | None, str]],
                 scale: float, *, id: str | None = None) -> None:
        """`rows`: (label, value or None, the value as text) per bar."""
        super().__init__(id=id)
        self.title = title
        self.rows = list(rows)
        self.scale = scale

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="chart-title", markup=False)
        for label, value, shown in self.rows:
            yield BarRow(label, value, self.scale, shown)
