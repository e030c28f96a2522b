"""Big tappable answers: one Choice per option, in a ChoiceGrid."""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.binding import Binding
from textual.containers import Grid
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


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
        border: tall $panel-lighten-2;
        background: $panel;
        padding: 0 1;
    }
    Choice.-selected {
        border: tall $accent;
        background: $accent 30%;
        text-style: bold;
    }
    Choice.-cursor {
        border: tall $secondary;
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
        return Content(f"{marks[self.selected]} {self.label}")

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
