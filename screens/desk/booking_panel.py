"""Match by hand: staff, who can see the client, pick which of today's open
bookings a check-in is for, or none (a wrong match undone). A panel in the
place of the queue, as the link panel is."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.checkin.record import client_name
from kiosk.desk.rows import NO_NAME, arrival, booking_text, printable
from kiosk.i18n import ENGLISH, Words
from kiosk.schedule.model import Appointment
from kiosk.store.contract import Record


def booking_choice(appointment: Appointment, words: Words = ENGLISH) -> str:
    """One booking as staff choose it: time, client, practitioner, service."""
    parts = [words.clock(appointment.starts_at.astimezone()),
             printable(appointment.client, 30) or words._(NO_NAME),
             printable(appointment.practitioner, 20) or "?"]
    if appointment.service:
        parts.append(printable(appointment.service, 30))
    return " · ".join(parts)


class BookingPanel(Vertical):
    """Shown by `offer`; says what staff chose with `Chosen`."""

    DEFAULT_CSS = """
    BookingPanel {
        height: 3fr;
        border-top: solid $primary;
        padding: 0 1;
        display: none;
    }
    BookingPanel #booking-title {
        text-style: bold;
    }
    BookingPanel #booking-choices {
        height: 1fr;
        min-height: 3;
    }
    BookingPanel > Horizontal {
        height: 3;
    }
    BookingPanel Button {
        margin-right: 1;
    }
    """

    BINDINGS = [Binding("escape", "leave", "Leave as it is")]

    class Chosen(Message):
        """Staff chose: a booking (its id), "none" (no booking), or None
        (leave it as it is)."""

        def __init__(self, checkin_id: str, choice: str | None) -> None:
            super().__init__()
            self.checkin_id = checkin_id
            self.choice = choice

    def __init__(self, covers: tuple[str, ...] = (), words: Words = ENGLISH) -> None:
        super().__init__(id="booking-panel")
        self.words = words
        self.covers = covers
        self.checkin_id = ""
        self.open: list[Appointment] = []

    def compose(self) -> ComposeResult:
        _ = self.words._
        yield Label(_("Match to an appointment"), id="booking-title")
        yield Static("", id="booking-text")
        yield OptionList(id="booking-choices")
        with Horizontal():
            yield Button(_("No appointment"), id="booking-none", variant="warning")
            yield Button(_("Leave as it is"), id="booking-leave")

    def offer(self, record: Record, open_bookings: Sequence[Appointment], today: date) -> None:
        """Show today's bookings nobody has arrived for, for this check-in."""
        self.checkin_id = str(record["id"])
        self.open = list(open_bookings)
        _ = self.words._
        who = printable(client_name(record), 40) or _(NO_NAME)
        now = booking_text(record, words=self.words) or _("no appointment")
        found = (_("Today's appointments nobody has arrived for. Check with the client "
                   "before you pick one.") if self.open else
                 _("Every appointment today has its arrival already."))
        self.query_one("#booking-text", Static).update(Content(_(
            "{who}, arrived {when}, now: {booking}.", who=who,
            when=arrival(record, today, words=self.words), booking=now) + "\n" + found))
        choices = self.query_one("#booking-choices", OptionList)
        choices.clear_options()
        choices.add_options(Option(Content(f"\n{booking_choice(booking, self.words)}\n"),
                                   id=booking.id)
                            for booking in self.open)
        choices.display = bool(self.open)
        for part in self.covers:
            self.screen.query_one(part).display = False
        self.display = True
        if self.open:
            choices.highlighted = 0
            choices.focus()
        else:
            self.query_one("#booking-leave", Button).focus()

    def _close(self, choice: str | None) -> None:
        for part in self.covers:
            self.screen.query_one(part).display = True
        self.display = False
        self.post_message(self.Chosen(self.checkin_id, choice))

    @on(OptionList.OptionSelected, "#booking-choices")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._close(event.option.id)

    @on(Button.Pressed, "#booking-none")
    def _none(self, event: Button.Pressed) -> None:
        event.stop()
        self._close("none")

    @on(Button.Pressed, "#booking-leave")
    def action_leave(self, event: Button.Pressed | None = None) -> None:
        if event is not None:
            event.stop()
        self._close(None)
