"""Contrast, measured on the drawn screens: every run of text in a snapshot
SVG against the background drawn under it, by WCAG 2.1's relative
luminance and contrast ratio.

A Textual snapshot (Rich's SVG export) draws each cell run twice: a `<rect>`
with its background, and a `<text>` at the same x on the same line whose
class holds its colour (dim text already blended by Rich). So a run's
background is the rect that starts where it starts, on its line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

NORMAL = 4.5
"""WCAG 1.4.3 AA for text. A terminal's cells are all one size, so all of its
text is "normal": the large-text allowance (3:1) is never taken."""
HIGH_CONTRAST = 7.0
"""WCAG 1.4.6 AAA: what the high-contrast theme promises."""
EDGE = 3.0
"""WCAG 1.4.11: the edges of controls, and the bars and marks of a chart."""

LINE_HEIGHT = 24.4
CELL_WIDTH = 12.2
_CLASS = re.compile(r"\.(terminal-[\w-]+)\s*\{\s*fill:\s*(#[0-9a-fA-F]{6})")
_RECT = re.compile(r'<rect fill="(#[0-9a-fA-F]{6})" x="([\d.]+)" y="([\d.]+)" '
                   r'width="([\d.]+)" height="[\d.]+" shape-rendering="crispEdges"/>')
_TEXT = re.compile(r'<text class="([\w-]+)" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                   r'clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>', re.S)


@dataclass(frozen=True)
class Run:
    """One run of cells drawn in one colour on one background."""

    text: str
    row: int
    column: int
    colour: str
    background: str
    inside: str | None = None
    """For a control's side edge (`▊` or `▎`, Textual's tall border): the
    fill of the control it bounds, the cell beside it on the inside."""

    @property
    def graphic(self) -> bool:
        """Only box-drawing and block glyphs: a control's edge, a scroll
        bar, a chart's bar or a QR code, not words."""
        return all(0x2500 <= ord(char) <= 0x259F or char.isspace() for char in self.text)

    @property
    def edge(self) -> bool:
        """A side of a control: `▊` is the outside's colour over the
        control's edge colour, `▎` the edge colour over the outside's."""
        return self.text in ("▊", "▎")

    @property
    def ratio(self) -> float:
        """Text: its colour against its background. A control's side: how
        well the control stands out from what is around it, by its edge line
        or by its fill, whichever is more (WCAG 1.4.11 asks one of them)."""
        by_line = contrast(self.colour, self.background)
        if not self.edge or self.inside is None:
            return by_line
        outside = self.colour if self.text == "▊" else self.background
        return max(by_line, contrast(self.inside, outside))


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour `#rrggbb`."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    """The contrast ratio of two colours, 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def runs(svg: str) -> list[Run]:
    """Every run of visible (non-blank) cells, with its colour and background."""
    colours = dict(_CLASS.findall(svg))
    cells: dict[tuple[int, int], str] = {}
    for fill, x, y, width in _RECT.findall(svg):
        row, start = round((float(y) - 1.5) / LINE_HEIGHT), round(float(x) / CELL_WIDTH)
        for column in range(start, start + round(float(width) / CELL_WIDTH)):
            cells[(row, column)] = fill.lower()
    found = []
    for css, x, line, raw in _TEXT.findall(svg):
        text = html.unescape(raw).replace("\xa0", " ")
        if not text.strip() or css not in colours:
            continue
        row, column = int(line), round(float(x) / CELL_WIDTH)
        background = cells.get((row, column))
        if background is None:
            raise AssertionError(f"no background drawn under {text!r} at {row}, {column}")
        inside = cells.get((row, column + 1 if text == "▊" else column - 1))
        found.append(Run(text, row, column, colours[css].lower(), background, inside))
    return found


def dialog_box(found: list[Run]) -> tuple[int, int, int, int] | None:
    """Where an open dialog is: the rows and columns inside its thick border
    (`█▀▀…▀█` above, `█▄▄…▄█` below), or None."""
    text_rows: dict[int, list[Run]] = {}
    for run in found:
        text_rows.setdefault(run.row, []).append(run)
    top = bottom = None
    left = right = 0
    for row in sorted(text_rows):
        line = _line(text_rows[row])
        if top is None and (match := re.search(r"█▀{8,}█", line)):
            top, left, right = row, match.start(), match.end() - 1
        elif top is not None and re.search(r"█▄{8,}█", line[left:right + 1]):
            bottom = row
            break
    if top is None or bottom is None:
        return None
    return top, left, bottom, right


def _line(row_runs: list[Run]) -> str:
    line = ""
    for run in sorted(row_runs, key=lambda r: r.column):
        line = line.ljust(run.column) + run.text
    return line


@dataclass(frozen=True)
class Shortfall:
    snapshot: str
    text: str
    ratio: float
    needed: float

    def __str__(self) -> str:
        return (f"{self.snapshot}: {self.text.strip()!r} is {self.ratio:.2f}:1, "
                f"needs {self.needed:g}:1")


def measure(path: Path, *, dialog: bool = False) -> tuple[list[Shortfall], float]:
    """Every run of a snapshot short of its target, and the lowest ratio of
    its text. `dialog`: a dialog is open, and what is dimmed behind it is
    inactive (exempt)."""
    found = runs(path.read_text(encoding="utf-8"))
    text_target = HIGH_CONTRAST if "high_contrast" in path.name else NORMAL
    box = dialog_box(found) if dialog else None
    if dialog and box is None:
        raise AssertionError(f"{path.name}: no dialog found")
    short = []
    lowest = 21.0
    for run in found:
        if box is not None and not (box[0] <= run.row <= box[2]
                                    and box[1] <= run.column <= box[3]):
            continue
        if run.graphic and not run.edge:
            continue  # A bevel, a rule, a scroll bar's thumb, a chart's bar, a QR module.
        needed = EDGE if run.edge else text_target
        if not run.edge:
            lowest = min(lowest, run.ratio)
        if run.ratio < needed - 1e-9:
            short.append(Shortfall(path.name, run.text, run.ratio, needed))
    return short, lowest
