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
from kiosk.schedule.day import punctuality
from kiosk.store.contract import Store
from screens.desk.live import LiveDeskScreen
from screens.widgets.charts import BarChart


class GlanceScreen(LiveDeskScreen):
    """Closed with Esc, g or Back."""

    BINDINGS = [Binding("escape,g", "close", "Back")]

    def __init__(self, store: Store, clock: Clock, schedule: DeskSchedule | None = None
                 ) -> None:
        super().__init__(store, clock, id="glance")
        self.schedule = schedule
        """The clinic's schedule settings: the day against its bookings too."""
        self.figures: Glance | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="staff-bar"):
            yield Label("Today at a glance", id="staff-title")
        with VerticalScroll(id="glance-body"):
            yield Static("", id="glance-words", markup=False)
            with Vertical(id="glance-charts"):
                yield BarChart("", [], 1, id="glance-arrivals")
                yield BarChart("", [], 1, id="glance-types")
        with Horizontal(id="staff-actions"):
            yield Button("Back to the queue", id="close", variant="primary")

    @work(thread=True, exclusive=True, group="glance")
    def _load(self) -> None:
        now = self.clock.now()
        bookings: list[str] = []
        try:
            today = self.store.today()
            figures: Glance | str = glance(today, now)
            if self.schedule is not None:
                bookings = [punctuality_sentence(punctuality(
                    self.store.appointments(now.astimezone().date()), today, now,
                    late_after=self.schedule.late_after, window=self.schedule.window))]
        except StoreError as error:
            figures = f"⚠ {error}"
        self.app.call_from_thread(self._show, figures, bookings)

    def _show(self, figures: Glance | str, bookings: list[str] | None = None) -> None:
        words = self.query_one("#glance-words", Static)
        charts = self.query_one("#glance-charts")
        if isinstance(figures, str):
            words.update(figures)
            charts.display = False
            return
        self.figures = figures
        words.update("\n".join([*glance_sentences(figures), *(bookings or [])]))
        charts.display = bool(figures.total)
        if figures.total:
            most = max(count for _, count in figures.arrivals)
            self.query_one("#glance-arrivals", BarChart).show(
                f"Arrivals by hour (bars to {most})",
                [(f"{hour:02d}:00", count, str(count)) for hour, count in figures.arrivals],
                most)
            self.query_one("#glance-types", BarChart).show(
                f"Massage recommended (bars to {figures.total}, every check-in today)",
                [(name, count, str(count)) for name, count in figures.types], figures.total)
