"""Big tappable answers: one Choice per option, in a ChoiceGrid."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.containers import Grid
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

MARK_WIDTH = 2
"""The mark and a space: ○ or ☐ (one cell each), then the label."""

NO_LINE_START = set("、，。：；！？）》」』】〉％,.:;!?)")
"""Punctuation that never starts a line (Chinese line breaking)."""
NO_LINE_END = set("（《「『【〈(")
"""Opening marks that never end a line."""


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _units(text: str) -> list[tuple[str, bool]]:
    """What a line may not break inside, each with whether a space comes
    before it: a word of Latin letters, or one wide character, with any
    punctuation that must stay beside it."""
    units: list[tuple[str, bool]] = []
    spaced = False
    for word in re.findall(r"\S+|\s+", text):
        if word.isspace():
            spaced = True
            continue
        for char in word:
            last = units[-1][0] if units and not spaced else ""
            # Kept with the unit before: punctuation that can't start a line,
            # anything after a mark that can't end one, a word's next letter.
            if last and (char in NO_LINE_START or last[-1] in NO_LINE_END
                         or not (_wide(char) or _wide(last[-1]))):
                units[-1] = (last + char, units[-1][1])
            else:
                units.append((char, spaced))
            spaced = False
    return units


def wrap_label(label: str, width: int) -> list[str]:
    """A label's lines at `width` cells: at spaces, or between two Chinese
    characters; never inside a word, never with a comma or a closing mark
    first on a line (a word wider than the line is cut, as it must be)."""
    width = max(width, 2)
    lines: list[str] = [""]
    for unit, spaced in _units(label):
        gap = " " if spaced and lines[-1] else ""
        if cell_len(lines[-1] + gap + unit) <= width:
            lines[-1] += gap + unit
            continue
        if lines[-1]:
            lines.append("")
        while cell_len(unit) > width:
            head = unit
            while cell_len(head) > width:
                head = head[:-1]
            lines[-1] = head
            unit = unit[len(head):]
            lines.append("")
        lines[-1] = unit
    return lines


class Choice(Widget):
    """One answer. Tapping picks it; the keyboard reaches it through its grid.

    Picked or not shows in the mark (◉/○ or ☑/☐) as well as the colour, so
    meaning never rests on colour alone.
    """

    selected: reactive[bool] = reactive(False)

    DEFAULT_CSS = """
    Choice {
        height: auto;
        min-height: 4;
        border: tall $border-blurred;
        background: $panel;
        padding: 0 1;
    }
    Choice.-selected {
        border: tall $accent;
        background: $accent 30%;
        text-style: bold;
    }
    Choice.-cursor {
        border: tall $border;
        background-tint: $foreground 15%;
        text-style: underline;
    }
    Choice.-selected.-cursor {
        text-style: bold underline;
    }
    """

    class Tapped(Message):
        """The client tapped a choice."""

        def __init__(self, choice: Choice) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, value: object, label: str, *, multi: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self.value = value
        """What choosing this means (an option id or a number)."""
        self.label = label
        self.multi = multi

    def render(self) -> Content:
        marks = ("☐", "☑") if self.multi else ("○", "◉")
        lines = wrap_label(self.label, self.content_region.width - MARK_WIDTH)
        # The label hangs beside its mark: a long word, or a run of Chinese,
        # never leaves the mark alone on its line.
        return Content("\n").join([Content(f"{marks[self.selected]} {lines[0]}"),
                                    *(Content(" " * MARK_WIDTH + line) for line in lines[1:])])

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap_label(self.label, width - MARK_WIDTH))

    def watch_selected(self, selected: bool) -> None:
        self.set_class(selected, "-selected")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Tapped(self))


class ChoiceGrid(Grid, can_focus=True):
    """Choices in columns: one Tab stop; arrows move, Enter or Space picks."""

    BINDINGS = [
        Binding("enter,space", "pick", "Choose", show=False, id="choices.pick",
                tooltip="Choose the highlighted answer"),
        Binding("up", "move(-1, 0)", "Up", show=False, id="choices.up"),
        Binding("down", "move(1, 0)", "Down", show=False, id="choices.down"),
        Binding("left", "move(0, -1)", "Left", show=False, id="choices.left"),
        Binding("right", "move(0, 1)", "Right", show=False, id="choices.right"),
    ]

    cursor: reactive[int] = reactive(0)
    """The highlighted choice, for the keyboard."""

    DEFAULT_CSS = """
    ChoiceGrid {
        height: auto;
        grid-gutter: 0 1;
        grid-rows: auto;
        margin-top: 1;
    }
    """

    class Changed(Message):
        """The picked answers changed."""

    def __init__(
        self,
        choices: Iterable[Choice],
        *,
        multi: bool,
        columns: int,
        exclusive: frozenset[object] = frozenset(),
        id: str | None = None,
    ) -> None:
        self.choices = list(choices)
        super().__init__(*self.choices, id=id)
        self.multi = multi
        self.exclusive = exclusive
        self.columns = columns
        self.styles.grid_size_columns = columns

    @property
    def picked(self) -> list[object]:
        """The values picked, in the order shown."""
        return [choice.value for choice in self.choices if choice.selected]

    def pick(self, values: Iterable[object]) -> None:
        """Show these values as picked, and start the cursor on the first."""
        wanted = set(values)
        for choice in self.choices:
            choice.selected = choice.value in wanted
        self.cursor = next((i for i, c in enumerate(self.choices) if c.selected), 0)

    def toggle(self, picked: Choice) -> None:
        """Pick a choice as a tap would; a picked multi choice is unpicked."""
        if not self.multi:
            for choice in self.choices:
                choice.selected = choice is picked
        elif picked.selected:
            picked.selected = False
        else:
            picked.selected = True
            for choice in self.choices:
                if choice is not picked and (
                    picked.value in self.exclusive or choice.value in self.exclusive
                ):
                    choice.selected = False
        self.post_message(self.Changed())

    def on_choice_tapped(self, event: Choice.Tapped) -> None:
        event.stop()
        self.cursor = self.choices.index(event.choice)
        self.focus()
        self.toggle(event.choice)

    def action_pick(self) -> None:
        self.toggle(self.choices[self.cursor])

    def action_move(self, rows: int, columns: int) -> None:
        index = self.cursor + rows * self.columns + columns
        if 0 <= index < len(self.choices):
            self.cursor = index

    def watch_cursor(self, cursor: int) -> None:
        self._show_cursor()

    def watch_has_focus(self, focused: bool) -> None:
        self._show_cursor()

    def _show_cursor(self) -> None:
        for index, choice in enumerate(self.choices):
            choice.set_class(self.has_focus and index == self.cursor, "-cursor")
