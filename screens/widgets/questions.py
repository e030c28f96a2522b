"""One widget per kind of question; each gives back the client's answer.

`VIEWS` is the screens' half of the kind registry (`kiosk.content.kinds.KINDS` is the
domain's): a new kind adds its view here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, assert_never

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Label, Static

from kiosk.content.kinds import (
    FIRST_NAME_MAX,
    QUESTION_KINDS,
    Question,
    QuestionKind,
    name_problems,
)
from kiosk.i18n import Msg, Words, msg
from screens.widgets.choice import Choice, ChoiceGrid


class QuestionView(Vertical):
    """A question's prompt, its answer controls and a line for problems."""

    typing: ClassVar[bool] = False
    """Answered by typing: the on-screen keyboard shows with it."""

    def __init__(self, question: Question, answer: Any, words: Words) -> None:
        super().__init__(id=f"question-{question.id}", classes=f"question -{question.kind}")
        self.question = question
        self.initial = answer
        self.words = words

    def compose(self) -> ComposeResult:
        yield Label(self.question.prompt, classes="prompt", markup=False)
        if self.question.help:
            yield Label(self.question.help, classes="help", markup=False)
        yield from self.compose_answer()
        yield Label("", classes="problem", markup=False)

    def compose_answer(self) -> ComposeResult:
        raise NotImplementedError

    @property
    def answer(self) -> Any:
        """The answer as the controls show it now."""
        raise NotImplementedError

    def extra_problem(self) -> Msg | None:
        """Why the page can't be left beyond its answer (a signature), or None."""
        return None

    def show_problem(self, problem: Msg | None) -> None:
        """Show why the answer can't be taken, or clear it."""
        label = self.query_one(".problem", Label)
        label.update(f"▲ {self.words.say(problem)}" if problem else "")
        label.set_class(bool(problem), "-shown")
        if problem:
            # On a page longer than the screen (a consent document), the
            # reason must not be out of sight below it.
            self.call_after_refresh(label.scroll_visible, animate=False)

    def focus_first(self) -> None:
        """Put the keyboard focus on the first control. The page is not
        scrolled to it: a new page shows from its top, prompt first."""
        self.query_one(ChoiceGrid).focus(scroll_visible=False)


class ChoiceQuestion(QuestionView):
    """single, multi and scale questions: a grid of choices."""

    def compose_answer(self) -> ComposeResult:
        question = self.question
        multi = question.kind == "multi"
        # The large-text layout gives each answer a whole row (a scale, four a row).
        large = self.app.has_class("large-text")
        if question.kind == "scale":
            values = range(question.minimum, question.maximum + 1)
            choices = [
                Choice(n, str(n), multi=False, id=f"choice-{question.id}-{n}") for n in values
            ]
            columns = 4 if large else (len(choices) + 1) // 2
            picked = [] if self.initial is None else [self.initial]
            if question.low or question.high:
                with Horizontal(classes="scale-ends"):
                    yield Label(question.low, classes="low", markup=False)
                    yield Label(question.high, classes="high", markup=False)
        else:
            choices = [
                Choice(o.id, o.label, multi=multi, id=f"choice-{question.id}-{o.id}")
                for o in question.options
            ]
            columns = 1 if large else 2 if len(choices) in (2, 4) else 3
            picked = self.initial if multi else [self.initial]
        grid = ChoiceGrid(
            choices, multi=multi, columns=columns, exclusive=question.exclusive,
            id=f"choices-{question.id}",
        )
        grid.pick(picked)
        yield grid

    @property
    def answer(self) -> Any:
        picked = self.query_one(ChoiceGrid).picked
        if self.question.kind == "multi":
            return picked
        return picked[0] if picked else None

    @on(ChoiceGrid.Changed)
    def _clear_problem(self) -> None:
        self.show_problem(None)


