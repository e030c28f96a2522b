"""Today at a glance: arrivals by hour, the spa/medical split, and how long
people waited, for the front desk; live, like the queue."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from kiosk.clock import Clock
from kiosk.desk.progress import Glance, glance, glance_sentences, punctuality_sentence
from kiosk.desk.schedule import DeskSchedule
from kiosk.files import StoreError
from kiosk.i18n import ENGLISH, Words
from kiosk.schedule.day import punctuality
from kiosk.store.contract import Store
from screens.desk.live import LiveDeskScreen
from screens.widgets.charts import BarChart


class GlanceScreen(LiveDeskScreen):
    """Closed with Esc, g or Back."""

    BINDINGS = [Binding("escape,g", "close", "Back")]

    def __init__(self, store: Store, clock: Clock, schedule: DeskSchedule | None = None,
                 words: Words = ENGLISH) -> None:
        super().__init__(store, clock, id="glance", words=words)
        self.schedule = schedule
        """The clinic's schedule settings: the day against its bookings too."""
        self.figures: Glance | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="staff-bar"):
            yield Label(self.words._("Today at a glance"), id="staff-title")
        with VerticalScroll(id="glance-body"):
            yield Static("", id="glance-words", markup=False)
            with Vertical(id="glance-charts"):
                yield BarChart("", [], 1, id="glance-arrivals")
                yield BarChart("", [], 1, id="glance-types")
        with Horizontal(id="staff-actions"):
            yield Button(self.words._("Back to the queue"), id="close", variant="primary")

    @work(thread=True, exclusive=True, group="glance")
    def _load(self) -> None:
        now = self.clock.now()
        bookings: list[str] = []
        try:
            today = self.store.today()
            figures: Glance | str = glance(today, now, self.words)
            if self.schedule is not None:
                bookings = [punctuality_sentence(punctuality(
                    self.store.appointments(now.astimezone().date()), today, now,
                    late_after=self.schedule.late_after, window=self.schedule.window),
                    self.words)]
        except StoreError as error:
            figures = "⚠ " + self.words._("That did not work: {error}", error=error)
        self.app.call_from_thread(self._show, figures, bookings)

    def _show(self, figures: Glance | str, bookings: list[str] | None = None) -> None:
        _ = self.words._
        said = self.query_one("#glance-words", Static)
        charts = self.query_one("#glance-charts")
        if isinstance(figures, str):
            said.update(figures)
            charts.display = False
            return
        self.figures = figures
        said.update("\n".join([*glance_sentences(figures, self.words), *(bookings or [])]))
        charts.display = bool(figures.total)
        if figures.total:
            most = max(count for _, count in figures.arrivals)
            self.query_one("#glance-arrivals", BarChart).show(
                _("Arrivals by hour (bars to {most})", most=most),
                [(f"{hour:02d}:00", count, str(count)) for hour, count in figures.arrivals],
                most)
            self.query_one("#glance-types", BarChart).show(
                _("Massage recommended (bars to {total}, every check-in today)",
                  total=figures.total),
                [(name, count, str(count)) for name, count in figures.types], figures.total)
