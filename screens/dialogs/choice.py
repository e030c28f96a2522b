"""A question with a few answers as big buttons: erase or keep, CSV or JSON."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static
from textual.widgets.button import ButtonVariant


class ChoiceScreen(ModalScreen[str | None]):
    """Dismissed with the id of the button tapped, or None on Esc."""

    CSS_PATH = "../dialogs.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, title: str, text: str,
                 choices: list[tuple[str, str, ButtonVariant]]) -> None:
        """`choices`: (id, label, variant) per button; the first has the focus.
        `text` may hold a client's name: it is shown as text, never markup."""
        super().__init__(id="choice")
        self.title_text = title
        self.text = text
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Label(self.title_text, id="choice-title", markup=False)
            yield Static(Content(self.text), id="choice-text")
            # Four choices (export's formats and Cancel) share the row: at
            # their usual width they would run past an 80-column screen.
            with Horizontal(classes="nav -many" if len(self.choices) > 3 else "nav"):
                for choice_id, label, variant in self.choices:
                    yield Button(label, id=f"choice-{choice_id}", variant=variant)

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.dismiss(event.button.id.removeprefix("choice-"))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
