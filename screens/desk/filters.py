"""The queue's filters and its name search, above the table."""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Input

from kiosk.desk.queue import FILTERS, View, next_site
from kiosk.files import StoreError
from kiosk.i18n import ENGLISH, Words
from kiosk.store.contract import SiteStore


class FilterBar(Horizontal):
    """A button a filter, Glance, the search over all history, and the step
    from site to site."""

    class Asked(Message):
        """Staff asked for another view, made from the one shown by `change`."""

        def __init__(self, change: Callable[[View], View]) -> None:
            super().__init__()
            self.change = change

    def __init__(self, *, expected: bool = False, words: Words = ENGLISH) -> None:
        """`expected`: the clinic has a schedule, and Expected is offered."""
        super().__init__(id="staff-filters")
        self.expected = expected
        self.words = words

    def compose(self) -> ComposeResult:
        _ = self.words._
        for name, label in FILTERS.items():
            yield Button(_(label), id=f"filter-{name}", classes="filter")
        if self.expected:
            yield Button(_("Expected"), id="expected")
        yield Button(_("Glance"), id="glance")
        yield Input(placeholder=_("Search all history by name"), id="staff-search")

    def mark(self, view: View) -> None:
        """Show which filter is on: marked in words too, not by colour alone."""
        for name, label in FILTERS.items():
            active = name == view.filter and not view.search
            button = self.query_one(f"#filter-{name}", Button)
            button.set_class(active, "-active-filter")
            said = self.words._(label)
            button.label = f"● {said}" if active else said

    def show_filter(self, name: str) -> None:
        """This filter, with the search field cleared."""
        self.query_one("#staff-search", Input).value = ""
        self.post_message(self.Asked(lambda view: view.with_filter(name)))

    @on(Button.Pressed, ".filter")
    def _filter_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.show_filter((event.button.id or "").removeprefix("filter-"))

    @on(Input.Changed, "#staff-search")
    def _search(self, event: Input.Changed) -> None:
        text = event.value
        self.post_message(self.Asked(lambda view: view.with_search(text)))

    @on(Input.Submitted, "#staff-search")
    def _search_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()  # The table, with the matches.

    @work(thread=True, exclusive=True, group="site")
    def next_site(self, store: SiteStore) -> None:
        """Ask for the next site: this machine's own, then every site, then each
        other one. Which sites there are is a query: off the UI thread."""
        try:
            others = [site for site in store.sites() if site != store.site]
        except StoreError:
            others = []
        self.post_message(self.Asked(
            lambda view: view.with_site(next_site(store.site, others, view.site))))
