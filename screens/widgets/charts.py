"""Charts on fixed scales: one labelled bar a row, the figure written beside
each bar, so no chart carries meaning by length or colour alone.

A chart is one widget drawing one table; each bar is Rich's progress bar,
the renderable Textual's own ProgressBar draws with. One widget, not a
ProgressBar widget a row: a 20-session series redraws in one update, and
nothing runs a timer while it sits on screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.progress_bar import ProgressBar
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

Bar = tuple[str, float | None, str]
"""One bar: its label, its value (None: no value), and the value as text."""

BAR_WIDTH = 30
"""Cells from 0 to the top of the scale."""


class BarChart(Widget):
    """Bars, one a row, all on the same scale from 0 to `scale`: the scale is
    given, never fitted to the data, so a flat series looks flat."""

    DEFAULT_CSS = """
    BarChart {
        height: auto;
    }
    """

    def __init__(self, title: str, bars: Sequence[Bar], scale: float, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title
        self.bars: list[Bar] = list(bars)
        self.scale = scale

    def show(self, title: str, bars: Sequence[Bar], scale: float) -> None:
        """Draw other bars."""
        self.title, self.bars, self.scale = title, list(bars), scale
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        theme = self.app.current_theme
        filled = Style(color=theme.primary)
        back = Style(color=theme.panel or theme.surface or "grey23", dim=True)
        muted = Style(dim=True)
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, min_width=12)
        table.add_column(width=BAR_WIDTH, no_wrap=True)
        table.add_column(no_wrap=True)
        for label, value, shown in self.bars:
            table.add_row(
                Text(label),
                ProgressBar(total=self.scale, completed=value or 0, width=BAR_WIDTH,
                            style=back, complete_style=filled, finished_style=filled),
                Text(shown))
        return Group(Text(self.title, style=muted), table)
