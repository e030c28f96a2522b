"""The chosen check-in's series and booking at the desk: link it to earlier
visits, unlink it, match it to its appointment by hand, undo the last of
these, write the series' progress report, or erase the whole series."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button

from kiosk.access.audit import AuditLog
from kiosk.checkin.record import series_of
from kiosk.clock import Clock
from kiosk.desk import actions
from kiosk.desk.report import ReportSetup
from kiosk.files import StoreError
from kiosk.i18n import ENGLISH, Words
from kiosk.schedule.model import Appointment
from kiosk.store.contract import Record, SiteView, Store


def tell(widget: Widget, message: str, *, error: bool = False) -> None:
    """A notice from a worker thread. Never markup: it may hold a path (a
    folder named "[x]" is text) or an error's words."""
    widget.app.call_from_thread(widget.app.notify, message, markup=False,
                                severity="error" if error else "information")


def record_day(record: Record) -> date:
    """The local day a check-in was made on."""
    return datetime.fromisoformat(record["created_at"]).astimezone().date()


class SeriesActions(Horizontal):
    """Link, Unlink, Undo, Report and Erase series, for the check-in the desk shows.

    It keeps the last change made here (for Undo) and the suggestions read
    ahead for the chosen check-in; both are set only on the UI thread."""

    class LinkOffered(Message):
        """Suggestions are ready: the screen opens the link panel with them."""

        def __init__(self, record: Record, earlier: list[Record]) -> None:
            super().__init__()
            self.record = record
            self.earlier = earlier

    class BookingOffered(Message):
        """Today's open bookings are read: the screen opens the booking panel."""

        def __init__(self, record: Record, open_bookings: list[Appointment]) -> None:
            super().__init__()
            self.record = record
            self.open_bookings = open_bookings

    class Changed(Message):
        """A series or a booking changed here: the queue reloads."""

    def __init__(self, store: Store, audit: AuditLog, *, bookings: bool = False,
                 report: tuple[ReportSetup, Clock] | None = None,
                 words: Words = ENGLISH) -> None:
        super().__init__(id="series-actions")
        self.words = words
        self.store = store
        self.audit = audit
        self.bookings = bookings
        """The clinic has a schedule: a check-in can be matched by hand."""
        self.report = report
        """What a progress report needs, and the clock that dates it (None: no reports)."""
        self.series_id: str | None = None
        """The series of the check-in shown, if it is linked."""
        self.undo: actions.LinkChange | actions.BookingChange | None = None
        """The last link, unlink or match made here, until it is undone."""
        self.suggested: tuple[str, Any, list[Record]] | None = None
        """Link suggestions read ahead: for which check-in, at which version."""

    def compose(self) -> ComposeResult:
        _ = self.words._
        yield Button(_("Link to earlier visits"), id="link", compact=True)
        yield Button(_("Unlink"), id="unlink", compact=True)
        yield Button(_("Undo"), id="undo-link", compact=True)
        if self.report is not None:
            yield Button(_("Report"), id="report", compact=True)
        yield Button(_("Erase series"), id="erase-series", compact=True, variant="error")
        if self.bookings:
            yield Button(_("Appointment…"), id="booking", compact=True)

    def show_for(self, record: Record | None) -> None:
        """Offer what can be done to this check-in (None: nothing chosen)."""
        linked = series_of(record) if record is not None else None
        self.series_id = linked[0] if linked is not None else None
        self.query_one("#link").display = record is not None
        if self.report is not None:
            self.query_one("#report").display = linked is not None
        if self.bookings:
            self.query_one("#booking").display = record is not None
        self.query_one("#unlink").display = linked is not None
        self.query_one("#erase-series").display = linked is not None
        self.query_one("#undo-link").display = self.undo is not None

    # -- Suggestions and linking ----------------------------------------------------

    def read_ahead(self, record: Record, version: Any, site: SiteView) -> None:
        """Read the suggestions for a check-in now chosen, unless they are read."""
        ahead = self.suggested
        if ahead is None or ahead[:2] != (record["id"], version):
            self._suggest(record, version, site)

    def offer(self, record: Record, version: Any, site: SiteView) -> None:
        """Staff asked to link: the suggestions at once if read, else once read."""
        ahead = self.suggested
        if ahead is not None and ahead[0] == record["id"] and ahead[1] == version:
            self.post_message(self.LinkOffered(record, ahead[2]))
        else:
            self._suggest(record, version, site, offer=True)

    @work(thread=True, exclusive=True, group="suggest")
    def _suggest(self, record: Record, version: Any, site: SiteView,
                 offer: bool = False) -> None:
        try:
            earlier = self.store.suggestions(record, site=site)
        except StoreError as error:
            if offer:
                self._failed(error)
            return
        self.app.call_from_thread(self._got_suggestions, record, version, earlier, offer)

    def _got_suggestions(self, record: Record, version: Any, earlier: list[Record],
                         offer: bool) -> None:
        self.suggested = (str(record["id"]), version, earlier)
        if offer:
            self.post_message(self.LinkOffered(record, earlier))

    @work(thread=True, exclusive=True, group="change")
    def link(self, checkin_id: str, to: str | None) -> None:
        """Join `to`'s series (None: start a new one)."""
        try:
            change = (actions.join(self.store, self.audit, checkin_id, to) if to else
                      actions.link(self.store, self.audit, checkin_id))
        except StoreError as error:
            self._failed(error)
            return
        self.app.call_from_thread(self._set_undo, change)
        tell(self, self.words._("Linked. Press u or Undo to take it back.") if to else
             self.words._("Started a new series. Press u or Undo to take it back."))
        self.post_message(self.Changed())

    @work(thread=True, exclusive=True, group="change")
    def unlink(self, checkin_id: str) -> None:
        try:
            change = actions.unlink(self.store, self.audit, checkin_id)
        except StoreError as error:
            self._failed(error)
            return
        if change is not None:
            self.app.call_from_thread(self._set_undo, change)
            tell(self, self.words._("Taken out of its series. Press u or Undo to put it back."))
        self.post_message(self.Changed())

    def _failed(self, error: Exception) -> None:
        """A change or a read that failed, in the desk's words around the
        store's own (which name a file or the database, in English)."""
        tell(self, self.words._("That did not work: {error}", error=error), error=True)

    def _set_undo(self, change: actions.LinkChange | actions.BookingChange | None) -> None:
        """What Undo takes back (set on the UI thread, by the workers' hand-back)."""
        self.undo = change

    def take_back(self) -> None:
        """Undo the last link or unlink made here, if any."""
        if self.undo is not None:
            change, self.undo = self.undo, None
            self._undo(change)

    @work(thread=True, exclusive=True, group="change")
    def _undo(self, change: actions.LinkChange | actions.BookingChange) -> None:
        try:
            if isinstance(change, actions.BookingChange):
                actions.undo_booking(self.store, self.audit, change)
            else:
                actions.undo_link(self.store, self.audit, change)
        except (StoreError, OSError) as error:
            self._failed(error)
            return
        tell(self, self.words._("Undone: the appointment is as it was.") if isinstance(
            change, actions.BookingChange) else self.words._("Undone: the link is as it was."))
        self.post_message(self.Changed())

    # -- Matching a booking by hand -------------------------------------------------

    @work(thread=True, exclusive=True, group="booking")
    def offer_booking(self, record: Record) -> None:
        """Read today's bookings nobody has arrived for, then offer them."""
        from kiosk.schedule.day import arrived_ids

        today = record_day(record)
        try:
            here = arrived_ids(self.store.today())
            open_bookings = [booking for booking in self.store.appointments(today)
                             if booking.id not in here]
        except StoreError as error:
            self._failed(error)
            return
        self.post_message(self.BookingOffered(record, open_bookings))

    @work(thread=True, exclusive=True, group="change")
    def match(self, checkin_id: str, booking: Appointment | None) -> None:
        """Match a check-in to `booking` (None: to no booking), audited."""
        from kiosk.schedule.matching import Slot

        try:
            change = actions.match_booking(
                self.store, self.audit, checkin_id,
                Slot.of(booking).to_record("desk") if booking is not None else None)
        except (StoreError, OSError) as error:
            self._failed(error)
            return
        if change is None:
            tell(self, self.words._("That check-in was erased meanwhile."))
            return
        self.app.call_from_thread(self._set_undo, change)
        tell(self, self.words._("Matched. Press u or Undo to take it back.")
             if booking is not None else
             self.words._("Marked as no appointment. Press u or Undo to take it back."))
        self.post_message(self.Changed())

    # -- The progress report --------------------------------------------------------

    @on(Button.Pressed, "#report")
    def write_report(self) -> None:
        """Write the shown series' report to the export folder."""
        if self.series_id is not None and self.report is not None:
            self._write_report(self.series_id, *self.report)

    @work(thread=True, exclusive=True, group="report")
    def _write_report(self, series_id: str, setup: ReportSetup, clock: Clock) -> None:
        try:
            sessions, path = actions.write_report(self.store, self.audit, series_id, setup,
                                                  made=clock.now().astimezone())
        except (StoreError, OSError) as error:
            tell(self, self.words._("Could not write the report: {error}", error=error),
                 error=True)
            return
        tell(self, self.words.n_("Report of {count} session saved to {path}. Print it from a "
                                 "browser.",
                                 "Report of {count} sessions saved to {path}. Print it from a "
                                 "browser.", sessions, path=path))

    # -- Erasing a series -----------------------------------------------------------

    @work(thread=True, exclusive=True, group="change")
    def ask_erase(self, series_id: str) -> None:
        """Count the series, then ask staff to confirm its erasure."""
        try:
            count = len(self.store.series(series_id))
        except StoreError as error:
            self._failed(error)
            return
        self.app.call_from_thread(self._confirm_erase, series_id, count)

    def _confirm_erase(self, series_id: str, count: int) -> None:
        from screens.dialogs.choice import ChoiceScreen

        def erase(choice: str | None) -> None:
            if choice == "erase":
                self._erase(series_id)

        _ = self.words._
        self.app.push_screen(ChoiceScreen(
            _("Erase this client's series?"),
            self.words.n_("The {count} check-in of this series is erased for good, with "
                          "everything the client answered at that visit.",
                          "All {count} check-ins of this series are erased for good, with "
                          "everything the client answered at each visit.", count),
            [("keep", _("Keep them"), "primary"), ("erase", _("Erase {count}", count=count),
                                                   "error")]), erase)

    @work(thread=True, exclusive=True, group="change")
    def _erase(self, series_id: str) -> None:
        try:
            erased = actions.erase_series(self.store, self.audit, series_id)
        except (StoreError, OSError) as error:
            self._failed(error)
            return
        self.app.call_from_thread(self._set_undo, None)
        tell(self, self.words.n_("Erased {count} check-in.", "Erased {count} check-ins.",
                                 erased))
        self.post_message(self.Changed())
