"""Today at a glance: arrivals by hour, the spa/medical split, and how long
people waited, for the front desk; live, like the queue."""

from __future__ import annotations

from collections.abc import Hashable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Label, Static

from kiosk.clock import Clock
from kiosk.desk.progress import Glance, glance, glance_sentences, punctuality_sentence
from kiosk.desk.schedule import DeskSchedule
from kiosk.files import StoreError
from kiosk.schedule.day import punctuality
from kiosk.store.contract import Store
from screens.widgets.charts import BarChart

POLL_SECONDS = 0.5


class GlanceScreen(Screen[None]):
    """Closed with Esc, g or Back."""

    CSS_PATH = "staff.tcss"
    BINDINGS = [Binding("escape,g", "close", "Back")]

    def __init__(self, store: Store, clock: Clock, schedule: DeskSchedule | None = None
                 ) -> None:
        super().__init__(id="glance")
        self.store = store
        self.clock = clock
        self.schedule = schedule
        """The clinic's schedule settings: the day against its bookings too."""
        self._seen: Hashable | None = None
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

    def on_mount(self) -> None:
        self.poll()
        self.set_interval(POLL_SECONDS, self.poll)

    def poll(self) -> None:
        """Reload when the store or the minute changed (tests call it)."""
        now = self.clock.now()
        seen = (self.store.version(), now.replace(second=0, microsecond=0))
        if seen != self._seen:
            self._seen = seen
            self._load()

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

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss()
