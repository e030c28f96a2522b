"""Check-in questionnaire: one question a page, then the review page."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Input

from kiosk.checkin.record import Answers, clean_answers, empty_answer, problem
from kiosk.clock import SYSTEM_CLOCK, Clock
from kiosk.content.model import Question, VisitKind
from kiosk.files import StoreError
from kiosk.i18n import ENGLISH, Words
from kiosk.schedule.matching import NOT_FOUND, Bookings, Match, SecondKind, Window, match
from kiosk.schedule.model import birth_day_month, name_key
from kiosk.settings import Settings
from screens.review import ReviewItem, ReviewView
from screens.speech import Speaks
from screens.widgets import QuestionView, ScrollControls, TopBar, question_view
from screens.widgets.appointment import AppointmentView


class QuestionnaireScreen(Speaks[None]):
    """Asks each question in turn; the last page reviews them all.

    The answers live only here: when the screen goes, they go with it.
    """

    CSS_PATH = ["pages.tcss", "questionnaire.tcss"]
    """Its layout, loaded when it first shows (not at start-up)."""

    index: reactive[int] = reactive(0, init=False)
    """The page shown: a question's index, or len(questions) for the review."""

    saving: reactive[bool] = reactive(False)
    """A save is under way: the controls wait for it."""

    class Submitted(Message):
        """The client checked in with these answers."""

        def __init__(self, answers: Answers, checkin_id: str, visit: VisitKind,
                     appointment: dict[str, str] | None = None, signature: str = "") -> None:
            super().__init__()
            self.signature = signature
            """The full name typed to sign the consent ("": none asked for)."""
            self.answers = answers
            self.visit: VisitKind = visit
            self.appointment = appointment
            """The booking matched (as the record keeps it), the mark that
            none was found, or None where there is no schedule."""
            self.checkin_id = checkin_id
            """The same on every submit of one visit: a save tried again after
            a failure replaces the first attempt instead of adding a second."""

    class Left(Message):
        """The client went back from the first question."""

    def __init__(self, settings: Settings, questions: tuple[Question, ...], *,
                 visit: VisitKind = "first", touch_keyboard: bool = False,
                 words: Words = ENGLISH, bookings: Bookings | None = None,
                 clock: Clock = SYSTEM_CLOCK) -> None:
        """`bookings`: where the name is looked up after the name page (None:
        no schedule, no step)."""
        super().__init__(id="questionnaire")
        self.bookings = bookings
        self.clock = clock
        self.booking: Match | None = None
        """The booking step on screen (after the name, before the next page)."""
        self.appointment: dict[str, str] | None = None
        """What the booking step found: kept with the check-in."""
        self.signature = ""
        """The full name typed as a signature, where the clinic asks for one."""
        self.words = words
        """The language the client picked."""
        self.visit: VisitKind = visit
        """A first visit, or a follow-up (back for another session)."""
        self.touch_keyboard = touch_keyboard
        self.settings = settings
        self.questions = questions
        self.answers: Answers = {q.id: empty_answer(q) for q in questions}
        self.from_review = False
        """The client came from the review page, and Next goes back there."""
        self.checkin_id = str(uuid.uuid4())
        """This visit's check-in, however many times it is submitted."""

    def compose(self) -> ComposeResult:
        _ = self.words._
        yield TopBar(self.settings.clinic_name, demo=self.settings.demo, words=self.words)
        with Horizontal(classes="page-row"):
            yield VerticalScroll(id="page", can_focus=False)
            yield ScrollControls("#page")
        if self.touch_keyboard:
            from screens.widgets import TouchKeyboard

            yield TouchKeyboard(id="keyboard", words=self.words)
        with Horizontal(classes="nav"):
            yield Button(_("◀ Back"), id="back")
            yield from self.read_aloud_button()
            yield Button(_("Next ▶"), id="next", variant="primary")
        yield from self.speech_bar()

    def speech_parts(self, private: bool) -> list[str]:
        from kiosk.speech import controls, question_speech, review_speech

        step = [self.query_one(TopBar).step]
        if self.booking is not None:
            said = self.query_one(AppointmentView).spoken(private)
        elif self.on_review:
            said = review_speech(self.questions, self.answers, self.words, private=private)
        else:
            view = self._current_view()
            said = question_speech(view.question, view.answer, self.words, private=private)
        return [*step, *said, controls(self.words, self.controls_said())]

    async def on_mount(self) -> None:
        await self._show(0)

    async def forget(self) -> None:
        """Drop every answer before the screen goes, so nothing of this visit
        outlives it, whatever else still holds a reference to the screen."""
        self.answers = {question.id: empty_answer(question) for question in self.questions}
        self.booking, self.appointment, self.signature = None, None, ""
        self._blank_fields()
        await self.query_one("#page", VerticalScroll).remove_children()

    def _blank_fields(self) -> None:
        # A removed field can linger in memory (Textual remembers the widget
        # last pressed, for one): it goes blank first. Its answer is kept in
        # self.answers already.
        for field in self.query("#page Input").results(Input):
            with field.prevent(Input.Changed):
                field.value = ""

    @property
    def on_review(self) -> bool:
        return self.index == len(self.questions)

    async def watch_index(self, index: int) -> None:
        await self._show(index)

    def watch_saving(self, saving: bool) -> None:
        for button in self.query(Button):
            button.disabled = saving
        if self.on_review:
            _ = self.words._
            self.query_one("#next", Button).label = _("Saving…") if saving else _("Check me in ✓")

    async def _show(self, index: int) -> None:
        self.stop_speech()  # A new page stops the last one's speech.
        page = self.query_one("#page", VerticalScroll)
        self.booking = None
        self._blank_fields()
        await page.remove_children()
        next_button = self.query_one("#next", Button)
        bar = self.query_one(TopBar)
        _ = self.words._
        if index == len(self.questions):
            self.from_review = False
            view: QuestionView | ReviewView = ReviewView(self.questions, self.answers, self.words)
            next_button.label = _("Check me in ✓")
            bar.step = _("Review")
        else:
            question = self.questions[index]
            view = question_view(question, self.answers[question.id], self.words,
                                 typed_signature=self.settings.consent_signature == "typed")
            last = index == len(self.questions) - 1
            next_button.label = (
                _("Back to review ▶") if self.from_review else _("Review ▶") if last
                else _("Next ▶")
            )
            bar.step = _("Question {number} of {questions}", number=index + 1,
                         questions=len(self.questions))
        typing = self.touch_keyboard and isinstance(view, QuestionView) and view.typing
        # On the emptied page, before the view is in it: set on the screen, it
        # styled every widget under it again (the keyboard's keys among them).
        page.set_class(typing, "-typing")
        await page.mount(view)
        page.scroll_home(animate=False)
        view.focus_first()
        if self.touch_keyboard:
            self.query_one("#keyboard").display = typing

    def on_touch_keyboard_typed(self, event: Any) -> None:
        """Put what was tapped on the on-screen keyboard into the name field
        that has the focus (the first name if neither has)."""
        fields = list(self.query("#page Input").results(Input))
        if not fields:
            return
        target = self.app.focused if self.app.focused in fields else fields[0]
        assert isinstance(target, Input)
        if event.text is None:
            target.action_delete_left()
            return
        text = event.text
        before = target.value[: target.cursor_position]
        if not before or before[-1] in " -'":
            text = text.upper()  # Names start with a capital, as people write them.
        target.insert_text_at_cursor(text)

    # -- The booking step, after the name --------------------------------------------

    @work(thread=True, exclusive=True, group="booking")
    def _look_up(self, name: dict[str, str], second: tuple[SecondKind, str] | None = None
                 ) -> None:
        """The bookings open now for this name, off the UI thread (with a
        shared database, a query); a failure never holds the client up."""
        assert self.bookings is not None
        window = Window(*(timedelta(minutes=m) for m in self.settings.arrival_window))
        try:
            slots = self.bookings.open_slots(
                name_key(name.get("first", ""), name.get("last_initial", "")),
                self.clock.now(), window)
            found = match(slots, second=second, seconds=self.bookings.second_matches)
        except (StoreError, OSError):
            found = Match("none")
        self.app.call_from_thread(self._found, found)

    def _found(self, found: Match) -> None:
        if self.app.screen is not self:
            return  # The visit was wiped meanwhile: nothing to show it to.
        self.saving = False
        if found.kind == "none":
            self.appointment = dict(NOT_FOUND)
            self._onward()
        else:
            self.call_later(self._show_booking, found)

    async def _show_booking(self, found: Match) -> None:
        self.stop_speech()
        page = self.query_one("#page", VerticalScroll)
        self._blank_fields()
        await page.remove_children()
        view = AppointmentView(found, self.words)
        self.booking = found
        self.query_one("#next", Button).label = self.words._("Next ▶")
        self.query_one(TopBar).step = self.words._("Your appointment")
        page.set_class(self.touch_keyboard and view.typing, "-typing")
        await page.mount(view)
        page.scroll_home(animate=False)
        view.focus_first()
        if self.touch_keyboard:
            from screens.widgets.keyboard import DIGITS, TouchKeyboard

            keyboard = self.query_one("#keyboard", TouchKeyboard)
            keyboard.display = view.typing
            keyboard.page = DIGITS

    def _booking_next(self, booking: Match) -> None:
        view = self.query_one(AppointmentView)
        answer = view.answer
        if booking.kind == "ask":
            value = (answer if booking.second == "phone" else
                     birth_day_month(answer.replace("-", "/").replace(".", "/")))
            self.saving = True
            self._look_up(self.answers[self.questions[self.index].id],
                          (booking.second, value))
            return
        if answer is None:
            view.show_problem(True)
            return
        chosen = next((slot for slot in booking.slots if slot.id == answer), None)
        self.appointment = chosen.to_record("kiosk") if chosen else dict(NOT_FOUND)
        self._onward()

    def _onward(self) -> None:
        """On from the name (and its booking) to the next page."""
        self.index = len(self.questions) if self.from_review else self.index + 1

    def _current_view(self) -> QuestionView:
        return self.query_one("#page > QuestionView", QuestionView)

    def _keep_answer(self) -> bool:
        """Store the shown question's answer; False (and say why) if it's not right."""
        view = self._current_view()
        answer: Any = view.answer
        self.answers[view.question.id] = answer
        found = problem(view.question, answer) or view.extra_problem()
        if hasattr(view, "signature"):
            self.signature = view.signature
        view.show_problem(found)
        return found is None

    @on(Button.Pressed, "#next")
    @on(Input.Submitted, "#last-initial")
    def _next(self) -> None:
        if self.saving:
            return
        if self.booking is not None:
            self._booking_next(self.booking)
        elif self.on_review:
            self.saving = True
            self.post_message(
                self.Submitted(clean_answers(self.questions, self.answers), self.checkin_id,
                               self.visit, self.appointment, self.signature))
        elif not self._keep_answer():
            return
        elif self.bookings is not None and self.questions[self.index].kind == "name":
            self.saving = True  # The controls wait for the look-up (a moment).
            self._look_up(self.answers[self.questions[self.index].id])
        else:
            self.index = len(self.questions) if self.from_review else self.index + 1

    @on(Button.Pressed, "#back")
    async def _back(self) -> None:
        if self.booking is not None:
            await self._show(self.index)  # Back to the name.
            return
        if not self.on_review:
            # Going back keeps what was entered, even if it is not finished.
            view = self._current_view()
            self.answers[view.question.id] = view.answer
        if self.from_review:
            self.index = len(self.questions)
        elif self.index == 0:
            self.post_message(self.Left())
        else:
            self.index -= 1

    @on(ReviewItem.Chosen)
    def _change(self, event: ReviewItem.Chosen) -> None:
        self.from_review = True
        self.index = event.index
