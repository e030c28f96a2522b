"""Review: every answer on one page, each a tap away from being changed."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label

from kiosk.checkin.record import describe
from kiosk.content.model import Question
from kiosk.i18n import Words


class ReviewItem(Widget, can_focus=True):
    """One question's short label and the answer given; tap to change it."""

    BINDINGS = [
        Binding("enter,space", "change", "Change", show=False, id="review.change",
                tooltip="Change this answer"),
    ]

    class Chosen(Message):
        """The client wants to change this answer."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, index: int, question: Question, answer: Any, words: Words) -> None:
        super().__init__(id=f"review-{question.id}", classes="review-item")
        self.index = index
        self.question = question
        self.answer_text = words.say(describe(question, answer))

    def render(self) -> Content:
        # The answer may be a name the client typed: plain text, never markup.
        return Content.assemble(("✎ " + self.question.short, "bold"), "\n", self.answer_text)

    def action_change(self) -> None:
        self.post_message(self.Chosen(self.index))

    def on_click(self) -> None:
        self.action_change()


class ReviewView(Vertical):
    """The review page of the questionnaire."""

    def __init__(self, questions: tuple[Question, ...], answers: dict[str, Any],
                 words: Words) -> None:
        super().__init__(id="review")
        self.questions = questions
        self.answers = answers
        self.words = words

    def compose(self) -> ComposeResult:
        _ = self.words._
        yield Label(_("Please check your answers"), classes="prompt")
        yield Label(_("Tap an answer to change it, then tap \"Check me in\"."), classes="help")
        with Grid(id="review-grid"):
            for index, question in enumerate(self.questions):
                yield ReviewItem(index, question, self.answers[question.id], self.words)

    def focus_first(self) -> None:
        """Put the keyboard focus on the first answer."""
        self.query(ReviewItem).first().focus(scroll_visible=False)
