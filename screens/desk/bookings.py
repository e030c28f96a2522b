"""The queue screen's bookings: Expected, the practitioner filter, matching
a check-in to its appointment by hand, and the desk's bell at arrivals."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.screen import Screen
from textual.widgets import Button

from kiosk.clock import Clock
from kiosk.desk.queue import View, next_practitioner
from kiosk.desk.schedule import DeskSchedule
from kiosk.files import StoreError
from kiosk.i18n import Words
from kiosk.schedule.matching import booked
from kiosk.store.contract import Record, Store
from screens.desk.series_actions import SeriesActions
from screens.desk.table import QueueTable


class DeskBookings(Screen[None]):
    """A part of `StaffScreen`: what the clinic's schedule adds to the queue."""

    store: Store
    clock: Clock
    language: str
    words: Words
    schedule: DeskSchedule | None
    _announced: set[str] | None = None
    """Check-ins with a booking the desk has seen arrive (for its bell)."""

    view: View

    if TYPE_CHECKING:
        def _chosen(self) -> Record | None: ...

    @property
    def series_actions(self) -> SeriesActions:
        return self.query_one(SeriesActions)

    def _today(self) -> date:
        return self.clock.now().astimezone().date()

    def _ring_for_arrivals(self, view: View, records: list[Record]) -> None:
        """The desk's bell (where the clinic asked for it) for each arrival
        with a booking since the last look at today's queue."""
        if self.schedule is None or view.filter != "today" or view.search:
            return
        booked_ids = {record["id"]: record for record in records if booked(record) is not None}
        if self._announced is not None and self.schedule.bell:
            from kiosk.notices import arrival_notice_for

            for checkin_id, record in booked_ids.items():
                notice = arrival_notice_for(record, self.language)
                if checkin_id not in self._announced and notice is not None:
                    self.app.bell()
                    self.notify(notice.text, markup=False, title=self.words._("Arrived"))
        self._announced = set(booked_ids) | (self._announced or set())


    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("expected", "practitioner", "booking"):
            return self.schedule is not None
        return True

    @on(Button.Pressed, "#expected")
    def action_expected(self) -> None:
        from screens.desk.expected import ExpectedScreen

        if self.schedule is not None:
            self.app.push_screen(ExpectedScreen(self.store, self.clock, self.schedule,
                                                self.view.practitioner, self.words))

    @work(thread=True, exclusive=True, group="practitioner")
    def action_practitioner(self) -> None:
        """The next practitioner of today's bookings, then everyone's."""
        try:
            names = [booking.practitioner for booking in self.store.appointments(self._today())]
        except StoreError:
            names = []
        self.app.call_from_thread(self._show_practitioner, names)

    def _show_practitioner(self, names: list[str]) -> None:
        self.view = self.view.with_practitioner(next_practitioner(names, self.view.practitioner))

    @on(Button.Pressed, "#booking")
    def action_booking(self) -> None:
        record = self._chosen()
        if record is not None and self.schedule is not None:
            self.series_actions.offer_booking(record)

    @on(SeriesActions.BookingOffered)
    async def _open_booking_panel(self, event: SeriesActions.BookingOffered) -> None:
        from screens.desk.booking_panel import BookingPanel

        panels = self.query(BookingPanel)
        if panels:
            panel = panels.first()
        else:
            panel = BookingPanel(covers=("#staff-detail", "#staff-table"), words=self.words)
            await self.mount(panel, after="#staff-detail")
        panel.offer(event.record, event.open_bookings, self._today())

    def on_booking_panel_chosen(self, event: Any) -> None:
        self.query_one(QueueTable).focus()
        if event.choice is None:
            return
        from screens.desk.booking_panel import BookingPanel

        panel = self.query_one(BookingPanel)
        chosen = next((b for b in panel.open if b.id == event.choice), None)
        self.series_actions.match(event.checkin_id, chosen)