class ConsentQuestion(QuestionView):
    """An explicit yes: a box the client must tap themselves, under the whole
    of each document it agrees to; and, where the clinic asks, the client's
    full name typed as a signature."""

    def __init__(self, question: Question, answer: Any, words: Words, *,
                 typed: bool = False) -> None:
        super().__init__(question, answer, words)
        self.typed = typed

    def compose_answer(self) -> ComposeResult:
        for document in self.question.documents:
            # The clinic's own words, shown as text: never as markup.
            yield Label(document.title, classes="document-title", markup=False)
            yield Static(Content(plain_markdown(document.body)), classes="document")
        grid = ChoiceGrid(
            [Choice(True, self.question.agree, multi=True, id=f"choice-{self.question.id}-yes")],
            multi=True, columns=1, id=f"choices-{self.question.id}",
        )
        grid.pick([self.initial])
        yield grid
        if self.typed:
            yield Label(self.words._("Type your full name to sign"), classes="signature-label",
                        markup=False)
            yield NameInput(id="signature", max_length=80,
                            placeholder=self.words._("Your full name"))

    @property
    def answer(self) -> bool:
        return self.query_one(ChoiceGrid).picked == [True]

    @property
    def signature(self) -> str:
        """The name typed as a signature ("" where none is asked for)."""
        return " ".join(self.query_one("#signature", Input).value.split()) if self.typed else ""

    def extra_problem(self) -> Msg | None:
        if self.typed and self.answer and not self.signature:
            return msg("Please type your full name to sign.")
        return None

    @on(ChoiceGrid.Changed)
    def _clear_problem(self) -> None:
        self.show_problem(None)


class NameInput(Input):
    """A name field with no copy, cut or paste: on a shared kiosk, the next
    client must not be able to paste what this one typed."""

    def action_copy(self) -> None:
        pass

    def action_cut(self) -> None:
        pass

    def action_paste(self) -> None:
        pass


class NameQuestion(QuestionView):
    """First name and last initial, each with its own problem line."""

    typing = True

    def compose_answer(self) -> ComposeResult:
        _ = self.words._
        with Horizontal(classes="name-fields"):
            with Vertical(classes="field first"):
                yield Label(_("First name"), markup=False)
                yield NameInput(
                    self.initial.get("first", ""), id="first-name", max_length=FIRST_NAME_MAX,
                    placeholder=_("e.g. Maria"),
                )
            with Vertical(classes="field initial"):
                yield Label(_("Last initial"), markup=False)
                yield NameInput(
                    self.initial.get("last_initial", ""), id="last-initial", max_length=1,
                    placeholder=_("e.g. K"),
                )

    @property
    def answer(self) -> dict[str, str]:
        return {
            "first": self.query_one("#first-name", Input).value,
            "last_initial": self.query_one("#last-initial", Input).value,
        }

    def show_problem(self, problem: Msg | None) -> None:
        # Say which field is wrong, not only that something is.
        first, initial = name_problems(**self.answer) if problem else (None, None)
        first_input = self.query_one("#first-name", Input)
        initial_input = self.query_one("#last-initial", Input)
        first_input.set_class(bool(first), "-invalid")
        initial_input.set_class(bool(initial) and not first, "-invalid")
        if first:
            first_input.focus()
        elif initial:
            initial_input.focus()
        super().show_problem(problem)

    def focus_first(self) -> None:
        self.query_one("#first-name", Input).focus(scroll_visible=False)

    @on(Input.Changed)
    def _clear_problem(self) -> None:
        self.show_problem(None)

    @on(Input.Submitted, "#first-name")
    def _to_initial(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#last-initial", Input).focus()


def _view(kind: QuestionKind) -> type[QuestionView]:
    match kind:
        case "name":
            return NameQuestion
        case "consent":
            return ConsentQuestion
        case "single" | "multi" | "scale":
            return ChoiceQuestion
        case _:
            assert_never(kind)


VIEWS: Mapping[QuestionKind, type[QuestionView]] = {kind: _view(kind) for kind in QUESTION_KINDS}
"""The widget that asks each kind of question."""


def question_view(question: Question, answer: Any, words: Words, *,
                  typed_signature: bool = False) -> QuestionView:
    """The widget that asks this question, in the client's language."""
    if question.kind == "consent":
        return ConsentQuestion(question, answer, words, typed=typed_signature)
    return VIEWS[question.kind](question, answer, words)


def plain_markdown(body: str) -> str:
    """A document's Markdown as plain text for the terminal: list items
    with a bullet, paragraphs apart; nothing else is read into it."""
    lines = []
    for line in body.splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ")):
            lines.append("• " + stripped[2:])
        elif stripped.startswith("#"):
            lines.append(stripped.lstrip("#").strip().upper())
        else:
            lines.append(stripped)
    return "\n".join(lines).strip()
