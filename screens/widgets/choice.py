"""Big tappable answers: one Choice per option, in a ChoiceGrid."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.binding import Binding
from textual.containers import Grid
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class Choice(Widget, can_focus=True):
    """One answer: tap, Enter or Space to pick it.

    Picked or not shows in the mark (◉/○ or ☑/☐) as well as the colour, so
    meaning never rests on colour alone.
    """

    BINDINGS = [
        Binding("enter,space", "pick", "Choose", show=False, id="choice.pick",
                tooltip="Choose this answer"),
    ]

    selected: reactive[bool] = reactive(False)

    class Picked(Message):
        """The client tapped or pressed a choice."""

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
        if self.multi:
            mark = "☑" if self.selected else "☐"
        else:
            mark = "◉" if self.selected else "○"
        return Content(f"{mark} {self.label}")

    def watch_selected(self, selected: bool) -> None:
        self.set_class(selected, "-selected")

    def action_pick(self) -> None:
        self.post_message(self.Picked(self))

    def on_click(self) -> None:
        self.focus()
        self.action_pick()


class ChoiceGrid(Grid):
    """Choices in columns; arrows move between them, Tab leaves the grid."""

    BINDINGS = [
        Binding("up", "move(-1, 0)", "Up", show=False, id="choices.up"),
        Binding("down", "move(1, 0)", "Down", show=False, id="choices.down"),
        Binding("left", "move(0, -1)", "Left", show=False, id="choices.left"),
        Binding("right", "move(0, 1)", "Right", show=False, id="choices.right"),
    ]

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
        self._choices = list(choices)
        super().__init__(*self._choices, id=id)
        self.multi = multi
        self.exclusive = exclusive
        self.columns = columns
        self.styles.grid_size_columns = columns

    @property
    def picked(self) -> list[object]:
        """The values picked, in the order shown."""
        return [choice.value for choice in self._choices if choice.selected]

    def pick(self, values: Iterable[object]) -> None:
        """Show these values as picked."""
        wanted = set(values)
        for choice in self._choices:
            choice.selected = choice.value in wanted

    @on(Choice.Picked)
    def _toggle(self, event: Choice.Picked) -> None:
        event.stop()
        picked = event.choice
        if not self.multi:
            self.pick([picked.value])
        elif picked.selected:
            picked.selected = False
        else:
            picked.selected = True
            for choice in self._choices:
                if choice is not picked and (
                    picked.value in self.exclusive or choice.value in self.exclusive
                ):
                    choice.selected = False
        self.post_message(self.Changed())

    def action_move(self, rows: int, columns: int) -> None:
        focused = self.screen.focused
        if focused not in self._choices:
            return
        index = self._choices.index(focused) + rows * self.columns + columns
        if 0 <= index < len(self._choices):
            self._choices[index].focus()
