"""The start-up benchmark's baseline: a Textual app with one line of text."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello")


if __name__ == "__main__":
    Bare().run()
