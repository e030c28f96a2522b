"""An on-screen keyboard for names, for kiosks with a touchscreen only."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from kiosk.i18n import ENGLISH, Words

BACKSPACE = "⌫"
SPACE = "space"
ACCENTS = "àé…"
LETTERS = "abc"
DIGITS = "123"

PAGES = {
    # 8 keys a row, 4 rows: each key at least 10 columns wide at 80 columns.
    LETTERS: [*"abcdefghijklmnopqrstuvwxyz", "-", "'", SPACE, BACKSPACE, ACCENTS],
    ACCENTS: [*"àáâäãåæçèéêëìíîïñòóôöõøœßùúûüý", BACKSPACE, LETTERS],
    # For a phone's last digits or a day and month of birth.
    DIGITS: [*"1234567890", "/", BACKSPACE],
}


class Key(Widget):
    """One key. Not a Button: a Button ignores a second press for a moment,
    and names have double letters."""

    can_focus = False

    DEFAULT_CSS = """
    Key {
        width: 1fr;
        height: 3;
        border: tall $border-blurred;
        background: $panel;
        content-align: center middle;
        text-style: bold;
    }
    Key.-wide {
        column-span: 2;
        width: 100%;
    }
    Key.-down {
        background: $accent;
        color: $background;
    }
    """

    class Pressed(Message):
        """A key was tapped."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, key: str, label: str) -> None:
        name = {SPACE: "space", BACKSPACE: "backspace", ACCENTS: "accents", LETTERS: "letters"}
        super().__init__(id=f"key-{name.get(key, f'u{ord(key[0]):04x}')}",
                         classes="-wide" if key == SPACE else "")
        self.key = key
        self.label = label

    def render(self) -> Content:
        return Content(self.label)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.add_class("-down")
        self.set_timer(0.15, lambda: self.remove_class("-down"))
        self.post_message(self.Pressed(self.key))


class TouchKeyboard(Grid):
    """Types into the focused text field, through `Typed` messages."""

    page: reactive[str] = reactive(LETTERS, recompose=True)

    DEFAULT_CSS = """
    TouchKeyboard {
        grid-size: 8;
        grid-rows: 3;
        grid-gutter: 0;
        height: 12;
        width: 100%;
        background: $background;
    }
    """

    class Typed(Message):
        """Text to insert, or None for a backspace."""

        def __init__(self, text: str | None) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None, words: Words = ENGLISH) -> None:
        super().__init__(id=id)
        self.words = words

    def compose(self) -> ComposeResult:
        # Translators: the space bar of the on-screen keyboard.
        space = self.words._("space")
        for key in PAGES[self.page]:
            yield Key(key, space if key == SPACE else key)

    def on_key_pressed(self, event: Key.Pressed) -> None:
        event.stop()
        if event.key in PAGES:
            self.page = event.key
        elif event.key == BACKSPACE:
            self.post_message(self.Typed(None))
        else:
            self.post_message(self.Typed(" " if event.key == SPACE else event.key))
            if self.page == ACCENTS:
                self.page = LETTERS  # One accented letter at a time, as phones do.
