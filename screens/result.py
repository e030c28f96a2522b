"""Result: the recommendation, any front-desk notice, and the aftercare QR."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Label, Static

from kiosk.checkin.record import Recommendation
from kiosk.clock import Clock
from kiosk.content.model import VisitKind
from kiosk.i18n import ENGLISH, Words
from kiosk.settings import Settings
from screens.speech import Speaks
from screens.widgets import QRCode, TopBar


class ResultScreen(Speaks[None]):
    """What the kiosk recommends; returns to Welcome on Done or after a while."""

    CSS_PATH = "result.tcss"
    """Its layout, loaded when it first shows (not at start-up)."""

    class Done(Message):
        """The client finished, or walked away from the result."""

    def __init__(
        self,
        settings: Settings,
        recommendation: Recommendation,
        *,
        url: str,
        notice: str | None,
        clock: Clock,
        visit: VisitKind = "first",
        words: Words = ENGLISH,
    ) -> None:
        """`visit` "follow-up": thank a client back for another session, and
        the code opens the between-sessions guidance."""
        super().__init__(id="result")
        self.words = words
        self.visit = visit
        self.settings = settings
        self.recommendation = recommendation
        self.url = url
        self.notice = notice
        self.clock = clock
        self._shown = clock.monotonic()

    def compose(self) -> ComposeResult:
        _ = self.words._
        # The local time of day the check-in was made, as the client's language writes it.
        at = self._at = self.words.time(self.clock.now().astimezone().replace(tzinfo=None))
        yield TopBar(self.settings.clinic_name, demo=self.settings.demo, words=self.words)
        with Horizontal(id="result-body"):
            with Vertical(id="result-text"):
                if self.visit == "follow-up":
                    yield Label(_("Welcome back!"), id="checked-in")
                    yield Static(_("You're checked in for your next session at {time}. Your "
                                   "therapist will go over how you have been since last time.",
                                   time=at), id="why", markup=False)
                else:
                    yield Static(_("You're checked in at {time}. Thank you!", time=at),
                                 id="checked-in", markup=False)
                    yield Label(_("We recommend"), id="we-recommend")
                    yield Label(self.recommendation.name, id="recommendation", markup=False)
                    yield Static(self.recommendation.why, id="why", markup=False)
                if self.notice:
                    notice = Static(self.notice, id="notice", markup=False)
                    notice.border_title = _("Before your session")
                    yield notice
                yield Label(_("Please take a seat."), id="take-a-seat")
                with Horizontal(id="result-buttons"):
                    yield Button(_("Done"), id="done", variant="primary")
                    yield from self.read_aloud_button()
            with Vertical(id="aftercare"):
                yield QRCode(self.url, id="qr")
                yield Static(
                    _("This screen is too small to show the code whole. Your aftercare guide "
                      "is at this address:"), id="qr-too-small", markup=False)
                yield Label(self.url, id="aftercare-url", markup=False)
                yield Label(_("Scan for your at-home guide") if self.visit == "follow-up"
                            else _("Scan for your aftercare guide"), id="scan-hint")
        yield from self.speech_bar()

    def speech_parts(self, private: bool) -> list[str]:
        """The check-in's time and the way to the guide; the recommendation
        and any notice (both come of the client's answers) only when private."""
        from kiosk.speech import controls

        _ = self.words._
        if self.visit == "follow-up":
            said = [_("Welcome back!"), _(
                "You're checked in for your next session at {time}. Your therapist will go "
                "over how you have been since last time.", time=self._at)]
        else:
            said = [_("You're checked in at {time}. Thank you!", time=self._at)]
            if private:
                said += [_("We recommend"), self.recommendation.name, self.recommendation.why]
        if private and self.notice:
            said += [_("Before your session"), self.notice]
        hint = self.query_one("#scan-hint" if self.query_one("#qr").display else "#qr-too-small")
        said += [_("Please take a seat."), str(hint.render()),
                 controls(self.words, [str(self.query_one("#done", Button).label)])]
        return said

    MIN_TEXT_WIDTH = 30
    """Columns the recommendation keeps beside the code."""

    def on_resize(self, event: events.Resize) -> None:
        """A code cut off at the edge won't scan: below the room for all of
        it, quiet zone included, say so and give the address instead."""
        qr = self.query_one("#qr", QRCode)
        width, height = len(qr.lines[0]), len(qr.lines)
        fits = (event.size.width >= width + 2 + self.MIN_TEXT_WIDTH
                and event.size.height >= height + 3)
        qr.display = fits
        self.query_one("#scan-hint").display = fits
        self.query_one("#qr-too-small").display = not fits
        self.set_class(not fits, "-no-qr")

    def on_mount(self) -> None:
        self.query_one("#done", Button).focus()
        self._timeout = self.set_interval(0.25, self.tick, name="result-timeout")

    def tick(self) -> None:
        """Return to Welcome once `result_seconds` have gone by. Runs four times
        a second (tests call it after moving the clock)."""
        if self.clock.monotonic() - self._shown >= self.settings.result_seconds:
            self._timeout.stop()
            self.post_message(self.Done())

    @on(Button.Pressed, "#done")
    def _done(self) -> None:
        self.post_message(self.Done())
