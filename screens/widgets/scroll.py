"""Tappable ▲ and ▼ beside a scrolling area: nothing needs a scroll gesture."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.widgets import Button, Static


class ScrollControls(Vertical):
    """Shown only while `target` has more than fits; ▲/▼ scroll it a page."""

    DEFAULT_CSS = """
    ScrollControls {
        width: 10;
        height: 1fr;
    }
    ScrollControls Button {
        width: 10;
        min-width: 10;
        height: 3;
    }
    ScrollControls .scroll-gap {
        height: 1fr;
    }
    ScrollControls Button.-at-end {
        /* Nothing more that way: quieter, and still 4.5:1 (7:1 in high-contrast). */
        color: $foreground 80%;
        text-style: none;
    }
    """

    def __init__(self, target: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="scroll-controls")
        self.target = target

    def compose(self) -> ComposeResult:
        yield Button("▲", classes="scroll-up")
        yield Static(classes="scroll-gap")
        yield Button("▼", classes="scroll-down")

    def on_mount(self) -> None:
        area = self.screen.query_one(self.target, ScrollableContainer)
        for attribute in ("virtual_size", "size", "scroll_y"):
            self.watch(area, attribute, self._update)
        self._update()

    def _update(self) -> None:
        area = self.screen.query_one(self.target, ScrollableContainer)
        self.display = area.max_scroll_y > 0
        # Not disabled: a disabled button's words fade below 4.5:1. A tap at
        # the end scrolls nowhere, which is all it can do.
        self.query_one(".scroll-up", Button).set_class(area.scroll_y <= 0, "-at-end")
        self.query_one(".scroll-down", Button).set_class(area.scroll_y >= area.max_scroll_y,
                                                         "-at-end")

    @on(Button.Pressed, ".scroll-up")
    def _up(self) -> None:
        self.screen.query_one(self.target, ScrollableContainer).scroll_page_up(animate=False)

    @on(Button.Pressed, ".scroll-down")
    def _down(self) -> None:
        self.screen.query_one(self.target, ScrollableContainer).scroll_page_down(animate=False)
