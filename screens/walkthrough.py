"""Walkthrough: how a spa massage differs from a medical massage."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Label, Static

from kiosk.content.model import Walkthrough
from kiosk.i18n import ENGLISH, Words
from kiosk.settings import Settings
from screens.speech import Speaks
from screens.widgets import ScrollControls, TopBar


class WalkthroughScreen(Speaks[None]):
    """One difference a page, spa and medical side by side."""

    CSS_PATH = ["pages.tcss", "walkthrough.tcss"]
    """Its layout, loaded when it first shows (not at start-up)."""

    BINDINGS = [
        Binding("right", "next", "Next", id="walkthrough.next", tooltip="The next difference"),
        Binding("left", "back", "Back", id="walkthrough.back", tooltip="The previous page"),
    ]

    page: reactive[int] = reactive(0, init=False)
    """The page shown, from 0."""

    class Finished(Message):
        """The client read to the end or skipped to the check-in."""

    class Left(Message):
        """The client went back from the first page."""

    def __init__(self, settings: Settings, walkthrough: Walkthrough, *,
                 words: Words = ENGLISH) -> None:
        super().__init__(id="walkthrough")
        self.settings = settings
        self.walkthrough = walkthrough
        self.words = words

    def compose(self) -> ComposeResult:
        _ = self.words._
        yield TopBar(self.settings.clinic_name, demo=self.settings.demo, words=self.words)
        with Horizontal(classes="page-row"):
            with VerticalScroll(id="walkthrough-body", can_focus=False):
                yield Label(self.walkthrough.title, id="walkthrough-title", markup=False)
                yield Static(self.walkthrough.intro, id="walkthrough-intro", markup=False)
                yield Label("", id="page-title", markup=False)
                with Horizontal(id="sides"):
                    with Vertical(classes="side spa"):
                        yield Label(_("Spa massage"), classes="side-title")
                        yield Static("", id="spa-text", markup=False)
                    with Vertical(classes="side medical"):
                        yield Label(_("Medical massage"), classes="side-title")
                        yield Static("", id="medical-text", markup=False)
            yield ScrollControls("#walkthrough-body")
        with Horizontal(classes="nav"):
            yield Button(_("◀ Back"), id="back")
            yield Button(_("Skip to check-in"), id="skip")
            yield from self.read_aloud_button()
            yield Button(_("Next ▶"), id="next", variant="primary")
        yield from self.speech_bar()

    def speech_parts(self, private: bool) -> list[str]:
        from kiosk.speech import controls

        _ = self.words._
        shown = self.walkthrough.pages[self.page]
        intro = [self.walkthrough.title, self.walkthrough.intro] if self.page == 0 else []
        return [*intro, shown.title, _("Spa massage"), shown.spa, _("Medical massage"),
                shown.medical, controls(self.words, self.controls_said())]

    def on_mount(self) -> None:
        self._show(0)
        self.query_one("#next", Button).focus()

    def watch_page(self, page: int) -> None:
        self._show(page)

    def _show(self, page: int) -> None:
        self.stop_speech()  # A new page stops the last one's speech.
        pages = self.walkthrough.pages
        shown = pages[page]
        _ = self.words._
        self.query_one(TopBar).step = _("Difference {page} of {pages}", page=page + 1,
                                        pages=len(pages))
        self.query_one("#walkthrough-intro").display = page == 0
        self.query_one("#page-title", Label).update(shown.title)
        self.query_one("#spa-text", Static).update(shown.spa)
        self.query_one("#medical-text", Static).update(shown.medical)
        last = page == len(pages) - 1
        self.query_one("#next", Button).label = _("Start check-in ▶") if last else _("Next ▶")
        self.query_one("#skip").display = not last

    @on(Button.Pressed, "#next")
    def action_next(self) -> None:
        if self.page < len(self.walkthrough.pages) - 1:
            self.page += 1
        else:
            self.post_message(self.Finished())

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        if self.page > 0:
            self.page -= 1
        else:
            self.post_message(self.Left())

    @on(Button.Pressed, "#skip")
    def _skip(self) -> None:
        self.post_message(self.Finished())
